/* pdf_ttface — a TrueType face embedded for Unicode text, shared by the
 * CJK faces (pdf_cjkfont.h) and the TrueType math fonts from fonts-katex
 * (\mathbb, amssymb, \mathfrak, \mathscr; pdf_fonts.h): libharu's UTF-8
 * encoding (an Identity-H CIDFontType2, CID = code point; the document
 * must have had HPDF_UseUTFEncodings), and before the document is saved
 * our own subset of the characters drawn with their /W widths, a
 * CIDToGIDMap and a real ToUnicode map (see pdf_ttface.c for why libharu's
 * own is not used).  Code points up to U+FFFF (libharu 2.3.0's UTF-8
 * encoding is 16-bit).
 *
 * Ownership: pdf_ttface_new returns a face owned by the caller (freed by
 * pdf_ttface_free); the HPDF_Font belongs to the libharu document given to
 * pdf_ttface_hpdf (one document per face); the pdf_ttf is the face's.
 */
#ifndef LB_PDF_TTFACE_H
#define LB_PDF_TTFACE_H

#include <hpdf.h>
#include "base/err.h"
#include "pdf/pdf_ttf.h"

typedef struct pdf_ttface pdf_ttface;

/* Face `index` of `path` (a .ttf or .ttc), called `name` in messages;
 * nothing is read yet.  NULL + error (out of memory). */
pdf_ttface *pdf_ttface_new(const char *path, unsigned index, const char *name, lb_err *e);
void pdf_ttface_free(pdf_ttface *f);
const char *pdf_ttface_name(const pdf_ttface *f);
/* Its metrics (the file read on first use).  NULL + error. */
const pdf_ttf *pdf_ttface_ttf(pdf_ttface *f, lb_err *e);
/* The face embedded in `doc` (on first call), UTF-8.  NULL + error. */
HPDF_Font pdf_ttface_hpdf(pdf_ttface *f, HPDF_Doc doc, lb_err *e);
/* Record `u` as drawn (for the subset); `out` (5 bytes) gets the UTF-8
 * string to show it with.  0, or -1 when u is beyond U+FFFF. */
int pdf_ttface_mark(pdf_ttface *f, unsigned u, char out[5]);
/* Draw `u` with its origin at (x, y) at `size` pt, in a text object of its
 * own.  narrow = 1 draws its narrow variant: a code of our own (in the
 * surrogate range, which no character uses) for the same glyph and the
 * same character in ToUnicode, with half the advance in /W, for a glyph
 * the next one closes up on (squeezed punctuation): its box, which is
 * what pdftotext reads, then ends where the next glyph starts (overlapping
 * boxes made pdftotext split the line there).  0, or -1 + error. */
int pdf_ttface_draw(pdf_ttface *f, HPDF_Doc doc, HPDF_Page page, double size, unsigned u,
                    double x, double y, int narrow, lb_err *e);
/* Before saving, once, after the last draw (nothing when nothing was
 * drawn): the subset, /W, CIDToGIDMap and ToUnicode, where `uni` (NULL:
 * the code itself) gives the character a code stands for.  0, or -1. */
int pdf_ttface_finish(pdf_ttface *f, unsigned (*uni)(unsigned), lb_err *e);

#endif
