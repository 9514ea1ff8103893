/* svg — gnuplot SVG -> drawing list.  See svg.h for the contract.
 *
 * Two passes: expat builds a small element tree (names, attributes, the
 * character data of <text>), then one walk applies SVG's cascade (inherited
 * presentation attributes and style="" declarations), transforms, <use>
 * references and clip paths, and appends items to the document.  A tree
 * (rather than a streaming walk) is needed because <use> and clip-path may
 * reference elements defined later in the file.  The tree lives in its own
 * arena (svg_tree.c) and is freed before svg_parse_* returns.  This file:
 * expat (the only one that includes expat.h), the document, the entry
 * points; the cascade is in svg_style.c, the walk in svg_walk.c.
 */
#include <expat.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/fileio.h"
#include "svg/svg.h"
#include "svg/svg_int.h"

/* ---- the document ---------------------------------------------------------- */


void svg_doc_free(svg_doc *d)
{
    if (!d)
        return;
    free(d->name);
    svg_arena_free(&d->ar);
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

typedef struct S_parse {
    XML_Parser xp;
    svg_arena *ar;
    const char *name;
    lb_err *e;
    svg_node *root, *cur;
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

static void S_attach(S_parse *p, svg_node *n)
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
    svg_node *n = svg_arena_alloc(p->ar, sizeof *n);
    char *t = n ? svg_arena_strndup(p->ar, p->tbuf, p->tlen) : NULL;
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
    svg_node *n = svg_arena_alloc(p->ar, sizeof *n);
    const char **a = n ? svg_arena_alloc(p->ar, (na + 1) * sizeof *a) : NULL;
    const char *nm = a ? svg_arena_strndup(p->ar, name, strlen(name)) : NULL;
    if (!nm) {
        S_fail(p, LB_EXIT_RUNTIME, 0, 0, "%sout of memory", "");
        return;
    }
    for (size_t i = 0; i < na; i++) {
        a[i] = svg_arena_strndup(p->ar, atts[i], strlen(atts[i]));
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

static svg_node *S_build_tree(const char *buf, size_t len, const char *name,
                            svg_arena *ar, lb_err *e)
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

/* ---- entry points ---------------------------------------------------------- */

static int S_canvas(svg_walker *w, const svg_node *root, double m[6])
{
    svg_doc *d = w->d;
    double wd = -1, ht = -1;
    const char *vb = svg_attr(root, "viewBox");
    const char *ws = svg_attr(root, "width"), *hs = svg_attr(root, "height");
    svg_mat_identity(m);
    if (ws && svg_length(ws, &wd))
        return svg_werr(w, root, "unsupported width '%s' (a number of px)%s", ws,
                     "");
    if (hs && svg_length(hs, &ht))
        return svg_werr(w, root, "unsupported height '%s' (a number of px)%s", hs,
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
            return svg_werr(w, root, "bad viewBox '%s'%s", vb, "");
        m[4] = -v[0];
        m[5] = -v[1];
        wd = v[2];
        ht = v[3];
    }
    if (!(wd > 0) || !(ht > 0))
        return svg_werr(w, root, "<svg> needs a positive width and height or a "
                     "viewBox%s%s", "", "");
    d->width = wd;
    d->height = ht;
    return 0;
}

svg_doc *svg_parse_buffer(const char *buf, size_t len, const char *name,
                          lb_err *e)
{
    svg_arena tree = {NULL}, tmp = {NULL};
    svg_walker w;
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
    const svg_node *root = S_build_tree(buf, len, name, &tree, e);
    if (!root)
        goto fail;
    w.d = d;
    w.name = name;
    w.e = e;
    if (strcmp(root->name, "svg")) {
        svg_werr(&w, root, "root element is <%s>, expected <svg>%s", root->name,
              "");
        goto fail;
    }
    if (svg_index_ids(&w, root))
        goto fail;
    double m[6];
    if (S_canvas(&w, root, m))
        goto fail;
    svg_style st;
    memset(&st, 0, sizeof st);
    st.fill.kind = SVG_PAINT_COLOR;     /* SVG initial values */
    st.stroke.kind = SVG_PAINT_NONE;
    st.fill_op = st.stroke_op = st.opacity = 1;
    st.sw = 1;
    st.miter = 4;
    st.fsize = 16;
    st.clip = -1;
    if (svg_node_walk(&w, root, &st, m, &tmp))
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
    svg_arena_free(&tree);
    svg_arena_free(&tmp);
    free(w.ids);
    free(w.tb);
    return d;
}

svg_doc *svg_parse_file(const char *path, lb_err *e)
{
    /* The SVG is gnuplot's output, not the user's: a missing one is a
     * runtime failure. */
    size_t len = 0;
    char *buf = fio_read(path, SVG_MAX_BYTES, "SVG", LB_EXIT_RUNTIME, &len, e);
    if (!buf)
        return NULL;
    svg_doc *d = svg_parse_buffer(buf, len, path, e);
    free(buf);
    return d;
}

