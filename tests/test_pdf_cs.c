/* Tests for the content-stream writer (src/pdf/pdf_cs.c) and, end to end,
 * for what it changed in the PDF (issue 15: one text object per line, TJ
 * arrays, figure paths from the SVG's numbers, shared /ToUnicode maps).
 *
 * Where the expected values come from:
 *  - the exact bytes of a page: by hand from lmr10.afm / lmr9.afm, whose
 *    WX values libharu keeps truncated to integers (its /Widths): A 750,
 *    V 750, x 527 (527.77777), b 555 (555.55556) in lmr10; o 513 (513.88461)
 *    in lmr9.  A TJ number n moves the pen by -n/1000 of the font size, so
 *    after "AV" at x = 100, 10 pt the pen is at 100 + 1500 * 10 / 1000 = 115
 *    and "x" wanted at 118.33333 needs (115 - 118.33333) * 100 = -333.333;
 *    the pen is then at 118.33333 + 5.27 = 123.60333, and "b" at 123.88111
 *    needs -27.778; after "b" (5.55) the pen is at 129.43111, and "o" in
 *    lmr9 at 9 pt wanted at 130 needs (129.43111 - 130) * 1000 / 9 = -63.21;
 *  - no accumulation: the positions a viewer computes from the written
 *    numbers (widths + TJ numbers, re-read from the stream here) stay
 *    within half a unit of the last decimal of the requested ones over 200
 *    shows on one line (a writer that rounded each gap on its own would
 *    drift by up to 200 times that);
 *  - end to end: the fixture document drawn through libharu's own text and
 *    path operators (pdf_opts.hpdf_content: a text object per word, float
 *    numbers, as before the writer) and through the writer must rasterise
 *    to identical pages at 150 dpi and extract to identical text, the
 *    writer's file being smaller; font dictionaries with the same glyph to
 *    Unicode map share one /ToUnicode stream.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include "pdf/pdf_cs.h"
#include "pdf/pdf_fonts.h"
#include "pdf/pdf.h"
#include "testkit.h"

/* The page's content stream so far, NUL-terminated (malloc). */
static char *S_content(HPDF_Page page)
{
    HPDF_Stream st = ((HPDF_PageAttr)page->attr)->stream;
    size_t n = st->size;
    char *b = malloc(n + 1);
    assert_non_null(b);
    assert_int_equal(HPDF_Stream_Seek(st, 0, HPDF_SEEK_SET), HPDF_OK);
    HPDF_UINT len = (HPDF_UINT)n;
    if (n)
        assert_int_equal(HPDF_Stream_Read(st, (HPDF_BYTE *)b, &len), HPDF_OK);
    assert_int_equal(len, n);
    b[n] = '\0';
    assert_int_equal(HPDF_Stream_Seek(st, 0, HPDF_SEEK_END), HPDF_OK);
    return b;
}

typedef struct S_fix {
    HPDF_Doc doc;
    pdf_fonts *pf;
    HPDF_Page page;
    HPDF_Font r10, r9;
} S_fix;

static void S_fix_new(S_fix *f)
{
    lb_err e;
    err_clear(&e);
    f->doc = HPDF_New(NULL, NULL);
    assert_non_null(f->doc);
    f->pf = pdf_fonts_new(f->doc, NULL, &e);
    assert_non_null(f->pf);
    f->page = HPDF_AddPage(f->doc);
    assert_non_null(f->page);
    f->r10 = pdf_fonts_get(f->pf, "lmr10", "WinAnsiEncoding", &e);
    f->r9 = pdf_fonts_get(f->pf, "lmr9", "WinAnsiEncoding", &e);
    assert_non_null(f->r10);
    assert_non_null(f->r9);
}

static void S_fix_free(S_fix *f)
{
    pdf_fonts_free(f->pf);
    HPDF_Free(f->doc);
}

static void test_line_bytes(void **state)
{
    (void)state;
    S_fix f;
    S_fix_new(&f);
    pdf_cs cs = {0};
    assert_int_equal(pdf_cs_show(&cs, f.page, f.r10, 10, 100, 700, "AV", 2), 0);
    assert_int_equal(pdf_cs_show(&cs, f.page, f.r10, 10, 118.33333, 700, "x", 1), 0);
    assert_int_equal(pdf_cs_show(&cs, f.page, f.r10, 10, 123.88111, 700, "b", 1), 0);
    assert_int_equal(pdf_cs_show(&cs, f.page, f.r9, 9, 130, 700, "o", 1), 0);
    /* a new line: a move relative to the previous line's origin */
    assert_int_equal(pdf_cs_show(&cs, f.page, f.r9, 9, 100, 688, "o", 1), 0);
    /* while the text object is open, libharu refuses a path ... */
    assert_int_not_equal(HPDF_Page_Rectangle(f.page, 0, 0, 1, 1), HPDF_OK);
    HPDF_ResetError(f.doc);
    assert_int_equal(pdf_cs_end(&cs), 0);
    /* ... and accepts it once it is closed */
    assert_int_equal(HPDF_Page_Rectangle(f.page, 0, 0, 1, 1), HPDF_OK);
    assert_int_equal(HPDF_Page_Fill(f.page), HPDF_OK);
    /* same font and size as the graphics state: no Tf; escapes */
    assert_int_equal(pdf_cs_show(&cs, f.page, f.r9, 9, 50, 600, "()\\\r", 4), 0);
    assert_int_equal(pdf_cs_end(&cs), 0);
    assert_int_equal(pdf_cs_end(&cs), 0);   /* nothing open: nothing written */
    char *s = S_content(f.page);
    assert_string_equal(s,
                        "BT\n/F1 10 Tf\n100 700 Td\n[(AV)-333.333(x)-27.778(b)]TJ\n"
                        "/F2 9 Tf\n[-63.21(o)]TJ\n0 -12 Td\n[(o)]TJ\nET\n"
                        "0 0 1 1 re\nf\n"
                        "BT\n50 600 Td\n[(\\(\\)\\\\\\015)]TJ\nET\n");
    free(s);
    S_fix_free(&f);
}

/* Re-read the TJ array of one line: the pen before each string. */
static size_t S_pens(const char *s, double x0, double size, const int *w, double *pen,
                     size_t max)
{
    const char *p = strchr(s, '[');
    assert_non_null(p);
    double x = x0;
    size_t n = 0;
    for (p++; *p && *p != ']';) {
        if (*p == '(') {
            assert_true(n < max);
            pen[n++] = x;
            for (p++; *p != ')'; p++)
                x += w[(unsigned char)*p] * size / 1000.0;
            p++;
        } else {
            char *end;
            double v = strtod(p, &end);
            assert_true(end > p);
            x -= v * size / 1000.0;
            p = end;
        }
    }
    return n;
}

static void test_no_drift(void **state)
{
    (void)state;
    S_fix f;
    S_fix_new(&f);
    pdf_cs cs = {0};
    enum { N = 200 };
    double want[N];
    for (int k = 0; k < N; k++) {
        /* "x" is 5.27 pt wide at 10 pt; gaps of a third of a point plus a
         * little more each time: every TJ number is rounded */
        want[k] = 100 + k * (5.27 + 1.0 / 3.0) + 1e-4 * k * k / 7.0;
        assert_int_equal(pdf_cs_show(&cs, f.page, f.r10, 10, want[k], 700, "x", 1), 0);
    }
    assert_int_equal(pdf_cs_end(&cs), 0);
    char *s = S_content(f.page);
    int w[256] = {0};
    w['x'] = 527;
    double pen[N];
    assert_int_equal(S_pens(s, 100, 10, w, pen, N), N);
    double worst = 0;
    for (int k = 0; k < N; k++)
        worst = fmax(worst, fabs(pen[k] - want[k]));
    /* half a unit of the 3rd decimal of a thousandth of 10 pt: 5e-6 pt */
    if (worst > 0.0005 * 10 / 1000 + 1e-9)
        fail_msg("a glyph is %.3g pt from where it was asked", worst);
    free(s);
    S_fix_free(&f);
}

/* ---- end to end ------------------------------------------------------------ */

/* How many font dictionaries, and how many distinct /ToUnicode objects
 * they name (the object streams unpacked by tk_pdf_read). */
static void S_tounicode_count(const char *pdf, int *fonts, int *maps)
{
    size_t n = 0;
    char *b = tk_pdf_read(pdf, &n);
    assert_non_null(b);
    int seen[4096] = {0};
    *fonts = *maps = 0;
    for (size_t i = 0; i + 12 < n; i++) {
        if (memcmp(b + i, "/ToUnicode ", 11) != 0)
            continue;
        int obj = atoi(b + i + 11);
        assert_true(obj > 0 && obj < 4096);
        (*fonts)++;
        if (!seen[obj]++)
            (*maps)++;
    }
    free(b);
}

static void test_rasters_identical(void **state)
{
    (void)state;
    char *dir = tk_tmpdir_new("pdf-cs");
    assert_non_null(dir);
    char a[1200], b[1200];
    snprintf(a, sizeof a, "%s/hpdf.pdf", dir);
    snprintf(b, sizeof b, "%s/cs.pdf", dir);
    pdf_opts o;
    pdf_opts_default(&o);
    o.hpdf_content = 1;
    tk_render_fixture(&o, a);
    tk_render_fixture(NULL, b);
    long long sa = tk_file_size(a), sb = tk_file_size(b);
    if (!(sb < sa))
        fail_msg("content writer %lld bytes, libharu's operators %lld", sb, sa);
    char *d = tk_pdf_same_pages(a, b, 150);
    if (d)
        fail_msg("libharu's operators vs the writer: %s", d);
    int fonts, maps;
    S_tounicode_count(b, &fonts, &maps);
    if (!(fonts >= 5 && maps < fonts))
        fail_msg("%d font dictionaries, %d /ToUnicode maps: expected shared maps", fonts, maps);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_bytes),
        cmocka_unit_test(test_no_drift),
        cmocka_unit_test(test_rasters_identical),
    };
    return cmocka_run_group_tests_name("pdf_cs", tests, NULL, NULL);
}
