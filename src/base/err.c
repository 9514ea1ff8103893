#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"

void err_clear(lb_err *e)
{
    if (e) {
        e->code = 0;
        e->msg[0] = '\0';
    }
}

/* The message is one line whatever it quotes (a file name, a token, a
 * template's text): line breaks and other control characters are written
 * as escapes, \n \r \xNN, C1 controls and U+2028/U+2029 as \uNNNN. */
static void S_one_line(char *dst, size_t cap, const char *src)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p && o + 1 < cap; p++) {
        char esc[12] = "";
        size_t skip = 0;
        if (*p == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (*p == '\r')
            snprintf(esc, sizeof esc, "\\r");
        else if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            snprintf(esc, sizeof esc, "\\x%02X", *p);
        else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            snprintf(esc, sizeof esc, "\\u%04X", p[1]), skip = 1;
        else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
            snprintf(esc, sizeof esc, "\\u%04X", 0x2000 + p[2] - 0x80), skip = 2;
        if (!esc[0]) {
            dst[o++] = (char)*p;
            continue;
        }
        size_t n = strlen(esc);
        if (o + n + 1 > cap)
            break;
        memcpy(dst + o, esc, n);
        o += n;
        p += skip;
    }
    dst[o] = '\0';
}

/* Length of the character or escape (from S_one_line) starting at `s`. */
static size_t S_tok_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    size_t want = 1;
    if (c == '\\')
        want = s[1] == 'n' || s[1] == 'r' ? 2 : s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : 1;
    else if (c >= 0xF0)
        want = 4;
    else if (c >= 0xE0)
        want = 3;
    else if (c >= 0xC0)
        want = 2;
    size_t n = 1;
    while (n < want && s[n])
        n++;
    return n;
}

/* Copy `src` into `dst` (capacity `cap`); when it does not fit, keep its
 * head (the file and line:column) and its tail (the reason, strerror),
 * joined by "…", never splitting a UTF-8 character or an escape. */
static void S_fit(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n < cap) {
        memcpy(dst, src, n + 1);
        return;
    }
    static const char dots[] = "\xE2\x80\xA6"; /* U+2026 */
    size_t head_max = cap * 2 / 3, tail_max = cap - 1 - head_max - (sizeof dots - 1);
    size_t head = 0, from = 0, t;
    while (head + (t = S_tok_len(src + head)) <= head_max)
        head += t;
    from = head;
    while (from < n && n - from > tail_max)
        from += S_tok_len(src + from);
    memcpy(dst, src, head);
    memcpy(dst + head, dots, sizeof dots - 1);
    memcpy(dst + head + sizeof dots - 1, src + from, n - from + 1);
}

int err_vset(lb_err *e, int code, const char *fmt, va_list ap)
{
    if (!e || e->code != 0)
        return -1;
    e->code = code ? code : LB_EXIT_RUNTIME;
    /* Format whole (a long path must not push the reason out), escape,
     * then fit; on allocation failure, fixed buffers and a cut tail. */
    char raw_s[4096], esc_s[8192];
    va_list aq;
    va_copy(aq, ap);
    int len = vsnprintf(raw_s, sizeof raw_s, fmt, aq);
    va_end(aq);
    char *raw = raw_s, *esc = esc_s;
    size_t esc_cap = sizeof esc_s;
    if (len >= (int)sizeof raw_s && (raw = malloc((size_t)len + 1)) != NULL)
        vsnprintf(raw, (size_t)len + 1, fmt, ap);
    else if (!raw)
        raw = raw_s;
    size_t need = strlen(raw) * 6 + 1; /* the longest escape is 6 bytes */
    if (need > esc_cap && (esc = malloc(need)) != NULL)
        esc_cap = need;
    else if (!esc)
        esc = esc_s;
    S_one_line(esc, esc_cap, raw);
    S_fit(e->msg, sizeof e->msg, esc);
    if (raw != raw_s)
        free(raw);
    if (esc != esc_s)
        free(esc);
    return -1;
}

int err_set(lb_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(e, code, fmt, ap);
    va_end(ap);
    return -1;
}

int err_at(lb_err *e, int code, const char *path, int line, int col,
           const char *fmt, ...)
{
    if (!e || e->code != 0)
        return -1;
    char where[512], p[300];
    S_fit(p, sizeof p, path); /* a long path keeps its line:col and the message */
    if (line > 0 && col > 0)
        snprintf(where, sizeof where, "%s:%d:%d: ", p, line, col);
    else if (line > 0)
        snprintf(where, sizeof where, "%s:%d: ", p, line);
    else
        snprintf(where, sizeof where, "%s: ", p);
    char what[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return err_set(e, code, "%s%s", where, what);
}

int err_nomem(lb_err *e)
{
    return err_set(e, LB_EXIT_RUNTIME, "out of memory");
}

void err_linecol(const char *buf, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}
