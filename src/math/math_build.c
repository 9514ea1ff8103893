/* math_build — constructions around a laid-out list, each as plain TeX,
 * LaTeX or amsmath builds it: dots (\ldots \cdots \vdots \ddots), braces
 * (\underbrace \overbrace), \boxed (\fbox: \fboxsep 3pt, \fboxrule .4pt),
 * \phantom \hphantom \vphantom \smash, \underline (rule 10), the arrows
 * over a list (amsmath's \overarrow@ with \rightarrowfill@), the extensible
 * arrows \xrightarrow \xleftarrow (amsmath's \ext@arrow), \pmb (amsbsy: three
 * copies .4mu apart, the middle one raised .5mu).
 *
 * Sublists are laid out through mctx.hlist (math_layout.c calls this file,
 * never the reverse).  Dimensions in pt, y up. */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "math/math_int.h"

/* clean_box: a sublist in `style` (a lone char keeps its italic width) */
static mbox *S_clean(mctx *c, const mlist *l, int style)
{
    mbox *b = c->hlist(c, l, style, 0);
    if (b)
        b->is_char = 0;
    return b;
}

mbox *math_build_dots(mctx *c, const mnoad *q, int style)
{
    mbox *b = math_mbox_new(), *p = NULL;
    if (!b)
        return math_nomem(c);
    double mu = math_sigma(c, style, 6) / 18, pt = c->scale;
    if (q->aux <= 2) {
        msym s = q->aux == 1 ? (msym){ FAM_MI, "period" } : (msym){ FAM_SY, "periodcentered" };
        double gap = style < 4 ? 3 * mu : 0;
        for (int i = 0; i < 3; i++) {
            if (!(p = math_char_box(c, s, style, q->col)))
                goto fail;
            if (math_mbox_put(b, p, b->w, 0) < 0)
                goto nomem;
            b->w += p->w + (i < 2 ? gap : 0);
            b->h = fmax(b->h, p->h);
            b->d = fmax(b->d, p->d);
            math_mbox_free(p);
            p = NULL;
        }
        return b;
    }
    if (!(p = math_glyph_box(c, math_fam_font(FAM_RM, 0), "period", 10 * pt, q->col)))
        goto fail;
    if (q->aux == 3) {   /* \vdots */
        for (int i = 0; i < 3; i++)
            if (math_mbox_put(b, p, 0, 4 * i * pt) < 0)
                goto nomem;
        b->w = p->w;
        b->h = 8 * pt + p->h + 6 * pt;
    } else {             /* \ddots */
        double x = mu;
        for (int i = 0; i < 3; i++) {
            if (math_mbox_put(b, p, x, (7 - 3 * i) * pt) < 0)
                goto nomem;
            x += p->w + (i < 2 ? 2 * mu : mu);
        }
        b->w = x;
        b->h = 14 * pt + p->h;
    }
    math_mbox_free(p);
    return b;
nomem:
    math_nomem(c);
fail:
    math_mbox_free(p);
    math_mbox_free(b);
    return NULL;
}

/* \underbrace / \overbrace (plain TeX's \upbracefill / \downbracefill) */
mbox *math_build_brace(mctx *c, const mnoad *q)
{
    static const char *const up[4] = { "bracehtipupleft", "bracehtipdownright",
                                       "bracehtipdownleft", "bracehtipupright" };
    static const char *const dn[4] = { "bracehtipdownleft", "bracehtipupright",
                                       "bracehtipupleft", "bracehtipdownright" };
    const char *const *pc = q->aux ? dn : up;
    mbox *x = S_clean(c, q->list, 0), *b = NULL, *t[4] = { 0 };
    double sz = 10 * c->scale, pt = c->scale;
    if (!x)
        return NULL;
    for (int i = 0; i < 4; i++)
        if (!(t[i] = math_glyph_box(c, MATH_F_LMEX10, pc[i], sz, q->col)))
            goto fail;
    mgm ref;
    math_font_glyph(c->mf, MATH_F_LMEX10, "bracehtipdownleft", &ref);
    double rh = ref.ht * sz, tips = t[0]->w + t[1]->w + t[2]->w + t[3]->w;
    double w = fmax(x->w, tips), fill = (w - tips) / 2;
    double bh = 0, bd = 0;
    for (int i = 0; i < 4; i++) {
        bh = fmax(bh, t[i]->h);
        bd = fmax(bd, t[i]->d);
    }
    if (!(b = math_mbox_new()))
        goto nomem;
    double by = q->aux ? x->h + 3 * pt + bd : -(x->d + 3 * pt + bh);
    double xx = 0;
    for (int i = 0; i < 4; i++) {
        if (math_mbox_put(b, t[i], xx, by) < 0)
            goto nomem;
        xx += t[i]->w;
        if ((i == 0 || i == 2) && fill > 0) {
            if (math_mbox_rule(b, xx, by, fill, rh) < 0)
                goto nomem;
            xx += fill;
        }
    }
    if (math_mbox_put(b, x, (w - x->w) / 2, 0) < 0)
        goto nomem;
    b->w = w;
    if (q->aux) {
        b->h = by + bh + 3 * pt;
        b->d = x->d;
    } else {
        b->h = x->h;
        b->d = -by + bd + 3 * pt;
    }
    for (int i = 0; i < 4; i++)
        math_mbox_free(t[i]);
    math_mbox_free(x);
    return b;
nomem:
    math_nomem(c);
fail:
    for (int i = 0; i < 4; i++)
        math_mbox_free(t[i]);
    math_mbox_free(x);
    math_mbox_free(b);
    return NULL;
}


/* ---- \boxed, phantoms, \underline, \pmb --------------------------------- */

static mbox *S_boxed(mctx *c, mbox *x)
{
    double pt = c->scale, sep = 3 * pt, r = 0.4 * pt, m = sep + r;
    mbox *b = math_mbox_new();
    if (!b)
        return math_nomem(c);
    b->w = x->w + 2 * m;
    b->h = x->h + m;
    b->d = x->d + m;
    if (math_mbox_put(b, x, m, 0) < 0 || math_mbox_rule(b, 0, -b->d, r, b->h + b->d) < 0
        || math_mbox_rule(b, b->w - r, -b->d, r, b->h + b->d) < 0
        || math_mbox_rule(b, 0, b->h - r, b->w, r) < 0 || math_mbox_rule(b, 0, -b->d, b->w, r) < 0) {
        math_mbox_free(b);
        return math_nomem(c);
    }
    return b;
}

static mbox *S_phantom(mctx *c, mbox *x, int kind)
{
    if (kind >= PH_SMASH) {   /* \smash keeps the drawing */
        mbox *b = math_mbox_new();
        if (!b || math_mbox_put(b, x, 0, 0) < 0) {
            math_mbox_free(b);
            return math_nomem(c);
        }
        b->w = x->w;
        b->h = kind == PH_SMASH_B ? x->h : 0;
        b->d = kind == PH_SMASH_T ? x->d : 0;
        return b;
    }
    mbox *b = math_mbox_new();
    if (!b)
        return math_nomem(c);
    b->w = kind == PH_V ? 0 : x->w;
    b->h = kind == PH_H ? 0 : x->h;
    b->d = kind == PH_H ? 0 : x->d;
    return b;
}

/* rule 10: a kern 3t and a rule t under the box, depth + 5t in all */
static mbox *S_underline(mctx *c, mbox *x)
{
    double t = math_xi(c, 8);
    mbox *b = math_mbox_new();
    if (!b || math_mbox_put(b, x, 0, 0) < 0 || math_mbox_rule(b, 0, -(x->d + 4 * t), x->w, t) < 0) {
        math_mbox_free(b);
        return math_nomem(c);
    }
    b->w = x->w;
    b->h = x->h;
    b->d = x->d + 5 * t;
    return b;
}

static mbox *S_pmb(mctx *c, mbox *x, int style)
{
    double mu = math_sigma(c, style, 6) / 18;
    mbox *b = math_mbox_new();
    if (!b || math_mbox_put(b, x, -0.8 * mu, 0) < 0 || math_mbox_put(b, x, -0.4 * mu, 0.5 * mu) < 0
        || math_mbox_put(b, x, 0, 0) < 0) {
        math_mbox_free(b);
        return math_nomem(c);
    }
    b->w = x->w;
    b->h = x->h + 0.5 * mu;
    b->d = x->d;
    return b;
}

/* ---- arrows that stretch ------------------------------------------------ */

/* amsmath's \arrowfill@ in `style`, at least `w` wide: the left piece, the
 * minus repeated, the right piece; \relbar is \smash-, so only the arrow
 * heads count in height and depth.  kind: 0 right, 1 left, 2 both. */
static mbox *S_arrowfill(mctx *c, int kind, int style, double w, int col)
{
    double mu = math_sigma(c, style, 6) / 18;
    mbox *l = math_char_box(c, (msym){ FAM_SY, kind == 0 ? "minus" : "arrowleft" }, style, col);
    mbox *r = l ? math_char_box(c, (msym){ FAM_SY, kind == 1 ? "minus" : "arrowright" }, style, col)
                : NULL;
    mbox *m = r ? math_char_box(c, (msym){ FAM_SY, "minus" }, style, col) : NULL, *b = NULL;
    if (!m)
        goto fail;
    double nat = l->w - 7 * mu - 7 * mu + r->w, W = fmax(w, nat);
    if (!(b = math_mbox_new()))
        goto nomem;
    if (math_mbox_put(b, l, 0, 0) < 0)
        goto nomem;
    /* \cleaders of \mkern-2mu\relbar\mkern-2mu from l->w - 7mu to the start
     * of the right piece + 7mu: minus glyphs, overlapping at the end */
    double x0 = l->w - 7 * mu - 2 * mu, x1 = W - r->w + 7 * mu - m->w + 2 * mu;
    for (double x = x0; x < x1; x += m->w - 4 * mu)
        if (math_mbox_put(b, m, x, 0) < 0)
            goto nomem;
    if (x1 > x0 && math_mbox_put(b, m, x1, 0) < 0)
        goto nomem;
    if (math_mbox_put(b, r, W - r->w, 0) < 0)
        goto nomem;
    b->w = W;
    b->h = fmax(kind == 0 ? 0 : l->h, kind == 1 ? 0 : r->h);
    b->d = fmax(kind == 0 ? 0 : l->d, kind == 1 ? 0 : r->d);
    math_mbox_free(l);
    math_mbox_free(r);
    math_mbox_free(m);
    return b;
nomem:
    math_nomem(c);
fail:
    math_mbox_free(l);
    math_mbox_free(r);
    math_mbox_free(m);
    math_mbox_free(b);
    return NULL;
}

/* amsmath's \overarrow@: the arrow fill in the list's style on top, no
 * interline glue, the list centred under it */
static mbox *S_overarrow(mctx *c, const mnoad *q, mbox *x, int style)
{
    mbox *a = S_arrowfill(c, q->aux, style, x->w, q->col), *b = NULL;
    if (!a)
        return NULL;
    double w = fmax(a->w, x->w);
    if (!(b = math_mbox_new()) || math_mbox_put(b, x, (w - x->w) / 2, 0) < 0
        || math_mbox_put(b, a, (w - a->w) / 2, x->h + a->d) < 0) {
        math_mbox_free(a);
        math_mbox_free(b);
        return math_nomem(c);
    }
    b->w = w;
    b->h = x->h + a->d + a->h;
    b->d = x->d;
    math_mbox_free(a);
    return b;
}

/* amsmath's \ext@arrow: the arrow (display style) as wide as the wider
 * label plus \mkern5mu before and 9mu after (right arrow; 9 and 5 left) in
 * script style.  The labels are the noad's sup and sub, each already
 * holding the 3mu kern \ext@arrow adds; the caller sets them as limits. */
static mbox *S_xarrow(mctx *c, const mnoad *q, int style)
{
    (void)style;
    int ss = 4;   /* \scriptstyle */
    double mu = math_sigma(c, ss, 6) / 18, w = 0;
    const mlist *lab[2] = { q->sup, q->sub };
    for (int i = 0; i < 2; i++) {
        if (!lab[i])
            continue;
        mbox *t = c->hlist(c, lab[i], ss, 0);
        if (!t)
            return NULL;
        w = fmax(w, t->w - 3 * mu + 14 * mu);
        math_mbox_free(t);
    }
    return S_arrowfill(c, q->aux ? 1 : 0, 0, w, q->col);
}

/* plain TeX's \@vereq#1#2: \lower.5pt\vbox{\lineskiplimit\maxdimen
 * \lineskip-.5pt \ialign{$\m@th#1\hfil##\hfil$\crcr#2\crcr=\crcr}}: the two
 * rows centred, the second's top 0.5pt into the first's bottom, lowered
 * 0.5pt (\cong is \sim over =). */
static mbox *S_vereq(mctx *c, const mnoad *q, int style)
{
    mbox *r[2] = { NULL, NULL }, *b = NULL;
    for (int k = 0; k < 2; k++) {
        mlist one = { q->list->v + k, 1, 0 };
        if (!(r[k] = c->hlist(c, &one, style, 0)))
            goto out;
    }
    double w = fmax(r[0]->w, r[1]->w), low = 0.5 * c->scale;
    double up = r[1]->h - 0.5 * c->scale + r[0]->d;   /* row 1's baseline */
    if (!(b = math_mbox_new()) || math_mbox_put(b, r[0], (w - r[0]->w) / 2, up - low) < 0
        || math_mbox_put(b, r[1], (w - r[1]->w) / 2, -low) < 0) {
        math_mbox_free(b);
        b = math_nomem(c);
        goto out;
    }
    b->w = w;
    b->h = up + r[0]->h - low;
    b->d = r[1]->d + low;
out:
    math_mbox_free(r[0]);
    math_mbox_free(r[1]);
    return b;
}

/* cancel.sty's \cancel: a stroke (0.4pt, \@wholewidth) from the box's
 * lower left to its upper right corner; the box keeps its size. */
static mbox *S_cancel(mctx *c, mbox *x)
{
    double t = 0.4 * c->scale, h = x->h + x->d;
    if (h > 0 && x->w > 0) {
        double tw = t * hypot(x->w, h) / h;   /* horizontal width of the stroke */
        if (math_mbox_rule(x, -tw / 2, -x->d, tw, h) < 0) {
            math_mbox_free(x);
            return math_nomem(c);
        }
        x->it[x->n - 1].slant = x->w;
    }
    x->is_char = 0;
    return x;
}

mbox *math_build(mctx *c, const mnoad *q, int style)
{
    if (q->type == N_XARROW)
        return S_xarrow(c, q, style);
    if (q->type == N_VEREQ)
        return S_vereq(c, q, style);
    int ls = q->type == N_BOXED ? 0 : style;   /* \boxed: $\displaystyle ..$ */
    mbox *x = q->type == N_UNDERLINE ? S_clean(c, q->list, ls) : c->hlist(c, q->list, ls, 0), *b;
    if (!x)
        return NULL;
    switch (q->type) {
    case N_BOXED: b = S_boxed(c, x); break;
    case N_PHANTOM: b = S_phantom(c, x, q->aux); break;
    case N_UNDERLINE: b = S_underline(c, x); break;
    case N_OVERARROW: b = S_overarrow(c, q, x, style); break;
    case N_CANCEL: return S_cancel(c, x);
    default: b = S_pmb(c, x, style); break;
    }
    math_mbox_free(x);
    return b;
}
