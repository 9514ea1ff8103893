/* pdf_mbox — formulas in the layout: a pdf_mbox (pdf_ctx.h) is a formula
 * typeset by math_layout (math.h) at a size, laid out again smaller when it
 * must fit a measure, and drawn on the current page (pdf_math.h).  A bad
 * formula is reported as "TEMPLATE:LINE:COL: ..." the same way the
 * template check reports it (res_math_error).
 *
 * Ownership: the pdf_mbox and its copy of the TeX source come from the
 * arena; its math_box is registered in the context (c->mboxes) and freed by
 * pdf_ctx_release, also when the formula is laid out again.
 */
#ifndef LB_PDF_MBOX_H
#define LB_PDF_MBOX_H

#include "pdf/pdf_ctx.h"

/* Typeset `tex` (display or text style) at `size` pt; line/col locate it in
 * the template for messages.  0 + *out, or -1 + error. */
int pdf_mbox_make(pdf_ctx *c, const char *tex, int display, double size,
                  int line, int col, pdf_mbox **out);
/* Lay the formula out again, smaller (not below 4pt), until it is at most
 * `measure` wide.  0, or -1 + error. */
int pdf_mbox_fit(pdf_ctx *c, pdf_mbox *m, double measure);
/* Draw `m` with its baseline's left end at (x, y) on c->page.  0, or -1 +
 * error. */
int pdf_mbox_draw(pdf_ctx *c, const pdf_mbox *m, double x, double y);

#endif
