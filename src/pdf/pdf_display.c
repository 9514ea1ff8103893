/* pdf_display — see pdf_display.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_display.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_mbox.h"
#include "pdf/pdf_vlist.h"
#include "doc/resolve.h"

#define S_SIZE 10.0         /* display math at the body size */
#define S_OVER_MAX 0.05     /* an unbreakable part may stick out this much
                               into the margin (overfull, warned); more is
                               an error.  Never set smaller: TeX does not */
#define S_GAP 10.0          /* amsmath's \multlinegap and \multlinetaggap */
#define S_JOT 3.0           /* amsmath's \jot between the lines of multline */
#define S_QUAD 10.0         /* TeX's math_quad at 10pt (\eqno's separation) */

typedef struct S_disp {
    pdf_mbox *m;
    pdf_hlist *hl;          /* the formula's top level (pdf_hl_mitems) */
    double W, S;            /* natural width, total shrink */
    size_t wide;            /* its widest box */
} S_disp;

/* The formula at `size` as a horizontal list of its top-level boxes, glue
 * and breakpoints. */
static int S_build(pdf_ctx *c, S_disp *d, double size, int one_span)
{
    if (d->m->size != size && pdf_mbox_resize(c, d->m, size) < 0)
        return -1;
    d->hl = pdf_arena_alloc(c, sizeof *d->hl);
    if (!d->hl)
        return -1;
    pdf_hl_init(c, d->hl);
    int rc = d->m->box->nitems ? pdf_hl_mitems(c, d->hl, d->m, 0, d->m->box->nitems, one_span)
                               : pdf_hl_box(c, d->hl, d->m->w);
    if (rc < 0)
        return -1;
    if (!d->m->box->nitems) {   /* an empty formula: one empty box */
        d->hl->hb[0].kind = HB_MATH;
        d->hl->hb[0].m = d->m;
    }
    d->W = d->S = 0;
    d->wide = 0;
    for (size_t i = 0; i < d->hl->n; i++) {
        const pb_item *it = &d->hl->it[i];
        if (it->kind == PB_PENALTY)
            continue;
        d->W += it->width;
        if (it->kind == PB_GLUE)
            d->S += it->shrink;
        else if (it->width > d->hl->it[d->wide].width || d->hl->it[d->wide].kind != PB_BOX)
            d->wide = i;
    }
    return 0;
}

static int S_too_wide(pdf_ctx *c, const S_disp *d, double measure)
{
    const pdf_hbox *hb = &d->hl->hb[d->wide];
    double w = d->hl->it[d->wide].width;
    int line = d->m->line, col = d->m->col;
    if (hb->kind == HB_MATH)
        pdf_mbox_pos(hb->m, &line, &col);
    char shown[64];
    size_t k = 0;
    for (const char *s = d->m->src; *s && k + 4 < sizeof shown; s++)
        shown[k++] = *s == '\n' ? ' ' : *s;
    if (d->m->src[k])
        memcpy(shown + k, "...", 3), k += 3;
    shown[k] = '\0';
    return err_at(c->e, LB_EXIT_INPUT, c->path, line, col,
                  "display formula '%s' is too wide: a part of it that cannot be broken "
                  "(a fraction, \\left...\\right, braces or an environment) is %.1f pt wide, "
                  "%.0f%% more than the %.1f pt line (expected at most %.0f%%: split it into "
                  "rows with \\begin{aligned} ... \\end{aligned})",
                  shown, w, 100.0 * (w / measure - 1.0), measure, 100.0 * S_OVER_MAX);
}

/* An equation number wider than the line (a \tag{...} of prose): an
 * error at the \tag command. */
static int S_tag_too_wide(pdf_ctx *c, const doc_node *n, double tw, double measure)
{
    const char *tex = n->text ? n->text : "", *at = strstr(tex, "\\tag");
    int ecol = 1, line, col;
    for (const char *s = tex; at && s < at; s++)
        ecol += ((unsigned char)*s & 0xC0) != 0x80;
    res_math_pos(n, n->line, n->col, tex, 1, at ? ecol : 0, &line, &col);
    return err_at(c->e, LB_EXIT_INPUT, c->path, line, col,
                  "the equation's \\tag is %.1f pt wide, wider than the %.1f pt line (expected "
                  "a short number or name)", tw, measure);
}

/* TeX's "Overfull \hbox" for a display set on one line wider than the
 * measure: a warning at its widest part's line:column. */
static void S_overfull(pdf_ctx *c, const S_disp *d, double measure)
{
    const pdf_hbox *hb = &d->hl->hb[d->wide];
    int line = d->m->line, col = d->m->col;
    if (hb->kind == HB_MATH)
        pdf_mbox_pos(hb->m, &line, &col);
    pdf_ctx_warn(c, line, col, "overfull display, %.1f pt too wide for the %.1f pt measure: a "
                 "part of it that cannot be broken (a fraction, \\left...\\right, braces or an "
                 "environment) runs into the margin", d->W - d->S - measure, measure);
}

/* A line's items [a, b) of hl, then a kern to `tag_x` and the tag (TeX's
 * \eqno box at the line's end): a list of its own, its glue as it was. */
static pdf_hlist *S_with_tag(pdf_ctx *c, const pdf_hlist *hl, size_t a, size_t b,
                             double ratio, double set_w, double x, const pdf_hlist *tag,
                             double tag_x)
{
    pdf_hlist *t = pdf_arena_alloc(c, sizeof *t);
    if (!t)
        return NULL;
    pdf_hl_init(c, t);
    for (size_t i = a; i < b; i++) {
        pb_item it = hl->it[i];
        if (it.kind == PB_GLUE) {   /* set now: the tag's glue must not move */
            pb_line ln = { a, b, ratio, 0, 0, 0 };
            it.width = pb_glue_width(&hl->it[i], &ln);
            it.stretch = it.shrink = it.fil = 0;
        }
        if ((it.kind == PB_BOX ? pdf_hl_box(c, t, it.width)
             : it.kind == PB_GLUE ? pdf_hl_glue(c, t, it.width, 0, 0, 0)
                                  : pdf_hl_penalty(c, t, it.penalty, it.width, it.flagged)) < 0)
            return NULL;
        t->hb[t->n - 1] = hl->hb[i];
    }
    if (pdf_hl_glue(c, t, tag_x - x - set_w, 0, 0, 0) < 0)
        return NULL;
    for (size_t i = 0; i < tag->n; i++) {
        const pb_item *it = &tag->it[i];
        if ((it->kind == PB_BOX ? pdf_hl_box(c, t, it->width)
             : it->kind == PB_GLUE ? pdf_hl_glue(c, t, it->width, 0, 0, 0)
                                   : pdf_hl_penalty(c, t, it->penalty, 0, 0)) < 0)
            return NULL;
        t->hb[t->n - 1] = tag->hb[i];
    }
    return t;
}

/* One line of the display on the vertical list: items [a, b) of hl set
 * with `ratio` (its width then `set_w`), its left edge `x` points into the
 * measure; `tag` (may be NULL) flush right at `tag_x`. */
static int S_line(pdf_ctx *c, const pdf_hlist *hl, size_t a, size_t b, double ratio,
                  double natural, double set_w, double x, const pdf_hlist *tag, double tag_x,
                  int first)
{
    pdf_vbox *vb = pdf_vbox_new(c, VB_LINE);
    if (!vb)
        return -1;
    if (tag) {
        if (!(hl = S_with_tag(c, hl, a, b, ratio, set_w, x, tag, tag_x)))
            return -1;
        a = 0;
        b = hl->n;
        ratio = 0;
        natural = tag_x + pdf_hl_width(tag) - x;
    }
    vb->hl = hl;
    vb->line = (pb_line){ a, b, ratio, 0, 0, natural };
    vb->x += x;
    vb->w = natural;
    if (first && c->pending_label) {
        vb->label = c->pending_label;
        vb->label_right = c->pending_label_right;
        c->pending_label = NULL;
    }
    double h, d;
    pdf_hl_extent(hl, a, b, &h, &d);
    if (!first && pdf_vl_penalty(c, PB_INF) < 0)   /* \interdisplaylinepenalty */
        return -1;
    return pdf_vl_box(c, h, d, vb, 0, -1);
}

/* The tag on a line of its own below the display, flush right. */
static int S_tag_line(pdf_ctx *c, const pdf_hlist *tag, double tw, double measure)
{
    return S_line(c, tag, 0, tag->n, 0, tw, tw, measure - tw, NULL, 0, 0);
}

/* Broken like multline: lines of at most `measure`, the first flush left
 * and the last flush right (\multlinegap from the margin when there is
 * room), the others centred; the tag on the last line, or below it. */
static int S_multline(pdf_ctx *c, S_disp *d, const pdf_hlist *tag, double tw, double measure)
{
    pb_line *ln = NULL;
    size_t nl = 0;
    if (pdf_hl_finish(c, d->hl, measure) < 0 || pdf_hl_ragged(c, d->hl, measure * 0.3) < 0 ||
        pdf_hl_break(c, d->hl, measure, &ln, &nl) < 0)
        return -1;
    for (size_t k = 0; k < nl; k++) {
        double nat = ln[k].natural, x = (measure - nat) / 2;
        int last = k + 1 == nl, on_line = 0;
        if (k == 0 && nl > 1)
            x = fmin(S_GAP, measure - nat);
        if (last) {
            /* against the tag with \multlinetaggap, else \multlinegap
             * from the right margin (less when the line is that wide) */
            on_line = tag && measure - nat - tw - S_GAP >= 0;
            if (on_line)
                x = measure - tw - S_GAP - nat;
            else if (nl > 1)
                x = measure - nat - fmin(S_GAP, measure - nat);
        }
        c->baselineskip = 12 * c->leading + (k ? S_JOT : 0);
        if (S_line(c, d->hl, ln[k].start, ln[k].end, 0, nat, nat, fmax(0, x),
                   last && tag && on_line ? tag : NULL, measure - tw, k == 0) < 0)
            return -1;
        if (last && tag && !on_line && S_tag_line(c, tag, tw, measure) < 0)
            return -1;
    }
    c->baselineskip = 12 * c->leading;
    return 0;
}

int pdf_display_add(pdf_ctx *c, const doc_node *n, const char *tagtext, double measure)
{
    S_disp d = { 0 };
    pdf_hlist *tag = NULL;
    double tw = 0;
    if (pdf_mbox_make_node(c, n, 1, S_SIZE, &d.m) < 0 || S_build(c, &d, S_SIZE, 1) < 0)
        return -1;
    if (tagtext) {
        if (!(tag = pdf_arena_alloc(c, sizeof *tag)))
            return -1;
        pdf_hl_init(c, tag);
        if (pdf_hl_rich(c, tag, tagtext, PF_RM, S_SIZE, n->line, n->col) < 0)
            return -1;
        tw = pdf_hl_width(tag);
        if (tw > measure)   /* not even on a line of its own */
            return S_tag_too_wide(c, n, tw, measure);
    }
    /* \predisplaypenalty 10000: a display never opens a page. */
    if (pdf_vl_penalty(c, PB_INF) < 0 || pdf_vl_glue(c, 10, 2, 5) < 0)
        return -1;
    c->baselineskip = 12 * c->leading;   /* Chinese text takes more (lang.h) */
    double q = tag ? tw + S_QUAD : 0;
    double wb = d.hl->it[d.wide].width;
    if (wb > measure * (1 + S_OVER_MAX))
        return S_too_wide(c, &d, measure);
    /* a part that cannot fit, in a display that is not much wider: one
     * line, overfull, as TeX sets it (breaking off a piece would not help) */
    int overfull = wb > measure && d.W - d.S <= measure * (1 + S_OVER_MAX);
    if (overfull)
        S_overfull(c, &d, measure);
    if (d.W - d.S > measure && !overfull) {
        /* wider than the line with its glue fully shrunk: where TeX would
         * set an overfull box, break it before relations and operators
         * like multline; a part that cannot be broken and is still wider
         * than the line makes an overfull line, warned with its
         * line:column (pdf_hl_break).  Each line's pieces read as their
         * own text. */
        if (S_build(c, &d, d.m->size, 0) < 0 || S_multline(c, &d, tag, tw, measure) < 0)
            return -1;
        goto below;
    }
    /* TeX's \eqno (tex.web §1199-1205): shrink to make room for the tag,
     * else the tag goes below; centre, or centre left of the tag when the
     * gap would be less than twice its width */
    double w = d.W, ratio = 0;
    int own_line = 0;
    if (w + q > measure) {
        if (tag && d.W - d.S + q <= measure) {
            ratio = (measure - q - d.W) / d.S;
            w = measure - q;
        } else {
            own_line = tag != NULL;
            if (w > measure) {
                ratio = d.S > 0 ? fmax(-1.0, (measure - d.W) / d.S) : 0;
                w = measure;
            }
        }
    }
    double x = (measure - w) / 2;
    if (tag && !own_line && x < 2 * tw)
        x = (measure - w - tw) / 2;
    if (S_line(c, d.hl, 0, d.hl->n, ratio, d.W, w, fmax(0, x), tag && !own_line ? tag : NULL,
               measure - tw, 1) < 0)
        return -1;
    if (own_line && S_tag_line(c, tag, tw, measure) < 0)
        return -1;
below:
    if (pdf_vl_penalty(c, 0) < 0 || pdf_vl_glue(c, 10, 2, 5) < 0)
        return -1;
    c->after_par = 0;
    return 0;
}
