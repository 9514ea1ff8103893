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

int err_vset(lb_err *e, int code, const char *fmt, va_list ap)
{
    if (!e || e->code != 0)
        return -1;
    e->code = code ? code : LB_EXIT_RUNTIME;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
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
