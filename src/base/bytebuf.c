/* bytebuf — see bytebuf.h. */
#include <stdlib.h>
#include <string.h>

#include "base/bytebuf.h"

void bbuf_put(bbuf *b, const void *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (b->len + n > b->cap) {
        /* doubling: a writer appends many small pieces */
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *np = realloc(b->p, cap);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void bbuf_puts(bbuf *b, const char *s)
{
    bbuf_put(b, s, strlen(s));
}

void bbuf_free(bbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}
