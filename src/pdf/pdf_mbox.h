/* pdf_mbox — formulas in the layout: a pdf_mbox (pdf_ctx.h) is a formula
 * typeset by math_layout (math.h) at a size, or one top-level box of it (a
 * piece: paragraphs break inline formulas between pieces, and displays too
 * wide for the measure), and it is drawn on the current page (pdf_math.h).
 * A bad formula is reported as "TEMPLATE:LINE:COL: ..." the same way the
 * template check reports it (res_math_error).
 *
 * Ownership: a pdf_mbox and its copy of the TeX source come from the arena;
 * its math_box is registered in the context (c->mboxes) and freed by
 * pdf_ctx_release, also when the formula is laid out again.  Pieces share
 * their formula's math_box.
 */
#ifndef LB_PDF_MBOX_H
#define LB_PDF_MBOX_H

#include "pdf/pdf_ctx.h"

/* Typeset `tex` (display or text style) at `size` pt; line/col locate it in
 * the template for messages.  0 + *out, or -1 + error. */
int pdf_mbox_make(pdf_ctx *c, const char *tex, int display, double size,
                  int line, int col, pdf_mbox **out);
/* The same for the formula of a math node (DOC_MATH, DOC_DMATH,
 * DOC_MATH_BLOCK): messages point into the formula itself, wherever its
 * lines are (doc.h, tex_map). */
int pdf_mbox_make_node(pdf_ctx *c, const doc_node *n, int display,
                       double size, pdf_mbox **out);
/* Lay the whole formula out again at `size` (its pieces made before stay
 * valid: they hold the old box).  0, or -1 + error. */
int pdf_mbox_resize(pdf_ctx *c, pdf_mbox *m, double size);
/* Piece k of formula m: the box of m->box->items[k] (a MATH_I_BOX), which
 * opens the /ActualText of the boxes up to the next breakpoint when it is
 * the first of them, and closes it when it is the last.  0 + *out, or -1
 * (out of memory). */
int pdf_mbox_piece(pdf_ctx *c, const pdf_mbox *m, size_t k, pdf_mbox **out);
/* Template line and column of the formula (a piece: of its source). */
void pdf_mbox_pos(const pdf_mbox *m, int *line, int *col);
/* Draw `m` with its baseline's left end at (x, y) on c->page.  0, or -1 +
 * error. */
int pdf_mbox_draw(pdf_ctx *c, const pdf_mbox *m, double x, double y);

#endif
