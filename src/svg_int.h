/* svg_int — internals shared by svg.c (expat, tree walk) and svg_geom.c
 * (numbers, transforms, colours, path data).  Not a public interface.
 *
 * Matrices are double[6] {a, b, c, d, e, f}: X = a x + c y + e,
 * Y = b x + d y + f (SVG's convention).
 */
#ifndef LB_SVG_INT_H
#define LB_SVG_INT_H

#include <stddef.h>
#include "svg.h"

/* Return codes of the helpers below. */
enum { SVG_OK = 0, SVG_E_SYNTAX = -1, SVG_E_NOMEM = -2, SVG_E_LIMIT = -3 };

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

#endif
