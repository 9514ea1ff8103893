/* svg_tree — the element tree that pass 1 (svg.c, expat) builds and pass 2
 * (svg_style.c, svg_walk.c) reads: its arena, attribute lookup, errors
 * located at an element, and the id index behind <use> and url(#id).
 * Below the cascade and the walk; calls only svg_geom.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "svg/svg_int.h"

/* ---- arena ---------------------------------------------------------------- */


void *svg_arena_alloc(svg_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        svg_blk *b = malloc(sizeof(svg_blk) + 16 + cap);
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

char *svg_arena_strndup(svg_arena *a, const char *s, size_t n)
{
    char *p = svg_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void svg_arena_free(svg_arena *a)
{
    svg_blk *b = a->head;
    while (b) {
        svg_blk *nx = b->next;
        free(b);
        b = nx;
    }
    a->head = NULL;
}

/* ---- elements ------------------------------------------------------------- */

const char *svg_attr(const svg_node *n, const char *name)
{
    for (const char **a = n->attr; a && a[0]; a += 2)
        if (strcmp(a[0], name) == 0)
            return a[1];
    return NULL;
}

int svg_werr(svg_walker *w, const svg_node *n, const char *fmt, const char *a,
                 const char *b)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a, b);
    return err_at(w->e, LB_EXIT_INPUT, w->name, n ? n->line : 0,
                  n ? n->col : 0, "%s", msg);
}

/* ---- the id index ----------------------------------------------------------- */

static int S_id_cmp(const void *a, const void *b)
{
    const svg_idref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

int svg_index_ids(svg_walker *w, const svg_node *root)
{
    size_t cap = 0;
    /* iterative pre-order walk: the tree is at most SVG_MAX_DEPTH deep but
     * a loop keeps the stack flat anyway */
    const svg_node *n = root;
    size_t order = 0;
    while (n) {
        const char *id = n->name ? svg_attr(n, "id") : NULL;
        if (id) {
            if (w->nids == cap) {
                size_t nc = cap ? cap * 2 : 64;
                svg_idref *ni = realloc(w->ids, nc * sizeof *ni);
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

const svg_node *svg_find_id(svg_walker *w, const char *id)
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
const svg_node *svg_url(svg_walker *w, const svg_node *n, const char *prop,
                        const char *v)
{
    char id[256];
    v = svg_skip_ws(v, 0);
    const char *end = strchr(v, ')');
    size_t len = end ? (size_t)(end - v) : 0;
    if (strncmp(v, "url(#", 5) != 0 || !end || len - 5 >= sizeof id ||
        *svg_skip_ws(end + 1, 0)) {
        svg_werr(w, n, "bad %s value '%s' (expected url(#id))", prop, v);
        return NULL;
    }
    memcpy(id, v + 5, len - 5);
    id[len - 5] = '\0';
    const svg_node *t = svg_find_id(w, id);
    if (!t)
        svg_werr(w, n, "%s references unknown id '%s'", prop, id);
    return t;
}
