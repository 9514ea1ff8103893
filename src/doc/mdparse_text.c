/* mdparse_text — the byte-level helpers of the template parser that do not
 * need md4c: UTF-8 validation, line:column lookup, HTML entity decoding and
 * the front-matter block.  Internal to mdparse (mdparse_int.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/mdparse.h"
#include "doc/lang.h"
#include "doc/mdparse_int.h"

/* ---- UTF-8 --------------------------------------------------------------- */

/* Strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF) and no NUL byte.
 * Returns the offset of the first bad byte, or len when all is well. */
size_t mdp_utf8_check(const char *buf, size_t len, int *is_nul)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    *is_nul = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c == 0) {
            *is_nul = 1;
            return i;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned min, cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1; min = 0x80; cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2; min = 0x800; cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3; min = 0x10000; cp = c & 0x07;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

size_t mdp_utf8_put(char *out, unsigned long cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- positions ----------------------------------------------------------- */

void mdp_cursor_init(mdp_cursor *c, const char *buf, size_t len)
{
    c->buf = buf;
    c->len = len;
    c->off = 0;
    c->line = 1;
    c->col = 1;
    c->line_start = 0;
    c->skip_end = (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
}

/* Same counting as err_linecol, but incremental: md4c's text pointers move
 * forward almost always, so walking on from the last answer keeps the total
 * cost linear even for a 10 MB single-line template.  Going backwards
 * restarts from the start of the cursor's line (or the buffer). */
void mdp_cursor_pos(mdp_cursor *c, size_t off, int *line, int *col)
{
    if (off > c->len)
        off = c->len;
    if (off < c->off) {
        if (off >= c->line_start) {
            /* a short step back on the same line (a span's opening
             * delimiter): count back instead of rescanning the line */
            for (size_t i = off; i < c->off; i++)
                if (((unsigned char)c->buf[i] & 0xC0) != 0x80 &&
                    i >= c->skip_end)
                    c->col--;
            c->off = off;
        } else {
            mdp_cursor_init(c, c->buf, c->len);
        }
    }
    const char *b = c->buf;
    for (size_t i = c->off; i < off; i++) {
        if (b[i] == '\n') {
            c->line++;
            c->col = 1;
            c->line_start = i + 1;
        } else if (((unsigned char)b[i] & 0xC0) != 0x80 &&
                   i >= c->skip_end) {
            c->col++;
        }
    }
    c->off = off;
    *line = c->line;
    *col = c->col;
}

/* ---- entities ------------------------------------------------------------ */

typedef struct S_entity {
    const char *name;
    unsigned cp;
} S_entity;

/* The named entities a handout is likely to use: HTML's basic set, quotes
 * and dashes, Greek letters and common math symbols.  Anything else stays
 * as written. */
static const S_entity S_entities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
    {"nbsp", 0xA0}, {"copy", 0xA9}, {"reg", 0xAE}, {"trade", 0x2122},
    {"sect", 0xA7}, {"para", 0xB6}, {"deg", 0xB0}, {"plusmn", 0xB1},
    {"times", 0xD7}, {"divide", 0xF7}, {"minus", 0x2212}, {"middot", 0xB7},
    {"bull", 0x2022}, {"hellip", 0x2026}, {"ndash", 0x2013},
    {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"laquo", 0xAB}, {"raquo", 0xBB},
    {"euro", 0x20AC}, {"pound", 0xA3}, {"yen", 0xA5}, {"cent", 0xA2},
    {"larr", 0x2190}, {"rarr", 0x2192}, {"harr", 0x2194}, {"rArr", 0x21D2},
    {"le", 0x2264}, {"ge", 0x2265}, {"ne", 0x2260}, {"asymp", 0x2248},
    {"infin", 0x221E}, {"sum", 0x2211}, {"prod", 0x220F}, {"radic", 0x221A},
    {"part", 0x2202}, {"nabla", 0x2207}, {"isin", 0x2208}, {"prime", 0x2032},
    {"shy", 0xAD}, {"ensp", 0x2002}, {"emsp", 0x2003}, {"thinsp", 0x2009},
    {"Agrave", 0xC0}, {"Aacute", 0xC1}, {"Acirc", 0xC2}, {"Auml", 0xC4},
    {"Ccedil", 0xC7}, {"Egrave", 0xC8}, {"Eacute", 0xC9}, {"Ouml", 0xD6},
    {"Uuml", 0xDC}, {"szlig", 0xDF}, {"agrave", 0xE0}, {"aacute", 0xE1},
    {"acirc", 0xE2}, {"auml", 0xE4}, {"aring", 0xE5}, {"ccedil", 0xE7},
    {"egrave", 0xE8}, {"eacute", 0xE9}, {"ecirc", 0xEA}, {"euml", 0xEB},
    {"iacute", 0xED}, {"icirc", 0xEE}, {"iuml", 0xEF}, {"ntilde", 0xF1},
    {"oacute", 0xF3}, {"ocirc", 0xF4}, {"ouml", 0xF6}, {"oslash", 0xF8},
    {"uacute", 0xFA}, {"ucirc", 0xFB}, {"uuml", 0xFC},
    {"Alpha", 0x391}, {"Beta", 0x392}, {"Gamma", 0x393}, {"Delta", 0x394},
    {"Theta", 0x398}, {"Lambda", 0x39B}, {"Pi", 0x3A0}, {"Sigma", 0x3A3},
    {"Phi", 0x3A6}, {"Psi", 0x3A8}, {"Omega", 0x3A9},
    {"alpha", 0x3B1}, {"beta", 0x3B2}, {"gamma", 0x3B3}, {"delta", 0x3B4},
    {"epsilon", 0x3B5}, {"zeta", 0x3B6}, {"eta", 0x3B7}, {"theta", 0x3B8},
    {"iota", 0x3B9}, {"kappa", 0x3BA}, {"lambda", 0x3BB}, {"mu", 0x3BC},
    {"nu", 0x3BD}, {"xi", 0x3BE}, {"omicron", 0x3BF}, {"pi", 0x3C0},
    {"rho", 0x3C1}, {"sigma", 0x3C3}, {"tau", 0x3C4}, {"upsilon", 0x3C5},
    {"phi", 0x3C6}, {"chi", 0x3C7}, {"psi", 0x3C8}, {"omega", 0x3C9},
};

size_t mdp_entity_decode(const char *s, size_t n, char *out)
{
    /* md4c hands over "&...;" exactly; be defensive anyway. */
    if (n < 3 || s[0] != '&' || s[n - 1] != ';' || n > 40)
        goto raw;
    if (s[1] == '#') {
        unsigned long cp = 0;
        size_t i = 2;
        int hex = 0;
        if (i < n - 1 && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        if (i >= n - 1)
            goto raw;
        for (; i < n - 1; i++) {
            char c = s[i];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = (unsigned)(c - '0');
            else if (hex && c >= 'a' && c <= 'f')
                d = (unsigned)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F')
                d = (unsigned)(c - 'A' + 10);
            else
                goto raw;
            cp = cp * (hex ? 16 : 10) + d;
            if (cp > 0x10FFFF)
                cp = 0x110000;   /* saturate: becomes U+FFFD */
        }
        return mdp_utf8_put(out, cp);
    }
    for (size_t k = 0; k < sizeof S_entities / sizeof S_entities[0]; k++) {
        const char *nm = S_entities[k].name;
        size_t ln = strlen(nm);
        if (ln == n - 2 && memcmp(nm, s + 1, ln) == 0)
            return mdp_utf8_put(out, S_entities[k].cp);
    }
raw:
    return 0;
}

/* ---- front matter -------------------------------------------------------- */

/* Length of the line starting at i (without "\n" / "\r\n"), and the offset
 * of the next line. */
static size_t S_line(const char *b, size_t len, size_t i, size_t *next)
{
    size_t j = i;
    while (j < len && b[j] != '\n')
        j++;
    *next = j < len ? j + 1 : len;
    if (j > i && b[j - 1] == '\r')
        j--;
    return j - i;
}

static int S_is_fence(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n == 3 && memcmp(s, "---", 3) == 0;
}

static int S_is_end(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n == 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0);
}

/* Offset of the first control character in v[0..n) (C0 but tab, DEL, C1:
 * nothing a title page can print), *u its code point; n when none. */
static size_t S_control(const char *v, size_t n, unsigned *u)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)v[i];
        if ((b < 0x20 && b != '\t') || b == 0x7F) {
            *u = b;
            return i;
        }
        if (b == 0xC2 && i + 1 < n && (unsigned char)v[i + 1] >= 0x80 &&
            (unsigned char)v[i + 1] <= 0x9F) {
            *u = (unsigned char)v[i + 1];
            return i;
        }
    }
    return n;
}

/* Unquote a value into a new string: "..." with \" \\ escapes, or '...'
 * with '' for a quote (YAML rules), or bare text. */
static int S_value(const char *path, mdp_cursor *cur, size_t off,
                   const char *v, size_t n, char **out, lb_err *e)
{
    int line, col;
    char *r = malloc(n + 1);
    if (!r)
        return err_nomem(e);
    size_t w = 0;
    if (n > 0 && (v[0] == '"' || v[0] == '\'')) {
        char q = v[0];
        size_t i = 1;
        int closed = 0;
        while (i < n) {
            if (q == '"' && v[i] == '\\' && i + 1 < n &&
                (v[i + 1] == '"' || v[i + 1] == '\\')) {
                r[w++] = v[i + 1];
                i += 2;
            } else if (q == '\'' && v[i] == '\'' && i + 1 < n &&
                       v[i + 1] == '\'') {
                r[w++] = '\'';
                i += 2;
            } else if (v[i] == q) {
                closed = 1;
                i++;
                break;
            } else {
                r[w++] = v[i++];
            }
        }
        while (i < n && (v[i] == ' ' || v[i] == '\t'))
            i++;
        if (!closed || i != n) {
            free(r);
            mdp_cursor_pos(cur, off, &line, &col);
            return err_at(e, LB_EXIT_INPUT, path, line, col,
                          closed ? "unexpected text after the closing quote "
                                   "in front matter"
                                 : "unterminated quoted value in front "
                                   "matter (expected a closing %c)",
                          q);
        }
    } else {
        memcpy(r, v, n);
        w = n;
    }
    r[w] = '\0';
    *out = r;
    return 0;
}

int mdp_front_matter(const char *path, const char *buf, size_t len,
                     size_t start, mdp_cursor *cur, doc_meta *meta,
                     size_t *body, lb_err *e)
{
    size_t next;
    size_t n = S_line(buf, len, start, &next);
    *body = start;
    if (!S_is_fence(buf + start, n))
        return 0;
    size_t i = next;
    while (i < len) {
        size_t ln = S_line(buf, len, i, &next);
        const char *s = buf + i;
        int line, col;
        if (S_is_end(s, ln)) {
            *body = next;
            return 0;
        }
        size_t k = 0;
        while (k < ln && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k == ln || s[k] == '#') {   /* blank line or comment */
            i = next;
            continue;
        }
        size_t key0 = k;
        while (k < ln && s[k] != ':')
            k++;
        if (k == ln) {
            mdp_cursor_pos(cur, i + key0, &line, &col);
            return err_at(e, LB_EXIT_INPUT, path, line, col,
                          "expected 'key: value' in front matter "
                          "(keys: title, author, subject, keywords, date, lang, claims)");
        }
        size_t key1 = k;
        while (key1 > key0 && (s[key1 - 1] == ' ' || s[key1 - 1] == '\t'))
            key1--;
        char **field = NULL;
        size_t kl = key1 - key0;
        const char *key = s + key0;
        if (kl == 5 && memcmp(key, "title", 5) == 0)
            field = &meta->title;
        else if (kl == 6 && memcmp(key, "author", 6) == 0)
            field = &meta->author;
        else if (kl == 7 && memcmp(key, "subject", 7) == 0)
            field = &meta->subject;
        else if (kl == 8 && memcmp(key, "keywords", 8) == 0)
            field = &meta->keywords;
        else if (kl == 4 && memcmp(key, "date", 4) == 0)
            field = &meta->date;
        else if (kl == 4 && memcmp(key, "lang", 4) == 0)
            field = &meta->lang;
        else if (kl == 6 && memcmp(key, "claims", 6) == 0)
            field = &meta->claims;
        mdp_cursor_pos(cur, i + key0, &line, &col);
        if (!field)
            return err_at(e, LB_EXIT_INPUT, path, line, col,
                          "unknown front matter key '%.*s' (expected one of: "
                          "title, author, subject, keywords, date, lang, claims)",
                          (int)(kl > 60 ? 60 : kl), key);
        if (*field)
            return err_at(e, LB_EXIT_INPUT, path, line, col,
                          "duplicate front matter key '%.*s'", (int)kl, key);
        k++;   /* ':' */
        while (k < ln && (s[k] == ' ' || s[k] == '\t'))
            k++;
        size_t v1 = ln;
        while (v1 > k && (s[v1 - 1] == ' ' || s[v1 - 1] == '\t'))
            v1--;
        unsigned cc = 0;
        size_t at = S_control(s + k, v1 - k, &cc);
        if (at < v1 - k) {
            mdp_cursor_pos(cur, i + k + at, &line, &col);
            return err_at(e, LB_EXIT_INPUT, path, line, col,
                          "control character U+%04X in the front matter's "
                          "'%.*s' (expected text)", cc, (int)kl, key);
        }
        if (S_value(path, cur, i + k, s + k, v1 - k, field, e) < 0)
            return -1;
        if (field == &meta->claims)
            mdp_cursor_pos(cur, i + k, &meta->claims_line, &meta->claims_col);
        /* a quoted value's text starts after its quote */
        size_t v0 = i + k + (k < v1 && (s[k] == '"' || s[k] == '\''));
        if (field == &meta->title)
            mdp_cursor_pos(cur, v0, &meta->title_line, &meta->title_col);
        else if (field == &meta->author)
            mdp_cursor_pos(cur, v0, &meta->author_line, &meta->author_col);
        else if (field == &meta->date)
            mdp_cursor_pos(cur, v0, &meta->date_line, &meta->date_col);
        else if (field == &meta->subject)
            mdp_cursor_pos(cur, v0, &meta->subject_line, &meta->subject_col);
        else if (field == &meta->keywords)
            mdp_cursor_pos(cur, v0, &meta->keywords_line, &meta->keywords_col);
        if (field == &meta->lang && (!meta->lang[0] || !lang_get(meta->lang))) {
            mdp_cursor_pos(cur, i + k, &line, &col);
            return err_at(e, LB_EXIT_INPUT, path, line, col,
                          "unknown language '%s' (expected one of: %s)",
                          meta->lang, lang_known());
        }
        i = next;
    }
    int line, col;
    mdp_cursor_pos(cur, start, &line, &col);
    return err_at(e, LB_EXIT_INPUT, path, line, col,
                  "front matter opened by '---' is never closed (expected a "
                  "line '---' after the 'key: value' lines)");
}
