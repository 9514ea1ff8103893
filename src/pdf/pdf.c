/* pdf — pdf_render: set up the context (pdf_ctx.c) and the libharu document
 * (pdf_hpdf.c), typeset the model into one vertical list (pdf_blocks.c),
 * break it into pages (pdf_pagebreak.c), draw the pages (pdf_draw.c), write
 * the document info and save.  Only sequencing lives here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "pdf/pdf_blocks.h"
#include "pdf/pdf_draw.h"
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_picture.h"
#include "pdf/pdf_t1sub.h"
#include "pdf/pdf_text.h"

/* ---- options and dates --------------------------------------------------- */

void pdf_opts_default(pdf_opts *o)
{
    memset(o, 0, sizeof *o);   /* every field a later change adds starts at 0 */
    o->paper = PDF_PAPER_A4;
    o->figures_dir = "figures";
    o->fontdir = NULL;
    o->date = -1;
    o->mf = NULL;
    o->warn = NULL;
    o->warn_ctx = NULL;
    o->whole_fonts = 0;
    o->hpdf_content = 0;
}

/* ---- the run ------------------------------------------------------------- */

int pdf_render(const doc *d, const cat *ct, const pdf_opts *opts,
               const char *out_path, lb_err *e)
{
    pdf_ctx cx, *c = &cx;
    pdf_opts defo;
    vl_page *pages = NULL;
    size_t np = 0;
    int rc = -1;

    if (!opts) {
        pdf_opts_default(&defo);
        opts = &defo;
    }
    pdf_ctx_init(c, d, ct, opts, e);
    /* The caller has usually loaded the math fonts already (to check the
     * template's formulas); load them here only when it has not. */
    c->mf = opts->mf;
    if (!c->mf && !(c->mf = c->mf_owned = math_fonts_new(opts->fontdir, e)))
        goto out;
    if (pdf_hpdf_new(c) < 0)
        goto out;
    pdf_picture_prefetch(c);   /* the figures' SVGs, parsed on the other core */
    if (pdf_text_fonts_load(c) < 0)
        goto out;

    /* Measure: the whole document becomes one vertical list. */
    if (pdf_blocks_title(c) < 0 || pdf_blocks(c, d->root->first_child) < 0)
        goto out;
    vl_params vp;
    vl_params_default(&vp, c->th);
    if (vl_paginate(c->vl, c->nvl, &vp, &pages, &np, e) < 0)
        goto out;
    /* Draw. */
    if (pdf_draw_pages(c, pages, np) < 0 || pdf_hpdf_info(c) < 0)
        goto out;
    /* issue 15: embed only the glyphs drawn, compress the font programs */
    size_t nprogs;
    const pdf_t1prog *progs = pdf_fonts_programs(c->pf, &nprogs);
    if (!opts->whole_fonts && pdf_t1sub_apply(c->pdf, progs, nprogs, NULL, e) < 0)
        goto out;
    if (pdf_hpdf_save(c, out_path) < 0)
        goto out;
    rc = 0;
out:
    vl_pages_free(pages, np);
    pdf_ctx_release(c);
    pdf_hpdf_free(c, rc < 0);
    math_fonts_free(c->mf_owned);
    return rc;
}
