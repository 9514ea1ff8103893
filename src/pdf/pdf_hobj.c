/* pdf_hobj — see pdf_hobj.h. */
#include <stdlib.h>
#include <string.h>
#include <hpdf_streams.h>
#include "pdf/pdf_hobj.h"

static void *S_resolve(void *obj)
{
    HPDF_Obj_Header *h = obj;
    return h && h->obj_class == HPDF_OCLASS_PROXY ? ((HPDF_Proxy)obj)->obj : obj;
}

void *pdf_hobj_item(HPDF_Dict d, const char *key)
{
    if (!d || !d->list)
        return NULL;
    for (HPDF_UINT i = 0; i < d->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
        if (el && strcmp(el->key, key) == 0)
            return S_resolve(el->value);
    }
    return NULL;
}

void *pdf_hobj_at(HPDF_Array a, size_t k)
{
    if (!a || !a->list || k >= a->list->count)
        return NULL;
    return S_resolve(HPDF_List_ItemAt(a->list, (HPDF_UINT)k));
}

int pdf_hobj_class(const void *obj)
{
    return obj ? (int)(((const HPDF_Obj_Header *)obj)->obj_class & HPDF_OCLASS_ANY) : 0;
}

unsigned char *pdf_hobj_bytes(HPDF_Stream s, size_t *len)
{
    *len = 0;
    if (!s || s->type != HPDF_STREAM_MEMORY)
        return NULL;
    HPDF_MemStreamAttr a = s->attr;
    unsigned char *out = malloc(s->size ? s->size : 1);
    if (!out)
        return NULL;
    size_t at = 0;
    for (HPDF_UINT i = 0; i < a->buf->count; i++) {
        const unsigned char *p = HPDF_List_ItemAt(a->buf, i);
        size_t n = i + 1 == a->buf->count ? a->w_pos : a->buf_siz;
        if (n > s->size - at)
            n = s->size - at;
        memcpy(out + at, p, n);
        at += n;
    }
    *len = at;
    return out;
}
