/* Tests for src/doc/expr.c: the condition / claim language.
 *
 * Expected values are worked by hand from the grammar in expr.h (each case
 * says why); the lookup callback below serves a fixed table of names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "doc/expr.h"

static int S_lookup(void *ctx, const char *name, expr_val *out, lb_err *e)
{
    int *calls = ctx;
    if (calls)
        (*calls)++;
    memset(out, 0, sizeof *out);
    static const struct { const char *n; double v; } nums[] = {
        {"loss/6", 1.75}, {"loss/2", 0.25}, {"shape.N", 6}, {"target/6", 1}, {"argmax/6", 0},
        {"loss.mean", 0.768}, {"loss.sum", 4.608}, {"zero", 0}, {"nan", NAN}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (!strcmp(name, nums[i].n)) {
            out->kind = EXPR_NUM;
            out->num = nums[i].v;
            return 0;
        }
    if (!strcmp(name, "token/6")) {
        out->kind = EXPR_TEXT;
        strcpy(out->text, "cat");
        return 0;
    }
    return err_set(e, LB_EXIT_INPUT, "unknown value '%s'", name);
}

/* Evaluate src; return the number (fails the test on any error). */
static double S_val(const char *src)
{
    lb_err e;
    err_clear(&e);
    size_t off = 0;
    expr *x = expr_parse(src, strlen(src), &off, &e);
    if (!x)
        fail_msg("parse '%s': %s at %zu", src, e.msg, off);
    expr_val v;
    if (expr_eval(x, S_lookup, NULL, &v, &off, &e) != 0)
        fail_msg("eval '%s': %s at %zu", src, e.msg, off);
    expr_free(x);
    assert_int_equal(v.kind, EXPR_NUM);
    return v.num;
}

/* Expect a parse error at byte `at` whose message contains `frag`. */
static void S_parse_err(const char *src, size_t at, const char *frag)
{
    lb_err e;
    err_clear(&e);
    size_t off = 999;
    expr *x = expr_parse(src, strlen(src), &off, &e);
    if (x) {
        expr_free(x);
        fail_msg("'%s' parsed, expected an error", src);
    }
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (!strstr(e.msg, frag))
        fail_msg("'%s': message '%s' lacks '%s'", src, e.msg, frag);
    if (off != at)
        fail_msg("'%s': error at %zu, expected %zu (%s)", src, off, at, e.msg);
}

static void S_eval_err(const char *src, size_t at, const char *frag)
{
    lb_err e;
    err_clear(&e);
    size_t off = 999;
    expr *x = expr_parse(src, strlen(src), &off, &e);
    if (!x)
        fail_msg("parse '%s': %s", src, e.msg);
    expr_val v;
    int rc = expr_eval(x, S_lookup, NULL, &v, &off, &e);
    expr_free(x);
    assert_int_equal(rc, -1);
    if (!strstr(e.msg, frag))
        fail_msg("'%s': message '%s' lacks '%s'", src, e.msg, frag);
    if (off != at)
        fail_msg("'%s': error at %zu, expected %zu", src, off, at);
}

static void test_arithmetic_precedence(void **state)
{
    (void)state;
    assert_true(S_val("1 + 2 * 3") == 7);          /* * binds tighter than + */
    assert_true(S_val("(1 + 2) * 3") == 9);
    assert_true(S_val("10 - 4 - 3") == 3);         /* left-associative: (10-4)-3 */
    assert_true(S_val("12 / 3 / 2") == 2);         /* (12/3)/2 */
    assert_true(S_val("-2 * -3") == 6);
    assert_true(S_val("2e1 + .5") == 20.5);
    assert_true(S_val("loss.sum / shape.N") == 4.608 / 6);   /* spaces: division */
}

static void test_names_with_slashes(void **state)
{
    (void)state;
    assert_true(S_val("loss/6") == 1.75);           /* one name, not loss / 6 */
    assert_true(S_val("loss/6 > 1") == 1);
    assert_true(S_val("argmax/6 != target/6") == 1); /* 0 != 1 */
    assert_true(S_val("loss/2 < 0.5 && loss/6 > 1") == 1);
    assert_true(S_val("token/6 == \"cat\"") == 1);
    assert_true(S_val("token/6 != \"cat\"") == 0);
}

static void test_logic_and_functions(void **state)
{
    (void)state;
    assert_true(S_val("!zero") == 1);
    assert_true(S_val("!(loss/6 > 1)") == 0);
    assert_true(S_val("zero || loss/2 < 1") == 1);
    assert_true(S_val("true && !false") == 1);
    assert_true(S_val("min(3, 1, 2) + max(3, 1, 2)") == 4);
    assert_true(S_val("abs(-2.5)") == 2.5);
    assert_true(S_val("round(0.76085, 4)") == 0.7609);   /* half away from zero at the 5th decimal */
    assert_true(S_val("round(2.5)") == 3);
    assert_true(S_val("floor(-0.5) + ceil(0.2)") == 0);   /* -1 + 1 */
    assert_true(fabs(S_val("ln(exp(2))") - 2) < 1e-15);
    assert_true(S_val("sqrt(16)") == 4);
    assert_true(S_val("nan == nan") == 0);               /* IEEE: NaN equals nothing */
    /* a NaN condition does not hold */
    lb_err e;
    err_clear(&e);
    expr_val v = {EXPR_NUM, NAN, ""};
    int t = 1;
    assert_int_equal(expr_truth(&v, &t, &e), 0);
    assert_int_equal(t, 0);
}

static void test_short_circuit_skips_lookup(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    /* the right side names an unknown value: never looked up */
    const char *src = "zero && loss/99 > 1";
    expr *x = expr_parse(src, strlen(src), NULL, &e);
    assert_non_null(x);
    int calls = 0;
    expr_val v;
    assert_int_equal(expr_eval(x, S_lookup, &calls, &v, NULL, &e), 0);
    assert_int_equal(calls, 1);
    assert_true(v.num == 0);
    expr_free(x);
}

static void test_parse_errors(void **state)
{
    (void)state;
    S_parse_err("", 0, "empty condition");
    S_parse_err("loss/6 >", 8, "condition ends here");
    S_parse_err("(loss/6 > 1", 11, "expected ')'");
    S_parse_err("loss/6 = 1", 7, "'=='");
    S_parse_err("1 < 2 < 3", 6, "do not chain");
    S_parse_err("loss/6 & 1", 7, "'&&'");
    S_parse_err("foo(1)", 0, "unknown function 'foo' (known: abs, ");   /* qa row 12 */
    S_parse_err("round(1, 2, 3)", 0, "round() takes 1 to 2 arguments, not 3");
    S_parse_err("abs()", 4, "expected a value name");
    S_parse_err("\"cat", 0, "unterminated string");
    S_parse_err("loss/6 >> 1", 8, "found '>'");
    S_parse_err("1.2.3", 0, "bad number");
    S_parse_err("loss /6", 5, "unexpected '/'"); /* '/6' cannot start an operand */
}

static void test_deep_nesting_is_an_error(void **state)
{
    (void)state;
    char src[2 * EXPR_MAX_DEPTH + 16];
    size_t k = 0;
    for (int i = 0; i < EXPR_MAX_DEPTH + 4; i++)
        src[k++] = '(';
    src[k++] = '1';
    for (int i = 0; i < EXPR_MAX_DEPTH + 4; i++)
        src[k++] = ')';
    lb_err e;
    err_clear(&e);
    expr *x = expr_parse(src, k, NULL, &e);
    assert_null(x);
    assert_non_null(strstr(e.msg, "nested too deeply"));
    /* and a long chain of '!' too */
    char nots[400];
    memset(nots, '!', 300);
    strcpy(nots + 300, "zero");
    err_clear(&e);
    assert_null(expr_parse(nots, strlen(nots), NULL, &e));
    assert_non_null(strstr(e.msg, "nested too deeply"));
}

static void test_eval_errors(void **state)
{
    (void)state;
    S_eval_err("loss/99 > 1", 0, "unknown value 'loss/99'");
    S_eval_err("1 < loss/99", 4, "unknown value");
    S_eval_err("token/6 < \"dog\"", 8, "cannot compare text with text");
    S_eval_err("token/6 == 1", 8, "cannot compare text with a number");
    S_eval_err("token/6 + 1", 0, "expected a number here");
    S_eval_err("round(1, 0.5)", 9, "d = 0..17");
}

static void test_each_name_and_explain(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    const char *src = "argmax/6 != target/6 && loss/6 > 2 * loss.mean && argmax/6 >= 0";
    expr *x = expr_parse(src, strlen(src), NULL, &e);
    assert_non_null(x);
    char buf[256];
    expr_explain(x, S_lookup, NULL, buf, sizeof buf);
    /* each distinct name once, in source order, %.10g */
    assert_string_equal(buf, "argmax/6 = 0, target/6 = 1, loss/6 = 1.75, loss.mean = 0.768");
    expr_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic_precedence),
        cmocka_unit_test(test_names_with_slashes),
        cmocka_unit_test(test_logic_and_functions),
        cmocka_unit_test(test_short_circuit_skips_lookup),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_deep_nesting_is_an_error),
        cmocka_unit_test(test_eval_errors),
        cmocka_unit_test(test_each_name_and_explain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
