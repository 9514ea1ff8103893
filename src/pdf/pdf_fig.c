/* pdf_fig — the one place that knows how a figure's picture is stored and
 * drawn: gnuplot's SVG from the figures folder, read by svg.c and drawn as
 * vector paths and Latin Modern text by pdf_svg.c (issue 6).  The PDF holds
 * no raster image; the PNGs stay in out/figures for documentation users.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_ctx.h"
#include "pdf/pdf_svg.h"
#include "svg/svg.h"

struct pdf_fig {
    svg_doc *svg;            /* owned */
};

pdf_fig *pdf_fig_load(pdf_ctx *c, const char *name, double *aspect)
{
    const char *dir = c->o->figures_dir ? c->o->figures_dir : "figures";
    size_t n = strlen(dir) + strlen(name) + 8;
    char *path = malloc(n);
    pdf_fig *f = NULL;
    if (!path) {
        err_nomem(c->e);
        return NULL;
    }
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
    f->svg = svg_parse_file(path, c->e);
    if (!f->svg) {
        free(f);
        f = NULL;
        goto out;
    }
    /* height per unit width, from the SVG canvas */
    *aspect = pdf_svg_height(f->svg, 1.0);
    c->figs[c->nfigs++] = f;
out:
    free(path);
    return f;
}

int pdf_fig_draw(pdf_ctx *c, pdf_fig *f, double x, double y_bottom,
                 double w, double h)
{
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
