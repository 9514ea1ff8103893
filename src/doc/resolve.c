/* resolve — directive names checked against the catalog (see resolve.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/img.h"
#include "plot/figures.h"
#include "doc/resolve.h"
#include "doc/xref.h"

int res_error_at(const doc *d, const doc_node *n, const lb_err *tmp,
                 lb_err *e)
{
    int code = tmp->code ? tmp->code : LB_EXIT_INPUT;
    return err_at(e, code, d->path, n->line, n->col, "%s",
                  tmp->msg[0] ? tmp->msg : "bad directive");
}

int res_check_picture(const doc *d, const doc_node *n, img_info *out, lb_err *e)
{
    img_info ii;
    lb_err tmp;
    err_clear(&tmp);
    /* the extension says what the author expects; a kind the PDF cannot
     * embed (.gif, .webp, none) is refused before the file is opened */
    const char *u = n->url;
    size_t ul = strlen(u);
    int ext_svg = ul >= 4 && strcasecmp(u + ul - 4, ".svg") == 0;
    int ext_png = ul >= 4 && strcasecmp(u + ul - 4, ".png") == 0;
    int ext_jpg = (ul >= 4 && strcasecmp(u + ul - 4, ".jpg") == 0) ||
                  (ul >= 5 && strcasecmp(u + ul - 5, ".jpeg") == 0);
    if (!ext_svg && !ext_png && !ext_jpg) {
        const char *base = strrchr(u, '/') ? strrchr(u, '/') + 1 : u;
        const char *dot = strrchr(base, '.');
        if (dot && dot > base)
            return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                          "picture '%s': a %.20s file is a kind the PDF cannot embed (expected "
                          "a .png, .jpg, .jpeg or .svg file; an image from a URL stays "
                          "inline)", u, dot);
        return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                      "picture '%s' has no file extension (expected a name ending in .png, "
                      ".jpg, .jpeg or .svg; an image from a URL stays inline)", u);
    }
    if (img_probe(n->src, &ii, &tmp) != 0)
        return err_at(e, tmp.code, d->path, n->line, n->col, "picture '%s' (%s): %s", n->url,
                      n->src, tmp.msg);
    img_format want = ext_svg ? IMG_SVG : ext_png ? IMG_PNG : IMG_JPEG;
    if (ii.format != want)
        return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                      "picture '%s' is a %s file, not the %s its name says", n->url,
                      img_format_name(ii.format), img_format_name(want));
    /* what libharu 2.3.0 embeds correctly (checked: an interlaced PNG fails,
     * a 16-bit one renders corrupted) */
    if (ii.format == IMG_PNG && ii.interlaced)
        return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                      "picture '%s' is an interlaced PNG (expected a non-interlaced PNG: "
                      "save it again without interlacing)", n->url);
    if (ii.format == IMG_PNG && ii.bit_depth == 16)
        return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                      "picture '%s' is a 16-bit PNG (expected 8 bits per channel or fewer: "
                      "save it again with 8)", n->url);
    if (ii.format == IMG_JPEG && ii.color_type != 1 && ii.color_type != 3)
        return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                      "picture '%s' is a JPEG with %d colour components (expected grey or "
                      "RGB)", n->url, ii.color_type);
    if (out)
        *out = ii;
    return 0;
}

int res_check(const doc *d, const cat *c, lb_err *e)
{
    if (!d || !c)
        return err_set(e, LB_EXIT_RUNTIME, "res_check: no document or "
                       "catalog");
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
        switch (n->type) {
        case DOC_FIGURE:
            if (n->fig_src == DOC_FIG_IMAGE) {
                if (res_check_picture(d, n, NULL, e) != 0)
                    return -1;
                break;
            }
            if (n->fig_src == DOC_FIG_GNUPLOT)
                break;
            /* the figure catalogue (figures.h) is the one source of names */
            if (!fig_find(n->name))
                return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                              "unknown figure '%s' (known: %s)", n->name,
                              fig_known_names());
            break;
        case DOC_GENTABLE: {
            lb_err tmp;
            err_clear(&tmp);
            if (cat_table_check(c, n->spec ? n->spec : n->name, &tmp) != 0)
                return res_error_at(d, n, &tmp, e);
            break;
        }
        case DOC_VALUE: {
            char buf[256];
            lb_err tmp;
            err_clear(&tmp);
            if (cat_value_format(c, n->spec, buf, sizeof buf, &tmp) < 0)
                return res_error_at(d, n, &tmp, e);
            break;
        }
        default:
            break;
        }
    }
    return 0;
}

/* One step/K table node copied from the step/\* node n. */
static doc_node *S_step_node(const doc_node *n, size_t pos, lb_err *e)
{
    doc_node *t = doc_node_new(DOC_GENTABLE, n->line, n->col, e);
    char name[40];
    snprintf(name, sizeof name, "step/%zu", pos + 1);
    if (!t || doc_set_str(&t->name, name, strlen(name), e) < 0 ||
        doc_set_str(&t->spec, name, strlen(name), e) < 0) {
        doc_node_free(t);
        return NULL;
    }
    return t;
}

static int S_expand_one(doc *d, doc_node *n, const ex_model *m, lb_err *e)
{
    if (n->first_child)
        return err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                      "table 'step/*' takes no caption (each position's table has its own): "
                      "write [](table:step/*?first=K)");
    size_t first = n->opt_first >= 0 ? (size_t)n->opt_first : 0;
    size_t worst = n->opt_worst >= 0 ? (size_t)n->opt_worst : 0;
    if (n->opt_first < 0 && n->opt_worst < 0)
        first = m->N;
    if (first > m->N)
        first = m->N;
    size_t *w = NULL;
    if (worst) {
        if (worst > m->n_active)
            worst = m->n_active;
        /* the `worst` positions with the highest -log p_target, less those
         * the first ones already show */
        if (!(w = malloc(worst * sizeof *w)))
            return err_nomem(e);
        size_t got = ex_worst(m, worst, w), k = 0;
        for (size_t i = 0; i < got; i++)
            if (w[i] >= first)
                w[k++] = w[i];
        worst = k;
    }
    doc_node *at = n;
    for (size_t i = 0; i < first + worst; i++) {
        doc_node *t = S_step_node(n, i < first ? i : w[i - first], e);
        if (!t) {
            free(w);
            return -1;
        }
        doc_node_insert_after(at, t);
        at = t;
    }
    free(w);
    doc_node_free(n);
    return 0;
}

int res_expand(doc *d, const ex_model *m, lb_err *e)
{
    /* collect first, then change the tree: the walk never meets a node
     * that was just freed or inserted */
    size_t n_star = 0, cap = 0;
    doc_node **star = NULL;
    int rc = -1;
    for (const doc_node *c = d->root; c; c = doc_next(d->root, c)) {
        if (c->type != DOC_GENTABLE)
            continue;
        if (strcmp(c->name, "step/*") != 0)
            continue;
        if (n_star == cap) {
            size_t nc = cap ? 2 * cap : 8;
            doc_node **ns = realloc(star, nc * sizeof *ns);
            if (!ns) {
                err_nomem(e);
                goto out;
            }
            star = ns;
            cap = nc;
        }
        star[n_star++] = (doc_node *)c;
    }
    for (size_t i = 0; i < n_star; i++)
        if (S_expand_one(d, star[i], m, e) != 0)
            goto out;
    rc = 0;
out:
    free(star);
    return rc;
}

void res_math_pos(const doc_node *n, int line, int col, const char *tex, int display,
                  int ecol, int *oline, int *ocol)
{
    size_t off = ecol > 0 ? (size_t)(ecol - 1) : 0, last_nl = 0, byte = 0;
    for (size_t k = 0; k < off && tex[byte]; k++) {   /* character -> byte */
        byte++;
        while (((unsigned char)tex[byte] & 0xC0) == 0x80)
            byte++;
    }
    if (n && n->n_tex_map) {
        doc_text_pos(n, byte, oline, ocol);
        return;
    }
    int nl = 0;
    for (size_t k = 0; k < off && tex[k]; k++)
        if (tex[k] == '\n') {
            nl++;
            last_nl = k + 1;
        }
    if (display && strchr(tex, '\n')) {
        line += 1 + nl;
        col = 1 + (int)(off - last_nl);
    } else if (ecol > 0)
        col += (display ? 2 : 1) + (int)off;
    *oline = line;
    *ocol = col;
}

int res_math_error(const char *path, const doc_node *n, int line, int col, const char *tex,
                   int display, int ecol, const lb_err *le, lb_err *e)
{
    res_math_pos(n, line, col, tex, display, ecol, &line, &col);
    char shown[80];
    size_t k = 0;
    for (; tex[k] && k + 4 < sizeof shown; k++)
        shown[k] = tex[k] == '\n' ? ' ' : tex[k];
    /* never cut a UTF-8 character in two */
    if (tex[k])
        while (k > 0 && ((unsigned char)tex[k] & 0xC0) == 0x80)
            k--;
    if (tex[k])
        memcpy(shown + k, "...", 3), k += 3;
    shown[k] = '\0';
    if (le->code == LB_EXIT_INPUT)
        return err_at(e, LB_EXIT_INPUT, path, line, col, "in formula '%s': %s", shown,
                      le->msg);
    return err_set(e, le->code ? le->code : LB_EXIT_RUNTIME, "%s", le->msg);
}

/* A display's \label used by an earlier display too: LaTeX's "Label
 * `NAME' multiply defined", an error here at the second \label. */
static int S_dup_label(const doc *d, const doc_node *n, lb_err *e)
{
    for (const doc_node *p = d->root; p && p != n; p = doc_next(d->root, p)) {
        if ((p->type != DOC_DMATH && p->type != DOC_MATH_BLOCK) || !p->label
            || strcmp(p->label, n->label))
            continue;
        /* the column of the \label command in the formula, in characters */
        const char *at = strstr(n->text, "\\label");
        int ecol = 1, line, col;
        for (const char *s = n->text; at && s < at; s++)
            ecol += ((unsigned char)*s & 0xC0) != 0x80;
        res_math_pos(n, n->line, n->col, n->text, 1, at ? ecol : 0, &line, &col);
        return err_at(e, LB_EXIT_INPUT, d->path, line, col, "\\label{%s} is already the label "
                      "of the display at line %d (expected each label once)", n->label,
                      p->line);
    }
    return 0;
}

int res_check_math(const doc *d, const math_fonts *mf, lb_err *e)
{
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
        if (n->type != DOC_MATH && n->type != DOC_DMATH && n->type != DOC_MATH_BLOCK)
            continue;
        int display = n->type != DOC_MATH, ecol = 0;
        lb_err le;
        err_clear(&le);
        /* Errors do not depend on the size: 10 pt, the body size. */
        math_refs refs = xref_math_refs(d);
        math_box *b = math_layout_refs(mf, n->text, display ? MATH_DISPLAY : MATH_TEXT, 10.0,
                                       &refs, &ecol, &le);
        if (!b)
            return res_math_error(d->path, n, n->line, n->col, n->text, display, ecol, &le, e);
        math_box_free(b);
        if (display && n->label && S_dup_label(d, n, e) < 0)
            return -1;
    }
    return 0;
}
