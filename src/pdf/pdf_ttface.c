/* pdf_ttface — see pdf_ttface.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <hpdf_conf.h>
#include <hpdf_objects.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include "pdf/pdf_ttface.h"
#include "pdf/pdf_ttfsub.h"

#define S_VAR0 0xD800u
#define S_VARMAX 0x800u

struct pdf_ttface {
    char *path, *name;
    unsigned index;
    pdf_ttf *ttf;            /* opened on first use */
    HPDF_Font h;             /* embedded on first draw */
    unsigned char drawn[0x10000 / 8];   /* code points drawn (bits) */
    /* Narrow variants (pdf_ttface_draw): code S_VAR0 + k draws var[k]. */
    unsigned short var[S_VARMAX];
    size_t nvar;
};

pdf_ttface *pdf_ttface_new(const char *path, unsigned index, const char *name, lb_err *e)
{
    pdf_ttface *f = calloc(1, sizeof *f);
    if (f) {
        f->path = strdup(path);
        f->name = strdup(name);
        f->index = index;
    }
    if (!f || !f->path || !f->name) {
        pdf_ttface_free(f);
        err_nomem(e);
        return NULL;
    }
    return f;
}

void pdf_ttface_free(pdf_ttface *f)
{
    if (!f)
        return;
    pdf_ttf_free(f->ttf);
    free(f->path);
    free(f->name);
    free(f);
}

const char *pdf_ttface_name(const pdf_ttface *f)
{
    return f ? f->name : "?";
}

const pdf_ttf *pdf_ttface_ttf(pdf_ttface *f, lb_err *e)
{
    if (!f->ttf)
        f->ttf = pdf_ttf_open(f->path, f->index, e);
    return f->ttf;
}

HPDF_Font pdf_ttface_hpdf(pdf_ttface *f, HPDF_Doc doc, lb_err *e)
{
    if (f->h)
        return f->h;
    if (!pdf_ttface_ttf(f, e))
        return NULL;
    /* a collection (.ttc) names its face; a plain .ttf has one (libharu
     * refuses an index there: "invalid TTC file") */
    size_t pl = strlen(f->path);
    int ttc = pl > 4 && !strcmp(f->path + pl - 4, ".ttc");
    const char *name = ttc ? HPDF_LoadTTFontFromFile2(doc, f->path, f->index, HPDF_TRUE)
                           : HPDF_LoadTTFontFromFile(doc, f->path, HPDF_TRUE);
    if (!name) {
        err_set(e, LB_EXIT_RUNTIME, "%s: libharu cannot load the TrueType face %u", f->path,
                f->index);
        return NULL;
    }
    f->h = HPDF_GetFont(doc, name, "UTF-8");
    if (!f->h)
        err_set(e, LB_EXIT_RUNTIME, "%s: libharu cannot use the face with UTF-8", f->path);
    return f->h;
}

int pdf_ttface_mark(pdf_ttface *f, unsigned u, char out[5])
{
    if (u == 0 || u > 0xFFFF)
        return -1;
    f->drawn[u >> 3] |= (unsigned char)(1u << (u & 7));
    if (u < 0x80) {
        out[0] = (char)u;
        out[1] = 0;
    } else if (u < 0x800) {
        out[0] = (char)(0xC0 | (u >> 6));
        out[1] = (char)(0x80 | (u & 0x3F));
        out[2] = 0;
    } else {
        out[0] = (char)(0xE0 | (u >> 12));
        out[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        out[2] = (char)(0x80 | (u & 0x3F));
        out[3] = 0;
    }
    return 0;
}

int pdf_ttface_draw(pdf_ttface *f, HPDF_Doc doc, HPDF_Page page, double size, unsigned u,
                    double x, double y, int narrow, lb_err *e)
{
    HPDF_Font h = pdf_ttface_hpdf(f, doc, e);
    char s[5];
    if (!h)
        return -1;
    if (pdf_ttface_mark(f, u, s) < 0)
        return err_set(e, LB_EXIT_RUNTIME, "U+%04X: beyond U+FFFF, which libharu cannot set", u);
    if (narrow && f->nvar < S_VARMAX) {
        size_t k = 0;
        while (k < f->nvar && f->var[k] != u)
            k++;
        if (k == f->nvar)
            f->var[f->nvar++] = (unsigned short)u;
        unsigned cid = S_VAR0 + (unsigned)k;   /* 3 bytes, as libharu reads them */
        s[0] = (char)(0xE0 | (cid >> 12));
        s[1] = (char)(0x80 | ((cid >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cid & 0x3F));
        s[3] = 0;
    }
    HPDF_STATUS st = HPDF_Page_BeginText(page);
    st |= HPDF_Page_SetFontAndSize(page, h, (HPDF_REAL)size);
    st |= HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y, s);
    st |= HPDF_Page_EndText(page);
    if (st != HPDF_OK)
        return err_set(e, LB_EXIT_RUNTIME, "libharu: cannot draw U+%04X", u);
    return 0;
}

/* ---- the embedded subset (save time) --------------------------------------
 * libharu 2.3.0 writes a CIDFontType2 with a /W array and a CIDToGIDMap for
 * every character of the face, a "ToUnicode" stream that is its encoding
 * CMap (poppler: "Invalid 'begincidrange' operator in ToUnicode CMap"), and
 * a glyph subset that loses the components of composite glyphs.  Before the
 * document is saved, each face's objects are rewritten for the characters
 * actually drawn: the font file is our subset (pdf_ttfsub.h), handed to
 * libharu as a ready font descriptor (libharu only builds one when the
 * font definition has none), /W and the CIDToGIDMap list the drawn
 * characters only, and the ToUnicode map is a real one (bfchar).  Uses
 * libharu's installed internal headers (font attributes, dictionaries,
 * memory streams). */

static int S_wstream(HPDF_Dict d, const void *p, size_t n)
{
    HPDF_MemStream_FreeData(d->stream);
    return HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)p, (HPDF_UINT)n)
           == HPDF_OK ? 0 : -1;
}

static int S_finish(pdf_ttface *f, unsigned (*uni)(unsigned), lb_err *e)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)f->h->attr;
    HPDF_FontDef def = fa->fontdef;
    HPDF_TTFontDefAttr da = (HPDF_TTFontDefAttr)def->attr;
    HPDF_Dict desc_font = fa->descendant_font;
    HPDF_MMgr mm = f->h->mmgr;
    unsigned *cps = malloc(0x10000 * sizeof *cps);
    unsigned char *bytes = NULL;
    char *cmap = NULL;
    size_t n = 0, len = 0;
    int rc = -1;
    if (!cps)
        return err_nomem(e);
    unsigned maxcp = 0;
    for (unsigned u = 0; u < 0x10000; u++)
        if ((f->drawn[u >> 3] >> (u & 7)) & 1) {
            cps[n++] = u;
            maxcp = u;
        }
    if (pdf_ttfsub_build(f->ttf, cps, n, &bytes, &len, e) < 0)
        goto out;

    /* The font descriptor, as libharu would make it, with our file. */
    HPDF_Dict ff = HPDF_DictStream_New(mm, fa->xref);
    HPDF_Dict desc = HPDF_Dict_New(mm);
    if (!ff || !desc || HPDF_Stream_Write(ff->stream, bytes, (HPDF_UINT)len) != HPDF_OK)
        goto hpdf;
    ff->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS st = HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)len);
    st |= HPDF_Xref_Add(fa->xref, desc);
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    st |= HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    st |= HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    st |= HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, def->font_bbox));
    st |= HPDF_Dict_AddName(desc, "FontName", da->base_font);
    st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    st |= HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    st |= HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    st |= HPDF_Dict_Add(desc, "FontFile2", ff);
    if (st != HPDF_OK)
        goto hpdf;
    def->descriptor = desc;

    /* /W: the drawn characters' widths (1/1000 em), runs of CIDs. */
    HPDF_Array w = HPDF_Array_New(mm);
    if (!w)
        goto hpdf;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        HPDF_Array run = HPDF_Array_New(mm);
        if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)cps[i]) != HPDF_OK ||
            HPDF_Array_Add(w, run) != HPDF_OK)
            goto hpdf;
        for (; j < n && (j == i || cps[j] == cps[j - 1] + 1); j++) {
            unsigned g = pdf_ttf_glyph(f->ttf, cps[j]);
            long adv = lround(pdf_ttf_advance(f->ttf, g) * 1000.0);
            if (HPDF_Array_AddNumber(run, (HPDF_INT32)adv) != HPDF_OK)
                goto hpdf;
        }
        i = j;
    }
    for (size_t k = 0; k < f->nvar; k++) {   /* narrow variants: half */
        unsigned g = pdf_ttf_glyph(f->ttf, f->var[k]);
        long adv = lround(pdf_ttf_advance(f->ttf, g) * 500.0);
        HPDF_Array run = HPDF_Array_New(mm);
        if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)(S_VAR0 + k)) != HPDF_OK ||
            HPDF_Array_Add(w, run) != HPDF_OK ||
            HPDF_Array_AddNumber(run, (HPDF_INT32)adv) != HPDF_OK)
            goto hpdf;
    }
    if (HPDF_Dict_Add(desc_font, "W", w) != HPDF_OK)
        goto hpdf;

    /* CIDToGIDMap: CID = code point (Identity-H over UTF-16). */
    if (fa->map_stream) {
        size_t top = f->nvar ? S_VAR0 + f->nvar - 1 : 0;
        size_t ml = 2 * ((maxcp > top ? maxcp : top) + 1);
        unsigned char *map = calloc(ml, 1);
        if (!map) {
            err_nomem(e);
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            unsigned g = pdf_ttf_glyph(f->ttf, cps[i]);
            map[2 * cps[i]] = (unsigned char)(g >> 8);
            map[2 * cps[i] + 1] = (unsigned char)g;
        }
        for (size_t k = 0; k < f->nvar; k++) {
            unsigned g = pdf_ttf_glyph(f->ttf, f->var[k]);
            map[2 * (S_VAR0 + k)] = (unsigned char)(g >> 8);
            map[2 * (S_VAR0 + k) + 1] = (unsigned char)g;
        }
        int r = S_wstream(fa->map_stream, map, ml);
        free(map);
        if (r < 0)
            goto hpdf;
    }

    /* ToUnicode: one bfchar per drawn character (at most 100 a block). */
    if (fa->cmap_stream) {
        size_t nt = n + f->nvar;   /* the drawn codes, then the variants */
        size_t cap = 600 + nt * 24 + (nt / 100 + 1) * 40, k = 0;
        cmap = malloc(cap);
        if (!cmap) {
            err_nomem(e);
            goto out;
        }
        k += (size_t)snprintf(cmap + k, cap - k,
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
            "/Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n"
            "endcodespacerange\n");
        for (size_t i = 0; i < nt; i += 100) {
            size_t m = nt - i < 100 ? nt - i : 100;
            k += (size_t)snprintf(cmap + k, cap - k, "%zu beginbfchar\n", m);
            for (size_t j = i; j < i + m; j++) {
                unsigned code = j < n ? cps[j] : S_VAR0 + (unsigned)(j - n);
                unsigned c0 = j < n ? cps[j] : f->var[j - n];
                /* the character a code stands for (uni: a math alphabet's
                 * letter for its ASCII code), UTF-16BE */
                unsigned v = uni ? uni(c0) : c0;
                if (v >= 0x10000) {
                    v -= 0x10000;
                    k += (size_t)snprintf(cmap + k, cap - k, "<%04X> <%04X%04X>\n", code,
                                          0xD800u + (v >> 10), 0xDC00u + (v & 0x3FF));
                } else {
                    k += (size_t)snprintf(cmap + k, cap - k, "<%04X> <%04X>\n", code, v);
                }
            }
            k += (size_t)snprintf(cmap + k, cap - k, "endbfchar\n");
        }
        k += (size_t)snprintf(cmap + k, cap - k, "endcmap\nCMapName currentdict "
                              "/CMap defineresource pop\nend\nend\n");
        HPDF_Dict cs = fa->cmap_stream;
        HPDF_Dict info = HPDF_Dict_New(mm);
        if (!info || S_wstream(cs, cmap, k) < 0 ||
            HPDF_Dict_AddName(cs, "CMapName", "Adobe-Identity-UCS") != HPDF_OK ||
            HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL)) != HPDF_OK ||
            HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "UCS", NULL)) != HPDF_OK ||
            HPDF_Dict_AddNumber(info, "Supplement", 0) != HPDF_OK ||
            HPDF_Dict_Add(cs, "CIDSystemInfo", info) != HPDF_OK)
            goto hpdf;
    }
    rc = 0;
    goto out;
hpdf:
    err_set(e, LB_EXIT_RUNTIME, "libharu: cannot write the subset of %s", f->name);
out:
    free(cmap);
    free(bytes);
    free(cps);
    return rc;
}

int pdf_ttface_finish(pdf_ttface *f, unsigned (*uni)(unsigned), lb_err *e)
{
    return f && f->h ? S_finish(f, uni, e) : 0;
}
