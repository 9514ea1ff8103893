/* pdf_slot — see pdf_slot.h. */
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_slot.h"
#include "pdf/pdf_text.h"

void pdf_slot_size(pdf_ctx *c, int font, double size, const char *s, size_t n,
                   double *w, double *h, double *d)
{
    double tw = pdf_text_width(c, font, size, s, n);
    double four = pdf_text_width(c, font, size, "0.0000", 6);
    *w = (tw > four ? tw : four) + 1.6 * size;   /* 0.8 em on each side */
    *h = 1.45 * size;   /* handwriting is taller than type */
    *d = 0.5 * size;
}

int pdf_slot_draw(pdf_ctx *c, const pdf_hbox *hb, double w, double x, double y)
{
    double rule = 0.4, under = y - 0.25 * hb->size;
    HPDF_Page_Rectangle(c->page, (HPDF_REAL)(x + 0.2 * hb->size), (HPDF_REAL)under,
                        (HPDF_REAL)(w - 0.4 * hb->size), (HPDF_REAL)rule);
    HPDF_Page_Fill(c->page);
    if (hb->s) {
        double tw = pdf_text_width(c, hb->font, hb->size, hb->s, hb->len);
        pdf_text_draw(c, hb->font, hb->size, hb->s, hb->len, x + (w - tw) / 2.0, y);
    }
    return pdf_hpdf_ok(c);
}
