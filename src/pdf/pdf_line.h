/* pdf_line — draw one set line of a horizontal list: its text boxes
 * (pdf_text.h), formulas (pdf_mbox.h), glue at the line's set ratio, link
 * annotations over the words of a link, strike-through, and the hyphen of a
 * line broken inside a word.  Used by every box that shows text: body
 * lines, list labels, captions, table cells.
 *
 * Ownership: borrows the list and the line; draws on c->page.
 */
#ifndef LB_PDF_LINE_H
#define LB_PDF_LINE_H

#include "pdf/pdf_ctx.h"

/* Draw items [ln->start, ln->end) of `hl` with the baseline's left end at
 * (x, y), the line's text in one text object (pdf_text_run; a formula or a
 * CJK character between two runs ends it).  A text object per line, not
 * per paragraph: with one per paragraph (lines joined by relative moves,
 * tried) pdftotext put a few lines out of order and the file was no
 * smaller.  0, or -1 + error (libharu or a formula). */
int pdf_line_draw(pdf_ctx *c, const pdf_hlist *hl, const pb_line *ln,
                  double x, double y);

#endif
