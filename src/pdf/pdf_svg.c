/* pdf_svg — draw an svg_doc with libharu.  See pdf_svg.h for the scaling
 * convention and the font mapping.
 *
 * The figure is drawn inside one GSave/GRestore with the CTM
 *   [s 0 0 -s x y_top]
 * so path coordinates go to libharu in SVG user units unchanged (y down).
 * Line widths are divided by s to stay at print size.  libharu 2.3.0 takes
 * dash lengths as integers (HPDF_UINT16): a dashed path is drawn under an
 * extra scale of 1/S_DASHQ with its coordinates multiplied by S_DASHQ, so
 * dash lengths keep two decimals.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "pdf/pdf_cs.h"
#include "pdf/pdf_math.h"
#include "pdf/pdf_svg.h"
#include "pdf/pdf_cjk.h"

#define S_DASHQ 100.0
#define S_MAX_GSTATES 32

typedef struct S_gs {
    double fa, sa;
    HPDF_ExtGState gs;
} S_gs;

typedef struct S_ctx {
    pdf_fonts *pf;
    HPDF_Page page;
    const svg_doc *doc;
    const pdf_svg_opts *o;
    double s;          /* user unit -> pt */
    double lw_k;       /* stroke width factor in user space */
    double txt_k;      /* glyph scale in text space */
    lb_err *e;
    S_gs gs[S_MAX_GSTATES];
    int ngs;
    double cur_fa, cur_sa;
    HPDF_STATUS st;
} S_ctx;

double pdf_svg_height(const svg_doc *doc, double width)
{
    return width * svg_doc_height(doc) / svg_doc_width(doc);
}

static int S_hpdf(S_ctx *c, const char *what)
{
    if (c->st == HPDF_OK)
        return 0;
    return err_set(c->e, LB_EXIT_RUNTIME, "%s: libharu error 0x%04lX while "
                   "drawing %s", svg_doc_name(c->doc), (unsigned long)c->st,
                   what);
}

/* ---- transparency --------------------------------------------------------- */

/* Alpha needs an ExtGState, which needs the HPDF_Doc: with opts->pdf we make
 * one per distinct (fill, stroke) alpha; without it a translucent colour is
 * blended with white (exact on the white page background only). */
static void S_alpha(S_ctx *c, double fa, double sa, svg_color *fill,
                    svg_color *stroke)
{
    if (!c->o->pdf) {
        if (fill) {
            fill->r = 1 - fa * (1 - fill->r);
            fill->g = 1 - fa * (1 - fill->g);
            fill->b = 1 - fa * (1 - fill->b);
        }
        if (stroke) {
            stroke->r = 1 - sa * (1 - stroke->r);
            stroke->g = 1 - sa * (1 - stroke->g);
            stroke->b = 1 - sa * (1 - stroke->b);
        }
        return;
    }
    if (fa == c->cur_fa && sa == c->cur_sa)
        return;
    HPDF_ExtGState g = NULL;
    for (int i = 0; i < c->ngs; i++)
        if (c->gs[i].fa == fa && c->gs[i].sa == sa)
            g = c->gs[i].gs;
    if (!g) {
        g = HPDF_CreateExtGState(c->o->pdf);
        if (!g) {
            c->st = HPDF_GetError(c->o->pdf);
            if (!c->st)
                c->st = 1;
            return;
        }
        c->st |= HPDF_ExtGState_SetAlphaFill(g, (HPDF_REAL)fa);
        c->st |= HPDF_ExtGState_SetAlphaStroke(g, (HPDF_REAL)sa);
        if (c->ngs < S_MAX_GSTATES) {
            c->gs[c->ngs].fa = fa;
            c->gs[c->ngs].sa = sa;
            c->gs[c->ngs].gs = g;
            c->ngs++;
        }
    }
    c->st |= HPDF_Page_SetExtGState(c->page, g);
    c->cur_fa = fa;
    c->cur_sa = sa;
}

/* ---- paths ------------------------------------------------------------------ */

/* One segment through libharu (float numbers): how figures were written
 * before pdf_cs_path, kept for the tests that compare the two. */
static void S_segs_hpdf(S_ctx *c, const svg_seg *g, double q)
{
    switch (g->kind) {
    case SVG_SEG_MOVE:
        c->st |= HPDF_Page_MoveTo(c->page, (HPDF_REAL)(g->x * q), (HPDF_REAL)(g->y * q));
        break;
    case SVG_SEG_LINE:
        c->st |= HPDF_Page_LineTo(c->page, (HPDF_REAL)(g->x * q), (HPDF_REAL)(g->y * q));
        break;
    case SVG_SEG_CUBIC:
        c->st |= HPDF_Page_CurveTo(c->page, (HPDF_REAL)(g->x1 * q), (HPDF_REAL)(g->y1 * q),
                                   (HPDF_REAL)(g->x2 * q), (HPDF_REAL)(g->y2 * q),
                                   (HPDF_REAL)(g->x * q), (HPDF_REAL)(g->y * q));
        break;
    case SVG_SEG_CLOSE:
        c->st |= HPDF_Page_ClosePath(c->page);
        break;
    }
}

/* Straight runs thinned (issue 15: a figure's curves, hundreds of samples
 * each, were a third of the handout): from the last point written, a run
 * of line-tos is replaced by one line-to its farthest end whose every
 * skipped point lies within S_THIN_PT of the new segment.  S_THIN_PT is
 * below half the last digit gnuplot writes (0.005 of a 400-unit-wide SVG
 * drawn 306 pt wide: 0.0038 pt), so the drawn line stays inside the
 * rounding of the numbers it came from; a segment skips at most
 * S_THIN_WIN points, which bounds the work per point. */
#define S_THIN_PT 0.0035
#define S_THIN_WIN 48

/* Distance from (px, py) to the segment (ax, ay)-(bx, by). */
static double S_seg_dist(double ax, double ay, double bx, double by, double px, double py)
{
    double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/* The last line-to of the run starting at sg[i] (a LINE) that can stand
 * for sg[i..e] from (cx, cy): every end point before it within tol. */
static size_t S_thin_end(const svg_seg *sg, size_t n, size_t i, double cx, double cy,
                         double tol)
{
    size_t best = i;
    for (size_t e = i + 1; e < n && e <= i + S_THIN_WIN && sg[e].kind == SVG_SEG_LINE; e++) {
        for (size_t k = i; k < e; k++)
            if (!(S_seg_dist(cx, cy, sg[e].x, sg[e].y, sg[k].x, sg[k].y) <= tol))
                return best;
        best = e;
    }
    return best;
}

/* Path numbers as the SVG wrote them (pdf_cs_path: up to 5 decimals from
 * the double), not through libharu's float printing. */
static void S_segs(S_ctx *c, const svg_seg *sg, size_t n, double q)
{
    double cx = 0, cy = 0;   /* current point, user units */
    double tol = c->s > 0 ? S_THIN_PT / c->s : 0;
    for (size_t i = 0; i < n && c->st == HPDF_OK; i++) {
        if (c->o->flags & PDF_SVG_HPDF_PATHS) {
            S_segs_hpdf(c, &sg[i], q);
            continue;
        }
        if (sg[i].kind == SVG_SEG_LINE && i > 0)
            i = S_thin_end(sg, n, i, cx, cy, tol);
        const svg_seg *g = &sg[i];
        double v[6] = { g->x1 * q, g->y1 * q, g->x2 * q, g->y2 * q, g->x * q, g->y * q };
        int r = 0;
        switch (g->kind) {
        case SVG_SEG_MOVE:
            r = pdf_cs_path(c->page, v + 4, 2, "m");
            break;
        case SVG_SEG_LINE:
            r = pdf_cs_path(c->page, v + 4, 2, "l");
            break;
        case SVG_SEG_CUBIC:
            r = pdf_cs_path(c->page, v, 6, "c");
            break;
        case SVG_SEG_CLOSE:
            r = pdf_cs_path(c->page, v, 0, "h");
            break;
        }
        cx = g->x;
        cy = g->y;
        if (r < 0)
            c->st = HPDF_INVALID_OPERATION;
    }
}

static int S_path(S_ctx *c, const svg_path *p)
{
    static const HPDF_LineCap caps[] = {HPDF_BUTT_END, HPDF_ROUND_END,
                                        HPDF_PROJECTING_SCUARE_END};
    static const HPDF_LineJoin joins[] = {HPDF_MITER_JOIN, HPDF_ROUND_JOIN,
                                          HPDF_BEVEL_JOIN};
    svg_color fill = p->fill, stroke = p->stroke;
    HPDF_Page pg = c->page;
    S_alpha(c, p->has_fill ? p->fill_opacity : 1,
            p->has_stroke ? p->stroke_opacity : 1, &fill, &stroke);
    /* pdf_cs_*: only what changed since the previous path */
    if (p->has_fill)
        c->st |= pdf_cs_rgb_fill(pg, fill.r, fill.g, fill.b);
    double q = 1;
    if (p->has_stroke) {
        double lw = p->stroke_width * c->lw_k;
        c->st |= pdf_cs_stroke_style(pg, stroke.r, stroke.g, stroke.b, caps[p->linecap],
                                     joins[p->linejoin], p->miterlimit);
        if (p->ndash) {
            HPDF_UINT16 d[8];
            size_t nd = p->ndash < 8 ? p->ndash : 8;
            double total = 0, big = lw;
            for (size_t i = 0; i < nd; i++)
                if (p->dash[i] * c->lw_k > big)
                    big = p->dash[i] * c->lw_k;
            /* libharu caps dash elements and line widths at 100 and
             * clamps every number it writes at 32767: keep both in range */
            double far = 1;
            for (size_t i = 0; i < p->nsegs; i++) {
                const double *v = &p->segs[i].x1;
                for (int k = 0; k < 6; k++)
                    if (fabs(v[k]) > far)
                        far = fabs(v[k]);
            }
            q = big > 0 ? 99.0 / big : S_DASHQ;
            if (q > S_DASHQ)
                q = S_DASHQ;
            if (q > 32000.0 / far)
                q = 32000.0 / far;
            for (size_t i = 0; i < nd; i++) {
                double v = floor(p->dash[i] * c->lw_k * q + 0.5);
                v = v < 1 ? 1 : v > 100 ? 100 : v;
                d[i] = (HPDF_UINT16)v;
                total += v;
            }
            double ph = fmod(p->dash_offset * c->lw_k * q, total);
            if (ph < 0)
                ph += total;
            c->st |= HPDF_Page_GSave(pg);
            c->st |= HPDF_Page_Concat(pg, (HPDF_REAL)(1 / q), 0, 0,
                                      (HPDF_REAL)(1 / q), 0, 0);
            c->st |= HPDF_Page_SetDash(pg, d, (HPDF_UINT)nd, (HPDF_UINT)ph);
        }
        lw *= q;
        c->st |= pdf_cs_line_width(pg, lw < 100 ? lw : 100);
    }
    if (c->st == HPDF_OK)
        S_segs(c, p->segs, p->nsegs, q);
    if (p->has_fill && p->has_stroke)
        c->st |= p->fill_rule == SVG_RULE_EVENODD ? HPDF_Page_EofillStroke(pg)
                                                  : HPDF_Page_FillStroke(pg);
    else if (p->has_fill)
        c->st |= p->fill_rule == SVG_RULE_EVENODD ? HPDF_Page_Eofill(pg)
                                                  : HPDF_Page_Fill(pg);
    else
        c->st |= HPDF_Page_Stroke(pg);
    if (q != 1) {
        c->st |= HPDF_Page_GRestore(pg);
        /* GRestore brought back the ExtGState of before */
    }
    return S_hpdf(c, "a path");
}

/* Enter clip `ci` (and its parents) inside a fresh GSave. */
static int S_clip(S_ctx *c, int ci)
{
    c->st |= HPDF_Page_GSave(c->page);
    for (int k = ci, guard = 0; k >= 0 && guard < 64; guard++) {
        const svg_clip *cl = svg_doc_clip(c->doc, k);
        if (!cl)
            break;
        S_segs(c, cl->segs, cl->nsegs, 1);
        c->st |= cl->rule == SVG_RULE_EVENODD ? HPDF_Page_Eoclip(c->page)
                                              : HPDF_Page_Clip(c->page);
        c->st |= HPDF_Page_EndPath(c->page);
        k = cl->parent;
    }
    return S_hpdf(c, "a clip path");
}

static int S_clip_empty(const svg_doc *d, int ci)
{
    for (int guard = 0; ci >= 0 && guard < 64; guard++) {
        const svg_clip *cl = svg_doc_clip(d, ci);
        if (!cl)
            return 0;
        if (!cl->nsegs)
            return 1;
        ci = cl->parent;
    }
    return 0;
}

/* ---- text ------------------------------------------------------------------- */

/* gnuplot's Symbol font: ASCII letter -> Latin Modern glyph.  Greek goes to
 * lmmi10 (math italic, as TeX's $\alpha$); the capitals that look Latin
 * come from the roman font like TeX's \mathrm{A}. */
static const char *const S_sym_lower[26] = {
    "alpha", "beta", "chi", "delta", "epsilon1", "phi1", "gamma", "eta",
    "iota", "phi", "kappa", "lambda", "mu", "nu", "o", "pi", "theta", "rho",
    "sigma", "tau", "upsilon", "pi1", "omega", "xi", "psi", "zeta",
};
static const char *const S_sym_upper[26] = {
    "A", "B", "X", "Delta", "E", "Phi", "Gamma", "H", "I", "theta1", "K",
    "Lambda", "M", "N", "O", "Pi", "Theta", "P", "Sigma", "T", "Upsilon",
    "sigma1", "Omega", "Xi", "Psi", "Z",
};

/* Unicode Greek U+0391..U+03C9 -> glyph names (lmmi10 for the letters
 * TeX sets from the math italic font, Latin-looking capitals from lmr10;
 * NULL for unassigned code points). */
static const char *const S_greek[0x3C9 - 0x391 + 1] = {
    "A", "B", "Gamma", "Delta", "E", "Z", "H", "Theta", "I", "K", "Lambda",
    "M", "N", "Xi", "O", "Pi", "P", NULL, "Sigma", "T", "Upsilon", "Phi",
    "X", "Psi", "Omega", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    "alpha", "beta", "gamma", "delta", "epsilon1", "zeta", "eta", "theta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "o", "pi", "rho", "sigma1",
    "sigma", "tau", "upsilon", "phi1", "chi", "psi", "omega",
};

/* Unicode math symbols with no WinAnsi code: drawn from the TeX math
 * fonts (built-in encoding) as $\to$, $-$, $\times$ ... would be. */
static const struct {
    long cp;
    const char *font, *glyph;
} S_mathsym[] = {
    {0x00B1, "lmsy10", "plusminus"},   {0x00B7, "lmsy10", "periodcentered"},
    {0x00D7, "lmsy10", "multiply"},    {0x2190, "lmsy10", "arrowleft"},
    {0x2192, "lmsy10", "arrowright"},  {0x2202, "lmmi10", "partialdiff"},
    {0x2207, "lmsy10", "nabla"},       {0x2208, "lmsy10", "element"},
    {0x2212, "lmsy10", "minus"},       {0x221E, "lmsy10", "infinity"},
    {0x2248, "lmsy10", "approxequal"}, {0x2264, "lmsy10", "lessequal"},
    {0x2265, "lmsy10", "greaterequal"},{0x22C5, "lmsy10", "periodcentered"},
};

static const char *S_math_symbol(long cp, const char **glyph)
{
    for (size_t i = 0; i < sizeof S_mathsym / sizeof S_mathsym[0]; i++)
        if (S_mathsym[i].cp == cp) {
            *glyph = S_mathsym[i].glyph;
            return S_mathsym[i].font;
        }
    return NULL;
}

/* Next code point of UTF-8 `s` at *i; -1 on a malformed sequence. */
static long S_utf8(const char *s, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s + *i;
    long cp;
    int n;
    if (u[0] < 0x80) { cp = u[0]; n = 1; }
    else if ((u[0] & 0xE0) == 0xC0) { cp = u[0] & 0x1F; n = 2; }
    else if ((u[0] & 0xF0) == 0xE0) { cp = u[0] & 0x0F; n = 3; }
    else if ((u[0] & 0xF8) == 0xF0) { cp = u[0] & 0x07; n = 4; }
    else return -1;
    for (int k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (u[k] & 0x3F);
    }
    *i += (size_t)n;
    return cp;
}

/* Unicode -> WinAnsi (cp1252) byte, 0 when there is none. */
static unsigned char S_winansi(long cp)
{
    static const struct { unsigned short cp; unsigned char b; } hi[] = {
        {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84},
        {0x2026, 0x85}, {0x2020, 0x86}, {0x2021, 0x87}, {0x02C6, 0x88},
        {0x2030, 0x89}, {0x0160, 0x8A}, {0x2039, 0x8B}, {0x0152, 0x8C},
        {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93},
        {0x201D, 0x94}, {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97},
        {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B},
        {0x0153, 0x9C}, {0x017E, 0x9E}, {0x0178, 0x9F},
    };
    if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0xFF))
        return (unsigned char)cp;
    for (size_t i = 0; i < sizeof hi / sizeof hi[0]; i++)
        if (hi[i].cp == cp)
            return hi[i].b;
    return 0;
}

typedef struct S_run {        /* one ShowText: font, bytes, advance */
    HPDF_Font font;
    char buf[256];
    size_t len;
    double width;             /* text-space units */
} S_run;

static const char *S_text_font(const svg_span *sp)
{
    const char *f = sp->family;
    if (strstr(f, "Mono") || strstr(f, "mono") || strstr(f, "Courier"))
        return "lmtt10";
    if (sp->bold)
        return sp->italic ? "lmbxi10" : "lmbx10";
    return sp->italic ? "lmri10" : "lmr10";
}

/* A character set in a CJK face (pdf_cjkfont.h): CJK text, and any other
 * character that neither cp1252 nor the math fonts have (the CJK faces
 * then have it, or the run reports it). */
static int S_is_cjk(const S_ctx *c, long cp)
{
    if (cp < 0x80 || !c->o->cjk || !c->o->pdf)
        return 0;
    if (cp >= 0x2E80 && pdf_cjk_wide((unsigned)cp))
        return 1;
    const char *glyph = NULL;
    return !S_winansi(cp) && !(cp >= 0x391 && cp <= 0x3C9) &&
           !S_math_symbol(cp, &glyph);
}

/* A run of CJK characters from sp->text[*i] in one face: measured, and
 * drawn with the text matrix of the span (inside the caller's BT/ET). */
static int S_cjk_run(S_ctx *c, const svg_text *t, const svg_span *sp,
                     size_t *i, double *px, double py, int draw)
{
    double k = c->txt_k;
    int face = pdf_cjkfont_face(sp->bold, 0), dface = -1;
    double cs = sp->size * pdf_cjkfont_scale(c->o->cjk, face, c->e);
    if (c->e->code)
        return -1;
    char buf[256];
    size_t len = 0;
    double width = 0;
    while (sp->text[*i] && len + 4 < sizeof buf) {
        size_t at = *i;
        long cp = S_utf8(sp->text, i);
        if (!S_is_cjk(c, cp)) {
            *i = at;
            break;
        }
        pdf_cjk_glyph g;
        int rc = pdf_cjkfont_glyph(c->o->cjk, face, (unsigned)cp, &g, c->e);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return err_at(c->e, LB_EXIT_INPUT, svg_doc_name(c->doc), t->line,
                          t->col, "character U+%04lX in <text> has no glyph "
                          "in lmr10 or the CJK faces", cp);
        if (dface >= 0 && g.face != dface) {
            *i = at;
            break;
        }
        dface = g.face;
        memcpy(buf + len, sp->text + at, *i - at);
        len += *i - at;
        width += g.adv * cs * k;
        if (draw && pdf_cjkfont_mark(c->o->cjk, dface, (unsigned)cp) < 0)
            return -1;
    }
    buf[len] = '\0';
    if (draw && sp->visible && len) {
        HPDF_Font font = pdf_cjkfont_hpdf(c->o->cjk, c->o->pdf, dface, c->e);
        if (!font)
            return -1;
        const double *m = t->m;
        double g[6] = {k, 0, 0, -k, *px, py}, tm[6];
        tm[0] = m[0] * g[0] + m[2] * g[1];
        tm[1] = m[1] * g[0] + m[3] * g[1];
        tm[2] = m[0] * g[2] + m[2] * g[3];
        tm[3] = m[1] * g[2] + m[3] * g[3];
        tm[4] = m[0] * g[4] + m[2] * g[5] + m[4];
        tm[5] = m[1] * g[4] + m[3] * g[5] + m[5];
        c->st |= HPDF_Page_SetFontAndSize(c->page, font, (HPDF_REAL)cs);
        c->st |= HPDF_Page_SetTextMatrix(c->page, (HPDF_REAL)tm[0],
                                         (HPDF_REAL)tm[1], (HPDF_REAL)tm[2],
                                         (HPDF_REAL)tm[3], (HPDF_REAL)tm[4],
                                         (HPDF_REAL)tm[5]);
        c->st |= HPDF_Page_ShowText(c->page, buf);
        if (S_hpdf(c, "text"))
            return -1;
    }
    *px += width;
    return 0;
}

/* Lay out or draw one span starting at text-space (*px, *py).  With
 * draw == 0 only the advance is added to *px. */
static int S_span(S_ctx *c, const svg_text *t, const svg_span *sp, double *px,
                  double py, int draw)
{
    double size = sp->size;                    /* font size, text units */
    double k = c->txt_k;
    int is_sym = strcmp(sp->family, "Symbol") == 0;
    const char *base = S_text_font(sp);
    size_t i = 0;
    while (sp->text[i]) {
        size_t at0 = i;
        long cp0 = S_utf8(sp->text, &i);
        i = at0;
        if (S_is_cjk(c, cp0)) {
            if (S_cjk_run(c, t, sp, &i, px, py, draw) < 0)
                return -1;
            continue;
        }
        /* collect a run of characters that share one font */
        S_run r;
        memset(&r, 0, sizeof r);
        const char *fname = NULL;
        int builtin = 0;
        while (sp->text[i] && r.len < sizeof r.buf) {
            size_t at = i;
            long cp = S_utf8(sp->text, &i);
            if (S_is_cjk(c, cp)) {
                i = at;                        /* a CJK run follows */
                break;
            }
            const char *fn = base;
            int bi = 0;
            unsigned char byte = cp >= 0 ? S_winansi(cp) : 0;
            const afm_font *af;
            const char *glyph = NULL;
            if (cp >= 0x391 && cp <= 0x3C9 && S_greek[cp - 0x391])
                glyph = S_greek[cp - 0x391];     /* UTF-8 Greek, like Symbol */
            else if (is_sym && cp >= 'a' && cp <= 'z')
                glyph = S_sym_lower[cp - 'a'];
            else if (is_sym && cp >= 'A' && cp <= 'Z')
                glyph = S_sym_upper[cp - 'A'];
            const char *symfont = S_math_symbol(cp, &glyph);
            if (symfont) {                     /* arrows, minus, ... */
                fn = symfont;
                bi = 1;
            } else if (glyph && glyph[1]) {    /* a Greek glyph name */
                fn = "lmmi10";
                bi = 1;
            } else if (glyph) {
                byte = (unsigned char)glyph[0];
            }
            if (fname && (strcmp(fn, fname) || bi != builtin)) {
                i = at;                        /* font changes: new run */
                break;
            }
            fname = fn;
            builtin = bi;
            af = pdf_fonts_afm(c->pf, fn, c->e);
            if (!af)
                return -1;
            double wx;
            if (bi) {
                int gi = afm_find(af, glyph);
                const afm_glyph *g = gi >= 0 ? afm_glyph_at(af, gi) : NULL;
                if (!g || g->code < 0 || g->code > 255)
                    return err_at(c->e, LB_EXIT_RUNTIME, svg_doc_name(c->doc),
                                  t->line, t->col, "no glyph '%s' in %s",
                                  glyph, fn);
                r.buf[r.len++] = (char)g->code;
                wx = g->wx;
            } else {
                int gi = byte ? afm_winansi_index(af, byte) : -1;
                if (gi < 0)
                    return err_at(c->e, LB_EXIT_INPUT, svg_doc_name(c->doc),
                                  t->line, t->col, "character U+%04lX in <text> "
                                  "has no glyph in %s", cp < 0 ? 0xFFFDL : cp, fn);
                r.buf[r.len++] = (char)byte;
                wx = afm_glyph_at(af, gi)->wx;
            }
            r.width += wx * size / 1000.0 * k;
        }
        if (!r.len)
            break;
        if (draw && sp->visible) {
            r.font = pdf_fonts_get(c->pf, fname, builtin ? NULL : "WinAnsiEncoding",
                                   c->e);
            if (!r.font)
                return -1;
            double tm[6], g[6] = {k, 0, 0, -k, *px, py};
            const double *m = t->m;
            tm[0] = m[0] * g[0] + m[2] * g[1];
            tm[1] = m[1] * g[0] + m[3] * g[1];
            tm[2] = m[0] * g[2] + m[2] * g[3];
            tm[3] = m[1] * g[2] + m[3] * g[3];
            tm[4] = m[0] * g[4] + m[2] * g[5] + m[4];
            tm[5] = m[1] * g[4] + m[3] * g[5] + m[5];
            r.buf[r.len < sizeof r.buf ? r.len : sizeof r.buf - 1] = '\0';
            c->st |= HPDF_Page_SetFontAndSize(c->page, r.font, (HPDF_REAL)size);
            c->st |= HPDF_Page_SetTextMatrix(c->page, (HPDF_REAL)tm[0],
                                             (HPDF_REAL)tm[1], (HPDF_REAL)tm[2],
                                             (HPDF_REAL)tm[3], (HPDF_REAL)tm[4],
                                             (HPDF_REAL)tm[5]);
            c->st |= HPDF_Page_ShowText(c->page, r.buf);
            if (S_hpdf(c, "text"))
                return -1;
        }
        *px += r.width;
    }
    return 0;
}

/* gnuplot's `boxed` label (filter url(#textbox)): flood the text's box —
 * from the pen start to its end, font ascender to descender of the largest
 * span — with the filter's colour, behind the text. */
static int S_text_box(S_ctx *c, const svg_text *t, double x0, double width)
{
    const afm_font *af = pdf_fonts_afm(c->pf, "lmr10", c->e);
    if (!af)
        return -1;
    double size = 0;
    for (size_t i = 0; i < t->nspans; i++)
        if (t->spans[i].size > size)
            size = t->spans[i].size;
    double k = c->txt_k;
    double asc = afm_ascender(af) * size / 1000 * k;
    double desc = -afm_descender(af) * size / 1000 * k;
    double px[4] = {x0, x0 + width, x0 + width, x0};
    double py[4] = {t->y - asc, t->y - asc, t->y + desc, t->y + desc};
    const double *m = t->m;
    svg_color f = t->box_color;
    S_alpha(c, t->box_opacity, 1, &f, NULL);
    c->st |= HPDF_Page_SetRGBFill(c->page, (HPDF_REAL)f.r, (HPDF_REAL)f.g,
                                  (HPDF_REAL)f.b);
    for (int i = 0; i < 4; i++) {
        double ux = m[0] * px[i] + m[2] * py[i] + m[4];
        double uy = m[1] * px[i] + m[3] * py[i] + m[5];
        c->st |= i ? HPDF_Page_LineTo(c->page, (HPDF_REAL)ux, (HPDF_REAL)uy)
                   : HPDF_Page_MoveTo(c->page, (HPDF_REAL)ux, (HPDF_REAL)uy);
    }
    c->st |= HPDF_Page_ClosePath(c->page);
    c->st |= HPDF_Page_Fill(c->page);
    return S_hpdf(c, "a text box");
}

/* A label whose whole text is `$...$` (written `noenhanced` in the .gp, so
 * gnuplot passes it through literally) is typeset by the math module at the
 * label's size and drawn at its anchor, rotated with the text matrix.
 * 1 = not a math label, 0 = drawn, -1 = error. */
static int S_math_label(S_ctx *c, const svg_text *t)
{
    const svg_span *sp = NULL;
    for (size_t i = 0; i < t->nspans; i++) {
        if (!t->spans[i].text[0])
            continue;
        if (sp)
            return 1;              /* several runs: enhanced text */
        sp = &t->spans[i];
    }
    size_t len = sp ? strlen(sp->text) : 0;
    if (!c->o->mf || len < 3 || sp->text[0] != '$' || sp->text[len - 1] != '$')
        return 1;
    char tex[1024];
    if (len - 2 >= sizeof tex)
        return err_at(c->e, LB_EXIT_INPUT, svg_doc_name(c->doc), t->line,
                      t->col, "math label longer than %zu bytes", sizeof tex);
    memcpy(tex, sp->text + 1, len - 2);
    tex[len - 2] = '\0';
    lb_err me;
    int col = 0;
    err_clear(&me);
    math_box *b = math_layout(c->o->mf, tex, MATH_TEXT, sp->size, &col, &me);
    if (!b)
        return err_at(c->e, me.code ? me.code : LB_EXIT_INPUT,
                      svg_doc_name(c->doc), t->line, t->col,
                      "in math label $%s$: %s", tex, me.msg);
    double k = c->txt_k, x = t->x + sp->dx * k, y = t->y + sp->dy * k;
    if (t->anchor == SVG_ANCHOR_MIDDLE)
        x -= b->width * k / 2;
    else if (t->anchor == SVG_ANCHOR_END)
        x -= b->width * k;
    /* box space (pt, y up) -> text space -> user space */
    const double *m = t->m;
    double g[6] = {k, 0, 0, -k, x, y};
    double tm[6] = {m[0] * g[0] + m[2] * g[1], m[1] * g[0] + m[3] * g[1],
                    m[0] * g[2] + m[2] * g[3], m[1] * g[2] + m[3] * g[3],
                    m[0] * g[4] + m[2] * g[5] + m[4],
                    m[1] * g[4] + m[3] * g[5] + m[5]};
    svg_color f = sp->fill;
    if (!c->o->pdf)
        S_alpha(c, sp->opacity, 1, &f, NULL);
    else
        S_alpha(c, sp->opacity, 1, NULL, NULL);
    int rc = 0;
    c->st |= HPDF_Page_GSave(c->page);
    c->st |= HPDF_Page_Concat(c->page, (HPDF_REAL)tm[0], (HPDF_REAL)tm[1],
                              (HPDF_REAL)tm[2], (HPDF_REAL)tm[3],
                              (HPDF_REAL)tm[4], (HPDF_REAL)tm[5]);
    c->st |= HPDF_Page_SetRGBFill(c->page, (HPDF_REAL)f.r, (HPDF_REAL)f.g,
                                  (HPDF_REAL)f.b);
    if (c->st == HPDF_OK && sp->visible)
        rc = pdf_math_draw(c->pf, c->page, b, 0, 0, c->e);
    c->st |= HPDF_Page_GRestore(c->page);
    c->cur_fa = c->cur_sa = -1;    /* GRestore: ExtGState unknown */
    math_box_free(b);
    if (rc)
        return -1;
    return S_hpdf(c, "a math label");
}

/* Walk the spans: pass 0 measures each anchored chunk, pass 1 draws. */
static int S_text(S_ctx *c, const svg_text *t)
{
    int ml = S_math_label(c, t);
    if (ml <= 0)
        return ml;
    double k = c->txt_k;
    double x = t->x, y = t->y, width = 0;
    for (size_t i = 0; i < t->nspans; i++) {
        const svg_span *sp = &t->spans[i];
        if (sp->has_x || sp->has_y)
            return err_at(c->e, LB_EXIT_INPUT, svg_doc_name(c->doc), t->line,
                          t->col, "unsupported absolute x/y on a <tspan>");
        width += sp->dx * k;
        double w0 = 0;
        if (S_span(c, t, sp, &w0, 0, 0))
            return -1;
        width += w0;
    }
    if (t->anchor == SVG_ANCHOR_MIDDLE)
        x -= width / 2;
    else if (t->anchor == SVG_ANCHOR_END)
        x -= width;
    if (t->boxed && S_text_box(c, t, x, width))
        return -1;
    /* ExtGState cannot change inside BT/ET: one alpha per text element
     * (gnuplot gives all spans of a label the same colour) */
    double alpha = t->nspans ? t->spans[0].opacity : 1;
    if (c->o->pdf)
        S_alpha(c, alpha, 1, NULL, NULL);
    c->st |= HPDF_Page_BeginText(c->page);
    for (size_t i = 0; i < t->nspans && c->st == HPDF_OK; i++) {
        const svg_span *sp = &t->spans[i];
        svg_color f = sp->fill;
        x += sp->dx * k;
        y += sp->dy * k;
        if (!sp->text[0])
            continue;
        if (!c->o->pdf)
            S_alpha(c, sp->opacity, 1, &f, NULL);
        c->st |= HPDF_Page_SetRGBFill(c->page, (HPDF_REAL)f.r, (HPDF_REAL)f.g,
                                      (HPDF_REAL)f.b);
        if (S_span(c, t, sp, &x, y, 1)) {
            HPDF_Page_EndText(c->page);
            return -1;
        }
    }
    c->st |= HPDF_Page_EndText(c->page);
    return S_hpdf(c, "text");
}

/* ---- entry points ------------------------------------------------------------ */

int pdf_svg_draw_opts(pdf_fonts *pf, HPDF_Page page, const svg_doc *doc,
                      double x, double y_top, double width,
                      const pdf_svg_opts *opts, lb_err *e)
{
    static const pdf_svg_opts dflt = {0, NULL, NULL, NULL};
    S_ctx c;
    int rc = -1, clip = -1;
    memset(&c, 0, sizeof c);
    c.pf = pf;
    c.page = page;
    c.doc = doc;
    c.o = opts ? opts : &dflt;
    c.e = e;
    c.cur_fa = c.cur_sa = 1;
    if (!(width > 0) || !isfinite(width))
        return err_set(e, LB_EXIT_RUNTIME, "%s: bad figure width %g",
                       svg_doc_name(doc), width);
    c.s = width / svg_doc_width(doc);
    c.lw_k = (c.o->flags & PDF_SVG_SCALE_STROKES) ? 1 : 1 / c.s;
    c.txt_k = (c.o->flags & PDF_SVG_SCALE_TEXT) ? 1 : 1 / c.s;
    c.st |= HPDF_Page_GSave(page);
    c.st |= HPDF_Page_Concat(page, (HPDF_REAL)c.s, 0, 0, (HPDF_REAL)-c.s,
                             (HPDF_REAL)x, (HPDF_REAL)y_top);
    if (S_hpdf(&c, "the figure frame"))
        goto out;
    for (size_t i = 0; i < svg_doc_count(doc); i++) {
        const svg_item *it = svg_doc_item(doc, i);
        if (it->clip != clip) {
            if (clip >= 0 && !S_clip_empty(doc, clip)) {
                c.st |= HPDF_Page_GRestore(page);
                c.cur_fa = c.cur_sa = -1;   /* ExtGState now unknown */
            }
            clip = -1;
            if (it->clip >= 0 && !S_clip_empty(doc, it->clip)) {
                if (S_clip(&c, it->clip))
                    goto out;
            }
            clip = it->clip;
        }
        if (it->clip >= 0 && S_clip_empty(doc, it->clip))
            continue;
        if (it->kind == SVG_ITEM_PATH ? S_path(&c, &it->path)
                                      : S_text(&c, &it->text))
            goto out;
    }
    if (clip >= 0 && !S_clip_empty(doc, clip))
        c.st |= HPDF_Page_GRestore(page);
    clip = -1;
    rc = S_hpdf(&c, "the figure");
out:
    if (clip >= 0 && !S_clip_empty(doc, clip))
        HPDF_Page_GRestore(page);
    HPDF_Page_GRestore(page);
    return rc;
}

int pdf_svg_draw(pdf_fonts *pf, HPDF_Page page, const svg_doc *doc,
                 double x, double y_top, double width, lb_err *e)
{
    return pdf_svg_draw_opts(pf, page, doc, x, y_top, width, NULL, e);
}
