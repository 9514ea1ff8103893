/* pdf_cjkfont — see pdf_cjkfont.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <hpdf_conf.h>
#include <hpdf_objects.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include "pdf/pdf_cjkfont.h"
#include "pdf/pdf_ttf.h"
#include "pdf/pdf_ttfsub.h"

#define S_VAR0 0xD800u
#define S_VARMAX 0x800u

typedef struct S_face {
    pdf_ttf *ttf;            /* opened on first use */
    double scale;            /* CJK size / Latin size */
    HPDF_Font h;             /* embedded on first draw */
    unsigned char drawn[0x10000 / 8];   /* code points drawn (bits) */
    /* Narrow variants: CID S_VAR0 + k draws var[k] with half its advance
     * in /W (see pdf_cjkfont_draw); CIDs in the surrogate range, which no
     * character uses. */
    unsigned short var[S_VARMAX];
    size_t nvar;
} S_face;

struct pdf_cjkfont {
    S_face face[PDF_CJK_NFACES];
};

static const struct {
    const char *path, *name;
    unsigned index;
} S_files[PDF_CJK_NFACES] = {
    { "/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN", 0 },
    { "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
      "WenQuanYi Micro Hei", 0 },
};

/* Latin Modern's span from the top of "d" to the bottom of "p" (lmr10.afm:
 * d ury 694, p lly -194), in em. */
#define S_LATIN_SPAN 0.888

/* Common ideographs whose average ink box is the ideographic character
 * face (no flat ones like 一, which would pull the average in). */
static const unsigned S_sample[] = {
    0x56FD, 0x4E2D, 0x7684, 0x662F, 0x4E0D, 0x4E86, 0x4EBA, 0x6211,
    0x5728, 0x6709, 0x4ED6, 0x8FD9, 0x4E3A, 0x5927, 0x6765, 0x4EE5,
    0x4E2A, 0x4EEC, 0x5230, 0x8BF4, 0x4EA4, 0x53C9, 0x71B5, 0x635F,
};

pdf_cjkfont *pdf_cjkfont_new(lb_err *e)
{
    pdf_cjkfont *cf = calloc(1, sizeof *cf);
    if (!cf)
        err_nomem(e);
    return cf;
}

void pdf_cjkfont_free(pdf_cjkfont *cf)
{
    if (!cf)
        return;
    for (int i = 0; i < PDF_CJK_NFACES; i++)
        pdf_ttf_free(cf->face[i].ttf);
    free(cf);
}

int pdf_cjkfont_face(int bold, int mono)
{
    return bold || mono ? PDF_CJK_HEI : PDF_CJK_SONG;
}

const char *pdf_cjkfont_name(int face)
{
    return face >= 0 && face < PDF_CJK_NFACES ? S_files[face].name : "?";
}

static S_face *S_open(pdf_cjkfont *cf, int face, lb_err *e)
{
    if (face < 0 || face >= PDF_CJK_NFACES) {
        err_set(e, LB_EXIT_RUNTIME, "CJK face %d out of range", face);
        return NULL;
    }
    S_face *f = &cf->face[face];
    if (f->ttf)
        return f;
    f->ttf = pdf_ttf_open(S_files[face].path, S_files[face].index, e);
    if (!f->ttf)
        return NULL;
    double lo = 0, hi = 0;
    int n = 0;
    for (size_t i = 0; i < sizeof S_sample / sizeof S_sample[0]; i++) {
        double bb[4];
        unsigned g = pdf_ttf_glyph(f->ttf, S_sample[i]);
        if (g && pdf_ttf_bbox(f->ttf, g, bb) == 0) {
            lo += bb[1];
            hi += bb[3];
            n++;
        }
    }
    f->scale = n && hi > lo ? S_LATIN_SPAN / ((hi - lo) / n) : 1.0;
    return f;
}

double pdf_cjkfont_scale(pdf_cjkfont *cf, int face, lb_err *e)
{
    S_face *f = S_open(cf, face, e);
    return f ? f->scale : 1.0;
}

/* A stop that sits in the middle of its em (Taiwan style) rather than in
 * the lower left (GB/T 15834). */
static int S_centred_stop(unsigned u, const double bb[4], double adv)
{
    return (u == 0x3002 || u == 0x3001 || u == 0xFF0E) &&
           bb[0] > 0.25 * adv && bb[2] < 0.75 * adv && bb[1] > 0.1;
}

static int S_glyph(pdf_cjkfont *cf, int face, unsigned u, pdf_cjk_glyph *g,
                   int depth, lb_err *e)
{
    memset(g, 0, sizeof *g);
    g->face = face;
    S_face *f = S_open(cf, face, e);
    if (!f)
        return -1;
    unsigned gid = pdf_ttf_glyph(f->ttf, u);
    /* libharu 2.3.0's UTF-8 encoding maps 16-bit codes only. */
    if (u > 0xFFFF)
        return 1;
    if (gid == 0) {
        /* A character the face lacks is set in the other one when that has
         * it (Micro Hei has Hangul and half-width kana, UMing has not): an
         * error only when no face has it. */
        for (int o = 0; depth == 0 && o < PDF_CJK_NFACES; o++) {
            if (o == face)
                continue;
            int r = S_glyph(cf, o, u, g, 1, e);
            if (r <= 0)
                return r;
        }
        memset(g, 0, sizeof *g);
        g->face = face;
        return 1;
    }
    double bb[4];
    g->adv = pdf_ttf_advance(f->ttf, gid);
    if (pdf_ttf_bbox(f->ttf, gid, bb) < 0)
        return 0;                                /* a blank glyph */
    if (depth == 0 && S_centred_stop(u, bb, g->adv)) {
        for (int o = 0; o < PDF_CJK_NFACES; o++) {
            pdf_cjk_glyph h;
            S_face *of = o == face ? NULL : S_open(cf, o, e);
            unsigned og = of ? pdf_ttf_glyph(of->ttf, u) : 0;
            double ob[4];
            if (og && pdf_ttf_bbox(of->ttf, og, ob) == 0 &&
                !S_centred_stop(u, ob, pdf_ttf_advance(of->ttf, og)) &&
                S_glyph(cf, o, u, &h, 1, e) == 0) {
                *g = h;
                return 0;
            }
        }
        if (e && e->code)
            return -1;
    }
    g->ymin = bb[1];
    g->ymax = bb[3];
    double mid = g->adv / 2;
    g->squeeze_tail = bb[2] <= mid + 0.02;
    g->squeeze_head = bb[0] >= mid - 0.02;
    return 0;
}

int pdf_cjkfont_glyph(pdf_cjkfont *cf, int face, unsigned u,
                      pdf_cjk_glyph *g, lb_err *e)
{
    return S_glyph(cf, face, u, g, 0, e);
}

HPDF_Font pdf_cjkfont_hpdf(pdf_cjkfont *cf, HPDF_Doc doc, int face,
                           lb_err *e)
{
    S_face *f = S_open(cf, face, e);
    if (!f)
        return NULL;
    if (f->h)
        return f->h;
    const char *name = HPDF_LoadTTFontFromFile2(doc, S_files[face].path,
                                                S_files[face].index,
                                                HPDF_TRUE);
    if (!name) {
        err_set(e, LB_EXIT_RUNTIME, "%s: libharu cannot load the TrueType "
                "face %u", S_files[face].path, S_files[face].index);
        return NULL;
    }
    f->h = HPDF_GetFont(doc, name, "UTF-8");
    if (!f->h)
        err_set(e, LB_EXIT_RUNTIME, "%s: libharu cannot use the face with "
                "UTF-8", S_files[face].path);
    return f->h;
}

int pdf_cjkfont_mark(pdf_cjkfont *cf, int face, unsigned u)
{
    if (face < 0 || face >= PDF_CJK_NFACES || u > 0xFFFF)
        return -1;
    cf->face[face].drawn[u >> 3] |= (unsigned char)(1u << (u & 7));
    return 0;
}

int pdf_cjkfont_draw(pdf_cjkfont *cf, HPDF_Doc doc, HPDF_Page page,
                     int face, double size, unsigned u, double x, double y,
                     double room, lb_err *e)
{
    pdf_cjk_glyph g;
    int rc = pdf_cjkfont_glyph(cf, face, u, &g, e);
    if (rc != 0)
        return rc < 0 ? -1 : err_set(e, LB_EXIT_RUNTIME, "U+%04X: no glyph "
                                     "in %s", u, pdf_cjkfont_name(face));
    face = g.face;
    HPDF_Font h = pdf_cjkfont_hpdf(cf, doc, face, e);
    if (!h)
        return -1;
    cf->face[face].drawn[u >> 3] |= (unsigned char)(1u << (u & 7));
    char s[4];
    s[0] = (char)(0xE0 | (u >> 12));
    s[1] = (char)(0x80 | ((u >> 6) & 0x3F));
    s[2] = (char)(0x80 | (u & 0x3F));
    s[3] = 0;
    const char *txt = s;
    if (u < 0x80) {
        s[0] = (char)u;
        s[1] = 0;
    } else if (u < 0x800) {
        s[0] = (char)(0xC0 | (u >> 6));
        s[1] = (char)(0x80 | (u & 0x3F));
        s[2] = 0;
    }
    /* A glyph the next one closes up on by a quarter em or more is drawn
     * as its narrow variant (a CID of our own, below): the same glyph and
     * ink, half the advance in /W. */
    S_face *f = &cf->face[face];
    if (room >= 0 && room < 0.75 * g.adv * size && f->nvar < S_VARMAX) {
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
        txt = s;
    }
    HPDF_STATUS st = HPDF_Page_BeginText(page);
    st |= HPDF_Page_SetFontAndSize(page, h, (HPDF_REAL)size);
    st |= HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y, txt);
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

static int S_finish_face(S_face *f, int face, lb_err *e)
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
    for (size_t k = 0; k < f->nvar; k++) {   /* narrow variants */
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
        size_t cap = 600 + (n + f->nvar) * 16 + ((n + f->nvar) / 100 + 2) * 40, k = 0;
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
        for (size_t i = 0; i < n; i += 100) {
            size_t m = n - i < 100 ? n - i : 100;
            k += (size_t)snprintf(cmap + k, cap - k, "%zu beginbfchar\n", m);
            for (size_t j = i; j < i + m; j++)
                k += (size_t)snprintf(cmap + k, cap - k, "<%04X> <%04X>\n",
                                      cps[j], cps[j]);
            k += (size_t)snprintf(cmap + k, cap - k, "endbfchar\n");
        }
        for (size_t i = 0; i < f->nvar; i += 100) {
            size_t m = f->nvar - i < 100 ? f->nvar - i : 100;
            k += (size_t)snprintf(cmap + k, cap - k, "%zu beginbfchar\n", m);
            for (size_t j = i; j < i + m; j++)
                k += (size_t)snprintf(cmap + k, cap - k, "<%04X> <%04X>\n",
                                      (unsigned)(S_VAR0 + j), f->var[j]);
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
    err_set(e, LB_EXIT_RUNTIME, "libharu: cannot write the subset of %s",
            pdf_cjkfont_name(face));
out:
    free(cmap);
    free(bytes);
    free(cps);
    return rc;
}

int pdf_cjkfont_finish(pdf_cjkfont *cf, lb_err *e)
{
    for (int i = 0; i < PDF_CJK_NFACES; i++)
        if (cf && cf->face[i].h && S_finish_face(&cf->face[i], i, e) < 0)
            return -1;
    return 0;
}
