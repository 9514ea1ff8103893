/* test_gnuplot — the gnuplot pipe API (src/plot/gnuplot.c).
 *
 * Runs the real gnuplot (gnuplot-nox) in a temporary folder.  Expected
 * strings come from gnuplot's documented behaviour and from by-hand quoting
 * rules, never from our own output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testkit.h"
#include "plot/gnuplot.h"
#include "plot/gpquote.h"

static void S_write(const char *name, const char *text)
{
    assert_int_equal(tk_write_file(tk_path("%s/%s", tk_scratch(), name), text), 0);
}

static char *S_slurp(const char *name)
{
    return tk_read_file(tk_path("%s/%s", tk_scratch(), name), NULL);
}

static const char S_GOOD[] =
    "set terminal svg size 400,250 font 'Latin Modern Roman,9'\n"
    "set output 'good.svg'\n"
    "plot [0:1] x*x title 'x^2'\n";

/* A good script completes: the marker arrives after `unset output`, so the
 * file is complete (closing </svg>) when gp_load returns. */
static void test_good_script(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    S_write("good.gp", S_GOOD);
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    assert_int_equal(gp_load(g, "good.gp", "good", &e), 0);
    assert_int_equal(e.code, 0);
    /* a script name with a quote in it goes through gpquote_string */
    S_write("it's.gp", S_GOOD);
    assert_int_equal(gp_load(g, "it's.gp", "quote", &e), 0);
    assert_true(tk_file_size(tk_path("%s/good.svg", tk_scratch())) > 0);
    char *svg = S_slurp("good.svg");
    assert_non_null(strstr(svg, "</svg>"));
    free(svg);
    /* A second figure through the same process. */
    assert_int_equal(gp_load(g, "good.gp", "again", &e), 0);
    gp_free(g);
}

/* An error on line 3 fails naming the figure and quoting gnuplot's own
 * message ("FILE" line N: ...), exit code 1; the process stays usable. */
static void test_error_script(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    S_write("bad.gp", "set xrange [0:1]\n"
                      "set terminal svg\n"
                      "plot lb_no_such_function(x)\n");
    S_write("good.gp", S_GOOD);
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    assert_int_equal(gp_load(g, "bad.gp", "softmax9", &e), -1);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "figure 'softmax9': gnuplot: "));
    assert_non_null(strstr(e.msg, "\"bad.gp\" line 3"));
    assert_non_null(strstr(e.msg, "undefined function"));
    /* load aborted only that script */
    err_clear(&e);
    assert_int_equal(gp_load(g, "good.gp", "good", &e), 0);
    gp_free(g);
}

/* A missing data file is an error too ("No data in plot"), not a silent
 * empty figure. */
static void test_missing_data(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    S_write("nodata.gp", "set terminal svg\nset output 'nodata.svg'\n"
                         "plot '../no/such.dat' using 1:2\n");
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    assert_int_equal(gp_load(g, "nodata.gp", "nodata", &e), -1);
    assert_non_null(strstr(e.msg, "figure 'nodata': gnuplot: "));
    assert_non_null(strstr(e.msg, "No data in plot"));
    gp_free(g);
}

/* A missing script is an error naming the figure. */
static void test_missing_script(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    assert_int_equal(gp_load(g, "absent.gp", "absent", &e), -1);
    assert_non_null(strstr(e.msg, "figure 'absent': gnuplot: "));
    assert_non_null(strstr(e.msg, "absent.gp"));
    gp_free(g);
}

/* gnuplot missing from PATH: the clear message, no crash. */
static void test_not_in_path(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    char empty[512];
    snprintf(empty, sizeof empty, "%s/emptybin", tk_scratch());
    assert_int_equal(mkdir(empty, 0700), 0);
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    setenv("PATH", empty, 1);
    gp *g = gp_new(&e);
    if (old)
        setenv("PATH", old, 1);
    free(old);
    assert_null(g);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_string_equal(
        e.msg, "gnuplot not found in PATH: install gnuplot-nox (make deps)");
}

/* A working directory that does not exist is reported, not hidden. */
static void test_bad_cwd(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    gp *g = gp_new_in("/nonexistent/lossbook/dir", &e);
    assert_null(g);
    assert_non_null(strstr(e.msg, "/nonexistent/lossbook/dir"));
}

/* Quoting rules checked by hand against gnuplot 5.4 (see gnuplot.h): no
 * escapes inside single quotes, ' as sprintf('%c',39); control bytes become
 * spaces; invalid UTF-8 becomes '?'. */
static void test_quote_rules(void **state)
{
    (void)state;
    struct {
        const char *in;
        int flags;
        const char *out;
    } c[] = {
        {"", GPQUOTE_PLAIN, "''"},
        {"it's", GPQUOTE_PLAIN, "'it'.sprintf('%c',39).'s'"},
        {"''", GPQUOTE_PLAIN,
         "''.sprintf('%c',39).''.sprintf('%c',39).''"},
        {"a\nb\tc\rd\x7f" "e", GPQUOTE_PLAIN, "'a b c d e'"},
        {"`id` \\n $x \"q\"", GPQUOTE_PLAIN, "'`id` \\n $x \"q\"'"},
        {"p\xc3\xbc\xff!", GPQUOTE_PLAIN, "'p\xc3\xbc?!'"},     /* ü kept */
        {"\xc2\x85x", GPQUOTE_PLAIN, "' x'"},                   /* C1 NEL */
        {"\xed\xa0\x80", GPQUOTE_PLAIN, "'?" "?" "?'"},         /* surrogate */
        {"p_{t}^2", GPQUOTE_ENHANCED, "'p\\_\\{t\\}\\^2'"},
        {"a@b~c\\d", GPQUOTE_ENHANCED, "'a\\@b\\~c\\\\d'"},
        {"x & y", GPQUOTE_ENHANCED, "'x + y'"},
        {"x & y", GPQUOTE_PLAIN, "'x & y'"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char *q = gpquote_string(c[i].in, c[i].flags);
        assert_non_null(q);
        assert_string_equal(q, c[i].out);
        free(q);
    }
}

/* One command is one line: a newline inside is refused, not sent. */
static void test_cmd_rejects_newline(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    assert_int_equal(gp_cmd(g, "print 1\nprint 2", &e), -1);
    assert_non_null(strstr(e.msg, "control character"));
    err_clear(&e);
    /* still usable; print output is returned */
    assert_int_equal(gp_cmd(g, "print sprintf('hello %g', 1.5)", &e), 0);
    if (gp_sync(g, NULL, &e) != 0)
        fail_msg("%s", e.msg);
    /* LC_ALL=C in the child: a decimal point, not a comma */
    assert_non_null(strstr(gp_last_output(g), "hello 1.5"));
    gp_free(g);
}

/* The injection strings of issue 7, quoted, end up as harmless text: no
 * file is created and no command runs (id would print "uid="). */
static void test_injection(void **state)
{
    (void)state;
    const char *evil[] = {"`touch /tmp/pwned`", "\"; system(\"id\")",
                          "'; system('id'); '", "\\'`id`",
                          "x\nsystem('touch /tmp/pwned')",
                          "'''a `touch /tmp/pwned`", "x''''y @v `id`",
                          "'.system('id').'", "@v"};
    char pwned2[512];
    snprintf(pwned2, sizeof pwned2, "%s/pwned2", tk_scratch());
    unlink("/tmp/pwned");
    char script[8192];
    size_t n = 0;
    n += (size_t)snprintf(script + n, sizeof script - n,
                          "set terminal svg size 400,250 enhanced\n"
                          "set output 'inj.svg'\nv = 'MACRO'\n");
    for (size_t i = 0; i < sizeof evil / sizeof evil[0]; i++) {
        for (int fl = 0; fl < 2; fl++) {
            char *q = gpquote_string(evil[i], fl);
            assert_non_null(q);
            n += (size_t)snprintf(script + n, sizeof script - n,
                                  "set label %zu %s at 0.1,%g noenhanced\n",
                                  1 + 2 * i + (size_t)fl, q,
                                  0.1 * (double)(2 * i + (size_t)fl));
            free(q);
        }
    }
    char touch2[600];
    snprintf(touch2, sizeof touch2, "`touch %s`", pwned2);
    char *q = gpquote_string(touch2, GPQUOTE_ENHANCED);
    n += (size_t)snprintf(script + n, sizeof script - n,
                          "set title %s\nplot [0:1][0:1] x title %s\n", q, q);
    free(q);
    S_write("inj.gp", script);

    lb_err e;
    err_clear(&e);
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    if (gp_load(g, "inj.gp", "inj", &e) != 0)
        fail_msg("%s", e.msg);
    assert_null(strstr(gp_last_output(g), "uid="));
    assert_null(strstr(gp_last_output(g), "MACRO"));
    gp_free(g);
    assert_int_equal(access("/tmp/pwned", F_OK), -1);
    assert_int_equal(access(pwned2, F_OK), -1);
    char *svg = S_slurp("inj.svg");
    assert_non_null(svg);
    /* the label text is there verbatim */
    assert_non_null(strstr(svg, "`touch /tmp/pwned`"));
    assert_non_null(strstr(svg, "system(\"id\")"));
    assert_non_null(strstr(svg, "x''''y @v `id`"));
    assert_null(strstr(svg, "MACRO"));
    free(svg);
}

/* A hung gnuplot cannot hang us: the wait is bounded and gp_free kills
 * and reaps it promptly. */
static void test_timeout(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    S_write("slow.gp", "pause 20\n");
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    gp_set_timeout(g, 300);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(gp_load(g, "slow.gp", "slow", &e), -1);
    assert_non_null(strstr(e.msg, "figure 'slow': gnuplot did not finish"));
    err_clear(&e);
    assert_int_equal(gp_load(g, "slow.gp", "slow", &e), -1); /* no hang */
    gp_free(g);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(secs < 5.0);
}

/* gnuplot exiting under us: errors, never death by SIGPIPE. */
static void test_gnuplot_exits(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    S_write("good.gp", S_GOOD);
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    assert_int_equal(gp_cmd(g, "exit", &e), 0);
    assert_int_equal(gp_load(g, "good.gp", "late", &e), -1);
    assert_non_null(strstr(e.msg, "figure 'late'"));
    err_clear(&e);
    /* further commands fail cleanly */
    assert_int_equal(gp_cmd(g, "print 1", &e), -1);
    gp_free(g);
    gp_free(NULL);
}

/* Writing to a gnuplot that has already exited gives EPIPE: an error, not
 * death by SIGPIPE, and no SIGPIPE left pending or handler changed. */
static void test_epipe(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    gp *g = gp_new_in(tk_scratch(), &e);
    assert_non_null(g);
    assert_int_equal(gp_cmd(g, "exit", &e), 0);
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL); /* let it exit and close its stdin */
    struct sigaction before, after;
    sigaction(SIGPIPE, NULL, &before);
    char big[4000];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    int r = 0;
    for (int i = 0; i < 100 && r == 0; i++)
        r = gp_cmd(g, big, &e);
    assert_int_equal(r, -1);
    assert_non_null(strstr(e.msg, "gnuplot exited unexpectedly"));
    sigaction(SIGPIPE, NULL, &after);
    assert_ptr_equal(before.sa_handler, after.sa_handler);
    sigset_t pend;
    sigpending(&pend);
    assert_false(sigismember(&pend, SIGPIPE));
    gp_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        tk_unit_test_scratch(test_good_script),
        tk_unit_test_scratch(test_error_script),
        tk_unit_test_scratch(test_missing_data),
        tk_unit_test_scratch(test_missing_script),
        tk_unit_test_scratch(test_not_in_path),
        tk_unit_test_scratch(test_bad_cwd),
        cmocka_unit_test(test_quote_rules),
        tk_unit_test_scratch(test_cmd_rejects_newline),
        tk_unit_test_scratch(test_injection),
        tk_unit_test_scratch(test_timeout),
        tk_unit_test_scratch(test_gnuplot_exits),
        tk_unit_test_scratch(test_epipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
