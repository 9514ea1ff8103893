/* pdf_picture — see pdf_picture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_picture.h"
#include "pdf/pdf_svg.h"
#include "svg/svg.h"
#include "base/par.h"

struct pdf_picture {
    svg_doc *svg;            /* owned; NULL for a raster picture */
    HPDF_Image img;          /* owned by the document; NULL for SVG */
};

/* The file of figure node nd (malloc'd), or NULL out of memory. */
static char *S_path(const pdf_ctx *c, const doc_node *nd)
{
    const char *dir = c->o->figures_dir ? c->o->figures_dir : "figures";
    const char *name = nd->name;
    const char *lsuf = nd->fig_lang ? c->lang->code : "";
    if (nd->fig_src == DOC_FIG_IMAGE)
        return strdup(nd->src);
    size_t n = strlen(dir) + strlen(name) + strlen(lsuf) + 9;
    char *path = malloc(n);
    if (path)     /* NAME.svg, or NAME.zh.svg in the document's language */
        snprintf(path, n, "%s/%s%s%s.svg", dir, name, *lsuf ? "." : "", lsuf);
    return path;
}

static int S_is_svg(const char *path)
{
    size_t pl = strlen(path);
    return pl >= 4 && strcasecmp(path + pl - 4, ".svg") == 0;
}

/* ---- the SVGs parsed ahead (issue 15) -------------------------------------
 * Every SVG picture of the document is parsed on a worker thread (base/par)
 * from the start of the render, in document order, while the main thread
 * measures; pdf_picture_load takes the result (the same svg_parse_file
 * call, so the same document or the same error). */
typedef struct S_pre {
    char *path;
    svg_doc *svg;            /* until taken */
    lb_err e;
    int taken;
} S_pre;

struct pdf_prefetch {
    S_pre *v;
    size_t n;
    par *run;
};

static void S_pre_parse(void *ctx, size_t i)
{
    S_pre *x = &((S_pre *)ctx)[i];
    x->svg = svg_parse_file(x->path, &x->e);
}

void pdf_picture_prefetch(pdf_ctx *c)
{
    size_t n = 0;
    for (const doc_node *x = c->doc->root; x; x = doc_next(c->doc->root, x))
        n += x->type == DOC_FIGURE;
    struct pdf_prefetch *pf = n ? calloc(1, sizeof *pf) : NULL;
    if (!pf || !(pf->v = calloc(n, sizeof *pf->v))) {
        free(pf);
        return;   /* best effort: each picture is parsed when loaded */
    }
    for (const doc_node *x = c->doc->root; x; x = doc_next(c->doc->root, x)) {
        if (x->type != DOC_FIGURE)
            continue;
        char *path = S_path(c, x);
        int dup = 0;
        for (size_t k = 0; path && k < pf->n && !dup; k++)
            dup = !strcmp(pf->v[k].path, path);
        if (!path || dup || !S_is_svg(path)) {
            free(path);
            continue;
        }
        err_clear(&pf->v[pf->n].e);
        pf->v[pf->n++].path = path;
    }
    pf->run = par_start(pf->n, S_pre_parse, pf->v);
    if (!pf->run) {
        pdf_picture_prefetch_free(pf);
        return;
    }
    c->prefetch = pf;
}

void pdf_picture_prefetch_free(struct pdf_prefetch *pf)
{
    if (!pf)
        return;
    par_finish(pf->run);
    for (size_t k = 0; k < pf->n; k++) {
        free(pf->v[k].path);
        svg_doc_free(pf->v[k].svg);
    }
    free(pf->v);
    free(pf);
}

/* svg_parse_file(path, e), from the prefetch when it has it. */
static svg_doc *S_parse(pdf_ctx *c, const char *path, lb_err *e)
{
    struct pdf_prefetch *pf = c->prefetch;
    for (size_t k = 0; pf && k < pf->n; k++) {
        S_pre *x = &pf->v[k];
        if (x->taken || strcmp(x->path, path) != 0)
            continue;
        par_wait(pf->run, k + 1);
        x->taken = 1;
        *e = x->e;
        svg_doc *d = x->svg;
        x->svg = NULL;
        return d;
    }
    return svg_parse_file(path, e);
}

pdf_picture *pdf_picture_load(pdf_ctx *c, const doc_node *nd, double *aspect,
                              double *natural_w)
{
    const char *name = nd->name;
    int own = nd->fig_src == DOC_FIG_IMAGE;
    char *path = S_path(c, nd);
    pdf_picture *p = NULL;
    *natural_w = 0.0;
    if (!path) {
        err_nomem(c->e);
        return NULL;
    }
    if (c->npics == c->cappics) {
        size_t ncap = c->cappics ? c->cappics * 2 : 8;
        pdf_picture **t = realloc(c->pics, ncap * sizeof *t);
        if (!t) {
            err_nomem(c->e);
            goto out;
        }
        c->pics = t;
        c->cappics = ncap;
    }
    p = calloc(1, sizeof *p);
    if (!p) {
        err_nomem(c->e);
        goto out;
    }
    size_t pl = strlen(path);
    if (own && !S_is_svg(path)) {
        /* PNG / JPEG: embedded as they are (res_check_picture vetted them) */
        int png = pl >= 4 && strcasecmp(path + pl - 4, ".png") == 0;
        p->img = png ? HPDF_LoadPngImageFromFile(c->pdf, path)
                     : HPDF_LoadJpegImageFromFile(c->pdf, path);
        HPDF_UINT w = p->img ? HPDF_Image_GetWidth(p->img) : 0;
        HPDF_UINT h = p->img ? HPDF_Image_GetHeight(p->img) : 0;
        if (!p->img || w == 0 || h == 0) {
            HPDF_ResetError(c->pdf);
            err_at(c->e, LB_EXIT_INPUT, c->path, nd->line, nd->col,
                   "picture '%s': libharu cannot embed this %s file", nd->url,
                   png ? "PNG" : "JPEG");
            free(p);
            p = NULL;
            goto out;
        }
        *aspect = (double)h / (double)w;
        *natural_w = (double)w * 0.75;   /* 96 pixels per inch */
    } else {
        lb_err se;
        err_clear(&se);
        p->svg = S_parse(c, path, &se);
        if (!p->svg) {
            /* the template line that names the picture or the code */
            if (nd->fig_src != DOC_FIG_CATALOG)
                err_at(c->e, se.code ? se.code : LB_EXIT_INPUT, c->path, nd->line, nd->col,
                       "%s '%s': %s", own ? "picture" : "gnuplot figure",
                       own ? nd->url : name, se.msg);
            else
                err_set(c->e, se.code ? se.code : LB_EXIT_RUNTIME, "%s", se.msg);
            free(p);
            p = NULL;
            goto out;
        }
        /* height per unit width, from the SVG canvas */
        *aspect = pdf_svg_height(p->svg, 1.0);
    }
    c->pics[c->npics++] = p;
out:
    free(path);
    return p;
}

int pdf_picture_draw(pdf_ctx *c, pdf_picture *p, double x, double y_bottom,
                     double w, double h)
{
    if (p->img) {
        HPDF_Page_DrawImage(c->page, p->img, (HPDF_REAL)x, (HPDF_REAL)y_bottom, (HPDF_REAL)w,
                            (HPDF_REAL)h);
        return pdf_hpdf_ok(c);
    }
    /* Transparency needs the document (ExtGState); `$...$` labels go to
     * the same math typesetter as the text. */
    pdf_svg_opts so = {c->o->hpdf_content ? PDF_SVG_HPDF_PATHS : 0, c->mf, c->pdf,
                       c->cjk};
    if (pdf_svg_draw_opts(c->pf, c->page, p->svg, x, y_bottom + h, w, &so,
                          c->e) != 0)
        return -1;
    return pdf_hpdf_ok(c);
}

void pdf_picture_free(pdf_picture *p)
{
    if (!p)
        return;
    svg_doc_free(p->svg);
    free(p);
}
