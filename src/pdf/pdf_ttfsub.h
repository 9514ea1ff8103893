/* pdf_ttfsub — a subset of a TrueType face as a new TrueType file, for
 * embedding as a CIDFontType2 (FontFile2).
 *
 * Why our own: libharu 2.3.0 subsets a TrueType font by emptying the
 * outlines of glyphs it did not draw, but (1) it forgets the components of
 * composite glyphs, so most ideographs of WenQuanYi Micro Hei (31 440 of
 * its 49 531 glyphs are composites) and some of AR PL UMing print as
 * blanks, and (2) it keeps cmap, hmtx, loca and post whole (a fixed 300-
 * 500 KB per face).  The subset here keeps glyph ids (so the CIDToGIDMap
 * stays valid), carries the outlines of the used glyphs and of every
 * component they reference, .notdef, a format-4 cmap of the used
 * characters, hmtx/loca up to the highest used glyph (zeros elsewhere,
 * which compress to nothing), a format-3 post (no glyph names), and the
 * hinting tables, OS/2 and name as they were.
 *
 * Ownership: *out is malloc'd, the caller frees it.  Pure: no libharu.
 */
#ifndef LB_PDF_TTFSUB_H
#define LB_PDF_TTFSUB_H

#include <stddef.h>
#include "base/err.h"
#include "pdf/pdf_ttf.h"

/* The subset of `t` for the code points cps[0..n) (BMP, any order, may
 * repeat; a code point the face lacks is skipped).  0, or -1 + error
 * (out of memory; more distinct characters than one format-4 cmap
 * holds). */
int pdf_ttfsub_build(const pdf_ttf *t, const unsigned *cps, size_t n,
                     unsigned char **out, size_t *len, lb_err *e);

/* Glyph ids the subset keeps for cps (the used glyphs, their components,
 * and 0): used[g] = 1 for g < num_glyphs.  `used` has num_glyphs bytes.
 * Returns the highest kept id. */
unsigned pdf_ttfsub_closure(const pdf_ttf *t, const unsigned *cps, size_t n,
                            unsigned char *used);

#endif
