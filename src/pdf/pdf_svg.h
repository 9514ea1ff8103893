/* pdf_svg — draw a parsed gnuplot SVG (svg.h) on a libharu page as vectors.
 *
 * Scaling convention.  gnuplot writes the figure with
 *   set terminal svg size 400,250 font "Latin Modern Roman,9"
 * so one SVG unit is one PostScript point when the figure is printed 400 pt
 * wide.  pdf_svg_draw maps the canvas to `width` points (s = width / canvas
 * width, aspect kept).  Geometry (paths, point symbols, text anchors) scales
 * by s; LINE WIDTHS, DASH LENGTHS and FONT SIZES stay at their print size
 * (1 unit = 1 pt) unless the PDF_SVG_SCALE_* flags ask otherwise, so a
 * figure shown at 0.8 of the text width keeps 9 pt labels and 1 pt lines,
 * like pgfplots.  At s = 1 both conventions coincide.
 *
 * Text is set in Latin Modern: "Latin Modern Roman"/serif families -> lmr10
 * (WinAnsiEncoding, so pdftotext finds tick and axis labels), italic ->
 * lmri10, bold -> lmbx10, bold italic -> lmbxi10; gnuplot's Symbol font
 * (enhanced text {/Symbol a}) -> the Greek of lmmi10 like TeX's $\alpha$.
 * Each span is placed explicitly at its double-precision position (AFM
 * widths, not libharu's integer ones), anchored start/middle/end and rotated
 * with the text matrix.  With opts->mf, a label whose whole text is
 * `$...$` (write it `noenhanced` in the .gp so gnuplot passes it through)
 * is typeset with math_layout at the label's size and anchored/rotated like
 * text, so axis labels match the formulas of the handout; without opts->mf
 * it is drawn literally.
 * CJK characters (and any other character neither cp1252 nor the math
 * fonts have) are set in the CJK faces of opts->cjk (pdf_cjkfont.h), at the
 * CJK size that goes with the span's size.
 * Transparency (fill-opacity/opacity < 1) uses an ExtGState with the alpha
 * when opts->pdf is given; otherwise the colour is blended with white (exact
 * over the white page, approximate over other drawing).
 *
 * Ownership: borrows everything; the page's graphics state is saved and
 * restored around the figure.
 */
#ifndef LB_PDF_SVG_H
#define LB_PDF_SVG_H

#include <hpdf.h>
#include "base/err.h"
#include "svg/svg.h"
#include "math/math.h"
#include "pdf/pdf_fonts.h"
#include "pdf/pdf_cjkfont.h"

enum {
    PDF_SVG_SCALE_STROKES = 1,      /* line widths and dashes scale by s */
    PDF_SVG_SCALE_TEXT = 2,         /* font sizes scale by s */
    PDF_SVG_HPDF_PATHS = 4          /* path numbers through libharu's float
                                       operators (pdf_opts.hpdf_content) */
};

typedef struct pdf_svg_opts {
    unsigned flags;                 /* PDF_SVG_SCALE_* */
    const math_fonts *mf;           /* for `$...$` labels; NULL: literal */
    HPDF_Doc pdf;                   /* for ExtGState alpha; NULL: blend */
    pdf_cjkfont *cjk;               /* CJK text in its faces (needs pdf);
                                       NULL: such text is an error */
} pdf_svg_opts;

/* Height in points the figure takes when drawn `width` points wide. */
double pdf_svg_height(const svg_doc *doc, double width);

/* Draw `doc` scaled to `width` points with its top-left corner at
 * (x, y_top) in page coordinates (y up).  0, or -1 + error: LB_EXIT_INPUT
 * naming the SVG file and the <text> line:col for a character Latin Modern
 * cannot show, LB_EXIT_RUNTIME for libharu/font failures. */
int pdf_svg_draw(pdf_fonts *pf, HPDF_Page page, const svg_doc *doc,
                 double x, double y_top, double width, lb_err *e);
int pdf_svg_draw_opts(pdf_fonts *pf, HPDF_Page page, const svg_doc *doc,
                      double x, double y_top, double width,
                      const pdf_svg_opts *opts, lb_err *e);

#endif
