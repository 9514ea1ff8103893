/* Tests for src/base/outdir.c: staged outputs move into place; a failed run
 * (staging freed without commit) leaves the folder exactly as it was; planted
 * symlinks are replaced, never followed; foreign files are never deleted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"
#include "base/outdir.h"

static void S_write(const char *path, const char *text)
{
    assert_int_equal(tk_write_file(path, text), 0);
}

/* The file's text (a buffer reused by the next call), NULL if unreadable. */
static char *S_read(const char *path)
{
    static char *buf;
    free(buf);
    buf = tk_read_file(path, NULL);
    return buf;
}

static void test_commit_moves_files(void **state)
{
    (void)state;
    char out[300], p[400];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    lb_err e;
    err_clear(&e);
    out_stage *s = out_stage_new(out, &e);
    assert_non_null(s);
    assert_int_equal(out_stage_mkdir(s, "figures", &e), 0);
    snprintf(p, sizeof p, "%s/report.pdf", out_stage_path(s));
    S_write(p, "new report");
    snprintf(p, sizeof p, "%s/figures/exp.svg", out_stage_path(s));
    S_write(p, "svg");
    /* A file from an earlier run that this run does not produce. */
    snprintf(p, sizeof p, "%s/keep.txt", out);
    S_write(p, "mine");
    assert_int_equal(out_stage_commit(s, &e), 0);
    out_stage_free(s);

    snprintf(p, sizeof p, "%s/report.pdf", out);
    assert_string_equal(S_read(p), "new report");
    snprintf(p, sizeof p, "%s/figures/exp.svg", out);
    assert_string_equal(S_read(p), "svg");
    snprintf(p, sizeof p, "%s/keep.txt", out);
    assert_string_equal(S_read(p), "mine");
    /* no staging folder left behind */
    char *left = tk_find(out, "*staging*");
    if (left)
        fail_msg("left behind: %s", left);
}

static void test_failed_run_leaves_outputs(void **state)
{
    (void)state;
    char out[300], p[400];
    snprintf(out, sizeof out, "%s/out2", tk_scratch());
    mkdir(out, 0777);
    snprintf(p, sizeof p, "%s/report.pdf", out);
    S_write(p, "earlier");
    lb_err e;
    err_clear(&e);
    out_stage *s = out_stage_new(out, &e);
    assert_non_null(s);
    char sp[400];
    snprintf(sp, sizeof sp, "%s/report.pdf", out_stage_path(s));
    S_write(sp, "half-written");
    out_stage_free(s); /* no commit: the run failed */
    assert_string_equal(S_read(p), "earlier");
    struct stat st;
    assert_int_not_equal(stat(sp, &st), 0); /* staging removed */
}

static void test_planted_symlink_not_followed(void **state)
{
    (void)state;
    char out[300], p[700], victim[400];
    snprintf(out, sizeof out, "%s/out3", tk_scratch());
    mkdir(out, 0777);
    snprintf(victim, sizeof victim, "%s/victim.txt", tk_scratch());
    S_write(victim, "precious");
    snprintf(p, sizeof p, "%s/report.pdf", out);
    assert_int_equal(symlink(victim, p), 0);
    /* a planted symlinked sub-folder must be refused, not written through */
    char vdir[400], link[500];
    snprintf(vdir, sizeof vdir, "%s/elsewhere", tk_scratch());
    mkdir(vdir, 0777);
    snprintf(link, sizeof link, "%s/figures", out);
    assert_int_equal(symlink(vdir, link), 0);

    lb_err e;
    err_clear(&e);
    out_stage *s = out_stage_new(out, &e);
    assert_non_null(s);
    char sp[400];
    snprintf(sp, sizeof sp, "%s/report.pdf", out_stage_path(s));
    S_write(sp, "report");
    assert_int_equal(out_stage_mkdir(s, "figures", &e), 0);
    snprintf(sp, sizeof sp, "%s/figures/a.svg", out_stage_path(s));
    S_write(sp, "svg");
    assert_int_equal(out_stage_commit(s, &e), -1);
    assert_non_null(strstr(e.msg, "refusing to write through it"));
    out_stage_free(s);

    assert_string_equal(S_read(victim), "precious"); /* not followed */
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* refused before anything moved */
    snprintf(p, sizeof p, "%s/a.svg", vdir);
    assert_int_not_equal(stat(p, &st), 0); /* nothing written elsewhere */

    /* Without the symlinked folder, a planted file symlink is replaced by
     * the output file itself and its target is left alone. */
    assert_int_equal(unlink(link), 0);
    err_clear(&e);
    s = out_stage_new(out, &e);
    assert_non_null(s);
    snprintf(sp, sizeof sp, "%s/report.pdf", out_stage_path(s));
    S_write(sp, "report");
    assert_int_equal(out_stage_commit(s, &e), 0);
    out_stage_free(s);
    snprintf(p, sizeof p, "%s/report.pdf", out);
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_string_equal(S_read(p), "report");
    assert_string_equal(S_read(victim), "precious");
}

static void test_unwritable_out(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    char out[300];
    snprintf(out, sizeof out, "%s/file-not-dir", tk_scratch());
    S_write(out, "x");
    assert_null(out_stage_new(out, &e));
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "not a folder"));
    err_clear(&e);
    assert_null(out_stage_new("/proc/lossbook-cannot-exist/out", &e));
    assert_non_null(strstr(e.msg, "cannot create output folder"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        tk_unit_test_scratch(test_commit_moves_files),
        tk_unit_test_scratch(test_failed_run_leaves_outputs),
        tk_unit_test_scratch(test_planted_symlink_not_followed),
        tk_unit_test_scratch(test_unwritable_out),
    };
    return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
