/* pdf_table — booktabs tables: the catalogue's generated tables
 * (DOC_GENTABLE, compute/table.h) and the template's GFM tables
 * (DOC_TABLE), measured, set smaller or wrapped when too wide, added to the
 * vertical list (one float, or caption + repeated header + rows when taller
 * than a page) and drawn.
 *
 * Ownership: the table (cells, hlists, lines, captions) lives in the arena;
 * the vertical-list boxes point into it.  The doc node and the catalogue
 * are borrowed.
 */
#ifndef LB_PDF_TABLE_H
#define LB_PDF_TABLE_H

#include "pdf/pdf_ctx.h"

/* Add the DOC_GENTABLE node `n` (a catalogue table by name; needs c->cat).
 * 0, or -1 + error ("TEMPLATE:LINE:COL: unknown table ..."). */
int pdf_table_gen(pdf_ctx *c, const doc_node *n);
/* Add the DOC_TABLE node `n` (a Markdown table).  0, or -1 + error. */
int pdf_table_gfm(pdf_ctx *c, const doc_node *n);
/* Draw the VB_TABLE box `vb` (the whole table or one part of a split one)
 * with its top at y_top; `last_on_page`: no more of this table follows on
 * the page (a continued table then closes with a light rule).  0, or -1 +
 * error. */
int pdf_table_draw(pdf_ctx *c, const pdf_vbox *vb, double y_top,
                   int last_on_page);

#endif
