/* pdf_blocks — document blocks to the vertical list (pdf_vlist.h), with the
 * spacing of LaTeX's article class at 10pt: the title block, paragraphs
 * (with display math set apart), headings (with their outline entries),
 * lists, quotes, code, rules; tables and figures go to pdf_table.c and
 * pdf_figure.c.
 *
 * Ownership: borrows the document; everything it makes lives in the arena
 * or the context's vertical list and frame groups (c->grps, malloc'ed here,
 * freed by pdf_ctx_release).
 */
#ifndef LB_PDF_BLOCKS_H
#define LB_PDF_BLOCKS_H

#include "pdf/pdf_ctx.h"

/* The title block from the front matter (title, author, date; the date
 * from opts->date when the front matter has none); nothing without a
 * title.  0, or -1 + error. */
int pdf_blocks_title(pdf_ctx *c);
/* The blocks `first` and its siblings, in order.  0, or -1 + error (bad
 * math, unknown value or table, missing figure, out of memory). */
int pdf_blocks(pdf_ctx *c, const doc_node *first);

#endif
