/* img — what a picture file is, from its first bytes: PNG (IHDR), JPEG (the
 * SOF marker) or SVG (an <svg element near the start), with the numbers the
 * PDF needs to place it and to know it can embed it.  Also a plain file
 * copy (pictures go into out/figures/ for report.md).
 *
 * Ownership: results in caller structs; nothing retained.
 */
#ifndef LB_IMG_H
#define LB_IMG_H

#include "base/err.h"

/* Pictures larger than this are refused before any decoder sees them: the
 * PDF library holds a PNG's pixels in memory (50 megapixels: 200 MB RGBA),
 * and libpng refuses sides above 1,000,000 anyway. */
#define IMG_MAX_SIDE 100000u
#define IMG_MAX_PIXELS 50000000u

typedef enum img_format { IMG_UNKNOWN = 0, IMG_PNG, IMG_JPEG, IMG_SVG } img_format;

typedef struct img_info {
    img_format format;
    unsigned width, height;   /* pixels (PNG, JPEG); 0 for SVG */
    int bit_depth;            /* PNG: 1..16; JPEG: 8 or 12 */
    int color_type;           /* PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha,
                                 6 RGBA); JPEG: number of components */
    int interlaced;           /* PNG Adam7 */
    int progressive;          /* JPEG SOF2 */
} img_info;

/* Identify and check the picture `path`.  0 and *out filled when it is a
 * PNG, JPEG or SVG file that the PDF library can read without failing:
 * a PNG is read to its end (chunk order and CRCs, IHDR, a pixel limit,
 * the IDAT data inflated to exactly IHDR's size, row filter types), a
 * JPEG's markers are walked to its end-of-image marker; an SVG is only
 * recognised (the SVG reader checks the rest).  A FIFO never blocks the
 * open: only a regular file is a picture.  -1 with a message without
 * position (the caller adds the template's line:column): "cannot open:
 * ...", "not a regular file (a pipe)", "not a PNG, JPEG or SVG file", "a
 * damaged PNG: chunk IDAT at byte 33 fails its CRC check (expected ...)",
 * ...  Exit code LB_EXIT_INPUT except for read errors and lack of memory
 * (LB_EXIT_RUNTIME).  Memory does not grow with the picture. */
int img_probe(const char *path, img_info *out, lb_err *e);

/* "PNG" / "JPEG" / "SVG" / "unknown" (static). */
const char *img_format_name(img_format f);

/* Copy the file src to dst (created 0644, replaced; never through a
 * symlink at dst).  -1 + LB_EXIT_RUNTIME error naming the file. */
int img_copy(const char *src, const char *dst, lb_err *e);

#endif
