/* pdf_math — see pdf_math.h. */
#include <hpdf.h>
#include "pdf/pdf_math.h"

int pdf_math_draw(pdf_fonts *pf, HPDF_Page page, const math_box *box, double x,
                  double y, lb_err *e)
{
    if (!pf || !page || !box)
        return err_set(e, LB_EXIT_RUNTIME, "pdf_math_draw: bad arguments");
    if (box->nglyphs > 0) {
        if (HPDF_Page_BeginText(page) != HPDF_OK)
            return err_set(e, LB_EXIT_RUNTIME, "libharu: BeginText failed");
        int cur_font = -1;
        double cur_size = -1;
        for (size_t i = 0; i < box->nglyphs; i++) {
            const math_glyph *g = &box->glyphs[i];
            if (g->code <= 0 || g->code > 255) {
                HPDF_Page_EndText(page);
                return err_set(e, LB_EXIT_RUNTIME, "pdf_math_draw: glyph code %d", g->code);
            }
            if (g->font != cur_font || g->size != cur_size) {
                HPDF_Font f = pdf_fonts_math(pf, g->font, e);
                if (!f || HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)g->size) != HPDF_OK) {
                    HPDF_Page_EndText(page);
                    return err_set(e, LB_EXIT_RUNTIME, "libharu: cannot select math font %d",
                                   g->font);
                }
                cur_font = g->font;
                cur_size = g->size;
            }
            char s[2] = { (char)g->code, 0 };
            if (HPDF_Page_TextOut(page, (HPDF_REAL)(x + g->x), (HPDF_REAL)(y + g->y), s)
                != HPDF_OK) {
                HPDF_Page_EndText(page);
                return err_set(e, LB_EXIT_RUNTIME, "libharu: TextOut failed");
            }
        }
        if (HPDF_Page_EndText(page) != HPDF_OK)
            return err_set(e, LB_EXIT_RUNTIME, "libharu: EndText failed");
    }
    for (size_t i = 0; i < box->nrules; i++) {
        const math_rule *r = &box->rules[i];
        if (HPDF_Page_Rectangle(page, (HPDF_REAL)(x + r->x), (HPDF_REAL)(y + r->y),
                                (HPDF_REAL)r->w, (HPDF_REAL)r->h) != HPDF_OK
            || HPDF_Page_Fill(page) != HPDF_OK)
            return err_set(e, LB_EXIT_RUNTIME, "libharu: cannot draw a rule");
    }
    return 0;
}
