/* End-to-end tests of build/lossbook (path in $LB_BIN, sources in $LB_ROOT):
 * every promised output exists, each gnuplot script reproduces its figure on
 * its own, two runs are byte-identical, bad usage and bad input exit 2 with
 * one message and leave the earlier outputs untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testkit.h"

static const char *const S_figures[] = {"exp", "softmax3", "softmax4", "logp", "neglogp",
                                        "points"};
#define S_NFIG (sizeof S_figures / sizeof S_figures[0])

/* The default run into OUTDIR (working folder: the repository root). */
static int S_run(tk_result *r, const char *outdir)
{
    return tk_lb(r, NULL, "--quiet", "--out", outdir, "--example",
                 "templates/examples/llm-batch.json", "--template", "templates/handout.md",
                 NULL);
}

static int S_file_nonempty(const char *dir, const char *rel)
{
    return tk_file_size(tk_path("%s/%s", dir, rel)) > 0;
}

static int S_group_setup(void **state)
{
    (void)state;
    if (tk_need_bin("test_e2e") != 0 || tk_scratch_setup(state) != 0)
        return -1;
    tk_result r = {0};
    int rc = S_run(&r, tk_path("%s/out", tk_scratch()));
    if (rc != 0)
        fprintf(stderr, "test_e2e: lossbook failed (%d): %s%s\n", rc, r.out, r.err);
    tk_result_free(&r);
    return rc == 0 ? 0 : -1;
}

static void test_promised_files(void **state)
{
    (void)state;
    char out[512], rel[256];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    static const char *const dat[] = {"exp", "softmax3", "softmax4", "logp", "neglogp", "points"};
    for (size_t i = 0; i < sizeof dat / sizeof dat[0]; i++) {
        snprintf(rel, sizeof rel, "data/%s.dat", dat[i]);
        assert_true(S_file_nonempty(out, rel));
        snprintf(rel, sizeof rel, "data/%s.csv", dat[i]);
        assert_true(S_file_nonempty(out, rel));
    }
    static const char *const csv[] = {"step-1", "step-6", "summary", "confidence", "logp",
                                      "bce", "multiclass", "grad", "gdstep"};
    for (size_t i = 0; i < sizeof csv / sizeof csv[0]; i++) {
        snprintf(rel, sizeof rel, "data/%s.csv", csv[i]);
        assert_true(S_file_nonempty(out, rel));
    }
    for (size_t i = 0; i < S_NFIG; i++) {
        static const char *const ext[] = {"gp", "png", "svg"};
        for (size_t k = 0; k < 3; k++) {
            snprintf(rel, sizeof rel, "figures/%s.%s", S_figures[i], ext[k]);
            assert_true(S_file_nonempty(out, rel));
        }
    }
    assert_true(S_file_nonempty(out, "report.pdf"));
    assert_true(S_file_nonempty(out, "report.md"));
    /* no staging folder left behind, at any depth */
    char *left = tk_find(out, "*staging*");
    if (left)
        fail_msg("left behind: %s", left);
}

/* The mean loss in the summary CSV, read back at full precision, equals the
 * independently derived value: python3 decimal at 40 digits over the seed's
 * logits/targets gives mean = 0.76791418079... (tests/test_example.c has the
 * derivation). */
static void test_summary_csv_mean(void **state)
{
    (void)state;
    char *csv = tk_read_file(tk_path("%s/out/data/summary.csv", tk_scratch()), NULL);
    assert_non_null(csv);
    assert_non_null(strstr(csv, "0.7679141807"));
    free(csv);
}

/* Each script reproduces its figure on its own, from its folder: copy the
 * data and scripts to a fresh place (no figures), run gnuplot. */
static void test_scripts_standalone(void **state)
{
    (void)state;
    char sa[512];
    snprintf(sa, sizeof sa, "%s/standalone", tk_scratch());
    assert_int_equal(tk_mkdirs(tk_path("%s/figures", sa)), 0);
    /* out/data is a link into the current generation (outdir.h): the
     * trailing slash copies the folder it shows, as `cp -r out/data/` */
    assert_int_equal(tk_copy(tk_path("%s/out/data/", tk_scratch()), tk_path("%s/data", sa)), 0);
    size_t ngp = 0;
    char **gp = tk_list_dir(tk_path("%s/out/figures", tk_scratch()), "*.gp", &ngp);
    assert_non_null(gp);
    assert_true(ngp >= S_NFIG);
    for (size_t i = 0; i < ngp; i++)
        assert_int_equal(tk_copy(tk_path("%s/out/figures/%s", tk_scratch(), gp[i]),
                                 tk_path("%s/figures/%s", sa, gp[i])), 0);
    tk_list_free(gp);
    char figdir[600];
    snprintf(figdir, sizeof figdir, "%s/figures", sa);
    tk_opts in_figures = {.cwd = figdir};
    for (size_t i = 0; i < S_NFIG; i++) {
        tk_result r = {0};
        tk_cmd(&r, &in_figures, "gnuplot", tk_path("%s.gp", S_figures[i]), NULL);
        if (r.status != 0)
            fprintf(stderr, "%s.gp: %s%s\n", S_figures[i], r.out, r.err);
        tk_assert_exit(&r, 0);
        tk_result_free(&r);
        /* The very same figure, pixel for pixel.  (The SVG of a figure drawn
         * after another in one gnuplot process lacks one empty <g>, since
         * `reset session` keeps the svg terminal's state: nothing drawn
         * differs, so the PNG is the exact check.  Its pixels, not its
         * bytes: lossbook's gnuplots write PNGs through lossbook-pngshim.so,
         * plain gnuplot with libpng's own row filters, plot/pngenc.h.) */
        char *d = tk_png_diff(tk_path("%s/figures/%s.png", sa, S_figures[i]),
                              tk_path("%s/out/figures/%s.png", tk_scratch(), S_figures[i]));
        if (d)
            fail_msg("%s.gp on its own: %s", S_figures[i], d);
    }
}

/* The axis-label words of a gnuplot SVG, one per line (as `sed -n
 * 's/.*<tspan[^>]*>\([A-Za-z][A-Za-z ]\{4,\}\)<.*\/\1/p'` finds them: on
 * each line the last <tspan>'s text that is a letter, then four or more
 * letters or spaces, then '<'), trimmed.  Returns how many. */
static size_t S_label_words(const char *svg, char words[][128], size_t max)
{
    size_t n = 0;
    for (const char *line = svg; *line && n < max;) {
        const char *eol = strchr(line, '\n');
        if (!eol)
            eol = line + strlen(line);
        const char *best = NULL, *best_end = NULL;
        for (const char *t = line; t + 6 <= eol; t++) {
            if (memcmp(t, "<tspan", 6) != 0)
                continue;
            const char *gt = memchr(t, '>', (size_t)(eol - t));
            if (!gt)
                break;
            const char *w = gt + 1, *e = w;
            if (!((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z')))
                continue;
            while (e < eol && ((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') || *e == ' '))
                e++;
            if (e - w >= 5 && e < eol && *e == '<')
                best = w, best_end = e;
        }
        if (best) {
            while (best < best_end && *best == ' ')
                best++;
            while (best_end > best && best_end[-1] == ' ')
                best_end--;
            snprintf(words[n++], 128, "%.*s", (int)(best_end - best), best);
        }
        line = *eol ? eol + 1 : eol;
    }
    return n;
}

/* Issue 6: the PDF draws figures as vectors: no raster image at all, and
 * the figures' text (titles, axis labels) is real, extractable text. */
static void test_vector_figures(void **state)
{
    (void)state;
    const char *pdf = tk_path("%s/out/report.pdf", tk_scratch());
    assert_int_equal(tk_pdf_images(pdf), 0);
    /* Every <text> string gnuplot put in each SVG's axis labels must come out
     * of pdftotext: take the ylabel/xlabel words from the SVG itself. */
    char *txt = tk_pdftotext(pdf, 0, 0);
    assert_non_null(txt);
    tk_squeeze(txt);
    for (size_t i = 0; i < S_NFIG; i++) {
        char *svg =
            tk_read_file(tk_path("%s/out/figures/%s.svg", tk_scratch(), S_figures[i]), NULL);
        assert_non_null(svg);
        static char words[256][128];
        size_t n = S_label_words(svg, words, 256);
        free(svg);
        if (n == 0)
            fail_msg("%s: no words in the SVG", S_figures[i]);
        for (size_t k = 0; k < n; k++)
            if (!strstr(txt, words[k]))
                fail_msg("%s: missing in the PDF text: %s", S_figures[i], words[k]);
    }
    free(txt);
}

static void test_reproducible(void **state)
{
    (void)state;
    tk_result r = {0};
    S_run(&r, tk_path("%s/out2", tk_scratch()));
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    tk_assert_same(tk_path("%s/out", tk_scratch()), tk_path("%s/out2", tk_scratch()));
}

static void test_bad_flag(void **state)
{
    (void)state;
    tk_result r = {0};
    tk_lb(&r, NULL, "--no-such-flag", NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "unknown option '--no-such-flag'"));
    tk_lb(&r, NULL, "--help", NULL);
    tk_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "--template"));
    tk_lb(&r, NULL, "--version", NULL);
    tk_assert_exit(&r, 0);
    assert_non_null(strstr(r.out, "lossbook"));
    tk_result_free(&r);
}

/* A bad example file: exit 2, one message with file:line:col, and the
 * earlier outputs stay byte-identical. */
static void test_bad_input_keeps_outputs(void **state)
{
    (void)state;
    char out[512], keep[512], bad[512];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    snprintf(keep, sizeof keep, "%s/keep", tk_scratch());
    snprintf(bad, sizeof bad, "%s/bad.json", tk_scratch());
    assert_int_equal(tk_copy(out, keep), 0);
    assert_int_equal(tk_write_file(bad, "{\"logits\": [[[1, 2]]], \"targets\": [[7]]}"), 0);
    tk_result r = {0};
    tk_lb(&r, NULL, "--quiet", "--out", out, "--template", "templates/handout.md", "--example",
          bad, NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "bad.json:1:"));
    assert_true(tk_one_line(r.err)); /* one line, and nothing else */
    assert_string_equal(r.out, "");
    tk_assert_same(keep, out);

    /* An unknown directive in a template: the template's line:column. */
    snprintf(bad, sizeof bad, "%s/bad.md", tk_scratch());
    assert_int_equal(tk_write_file(bad, "# T\n\nSome text.\n\n[x](table:nope)\n"), 0);
    tk_lb(&r, NULL, "--quiet", "--out", out, "--example", "templates/examples/llm-batch.json",
          "--template", bad, NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "bad.md:5:"));
    assert_non_null(strstr(r.err, "nope"));
    tk_assert_same(keep, out);
    tk_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_promised_files),
        cmocka_unit_test(test_summary_csv_mean),
        cmocka_unit_test(test_scripts_standalone),
        cmocka_unit_test(test_vector_figures),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_bad_flag),
        cmocka_unit_test(test_bad_input_keeps_outputs),
    };
    return cmocka_run_group_tests_name("e2e", tests, S_group_setup, tk_scratch_teardown);
}
