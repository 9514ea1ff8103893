/* math_unicode — the Unicode character behind a glyph of the Latin Modern
 * fonts, by glyph NAME (the Adobe Glyph List plus TeX's math names; table
 * generated into math_glyphuni.inc by tests/tools/gen_glyph_unicode.py).
 *
 * TeX's names mean different characters in different fonts, so the font's
 * class decides, from its file base: "lmmi*" math italic (its "phi" is
 * TeX's \phi, the straight ϕ U+03D5; "phi1" is \varphi, φ), "lmsy*" symbols
 * ("periodcentered" is \cdot, U+22C5; A-Z are \mathcal, the script
 * capitals), "lmex*" extension (every size of a big operator or delimiter
 * reads as its one character), anything else text/roman (ligatures read as
 * their letters).  Used by the PDF's ToUnicode maps and by math_text.c.
 *
 * Ownership: pure functions, no state.
 */
#ifndef LB_MATH_UNICODE_H
#define LB_MATH_UNICODE_H

#include <stdint.h>

#define MATH_UNI_MAX 3   /* most code points one glyph stands for (ffi) */

/* Unicode of glyph `name` in the font whose file base is `font_base`: the
 * number of code points written to out (1..MATH_UNI_MAX), 0 if unknown. */
int math_unicode_glyph(const char *font_base, const char *name, uint32_t out[MATH_UNI_MAX]);

/* The double-struck letter (\mathbb) for an ASCII capital, else `c`. */
uint32_t math_unicode_doublestruck(int c);
/* The Fraktur letter (\mathfrak) for an ASCII letter, else `c`. */
uint32_t math_unicode_fraktur(int c);
/* The script capital (\mathscr) for an ASCII capital, else `c`. */
uint32_t math_unicode_script(int c);

/* Append code point `cp` as UTF-8 to buf (at least 5 bytes free); returns
 * the number of bytes written. */
int math_unicode_utf8(char *buf, uint32_t cp);

#endif
