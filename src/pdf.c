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
#include "pdf_ctx.h"

/* ---- arena ------------------------------------------------------------------ */

typedef struct S_chunk {
    struct S_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} S_chunk;

void *pdf_alloc(pdf_ctx *c, size_t n)
{
    S_chunk *ch = c->arena;
    n = (n + 15u) & ~(size_t)15u;
    if (n == 0)
        n = 16;
    if (!ch || ch->cap - ch->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        S_chunk *nc = malloc(sizeof *nc + cap);
        if (!nc) {
            err_nomem(c->e);
            return NULL;
        }
        nc->next = ch;
        nc->used = 0;
        nc->cap = cap;
        c->arena = nc;
        ch = nc;
    }
    void *p = ch->data + ch->used;
    ch->used += n;
    memset(p, 0, n);
    return p;
}

char *pdf_strndup(pdf_ctx *c, const char *s, size_t n)
{
    char *p = pdf_alloc(c, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void S_arena_free(pdf_ctx *c)
{
    S_chunk *ch = c->arena;
    while (ch) {
        S_chunk *nx = ch->next;
        free(ch);
        ch = nx;
    }
    c->arena = NULL;
}

/* ---- vertical list ----------------------------------------------------------- */

static int S_vl_push(pdf_ctx *c, vl_item it)
{
    if (c->nvl == c->capvl) {
        size_t ncap = c->capvl ? c->capvl * 2 : 256;
        vl_item *t = realloc(c->vl, ncap * sizeof *t);
        if (!t)
            return err_nomem(c->e);
        c->vl = t;
        c->capvl = ncap;
    }
    c->vl[c->nvl++] = it;
    return 0;
}

int pdf_vl_glue(pdf_ctx *c, double w, double st, double sh)
{
    vl_item it = { VL_GLUE, 0, 0, w, st, sh, 0, 0, -1, NULL };
    return S_vl_push(c, it);
}

int pdf_vl_penalty(pdf_ctx *c, double pen)
{
    vl_item it = { VL_PENALTY, 0, 0, 0, 0, 0, pen, 0, -1, NULL };
    return S_vl_push(c, it);
}

/* TeX's append_to_vlist: baselineskip glue between consecutive boxes, or
 * \lineskip 1pt when they would come closer than \lineskiplimit 0pt. */
int pdf_vl_box(pdf_ctx *c, double h, double d, pdf_vbox *ref, int flags,
               long hdr)
{
    if (c->prev_depth > -999.0 && c->baselineskip > 0) {
        double g = c->baselineskip - c->prev_depth - h;
        if (g < 0)
            g = 1.0;
        vl_item gl = { VL_GLUE, 0, 0, g, 0, 0, 0, 0, -1, c /* interline */ };
        if (S_vl_push(c, gl) < 0)
            return -1;
    }
    vl_item it = { VL_BOX, h, d, 0, 0, 0, 0, flags, hdr, ref };
    if (S_vl_push(c, it) < 0)
        return -1;
    c->prev_depth = d;
    return 0;
}

/* ---- libharu errors ----------------------------------------------------------- */

static void S_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                         void *user)
{
    pdf_ctx *c = user;
    c->hpdf_failed = 1;
    err_set(c->e, LB_EXIT_RUNTIME, "libharu error 0x%04X (detail %u)",
            (unsigned)error_no, (unsigned)detail_no);
}

int pdf_hpdf_ok(pdf_ctx *c)
{
    if (c->hpdf_failed || (c->e && c->e->code))
        return -1;
    return 0;
}

/* ---- options and dates ---------------------------------------------------------- */

void pdf_opts_default(pdf_opts *o)
{
    o->paper = PDF_PAPER_A4;
    o->figures_dir = "figures";
    o->fontdir = NULL;
    o->date = -1;
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

/* ---- fonts and info ---------------------------------------------------------------- */

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

/* ---- the run ------------------------------------------------------------------------- */

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
    c->mf = math_fonts_new(opts->fontdir, e);
    if (!c->mf)
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
    if (HPDF_SaveToFile(c->pdf, out_path) != HPDF_OK || c->hpdf_failed) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot write the PDF", out_path);
        goto out;
    }
    rc = 0;
out:
    if (rc < 0 && c->pdf)
        HPDF_ResetError(c->pdf);
    vl_pages_free(pages, np);
    free(c->vl);
    free(c->grps);
    for (size_t i = 0; i < c->nmboxes; i++)
        math_box_free(c->mboxes[i]);
    free(c->mboxes);
    for (size_t i = 0; i < c->nfigs; i++)
        pdf_fig_free(c->figs[i]);
    free(c->figs);
    S_arena_free(c);
    pdf_fonts_free(c->pf);
    if (c->pdf)
        HPDF_Free(c->pdf);
    math_fonts_free(c->mf);
    return rc;
}
