/* pdf_caption — see pdf_caption.h. */
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_caption.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_line.h"
#include "pdf/pdf_text.h"

/* label (the language's, e.g. "Table 3." or "表 3", lang.h) in bold, then the caption:
 * inline nodes `inl` if any, else rich text `rich` (may be NULL). */
int pdf_caption_make(pdf_ctx *c, pdf_caption *cp, const char *label,
                     const doc_node *inl, const char *rich, double measure,
                     int line, int col)
{
    cp->size = 9;
    cp->bskip = 11 * c->leading;
    cp->hl = pdf_arena_alloc(c, sizeof *cp->hl);
    if (!cp->hl)
        return -1;
    pdf_hl_init(c, cp->hl);
    if (label && (pdf_hl_text(c, cp->hl, label, strlen(label), PF_BF9, 9, 1,
                              0, line, col) < 0 ||
                  pdf_hl_glue(c, cp->hl, 4.5, 1.5, 1, 0) < 0))
        return -1;
    if (inl) {
        if (pdf_hl_inlines(c, cp->hl, inl, &pdf_fam_small, 9, NULL) < 0)
            return -1;
    } else if (rich && *rich) {
        if (pdf_hl_rich(c, cp->hl, rich, PF_RM9, 9, line, col) < 0)
            return -1;
    }
    if (pdf_hl_finish(c, cp->hl, measure) < 0)
        return -1;
    if (!label && pdf_hl_ragged(c, cp->hl, measure * 0.3) < 0)
        return -1;   /* notes are set ragged right */
    size_t n = 0;
    if (pdf_hl_break(c, cp->hl, measure, &cp->lines, &n) < 0)
        return -1;
    cp->n = n;
    cp->width = measure;
    cp->center = n == 1;
    if (cp->center) {
        cp->lines[0].ratio = 0;
        cp->lines[0].fil_set = 0;
    }
    cp->h = n ? 7.7 + (double)(n - 1) * cp->bskip + 3.3 : 0;
    return 0;
}

/* Draw caption lines from `top`, block of width cp->width at x. */
int pdf_caption_draw(pdf_ctx *c, const pdf_caption *cp, double x,
                     double top)
{
    double y = top - 7.7;
    for (size_t k = 0; k < cp->n; k++, y -= cp->bskip) {
        double xx = x;
        if (cp->center)
            xx += (cp->width - cp->lines[k].natural) / 2.0;
        if (pdf_line_draw(c, cp->hl, &cp->lines[k], xx, y) < 0)
            return -1;
    }
    return 0;
}
