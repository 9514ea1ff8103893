/* Tests for src/base/fileio.c: the one whole-file reader behind templates,
 * examples and SVGs.  Limits are checked at the exact boundary. */
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
#include "base/fileio.h"

static void S_file(const char *name, const char *text, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", tk_scratch(), name);
    assert_int_equal(tk_write_file(path, text), 0);
}

static void test_reads_exactly(void **state)
{
    (void)state;
    char p[256];
    lb_err e;
    err_clear(&e);
    size_t len = 99;
    S_file("ten.txt", "0123456789", p, sizeof p);
    char *b = fio_read(p, 10, "template", LB_EXIT_INPUT, &len, &e); /* at the limit */
    assert_non_null(b);
    assert_int_equal(len, 10);
    assert_string_equal(b, "0123456789"); /* NUL-terminated */
    free(b);
    S_file("empty.txt", "", p, sizeof p);
    b = fio_read(p, 10, "template", LB_EXIT_INPUT, &len, &e);
    assert_non_null(b);
    assert_int_equal(len, 0);
    assert_string_equal(b, "");
    free(b);
}

static void test_errors(void **state)
{
    (void)state;
    char p[256];
    lb_err e;
    size_t len;

    S_file("eleven.txt", "0123456789A", p, sizeof p); /* one byte over */
    err_clear(&e);
    assert_null(fio_read(p, 10, "example", LB_EXIT_INPUT, &len, &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "eleven.txt: too large: an example may have at most 10 bytes"));

    snprintf(p, sizeof p, "%s/missing.md", tk_scratch());
    err_clear(&e);
    assert_null(fio_read(p, 10, "template", LB_EXIT_INPUT, &len, &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "missing.md: cannot open: No such file or directory"));
    err_clear(&e); /* a file we wrote ourselves: missing is a runtime failure */
    assert_null(fio_read(p, 10, "SVG", LB_EXIT_RUNTIME, &len, &e));
    assert_int_equal(e.code, LB_EXIT_RUNTIME);

    err_clear(&e);
    assert_null(fio_read(tk_scratch(), 10, "template", LB_EXIT_INPUT, &len, &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, ": not a regular file"));
    err_clear(&e);
    assert_null(fio_read("/dev/null", 10, "template", LB_EXIT_INPUT, &len, &e));
    assert_string_equal(e.msg, "/dev/null: not a regular file (a device)");

    err_clear(&e);
    assert_null(fio_read("", 10, "template", LB_EXIT_INPUT, &len, &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "without a name"));
}

/* A FIFO with no writer: a blocking open would wait forever (issue 16 row
 * 6).  The alarm turns a hang into a failure of this test. */
static void test_fifo_refused_at_once(void **state)
{
    (void)state;
    char p[256];
    lb_err e;
    size_t len;
    snprintf(p, sizeof p, "%s/pipe.md", tk_scratch());
    assert_int_equal(mkfifo(p, 0600), 0);
    alarm(10);
    err_clear(&e);
    assert_null(fio_read(p, 1000, "template", LB_EXIT_INPUT, &len, &e));
    alarm(0);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "pipe.md: not a regular file (a pipe)"));
    unlink(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_exactly),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fifo_refused_at_once),
    };
    return cmocka_run_group_tests_name("fileio", tests, tk_scratch_setup, tk_scratch_teardown);
}
