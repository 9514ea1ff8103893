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

/* Read the header of `path`.  0 and *out filled when it is a PNG, JPEG or
 * SVG file; -1 with a message without position (the caller adds the
 * template's line:column): "cannot open: ...", "not a PNG, JPEG or SVG
 * file", "a truncated PNG header", ...  Exit code LB_EXIT_INPUT except for
 * read errors (LB_EXIT_RUNTIME). */
int img_probe(const char *path, img_info *out, lb_err *e);

/* "PNG" / "JPEG" / "SVG" / "unknown" (static). */
const char *img_format_name(img_format f);

/* Copy the file src to dst (created 0644, replaced; never through a
 * symlink at dst).  -1 + LB_EXIT_RUNTIME error naming the file. */
int img_copy(const char *src, const char *dst, lb_err *e);

#endif
