#include <stdio.h>
#include <stddef.h>
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

int err_vset(lb_err *e, int code, const char *fmt, va_list ap)
{
    if (!e || e->code != 0)
        return -1;
    char raw[sizeof e->msg];
    e->code = code ? code : LB_EXIT_RUNTIME;
    vsnprintf(raw, sizeof raw, fmt, ap);
    S_one_line(e->msg, sizeof e->msg, raw);
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
    char where[512];
    if (line > 0 && col > 0)
        snprintf(where, sizeof where, "%s:%d:%d: ", path, line, col);
    else if (line > 0)
        snprintf(where, sizeof where, "%s:%d: ", path, line);
    else
        snprintf(where, sizeof where, "%s: ", path);
    char what[768];
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
