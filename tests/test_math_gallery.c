/* test_math_gallery — writes every gallery formula into a PDF (env
 * GALLERY_PDF, default build/gallery.pdf) for visual comparison with LaTeX,
 * and checks the written fonts: every glyph drawn has a non-zero /Widths
 * entry (libharu 2.3.0's zero-width trap) in an uncompressed copy. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <hpdf.h>
#include "testkit.h"
#include "math/math.h"
#include "pdf/pdf_fonts.h"
#include "pdf/pdf_math.h"
#include "gallery_formulas.h"

static void S_herr(HPDF_STATUS err, HPDF_STATUS detail, void *data)
{
    (void)data;
    fprintf(stderr, "libharu error 0x%04X detail %u\n", (unsigned)err, (unsigned)detail);
}

/* Build the gallery into a document; returns fonts/codes drawn via used[]. */
static HPDF_Doc S_build(math_fonts *mf, int compress, unsigned char used[MATH_F_COUNT][256])
{
    lb_err e;
    err_clear(&e);
    HPDF_Doc doc = HPDF_New(S_herr, NULL);
    assert_non_null(doc);
    HPDF_UseUTFEncodings(doc);   /* the TrueType math fonts (pdf_ttface.h) */
    if (compress)
        HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    pdf_fonts *pf = pdf_fonts_new(doc, mf, &e);
    assert_non_null(pf);
    HPDF_Font tt = pdf_fonts_get(pf, "lmtt10", "WinAnsiEncoding", &e);
    assert_non_null(tt);
    HPDF_Page page = NULL;
    double y = 0;
    const double size = 11, left = 56;
    for (size_t i = 0; i < GALLERY_N; i++) {
        int col = 0;
        math_box *b = math_layout(mf, GALLERY[i].tex, GALLERY[i].mode == 'D' ? MATH_DISPLAY
                                  : MATH_TEXT, size, &col, &e);
        if (!b)
            fprintf(stderr, "formula %zu: col %d: %s\n", i, col, e.msg);
        assert_non_null(b);
        double need = b->height + b->depth + 22;
        if (!page || y - need < 50) {
            page = HPDF_AddPage(doc);
            HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
            y = HPDF_Page_GetHeight(page) - 50;
            /* body-text font with WinAnsi next to the same font's math use */
            HPDF_Font rm = pdf_fonts_get(pf, "lmr10", "WinAnsiEncoding", &e);
            assert_non_null(rm);
            assert_ptr_equal(rm, pdf_fonts_get(pf, "lmr10", "WinAnsiEncoding", &e));
            HPDF_Page_BeginText(page);
            HPDF_Page_SetFontAndSize(page, rm, 10);
            HPDF_Page_TextOut(page, 20, (HPDF_REAL)(y + 20), "lossbook math gallery \x96 "
                              "formulas set by math_layout");
            HPDF_Page_EndText(page);
        }
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, tt, 5.5);
        char src[2048];
        snprintf(src, sizeof src, "%zu%c: %.180s", i, GALLERY[i].mode, GALLERY[i].tex);
        HPDF_Page_TextOut(page, 20, (HPDF_REAL)(y - 6), src);
        HPDF_Page_EndText(page);
        double base = y - 12 - b->height;
        assert_int_equal(pdf_math_draw(pf, page, b, left, base, &e), 0);
        for (size_t k = 0; k < b->nglyphs; k++)
            if (b->glyphs[k].code < 256)   /* the TrueType fonts: Unicode */
                used[b->glyphs[k].font][b->glyphs[k].code] = 1;
        y = base - b->depth - 10;
        math_box_free(b);
    }
    assert_int_equal(pdf_fonts_finish(pf, &e), 0);
    pdf_fonts_free(pf);
    return doc;
}

/* In an uncompressed PDF, find the font dict with /BaseFont /NAME and
 * return its /FirstChar and the /Widths numbers. */
static int S_widths(const char *pdf, size_t n, const char *basefont, int *first,
                    double w[256])
{
    char key[160];
    snprintf(key, sizeof key, "/BaseFont /%s", basefont);
    const char *p = pdf;
    while ((p = memmem(p, n - (size_t)(p - pdf), key, strlen(key)))) {
        /* the dictionary around p: back to "<<", forward to ">>" */
        const char *s = p;
        while (s > pdf && !(s[0] == '<' && s[1] == '<'))
            s--;
        const char *fc = strstr(s, "/FirstChar"), *wd = strstr(s, "/Widths");
        const char *end = strstr(p, "endobj"), *wa = strstr(s, "/WinAnsiEncoding");
        /* skip the WinAnsi (body text) instance of the same font */
        if (!fc || !wd || !end || fc > end || wd > end || (wa && wa < end)) {
            p++;
            continue;
        }
        *first = atoi(fc + 10);
        const char *q = strchr(wd, '[');
        int k = 0;
        char *ep;
        for (q++; k < 256; k++) {
            double v = strtod(q, &ep);
            if (ep == q)
                break;
            w[k] = v;
            q = ep;
        }
        return k;
    }
    return -1;
}

static void t_gallery(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    math_fonts *mf = math_fonts_new(NULL, &e);
    assert_non_null(mf);
    static unsigned char used[MATH_F_COUNT][256];
    memset(used, 0, sizeof used);
    const char *path = getenv("GALLERY_PDF");
    if (!path || !*path)
        path = "build/gallery.pdf";
    HPDF_Doc doc = S_build(mf, 1, used);
    assert_int_equal(HPDF_SaveToFile(doc, path), HPDF_OK);
    HPDF_Free(doc);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fclose(fp);

    /* uncompressed copy: check /Widths of every math font glyph used */
    memset(used, 0, sizeof used);
    doc = S_build(mf, 0, used);
    char tmp[] = "/tmp/lb_gallery_XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    assert_int_equal(HPDF_SaveToFile(doc, tmp), HPDF_OK);
    HPDF_Free(doc);
    close(fd);
    size_t n = 0;
    char *buf = tk_read_file(tmp, &n);
    assert_non_null(buf);
    remove(tmp);
    int checked = 0;
    for (int id = 0; id < MATH_F_COUNT; id++) {
        int any = 0;
        for (int c = 0; c < 256; c++)
            any |= used[id][c];
        if (!any || math_font_is_ttf(mf, id))
            continue;
        const char *ps = afm_font_name(math_font_afm(mf, id));
        int first = 0;
        double w[256];
        int nw = S_widths(buf, n, ps, &first, w);
        if (nw < 0)
            fail_msg("font %s not found in the PDF", ps);
        for (int c = 0; c < 256; c++) {
            if (!used[id][c])
                continue;
            if (c < first || c - first >= nw || w[c - first] <= 0)
                fail_msg("%s code %d (%s): zero/missing width in /Widths", ps, c,
                         math_font_code_name(mf, id, c));
            checked++;
        }
    }
    assert_true(checked > 100);
    free(buf);
    math_fonts_free(mf);
}

/* Dark pixels of a binary PGM (P5) file, -1 if unreadable. */
static long S_dark(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int w, h, maxv;
    long n = -1;
    if (fscanf(f, "P5 %d %d %d", &w, &h, &maxv) == 3 && fgetc(f) != EOF && w > 0 && h > 0) {
        n = 0;
        for (long i = 0; i < (long)w * h; i++) {
            int c = fgetc(f);
            if (c == EOF)
                break;
            if (c < maxv * 9 / 10)   /* any ink, anti-aliased thin strokes too */
                n++;
        }
    }
    fclose(f);
    return n;
}

/* The glyphs libharu 2.3.0 would silently drop (non-Latin-1 names, the extra
 * slots, a zero-width glyph, the TTF) really appear when rendered: one
 * formula per page, rasterised with pdftoppm, each page must have ink. */
static void t_glyphs_visible(void **state)
{
    (void)state;
    tk_result probe = {0};
    int have = tk_cmd(&probe, NULL, "pdftoppm", "-v", NULL) == 0;
    tk_result_free(&probe);
    if (!have)
        skip();
    static const char *const f[] = {
        "\\sigma", "\\sum", "-", "\\Gamma", "\\not", "\\mathbb{E}", "\\partial",
        "\\sqrt{}", "\\left( \\begin{matrix} 1 \\\\ 2 \\\\ 3 \\\\ 4 \\end{matrix} \\right.",
        "\\hat{}", "\\infty", "\\boldsymbol{\\delta}", "\\mathbf{W}", "\\mathcal{L}",
        "\\nabla", "\\odot", "\\Sigma",
    };
    const size_t nf = sizeof f / sizeof *f;
    lb_err e;
    err_clear(&e);
    math_fonts *mf = math_fonts_new(NULL, &e);
    assert_non_null(mf);
    HPDF_Doc doc = HPDF_New(S_herr, NULL);
    HPDF_UseUTFEncodings(doc);
    assert_non_null(doc);
    pdf_fonts *pf = pdf_fonts_new(doc, mf, &e);
    assert_non_null(pf);
    for (size_t i = 0; i < nf; i++) {
        int col;
        math_box *b = math_layout(mf, f[i], MATH_DISPLAY, 40, &col, &e);
        assert_non_null(b);
        /* draw the glyphs only (rules would give ink on their own) */
        b->nrules = 0;
        HPDF_Page page = HPDF_AddPage(doc);
        HPDF_Page_SetWidth(page, 200);
        HPDF_Page_SetHeight(page, 200);
        assert_int_equal(pdf_math_draw(pf, page, b, 40, 80, &e), 0);
        math_box_free(b);
    }
    char *dir = tk_tmpdir_new("glyphs");
    assert_non_null(dir);
    char pdf[256];
    snprintf(pdf, sizeof pdf, "%s/g.pdf", dir);
    assert_int_equal(pdf_fonts_finish(pf, &e), 0);
    assert_int_equal(HPDF_SaveToFile(doc, pdf), HPDF_OK);
    HPDF_Free(doc);
    pdf_fonts_free(pf);
    assert_int_equal(tk_cmd(NULL, NULL, "pdftoppm", "-r", "36", "-gray", pdf,
                            tk_path("%s/p", dir), NULL), 0);
    for (size_t i = 0; i < nf; i++) {
        char png[300];
        /* pdftoppm pads the page number to the width of the last one */
        snprintf(png, sizeof png, "%s/p-%0*zu.pgm", dir, nf >= 10 ? 2 : 1, i + 1);
        long dark = S_dark(png);
        if (dark <= 0)
            fail_msg("'%s' renders no ink (%ld)", f[i], dark);
    }
    tk_tmpdir_free(dir);
    math_fonts_free(mf);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_gallery),
                                        cmocka_unit_test(t_glyphs_visible) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
