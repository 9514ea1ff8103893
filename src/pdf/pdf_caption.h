/* pdf_caption — captions and notes of floats: "Table N." / "Figure N." in
 * bold followed by the caption text at 9pt on 11pt, broken into lines of a
 * measure (centred when it fits on one line, else justified; a note without
 * a label is set ragged right), and drawn from the top of its block.
 * Shared by pdf_table.c and pdf_figure.c.
 *
 * Ownership: the caption struct is the caller's; its hlist and lines come
 * from the arena.  Doc nodes and strings are borrowed.
 */
#ifndef LB_PDF_CAPTION_H
#define LB_PDF_CAPTION_H

#include "pdf/pdf_ctx.h"

typedef struct pdf_caption {
    pdf_hlist *hl;
    pb_line *lines;          /* arena */
    size_t n;
    double size, bskip;      /* 9pt on 11pt */
    double width;            /* the measure it was broken to */
    double h;                /* height of the block (0 without lines) */
    int center;              /* one line: centred at natural width */
} pdf_caption;

/* Set `label` (WinAnsi-safe ASCII, e.g. "Table 3."; NULL for a note) in
 * bold, then the inline nodes `inl` if any, else the rich text `rich` ($..$
 * math; may be NULL), broken to `measure`.  line/col locate it for
 * messages.  0, or -1 + error. */
int pdf_caption_make(pdf_ctx *c, pdf_caption *cp, const char *label,
                     const doc_node *inl, const char *rich, double measure,
                     int line, int col);
/* Draw the lines of `cp` in a block `cp->width` wide with its left edge at
 * x and its top at `top`.  0, or -1 + error. */
int pdf_caption_draw(pdf_ctx *c, const pdf_caption *cp, double x,
                     double top);

#endif
