/* pdf_t1sub — at save time, cut every embedded Type 1 font of a libharu
 * document down to the glyphs its pages show, and compress every font
 * program stream.
 *
 * libharu 2.3.0 embeds each Type 1 program whole (the PFB bytes, segment
 * headers included) and, because a font's stream filter is copied before
 * the document's compression mode reaches the font, never compresses it:
 * 90 % of the handout's bytes.  This module works on libharu's objects
 * just before HPDF_SaveToFile, after every page is drawn:
 *   1. every page's content stream is scanned (Tf, Tj, TJ, ', ") for the
 *      codes shown in each font resource, q/Q respected;
 *   2. codes become glyph names through what a viewer will use: the font
 *      dictionary's /Encoding /Differences over the built-in encoding, or
 *      WinAnsiEncoding / StandardEncoding, or the program's built-in one;
 *   3. fonts sharing one program (one descriptor) are subset once, to the
 *      union of their glyphs (pdf_t1font.h), the stream replaced by a
 *      proper cleartext + binary + trailer program with its Length1/2/3,
 *      /BaseFont and /FontName tagged "ABCDEF+Name" (the tag a hash of the
 *      kept glyphs: same document, same bytes);
 *   4. every /FontFile, /FontFile2, /FontFile3 stream gets /FlateDecode.
 * Anything it cannot read with certainty (an encoding it does not know, a
 * font program it cannot parse) keeps that font whole: never a missing
 * glyph.  Text stays extractable: only font programs change, never the
 * content streams or the encodings.
 *
 * Ownership: works in place on `doc`, which the caller owns; allocates
 * only scratch memory, freed before it returns.
 */
#ifndef LB_PDF_T1SUB_H
#define LB_PDF_T1SUB_H

#include <stddef.h>
#include <hpdf.h>
#include "base/err.h"

typedef struct pdf_t1sub_stats {
    int fonts_subset;        /* Type 1 programs cut down */
    int fonts_whole;         /* Type 1 programs kept whole (see above) */
    size_t bytes_before;     /* their program bytes, before and after */
    size_t bytes_after;
} pdf_t1sub_stats;

/* A Type 1 program that libharu holds only a stub of (issue 15: libharu
 * copies and searches every PFB it loads; pdf_fonts reads it once and
 * gives libharu a few bytes instead).  pdf_t1sub_apply embeds the subset
 * of it, or the program whole, with the Length1..3 libharu would have
 * given it. */
typedef struct pdf_t1prog {
    const char *font_name;        /* PostScript name (the fontdef's base font) */
    const unsigned char *data;    /* the PFB's bytes (borrowed) */
    size_t len;
    size_t lens[3];               /* Length1, Length2, Length3 */
} pdf_t1prog;

/* Subset and compress (see above); the programs of `progs` (may be NULL
 * when nprogs is 0) replace libharu's stubs.  The programs are cut on two
 * threads (base/par.h); libharu is used on the calling thread only.
 * `stats` may be NULL.  Returns 0, or -1 with `e` set (out of memory, a
 * libharu error). */
int pdf_t1sub_apply(HPDF_Doc doc, const pdf_t1prog *progs, size_t nprogs,
                    pdf_t1sub_stats *stats, lb_err *e);

#endif
