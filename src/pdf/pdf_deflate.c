/* pdf_deflate — see pdf_deflate.h.  Reaches into libharu 2.3.0's installed
 * internal headers (documents, pages, dictionaries, memory streams). */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_pages.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "base/par.h"
#include "pdf/pdf_deflate.h"
#include "pdf/pdf_hobj.h"

typedef struct S_job {
    HPDF_Dict dict;
    unsigned char *in, *out;   /* the stream's bytes; deflated (malloc) */
    size_t in_len, out_len;
    int failed;                /* zlib said no (out of memory) */
    int early;                 /* deflated already (pdf_deflate_page) */
} S_job;

typedef struct S_jobs {
    S_job *v;
    size_t n, cap;
} S_jobs;

struct pdf_deflate {          /* pages deflated while the next are drawn */
    parq *q;                  /* NULL: no worker, nothing early */
    S_job **early;            /* each malloc'd: the worker holds pointers */
    size_t nearly, capearly;
};

/* A stream libharu would deflate at save time and whose bytes are final:
 * a memory stream, FlateDecode alone, no hook that writes at save time. */
static int S_eligible(const void *obj)
{
    if (pdf_hobj_class(obj) != HPDF_OCLASS_DICT)
        return 0;
    HPDF_Dict d = (HPDF_Dict)obj;
    return d->stream && d->stream->type == HPDF_STREAM_MEMORY && d->stream->size > 0 &&
           d->filter == HPDF_STREAM_FILTER_FLATE_DECODE && !d->filterParams &&
           !d->before_write_fn && !d->write_fn && !d->after_write_fn;
}

static int S_add(S_jobs *js, const pdf_deflate *dz, void *obj)
{
    if (!S_eligible(obj))
        return 0;
    for (size_t i = 0; i < js->n; i++)
        if (js->v[i].dict == obj)
            return 0;   /* a map or program shared by several fonts */
    if (js->n == js->cap) {
        size_t nc = js->cap ? 2 * js->cap : 64;
        S_job *nv = realloc(js->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        js->v = nv;
        js->cap = nc;
    }
    HPDF_Dict d = obj;
    S_job *j = &js->v[js->n];
    memset(j, 0, sizeof *j);
    j->dict = d;
    /* deflated while the pages were drawn, and not written to since
     * (libharu only appends to a content stream) */
    for (size_t k = 0; dz && k < dz->nearly; k++) {
        S_job *x = dz->early[k];
        if (x->dict == d && x->in_len == d->stream->size && !x->failed && x->out) {
            *j = *x;
            x->in = x->out = NULL;
            j->early = 1;
            js->n++;
            return 0;
        }
    }
    if (!(j->in = pdf_hobj_bytes(d->stream, &j->in_len)))
        return -1;
    js->n++;
    return 0;
}

/* One deflate call over the whole stream: zlib's output does not depend on
 * how the input is cut (libharu feeds it 4 KB at a time). */
static void S_deflate(void *ctx, size_t i)
{
    S_job *j = &((S_job *)ctx)[i];
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK) {
        j->failed = 1;
        return;
    }
    uLong cap = deflateBound(&z, (uLong)j->in_len);
    j->out = malloc(cap);
    if (j->out) {
        z.next_in = j->in;
        z.avail_in = (uInt)j->in_len;
        z.next_out = j->out;
        z.avail_out = (uInt)cap;
        if (deflate(&z, Z_FINISH) == Z_STREAM_END)
            j->out_len = cap - z.avail_out;
        else
            j->failed = 1;
    } else {
        j->failed = 1;
    }
    deflateEnd(&z);
}

static void S_deflate_one(void *ctx, size_t i)
{
    (void)i;
    S_deflate(ctx, 0);
}

/* libharu writes /Filter [/FlateDecode] from dict->filter, then calls this
 * hook, then copies the stream through dict->filter: with the filter
 * cleared here the compressed bytes go out as they are. */
static HPDF_STATUS S_raw_once(HPDF_Dict d, HPDF_Stream out)
{
    (void)out;
    d->filter = HPDF_STREAM_FILTER_NONE;
    return HPDF_OK;
}

static int S_collect(HPDF_Doc doc, const pdf_deflate *dz, S_jobs *js)
{
    for (HPDF_UINT pi = 0; pi < doc->page_list->count; pi++) {
        HPDF_Page page = HPDF_List_ItemAt(doc->page_list, pi);
        HPDF_PageAttr pa = page ? page->attr : NULL;
        /* libharu would still write ET, n or Q into this page's stream */
        if (!pa || pa->gmode != HPDF_GMODE_PAGE_DESCRIPTION || (pa->gstate && pa->gstate->prev))
            continue;
        void *contents = pdf_hobj_item(page, "Contents");
        if (pdf_hobj_class(contents) == HPDF_OCLASS_ARRAY) {
            for (size_t k = 0; k < ((HPDF_Array)contents)->list->count; k++)
                if (S_add(js, dz, pdf_hobj_at(contents, k)) < 0)
                    return -1;
        } else if (S_add(js, dz, contents) < 0) {
            return -1;
        }
    }
    for (HPDF_UINT fi = 0; fi < doc->font_mgr->count; fi++) {
        HPDF_Font font = HPDF_List_ItemAt(doc->font_mgr, fi);
        HPDF_FontAttr fa = font ? font->attr : NULL;
        if (!fa || fa->type != HPDF_FONT_TYPE1)
            continue;
        if (S_add(js, dz, pdf_hobj_item(font, "ToUnicode")) < 0)
            return -1;
        HPDF_Dict desc = fa->fontdef ? fa->fontdef->descriptor : NULL;
        if (desc && S_add(js, dz, pdf_hobj_item(desc, "FontFile")) < 0)
            return -1;
    }
    return 0;
}

pdf_deflate *pdf_deflate_new(void)
{
    pdf_deflate *dz = calloc(1, sizeof *dz);
    if (dz)
        dz->q = parq_new();
    return dz;
}

void pdf_deflate_page(pdf_deflate *dz, HPDF_Doc doc, HPDF_Page page)
{
    HPDF_PageAttr pa = page ? page->attr : NULL;
    void *contents = pa ? pdf_hobj_item(page, "Contents") : NULL;
    if (!dz || !dz->q || !doc || doc->encrypt_on || !S_eligible(contents))
        return;
    if (dz->nearly == dz->capearly) {
        size_t nc = dz->capearly ? 2 * dz->capearly : 32;
        S_job **nv = realloc(dz->early, nc * sizeof *nv);
        if (!nv)
            return;
        dz->early = nv;
        dz->capearly = nc;
    }
    S_job *j = calloc(1, sizeof *j);
    if (!j)
        return;
    j->dict = contents;
    if (!(j->in = pdf_hobj_bytes(j->dict->stream, &j->in_len)) ||
        parq_push(dz->q, S_deflate_one, j, 0) < 0) {
        free(j->in);
        free(j);
        return;
    }
    dz->early[dz->nearly++] = j;
}

/* Wait for the worker; its jobs' results may be read after this. */
static void S_early_done(pdf_deflate *dz)
{
    if (dz && dz->q) {
        parq_free(dz->q);
        dz->q = NULL;
    }
}

void pdf_deflate_free(pdf_deflate *dz)
{
    if (!dz)
        return;
    S_early_done(dz);
    for (size_t k = 0; k < dz->nearly; k++) {
        free(dz->early[k]->in);
        free(dz->early[k]->out);
        free(dz->early[k]);
    }
    free(dz->early);
    free(dz);
}

/* The jobs not done early, run on two threads. */
static void S_deflate_rest(void *ctx, size_t i)
{
    S_job *j = &((S_job *)ctx)[i];
    if (!j->early)
        S_deflate(j, 0);
}

int pdf_deflate_streams(HPDF_Doc doc, pdf_deflate *dz, lb_err *e)
{
    S_early_done(dz);
    if (!doc || doc->encrypt_on)
        return 0;
    S_jobs js = {NULL, 0, 0};
    int rc = 0;
    if (S_collect(doc, dz, &js) < 0) {
        rc = err_nomem(e);
        goto out;
    }
    par_run(js.n, S_deflate_rest, js.v);
    for (size_t i = 0; i < js.n; i++)
        if (js.v[i].failed) {
            rc = err_nomem(e);
            goto out;
        }
    /* only now, all or nothing: libharu's objects change on this thread */
    for (size_t i = 0; i < js.n; i++) {
        S_job *j = &js.v[i];
        HPDF_MemStream_FreeData(j->dict->stream);
        if (HPDF_Stream_Write(j->dict->stream, j->out, (HPDF_UINT)j->out_len) != HPDF_OK) {
            rc = err_set(e, LB_EXIT_RUNTIME, "libharu error 0x%04lX while storing a "
                         "compressed stream", (unsigned long)HPDF_GetError(doc));
            goto out;
        }
        j->dict->write_fn = S_raw_once;
    }
out:
    for (size_t i = 0; i < js.n; i++) {
        free(js.v[i].in);
        free(js.v[i].out);
    }
    free(js.v);
    return rc;
}
