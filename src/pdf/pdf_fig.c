/* pdf_fig — the one place that knows how a figure's picture is stored and
 * drawn: gnuplot's SVG from the figures folder (built-in figures and the
 * template's ```gnuplot figures), read by svg.c and drawn as vector paths
 * and Latin Modern text by pdf_svg.c; a picture of the template's own
 * (fig_src DOC_FIG_IMAGE) is its SVG drawn the same way, or its PNG / JPEG
 * embedded by libharu pixel for pixel (no resampling).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pdf/pdf_ctx.h"
#include "pdf/pdf_svg.h"
#include "svg/svg.h"

struct pdf_fig {
    svg_doc *svg;            /* owned; NULL for a raster picture */
    HPDF_Image img;          /* owned by the document; NULL for SVG */
};

pdf_fig *pdf_fig_load_node(pdf_ctx *c, const doc_node *nd, double *aspect, double *natural_w)
{
    const char *dir = c->o->figures_dir ? c->o->figures_dir : "figures";
    const char *name = nd->name;
    int picture = nd->fig_src == DOC_FIG_IMAGE;
    size_t n = strlen(dir) + strlen(name) + 8;
    char *path = picture ? strdup(nd->src) : malloc(n);
    pdf_fig *f = NULL;
    *natural_w = 0.0;
    if (!path) {
        err_nomem(c->e);
        return NULL;
    }
    if (!picture)
        snprintf(path, n, "%s/%s.svg", dir, name);
    if (c->nfigs == c->capfigs) {
        size_t ncap = c->capfigs ? c->capfigs * 2 : 8;
        pdf_fig **t = realloc(c->figs, ncap * sizeof *t);
        if (!t) {
            err_nomem(c->e);
            goto out;
        }
        c->figs = t;
        c->capfigs = ncap;
    }
    f = calloc(1, sizeof *f);
    if (!f) {
        err_nomem(c->e);
        goto out;
    }
    size_t pl = strlen(path);
    int raster = picture && !(pl >= 4 && strcasecmp(path + pl - 4, ".svg") == 0);
    if (raster) {
        int png = pl >= 4 && strcasecmp(path + pl - 4, ".png") == 0;
        f->img = png ? HPDF_LoadPngImageFromFile(c->pdf, path)
                     : HPDF_LoadJpegImageFromFile(c->pdf, path);
        HPDF_UINT w = f->img ? HPDF_Image_GetWidth(f->img) : 0;
        HPDF_UINT h = f->img ? HPDF_Image_GetHeight(f->img) : 0;
        if (!f->img || w == 0 || h == 0) {
            HPDF_ResetError(c->pdf);
            err_at(c->e, LB_EXIT_INPUT, c->path, nd->line, nd->col,
                   "picture '%s': libharu cannot embed this %s file", nd->url,
                   png ? "PNG" : "JPEG");
            free(f);
            f = NULL;
            goto out;
        }
        *aspect = (double)h / (double)w;
        *natural_w = (double)w * 0.75;   /* 96 pixels per inch */
    } else {
        lb_err se;
        err_clear(&se);
        f->svg = svg_parse_file(path, &se);
        if (!f->svg) {
            /* a picture's error belongs to the template line that names it */
            if (nd->fig_src != DOC_FIG_CATALOG)
                err_at(c->e, se.code ? se.code : LB_EXIT_INPUT, c->path, nd->line, nd->col,
                       "%s '%s': %s", picture ? "picture" : "gnuplot figure",
                       picture ? nd->url : name, se.msg);
            else
                err_set(c->e, se.code ? se.code : LB_EXIT_RUNTIME, "%s", se.msg);
            free(f);
            f = NULL;
            goto out;
        }
        /* height per unit width, from the SVG canvas */
        *aspect = pdf_svg_height(f->svg, 1.0);
    }
    c->figs[c->nfigs++] = f;
out:
    free(path);
    return f;
}

int pdf_fig_draw(pdf_ctx *c, pdf_fig *f, double x, double y_bottom,
                 double w, double h)
{
    if (f->img) {
        HPDF_Page_DrawImage(c->page, f->img, x, y_bottom, w, h);
        return pdf_hpdf_ok(c);
    }
    /* Transparency needs the document (ExtGState); `$...$` labels go to
     * the same math typesetter as the text. */
    pdf_svg_opts so = {0, c->mf, c->pdf};
    if (pdf_svg_draw_opts(c->pf, c->page, f->svg, x, y_bottom + h, w, &so, c->e) != 0)
        return -1;
    return pdf_hpdf_ok(c);
}

void pdf_fig_free(pdf_fig *f)
{
    if (!f)
        return;
    svg_doc_free(f->svg);
    free(f);
}
