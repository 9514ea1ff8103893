/* pdf_picture — see pdf_picture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_picture.h"
#include "pdf/pdf_svg.h"
#include "svg/svg.h"

struct pdf_picture {
    svg_doc *svg;            /* owned; NULL for a raster picture */
    HPDF_Image img;          /* owned by the document; NULL for SVG */
};

pdf_picture *pdf_picture_load(pdf_ctx *c, const doc_node *nd, double *aspect,
                              double *natural_w)
{
    const char *dir = c->o->figures_dir ? c->o->figures_dir : "figures";
    const char *name = nd->name;
    int own = nd->fig_src == DOC_FIG_IMAGE;
    const char *lsuf = nd->fig_lang ? c->lang->code : "";
    size_t n = strlen(dir) + strlen(name) + strlen(lsuf) + 9;
    char *path = own ? strdup(nd->src) : malloc(n);
    pdf_picture *p = NULL;
    *natural_w = 0.0;
    if (!path) {
        err_nomem(c->e);
        return NULL;
    }
    if (!own)     /* NAME.svg, or NAME.zh.svg in the document's language */
        snprintf(path, n, "%s/%s%s%s.svg", dir, name, *lsuf ? "." : "", lsuf);
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
    if (own && !(pl >= 4 && strcasecmp(path + pl - 4, ".svg") == 0)) {
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
        p->svg = svg_parse_file(path, &se);
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
