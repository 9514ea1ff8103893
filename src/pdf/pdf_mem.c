/* pdf_mem — the renderer's arena, vertical-list helpers and cleanup.
 * Kept apart from pdf.c so the layout code (and its tests) link without the
 * font loading and drawing.
 */
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_ctx.h"

/* ---- arena --------------------------------------------------------------- */

typedef struct S_chunk {
    struct S_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} S_chunk;

void *pdf_alloc(pdf_ctx *c, size_t n)
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

char *pdf_strndup(pdf_ctx *c, const char *s, size_t n)
{
    char *p = pdf_alloc(c, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void S_arena_free(pdf_ctx *c)
{
    S_chunk *ch = c->arena;
    while (ch) {
        S_chunk *nx = ch->next;
        free(ch);
        ch = nx;
    }
    c->arena = NULL;
}

void pdf_ctx_release(pdf_ctx *c)
{
    free(c->vl);
    c->vl = NULL;
    c->nvl = c->capvl = 0;
    free(c->grps);
    c->grps = NULL;
    for (size_t i = 0; i < c->nmboxes; i++)
        math_box_free(c->mboxes[i]);
    free(c->mboxes);
    c->mboxes = NULL;
    c->nmboxes = 0;
    for (size_t i = 0; i < c->nfigs; i++)
        pdf_fig_free(c->figs[i]);
    free(c->figs);
    c->figs = NULL;
    c->nfigs = 0;
    S_arena_free(c);
}

/* ---- vertical list ------------------------------------------------------- */

static int S_vl_push(pdf_ctx *c, vl_item it)
{
    if (c->nvl == c->capvl) {
        size_t ncap = c->capvl ? c->capvl * 2 : 256;
        vl_item *t = realloc(c->vl, ncap * sizeof *t);
        if (!t)
            return err_nomem(c->e);
        c->vl = t;
        c->capvl = ncap;
    }
    c->vl[c->nvl++] = it;
    return 0;
}

int pdf_vl_glue(pdf_ctx *c, double w, double st, double sh)
{
    vl_item it = { VL_GLUE, 0, 0, w, st, sh, 0, 0, -1, NULL, 0 };
    return S_vl_push(c, it);
}

int pdf_vl_penalty(pdf_ctx *c, double pen)
{
    vl_item it = { VL_PENALTY, 0, 0, 0, 0, 0, pen, 0, -1, NULL, 0 };
    return S_vl_push(c, it);
}

/* TeX's append_to_vlist: baselineskip glue between consecutive boxes, or
 * \lineskip 1pt when they would come closer than \lineskiplimit 0pt. */
int pdf_vl_box(pdf_ctx *c, double h, double d, pdf_vbox *ref, int flags,
               long hdr)
{
    if (c->prev_depth > -999.0 && c->baselineskip > 0) {
        double g = c->baselineskip - c->prev_depth - h;
        if (g < 0)
            g = 1.0;
        vl_item gl = { VL_GLUE, 0, 0, g, 0, 0, 0, 0, -1, c /* interline */, 0 };
        if (S_vl_push(c, gl) < 0)
            return -1;
    }
    vl_item it = { VL_BOX, h, d, 0, 0, 0, 0, flags, hdr, ref, 0 };
    if (S_vl_push(c, it) < 0)
        return -1;
    c->prev_depth = d;
    return 0;
}

int pdf_hpdf_ok(pdf_ctx *c)
{
    if (c->hpdf_failed || (c->e && c->e->code))
        return -1;
    return 0;
}

