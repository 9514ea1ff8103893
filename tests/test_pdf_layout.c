/* test_pdf_layout — the PDF renderer's line breaker and page builder.
 *
 * Expected values are derived by hand in the comments (glue arithmetic) or
 * are properties checked independently of the code under test: line widths
 * are recomputed here from the items and the reported ratio with TeX's rule
 * (w + r*stretch for r >= 0, w + r*shrink for r < 0), not with
 * pb_glue_width.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>
#include "pdf/pdf_layout.h"
#include "pdf/pdf_ctx.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_winansi.h"
#include "math/afm.h"

#define AFMDIR "/usr/share/texmf/fonts/afm/public/lm/"

/* Deterministic pseudo-random word widths (LCG from Numerical Recipes). */
static unsigned S_seed;
static double S_rand_width(void)
{
    S_seed = S_seed * 1664525u + 1013904223u;
    return 10.0 + (double)(S_seed >> 8) / (double)(1u << 24) * 50.0;
}

/* A paragraph of n words, interword glue 3.333 +1.667 -1.111 (cmr10), then
 * \penalty10000 \parfillskip \penalty-10000. */
static pb_item *S_par(size_t nwords, size_t *n_out)
{
    size_t n = nwords * 2 + 2;
    pb_item *it = calloc(n, sizeof *it);
    size_t k = 0;
    for (size_t w = 0; w < nwords; w++) {
        it[k++] = (pb_item){ PB_BOX, S_rand_width(), 0, 0, 0, 0, 0 };
        if (w + 1 < nwords)
            it[k++] = (pb_item){ PB_GLUE, 3.333, 1.667, 1.111, 0, 0, 0 };
    }
    it[k++] = (pb_item){ PB_PENALTY, 0, 0, 0, 0, PB_INF, 0 };
    it[k++] = (pb_item){ PB_GLUE, 0, 0, 0, 1, 0, 0 };
    it[k++] = (pb_item){ PB_PENALTY, 0, 0, 0, 0, -PB_INF, 0 };
    *n_out = k;
    return it;
}

/* Width of a set line, recomputed independently. */
static double S_set_width(const pb_item *it, const pb_line *ln)
{
    double w = 0;
    for (size_t i = ln->start; i < ln->end; i++) {
        if (it[i].kind == PB_BOX)
            w += it[i].width;
        else if (it[i].kind == PB_GLUE) {
            if (ln->fil_set)
                w += it[i].width + ln->ratio * it[i].fil;
            else if (ln->ratio >= 0)
                w += it[i].width + ln->ratio * it[i].stretch;
            else
                w += it[i].width + ln->ratio * it[i].shrink;
        }
    }
    if (ln->hyphen)
        w += it[ln->end].width;
    return w;
}

static double S_natural_finite(const pb_item *it, const pb_line *ln)
{
    double w = 0;
    for (size_t i = ln->start; i < ln->end; i++)
        if (it[i].kind != PB_PENALTY)
            w += it[i].width;
    return w;
}

static void t_justified_exact(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    for (unsigned seed = 1; seed <= 20; seed++) {
        S_seed = seed;
        size_t n;
        pb_item *it = S_par(60 + seed * 7, &n);
        pb_line *lines = NULL;
        size_t nl = 0;
        double measure = 345.0;
        assert_int_equal(pb_break(it, n, measure, NULL, &lines, &nl, &e), 0);
        assert_true(nl >= 3);
        size_t covered = 0;
        for (size_t k = 0; k < nl; k++) {
            double w = S_set_width(it, &lines[k]);
            /* No line ever exceeds the measure. */
            assert_true(w <= measure + 1e-6);
            if (k + 1 < nl) {
                /* Justified: natural + stretched/shrunk glue == measure. */
                assert_float_equal(w, measure, 1e-6);
                assert_false(lines[k].fil_set);
                assert_true(lines[k].ratio >= -1.0);
            } else if (!lines[k].fil_set) {
                /* A last line that is a little too long is shrunk to the
                 * measure (TeX does the same): exact, never over. */
                assert_float_equal(w, measure, 1e-6);
                assert_true(lines[k].ratio <= 0 && lines[k].ratio >= -1.0);
            } else {
                /* Last line: ragged, finite glue at natural width. */
                assert_true(lines[k].fil_set);
                assert_float_equal(w, measure, 1e-6);   /* fil takes slack */
                double nat = S_natural_finite(it, &lines[k]);
                assert_true(nat <= measure + 1e-9);
                /* Every interword glue of the last line is 3.333 exactly. */
                for (size_t i = lines[k].start; i < lines[k].end; i++)
                    if (it[i].kind == PB_GLUE && it[i].fil == 0)
                        assert_float_equal(pb_glue_width(&it[i], &lines[k]),
                                           3.333, 1e-12);
            }
            /* Lines cover every box exactly once, in order. */
            for (size_t i = lines[k].start; i < lines[k].end; i++)
                if (it[i].kind == PB_BOX)
                    covered++;
        }
        assert_int_equal(covered, 60 + seed * 7);
        free(lines);
        free(it);
    }
}

/* Hand-made case: boxes 100, 100, 100 with glue 10 +5 -2, measure 215.
 * Two boxes per line: natural 210, stretch 5 -> r = (215-210)/5 = 1.0,
 * badness 100 (feasible at tolerance 200).  Putting all three on one line
 * would need 320 - 2*2 = 316 > 215 (overfull), so the break is after box 2
 * and the last line holds box 3 alone. */
static void t_hand_case(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    pb_item it[] = {
        { PB_BOX, 100, 0, 0, 0, 0, 0 }, { PB_GLUE, 10, 5, 2, 0, 0, 0 },
        { PB_BOX, 100, 0, 0, 0, 0, 0 }, { PB_GLUE, 10, 5, 2, 0, 0, 0 },
        { PB_BOX, 100, 0, 0, 0, 0, 0 },
        { PB_PENALTY, 0, 0, 0, 0, PB_INF, 0 }, { PB_GLUE, 0, 0, 0, 1, 0, 0 },
        { PB_PENALTY, 0, 0, 0, 0, -PB_INF, 0 },
    };
    pb_line *ln = NULL;
    size_t nl = 0;
    assert_int_equal(pb_break(it, 8, 215, NULL, &ln, &nl, &e), 0);
    assert_int_equal(nl, 2);
    assert_int_equal(ln[0].start, 0);
    assert_int_equal(ln[0].end, 3);
    assert_float_equal(ln[0].ratio, 1.0, 1e-12);
    assert_int_equal(ln[1].start, 4);
    assert_true(ln[1].fil_set);
    free(ln);
}

/* A box wider than the measure (a formula with no breakpoint): its line is
 * overfull, as TeX's (tex.web §854: the last active node survives through
 * the one line that would kill it), and the lines around it are still
 * broken normally: 100 | 400 | 100 100 at measure 215 (boxes 100 with glue
 * 10 +5 -2: two per line need r = (215 - 210)/5 = 1, badness 100). */
static void t_overfull_box(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    pb_item it[] = {
        { PB_BOX, 100, 0, 0, 0, 0, 0 }, { PB_GLUE, 10, 5, 2, 0, 0, 0 },
        { PB_BOX, 400, 0, 0, 0, 0, 0 }, { PB_GLUE, 10, 5, 2, 0, 0, 0 },
        { PB_BOX, 100, 0, 0, 0, 0, 0 }, { PB_GLUE, 10, 5, 2, 0, 0, 0 },
        { PB_BOX, 100, 0, 0, 0, 0, 0 },
        { PB_PENALTY, 0, 0, 0, 0, PB_INF, 0 }, { PB_GLUE, 0, 0, 0, 1, 0, 0 },
        { PB_PENALTY, 0, 0, 0, 0, -PB_INF, 0 },
    };
    pb_line *ln = NULL;
    size_t nl = 0;
    assert_int_equal(pb_break(it, 10, 215, NULL, &ln, &nl, &e), 0);
    assert_int_equal(e.code, 0);
    assert_int_equal(nl, 3);
    assert_int_equal(ln[0].start, 0);   /* the first box alone, very loose */
    assert_int_equal(ln[0].end, 1);
    assert_int_equal(ln[1].start, 2);   /* the wide box alone, overfull */
    assert_int_equal(ln[1].end, 3);
    assert_float_equal(ln[1].natural, 400, 1e-9);
    assert_int_equal(ln[2].start, 4);   /* the last two together */
    assert_true(ln[2].fil_set);
    free(ln);
}

/* A list not ending with a forced break is refused (no crash). */
static void t_malformed(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    pb_item it[] = { { PB_BOX, 10, 0, 0, 0, 0, 0 } };
    pb_line *ln = NULL;
    size_t nl = 0;
    assert_int_equal(pb_break(it, 1, 100, NULL, &ln, &nl, &e), -1);
    assert_true(e.code != 0);
}

/* A word longer than the line is split (with hyphens) by pdf_hl_finish, so
 * no line exceeds the measure; the characters all survive, in order. */
static void t_long_word(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    pdf_ctx c;
    memset(&c, 0, sizeof c);
    c.e = &e;
    afm_font *f = afm_load(AFMDIR "lmr10.afm", &e);
    assert_non_null(f);
    for (int i = 0; i < PF_COUNT; i++)
        c.font[i].afm = f;
    pdf_hlist hl;
    pdf_hl_init(&c, &hl);
    const char *txt = "A pneumonoultramicroscopicsilicovolcanoconiosis"
                      "pneumonoultramicroscopicsilicovolcanoconiosis word.";
    assert_int_equal(pdf_hl_text(&c, &hl, txt, strlen(txt), PF_RM, 10, 0, 0,
                                 1, 1), 0);
    double measure = 120.0;
    /* The long word alone: 90 letters, far wider than 120pt at 10pt
     * (lowercase letters are 277..833/1000 em). */
    assert_int_equal(pdf_hl_finish(&c, &hl, measure), 0);
    pb_line *ln = NULL;
    size_t nl = 0;
    assert_int_equal(pb_break(hl.it, hl.n, measure, NULL, &ln, &nl, &e), 0);
    assert_true(nl >= 4);
    int hyphens = 0;
    char joined[256] = "";
    for (size_t k = 0; k < nl; k++) {
        double w = S_set_width(hl.it, &ln[k]);
        assert_true(w <= measure + 1e-6);
        if (k + 1 < nl)
            assert_float_equal(w, measure, 1e-6);
        hyphens += ln[k].hyphen;
        for (size_t i = ln[k].start; i < ln[k].end; i++) {
            if (hl.it[i].kind == PB_BOX && hl.hb[i].kind == HB_TEXT)
                strncat(joined, hl.hb[i].s, hl.hb[i].len);
            else if (hl.it[i].kind == PB_GLUE && hl.it[i].width > 0)
                strcat(joined, " ");   /* letterspacing glue has width 0 */
        }
        if (k + 1 < nl && !ln[k].hyphen)
            strcat(joined, " ");
    }
    assert_true(hyphens >= 3);
    assert_string_equal(joined, txt);
    free(ln);
    pdf_ctx_release(&c);
    afm_free(f);
}

/* Kerning is measured: "AV" is narrower than "A" + "V". */
static void t_kerned_width(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    pdf_ctx c;
    memset(&c, 0, sizeof c);
    c.e = &e;
    afm_font *f = afm_load(AFMDIR "lmr10.afm", &e);
    assert_non_null(f);
    c.font[PF_RM].afm = f;
    pdf_hlist hl;
    pdf_hl_init(&c, &hl);
    assert_int_equal(pdf_hl_text(&c, &hl, "AV", 2, PF_RM, 10, 0, 0, 1, 1), 0);
    assert_int_equal(hl.n, 1);
    /* lmr10: A 750, V 750, KPX A V -111.111 -> (1500 - 111.111)/100 pt */
    assert_float_equal(hl.it[0].width, 13.88889, 1e-9);
    pdf_ctx_release(&c);
    afm_free(f);
}

/* UTF-8 -> WinAnsi: curly quotes, dashes, e-acute map; Greek does not. */
static void t_winansi(void **state)
{
    (void)state;
    char out[32];
    int bad = -1;
    /* 3 + 3 + 2 + 3 + 1 + 3 = 15 bytes of UTF-8, 8 characters */
    size_t n = pdf_winansi_from_utf8("\xE2\x80\x9C" "caf\xC3\xA9\xE2\x80\x9D"
                                   " \xE2\x80\x93", 15, out, sizeof out, &bad);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "\x93" "caf\xE9\x94 \x96", 8);
    assert_int_equal(bad, 0);
    n = pdf_winansi_from_utf8("\xCE\xB1", 2, out, sizeof out, &bad);
    assert_int_equal(n, 1);
    assert_int_equal(bad, 1);
}

/* ---- page builder -------------------------------------------------------- */

typedef struct S_vl {
    vl_item *it;
    size_t n, cap;
} S_vl;

static void S_add(S_vl *v, vl_item x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->it = realloc(v->it, v->cap * sizeof *v->it);
        assert_non_null(v->it);
    }
    v->it[v->n++] = x;
}

static void S_line(S_vl *v, int first)
{
    if (!first) {
        S_add(v, (vl_item){ VL_PENALTY, 0, 0, 0, 0, 0, 0, 0, -1, NULL, 0 });
        S_add(v, (vl_item){ VL_GLUE, 0, 0, 3.0, 0, 0, 0, 0, -1, NULL, 0 });
    }
    /* A 10/12pt text line: height 7 + depth 2 + glue 3 = 12. */
    S_add(v, (vl_item){ VL_BOX, 7, 2, 0, 0, 0, 0, 0, -1, NULL, 0 });
}

static void S_par_glue(S_vl *v)
{
    S_add(v, (vl_item){ VL_GLUE, 0, 0, 6, 2, 1, 0, 0, -1, NULL, 0 });
}

static int S_page_of(const vl_page *pg, size_t np, long idx)
{
    for (size_t p = 0; p < np; p++)
        for (size_t k = 0; k < pg[p].n; k++)
            if (pg[p].ents[k].idx == idx)
                return (int)p;
    return -1;
}

static long S_last_box(const vl_page *pg)
{
    for (size_t k = pg->n; k > 0; k--)
        if (pg->ents[k - 1].kind == VL_BOX)
            return pg->ents[k - 1].idx;
    return -1;
}

/* A heading never ends a page: for every position of the heading in a
 * stream of lines, it shares its page with its first following line. */
static void t_keep_with_next(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    vl_params vp;
    vl_params_default(&vp, 200.0);
    for (int before = 0; before < 40; before++) {
        S_vl v = { 0 };
        for (int i = 0; i < before; i++)
            S_line(&v, i == 0);
        S_par_glue(&v);
        S_add(&v, (vl_item){ VL_PENALTY, 0, 0, 0, 0, 0, -300, 0, -1, NULL, 0 });
        S_add(&v, (vl_item){ VL_GLUE, 0, 0, 15, 4, 1, 0, 0, -1, NULL, 0 });
        long head = (long)v.n;
        S_add(&v, (vl_item){ VL_BOX, 10, 3, 0, 0, 0, 0, 0, -1, NULL, 0 });
        S_add(&v, (vl_item){ VL_PENALTY, 0, 0, 0, 0, 0, PB_INF, 0, -1, NULL,
                             0 });
        S_add(&v, (vl_item){ VL_GLUE, 0, 0, 10, 1, 0, 0, 0, -1, NULL, 0 });
        long first = (long)v.n;
        S_line(&v, 1);
        for (int i = 0; i < 20; i++)
            S_line(&v, 0);
        vl_page *pg = NULL;
        size_t np = 0;
        assert_int_equal(vl_paginate(v.it, v.n, &vp, &pg, &np, &e), 0);
        int ph = S_page_of(pg, np, head), pf = S_page_of(pg, np, first);
        assert_true(ph >= 0);
        assert_int_equal(ph, pf);
        for (size_t p = 0; p < np; p++) {
            assert_true(S_last_box(&pg[p]) != head);
            /* No page is overfull: natural height - shrink <= 200. */
            double h = 0, sh = 0;
            for (size_t k = 0; k < pg[p].n; k++) {
                const vl_ent *en = &pg[p].ents[k];
                h += en->kind == VL_BOX ? en->h + en->d : en->w;
                sh += en->kind == VL_GLUE ? en->sh : 0;
            }
            h -= 2;   /* the last line's depth hangs below */
            assert_true(h - sh <= 200.0 + 1e-9);
        }
        vl_pages_free(pg, np);
        free(v.it);
    }
}

/* TeX's \maxdepth: a deep box (a multi-line display whose baseline is its
 * first row) may hang below the text block by at most topskip/2; when it
 * would hang deeper it goes to the next page, so it never reaches the
 * footer.  Pages of 200 pt, lines of 12 pt, then a box of height 8 and depth
 * 30 where only a few points are left. */
static void t_maxdepth(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    vl_params vp;
    vl_params_default(&vp, 200.0);
    for (int before = 10; before < 18; before++) {
        S_vl v = { 0 };
        for (int i = 0; i < before; i++)
            S_line(&v, i == 0);
        S_add(&v, (vl_item){ VL_PENALTY, 0, 0, 0, 0, 0, 0, 0, -1, NULL, 0 });
        S_add(&v, (vl_item){ VL_GLUE, 0, 0, 3.0, 0, 0, 0, 0, -1, NULL, 0 });
        S_add(&v, (vl_item){ VL_BOX, 8, 30, 0, 0, 0, 0, 0, -1, NULL, 0 });
        for (int i = 0; i < 10; i++)
            S_line(&v, 0);
        vl_page *pg = NULL;
        size_t np = 0;
        assert_int_equal(vl_paginate(v.it, v.n, &vp, &pg, &np, &e), 0);
        for (size_t p = 0; p < np; p++) {
            /* Everything on the page, depth of the last box included, ends
             * within 200 + maxdepth (+ what the glue may shrink). */
            double h = 0, sh = 0;
            for (size_t k = 0; k < pg[p].n; k++) {
                const vl_ent *en = &pg[p].ents[k];
                h += en->kind == VL_BOX ? en->h + en->d : en->w;
                sh += en->kind == VL_GLUE ? en->sh : 0;
            }
            assert_true(h - sh <= 200.0 + vp.topskip / 2 + 1e-9);
        }
        vl_pages_free(pg, np);
        free(v.it);
    }
}

/* A table (float) that fits on a page but not in the space left moves whole
 * to the top of the next page; the text after it fills the first page. */
static void t_table_moved_whole(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    vl_params vp;
    vl_params_default(&vp, 300.0);
    S_vl v = { 0 };
    /* 15 lines = 10 + 14*12 + 2 = 180pt used (topskip 10 = line height 7
     * plus 3 of topskip glue); 120 left, the table needs 150. */
    for (int i = 0; i < 15; i++)
        S_line(&v, i == 0);
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 12, 2, 2, 0, 0, -1, NULL, 0 });
    long tab = (long)v.n;
    S_add(&v, (vl_item){ VL_BOX, 150, 0, 0, 0, 0, 0, VL_FLOAT, -1, NULL, 0 });
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 12, 2, 2, 0, 0, -1, NULL, 0 });
    long after = (long)v.n;
    S_line(&v, 1);
    for (int i = 0; i < 30; i++)
        S_line(&v, 0);
    vl_page *pg = NULL;
    size_t np = 0;
    assert_int_equal(vl_paginate(v.it, v.n, &vp, &pg, &np, &e), 0);
    assert_true(np >= 2);
    assert_int_equal(S_page_of(pg, np, tab), 1);
    /* The first box of page 2 is the table. */
    long firstbox = -1;
    for (size_t k = 0; k < pg[1].n; k++)
        if (pg[1].ents[k].kind == VL_BOX) {
            firstbox = pg[1].ents[k].idx;
            break;
        }
    assert_int_equal(firstbox, tab);
    /* The line after the table went onto page 1 (it filled the gap). */
    assert_int_equal(S_page_of(pg, np, after), 0);
    /* The table box appears exactly once. */
    int count = 0;
    for (size_t p = 0; p < np; p++)
        for (size_t k = 0; k < pg[p].n; k++)
            count += pg[p].ents[k].idx == tab;
    assert_int_equal(count, 1);
    vl_pages_free(pg, np);
    free(v.it);
}

/* A table taller than a page splits between rows and every continuation
 * page starts with the repeated header; every row appears exactly once. */
static void t_table_split_header(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    vl_params vp;
    vl_params_default(&vp, 300.0);
    S_vl v = { 0 };
    for (int i = 0; i < 5; i++)
        S_line(&v, i == 0);
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 12, 2, 2, 0, 0, -1, NULL, 0 });
    long head = (long)v.n;
    S_add(&v, (vl_item){ VL_BOX, 20, 0, 0, 0, 0, 0, VL_HEADER, -1, NULL, 0 });
    long row0 = (long)v.n + 1;
    const int nrows = 80;
    for (int i = 0; i < nrows; i++) {
        S_add(&v, (vl_item){ VL_PENALTY, 0, 0, 0, 0, 0, i == 0 ? PB_INF : 0,
                             0, -1, NULL, 0 });
        S_add(&v, (vl_item){ VL_BOX, 11, 0, 0, 0, 0, 0, 0, head, NULL, 0 });
    }
    vl_page *pg = NULL;
    size_t np = 0;
    assert_int_equal(vl_paginate(v.it, v.n, &vp, &pg, &np, &e), 0);
    /* 80 rows * 11 = 880pt + header: at least 3 pages of 300pt. */
    assert_true(np >= 3);
    int seen = 0;
    for (size_t p = 0; p < np; p++) {
        int has_row = 0;
        for (size_t k = 0; k < pg[p].n; k++) {
            long idx = pg[p].ents[k].idx;
            if (idx >= row0 && (idx - row0) % 2 == 0) {
                has_row = 1;
                seen++;
            }
        }
        if (has_row) {
            long firstbox = -1;
            for (size_t k = 0; k < pg[p].n; k++)
                if (pg[p].ents[k].kind == VL_BOX) {
                    firstbox = pg[p].ents[k].idx;
                    break;
                }
            if (p > 0)
                assert_int_equal(firstbox, head);
        }
    }
    assert_int_equal(seen, nrows);
    vl_pages_free(pg, np);
    free(v.it);
}

/* A float met while filling a page, but positioned after the point where
 * the page finally breaks, stays after the text that precedes it in the
 * source (floats are re-read after the break, as TeX re-reads
 * contributions): here heading + float do not fit, the heading moves to the
 * next page (keep-with-next) and the float must come after it. */
/* Two floats in a row, the second too tall for what is left: it moves to
 * the next page, and the first keeps its 12 pt separation from the text
 * after it (the space between the floats must not shrink to the
 * no-float width, or the table's bottom rule touches the next line). */
static void t_float_keeps_separation(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    vl_params vp;
    vl_params_default(&vp, 300.0);
    S_vl v = { 0 };
    for (int i = 0; i < 5; i++)
        S_line(&v, i == 0);
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 12, 2, 2, 0, 0, -1, NULL, 0 });
    long tab = (long)v.n;
    S_add(&v, (vl_item){ VL_BOX, 100, 0, 0, 0, 0, 0, VL_FLOAT, -1, NULL, 0 });
    /* float skip between the floats: 12 pt, 0 without a float after it */
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 12, 2, 2, 0, VL_FLOATSKIP, -1, NULL, 0 });
    long fig = (long)v.n;
    S_add(&v, (vl_item){ VL_BOX, 200, 0, 0, 0, 0, 0, VL_FLOAT, -1, NULL, 0 });
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 12, 2, 2, 0, VL_FLOATSKIP, -1, NULL, 0 });
    long first = (long)v.n;
    for (int i = 0; i < 8; i++)
        S_line(&v, i == 0);
    vl_page *pg = NULL;
    size_t np = 0;
    assert_int_equal(vl_paginate(v.it, v.n, &vp, &pg, &np, &e), 0);
    assert_int_equal(S_page_of(pg, np, tab), 0);
    assert_int_equal(S_page_of(pg, np, fig), 1);
    assert_int_equal(S_page_of(pg, np, first), 0);
    /* glue on page 0 between the table and the first text line */
    double gap = 0;
    int after_tab = 0;
    for (size_t k = 0; k < pg[0].n; k++) {
        const vl_ent *en = &pg[0].ents[k];
        if (en->idx == tab)
            after_tab = 1;
        else if (en->idx == first)
            break;
        else if (after_tab && en->kind == VL_GLUE)
            gap += en->w;
    }
    assert_true(gap >= 12.0 - 1e-9);
    vl_pages_free(pg, np);
    free(v.it);
}

static void t_float_after_break(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    vl_params vp;
    vl_params_default(&vp, 300.0);
    S_vl v = { 0 };
    /* 23 lines: 10 + 22*12 = 274pt to the last baseline; heading (glue 10,
     * box 10+3) and its first line (glue 6, box 7) would end at 310 > 300. */
    for (int i = 0; i < 23; i++)
        S_line(&v, i == 0);
    S_add(&v, (vl_item){ VL_PENALTY, 0, 0, 0, 0, 0, -300, 0, -1, NULL, 0 });
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 10, 2, 1, 0, 0, -1, NULL, 0 });
    long head = (long)v.n;
    S_add(&v, (vl_item){ VL_BOX, 10, 3, 0, 0, 0, 0, 0, -1, NULL, 0 });
    S_add(&v, (vl_item){ VL_PENALTY, 0, 0, 0, 0, 0, PB_INF, 0, -1, NULL, 0 });
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 6, 1, 0, 0, 0, -1, NULL, 0 });
    long tab = (long)v.n;
    S_add(&v, (vl_item){ VL_BOX, 100, 0, 0, 0, 0, 0, VL_FLOAT, -1, NULL, 0 });
    S_add(&v, (vl_item){ VL_GLUE, 0, 0, 12, 2, 2, 0, 0, -1, NULL, 0 });
    for (int i = 0; i < 10; i++)
        S_line(&v, i == 0);
    vl_page *pg = NULL;
    size_t np = 0;
    assert_int_equal(vl_paginate(v.it, v.n, &vp, &pg, &np, &e), 0);
    int ph = S_page_of(pg, np, head), pt = S_page_of(pg, np, tab);
    assert_int_equal(ph, 1);
    assert_int_equal(pt, 1);
    size_t kh = 0, kt = 0;
    for (size_t k = 0; k < pg[1].n; k++) {
        if (pg[1].ents[k].idx == head) kh = k;
        if (pg[1].ents[k].idx == tab) kt = k;
    }
    assert_true(kh < kt);
    vl_pages_free(pg, np);
    free(v.it);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_justified_exact),
        cmocka_unit_test(t_hand_case),
        cmocka_unit_test(t_malformed), cmocka_unit_test(t_overfull_box),
        cmocka_unit_test(t_long_word),
        cmocka_unit_test(t_kerned_width),
        cmocka_unit_test(t_winansi),
        cmocka_unit_test(t_keep_with_next),
        cmocka_unit_test(t_table_moved_whole),
        cmocka_unit_test(t_table_split_header),
        cmocka_unit_test(t_float_after_break),
        cmocka_unit_test(t_maxdepth),
        cmocka_unit_test(t_float_keeps_separation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
