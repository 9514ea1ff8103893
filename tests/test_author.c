/* test_author — an author's own material, end to end through build/lossbook
 * (LB_BIN, sources in LB_ROOT): a ```gnuplot block becomes a figure whose
 * text is in the PDF; a PNG and a JPEG become embedded images (pdfimages
 * -list) and an SVG vector graphics; a cross-reference prints the right
 * number, also after a table is inserted before its target; bad input
 * (a gnuplot error in a block, a missing or wrong picture, an unknown
 * reference) is one line with the template's line:column, exit 2, and the
 * earlier outputs untouched. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testkit.h"

static char *S_dir;

static void S_write(const char *name, const char *text)
{
    assert_int_equal(tk_write_file(tk_path("%s/%s", S_dir, name), text), 0);
}

/* Run lossbook on S_dir/TPL into S_dir/OUT (r: exit status, messages). */
static int S_run(tk_result *r, const char *tpl, const char *out)
{
    return tk_lb(r, NULL, "--quiet", "--example", "templates/examples/llm-batch.json",
                 "--template", tk_path("%s/%s", S_dir, tpl), "--out",
                 tk_path("%s/%s", S_dir, out), NULL);
}

/* The PDF's text, pages first..last (0, 0: all), white space squeezed
 * (a sentence may be broken across lines).  Caller frees. */
static char *S_text(const char *out, int first, int last)
{
    char *t = tk_pdftotext(tk_path("%s/%s/report.pdf", S_dir, out), first, last);
    assert_non_null(t);
    tk_squeeze(t);
    return t;
}

static const char S_TPL[] =
    "# Own figures {#own}\n\n"
    "See [x](ref:curve), [x](ref:photo), [x](ref:shot) and [x](ref:pipeline); "
    "[x](ref:tab) follows, and [x](ref:later) is the second section "
    "(number only: [x](ref:tab?form=number)).\n\n"
    "```gnuplot name=curve caption=\"A parabola $y = x^2$ drawn by the template\" width=0.7\n"
    "set xrange [-2:2]\n"
    "set label 1 'Zebraparabola' at -1.5,3\n"
    "plot x**2 with lines ls 1 title 'square'\n"
    "```\n\n"
    "![A photo-like PNG](photo.png?width=0.4)\n\n"
    "![A JPEG](photo.jpg?name=shot&width=0.4)\n\n"
    "![The pipeline](diagram.svg?name=pipeline)\n\n"
    "%s"
    "[](table:summary?name=tab)\n\n"
    "# Later {#later}\n\nEnd.\n";

static void test_own_figures_and_refs(void **state)
{
    (void)state;
    char tpl[4096];
    tk_result r = {0};
    snprintf(tpl, sizeof tpl, S_TPL, "");
    S_write("t.md", tpl);
    S_run(&r, "t.md", "out");
    tk_assert_exit(&r, 0);
    char *t = S_text("out", 0, 0);
    /* the gnuplot block's own label is text in the PDF (vector figure) */
    assert_non_null(strstr(t, "Zebraparabola"));
    assert_non_null(strstr(t, "Figure 1. A parabola"));
    /* references: curve 1, photo 2, shot 3, pipeline 4, table 1, section 2 */
    assert_non_null(strstr(t, "See Figure 1, Figure 2, Figure 3 and Figure 4; Table 1 follows"));
    assert_non_null(strstr(t, "Section 2 is the second section"));
    assert_non_null(strstr(t, "(number only: 1)"));
    free(t);
    /* the PNG and the JPEG are images, at their own pixel sizes; the SVG
     * and the gnuplot figure are not (pdfimages -list: page num type width
     * height color ...) */
    char *list = tk_capture("pdfimages", "-list", tk_path("%s/out/report.pdf", S_dir), NULL);
    assert_non_null(list);
    int nimg = 0;
    unsigned w[4], h[4];
    char col[4][16];
    for (char *ln = strtok(list, "\n"); ln; ln = strtok(NULL, "\n")) {
        unsigned pg, num, ww, hh;
        char type[16], cl[16];
        if (sscanf(ln, "%u %u %15s %u %u %15s", &pg, &num, type, &ww, &hh, cl) == 6 && nimg < 4) {
            w[nimg] = ww;
            h[nimg] = hh;
            snprintf(col[nimg], sizeof col[nimg], "%s", cl);
            nimg++;
        }
    }
    free(list);
    assert_int_equal(nimg, 2);
    assert_true(w[0] == 64 && h[0] == 40 && strcmp(col[0], "rgb") == 0);
    assert_true(w[1] == 300 && h[1] == 200 && strcmp(col[1], "rgb") == 0);
    /* the files next to the figures, and report.md links */
    assert_true(tk_file_size(tk_path("%s/out/figures/curve.gp", S_dir)) > 0);
    assert_true(tk_file_size(tk_path("%s/out/figures/curve.dark.png", S_dir)) > 0);
    assert_true(tk_file_size(tk_path("%s/out/figures/pic-shot.jpg", S_dir)) > 0);
    assert_true(tk_file_size(tk_path("%s/out/figures/pic-photo.png", S_dir)) > 0);
    char *md = tk_read_file(tk_path("%s/out/report.md", S_dir), NULL);
    assert_non_null(md);
    assert_non_null(strstr(md, "See [Figure 1](#fig-curve), [Figure 2](#fig-photo)"));
    assert_non_null(strstr(md, "<a id=\"fig-curve\"></a>**Figure 1.**"));
    assert_non_null(strstr(md, "[Section 2](#2-later)"));
    assert_non_null(strstr(md, "![Figure 3. A JPEG](figures/pic-shot.jpg)"));
    free(md);
    /* the standalone script runs on its own and draws the same figure (the
     * PNG pixel for pixel: plain gnuplot uses libpng's own row filters,
     * lossbook's gnuplots lossbook-pngshim.so, plot/pngenc.h; the SVG may
     * differ in empty groups: gnuplot.h) */
    char figs[1024], keep[1100];
    snprintf(figs, sizeof figs, "%s/out/figures", S_dir);
    snprintf(keep, sizeof keep, "%s/curve-by-lossbook.png", S_dir);
    assert_int_equal(tk_copy(tk_path("%s/curve.png", figs), keep), 0);
    tk_opts in_figs = {.cwd = figs};
    tk_cmd(&r, &in_figs, "gnuplot", "curve.gp", NULL);
    tk_assert_exit(&r, 0);
    char *d = tk_png_diff(keep, tk_path("%s/curve.png", figs));
    if (d)
        fail_msg("curve.gp on its own: %s", d);
    char *svg = tk_read_file(tk_path("%s/curve.svg", figs), NULL);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "Zebraparabola"));
    free(svg);

    /* "Figure~3": never a line break between the word and the number (a
     * paragraph of 60 references wraps many times; no line may end in
     * the word) */
    char para[8192] = "# P\n\n";
    for (int i = 0; i < 60; i++)
        strcat(para, i % 3 ? "and [x](ref:p) then " : "word [x](ref:p) more ");
    strcat(para, "\n\n![Pic](photo.png?name=p&width=0.2)\n");
    S_write("nb.md", para);
    S_run(&r, "nb.md", "outnb");
    tk_assert_exit(&r, 0);
    char *raw = tk_pdftotext(tk_path("%s/outnb/report.pdf", S_dir), 0, 0);
    assert_non_null(raw);
    assert_int_equal(tk_count(raw, " Figure\n"), 0);
    assert_true(tk_count(raw, "Figure 1") >= 50);
    assert_true(tk_count(raw, "\n") >= 8);   /* the paragraph wrapped many times */
    free(raw);

    /* a table inserted before the target renumbers the reference */
    snprintf(tpl, sizeof tpl, S_TPL, "[](table:logits)\n\n");
    S_write("t2.md", tpl);
    S_run(&r, "t2.md", "out2");
    tk_assert_exit(&r, 0);
    t = S_text("out2", 0, 0);
    assert_non_null(strstr(t, "Table 2 follows"));
    assert_non_null(strstr(t, "(number only: 2)"));
    free(t);
    tk_result_free(&r);
}

/* one bad template: exit 2, one line with the expected place and words,
 * earlier outputs untouched */
static void S_bad(const char *tpl, const char *want_pos, const char *want_words)
{
    char out[1024], keep[1100];
    tk_result r = {0};
    snprintf(out, sizeof out, "%s/out", S_dir);
    snprintf(keep, sizeof keep, "%s/keep", S_dir);
    S_write("bad.md", tpl);
    assert_int_equal(tk_copy(out, keep), 0);
    S_run(&r, "bad.md", "out");
    if (r.status != 2 || !strstr(r.err, want_pos) || !strstr(r.err, want_words))
        fail_msg("expected exit 2 with '%s' and '%s'; got %d: %s", want_pos, want_words,
                 r.status, r.err);
    assert_true(tk_one_line(r.err));
    char *d = tk_diff(out, keep);
    if (d)
        fail_msg("earlier outputs changed: %s", d);
    assert_int_equal(tk_rmtree(keep), 0);
    tk_result_free(&r);
}

static void test_errors(void **state)
{
    (void)state;
    char tpl[4096];
    tk_result r = {0};
    snprintf(tpl, sizeof tpl, S_TPL, "");
    S_write("t.md", tpl);
    S_run(&r, "t.md", "out");
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    /* gnuplot's own message at the template's line (the 4th line of the
     * block's code is template line 7) */
    S_bad("# A\n\n```gnuplot name=bad\nset xrange [0:1]\nset yrange [0:1]\n\n"
          "plot nosuchfunction(x)\n```\n",
          "bad.md:7:1:", "undefined function: nosuchfunction");
    S_bad("x\n\n```gnuplot name=t caption=\"c\"\nset terminal png\nplot x\n```\n",
          "bad.md:4:1:",
          "'set terminal' is not allowed in a gnuplot figure: it changes the terminal");
    S_bad("x\n\n```gnuplot caption=\"no name\"\nplot x\n```\n", "bad.md:3:",
          "needs name=NAME");
    S_bad("x\n\n![A missing picture](nothere.png)\n", "bad.md:3:1:", "cannot open");
    S_bad("x\n\n![Not a PNG](fake.png)\n", "bad.md:3:1:", "not a PNG, JPEG or SVG file");
    S_bad("x\n\n![Deep](deep.png)\n", "bad.md:3:1:", "16-bit PNG");
    S_bad("x\n\nsee [x](ref:nowhere) here\n", "bad.md:3:5:", "unknown reference 'nowhere'");
    S_bad("```gnuplot name=exp\nplot x\n```\n", "bad.md:1:", "taken by a built-in figure");
}

/* A table longer than half a page is broken between rows (not moved whole
 * to the next page, which left the page before it half empty), and every
 * continuation page repeats its header under "(continued)". */
static void test_split_table(void **state)
{
    (void)state;
    /* about 25 lines of text, then a table of about 0.7 text heights: as
     * a float it would leave page 1 half empty */
    char tpl[32768] = "# T\n\n";
    for (int k = 0; k < 5; k++)
        strcat(tpl, "Some text before the table, long enough to fill a few lines of the "
                    "page with ordinary words so that the table starts well below the top "
                    "of the first page and cannot fit in the space that is left there, "
                    "which is the case this test is about.\n\n");
    strcat(tpl, "| Alpha | Beta |\n|---:|---:|\n");
    for (int i = 1; i <= 45; i++) {
        char row[64];
        snprintf(row, sizeof row, "| %d | %d |\n", i, i * i);
        strcat(tpl, row);
    }
    strcat(tpl, "\nAfter the table.\n");
    S_write("split.md", tpl);
    tk_result r = {0};
    S_run(&r, "split.md", "outs");
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    /* page 1 holds the start of the table right after the text */
    char *p1 = S_text("outs", 1, 1);
    assert_non_null(strstr(p1, "Some text before the table"));
    assert_non_null(strstr(p1, "Alpha"));
    assert_null(strstr(p1, "(continued)"));
    free(p1);
    /* page 2 starts with "(continued)" and the header again */
    char *p2 = S_text("outs", 2, 2);
    const char *cont = strstr(p2, "(continued)");
    assert_non_null(cont);
    assert_non_null(strstr(cont, "Alpha"));
    assert_non_null(strstr(p2, "2025"));   /* the last row, 45^2 */
    free(p2);
}

/* A figure never separates two items of a list: the figure below does not
 * fit on page 1 and waits; page 2 continues the list, so the figure goes
 * after the list's last item (before: at the top of page 2, between two
 * items). */
static void test_figure_not_inside_list(void **state)
{
    (void)state;
    char tpl[32768] = "# L\n\n";
    for (int k = 0; k < 11; k++)
        strcat(tpl, "Ordinary text that fills the first page, line after line, so that the "
                    "figure that follows does not fit in what is left of it and has to wait "
                    "for the next page, while the list after it goes on.\n\n");
    strcat(tpl, "```gnuplot name=wide caption=\"Waiting figure\"\nplot x\n```\n\n");
    for (int i = 1; i <= 40; i++) {
        char item[96];
        snprintf(item, sizeof item, "%d. Listitem%d of a long list.\n", i, i);
        strcat(tpl, item);
    }
    strcat(tpl, "\nAfter the list.\n");
    S_write("list.md", tpl);
    tk_result r = {0};
    S_run(&r, "list.md", "outl");
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    char *all = S_text("outl", 0, 0);
    const char *fig = strstr(all, "Figure 1. Waiting figure");
    const char *last = strstr(all, "Listitem40 ");
    assert_non_null(fig);
    assert_non_null(last);
    /* the figure comes after the list's last item ... */
    assert_true(fig > last);
    free(all);
    /* ... although the list starts on page 1 (a page break falls in it) */
    char *p1 = S_text("outl", 1, 1);
    assert_non_null(strstr(p1, "Listitem1 "));
    assert_null(strstr(p1, "Listitem40 "));
    free(p1);
}

/* A Markdown table with a "Table: caption {#label}" paragraph (pandoc's
 * syntax) is numbered together with the generated tables and can be
 * referred to; the caption is set above it. */
static void test_table_caption(void **state)
{
    (void)state;
    S_write("tc.md", "# T\n\nSee [x](ref:sq) and [x](ref:steps).\n\n"
                     "[](table:step/1?name=steps)\n\n"
                     "| n | square |\n|---:|---:|\n| 1 | 1 |\n| 2 | 4 |\n\n"
                     "Table: Squares of the first numbers {#sq}\n");
    tk_result r = {0};
    S_run(&r, "tc.md", "outc");
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    char *t = S_text("outc", 0, 0);
    assert_non_null(strstr(t, "See Table 2 and Table 1."));
    assert_non_null(strstr(t, "Table 2. Squares of the first numbers"));
    assert_null(strstr(t, "Table:"));
    assert_null(strstr(t, "{#sq}"));
    free(t);
    char *md = tk_read_file(tk_path("%s/outc/report.md", S_dir), NULL);
    assert_non_null(md);
    assert_non_null(strstr(md, "See [Table 2](#tab-sq) and [Table 1](#tab-steps)."));
    assert_non_null(strstr(md, "<a id=\"tab-sq\"></a>**Table 2.** Squares of the first numbers\n\n| n |"));
    free(md);
}

/* A captioned Markdown table BEFORE a generated one: numbering runs again
 * after the directives are expanded and found the caption already moved
 * into the table, so the generated table took number 1 too ("Table 1"
 * twice).  Counted by hand: the Markdown table is Table 1, step/1 is
 * Table 2, logits Table 3. */
static void test_table_caption_first(void **state)
{
    (void)state;
    S_write("tf.md", "# T\n\n| n | square |\n|---:|---:|\n| 2 | 4 |\n\n"
                     "Table: Squares first {#sq}\n\n"
                     "[](table:step/1)\n\n[](table:logits)\n\nSee [x](ref:sq).\n");
    tk_result r = {0};
    S_run(&r, "tf.md", "outf");
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    char *t = S_text("outf", 0, 0);
    assert_non_null(strstr(t, "Table 1. Squares first"));
    assert_non_null(strstr(t, "Table 2. Position 1"));
    assert_non_null(strstr(t, "Table 3."));
    assert_null(strstr(t, "Table 4."));
    assert_non_null(strstr(t, "See Table 1."));
    free(t);
}

static int S_setup(void **state)
{
    (void)state;
    if (tk_need_bin("test_author") != 0 || !(S_dir = tk_tmpdir_new("author")))
        return -1;
    static const char *const pics[] = {"photo.png", "photo.jpg", "diagram.svg", "fake.png",
                                       "deep.png"};
    for (size_t i = 0; i < sizeof pics / sizeof pics[0]; i++)
        if (tk_copy(tk_src(tk_path("tests/fixtures/pictures/%s", pics[i])),
                    tk_path("%s/%s", S_dir, pics[i])) != 0)
            return -1;
    return 0;
}

static int S_teardown(void **state)
{
    (void)state;
    tk_tmpdir_free(S_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_figures_and_refs),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_split_table),
        cmocka_unit_test(test_figure_not_inside_list),
        cmocka_unit_test(test_table_caption),
        cmocka_unit_test(test_table_caption_first),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
