/* math_layout — TeX's mlist_to_hlist (The TeXbook, Appendix G, rules 1-22)
 * over the noads of math_parse.c: each noad becomes a box (math_noad.c),
 * the boxes are spaced by TeX's table, and the outermost list is recorded
 * as TeX's line breaker would see it (math_item).  math_layout() is the
 * entry.  Dimensions in pt; y up. */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "math/math_int.h"

/* ---- mlist -> hlist (rules 1-22) ---------------------------------------- */

/* TeX's math_spacing: 0 none, 1 cond thin, 2 thin, 3 cond med, 4 cond thick */
static const char S_spacing[8][9] = {
    "02340001", "22*40001", "33**3**3", "44*04004",
    "00*00000", "02340001", "11*11111", "12341011",
};

typedef struct S_ent { int kind; int cls; int style; mbox *b; double kern, st, sh; } S_ent;

/* Append an item to the record of the top level; 0 or -1 (out of memory). */
static int S_top_add(mctx *c, mtopit it)
{
    mtop *t = c->top;
    if (t->n == t->cap) {
        int nc = t->cap ? 2 * t->cap : 32;
        mtopit *nv = realloc(t->v, (size_t)nc * sizeof *nv);
        if (!nv) {
            t->oom = 1;
            return -1;
        }
        t->v = nv;
        t->cap = nc;
    }
    t->v[t->n++] = it;
    return 0;
}

static int S_top_glue(mctx *c, double w, double st, double sh)
{
    return S_top_add(c, (mtopit){ .kind = MATH_I_GLUE, .w = w, .st = st, .sh = sh });
}

static int S_top_pen(mctx *c, double pen)
{
    /* two penalties in a row: TeX inserts none after an explicit one */
    if (c->top->n && c->top->v[c->top->n - 1].kind == MATH_I_PENALTY)
        return 0;
    return S_top_add(c, (mtopit){ .kind = MATH_I_PENALTY, .pen = pen });
}

mbox *math_hlist_lead(mctx *c, const mlist *l, int style, int lead_ord)
{
    mbox *res = NULL;
    S_ent *ent = NULL;
    int n = l ? l->n : 0;
    if (++c->depth > MATH_MAX_DEPTH) {
        err_set(c->e, LB_EXIT_INPUT, "formula nested deeper than %d levels", MATH_MAX_DEPTH);
        goto out;
    }
    ent = calloc((size_t)(n ? n : 1), sizeof *ent);
    if (!ent) {
        math_nomem(c);
        goto out;
    }
    int r_type = lead_ord ? C_ORD : C_OP, r_idx = -1, cur = style;
    for (int i = 0; i < n; i++) {
        const mnoad *q = &l->v[i];
        ent[i].style = cur;
        if (q->type == N_STYLE) {
            cur = q->aux;
            ent[i].kind = 1;
            ent[i].style = cur;
            continue;
        }
        if (q->type == N_SPACE) {
            /* aux 1: \nonscript (none in script styles); aux 2: amsmath's
             * \mathchoice spaces (\pmod: 18mu in display, space2 else) */
            double v = q->aux == 2 && cur >= 2 ? q->space2 : q->space;
            if (q->aux == 1 && cur >= 4)
                v = 0;
            double unit = q->space_mu ? math_sigma(c, cur, 6) / 18 : 10 * c->scale;
            ent[i].kind = 2;
            ent[i].kern = v * unit;
            if (v == q->space) {
                ent[i].st = q->space_st * unit;
                ent[i].sh = q->space_sh * unit;
            }
            continue;
        }
        if (q->type == N_PENALTY) {
            ent[i].kind = 3;
            ent[i].kern = q->space;
            continue;
        }
        int cls = q->cls;
        if (cls == C_BIN && (r_type == C_BIN || r_type == C_OP || r_type == C_REL
                             || r_type == C_OPEN || r_type == C_PUNCT))
            cls = C_ORD;
        if ((cls == C_REL || cls == C_CLOSE || cls == C_PUNCT) && r_type == C_BIN && r_idx >= 0)
            ent[r_idx].cls = C_ORD;
        ent[i].cls = cls;
        /* rule 14 (tex.web §752-753): a char followed by a char of the same
         * family forms the font's ligature with it ("f" "f" -> "ff" in a
         * text font: the pair becomes one noad with the second one's
         * scripts, and the ligature is tried again with the next char) */
        mnoad lig;
        int absorbed = 0;
        while (q->type == N_ATOM && q->nk == NK_SYM && !q->aux && !q->sup && !q->sub
               && FAM_IS_TEXT(q->sym.fam) && i + 1 + absorbed < n) {
            const mnoad *nq = &l->v[i + 1 + absorbed];
            if (nq->type != N_ATOM || nq->nk != NK_SYM || nq->aux || nq->sym.fam != q->sym.fam)
                break;
            const char *lg = math_font_lig(c->mf, math_fam_font(q->sym.fam, math_si(cur)),
                                           q->sym.name, nq->sym.name);
            if (!lg)
                break;
            lig = *q;
            lig.sym.name = lg;
            lig.sup = nq->sup;
            lig.sub = nq->sub;
            lig.primed = nq->primed;
            q = &lig;
            absorbed++;
        }
        if (!(ent[i].b = math_noad(c, q, cur)))
            goto out;
        if (q->color)   /* \color: what has no colour of its own takes it */
            for (int k = 0; k < ent[i].b->n; k++)
                if (!ent[i].b->it[k].color)
                    ent[i].b->it[k].color = q->color;
        for (int k = 1; k <= absorbed; k++)
            ent[i + k].kind = 4;   /* part of the ligature before */
        /* ... then the font's kern with the next char, and text fonts
         * (space != 0) drop the italic correction inside a word */
        const mnoad *nx = i + 1 + absorbed < n ? &l->v[i + 1 + absorbed] : NULL;
        if (q->type == N_ATOM && q->nk == NK_SYM && !q->aux && !q->sup && !q->sub
            && q->sym.fam != FAM_EX && !FAM_IS_TTF(q->sym.fam) && nx && nx->type == N_ATOM
            && nx->nk == NK_SYM && !nx->aux && nx->sym.fam == q->sym.fam) {
            int f = math_fam_font(q->sym.fam, math_si(cur));
            mbox *b = ent[i].b;
            if (FAM_IS_TEXT(q->sym.fam) && b->is_char == 1) {
                b->w -= b->ic;
                b->ic = 0;
            }
            b->w += math_font_kern(c->mf, f, q->sym.name, nx->sym.name)
                    * math_fsize(c, q->sym.fam, cur);
        }
        r_type = cls;
        r_idx = i;
        i += absorbed;
    }
    if (r_type == C_BIN && r_idx >= 0)
        ent[r_idx].cls = C_ORD;
    if (!(res = math_mbox_new())) {
        math_nomem(c);
        goto out;
    }
    int prev = lead_ord ? C_ORD : -1, atoms = 0;
    /* the outermost list is recorded for line breaking (math.h, math_item) */
    int rec = c->top && c->depth == 1, bad = 0;
    cur = style;
    double x = 0;
    for (int i = 0; i < n && !bad; i++) {
        if (ent[i].kind == 1) {
            cur = ent[i].style;
            continue;
        }
        if (ent[i].kind == 2) {
            x += ent[i].kern;
            if (rec)
                bad |= S_top_glue(c, ent[i].kern, ent[i].st, ent[i].sh);
            continue;
        }
        if (ent[i].kind == 3) {
            if (rec)
                bad |= S_top_pen(c, ent[i].kern);
            continue;
        }
        if (ent[i].kind == 4)   /* absorbed in a ligature */
            continue;
        int cls = ent[i].cls;
        /* a broken display starts its next line with the operator: the
         * breakpoint comes before a Bin, or before the first of a row of
         * relations */
        if (rec && c->top->display && atoms > 0
            && (cls == C_BIN || (cls == C_REL && prev != C_REL)))
            bad |= S_top_pen(c, cls == C_BIN ? 700 : 500);
        if (prev >= 0) {
            /* \thinmuskip 3mu, \medmuskip 4mu plus 2mu minus 4mu,
             * \thickmuskip 5mu plus 5mu */
            double mu = math_sigma(c, cur, 6) / 18, sp = 0, st = 0, sh = 0;
            switch (S_spacing[prev][cls]) {
            case '1': sp = cur < 4 ? 3 * mu : 0; break;
            case '2': sp = 3 * mu; break;
            case '3':
                if (cur < 4) {
                    sp = 4 * mu;
                    st = 2 * mu;
                    sh = 4 * mu;
                }
                break;
            case '4':
                if (cur < 4) {
                    sp = 5 * mu;
                    st = 5 * mu;
                }
                break;
            default: break;
            }
            x += sp;
            if (rec && sp != 0)
                bad |= S_top_glue(c, sp, st, sh);
        }
        mbox *b = ent[i].b;
        int it0 = res->n;
        if (math_mbox_put(res, b, x, 0) < 0) {
            math_mbox_free(res);
            res = math_nomem(c);
            goto out;
        }
        if (rec)
            bad |= S_top_add(c, (mtopit){ .kind = MATH_I_BOX, .x = x, .w = b->w, .h = b->h,
                                          .d = b->d, .it0 = it0, .it1 = res->n, .noad = i });
        x += b->w;
        res->h = fmax(res->h, b->h);
        res->d = fmax(res->d, b->d);
        prev = cls;
        atoms++;
        /* TeX (tex.web §767): in a formula in text, a penalty after a Bin
         * (\binoppenalty) or a Rel (\relpenalty), unless it ends the list
         * or a penalty or another relation comes next */
        if (rec && !c->top->display && (cls == C_BIN || cls == C_REL) && i + 1 < n
            && ent[i + 1].kind != 3 && !(ent[i + 1].kind == 0 && ent[i + 1].cls == C_REL))
            bad |= S_top_pen(c, cls == C_BIN ? 700 : 500);
    }
    if (bad) {
        math_mbox_free(res);
        res = math_nomem(c);
        goto out;
    }
    res->w = x;
    /* a list that is one char (+ italic kern): clean_box may drop the kern */
    if (atoms == 1 && n == 1 && ent[0].b && ent[0].b->is_char == 1 && !lead_ord) {
        res->is_char = 2;
        res->ic = ent[0].b->ic;
    }
out:
    for (int i = 0; i < n && ent; i++)
        math_mbox_free(ent[i].b);
    free(ent);
    c->depth--;
    return res;
}

mbox *math_hlist(mctx *c, const mlist *l, int style)
{
    return math_hlist_lead(c, l, style, 0);
}

/* out->items from the record of the top level: mitem ranges become glyph
 * and rule ranges, and every run of boxes between two breakpoints gets the
 * linear text of its noads.  0 or -1 (out of memory). */
static int S_items(math_box *out, const mbox *b, const mtop *t, const mlist *l, int display)
{
    if (t->n == 0)
        return 0;
    size_t *gpos = malloc(((size_t)b->n + 1) * 2 * sizeof *gpos), *rpos;
    if (!gpos || !(out->items = calloc((size_t)t->n, sizeof *out->items))) {
        free(gpos);
        return -1;
    }
    rpos = gpos + b->n + 1;
    gpos[0] = rpos[0] = 0;
    for (int k = 0; k < b->n; k++) {
        gpos[k + 1] = gpos[k] + (b->it[k].kind == 0);
        rpos[k + 1] = rpos[k] + (b->it[k].kind != 0);
    }
    out->nitems = (size_t)t->n;
    for (int k = 0; k < t->n; k++) {
        const mtopit *s = &t->v[k];
        math_item *m = &out->items[k];
        m->kind = s->kind;
        m->w = s->w;
        if (s->kind == MATH_I_GLUE) {
            m->stretch = s->st;
            m->shrink = s->sh;
        } else if (s->kind == MATH_I_PENALTY) {
            m->penalty = s->pen;
        } else {
            m->x = s->x;
            m->h = s->h;
            m->d = s->d;
            m->g0 = gpos[s->it0];
            m->ng = gpos[s->it1] - gpos[s->it0];
            m->r0 = rpos[s->it0];
            m->nr = rpos[s->it1] - rpos[s->it0];
            m->col = l->v[s->noad].col;
        }
    }
    free(gpos);
    /* segments: boxes between breakpoints (penalties below 10000) */
    int first = -1, from = 0, style = display ? 0 : 2;
    for (int k = 0; k <= t->n; k++) {
        int brk = k == t->n || (t->v[k].kind == MATH_I_PENALTY && t->v[k].pen < 10000);
        if (k < t->n && t->v[k].kind == MATH_I_BOX && first < 0)
            first = k;
        if (!brk || first < 0)
            continue;
        int to = l->n;
        for (int j = k + 1; j < t->n && to == l->n; j++)
            if (t->v[j].kind == MATH_I_BOX)
                to = t->v[j].noad;
        if (k == t->n)
            to = l->n;
        if (!(out->items[first].text = math_text_sub(l, from, to, style, display && from > 0,
                                                     !display && to < l->n)))
            return -1;
        for (; from < to; from++)   /* the style in effect where the next begins */
            if (l->v[from].type == N_STYLE)
                style = l->v[from].aux;
        first = -1;
    }
    return 0;
}

math_box *math_layout(const math_fonts *mf, const char *tex, int display,
                      double size_pt, int *err_col, lb_err *e)
{
    return math_layout_refs(mf, tex, display, size_pt, NULL, err_col, e);
}

math_box *math_layout_refs(const math_fonts *mf, const char *tex, int display,
                           double size_pt, const math_refs *refs, int *err_col, lb_err *e)
{
    math_box *out = NULL;
    mbox *b = NULL;
    mlist *l = NULL;
    int dummy = 0;
    if (!err_col)
        err_col = &dummy;
    *err_col = 0;
    if (!mf || !tex || !(size_pt > 0) || size_pt > 1000) {
        err_set(e, LB_EXIT_RUNTIME, "math_layout: bad arguments");
        return NULL;
    }
    mtop top = { .display = display };
    mctx c = { .mf = mf, .hlist = math_hlist_lead, .scale = size_pt / 10,
               .e = e, .err_col = err_col, .depth = 0, .top = &top };
    if (!(l = math_parse(tex, display, NULL, refs, err_col, e)))
        goto done;
    if (!(b = math_hlist(&c, l, display ? 0 : 2)))
        goto done;
    if (top.oom) {
        err_nomem(e);
        goto done;
    }
    out = calloc(1, sizeof *out);
    size_t ng = 0, nr = 0;
    for (int i = 0; i < b->n; i++)
        b->it[i].kind ? nr++ : ng++;
    if (!out || (ng && !(out->glyphs = calloc(ng, sizeof *out->glyphs)))
        || (nr && !(out->rules = calloc(nr, sizeof *out->rules)))) {
        math_box_free(out);
        out = NULL;
        err_nomem(e);
        *err_col = 0;
        goto done;
    }
    for (int i = 0; i < b->n; i++) {
        const mitem *m = &b->it[i];
        if (m->kind)
            out->rules[out->nrules++] = (math_rule){ m->x, m->y, m->w, m->h, m->slant, m->color };
        else
            out->glyphs[out->nglyphs++] = (math_glyph){ m->font, m->code, m->x, m->y, m->size,
                                                        m->color };
    }
    out->width = b->w;
    out->height = b->h;
    out->depth = b->d;
    if (!(out->text = math_text_linear(l, display)) || S_items(out, b, &top, l, display) < 0) {
        math_box_free(out);
        out = NULL;
        err_nomem(e);
        *err_col = 0;
    }
done:
    free(top.v);
    math_mbox_free(b);
    math_mlist_free(l);
    return out;
}

void math_box_free(math_box *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->nitems; i++)
        free(b->items[i].text);
    free(b->items);
    free(b->glyphs);
    free(b->rules);
    free(b->text);
    free(b);
}
