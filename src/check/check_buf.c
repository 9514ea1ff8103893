/* check_buf — see check_buf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "check/check_buf.h"

void chk_buf_add(chk_buf *b, const char *fmt, ...)
{
    if (b->nomem)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->nomem = 1;
            return;
        }
        if (b->p && b->len + (size_t)k < b->cap) {
            b->len += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap : 1024;
        while (cap <= b->len + (size_t)k)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->nomem = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
}

char *chk_buf_take(chk_buf *b, lb_err *e)
{
    char *p = b->p;
    if (b->nomem) {
        free(p);
        p = NULL;
        err_nomem(e);
    } else if (!p && !(p = calloc(1, 1))) {
        err_nomem(e);
    }
    b->p = NULL;
    b->len = b->cap = 0;
    b->nomem = 0;
    return p;
}

void chk_buf_free(chk_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
