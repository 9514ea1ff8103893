/* pdf_hpdf — see pdf_hpdf.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <unistd.h>
#include "pdf/pdf_deflate.h"
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_objstm.h"
#include "pdf/pdf_winansi.h"

/* libharu reports every failure here (and carries on); drawing code checks
 * pdf_hpdf_ok at the end of each step instead of after each call. */
static void S_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    pdf_ctx *c = user;
    c->hpdf_failed = 1;
    if (error_no == HPDF_FAILD_TO_ALLOC_MEM)
        err_nomem(c->e);
    else
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
    /* The "UTF-8" encoder: CJK faces, and UTF-16 outline and info strings. */
    HPDF_UseUTFEncodings(c->pdf);
    c->pf = pdf_fonts_new(c->pdf, c->mf, c->e);
    if (!c->pf)
        return -1;
    if (!c->o->whole_fonts)   /* pdf_t1sub_apply embeds the programs */
        pdf_fonts_stub(c->pf);
    c->cjk = pdf_cjkfont_new(c->e);
    return c->cjk ? 0 : -1;
}

int pdf_hpdf_bmp_check(pdf_ctx *c, const char *s, const char *where,
                       int line, int col, int step)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; col += step) {
        unsigned u = pdf_winansi_decode_utf8(s, n, &i);
        if (u > 0xFFFF)
            return err_at(c->e, LB_EXIT_INPUT, c->path, line, col, "U+%04X in %s: "
                          "outline and document information take characters "
                          "up to U+FFFF only (libharu 2.3.0 writes UTF-16 "
                          "without surrogates)", u, where);
    }
    return 0;
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
    struct { HPDF_InfoType t; const char *v; int line, col; } f[] = {
        { HPDF_INFO_TITLE, m->title, m->title_line, m->title_col },
        { HPDF_INFO_AUTHOR, m->author, m->author_line, m->author_col },
        { HPDF_INFO_SUBJECT, m->subject, m->subject_line, m->subject_col },
        { HPDF_INFO_KEYWORDS, m->keywords, m->keywords_line, m->keywords_col },
        { HPDF_INFO_CREATOR, "lossbook", 0, 0 },
    };
    /* With the UTF-8 encoder current, libharu writes info strings as
     * UTF-16BE with a byte order mark (any language, and no WinAnsi byte
     * misread as PDFDocEncoding).  It converts 16-bit code points only. */
    HPDF_SetCurrentEncoder(c->pdf, "UTF-8");
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!f[i].v)
            continue;
        if (pdf_hpdf_bmp_check(c, f[i].v, "the front matter", f[i].line,
                               f[i].col, 1) < 0)
            return -1;
        HPDF_SetInfoAttr(c->pdf, f[i].t, f[i].v);
    }
    /* The document's language (/Lang in the catalog, PDF 1.4): screen
     * readers and text extraction use it.  libharu 2.3.0 has no call for
     * it; the catalog is a plain dictionary (hpdf_doc.h). */
    HPDF_String lang = HPDF_String_New(c->pdf->mmgr, c->lang->bcp47, NULL);
    if (!lang || HPDF_Dict_Add(c->pdf->catalog, "Lang", lang) != HPDF_OK)
        return err_set(c->e, LB_EXIT_RUNTIME, "libharu: cannot set /Lang");
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

/* The PDF is built in libharu's memory stream and written by us: libharu's
 * own file writing reports a full disk as "error 0x1016 (detail 1)", while
 * our writes name the file and the system's reason (issue 16).  In between,
 * its dictionaries go into object streams (pdf_objstm, issue 15) unless
 * opts->classic_xref. */
int pdf_hpdf_save(pdf_ctx *c, const char *path)
{
    if (pdf_cjkfont_finish(c->cjk, c->e) < 0 || pdf_fonts_finish(c->pf, c->e) < 0)
        return -1;
    HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    if (pdf_deflate_streams(c->pdf, c->e) < 0)
        return -1;
    if (HPDF_SaveToStream(c->pdf) != HPDF_OK || c->hpdf_failed)
        return err_set(c->e, LB_EXIT_RUNTIME, "%s: libharu could not build the PDF", path);
    size_t n = HPDF_GetStreamSize(c->pdf), got = 0;
    unsigned char *pdf = malloc(n ? n : 1), *packed = NULL;
    if (!pdf)
        return err_nomem(c->e);
    while (got < n) {
        HPDF_UINT32 k = (HPDF_UINT32)(n - got < 65536 ? n - got : 65536);
        HPDF_STATUS st = HPDF_ReadFromStream(c->pdf, pdf + got, &k);
        got += k;
        if (st == HPDF_STREAM_EOF || k == 0)
            break;
        if (st != HPDF_OK) {
            free(pdf);
            return err_set(c->e, LB_EXIT_RUNTIME, "%s: libharu could not read back the PDF",
                           path);
        }
    }
    if (got != n) {
        free(pdf);
        return err_set(c->e, LB_EXIT_RUNTIME, "%s: libharu could not read back the PDF", path);
    }
    const unsigned char *w = pdf;
    size_t wn = n;
    if (!c->o->classic_xref) {
        int pr = pdf_objstm_pack(pdf, n, &packed, &wn, c->e);
        if (pr < 0) {
            free(pdf);
            return -1;
        }
        if (pr == 0)
            w = packed;
        else
            wn = n;
    }
    int rc = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        rc = err_set(c->e, LB_EXIT_RUNTIME, "%s: cannot create: %s", path, strerror(errno));
    for (size_t off = 0; fd >= 0 && off < wn && rc == 0;) {
        ssize_t k = write(fd, w + off, wn - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            rc = err_set(c->e, LB_EXIT_RUNTIME, "%s: write failed: %s", path,
                         k < 0 ? strerror(errno) : "no progress");
        else
            off += (size_t)k;
    }
    if (fd >= 0 && close(fd) != 0 && rc == 0)
        rc = err_set(c->e, LB_EXIT_RUNTIME, "%s: write failed: %s", path, strerror(errno));
    free(pdf);
    free(packed);
    return rc;
}

void pdf_hpdf_free(pdf_ctx *c, int failed)
{
    if (failed && c->pdf)
        HPDF_ResetError(c->pdf);
    pdf_fonts_free(c->pf);
    c->pf = NULL;
    pdf_cjkfont_free(c->cjk);
    c->cjk = NULL;
    if (c->pdf)
        HPDF_Free(c->pdf);
    c->pdf = NULL;
}
