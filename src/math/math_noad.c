/* math_noad — one noad to a box: TeX's rules for scripts (18), big
 * operators (13), fractions (15), radicals (11), accents (12), \left
 * \right (19) and \big, and plain characters with their italic
 * correction (The TeXbook, Appendix G).  The lists inside a noad are laid
 * out through mctx.hlist (math_layout.c), so this file never calls the
 * one that calls it. */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "math/math_int.h"

/* ---- styles ------------------------------------------------------------ */

static int S_sup_style(int s) { return (s < 4 ? 4 : 6) | (s & 1); }
static int S_sub_style(int s) { return S_sup_style(s) | 1; }
static int S_num_style(int s) { return (s < 2 ? 2 : s < 4 ? 4 : 6) | (s & 1); }
static int S_den_style(int s) { return S_num_style(s) | 1; }

/* Centre b in width w. */
static void S_rebox(mbox *b, double w)
{
    double dx = (w - b->w) / 2;
    for (int i = 0; i < b->n; i++)
        b->it[i].x += dx;
    b->w = w;
}

/* clean_box: the list in `style`.  A lone char keeps the width of its
 * italic correction: TeX's clean_box frees the kern node after hpack has
 * counted it ("Simplify a trivial box"), so \frac1N's bar and the box of a
 * one-letter script include it. */
static mbox *S_clean(mctx *c, const mlist *l, int style)
{
    mbox *b = c->hlist(c, l, style, 0);
    if (b && b->is_char == 2)
        b->is_char = 0;
    return b;
}

/* ---- scripts (rule 18) -------------------------------------------------- */

static mbox *S_scripts(mctx *c, mbox *x, const mnoad *q, int style, double delta)
{
    mbox *y = NULL, *z = NULL;
    int si_t = style < 4 ? 1 : 2;
    int ft = math_fam_font(FAM_SY, si_t);
    double st = math_font_design(c->mf, ft) * c->scale;
    double shift_up = 0, shift_down = 0;
    double xh = math_sigma(c, style, 5), ss = 0.5 * c->scale;
    if (!x->is_char) {
        shift_up = x->h - math_font_param(c->mf, ft, 18) * st;
        shift_down = x->d + math_font_param(c->mf, ft, 19) * st;
    }
    if (q->sup && !(y = S_clean(c, q->sup, S_sup_style(style))))
        goto fail;
    if (q->sub && !(z = S_clean(c, q->sub, S_sub_style(style))))
        goto fail;
    double w = x->w;
    x->is_char = 0;
    if (!y) {
        z->w += ss;
        shift_down = fmax(shift_down, fmax(math_sigma(c, style, 16), z->h - 0.8 * xh));
        if (math_mbox_put(x, z, w, -shift_down) < 0)
            goto nomem;
        x->w = w + z->w;
        x->h = fmax(x->h, z->h - shift_down);
        x->d = fmax(x->d, z->d + shift_down);
    } else {
        y->w += ss;
        double clr = (style & 1) ? math_sigma(c, style, 15)
                     : style < 2 ? math_sigma(c, style, 13) : math_sigma(c, style, 14);
        shift_up = fmax(shift_up, fmax(clr, y->d + xh / 4));
        if (!z) {
            if (math_mbox_put(x, y, w, shift_up) < 0)
                goto nomem;
            x->w = w + y->w;
            x->h = fmax(x->h, y->h + shift_up);
            x->d = fmax(x->d, y->d - shift_up);
        } else {
            z->w += ss;
            shift_down = fmax(shift_down, math_sigma(c, style, 17));
            double th = math_xi(c, 8);
            clr = 4 * th - ((shift_up - y->d) - (z->h - shift_down));
            if (clr > 0) {
                shift_down += clr;
                clr = 0.8 * xh - (shift_up - y->d);
                if (clr > 0) {
                    shift_up += clr;
                    shift_down -= clr;
                }
            }
            if (math_mbox_put(x, y, w + delta, shift_up) < 0 || math_mbox_put(x, z, w, -shift_down) < 0)
                goto nomem;
            x->w = w + fmax(y->w + delta, z->w);
            x->h = fmax(x->h, y->h + shift_up);
            x->d = fmax(x->d, z->d + shift_down);
        }
    }
    math_mbox_free(y);
    math_mbox_free(z);
    return x;
nomem:
    math_nomem(c);
fail:
    math_mbox_free(x);
    math_mbox_free(y);
    math_mbox_free(z);
    return NULL;
}

/* ---- big operators (rule 13) -------------------------------------------- */

static mbox *S_op(mctx *c, const mnoad *q, mbox *x, int style, double delta)
{
    int limits = q->limits == 1 || q->as_op || (q->limits == 0 && q->op_limits && style < 2);
    if (!limits) {
        if (q->sub)
            x->w -= delta;
        x->is_char = 0;
        if (!q->sup && !q->sub)
            return x;
        return S_scripts(c, x, q, style, delta);
    }
    mbox *y = NULL, *z = NULL, *v = NULL;
    if (q->sup && !(y = S_clean(c, q->sup, S_sup_style(style))))
        goto fail;
    if (q->sub && !(z = S_clean(c, q->sub, S_sub_style(style))))
        goto fail;
    if (!(v = math_mbox_new())) {
        math_nomem(c);
        goto fail;
    }
    double w = x->w;
    if (y && y->w > w)
        w = y->w;
    if (z && z->w > w)
        w = z->w;
    double xo = (w - x->w) / 2;
    v->w = w;
    v->h = x->h;
    v->d = x->d;
    if (math_mbox_put(v, x, xo, 0) < 0)
        goto nomem;
    if (y) {
        double up = fmax(math_xi(c, 9), math_xi(c, 11) - y->d);
        if (math_mbox_put(v, y, (w - y->w) / 2 + delta / 2, x->h + up + y->d) < 0)
            goto nomem;
        v->h = x->h + up + y->d + y->h + math_xi(c, 13);
    }
    if (z) {
        double dn = fmax(math_xi(c, 10), math_xi(c, 12) - z->h);
        if (math_mbox_put(v, z, (w - z->w) / 2 - delta / 2, -(x->d + dn + z->h)) < 0)
            goto nomem;
        v->d = x->d + dn + z->h + z->d + math_xi(c, 13);
    }
    math_mbox_free(x);
    math_mbox_free(y);
    math_mbox_free(z);
    return v;
nomem:
    math_nomem(c);
fail:
    math_mbox_free(x);
    math_mbox_free(y);
    math_mbox_free(z);
    math_mbox_free(v);
    return NULL;
}

/* ---- fractions, radicals, accents, \left\right -------------------------- */

static mbox *S_frac(mctx *c, const mnoad *q, int style)
{
    int s = q->fstyle >= 0 ? q->fstyle : style;
    mbox *x = S_clean(c, q->list, S_num_style(s)), *z = NULL, *b = NULL;
    if (!x || !(z = S_clean(c, q->den, S_den_style(s))))
        goto fail;
    double w = fmax(x->w, z->w), th = math_xi(c, 8), ax = math_sigma(c, s, 22);
    S_rebox(x, w);
    S_rebox(z, w);
    double up, dn;
    int rule = !q->frac_norule;
    if (s < 2) {
        up = math_sigma(c, s, 8);
        dn = math_sigma(c, s, 11);
    } else {
        up = math_sigma(c, s, rule ? 9 : 10);   /* rule 15b: num3 without a bar */
        dn = math_sigma(c, s, 12);
    }
    if (rule) {   /* rule 15d */
        double clr = s < 2 ? 3 * th : th, dl = th / 2;
        double d1 = clr - ((up - x->d) - (ax + dl)), d2 = clr - ((ax - dl) - (z->h - dn));
        if (d1 > 0)
            up += d1;
        if (d2 > 0)
            dn += d2;
    } else {      /* rule 15c: \atop, \binom */
        double clr = s < 2 ? 7 * th : 3 * th, dd = clr - ((up - x->d) - (z->h - dn));
        if (dd > 0) {
            up += dd / 2;
            dn += dd / 2;
        }
    }
    /* rule 15e: delimiters of size delim1 (display) or delim2, else
     * \nulldelimiterspace on both sides */
    mbox *dl = NULL, *dr = NULL;
    double lw = 1.2 * c->scale, rw = lw;
    if (q->has_fdelim) {
        double dsz = math_sigma(c, s, s < 2 ? 20 : 21);
        if (!(dl = math_delim(c, &q->fdl, s, dsz, 0)) || !(dr = math_delim(c, &q->fdr, s, dsz, 0))) {
            math_mbox_free(dl);
            goto fail;
        }
        lw = dl->w;
        rw = dr->w;
    }
    if (!(b = math_mbox_new()) || math_mbox_put(b, x, lw, up) < 0 || math_mbox_put(b, z, lw, -dn) < 0
        || (rule && math_mbox_rule(b, lw, ax - th / 2, w, th) < 0)
        || (dl && (math_mbox_put(b, dl, 0, 0) < 0 || math_mbox_put(b, dr, lw + w, 0) < 0))) {
        math_mbox_free(dl);
        math_mbox_free(dr);
        math_nomem(c);
        goto fail;
    }
    b->w = w + lw + rw;
    b->h = up + x->h;
    b->d = z->d + dn;
    if (dl) {
        b->h = fmax(b->h, fmax(dl->h, dr->h));
        b->d = fmax(b->d, fmax(dl->d, dr->d));
    }
    math_mbox_free(dl);
    math_mbox_free(dr);
    math_mbox_free(x);
    math_mbox_free(z);
    return b;
fail:
    math_mbox_free(x);
    math_mbox_free(z);
    math_mbox_free(b);
    return NULL;
}

static mbox *S_rad(mctx *c, const mnoad *q, int style)
{
    static const mdelim rad = { FAM_SY, "radical", "radicalbig" };
    mbox *x = S_clean(c, q->list, style | 1), *y = NULL, *b = NULL;
    if (!x)
        return NULL;
    double th = math_xi(c, 8);
    double clr = style < 2 ? th + math_sigma(c, style, 5) / 4 : th + th / 4;
    if (!(y = math_delim(c, &rad, style, x->h + x->d + clr + th, 1)))
        goto fail;
    double delta = y->d - (x->h + x->d + clr);
    if (delta > 0)
        clr += delta / 2;
    double base = x->h + clr;
    if (!(b = math_mbox_new()) || math_mbox_put(b, y, 0, base) < 0 || math_mbox_put(b, x, y->w, 0) < 0
        || math_mbox_rule(b, y->w, base, x->w, y->h) < 0) {
        math_nomem(c);
        goto fail;
    }
    b->w = y->w + x->w;
    b->h = base + 2 * y->h;   /* overbar(x, clr, t): kern t above the rule t */
    b->d = fmax(x->d, y->d - base);
    math_mbox_free(x);
    math_mbox_free(y);
    x = y = NULL;
    if (q->den) {
        /* plain TeX's \root: \mkern5mu, the index in scriptscript style
         * raised by .6 (h - d) of the radical, \mkern-10mu, the radical */
        double mu = math_sigma(c, style, 6) / 18, rise = 0.6 * (b->h - b->d);
        mbox *ix = c->hlist(c, q->den, 6, 0), *r = b;
        b = NULL;
        if (!ix) {
            math_mbox_free(r);
            return NULL;
        }
        double xr = 5 * mu + ix->w - 10 * mu;   /* may be < 0, as in TeX */
        if (!(b = math_mbox_new()) || math_mbox_put(b, ix, 5 * mu, rise) < 0
            || math_mbox_put(b, r, xr, 0) < 0) {
            math_mbox_free(ix);
            math_mbox_free(r);
            math_mbox_free(b);
            return math_nomem(c);
        }
        b->w = xr + r->w;
        b->h = fmax(r->h, ix->h + rise);
        b->d = fmax(r->d, ix->d - rise);
        math_mbox_free(ix);
        math_mbox_free(r);
    }
    return b;
fail:
    math_mbox_free(x);
    math_mbox_free(y);
    math_mbox_free(b);
    return NULL;
}

/* single-char nucleus (TeX simplifies {x} to x): its symbol, else NULL */
static const mnoad *S_single(const mlist *l)
{
    if (!l || l->n != 1)
        return NULL;
    const mnoad *q = &l->v[0];
    if (q->type == N_ATOM && q->cls == C_ORD && q->nk == NK_SYM && !q->sup && !q->sub && !q->aux)
        return q;
    if (q->type == N_ATOM && q->cls == C_ORD && q->nk == NK_LIST && !q->sup && !q->sub
        && !q->boxed)
        return S_single(q->list);
    return NULL;
}

static mbox *S_scripts(mctx *c, mbox *x, const mnoad *q, int style, double delta);

static mbox *S_acc(mctx *c, const mnoad *q, int style, int *scripts_done)
{
    mbox *x = S_clean(c, q->list, style | 1), *y = NULL, *b = NULL;
    if (!x)
        return NULL;
    double th = math_xi(c, 8);
    if (!(b = math_mbox_new()))
        goto nomem;
    if (!q->acc.name) {   /* \overline: rule 9 */
        if (math_mbox_put(b, x, 0, 0) < 0 || math_mbox_rule(b, 0, x->h + 3 * th, x->w, th) < 0)
            goto nomem;
        b->w = x->w;
        b->h = x->h + 5 * th;
        b->d = x->d;
        math_mbox_free(x);
        return b;
    }
    const mnoad *ch = S_single(q->list);
    double skew = 0;
    if (ch) {
        int f = math_fam_font(ch->sym.fam, math_si(style));
        skew = math_font_skew(c->mf, f, ch->sym.name) * math_fsize(c, ch->sym.fam, style);
    }
    int af = math_fam_font(q->acc.fam, math_si(style));
    double asz = math_fsize(c, q->acc.fam, style);
    const char *an = q->acc.name;
    for (int guard = 0; q->acc_wide && guard < 8; guard++) {
        const char *nx = math_font_next(c->mf, af, an);
        mgm g;
        if (!nx || math_font_glyph(c->mf, af, nx, &g) < 0 || g.wd * asz > x->w)
            break;
        an = nx;
    }
    if (!(y = math_glyph_box(c, af, an, asz, q->col)))
        goto fail;
    double xh = math_font_param(c->mf, af, 5) * math_font_design(c->mf, af) * c->scale;
    double delta = fmin(x->h, xh);
    double ay = x->h - delta;
    if (ch && (q->sup || q->sub)) {
        /* TeX's swap (rule 12): the scripts attach to the character as if
         * there were no accent; the accent stays centred over the char */
        mbox *xs = math_char_box(c, ch->sym, style, q->col);
        if (!xs)
            goto fail;
        double dl = xs->ic;
        if (!q->sub) {
            xs->w += dl;
            dl = 0;
        }
        if (!(xs = S_scripts(c, xs, q, style, dl)))
            goto fail;
        xs->w = fmax(xs->w, x->w);
        mbox *t = x;
        x = xs;
        xs = t;   /* keep the plain char's width for centring */
        double w0 = xs->w;
        math_mbox_free(xs);
        if (math_mbox_put(b, x, 0, 0) < 0 || math_mbox_put(b, y, skew + (w0 - y->w) / 2, ay) < 0)
            goto nomem;
        b->w = x->w;
        b->h = fmax(x->h, ay + y->h);
        b->d = x->d;
        *scripts_done = 1;
        math_mbox_free(x);
        math_mbox_free(y);
        return b;
    }
    if (math_mbox_put(b, x, 0, 0) < 0 || math_mbox_put(b, y, skew + (x->w - y->w) / 2, ay) < 0)
        goto nomem;
    b->w = x->w;
    b->h = fmax(x->h, ay + y->h);
    b->d = x->d;
    math_mbox_free(x);
    math_mbox_free(y);
    return b;
nomem:
    math_nomem(c);
fail:
    math_mbox_free(x);
    math_mbox_free(y);
    math_mbox_free(b);
    return NULL;
}

/* Size a \left/\right pair must reach around height h, depth d (rule 19). */
static double S_lr_size(mctx *c, int style, double h, double d)
{
    double ax = math_sigma(c, style, 22);
    double d1 = fmax(h - ax, d + ax);
    /* \delimiterfactor 901, \delimitershortfall 5pt */
    return fmax(2 * d1 * 0.901, 2 * d1 - 5 * c->scale);
}

static mbox *S_lr(mctx *c, const mnoad *q, int style)
{
    mbox **seg = calloc((size_t)q->nseg, sizeof *seg), *b = NULL;
    double h = 0, d = 0;
    if (!seg)
        return math_nomem(c);
    for (int i = 0; i < q->nseg; i++) {
        if (!(seg[i] = c->hlist(c, q->segs[i], style, 0)))
            goto fail;
        h = fmax(h, seg[i]->h);
        d = fmax(d, seg[i]->d);
    }
    double v = S_lr_size(c, style, h, d);
    if (!(b = math_mbox_new())) {
        math_nomem(c);
        goto fail;
    }
    for (int i = 0; i <= q->nseg; i++) {
        mbox *dl = math_delim(c, &q->delims[i], style, v, 0);
        if (!dl) {
            if (c->err_col && *c->err_col == 0 && c->e->code == LB_EXIT_INPUT)
                *c->err_col = q->col;
            goto fail;
        }
        int bad = math_mbox_put(b, dl, b->w, 0);
        b->w += dl->w;
        b->h = fmax(b->h, dl->h);
        b->d = fmax(b->d, dl->d);
        math_mbox_free(dl);
        if (bad || (i < q->nseg && math_mbox_put(b, seg[i], b->w, 0) < 0)) {
            math_nomem(c);
            goto fail;
        }
        if (i < q->nseg) {
            b->w += seg[i]->w;
            b->h = fmax(b->h, seg[i]->h);
            b->d = fmax(b->d, seg[i]->d);
        }
    }
    for (int i = 0; i < q->nseg; i++)
        math_mbox_free(seg[i]);
    free(seg);
    return b;
fail:
    for (int i = 0; i < q->nseg; i++)
        math_mbox_free(seg[i]);
    free(seg);
    math_mbox_free(b);
    return NULL;
}

/* ---- \big ----------------------------------------------------------- */

/* \big( : plain TeX's \hbox{$\left( \vbox to 8.5pt{} \right.$} (text style) */
static mbox *S_big(mctx *c, const mnoad *q)
{
    double h = q->big * c->scale;
    return math_delim(c, &q->delim, 2, S_lr_size(c, 2, h, 0), 0);
}

/* ---- one noad -> box ---------------------------------------------------- */

mbox *math_noad(mctx *c, const mnoad *q, int style)
{
    mbox *x = NULL;
    double delta = 0;
    int col0 = c->err_col ? *c->err_col : 0;
    (void)col0;
    switch (q->type) {
    case N_FRAC: x = S_frac(c, q, style); break;
    case N_RAD: x = S_rad(c, q, style); break;
    case N_ACC: {
        int done = 0;
        x = S_acc(c, q, style, &done);
        if (done || !x)
            return x;
        break;
    }
    case N_LR: x = S_lr(c, q, style); break;
    case N_ARRAY: x = math_array(c, q, style); break;
    case N_UBRACE:
        if (!(x = math_build_brace(c, q)))
            return NULL;
        return S_op(c, q, x, style, 0);
    case N_XARROW:
        /* amsmath's \ext@arrow: the stretched arrow is an Op with limits */
        if (!(x = math_build(c, q, style)))
            return NULL;
        return S_op(c, q, x, style, 0);
    case N_BOXED: case N_PHANTOM: case N_UNDERLINE: case N_OVERARROW: case N_PMB:
    case N_VEREQ: case N_CANCEL:
        x = math_build(c, q, style);
        break;
    default: {
        const mnoad *ch = q->nk == NK_SYM ? q : q->nk == NK_LIST && q->cls != C_OP && !q->boxed
                                                     && !q->as_op ? S_single(q->list) : NULL;
        if (q->nk == NK_SYM && q->aux) {
            x = math_build_dots(c, q, style);
        } else if (q->nk == NK_BOX) {
            if (!(x = math_mbox_new()))
                return math_nomem(c);
            x->w = q->bw * c->scale;
            x->h = q->bh * c->scale;
            x->d = q->bd * c->scale;
        } else if (ch && q->cls == C_OP && !q->as_op) {
            /* rule 13: a char nucleus of an Op is centred on the axis; an
             * lmex char takes its display size in display style */
            const char *name = ch->sym.name, *nx;
            int ex = ch->sym.fam == FAM_EX;
            if (ex && style < 2 && (nx = math_font_next(c->mf, MATH_F_LMEX10, name)))
                name = nx;
            if (!(x = ex ? math_glyph_box(c, MATH_F_LMEX10, name, 10 * c->scale, q->col)
                         : math_char_box(c, ch->sym, style, q->col)))
                return NULL;
            delta = x->ic;
            x->w += delta;
            math_mbox_shift(x, -((x->h - x->d) / 2 - math_sigma(c, style, 22)));
            return S_op(c, q, x, style, delta);
        } else if (ch) {
            if (!(x = math_char_box(c, ch->sym, style, q->col)))
                return NULL;
            delta = x->ic;
            if (!q->sub) {
                x->w += delta;   /* italic correction as a kern */
                delta = 0;
            }
            if (q->smash) {   /* \relbar = \mathrel{\smash-} */
                x->h = x->d = 0;
                x->is_char = 0;
            }
            if (q->sub || q->sup)
                return S_scripts(c, x, q, style, delta);
            if (x->ic == 0 && !q->smash)
                x->is_char = 3;  /* lone char without italic kern */
            return x;
        } else if (q->nk == NK_LIST) {
            /* math inside \text: a formula of its own, in text style at
             * the size of the style around it (never cramped) */
            int st = q->textmath ? (style < 2 ? 2 : style & ~1) : style;
            if ((x = c->hlist(c, q->list, st, 0)))
                x->is_char = 0;
        } else if (q->nk == NK_TEXT) {
            int tf = q->text_fam;
            if (tf >= 0 && q->cls == C_OP)
                tf |= MATH_TEXT_OPNAME;
            if (tf >= 0 && q->text_icr)
                tf |= MATH_TEXT_ICR;
            if (tf >= 0 && q->text_src)
                tf |= MATH_TEXT_SRC;
            x = math_text(c, q->text, tf, style, q->col);
        } else if (q->nk == NK_DELIM) {
            x = S_big(c, q);
        } else {
            x = math_mbox_new();
            if (!x)
                return math_nomem(c);
        }
        if (x && q->smash) {
            x->h = x->d = 0;
            x->is_char = 0;
        }
        if (x && (q->cls == C_OP || q->as_op))
            return S_op(c, q, x, style, 0);
        break;
    }
    }
    if (!x) {
        if (c->err_col && *c->err_col == 0 && c->e && c->e->code == LB_EXIT_INPUT)
            *c->err_col = q->col;
        return NULL;
    }
    x->is_char = 0;
    if (q->sup || q->sub)
        return S_scripts(c, x, q, style, delta);
    return x;
}
