/* pdf_slot — a fill-in blank of a worksheet: the room a value would take,
 * with a rule to write on (`[x](value:NAME?blank)`).  The room depends only
 * on the value's text, so a worksheet and its key have the same layout;
 * the key (pdf_opts.fill_blanks) sets the value in it, the worksheet sets
 * nothing, so its text holds none of the blanked values.
 *
 * Ownership: nothing kept; hb->s (the key's text) is the arena's.
 */
#ifndef LB_PDF_SLOT_H
#define LB_PDF_SLOT_H

#include "pdf/pdf_ctx.h"

/* Width, height and depth of the slot for WinAnsi text s[0..n) in
 * font/size: the text's width plus room on both sides (at least four
 * digits' worth), and taller than a line so that a table row leaves room
 * to write. */
void pdf_slot_size(pdf_ctx *c, int font, double size, const char *s, size_t n,
                   double *w, double *h, double *d);

/* Draw slot hb (kind HB_SLOT) of width w with its baseline's left end at
 * (x, y): the rule, and the text centred over it when hb->s is set. */
int pdf_slot_draw(pdf_ctx *c, const pdf_hbox *hb, double w, double x, double y);

#endif
