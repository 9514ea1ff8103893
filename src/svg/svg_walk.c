/* svg_walk — pass 2 of the SVG reader: walk the element tree with the
 * cascade (svg_style.c), resolve <use> and clip-path references through an
 * id index, and append path/text items and clip regions to the document.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "svg/svg_int.h"

static int S_limit(svg_walker *w, const svg_node *n, int rc)
{
    if (rc == SVG_E_NOMEM)
        return err_nomem(w->e);
    if (rc == SVG_E_RANGE)
        return svg_werr(w, n, "coordinate beyond +-30000 user units in <%s>%s",
                        n->name, "");
    return svg_werr(w, n, "drawing too large (more than %s segments)%s",
                 "4000000", "");
}

/* ---- building items ---------------------------------------------------- */

static svg_item *S_new_item(svg_walker *w, const svg_node *n, svg_fix **fix)
{
    svg_doc *d = w->d;
    if (d->nitems >= SVG_MAX_ITEMS) {
        svg_werr(w, n, "drawing too large (more than %s items)%s", "1000000", "");
        return NULL;
    }
    if (d->nitems == d->icap) {
        size_t nc = d->icap ? d->icap * 2 : 256;
        svg_item *ni = realloc(d->items, nc * sizeof *ni);
        if (!ni) {
            err_nomem(w->e);
            return NULL;
        }
        d->items = ni;
        svg_fix *nf = realloc(d->fix, nc * sizeof *nf);
        if (!nf) {
            err_nomem(w->e);
            return NULL;
        }
        d->fix = nf;
        d->icap = nc;
    }
    svg_item *it = &d->items[d->nitems];
    memset(it, 0, sizeof *it);
    *fix = &d->fix[d->nitems];
    (*fix)->seg = (*fix)->dash = (*fix)->span = 0;
    d->nitems++;
    return it;
}

/* Mean scale of a matrix: how a stroke width grows under it. */
static double S_mat_scale(const double m[6])
{
    return sqrt(fabs(m[0] * m[3] - m[1] * m[2]));
}

static void S_resolve(const svg_paint *p, const svg_color *current, int *has,
                      svg_color *out)
{
    static const svg_color black = {0, 0, 0};
    *has = p->kind != SVG_PAINT_NONE;
    *out = p->kind == SVG_PAINT_CURRENT ? *current
         : p->kind == SVG_PAINT_COLOR ? p->c : black;
}

/* Geometry already appended from segment index `start`: wrap it as a path
 * item with the style `st` under matrix `m`. */
static int S_path_item(svg_walker *w, const svg_node *n, const svg_style *st,
                       const double m[6], size_t start, int can_fill)
{
    svg_doc *d = w->d;
    if (d->segs.n == start || st->hidden)
        goto drop;
    svg_path pa;
    memset(&pa, 0, sizeof pa);
    S_resolve(&st->fill, &st->color, &pa.has_fill, &pa.fill);
    S_resolve(&st->stroke, &st->color, &pa.has_stroke, &pa.stroke);
    pa.has_fill &= can_fill;
    double sc = S_mat_scale(m);
    pa.stroke_width = st->sw * sc;
    if (pa.stroke_width <= 0)
        pa.has_stroke = 0;
    pa.fill_opacity = st->fill_op * st->opacity;
    pa.stroke_opacity = st->stroke_op * st->opacity;
    pa.fill_rule = st->fill_rule;
    pa.linecap = st->cap;
    pa.linejoin = st->join;
    pa.miterlimit = st->miter;
    pa.dash_offset = st->dash_off * sc;
    if (!pa.has_fill && !pa.has_stroke)
        goto drop;
    svg_fix *fx;
    svg_item *it = S_new_item(w, n, &fx);
    if (!it)
        return -1;
    it->kind = SVG_ITEM_PATH;
    it->clip = st->clip;
    fx->seg = start;
    pa.nsegs = d->segs.n - start;
    if (st->ndash && pa.has_stroke) {
        if (d->ndash + (size_t)st->ndash > d->dcap) {
            size_t nc = d->dcap ? d->dcap * 2 : 256;
            while (nc < d->ndash + (size_t)st->ndash)
                nc *= 2;
            double *nd = realloc(d->dash, nc * sizeof *nd);
            if (!nd)
                return err_nomem(w->e);
            d->dash = nd;
            d->dcap = nc;
        }
        fx->dash = d->ndash;
        for (int i = 0; i < st->ndash; i++)
            d->dash[d->ndash++] = st->dash[i] * sc;
        pa.ndash = (size_t)st->ndash;
    }
    it->path = pa;
    return 0;
drop:
    d->segs.n = start;   /* invisible: forget its geometry */
    return 0;
}

/* Geometry of a basic shape or path element into the segment buffer. */
static int S_shape_geom(svg_walker *w, const svg_node *n, const double m[6],
                        int *can_fill)
{
    svg_segbuf *b = &w->d->segs;
    const char *nm = n->name;
    int rc = SVG_OK;
    double x, y, wd, ht, rx, ry;
    *can_fill = 1;
    if (!strcmp(nm, "path")) {
        const char *dd = svg_attr(n, "d");
        size_t off = 0;
        if (!dd)
            return 0;   /* no data: renders nothing (SVG) */
        rc = svg_path_data(dd, m, b, &off);
        if (rc == SVG_E_SYNTAX) {
            char at[32];
            snprintf(at, sizeof at, "%zu", off);
            return svg_werr(w, n, "bad path data at offset %s of d='%.40s'", at,
                         dd);
        }
    } else if (!strcmp(nm, "polyline") || !strcmp(nm, "polygon")) {
        const char *pts = svg_attr(n, "points");
        if (!pts)
            return 0;
        rc = svg_points(pts, nm[4] == 'g', m, b);
        if (rc == SVG_E_SYNTAX)
            return svg_werr(w, n, "bad points list in <%s>%s", nm, "");
    } else if (!strcmp(nm, "rect")) {
        if (svg_num_attr(w, n, "x", 0, &x) || svg_num_attr(w, n, "y", 0, &y) ||
            svg_num_attr(w, n, "width", 0, &wd) ||
            svg_num_attr(w, n, "height", 0, &ht) ||
            svg_num_attr(w, n, "rx", 0, &rx) || svg_num_attr(w, n, "ry", 0, &ry))
            return -1;
        if (wd < 0 || ht < 0)
            return svg_werr(w, n, "negative width or height in <%s>%s", nm, "");
        if (rx != 0 || ry != 0)
            return svg_werr(w, n, "unsupported rounded corners on <%s>%s", nm, "");
        if (wd > 0 && ht > 0)
            svg_rect_segs(x, y, wd, ht, m, b, &rc);
    } else if (!strcmp(nm, "circle") || !strcmp(nm, "ellipse")) {
        if (svg_num_attr(w, n, "cx", 0, &x) || svg_num_attr(w, n, "cy", 0, &y))
            return -1;
        if (nm[0] == 'c') {
            if (svg_num_attr(w, n, "r", 0, &rx))
                return -1;
            ry = rx;
        } else if (svg_num_attr(w, n, "rx", 0, &rx) ||
                   svg_num_attr(w, n, "ry", 0, &ry)) {
            return -1;
        }
        if (rx < 0 || ry < 0)
            return svg_werr(w, n, "negative radius in <%s>%s", nm, "");
        if (rx > 0 && ry > 0)
            svg_ellipse_segs(x, y, rx, ry, m, b, &rc);
    } else if (!strcmp(nm, "line")) {
        double x2, y2;
        if (svg_num_attr(w, n, "x1", 0, &x) || svg_num_attr(w, n, "y1", 0, &y) ||
            svg_num_attr(w, n, "x2", 0, &x2) || svg_num_attr(w, n, "y2", 0, &y2))
            return -1;
        rc = svg_segbuf_push(b, SVG_SEG_MOVE, m, 0, 0, 0, 0, x, y);
        if (!rc)
            rc = svg_segbuf_push(b, SVG_SEG_LINE, m, 0, 0, 0, 0, x2, y2);
        *can_fill = 0;
    }
    if (rc)
        return S_limit(w, n, rc);
    return 0;
}

static int S_is_shape(const char *nm)
{
    return !strcmp(nm, "path") || !strcmp(nm, "polyline") ||
           !strcmp(nm, "polygon") || !strcmp(nm, "rect") ||
           !strcmp(nm, "circle") || !strcmp(nm, "ellipse") ||
           !strcmp(nm, "line");
}

/* A clip region for clip-path="url(#id)" used under matrix `m`. */
static int S_make_clip(svg_walker *w, const svg_node *ref, const char *url,
                       const double m[6], int parent, svg_arena *tmp)
{
    svg_doc *d = w->d;
    const svg_node *cp = svg_url(w, ref, "clip-path", url);
    if (!cp)
        return -1;
    if (strcmp(cp->name, "clipPath"))
        return svg_werr(w, ref, "clip-path references <%s>, not <clipPath>%s",
                     cp->name, "");
    const char *units = svg_attr(cp, "clipPathUnits");
    if (units && strcmp(units, "userSpaceOnUse"))
        return svg_werr(w, cp, "unsupported clipPathUnits '%s'%s", units, "");
    double cm[6], lm[6];
    const char *tr = svg_attr(cp, "transform");
    if (tr && svg_transform(tr, lm))
        return svg_werr(w, cp, "bad transform '%s'%s", tr, "");
    if (tr)
        svg_mat_mul(cm, m, lm);
    else
        memcpy(cm, m, sizeof cm);
    size_t start = d->segs.n;
    int rule = SVG_RULE_NONZERO;
    for (const svg_node *c = cp->first; c; c = c->next) {
        if (!c->name || !strcmp(c->name, "title") || !strcmp(c->name, "desc"))
            continue;
        if (!S_is_shape(c->name))
            return svg_werr(w, c, "unsupported <%s> inside <clipPath>%s", c->name,
                         "");
        svg_style st;
        memset(&st, 0, sizeof st);
        const char *inner_clip;
        int dn, can_fill;
        if (svg_element_style(w, c, &st, tmp, &inner_clip, &dn))
            return -1;
        if (inner_clip)
            return svg_werr(w, c, "unsupported clip-path inside <clipPath>%s%s",
                         "", "");
        if (dn)
            continue;
        rule = st.clip_rule;
        double em[6];
        const char *ct = svg_attr(c, "transform");
        if (ct && svg_transform(ct, lm))
            return svg_werr(w, c, "bad transform '%s'%s", ct, "");
        if (ct)
            svg_mat_mul(em, cm, lm);
        else
            memcpy(em, cm, sizeof em);
        if (S_shape_geom(w, c, em, &can_fill))
            return -1;
    }
    if (d->nclips == d->ccap) {
        size_t nc = d->ccap ? d->ccap * 2 : 16;
        svg_clip *ncl = realloc(d->clips, nc * sizeof *ncl);
        if (!ncl)
            return err_nomem(w->e);
        d->clips = ncl;
        size_t *nf = realloc(d->clipfix, nc * sizeof *nf);
        if (!nf)
            return err_nomem(w->e);
        d->clipfix = nf;
        d->ccap = nc;
    }
    svg_clip *c = &d->clips[d->nclips];
    c->segs = NULL;
    c->nsegs = d->segs.n - start;
    c->rule = rule;
    c->parent = parent;
    d->clipfix[d->nclips] = start;
    return (int)d->nclips++;
}

/* ---- text ---------------------------------------------------------------- */

typedef struct S_tb {
    size_t first;                 /* first span of this <text> */
    double dx, dy, x, y;          /* pending shifts / absolute position */
    int has_x, has_y;
    const char *fam_in;           /* last family seen (tree string) */
    const char *fam_out;          /* ... and its copy in the doc arena */
} S_tb;

/* First font in a family list, without quotes. */
static const char *S_family(svg_walker *w, S_tb *tb, const char *f)
{
    if (tb->fam_out && f == tb->fam_in)
        return tb->fam_out;
    const char *p = svg_skip_ws(f ? f : "serif", 0);
    size_t len = strcspn(p, ",");
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    if (len >= 2 && (p[0] == '\'' || p[0] == '"') && p[len - 1] == p[0]) {
        p++;
        len -= 2;
    }
    const char *out = svg_arena_strndup(&w->d->ar, p, len);
    if (out) {
        tb->fam_in = f;
        tb->fam_out = out;
    }
    return out;
}

static int S_push_span(svg_walker *w, const svg_node *n, const svg_style *st, S_tb *tb,
                       const char *raw)
{
    svg_doc *d = w->d;
    size_t rl = strlen(raw);
    if (rl + 1 > w->tbcap) {
        char *nb = realloc(w->tb, rl + 1);
        if (!nb)
            return err_nomem(w->e);
        w->tb = nb;
        w->tbcap = rl + 1;
    }
    /* XML whitespace: default mode drops newlines, turns tabs into spaces,
     * collapses runs and strips leading space of the element (trailing space
     * is stripped when the element ends); "preserve" keeps every space. */
    size_t o = 0;
    for (size_t i = 0; i < rl; i++) {
        char c = raw[i];
        if (st->preserve) {
            w->tb[o++] = (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
            w->prev_space = 0;
            continue;
        }
        if (c == '\n' || c == '\r')
            continue;
        if (c == '\t')
            c = ' ';
        if (c == ' ' && w->prev_space)
            continue;
        w->tb[o++] = c;
        w->prev_space = c == ' ';
    }
    if (d->nspans >= SVG_MAX_ITEMS)
        return svg_werr(w, n, "too many text spans%s%s", "", "");
    if (d->nspans == d->scap) {
        size_t nc = d->scap ? d->scap * 2 : 128;
        svg_span *ns = realloc(d->spans, nc * sizeof *ns);
        if (!ns)
            return err_nomem(w->e);
        d->spans = ns;
        d->scap = nc;
    }
    svg_span *sp = &d->spans[d->nspans];
    memset(sp, 0, sizeof *sp);
    sp->text = svg_arena_strndup(&d->ar, w->tb, o);
    sp->family = S_family(w, tb, st->family);
    if (!sp->text || !sp->family)
        return err_nomem(w->e);
    sp->size = st->fsize;
    sp->bold = st->bold;
    sp->italic = st->italic;
    int has;
    S_resolve(&st->fill, &st->color, &has, &sp->fill);
    sp->visible = has && !st->hidden;
    sp->opacity = st->fill_op * st->opacity;
    sp->has_x = tb->has_x;
    sp->has_y = tb->has_y;
    sp->x = tb->x;
    sp->y = tb->y;
    sp->dx = tb->dx;
    sp->dy = tb->dy;
    tb->has_x = tb->has_y = 0;
    tb->dx = tb->dy = 0;
    d->nspans++;
    return 0;
}

/* x/y/dx/dy of <text>/<tspan>: one value, px or em. */
static int S_text_pos(svg_walker *w, const svg_node *n, const svg_style *st, S_tb *tb)
{
    static const char *const names[] = {"x", "y", "dx", "dy"};
    for (int i = 0; i < 4; i++) {
        const char *v = svg_attr(n, names[i]);
        double x;
        if (!v)
            continue;
        const char *p = svg_num(svg_skip_ws(v, 0), &x);
        if (p && p[0] == 'p' && p[1] == 'x')
            p += 2;
        else if (p && p[0] == 'e' && p[1] == 'm') {
            x *= st->fsize;
            p += 2;
        }
        if (!p || *svg_skip_ws(p, 0))
            return svg_werr(w, n, "unsupported %s value '%s' (one number, px or "
                         "em)", names[i], v);
        switch (i) {
        case 0: tb->x = x; tb->has_x = 1; tb->dx = 0; break;
        case 1: tb->y = x; tb->has_y = 1; tb->dy = 0; break;
        case 2: tb->dx += x; break;
        case 3: tb->dy += x; break;
        }
    }
    return 0;
}

static int S_text_content(svg_walker *w, const svg_node *parent, const svg_style *st,
                          S_tb *tb, svg_arena *tmp)
{
    for (const svg_node *c = parent->first; c; c = c->next) {
        if (++w->visits > SVG_MAX_VISITS)
            return svg_werr(w, c, "drawing too large%s%s", "", "");
        if (!c->name) {
            if (S_push_span(w, c, st, tb, c->text))
                return -1;
            continue;
        }
        if (!strcmp(c->name, "title") || !strcmp(c->name, "desc"))
            continue;
        if (strcmp(c->name, "tspan"))
            return svg_werr(w, c, "unsupported SVG element <%s> inside <text>%s",
                         c->name, "");
        svg_style s2 = *st;
        const char *clip;
        int dn;
        if (svg_element_style(w, c, &s2, tmp, &clip, &dn))
            return -1;
        if (clip || svg_attr(c, "transform"))
            return svg_werr(w, c, "unsupported %s on <tspan>%s",
                         clip ? "clip-path" : "transform", "");
        if (dn)
            continue;
        if (S_text_pos(w, c, &s2, tb))
            return -1;
        size_t before = w->d->nspans;
        if (S_text_content(w, c, &s2, tb, tmp))
            return -1;
        if (w->d->nspans == before && (tb->dx || tb->dy || tb->has_x || tb->has_y)) {
            /* an empty <tspan> still moves the pen (gnuplot ends enhanced
             * text with one that restores the baseline) */
            if (S_push_span(w, c, &s2, tb, ""))
                return -1;
        }
    }
    return 0;
}

static int S_text(svg_walker *w, const svg_node *n, const svg_style *st,
                  const double m[6], svg_arena *tmp)
{
    svg_doc *d = w->d;
    S_tb tb;
    memset(&tb, 0, sizeof tb);
    tb.first = d->nspans;
    if (S_text_pos(w, n, st, &tb))
        return -1;
    double x0 = tb.has_x ? tb.x : 0, y0 = tb.has_y ? tb.y : 0;
    tb.has_x = tb.has_y = 0;
    w->prev_space = 1;
    if (S_text_content(w, n, st, &tb, tmp))
        return -1;
    /* strip the trailing space of the element (default xml:space) */
    int any = 0;
    for (size_t i = d->nspans; i > tb.first; i--) {
        svg_span *sp = &d->spans[i - 1];
        size_t l = strlen(sp->text);
        if (!l)
            continue;
        if (w->prev_space && sp->text[l - 1] == ' ')
            ((char *)sp->text)[l - 1] = '\0';
        break;
    }
    for (size_t i = tb.first; i < d->nspans; i++)
        any |= d->spans[i].text[0] != '\0';
    if (!any || st->hidden) {
        d->nspans = tb.first;
        return 0;
    }
    for (int i = 0; i < 6; i++)
        if (!(fabs(m[i]) <= SVG_MAX_COORD))
            return svg_werr(w, n, "text position beyond +-30000 user units%s%s",
                            "", "");
    svg_fix *fx;
    svg_item *it = S_new_item(w, n, &fx);
    if (!it)
        return -1;
    it->kind = SVG_ITEM_TEXT;
    it->clip = st->clip;
    memcpy(it->text.m, m, sizeof it->text.m);
    it->text.x = x0;
    it->text.y = y0;
    it->text.anchor = st->anchor;
    it->text.boxed = st->boxed;
    it->text.box_color = st->box_color;
    it->text.box_opacity = st->box_opacity * st->opacity;
    it->text.nspans = d->nspans - tb.first;
    it->text.line = n->line;
    it->text.col = n->col;
    fx->span = tb.first;
    return 0;
}

/* ---- the element walk ------------------------------------------------------ */

/* Definitions and descriptions: not drawn where they stand. */
static const char *const S_skip[] = {
    "defs", "clipPath", "filter", "pattern", "linearGradient",
    "radialGradient", "marker", "symbol", "mask", "title", "desc",
    "metadata", "script", NULL,
};

int svg_node_walk(svg_walker *w, const svg_node *n, const svg_style *parent,
                       const double ctm[6], svg_arena *tmp)
{
    if (!n->name)
        return 0;
    if (++w->visits > SVG_MAX_VISITS)
        return svg_werr(w, n, "drawing too large (too many elements after <use> "
                     "expansion)%s%s", "", "");
    const char *nm = n->name;
    for (size_t i = 0; S_skip[i]; i++)
        if (!strcmp(nm, S_skip[i]))
            return 0;
    int is_group = !strcmp(nm, "g") || !strcmp(nm, "a") ||
                   (!strcmp(nm, "svg") && !n->parent);
    int is_use = !strcmp(nm, "use");
    int is_shape = S_is_shape(nm);
    int is_text = !strcmp(nm, "text");
    if (!is_group && !is_use && !is_shape && !is_text)
        return svg_werr(w, n, "unsupported SVG element <%s>%s", nm, "");

    svg_style st = *parent;
    const char *clip;
    int dn;
    if (svg_element_style(w, n, &st, tmp, &clip, &dn))
        return -1;
    if (dn)
        return 0;
    double m[6], lm[6];
    const char *tr = svg_attr(n, "transform");
    memcpy(m, ctm, sizeof m);
    if (tr) {
        if (svg_transform(tr, lm))
            return svg_werr(w, n, "bad or unsupported transform '%s'%s", tr, "");
        svg_mat_mul(m, ctm, lm);
    }
    if (clip) {
        int ci = S_make_clip(w, n, clip, m, st.clip, tmp);
        if (ci < 0)
            return -1;
        st.clip = ci;
    }
    if (is_group) {
        for (const svg_node *c = n->first; c; c = c->next)
            if (svg_node_walk(w, c, &st, m, tmp))
                return -1;
        return 0;
    }
    if (is_use) {
        const char *href = svg_attr(n, "xlink:href");
        if (!href)
            href = svg_attr(n, "href");
        if (!href || href[0] != '#')
            return svg_werr(w, n, "<use> needs a local reference href=\"#id\", "
                         "got '%s'%s", href ? href : "", "");
        const svg_node *t = svg_find_id(w, href + 1);
        if (!t)
            return svg_werr(w, n, "<use> references unknown id '%s'%s", href + 1,
                         "");
        if (!strcmp(t->name, "svg") || !strcmp(t->name, "symbol"))
            return svg_werr(w, n, "unsupported <use> of <%s>%s", t->name, "");
        if (w->use_depth >= SVG_MAX_USE_DEPTH)
            return svg_werr(w, n, "<use> references nested deeper than %s (a "
                         "cycle?)%s", "8", "");
        double x, y;
        if (svg_num_attr(w, n, "x", 0, &x) || svg_num_attr(w, n, "y", 0, &y))
            return -1;
        double tm[6] = {1, 0, 0, 1, x, y};
        svg_mat_mul(m, m, tm);
        /* the referenced element is drawn as if it were a child of <use>,
         * but it must not take part in the walk of its own definition
         * siblings: walk just that node */
        w->use_depth++;
        int r = svg_node_walk(w, t, &st, m, tmp);
        w->use_depth--;
        return r;
    }
    if (is_shape) {
        size_t start = w->d->segs.n;
        int can_fill;
        if (S_shape_geom(w, n, m, &can_fill))
            return -1;
        return S_path_item(w, n, &st, m, start, can_fill);
    }
    return S_text(w, n, &st, m, tmp);
}

/* Canvas size and the root matrix from width/height/viewBox. */
