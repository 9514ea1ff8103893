/* pdf_picture — the one place that knows how a figure's picture is stored
 * and drawn: gnuplot's SVG NAME.svg from the figures folder, parsed by
 * svg.h and drawn as vector paths and Latin Modern text by pdf_svg.h.  The
 * PDF holds no raster image (the PNGs stay in out/figures for documentation
 * users).  The numbered figure around it (caption, placement) is
 * pdf_figure.c.
 *
 * Ownership: a loaded picture is registered in the context (c->pics) and
 * freed by pdf_ctx_release through pdf_picture_free; callers only borrow it.
 */
#ifndef LB_PDF_PICTURE_H
#define LB_PDF_PICTURE_H

#include "pdf/pdf_ctx.h"

typedef struct pdf_picture pdf_picture;

/* Read figures_dir/NAME.svg; *aspect = its height per unit width.  NULL +
 * error (a missing or malformed SVG names the file). */
pdf_picture *pdf_picture_load(pdf_ctx *c, const char *name, double *aspect);
/* Draw `p` w x h pt with its bottom-left corner at (x, y_bottom) on
 * c->page.  0, or -1 + error. */
int pdf_picture_draw(pdf_ctx *c, pdf_picture *p, double x, double y_bottom,
                     double w, double h);
/* Free `p` (NULL is fine); only pdf_ctx_release calls it. */
void pdf_picture_free(pdf_picture *p);

#endif
