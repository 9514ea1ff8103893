/* Tests for src/base/cli.c: every flag, defaults, and each kind of bad usage
 * producing one message and LB_EXIT_INPUT. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/cli.h"

static int S_parse(cli_opts *o, lb_err *e, int argc, ...)
{
    static char *argv[16];
    va_list ap;
    va_start(ap, argc);
    argv[0] = "lossbook";
    for (int i = 1; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    argv[argc] = NULL;
    err_clear(e);
    return cli_parse(argc, argv, o, e);
}

static void test_defaults(void **state)
{
    (void)state;
    cli_opts o;
    lb_err e;
    assert_int_equal(S_parse(&o, &e, 1), 0);
    assert_string_equal(o.out_dir, "out");
    assert_string_equal(o.example_path, "templates/examples/llm-batch.json");
    assert_string_equal(o.template_path, "templates/handout.md");
    assert_int_equal(o.paper, CLI_PAPER_A4);
    assert_int_equal(o.timeout_s, 30);
    assert_false(o.quiet || o.verbose || o.show_help || o.show_version);
}

static void test_all_flags(void **state)
{
    (void)state;
    cli_opts o;
    lb_err e;
    assert_int_equal(S_parse(&o, &e, 10, "--out", "/tmp/x", "--example=ex.json", "-t",
                             "h.md", "--paper", "letter", "--quiet", "-V"),
                     0);
    assert_string_equal(o.out_dir, "/tmp/x");
    assert_string_equal(o.example_path, "ex.json");
    assert_string_equal(o.template_path, "h.md");
    assert_int_equal(o.paper, CLI_PAPER_LETTER);
    assert_true(o.quiet);
    assert_true(o.show_version);
    assert_int_equal(S_parse(&o, &e, 2, "--help"), 0);
    assert_true(o.show_help);
    assert_int_equal(S_parse(&o, &e, 2, "--verbose"), 0);
    assert_true(o.verbose);
    assert_int_equal(S_parse(&o, &e, 3, "--timeout", "7"), 0);
    assert_int_equal(o.timeout_s, 7);
    assert_int_equal(o.threads, 0);   /* default: every online processor */
    assert_int_equal(S_parse(&o, &e, 3, "--threads", "3"), 0);
    assert_int_equal(o.threads, 3);
}

static void test_bad_usage(void **state)
{
    (void)state;
    cli_opts o;
    lb_err e;
    assert_int_equal(S_parse(&o, &e, 2, "--bogus"), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "unknown option '--bogus'"));

    assert_int_equal(S_parse(&o, &e, 2, "--out"), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "needs an argument"));

    assert_int_equal(S_parse(&o, &e, 3, "--paper", "a3"), -1);
    assert_non_null(strstr(e.msg, "unknown paper size 'a3' (expected a4 or letter)"));

    assert_int_equal(S_parse(&o, &e, 2, "stray"), -1);
    assert_non_null(strstr(e.msg, "unexpected argument 'stray'"));

    assert_int_equal(S_parse(&o, &e, 3, "-q", "-v"), -1);
    assert_non_null(strstr(e.msg, "exclude each other"));

    assert_int_equal(S_parse(&o, &e, 3, "--out", ""), -1);
    assert_non_null(strstr(e.msg, "empty"));

    static const char *const bad_timeouts[] = {"0", "-5", "3601", "2s", ""};
    for (size_t i = 0; i < sizeof bad_timeouts / sizeof bad_timeouts[0]; i++) {
        assert_int_equal(S_parse(&o, &e, 3, "--timeout", bad_timeouts[i]), -1);
        assert_int_equal(e.code, LB_EXIT_INPUT);
        assert_non_null(strstr(e.msg, "--timeout: expected whole seconds 1..3600"));
    }
    static const char *const bad_threads[] = {"0", "-1", "257", "2x", ""};
    for (size_t i = 0; i < sizeof bad_threads / sizeof bad_threads[0]; i++) {
        assert_int_equal(S_parse(&o, &e, 3, "--threads", bad_threads[i]), -1);
        assert_int_equal(e.code, LB_EXIT_INPUT);
        assert_non_null(strstr(e.msg, "--threads: expected a whole number 1..256"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_all_flags),
        cmocka_unit_test(test_bad_usage),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
