/* pdf_draw — draw the pages the page builder made (pdf_pagebreak.c): one
 * libharu page per vl_page, frames (code grounds, quote boxes) behind the
 * boxes, every box at its baseline (lines and labels, rules, displayed
 * formulas, tables, figures), an outline entry per heading, and the page
 * number centred in the footer.
 *
 * Ownership: borrows the pages and the vertical list they index (c->vl);
 * the pages and outline entries it adds belong to the libharu document.
 */
#ifndef LB_PDF_DRAW_H
#define LB_PDF_DRAW_H

#include "pdf/pdf_ctx.h"

/* Draw pages[0..np) (no pages: one empty page).  0, or -1 + error. */
int pdf_draw_pages(pdf_ctx *c, const vl_page *pages, size_t np);

#endif
