/* math_array — environments (matrix, pmatrix, bmatrix, vmatrix, cases,
 * aligned/align*) and \text.  Layout follows LaTeX/amsmath: array cells in
 * text style with \arraycolsep 5pt and struts of 0.7/0.3 \baselineskip
 * (12pt); cases with \arraystretch 1.2 and a \quad between columns; aligned
 * in display style, r/l column pairs \minalignsep (10pt) apart, each row
 * with amsmath's \strut@ (8.4pt/3.6pt), rows 12pt + \jot 3pt apart. */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "math/math_int.h"

static mbox *S_err(mctx *c, int col, const char *fmt, const char *arg)
{
    err_set(c->e, LB_EXIT_INPUT, fmt, arg);
    if (c->err_col)
        *c->err_col = col;
    return NULL;
}

/* The column of `at` in text that starts at column `col` of the formula
 * when src (text is the formula's own source), else `col`. */
static int S_col(const char *text, const unsigned char *at, int col, int src)
{
    for (const unsigned char *p = (const unsigned char *)text; src && p < at; p++)
        col += (*p & 0xC0) != 0x80;
    return col;
}

/* Column alignment of environment `env` at column k: 'l', 'c' or 'r'. */
static char S_align(const mnoad *q, int k)
{
    switch (q->env) {
    case ENV_ALIGNED: return k % 2 == 0 ? 'r' : 'l';
    case ENV_CASES: return 'l';
    case ENV_ARRAY: {
        int i = 0;
        for (const char *t = q->text ? q->text : ""; *t; t++)
            if (*t != '|' && i++ == k)
                return *t;
        return 'c';
    }
    default: return 'c';
    }
}

/* array's '|' rules: how many stand before column k (k = cols: after the
 * last) */
static int S_vrules(const mnoad *q, int k)
{
    if (q->env != ENV_ARRAY || !q->text)
        return 0;
    int col = 0, n = 0;
    for (const char *t = q->text; *t; t++) {
        if (*t == '|') {
            if (col == k)
                n++;
        } else if (col++ == k) {
            break;
        }
    }
    return n;
}

mbox *math_array(mctx *c, const mnoad *q, int style)
{
    int R = q->rows, C = q->cols, env = q->env;
    int aligned = env == ENV_ALIGNED, gathered = env == ENV_GATHERED;
    int small = env == ENV_SMALLMATRIX, array = env == ENV_ARRAY;
    /* cell style: display (aligned, gathered), script (smallmatrix), text */
    int cs = aligned || gathered ? (style & 1) : small ? 4 : 2 | (style & 1);
    double pt = c->scale;
    mbox **cell = calloc((size_t)R * (size_t)C, sizeof *cell), *b = NULL, *res = NULL;
    double *cw = calloc((size_t)C, sizeof *cw), *rh = calloc((size_t)R, sizeof *rh),
           *rd = calloc((size_t)R, sizeof *rd), *cx = calloc((size_t)C, sizeof *cx);
    if (!cell || !cw || !rh || !rd || !cx) {
        err_nomem(c->e);
        goto out;
    }
    /* struts: \strut@ (aligned, gathered), array's .7/.3 \baselineskip
     * times \arraystretch (cases 1.2), none in smallmatrix */
    double stretch = env == ENV_CASES ? 1.2 : 1.0;
    double sh = small ? 0 : 0.7 * 12 * pt * stretch, sd = small ? 0 : 0.3 * 12 * pt * stretch;
    for (int r = 0; r < R; r++) {
        rh[r] = sh;
        rd[r] = sd;
        for (int k = 0; k < C; k++) {
            const mlist *l = q->cells[r * C + k];
            if (!l)
                continue;
            int lead = aligned && (k % 2 == 1);
            if (!(cell[r * C + k] = c->hlist(c, l, cs, lead)))
                goto out;
            mbox *x = cell[r * C + k];
            cw[k] = fmax(cw[k], x->w);
            rh[r] = fmax(rh[r], x->h);
            rd[r] = fmax(rd[r], x->d);
        }
    }
    /* column positions: aligned pairs \minalignsep apart; array \arraycolsep
     * (5pt) on both sides of every column, '|' rules .4pt between; matrix
     * and cases 10pt between columns; smallmatrix a \thickspace */
    double x = array ? 5 * pt : 0, rule = 0.4 * pt;
    /* smallmatrix's \thickspace sits in the template, in text: .2777em */
    double gap = small ? 0.2777 * 10 * pt : 10 * pt;
    for (int k = 0; k < C; k++) {
        if (k > 0)
            x += aligned ? ((k % 2 == 1) ? 0 : 10 * pt) : gap;
        /* LaTeX's \@arrayrule: \hskip-.5\arrayrulewidth \vline \hskip
         * -.5\arrayrulewidth takes no width; '||' adds \doublerulesep */
        if (array && S_vrules(q, k) > 1)
            x += (S_vrules(q, k) - 1) * 2 * pt;
        cx[k] = x;
        x += cw[k];
    }
    double W = x + (array ? 5 * pt + (S_vrules(q, C) > 1 ? (S_vrules(q, C) - 1) * 2 * pt : 0) : 0);
    /* row baselines, from the top row (y = 0) downwards */
    if (!(b = math_mbox_new())) {
        err_nomem(c->e);
        goto out;
    }
    double y = 0;
    for (int r = 0; r < R; r++) {
        if (r > 0) {
            if (aligned || gathered) {
                /* \openup\jot: baselineskip 15pt, lineskiplimit 3pt,
                 * lineskip 4pt (TeX's interline glue rule) */
                double g = 15 * pt - rd[r - 1] - rh[r];
                y -= g >= 3 * pt ? 15 * pt : rd[r - 1] + rh[r] + 4 * pt;
            } else if (small) {
                /* amsmath: \baselineskip 6\ex@, \lineskip = \lineskiplimit
                 * 1.5\ex@ (amsgen's \ex@: 1pt at 10pt) */
                double exat = pt, g = 6 * exat - rd[r - 1] - rh[r];
                y -= g >= 1.5 * exat ? 6 * exat : rd[r - 1] + rh[r] + 1.5 * exat;
            } else {
                y -= rd[r - 1] + rh[r];
            }
        }
        for (int k = 0; k < C; k++) {
            mbox *cb = cell[r * C + k];
            if (!cb)
                continue;
            char al = S_align(q, k);
            double off = al == 'l' ? 0 : al == 'r' ? cw[k] - cb->w : (cw[k] - cb->w) / 2;
            if (math_mbox_put(b, cb, cx[k] + off, y) < 0) {
                err_nomem(c->e);
                goto out;
            }
        }
    }
    double top = rh[0], bottom = -y + rd[R - 1], total = top + bottom;
    /* \vcenter: centre the whole on the math axis */
    double ax = math_sigma(c, style, 22);
    double newh = total / 2 + ax, shift = newh - top;
    for (int i = 0; i < b->n; i++)
        b->it[i].y += shift;
    b->w = W;
    b->h = newh;
    b->d = total - newh;
    if (small) {   /* amsmath: \null\,\vcenter{...}\, */
        double thin = 3 * math_sigma(c, style, 6) / 18;
        for (int i = 0; i < b->n; i++)
            b->it[i].x += thin;
        b->w += 2 * thin;
    }
    /* array's '|': rules the whole height of the array */
    for (int k = 0; array && k <= C; k++) {
        int nr = S_vrules(q, k);
        double span = nr > 1 ? (nr - 1) * 2 * pt : 0;
        double rx = k == 0 ? 0 : k == C ? W - span : cx[k] - 5 * pt - span;
        for (int i = 0; i < nr; i++)
            if (math_mbox_rule(b, rx + i * 2 * pt - rule / 2, -b->d, rule, b->h + b->d) < 0) {
                err_nomem(c->e);
                goto out;
            }
    }
    static const mdelim paren[2] = { { FAM_RM, "parenleft", "parenleftbig" },
                                     { FAM_RM, "parenright", "parenrightbig" } };
    static const mdelim brack[2] = { { FAM_RM, "bracketleft", "bracketleftbig" },
                                     { FAM_RM, "bracketright", "bracketrightbig" } };
    static const mdelim vert[2] = { { FAM_SY, "bar", "vextendsingle" },
                                    { FAM_SY, "bar", "vextendsingle" } };
    static const mdelim cases[2] = { { FAM_SY, "braceleft", "braceleftbig" },
                                     { 0, NULL, NULL } };
    static const mdelim brace[2] = { { FAM_SY, "braceleft", "braceleftbig" },
                                     { FAM_SY, "braceright", "bracerightbig" } };
    static const mdelim dvert[2] = { { FAM_SY, "bardbl", "vextenddouble" },
                                     { FAM_SY, "bardbl", "vextenddouble" } };
    const mdelim *dl = q->env == ENV_PMATRIX ? paren : q->env == ENV_BMATRIX ? brack
                       : q->env == ENV_VMATRIX ? vert : q->env == ENV_CASES ? cases
                       : q->env == ENV_BBMATRIX ? brace : q->env == ENV_VVMATRIX ? dvert : NULL;
    if (!dl) {
        res = b;
        b = NULL;
        goto out;
    }
    double d1 = fmax(b->h - ax, b->d + ax), v = fmax(2 * d1 * 0.901, 2 * d1 - 5 * pt);
    mbox *L = math_delim(c, &dl[0], style, v, 0), *Rt = L ? math_delim(c, &dl[1], style, v, 0) : NULL;
    if (!L || !Rt || !(res = math_mbox_new()) || math_mbox_put(res, L, 0, 0) < 0
        || math_mbox_put(res, b, L->w, 0) < 0 || math_mbox_put(res, Rt, L->w + b->w, 0) < 0) {
        if (L && Rt && c->e->code == 0)
            err_nomem(c->e);
        math_mbox_free(res);
        res = NULL;
    } else {
        res->w = L->w + b->w + Rt->w;
        res->h = fmax(b->h, fmax(L->h, Rt->h));
        res->d = fmax(b->d, fmax(L->d, Rt->d));
    }
    math_mbox_free(L);
    math_mbox_free(Rt);
out:
    if (!res && c->err_col && *c->err_col == 0 && c->e->code == LB_EXIT_INPUT)
        *c->err_col = q->col;
    if (cell)
        for (int i = 0; i < R * C; i++)
            math_mbox_free(cell[i]);
    free(cell);
    free(cw);
    free(rh);
    free(rd);
    free(cx);
    math_mbox_free(b);
    return res;
}

/* Decode one UTF-8 char; returns bytes used (0 on bad input). */
static int S_utf8(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        *cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    return 0;
}

static const char *S_text_glyph(unsigned cp)
{
    switch (cp) {
    case '\'': return "quoteright";
    case '`': return "quoteleft";
    case 0x2013: return "endash";
    case 0x2014: return "emdash";
    case 0x2018: return "quoteleft";
    case 0x2019: return "quoteright";
    case 0x201C: return "quotedblleft";
    case 0x201D: return "quotedblright";
    case 0x2212: return "minus";
    default: break;
    }
    if (cp >= 0x20 && cp < 0x7F)
        return afm_winansi_name((unsigned char)cp);
    if (cp >= 0xA0 && cp <= 0xFF)
        return afm_winansi_name((unsigned char)cp);
    return NULL;
}

mbox *math_text(mctx *c, const char *text, int fam, int style, int col)
{
    int opname = fam >= 0 && (fam & MATH_TEXT_OPNAME);
    int icr = fam >= 0 && (fam & MATH_TEXT_ICR);
    int src = fam >= 0 && (fam & MATH_TEXT_SRC);
    if (fam >= 0)
        fam &= ~(MATH_TEXT_OPNAME | MATH_TEXT_ICR | MATH_TEXT_SRC);
    if (fam < 0)
        fam = FAM_IT;
    int font = math_fam_font(fam, style < 4 ? 0 : style < 6 ? 1 : 2);
    double size = math_font_design(c->mf, font) * c->scale;
    const afm_font *afm = math_font_afm(c->mf, font);
    mbox *b = math_mbox_new();
    if (!b) {
        err_nomem(c->e);
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)text;
    int prev = -1;
    double last_ic = 0, prev_x = 0, tail_ic = 0;   /* tail_ic: last char's, spaces after */
    const char *prev_name = NULL;
    /* the font's interword space (\fontdimen2; 5.25pt in lmtt10) */
    double space = afm_fontdimen(afm, 2) / 1000 * size;
    if (space <= 0)
        space = afm_width_of_name(afm, "space") / 1000 * size;
    if (space <= 0)
        space = size / 3;
    while (*s) {
        unsigned cp;
        int n = S_utf8(s, &cp);
        if (n == 0) {
            math_mbox_free(b);
            return S_err(c, col, "invalid UTF-8 in %s", "\\text");
        }
        int esc = 0;
        if (cp == '\\' && s[1]) {
            esc = 1;
            s++;
            n = S_utf8(s, &cp);
            static const struct { char c; double em; } sp[] = {
                { ',', 1.0 / 6 }, { ':', 2.0 / 9 }, { '>', 2.0 / 9 }, { ';', 5.0 / 18 },
                { '!', -1.0 / 6 },
            };
            int hit = 0;
            for (size_t k = 0; k < sizeof sp / sizeof *sp; k++)
                if (cp == (unsigned)sp[k].c) {
                    b->w += sp[k].em * size;
                    hit = 1;
                }
            if (hit) {
                s += n;
                prev = -1;
                prev_name = NULL;
                tail_ic = 0;   /* \/ after a kern adds nothing */
                continue;
            }
            if (!strchr("%&_{}$# ", (int)cp)) {
                math_mbox_free(b);
                return S_err(c, S_col(text, s - 1, col, src), "unsupported command inside %s (only \\%% \\& \\_ \\{ \\} \\$ \\# are allowed)", "\\text");
            }
        }
        s += n;
        if (opname && !esc && (cp == ' ' || cp == '\n' || cp == '\t'))
            continue;   /* \operatorname is math: spaces are ignored */
        if (cp == ' ' || cp == '~' || cp == '\n' || cp == '\t') {
            b->w += space;
            prev = -1;
            prev_name = NULL;
            continue;
        }
        if (!esc && (cp == '{' || cp == '}'))
            continue;   /* plain grouping braces inside \text */
        const char *gn = S_text_glyph(cp);
        mgm g;
        if (!gn || math_font_glyph(c->mf, font, gn, &g) < 0) {
            char buf[8] = { 0 };
            memcpy(buf, s - n, (size_t)n);
            math_mbox_free(b);
            return S_err(c, S_col(text, s - n, col, src), "character '%s' is not available in \\text", buf);
        }
        /* the font's ligature with the glyph before ("ff", "fi", "ffi"):
         * it takes that glyph's place */
        const char *lg = prev_name ? math_font_lig(c->mf, font, prev_name, gn) : NULL;
        if (lg && math_font_glyph(c->mf, font, lg, &g) == 0) {
            b->n--;
            b->w = prev_x;
            gn = lg;
            prev = -1;
        }
        int gi = afm_find(afm, gn);
        if (prev >= 0)
            b->w += afm_kern(afm, prev, gi) / 1000 * size;
        prev_x = b->w;
        prev_name = gn;
        if (math_mbox_glyph(b, font, g.code, b->w, 0, size) < 0) {
            math_mbox_free(b);
            err_nomem(c->e);
            return NULL;
        }
        b->w += g.wd * size;
        b->h = fmax(b->h, g.ht * size);
        b->d = fmax(b->d, g.dp * size);
        prev = gi;
        last_ic = tail_ic = g.ic * size;
    }
    if (icr)
        b->w += tail_ic;
    /* \operatorname{..} is math: its last letter is no "text char" (rule
     * 14 looks at the next atom), so it keeps its italic correction */
    if (opname && prev >= 0)
        b->w += last_ic;
    return b;
}
