/* pdf_figure — figures: the picture scaled to the text width (or the
 * template's width= fraction), aspect kept, at most 60% of the text height;
 * caption "Figure N. caption" below at 9pt; one VL_FLOAT box, never split.
 *
 * pdf_fig_load / pdf_fig_draw are the only code that knows the picture is
 * a PNG (HPDF_LoadPngImageFromFile); the vector SVG path (issue 6,
 * pdf_svg.h) replaces these two functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_ctx.h"

typedef struct pdf_figbox {
    pdf_fig *fig;
    double w, h;             /* picture size on the page */
    double cap_h;
    /* caption */
    pdf_hlist *hl;
    pb_line *lines;
    size_t n;
    int center;
} pdf_figbox;

int pdf_figure(pdf_ctx *c, const doc_node *n)
{
    double measure = c->tw - c->ind_l - c->ind_r, aspect = 0.625;
    pdf_figbox *fb = pdf_alloc(c, sizeof *fb);
    if (!fb)
        return -1;
    double natural = 0.0;
    fb->fig = pdf_fig_load_node(c, n, &aspect, &natural);
    if (!fb->fig)
        return -1;
    double frac = n->width > 0 && n->width <= 1 ? n->width : 1.0;
    fb->w = measure * frac;
    /* a raster picture without width= keeps its size at 96 dpi when that
     * is smaller than the text width (a logo stays small) */
    if (natural > 0.0 && n->width == 1.0 && natural < fb->w)
        fb->w = natural;
    fb->h = fb->w * aspect;
    if (fb->h > 0.6 * c->th) {
        fb->h = 0.6 * c->th;
        fb->w = fb->h / aspect;
    }
    /* Caption. */
    char label[32];
    snprintf(label, sizeof label, "Figure %d.", n->number);
    fb->hl = pdf_alloc(c, sizeof *fb->hl);
    if (!fb->hl)
        return -1;
    pdf_hl_init(c, fb->hl);
    if (pdf_hl_text(c, fb->hl, label, strlen(label), PF_BF9, 9, 1, 0,
                    n->line, n->col) < 0)
        return -1;
    if (n->first_child &&
        (pdf_hl_glue(c, fb->hl, 4.5, 1.5, 1, 0) < 0 ||
         pdf_hl_inlines(c, fb->hl, n->first_child, &pdf_fam_small, 9,
                        NULL) < 0))
        return -1;
    if (pdf_hl_finish(c, fb->hl, measure) < 0)
        return -1;
    pb_line *lines = NULL;
    if (pb_break(fb->hl->it, fb->hl->n, measure, NULL, &lines, &fb->n,
                 c->e) < 0)
        return -1;
    fb->lines = pdf_alloc(c, (fb->n ? fb->n : 1) * sizeof *lines);
    if (!fb->lines) {
        free(lines);
        return -1;
    }
    memcpy(fb->lines, lines, fb->n * sizeof *lines);
    free(lines);
    fb->center = fb->n == 1;
    if (fb->center) {
        fb->lines[0].ratio = 0;
        fb->lines[0].fil_set = 0;
    }
    fb->cap_h = 8.0 + 7.7 + (double)(fb->n - 1) * 11.0 + 3.3;

    pdf_vbox *vb = pdf_vbox_new(c, VB_FIGURE);
    if (!vb)
        return -1;
    vb->fig = fb;
    if (pdf_float_skip(c, 12, 2, 2) < 0)   /* \intextsep */
        return -1;
    double pd = c->prev_depth;   /* see pdf_table.c */
    c->prev_depth = -1000.0;
    if (pdf_vl_box(c, fb->h + fb->cap_h, 0, vb, VL_FLOAT, -1) < 0)
        return -1;
    c->prev_depth = pd;
    return pdf_float_skip(c, 12, 2, 2);
}

int pdf_figure_draw(pdf_ctx *c, const pdf_vbox *vb, double y_top)
{
    const pdf_figbox *fb = vb->fig;
    double x = vb->x + (vb->w - fb->w) / 2.0;
    if (pdf_fig_draw(c, fb->fig, x, y_top - fb->h, fb->w, fb->h) < 0)
        return -1;
    double y = y_top - fb->h - 8.0 - 7.7;
    for (size_t k = 0; k < fb->n; k++, y -= 11.0) {
        double xx = vb->x;
        if (fb->center)
            xx += (vb->w - fb->lines[k].natural) / 2.0;
        if (pdf_line_draw(c, fb->hl, &fb->lines[k], xx, y) < 0)
            return -1;
    }
    return 0;
}
