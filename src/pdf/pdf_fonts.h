/* pdf_fonts — load Latin Modern Type 1 fonts (and the \mathbb TrueType) into
 * one libharu document, once each, with correct widths.
 *
 * libharu 2.3.0 gives every glyph of a FontSpecific (built-in encoding) font
 * whose name is not Latin-1 a width of 0 and then silently draws nothing; we
 * rewrite the font's width table from the AFM for every code.  Text fonts can
 * also be requested with "WinAnsiEncoding" (body text, extractable).
 *
 * Ownership: pdf_fonts_new borrows `doc` and `mf` (both must outlive the
 * pdf_fonts; `mf` may be NULL, then fonts come from /usr/share/texmf/fonts and
 * math fonts are unavailable).  HPDF_Font handles belong to the document.
 * AFMs returned by pdf_fonts_afm are owned by the pdf_fonts.
 */
#ifndef LB_PDF_FONTS_H
#define LB_PDF_FONTS_H

#include <hpdf.h>
#include "base/err.h"
#include "math/afm.h"
#include "math/math.h"
#include "pdf/pdf_t1sub.h"

typedef struct pdf_fonts pdf_fonts;

pdf_fonts *pdf_fonts_new(HPDF_Doc doc, const math_fonts *mf, lb_err *e);
void pdf_fonts_free(pdf_fonts *pf);

/* From now on, Type 1 programs are read once by pdf_fonts and libharu
 * gets a stub in their place (issue 15): the document must then go
 * through pdf_t1sub_apply with pdf_fonts_programs before it is saved.
 * The programs belong to pf (valid until pdf_fonts_free). */
void pdf_fonts_stub(pdf_fonts *pf);
const pdf_t1prog *pdf_fonts_programs(const pdf_fonts *pf, size_t *n);

/* Font `font_file_base` ("lmr10", "lmbx12", "lmtt10", "lmmi10", ...) from
 * afm/public/lm + type1/public/lm, embedded once per document and cached per
 * encoding.  `encoding` is "WinAnsiEncoding" or NULL for the built-in one. */
HPDF_Font pdf_fonts_get(pdf_fonts *pf, const char *font_file_base,
                        const char *encoding, lb_err *e);

/* The AFM of `font_file_base` (loaded once, cached). */
const afm_font *pdf_fonts_afm(pdf_fonts *pf, const char *font_file_base,
                              lb_err *e);

/* Font for a math font id (MATH_F_*): a Type 1 font in its built-in
 * encoding, or a TrueType font in libharu's UTF-8 encoding (pdf_ttface.h). */
HPDF_Font pdf_fonts_math(pdf_fonts *pf, int math_font_id, lb_err *e);
/* The string that shows glyph `code` (math_glyph.code) of math font `id`
 * with that font: the byte, or the character in UTF-8 for a TrueType font
 * (recorded as drawn, for its subset).  0, or -1 + error. */
int pdf_fonts_math_text(pdf_fonts *pf, int id, int code, char out[5], lb_err *e);
/* Before saving: the TrueType math fonts' subsets and ToUnicode maps
 * (pdf_ttface_finish).  0, or -1 + error. */
int pdf_fonts_finish(pdf_fonts *pf, lb_err *e);

#endif
