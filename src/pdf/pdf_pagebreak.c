/* pdf_pagebreak — TeX-style page builder: breaks a vertical list into pages.
 *
 * Like TeX's \output routine without inserts: items are added to the current
 * page until it is overfull; every legal breakpoint on the way (glue after a
 * box, a penalty below PB_INF) gets a cost from the page's badness and the
 * penalty, and the page ends at the cheapest one (ties go to the later one).
 * Keep-with-next is expressed by the caller as penalty PB_INF after a heading
 * (glue after a penalty is not a breakpoint).
 *
 * Floats: a VL_FLOAT box that does not fit in the space left is taken out of
 * the flow and queued; the text after it keeps filling the page, and queued
 * floats open the next page (LaTeX's [tp] placement, simplified), so a table
 * or figure that fits on a page is never split and pages stay full.
 *
 * Lists: when a page breaks between two items of a list (VL_INLIST boxes on
 * both sides), the floats waiting for that page do not open it -- a figure
 * never separates two items of a list.  They wait until the list has ended
 * and go right after it when they fit there, else to the top of the next
 * page.
 *
 * Split tables: a box with hdr >= 0 that opens a page gets the header box
 * (items[hdr]) placed before it.  A VL_ASIDE box is not part of the flow:
 * it only appears that way (a table's "(continued)" header).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_layout.h"

#define S_DEPLORABLE 100000.0

void vl_params_default(vl_params *p, double text_height)
{
    p->height = text_height;
    p->topskip = 10.0;
    p->float_sep = 20.0;      /* LaTeX \textfloatsep 20pt plus 2pt minus 4pt */
    p->float_sep_st = 2.0;
    p->float_sep_sh = 4.0;
    p->max_ratio = 1.0;
}

double vl_glue_height(const vl_ent *g, const vl_page *pg)
{
    if (pg->ratio >= 0)
        return g->w + pg->ratio * g->st;
    return g->w + pg->ratio * g->sh;
}

void vl_pages_free(vl_page *pages, size_t npages)
{
    if (!pages)
        return;
    for (size_t i = 0; i < npages; i++)
        free(pages[i].ents);
    free(pages);
}

typedef struct S_page {
    vl_ent *ents;
    size_t n, cap;
    double nat, st, sh, last_d;
    double tw, tst, tsh;     /* glue after the last box (dropped at a break) */
    double maxdepth;         /* TeX's \maxdepth: how far last_d may hang */
} S_page;

static int S_push(S_page *p, vl_ent en)
{
    if (p->n == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 32;
        vl_ent *t = realloc(p->ents, ncap * sizeof *t);
        if (!t)
            return -1;
        p->ents = t;
        p->cap = ncap;
    }
    p->ents[p->n++] = en;
    if (en.kind == VL_BOX) {
        p->nat += en.h + en.d;
        p->last_d = en.d < p->maxdepth ? en.d : p->maxdepth;
        p->tw = p->tst = p->tsh = 0;
    } else {
        p->nat += en.w;
        p->st += en.st;
        p->sh += en.sh;
        p->tw += en.w;
        p->tst += en.st;
        p->tsh += en.sh;
    }
    return 0;
}

static vl_ent S_box_ent(const vl_item *it, long i)
{
    vl_ent en = { VL_BOX, i, it[i].h, it[i].d, 0, 0, 0 };
    return en;
}

/* Add a box, preceded by topskip glue when it is the page's first box. */
static int S_add_box(S_page *p, const vl_item *it, long i,
                     const vl_params *pp)
{
    if (p->n == 0 && it[i].h < pp->topskip) {
        vl_ent g = { VL_GLUE, -1, 0, 0, pp->topskip - it[i].h, 0, 0 };
        if (S_push(p, g) < 0)
            return -1;
    }
    return S_push(p, S_box_ent(it, i));
}

/* TeX's \maxdepth (LaTeX: half of \topskip): how far the last box's depth
 * may hang below the bottom of the text block.  Deeper material (a
 * multi-line display, a table) counts the excess as height, so it can never
 * reach the footer. */
/* Height of the page body as TeX measures it: the last box's depth hangs
 * below the bottom, up to \maxdepth (so baselines of full pages line up). */
static double S_height(const S_page *p)
{
    return p->nat - p->last_d;
}

/* Cost of breaking here (TeX's page_cost): badness of the page without the
 * glue that the break will drop, plus the penalty. */
static double S_cost(const S_page *p, double H, double pen)
{
    double h = S_height(p) - p->tw, st = p->st - p->tst, sh = p->sh - p->tsh;
    double b;
    if (h > H) {
        if (h - sh > H + 1e-9)
            return HUGE_VAL;
        double r = (h - H) / sh;
        b = 100.0 * r * r * r;
    } else if (h < H) {
        if (st <= 0)
            b = PB_INF;
        else {
            double r = (H - h) / st;
            b = r > 10 ? PB_INF : 100.0 * r * r * r;
        }
    } else
        b = 0;
    if (b >= PB_INF)
        return pen <= -PB_INF ? pen : S_DEPLORABLE;
    if (pen <= -PB_INF)
        return pen;
    return b + pen;
}

static int S_finish(S_page *p, vl_page **pages, size_t *np, size_t *pcap,
                    const vl_params *pp, int last)
{
    /* Drop trailing glue: it is discarded at a break. */
    while (p->n > 0 && p->ents[p->n - 1].kind == VL_GLUE) {
        p->n--;
        p->nat -= p->ents[p->n].w;
        p->st -= p->ents[p->n].st;
        p->sh -= p->ents[p->n].sh;
    }
    if (*np == *pcap) {
        size_t ncap = *pcap ? *pcap * 2 : 16;
        vl_page *t = realloc(*pages, ncap * sizeof *t);
        if (!t)
            return -1;
        *pages = t;
        *pcap = ncap;
    }
    vl_page *pg = &(*pages)[(*np)++];
    pg->ents = p->ents;
    pg->n = p->n;
    pg->natural = S_height(p);
    pg->ratio = 0;
    double H = pp->height, h = pg->natural;
    if (h > H && p->sh > 0) {
        pg->ratio = -(h - H) / p->sh;
        if (pg->ratio < -1) pg->ratio = -1;
    } else if (h < H && p->st > 0 && !last) {
        pg->ratio = (H - h) / p->st;
        if (pg->ratio > pp->max_ratio)
            pg->ratio = pp->max_ratio;
    }
    double md = p->maxdepth;
    memset(p, 0, sizeof *p);
    p->maxdepth = md;
    return 0;
}

/* Is the last flow box (not a float) among the first k entries of the page
 * part of a list? */
static int S_ends_in_list(const S_page *p, size_t k, const vl_item *it)
{
    for (size_t j = k; j > 0; j--) {
        const vl_ent *en = &p->ents[j - 1];
        if (en->kind != VL_BOX || en->idx < 0 || (it[en->idx].flags & VL_FLOAT))
            continue;
        return (it[en->idx].flags & VL_INLIST) != 0;
    }
    return 0;
}

int vl_paginate(const vl_item *it, size_t n, const vl_params *pp,
                vl_page **pages_out, size_t *np_out, lb_err *e)
{
    int rc = -1;
    vl_page *pages = NULL;
    size_t np = 0, pcap = 0;
    long *queue = NULL;
    size_t nq = 0;
    int prev_in_list = 0;     /* the page before ended inside a list */
    long *mid = NULL;         /* floats placed after a list on this page */
    size_t *mid_at = NULL;    /* ... and the page entry they start at */
    size_t nmid = 0;
    unsigned char *done = NULL;
    S_page cur;
    memset(&cur, 0, sizeof cur);
    cur.maxdepth = pp->topskip / 2;   /* LaTeX: \maxdepth = .5\topskip */

    *pages_out = NULL;
    *np_out = 0;
    queue = malloc((n ? n : 1) * sizeof *queue);
    mid = malloc((n ? n : 1) * sizeof *mid);
    mid_at = malloc((n ? n : 1) * sizeof *mid_at);
    done = calloc(n ? n : 1, 1);
    if (!queue || !done || !mid || !mid_at)
        goto nomem;

    size_t i = 0;
    while (i < n || nq > 0) {
        /* Open a page: queued floats first, in their order -- unless the
         * page continues a list (they wait for its end). */
        size_t qi = 0;
        int boxes = 0;
        size_t first = i;
        while (first < n && (done[first] || it[first].kind != VL_BOX ||
                             (it[first].flags & VL_ASIDE)))
            first++;
        int hold = prev_in_list && first < n && (it[first].flags & VL_INLIST) && nq > 0;
        nmid = 0;
        while (qi < nq && !hold) {
            const vl_item *f = &it[queue[qi]];
            double need = f->h + f->d + (boxes ? pp->float_sep : 0);
            if (boxes && S_height(&cur) + cur.last_d + need > pp->height)
                break;
            if (boxes) {
                vl_ent g = { VL_GLUE, -1, 0, 0, pp->float_sep,
                             pp->float_sep_st, pp->float_sep_sh };
                if (S_push(&cur, g) < 0) goto nomem;
            }
            if (S_add_box(&cur, it, queue[qi], pp) < 0) goto nomem;
            boxes++;
            qi++;
        }
        memmove(queue, queue + qi, (nq - qi) * sizeof *queue);
        nq -= qi;
        /* Discard glue and penalties at the top of the page. */
        while (i < n && (done[i] || it[i].kind != VL_BOX || (it[i].flags & VL_ASIDE)))
            i++;
        if (boxes && i < n) {
            vl_ent g = { VL_GLUE, -1, 0, 0, pp->float_sep,
                         pp->float_sep_st, pp->float_sep_sh };
            if (S_push(&cur, g) < 0) goto nomem;
        }
        /* A continued table repeats its header. */
        if (i < n && it[i].hdr >= 0 && !(it[i].flags & VL_HEADER)) {
            if (S_add_box(&cur, it, it[i].hdr, pp) < 0) goto nomem;
            boxes++;
        }
        size_t queue_base = nq;   /* floats queued before this scan */
        double best_cost = HUGE_VAL;
        size_t best_i = 0, best_n = 0;
        int have_best = 0;
        S_page best_pg = cur;
        for (; i < n; i++) {
            if (done[i] == 1 || done[i] == 2 || (it[i].flags & VL_ASIDE))
                continue;
            const vl_item *x = &it[i];
            int legal = 0;
            double pen = 0;
            if (x->kind == VL_PENALTY) {
                legal = boxes > 0 && x->pen < PB_INF;
                pen = x->pen;
            } else if (x->kind == VL_GLUE)
                legal = boxes > 0 && i > 0 && it[i - 1].kind == VL_BOX &&
                        done[i - 1] != 1 && !(x->flags & VL_NOBREAK);
            if (legal) {
                double c = S_cost(&cur, pp->height, pen);
                if (c != HUGE_VAL && (!have_best || c <= best_cost)) {
                    best_cost = c;
                    best_i = i;
                    best_n = cur.n;
                    best_pg = cur;
                    have_best = 1;
                }
                if (pen <= -PB_INF)
                    break;              /* forced break */
            }
            if (x->kind == VL_PENALTY)
                continue;
            if (x->kind == VL_GLUE) {
                vl_ent g = { VL_GLUE, (long)i, 0, 0, x->w, x->st, x->sh };
                if (done[i] == 3) {     /* after a deferred float */
                    g.w = x->wb;
                    if (x->wb <= 0)
                        g.st = g.sh = 0;
                }
                if (S_push(&cur, g) < 0) goto nomem;
                continue;
            }
            /* The list this page continued has ended: the floats that
             * waited for it go here, while they fit. */
            if (hold && !(x->flags & (VL_INLIST | VL_FLOAT))) {
                hold = 0;
                size_t q = 0;
                while (q < nq && (size_t)queue[q] < i) {
                    const vl_item *f = &it[queue[q]];
                    double need = pp->float_sep + f->h + f->d + pp->float_sep + x->h;
                    if (S_height(&cur) + cur.last_d + need - cur.sh > pp->height)
                        break;
                    vl_ent g = { VL_GLUE, -1, 0, 0, pp->float_sep, pp->float_sep_st,
                                 pp->float_sep_sh };
                    mid_at[nmid] = cur.n;
                    mid[nmid++] = queue[q];
                    if (S_push(&cur, g) < 0 || S_add_box(&cur, it, queue[q], pp) < 0 ||
                        S_push(&cur, g) < 0)
                        goto nomem;
                    boxes++;
                    q++;
                }
                memmove(queue, queue + q, (nq - q) * sizeof *queue);
                nq -= q;
                queue_base -= q < queue_base ? q : queue_base;
            }
            /* A box: the page height if it were added (its depth hangs,
             * up to \maxdepth). */
            double after = cur.nat + x->h + (x->d > cur.maxdepth ? x->d - cur.maxdepth : 0);
            if (cur.n == 0 && x->h < pp->topskip)
                after = pp->topskip;
            /* Floats keep their order: once one waits, later ones wait. */
            if ((x->flags & VL_FLOAT) && boxes > 0 &&
                (after - cur.sh > pp->height || nq > 0)) {
                done[i] = 1;            /* defer to the next page */
                queue[nq++] = (long)i;
                /* The space around it shrinks back to what the text
                 * around it asked for (VL_FLOATSKIP glue -> wb) -- unless
                 * that space follows a float that stays on this page: then
                 * it is that float's own separation from the text. */
                size_t kb = cur.n;
                while (kb > 0 && cur.ents[kb - 1].kind == VL_GLUE)
                    kb--;
                int after_float = kb > 0 && cur.ents[kb - 1].idx >= 0 &&
                                  (it[cur.ents[kb - 1].idx].flags & VL_FLOAT);
                for (size_t k = after_float ? 0 : cur.n; k > 0; k--) {
                    vl_ent *en = &cur.ents[k - 1];
                    if (en->kind != VL_GLUE || en->idx < 0)
                        break;
                    const vl_item *g = &it[en->idx];
                    if (!(g->flags & VL_FLOATSKIP))
                        break;
                    cur.nat -= en->w - g->wb;
                    en->w = g->wb;
                    if (g->wb <= 0) {
                        cur.st -= en->st;
                        cur.sh -= en->sh;
                        en->st = en->sh = 0;
                    }
                }
                for (size_t j = i + 1; j < n && it[j].kind == VL_GLUE &&
                                       (it[j].flags & VL_FLOATSKIP); j++)
                    done[j] = 3;
                continue;
            }
            if (boxes > 0 && after - cur.sh > pp->height) {
                if (!have_best) {       /* no breakpoint: break before it */
                    best_i = i - 1;
                    best_n = cur.n;
                    best_pg = cur;
                    have_best = 1;
                }
                break;
            }
            if (S_add_box(&cur, it, (long)i, pp) < 0) goto nomem;
            boxes++;
        }
        if (i >= n) {
            /* End of the list: the rest is the (ragged) last page. */
            prev_in_list = 0;
            if (S_finish(&cur, &pages, &np, &pcap, pp, nq == 0) < 0)
                goto nomem;
            continue;
        }
        if (!have_best) {
            /* A forced break with nothing before it, or one giant box. */
            if (cur.n > 0 &&
                S_finish(&cur, &pages, &np, &pcap, pp, 0) < 0)
                goto nomem;
            i++;
            continue;
        }
        /* Break at best_i; items after it are read again for the next
         * page.  Floats deferred from beyond the break were never on this
         * page: they are read again too, in order, after the text before
         * them; floats deferred before the break stay queued. */
        size_t keepq = 0;
        for (size_t q = 0; q < nq; q++) {
            if ((size_t)queue[q] > best_i && queue_base <= q) {
                done[queue[q]] = 0;
                for (size_t g = (size_t)queue[q] + 1; g < n && done[g] == 3;
                     g++)
                    done[g] = 0;
            } else
                queue[keepq++] = queue[q];
        }
        nq = keepq;
        /* floats placed after a list beyond the break wait again, first */
        size_t back = 0;
        for (size_t k = 0; k < nmid; k++)
            if (mid_at[k] >= best_n)
                back++;
        if (back > 0) {
            memmove(queue + back, queue, nq * sizeof *queue);
            for (size_t k = 0, b = 0; k < nmid; k++)
                if (mid_at[k] >= best_n)
                    queue[b++] = mid[k];
            nq += back;
        }
        prev_in_list = S_ends_in_list(&cur, best_n, it);
        cur.n = best_n;
        cur.nat = best_pg.nat;
        cur.st = best_pg.st;
        cur.sh = best_pg.sh;
        cur.last_d = best_pg.last_d;
        cur.tw = best_pg.tw;
        cur.tst = best_pg.tst;
        cur.tsh = best_pg.tsh;
        if (S_finish(&cur, &pages, &np, &pcap, pp, 0) < 0) goto nomem;
        i = best_i + 1;
    }
    *pages_out = pages;
    *np_out = np;
    pages = NULL;
    np = 0;
    rc = 0;
    goto out;
nomem:
    err_nomem(e);
out:
    free(cur.ents);
    vl_pages_free(pages, np);
    free(queue);
    free(mid);
    free(mid_at);
    free(done);
    return rc;
}
