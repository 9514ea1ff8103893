/* pdf_vlist — see pdf_vlist.h. */
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_vlist.h"

static int S_push(pdf_ctx *c, vl_item it)
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
    return S_push(c, it);
}

int pdf_vl_penalty(pdf_ctx *c, double pen)
{
    vl_item it = { VL_PENALTY, 0, 0, 0, 0, 0, pen, 0, -1, NULL, 0 };
    return S_push(c, it);
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
        if (S_push(c, gl) < 0)
            return -1;
    }
    if (c->list_depth > 0)
        flags |= VL_INLIST;
    vl_item it = { VL_BOX, h, d, 0, 0, 0, 0, flags, hdr, ref, 0 };
    if (S_push(c, it) < 0)
        return -1;
    c->prev_depth = d;
    return 0;
}

/* The skip a new vertical skip combines with: the last glue that is not
 * interline glue, looking back over penalties; NULL when a box (or its
 * interline glue) comes first. */
static vl_item *S_last_skip(pdf_ctx *c)
{
    for (size_t k = c->nvl; k > 0; k--) {
        vl_item *it = &c->vl[k - 1];
        if (it->kind == VL_PENALTY)
            continue;
        if (it->kind == VL_GLUE && it->ref == NULL)
            return it;
        break;
    }
    return NULL;
}

static void S_widen(vl_item *it, double w, double st, double sh)
{
    if (w > it->w) {
        it->w = w;
        it->st = st;
        it->sh = sh;
    }
}

/* LaTeX's \addvspace: consecutive vertical skips do not add up, the larger
 * one wins. */
int pdf_vl_addvspace(pdf_ctx *c, double w, double st, double sh)
{
    vl_item *it = S_last_skip(c);
    if (it) {
        if ((it->flags & VL_FLOATSKIP) && w > it->wb)
            it->wb = w;     /* what the text wants without the float */
        S_widen(it, w, st, sh);
        return 0;
    }
    if (c->nvl == 0)
        return 0;   /* nothing above: no space at the top of the document */
    return pdf_vl_glue(c, w, st, sh);
}

int pdf_vl_float_skip(pdf_ctx *c, double w, double st, double sh)
{
    vl_item *it = S_last_skip(c);
    if (it) {
        if (!(it->flags & VL_FLOATSKIP)) {
            it->wb = it->w;
            it->flags |= VL_FLOATSKIP;
        }
        S_widen(it, w, st, sh);
        return 0;
    }
    if (pdf_vl_glue(c, w, st, sh) < 0)
        return -1;
    c->vl[c->nvl - 1].flags |= VL_FLOATSKIP;
    c->vl[c->nvl - 1].wb = 0;
    return 0;
}

pdf_vbox *pdf_vbox_new(pdf_ctx *c, int kind)
{
    pdf_vbox *vb = pdf_arena_alloc(c, sizeof *vb);
    if (!vb)
        return NULL;
    vb->kind = kind;
    vb->x = c->left + c->ind_l;
    vb->w = c->tw - c->ind_l - c->ind_r;
    vb->ngrp = c->ngrp;
    memcpy(vb->grp, c->grp, sizeof vb->grp);
    vb->level = 0;
    return vb;
}
