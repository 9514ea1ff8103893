/* pdf_hlist_break — measuring a finished horizontal list and breaking it
 * into lines (justified or ragged, with TeX's overfull warnings); see
 * pdf_hlist.h.  Split from pdf_hlist.c, whose list primitives (pdf_hl_push,
 * pdf_hl_word, ...) it uses: it sits above it and pdf_hlist.c never calls
 * back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_mbox.h"
#include "pdf/pdf_text.h"
double pdf_hl_width(const pdf_hlist *hl)
{
    double w = 0;
    for (size_t i = 0; i < hl->n; i++)
        if (hl->it[i].kind != PB_PENALTY)
            w += hl->it[i].width;
    return w;
}

void pdf_hl_extent(const pdf_hlist *hl, size_t a, size_t b, double *h,
                   double *d)
{
    double hh = 0, dd = 0;
    for (size_t i = a; i < b && i < hl->n; i++) {
        if (hl->it[i].kind != PB_BOX)
            continue;
        if (hl->hb[i].h > hh) hh = hl->hb[i].h;
        if (hl->hb[i].d > dd) dd = hl->hb[i].d;
    }
    *h = hh;
    *d = dd;
}

/* A run of boxes wider than `measure` (no legal break inside) gets a
 * discretionary hyphen between every two characters of its text, plus a
 * little letterspacing glue (stretch only) so lines cut from inside the word
 * still end exactly at the margin.  The line breaker picks the cuts.  A
 * formula is never cut between its own boxes (TeX breaks math only at its
 * penalties): one wider than the measure makes an overfull line, which
 * pdf_hl_break reports. */
static int S_split_wide(pdf_ctx *c, pdf_hlist *hl, double measure)
{
    /* Nothing wider than the measure (the usual case): no copy at all. */
    double run = 0;
    size_t k = 0;
    for (; k < hl->n; k++) {
        if (hl->it[k].kind == PB_BOX || (hl->it[k].kind == PB_PENALTY &&
                                         hl->it[k].penalty >= PB_INF)) {
            run += hl->it[k].width;
            if (run > measure)
                break;
        } else {
            run = 0;
        }
    }
    if (k == hl->n)
        return 0;
    pdf_hlist out;
    pdf_hl_init(c, &out);
    size_t i = 0;
    int changed = 0;
    while (i < hl->n) {
        if (hl->it[i].kind != PB_BOX) {
            if (pdf_hl_push(c, &out, hl->it[i], hl->hb[i]) < 0)
                return -1;
            i++;
            continue;
        }
        size_t j = i;
        double run = 0;
        while (j < hl->n && (hl->it[j].kind == PB_BOX ||
                             (hl->it[j].kind == PB_PENALTY &&
                              hl->it[j].penalty >= PB_INF))) {
            run += hl->it[j].width;
            j++;
        }
        if (run <= measure) {
            for (; i < j; i++)
                if (pdf_hl_push(c, &out, hl->it[i], hl->hb[i]) < 0)
                    return -1;
            continue;
        }
        changed = 1;
        int started = 0, prev_text = 0;
        for (; i < j; i++) {
            const pdf_hbox *hb = &hl->hb[i];
            double hy = hb->kind == HB_TEXT
                ? pdf_text_width(c, hb->font, hb->size, "-", 1) : 0;
            if (hb->kind != HB_TEXT) {
                if (started && hl->it[i].kind == PB_BOX && prev_text &&
                    (pdf_hl_penalty(c, &out, 50, 0, 0) < 0 ||
                     pdf_hl_glue(c, &out, 0, 1, 0, 0) < 0))
                    return -1;
                if (pdf_hl_push(c, &out, hl->it[i], hl->hb[i]) < 0)
                    return -1;
                if (hl->it[i].kind == PB_BOX) {
                    started = 1;
                    prev_text = 0;
                }
                continue;
            }
            for (size_t a = 0; a < hb->len; a++) {
                if (started && (pdf_hl_penalty(c, &out, 50, hy, 1) < 0 ||
                                pdf_hl_glue(c, &out, 0, 1, 0, 0) < 0))
                    return -1;
                if (pdf_hl_word(c, &out, hb->s + a, 1, hb->font, hb->size,
                              hb->strike) < 0)
                    return -1;
                started = prev_text = 1;
            }
        }
    }
    if (changed)
        pdf_hl_replace(c, hl, &out);
    return 0;
}

int pdf_hl_finish(pdf_ctx *c, pdf_hlist *hl, double measure)
{
    hl->pend = 0;            /* a trailing space is dropped */
    while (hl->n > 0 && (hl->it[hl->n - 1].kind == PB_GLUE ||
                         (hl->it[hl->n - 1].kind == PB_PENALTY &&
                          hl->it[hl->n - 1].penalty > -PB_INF)))
        hl->n--;
    if (S_split_wide(c, hl, measure) < 0)
        return -1;
    if (pdf_hl_penalty(c, hl, PB_INF, 0, 0) < 0 ||
        pdf_hl_glue(c, hl, 0, 0, 0, 1) < 0 ||
        pdf_hl_penalty(c, hl, -PB_INF, 0, 0) < 0)
        return -1;
    pdf_hl_trim(c, hl);
    return 0;
}


/* Turn interword glue into Knuth–Plass ragged-right glue: a line break at a
 * space leaves `M` of stretch at the line end, an unbroken space nets 0. */
int pdf_hl_ragged(pdf_ctx *c, pdf_hlist *hl, double M)
{
    pdf_hlist out;
    pdf_hl_init(c, &out);
    for (size_t i = 0; i < hl->n; i++) {
        const pb_item *it = &hl->it[i];
        /* A breakpoint in a formula (its penalty, then its glue) becomes
         * penalty(10000) glue(0,+M) penalty(p) glue(w,-M): the line that
         * ends there gets the ragged stretch; other math glue stays. */
        if (it->kind == PB_PENALTY && it->penalty < PB_INF && it->penalty > -PB_INF &&
            i + 1 < hl->n && hl->hb[i + 1].kind == HB_MGLUE) {
            const pb_item *g = &hl->it[i + 1];
            if (pdf_hl_penalty(c, &out, PB_INF, 0, 0) < 0 ||
                pdf_hl_glue(c, &out, 0, M, 0, 0) < 0 ||
                pdf_hl_penalty(c, &out, it->penalty, 0, 0) < 0 ||
                pdf_hl_glue(c, &out, g->width, -M, 0, 0) < 0)
                return -1;
            out.hb[out.n - 1].kind = HB_MGLUE;
            i++;
            continue;
        }
        if (it->kind == PB_GLUE && hl->hb[i].kind == HB_MGLUE) {
            if (pdf_hl_glue(c, &out, it->width, 0, 0, 0) < 0)
                return -1;
            out.hb[out.n - 1].kind = HB_MGLUE;
            continue;
        }
        /* Glue behind an infinite penalty is no breakpoint (CJK text
         * before a closing mark): it stays as it is. */
        int nobreak = i > 0 && hl->it[i - 1].kind == PB_PENALTY &&
                      hl->it[i - 1].penalty >= PB_INF;
        if (it->kind == PB_GLUE && it->fil == 0 && i + 1 < hl->n && !nobreak) {
            if (pdf_hl_glue(c, &out, 0, M, 0, 0) < 0 ||
                pdf_hl_penalty(c, &out, 0, 0, 0) < 0 ||
                pdf_hl_glue(c, &out, it->width, -M, 0, 0) < 0)
                return -1;
            continue;
        }
        if (it->kind == PB_GLUE) {
            if (pdf_hl_glue(c, &out, it->width, it->stretch, it->shrink,
                            it->fil) < 0)
                return -1;
        } else if (it->kind == PB_PENALTY) {
            if (pdf_hl_penalty(c, &out, it->penalty, it->width,
                               it->flagged) < 0)
                return -1;
        } else {
            if (pdf_hl_box(c, &out, it->width) < 0)
                return -1;
            out.hb[out.n - 1] = hl->hb[i];
        }
    }
    pdf_hl_replace(c, hl, &out);
    return 0;
}

/* An overfull line (a box that fits no line): one warning naming the
 * widest formula box of the line, as TeX's
 * "Overfull \hbox (12.3pt too wide)". */
static void S_overfull(pdf_ctx *c, const pdf_hlist *hl, const pb_line *ln, double measure,
                       double over)
{
    size_t best = hl->n;
    for (size_t i = ln->start; i < ln->end && i < hl->n; i++)
        if (hl->it[i].kind == PB_BOX && hl->hb[i].kind == HB_MATH &&
            (best == hl->n || hl->it[i].width > hl->it[best].width))
            best = i;
    /* only a formula can be wider than the line (a word is split) */
    int line = 0, col = 0, math = best < hl->n;
    if (math)
        pdf_mbox_pos(hl->hb[best].m, &line, &col);
    pdf_ctx_warn(c, line, col, "overfull line, %.1f pt too wide for the %.1f pt measure: %s "
                 "runs into the margin", over, measure,
                 math ? "a formula with no breakpoint inside it (TeX breaks math only after "
                        "relations and binary operators at its top level, outside braces "
                        "and \\left...\\right)"
                      : "a box that cannot be broken");
}

void pdf_hl_overfull(pdf_ctx *c, const pdf_hlist *hl, const pb_line *ln, size_t nl,
                     double measure)
{
    for (size_t k = 0; k < nl; k++) {
        double w = ln[k].natural;   /* fully shrunk: TeX's overfull test */
        for (size_t i = ln[k].start; i < ln[k].end && !ln[k].fil_set; i++)
            if (hl->it[i].kind == PB_GLUE)
                w -= hl->it[i].shrink;
        if (w > measure + 0.005)
            S_overfull(c, hl, &ln[k], measure, w - measure);
    }
}

int pdf_hl_break(pdf_ctx *c, const pdf_hlist *hl, double measure,
                 pb_line **lines, size_t *n)
{
    pb_line *ln = NULL;
    size_t nl = 0;
    if (pb_break(hl->it, hl->n, measure, NULL, &ln, &nl, c->e) < 0)
        return -1;
    pdf_hl_overfull(c, hl, ln, nl, measure);
    *lines = pdf_arena_alloc(c, (nl ? nl : 1) * sizeof *ln);
    if (!*lines) {
        free(ln);
        return -1;
    }
    memcpy(*lines, ln, nl * sizeof *ln);
    free(ln);
    *n = nl;
    return 0;
}
