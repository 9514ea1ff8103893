/* pdf_cs — the text part of a page's content stream written directly, the
 * way pdfTeX writes it (issue 15: page content was most of the handout's
 * size): one text object (BT … ET) for a run of shows, a new line by a
 * relative Td, the glyphs of one line in TJ arrays whose numbers (in
 * thousandths of the font size) move the pen to each word's and each kern's
 * exact position, a Tf only when the font or size changes.
 *
 * Positions are exact in the sense that matters for the page's pixels: the
 * writer tracks the pen as a viewer computes it (the glyph widths written
 * in the font's /Widths, which libharu keeps as integers, plus every number
 * written) and each TJ number corrects the pen to the requested position,
 * so rounding never accumulates along a line.
 *
 * While a text object is open, libharu's page is in its text-object mode:
 * a path, an image or libharu's own BeginText on that page fails (libharu
 * reports an error) instead of writing an invalid stream.  Close it with
 * pdf_cs_end before drawing anything but text through this writer.
 *
 * Ownership: a pdf_cs is a plain struct owned by its holder (pdf_ctx); it
 * borrows the page and the fonts, which belong to the libharu document.
 */
#ifndef LB_PDF_CS_H
#define LB_PDF_CS_H

#include <stddef.h>
#include <hpdf.h>

/* Decimals of a TJ number (thousandths of the font size): 2 keeps every
 * glyph within 0.005/1000 em of its position (5e-5 pt at 10 pt). */
#define PDF_CS_TJ_DECIMALS 3

typedef struct pdf_cs {
    HPDF_Page page;          /* page of the open text object, else NULL */
    int in_array;            /* "[" written, "]TJ" due */
    double ty;               /* requested baseline of the current line */
    double lx, ly;           /* the line's origin (Tlm) as written */
    double pen;              /* the viewer's pen on the line (x, as written) */
} pdf_cs;

/* Show bytes s[0..len) (codes of `font`) with the first glyph's origin at
 * (x, y) on `page`; the following glyphs advance by the font's widths.
 * Opens a text object when none is open.  0, or -1 (libharu error; it is
 * recorded in the document's error state). */
int pdf_cs_show(pdf_cs *cs, HPDF_Page page, HPDF_Font font, double size,
                double x, double y, const char *s, size_t len);

/* As pdf_cs_show, but invisible (text rendering mode 3, for text that is
 * there only to be extracted): "3 Tr" before and "0 Tr" after, inside the
 * text object, so the mode is back to fill for whatever is shown next. */
int pdf_cs_show_invisible(pdf_cs *cs, HPDF_Page page, HPDF_Font font, double size,
                          double x, double y, const char *s, size_t len);

/* Where libharu's TextOut put text before the content writer existed: each
 * call a text object of its own, its first show at the absolute position
 * and the others relative to it, every number a float written by libharu's
 * HPDF_FToA.  The writer aims at exactly these numbers, so glyphs land
 * where they always did (a renderer snaps each glyph to a fraction of a
 * pixel, and a move of 1e-5 pt can cross one; text extraction orders words
 * of one line by such positions).  Start each would-be text object at
 * {0, 0, 0, 0}; after pdf_cs_hpos_move, (x, y) is where to show. */
typedef struct pdf_cs_hpos {
    float tmx, tmy;          /* libharu's text matrix (float) */
    double x, y;             /* the position as a viewer reads it */
} pdf_cs_hpos;
void pdf_cs_hpos_move(pdf_cs_hpos *h, double x, double y);

/* Close the open text object (if any) and write what is pending.  0, or
 * -1 (libharu error). */
int pdf_cs_end(pdf_cs *cs);

/* The advance of s[0..len) in `font` at `size` as a viewer computes it
 * (the /Widths libharu writes), in pt. */
double pdf_cs_advance(HPDF_Font font, double size, const char *s, size_t len);

/* A path construction operator with nv (0..6) operands: "m", "l", "c", "h".
 * Numbers are written from the double with up to 5 decimals (a figure's
 * coordinates as its SVG wrote them, not through libharu's float).  Sets
 * libharu's page into its path mode, so that its painting operators follow.
 * 0, or -1. */
int pdf_cs_path(HPDF_Page page, const double *v, int nv, const char *op);

/* Graphics state through libharu, but only what differs from libharu's
 * record of the current state (saved and restored by its q/Q): a figure's
 * every path used to repeat its colour, cap, join, miter limit and width.
 * Each returns libharu's status. */
HPDF_STATUS pdf_cs_rgb_fill(HPDF_Page page, double r, double g, double b);
HPDF_STATUS pdf_cs_stroke_style(HPDF_Page page, double r, double g, double b,
                                HPDF_LineCap cap, HPDF_LineJoin join, double miter);
HPDF_STATUS pdf_cs_line_width(HPDF_Page page, double w);

#endif
