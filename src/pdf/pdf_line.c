/* pdf_line — see pdf_line.h. */
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_line.h"
#include "pdf/pdf_mbox.h"
#include "pdf/pdf_slot.h"
#include "pdf/pdf_text.h"

int pdf_line_draw(pdf_ctx *c, const pdf_hlist *hl, const pb_line *ln,
                  double x, double y)
{
    int last_font = PF_RM;
    double last_size = 10;
    for (size_t i = ln->start; i < ln->end && i < hl->n; i++) {
        const pb_item *it = &hl->it[i];
        const pdf_hbox *hb = &hl->hb[i];
        if (it->kind == PB_GLUE) {
            x += pb_glue_width(it, ln);
            continue;
        }
        if (it->kind != PB_BOX)
            continue;
        if (hb->url) {
            HPDF_Rect r = { (HPDF_REAL)x, (HPDF_REAL)(y - hb->d),
                            (HPDF_REAL)(x + it->width),
                            (HPDF_REAL)(y + hb->h) };
            HPDF_Annotation an = HPDF_Page_CreateURILinkAnnot(c->page, r,
                                                              hb->url);
            if (an)
                HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
        }
        /* The line's text runs and formulas share one text object
         * (pdf_math ends it for rules and /ActualText spans); anything
         * else is drawn outside it. */
        if ((hb->kind == HB_CJK || hb->kind == HB_SLOT) && pdf_text_end(c) < 0)
            return -1;
        if (hb->kind == HB_TEXT) {
            pdf_text_run(c, hb->font, hb->size, hb->s, hb->len, x, y);
            last_font = hb->font;
            last_size = hb->size;
            if (hb->strike) {
                if (pdf_text_end(c) < 0)
                    return -1;
                HPDF_Page_Rectangle(c->page, (HPDF_REAL)x,
                                    (HPDF_REAL)(y + 0.25 * hb->size),
                                    (HPDF_REAL)it->width,
                                    (HPDF_REAL)(0.04 * hb->size));
                HPDF_Page_Fill(c->page);
            }
        } else if (hb->kind == HB_CJK) {
            /* room: from this glyph's origin to the next box's (its
             * drawn origin for a CJK glyph) on this line */
            double room = -1, nx = x + it->width;
            for (size_t j = i + 1; j < ln->end && j < hl->n; j++) {
                if (hl->it[j].kind == PB_GLUE)
                    nx += pb_glue_width(&hl->it[j], ln);
                else if (hl->it[j].kind == PB_BOX) {
                    if (hl->hb[j].kind == HB_CJK)
                        nx += hl->hb[j].dx;
                    room = nx - (x + hb->dx);
                    break;
                }
            }
            if (pdf_cjkfont_draw(c->cjk, c->pdf, c->page, hb->face, hb->size,
                                 hb->u, x + hb->dx, y, room, c->e) < 0)
                return -1;
            if (hb->strike) {
                HPDF_Page_Rectangle(c->page, (HPDF_REAL)x,
                                    (HPDF_REAL)(y + 0.3 * hb->size),
                                    (HPDF_REAL)it->width,
                                    (HPDF_REAL)(0.04 * hb->size));
                HPDF_Page_Fill(c->page);
            }
        } else if (hb->kind == HB_MATH) {
            if (pdf_mbox_draw(c, hb->m, x, y) < 0)
                return -1;
        } else if (hb->kind == HB_SLOT) {
            if (pdf_slot_draw(c, hb, it->width, x, y) < 0)
                return -1;
        }
        x += it->width;
    }
    if (ln->hyphen)
        pdf_text_run(c, last_font, last_size, "-", 1, x, y);
    if (pdf_text_end(c) < 0)
        return -1;
    return pdf_hpdf_ok(c);
}
