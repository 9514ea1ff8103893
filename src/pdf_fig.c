/* pdf_fig — the one place that knows how a figure's picture is stored and
 * drawn: a PNG from the figures folder, embedded with
 * HPDF_LoadPngImageFromFile (compressed by HPDF_COMP_ALL).  Issue 6 replaces
 * these three functions with the vector SVG path (pdf_svg.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf_ctx.h"

struct pdf_fig {
    HPDF_Image img;          /* owned by the HPDF_Doc */
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
    snprintf(path, n, "%s/%s.png", dir, name);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set(c->e, LB_EXIT_RUNTIME, "figure '%s': cannot read %s", name,
                path);
        goto out;
    }
    fclose(fp);
    f = calloc(1, sizeof *f);
    if (!f) {
        err_nomem(c->e);
        goto out;
    }
    f->img = HPDF_LoadPngImageFromFile(c->pdf, path);
    if (!f->img) {
        HPDF_ResetError(c->pdf);
        c->hpdf_failed = 0;
        err_clear(c->e);   /* replace libharu's code by a clear message */
        err_set(c->e, LB_EXIT_RUNTIME, "figure '%s': %s is not a PNG "
                "libharu can embed (8-bit, non-interlaced)", name, path);
        free(f);
        f = NULL;
        goto out;
    }
    HPDF_UINT iw = HPDF_Image_GetWidth(f->img);
    HPDF_UINT ih = HPDF_Image_GetHeight(f->img);
    *aspect = iw ? (double)ih / (double)iw : 0.625;
    if (c->nfigs == c->capfigs) {
        size_t ncap = c->capfigs ? c->capfigs * 2 : 8;
        pdf_fig **t = realloc(c->figs, ncap * sizeof *t);
        if (!t) {
            err_nomem(c->e);
            free(f);
            f = NULL;
            goto out;
        }
        c->figs = t;
        c->capfigs = ncap;
    }
    c->figs[c->nfigs++] = f;
out:
    free(path);
    return f;
}

int pdf_fig_draw(pdf_ctx *c, pdf_fig *f, double x, double y_bottom,
                 double w, double h)
{
    HPDF_Page_DrawImage(c->page, f->img, (HPDF_REAL)x, (HPDF_REAL)y_bottom,
                        (HPDF_REAL)w, (HPDF_REAL)h);
    return pdf_hpdf_ok(c);
}

void pdf_fig_free(pdf_fig *f)
{
    free(f);
}

