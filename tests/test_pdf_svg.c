/* test_pdf_svg — end to end: gnuplot writes an SVG and a PNG of the same
 * figure; pdf_svg draws the SVG into a one-page PDF; poppler checks there
 * is no raster image and that the labels are text; the PDF rendered at
 * 72 dpi is compared with gnuplot's PNG (bench/svgcompare.py).
 * Needs gnuplot, poppler-utils and python3 (skipped without gnuplot). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testkit.h"
#include "svg/svg.h"
#include "pdf/pdf_svg.h"
#include "pdf/pdf_fonts.h"

/* Lines of FILE (read as bytes, split at '\n', like `grep -a -c`) that
 * are exactly LINE (how 0), start with it (1) or contain it (2). */
static int S_count_lines(const char *file, const char *line, int how)
{
    size_t len = 0;
    char *b = tk_read_file(file, &len);
    assert_non_null(b);
    size_t k = strlen(line);
    int n = 0;
    for (size_t at = 0; at < len;) {
        const char *eol = memchr(b + at, '\n', len - at);
        size_t ll = eol ? (size_t)(eol - (b + at)) : len - at;
        if (how == 0 ? ll == k && memcmp(b + at, line, k) == 0
            : how == 1 ? ll >= k && memcmp(b + at, line, k) == 0
                       : tk_contains(b + at, ll, line))
            n++;
        at += ll + 1;
    }
    free(b);
    return n;
}

/* gnuplot writes NAME.svg and NAME.png in tk_scratch() from the fixture plot body
 * BODY (tests/fixtures/svg/): the same body (fixed margins, so both
 * terminals put the axes in the same place) for svg and pngcairo; pngcairo
 * sizes fonts for 96 dpi, fontscale 0.75 brings 9 pt text to 9 px at 72 dpi
 * like the PDF. */
static void S_gnuplot_pair(const char *body, const char *name)
{
    assert_int_equal(tk_copy(tk_src(tk_path("tests/fixtures/svg/%s", body)),
                             tk_path("%s/%s.body.gp", tk_scratch(), name)), 0);
    char script[2048];
    snprintf(script, sizeof script,
             "set terminal svg size 400,250 font \"Latin Modern Roman,9\" enhanced\n"
             "set output \"%s.svg\"\nload \"%s.body.gp\"\nunset output\n"
             "set terminal pngcairo size 400,250 font \"Latin Modern Roman,9\" enhanced "
             "fontscale 0.75\n"
             "set output \"%s.png\"\nload \"%s.body.gp\"\nunset output\n",
             name, name, name, name);
    assert_int_equal(tk_write_file(tk_path("%s/%s.gp", tk_scratch(), name), script), 0);
    tk_result r = {0};
    tk_opts o = {.cwd = tk_scratch()};
    tk_cmd(&r, &o, "gnuplot", tk_path("%s.gp", name), NULL);
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
}

/* pdftoppm at 72 dpi (400 pt = 400 px) to PGM, then bench/svgcompare.py
 * against gnuplot's PNG; returns the script's report (caller frees). */
static char *S_compare(const char *pdf, const char *png, const char *stem, const char *diff)
{
    assert_int_equal(tk_cmd(NULL, NULL, "pdftoppm", "-r", "72", "-gray", "-singlefile", pdf,
                            tk_path("%s/%s", tk_scratch(), stem), NULL), 0);
    char pgm[1024];
    snprintf(pgm, sizeof pgm, "%s/%s.pgm", tk_scratch(), stem);
    char *rep = diff ? tk_capture("python3", tk_src("bench/svgcompare.py"), png, pgm, "--diff",
                                  diff, NULL)
                     : tk_capture("python3", tk_src("bench/svgcompare.py"), png, pgm, NULL);
    assert_non_null(rep);
    return rep;
}

static void eh(HPDF_STATUS a, HPDF_STATUS b, void *u)
{
    (void)a; (void)b; (void)u;
}

/* Draw `d` `width` pt wide on a page of exactly that size. */
static int draw_pdf_mf(const svg_doc *d, double width, int compress,
                       const math_fonts *mf, const char *out, lb_err *e)
{
    int rc = -1;
    HPDF_Doc pdf = HPDF_New(eh, NULL);
    if (!pdf)
        return -1;
    if (compress)
        HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Page pg = HPDF_AddPage(pdf);
    double h = pdf_svg_height(d, width);
    HPDF_Page_SetWidth(pg, (HPDF_REAL)width);
    HPDF_Page_SetHeight(pg, (HPDF_REAL)h);
    pdf_fonts *pf = pdf_fonts_new(pdf, mf, e);
    pdf_svg_opts o = {0, mf, pdf, NULL};
    if (pf && pdf_svg_draw_opts(pf, pg, d, 0, h, width, &o, e) == 0 &&
        HPDF_SaveToFile(pdf, out) == HPDF_OK)
        rc = 0;
    pdf_fonts_free(pf);
    HPDF_Free(pdf);
    return rc;
}

static int draw_pdf(const svg_doc *d, double width, int compress,
                    const char *out, lb_err *e)
{
    return draw_pdf_mf(d, width, compress, NULL, out, e);
}

static void test_gnuplot_figure(void **st)
{
    (void)st;
    tk_result probe = {0};
    int have = tk_cmd(&probe, NULL, "gnuplot", "--version", NULL) == 0;
    tk_result_free(&probe);
    if (!have)
        skip();
    S_gnuplot_pair("compare_body.gp", "fig");
    char path[512];
    snprintf(path, sizeof path, "%s/fig.svg", tk_scratch());
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_file(path, &e);
    if (!d)
        fail_msg("%s", e.msg);
    snprintf(path, sizeof path, "%s/fig.pdf", tk_scratch());
    if (draw_pdf(d, 400, 1, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);

    /* no raster images */
    assert_int_equal(tk_pdf_images(path), 0);
    /* tick labels, axis labels, title and key are searchable text */
    char *out = tk_pdftotext(path, 0, 0);
    assert_non_null(out);
    static const char *const want[] = {
        "Cross-entropy -log p", "target", "0.5", "4.5", "0.9", "-log p",
        "\xce\xb1", /* U+03B1: lmmi10's glyph name "alpha" maps back */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(out, want[i]))
            fail_msg("pdftotext lacks '%s' in:\n%s", want[i], out);
    free(out);
    /* Greek from {/Symbol a} comes from the math italic font */
    out = tk_pdffonts(path);
    assert_non_null(out);
    assert_non_null(strstr(out, "LMMathItalic10-Regular"));
    assert_non_null(strstr(out, "LMRoman10-Regular"));
    free(out);
    /* pixels: PDF at 72 dpi (400 pt = 400 px) against gnuplot's PNG */
    char png[512], diff[512];
    snprintf(png, sizeof png, "%s/fig.png", tk_scratch());
    snprintf(diff, sizeof diff, "%s/diff.png", tk_scratch());
    out = S_compare(path, png, "fig72", diff);
    const char *f = strstr(out, "fraction=");
    assert_non_null(f);
    double frac = atof(f + 9);
    print_message("pixel comparison (3x3 blur, threshold 48/255): %s", out);
    free(out);
    /* measured 1.1% on this figure; 3% leaves room for font versions */
    assert_true(frac < 0.03);

    /* the same figure without any text: what remains is how pngcairo and
     * the PDF rasteriser draw the same lines (anti-aliasing, pngcairo's own
     * dot pattern for the grid): measured 0.16%, so the text accounts for
     * the rest of the difference above */
    S_gnuplot_pair("compare_notext.gp", "nt");
    snprintf(path, sizeof path, "%s/nt.svg", tk_scratch());
    err_clear(&e);
    d = svg_parse_file(path, &e);
    if (!d)
        fail_msg("%s", e.msg);
    snprintf(path, sizeof path, "%s/nt.pdf", tk_scratch());
    if (draw_pdf(d, 400, 1, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);
    snprintf(png, sizeof png, "%s/nt.png", tk_scratch());
    out = S_compare(path, png, "nt72", NULL);
    f = strstr(out, "fraction=");
    assert_non_null(f);
    print_message("same figure without text: %s", out);
    frac = atof(f + 9);
    free(out);
    assert_true(frac < 0.005);
}

static void test_print_size_convention(void **st)
{
    (void)st;
    /* width 200 = half the canvas (s = 0.5): a stroke-width 1 stays 1 pt,
     * i.e. 2 user units under the s CTM ("2 w"); 9-unit text stays 9 pt:
     * text matrix scale 1/s = 2 with the y flip ("2 0 0 -2 ... Tm"). */
    const char *svg = "<svg width='400' height='250'>"
        "<path d='M0,0 L10,10' stroke='black' stroke-width='1'/>"
        "<text x='5' y='20' font-family='Latin Modern Roman' font-size='9'>A1</text>"
        "<g transform='translate(14.39,123.66) rotate(270)' font-size='9'>"
        "<text>up</text></g>"
        "</svg>";
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_buffer(svg, strlen(svg), "conv.svg", &e);
    assert_non_null(d);
    char path[512];
    snprintf(path, sizeof path, "%s/conv.pdf", tk_scratch());
    if (draw_pdf(d, 200, 0, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);
    size_t len = 0;
    char *out = tk_read_file(path, &len);
    assert_non_null(out);
    assert_true(tk_contains(out, len, "0.5 0 0 -0.5 0 125 cm"));
    assert_true(tk_contains(out, len, "2 w"));
    assert_true(tk_contains(out, len, "2 0 0 -2 5 20 Tm"));
    assert_true(tk_contains(out, len, " 9 Tf"));
    /* rotated label: text matrix = [0 -1 1 0 14.39 123.66] (rotate(270))
     * x [2 0 0 -2 0 0] (print size, y flip) = [0 -2 -2 0 14.39 123.66];
     * under the page CTM [0.5 0 0 -0.5 0 125] the glyph x axis (0,-2) maps
     * to (0,+1): the label reads upwards, 9 pt tall. */
    assert_true(tk_contains(out, len, "0 -2 -2 0 14.39 123.66 Tm"));
    free(out);
    out = tk_pdftotext(path, 0, 0);
    assert_non_null(out);
    assert_non_null(strstr(out, "A1"));
    free(out);
}

static void test_unmappable_character(void **st)
{
    (void)st;
    /* U+2603 (snowman) is in no Latin Modern font we use: input error
     * naming the <text> element (line 2, column 1) */
    const char *svg = "<svg width='400' height='250'>\n"
                      "<text x='5' y='20'>a \xe2\x98\x83 b</text></svg>";
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_buffer(svg, strlen(svg), "arrow.svg", &e);
    assert_non_null(d);
    char path[512];
    snprintf(path, sizeof path, "%s/arrow.pdf", tk_scratch());
    assert_int_equal(draw_pdf(d, 400, 1, path, &e), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "arrow.svg:2:1: character U+2603"));
    svg_doc_free(d);
    /* UTF-8 Greek (gnuplot with `set encoding utf8`) goes to lmmi10 like
     * the Symbol font: U+03C3 -> "sigma"; U+2192 and U+2212 (arrow, minus)
     * come from lmsy10 like $\to$ and $-$ */
    const char *greek = "<svg width='400' height='250'><text x='5' y='20'>"
                        "\xcf\x83(z) \xe2\x86\x92 \xe2\x88\x92" "1</text></svg>";
    err_clear(&e);
    d = svg_parse_buffer(greek, strlen(greek), "greek.svg", &e);
    assert_non_null(d);
    if (draw_pdf(d, 400, 1, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);
    char *out = tk_pdffonts(path);
    assert_non_null(out);
    assert_non_null(strstr(out, "LMMathItalic10"));
    assert_non_null(strstr(out, "LMMathSymbols10"));
    free(out);
}

static void test_math_label(void **st)
{
    (void)st;
    /* gnuplot writes a `noenhanced` label verbatim: the rotated ylabel
     * "$-\log p_{t}$" is typeset by the math module: the minus from lmsy10
     * (LMMathSymbols10), p and t from lmmi10 (LMMathItalic10), "log" from
     * lmr10; a math error names the SVG element. */
    const char *svg = "<svg width='400' height='250'>\n"
        "<g transform='translate(14.39,123.66) rotate(270)' font-size='9' "
        "text-anchor='middle'><text>$-\\log p_{t}$</text></g>\n"
        "<text x='5' y='20'>$\\frac{1}{$</text></svg>";
    lb_err e;
    err_clear(&e);
    math_fonts *mf = math_fonts_new(NULL, &e);
    if (!mf)
        fail_msg("%s", e.msg);
    svg_doc *d = svg_parse_buffer(svg, strlen(svg), "m.svg", &e);
    assert_non_null(d);
    char path[512];
    snprintf(path, sizeof path, "%s/math.pdf", tk_scratch());
    /* the broken second label: error at line 3, column 1 */
    assert_int_equal(draw_pdf_mf(d, 400, 1, mf, path, &e), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "m.svg:3:1: in math label"));
    svg_doc_free(d);
    /* only the good label */
    const char *ok = "<svg width='400' height='250'>"
        "<g transform='translate(14.39,123.66) rotate(270)' font-size='9' "
        "text-anchor='middle'><text>$-\\log p_{t}$</text></g></svg>";
    err_clear(&e);
    d = svg_parse_buffer(ok, strlen(ok), "m.svg", &e);
    assert_non_null(d);
    if (draw_pdf_mf(d, 400, 1, mf, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);
    char *out = tk_pdffonts(path);
    assert_non_null(out);
    assert_non_null(strstr(out, "LMMathSymbols10"));
    assert_non_null(strstr(out, "LMMathItalic10"));
    free(out);
    /* without math fonts the label is plain text */
    err_clear(&e);
    d = svg_parse_buffer(ok, strlen(ok), "m.svg", &e);
    if (draw_pdf(d, 400, 1, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);
    out = tk_pdftotext(path, 0, 0);
    assert_non_null(out);
    assert_non_null(strstr(out, "$-\\log p_{t}$"));
    free(out);
    math_fonts_free(mf);
}

static void test_handout_figures(void **st)
{
    (void)st;
    /* the six figures as figures.c writes them (snapshot 2026-11-28),
     * drawn like the renderer will: one page each, 345 pt wide (A4 text
     * width), math fonts on.  No images; their axis labels are text. */
    static const char *const names[] = {"exp", "softmax3", "softmax4", "logp",
                                        "neglogp", "points"};
    lb_err e;
    err_clear(&e);
    math_fonts *mf = math_fonts_new(NULL, &e);
    if (!mf)
        fail_msg("%s", e.msg);
    HPDF_Doc pdf = HPDF_New(eh, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    pdf_fonts *pf = pdf_fonts_new(pdf, mf, &e);
    assert_non_null(pf);
    pdf_svg_opts o = {0, mf, pdf, NULL};
    for (size_t i = 0; i < 6; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s", tk_src(tk_path("tests/fixtures/svg/h2_%s.svg",
                                                          names[i])));
        svg_doc *d = svg_parse_file(path, &e);
        if (!d)
            fail_msg("%s", e.msg);
        HPDF_Page pg = HPDF_AddPage(pdf);
        HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        if (pdf_svg_draw_opts(pf, pg, d, 125, 742, 345, &o, &e))
            fail_msg("%s", e.msg);
        svg_doc_free(d);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/handout_figs.pdf", tk_scratch());
    assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
    pdf_fonts_free(pf);
    HPDF_Free(pdf);
    math_fonts_free(mf);
    assert_int_equal(tk_pdf_images(path), 0);
    char *out = tk_pdftotext(path, 0, 0);
    assert_non_null(out);
    static const char *const want[] = {
        "The exponential function", "probability", "asymptote", "0.5",
        "mean loss 0.7679", "Worked example",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(out, want[i]))
            fail_msg("pdftotext lacks '%s'", want[i]);
    free(out);
}

static void test_long_dashed_line(void **st)
{
    (void)st;
    /* gnuplot's 1,1 dotted line across a 400-wide figure: the dash scaling
     * (dash lengths are integers in libharu) must not push coordinates past
     * libharu's clamp at 32767 (390 x 99 would: the line then stopped at
     * 331 units).  With the fix no number in the page reaches 32767. */
    const char *svg = "<svg width='400' height='250'>"
        "<path stroke='gray' stroke-dasharray='1.0,1.0' stroke-linecap='round' "
        "d='M46.01,190.33 L390.00,190.33'/></svg>";
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_buffer(svg, strlen(svg), "dash.svg", &e);
    assert_non_null(d);
    char path[512];
    snprintf(path, sizeof path, "%s/dash.pdf", tk_scratch());
    if (draw_pdf(d, 400, 0, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);
    assert_int_equal(S_count_lines(path, "32767", 2), 0);
    /* q = 32000/390 = 82.05...: the end point 390 x q = 32000 */
    assert_int_equal(S_count_lines(path, "32000 ", 1), 1);
}

static void test_clip_balance(void **st)
{
    (void)st;
    /* a clipped group, a group clipped to an EMPTY clipPath (draws nothing),
     * then an unclipped path: the content stream must clip once ("W n") and
     * keep q/Q balanced (an unbalanced Q would corrupt the page's state) */
    const char *svg = "<svg width='100' height='100'><defs>"
        "<clipPath id='c'><rect x='0' y='0' width='10' height='10'/></clipPath>"
        "<clipPath id='none'></clipPath></defs>"
        "<g clip-path='url(#c)'><path d='M0,0 L20,20' stroke='black'/></g>"
        "<g clip-path='url(#none)'><path d='M0,0 L30,20' stroke='red'/></g>"
        "<path d='M0,0 L40,20' stroke='blue' stroke-dasharray='3,1'/></svg>";
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_buffer(svg, strlen(svg), "clip.svg", &e);
    assert_non_null(d);
    char path[512];
    snprintf(path, sizeof path, "%s/clip.pdf", tk_scratch());
    if (draw_pdf(d, 100, 0, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);
    int nq = S_count_lines(path, "q", 0);
    assert_int_equal(S_count_lines(path, "Q", 0), nq);
    /* figure frame + clip + dashed path */
    assert_int_equal(nq, 3);
    assert_int_equal(S_count_lines(path, "W", 0), 1);
    /* the red path (empty clip) is not drawn: no "1 0 0 RG" */
    assert_int_equal(S_count_lines(path, "1 0 0 RG", 0), 0);
}

static void test_thinning(void **st)
{
    (void)st;
    /* A 400-unit figure drawn 306 pt wide (s = 0.765): points within
     * 0.0035 pt = 0.004575 units of the segment that skips them are dropped
     * (pdf_svg.c, S_THIN_PT), others kept.  By hand, greedy from (0,100):
     * up to (50,100) every skipped point is within 0.004 of the segment
     * ((40,100.004) is 0.004 off it); (60,100.01) is 0.00833 off the segment
     * to it from (0,100), so the run stops at (50,100); from there (60,100.01)
     * is 0.01 off the segment to (70,100): kept.  Written: m, then 50 100,
     * 60 100.01, 70 100: three line-tos for seven. */
    const char *svg = "<svg width='400' height='250'>"
        "<path stroke='black' fill='none' d='M0,100 L10,100 L20,100 L30,100 "
        "L40,100.004 L50,100 L60,100.01 L70,100'/></svg>";
    lb_err e;
    err_clear(&e);
    svg_doc *d = svg_parse_buffer(svg, strlen(svg), "thin.svg", &e);
    assert_non_null(d);
    char path[512];
    snprintf(path, sizeof path, "%s/thin.pdf", tk_scratch());
    if (draw_pdf(d, 306, 0, path, &e))
        fail_msg("%s", e.msg);
    svg_doc_free(d);
    assert_int_equal(S_count_lines(path, "0 100 m", 0), 1);
    assert_int_equal(S_count_lines(path, " l", 2), 3);
    assert_int_equal(S_count_lines(path, "50 100 l", 0), 1);
    assert_int_equal(S_count_lines(path, "60 100.01 l", 0), 1);
    assert_int_equal(S_count_lines(path, "70 100 l", 0), 1);
    assert_int_equal(S_count_lines(path, "40 100.004 l", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gnuplot_figure),
        cmocka_unit_test(test_print_size_convention),
        cmocka_unit_test(test_unmappable_character),
        cmocka_unit_test(test_math_label),
        cmocka_unit_test(test_clip_balance),
        cmocka_unit_test(test_long_dashed_line),
        cmocka_unit_test(test_handout_figures),
        cmocka_unit_test(test_thinning),
    };
    return cmocka_run_group_tests(tests, tk_scratch_setup, tk_scratch_teardown);
}
