/* svg — gnuplot SVG -> drawing list.  See svg.h for the contract.
 *
 * Two passes: expat builds a small element tree (names, attributes, the
 * character data of <text>), then one walk applies SVG's cascade (inherited
 * presentation attributes and style="" declarations), transforms, <use>
 * references and clip paths, and appends items to the document.  A tree
 * (rather than a streaming walk) is needed because <use> and clip-path may
 * reference elements defined later in the file.  The tree lives in its own
 * arena and is freed before svg_parse_* returns.
 */
#include <expat.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "svg.h"
#include "svg_int.h"

#define S_MAX_DASH 32
#define S_MAX_VISITS 8000000u   /* element visits incl. <use> expansion */

/* ---- arena: many small strings/nodes, one free ---------------------------- */

typedef struct S_blk {
    struct S_blk *next;
    size_t used, cap;
} S_blk;

typedef struct S_arena {
    S_blk *head;
} S_arena;

static void *S_alloc(S_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        S_blk *b = malloc(sizeof(S_blk) + 16 + cap);
        if (!b)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    /* data starts at the first 16-byte boundary after the header */
    uintptr_t base = ((uintptr_t)(a->head + 1) + 15) & ~(uintptr_t)15;
    void *p = (char *)base + a->head->used;
    a->head->used += n;
    return p;
}

static char *S_strndup(S_arena *a, const char *s, size_t n)
{
    char *p = S_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void S_arena_free(S_arena *a)
{
    S_blk *b = a->head;
    while (b) {
        S_blk *nx = b->next;
        free(b);
        b = nx;
    }
    a->head = NULL;
}

/* ---- the document ---------------------------------------------------------- */

typedef struct S_fix {            /* offsets into the growing arrays, turned */
    size_t seg, dash, span;       /* into pointers once nothing moves */
} S_fix;

struct svg_doc {
    char *name;
    double width, height;
    S_arena ar;                   /* span strings */
    svg_item *items;
    S_fix *fix;
    size_t nitems, icap;
    svg_segbuf segs;
    double *dash;
    size_t ndash, dcap;
    svg_span *spans;
    size_t nspans, scap;
    svg_clip *clips;
    size_t *clipfix;
    size_t nclips, ccap;
};

void svg_doc_free(svg_doc *d)
{
    if (!d)
        return;
    free(d->name);
    S_arena_free(&d->ar);
    free(d->items);
    free(d->fix);
    free(d->segs.v);
    free(d->dash);
    free(d->spans);
    free(d->clips);
    free(d->clipfix);
    free(d);
}

double svg_doc_width(const svg_doc *d) { return d->width; }
double svg_doc_height(const svg_doc *d) { return d->height; }
const char *svg_doc_name(const svg_doc *d) { return d->name; }
size_t svg_doc_count(const svg_doc *d) { return d->nitems; }
size_t svg_doc_clip_count(const svg_doc *d) { return d->nclips; }

const svg_item *svg_doc_item(const svg_doc *d, size_t i)
{
    return i < d->nitems ? &d->items[i] : NULL;
}

const svg_clip *svg_doc_clip(const svg_doc *d, int i)
{
    return i >= 0 && (size_t)i < d->nclips ? &d->clips[i] : NULL;
}

/* ---- pass 1: expat -> tree ------------------------------------------------- */

typedef struct S_node {
    const char *name;             /* NULL for character data */
    const char **attr;            /* name, value, ..., NULL */
    const char *text;             /* character data when name == NULL */
    int line, col;
    struct S_node *parent, *first, *last, *next;
} S_node;

typedef struct S_parse {
    XML_Parser xp;
    S_arena *ar;
    const char *name;
    lb_err *e;
    S_node *root, *cur;
    int depth;
    size_t nelem;
    char *tbuf;                   /* pending character data (malloc) */
    size_t tlen, tcap;
    int tline, tcol;
    int failed;
} S_parse;

static void S_fail(S_parse *p, int code, int line, int col, const char *fmt,
                   const char *arg)
{
    if (!p->failed) {
        err_at(p->e, code, p->name, line, col, fmt, arg);
        p->failed = 1;
    }
    XML_StopParser(p->xp, XML_FALSE);
}

static int S_line(S_parse *p) { return (int)XML_GetCurrentLineNumber(p->xp); }
static int S_col(S_parse *p) { return (int)XML_GetCurrentColumnNumber(p->xp) + 1; }

static void S_attach(S_parse *p, S_node *n)
{
    n->parent = p->cur;
    if (p->cur) {
        if (p->cur->last)
            p->cur->last->next = n;
        else
            p->cur->first = n;
        p->cur->last = n;
    }
}

static void S_flush_text(S_parse *p)
{
    if (!p->tlen || p->failed)
        return;
    S_node *n = S_alloc(p->ar, sizeof *n);
    char *t = n ? S_strndup(p->ar, p->tbuf, p->tlen) : NULL;
    if (!t) {
        S_fail(p, LB_EXIT_RUNTIME, 0, 0, "%sout of memory", "");
        return;
    }
    memset(n, 0, sizeof *n);
    n->text = t;
    n->line = p->tline;
    n->col = p->tcol;
    S_attach(p, n);
    p->tlen = 0;
}

static void XMLCALL S_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    S_parse *p = ud;
    if (p->failed)
        return;
    S_flush_text(p);
    if (++p->depth > SVG_MAX_DEPTH) {
        S_fail(p, LB_EXIT_INPUT, S_line(p), S_col(p),
               "elements nested deeper than %s levels", "64");
        return;
    }
    if (++p->nelem > SVG_MAX_ELEMENTS) {
        S_fail(p, LB_EXIT_INPUT, S_line(p), S_col(p),
               "more than %s elements", "500000");
        return;
    }
    size_t na = 0;
    while (atts[na])
        na++;
    S_node *n = S_alloc(p->ar, sizeof *n);
    const char **a = n ? S_alloc(p->ar, (na + 1) * sizeof *a) : NULL;
    const char *nm = a ? S_strndup(p->ar, name, strlen(name)) : NULL;
    if (!nm) {
        S_fail(p, LB_EXIT_RUNTIME, 0, 0, "%sout of memory", "");
        return;
    }
    for (size_t i = 0; i < na; i++) {
        a[i] = S_strndup(p->ar, atts[i], strlen(atts[i]));
        if (!a[i]) {
            S_fail(p, LB_EXIT_RUNTIME, 0, 0, "%sout of memory", "");
            return;
        }
    }
    a[na] = NULL;
    memset(n, 0, sizeof *n);
    n->name = nm;
    n->attr = a;
    n->line = S_line(p);
    n->col = S_col(p);
    S_attach(p, n);
    if (!p->root)
        p->root = n;
    p->cur = n;
}

static void XMLCALL S_end(void *ud, const XML_Char *name)
{
    S_parse *p = ud;
    (void)name;
    if (p->failed)
        return;
    S_flush_text(p);
    p->depth--;
    if (p->cur)
        p->cur = p->cur->parent;
}

static void XMLCALL S_chars(void *ud, const XML_Char *s, int len)
{
    S_parse *p = ud;
    if (p->failed || !p->cur || len <= 0)
        return;
    /* Only text content is kept; whitespace between elements is noise. */
    if (strcmp(p->cur->name, "text") != 0 && strcmp(p->cur->name, "tspan") != 0)
        return;
    if (!p->tlen) {
        p->tline = S_line(p);
        p->tcol = S_col(p);
    }
    if (p->tlen + (size_t)len + 1 > p->tcap) {
        size_t ncap = p->tcap ? p->tcap : 256;
        while (ncap < p->tlen + (size_t)len + 1)
            ncap *= 2;
        char *nb = realloc(p->tbuf, ncap);
        if (!nb) {
            S_fail(p, LB_EXIT_RUNTIME, 0, 0, "%sout of memory", "");
            return;
        }
        p->tbuf = nb;
        p->tcap = ncap;
    }
    memcpy(p->tbuf + p->tlen, s, (size_t)len);
    p->tlen += (size_t)len;
}

/* Entities could expand without bound ("billion laughs") and gnuplot never
 * declares any: refuse the whole DTD entity mechanism. */
static void XMLCALL S_entity_decl(void *ud, const XML_Char *name, int pe,
                                  const XML_Char *value, int vlen,
                                  const XML_Char *base, const XML_Char *sys,
                                  const XML_Char *pub, const XML_Char *notation)
{
    S_parse *p = ud;
    (void)pe; (void)value; (void)vlen; (void)base; (void)sys; (void)pub;
    (void)notation;
    S_fail(p, LB_EXIT_INPUT, S_line(p), S_col(p),
           "unsupported DTD entity declaration '%s'", name);
}

static S_node *S_build_tree(const char *buf, size_t len, const char *name,
                            S_arena *ar, lb_err *e)
{
    S_parse p;
    memset(&p, 0, sizeof p);
    p.ar = ar;
    p.name = name;
    p.e = e;
    p.xp = XML_ParserCreate("UTF-8");
    if (!p.xp) {
        err_nomem(e);
        return NULL;
    }
    XML_SetUserData(p.xp, &p);
    XML_SetElementHandler(p.xp, S_start, S_end);
    XML_SetCharacterDataHandler(p.xp, S_chars);
    XML_SetEntityDeclHandler(p.xp, S_entity_decl);
    if (XML_Parse(p.xp, buf, (int)len, XML_TRUE) == XML_STATUS_ERROR &&
        !p.failed) {
        err_at(e, LB_EXIT_INPUT, name, S_line(&p), S_col(&p),
               "malformed XML: %s", XML_ErrorString(XML_GetErrorCode(p.xp)));
        p.failed = 1;
    }
    if (!p.failed && !p.root) {
        err_at(e, LB_EXIT_INPUT, name, 0, 0, "no root element");
        p.failed = 1;
    }
    XML_ParserFree(p.xp);
    free(p.tbuf);
    return p.failed ? NULL : p.root;
}

/* ---- pass 2: the walk ------------------------------------------------------ */

static const char *S_attr(const S_node *n, const char *name)
{
    for (const char **a = n->attr; a && a[0]; a += 2)
        if (strcmp(a[0], name) == 0)
            return a[1];
    return NULL;
}

typedef struct S_style {
    svg_paint fill, stroke;
    svg_color color;
    double fill_op, stroke_op, opacity;
    double sw, miter, dash_off;
    int cap, join, fill_rule, clip_rule;
    double dash[S_MAX_DASH];
    int ndash;                    /* 0 = solid */
    const char *family;           /* points into the tree arena */
    double fsize;
    int bold, italic, anchor;
    int preserve;                 /* xml:space="preserve" */
    int hidden;                   /* visibility hidden/collapse */
    int clip;                     /* active clip index or -1 */
} S_style;

typedef struct S_id {
    const char *id;
    const S_node *n;
    size_t order;
} S_id;

typedef struct S_walk {
    svg_doc *d;
    const char *name;
    lb_err *e;
    S_id *ids;
    size_t nids;
    size_t visits;
    int use_depth;
    /* text being built */
    char *tb;
    size_t tbcap;
    int prev_space;
} S_walk;

static int S_err(S_walk *w, const S_node *n, const char *fmt, const char *a,
                 const char *b)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a, b);
    return err_at(w->e, LB_EXIT_INPUT, w->name, n ? n->line : 0,
                  n ? n->col : 0, "%s", msg);
}

static int S_limit(S_walk *w, const S_node *n, int rc)
{
    if (rc == SVG_E_NOMEM)
        return err_nomem(w->e);
    return S_err(w, n, "drawing too large (more than %s segments)%s",
                 "4000000", "");
}

static int S_id_cmp(const void *a, const void *b)
{
    const S_id *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int S_index_ids(S_walk *w, const S_node *root)
{
    size_t cap = 0;
    /* iterative pre-order walk: the tree is at most SVG_MAX_DEPTH deep but
     * a loop keeps the stack flat anyway */
    const S_node *n = root;
    size_t order = 0;
    while (n) {
        const char *id = n->name ? S_attr(n, "id") : NULL;
        if (id) {
            if (w->nids == cap) {
                size_t nc = cap ? cap * 2 : 64;
                S_id *ni = realloc(w->ids, nc * sizeof *ni);
                if (!ni)
                    return err_nomem(w->e);
                w->ids = ni;
                cap = nc;
            }
            w->ids[w->nids].id = id;
            w->ids[w->nids].n = n;
            w->ids[w->nids].order = order;
            w->nids++;
        }
        order++;
        if (n->first) {
            n = n->first;
        } else {
            while (n && !n->next)
                n = n->parent;
            if (n)
                n = n->next;
        }
    }
    if (w->nids)
        qsort(w->ids, w->nids, sizeof *w->ids, S_id_cmp);
    return 0;
}

static const S_node *S_find_id(S_walk *w, const char *id)
{
    size_t lo = 0, hi = w->nids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(w->ids[mid].id, id);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->nids && strcmp(w->ids[lo].id, id) == 0 ? w->ids[lo].n : NULL;
}

/* "url(#name)" -> element, or NULL with an error. */
static const S_node *S_url(S_walk *w, const S_node *n, const char *prop,
                           const char *v)
{
    char id[256];
    v = svg_skip_ws(v, 0);
    const char *end = strchr(v, ')');
    size_t len = end ? (size_t)(end - v) : 0;
    if (strncmp(v, "url(#", 5) != 0 || !end || len - 5 >= sizeof id ||
        *svg_skip_ws(end + 1, 0)) {
        S_err(w, n, "bad %s value '%s' (expected url(#id))", prop, v);
        return NULL;
    }
    memcpy(id, v + 5, len - 5);
    id[len - 5] = '\0';
    const S_node *t = S_find_id(w, id);
    if (!t)
        S_err(w, n, "%s references unknown id '%s'", prop, id);
    return t;
}

/* ---- properties ------------------------------------------------------------ */

static int S_opacity(const char *v, double *out)
{
    double x;
    if (svg_length(v, &x))
        return SVG_E_SYNTAX;
    *out = x < 0 ? 0 : x > 1 ? 1 : x;
    return SVG_OK;
}

static int S_keyword(const char *v, const char *const *words, int *out)
{
    v = svg_skip_ws(v, 0);
    for (int i = 0; words[i]; i++) {
        size_t l = strlen(words[i]);
        if (strncmp(v, words[i], l) == 0 && !*svg_skip_ws(v + l, 0)) {
            *out = i;
            return SVG_OK;
        }
    }
    return SVG_E_SYNTAX;
}

static int S_dasharray(const char *v, S_style *st)
{
    double a[S_MAX_DASH];
    int n = 0, nonzero = 0;
    const char *p = svg_skip_ws(v, 0);
    if (strncmp(p, "none", 4) == 0 && !*svg_skip_ws(p + 4, 0)) {
        st->ndash = 0;
        return SVG_OK;
    }
    while (*p) {
        if (n >= S_MAX_DASH / 2)
            return SVG_E_SYNTAX;
        p = svg_num(p, &a[n]);
        if (!p || a[n] < 0)
            return SVG_E_SYNTAX;
        if (p[0] == 'p' && p[1] == 'x')
            p += 2;
        nonzero |= a[n] > 0;
        n++;
        p = svg_skip_ws(p, 1);
    }
    if (!n)
        return SVG_E_SYNTAX;
    if (!nonzero) {           /* all zero: solid (SVG rule) */
        st->ndash = 0;
        return SVG_OK;
    }
    /* an odd list is repeated to make it even */
    int m = n % 2 ? 2 * n : n;
    for (int i = 0; i < m; i++)
        st->dash[i] = a[i % n];
    st->ndash = m;
    return SVG_OK;
}

/* Properties that would change the picture and that we do not implement:
 * accepted only with their "no effect" value. */
static const struct { const char *prop, *ok1, *ok2; } S_inert[] = {
    {"filter", "none", NULL}, {"mask", "none", NULL},
    {"marker", "none", NULL}, {"marker-start", "none", NULL},
    {"marker-mid", "none", NULL}, {"marker-end", "none", NULL},
    {"text-decoration", "none", NULL}, {"writing-mode", "lr-tb", "lr"},
    {"baseline-shift", "baseline", "0"}, {"dominant-baseline", "auto", "alphabetic"},
    {"alignment-baseline", "auto", "baseline"}, {"letter-spacing", "normal", "0"},
    {"word-spacing", "normal", "0"}, {"font-variant", "normal", NULL},
};

/* Properties without visible effect in a static PDF (or already implied). */
static const char *const S_ignored[] = {
    "shape-rendering", "text-rendering", "image-rendering", "color-rendering",
    "pointer-events", "cursor", "color-interpolation", "font-stretch",
    "vector-effect", NULL,
};

/* Apply one presentation property.  0 applied/ignored, -1 error set,
 * 1 not a property (the element may know the attribute). */
static int S_prop(S_walk *w, const S_node *n, S_style *st, const char *name,
                  const char *v)
{
    static const char *const caps[] = {"butt", "round", "square", NULL};
    static const char *const joins[] = {"miter", "round", "bevel", NULL};
    static const char *const rules[] = {"nonzero", "evenodd", NULL};
    static const char *const anchors[] = {"start", "middle", "end", NULL};
    static const char *const vis[] = {"visible", "hidden", "collapse", NULL};
    static const char *const styles[] = {"normal", "italic", "oblique", NULL};
    int rc = SVG_OK, k;
    double x;

    if (strcmp(svg_skip_ws(v, 0), "inherit") == 0)
        return 0;
    if (!strcmp(name, "fill") || !strcmp(name, "stroke")) {
        svg_paint pt;
        if (strncmp(svg_skip_ws(v, 0), "url(", 4) == 0)
            return S_err(w, n, "unsupported %s '%s' (gradients and patterns "
                         "are not drawn)", name, v);
        rc = svg_paint_parse(v, &pt);
        if (!rc)
            *(name[0] == 'f' ? &st->fill : &st->stroke) = pt;
    } else if (!strcmp(name, "color")) {
        rc = svg_color_parse(v, &st->color);
    } else if (!strcmp(name, "fill-opacity")) {
        rc = S_opacity(v, &st->fill_op);
    } else if (!strcmp(name, "stroke-opacity")) {
        rc = S_opacity(v, &st->stroke_op);
    } else if (!strcmp(name, "opacity")) {
        /* group opacity approximated by multiplying into the children
         * (exact for gnuplot, which never overlaps inside one group) */
        rc = S_opacity(v, &x);
        if (!rc)
            st->opacity *= x;
    } else if (!strcmp(name, "stroke-width")) {
        rc = svg_length(v, &x);
        if (!rc && x < 0)
            rc = SVG_E_SYNTAX;
        if (!rc)
            st->sw = x;
    } else if (!strcmp(name, "stroke-miterlimit")) {
        rc = svg_length(v, &x);
        if (!rc && x < 1)
            rc = SVG_E_SYNTAX;
        if (!rc)
            st->miter = x;
    } else if (!strcmp(name, "stroke-linecap")) {
        rc = S_keyword(v, caps, &st->cap);
    } else if (!strcmp(name, "stroke-linejoin")) {
        rc = S_keyword(v, joins, &st->join);
    } else if (!strcmp(name, "fill-rule")) {
        rc = S_keyword(v, rules, &st->fill_rule);
    } else if (!strcmp(name, "clip-rule")) {
        rc = S_keyword(v, rules, &st->clip_rule);
    } else if (!strcmp(name, "stroke-dasharray")) {
        rc = S_dasharray(v, st);
    } else if (!strcmp(name, "stroke-dashoffset")) {
        rc = svg_length(v, &st->dash_off);
    } else if (!strcmp(name, "font-family")) {
        st->family = v;
    } else if (!strcmp(name, "font-size")) {
        rc = svg_length(v, &x);
        if (!rc && !(x > 0 && x < 10000))
            rc = SVG_E_SYNTAX;
        if (!rc)
            st->fsize = x;
    } else if (!strcmp(name, "font-weight")) {
        const char *t = svg_skip_ws(v, 0);
        if (!strcmp(t, "bold") || !strcmp(t, "bolder"))
            st->bold = 1;
        else if (!strcmp(t, "normal") || !strcmp(t, "lighter"))
            st->bold = 0;
        else if (!svg_length(t, &x) && x >= 1 && x <= 1000)
            st->bold = x >= 600;
        else
            rc = SVG_E_SYNTAX;
    } else if (!strcmp(name, "font-style")) {
        rc = S_keyword(v, styles, &k);
        if (!rc)
            st->italic = k > 0;
    } else if (!strcmp(name, "text-anchor")) {
        rc = S_keyword(v, anchors, &st->anchor);
    } else if (!strcmp(name, "visibility")) {
        rc = S_keyword(v, vis, &k);
        if (!rc)
            st->hidden = k > 0;
    } else if (!strcmp(name, "xml:space")) {
        st->preserve = strcmp(v, "preserve") == 0;
    } else {
        for (size_t i = 0; S_ignored[i]; i++)
            if (!strcmp(name, S_ignored[i]))
                return 0;
        for (size_t i = 0; i < sizeof S_inert / sizeof S_inert[0]; i++) {
            if (strcmp(name, S_inert[i].prop))
                continue;
            const char *t = svg_skip_ws(v, 0);
            size_t l = strlen(t);
            while (l && (t[l - 1] == ' ' || t[l - 1] == '\t'))
                l--;
            if ((strlen(S_inert[i].ok1) == l && !strncmp(t, S_inert[i].ok1, l)) ||
                (S_inert[i].ok2 && strlen(S_inert[i].ok2) == l &&
                 !strncmp(t, S_inert[i].ok2, l)))
                return 0;
            return S_err(w, n, "unsupported %s '%s'", name, v);
        }
        return 1;
    }
    if (rc)
        return S_err(w, n, "bad or unsupported %s value '%s'", name, v);
    return 0;
}

/* Apply a style="a:b; c:d" declaration list.  Unknown CSS properties are
 * errors: in a style attribute they can only be about rendering. */
static int S_style_attr(S_walk *w, const S_node *n, S_style *st, const char *s,
                        S_arena *tmp, const char **clip_path, int *display_none)
{
    while (*s) {
        const char *semi = strchr(s, ';');
        size_t len = semi ? (size_t)(semi - s) : strlen(s);
        const char *colon = memchr(s, ':', len);
        const char *k0 = svg_skip_ws(s, 0);
        if (colon) {
            const char *k1 = colon;
            while (k1 > k0 && (k1[-1] == ' ' || k1[-1] == '\t' || k1[-1] == '\n'))
                k1--;
            char *key = S_strndup(tmp, k0, (size_t)(k1 - k0));
            const char *v0 = svg_skip_ws(colon + 1, 0);
            const char *v1 = s + len;
            while (v1 > v0 && (v1[-1] == ' ' || v1[-1] == '\t' || v1[-1] == '\n'))
                v1--;
            char *val = key ? S_strndup(tmp, v0, (size_t)(v1 - v0)) : NULL;
            if (!val)
                return err_nomem(w->e);
            if (!strcmp(key, "clip-path")) {
                *clip_path = val;
            } else if (!strcmp(key, "display")) {
                *display_none = !strcmp(val, "none");
            } else {
                int r = S_prop(w, n, st, key, val);
                if (r < 0)
                    return -1;
                if (r > 0)
                    return S_err(w, n, "unsupported style property '%s' on <%s>",
                                 key, n->name);
            }
        } else if ((size_t)(k0 - s) < len) {
            /* non-blank text without a colon */
            return S_err(w, n, "bad style declaration in '%s'%s", s, "");
        }
        if (!semi)
            break;
        s = semi + 1;
    }
    return 0;
}

/* Attributes that change rendering but that gnuplot never writes. */
static const char *const S_unsupported_attrs[] = {
    "rotate", "textLength", "lengthAdjust", "requiredExtensions",
    "systemLanguage", NULL,
};

/* The cascade for one element: parent's style, then presentation attributes,
 * then style="" (which wins).  Returns the clip-path and display values. */
static int S_element_style(S_walk *w, const S_node *n, S_style *st,
                           S_arena *tmp, const char **clip_path,
                           int *display_none)
{
    const char *style = NULL;
    *clip_path = NULL;
    *display_none = 0;
    for (const char **a = n->attr; a[0]; a += 2) {
        if (!strcmp(a[0], "style")) {
            style = a[1];
            continue;
        }
        if (!strcmp(a[0], "clip-path")) {
            *clip_path = a[1];
            continue;
        }
        if (!strcmp(a[0], "display")) {
            *display_none = !strcmp(svg_skip_ws(a[1], 0), "none");
            continue;
        }
        for (size_t i = 0; S_unsupported_attrs[i]; i++)
            if (!strcmp(a[0], S_unsupported_attrs[i]))
                return S_err(w, n, "unsupported attribute %s on <%s>", a[0],
                             n->name);
        if (S_prop(w, n, st, a[0], a[1]) < 0)
            return -1;
    }
    if (style && S_style_attr(w, n, st, style, tmp, clip_path, display_none))
        return -1;
    if (*clip_path && !strcmp(svg_skip_ws(*clip_path, 0), "none"))
        *clip_path = NULL;
    return 0;
}

static int S_num_attr(S_walk *w, const S_node *n, const char *name,
                      double dflt, double *out)
{
    const char *v = S_attr(n, name);
    *out = dflt;
    if (!v)
        return 0;
    if (svg_length(v, out))
        return S_err(w, n, "bad or unsupported %s value '%s'", name, v);
    return 0;
}

/* ---- building items ---------------------------------------------------- */

static svg_item *S_new_item(S_walk *w, const S_node *n, S_fix **fix)
{
    svg_doc *d = w->d;
    if (d->nitems >= SVG_MAX_ITEMS) {
        S_err(w, n, "drawing too large (more than %s items)%s", "1000000", "");
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
        S_fix *nf = realloc(d->fix, nc * sizeof *nf);
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
static int S_path_item(S_walk *w, const S_node *n, const S_style *st,
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
    S_fix *fx;
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
static int S_shape_geom(S_walk *w, const S_node *n, const double m[6],
                        int *can_fill)
{
    svg_segbuf *b = &w->d->segs;
    const char *nm = n->name;
    int rc = SVG_OK;
    double x, y, wd, ht, rx, ry;
    *can_fill = 1;
    if (!strcmp(nm, "path")) {
        const char *dd = S_attr(n, "d");
        size_t off = 0;
        if (!dd)
            return 0;   /* no data: renders nothing (SVG) */
        rc = svg_path_data(dd, m, b, &off);
        if (rc == SVG_E_SYNTAX) {
            char at[32];
            snprintf(at, sizeof at, "%zu", off);
            return S_err(w, n, "bad path data at offset %s of d='%.40s'", at,
                         dd);
        }
    } else if (!strcmp(nm, "polyline") || !strcmp(nm, "polygon")) {
        const char *pts = S_attr(n, "points");
        if (!pts)
            return 0;
        rc = svg_points(pts, nm[4] == 'g', m, b);
        if (rc == SVG_E_SYNTAX)
            return S_err(w, n, "bad points list in <%s>%s", nm, "");
    } else if (!strcmp(nm, "rect")) {
        if (S_num_attr(w, n, "x", 0, &x) || S_num_attr(w, n, "y", 0, &y) ||
            S_num_attr(w, n, "width", 0, &wd) ||
            S_num_attr(w, n, "height", 0, &ht) ||
            S_num_attr(w, n, "rx", 0, &rx) || S_num_attr(w, n, "ry", 0, &ry))
            return -1;
        if (wd < 0 || ht < 0)
            return S_err(w, n, "negative width or height in <%s>%s", nm, "");
        if (rx != 0 || ry != 0)
            return S_err(w, n, "unsupported rounded corners on <%s>%s", nm, "");
        if (wd > 0 && ht > 0)
            svg_rect_segs(x, y, wd, ht, m, b, &rc);
    } else if (!strcmp(nm, "circle") || !strcmp(nm, "ellipse")) {
        if (S_num_attr(w, n, "cx", 0, &x) || S_num_attr(w, n, "cy", 0, &y))
            return -1;
        if (nm[0] == 'c') {
            if (S_num_attr(w, n, "r", 0, &rx))
                return -1;
            ry = rx;
        } else if (S_num_attr(w, n, "rx", 0, &rx) ||
                   S_num_attr(w, n, "ry", 0, &ry)) {
            return -1;
        }
        if (rx < 0 || ry < 0)
            return S_err(w, n, "negative radius in <%s>%s", nm, "");
        if (rx > 0 && ry > 0)
            svg_ellipse_segs(x, y, rx, ry, m, b, &rc);
    } else if (!strcmp(nm, "line")) {
        double x2, y2;
        if (S_num_attr(w, n, "x1", 0, &x) || S_num_attr(w, n, "y1", 0, &y) ||
            S_num_attr(w, n, "x2", 0, &x2) || S_num_attr(w, n, "y2", 0, &y2))
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
static int S_make_clip(S_walk *w, const S_node *ref, const char *url,
                       const double m[6], int parent, S_arena *tmp)
{
    svg_doc *d = w->d;
    const S_node *cp = S_url(w, ref, "clip-path", url);
    if (!cp)
        return -1;
    if (strcmp(cp->name, "clipPath"))
        return S_err(w, ref, "clip-path references <%s>, not <clipPath>%s",
                     cp->name, "");
    const char *units = S_attr(cp, "clipPathUnits");
    if (units && strcmp(units, "userSpaceOnUse"))
        return S_err(w, cp, "unsupported clipPathUnits '%s'%s", units, "");
    double cm[6], lm[6];
    const char *tr = S_attr(cp, "transform");
    if (tr && svg_transform(tr, lm))
        return S_err(w, cp, "bad transform '%s'%s", tr, "");
    if (tr)
        svg_mat_mul(cm, m, lm);
    else
        memcpy(cm, m, sizeof cm);
    size_t start = d->segs.n;
    int rule = SVG_RULE_NONZERO;
    for (const S_node *c = cp->first; c; c = c->next) {
        if (!c->name || !strcmp(c->name, "title") || !strcmp(c->name, "desc"))
            continue;
        if (!S_is_shape(c->name))
            return S_err(w, c, "unsupported <%s> inside <clipPath>%s", c->name,
                         "");
        S_style st;
        memset(&st, 0, sizeof st);
        const char *inner_clip;
        int dn, can_fill;
        if (S_element_style(w, c, &st, tmp, &inner_clip, &dn))
            return -1;
        if (inner_clip)
            return S_err(w, c, "unsupported clip-path inside <clipPath>%s%s",
                         "", "");
        if (dn)
            continue;
        rule = st.clip_rule;
        double em[6];
        const char *ct = S_attr(c, "transform");
        if (ct && svg_transform(ct, lm))
            return S_err(w, c, "bad transform '%s'%s", ct, "");
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
static const char *S_family(S_walk *w, S_tb *tb, const char *f)
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
    const char *out = S_strndup(&w->d->ar, p, len);
    if (out) {
        tb->fam_in = f;
        tb->fam_out = out;
    }
    return out;
}

static int S_push_span(S_walk *w, const S_node *n, const S_style *st, S_tb *tb,
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
        return S_err(w, n, "too many text spans%s%s", "", "");
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
    sp->text = S_strndup(&d->ar, w->tb, o);
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
static int S_text_pos(S_walk *w, const S_node *n, const S_style *st, S_tb *tb)
{
    static const char *const names[] = {"x", "y", "dx", "dy"};
    for (int i = 0; i < 4; i++) {
        const char *v = S_attr(n, names[i]);
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
            return S_err(w, n, "unsupported %s value '%s' (one number, px or "
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

static int S_text_content(S_walk *w, const S_node *parent, const S_style *st,
                          S_tb *tb, S_arena *tmp)
{
    for (const S_node *c = parent->first; c; c = c->next) {
        if (++w->visits > S_MAX_VISITS)
            return S_err(w, c, "drawing too large%s%s", "", "");
        if (!c->name) {
            if (S_push_span(w, c, st, tb, c->text))
                return -1;
            continue;
        }
        if (!strcmp(c->name, "title") || !strcmp(c->name, "desc"))
            continue;
        if (strcmp(c->name, "tspan"))
            return S_err(w, c, "unsupported SVG element <%s> inside <text>%s",
                         c->name, "");
        S_style s2 = *st;
        const char *clip;
        int dn;
        if (S_element_style(w, c, &s2, tmp, &clip, &dn))
            return -1;
        if (clip || S_attr(c, "transform"))
            return S_err(w, c, "unsupported %s on <tspan>%s",
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

static int S_text(S_walk *w, const S_node *n, const S_style *st,
                  const double m[6], S_arena *tmp)
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
    S_fix *fx;
    svg_item *it = S_new_item(w, n, &fx);
    if (!it)
        return -1;
    it->kind = SVG_ITEM_TEXT;
    it->clip = st->clip;
    memcpy(it->text.m, m, sizeof it->text.m);
    it->text.x = x0;
    it->text.y = y0;
    it->text.anchor = st->anchor;
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

static int S_node_walk(S_walk *w, const S_node *n, const S_style *parent,
                       const double ctm[6], S_arena *tmp)
{
    if (!n->name)
        return 0;
    if (++w->visits > S_MAX_VISITS)
        return S_err(w, n, "drawing too large (too many elements after <use> "
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
        return S_err(w, n, "unsupported SVG element <%s>%s", nm, "");

    S_style st = *parent;
    const char *clip;
    int dn;
    if (S_element_style(w, n, &st, tmp, &clip, &dn))
        return -1;
    if (dn)
        return 0;
    double m[6], lm[6];
    const char *tr = S_attr(n, "transform");
    memcpy(m, ctm, sizeof m);
    if (tr) {
        if (svg_transform(tr, lm))
            return S_err(w, n, "bad or unsupported transform '%s'%s", tr, "");
        svg_mat_mul(m, ctm, lm);
    }
    if (clip) {
        int ci = S_make_clip(w, n, clip, m, st.clip, tmp);
        if (ci < 0)
            return -1;
        st.clip = ci;
    }
    if (is_group) {
        for (const S_node *c = n->first; c; c = c->next)
            if (S_node_walk(w, c, &st, m, tmp))
                return -1;
        return 0;
    }
    if (is_use) {
        const char *href = S_attr(n, "xlink:href");
        if (!href)
            href = S_attr(n, "href");
        if (!href || href[0] != '#')
            return S_err(w, n, "<use> needs a local reference href=\"#id\", "
                         "got '%s'%s", href ? href : "", "");
        const S_node *t = S_find_id(w, href + 1);
        if (!t)
            return S_err(w, n, "<use> references unknown id '%s'%s", href + 1,
                         "");
        if (!strcmp(t->name, "svg") || !strcmp(t->name, "symbol"))
            return S_err(w, n, "unsupported <use> of <%s>%s", t->name, "");
        if (w->use_depth >= SVG_MAX_USE_DEPTH)
            return S_err(w, n, "<use> references nested deeper than %s (a "
                         "cycle?)%s", "8", "");
        double x, y;
        if (S_num_attr(w, n, "x", 0, &x) || S_num_attr(w, n, "y", 0, &y))
            return -1;
        double tm[6] = {1, 0, 0, 1, x, y};
        svg_mat_mul(m, m, tm);
        /* the referenced element is drawn as if it were a child of <use>,
         * but it must not take part in the walk of its own definition
         * siblings: walk just that node */
        w->use_depth++;
        int r = S_node_walk(w, t, &st, m, tmp);
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
static int S_canvas(S_walk *w, const S_node *root, double m[6])
{
    svg_doc *d = w->d;
    double wd = -1, ht = -1;
    const char *vb = S_attr(root, "viewBox");
    const char *ws = S_attr(root, "width"), *hs = S_attr(root, "height");
    svg_mat_identity(m);
    if (ws && svg_length(ws, &wd))
        return S_err(w, root, "unsupported width '%s' (a number of px)%s", ws,
                     "");
    if (hs && svg_length(hs, &ht))
        return S_err(w, root, "unsupported height '%s' (a number of px)%s", hs,
                     "");
    if (vb) {
        double v[4];
        const char *p = svg_skip_ws(vb, 0);
        for (int i = 0; i < 4; i++) {
            p = p ? svg_num(p, &v[i]) : NULL;
            if (p)
                p = svg_skip_ws(p, 1);
        }
        if (!p || *p || v[2] <= 0 || v[3] <= 0)
            return S_err(w, root, "bad viewBox '%s'%s", vb, "");
        m[4] = -v[0];
        m[5] = -v[1];
        wd = v[2];
        ht = v[3];
    }
    if (!(wd > 0) || !(ht > 0))
        return S_err(w, root, "<svg> needs a positive width and height or a "
                     "viewBox%s%s", "", "");
    d->width = wd;
    d->height = ht;
    return 0;
}

svg_doc *svg_parse_buffer(const char *buf, size_t len, const char *name,
                          lb_err *e)
{
    S_arena tree = {NULL}, tmp = {NULL};
    S_walk w;
    memset(&w, 0, sizeof w);
    svg_doc *d = NULL;
    if (!name)
        name = "<svg>";
    if (len > SVG_MAX_BYTES) {
        err_at(e, LB_EXIT_INPUT, name, 0, 0, "SVG larger than %u bytes",
               SVG_MAX_BYTES);
        goto fail;
    }
    d = calloc(1, sizeof *d);
    if (!d || !(d->name = strdup(name))) {
        err_nomem(e);
        goto fail;
    }
    d->segs.limit = SVG_MAX_SEGMENTS;
    const S_node *root = S_build_tree(buf, len, name, &tree, e);
    if (!root)
        goto fail;
    w.d = d;
    w.name = name;
    w.e = e;
    if (strcmp(root->name, "svg")) {
        S_err(&w, root, "root element is <%s>, expected <svg>%s", root->name,
              "");
        goto fail;
    }
    if (S_index_ids(&w, root))
        goto fail;
    double m[6];
    if (S_canvas(&w, root, m))
        goto fail;
    S_style st;
    memset(&st, 0, sizeof st);
    st.fill.kind = SVG_PAINT_COLOR;     /* SVG initial values */
    st.stroke.kind = SVG_PAINT_NONE;
    st.fill_op = st.stroke_op = st.opacity = 1;
    st.sw = 1;
    st.miter = 4;
    st.fsize = 16;
    st.clip = -1;
    if (S_node_walk(&w, root, &st, m, &tmp))
        goto fail;
    /* everything is in place: offsets become pointers */
    for (size_t i = 0; i < d->nitems; i++) {
        svg_item *it = &d->items[i];
        if (it->kind == SVG_ITEM_PATH) {
            it->path.segs = d->segs.v + d->fix[i].seg;
            it->path.dash = it->path.ndash ? d->dash + d->fix[i].dash : NULL;
        } else {
            it->text.spans = d->spans + d->fix[i].span;
        }
    }
    for (size_t i = 0; i < d->nclips; i++)
        d->clips[i].segs = d->clips[i].nsegs ? d->segs.v + d->clipfix[i] : NULL;
    goto out;
fail:
    svg_doc_free(d);
    d = NULL;
out:
    S_arena_free(&tree);
    S_arena_free(&tmp);
    free(w.ids);
    free(w.tb);
    return d;
}

svg_doc *svg_parse_file(const char *path, lb_err *e)
{
    svg_doc *d = NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_at(e, LB_EXIT_RUNTIME, path, 0, 0, "cannot open: %s",
               strerror(errno));
        return NULL;
    }
    for (;;) {
        if (len == cap) {
            if (cap > SVG_MAX_BYTES) {
                err_at(e, LB_EXIT_INPUT, path, 0, 0,
                       "SVG larger than %u bytes", SVG_MAX_BYTES);
                goto out;
            }
            size_t nc = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, nc);
            if (!nb) {
                err_nomem(e);
                goto out;
            }
            buf = nb;
            cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                err_at(e, LB_EXIT_RUNTIME, path, 0, 0, "read error: %s",
                       strerror(errno));
                goto out;
            }
            break;
        }
    }
    d = svg_parse_buffer(buf ? buf : "", len, path, e);
out:
    fclose(f);
    free(buf);
    return d;
}
