/* pdf — pdf_render: set up the libharu document, typeset the model into a
 * vertical list (pdf_blocks.c), break it into pages (pdf_vlist.c), draw the
 * pages (pdf_draw.c), write document info and save.
 *
 * Page geometry (LaTeX article, 10pt, centred text block):
 *   A4      595.28 x 841.89  text 360 x 598 (49 lines + topskip), left 117.6
 *   Letter  612 x 792        text 360 x 550 (45 lines + topskip), left 126
 *   top margin such that the block sits a little above centre (LaTeX's
 *   bottom margin is larger than its top margin); page number 30pt below
 *   the text block (\footskip), centred (\pagestyle{plain}).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "pdf/pdf_ctx.h"
#include "pdf/pdf_t1sub.h"

/* ---- libharu errors ------------------------------------------------------ */

static void S_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                         void *user)
{
    pdf_ctx *c = user;
    c->hpdf_failed = 1;
    err_set(c->e, LB_EXIT_RUNTIME, "libharu error 0x%04X (detail %u)",
            (unsigned)error_no, (unsigned)detail_no);
}

/* ---- options and dates --------------------------------------------------- */

void pdf_opts_default(pdf_opts *o)
{
    o->paper = PDF_PAPER_A4;
    o->figures_dir = "figures";
    o->fontdir = NULL;
    o->date = -1;
    o->mf = NULL;
    o->whole_fonts = 0;
}

long long pdf_source_date(const char *template_path, lb_err *e)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno || *end || v < 0) {
            err_set(e, LB_EXIT_INPUT,
                    "SOURCE_DATE_EPOCH='%s': expected a non-negative integer "
                    "(seconds since 1970-01-01 UTC)", s);
            return -1;
        }
        return v;
    }
    struct stat st;
    if (!template_path || stat(template_path, &st) < 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot read modification time: %s",
                template_path ? template_path : "(null)", strerror(errno));
        return -1;
    }
    return (long long)st.st_mtime;
}

/* ---- fonts and info ------------------------------------------------------ */

static const char *const S_font_files[PF_COUNT] = {
    "lmr10", "lmri10", "lmbx10", "lmbxi10", "lmtt10",
    "lmr9", "lmri9", "lmbx9", "lmtt9",
    "lmr8", "lmtt8",
    "lmbx12", "lmr17", "lmr12"
};

static int S_fonts(pdf_ctx *c)
{
    for (int i = 0; i < PF_COUNT; i++) {
        c->font[i].file = S_font_files[i];
        c->font[i].afm = pdf_fonts_afm(c->pf, S_font_files[i], c->e);
        if (!c->font[i].afm)
            return -1;
    }
    return 0;
}

/* The HPDF font is embedded on first use only (each Type 1 font costs
 * ~100 KB). */
int pdf_font_use(pdf_ctx *c, int font)
{
    if (c->font[font].h)
        return 0;
    c->font[font].h = pdf_fonts_get(c->pf, c->font[font].file,
                                    "WinAnsiEncoding", c->e);
    if (!c->font[font].h) {
        c->hpdf_failed = 1;
        return -1;
    }
    return 0;
}

static int S_info(pdf_ctx *c)
{
    const doc_meta *m = &c->doc->meta;
    struct { HPDF_InfoType t; const char *v; } f[] = {
        { HPDF_INFO_TITLE, m->title }, { HPDF_INFO_AUTHOR, m->author },
        { HPDF_INFO_SUBJECT, m->subject }, { HPDF_INFO_KEYWORDS, m->keywords },
        { HPDF_INFO_CREATOR, "lossbook" },
    };
    /* With a current encoder libharu writes info strings as UTF-16 (raw
     * WinAnsi bytes would be misread as PDFDocEncoding: en dash, quotes). */
    HPDF_SetCurrentEncoder(c->pdf, "WinAnsiEncoding");
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!f[i].v)
            continue;
        size_t n = strlen(f[i].v);
        char *buf = malloc(n + 1);
        if (!buf)
            return err_nomem(c->e);
        pdf_utf8_to_winansi(f[i].v, n, buf, n + 1, NULL);
        HPDF_SetInfoAttr(c->pdf, f[i].t, buf);
        free(buf);
    }
    if (c->o->date >= 0) {
        time_t t = (time_t)c->o->date;
        struct tm tm;
        if (!gmtime_r(&t, &tm))
            return err_set(c->e, LB_EXIT_INPUT, "document date %lld out of "
                           "range", c->o->date);
        HPDF_Date d;
        memset(&d, 0, sizeof d);
        d.year = tm.tm_year + 1900;
        d.month = tm.tm_mon + 1;
        d.day = tm.tm_mday;
        d.hour = tm.tm_hour;
        d.minutes = tm.tm_min;
        d.seconds = tm.tm_sec;
        d.ind = 'Z';
        HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d);
    }
    return pdf_hpdf_ok(c);
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

    memset(c, 0, sizeof *c);
    if (!opts) {
        pdf_opts_default(&defo);
        opts = &defo;
    }
    c->doc = d;
    c->cat = ct;
    c->o = opts;
    c->e = e;
    c->path = d->path ? d->path : "template";
    c->prev_depth = -1000.0;
    c->baselineskip = 12;
    if (opts->paper == PDF_PAPER_LETTER) {
        c->pw = 612.0; c->ph = 792.0;
        c->th = 550.0;
    } else {
        c->pw = 595.276; c->ph = 841.890;
        c->th = 598.0;
    }
    c->tw = 360.0;
    c->left = (c->pw - c->tw) / 2.0;
    /* Bottom margin = 1.35 x top margin, as in LaTeX's default layout. */
    double vm = c->ph - c->th;
    c->top = c->ph - vm / 2.35;
    c->footskip = 30.0;

    c->pdf = HPDF_New(S_hpdf_error, c);
    if (!c->pdf) {
        err_set(e, LB_EXIT_RUNTIME, "libharu: cannot create a document");
        goto out;
    }
    HPDF_SetCompressionMode(c->pdf, HPDF_COMP_ALL);
    /* The caller has usually loaded the math fonts already (to check the
     * template's formulas); load them here only when it has not. */
    c->mf = opts->mf;
    if (!c->mf && !(c->mf = c->mf_owned = math_fonts_new(opts->fontdir, e)))
        goto out;
    c->pf = pdf_fonts_new(c->pdf, c->mf, e);
    if (!c->pf || S_fonts(c) < 0)
        goto out;

    /* Measure: the whole document becomes one vertical list. */
    if (pdf_title_block(c) < 0 || pdf_blocks(c, d->root->first_child) < 0)
        goto out;
    vl_params vp;
    vl_params_default(&vp, c->th);
    if (vl_paginate(c->vl, c->nvl, &vp, &pages, &np, e) < 0)
        goto out;
    /* Draw. */
    if (pdf_draw_pages(c, pages, np) < 0 || S_info(c) < 0)
        goto out;
    HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    /* issue 15: embed only the glyphs drawn, compress the font programs */
    if (!opts->whole_fonts && pdf_t1sub_apply(c->pdf, NULL, e) < 0)
        goto out;
    if (HPDF_SaveToFile(c->pdf, out_path) != HPDF_OK || c->hpdf_failed) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot write the PDF", out_path);
        goto out;
    }
    rc = 0;
out:
    if (rc < 0 && c->pdf)
        HPDF_ResetError(c->pdf);
    vl_pages_free(pages, np);
    pdf_ctx_release(c);
    pdf_fonts_free(c->pf);
    if (c->pdf)
        HPDF_Free(c->pdf);
    math_fonts_free(c->mf_owned);
    return rc;
}
