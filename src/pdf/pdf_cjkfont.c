/* pdf_cjkfont — see pdf_cjkfont.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "pdf/pdf_cjkfont.h"
#include "pdf/pdf_ttface.h"

typedef struct S_face {
    pdf_ttface *tf;          /* the face's file, embedding and subset */
    const pdf_ttf *ttf;      /* its metrics, opened on first use */
    double scale;            /* CJK size / Latin size */
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
        pdf_ttface_free(cf->face[i].tf);
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
    if (!f->tf && !(f->tf = pdf_ttface_new(S_files[face].path, S_files[face].index,
                                           S_files[face].name, e)))
        return NULL;
    if (!(f->ttf = pdf_ttface_ttf(f->tf, e)))
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
    return f ? pdf_ttface_hpdf(f->tf, doc, e) : NULL;
}

int pdf_cjkfont_mark(pdf_cjkfont *cf, int face, unsigned u)
{
    char s[5];
    if (face < 0 || face >= PDF_CJK_NFACES || !cf->face[face].tf)
        return -1;
    return pdf_ttface_mark(cf->face[face].tf, u, s);
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
    S_face *f = S_open(cf, g.face, e);
    /* the next glyph closes up on this one by a quarter em or more */
    int narrow = room >= 0 && room < 0.75 * g.adv * size;
    return f ? pdf_ttface_draw(f->tf, doc, page, size, u, x, y, narrow, e) : -1;
}

int pdf_cjkfont_finish(pdf_cjkfont *cf, lb_err *e)
{
    for (int i = 0; i < PDF_CJK_NFACES; i++)
        if (cf && pdf_ttface_finish(cf->face[i].tf, NULL, e) < 0)
            return -1;
    return 0;
}
