/* pdf_math — draw a laid-out formula (math.h) on a libharu page.
 *
 * Each glyph is placed explicitly from the box's double-precision
 * positions through the content writer (pdf_cs: its TJ numbers correct the
 * pen, so libharu's integer widths never move anything); rules are filled
 * rectangles.  The whole formula is one marked-
 * content sequence whose /ActualText is the box's linear text, so text
 * extraction reads "σ(z) = 1/(1 + e^(−z))" rather than scattered glyphs.  Uses the page's current fill colour
 * and restores the graphics state it changes.
 *
 * Ownership: borrows everything; draws nothing on failure beyond what was
 * already emitted.
 */
#ifndef LB_PDF_MATH_H
#define LB_PDF_MATH_H

#include <hpdf.h>
#include "base/err.h"
#include "math/math.h"
#include "pdf/pdf_cs.h"
#include "pdf/pdf_fonts.h"

/* Draw `box` with its baseline's left end at (x, y_baseline) in page points
 * (PDF user space, y up).  0 on success, -1 + error (LB_EXIT_RUNTIME). */
int pdf_math_draw(pdf_fonts *pf, HPDF_Page page, const math_box *box,
                  double x, double y_baseline, lb_err *e);

/* What pdf_math_draw_part draws: glyphs [g0, g0 + ng) and rules [r0, r0 +
 * nr) of a box (one top-level box of a formula broken across lines,
 * math_item), shifted left by x0 (the part's own left edge in the box);
 * `actual` (may be NULL) opens an /ActualText span before the part, and
 * `close` ends the span after it (a span may cover several parts on one
 * line: the boxes between two breakpoints).  Inside a span, an invisible
 * period on the baseline at its left and right ends anchors the text. */
typedef struct pdf_math_part {
    size_t g0, ng, r0, nr;
    double x0;
    double w, size;          /* the part's width; the formula's size (pt) */
    const char *actual;
    int close;
} pdf_math_part;

/* `cs` is the page's content writer: the part's glyphs join its open text
 * object (one per line of text and math, issue 15), which may stay open on
 * return when the part has no span to close; rules and the span's BDC/EMC
 * are written outside text objects.  With cs NULL the part is drawn through
 * libharu's own operators (a text object of its own, a TextOut per glyph:
 * figure labels, and pdf_opts.hpdf_content for the tests that compare). */
int pdf_math_draw_part(pdf_fonts *pf, HPDF_Page page, pdf_cs *cs, const math_box *box,
                       const pdf_math_part *part, double x, double y_baseline,
                       lb_err *e);

#endif
