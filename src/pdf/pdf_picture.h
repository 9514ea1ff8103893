/* pdf_picture — the one place that knows how a figure's picture is stored
 * and drawn: gnuplot's SVG NAME.svg from the figures folder (built-in
 * figures and the template's ```gnuplot figures), parsed by svg.h and drawn
 * as vector paths and Latin Modern text by pdf_svg.h; a picture of the
 * template's own (fig_src DOC_FIG_IMAGE) is its SVG drawn the same way, or
 * its PNG / JPEG embedded by libharu pixel for pixel.  The numbered figure
 * around it (caption, placement) is pdf_figure.c.
 *
 * Ownership: a loaded picture is registered in the context (c->pics) and
 * freed by pdf_ctx_release through pdf_picture_free; callers only borrow it.
 */
#ifndef LB_PDF_PICTURE_H
#define LB_PDF_PICTURE_H

#include "pdf/pdf_ctx.h"

typedef struct pdf_picture pdf_picture;

/* The picture of figure node nd: figures_dir/NAME.svg, or nd->src for a
 * picture of the template's own.  *aspect = height per unit width;
 * *natural_w = a raster picture's width at 96 pixels per inch (0 for SVG).
 * NULL + error (a picture's or gnuplot figure's error at its template
 * line:column). */
pdf_picture *pdf_picture_load(pdf_ctx *c, const doc_node *nd, double *aspect,
                              double *natural_w);
/* Draw `p` w x h pt with its bottom-left corner at (x, y_bottom) on
 * c->page.  0, or -1 + error. */
int pdf_picture_draw(pdf_ctx *c, pdf_picture *p, double x, double y_bottom,
                     double w, double h);
/* Free `p` (NULL is fine); only pdf_ctx_release calls it. */
void pdf_picture_free(pdf_picture *p);

/* Start parsing every SVG picture of c->doc on a worker thread (issue 15;
 * best effort, nothing on failure); pdf_picture_load takes the results.
 * The prefetch is c->prefetch, freed (the worker joined) by
 * pdf_picture_prefetch_free, which only pdf_ctx_release calls. */
void pdf_picture_prefetch(pdf_ctx *c);
void pdf_picture_prefetch_free(struct pdf_prefetch *pf);

#endif
