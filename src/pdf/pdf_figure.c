/* pdf_figure — see pdf_figure.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_caption.h"
#include "pdf/pdf_figure.h"
#include "pdf/pdf_picture.h"
#include "pdf/pdf_vlist.h"

typedef struct pdf_figbox {
    pdf_picture *pic;
    double w, h;             /* picture size on the page */
    double cap_h;            /* caption block with the space above it */
    pdf_caption cap;
} pdf_figbox;

int pdf_figure_add(pdf_ctx *c, const doc_node *n)
{
    double measure = c->tw - c->ind_l - c->ind_r, aspect = 0.625;
    pdf_figbox *fb = pdf_arena_alloc(c, sizeof *fb);
    if (!fb)
        return -1;
    double natural = 0.0;
    fb->pic = pdf_picture_load(c, n, &aspect, &natural);
    if (!fb->pic)
        return -1;
    double frac = n->width > 0 && n->width <= 1 ? n->width : 1.0;
    fb->w = measure * frac;
    /* a raster picture without width= keeps its size at 96 dpi when that
     * is narrower than the text (a logo stays small) */
    if (natural > 0.0 && n->width == 1.0 && natural < fb->w)
        fb->w = natural;
    fb->h = fb->w * aspect;
    if (fb->h > 0.6 * c->th) {
        fb->h = 0.6 * c->th;
        fb->w = fb->h / aspect;
    }
    char label[32];
    snprintf(label, sizeof label, c->lang->figure_fmt, n->number);
    if (pdf_caption_make(c, &fb->cap, label, n->first_child, NULL, measure,
                         n->line, n->col) < 0)
        return -1;
    fb->cap_h = 8.0 + 7.7 + (double)(fb->cap.n - 1) * fb->cap.bskip + 3.3;

    pdf_vbox *vb = pdf_vbox_new(c, VB_FIGURE);
    if (!vb)
        return -1;
    vb->fig = fb;
    if (pdf_vl_float_skip(c, 12, 2, 2) < 0)   /* \intextsep */
        return -1;
    double pd = c->prev_depth;   /* see pdf_table.c */
    c->prev_depth = -1000.0;
    if (pdf_vl_box(c, fb->h + fb->cap_h, 0, vb, VL_FLOAT, -1) < 0)
        return -1;
    c->prev_depth = pd;
    return pdf_vl_float_skip(c, 12, 2, 2);
}

int pdf_figure_draw(pdf_ctx *c, const pdf_vbox *vb, double y_top)
{
    const pdf_figbox *fb = vb->fig;
    double x = vb->x + (vb->w - fb->w) / 2.0;
    if (pdf_picture_draw(c, fb->pic, x, y_top - fb->h, fb->w, fb->h) < 0)
        return -1;
    return pdf_caption_draw(c, &fb->cap, vb->x, y_top - fb->h - 8.0);
}
