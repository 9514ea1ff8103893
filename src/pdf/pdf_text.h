/* pdf_text — text in the handout's Latin Modern text fonts (PF_*,
 * pdf_ctx.h): which font file each id is, the families used for body text,
 * captions, headings and the title, measuring WinAnsi text with the AFM
 * (double precision, KPX kerning) and drawing it at exactly the measured
 * positions (libharu's integer widths never move anything: the content
 * writer, pdf_cs.h, places every kern-free segment where the AFM says).
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
/* Draw WinAnsi s[0..len) with its baseline's left end at (x, y) on c->page,
 * in a text object of its own.  Returns the width drawn (0 when the font
 * cannot be embedded or the text cannot be written: the error is in the
 * context, pdf_hpdf_ok reports it). */
double pdf_text_draw(pdf_ctx *c, int font, double size, const char *s,
                     size_t len, double x, double y);
/* The same, but the text object stays open (c->cs, pdf_cs.h) so that the
 * next run on the line continues its TJ array: the caller closes it with
 * pdf_text_end before drawing anything else (a path, a formula, an image).
 * pdf_line.c sets a whole line this way. */
double pdf_text_run(pdf_ctx *c, int font, double size, const char *s,
                    size_t len, double x, double y);
/* Close the open text object, if any.  0, or -1 + error in the context. */
int pdf_text_end(pdf_ctx *c);

#endif
