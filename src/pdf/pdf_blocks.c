/* pdf_blocks — document blocks to the vertical list, with the spacing of
 * LaTeX's article class at 10pt (ex = 4.3pt):
 *   paragraphs   10/12pt, \parindent 15pt (not after headings, lists,
 *                displays: only between consecutive paragraphs), \parskip
 *                0pt plus 1pt, club/widow penalty 150
 *   \section     14.4/18pt bold, 3.5ex+1ex-.2ex above, 2.3ex+.2ex below
 *   \subsection  12/14.5pt bold, 3.25ex+1ex-.2ex above, 1.5ex+.2ex below
 *   \subsubsection 10/12pt bold, same as \subsection
 *   headings     \@secpenalty -300 before, never stranded (penalty 10000
 *                after: a heading stays with its first line)
 *   lists        \leftmargin 25/22/18.7pt, \labelsep 5pt, \topsep 8+2-4,
 *                \itemsep 4+2-1 (tight lists 1+1)
 *   displays     \abovedisplayskip = \belowdisplayskip 10+2-5
 *   code         9/11pt typewriter on a light grey ground
 *   quotes       indented 15pt, light ground with a rule on the left
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_blocks.h"
#include "pdf/pdf_display.h"
#include "pdf/pdf_cjk.h"
#include "pdf/pdf_figure.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_mbox.h"
#include "pdf/pdf_table.h"
#include "pdf/pdf_text.h"
#include "pdf/pdf_vlist.h"
#include "pdf/pdf_winansi.h"

#define S_IGNORE_DEPTH (-1000.0)
#define S_PARINDENT 15.0

/* The paragraph indent: 15 pt for Latin text; two ideographs of the body
 * size for Chinese (lang.h), the convention of Chinese books. */
static double S_parindent(pdf_ctx *c)
{
    if (c->lang->parindent == 1.5)
        return S_PARINDENT;
    double em = 10.0 * pdf_cjkfont_scale(c->cjk, PDF_CJK_SONG, c->e);
    return c->lang->parindent * em;
}

static double S_measure(const pdf_ctx *c)
{
    return c->tw - c->ind_l - c->ind_r;
}

static void S_take_label(pdf_ctx *c, pdf_vbox *vb)
{
    if (c->pending_label) {
        vb->label = c->pending_label;
        vb->label_right = c->pending_label_right;
        c->pending_label = NULL;
    }
}

/* Break `hl` into lines of `measure` and add them on `bskip` baselines;
 * the first line carries the heading's outline entry and a pending list
 * label. */
static int S_par_lines(pdf_ctx *c, pdf_hlist *hl, double measure,
                       int ragged, int center, double bskip,
                       const char *outline, int level)
{
    pb_line *lines = NULL;
    size_t nl = 0;
    int rc = -1;

    if (pdf_hl_finish(c, hl, measure) < 0)
        goto out;
    if ((ragged || center) && pdf_hl_ragged(c, hl, measure * 0.3) < 0)
        goto out;
    if (pb_break(hl->it, hl->n, measure, NULL, &lines, &nl, c->e) < 0)
        goto out;
    pdf_hl_overfull(c, hl, lines, nl, measure);
    double keep = c->baselineskip;
    bskip *= c->leading;     /* Chinese text takes more leading (lang.h) */
    c->baselineskip = bskip;
    for (size_t k = 0; k < nl; k++) {
        pdf_vbox *vb = pdf_vbox_new(c, VB_LINE);
        if (!vb)
            goto out;
        vb->w = measure;
        vb->hl = hl;
        vb->line = lines[k];
        vb->center = center;
        if (ragged || center) {
            /* Ragged lines are set at their natural width. */
            vb->line.ratio = 0;
            vb->line.fil_set = 0;
        }
        if (k == 0) {
            vb->outline = outline;
            vb->level = level;
            S_take_label(c, vb);
        }
        double h, d;
        pdf_hl_extent(hl, lines[k].start, lines[k].end, &h, &d);
        if (h < 0.7 * bskip / 1.2) h = 0.7 * bskip / 1.2;
        if (k > 0) {
            /* Club and widow lines; headings never break inside. */
            double pen = 0;
            if (outline || level) pen = PB_INF;
            else {
                if (k == 1) pen += 150;
                if (k == nl - 1) pen += 150;
            }
            if (pdf_vl_penalty(c, pen) < 0)
                goto out;
        }
        if (pdf_vl_box(c, h, d, vb, 0, -1) < 0)
            goto out;
    }
    c->baselineskip = keep;
    rc = 0;
out:
    free(lines);
    return rc;
}

/* ---- paragraphs and displays -------------------------------------------- */

/* A displayed formula (pdf_display.h): centred, numbered, broken or
 * refused when too wide. */
static int S_display(pdf_ctx *c, const doc_node *n)
{
    char tag[128];
    if (n->eqtag)   /* amsmath's \tagform@: (3), or as it is for \tag* */
        snprintf(tag, sizeof tag, n->eqtag_star ? "%.120s" : "(%.120s)", n->eqtag);
    return pdf_display_add(c, n, n->eqtag ? tag : NULL, S_measure(c));
}

static int S_paragraph(pdf_ctx *c, const doc_node *n)
{
    const doc_node *from = n->first_child;
    int first = 1;
    while (1) {
        pdf_hlist *hl = pdf_arena_alloc(c, sizeof *hl);
        const doc_node *stop = NULL;
        if (!hl)
            return -1;
        pdf_hl_init(c, hl);
        if (first && c->after_par && !c->pending_label &&
            pdf_hl_box(c, hl, S_parindent(c)) < 0)
            return -1;
        if (pdf_hl_inlines(c, hl, from, &pdf_fam_body, 10.0, &stop) < 0)
            return -1;
        int empty = 1;
        for (size_t i = 0; i < hl->n; i++)
            if (hl->it[i].kind == PB_BOX && hl->hb[i].kind != HB_NONE)
                empty = 0;
        if (!empty) {
            if (first && pdf_vl_glue(c, 0, 1, 0) < 0)   /* \parskip */
                return -1;
            if (S_par_lines(c, hl, S_measure(c), 0, 0, 12, NULL, 0) < 0)
                return -1;
        }
        first = 0;
        if (!stop)
            break;
        if (S_display(c, stop) < 0)
            return -1;
        from = stop->next;
        if (!from)
            break;
    }
    c->after_par = 1;
    return 0;
}

/* ---- headings ----------------------------------------------------------- */

static int S_heading(pdf_ctx *c, const doc_node *n)
{
    static const double size[] = { 14.4, 14.4, 12, 10, 10, 10, 10 };
    static const double bsk[] = { 18, 18, 14.5, 12, 12, 12, 12 };
    static const double before[] = { 15.05, 15.05, 13.98, 13.98, 13.98,
                                     13.98, 13.98 };
    static const double after[] = { 9.89, 9.89, 6.45, 6.45, 6.45, 6.45,
                                    6.45 };
    int lv = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
    const pdf_fam *fam = &pdf_fam_head;
    static const pdf_fam small_head = { PF_BF, PF_BI, PF_BF, PF_BI, PF_TT };
    if (lv >= 3)
        fam = &small_head;
    pdf_hlist *hl = pdf_arena_alloc(c, sizeof *hl);
    char *title = NULL, *plain = NULL;
    int rc = -1;
    if (!hl)
        return -1;
    pdf_hl_init(c, hl);
    if (n->secnum) {
        if (pdf_hl_text(c, hl, n->secnum, strlen(n->secnum), fam->rm,
                        size[lv], 1, 0, n->line, n->col) < 0 ||
            pdf_hl_glue(c, hl, size[lv], 0, 0, 0) < 0)   /* \quad */
            return -1;
    }
    if (pdf_hl_inlines(c, hl, n->first_child, fam, size[lv], NULL) < 0)
        return -1;
    plain = doc_plain_text(n, c->e);
    if (!plain)
        return -1;
    size_t tl = strlen(plain) + (n->secnum ? strlen(n->secnum) + 1 : 0) + 1;
    char *u = malloc(tl);
    if (!u)
        goto nomem;
    snprintf(u, tl, "%s%s%s", n->secnum ? n->secnum : "",
             n->secnum ? " " : "", plain);
    title = pdf_arena_alloc(c, tl);
    if (!title) {
        free(u);
        goto out;
    }
    /* Bookmarks show plain text: drop the $ of inline math. */
    size_t w = 0;
    for (size_t r = 0; u[r]; r++)
        if (u[r] != '$')
            u[w++] = u[r];
    u[w] = '\0';
    /* Outline entries are UTF-8 (written as UTF-16 by pdf_draw.c). */
    memcpy(title, u, w + 1);
    free(u);
    if (pdf_hpdf_bmp_check(c, title, "a heading", n->line, n->col, 0) < 0)
        goto out;
    if (pdf_vl_penalty(c, lv <= 3 ? -300 : 0) < 0 ||
        pdf_vl_addvspace(c, before[lv], 4.3, 0.86) < 0)
        goto out;
    if (S_par_lines(c, hl, S_measure(c), 1, 0, bsk[lv], title, lv) < 0)
        goto out;
    if (pdf_vl_penalty(c, PB_INF) < 0 ||
        pdf_vl_glue(c, after[lv], 0.86, 0) < 0)
        goto out;
    c->after_par = 0;
    rc = 0;
    goto out;
nomem:
    err_nomem(c->e);
out:
    free(plain);
    return rc;
}

/* ---- lists --------------------------------------------------------------- */

static const char *S_roman(unsigned k, char *buf, size_t n)
{
    static const char *r[] = { "i", "ii", "iii", "iv", "v", "vi", "vii",
                               "viii", "ix", "x", "xi", "xii" };
    if (k >= 1 && k <= 12)
        snprintf(buf, n, "%s.", r[k - 1]);
    else
        snprintf(buf, n, "%u.", k);
    return buf;
}

static int S_block(pdf_ctx *c, const doc_node *n);

static int S_list(pdf_ctx *c, const doc_node *n)
{
    static const double margin[] = { 25, 22, 18.7, 17, 17, 17 };
    int depth = c->list_depth < 5 ? c->list_depth : 5;
    double topsep = depth == 0 ? 8 : depth == 1 ? 4 : 2;
    if (pdf_vl_addvspace(c, topsep, 2, depth == 0 ? 4 : 1) < 0)
        return -1;
    c->list_depth++;
    c->ind_l += margin[depth];
    unsigned num = n->ordered ? n->start : 0;
    for (const doc_node *it = n->first_child; it; it = it->next, num++) {
        pdf_hlist *lab = pdf_arena_alloc(c, sizeof *lab);
        char buf[32];
        if (!lab)
            return -1;
        pdf_hl_init(c, lab);
        int rc = 0;
        if (n->ordered) {
            if (depth % 3 == 0) snprintf(buf, sizeof buf, "%u.", num);
            else if (depth % 3 == 1)
                snprintf(buf, sizeof buf, "(%c)", num >= 1 && num <= 26 ?
                         'a' + (int)num - 1 : '?');
            else S_roman(num, buf, sizeof buf);
            rc = pdf_hl_text(c, lab, buf, strlen(buf), PF_RM, 10, 1, 0,
                             it->line, it->col);
        } else if (depth % 3 == 0) {
            rc = pdf_hl_text(c, lab, "\xE2\x80\xA2", 3, PF_RM, 10, 1, 0,
                             it->line, it->col);          /* bullet */
        } else if (depth % 3 == 1) {
            rc = pdf_hl_text(c, lab, "\xE2\x80\x93", 3, PF_BF, 10, 1, 0,
                             it->line, it->col);          /* bold en dash */
        } else {
            rc = pdf_hl_math(c, lab, "\\ast", 10, it->line, it->col);
        }
        if (rc < 0)
            return -1;
        if (it != n->first_child &&
            pdf_vl_addvspace(c, n->tight ? 1 : 4, n->tight ? 1 : 2,
                             n->tight ? 0 : 1) < 0)
            return -1;
        c->pending_label = lab;
        c->pending_label_right = c->left + c->ind_l - 5.0;
        c->after_par = 0;
        int firstblk = 1;
        for (const doc_node *b = it->first_child; b; b = b->next) {
            if (!firstblk && pdf_vl_addvspace(c, n->tight ? 0 : 4,
                                              n->tight ? 1 : 2,
                                              n->tight ? 0 : 1) < 0)
                return -1;
            c->after_par = 0;
            if (S_block(c, b) < 0)
                return -1;
            firstblk = 0;
        }
        if (c->pending_label) {   /* an empty item still shows its label */
            pdf_hlist *hl = pdf_arena_alloc(c, sizeof *hl);
            if (!hl)
                return -1;
            pdf_hl_init(c, hl);
            if (pdf_hl_box(c, hl, 0) < 0 ||
                S_par_lines(c, hl, S_measure(c), 0, 0, 12, NULL, 0) < 0)
                return -1;
        }
    }
    c->ind_l -= margin[depth];
    c->list_depth--;
    c->after_par = 0;
    return pdf_vl_addvspace(c, topsep, 2, depth == 0 ? 4 : 1);
}

/* ---- quotes, code, rules ------------------------------------------------- */

static int S_group_open(pdf_ctx *c, int kind, double x0, double x1)
{
    if (c->ngrp >= PDF_MAX_GRP)
        return -2;
    if (c->ngrps == c->capgrps) {
        size_t ncap = c->capgrps ? c->capgrps * 2 : 16;
        pdf_grp *t = realloc(c->grps, ncap * sizeof *t);
        if (!t)
            return err_nomem(c->e);
        c->grps = t;
        c->capgrps = ncap;
    }
    c->grps[c->ngrps] = (pdf_grp){ kind, x0, x1 };
    c->grp[c->ngrp++] = (int)c->ngrps++;
    return 0;
}

static int S_quote(pdf_ctx *c, const doc_node *n)
{
    if (pdf_vl_addvspace(c, 10, 2, 2) < 0)
        return -1;
    double x0 = c->left + c->ind_l, x1 = c->left + c->tw - c->ind_r;
    int g = S_group_open(c, GRP_QUOTE, x0, x1);
    if (g == -1)
        return -1;
    c->ind_l += 12;
    c->ind_r += 8;
    c->after_par = 0;
    c->quote_depth++;
    size_t from = c->nvl;
    if (pdf_blocks(c, n->first_child) < 0)
        return -1;
    c->quote_depth--;
    /* A boxed note reads as one unit, like a textbook's callout box: when
     * it is short (under half a page) it is kept whole and moves to the next
     * page rather than leave a few lines of its frame behind (the page it
     * leaves ends short, as with LaTeX's unbreakable boxes).  Longer quotes
     * break as text does. */
    double h = 0;
    for (size_t i = from; i < c->nvl; i++)
        h += c->vl[i].kind == VL_BOX ? c->vl[i].h + c->vl[i].d
           : c->vl[i].kind == VL_GLUE ? c->vl[i].w : 0;
    if (h < c->th / 2)
        for (size_t i = from; i < c->nvl; i++) {
            if (c->vl[i].kind == VL_PENALTY && c->vl[i].pen < PB_INF)
                c->vl[i].pen = PB_INF;
            else if (c->vl[i].kind == VL_GLUE)
                c->vl[i].flags |= VL_NOBREAK;
        }
    c->ind_l -= 12;
    c->ind_r -= 8;
    if (g == 0)
        c->ngrp--;
    c->after_par = 0;
    return pdf_vl_addvspace(c, 10, 2, 2);
}

/* The second column of a CJK character in a code line. */
#define S_CJK2 0xFFFFFFFFu

/* WinAnsi text of a code line as one box. */
static int S_code_text(pdf_ctx *c, pdf_hlist *hl, const char *s, size_t n,
                       double size)
{
    if (pdf_hl_box(c, hl, pdf_text_width(c, PF_TT9, size, s, n)) < 0)
        return -1;
    pdf_hbox *hb = &hl->hb[hl->n - 1];
    hb->kind = HB_TEXT;
    hb->font = PF_TT9;
    hb->size = size;
    hb->s = pdf_arena_strndup(c, s, n);
    hb->len = n;
    return hb->s ? 0 : -1;
}

/* A CJK character of a code line: two columns of lmtt, the glyph of the
 * face that goes with code centred in them. */
static int S_code_cjk(pdf_ctx *c, pdf_hlist *hl, unsigned u, double cw,
                      double size, const doc_node *n)
{
    int face = pdf_cjkfont_face(0, 1);
    double cs = size * pdf_cjkfont_scale(c->cjk, face, c->e);
    pdf_cjk_glyph g;
    int rc = c->e->code ? -1 : pdf_cjkfont_glyph(c->cjk, face, u, &g, c->e);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return err_at(c->e, LB_EXIT_INPUT, c->path, n->line, n->col,
                      "character U+%04X in a code block is in none of the "
                      "fonts (%s)", u, pdf_cjkfont_name(face));
    if (pdf_hl_box(c, hl, 2 * cw) < 0)
        return -1;
    pdf_hbox *hb = &hl->hb[hl->n - 1];
    hb->kind = HB_CJK;
    hb->font = PF_TT9;
    hb->size = cs;
    hb->u = u;
    hb->face = face;
    hb->dx = (2 * cw - g.adv * cs) / 2;
    return 0;
}

static int S_code(pdf_ctx *c, const doc_node *n)
{
    const double size = 9, bskip = 11, pad = 3;
    if (pdf_vl_addvspace(c, 8, 2, 2) < 0)
        return -1;
    double x0 = c->left + c->ind_l, x1 = c->left + c->tw - c->ind_r;
    int g = S_group_open(c, GRP_CODE, x0, x1);
    if (g == -1)
        return -1;
    c->ind_l += 4;
    c->ind_r += 4;
    double measure = S_measure(c);
    double cw = pdf_text_width(c, PF_TT9, size, "m", 1);
    size_t maxc = cw > 0 ? (size_t)(measure / cw) : 60;
    if (maxc < 8)
        maxc = 8;
    const char *s = n->text;
    size_t len = n->text_len;
    size_t li = 0, pos = 0;
    double keep = c->baselineskip;
    c->baselineskip = bskip;
    while (pos <= len) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len;
        /* Expand tabs, convert to WinAnsi, then wrap visibly at the right
         * edge: continuation lines start with a '>' marker. */
        /* Worst case per source byte: a tab (4 spaces) or a 2-byte
         * character shown as "[U+XXXX]" (8 chars): 10 bytes is enough. */
        size_t bufcap = 10 * (end - pos) + 16;
        char *buf = pdf_arena_alloc(c, bufcap);
        /* A CJK character takes two columns, as in a terminal: cps[k] is
         * its code point at its first column, S_CJK2 at its second, 0 for
         * the columns of Latin text. */
        unsigned *cps = pdf_arena_alloc(c, bufcap * sizeof *cps);
        if (!buf || !cps)
            return -1;
        size_t nb = 0;
        for (size_t i = pos; i < end; ) {
            if (s[i] == '\t') {
                do { cps[nb] = 0; buf[nb++] = ' '; } while (nb % 4);
                i++;
                continue;
            }
            size_t j = i;
            unsigned u = pdf_winansi_decode_utf8(s, end, &j);
            if (u >= 0x2E80 && pdf_cjk_wide(u)) {
                cps[nb] = u;
                buf[nb++] = ' ';
                cps[nb] = S_CJK2;
                buf[nb++] = ' ';
                i = j;
                continue;
            }
            size_t k = pdf_winansi_from_utf8_visible(s + i, j - i, buf + nb,
                                                     bufcap - nb);
            for (size_t q = 0; q < k; q++)
                cps[nb + q] = 0;
            nb += k;
            i = j;
        }
        size_t off = 0;
        int cont = 0;
        do {
            size_t room = cont ? maxc - 2 : maxc;
            size_t take = nb - off > room ? room : nb - off;
            if (take > 1 && off + take < nb && cps[off + take] == S_CJK2)
                take--;             /* never split a CJK character */
            pdf_hlist *hl = pdf_arena_alloc(c, sizeof *hl);
            if (!hl)
                return -1;
            pdf_hl_init(c, hl);
            /* Boxes of Latin text and one box per CJK character: code is
             * never justified. */
            if (cont && S_code_text(c, hl, "\xBB ", 2, size) < 0)
                return -1;
            for (size_t a = off; a < off + take;) {
                size_t b = a;
                if (cps[a] && cps[a] != S_CJK2) {
                    if (S_code_cjk(c, hl, cps[a], cw, size, n) < 0)
                        return -1;
                    a += 2;
                    continue;
                }
                while (b < off + take && !cps[b])
                    b++;
                if (b == a)
                    b++;             /* a stray second column */
                if (S_code_text(c, hl, buf + a, b - a, size) < 0)
                    return -1;
                a = b;
            }
            off += take;
            pdf_vbox *vb = pdf_vbox_new(c, VB_LINE);
            if (!vb)
                return -1;
            vb->hl = hl;
            vb->line.start = 0;
            vb->line.end = hl->n;
            S_take_label(c, vb);
            int first = li == 0 && !cont;
            int last = !nl && off >= nb;
            double h = 7.5 + (first ? pad : 0), d = 3.5 + (last ? pad : 0);
            if (!first && pdf_vl_penalty(c, li == 1 || last ? 150 : 0) < 0)
                return -1;
            if (pdf_vl_box(c, h, d, vb, 0, -1) < 0)
                return -1;
            cont = 1;
        } while (off < nb);
        li++;
        if (!nl)
            break;
        pos = end + 1;
    }
    c->baselineskip = keep;
    c->ind_l -= 4;
    c->ind_r -= 4;
    if (g == 0)
        c->ngrp--;
    c->after_par = 0;
    return pdf_vl_addvspace(c, 8, 2, 2);
}

static int S_hrule(pdf_ctx *c)
{
    pdf_vbox *vb = pdf_vbox_new(c, VB_RULE);
    if (!vb)
        return -1;
    vb->thick = 0.4;
    if (pdf_vl_addvspace(c, 8, 2, 2) < 0)
        return -1;
    c->prev_depth = S_IGNORE_DEPTH;
    if (pdf_vl_box(c, 0.4, 0, vb, 0, -1) < 0)
        return -1;
    c->prev_depth = S_IGNORE_DEPTH;
    c->after_par = 0;
    return pdf_vl_glue(c, 8, 2, 2);
}

static int S_block(pdf_ctx *c, const doc_node *n)
{
    int rc = 0;
    switch (n->type) {
    case DOC_PARAGRAPH: rc = S_paragraph(c, n); break;
    case DOC_HEADING: rc = S_heading(c, n); break;
    case DOC_LIST: rc = S_list(c, n); break;
    case DOC_QUOTE: rc = S_quote(c, n); break;
    case DOC_CODE_BLOCK: rc = S_code(c, n); break;
    case DOC_HRULE: rc = S_hrule(c); break;
    case DOC_MATH_BLOCK: rc = S_display(c, n); break;
    /* Floats leave the paragraph indentation alone: as in LaTeX, the text
     * after a table or figure continues as if it were not there. */
    case DOC_TABLE: rc = pdf_table_gfm(c, n); break;
    case DOC_GENTABLE: rc = pdf_table_gen(c, n); break;
    case DOC_FIGURE: rc = pdf_figure_add(c, n); break;
    default: break;
    }
    return rc;
}

int pdf_blocks(pdf_ctx *c, const doc_node *first)
{
    for (const doc_node *n = first; n; n = n->next)
        if (S_block(c, n) < 0)
            return -1;
    return 0;
}

/* ---- title block --------------------------------------------------------- */

/* utf8 starts at (line, col) of the template (a front matter value). */
static int S_centered(pdf_ctx *c, const char *utf8, const pdf_fam *fam,
                      double size, double bskip, int line, int col)
{
    pdf_hlist *hl = pdf_arena_alloc(c, sizeof *hl);
    if (!hl)
        return -1;
    pdf_hl_init(c, hl);
    if (pdf_hl_rich(c, hl, utf8, fam->rm, size, line, col) < 0)
        return -1;
    return S_par_lines(c, hl, c->tw, 0, 1, bskip, NULL, 0);
}

int pdf_blocks_title(pdf_ctx *c)
{
    const doc_meta *m = &c->doc->meta;
    if (!m->title)
        return 0;
    if (pdf_vl_glue(c, 20, 0, 0) < 0)    /* \vskip 2em */
        return -1;
    if (S_centered(c, m->title, &pdf_fam_title, 17.28, 22, m->title_line,
                   m->title_col) < 0)
        return -1;
    if (pdf_vl_glue(c, 15, 0, 0) < 0)
        return -1;
    if (m->author && S_centered(c, m->author, &pdf_fam_r12, 12, 14.5,
                                m->author_line, m->author_col) < 0)
        return -1;
    /* The front matter's date is used as written, whatever its length (it
     * is broken into lines like the title); only the computed one needs a
     * buffer. */
    char dbuf[64] = "";
    const char *date = dbuf;
    int dline = 0, dcol = 0;   /* a computed date has no place */
    if (m->date) {
        date = m->date;
        dline = m->date_line;
        dcol = m->date_col;
    } else if (c->o->date >= 0) {
        lang_date(c->lang, c->o->date, dbuf, sizeof dbuf);
    }
    if (date[0]) {
        if (pdf_vl_glue(c, 8, 0, 0) < 0 ||
            S_centered(c, date, &pdf_fam_r12, 12, 14.5, dline, dcol) < 0)
            return -1;
    }
    if (pdf_vl_glue(c, 22, 0, 0) < 0)
        return -1;
    c->after_par = 0;
    return 0;
}
