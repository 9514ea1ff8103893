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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

static const char *S_bin, *S_root;
static char S_tmp[256];

static int S_sh(char *out, size_t outn, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = 0, r;
    char buf[4096];
    while ((r = fread(buf, 1, sizeof buf, p)) > 0)
        if (out && n + 1 < outn) {
            size_t k = r < outn - 1 - n ? r : outn - 1 - n;
            memcpy(out + n, buf, k);
            n += k;
        }
    if (out)
        out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void S_write(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", S_tmp, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Run lossbook on S_tmp/NAME into S_tmp/OUT; stderr+stdout into msg. */
static int S_run(const char *tpl, const char *out, char *msg, size_t n)
{
    return S_sh(msg, n, "cd '%s' && '%s' --quiet --example templates/examples/llm-batch.json "
                        "--template '%s/%s' --out '%s/%s' 2>&1",
                S_root, S_bin, S_tmp, tpl, S_tmp, out);
}

static char *S_pdftext(const char *out)
{
    static char text[200000];
    int rc = S_sh(text, sizeof text, "pdftotext '%s/%s/report.pdf' - 2>&1", S_tmp, out);
    assert_int_equal(rc, 0);
    /* one space for every run of white space: sentences may be broken
     * across lines */
    size_t w = 0;
    for (size_t r = 0; text[r]; r++) {
        char c = text[r] == '\n' || text[r] == '\t' ? ' ' : text[r];
        if (c == ' ' && w > 0 && text[w - 1] == ' ')
            continue;
        text[w++] = c;
    }
    text[w] = '\0';
    return text;
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
    char msg[8192], tpl[4096];
    snprintf(tpl, sizeof tpl, S_TPL, "");
    S_write("t.md", tpl);
    int rc = S_run("t.md", "out", msg, sizeof msg);
    if (rc != 0)
        fail_msg("lossbook failed (%d): %s", rc, msg);
    const char *t = S_pdftext("out");
    /* the gnuplot block's own label is text in the PDF (vector figure) */
    assert_non_null(strstr(t, "Zebraparabola"));
    assert_non_null(strstr(t, "Figure 1. A parabola"));
    /* references: curve 1, photo 2, shot 3, pipeline 4, table 1, section 2 */
    assert_non_null(strstr(t, "See Figure 1, Figure 2, Figure 3 and Figure 4; Table 1 follows"));
    assert_non_null(strstr(t, "Section 2 is the second section"));
    assert_non_null(strstr(t, "(number only: 1)"));
    /* the PNG and the JPEG are images, at their own pixel sizes; the SVG
     * and the gnuplot figure are not */
    char list[4096];
    rc = S_sh(list, sizeof list, "pdfimages -list '%s/out/report.pdf' | tail -n +3 | "
                                 "awk '{print $4, $5, $6}'", S_tmp);
    assert_int_equal(rc, 0);
    assert_string_equal(list, "64 40 rgb\n300 200 rgb\n");
    /* the files next to the figures, and report.md links */
    char p[512];
    struct stat st;
    snprintf(p, sizeof p, "%s/out/figures/curve.gp", S_tmp);
    assert_int_equal(stat(p, &st), 0);
    snprintf(p, sizeof p, "%s/out/figures/curve.dark.png", S_tmp);
    assert_int_equal(stat(p, &st), 0);
    snprintf(p, sizeof p, "%s/out/figures/pic-shot.jpg", S_tmp);
    assert_int_equal(stat(p, &st), 0);
    snprintf(p, sizeof p, "%s/out/figures/pic-photo.png", S_tmp);
    assert_int_equal(stat(p, &st), 0);
    rc = S_sh(msg, sizeof msg, "cat '%s/out/report.md'", S_tmp);
    assert_non_null(strstr(msg, "See [Figure 1](#fig-curve), [Figure 2](#fig-photo)"));
    assert_non_null(strstr(msg, "<a id=\"fig-curve\"></a>**Figure 1.**"));
    assert_non_null(strstr(msg, "[Section 2](#2-later)"));
    assert_non_null(strstr(msg, "![Figure 3. A JPEG](figures/pic-shot.jpg)"));
    /* the standalone script runs on its own and draws the same figure (the
     * PNG byte for byte; the SVG may differ in empty groups: gnuplot.h) */
    rc = S_sh(msg, sizeof msg, "cd '%s/out/figures' && cp curve.png /tmp/lb-curve-$$.png && "
                               "gnuplot curve.gp && cmp curve.png /tmp/lb-curve-$$.png && "
                               "grep -q Zebraparabola curve.svg; "
                               "r=$?; rm -f /tmp/lb-curve-$$.png; exit $r", S_tmp);
    assert_int_equal(rc, 0);

    /* "Figure~3": never a line break between the word and the number (a
     * paragraph of 60 references wraps many times; no line may end in
     * the word) */
    char para[8192] = "# P\n\n";
    for (int i = 0; i < 60; i++)
        strcat(para, i % 3 ? "and [x](ref:p) then " : "word [x](ref:p) more ");
    strcat(para, "\n\n![Pic](photo.png?name=p&width=0.2)\n");
    S_write("nb.md", para);
    rc = S_run("nb.md", "outnb", msg, sizeof msg);
    if (rc != 0)
        fail_msg("lossbook failed (%d): %s", rc, msg);
    rc = S_sh(msg, sizeof msg, "pdftotext '%s/outnb/report.pdf' - | grep -c ' Figure$'", S_tmp);
    assert_string_equal(msg, "0\n");
    rc = S_sh(msg, sizeof msg, "pdftotext '%s/outnb/report.pdf' - | grep -c 'Figure 1'", S_tmp);
    assert_true(atoi(msg) >= 8);   /* the check above saw many wrapped lines */

    /* a table inserted before the target renumbers the reference */
    snprintf(tpl, sizeof tpl, S_TPL, "[](table:logits)\n\n");
    S_write("t2.md", tpl);
    rc = S_run("t2.md", "out2", msg, sizeof msg);
    if (rc != 0)
        fail_msg("lossbook failed (%d): %s", rc, msg);
    t = S_pdftext("out2");
    assert_non_null(strstr(t, "Table 2 follows"));
    assert_non_null(strstr(t, "(number only: 2)"));
}

/* one bad template: exit 2, one line with the expected place and words,
 * earlier outputs untouched */
static void S_bad(const char *tpl, const char *want_pos, const char *want_words)
{
    char msg[8192];
    S_write("bad.md", tpl);
    int rc = S_sh(msg, sizeof msg, "cp -a '%s/out' '%s/keep' 2>/dev/null; true", S_tmp, S_tmp);
    rc = S_run("bad.md", "out", msg, sizeof msg);
    if (rc != 2 || !strstr(msg, want_pos) || !strstr(msg, want_words))
        fail_msg("expected exit 2 with '%s' and '%s'; got %d: %s", want_pos, want_words, rc, msg);
    size_t lines = 0;
    for (const char *q = msg; *q; q++)
        lines += *q == '\n';
    assert_int_equal(lines, 1);
    rc = S_sh(msg, sizeof msg, "diff -r '%s/out' '%s/keep' && rm -rf '%s/keep'", S_tmp, S_tmp,
              S_tmp);
    if (rc != 0)
        fail_msg("earlier outputs changed: %s", msg);
}

static void test_errors(void **state)
{
    (void)state;
    char msg[8192], tpl[4096];
    snprintf(tpl, sizeof tpl, S_TPL, "");
    S_write("t.md", tpl);
    assert_int_equal(S_run("t.md", "out", msg, sizeof msg), 0);
    /* gnuplot's own message at the template's line (line 5 of the block's
     * code is template line 7) */
    S_bad("# A\n\n```gnuplot name=bad\nset xrange [0:1]\nset yrange [0:1]\n\n"
          "plot nosuchfunction(x)\n```\n",
          "bad.md:7:1:", "undefined function: nosuchfunction");
    S_bad("x\n\n```gnuplot name=t caption=\"c\"\nset terminal png\nplot x\n```\n",
          "bad.md:4:1:", "'set term' is not allowed");
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
    char msg[8192];
    int rc = S_run("split.md", "outs", msg, sizeof msg);
    if (rc != 0)
        fail_msg("lossbook failed (%d): %s", rc, msg);
    /* page 1 holds the start of the table right after the text */
    rc = S_sh(msg, sizeof msg, "pdftotext -f 1 -l 1 '%s/outs/report.pdf' - | tr '\\n' ' '", S_tmp);
    assert_non_null(strstr(msg, "Some text before the table"));
    assert_non_null(strstr(msg, "Alpha"));
    assert_non_null(strstr(msg, "1 "));
    assert_null(strstr(msg, "(continued)"));
    /* page 2 starts with "(continued)" and the header again */
    rc = S_sh(msg, sizeof msg, "pdftotext -f 2 -l 2 '%s/outs/report.pdf' - | tr '\\n' ' '", S_tmp);
    const char *cont = strstr(msg, "(continued)");
    assert_non_null(cont);
    assert_non_null(strstr(cont, "Alpha"));
    assert_non_null(strstr(msg, "2025"));   /* the last row, 45^2 */
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
    char msg[8192];
    int rc = S_run("list.md", "outl", msg, sizeof msg);
    if (rc != 0)
        fail_msg("lossbook failed (%d): %s", rc, msg);
    rc = S_sh(msg, sizeof msg, "pdftotext '%s/outl/report.pdf' - | tr '\\n' ' '", S_tmp);
    const char *fig = strstr(msg, "Figure 1. Waiting figure");
    const char *last = strstr(msg, "Listitem40 ");
    const char *first = strstr(msg, "Listitem1 ");
    assert_non_null(fig);
    assert_non_null(last);
    assert_non_null(first);
    /* the list starts on page 1 (so a page break falls inside it) and the
     * figure comes after its last item */
    assert_true(fig > last);
    rc = S_sh(msg, sizeof msg, "pdftotext -f 1 -l 1 '%s/outl/report.pdf' - | tr '\\n' ' '",
              S_tmp);
    assert_non_null(strstr(msg, "Listitem1 "));
    assert_null(strstr(msg, "Listitem40 "));
}

static int S_setup(void **state)
{
    (void)state;
    S_bin = getenv("LB_BIN");
    S_root = getenv("LB_ROOT");
    if (!S_bin || !S_root)
        return -1;
    strcpy(S_tmp, "/tmp/lb-author-XXXXXX");
    if (!mkdtemp(S_tmp))
        return -1;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s'/tests/fixtures/pictures/* '%s'/", S_root, S_tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static int S_teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_tmp);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_figures_and_refs),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_split_table),
        cmocka_unit_test(test_figure_not_inside_list),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
