/* pdf_cjkfont — the CJK faces of a document: which TrueType file sets CJK
 * text next to each Latin Modern font, how large, where each glyph sits,
 * and drawing it.
 *
 * Faces (Debian packages installed by `make deps`):
 *   SONG  AR PL UMing CN (fonts-arphic-uming, uming.ttc face 0): a Ming/Song
 *         face, the roman of Chinese textbooks; body text, titles, italics
 *         (CJK has no italic; slanting ideographs is bad typography);
 *   HEI   WenQuanYi Micro Hei (fonts-wqy-microhei, face 0): the sans face
 *         Chinese books use for headings and bold; also code.
 * Both have TrueType outlines (libharu 2.3.0 embeds no CFF) and are
 * embedded as subsets with Identity-H and a ToUnicode map, so pdftotext
 * extracts the text.
 *
 * Size: the CJK face is scaled so that the average ink height of common
 * ideographs (the ideographic character face) equals the span of Latin
 * Modern's ascenders and descenders ("d" to "p", 0.888 em in lmr10.afm), so
 * the two scripts look even; pdf_cjkfont_scale gives the factor (0.97 for
 * UMing, 0.99 for Micro Hei).
 *
 * Punctuation: GB/T 15834 puts 。、． in the lower left of the em square; a
 * face that centres them (the Taiwan convention, as AR PL UMing does) has
 * them drawn from the other face when that one follows GB (Micro Hei does;
 * the stop and the comma are plain shapes in both).  Moving the glyph
 * instead would shift its baseline, and text extraction would then put
 * the mark on a line of its own.
 *
 * Faces are opened on first use: a document without CJK text opens none.
 *
 * Ownership: pdf_cjkfont_new returns an object owned by the caller and
 * freed by pdf_cjkfont_free; the HPDF_Font handles belong to the libharu
 * document passed to pdf_cjkfont_hpdf (one document per pdf_cjkfont).
 */
#ifndef LB_PDF_CJKFONT_H
#define LB_PDF_CJKFONT_H

#include <hpdf.h>
#include "base/err.h"

enum { PDF_CJK_SONG = 0, PDF_CJK_HEI, PDF_CJK_NFACES };

typedef struct pdf_cjkfont pdf_cjkfont;

/* One glyph, in em of the CJK size (= Latin size * scale). */
typedef struct pdf_cjk_glyph {
    double adv;          /* advance width */
    double ymin, ymax;   /* ink, baseline-relative (0 for a blank glyph) */
    int face;            /* the face that draws it (see Punctuation) */
    int squeeze_tail;    /* 1: ink in the left half (a closing mark may give
                            up its right half) */
    int squeeze_head;    /* 1: ink in the right half (an opening mark may
                            give up its left half) */
} pdf_cjk_glyph;

pdf_cjkfont *pdf_cjkfont_new(lb_err *e);
void pdf_cjkfont_free(pdf_cjkfont *cf);

/* The face that sets CJK text next to a Latin font: bold and headings ->
 * HEI, typewriter -> HEI, everything else SONG. */
int pdf_cjkfont_face(int bold, int mono);
/* Size factor of `face` relative to the Latin size (opens the face). */
double pdf_cjkfont_scale(pdf_cjkfont *cf, int face, lb_err *e);

/* The glyph of `u` in `face`, recorded as used.  Returns 0, 1 when the face
 * has no glyph for u (nothing set: the caller reports the character and
 * its place), or -1 + error (the font file cannot be opened). */
int pdf_cjkfont_glyph(pdf_cjkfont *cf, int face, unsigned u,
                      pdf_cjk_glyph *g, lb_err *e);
/* Human-readable face name for messages ("AR PL UMing CN"). */
const char *pdf_cjkfont_name(int face);

/* The face embedded in `doc` (on first call), Identity-H / UTF-8; `doc`
 * must have had HPDF_UseUTFEncodings (pdf_hpdf_new does it; a second call
 * is an error in libharu). */
HPDF_Font pdf_cjkfont_hpdf(pdf_cjkfont *cf, HPDF_Doc doc, int face,
                           lb_err *e);
/* Record `u` as drawn in `face` (the face pdf_cjkfont_glyph named), for
 * callers that show text themselves.  0, or -1 + error. */
int pdf_cjkfont_mark(pdf_cjkfont *cf, int face, unsigned u);
/* Draw `u` (set by pdf_cjkfont_glyph) with its origin at (x, y), `size` =
 * the CJK size in pt, inside BeginText/EndText of its own.  `room` is the
 * distance to the next glyph's origin on the line (< 0: none).  When the
 * next glyph closes up on this one by a quarter em or more (squeezed
 * punctuation, "”，"), this one is drawn as its narrow variant: a CID of
 * our own (in the surrogate range) with the same glyph, ink and Unicode
 * value but half the advance in /W, so its box (what pdftotext reads;
 * poppler ignores character spacing there) ends where the next glyph
 * starts.  Overlapping boxes made pdftotext split the line at the pair and
 * print "，也是…" as a line of its own.  0 or -1. */
int pdf_cjkfont_draw(pdf_cjkfont *cf, HPDF_Doc doc, HPDF_Page page,
                     int face, double size, unsigned u, double x, double y,
                     double room, lb_err *e);

/* Before saving: every embedded face becomes a subset of the characters
 * drawn, with widths, CIDToGIDMap and a ToUnicode map for them (see
 * pdf_cjkfont.c).  Call once, after the last draw.  0, or -1 + error. */
int pdf_cjkfont_finish(pdf_cjkfont *cf, lb_err *e);

#endif
