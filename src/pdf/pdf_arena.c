/* pdf_arena — see pdf_arena.h.  Chunks of at least 64 KiB, newest first;
 * a request larger than a chunk gets a chunk of its own.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "math/math.h"

typedef struct S_chunk {
    struct S_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} S_chunk;

/* Count `n` more bytes against PDF_ARENA_MAX; -1 + error past it. */
static int S_budget(pdf_ctx *c, size_t n)
{
    c->arena_bytes += n;
    if (c->arena_bytes <= PDF_ARENA_MAX)
        return 0;
    return err_set(c->e, LB_EXIT_INPUT,
                   "%s: too large to typeset: its layout needs more than %d MiB of memory "
                   "(the limit that keeps a run bounded); split the template",
                   c->path ? c->path : "(template)", PDF_ARENA_MAX >> 20);
}

void *pdf_arena_alloc(pdf_ctx *c, size_t n)
{
    S_chunk *ch = c->arena;
    n = (n + 15u) & ~(size_t)15u;
    if (n == 0)
        n = 16;
    if (!ch || ch->cap - ch->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        if (S_budget(c, cap) != 0)
            return NULL;
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

/* Growable blocks: a doubly linked list, so that one can be resized or
 * released without a search (issue 16: a horizontal list grown by doubling
 * in the chunks left every outgrown array behind, 2-3 times its size). */
typedef struct S_grow {
    struct S_grow *prev, *next;
    size_t n; /* bytes in data, for the budget */
    _Alignas(16) unsigned char data[];
} S_grow;

void *pdf_arena_regrow(pdf_ctx *c, void *p, size_t n)
{
    S_grow *g = p ? (S_grow *)(void *)((unsigned char *)p - offsetof(S_grow, data)) : NULL;
    if (n == 0) {
        if (g) {
            c->arena_bytes -= g->n;
            if (g->prev)
                g->prev->next = g->next;
            else
                c->arena_grow = g->next;
            if (g->next)
                g->next->prev = g->prev;
            free(g);
        }
        return NULL;
    }
    size_t was = g ? g->n : 0;
    if (n > was && S_budget(c, n - was) != 0)
        return NULL;
    if (n < was)
        c->arena_bytes -= was - n;
    S_grow *ng = realloc(g, sizeof *ng + n);
    if (!ng) {
        err_nomem(c->e);
        return NULL;
    }
    ng->n = n;
    if (!g) {
        ng->prev = NULL;
        ng->next = c->arena_grow;
        if (ng->next)
            ng->next->prev = ng;
        c->arena_grow = ng;
    } else if (ng != g) { /* moved: its neighbours point at the new place */
        if (ng->prev)
            ng->prev->next = ng;
        else
            c->arena_grow = ng;
        if (ng->next)
            ng->next->prev = ng;
    }
    return ng->data;
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
    S_grow *g = c->arena_grow;
    while (g) {
        S_grow *nx = g->next;
        free(g);
        g = nx;
    }
    c->arena_grow = NULL;
    c->arena_bytes = 0;
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
