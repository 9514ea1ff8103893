/* pdf_figure — numbered figures: the picture (pdf_picture.h) scaled to the
 * measure (or the template's width= fraction), aspect kept, at most 60% of
 * the text height, with "Figure N. caption" below it (pdf_caption.h); one
 * floating box of the vertical list (moved whole to the next page when it
 * does not fit), never split.
 *
 * Ownership: the figure box lives in the arena; the picture is registered
 * in the context.  The doc node is borrowed.
 */
#ifndef LB_PDF_FIGURE_H
#define LB_PDF_FIGURE_H

#include "pdf/pdf_ctx.h"

/* Add the DOC_FIGURE node `n` to the vertical list.  0, or -1 + error (a
 * missing or malformed SVG, bad caption math, out of memory). */
int pdf_figure_add(pdf_ctx *c, const doc_node *n);
/* Draw the VB_FIGURE box `vb` with its top at y_top.  0, or -1 + error. */
int pdf_figure_draw(pdf_ctx *c, const pdf_vbox *vb, double y_top);

#endif
