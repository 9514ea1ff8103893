/* pdf_linebreak — Knuth–Plass total-fit line breaking on abstract items.
 *
 * Follows "Breaking Paragraphs into Lines" (Knuth & Plass 1981) and TeX's
 * line_break: a list of active breakpoints; for each legal breakpoint b and
 * each active node a the line a..b gets an adjustment ratio, a badness and
 * demerits; the best predecessor per fitness class becomes a new active node.
 * Four passes: TeX's two (\pretolerance 100, \tolerance 200; TeX's first
 * pass differs only in not hyphenating, and we never hyphenate but to
 * split a word wider than the line), tolerance 1000, then an emergency pass that
 * accepts any line that is not overfull (a very loose line is ugly, an
 * overfull one runs into the margin).  Only when a box is wider than the
 * measure, so that no line through it can fit, does the emergency pass
 * take an overfull line, as TeX does (tex.web §854, artificial_demerits:
 * the last active node is kept by the one line that would end it); the
 * caller warns, as TeX's "Overfull \hbox".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_layout.h"

#define S_BAD_CAP 1.0e9   /* badness of an infinitely loose line */

typedef struct S_node {
    size_t pos;           /* break item; (size_t)-1 = paragraph start */
    int fitness;
    double demerits;      /* total along the best path to here */
    double ratio, natural;
    int fil_set;
    long prev;            /* index in the node array, -1 for the start */
} S_node;

void pb_params_default(pb_params *p)
{
    p->pretolerance = 100.0;
    p->tolerance = 200.0;
    p->line_penalty = 10.0;
    p->flagged_demerits = 3000.0;
    p->fitness_demerits = 10000.0;
}

double pb_glue_width(const pb_item *g, const pb_line *ln)
{
    if (ln->fil_set)
        return g->width + ln->ratio * g->fil;
    if (ln->ratio >= 0)
        return g->width + ln->ratio * g->stretch;
    return g->width + ln->ratio * g->shrink;
}

/* First item of a line that starts after a break at `a`: glue and
 * non-forced penalties after a break are discarded, as in TeX. */
static size_t S_line_start(const pb_item *it, size_t n, size_t a)
{
    if (a == (size_t)-1)
        return 0;
    size_t j = a + 1;
    while (j < n && it[j].kind != PB_BOX &&
           !(it[j].kind == PB_PENALTY && it[j].penalty <= -PB_INF))
        j++;
    return j;
}

static int S_is_break(const pb_item *it, size_t i)
{
    if (it[i].kind == PB_PENALTY)
        return it[i].penalty < PB_INF;
    if (it[i].kind == PB_GLUE)
        return i > 0 && it[i - 1].kind == PB_BOX;
    return 0;
}

static int S_fitness(double r)
{
    if (r < -0.5) return 0;
    if (r <= 0.5) return 1;
    if (r <= 1.0) return 2;
    return 3;
}

/* One pass; returns the index of the best final node, -1 if the pass
 * failed, -2 on allocation failure. */
static long S_pass(const pb_item *it, size_t n, double measure,
                   const pb_params *pp, double tol, int emergency,
                   double emerg,
                   const double *W, const double *ST, const double *SH,
                   const double *FI, S_node **nodes_io, size_t *cap_io,
                   size_t *nn_out)
{
    S_node *nodes = *nodes_io;
    size_t cap = *cap_io, nn = 0;
    long *active = NULL, *nactive = NULL;
    size_t na = 0, acap = 16;
    long result = -1;

    active = malloc(acap * sizeof *active);
    nactive = malloc(acap * sizeof *nactive);
    if (!active || !nactive) { result = -2; goto out; }
    nodes[nn] = (S_node){ (size_t)-1, 1, 0.0, 0.0, 0.0, 0, -1 };
    active[na++] = (long)nn++;

    for (size_t b = 0; b < n && na > 0; b++) {
        if (!S_is_break(it, b))
            continue;
        int forced = it[b].kind == PB_PENALTY && it[b].penalty <= -PB_INF;
        double pen = it[b].kind == PB_PENALTY ? it[b].penalty : 0.0;
        int flagged = it[b].kind == PB_PENALTY && it[b].flagged;
        struct { double d, r, nat; int fil; long from; } best[4];
        for (int c = 0; c < 4; c++)
            best[c].from = -1;
        if (na + 4 > acap) {   /* survivors + up to 4 new nodes */
            size_t ncap = 2 * (na + 4);
            long *t1 = realloc(active, ncap * sizeof *t1);
            if (!t1) { result = -2; goto out; }
            active = t1;
            long *t2 = realloc(nactive, ncap * sizeof *t2);
            if (!t2) { result = -2; goto out; }
            nactive = t2;
            acap = ncap;
        }
        size_t nna = 0;
        for (size_t k = 0; k < na; k++) {
            S_node *a = &nodes[active[k]];
            size_t st = S_line_start(it, n, a->pos);
            if (st > b) st = b;
            double nat = W[b] - W[st];
            if (it[b].kind == PB_PENALTY)
                nat += it[b].width;
            double str = ST[b] - ST[st], shr = SH[b] - SH[st];
            double fil = FI[b] - FI[st];
            double r = 0.0, bad = 0.0, rfit = 0.0;
            int fil_set = 0, over = 0;
            if (nat < measure) {
                if (fil > 0) { r = (measure - nat) / fil; fil_set = 1; }
                else {
                    /* The emergency pass ranks loose lines as if every line
                     * had `emerg` more stretch (TeX's \emergencystretch), so
                     * a shortfall of 5pt beats one of 300pt; the line itself
                     * is still set with its real glue. */
                    double rb = str + emerg > 0
                        ? (measure - nat) / (str + emerg) : 1e3;
                    r = str > 0 ? (measure - nat) / str : 0.0;
                    if (!emergency && str <= 0)
                        rb = 1e3;
                    rfit = rb;   /* tightness as the badness sees it */
                    bad = 100.0 * rb * rb * rb;
                    if (bad > S_BAD_CAP) bad = S_BAD_CAP;
                }
            } else if (nat > measure) {
                if (shr > 0 && nat - shr <= measure + 1e-9) {
                    r = (measure - nat) / shr;
                    if (r < -1.0) r = -1.0;
                    rfit = r;
                    bad = 100.0 * -r * -r * -r;
                } else
                    over = 1;
            }
            int keep = !over && !forced;
            /* every other active node has died at this break and this one
             * would too: an overfull line is the only way on */
            int artificial = over && emergency && k == na - 1 && nna == 0;
            for (int c = 0; c < 4 && artificial; c++)
                artificial = best[c].from < 0;
            if (artificial) {
                r = shr > 0 ? -1.0 : 0.0;
                rfit = -1.0;
                bad = 0;
            }
            if ((!over && (bad <= tol || emergency)) || artificial) {
                double lb = pp->line_penalty + bad;
                double d = artificial ? 0 : lb * lb;
                if (artificial) ;
                else if (pen >= 0) d += pen * pen;
                else if (pen > -PB_INF) d -= pen * pen;
                if (flagged && !artificial && a->pos != (size_t)-1 &&
                    it[a->pos].kind == PB_PENALTY && it[a->pos].flagged)
                    d += pp->flagged_demerits;
                int c = fil_set ? 1 : S_fitness(rfit);
                if (abs(c - a->fitness) > 1 && !artificial)
                    d += pp->fitness_demerits;
                d += a->demerits;
                if (best[c].from < 0 || d < best[c].d) {
                    best[c].d = d; best[c].r = r; best[c].nat = nat;
                    best[c].fil = fil_set; best[c].from = active[k];
                }
            }
            if (keep)
                nactive[nna++] = active[k];
        }
        for (int c = 0; c < 4; c++) {
            if (best[c].from < 0)
                continue;
            if (nn == cap) {
                size_t ncap = cap * 2;
                S_node *t = realloc(nodes, ncap * sizeof *t);
                if (!t) { result = -2; goto out; }
                nodes = t;
                cap = ncap;
            }
            nodes[nn] = (S_node){ b, c, best[c].d, best[c].r, best[c].nat,
                                  best[c].fil, best[c].from };
            nactive[nna++] = (long)nn++;
        }
        long *t = active; active = nactive; nactive = t;
        na = nna;
    }
    /* The list ends with a forced break, so the surviving nodes sit there. */
    for (size_t k = 0; k < na; k++) {
        S_node *a = &nodes[active[k]];
        if (a->pos != n - 1)
            continue;
        if (result < 0 || a->demerits < nodes[result].demerits)
            result = active[k];
    }
out:
    free(active);
    free(nactive);
    *nodes_io = nodes;
    *cap_io = cap;
    *nn_out = nn;
    return result;
}

int pb_break(const pb_item *items, size_t n, double measure,
             const pb_params *params, pb_line **lines, size_t *nlines,
             lb_err *e)
{
    int rc = -1;
    double *W = NULL, *ST = NULL, *SH = NULL, *FI = NULL;
    S_node *nodes = NULL;
    pb_line *out = NULL;
    pb_params defp;

    *lines = NULL;
    *nlines = 0;
    if (!params) { pb_params_default(&defp); params = &defp; }
    if (n == 0 || items[n - 1].kind != PB_PENALTY ||
        items[n - 1].penalty > -PB_INF) {
        err_set(e, LB_EXIT_RUNTIME,
                "line breaker: paragraph does not end with a forced break");
        goto out;
    }
    W = calloc(n + 1, sizeof *W);
    ST = calloc(n + 1, sizeof *ST);
    SH = calloc(n + 1, sizeof *SH);
    FI = calloc(n + 1, sizeof *FI);
    size_t cap = 64, nn = 0;
    nodes = malloc(cap * sizeof *nodes);
    if (!W || !ST || !SH || !FI || !nodes) { err_nomem(e); goto out; }
    for (size_t i = 0; i < n; i++) {
        int counts = items[i].kind != PB_PENALTY;
        W[i + 1] = W[i] + (counts ? items[i].width : 0.0);
        ST[i + 1] = ST[i] + (items[i].kind == PB_GLUE ? items[i].stretch : 0);
        SH[i + 1] = SH[i] + (items[i].kind == PB_GLUE ? items[i].shrink : 0);
        FI[i + 1] = FI[i] + (items[i].kind == PB_GLUE ? items[i].fil : 0);
    }
    long best = -1;
    /* TeX's first pass (\pretolerance 100), its second (\tolerance 200),
     * then ours: 1000, and the emergency pass */
    double tols[4] = { params->pretolerance, params->tolerance, 1000.0, HUGE_VAL };
    for (int pass = 0; pass < 4 && best < 0; pass++) {
        if (pass == 0 && !(tols[0] >= 0 && tols[0] < tols[1]))
            continue;
        best = S_pass(items, n, measure, params, tols[pass], pass == 3,
                      pass == 3 ? 0.2 * measure : 0.0,
                      W, ST, SH, FI, &nodes, &cap, &nn);
        if (best == -2) { err_nomem(e); goto out; }
    }
    if (best < 0) {   /* cannot happen: the last pass always goes on */
        err_set(e, LB_EXIT_RUNTIME, "line breaker: no feasible breaks");
        goto out;
    }
    size_t cnt = 0;
    for (long k = best; nodes[k].prev >= 0; k = nodes[k].prev)
        cnt++;
    out = calloc(cnt ? cnt : 1, sizeof *out);
    if (!out) { err_nomem(e); goto out; }
    size_t li = cnt;
    for (long k = best; nodes[k].prev >= 0; k = nodes[k].prev) {
        S_node *nd = &nodes[k], *pv = &nodes[nd->prev];
        pb_line *ln = &out[--li];
        ln->start = S_line_start(items, n, pv->pos);
        if (ln->start > nd->pos) ln->start = nd->pos;
        ln->end = nd->pos;
        ln->ratio = nd->ratio;
        ln->fil_set = nd->fil_set;
        ln->natural = nd->natural;
        ln->hyphen = items[nd->pos].kind == PB_PENALTY &&
                     items[nd->pos].width > 0;
    }
    *lines = out;
    *nlines = cnt;
    out = NULL;
    rc = 0;
out:
    free(out);
    free(W); free(ST); free(SH); free(FI);
    free(nodes);
    return rc;
}
