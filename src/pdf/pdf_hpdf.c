/* pdf_hpdf — see pdf_hpdf.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_winansi.h"

/* libharu reports every failure here (and carries on); drawing code checks
 * pdf_hpdf_ok at the end of each step instead of after each call. */
static void S_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    pdf_ctx *c = user;
    c->hpdf_failed = 1;
    err_set(c->e, LB_EXIT_RUNTIME, "libharu error 0x%04X (detail %u)",
            (unsigned)error_no, (unsigned)detail_no);
}

int pdf_hpdf_new(pdf_ctx *c)
{
    c->pdf = HPDF_New(S_error, c);
    if (!c->pdf)
        return err_set(c->e, LB_EXIT_RUNTIME,
                       "libharu: cannot create a document");
    HPDF_SetCompressionMode(c->pdf, HPDF_COMP_ALL);
    c->pf = pdf_fonts_new(c->pdf, c->mf, c->e);
    return c->pf ? 0 : -1;
}

int pdf_hpdf_ok(pdf_ctx *c)
{
    if (c->hpdf_failed || (c->e && c->e->code))
        return -1;
    return 0;
}

int pdf_hpdf_info(pdf_ctx *c)
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
        pdf_winansi_from_utf8(f[i].v, n, buf, n + 1, NULL);
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

int pdf_hpdf_save(pdf_ctx *c, const char *path)
{
    HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    if (HPDF_SaveToFile(c->pdf, path) != HPDF_OK || c->hpdf_failed)
        return err_set(c->e, LB_EXIT_RUNTIME, "%s: cannot write the PDF",
                       path);
    return 0;
}

void pdf_hpdf_free(pdf_ctx *c, int failed)
{
    if (failed && c->pdf)
        HPDF_ResetError(c->pdf);
    pdf_fonts_free(c->pf);
    c->pf = NULL;
    if (c->pdf)
        HPDF_Free(c->pdf);
    c->pdf = NULL;
}
