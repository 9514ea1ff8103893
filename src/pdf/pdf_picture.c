/* pdf_picture — see pdf_picture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_picture.h"
#include "pdf/pdf_svg.h"
#include "svg/svg.h"

struct pdf_picture {
    svg_doc *svg;            /* owned */
};

pdf_picture *pdf_picture_load(pdf_ctx *c, const char *name, double *aspect)
{
    const char *dir = c->o->figures_dir ? c->o->figures_dir : "figures";
    size_t n = strlen(dir) + strlen(name) + 8;
    char *path = malloc(n);
    pdf_picture *p = NULL;
    if (!path) {
        err_nomem(c->e);
        return NULL;
    }
    snprintf(path, n, "%s/%s.svg", dir, name);
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
    p->svg = svg_parse_file(path, c->e);
    if (!p->svg) {
        free(p);
        p = NULL;
        goto out;
    }
    /* height per unit width, from the SVG canvas */
    *aspect = pdf_svg_height(p->svg, 1.0);
    c->pics[c->npics++] = p;
out:
    free(path);
    return p;
}

int pdf_picture_draw(pdf_ctx *c, pdf_picture *p, double x, double y_bottom,
                     double w, double h)
{
    /* Transparency needs the document (ExtGState); `$...$` labels go to
     * the same math typesetter as the text. */
    pdf_svg_opts so = {0, c->mf, c->pdf};
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
