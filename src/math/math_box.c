/* math_box — box primitives, style sizes and font parameters, glyph boxes
 * and TeX's var_delimiter (successive sizes, extensible recipes). */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "math/math_int.h"

/* ---- boxes -------------------------------------------------------------- */

mbox *math_mbox_new(void)
{
    return calloc(1, sizeof(mbox));
}

void math_mbox_free(mbox *b)
{
    if (b) {
        free(b->it);
        free(b);
    }
}

static mitem *S_item(mbox *a)
{
    if (a->n == a->cap) {
        int nc = a->cap ? 2 * a->cap : 8;
        mitem *ni = realloc(a->it, (size_t)nc * sizeof *ni);
        if (!ni)
            return NULL;
        a->it = ni;
        a->cap = nc;
    }
    mitem *m = &a->it[a->n++];
    memset(m, 0, sizeof *m);
    return m;
}

int math_mbox_put(mbox *a, const mbox *b, double dx, double dy)
{
    for (int i = 0; i < b->n; i++) {
        mitem *m = S_item(a);
        if (!m)
            return -1;
        *m = b->it[i];
        m->x += dx;
        m->y += dy;
    }
    return 0;
}

int math_mbox_glyph(mbox *a, int font, int code, double x, double y, double size)
{
    mitem *m = S_item(a);
    if (!m)
        return -1;
    m->kind = 0;
    m->font = font;
    m->code = code;
    m->x = x;
    m->y = y;
    m->size = size;
    return 0;
}

int math_mbox_rule(mbox *a, double x, double y, double w, double h)
{
    mitem *m = S_item(a);
    if (!m)
        return -1;
    m->kind = 1;
    m->x = x;
    m->y = y;
    m->w = w;
    m->h = h;
    return 0;
}

/* ---- styles and parameters ---------------------------------------------- */

int math_si(int style) { return style < 4 ? 0 : style < 6 ? 1 : 2; }

double math_sigma(mctx *c, int style, int n)
{
    int f = math_fam_font(FAM_SY, math_si(style));
    return math_font_param(c->mf, f, n) * math_font_design(c->mf, f) * c->scale;
}

double math_xi(mctx *c, int n)
{
    return math_font_param(c->mf, MATH_F_LMEX10, n) * 10 * c->scale;
}

/* Point size of family `fam` in `style`. */
double math_fsize(mctx *c, int fam, int style)
{
    static const double bb[3] = { 10, 7, 5 };
    if (fam == FAM_EX)
        return 10 * c->scale;
    if (FAM_IS_TTF(fam))
        return bb[math_si(style)] * c->scale;
    return math_font_design(c->mf, math_fam_font(fam, math_si(style))) * c->scale;
}

mbox *math_fail_glyph(mctx *c, int col, const char *what, const char *name)
{
    err_set(c->e, LB_EXIT_INPUT, "%s '%s' is not available in the math fonts", what, name);
    if (c->err_col)
        *c->err_col = col;
    return NULL;
}

mbox *math_nomem(mctx *c)
{
    err_nomem(c->e);
    if (c->err_col)
        *c->err_col = 0;
    return NULL;
}

/* Box with one glyph of `font` at `size`. */
mbox *math_glyph_box(mctx *c, int font, const char *name, double size, int col)
{
    mgm g;
    if (math_font_glyph(c->mf, font, name, &g) < 0)
        return math_fail_glyph(c, col, "glyph", name);
    mbox *b = math_mbox_new();
    if (!b || math_mbox_glyph(b, font, g.code, 0, 0, size) < 0) {
        math_mbox_free(b);
        return math_nomem(c);
    }
    b->w = g.wd * size;
    b->h = g.ht * size;
    b->d = g.dp * size;
    b->ic = g.ic * size;
    b->is_char = 1;
    b->chname = name;
    b->chfont = font;
    return b;
}

mbox *math_char_box(mctx *c, msym s, int style, int col)
{
    return math_glyph_box(c, math_fam_font(s.fam, math_si(style)), s.name, math_fsize(c, s.fam, style), col);
}

/* Wrap `b` (consumed) as a plain box (no longer a char). */
mbox *math_mbox_shift(mbox *b, double dy)
{
    for (int i = 0; i < b->n; i++)
        b->it[i].y += dy;
    b->h += dy;
    b->d -= dy;
    b->is_char = 0;
    return b;
}


/* ---- delimiters (var_delimiter) ----------------------------------------- */

static mbox *S_ext(mctx *c, const char *pc[4], double v, int col)
{
    mgm g[4];
    double sz = 10 * c->scale, w = 0, u;
    for (int i = 0; i < 4; i++)
        if (pc[i] && math_font_glyph(c->mf, MATH_F_LMEX10, pc[i], &g[i]) < 0)
            return math_fail_glyph(c, col, "glyph", pc[i]);
    u = (g[3].ht + g[3].dp) * sz;
    for (int i = 0; i < 3; i++)
        if (pc[i])
            w += (g[i].ht + g[i].dp) * sz;
    int n = 0;
    if (u > 0)
        while (w < v && n < 10000) {
            w += u;
            n++;
            if (pc[1])
                w += u;
        }
    mbox *b = math_mbox_new();
    if (!b)
        return math_nomem(c);
    /* stack from the top: top, n reps, mid, n reps (only with mid), bot */
    double top = pc[0] ? g[0].ht * sz : g[3].ht * sz, y = top;
    b->w = (g[3].wd + g[3].ic) * sz;
    int seq[5] = { 0, 3, 1, 3, 2 }, cnt[5] = { 1, n, 1, pc[1] ? n : 0, 1 };
    for (int part = 0; part < 5; part++) {
        int k = seq[part];
        if (k != 3 && !pc[k])
            continue;
        for (int r = 0; r < cnt[part]; r++) {
            if (math_mbox_glyph(b, MATH_F_LMEX10, g[k].code, 0, y - g[k].ht * sz, sz) < 0)
                goto nomem;
            y -= (g[k].ht + g[k].dp) * sz;
        }
    }
    b->h = top;
    b->d = w - top;
    return b;
nomem:
    math_mbox_free(b);
    return math_nomem(c);
}

mbox *math_delim(mctx *c, const mdelim *d, int style, double v, int nocenter)
{
    mbox *b = NULL;
    if (!d->small && !d->large) {
        b = math_mbox_new();
        if (!b)
            return math_nomem(c);
        b->w = 1.2 * c->scale;
        return b;
    }
    int bf = -1;
    const char *bn = NULL;
    double bestu = -1;
    /* candidates: the small char, then the lmex chain */
    for (int pass = 0; pass < 2; pass++) {
        int font = pass == 0 ? math_fam_font(d->fam, math_si(style)) : MATH_F_LMEX10;
        double sz = pass == 0 ? math_fsize(c, d->fam, style) : 10 * c->scale;
        const char *name = pass == 0 ? d->small : d->large;
        for (int guard = 0; name && guard < 32; guard++) {
            const char *pc[4];
            if (pass == 1 && math_font_ext(c->mf, font, name, pc)) {
                if (!(b = S_ext(c, pc, v, 0)))
                    return NULL;
                if (!nocenter)
                    math_mbox_shift(b, -((b->h - b->d) / 2 - math_sigma(c, style, 22)));
                return b;
            }
            mgm g;
            if (math_font_glyph(c->mf, font, name, &g) == 0) {
                double u = (g.ht + g.dp) * sz;
                if (u > bestu) {
                    bestu = u;
                    bf = font;
                    bn = name;
                }
                if (u >= v)
                    goto found;
            }
            name = math_font_next(c->mf, font, name);
        }
    }
found:
    if (!bn)
        return math_fail_glyph(c, 0, "delimiter", d->small ? d->small : d->large);
    b = math_glyph_box(c, bf, bn, bf == MATH_F_LMEX10 ? 10 * c->scale
                           : math_fsize(c, d->fam, style), 0);
    if (!b)
        return NULL;
    b->is_char = 0;
    b->w += b->ic;    /* TeX: width + italic correction */
    if (!nocenter)
        math_mbox_shift(b, -((b->h - b->d) / 2 - math_sigma(c, style, 22)));
    return b;
}

