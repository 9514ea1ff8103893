/* Tests for src/base/err.c: the message is one line, whatever it quotes.
 * A file name, token or template text holding a line break used to split
 * the one-line error into two (`-t $'no\nsuch.md'`).  Every expected string
 * below is written out by hand from the escaping rule in err.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/err.h"

static void test_plain_message_unchanged(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    assert_int_equal(err_at(&e, LB_EXIT_INPUT, "t.md", 3, 7, "unknown value '%s'", "loss/9"), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_string_equal(e.msg, "t.md:3:7: unknown value 'loss/9'");
    /* UTF-8 text (CJK, accents) and tabs pass through untouched */
    err_clear(&e);
    err_set(&e, LB_EXIT_INPUT, "%s", "猫 café\tx");
    assert_string_equal(e.msg, "猫 café\tx");
}

static void test_line_breaks_escaped(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    err_at(&e, LB_EXIT_INPUT, "no\nsuch.md", 0, 0, "cannot open");
    assert_string_equal(e.msg, "no\\nsuch.md: cannot open");
    assert_null(strchr(e.msg, '\n'));
    err_clear(&e);
    err_set(&e, LB_EXIT_INPUT, "a\r\nb\x01" "c\x7f");
    assert_string_equal(e.msg, "a\\r\\nb\\x01c\\x7F");
    /* C1 NEL (U+0085, UTF-8 C2 85) and U+2028 / U+2029 end lines in some readers */
    err_clear(&e);
    err_set(&e, LB_EXIT_INPUT, "x\xC2\x85y\xE2\x80\xA8z\xE2\x80\xA9");
    assert_string_equal(e.msg, "x\\u0085y\\u2028z\\u2029");
    /* U+00A0 (C2 A0) is not a control: kept */
    err_clear(&e);
    err_set(&e, LB_EXIT_INPUT, "a\xC2\xA0" "b");
    assert_string_equal(e.msg, "a\xC2\xA0" "b");
}

static void test_escapes_fit_the_buffer(void **state)
{
    (void)state;
    char raw[2000];
    memset(raw, '\n', sizeof raw - 1);
    raw[sizeof raw - 1] = '\0';
    lb_err e;
    err_clear(&e);
    err_set(&e, LB_EXIT_INPUT, "%s", raw);
    size_t n = strlen(e.msg);
    assert_true(n < sizeof e.msg);
    assert_null(strchr(e.msg, '\n'));
    /* whole escapes only, on both sides of the "…": never a lone backslash */
    const char *dots = strstr(e.msg, "\xE2\x80\xA6");
    assert_non_null(dots);
    for (const char *q = e.msg; *q; q += 2) {
        if (q == dots)
            q += 3;
        assert_memory_equal(q, "\\n", 2);
    }
}

/* A path longer than the message (a deep --out, a 5000-byte -e): the
 * message keeps its start, line:column and the reason at its end. */
static void test_long_paths_keep_the_reason(void **state)
{
    (void)state;
    char path[3000];
    memset(path, 'd', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    path[0] = '/';
    lb_err e;
    err_clear(&e);
    err_at(&e, LB_EXIT_INPUT, path, 3, 7, "unknown value '%s'", "loss/9");
    assert_true(strlen(e.msg) < sizeof e.msg);
    assert_true(strncmp(e.msg, "/ddd", 4) == 0);
    assert_non_null(strstr(e.msg, "\xE2\x80\xA6" "ddd"));
    assert_non_null(strstr(e.msg, "d:3:7: unknown value 'loss/9'"));
    err_clear(&e);
    err_set(&e, LB_EXIT_RUNTIME, "%s: cannot create output folder: %s", path, "File name too long");
    size_t n = strlen(e.msg);
    assert_true(n < sizeof e.msg);
    assert_true(n > sizeof e.msg - 8); /* the room is used, not wasted */
    assert_true(strncmp(e.msg, "/ddd", 4) == 0);
    const char *tail = ": cannot create output folder: File name too long";
    assert_string_equal(e.msg + n - strlen(tail), tail);
    /* a cut never splits a UTF-8 character: 2-byte characters on both sides */
    char wide[3001];
    for (size_t i = 0; i < 3000; i += 2)
        memcpy(wide + i, "\xC3\xA9", 2); /* é */
    wide[3000] = '\0';
    err_clear(&e);
    err_set(&e, LB_EXIT_INPUT, "x%s", wide);
    n = strlen(e.msg);
    const char *dots = strstr(e.msg, "\xE2\x80\xA6");
    assert_non_null(dots);
    assert_true((dots - e.msg) % 2 == 1);          /* "x" then whole é's */
    assert_true((n - (size_t)(dots + 3 - e.msg)) % 2 == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_message_unchanged),
        cmocka_unit_test(test_line_breaks_escaped),
        cmocka_unit_test(test_escapes_fit_the_buffer),
        cmocka_unit_test(test_long_paths_keep_the_reason),
    };
    return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
