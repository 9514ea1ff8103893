/* jsonpos — see jsonpos.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/jsonpos.h"

/* Whitespace as cJSON 1.7 skips it: every byte <= 32 (so our offsets agree
 * with the parser's error position even for control characters). */
static size_t S_ws(const char *b, size_t n, size_t i)
{
    while (i < n && (unsigned char)b[i] <= 32)
        i++;
    return i;
}

/* b[i] == '"': index just after the closing quote. */
static size_t S_skip_string(const char *b, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (b[i] == '\\')
            i++;
        else if (b[i] == '"')
            return i + 1;
    }
    return n;
}

/* b[i] == '"': 1 and *end just after the closing quote, or 0 when the
 * string never closes. */
static int S_string_closed(const char *b, size_t n, size_t i, size_t *end)
{
    for (i++; i < n; i++) {
        if (b[i] == '\\')
            i++;
        else if (b[i] == '"') {
            *end = i + 1;
            return 1;
        }
    }
    *end = n;
    return 0;
}

/* Index just after the value starting at i; iterative bracket matching. */
static size_t S_skip_value(const char *b, size_t n, size_t i)
{
    if (i >= n)
        return n;
    if (b[i] == '"')
        return S_skip_string(b, n, i);
    if (b[i] == '[' || b[i] == '{') {
        size_t depth = 0;
        while (i < n) {
            char c = b[i];
            if (c == '"') {
                i = S_skip_string(b, n, i);
                continue;
            }
            if (c == '[' || c == '{')
                depth++;
            else if (c == ']' || c == '}') {
                if (--depth == 0)
                    return i + 1;
            }
            i++;
        }
        return n;
    }
    size_t start = i;
    /* strchr would match the terminator for a NUL byte: test it first */
    while (i < n && b[i] != '\0' && !strchr(",]} \t\r\n", b[i]))
        i++;
    return i == start ? i + 1 : i;   /* always advance (garbage bytes) */
}

size_t jpos_find(const char *buf, size_t len, const jpos_step *path,
                 size_t depth)
{
    size_t i = S_ws(buf, len, 0);
    if (i >= len)
        return len ? len - 1 : 0;
    for (size_t d = 0; d < depth; d++) {
        const jpos_step *st = &path[d];
        size_t found = (size_t)-1;
        if (st->key && buf[i] == '{') {
            size_t klen = strlen(st->key);
            size_t j = S_ws(buf, len, i + 1);
            while (j < len && buf[j] == '"') {
                size_t kend = S_skip_string(buf, len, j);
                int match = kend >= j + 2 && kend - j - 2 == klen &&
                            memcmp(buf + j + 1, st->key, klen) == 0;
                j = S_ws(buf, len, kend);
                if (j < len && buf[j] == ':')
                    j = S_ws(buf, len, j + 1);
                if (match) {
                    found = j;
                    break;
                }
                j = S_ws(buf, len, S_skip_value(buf, len, j));
                if (j < len && buf[j] == ',')
                    j = S_ws(buf, len, j + 1);
                else
                    break;
            }
        } else if (!st->key && buf[i] == '[') {
            size_t j = S_ws(buf, len, i + 1);
            size_t k = 0;
            while (j < len && buf[j] != ']') {
                if (k == st->index) {
                    found = j;
                    break;
                }
                j = S_ws(buf, len, S_skip_value(buf, len, j));
                if (j < len && buf[j] == ',')
                    j = S_ws(buf, len, j + 1);
                else
                    break;
                k++;
            }
        }
        if (found == (size_t)-1 || found >= len)
            return i;
        i = found;
    }
    return i;
}

size_t jpos_count_commas(const char *buf, size_t len, size_t limit,
                         size_t *where)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '"') {
            i = S_skip_string(buf, len, i) - 1;
        } else if (buf[i] == ',') {
            if (++count > limit) {
                if (where)
                    *where = i;
                return count;
            }
        }
    }
    if (where)
        *where = len;
    return count;
}

enum { X_VALUE, X_VALUE_OR_CLOSE, X_KEY, X_KEY_OR_CLOSE, X_COLON, X_AFTER };

const char *jpos_expect(const char *buf, size_t len, size_t off, size_t *where)
{
    /* Container stack as a bit string: 1 = object.  Deeper than 4096 levels
     * only matters for the wording, so the depth is clamped. */
    unsigned char stack[512];
    size_t depth = 0;
    int state = X_VALUE;
    size_t i = 0;
    *where = off;
    if (off > len)
        off = len;
    for (;;) {
        i = S_ws(buf, len, i);
        if (i >= off)
            break;
        char c = buf[i];
        if (c == '"') {
            size_t end;
            if (!S_string_closed(buf, len, i, &end)) {
                *where = i;
                return "unterminated string (expected a closing '\"')";
            }
            if (end > off) {
                /* the parser stopped inside this string (bad escape, ...) */
                *where = i;
                return "invalid string (expected a closing '\"' and valid escapes)";
            }
            state = (state == X_KEY || state == X_KEY_OR_CLOSE) ? X_COLON : X_AFTER;
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            size_t d = depth < 4096 ? depth : 4095;
            if (c == '{')
                stack[d / 8] |= (unsigned char)(1u << (d % 8));
            else
                stack[d / 8] &= (unsigned char)~(1u << (d % 8));
            depth++;
            state = c == '{' ? X_KEY_OR_CLOSE : X_VALUE_OR_CLOSE;
            i++;
            continue;
        }
        if (c == '}' || c == ']') {
            if (depth)
                depth--;
            state = X_AFTER;
            i++;
            continue;
        }
        if (c == ':') {
            state = X_VALUE;
            i++;
            continue;
        }
        if (c == ',') {
            size_t d = depth ? (depth - 1 < 4096 ? depth - 1 : 4095) : 0;
            int in_obj = depth && (stack[d / 8] >> (d % 8)) & 1u;
            state = in_obj ? X_KEY : X_VALUE;
            i++;
            continue;
        }
        i = S_skip_value(buf, len, i);
        state = X_AFTER;    /* a literal; if the parser stopped inside it, */
        if (i > off)        /* its valid prefix was a value */
            break;
    }
    switch (state) {
    case X_VALUE:
        return "expected a JSON value (number, string, array, object, true, false or null)";
    case X_VALUE_OR_CLOSE:
        return "expected a JSON value or ']'";
    case X_KEY:
        return "expected a quoted member name";
    case X_KEY_OR_CLOSE:
        return "expected a quoted member name or '}'";
    case X_COLON:
        return "expected ':' after the member name";
    default:
        break;
    }
    if (depth == 0)
        return "expected end of input";
    size_t d = depth - 1 < 4096 ? depth - 1 : 4095;
    return (stack[d / 8] >> (d % 8)) & 1u ? "expected ',' or '}'" : "expected ',' or ']'";
}

/* ---- strictness (issue 16) -------------------------------------------------
 * See jpos_strict in jsonpos.h.  One forward scan with an explicit stack of
 * containers; object member names are decoded and kept per open object
 * until it closes, when duplicates are looked for (sorted, so a huge object
 * costs n log n). */

typedef struct S_key {
    size_t off;  /* the name's opening quote */
    char *dec;   /* decoded bytes (malloc'd) */
    size_t dlen;
} S_key;

typedef struct S_strict {
    const char *b;
    size_t n;
    S_key *keys;
    size_t nkeys, capkeys;
    int found, oom;
    size_t best;
    char *msg;
    size_t cap;
} S_strict;

static void S_fail(S_strict *st, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void S_fail(S_strict *st, size_t off, const char *fmt, ...)
{
    if (st->found && off >= st->best)
        return;
    st->found = 1;
    st->best = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->msg, st->cap, fmt, ap);
    va_end(ap);
}

static int S_hex4(const char *b, size_t n, size_t i, unsigned *v)
{
    unsigned x = 0;
    if (i + 4 > n)
        return 0;
    for (size_t k = 0; k < 4; k++) {
        char c = b[i + k];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            x |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            x |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *v = x;
    return 1;
}

/* Length of a valid UTF-8 sequence at s (end e), or 0. */
static size_t S_utf8(const unsigned char *s, const unsigned char *e)
{
    unsigned c = s[0], cp, min;
    size_t need;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if ((size_t)(e - s) <= need)
        return 0;
    for (size_t k = 1; k <= need; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need + 1;
}

static size_t S_put_utf8(char *d, unsigned cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* b[i] == '"': check the string; decode it into `dec` (room for its raw
 * length) when not NULL.  Returns the index after the closing quote, or
 * st->n when it fails or does not close (then cJSON has reported). */
static size_t S_string(S_strict *st, size_t i, char *dec, size_t *dlen)
{
    const char *b = st->b;
    size_t n = st->n, k = 0;
    for (i++; i < n;) {
        unsigned char c = (unsigned char)b[i];
        if (c == '"') {
            if (dlen)
                *dlen = k;
            return i + 1;
        }
        if (c == '\\') {
            unsigned cp = 0;
            char x = i + 1 < n ? b[i + 1] : '\0';
            const char *simple = strchr("\"\\/bfnrt", x);
            if (x && simple) {
                static const char out[] = "\"\\/\b\f\n\r\t";
                if (dec)
                    dec[k++] = out[simple - "\"\\/bfnrt"];
                i += 2;
                continue;
            }
            if (x != 'u') {
                S_fail(st, i, "invalid escape in a string (expected \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
                return n;
            }
            if (!S_hex4(b, n, i + 2, &cp)) {
                S_fail(st, i, "invalid \\u escape in a string (expected four hex digits)");
                return n;
            }
            if (cp == 0) {
                S_fail(st, i, "\\u0000 in a string (a NUL character would cut the text short)");
                return n;
            }
            size_t used = 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (i + 7 < n && b[i + 6] == '\\' && b[i + 7] == 'u' &&
                    S_hex4(b, n, i + 8, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    used = 12;
                } else {
                    S_fail(st, i, "unpaired surrogate \\u%04X in a string (expected a "
                           "\\uDC00..\\uDFFF escape after it)", cp);
                    return n;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                S_fail(st, i, "unpaired surrogate \\u%04X in a string", cp);
                return n;
            }
            if (dec)
                k += S_put_utf8(dec + k, cp);
            i += used;
            continue;
        }
        if (c == 0) {
            S_fail(st, i, "NUL byte (expected UTF-8 text)");
            return n;
        }
        if (c < 0x20) {
            S_fail(st, i, "control character 0x%02X inside a string (write it as \\u%04X)", c, c);
            return n;
        }
        size_t m = c < 0x80 ? 1 : S_utf8((const unsigned char *)b + i, (const unsigned char *)b + n);
        if (m == 0) {
            S_fail(st, i, "invalid UTF-8 byte 0x%02X in a string", c);
            return n;
        }
        if (dec)
            memcpy(dec + k, b + i, m);
        k += m;
        i += m;
    }
    return n;
}

static int S_isdigit(char c)
{
    return c >= '0' && c <= '9';
}

/* b[i] is '-' or a digit: RFC 8259's number grammar. */
static size_t S_number(S_strict *st, size_t i)
{
    const char *b = st->b;
    size_t n = st->n, s = i;
    size_t e = i;
    while (e < n && (S_isdigit(b[e]) || strchr("+-.eE", b[e]) != NULL) && b[e])
        e++;
    int tl = (int)(e - s > 40 ? 40 : e - s);
    if (b[i] == '-' && (++i >= n || !S_isdigit(b[i]))) {
        S_fail(st, s, "'-' must be followed by a digit in a number");
        return n;
    }
    if (b[i] == '0' && i + 1 < n && S_isdigit(b[i + 1])) {
        S_fail(st, s, "leading zero in the number '%.*s' (JSON writes 2, not 02)", tl, b + s);
        return n;
    }
    while (i < n && S_isdigit(b[i]))
        i++;
    if (i < n && b[i] == '.') {
        if (++i >= n || !S_isdigit(b[i])) {
            S_fail(st, s, "the number '%.*s' ends with '.' (write 2.0 or 2, not 2.)", tl, b + s);
            return n;
        }
        while (i < n && S_isdigit(b[i]))
            i++;
    }
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
        if (++i < n && (b[i] == '+' || b[i] == '-'))
            i++;
        if (i >= n || !S_isdigit(b[i])) {
            S_fail(st, s, "incomplete exponent in the number '%.*s' (expected digits after "
                   "'e')", tl, b + s);
            return n;
        }
        while (i < n && S_isdigit(b[i]))
            i++;
    }
    return i;
}

static int S_key_cmp(const void *pa, const void *pb)
{
    const S_key *a = pa, *b = pb;
    size_t m = a->dlen < b->dlen ? a->dlen : b->dlen;
    int c = memcmp(a->dec, b->dec, m);
    if (c)
        return c;
    if (a->dlen != b->dlen)
        return a->dlen < b->dlen ? -1 : 1;
    return a->off < b->off ? -1 : a->off > b->off;
}

/* Duplicates among keys[lo, nkeys): the earliest second occurrence. */
static void S_dups(S_strict *st, size_t lo)
{
    size_t cnt = st->nkeys - lo;
    if (cnt < 2)
        return;
    S_key *k = st->keys + lo;
    qsort(k, cnt, sizeof *k, S_key_cmp);
    for (size_t i = 1; i < cnt; i++) {
        if (k[i].dlen != k[i - 1].dlen || memcmp(k[i].dec, k[i - 1].dec, k[i].dlen) != 0)
            continue;
        if (i >= 2 && k[i - 2].dlen == k[i].dlen && memcmp(k[i].dec, k[i - 2].dec, k[i].dlen) == 0)
            continue; /* a third occurrence: the second one is earlier */
        char name[64];
        size_t w = 0;
        for (size_t j = 0; j < k[i].dlen && w + 4 < sizeof name; j++) {
            unsigned char ch = (unsigned char)k[i].dec[j];
            name[w++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
        }
        if (k[i].dlen > w) {
            memcpy(name + w, "...", 3);
            w += 3;
        }
        name[w] = '\0';
        int line, col;
        err_linecol(st->b, st->n, k[i - 1].off, &line, &col);
        S_fail(st, k[i].off, "duplicate key \"%s\" (already at line %d, column %d; each key "
               "may appear only once)", name, line, col);
    }
}

static void S_keys_drop(S_strict *st, size_t lo)
{
    for (size_t i = lo; i < st->nkeys; i++)
        free(st->keys[i].dec);
    st->nkeys = lo;
}

/* b[i] == '"' starts a member name: check it, keep it decoded for S_dups.
 * Returns the index after it (as S_string). */
static size_t S_key_add(S_strict *st, size_t i)
{
    size_t end = i + 1; /* raw length bounds the decoded length */
    while (end < st->n && st->b[end] != '"')
        end += st->b[end] == '\\' ? 2 : 1;
    char *dec = malloc(end - i + 1);
    if (st->nkeys == st->capkeys) {
        size_t nc = st->capkeys ? st->capkeys * 2 : 32;
        S_key *nk = realloc(st->keys, nc * sizeof *nk);
        if (!nk) {
            free(dec);
            dec = NULL;
        } else {
            st->keys = nk;
            st->capkeys = nc;
        }
    }
    if (!dec) {
        st->oom = 1;
        return st->n;
    }
    S_key *k = &st->keys[st->nkeys];
    k->off = i;
    k->dec = dec;
    k->dlen = 0;
    size_t after = S_string(st, i, dec, &k->dlen);
    if (after >= st->n) {
        free(dec);
        return after;
    }
    st->nkeys++;
    return after;
}

int jpos_strict(const char *buf, size_t stop, size_t max_depth, size_t *where, char *msg,
                size_t msgcap)
{
    S_strict st = {buf, stop, NULL, 0, 0, 0, 0, 0, msg, msgcap};
    char *kind = malloc(max_depth + 1);
    size_t *kstart = malloc((max_depth + 1) * sizeof *kstart);
    size_t depth = 0, i = 0;
    int expect_key = 0;
    if (!kind || !kstart)
        st.oom = 1;
    while (!st.oom && !st.found && i < stop) {
        unsigned char c = (unsigned char)buf[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            i++;
        } else if (c == 0) {
            S_fail(&st, i, "NUL byte (expected UTF-8 text)");
        } else if (c < 0x20) {
            S_fail(&st, i, "control byte 0x%02X between tokens (only space, tab, newline "
                   "and carriage return may separate JSON tokens)", c);
        } else if (c == '"') {
            i = expect_key ? S_key_add(&st, i) : S_string(&st, i, NULL, NULL);
            expect_key = 0;
        } else if (c == '{' || c == '[') {
            if (depth >= max_depth) {
                S_fail(&st, i, "nested deeper than %zu levels (arrays and objects inside each "
                       "other)", max_depth);
                break;
            }
            kind[depth] = (char)c;
            kstart[depth] = st.nkeys;
            depth++;
            expect_key = c == '{';
            i++;
        } else if (c == '}' || c == ']') {
            if (depth && kind[--depth] == '{') {
                S_dups(&st, kstart[depth]);
                S_keys_drop(&st, kstart[depth]);
            }
            expect_key = 0;
            i++;
        } else if (c == ',') {
            expect_key = depth && kind[depth - 1] == '{';
            i++;
        } else if (c == ':') {
            expect_key = 0;
            i++;
        } else if (c == '-' || S_isdigit((char)c)) {
            i = S_number(&st, i);
        } else if (c == '.' || c == '+') {
            S_fail(&st, i, "a number must start with a digit or '-' (write 0.5, not .5 or +0.5)");
        } else {
            i++; /* literals; anything else is cJSON's to report */
        }
    }
    /* Objects still open: their duplicates so far may come earlier. */
    while (!st.oom && depth > 0)
        if (kind[--depth] == '{') {
            S_dups(&st, kstart[depth]);
            S_keys_drop(&st, kstart[depth]);
        }
    S_keys_drop(&st, 0);
    free(st.keys);
    free(kind);
    free(kstart);
    if (st.oom) {
        snprintf(msg, msgcap, "out of memory");
        return -2;
    }
    if (!st.found)
        return 0;
    *where = st.best;
    return -1;
}
