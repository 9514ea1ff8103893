/* pdf_text — text in the handout's Latin Modern text fonts (PF_*,
 * pdf_ctx.h): which font file each id is, the families used for body text,
 * captions, headings and the title, measuring WinAnsi text with the AFM
 * (double precision, KPX kerning) and drawing it at exactly the measured
 * positions (libharu's integer widths never move anything: every kern-free
 * segment gets its own TextOut).
 *
 * Ownership: the AFMs (c->font[].afm) belong to c->pf (pdf_fonts.h); the
 * HPDF_Font handles to the libharu document.  Strings are borrowed.
 */
#ifndef LB_PDF_TEXT_H
#define LB_PDF_TEXT_H

#include <stddef.h>
#include "pdf/pdf_ctx.h"

/* Body 10pt, \small 9pt (captions, tables), section heads, title, 12pt
 * (author, date). */
extern const pdf_fam pdf_fam_body, pdf_fam_small, pdf_fam_head,
    pdf_fam_title, pdf_fam_r12;

/* Load the metrics of every PF_* font through c->pf (the fonts themselves
 * are embedded on first use: each Type 1 font costs ~100 KB).  0, or -1 +
 * error (a missing font file). */
int pdf_text_fonts_load(pdf_ctx *c);
/* Width in pt of WinAnsi s[0..len) in `font` at `size`, kerned. */
double pdf_text_width(pdf_ctx *c, int font, double size, const char *s,
                      size_t len);
/* Draw WinAnsi s[0..len) with its baseline's left end at (x, y) on c->page.
 * Returns the width drawn (0 when the font cannot be embedded: the error
 * is in the context, pdf_hpdf_ok reports it). */
double pdf_text_draw(pdf_ctx *c, int font, double size, const char *s,
                     size_t len, double x, double y);

#endif
