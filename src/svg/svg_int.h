/* svg_int — internals shared by the SVG reader's files.  Not a public
 * interface.  The files, lowest first (each calls only those above it):
 *   svg_geom.c   numbers, transforms, colours, path data
 *   svg_tree.c   the element tree: arena, attributes, errors at an element,
 *                the id index behind <use> and url(#id)
 *   svg_style.c  the cascade for one element (incl. gnuplot's text-box filter)
 *   svg_walk.c   pass 2: the walk that appends items to the document
 *   svg.c        pass 1 (expat), the document, the entry points
 *
 * Matrices are double[6] {a, b, c, d, e, f}: X = a x + c y + e,
 * Y = b x + d y + f (SVG's convention).
 */
#ifndef LB_SVG_INT_H
#define LB_SVG_INT_H

#include <stddef.h>
#include "svg/svg.h"

/* Return codes of the helpers below. */
enum { SVG_OK = 0, SVG_E_SYNTAX = -1, SVG_E_NOMEM = -2, SVG_E_LIMIT = -3,
       SVG_E_RANGE = -4 };

/* Coordinates beyond this (user units, after transforms) are refused:
 * libharu writes every number through a clamp at 32767 and would silently
 * bend the drawing (pdf_svg also keeps its dash scaling below that). */
#define SVG_MAX_COORD 30000.0

/* Growing segment array; `limit` caps the total count (hostile input).
 * Ownership: the buffer owns `v` (free with free()). */
typedef struct svg_segbuf {
    svg_seg *v;
    size_t n, cap, limit;
} svg_segbuf;

int svg_segbuf_push(svg_segbuf *b, svg_seg_kind k, const double m[6],
                    double x1, double y1, double x2, double y2,
                    double x, double y);

/* Paint: none, a colour, or currentColor (resolved by the walker). */
enum { SVG_PAINT_NONE, SVG_PAINT_COLOR, SVG_PAINT_CURRENT };
typedef struct svg_paint {
    int kind;
    svg_color c;
} svg_paint;

/* Skip XML whitespace (and commas when `comma`). */
const char *svg_skip_ws(const char *s, int comma);
/* One SVG number (no units); NULL when none is there or it is not finite. */
const char *svg_num(const char *s, double *out);
/* A whole attribute that must be a single number with optional "px"
 * (lengths as gnuplot writes them).  SVG_OK or SVG_E_SYNTAX. */
int svg_length(const char *s, double *out);

void svg_mat_identity(double m[6]);
/* r = p * l (apply l first, then p); r may alias p or l. */
void svg_mat_mul(double r[6], const double p[6], const double l[6]);
/* Parse a transform list into m (starting from identity). */
int svg_transform(const char *s, double m[6]);

/* Colour / paint ("none", "currentColor", #rgb, #rrggbb, rgb(), names). */
int svg_color_parse(const char *s, svg_color *out);
int svg_paint_parse(const char *s, svg_paint *out);

/* Geometry appended to `b`, transformed by `m`.  Path data may report
 * *err_off = byte offset of a syntax error. */
int svg_path_data(const char *d, const double m[6], svg_segbuf *b,
                  size_t *err_off);
int svg_points(const char *pts, int close, const double m[6], svg_segbuf *b);
void svg_ellipse_segs(double cx, double cy, double rx, double ry,
                      const double m[6], svg_segbuf *b, int *rc);
void svg_rect_segs(double x, double y, double w, double h, const double m[6],
                   svg_segbuf *b, int *rc);

/* ---- shared by svg.c (parse), svg_style.c (cascade), svg_walk.c (walk) --- */

#include "base/err.h"

#define SVG_MAX_DASH 32
#define SVG_MAX_VISITS 8000000u   /* element visits incl. <use> expansion */

/* Arena: many small strings/nodes, one free.  Owns its blocks. */
typedef struct svg_blk {
    struct svg_blk *next;
    size_t used, cap;
} svg_blk;

typedef struct svg_arena {
    svg_blk *head;
} svg_arena;

/* svg_tree.c */
void *svg_arena_alloc(svg_arena *a, size_t n);
char *svg_arena_strndup(svg_arena *a, const char *s, size_t n);
void svg_arena_free(svg_arena *a);

typedef struct svg_fix {            /* offsets into the growing arrays, turned */
    size_t seg, dash, span;       /* into pointers once nothing moves */
} svg_fix;

struct svg_doc {
    char *name;
    double width, height;
    svg_arena ar;                   /* span strings */
    svg_item *items;
    svg_fix *fix;
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

/* Element tree built by expat (svg.c); all strings live in the tree arena. */
typedef struct svg_node {
    const char *name;             /* NULL for character data */
    const char **attr;            /* name, value, ..., NULL */
    const char *text;             /* character data when name == NULL */
    int line, col;
    struct svg_node *parent, *first, *last, *next;
} svg_node;

typedef struct svg_style {
    svg_paint fill, stroke;
    svg_color color;
    double fill_op, stroke_op, opacity;
    double sw, miter, dash_off;
    int cap, join, fill_rule, clip_rule;
    double dash[SVG_MAX_DASH];
    int ndash;                    /* 0 = solid */
    const char *family;           /* points into the tree arena */
    double fsize;
    int bold, italic, anchor;
    int preserve;                 /* xml:space="preserve" */
    int hidden;                   /* visibility hidden/collapse */
    int clip;                     /* active clip index or -1 */
    int boxed;                    /* filter: gnuplot's textbox flood */
    svg_color box_color;
    double box_opacity;
} svg_style;

typedef struct svg_idref {
    const char *id;
    const svg_node *n;
    size_t order;
} svg_idref;

typedef struct svg_walker {
    svg_doc *d;
    const char *name;
    lb_err *e;
    svg_idref *ids;
    size_t nids;
    size_t visits;
    int use_depth;
    /* text being built */
    char *tb;
    size_t tbcap;
    int prev_space;
} svg_walker;

/* svg_tree.c: attribute value or NULL; the tree owns it. */
const char *svg_attr(const svg_node *n, const char *name);
/* Input error located at element `n` (fmt takes two strings); returns -1. */
int svg_werr(svg_walker *w, const svg_node *n, const char *fmt, const char *a,
             const char *b);
/* svg_tree.c: sort the ids of the tree under `root` into w->ids (owned by
 * the walker, freed by its creator); then look one up, or resolve a
 * "url(#id)" property value (NULL with an error naming `prop`). */
int svg_index_ids(svg_walker *w, const svg_node *root);
const svg_node *svg_find_id(svg_walker *w, const char *id);
const svg_node *svg_url(svg_walker *w, const svg_node *n, const char *prop,
                        const char *v);
/* The cascade for one element (svg_style.c). */
int svg_element_style(svg_walker *w, const svg_node *n, svg_style *st,
                      svg_arena *tmp, const char **clip_path,
                      int *display_none);
int svg_num_attr(svg_walker *w, const svg_node *n, const char *name,
                 double dflt, double *out);
/* filter="url(#id)": accepted only for gnuplot's text-box filters (feFlood
 * + feComposite atop), recorded in st->boxed/box_color (svg_style.c). */
int svg_filter_box(svg_walker *w, const svg_node *n, const char *v,
                   svg_style *st);
/* svg_walk.c: the walk that appends items to w->d. */
int svg_node_walk(svg_walker *w, const svg_node *n, const svg_style *parent,
                  const double ctm[6], svg_arena *tmp);

#endif
