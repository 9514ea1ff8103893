/* svg — read the SVG that gnuplot 5.4 writes into a flat drawing list.
 *
 * Pure data: no libharu here (pdf_svg.c draws the list).  The XML is parsed
 * with expat into a small element tree, then walked once with SVG's style
 * inheritance (presentation attributes and style="" declarations, through
 * <g>, <use> and <text>/<tspan>).  The result is a list of items in document
 * order, each either
 *   - a PATH: segments already transformed into the document's user space
 *     (viewBox units, origin top-left, y DOWN), arcs/quadratics/circles
 *     converted to cubic Beziers, with resolved stroke/fill paint, opacity,
 *     transformed stroke width and dash array; or
 *   - a TEXT: an anchor point plus the matrix from text space to user space
 *     (translate/rotate of the enclosing groups) and a list of spans
 *     (gnuplot's enhanced text: one <tspan> per run, with font, size, dx/dy
 *     shifts).  Glyph advances are NOT known here: the drawer measures.
 * Items may reference a clip region (a <clipPath> applied by clip-path=).
 *
 * Only the subset gnuplot's svg terminal emits is interpreted; anything that
 * would change the picture and is not understood is an error
 * "PATH:LINE:COL: unsupported SVG element <image>" (LB_EXIT_INPUT).  Purely
 * descriptive content (<title>, <desc>, <metadata>, <script>, unused
 * definitions in <defs>, event/id/class attributes) is ignored.  The one
 * filter gnuplot uses (its `boxed` label: feFlood + feComposite atop) is
 * recorded as a text background box; any other filter is an error.
 *
 * Supported: <svg> (width/height/viewBox), <g>, <a>, <defs>, <use> (x, y,
 * xlink:href/href, chains up to SVG_MAX_USE_DEPTH), <path> (M L H V C S Q T
 * A Z, relative forms, implicit repeats), <polyline>, <polygon>, <rect>
 * (no rounded corners), <circle>, <ellipse>, <line>, <clipPath> +
 * clip-path=url(#id) (userSpaceOnUse, nested), <text>/<tspan> (x, y, one
 * dx/dy value in px or em, font-family/size/weight/style, text-anchor,
 * xml:space, fill), transform (matrix translate scale rotate skewX skewY),
 * paint (none, currentColor, #rgb, #rrggbb, rgb(), basic colour names),
 * stroke-width/-dasharray/-dashoffset/-linecap/-linejoin/-miterlimit,
 * fill-rule, clip-rule, opacity/fill-opacity/stroke-opacity, visibility,
 * display, style="" declarations with SVG's precedence.
 *
 * Limits (hostile input): nesting depth, element count, attribute bytes,
 * path segments, <use> indirection depth and total output size are bounded
 * by the SVG_MAX_* constants below; exceeding one is an input error.
 *
 * Ownership: svg_parse_* return a document the caller frees with
 * svg_doc_free.  Every pointer reachable from an accessor (items, segments,
 * spans, strings, clips) is owned by the document and valid until then.
 */
#ifndef LB_SVG_H
#define LB_SVG_H

#include <stddef.h>
#include "base/err.h"

#define SVG_MAX_BYTES     (64u << 20) /* input file size */
#define SVG_MAX_DEPTH     64          /* element nesting */
#define SVG_MAX_ELEMENTS  500000      /* elements in the file */
#define SVG_MAX_USE_DEPTH 8           /* <use> -> <use> -> ... chains */
#define SVG_MAX_SEGMENTS  4000000     /* segments in the whole drawing list */
#define SVG_MAX_ITEMS     1000000     /* items in the drawing list */

typedef struct svg_color {
    double r, g, b;                 /* 0..1 */
} svg_color;

typedef enum svg_seg_kind {
    SVG_SEG_MOVE,                   /* start a subpath at (x, y) */
    SVG_SEG_LINE,                   /* line to (x, y) */
    SVG_SEG_CUBIC,                  /* curve via (x1,y1) (x2,y2) to (x, y) */
    SVG_SEG_CLOSE                   /* close subpath; (x, y) = its start */
} svg_seg_kind;

typedef struct svg_seg {
    svg_seg_kind kind;
    double x1, y1, x2, y2;          /* control points (CUBIC only) */
    double x, y;                    /* end point, user units, y down */
} svg_seg;

enum { SVG_CAP_BUTT, SVG_CAP_ROUND, SVG_CAP_SQUARE };
enum { SVG_JOIN_MITER, SVG_JOIN_ROUND, SVG_JOIN_BEVEL };
enum { SVG_RULE_NONZERO, SVG_RULE_EVENODD };
enum { SVG_ANCHOR_START, SVG_ANCHOR_MIDDLE, SVG_ANCHOR_END };

typedef struct svg_path {
    const svg_seg *segs;
    size_t nsegs;
    int has_fill;                   /* 0: fill none */
    svg_color fill;
    double fill_opacity;            /* fill-opacity x opacity (0..1) */
    int fill_rule;                  /* SVG_RULE_* */
    int has_stroke;                 /* 0: stroke none (or width 0) */
    svg_color stroke;
    double stroke_opacity;          /* stroke-opacity x opacity (0..1) */
    double stroke_width;            /* user units, CTM scale applied */
    int linecap, linejoin;          /* SVG_CAP_*, SVG_JOIN_* */
    double miterlimit;
    const double *dash;             /* NULL when solid; user units */
    size_t ndash;                   /* even (odd lists are doubled) */
    double dash_offset;
} svg_path;

typedef struct svg_span {
    const char *text;               /* UTF-8, XML whitespace rules applied */
    const char *family;             /* font-family as written ("Symbol") */
    double size;                    /* font-size, text-space units */
    int bold, italic;               /* font-weight bold(>=600) / style */
    int visible;                    /* 0: fill="none" (gnuplot phantom) */
    svg_color fill;
    double opacity;
    int has_x, has_y;               /* absolute x / y given on the span */
    double x, y;
    double dx, dy;                  /* shift applied before the span
                                       (text-space units, em resolved) */
} svg_span;

typedef struct svg_text {
    double m[6];                    /* text space -> user space:
                                       X = m0*x + m2*y + m4,
                                       Y = m1*x + m3*y + m5  (y down) */
    double x, y;                    /* start point in text space */
    int anchor;                     /* SVG_ANCHOR_* of the <text> */
    const svg_span *spans;
    size_t nspans;
    int line, col;                  /* of the <text> element, for errors */
    int boxed;                      /* gnuplot `boxed` label: filter
                                       url(#textbox) = flood the text's
                                       box with box_color behind it */
    svg_color box_color;
    double box_opacity;
} svg_text;

typedef enum svg_item_kind { SVG_ITEM_PATH, SVG_ITEM_TEXT } svg_item_kind;

typedef struct svg_item {
    svg_item_kind kind;
    int clip;                       /* index for svg_doc_clip, -1 if none */
    svg_path path;                  /* valid when kind == SVG_ITEM_PATH */
    svg_text text;                  /* valid when kind == SVG_ITEM_TEXT */
} svg_item;

/* A clip region: the union of its segments' subpaths (user units, already
 * transformed), intersected with its parent region (nested clip-path). */
typedef struct svg_clip {
    const svg_seg *segs;
    size_t nsegs;
    int rule;                       /* SVG_RULE_* (clip-rule) */
    int parent;                     /* enclosing clip index or -1 */
} svg_clip;

typedef struct svg_doc svg_doc;

/* Read and interpret the file at `path`.  Errors name `path` and the
 * line:column of the offending element (LB_EXIT_INPUT for bad/unsupported
 * SVG, LB_EXIT_RUNTIME for I/O and memory). */
svg_doc *svg_parse_file(const char *path, lb_err *e);
/* Same for a buffer; `name` is used in messages (e.g. the file name). */
svg_doc *svg_parse_buffer(const char *buf, size_t len, const char *name,
                          lb_err *e);
void svg_doc_free(svg_doc *d);

/* Canvas size in user units: the viewBox size, else width/height. */
double svg_doc_width(const svg_doc *d);
double svg_doc_height(const svg_doc *d);
const char *svg_doc_name(const svg_doc *d);

size_t svg_doc_count(const svg_doc *d);
const svg_item *svg_doc_item(const svg_doc *d, size_t i); /* NULL if out of range */
size_t svg_doc_clip_count(const svg_doc *d);
const svg_clip *svg_doc_clip(const svg_doc *d, int i);   /* NULL if out of range */

#endif
