/* Output safety (issue 7, item 5) at the figure-script level: user text
 * (token names become point labels of the "points" figure) must never be
 * able to run a command through gnuplot, whose language has system(),
 * backquotes and @macros.  The figure script is written by fig_write_script
 * with hostile labels and run by the real gnuplot; each hostile label tries
 * to create its own marker file.  The end-to-end variants (token names in
 * the example JSON) are cases inject-* of the bad-input corpus. */
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
#include "plot/figures.h"

static char S_tmp[256];

static int S_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_hostile_point_labels(void **state)
{
    (void)state;
    strcpy(S_tmp, "/tmp/lb-safety-XXXXXX");
    assert_non_null(mkdtemp(S_tmp));
    char figdir[512], datadir[512];
    snprintf(figdir, sizeof figdir, "%s/figures", S_tmp);
    snprintf(datadir, sizeof datadir, "%s/data", S_tmp);
    assert_int_equal(mkdir(figdir, 0777), 0);
    assert_int_equal(mkdir(datadir, 0777), 0);
    /* points.dat: n p_target neg_log_p (figures.h); -log values by hand:
     * -log 0.5 = 0.693147..., -log 0.25 = 1.386294..., -log 0.8 = 0.223143... */
    assert_int_equal(S_sh("printf '# n p_target neg_log_p\\n1 0.5 0.6931471805599453\\n"
                          "2 0.25 1.3862943611198906\\n3 0.8 0.2231435513142097\\n"
                          "4 0.1 2.302585092994046\\n5 0.9 0.10536051565782628\\n' "
                          "> '%s/points.dat'",
                          datadir),
                     0);

    enum { N = 6 };
    char labels[N][512];
    snprintf(labels[0], sizeof labels[0], "`touch %s/pwned0`", S_tmp);
    snprintf(labels[1], sizeof labels[1], "\"; system(\"touch %s/pwned1\")", S_tmp);
    snprintf(labels[2], sizeof labels[2], "'; system('touch %s/pwned2'); '", S_tmp);
    snprintf(labels[3], sizeof labels[3], "x\nsystem('touch %s/pwned3')", S_tmp);
    snprintf(labels[4], sizeof labels[4], "'.system('touch %s/pwned4').'", S_tmp);
    snprintf(labels[5], sizeof labels[5], "@x \\' `touch %s/pwned5` '''", S_tmp);
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
    rc = S_sh("cd '%s' && gnuplot points.gp > gp.log 2>&1", figdir);
    if (rc != 0)
        S_sh("cat '%s/gp.log' >&2", figdir);
    assert_int_equal(rc, 0);
    lp[0] = labels[5];
    err_clear(&e);
    assert_int_equal(fig_write_script(figdir, "../data", fi, &o, &e), 0);
    assert_int_equal(S_sh("cd '%s' && gnuplot points.gp >> gp.log 2>&1", figdir), 0);

    for (int i = 0; i < N; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/pwned%d", S_tmp, i);
        if (access(p, F_OK) == 0)
            fprintf(stderr, "label %d ran a command: %s\n", i, labels[i]);
        assert_int_equal(access(p, F_OK), -1);
    }
    /* The labels are shown as text: the SVG holds the backquoted command
     * verbatim (so gnuplot printed it rather than ran it). */
    assert_int_equal(S_sh("grep -q 'system(' '%s/points.svg'", figdir), 0);
    assert_int_equal(S_sh("grep -q '`touch' '%s/points.svg'", figdir), 0);
    S_sh("rm -rf '%s'", S_tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_point_labels),
    };
    return cmocka_run_group_tests_name("safety", tests, NULL, NULL);
}
