/* svg_geom — the small grammars inside SVG attributes: numbers, lengths,
 * transform lists, colours and path data, and the conversion of basic
 * shapes to path segments.  Everything is transformed into user space here
 * so the drawer only ever sees moveto/lineto/cubic/close.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "svg/svg_int.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- segments ---------------------------------------------------------- */

int svg_segbuf_push(svg_segbuf *b, svg_seg_kind k, const double m[6],
                    double x1, double y1, double x2, double y2,
                    double x, double y)
{
    if (b->n >= b->limit)
        return SVG_E_LIMIT;
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 64;
        svg_seg *nv = realloc(b->v, ncap * sizeof *nv);
        if (!nv)
            return SVG_E_NOMEM;
        b->v = nv;
        b->cap = ncap;
    }
    svg_seg *s = &b->v[b->n++];
    s->kind = k;
    s->x1 = m[0] * x1 + m[2] * y1 + m[4];
    s->y1 = m[1] * x1 + m[3] * y1 + m[5];
    s->x2 = m[0] * x2 + m[2] * y2 + m[4];
    s->y2 = m[1] * x2 + m[3] * y2 + m[5];
    s->x = m[0] * x + m[2] * y + m[4];
    s->y = m[1] * x + m[3] * y + m[5];
    if (k != SVG_SEG_CUBIC)
        s->x1 = s->y1 = s->x2 = s->y2 = 0;
    const double *v = &s->x1;
    for (int i = 0; i < 6; i++) {
        if (!(fabs(v[i]) <= SVG_MAX_COORD)) {   /* also catches NaN */
            b->n--;
            return SVG_E_RANGE;
        }
    }
    return SVG_OK;
}

/* ---- numbers ------------------------------------------------------------ */

const char *svg_skip_ws(const char *s, int comma)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
           (comma && *s == ','))
        s++;
    return s;
}

/* SVG number grammar: [+-]? (digits ('.' digits?)? | '.' digits) exponent?
 * Scanned by hand so strtod never sees "inf", "nan" or hex floats. */
const char *svg_num(const char *s, double *out)
{
    const char *p = s;
    char tmp[64];
    int digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    while (isdigit((unsigned char)*p)) {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            p++;
            digits++;
        }
    }
    if (!digits)
        return NULL;
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '+' || *q == '-')
            q++;
        if (isdigit((unsigned char)*q)) {
            while (isdigit((unsigned char)*q))
                q++;
            p = q;
        }
    }
    size_t n = (size_t)(p - s);
    if (n >= sizeof tmp)
        return NULL;   /* absurdly long literal: treat as bad input */
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    double v = strtod(tmp, NULL);
    if (!isfinite(v))
        return NULL;
    *out = v;
    return p;
}

int svg_length(const char *s, double *out)
{
    s = svg_skip_ws(s, 0);
    const char *p = svg_num(s, out);
    if (!p)
        return SVG_E_SYNTAX;
    if (p[0] == 'p' && p[1] == 'x')
        p += 2;
    p = svg_skip_ws(p, 0);
    return *p ? SVG_E_SYNTAX : SVG_OK;
}

/* ---- matrices ------------------------------------------------------------ */

void svg_mat_identity(double m[6])
{
    m[0] = 1; m[1] = 0; m[2] = 0; m[3] = 1; m[4] = 0; m[5] = 0;
}

void svg_mat_mul(double r[6], const double p[6], const double l[6])
{
    double t[6];
    t[0] = p[0] * l[0] + p[2] * l[1];
    t[1] = p[1] * l[0] + p[3] * l[1];
    t[2] = p[0] * l[2] + p[2] * l[3];
    t[3] = p[1] * l[2] + p[3] * l[3];
    t[4] = p[0] * l[4] + p[2] * l[5] + p[4];
    t[5] = p[1] * l[4] + p[3] * l[5] + p[5];
    memcpy(r, t, sizeof t);
}

int svg_transform(const char *s, double m[6])
{
    static const struct { const char *name; int min, max; } fns[] = {
        {"matrix", 6, 6}, {"translate", 1, 2}, {"scale", 1, 2},
        {"rotate", 1, 3}, {"skewX", 1, 1}, {"skewY", 1, 1},
    };
    svg_mat_identity(m);
    s = svg_skip_ws(s, 0);
    while (*s) {
        size_t fi, nf = sizeof fns / sizeof fns[0];
        for (fi = 0; fi < nf; fi++) {
            size_t l = strlen(fns[fi].name);
            if (strncmp(s, fns[fi].name, l) == 0) {
                s += l;
                break;
            }
        }
        if (fi == nf)
            return SVG_E_SYNTAX;
        s = svg_skip_ws(s, 0);
        if (*s++ != '(')
            return SVG_E_SYNTAX;
        double a[6];
        int n = 0;
        for (;;) {
            s = svg_skip_ws(s, 0);
            if (*s == ')') {
                s++;
                break;
            }
            if (n > 0 && *s == ',')
                s = svg_skip_ws(s + 1, 0);
            if (n >= 6)
                return SVG_E_SYNTAX;
            s = svg_num(s, &a[n]);
            if (!s)
                return SVG_E_SYNTAX;
            n++;
        }
        if (n < fns[fi].min || n > fns[fi].max || (fi == 3 && n == 2))
            return SVG_E_SYNTAX;
        double l[6];
        svg_mat_identity(l);
        switch (fi) {
        case 0:
            memcpy(l, a, sizeof l);
            break;
        case 1:
            l[4] = a[0];
            l[5] = n > 1 ? a[1] : 0;
            break;
        case 2:
            l[0] = a[0];
            l[3] = n > 1 ? a[1] : a[0];
            break;
        case 3: {
            /* Exact quarter turns: gnuplot's rotate(270) must give an exact
             * matrix so text matrices compare cleanly. */
            double deg = fmod(a[0], 360.0), c, sn;
            if (deg < 0)
                deg += 360.0;
            if (deg == 0) { c = 1; sn = 0; }
            else if (deg == 90) { c = 0; sn = 1; }
            else if (deg == 180) { c = -1; sn = 0; }
            else if (deg == 270) { c = 0; sn = -1; }
            else { c = cos(deg * M_PI / 180); sn = sin(deg * M_PI / 180); }
            l[0] = c; l[1] = sn; l[2] = -sn; l[3] = c;
            if (n == 3) {
                /* translate(cx,cy) rotate translate(-cx,-cy) */
                l[4] = a[1] - c * a[1] + sn * a[2];
                l[5] = a[2] - sn * a[1] - c * a[2];
            }
            break;
        }
        case 4:
            l[2] = tan(a[0] * M_PI / 180);
            break;
        case 5:
            l[1] = tan(a[0] * M_PI / 180);
            break;
        }
        for (int i = 0; i < 6; i++)
            if (!isfinite(l[i]))
                return SVG_E_SYNTAX;
        svg_mat_mul(m, m, l);
        s = svg_skip_ws(s, 1);
    }
    return SVG_OK;
}

/* ---- colours ------------------------------------------------------------- */

static const struct { const char *name; unsigned rgb; } S_names[] = {
    {"aqua", 0x00ffff}, {"black", 0x000000}, {"blue", 0x0000ff},
    {"cyan", 0x00ffff}, {"darkgray", 0xa9a9a9}, {"darkgrey", 0xa9a9a9},
    {"fuchsia", 0xff00ff}, {"gray", 0x808080}, {"green", 0x008000},
    {"grey", 0x808080}, {"lightgray", 0xd3d3d3}, {"lightgrey", 0xd3d3d3},
    {"lime", 0x00ff00}, {"magenta", 0xff00ff}, {"maroon", 0x800000},
    {"navy", 0x000080}, {"olive", 0x808000}, {"orange", 0xffa500},
    {"purple", 0x800080}, {"red", 0xff0000}, {"silver", 0xc0c0c0},
    {"teal", 0x008080}, {"white", 0xffffff}, {"yellow", 0xffff00},
};

static int S_hex(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

int svg_color_parse(const char *s, svg_color *out)
{
    s = svg_skip_ws(s, 0);
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                   s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len > 0 && s[0] == '#') {
        int h[6];
        if (len != 4 && len != 7)
            return SVG_E_SYNTAX;
        for (size_t i = 1; i < len; i++)
            if ((h[i - 1] = S_hex((unsigned char)s[i])) < 0)
                return SVG_E_SYNTAX;
        if (len == 4) {
            out->r = h[0] * 17 / 255.0;
            out->g = h[1] * 17 / 255.0;
            out->b = h[2] * 17 / 255.0;
        } else {
            out->r = (h[0] * 16 + h[1]) / 255.0;
            out->g = (h[2] * 16 + h[3]) / 255.0;
            out->b = (h[4] * 16 + h[5]) / 255.0;
        }
        return SVG_OK;
    }
    if (len > 4 && strncmp(s, "rgb(", 4) == 0 && s[len - 1] == ')') {
        const char *p = s + 4;
        double v[3];
        for (int i = 0; i < 3; i++) {
            p = svg_skip_ws(p, 0);
            if (i > 0) {
                if (*p != ',')
                    return SVG_E_SYNTAX;
                p = svg_skip_ws(p + 1, 0);
            }
            p = svg_num(p, &v[i]);
            if (!p)
                return SVG_E_SYNTAX;
            if (*p == '%') {
                v[i] *= 255.0 / 100.0;
                p++;
            }
            v[i] = v[i] < 0 ? 0 : v[i] > 255 ? 255 : v[i];
        }
        p = svg_skip_ws(p, 0);
        if (p != s + len - 1)
            return SVG_E_SYNTAX;
        out->r = v[0] / 255.0;
        out->g = v[1] / 255.0;
        out->b = v[2] / 255.0;
        return SVG_OK;
    }
    for (size_t i = 0; i < sizeof S_names / sizeof S_names[0]; i++) {
        if (strlen(S_names[i].name) == len &&
            strncasecmp(S_names[i].name, s, len) == 0) {
            out->r = ((S_names[i].rgb >> 16) & 255) / 255.0;
            out->g = ((S_names[i].rgb >> 8) & 255) / 255.0;
            out->b = (S_names[i].rgb & 255) / 255.0;
            return SVG_OK;
        }
    }
    return SVG_E_SYNTAX;
}

int svg_paint_parse(const char *s, svg_paint *out)
{
    const char *t = svg_skip_ws(s, 0);
    if (strncmp(t, "none", 4) == 0 && !*svg_skip_ws(t + 4, 0)) {
        out->kind = SVG_PAINT_NONE;
        return SVG_OK;
    }
    if (strncmp(t, "currentColor", 12) == 0 && !*svg_skip_ws(t + 12, 0)) {
        out->kind = SVG_PAINT_CURRENT;
        return SVG_OK;
    }
    out->kind = SVG_PAINT_COLOR;
    return svg_color_parse(t, &out->c);
}

/* ---- shapes -------------------------------------------------------------- */

/* Cubic approximation of a circular quarter: control distance 4/3 tan(pi/8). */
#define S_KAPPA 0.55228474983079339840

void svg_ellipse_segs(double cx, double cy, double rx, double ry,
                      const double m[6], svg_segbuf *b, int *rc)
{
    double k = S_KAPPA;
    int r = svg_segbuf_push(b, SVG_SEG_MOVE, m, 0, 0, 0, 0, cx + rx, cy);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_CUBIC, m, cx + rx, cy + k * ry,
                                cx + k * rx, cy + ry, cx, cy + ry);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_CUBIC, m, cx - k * rx, cy + ry,
                                cx - rx, cy + k * ry, cx - rx, cy);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_CUBIC, m, cx - rx, cy - k * ry,
                                cx - k * rx, cy - ry, cx, cy - ry);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_CUBIC, m, cx + k * rx, cy - ry,
                                cx + rx, cy - k * ry, cx + rx, cy);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_CLOSE, m, 0, 0, 0, 0, cx + rx, cy);
    *rc = r;
}

void svg_rect_segs(double x, double y, double w, double h, const double m[6],
                   svg_segbuf *b, int *rc)
{
    int r = svg_segbuf_push(b, SVG_SEG_MOVE, m, 0, 0, 0, 0, x, y);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_LINE, m, 0, 0, 0, 0, x + w, y);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_LINE, m, 0, 0, 0, 0, x + w, y + h);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_LINE, m, 0, 0, 0, 0, x, y + h);
    if (!r) r = svg_segbuf_push(b, SVG_SEG_CLOSE, m, 0, 0, 0, 0, x, y);
    *rc = r;
}

int svg_points(const char *pts, int close, const double m[6], svg_segbuf *b)
{
    const char *p = svg_skip_ws(pts, 0);
    double x0 = 0, y0 = 0;
    size_t n = 0;
    while (*p) {
        double x, y;
        p = svg_num(p, &x);
        if (!p)
            return SVG_E_SYNTAX;
        p = svg_skip_ws(p, 1);
        p = svg_num(p, &y);
        if (!p)
            return SVG_E_SYNTAX;
        p = svg_skip_ws(p, 1);
        int r = svg_segbuf_push(b, n ? SVG_SEG_LINE : SVG_SEG_MOVE, m,
                                0, 0, 0, 0, x, y);
        if (r)
            return r;
        if (!n) {
            x0 = x;
            y0 = y;
        }
        n++;
    }
    if (close && n)
        return svg_segbuf_push(b, SVG_SEG_CLOSE, m, 0, 0, 0, 0, x0, y0);
    return SVG_OK;
}

/* ---- path data ----------------------------------------------------------- */

/* Elliptical arc (SVG 1.1 implementation notes F.6.5: endpoint to centre
 * parameterisation), as cubic pieces of at most 90 degrees. */
static int S_arc(svg_segbuf *b, const double m[6], double x1, double y1,
                 double rx, double ry, double phi_deg, int large, int sweep,
                 double x2, double y2)
{
    if (x1 == x2 && y1 == y2)
        return SVG_OK;
    rx = fabs(rx);
    ry = fabs(ry);
    if (rx == 0 || ry == 0)
        return svg_segbuf_push(b, SVG_SEG_LINE, m, 0, 0, 0, 0, x2, y2);
    double phi = fmod(phi_deg, 360.0) * M_PI / 180, cp = cos(phi), sp = sin(phi);
    double dx2 = (x1 - x2) / 2, dy2 = (y1 - y2) / 2;
    double x1p = cp * dx2 + sp * dy2, y1p = -sp * dx2 + cp * dy2;
    double lam = x1p * x1p / (rx * rx) + y1p * y1p / (ry * ry);
    if (lam > 1) {
        double s = sqrt(lam);
        rx *= s;
        ry *= s;
    }
    double num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
    double den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
    double coef = den > 0 && num > 0 ? sqrt(num / den) : 0;
    if (large == sweep)
        coef = -coef;
    double cxp = coef * rx * y1p / ry, cyp = -coef * ry * x1p / rx;
    double cx = cp * cxp - sp * cyp + (x1 + x2) / 2;
    double cy = sp * cxp + cp * cyp + (y1 + y2) / 2;
    double ux = (x1p - cxp) / rx, uy = (y1p - cyp) / ry;
    double vx = (-x1p - cxp) / rx, vy = (-y1p - cyp) / ry;
    double t1 = atan2(uy, ux);
    double dt = atan2(ux * vy - uy * vx, ux * vx + uy * vy);
    if (!sweep && dt > 0)
        dt -= 2 * M_PI;
    else if (sweep && dt < 0)
        dt += 2 * M_PI;
    int n = (int)ceil(fabs(dt) / (M_PI / 2) - 1e-9);
    if (n < 1)
        n = 1;
    double d = dt / n, k = 4.0 / 3.0 * tan(d / 4);
    for (int i = 0; i < n; i++) {
        double a0 = t1 + i * d, a1 = a0 + d;
        double c0 = cos(a0), s0 = sin(a0), c1 = cos(a1), s1 = sin(a1);
        double p[6] = { c0 - k * s0, s0 + k * c0, c1 + k * s1, s1 - k * c1,
                        c1, s1 };
        double q[6];
        for (int j = 0; j < 3; j++) {
            double ex = rx * p[2 * j], ey = ry * p[2 * j + 1];
            q[2 * j] = cp * ex - sp * ey + cx;
            q[2 * j + 1] = sp * ex + cp * ey + cy;
        }
        if (i == n - 1) {
            q[4] = x2;   /* land exactly on the end point */
            q[5] = y2;
        }
        int r = svg_segbuf_push(b, SVG_SEG_CUBIC, m, q[0], q[1], q[2], q[3],
                                q[4], q[5]);
        if (r)
            return r;
    }
    return SVG_OK;
}

static const char *S_flag(const char *p, int *f)
{
    p = svg_skip_ws(p, 1);
    if (*p != '0' && *p != '1')
        return NULL;
    *f = *p - '0';
    return p + 1;
}

int svg_path_data(const char *d, const double m[6], svg_segbuf *b,
                  size_t *err_off)
{
    const char *p = svg_skip_ws(d, 0);
    double cx = 0, cy = 0, sx = 0, sy = 0;   /* current, subpath start */
    double qx = 0, qy = 0;                   /* last control point */
    int last = 0, cmd = 0, have = 0, r = SVG_OK;
    while (*p) {
        if (isalpha((unsigned char)*p)) {
            cmd = *p++;
            if (!strchr("MmLlHhVvCcSsQqTtAaZz", cmd))
                goto bad;
        } else if (!cmd || cmd == 'Z' || cmd == 'z') {
            goto bad;  /* numbers without a command */
        }
        /* else: implicit repetition of the previous command */
        if (!have && cmd != 'M' && cmd != 'm')
            goto bad;  /* path data must start with a moveto */
        int rel = islower((unsigned char)cmd);
        double ox = rel ? cx : 0, oy = rel ? cy : 0;
        double a[7];
        int need = 0;
        switch (cmd | 0x20) {
        case 'm': case 'l': case 't': need = 2; break;
        case 'h': case 'v': need = 1; break;
        case 'c': need = 6; break;
        case 's': case 'q': need = 4; break;
        case 'a': need = 7; break;
        case 'z': need = 0; break;
        }
        for (int i = 0; i < need; i++) {
            p = svg_skip_ws(p, 1);
            const char *before = p;
            if ((cmd | 0x20) == 'a' && (i == 3 || i == 4)) {
                int f;
                p = S_flag(p, &f);
                a[i] = f;
            } else {
                p = svg_num(p, &a[i]);
            }
            if (!p) {
                *err_off = (size_t)(before - d);
                return SVG_E_SYNTAX;
            }
        }
        switch (cmd | 0x20) {
        case 'm':
            cx = sx = ox + a[0];
            cy = sy = oy + a[1];
            r = svg_segbuf_push(b, SVG_SEG_MOVE, m, 0, 0, 0, 0, cx, cy);
            have = 1;
            /* further pairs are implicit linetos */
            cmd = rel ? 'l' : 'L';
            break;
        case 'l':
            cx = ox + a[0];
            cy = oy + a[1];
            r = svg_segbuf_push(b, SVG_SEG_LINE, m, 0, 0, 0, 0, cx, cy);
            break;
        case 'h':
            cx = ox + a[0];
            r = svg_segbuf_push(b, SVG_SEG_LINE, m, 0, 0, 0, 0, cx, cy);
            break;
        case 'v':
            cy = oy + a[0];
            r = svg_segbuf_push(b, SVG_SEG_LINE, m, 0, 0, 0, 0, cx, cy);
            break;
        case 'c':
            r = svg_segbuf_push(b, SVG_SEG_CUBIC, m, ox + a[0], oy + a[1],
                                ox + a[2], oy + a[3], ox + a[4], oy + a[5]);
            qx = ox + a[2];
            qy = oy + a[3];
            cx = ox + a[4];
            cy = oy + a[5];
            break;
        case 's': {
            double c1x = cx, c1y = cy;
            if (last == 'c' || last == 's') {
                c1x = 2 * cx - qx;
                c1y = 2 * cy - qy;
            }
            r = svg_segbuf_push(b, SVG_SEG_CUBIC, m, c1x, c1y, ox + a[0],
                                oy + a[1], ox + a[2], oy + a[3]);
            qx = ox + a[0];
            qy = oy + a[1];
            cx = ox + a[2];
            cy = oy + a[3];
            break;
        }
        case 'q': case 't': {
            double px = ox + a[0], py = oy + a[1], ex, ey;
            if ((cmd | 0x20) == 'q') {
                ex = ox + a[2];
                ey = oy + a[3];
            } else {
                ex = px;
                ey = py;
                if (last == 'q' || last == 't') {
                    px = 2 * cx - qx;
                    py = 2 * cy - qy;
                } else {
                    px = cx;
                    py = cy;
                }
            }
            /* quadratic -> cubic: controls at 2/3 towards the quad control */
            r = svg_segbuf_push(b, SVG_SEG_CUBIC, m,
                                cx + 2.0 / 3 * (px - cx), cy + 2.0 / 3 * (py - cy),
                                ex + 2.0 / 3 * (px - ex), ey + 2.0 / 3 * (py - ey),
                                ex, ey);
            qx = px;
            qy = py;
            cx = ex;
            cy = ey;
            break;
        }
        case 'a':
            r = S_arc(b, m, cx, cy, a[0], a[1], a[2], (int)a[3], (int)a[4],
                      ox + a[5], oy + a[6]);
            cx = ox + a[5];
            cy = oy + a[6];
            break;
        case 'z':
            r = svg_segbuf_push(b, SVG_SEG_CLOSE, m, 0, 0, 0, 0, sx, sy);
            cx = sx;
            cy = sy;
            break;
        }
        if (r)
            return r;
        last = cmd | 0x20;
        if (last == 'm')
            last = 'l';
        p = svg_skip_ws(p, 1);
    }
    return SVG_OK;
bad:
    *err_off = (size_t)(p - d);
    return SVG_E_SYNTAX;
}
