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

/* The arena's budget (issue 16): a template whose layout needs more fails
 * with "PATH: too large to typeset ..." (exit 2) instead of taking the
 * machine's memory.  Prose costs about 50 bytes of layout per byte of
 * template: a 10 MB template of paragraphs needs about 500 MiB and runs;
 * 20 MB fail here, at about 750 MB of resident memory. */
#define PDF_ARENA_MAX (560 << 20)

/* `n` zeroed bytes, 16-byte aligned.  NULL + error (out of memory, or the
 * budget exceeded). */
void *pdf_arena_alloc(pdf_ctx *c, size_t n);
/* A NUL-terminated copy of s[0..n).  NULL + error (out of memory). */
char *pdf_arena_strndup(pdf_ctx *c, const char *s, size_t n);
/* A growable block that also belongs to the arena (for arrays built by
 * appending, such as horizontal lists): p NULL allocates `n` bytes, else
 * the block is resized keeping its contents (realloc: no outgrown copy is
 * left behind); n == 0 releases it at once.  16-byte aligned; new bytes
 * are not zeroed.  NULL + error on out of memory (p stays valid). */
void *pdf_arena_regrow(pdf_ctx *c, void *p, size_t n);
/* Free every chunk and growable block (c->arena becomes NULL). */
void pdf_arena_free(pdf_ctx *c);

/* A point to come back to: everything allocated after pdf_arena_mark (and
 * every formula box registered since, c->mboxes) is freed by
 * pdf_arena_release, so a trial layout (a table set at 9 pt to measure it)
 * costs no memory once it is thrown away.  Pointers into the released part
 * die; what was allocated before the mark stays. */
typedef struct pdf_arena_pos {
    void *chunk;      /* the newest chunk at the mark (NULL: none) */
    size_t used;      /* its use then */
    size_t nmboxes;   /* formula boxes registered then */
} pdf_arena_pos;
pdf_arena_pos pdf_arena_mark(const pdf_ctx *c);
void pdf_arena_release(pdf_ctx *c, pdf_arena_pos pos);

#endif
