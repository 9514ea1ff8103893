/* afm — Adobe Font Metrics reader (Latin Modern Type 1 fonts).
 *
 * Parses one .afm file: FontName, global metrics, every glyph (name, code C
 * which may be -1 for glyphs outside the built-in encoding, advance WX, ink
 * box B) and the KPX kerning pairs.  Glyphs are looked up by NAME (sorted
 * table + bsearch) or by built-in code.  All metric values are in AFM units:
 * 1/1000 of the font size (multiply by size_pt/1000 to get points).
 *
 * Used by the math layout (widths, kerns, codes; heights/depths come from the
 * TFM, see tfm.h) and by the PDF body-text layout, which maps WinAnsi (cp1252)
 * bytes to glyph names (afm_winansi_name) and then to widths.
 *
 * Ownership: afm_load returns a font the caller frees with afm_free.  Every
 * `const char *` and `const afm_glyph *` returned points into the font and
 * stays valid until afm_free.
 */
#ifndef LB_AFM_H
#define LB_AFM_H

#include <stddef.h>
#include "base/err.h"

typedef struct afm_glyph {
    const char *name;  /* glyph name, e.g. "sigma" (owned by the font) */
    int code;          /* code in the font's built-in encoding, -1 if none */
    double wx;         /* advance width, 1/1000 em */
    double bbox[4];    /* ink box llx lly urx ury, 1/1000 em */
} afm_glyph;

typedef struct afm_font afm_font;

/* Parse `path`.  NULL + error (LB_EXIT_RUNTIME for I/O, LB_EXIT_INPUT for a
 * malformed file, "PATH:LINE: ...") on failure. */
afm_font *afm_load(const char *path, lb_err *e);
/* The same; with AFM_KERN_LAZY the KPX lines (60 % of a text font's
 * load) are read only when a kern is first asked for (issue 15: most
 * fonts of the math set are never kerned by their AFM), and a malformed
 * one is then skipped instead of refused.  Such a font changes on that
 * first call: use it from one thread at a time. */
enum { AFM_KERN_LAZY = 1 };
afm_font *afm_load_opt(const char *path, int flags, lb_err *e);
void afm_free(afm_font *f);

const char *afm_font_name(const afm_font *f);   /* PostScript FontName */
/* Global metrics (1/1000 em; 0 when the AFM lacks the key). */
double afm_ascender(const afm_font *f);
double afm_descender(const afm_font *f);        /* negative */
double afm_cap_height(const afm_font *f);
double afm_x_height(const afm_font *f);
double afm_italic_angle(const afm_font *f);     /* degrees */
double afm_underline_position(const afm_font *f);
double afm_underline_thickness(const afm_font *f);
/* TeX parameter \fontdimen n (1/1000 em) from the "Comment TFM fontdimen"
 * lines Latin Modern's AFMs carry (2 space, 3 stretch, 4 shrink, 7 extra
 * space); -1 when absent.  Right for text fonts only (the math fonts'
 * comments are generic: read their TFM). */
double afm_fontdimen(const afm_font *f, int n);

/* Glyphs are numbered 0..afm_count-1 (sorted by name). */
int afm_count(const afm_font *f);
const afm_glyph *afm_glyph_at(const afm_font *f, int index); /* NULL if out of range */

/* Index of the glyph named `name`, or -1. */
int afm_find(const afm_font *f, const char *name);
/* Index of the glyph with built-in code `code` (0..255), or -1. */
int afm_find_code(const afm_font *f, int code);

/* Advance of built-in code `code`, 0 if the code is unused. */
double afm_width_of_code(const afm_font *f, int code);
/* Advance of glyph `name`, 0 if absent. */
double afm_width_of_name(const afm_font *f, const char *name);

/* KPX kern between two glyph indices (1/1000 em, usually negative), 0 if
 * none or an index is -1. */
double afm_kern(const afm_font *f, int left_index, int right_index);
double afm_kern_names(const afm_font *f, const char *left, const char *right);

/* WinAnsi (cp1252) byte -> standard glyph name ("quoteright", "endash",
 * "Eacute", ...), NULL for unassigned bytes (0x81, 0x8D, ... and controls). */
const char *afm_winansi_name(unsigned char byte);
/* Glyph index for a WinAnsi byte in this font, -1 if the font lacks it. */
int afm_winansi_index(const afm_font *f, unsigned char byte);
/* Width of `len` WinAnsi bytes at `size_pt`, in points, with KPX kerning
 * between neighbours when `kern` is non-zero.  Missing glyphs count 0. */
double afm_winansi_text_width(const afm_font *f, const char *s, size_t len,
                              double size_pt, int kern);

#endif
