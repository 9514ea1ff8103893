/* pdf_ttf — just enough of a TrueType font (a .ttf, or one face of a .ttc)
 * to typeset with it in double precision: which glyph a character maps to
 * (cmap formats 4 and 12), advance widths (hmtx), ink boxes (glyf), and the
 * vertical metrics (head, hhea, OS/2).  libharu embeds the font; this
 * module only measures it, so layout never depends on libharu's integer
 * widths, and a character the font lacks is known before anything is drawn.
 *
 * libharu 2.3.0 reads TrueType outlines only: a face with CFF outlines
 * ("OTTO", e.g. Noto CJK) is refused here with that reason.
 *
 * Ownership: pdf_ttf_open reads the whole file into memory owned by the
 * returned pdf_ttf (freed by pdf_ttf_free); every other function borrows.
 * Pure: no libharu, no globals.
 */
#ifndef LB_PDF_TTF_H
#define LB_PDF_TTF_H

#include <stddef.h>
#include "base/err.h"

typedef struct pdf_ttf pdf_ttf;

/* Vertical metrics in em (font units / unitsPerEm; y up, descender < 0). */
typedef struct pdf_ttf_metrics {
    double ascender, descender, line_gap;   /* hhea */
    double x_height, cap_height;            /* OS/2 v2+, 0 when absent */
    unsigned units_per_em, num_glyphs;
} pdf_ttf_metrics;

/* Open face `index` of `path` (index 0 for a plain .ttf).  NULL + error
 * (exit 1: the font is part of the installation, not user input). */
pdf_ttf *pdf_ttf_open(const char *path, unsigned index, lb_err *e);
/* Same from bytes the caller keeps alive while the pdf_ttf lives (tests).
 * `name` is used in messages. */
pdf_ttf *pdf_ttf_open_mem(const unsigned char *data, size_t len,
                          unsigned index, const char *name, lb_err *e);
void pdf_ttf_free(pdf_ttf *t);

const pdf_ttf_metrics *pdf_ttf_metrics_of(const pdf_ttf *t);
/* Glyph id of code point u, 0 when the font has none (.notdef). */
unsigned pdf_ttf_glyph(const pdf_ttf *t, unsigned u);
/* Advance width of glyph `gid` in em. */
double pdf_ttf_advance(const pdf_ttf *t, unsigned gid);
/* The raw bytes of table `tag` ("glyf", "OS/2", ...) of the face, NULL
 * when absent (*len 0).  Borrowed from the pdf_ttf. */
const unsigned char *pdf_ttf_table(const pdf_ttf *t, const char *tag,
                                   size_t *len);
/* The raw outline of glyph `gid` (empty for a blank glyph: NULL, *len 0). */
const unsigned char *pdf_ttf_glyph_data(const pdf_ttf *t, unsigned gid,
                                        size_t *len);
/* Ink box of glyph `gid` in em: bb = {xmin, ymin, xmax, ymax}.  Returns 0,
 * or -1 for an empty glyph (a space) or a damaged table (bb zeroed). */
int pdf_ttf_bbox(const pdf_ttf *t, unsigned gid, double bb[4]);

#endif
