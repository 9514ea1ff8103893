/* pdf_draw — see pdf_draw.h.  Boxes are placed top-down from the page's
 * glue set ratio; frames are drawn first so the text lies on them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_deflate.h"
#include "pdf/pdf_draw.h"
#include "pdf/pdf_figure.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_line.h"
#include "pdf/pdf_mbox.h"
#include "pdf/pdf_table.h"
#include "pdf/pdf_text.h"

typedef struct S_ext {
    int g;
    double top, bot;
} S_ext;

static void S_frames(pdf_ctx *c, const vl_page *pg, const double *base)
{
    S_ext ext[64];
    int ne = 0;
    for (size_t k = 0; k < pg->n; k++) {
        const vl_ent *en = &pg->ents[k];
        if (en->kind != VL_BOX || en->idx < 0)
            continue;
        const pdf_vbox *vb = c->vl[en->idx].ref;
        for (int j = 0; j < vb->ngrp; j++) {
            int g = vb->grp[j], f;
            double top = base[k] + en->h, bot = base[k] - en->d;
            for (f = 0; f < ne && ext[f].g != g; f++)
                ;
            if (f == ne) {
                if (ne == 64)
                    continue;
                ext[ne++] = (S_ext){ g, top, bot };
            } else {
                if (top > ext[f].top) ext[f].top = top;
                if (bot < ext[f].bot) ext[f].bot = bot;
            }
        }
    }
    for (int f = 0; f < ne; f++) {
        const pdf_grp *gr = &c->grps[ext[f].g];
        double pad = gr->kind == GRP_QUOTE ? 5.0 : 0.0;
        double top = ext[f].top + pad, bot = ext[f].bot - pad;
        HPDF_Page_GSave(c->page);
        if (gr->kind == GRP_CODE) {
            HPDF_Page_SetRGBFill(c->page, 0.945f, 0.945f, 0.945f);
            HPDF_Page_Rectangle(c->page, (HPDF_REAL)gr->x0, (HPDF_REAL)bot,
                                (HPDF_REAL)(gr->x1 - gr->x0),
                                (HPDF_REAL)(top - bot));
            HPDF_Page_Fill(c->page);
        } else {
            HPDF_Page_SetRGBFill(c->page, 0.955f, 0.965f, 0.985f);
            HPDF_Page_Rectangle(c->page, (HPDF_REAL)gr->x0, (HPDF_REAL)bot,
                                (HPDF_REAL)(gr->x1 - gr->x0),
                                (HPDF_REAL)(top - bot));
            HPDF_Page_Fill(c->page);
            HPDF_Page_SetRGBFill(c->page, 0.45f, 0.55f, 0.75f);
            HPDF_Page_Rectangle(c->page, (HPDF_REAL)gr->x0, (HPDF_REAL)bot,
                                2.0f, (HPDF_REAL)(top - bot));
            HPDF_Page_Fill(c->page);
        }
        HPDF_Page_GRestore(c->page);
    }
}

static int S_outline(pdf_ctx *c, const pdf_vbox *vb, double y)
{
    int lv = vb->level < 1 ? 1 : vb->level > 6 ? 6 : vb->level;
    HPDF_Outline parent = NULL;
    for (int l = lv - 1; l >= 1; l--)
        if (c->outl[l]) {
            parent = c->outl[l];
            break;
        }
    /* parent NULL = the outline root. */
    HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
    HPDF_Outline o = HPDF_CreateOutline(c->pdf, parent, vb->outline, enc);
    if (!o)
        return -1;
    HPDF_Destination dst = HPDF_Page_CreateDestination(c->page);
    if (!dst)
        return -1;
    /* XYZ would need a zoom in 0.08..32 (libharu refuses 0 = keep). */
    HPDF_Destination_SetFitH(dst, (HPDF_REAL)(y + 16));
    HPDF_Outline_SetDestination(o, dst);
    HPDF_Outline_SetOpened(o, lv == 1 ? HPDF_TRUE : HPDF_FALSE);
    c->outl[lv] = o;
    for (int l = lv + 1; l <= 6; l++)
        c->outl[l] = NULL;
    return pdf_hpdf_ok(c);
}

static int S_line(pdf_ctx *c, const pdf_vbox *vb, double y)
{
    double x = vb->x;
    if (vb->center)
        x += (vb->w - vb->line.natural) / 2.0;
    if (vb->label) {
        double lw = pdf_hl_width(vb->label);
        pb_line ll = { 0, vb->label->n, 0, 0, 0, lw };
        if (pdf_line_draw(c, vb->label, &ll, vb->label_right - lw, y) < 0)
            return -1;
    }
    if (vb->outline && S_outline(c, vb, y) < 0)
        return -1;
    return pdf_line_draw(c, vb->hl, &vb->line, x, y);
}

static int S_page(pdf_ctx *c, const vl_page *pg)
{
    int rc = -1;
    double *base = calloc(pg->n ? pg->n : 1, sizeof *base);
    if (!base)
        return err_nomem(c->e);
    c->page = HPDF_AddPage(c->pdf);
    if (!c->page)
        goto out;
    c->page_no++;
    HPDF_Page_SetWidth(c->page, (HPDF_REAL)c->pw);
    HPDF_Page_SetHeight(c->page, (HPDF_REAL)c->ph);
    double y = c->top;
    for (size_t k = 0; k < pg->n; k++) {
        const vl_ent *en = &pg->ents[k];
        if (en->kind == VL_GLUE) {
            y -= vl_glue_height(en, pg);
            continue;
        }
        y -= en->h;
        base[k] = y;
        y -= en->d;
    }
    S_frames(c, pg, base);
    for (size_t k = 0; k < pg->n; k++) {
        const vl_ent *en = &pg->ents[k];
        if (en->kind != VL_BOX || en->idx < 0)
            continue;
        const pdf_vbox *vb = c->vl[en->idx].ref;
        int r = 0;
        switch (vb->kind) {
        case VB_LINE:
            r = S_line(c, vb, base[k]);
            break;
        case VB_RULE:
            HPDF_Page_Rectangle(c->page, (HPDF_REAL)vb->x, (HPDF_REAL)base[k],
                                (HPDF_REAL)vb->w, (HPDF_REAL)vb->thick);
            HPDF_Page_Fill(c->page);
            break;
        case VB_TABLE: {
            /* Is the next box on this page more of the same table? */
            int more = 0;
            for (size_t j = k + 1; j < pg->n; j++) {
                if (pg->ents[j].kind != VL_BOX || pg->ents[j].idx < 0)
                    continue;
                const pdf_vbox *nb = c->vl[pg->ents[j].idx].ref;
                more = nb->kind == VB_TABLE && nb->tab == vb->tab;
                break;
            }
            r = pdf_table_draw(c, vb, base[k] + en->h, !more);
            break;
        }
        case VB_FIGURE:
            r = pdf_figure_draw(c, vb, base[k] + en->h);
            break;
        default:
            break;
        }
        if (r < 0)
            goto out;
    }
    /* Footer: the page number, centred (\pagestyle{plain}). */
    char num[16];
    int nl = snprintf(num, sizeof num, "%d", c->page_no);
    double w = pdf_text_width(c, PF_RM, 10, num, (size_t)nl);
    pdf_text_draw(c, PF_RM, 10, num, (size_t)nl, c->left + (c->tw - w) / 2.0,
                  c->top - c->th - c->footskip);
    rc = pdf_hpdf_ok(c);
out:
    if (rc < 0 && !(c->e && c->e->code))
        err_set(c->e, LB_EXIT_RUNTIME, "libharu: cannot draw page %d",
                c->page_no);
    free(base);
    return rc;
}

int pdf_draw_pages(pdf_ctx *c, const vl_page *pages, size_t np)
{
    if (np == 0) {              /* an empty document is one empty page */
        vl_page empty = { NULL, 0, 0, 0 };
        return S_page(c, &empty);
    }
    for (size_t i = 0; i < np; i++) {
        if (S_page(c, &pages[i]) < 0)
            return -1;
        /* issue 15: compressed on the other core while the next is drawn */
        pdf_deflate_page(c->dz, c->pdf, c->page);
    }
    return 0;
}
