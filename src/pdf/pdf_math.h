/* pdf_math — draw a laid-out formula (math.h) on a libharu page.
 *
 * Each glyph is placed explicitly (BeginText / TextOut per glyph) from the
 * box's double-precision positions, so libharu's integer widths never move
 * anything; rules are filled rectangles.  The whole formula is one marked-
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
#include "pdf/pdf_fonts.h"

/* Draw `box` with its baseline's left end at (x, y_baseline) in page points
 * (PDF user space, y up).  0 on success, -1 + error (LB_EXIT_RUNTIME). */
int pdf_math_draw(pdf_fonts *pf, HPDF_Page page, const math_box *box,
                  double x, double y_baseline, lb_err *e);

#endif
