/* End-to-end: the default template on examples of other shapes and numbers
 * (issue 17).  Each run must succeed, and the PDF's text must hold none of
 * the default example's numbers (0.7679, 0.5321, 17.1676, 12.5804: a number
 * the default template typed in, or a table tied to the source example,
 * would leak them), no wrongly pluralised shape, and the mean this example
 * really has.  A claim the data contradicts stops the run with its line.
 *
 * The examples are written here: logits from a fixed linear congruential
 * sequence (numbers k/4 - 2 with k = 0..16, typed with two decimals), so
 * every run sees the same data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testkit.h"

static unsigned S_lcg = 12345u;

static double S_next(void)
{
    S_lcg = S_lcg * 1103515245u + 12345u;
    return (double)((S_lcg >> 16) % 17u) / 4.0 - 2.0;
}

/* Write an example of shape B x T x V; target of position n is
 * (3 n + 1) % V, or -100 where ignore(n) says so. */
static void S_example(const char *path, int B, int T, int V, int (*ignore)(int))
{
    size_t cap = 1u << 20, u = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    u += (size_t)snprintf(s + u, cap - u, "{\n  \"logits\": [");
    for (int b = 0; b < B; b++) {
        u += (size_t)snprintf(s + u, cap - u, "%s[", b ? ", " : "");
        for (int t = 0; t < T; t++) {
            u += (size_t)snprintf(s + u, cap - u, "%s[", t ? ", " : "");
            for (int j = 0; j < V; j++)
                u += (size_t)snprintf(s + u, cap - u, "%s%.2f", j ? ", " : "", S_next());
            u += (size_t)snprintf(s + u, cap - u, "]");
        }
        u += (size_t)snprintf(s + u, cap - u, "]");
    }
    u += (size_t)snprintf(s + u, cap - u, "],\n  \"targets\": [");
    for (int b = 0; b < B; b++) {
        u += (size_t)snprintf(s + u, cap - u, "%s[", b ? ", " : "");
        for (int t = 0; t < T; t++) {
            int n = b * T + t;
            int y = ignore && ignore(n) ? -100 : (3 * n + 1) % V;
            u += (size_t)snprintf(s + u, cap - u, "%s%d", t ? ", " : "", y);
        }
        u += (size_t)snprintf(s + u, cap - u, "]");
    }
    snprintf(s + u, cap - u, "]\n}\n");
    assert_int_equal(tk_write_file(path, s), 0);
    free(s);
}

/* Run the default template on the example; returns the PDF text. */
static char *S_run(const char *example, const char *outdir)
{
    tk_result r = {0};
    tk_lb(&r, NULL, "--quiet", "--example", example, "--out", outdir, NULL);
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    char *text = tk_pdftotext(tk_path("%s/report.pdf", outdir), 0, 0);
    assert_non_null(text);
    tk_squeeze(text);
    return text;
}

static void S_no_default_numbers(const char *text, int same_shape)
{
    static const char *const nums[] = {"0.7679", "0.5321", "17.1676", "12.5804"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (strstr(text, nums[i]))
            fail_msg("the PDF holds %s, a number of the default example", nums[i]);
    static const char *const bad[] = {" 1 sequences", " 1 positions", " 1 tokens",
                                      "Checking your work", "[2, 3, 5]"};
    /* the source example's shape is right for a 2 x 3 x 5 example */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0] - (same_shape ? 1 : 0); i++)
        if (strstr(text, bad[i]))
            fail_msg("the PDF says \"%s\"", bad[i]);
}

static void test_one_position_two_classes(void **state)
{
    (void)state;
    /* 1 x 1 x 2, logits [0.25, -0.5], target 1: the loss is
     * -log(e^-0.5 / (e^0.25 + e^-0.5)) = ln(1 + e^0.75)
     * = 1.13687100611489994367 (mpmath, 30 digits), shown as 1.1369 */
    const char *ex = tk_path("%s/one.json", tk_scratch());
    assert_int_equal(tk_write_file(ex, "{\"logits\": [[[0.25, -0.5]]], \"targets\": [[1]]}"), 0);
    char *text = S_run(ex, tk_path("%s/one", tk_scratch()));
    S_no_default_numbers(text, 0);
    assert_non_null(strstr(text, "1.1369"));
    assert_non_null(strstr(text, "a batch of 1 sequence of 1 position, over a vocabulary of 2 tokens"));
    free(text);
}

static void test_one_by_four_by_seven(void **state)
{
    (void)state;
    const char *ex = tk_path("%s/s147.json", tk_scratch());
    S_example(ex, 1, 4, 7, NULL);
    char *text = S_run(ex, tk_path("%s/s147", tk_scratch()));
    S_no_default_numbers(text, 0);
    assert_non_null(strstr(text, "a batch of 1 sequence of 4 positions, over a vocabulary of 7 tokens"));
    free(text);
}

static int S_ignore_some(int n)
{
    return n == 2 || n == 7 || n == 14;
}

static void test_three_by_five_by_eleven_with_ignored(void **state)
{
    (void)state;
    const char *ex = tk_path("%s/s3511.json", tk_scratch());
    S_example(ex, 3, 5, 11, S_ignore_some);
    char *text = S_run(ex, tk_path("%s/s3511", tk_scratch()));
    S_no_default_numbers(text, 0);
    assert_non_null(strstr(text, "Ignored positions"));
    assert_non_null(strstr(text, "12 positions that count"));   /* 15 - 3 */
    free(text);
}

static void test_random_two_by_three_by_five(void **state)
{
    (void)state;
    const char *ex = tk_path("%s/r235.json", tk_scratch());
    S_lcg = 777u;
    S_example(ex, 2, 3, 5, NULL);
    char *text = S_run(ex, tk_path("%s/r235", tk_scratch()));
    S_no_default_numbers(text, 1);
    free(text);
}

/* A claim the data contradicts: exit 2, the claim and its values named at
 * the template's line and column, nothing written. */
static void test_contradicted_claim(void **state)
{
    (void)state;
    const char *tpl = tk_path("%s/claim.md", tk_scratch());
    assert_int_equal(tk_write_file(tpl, "# Claims\n\nThe first loss is large.\n"
                                        "<!-- claim loss/1 > 100 -->\n"), 0);
    char out[4096];
    snprintf(out, sizeof out, "%s/claim-out", tk_scratch());
    tk_result r = {0};
    tk_lb(&r, NULL, "--quiet", "--template", tpl, "--out", out, NULL);
    tk_assert_exit(&r, 2);
    char want[4200];
    /* loss/1 of the default example: tests/ref/h1_reference.py, position 1 */
    snprintf(want, sizeof want, "%s:4:12: claim 'loss/1 > 100' is false: loss/1 = 0.5321391162", tpl);
    if (!strstr(r.err, want))
        fail_msg("stderr: %s\nexpected: %s", r.err, want);
    assert_true(tk_one_line(r.err));
    assert_int_equal(tk_file_size(tk_path("%s/report.pdf", out)), -1);
    tk_result_free(&r);
}

int main(void)
{
    if (tk_need_bin("test_shapes") != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_position_two_classes),
        cmocka_unit_test(test_one_by_four_by_seven),
        cmocka_unit_test(test_three_by_five_by_eleven_with_ignored),
        cmocka_unit_test(test_random_two_by_three_by_five),
        cmocka_unit_test(test_contradicted_claim),
    };
    return cmocka_run_group_tests(tests, tk_scratch_setup, tk_scratch_teardown);
}
