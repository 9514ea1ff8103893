/* pdf_arena — see pdf_arena.h.  Chunks of at least 64 KiB, newest first;
 * a request larger than a chunk gets a chunk of its own.
 */
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "math/math.h"

typedef struct S_chunk {
    struct S_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} S_chunk;

void *pdf_arena_alloc(pdf_ctx *c, size_t n)
{
    S_chunk *ch = c->arena;
    n = (n + 15u) & ~(size_t)15u;
    if (n == 0)
        n = 16;
    if (!ch || ch->cap - ch->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        S_chunk *nc = malloc(sizeof *nc + cap);
        if (!nc) {
            err_nomem(c->e);
            return NULL;
        }
        nc->next = ch;
        nc->used = 0;
        nc->cap = cap;
        c->arena = nc;
        ch = nc;
    }
    void *p = ch->data + ch->used;
    ch->used += n;
    memset(p, 0, n);
    return p;
}

char *pdf_arena_strndup(pdf_ctx *c, const char *s, size_t n)
{
    char *p = pdf_arena_alloc(c, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void pdf_arena_free(pdf_ctx *c)
{
    S_chunk *ch = c->arena;
    while (ch) {
        S_chunk *nx = ch->next;
        free(ch);
        ch = nx;
    }
    c->arena = NULL;
}

pdf_arena_pos pdf_arena_mark(const pdf_ctx *c)
{
    const S_chunk *ch = c->arena;
    pdf_arena_pos p = {c->arena, ch ? ch->used : 0, c->nmboxes};
    return p;
}

void pdf_arena_release(pdf_ctx *c, pdf_arena_pos pos)
{
    S_chunk *ch = c->arena;
    while (ch && ch != pos.chunk) {
        S_chunk *nx = ch->next;
        free(ch);
        ch = nx;
    }
    c->arena = ch;
    if (ch)
        ch->used = pos.used;
    for (size_t i = pos.nmboxes; i < c->nmboxes; i++)
        math_box_free(c->mboxes[i]);
    if (c->nmboxes > pos.nmboxes)
        c->nmboxes = pos.nmboxes;
}
