/* Acceptance cases for `lossbook check` beyond the source's claims (issue
 * 11 review): the max-subtracted and log-sum-exp routes, a value written
 * exactly, another shape of example with a slip in the middle, how the
 * report words what holds and the mean, and the claims reader's empty and
 * non-UTF-8 inputs.
 *
 * Expected verdicts and values: tests/ref/check_reference.py (Python
 * decimal at 50 digits, cases D, E and F), which also writes the fixtures
 * tests/fixtures/check/exa-4x3.json and slip-middle.json (--write-fixtures).
 * Nothing here comes from the program's own output. */
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "check/check.h"
#include "check/check_errata.h"
#include "check/check_report.h"
#include "check/claims.h"
#include "check/worksheet.h"
#include "compute/catalog.h"
#include "compute/example.h"
#include "testkit.h"
#include "check_util.h"

/* Check `text` (a claims file) against the example `expath` (from the root). */
static void S_check(CU_run *s, const char *expath, const char *text)
{
    assert_int_equal(cu_check(s, expath, text), 0);
}


/* check_reference.py case D: the max-subtracted route at position 3 of the
 * default example (m = 2.2), e^-1.5 = 0.2231 written 0.2213:
 *   slip (1): expz.shift/3/1
 *   follows (5): sumexp.shift/3 p/3/1 p/3/3 ptarget/3 loss/3
 *   right (10)
 * The p_j follow by the route written (e^{z_j - m} / their sum), not a
 * slip against the unwritten e^{z_j}; z - m = -1.5 written with one
 * decimal is exact and does not make 0.2213 "hold by rounding". */
static void test_shifted_route(void **state)
{
    (void)state;
    CU_run s;
    S_check(&s, "templates/examples/llm-batch.json",
            "{\"claims\": {\"maxlogit/3\": \"2.2\", \"z.shift/3/0\": \"-1.0\", \"expz.shift/3/0\": "
            "\"0.3679\", \"z.shift/3/1\": \"-1.5\", \"expz.shift/3/1\": \"0.2213\", \"z.shift/3/2\": "
            "\"-1.9\", \"expz.shift/3/2\": \"0.1496\", \"z.shift/3/3\": \"0.0\", \"expz.shift/3/3\": "
            "\"1.0000\", \"z.shift/3/4\": \"-2.7\", \"expz.shift/3/4\": \"0.0672\", "
            "\"sumexp.shift/3\": \"1.8060\", \"p/3/1\": \"0.1225\", \"p/3/3\": \"0.5537\", "
            "\"ptarget/3\": \"0.5537\", \"loss/3\": \"0.5911\"}}");
    cu_exactly(&s, CHK_SLIP, "expz.shift/3/1");
    cu_exactly(&s, CHK_FOLLOWS, "sumexp.shift/3 p/3/1 p/3/3 ptarget/3 loss/3");
    cu_exactly(&s, CHK_ROUNDED, "");
    assert_int_equal(s.r->n_right, 10);
    char *b = cu_body(&s);
    /* e^-1.5 = 0.22313016 (decimal, 50 digits) */
    assert_non_null(strstr(b, "e^(z_1 - m) is 0.2231, not 0.2213 (off by -0.0018): a new slip"));
    assert_non_null(strstr(b, "From there: the sum of shifted exponentials"));
    free(b);
    cu_done(&s);
}

/* check_reference.py case E: lse/4 = ln 17.1676 = 2.8430 written 2.8340,
 * the loss written as lse - z_y = 2.8340 - 2.3 = 0.5340:
 *   slip (1): lse/4;  follows (1): loss/4 */
static void test_lse_route(void **state)
{
    (void)state;
    CU_run s;
    S_check(&s, "templates/examples/llm-batch.json",
            "{\"claims\": {\"lse/4\": \"2.8340\", \"loss/4\": \"0.5340\"}}");
    cu_exactly(&s, CHK_SLIP, "lse/4");
    cu_exactly(&s, CHK_FOLLOWS, "loss/4");
    char *b = cu_body(&s);
    assert_non_null(strstr(b, "From there: the loss 0.5430, not 0.5340."));
    free(b);
    cu_done(&s);
}

/* check_reference.py case I: the log-sum-exp by the max-subtracted route
 * (m + ln of the shifted sum), after the slip of case D:
 *   slip (1): expz.shift/3/1
 *   follows (3): sumexp.shift/3 lse/3 loss/3  (lse 2.7921, loss 0.5921 true) */
static void test_lse_shifted(void **state)
{
    (void)state;
    CU_run s;
    S_check(&s, "templates/examples/llm-batch.json",
            "{\"claims\": {\"maxlogit/3\": \"2.2\", \"expz.shift/3/0\": \"0.3679\", "
            "\"expz.shift/3/1\": \"0.2213\", \"expz.shift/3/2\": \"0.1496\", \"expz.shift/3/3\": "
            "\"1.0000\", \"expz.shift/3/4\": \"0.0672\", \"sumexp.shift/3\": \"1.8060\", "
            "\"lse/3\": \"2.7911\", \"loss/3\": \"0.5911\"}}");
    cu_exactly(&s, CHK_SLIP, "expz.shift/3/1");
    cu_exactly(&s, CHK_FOLLOWS, "sumexp.shift/3 lse/3 loss/3");
    assert_int_equal(s.r->n_right, 5);
    char *b = cu_body(&s);
    assert_non_null(strstr(b, "the log-sum-exp 2.7921, not 2.7911; the loss 0.5921, not 0.5911."));
    free(b);
    cu_done(&s);
}

/* check_reference.py case F: another shape (1 x 4 x 3, no token names),
 * every step to 4 decimals, e^1.9 at position 3 written 6.8859:
 *   slip (1): expz/3/2
 *   follows (8): sumexp/3 p/3/0 p/3/1 p/3/2 ptarget/3 loss/3 loss.sum loss.mean
 *   rounded (1): sumexp/4
 *   right (28)
 *   true: sumexp/3 9.0046, loss/3 2.8977, loss.sum 5.2388, loss.mean 1.3097 */
static void test_other_shape(void **state)
{
    (void)state;
    size_t len;
    char *text = tk_read_file(tk_src("tests/fixtures/check/slip-middle.json"), &len);
    assert_non_null(text);
    /* the example path inside is relative to the fixture: read it from there */
    CU_run s;
    S_check(&s, "tests/fixtures/check/exa-4x3.json", text);
    free(text);
    cu_exactly(&s, CHK_SLIP, "expz/3/2");
    cu_exactly(&s, CHK_FURTHER, "");
    cu_exactly(&s, CHK_FOLLOWS, "sumexp/3 p/3/0 p/3/1 p/3/2 ptarget/3 loss/3 loss.sum loss.mean");
    cu_exactly(&s, CHK_ROUNDED, "sumexp/4");
    assert_int_equal(s.r->n_right, 28);
    assert_int_equal(s.r->N, 4);
    assert_int_equal(s.r->V, 3);
    char *b = cu_body(&s);
    /* positions that hold are one line; the slip, its true value and what follows */
    assert_non_null(strstr(b, "Positions 1 and 2: all 18 values hold."));
    assert_non_null(strstr(b, "e^(z_2) is 6.6859, not 6.8859 (off by +0.2000): a new slip; "
                              "e^1.9 = 6.6859."));
    assert_non_null(strstr(b, "the loss 2.8977, not 2.9188."));
    assert_non_null(strstr(b, "The sum of the losses is 5.2388, not 5.2598: it follows from the "
                              "slip in e^(z_2) at position 3."));
    assert_non_null(strstr(b, "The mean: 1.3150 is wrong because of the slip above"));
    assert_non_null(strstr(b, "the true mean is 1.3097."));
    /* the written sum is the sum of the written losses: not said twice */
    assert_null(strstr(b, "as written add up to"));
    free(b);
    cu_done(&s);
    /* the command, with the fixture naming its own example: exit 3 */
    if (!tk_need_bin("test_other_shape"))
        return;
    tk_result r = {0};
    tk_lb(&r, NULL, "check", "tests/fixtures/check/slip-middle.json", NULL);
    tk_assert_exit(&r, CHK_EXIT_WRONG);
    assert_non_null(strstr(r.out, "(4 positions, 3 tokens)"));
    assert_non_null(strstr(r.out, "38 values checked: 29 right (1 of them only by rounding), "
                                  "one slip and 8 values that follow from it."));
    tk_result_free(&r);
}

/* The mean wrong on its own, the losses right (true losses of the default
 * example, check_reference.py true4: 0.5321 0.4230 0.5921 0.5430 0.7609
 * 1.7563; sum 4.6074 by hand; mean 0.7679): the report says once what
 * the written values give, and that it is the true mean. */
static void test_mean_wording(void **state)
{
    (void)state;
    CU_run s;
    S_check(&s, "templates/examples/llm-batch.json",
            "{\"claims\": {\"loss/1\": \"0.5321\", \"loss/2\": \"0.4230\", \"loss/3\": \"0.5921\", "
            "\"loss/4\": \"0.5430\", \"loss/5\": \"0.7609\", \"loss/6\": \"1.7563\", "
            "\"loss.sum\": \"4.6074\", \"loss.mean\": \"0.7697\"}}");
    cu_exactly(&s, CHK_SLIP, "loss.mean");
    char *b = cu_body(&s);
    assert_non_null(strstr(b, "Positions 1 to 6: all six values hold."));
    assert_non_null(strstr(b, "The mean: 0.7697 is wrong on its own: your values give "
                              "4.6074 / 6 = 0.7679, not 0.7697; 0.7679 is also the true mean."));
    assert_null(strstr(b, "as written add up to"));
    free(b);
    cu_done(&s);
}

/* check_reference.py cases G and H (the 4 x 3 example): right values a
 * wrong one goes into without giving them are said to be so.
 *   G: slip (1): sumexp/1 (5.4403 for 5.3403); right anyway (3): p/1/0
 *      p/1/1 p/1/2, the written values give 0.6103, 0.1232 and 0.2481
 *   H: slip (1): loss/3 (2.9188 for 2.8977); right anyway (1): loss.sum
 *      (the written losses add up to 5.2599); the mean right */
static void test_right_anyway(void **state)
{
    (void)state;
    CU_run s;
    S_check(&s, "tests/fixtures/check/exa-4x3.json",
            "{\"claims\": {\"expz/1/0\": \"3.3201\", \"expz/1/1\": \"0.6703\", \"expz/1/2\": "
            "\"1.3499\", \"sumexp/1\": \"5.4403\", \"p/1/0\": \"0.6217\", \"p/1/1\": \"0.1255\", "
            "\"p/1/2\": \"0.2528\"}}");
    cu_exactly(&s, CHK_SLIP, "sumexp/1");
    assert_int_equal(s.r->n_right, 6);
    for (int j = 0; j < 3; j++) {
        char name[32];
        snprintf(name, sizeof name, "p/1/%d", j);
        assert_int_equal(s.r->items[chk_find(s.r, name)].cause, chk_find(s.r, "sumexp/1"));
    }
    char *b = cu_body(&s);
    assert_non_null(strstr(b, "p_0, p_1 and p_2 hold, although your values give 0.6103, 0.1232 "
                              "and 0.2481: they were not computed from the sum of exponentials "
                              "5.4403."));
    free(b);
    cu_done(&s);
    S_check(&s, "tests/fixtures/check/exa-4x3.json",
            "{\"claims\": {\"loss/1\": \"1.3753\", \"loss/2\": \"0.1038\", \"loss/3\": \"2.9188\", "
            "\"loss/4\": \"0.8620\", \"loss.sum\": \"5.2388\", \"loss.mean\": \"1.3097\"}}");
    cu_exactly(&s, CHK_SLIP, "loss/3");
    b = cu_body(&s);
    assert_non_null(strstr(b, "The sum of the losses 5.2388 holds, although your values give "
                              "5.2599: it was not computed from the loss 2.9188 at position 3."));
    assert_non_null(strstr(b, "The mean: 1.3097 is right."));
    free(b);
    cu_done(&s);
}

/* Blanks only (a worksheet's claims file not filled in): nothing checked,
 * said so; one blank among claims is counted in words. */
static void test_blanks(void **state)
{
    (void)state;
    CU_run s;
    lb_err e;
    err_clear(&e);
    S_check(&s, "templates/examples/llm-batch.json", "loss/1,\nloss/2,\n");
    char *c = chk_report_counts(s.r, CHK_TEXT, &e);
    assert_non_null(c);
    assert_string_equal(c, "Nothing to check: both values are left blank.");
    free(c);
    cu_done(&s);
    S_check(&s, "templates/examples/llm-batch.json", "loss/1,0.5321\nloss/2,\n");
    c = chk_report_counts(s.r, CHK_TEXT, &e);
    assert_non_null(c);
    assert_string_equal(c, "One value checked: 1 right. One value left blank.");
    free(c);
    cu_done(&s);
}

static void S_bad(const char *name, const char *text, const char *where,
                  const char *what)
{
    lb_err e;
    err_clear(&e);
    claims *c = claims_load_buf(text, strlen(text), name, &e);
    if (c)
        fail_msg("accepted: %s", text);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (strncmp(e.msg, where, strlen(where)) != 0 || !strstr(e.msg, what))
        fail_msg("message '%s', expected '%s' ... '%s'", e.msg, where, what);
    for (const unsigned char *p = (const unsigned char *)e.msg; *p; p++)
        if (*p >= 0x80)
            fail_msg("raw byte 0x%02X in '%s'", *p, e.msg);
}

/* Nothing to check is bad input, not a pass (it also reached
 * qsort(NULL, 0, ...) before: qa finding 14); bytes that are not UTF-8 are
 * named, never echoed (qa finding 15). */
static void test_reader_empty_utf8(void **state)
{
    (void)state;
    S_bad("c.json", "{\"claims\": {}}", "c.json:1:12:", "\"claims\" is empty");
    S_bad("c.csv", "", "c.csv:1:1:", "no claims");
    S_bad("c.csv", "# only a comment\nname,value\n", "c.csv:", "no claims");
    S_bad("c.csv", "loss.mean,0.7679\n\xff\xfe,1\n", "c.csv:2:1:", "invalid UTF-8 byte 0xFF");
    /* overlong '/', a lone continuation byte, a surrogate, past U+10FFFF */
    S_bad("c.csv", "loss\xc0\xaf" "1,0.5\n", "c.csv:1:5:", "invalid UTF-8 byte 0xC0");
    S_bad("c.json", "{\"claims\": {\"loss/1\": \"0.5\x80\"}}", "c.json:1:27:",
          "invalid UTF-8 byte 0x80");
    S_bad("c.csv", "loss/1,0.5 # \xed\xa0\x80\n", "c.csv:1:14:", "invalid UTF-8 byte 0xED");
    S_bad("c.csv", "# \xf4\x90\x80\x80\nloss/1,0.5\n", "c.csv:1:3:", "invalid UTF-8 byte 0xF4");
    /* valid UTF-8 in a comment is fine */
    lb_err e;
    err_clear(&e);
    const char *ok = "# Schüler: é\nloss/1,0.5\n";
    claims *c = claims_load_buf(ok, strlen(ok), "c.csv", &e);
    assert_non_null(c);
    claims_free(c);
}

/* The errata sheet stays short when everything is wrong: every e^{z_j} of
 * the default example written as 10^{z_j} (the wrong key): 10^z = e^z
 * only at z = 0, and four of the 30 logits are 0 (z/1/3, z/2/4, z/4/3,
 * z/6/4; templates/examples/llm-batch.json), whose 1.0000 holds -- so 26
 * slips: the per-token table lists the first 20 and says so. */
static void test_errata_short(void **state)
{
    (void)state;
    CU_run s;
    S_check(&s, "templates/examples/llm-batch.json", "loss/1,0.5321\n");
    char text[8192];
    size_t o = 0;
    for (int k = 1; k <= 6; k++)
        for (int j = 0; j < 5; j++) {
            char name[32];
            double z;
            snprintf(name, sizeof name, "z/%d/%d", k, j);
            assert_int_equal(cat_value_get(s.c, name, &z), 0);
            o += (size_t)snprintf(text + o, sizeof text - o, "expz/%d/%d,%.4f\n", k, j, pow(10.0, z));
        }
    cu_done(&s);
    S_check(&s, "templates/examples/llm-batch.json", text);
    assert_int_equal(s.r->n_slip, 26);
    lb_err e;
    err_clear(&e);
    char *md = chk_errata_markdown(s.r, "llm-batch.json", &e);
    assert_non_null(md);
    assert_non_null(strstr(md, "26 per-token values are wrong; the table lists the first 20 slips"));
    size_t rows = 0;
    for (const char *p = md; (p = strstr(p, "| $e^{z_j}$ |")); p++)
        rows++;
    assert_int_equal(rows, 20);
    free(md);
    cu_done(&s);
}

/* A worksheet for an example without token names: the tokens are their
 * numbers j, so the heading says "true next token 2" without "(2)" and
 * the step table has no column repeating j; with names both are there. */
static void test_worksheet_unnamed(void **state)
{
    (void)state;
    CU_run s;
    S_check(&s, "tests/fixtures/check/exa-4x3.json", "loss/1,1.3753\n");
    lb_err e;
    err_clear(&e);
    char *md = ws_markdown(s.c, WS_BLANK_DEFAULT, 0, 0, "exa-4x3.json", 0, &e);
    assert_non_null(md);
    assert_non_null(strstr(md, "true next token [y](value:target/1) {-}"));
    assert_null(strstr(md, "value:token/"));
    assert_null(strstr(md, "| token |"));
    free(md);
    cu_done(&s);
    S_check(&s, "templates/examples/llm-batch.json", "loss/1,0.5321\n");
    md = ws_markdown(s.c, WS_BLANK_DEFAULT, 0, 0, "llm-batch.json", 0, &e);
    assert_non_null(md);
    assert_non_null(strstr(md, "true next token [y](value:target/1) ([w](value:token/1)) {-}"));
    assert_non_null(strstr(md, "| token |"));
    free(md);
    cu_done(&s);
}

/* `--pdf` naming an input of the run (qa finding 13): the claims file, the
 * example, a hard link to it: exit 2 naming it, the input untouched. */
static void test_pdf_over_inputs(void **state)
{
    (void)state;
    if (!tk_need_bin("test_pdf_over_inputs"))
        return;
    char *dir = tk_tmpdir_new("check-over");
    char ex[600], cl[600], ln[600], other[600];
    snprintf(ex, sizeof ex, "%s/e.json", dir);
    snprintf(cl, sizeof cl, "%s/c.json", dir);
    snprintf(ln, sizeof ln, "%s/link.json", dir);
    snprintf(other, sizeof other, "%s/errata.pdf", dir);
    assert_int_equal(tk_copy(tk_src("tests/fixtures/check/exa-4x3.json"), ex), 0);
    const char *claims = "{\"example\": \"e.json\", \"claims\": {\"loss.mean\": \"1.3097\"}}";
    assert_int_equal(tk_write_file(cl, claims), 0);
    assert_int_equal(link(ex, ln), 0);
    size_t exlen;
    char *exbefore = tk_read_file(ex, &exlen);
    assert_non_null(exbefore);
    const char *targets[] = {cl, ex, ln};
    const char *what[] = {"is the claims file of this run", "is the example of this run",
                          "is the example of this run"};
    for (int k = 0; k < 3; k++) {
        tk_result r = {0};
        tk_lb(&r, NULL, "check", "--quiet", cl, "--pdf", targets[k], NULL);
        tk_assert_exit(&r, 2);
        assert_true(tk_one_line(r.err));
        if (!strstr(r.err, what[k]) || !strstr(r.err, "give the output another name"))
            fail_msg("--pdf %s: '%s'", targets[k], r.err);
        tk_result_free(&r);
        size_t len;
        char *now = tk_read_file(cl, &len);
        assert_non_null(now);
        assert_string_equal(now, claims);
        free(now);
        now = tk_read_file(ex, &len);
        assert_non_null(now);
        assert_int_equal(len, exlen);
        assert_memory_equal(now, exbefore, len);
        free(now);
    }
    /* another name works: the mean is right, exit 0 */
    tk_result r = {0};
    tk_lb(&r, NULL, "check", "--quiet", cl, "--pdf", other, NULL);
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    assert_true(tk_file_size(other) > 1000);
    free(exbefore);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shifted_route),
        cmocka_unit_test(test_lse_route),
        cmocka_unit_test(test_lse_shifted),
        cmocka_unit_test(test_other_shape),
        cmocka_unit_test(test_mean_wording),
        cmocka_unit_test(test_right_anyway),
        cmocka_unit_test(test_blanks),
        cmocka_unit_test(test_reader_empty_utf8),
        cmocka_unit_test(test_pdf_over_inputs),
        cmocka_unit_test(test_errata_short),
        cmocka_unit_test(test_worksheet_unnamed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
