/* claims — see claims.h.  The JSON form is read by a small strict reader of
 * its own (an object of strings and one object of claims): it keeps the
 * position of every key and value, which a duplicate or an unknown name
 * must be reported at, and needs nothing from the example's cJSON tree. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/fileio.h"
#include "check/claims.h"

typedef struct S_rd {
    const char *b;
    size_t n, i;
    const char *name;
    lb_err *e;
    claims *out;
    size_t cap;
} S_rd;

static int S_fail(S_rd *r, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int S_fail(S_rd *r, size_t off, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    int line, col;
    err_linecol(r->b, r->n, off, &line, &col);
    return err_at(r->e, LB_EXIT_INPUT, r->name, line, col, "%s", what);
}

static void S_pos(const S_rd *r, size_t off, int *line, int *col)
{
    err_linecol(r->b, r->n, off, line, col);
}

static char *S_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* "found 'x'" / "found end of input" for a syntax message. */
static const char *S_found(const S_rd *r, size_t at, char *buf, size_t n)
{
    if (at >= r->n)
        return "end of input";
    unsigned char c = (unsigned char)r->b[at];
    if (c > 32 && c < 127)
        snprintf(buf, n, "'%c'", c);
    else
        snprintf(buf, n, "byte 0x%02X", c);
    return buf;
}

/* ---- numbers -------------------------------------------------------------- */

int claims_decimal(const char *s, long long *mant, int *decimals)
{
    long long m = 0;
    int neg = 0, digits = 0, dec = 0, point = 0, any = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s; s++) {
        if (*s == '.' && !point) {
            point = 1;
            if (!any)
                return -1;   /* ".5": write 0.5 */
            continue;
        }
        if (*s < '0' || *s > '9')
            return -1;
        if (++digits > CLAIMS_MAX_DIGITS)
            return -1;
        m = m * 10 + (*s - '0');
        any = 1;
        dec += point;
    }
    if (!any || (point && dec == 0))
        return -1;
    *mant = neg ? -m : m;
    *decimals = dec;
    return 0;
}

/* ---- items ------------------------------------------------------------------ */

static int S_name_ok(const char *s, char *bad)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-' || c == '/')) {
            *bad = (char)c;
            return 0;
        }
    }
    return 1;
}

/* Add one claim; takes ownership of name and text (freed on failure). */
static int S_add(S_rd *r, char *name, size_t name_off, char *text, size_t text_off)
{
    char bad = 0;
    long long m;
    int d;
    if (!name || !text) {
        free(name);
        free(text);
        return err_nomem(r->e);
    }
    int rc = 0;
    if (!name[0])
        rc = S_fail(r, name_off, "empty value name (expected a name like loss/4)");
    else if (strlen(name) > CLAIMS_MAX_NAME)
        rc = S_fail(r, name_off, "value name longer than %u characters", CLAIMS_MAX_NAME);
    else if (!S_name_ok(name, &bad))
        rc = S_fail(r, name_off,
                    "bad character '%c' in value name '%.60s' (allowed: letters, digits, "
                    "'_', '.', '-', '/')", bad >= 32 && bad < 127 ? bad : '?', name);
    else if (text[0] && claims_decimal(text, &m, &d) != 0)
        rc = S_fail(r, text_off,
                    "claim for '%s': expected a decimal number as written, like 0.4796 "
                    "(at most %d digits, no exponent), found '%.40s'", name,
                    CLAIMS_MAX_DIGITS, text);
    else if (r->out->n >= CLAIMS_MAX_ITEMS)
        rc = S_fail(r, name_off, "too many claims (at most %u)", CLAIMS_MAX_ITEMS);
    if (rc == 0 && r->out->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        claims_item *v = realloc(r->out->items, cap * sizeof *v);
        if (!v)
            rc = err_nomem(r->e);
        else {
            r->out->items = v;
            r->cap = cap;
        }
    }
    if (rc != 0) {
        free(name);
        free(text);
        return -1;
    }
    claims_item *it = &r->out->items[r->out->n++];
    it->name = name;
    it->text = text;
    S_pos(r, name_off, &it->line, &it->col);
    S_pos(r, text_off, &it->vline, &it->vcol);
    return 0;
}

static int S_cmp_name(const void *a, const void *b)
{
    const claims_item *x = *(claims_item *const *)a, *y = *(claims_item *const *)b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}

/* One claim per name: the second occurrence is the error. */
static int S_no_duplicates(S_rd *r)
{
    claims *c = r->out;
    if (c->n < 2)
        return 0;
    claims_item **v = malloc(c->n * sizeof *v);
    if (!v)
        return err_nomem(r->e);
    for (size_t i = 0; i < c->n; i++)
        v[i] = &c->items[i];
    qsort(v, c->n, sizeof *v, S_cmp_name);
    int rc = 0;
    for (size_t i = 1; i < c->n && rc == 0; i++)
        if (strcmp(v[i]->name, v[i - 1]->name) == 0)
            rc = err_at(r->e, LB_EXIT_INPUT, r->name, v[i]->line, v[i]->col,
                        "duplicate claim for '%s' (first claimed at line %d; one claim per value)",
                        v[i]->name, v[i - 1]->line);
    free(v);
    return rc;
}

/* ---- JSON ----------------------------------------------------------------- */

static void S_ws(S_rd *r)
{
    while (r->i < r->n && (r->b[r->i] == ' ' || r->b[r->i] == '\t' || r->b[r->i] == '\n' ||
                           r->b[r->i] == '\r'))
        r->i++;
}

static int S_expect(S_rd *r, char c, const char *what)
{
    S_ws(r);
    if (r->i < r->n && r->b[r->i] == c) {
        r->i++;
        return 0;
    }
    char f[32];
    return S_fail(r, r->i, "invalid JSON: expected %s, found %s", what, S_found(r, r->i, f, sizeof f));
}

static int S_hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
        if (d > 15)
            return -1;
        *v = *v * 16 + d;
    }
    return 0;
}

/* r->b[r->i] == '"': the decoded string (UTF-8, malloc'd), r->i after it. */
static int S_string(S_rd *r, char **out)
{
    size_t start = r->i++;
    size_t cap = 32, k = 0;
    char *s = malloc(cap);
    if (!s)
        return err_nomem(r->e);
    for (;;) {
        if (r->i >= r->n) {
            free(s);
            return S_fail(r, start, "invalid JSON: unterminated string (expected a closing '\"')");
        }
        unsigned char c = (unsigned char)r->b[r->i];
        if (k + 5 > cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                return err_nomem(r->e);
            }
            s = t;
        }
        if (c == '"') {
            r->i++;
            break;
        }
        if (c < 32) {
            free(s);
            return S_fail(r, r->i, "invalid JSON: control character 0x%02X in a string "
                                   "(expected \\n, \\t, ... escapes)", c);
        }
        if (c != '\\') {
            s[k++] = (char)c;
            r->i++;
            continue;
        }
        char x = r->i + 1 < r->n ? r->b[r->i + 1] : '\0';
        const char *simple = strchr("\"\\/bfnrt", x);
        if (x && simple) {
            s[k++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            r->i += 2;
            continue;
        }
        unsigned u, lo;
        if (x != 'u' || r->i + 6 > r->n || S_hex4(r->b + r->i + 2, &u) != 0) {
            free(s);
            return S_fail(r, r->i, "invalid JSON: bad escape in a string (expected \\\", \\\\, "
                                   "\\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)");
        }
        r->i += 6;
        if (u >= 0xD800 && u < 0xDC00 && r->i + 6 <= r->n && r->b[r->i] == '\\' &&
            r->b[r->i + 1] == 'u' && S_hex4(r->b + r->i + 2, &lo) == 0 && lo >= 0xDC00 &&
            lo < 0xE000) {
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            r->i += 6;
        }
        if (u == 0 || (u >= 0xD800 && u < 0xE000)) {
            free(s);
            return S_fail(r, r->i - 6, "invalid JSON: \\u%04X is not a character here", u);
        }
        if (u < 0x80) {
            s[k++] = (char)u;
        } else if (u < 0x800) {
            s[k++] = (char)(0xC0 | (u >> 6));
            s[k++] = (char)(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
            s[k++] = (char)(0xE0 | (u >> 12));
            s[k++] = (char)(0x80 | ((u >> 6) & 0x3F));
            s[k++] = (char)(0x80 | (u & 0x3F));
        } else {
            s[k++] = (char)(0xF0 | (u >> 18));
            s[k++] = (char)(0x80 | ((u >> 12) & 0x3F));
            s[k++] = (char)(0x80 | ((u >> 6) & 0x3F));
            s[k++] = (char)(0x80 | (u & 0x3F));
        }
    }
    s[k] = '\0';
    *out = s;
    return 0;
}

/* A JSON number's own text (the written decimals), r->i after it. */
static int S_number(S_rd *r, char **out)
{
    size_t s = r->i;
    while (r->i < r->n && strchr("+-0123456789.eE", r->b[r->i]))
        r->i++;
    if (!(*out = S_dup(r->b + s, r->i - s)))
        return err_nomem(r->e);
    return 0;
}

/* A claim's value: a string or a bare number. */
static int S_claim_value(S_rd *r, const char *key, char **out)
{
    char f[32];
    S_ws(r);
    char c = r->i < r->n ? r->b[r->i] : '\0';
    if (c == '"')
        return S_string(r, out);
    if (c == '-' || (c >= '0' && c <= '9'))
        return S_number(r, out);
    return S_fail(r, r->i, "claim for '%s': expected the value as a string, like \"0.4796\", found %s",
                  key, S_found(r, r->i, f, sizeof f));
}

/* The members of an object; r->i at '{'.  For each member the callback
 * reads the value (r->i just after ':'). */
typedef int (*S_member_fn)(S_rd *r, char *key, size_t key_off);

static int S_object(S_rd *r, S_member_fn fn)
{
    char f[32];
    r->i++;
    S_ws(r);
    if (r->i < r->n && r->b[r->i] == '}') {
        r->i++;
        return 0;
    }
    for (;;) {
        S_ws(r);
        if (r->i >= r->n || r->b[r->i] != '"')
            return S_fail(r, r->i, "invalid JSON: expected a quoted member name, found %s",
                          S_found(r, r->i, f, sizeof f));
        size_t key_off = r->i;
        char *key;
        if (S_string(r, &key) != 0)
            return -1;
        if (S_expect(r, ':', "':' after the member name") != 0) {
            free(key);
            return -1;
        }
        if (fn(r, key, key_off) != 0)   /* fn owns key */
            return -1;
        S_ws(r);
        if (r->i < r->n && r->b[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->n && r->b[r->i] == '}') {
            r->i++;
            return 0;
        }
        return S_fail(r, r->i, "invalid JSON: expected ',' or '}', found %s",
                      S_found(r, r->i, f, sizeof f));
    }
}

static int S_claims_member(S_rd *r, char *key, size_t key_off)
{
    S_ws(r);
    size_t voff = r->i;
    char *text = NULL;
    if (S_claim_value(r, key, &text) != 0) {
        free(key);
        return -1;
    }
    /* trim spaces a hand-typed string may carry: " 0.4796 " */
    size_t a = 0, b = strlen(text);
    while (text[a] == ' ')
        a++;
    while (b > a && text[b - 1] == ' ')
        b--;
    memmove(text, text + a, b - a);
    text[b - a] = '\0';
    return S_add(r, key, key_off, text, voff + (r->b[voff] == '"' ? 1 + a : 0));
}

enum { S_SEEN_EXAMPLE = 1, S_SEEN_CLAIMS = 2, S_SEEN_DESC = 4 };

typedef struct S_top {
    S_rd r;
    unsigned seen;
} S_top;

static int S_top_member(S_rd *r, char *key, size_t key_off)
{
    S_top *t = (S_top *)r;   /* r is the first member */
    char f[32];
    unsigned bit = !strcmp(key, "example") ? S_SEEN_EXAMPLE
                 : !strcmp(key, "claims") ? S_SEEN_CLAIMS
                 : !strcmp(key, "description") ? S_SEEN_DESC : 0;
    int rc = 0;
    if (!bit)
        rc = S_fail(r, key_off, "unknown key '%.60s' (expected \"example\", \"claims\" or \"description\")",
                    key);
    else if (t->seen & bit)
        rc = S_fail(r, key_off, "duplicate key '%s'", key);
    free(key);
    if (rc)
        return -1;
    t->seen |= bit;
    S_ws(r);
    size_t voff = r->i;
    char c = r->i < r->n ? r->b[r->i] : '\0';
    if (bit == S_SEEN_CLAIMS) {
        if (c != '{')
            return S_fail(r, voff, "\"claims\" must be an object of value names and values, "
                                   "like {\"loss/4\": \"0.4796\"}, found %s",
                          S_found(r, voff, f, sizeof f));
        r->out->claims_at = voff;
        return S_object(r, S_claims_member);
    }
    if (c != '"')
        return S_fail(r, voff, "\"%s\" must be a string, found %s",
                      bit == S_SEEN_EXAMPLE ? "example" : "description", S_found(r, voff, f, sizeof f));
    char *s;
    if (S_string(r, &s) != 0)
        return -1;
    if (bit == S_SEEN_DESC) {
        free(s);
        return 0;
    }
    if (!s[0]) {
        free(s);
        return S_fail(r, voff, "\"example\" is empty (expected the example's file name)");
    }
    r->out->example = s;
    S_pos(r, voff, &r->out->ex_line, &r->out->ex_col);
    return 0;
}

static int S_json(S_rd *r)
{
    char f[32];
    S_top t = {.r = *r, .seen = 0};
    S_ws(&t.r);
    if (t.r.i >= t.r.n || t.r.b[t.r.i] != '{')
        return S_fail(&t.r, t.r.i, "expected a JSON object {\"example\": ..., \"claims\": {...}}, found %s",
                      S_found(&t.r, t.r.i, f, sizeof f));
    int rc = S_object(&t.r, S_top_member);
    r->cap = t.r.cap;
    if (rc != 0)
        return -1;
    S_ws(&t.r);
    if (t.r.i < t.r.n)
        return S_fail(&t.r, t.r.i, "invalid JSON: expected end of input after the object, found %s",
                      S_found(&t.r, t.r.i, f, sizeof f));
    if (!(t.seen & S_SEEN_CLAIMS))
        return S_fail(&t.r, 0, "missing key \"claims\" (expected \"claims\": {\"loss/4\": \"0.4796\", ...})");
    return 0;
}

/* ---- CSV ------------------------------------------------------------------ */

/* One field starting at i (spaces around it trimmed; "..." with "" for a
 * quote).  Sets *out (malloc'd), *at (offset of its text) and returns the
 * index after it (at ',' or the line's end), or SIZE_MAX on error. */
static size_t S_field(S_rd *r, size_t i, size_t end, char **out, size_t *at)
{
    while (i < end && (r->b[i] == ' ' || r->b[i] == '\t'))
        i++;
    *at = i;
    if (i < end && r->b[i] == '"') {
        size_t q = i++, k = 0;
        char *s = malloc(end - q + 1);
        if (!s) {
            err_nomem(r->e);
            return SIZE_MAX;
        }
        for (;;) {
            if (i >= end) {
                free(s);
                S_fail(r, q, "unterminated quoted field (expected a closing '\"')");
                return SIZE_MAX;
            }
            if (r->b[i] == '"') {
                if (i + 1 < end && r->b[i + 1] == '"') {
                    s[k++] = '"';
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            s[k++] = r->b[i++];
        }
        s[k] = '\0';
        *at = q + 1;
        while (i < end && (r->b[i] == ' ' || r->b[i] == '\t'))
            i++;
        if (i < end && r->b[i] != ',') {
            free(s);
            S_fail(r, i, "expected ',' or the end of the line after a quoted field");
            return SIZE_MAX;
        }
        *out = s;
        return i;
    }
    size_t j = i;
    while (j < end && r->b[j] != ',')
        j++;
    size_t t = j;
    while (t > i && (r->b[t - 1] == ' ' || r->b[t - 1] == '\t'))
        t--;
    if (!(*out = S_dup(r->b + i, t - i))) {
        err_nomem(r->e);
        return SIZE_MAX;
    }
    return j;
}

static int S_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if ((*a | 32) != (*b | 32))
            return 0;
    return *a == *b;
}

static int S_csv(S_rd *r)
{
    int first_row = 1;
    for (size_t ls = r->i; ls < r->n;) {
        size_t le = ls;
        while (le < r->n && r->b[le] != '\n')
            le++;
        size_t next = le + 1, end = le;
        if (end > ls && r->b[end - 1] == '\r')
            end--;
        size_t i = ls;
        while (i < end && (r->b[i] == ' ' || r->b[i] == '\t'))
            i++;
        if (i == end) {
            ls = next;
            continue;
        }
        if (r->b[i] == '#') {
            /* "# example: FILE" names the example; other # lines are comments */
            size_t k = i + 1;
            while (k < end && r->b[k] == ' ')
                k++;
            if (end - k >= 8 && strncmp(r->b + k, "example:", 8) == 0) {
                k += 8;
                while (k < end && r->b[k] == ' ')
                    k++;
                size_t t = end;
                while (t > k && (r->b[t - 1] == ' ' || r->b[t - 1] == '\t'))
                    t--;
                if (t == k)
                    return S_fail(r, k, "'# example:' names no file (expected # example: FILE)");
                if (r->out->example)
                    return S_fail(r, i, "a second '# example:' line (one example per claims file)");
                if (!(r->out->example = S_dup(r->b + k, t - k)))
                    return err_nomem(r->e);
                S_pos(r, k, &r->out->ex_line, &r->out->ex_col);
            }
            ls = next;
            continue;
        }
        char *name = NULL, *text = NULL;
        size_t name_at, text_at;
        size_t j = S_field(r, i, end, &name, &name_at);
        if (j == SIZE_MAX)
            return -1;
        if (j >= end) {
            free(name);
            return S_fail(r, i, "expected a row name,value (like loss/4,0.4796)");
        }
        size_t k = S_field(r, j + 1, end, &text, &text_at);
        if (k == SIZE_MAX) {
            free(name);
            return -1;
        }
        if (k < end) {
            free(name);
            free(text);
            return S_fail(r, k, "expected two fields name,value; found a third after this ','");
        }
        if (first_row && S_ieq(name, "name") && S_ieq(text, "value")) {
            free(name);
            free(text);
        } else if (S_add(r, name, name_at, text, text_at) != 0) {
            return -1;
        }
        first_row = 0;
        ls = next;
    }
    return 0;
}

/* ---- loading ---------------------------------------------------------------- */

/* The offset of the first byte that is not well-formed UTF-8 (overlong
 * forms, surrogates and code points above U+10FFFF included), or len. */
static size_t S_utf8_bad(const char *buf, size_t len)
{
    const unsigned char *b = (const unsigned char *)buf;
    for (size_t i = 0; i < len;) {
        unsigned c = b[i];
        size_t m = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (m == 0 || i + m > len)
            return i;
        for (size_t k = 1; k < m; k++)
            if ((b[i + k] & 0xC0) != 0x80)
                return i;
        if ((c == 0xE0 && b[i + 1] < 0xA0) || (c == 0xED && b[i + 1] >= 0xA0) ||
            (c == 0xF0 && b[i + 1] < 0x90) || (c == 0xF4 && b[i + 1] >= 0x90))
            return i;
        i += m;
    }
    return len;
}

void claims_free(claims *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].name);
        free(c->items[i].text);
    }
    free(c->items);
    free(c->example);
    free(c->path);
    free(c);
}

/* A relative example path is relative to the claims file's folder. */
static int S_resolve_example(claims *c, lb_err *e)
{
    const char *slash = strrchr(c->path, '/');
    if (!c->example || c->example[0] == '/' || !slash)
        return 0;
    size_t dl = (size_t)(slash - c->path) + 1, el = strlen(c->example);
    char *p = malloc(dl + el + 1);
    if (!p)
        return err_nomem(e);
    memcpy(p, c->path, dl);
    memcpy(p + dl, c->example, el + 1);
    free(c->example);
    c->example = p;
    return 0;
}

claims *claims_load_buf(const char *buf, size_t len, const char *name, lb_err *e)
{
    claims *c = calloc(1, sizeof *c);
    if (!c || !(c->path = S_dup(name, strlen(name)))) {
        free(c);
        err_nomem(e);
        return NULL;
    }
    S_rd r = {.b = buf, .n = len, .i = 0, .name = name, .e = e, .out = c, .cap = 0};
    const char *nul = memchr(buf, '\0', len);
    size_t i = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)   /* a spreadsheet's BOM */
        r.i = i = 3;
    while (i < len && strchr(" \t\r\n", buf[i]))
        i++;
    int rc;
    size_t bad = S_utf8_bad(buf, len);
    if (nul)
        rc = S_fail(&r, (size_t)(nul - buf), "NUL byte (expected UTF-8 text)");
    else if (bad < len)   /* never echo the raw bytes of a name */
        rc = S_fail(&r, bad, "invalid UTF-8 byte 0x%02X (expected UTF-8 text)",
                    (unsigned char)buf[bad]);
    else if (i < len && buf[i] == '{')
        rc = S_json(&r);
    else {
        c->csv = 1;
        rc = S_csv(&r);
    }
    if (rc == 0 && c->n == 0)   /* nothing to check is a mistake, not a pass */
        rc = c->csv ? S_fail(&r, r.i, "no claims (expected rows name,value, like loss/4,0.4796)")
                    : S_fail(&r, c->claims_at, "\"claims\" is empty (expected value names and "
                                               "values, like {\"loss/4\": \"0.4796\"})");
    if (rc == 0)
        rc = S_no_duplicates(&r);
    if (rc == 0)
        rc = S_resolve_example(c, e);
    if (rc != 0) {
        claims_free(c);
        return NULL;
    }
    return c;
}

claims *claims_load(const char *path, lb_err *e)
{
    size_t len;
    char *buf = fio_read(path, CLAIMS_MAX_FILE_BYTES, "claims file", LB_EXIT_INPUT, &len, e);
    if (!buf)
        return NULL;
    claims *c = claims_load_buf(buf, len, path, e);
    free(buf);
    return c;
}
