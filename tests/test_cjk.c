/* test_cjk — Chinese line-breaking and spacing rules (pdf_cjk.h) on crafted
 * strings, and the TrueType reader (pdf_ttf.h) on a font built here byte
 * by byte and on the installed CJK font.
 *
 * Expected classes come from UAX #14's LineBreak.txt (Unicode 15) and the
 * W3C "Requirements for Chinese Text Layout" (clreq), read by hand: e.g.
 * U+FF0C FULLWIDTH COMMA is CL, U+3002 IDEOGRAPHIC FULL STOP is CL, U+FF08
 * FULLWIDTH LEFT PARENTHESIS is OP, U+3005 IDEOGRAPHIC ITERATION MARK is NS.
 * Each rule of pdf_cjk.h has a case below that fails without it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pdf/pdf_cjk.h"
#include "pdf/pdf_ttf.h"
#include "pdf/pdf_ttfsub.h"

/* Decode the i-th character of a UTF-8 literal (test strings are valid). */
static unsigned S_u(const char *s, size_t k)
{
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        unsigned u;
        size_t n;
        if (p[0] < 0x80) { u = p[0]; n = 1; }
        else if (p[0] < 0xE0) { u = (p[0] & 31u) << 6 | (p[1] & 63u); n = 2; }
        else if (p[0] < 0xF0) {
            u = (p[0] & 15u) << 12 | (p[1] & 63u) << 6 | (p[2] & 63u); n = 3;
        } else {
            u = (p[0] & 7u) << 18 | (p[1] & 63u) << 12 | (p[2] & 63u) << 6 |
                (p[3] & 63u); n = 4;
        }
        if (k-- == 0)
            return u;
        p += n;
    }
}

static size_t S_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Where may a line break inside `s` (no spaces)?  One char per gap:
 * '|' breakable, '.' not. */
static void S_breaks(const char *s, char *out)
{
    size_t n = S_len(s);
    for (size_t i = 0; i + 1 < n; i++)
        out[i] = pdf_cjk_join_of(S_u(s, i), S_u(s, i + 1), 0).breakable
                 ? '|' : '.';
    out[n ? n - 1 : 0] = 0;
}

static void t_classes(void **st)
{
    (void)st;
    const char *ids = "交叉熵损失国中一〇あア가";
    for (size_t i = 0; i < S_len(ids); i++)
        assert_int_equal(pdf_cjk_class(S_u(ids, i)), PDF_CJK_ID);
    const char *cls = "，。、；：！？）」』》〉】〕〗］｝";
    for (size_t i = 0; i < S_len(cls); i++)
        assert_int_equal(pdf_cjk_class(S_u(cls, i)), PDF_CJK_CL);
    const char *ops = "（「『《〈【〔〖［｛";
    for (size_t i = 0; i < S_len(ops); i++)
        assert_int_equal(pdf_cjk_class(S_u(ops, i)), PDF_CJK_OP);
    assert_int_equal(pdf_cjk_class(0x3005), PDF_CJK_NS);   /* 々 */
    assert_int_equal(pdf_cjk_class(0x30FC), PDF_CJK_NS);   /* ー */
    assert_int_equal(pdf_cjk_class(0x2026), PDF_CJK_IN);   /* … */
    assert_int_equal(pdf_cjk_class(0x20000), PDF_CJK_ID);  /* Ext. B */
    assert_int_equal(pdf_cjk_class('a'), PDF_CJK_OTHER);
    assert_int_equal(pdf_cjk_class('7'), PDF_CJK_OTHER);
    assert_int_equal(pdf_cjk_class(0x00E9), PDF_CJK_OTHER); /* é */
    assert_int_equal(pdf_cjk_class(0x03C3), PDF_CJK_OTHER); /* σ */
    assert_true(pdf_cjk_wide(0x4EA4));
    assert_false(pdf_cjk_wide('x'));
}

/* Rule: a line may break between any two ideographs. */
static void t_break_between_ideographs(void **st)
{
    (void)st;
    char b[64];
    S_breaks("交叉熵损失", b);
    assert_string_equal(b, "||||");
    pdf_cjk_join j = pdf_cjk_join_of(0x4EA4, 0x53C9, 0);   /* 交叉 */
    assert_int_equal(j.kind, PDF_CJK_J_INTER);
}

/* Rule: no line starts with closing punctuation. */
static void t_no_break_before_closing(void **st)
{
    (void)st;
    const char *cls = "，。、；：！？）」』》〉】";
    for (size_t i = 0; i < S_len(cls); i++) {
        pdf_cjk_join j = pdf_cjk_join_of(0x5931 /* 失 */, S_u(cls, i), 0);
        assert_int_equal(j.breakable, 0);
        /* ... and a line may break after it. */
        j = pdf_cjk_join_of(S_u(cls, i), 0x4EA4, 0);
        assert_int_equal(j.breakable, 1);
    }
    char b[64];
    S_breaks("损失，交叉熵。", b);       /* 损|失.，|交|叉|熵.。 */
    assert_string_equal(b, "|.|||.");
    /* Two closing marks: no break between them either. */
    S_breaks("熵）。", b);
    assert_string_equal(b, "..");
    /* Non-starters: iteration mark, prolonged sound mark. */
    assert_int_equal(pdf_cjk_join_of(0x4EBA, 0x3005, 0).breakable, 0);
}

/* Rule: no line ends with opening punctuation. */
static void t_no_break_after_opening(void **st)
{
    (void)st;
    const char *ops = "（「『《〈【";
    for (size_t i = 0; i < S_len(ops); i++) {
        assert_int_equal(pdf_cjk_join_of(S_u(ops, i), 0x4EA4, 0).breakable, 0);
        /* a break before it is fine */
        assert_int_equal(pdf_cjk_join_of(0x4EA4, S_u(ops, i), 0).breakable, 1);
        /* even before Latin text: 《softmax》 */
        assert_int_equal(pdf_cjk_join_of(S_u(ops, i), 's', 0).breakable, 0);
    }
    char b[64];
    S_breaks("见《交叉熵》一", b);
    assert_string_equal(b, "|.||.|");
}

/* Rule: —— and …… are never split, and …… never starts a line. */
static void t_inseparable(void **st)
{
    (void)st;
    assert_int_equal(pdf_cjk_join_of(0x2014, 0x2014, 0).breakable, 0);
    assert_int_equal(pdf_cjk_join_of(0x2026, 0x2026, 0).breakable, 0);
    assert_int_equal(pdf_cjk_join_of(0x4EA4, 0x2014, 0).breakable, 1);
    /* and no line starts with …… (UAX #14 LB22: no break before IN),
     * after an ideograph (然……), a full-width mark (：……) or Latin */
    assert_int_equal(pdf_cjk_join_of(0x7136, 0x2026, 0).breakable, 0);
    assert_int_equal(pdf_cjk_join_of(0xFF1A, 0x2026, 0).breakable, 0);
    assert_int_equal(pdf_cjk_join_of('x', 0x2026, 0).breakable, 0);
    /* the ellipsis ends a run like other punctuation: a break after it */
    assert_int_equal(pdf_cjk_join_of(0x2026, 0x8FD8, 0).breakable, 1);
}

/* Rule: full-width punctuation is not followed (or preceded) by extra
 * space, even when the source has one. */
static void t_no_space_at_fullwidth_punct(void **st)
{
    (void)st;
    pdf_cjk_join j = pdf_cjk_join_of(0xFF0C /* ， */, 's', 1);
    assert_int_equal(j.kind, PDF_CJK_J_NONE);
    assert_int_equal(j.breakable, 1);
    j = pdf_cjk_join_of('x', 0xFF0C, 1);                 /* "softmax ，" */
    assert_int_equal(j.kind, PDF_CJK_J_NONE);
    assert_int_equal(j.breakable, 0);
    j = pdf_cjk_join_of(0xFF08 /* （ */, 'M', 0);          /* （MLE） */
    assert_int_equal(j.kind, PDF_CJK_J_NONE);
    j = pdf_cjk_join_of('E', 0xFF09, 0);
    assert_int_equal(j.kind, PDF_CJK_J_NONE);
    /* Between two CJK characters a source space (a Markdown line break
     * inside a Chinese paragraph) is dropped. */
    j = pdf_cjk_join_of(0x3002 /* 。 */, 0x4EA4, 1);
    assert_int_equal(j.kind, PDF_CJK_J_INTER);
    j = pdf_cjk_join_of(0x4EA4, 0x53C9, 1);
    assert_int_equal(j.kind, PDF_CJK_J_INTER);
}

/* Rule: a quarter em between ideographs and Latin words, numbers or
 * formulas; a source space there becomes the same quarter em. */
static void t_quarter_em(void **st)
{
    (void)st;
    int k[][3] = {
        { 0x7528 /* 用 */, 's', 0 }, { 'x', 0x51FD /* 函 */, 0 },
        { 0x7528, 's', 1 }, { 'x', 0x51FD, 1 },
        { 0x7B2C /* 第 */, '3', 0 }, { '3', 0x8282 /* 节 */, 1 },
        { 0x8BBE /* 设 */, PDF_CJK_BOX, 1 }, { PDF_CJK_BOX, 0x4E3A, 0 },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        pdf_cjk_join j = pdf_cjk_join_of((unsigned)k[i][0],
                                         (unsigned)k[i][1], k[i][2]);
        assert_int_equal(j.kind, PDF_CJK_J_QUARTER);
        assert_int_equal(j.breakable, 1);
    }
    /* ASCII closing punctuation sticks to an ideograph before it, ASCII
     * opening punctuation to one after it. */
    pdf_cjk_join j = pdf_cjk_join_of(0x71B5 /* 熵 */, ')', 0);
    assert_int_equal(j.kind, PDF_CJK_J_NONE);
    assert_int_equal(j.breakable, 0);
    j = pdf_cjk_join_of('(', 0x4EA4, 0);
    assert_int_equal(j.kind, PDF_CJK_J_NONE);
    assert_int_equal(j.breakable, 0);
    /* Latin next to Latin keeps word spaces. */
    j = pdf_cjk_join_of('a', 'b', 1);
    assert_int_equal(j.kind, PDF_CJK_J_SPACE);
    j = pdf_cjk_join_of('a', 'b', 0);
    assert_int_equal(j.kind, PDF_CJK_J_NONE);
    /* Nothing before the first character of a paragraph. */
    j = pdf_cjk_join_of(0, 0x4EA4, 1);
    assert_int_equal(j.kind, PDF_CJK_J_NONE);
}

static void t_ambiguous_marks(void **st)
{
    (void)st;
    /* “交叉熵” : full-width quotes */
    assert_int_equal(pdf_cjk_ambiguous(0x201C, 0x662F, 0x4EA4), 1);
    assert_int_equal(pdf_cjk_ambiguous(0x201D, 0x71B5, 0xFF0C), 1);
    /* the “cat” : Latin quotes */
    assert_int_equal(pdf_cjk_ambiguous(0x201C, ' ', 'c'), 0);
    assert_int_equal(pdf_cjk_ambiguous(0x201D, 't', ' '), 0);
    /* —— after Chinese, — between Latin words */
    assert_int_equal(pdf_cjk_ambiguous(0x2014, 0x5931, 0x2014), 1);
    assert_int_equal(pdf_cjk_ambiguous(0x2014, 'a', 'b'), 0);
    assert_int_equal(pdf_cjk_ambiguous(0x4EA4, 0, 0), -1);
    assert_int_equal(pdf_cjk_narrow(0x201C), '(');
    assert_int_equal(pdf_cjk_narrow(0x201D), ')');
    /* a narrow closing quote sticks to the ideograph before it */
    assert_int_equal(pdf_cjk_join_of(0x71B5, pdf_cjk_narrow(0x201D), 0).breakable, 0);
}

static void t_squeeze(void **st)
{
    (void)st;
    assert_int_equal(pdf_cjk_squeeze(0xFF09, 0x3002), 1);   /* ）。 */
    assert_int_equal(pdf_cjk_squeeze(0xFF0C, 0x300C), 1);   /* ，「 */
    assert_int_equal(pdf_cjk_squeeze(0xFF08, 0x300C), 2);   /* （「 */
    assert_int_equal(pdf_cjk_squeeze(0x4EA4, 0x3002), 0);   /* 交。 */
    assert_int_equal(pdf_cjk_squeeze(0xFF08, 0xFF09), 0);   /* （） */
}

/* ---- TrueType reader ------------------------------------------------------ */

static void S_put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void S_put32(unsigned char *p, uint32_t v) { S_put16(p, v >> 16); S_put16(p + 2, v & 0xFFFF); }

/* A three-glyph TrueType font: .notdef, 'A' (advance 600/1000, ink box
 * 10,-20..590,700) and U+4E2D 中 (advance 1000, ink 50,-80..950,820);
 * cmap format 4 with segments [0x41,0x41] delta and [0x4E2D,0x4E2D] through
 * glyphIdArray, and the 0xFFFF end segment. */
static unsigned char *S_font(size_t *len)
{
    enum { NT = 8 };
    static const char *tags[NT] = { "OS/2", "cmap", "glyf", "head", "hhea",
                                    "hmtx", "loca", "maxp" };
    unsigned char tb[NT][128];
    size_t tl[NT];
    memset(tb, 0, sizeof tb);
    /* OS/2 v2: sxHeight 450 at 86, sCapHeight 700 at 88 */
    S_put16(tb[0], 2); S_put16(tb[0] + 86, 450); S_put16(tb[0] + 88, 700); tl[0] = 96;
    /* cmap: 1 subtable (3,1) at 12, format 4, 3 segments */
    unsigned char *c = tb[1];
    S_put16(c + 2, 1); S_put16(c + 4, 3); S_put16(c + 6, 1); S_put32(c + 8, 12);
    unsigned char *f = c + 12;
    S_put16(f, 4); S_put16(f + 2, 16 + 3 * 8 + 2); S_put16(f + 6, 6);
    size_t e = 14;
    S_put16(f + e, 0x41); S_put16(f + e + 2, 0x4E2D); S_put16(f + e + 4, 0xFFFF);
    size_t s = e + 6 + 2;
    S_put16(f + s, 0x41); S_put16(f + s + 2, 0x4E2D); S_put16(f + s + 4, 0xFFFF);
    size_t d = s + 6;
    S_put16(f + d, (unsigned)(1 - 0x41) & 0xFFFF); S_put16(f + d + 2, 0); S_put16(f + d + 4, 1);
    size_t r = d + 6;
    S_put16(f + r, 0); S_put16(f + r + 2, 4); S_put16(f + r + 4, 0);  /* -> glyphIdArray[0] */
    S_put16(f + r + 6, 2);                                          /* 中 -> glyph 2 */
    tl[1] = 12 + r + 8;
    /* glyf: glyph 1 and 2 headers (numberOfContours 0, bbox) */
    unsigned char *g = tb[2];
    S_put16(g + 2, 10); S_put16(g + 4, (unsigned)-20 & 0xFFFF); S_put16(g + 6, 590); S_put16(g + 8, 700);
    S_put16(g + 12 + 2, 50); S_put16(g + 12 + 4, (unsigned)-80 & 0xFFFF); S_put16(g + 12 + 6, 950); S_put16(g + 12 + 8, 820);
    tl[2] = 24;
    /* head: unitsPerEm 1000 at 18, indexToLocFormat 0 at 50 */
    S_put16(tb[3] + 18, 1000); tl[3] = 54;
    /* hhea: ascender 880, descender -120, numberOfHMetrics 3 */
    S_put16(tb[4] + 4, 880); S_put16(tb[4] + 6, (unsigned)-120 & 0xFFFF); S_put16(tb[4] + 34, 3); tl[4] = 36;
    /* hmtx */
    S_put16(tb[5], 500); S_put16(tb[5] + 4, 600); S_put16(tb[5] + 8, 1000); tl[5] = 12;
    /* loca (short, offsets/2): 0, 0, 6, 12 */
    S_put16(tb[6] + 2, 0); S_put16(tb[6] + 4, 6); S_put16(tb[6] + 6, 12); tl[6] = 8;
    /* maxp: numGlyphs 3 */
    S_put32(tb[7], 0x5000); S_put16(tb[7] + 4, 3); tl[7] = 6;

    size_t off = 12 + 16 * NT, total = off;
    for (int i = 0; i < NT; i++)
        total += (tl[i] + 3) & ~(size_t)3;
    unsigned char *out = calloc(1, total);
    S_put32(out, 0x00010000); S_put16(out + 4, NT);
    for (int i = 0; i < NT; i++) {
        unsigned char *rec = out + 12 + 16 * i;
        memcpy(rec, tags[i], 4);
        S_put32(rec + 8, (uint32_t)off); S_put32(rec + 12, (uint32_t)tl[i]);
        memcpy(out + off, tb[i], tl[i]);
        off += (tl[i] + 3) & ~(size_t)3;
    }
    *len = total;
    return out;
}

static void t_ttf_synthetic(void **st)
{
    (void)st;
    size_t len;
    unsigned char *font = S_font(&len);
    lb_err e;
    err_clear(&e);
    pdf_ttf *t = pdf_ttf_open_mem(font, len, 0, "synthetic", &e);
    assert_non_null(t);
    const pdf_ttf_metrics *m = pdf_ttf_metrics_of(t);
    assert_int_equal(m->units_per_em, 1000);
    assert_int_equal(m->num_glyphs, 3);
    assert_true(m->ascender == 0.88 && m->descender == -0.12);
    assert_true(m->x_height == 0.45 && m->cap_height == 0.7);
    assert_int_equal(pdf_ttf_glyph(t, 'A'), 1);
    assert_int_equal(pdf_ttf_glyph(t, 0x4E2D), 2);
    assert_int_equal(pdf_ttf_glyph(t, 'B'), 0);       /* not in the font */
    assert_int_equal(pdf_ttf_glyph(t, 0x4E2E), 0);
    assert_int_equal(pdf_ttf_glyph(t, 0x1F600), 0);
    assert_true(pdf_ttf_advance(t, 1) == 0.6);
    assert_true(pdf_ttf_advance(t, 2) == 1.0);
    double bb[4];
    assert_int_equal(pdf_ttf_bbox(t, 2, bb), 0);
    assert_true(bb[0] == 0.05 && bb[1] == -0.08 && bb[2] == 0.95 && bb[3] == 0.82);
    assert_int_equal(pdf_ttf_bbox(t, 0, bb), -1);      /* empty .notdef */
    pdf_ttf_free(t);
    /* A truncated file and a CFF font are refused with a reason. */
    err_clear(&e);
    assert_null(pdf_ttf_open_mem(font, 40, 0, "short", &e));
    assert_true(e.code != 0);
    memcpy(font, "OTTO", 4);
    err_clear(&e);
    assert_null(pdf_ttf_open_mem(font, len, 0, "cff", &e));
    assert_non_null(strstr(e.msg, "CFF"));
    free(font);
}

/* The installed Ming face: glyphs and advances as libharu reports them
 * (HPDF_Font_GetUnicodeWidth gave 1000 for 交 and 500 for 'A' on this
 * font, checked by hand). */
static void t_ttf_installed(void **st)
{
    (void)st;
    const char *path = "/usr/share/fonts/truetype/arphic/uming.ttc";
    lb_err e;
    err_clear(&e);
    pdf_ttf *t = pdf_ttf_open(path, 0, &e);
    if (!t)
        fail_msg("%s", e.msg);
    unsigned g = pdf_ttf_glyph(t, 0x4EA4);
    assert_true(g != 0);
    assert_true(pdf_ttf_advance(t, g) == 1.0);
    assert_true(pdf_ttf_advance(t, pdf_ttf_glyph(t, 'A')) == 0.5);
    assert_int_equal(pdf_ttf_glyph(t, 0x1F600), 0);   /* no emoji */
    pdf_ttf_free(t);
    err_clear(&e);
    assert_null(pdf_ttf_open(path, 9, &e));            /* 4 faces only */
    assert_non_null(strstr(e.msg, "4 faces"));
}

/* The subset of the installed Hei face: 传 (a composite glyph in WenQuanYi
 * Micro Hei: numberOfContours -1, found with a short Python reading of its
 * glyf table) keeps its glyph id, its outline and the outlines of its
 * components; a character not asked for maps to nothing; advances are the
 * original ones. */
static void t_ttf_subset(void **st)
{
    (void)st;
    lb_err e;
    err_clear(&e);
    pdf_ttf *t = pdf_ttf_open("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                              0, &e);
    if (!t)
        fail_msg("%s", e.msg);
    unsigned cps[] = { 0x4F20 /* 传 */, 0x5931 /* 失 */, 0x4F20, 0x3002 };
    unsigned g_chuan = pdf_ttf_glyph(t, 0x4F20), g_shi = pdf_ttf_glyph(t, 0x5931);
    size_t gl;
    const unsigned char *gd = pdf_ttf_glyph_data(t, g_chuan, &gl);
    assert_non_null(gd);
    assert_true(gd[0] & 0x80);                 /* composite */
    unsigned char *bytes = NULL;
    size_t len = 0;
    assert_int_equal(pdf_ttfsub_build(t, cps, 4, &bytes, &len, &e), 0);
    pdf_ttf *s = pdf_ttf_open_mem(bytes, len, 0, "subset", &e);
    if (!s)
        fail_msg("%s", e.msg);
    assert_int_equal(pdf_ttf_glyph(s, 0x4F20), g_chuan);
    assert_int_equal(pdf_ttf_glyph(s, 0x5931), g_shi);
    assert_int_equal(pdf_ttf_glyph(s, 0x4EA4), 0);      /* 交: not asked */
    assert_true(pdf_ttf_advance(s, g_chuan) == pdf_ttf_advance(t, g_chuan));
    size_t sl;
    const unsigned char *sd = pdf_ttf_glyph_data(s, g_chuan, &sl);
    assert_non_null(sd);
    assert_int_equal(sl, gl);
    assert_memory_equal(sd, gd, gl);
    /* every component of 传 is there too */
    unsigned char *used = calloc(pdf_ttf_metrics_of(t)->num_glyphs, 1);
    pdf_ttfsub_closure(t, cps, 4, used);
    int comps = 0;
    for (unsigned g = 1; g < pdf_ttf_metrics_of(t)->num_glyphs; g++) {
        if (!used[g] || g == g_chuan || g == g_shi ||
            g == pdf_ttf_glyph(t, 0x3002))
            continue;
        comps++;
        size_t a, b;
        const unsigned char *x = pdf_ttf_glyph_data(t, g, &a);
        const unsigned char *y = pdf_ttf_glyph_data(s, g, &b);
        assert_non_null(y);
        assert_int_equal(a, b);
        assert_memory_equal(x, y, a);
    }
    assert_true(comps >= 1);
    /* a glyph not used is empty in the subset */
    size_t el;
    assert_null(pdf_ttf_glyph_data(s, pdf_ttf_glyph(t, 0x4EA4) < g_chuan
                                      ? pdf_ttf_glyph(t, 0x4EA4) : 1, &el));
    free(used);
    pdf_ttf_free(s);
    free(bytes);
    pdf_ttf_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_classes),
        cmocka_unit_test(t_break_between_ideographs),
        cmocka_unit_test(t_no_break_before_closing),
        cmocka_unit_test(t_no_break_after_opening),
        cmocka_unit_test(t_inseparable),
        cmocka_unit_test(t_no_space_at_fullwidth_punct),
        cmocka_unit_test(t_quarter_em),
        cmocka_unit_test(t_ambiguous_marks),
        cmocka_unit_test(t_squeeze),
        cmocka_unit_test(t_ttf_synthetic),
        cmocka_unit_test(t_ttf_installed),
        cmocka_unit_test(t_ttf_subset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
