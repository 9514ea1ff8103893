/* Output safety (issue 7, item 5) at the figure-script level: user text
 * (token names become point labels of the "points" figure) must never be
 * able to run a command through gnuplot, whose language has system(),
 * backquotes and @macros.  The figure script is written by fig_write_script
 * with hostile labels and run by the real gnuplot; each hostile label tries
 * to create its own marker file.  The end-to-end variants (token names in
 * the example JSON) are cases inject-* of the bad-input corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"
#include "plot/figures.h"

/* gnuplot points.gp in FIGDIR; shows its output when it fails. */
static int S_gnuplot(const char *figdir)
{
    tk_result r = {0};
    tk_opts o = {.cwd = figdir};
    int rc = tk_cmd(&r, &o, "gnuplot", "points.gp", NULL);
    if (rc != 0)
        fprintf(stderr, "%s%s", r.out, r.err);
    tk_result_free(&r);
    return rc;
}

static void test_hostile_point_labels(void **state)
{
    (void)state;
    char *tmp = tk_tmpdir_new("safety");
    assert_non_null(tmp);
    char figdir[512], datadir[512];
    snprintf(figdir, sizeof figdir, "%s/figures", tmp);
    snprintf(datadir, sizeof datadir, "%s/data", tmp);
    assert_int_equal(tk_mkdirs(figdir), 0);
    assert_int_equal(tk_mkdirs(datadir), 0);
    /* points.dat: n p_target neg_log_p (figures.h); -log values by hand:
     * -log 0.5 = 0.693147..., -log 0.25 = 1.386294..., -log 0.8 = 0.223143... */
    assert_int_equal(tk_write_file(tk_path("%s/points.dat", datadir),
                                   "# n p_target neg_log_p\n1 0.5 0.6931471805599453\n"
                                   "2 0.25 1.3862943611198906\n3 0.8 0.2231435513142097\n"
                                   "4 0.1 2.302585092994046\n5 0.9 0.10536051565782628\n"),
                     0);

    enum { N = 6 };
    char labels[N][512];
    snprintf(labels[0], sizeof labels[0], "`touch %s/pwned0`", tmp);
    snprintf(labels[1], sizeof labels[1], "\"; system(\"touch %s/pwned1\")", tmp);
    snprintf(labels[2], sizeof labels[2], "'; system('touch %s/pwned2'); '", tmp);
    snprintf(labels[3], sizeof labels[3], "x\nsystem('touch %s/pwned3')", tmp);
    snprintf(labels[4], sizeof labels[4], "'.system('touch %s/pwned4').'", tmp);
    snprintf(labels[5], sizeof labels[5], "@x \\' `touch %s/pwned5` '''", tmp);
    const char *lp[N];
    for (int i = 0; i < N; i++)
        lp[i] = labels[i];

    fig_opts o;
    memset(&o, 0, sizeof o);
    o.point_labels = lp;
    o.n_point_labels = 5; /* points.dat has 5 rows; label 6 is checked via title below */
    const fig_info *fi = fig_find("points");
    assert_non_null(fi);
    lb_err e;
    err_clear(&e);
    int rc = fig_write_script(figdir, "../data", fi, &o, &e);
    if (rc != 0)
        fprintf(stderr, "%s\n", e.msg);
    assert_int_equal(rc, 0);
    /* The sixth label goes in as the first one on a second script run. */
    assert_int_equal(S_gnuplot(figdir), 0);
    lp[0] = labels[5];
    err_clear(&e);
    assert_int_equal(fig_write_script(figdir, "../data", fi, &o, &e), 0);
    assert_int_equal(S_gnuplot(figdir), 0);

    for (int i = 0; i < N; i++) {
        const char *p = tk_path("%s/pwned%d", tmp, i);
        if (access(p, F_OK) == 0)
            fprintf(stderr, "label %d ran a command: %s\n", i, labels[i]);
        assert_int_equal(access(p, F_OK), -1);
    }
    /* The labels are shown as text: the SVG holds the backquoted command
     * verbatim (so gnuplot printed it rather than ran it). */
    size_t len = 0;
    char *svg = tk_read_file(tk_path("%s/points.svg", figdir), &len);
    assert_non_null(svg);
    assert_true(tk_contains(svg, len, "system("));
    assert_true(tk_contains(svg, len, "`touch"));
    free(svg);
    tk_tmpdir_free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_point_labels),
    };
    return cmocka_run_group_tests_name("safety", tests, NULL, NULL);
}
