/* pdf_arena — the render context's arena: every layout object (horizontal
 * lists and their boxes, vertical-list boxes, tables, figure boxes, caption
 * lines, strings) is allocated here and freed all at once.
 *
 * Ownership: memory from pdf_arena_alloc / pdf_arena_strndup belongs to the
 * context's arena (c->arena); callers never free it.  pdf_arena_free (called
 * by pdf_ctx_release) frees every chunk; pointers into it die then.
 */
#ifndef LB_PDF_ARENA_H
#define LB_PDF_ARENA_H

#include <stddef.h>
#include "pdf/pdf_ctx.h"

/* `n` zeroed bytes, 16-byte aligned.  NULL + error (out of memory). */
void *pdf_arena_alloc(pdf_ctx *c, size_t n);
/* A NUL-terminated copy of s[0..n).  NULL + error (out of memory). */
char *pdf_arena_strndup(pdf_ctx *c, const char *s, size_t n);
/* Free every chunk (c->arena becomes NULL). */
void pdf_arena_free(pdf_ctx *c);

#endif
