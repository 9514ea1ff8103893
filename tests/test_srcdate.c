/* Tests for src/base/srcdate.c: the document date and its range.
 * 253402300799 = 9999-12-31T23:59:59Z, computed with Python's datetime:
 * (datetime(9999,12,31,23,59,59) - datetime(1970,1,1)).total_seconds(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/srcdate.h"

static long long S_get(const char *sde, const char *path, lb_err *e)
{
    if (sde)
        setenv("SOURCE_DATE_EPOCH", sde, 1);
    else
        unsetenv("SOURCE_DATE_EPOCH");
    err_clear(e);
    return srcdate_get(path, e);
}

static void test_source_date_epoch(void **state)
{
    (void)state;
    lb_err e;
    assert_true(S_get("1700000000", "/nonexistent", &e) == 1700000000LL);
    assert_true(S_get("0", "/nonexistent", &e) == 0);
    assert_true(S_get("253402300799", "/nonexistent", &e) == SRCDATE_MAX);
    assert_true(SRCDATE_MAX == 253402300799LL);

    assert_true(S_get("253402300800", "/nonexistent", &e) == -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "SOURCE_DATE_EPOCH=253402300800: after 9999-12-31"));
    /* beyond 64 bits: strtoll saturates; still named, still "after" */
    assert_true(S_get("99999999999999999999999", "/nonexistent", &e) == -1);
    assert_non_null(strstr(e.msg, "SOURCE_DATE_EPOCH=99999999999999999999999: after"));
    assert_true(S_get("-1", "/nonexistent", &e) == -1);
    assert_non_null(strstr(e.msg, "SOURCE_DATE_EPOCH=-1: before 1970-01-01"));
    assert_true(S_get("12abc", "/nonexistent", &e) == -1);
    assert_non_null(strstr(e.msg, "SOURCE_DATE_EPOCH='12abc': not a whole number"));
    /* strtoll would skip a leading space and take a '+': refused too */
    assert_true(S_get(" 1700000000", "/nonexistent", &e) == -1);
    assert_non_null(strstr(e.msg, "SOURCE_DATE_EPOCH=' 1700000000': not a whole number"));
    assert_true(S_get("+5", "/nonexistent", &e) == -1);
    assert_non_null(strstr(e.msg, "SOURCE_DATE_EPOCH='+5': not a whole number"));
    /* a value with a newline stays one line in the message */
    assert_true(S_get("1\n2", "/nonexistent", &e) == -1);
    assert_null(strchr(e.msg, '\n'));
}

static void test_template_mtime(void **state)
{
    (void)state;
    char path[] = "/tmp/lb-srcdate-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    lb_err e;
    struct timespec ts[2] = {{1600000000, 0}, {1600000000, 0}};
    assert_int_equal(futimens(fd, ts), 0);
    assert_true(S_get(NULL, path, &e) == 1600000000LL);
    /* 1960-06-01: a negative time */
    ts[0].tv_sec = ts[1].tv_sec = -302572800;
    assert_int_equal(futimens(fd, ts), 0);
    assert_true(S_get(NULL, path, &e) == -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "modification time is before 1970-01-01"));
    assert_non_null(strstr(e.msg, path));
    /* one second into the year 10000 */
    ts[0].tv_sec = ts[1].tv_sec = 253402300800LL;
    struct stat st;
    /* (ext4 clamps times to 2446: only where the file system keeps it) */
    if (futimens(fd, ts) == 0 && fstat(fd, &st) == 0 && st.st_mtime > 253402300799LL) {
        assert_true(S_get(NULL, path, &e) == -1);
        assert_non_null(strstr(e.msg, "after the year 9999"));
    }
    close(fd);
    unlink(path);
    assert_true(S_get(NULL, path, &e) == -1);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_date_epoch),
        cmocka_unit_test(test_template_mtime),
    };
    return cmocka_run_group_tests_name("srcdate", tests, NULL, NULL);
}
