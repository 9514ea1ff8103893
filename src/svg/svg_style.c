/* svg_style — SVG's cascade for one element: inherited presentation
 * attributes, then style="" declarations (which win), into an svg_style.
 * Properties that would change the picture but are not implemented are
 * errors naming the element; purely interactive ones are ignored.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "svg/svg_int.h"

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

static int S_dasharray(const char *v, svg_style *st)
{
    double a[SVG_MAX_DASH];
    int n = 0, nonzero = 0;
    const char *p = svg_skip_ws(v, 0);
    if (strncmp(p, "none", 4) == 0 && !*svg_skip_ws(p + 4, 0)) {
        st->ndash = 0;
        return SVG_OK;
    }
    while (*p) {
        if (n >= SVG_MAX_DASH / 2)
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
    {"mask", "none", NULL},
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
static int S_prop(svg_walker *w, const svg_node *n, svg_style *st, const char *name,
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
            return svg_werr(w, n, "unsupported %s '%s' (gradients and patterns "
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
        if (!rc && !(x > 0 && x <= 600))   /* libharu: <= 600 */
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
    } else if (!strcmp(name, "filter")) {
        if (!strcmp(svg_skip_ws(v, 0), "none"))
            st->boxed = 0;
        else
            return svg_filter_box(w, n, v, st);
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
            return svg_werr(w, n, "unsupported %s '%s'", name, v);
        }
        return 1;
    }
    if (rc)
        return svg_werr(w, n, "bad or unsupported %s value '%s'", name, v);
    return 0;
}

/* Apply a style="a:b; c:d" declaration list.  Unknown CSS properties are
 * errors: in a style attribute they can only be about rendering. */
static int S_style_attr(svg_walker *w, const svg_node *n, svg_style *st, const char *s,
                        svg_arena *tmp, const char **clip_path, int *display_none)
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
            char *key = svg_arena_strndup(tmp, k0, (size_t)(k1 - k0));
            const char *v0 = svg_skip_ws(colon + 1, 0);
            const char *v1 = s + len;
            while (v1 > v0 && (v1[-1] == ' ' || v1[-1] == '\t' || v1[-1] == '\n'))
                v1--;
            char *val = key ? svg_arena_strndup(tmp, v0, (size_t)(v1 - v0)) : NULL;
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
                    return svg_werr(w, n, "unsupported style property '%s' on <%s>",
                                 key, n->name);
            }
        } else if ((size_t)(k0 - s) < len) {
            /* non-blank text without a colon */
            return svg_werr(w, n, "bad style declaration in '%s'%s", s, "");
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
int svg_element_style(svg_walker *w, const svg_node *n, svg_style *st,
                           svg_arena *tmp, const char **clip_path,
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
                return svg_werr(w, n, "unsupported attribute %s on <%s>", a[0],
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

int svg_num_attr(svg_walker *w, const svg_node *n, const char *name,
                      double dflt, double *out)
{
    const char *v = svg_attr(n, name);
    *out = dflt;
    if (!v)
        return 0;
    if (svg_length(v, out))
        return svg_werr(w, n, "bad or unsupported %s value '%s'", name, v);
    return 0;
}

/* ---- gnuplot's text-box filter ------------------------------------------ */

int svg_filter_box(svg_walker *w, const svg_node *n, const char *v,
                   svg_style *st)
{
    const svg_node *f = svg_url(w, n, "filter", v);
    if (!f)
        return -1;
    int flood = 0, comp = 0;
    svg_color c = {1, 1, 1};
    double op = 1;
    if (strcmp(f->name, "filter"))
        return svg_werr(w, n, "filter references <%s>, not <filter>%s",
                        f->name, "");
    for (const svg_node *k = f->first; k; k = k->next) {
        if (!k->name)
            continue;
        if (!strcmp(k->name, "feFlood") && !flood) {
            const char *fc = svg_attr(k, "flood-color");
            const char *fo = svg_attr(k, "flood-opacity");
            if ((fc && svg_color_parse(fc, &c)) || (fo && svg_length(fo, &op)))
                return svg_werr(w, k, "unsupported <feFlood> values%s%s", "",
                                "");
            flood = 1;
        } else if (!strcmp(k->name, "feComposite") && flood && !comp) {
            const char *o = svg_attr(k, "operator");
            if (!o || strcmp(o, "atop"))
                return svg_werr(w, k, "unsupported <feComposite> operator "
                                "'%s'%s", o ? o : "", "");
            comp = 1;
        } else {
            return svg_werr(w, k, "unsupported filter primitive <%s>%s",
                            k->name, "");
        }
    }
    if (!flood || !comp)
        return svg_werr(w, f, "unsupported filter (only gnuplot's text box: "
                        "feFlood + feComposite atop)%s%s", "", "");
    st->boxed = 1;
    st->box_color = c;
    st->box_opacity = op < 0 ? 0 : op > 1 ? 1 : op;
    return 0;
}
