/* pdf_display — displayed formulas ($$...$$) on the vertical list, as TeX
 * and amsmath set them:
 *
 *  - centred in the measure (the current indentation), \abovedisplayskip
 *    and \belowdisplayskip 10pt plus 2pt minus 5pt, never opening a page
 *    (\predisplaypenalty 10000);
 *  - an equation number or \tag flush right (TeX's \eqno, which amsmath's
 *    equation uses: the formula centred, or centred in the room left of
 *    the tag when the gap would be under twice the tag's width; the tag on
 *    a line of its own below when both do not fit with a quad between);
 *  - too wide for the measure, in this order: its glue shrinks (TeX packs
 *    a display to the display width: medium spaces down to nothing);
 *    otherwise, where TeX would set an overfull box, it is broken before
 *    top-level relations and binary operators and set like amsmath's
 *    multline (first line \multlinegap 10pt from the left margin, last
 *    line 10pt from the right, the others centred, 3pt \jot between
 *    lines; the number on the last line); a box of the formula that no
 *    break can make fit (a fraction, \left...\right, an environment) runs
 *    into the right margin with an overfull warning at its line:column
 *    when it is at most 5 % wider than the line, and is an error there
 *    when it is wider.  Nothing is ever set smaller or cut off.
 *
 * Ownership: everything made here comes from the context's arena.
 */
#ifndef LB_PDF_DISPLAY_H
#define LB_PDF_DISPLAY_H

#include "pdf/pdf_ctx.h"

/* The display math node `n` (DOC_DMATH or DOC_MATH_BLOCK) in `measure`
 * points at the current indentation; `tag` (UTF-8 text with $math$, e.g.
 * "(3)"; NULL: none) is its number.  0, or -1 + error (the formula's own
 * errors, a box too wide, out of memory). */
int pdf_display_add(pdf_ctx *c, const doc_node *n, const char *tag, double measure);

#endif
