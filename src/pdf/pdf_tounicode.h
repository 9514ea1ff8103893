/* pdf_tounicode — a /ToUnicode CMap for each embedded font, so that text
 * extraction (pdftotext, copy and paste, search) gives the real characters:
 * math symbols (⊙ ⊤ ‖ ′ ℓ ϵ ⟨ ⟩), big operators of every size as ∑ ∏ ∫,
 * radicals as √, ligatures as their letters, \mathcal as script capitals,
 * \mathbb as double-struck capitals.
 *
 * A code's Unicode comes from its glyph NAME through math_unicode.h (the
 * Adobe Glyph List plus TeX's math names, read per font class).
 *
 * Ownership: everything is borrowed; the CMap stream belongs to the libharu
 * document once attached.  No state.
 */
#ifndef LB_PDF_TOUNICODE_H
#define LB_PDF_TOUNICODE_H

#include <stdint.h>
#include <hpdf.h>
#include "base/err.h"

#include "math/math_unicode.h"

#define PDF_TU_MAXCP MATH_UNI_MAX

/* Unicode of glyph `name` in the font whose file base is `font_base`
 * ("lmmi10", "lmr10", ...): the number of code points written to out
 * (1..PDF_TU_MAXCP), or 0 when the name is unknown. */
int pdf_tounicode_glyph(const char *font_base, const char *name, uint32_t out[PDF_TU_MAXCP]);

/* One code's Unicode: n code points (n = 0: the code is not in the map). */
typedef struct pdf_tu_map { int n; uint32_t u[PDF_TU_MAXCP]; } pdf_tu_map;

/* Fill map[256] from glyph names per code (names[code] NULL = unused) of
 * the font `font_base`.  Returns how many codes were mapped. */
int pdf_tounicode_from_names(const char *font_base, const char *const names[256],
                             pdf_tu_map map[256]);

/* The CMap program for map[256] (one-byte codes), NUL-terminated, malloc'd
 * (caller frees).  NULL + error on out of memory. */
char *pdf_tounicode_cmap(const pdf_tu_map map[256], lb_err *e);

/* Attach a /ToUnicode stream built from map[256] to `font` (a simple font
 * of `doc`); compressed when the document compresses text.  0, or -1 +
 * LB_EXIT_RUNTIME error (the libharu error is reset). */
int pdf_tounicode_attach(HPDF_Doc doc, HPDF_Font font, const pdf_tu_map map[256], lb_err *e);

/* Conveniences for pdf_fonts: attach the map of a font whose codes name
 * `names[code]` (built-in encoding, extra slots included); of a text font
 * in WinAnsiEncoding.  (The TrueType math fonts get theirs from
 * pdf_ttface_finish: \mathbb's capitals read as the double-struck letters
 * U+1D538.., ℂ ℍ ℕ ℙ ℚ ℝ ℤ.) */
int pdf_tounicode_attach_names(HPDF_Doc doc, HPDF_Font font, const char *font_base,
                               const char *const names[256], lb_err *e);
int pdf_tounicode_attach_winansi(HPDF_Doc doc, HPDF_Font font, const char *font_base,
                                 lb_err *e);

#endif
