/* bytebuf — a growable byte buffer for writers that build a file in memory
 * (the PDF's object streams, Type 1 font subsets).
 *
 * Ownership: the buffer owns b->p (malloc'd); bbuf_free releases it.  An
 * allocation failure sets b->failed and makes every later append a no-op,
 * so a writer appends freely and checks `failed` once at the end.
 */
#ifndef LB_BASE_BYTEBUF_H
#define LB_BASE_BYTEBUF_H

#include <stddef.h>

typedef struct bbuf {
    unsigned char *p;
    size_t len, cap;
    int failed;
} bbuf;

/* Append n bytes of s (nothing when b->failed). */
void bbuf_put(bbuf *b, const void *s, size_t n);
/* Append the string s without its NUL. */
void bbuf_puts(bbuf *b, const char *s);
/* Release the bytes; b is empty again (failed cleared). */
void bbuf_free(bbuf *b);

#endif
