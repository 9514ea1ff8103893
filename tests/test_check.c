/* Tests for `lossbook check` (src/check/): the claims reader, the verdicts
 * of the check engine, the report and the errata sheet, and every kind of
 * bad input.
 *
 * Expected verdicts and true values come from tests/ref/check_reference.py
 * (Python decimal at 50 digits, the rule of README.md implemented on its
 * own); its output lines are quoted next to each use.  The fixtures
 * tests/fixtures/check/true4.{json,csv} (every step of the default example
 * rounded to 4 decimals) are written by that script with --write-fixtures.
 * The only numbers from the source conversation are its claims themselves
 * (templates/examples/source-claims.json), as inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "check/check.h"
#include "check/check_names.h"
#include "check/check_report.h"
#include "check/check_values.h"
#include "check/claims.h"
#include "compute/catalog.h"
#include "compute/example.h"
#include "testkit.h"
#include "check_util.h"

/* ---- helpers ------------------------------------------------------------------ */

/* Check `text` (a claims file's content) against the default example. */
static int S_check(CU_run *s, const char *text)
{
    return cu_check(s, "templates/examples/llm-batch.json", text);
}


/* ---- the claims reader ------------------------------------------------------------- */

static void test_decimal(void **state)
{
    (void)state;
    long long m;
    int d;
    assert_int_equal(claims_decimal("0.4796", &m, &d), 0);
    assert_true(m == 4796 && d == 4);
    assert_int_equal(claims_decimal("-1.0000", &m, &d), 0);
    assert_true(m == -10000 && d == 4);
    assert_int_equal(claims_decimal("+12", &m, &d), 0);
    assert_true(m == 12 && d == 0);
    assert_int_equal(claims_decimal("123456789012345", &m, &d), 0);   /* 15 digits */
    const char *bad[] = {"", ".5", "1.", "1e-3", "abc", "1.2.3", "--1", "1 2", "0x10",
                         "1234567890123456" /* 16 digits */, "-", "1,5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (claims_decimal(bad[i], &m, &d) == 0)
            fail_msg("'%s' accepted", bad[i]);
}

static void test_json_positions(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    const char *t = "{\n  \"example\": \"ex.json\",\n  \"claims\": {\n    \"loss/4\": \"0.4796\",\n"
                    "    \"loss.mean\" : 0.7643, \"p/4/2\": \"\"\n  }\n}\n";
    claims *c = claims_load_buf(t, strlen(t), "dir/c.json", &e);
    assert_non_null(c);
    assert_string_equal(c->example, "dir/ex.json");   /* relative to the claims file */
    assert_int_equal(c->ex_line, 2);
    assert_int_equal(c->ex_col, 14);
    assert_int_equal(c->n, 3);
    assert_string_equal(c->items[0].name, "loss/4");
    assert_string_equal(c->items[0].text, "0.4796");
    assert_int_equal(c->items[0].line, 4);
    assert_int_equal(c->items[0].col, 5);
    assert_int_equal(c->items[0].vline, 4);
    assert_int_equal(c->items[0].vcol, 16);   /* inside the quotes */
    assert_string_equal(c->items[1].text, "0.7643");   /* a bare number keeps its text */
    assert_string_equal(c->items[2].text, "");         /* blank */
    assert_false(c->csv);
    claims_free(c);
}

static void test_csv(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    const char *t = "\xEF\xBB\xBF# answers of seed 7\n# example: /abs/ws.json\nname,value\n"
                    "loss/1, 0.5321\r\n\n\"sumexp/1\",\"12.5804\"\nloss.mean,\n";
    claims *c = claims_load_buf(t, strlen(t), "a.csv", &e);
    assert_non_null(c);
    assert_true(c->csv);
    assert_string_equal(c->example, "/abs/ws.json");
    assert_int_equal(c->n, 3);
    assert_string_equal(c->items[0].name, "loss/1");
    assert_string_equal(c->items[0].text, "0.5321");
    assert_int_equal(c->items[0].line, 4);
    assert_int_equal(c->items[1].text[0], '1');
    assert_string_equal(c->items[2].text, "");
    claims_free(c);
}

/* One bad input: the message names the file, line and column and says what
 * was expected. */
static void S_bad(const char *name, const char *text, const char *where, const char *what)
{
    lb_err e;
    err_clear(&e);
    claims *c = claims_load_buf(text, strlen(text), name, &e);
    if (c)
        fail_msg("accepted: %s", text);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (strncmp(e.msg, where, strlen(where)) != 0 || !strstr(e.msg, what))
        fail_msg("message '%s', expected '%s' ... '%s'", e.msg, where, what);
}

static void test_reader_errors(void **state)
{
    (void)state;
    S_bad("c.json", "{\"claims\": {\"loss/4\": \"abc\"}}", "c.json:1:24:", "expected a decimal number");
    S_bad("c.json", "{\"claims\": {\"loss/4\": \"1e-3\"}}", "c.json:1:24:", "no exponent");
    S_bad("c.json", "{\"claims\": {\"loss/4\": true}}", "c.json:1:23:", "as a string");
    S_bad("c.json", "{\"claims\": {\n\"loss/4\": \"0.5\",\n\"loss/4\": \"0.6\"}}", "c.json:3:1:",
          "duplicate claim for 'loss/4' (first claimed at line 2");
    S_bad("c.csv", "loss/4,0.5\nloss/1,0.1\nloss/4,0.6\n", "c.csv:3:1:", "duplicate claim");
    S_bad("c.json", "{\"claimz\": {}}", "c.json:1:2:", "unknown key 'claimz'");
    S_bad("c.json", "{\"example\": \"x.json\"}", "c.json:1:1:", "missing key \"claims\"");
    S_bad("c.json", "{\"claims\": {\"loss/4\" \"0.5\"}}", "c.json:1:22:", "expected ':'");
    S_bad("c.json", "{\"claims\": {\"loss/4\": \"0.5\"}} x", "c.json:1:31:", "expected end of input");
    S_bad("c.json", "{\"claims\": {\"loss 4\": \"0.5\"}}", "c.json:1:13:", "bad character ' '");
    S_bad("c.json", "{\"claims\": [1]}", "c.json:1:12:", "must be an object");
    S_bad("c.json", "{\"claims\": {\"loss/4\": \"0.5", "c.json:1:23:", "unterminated string");
    S_bad("c.csv", "loss/4;0.5\n", "c.csv:1:1:", "expected a row name,value");
    S_bad("c.csv", "loss/4,0.5,0.6\n", "c.csv:1:11:", "found a third");
    S_bad("c.csv", "name,value\nloss/4,zero\n", "c.csv:2:8:", "expected a decimal number");
    S_bad("c.csv", "\"loss/4,0.5\n", "c.csv:1:1:", "unterminated quoted field");
    S_bad("c.csv", "# example:\nloss/4,0.5\n", "c.csv:1:", "names no file");
    S_bad("c.csv", ",0.5\n", "c.csv:1:1:", "empty value name");
}

/* ---- verdicts ----------------------------------------------------------------------- */

/* check_reference.py, "== source-claims.json":
 *   slip (7): p/1/0 p/1/1 p/2/1 sumexp/3 sumexp/4 sumexp/5 loss/6
 *   further (14): loss/1 loss/2 p/3/0 p/3/1 p/3/3 loss/3 p/4/0 p/4/2 loss/4 p/5/1 p/5/2
 *                 p/5/4 loss/5 loss.sum
 *   follows (9): ptarget/1 ptarget/2 ptarget/3 p/4/1 p/4/3 p/4/4 ptarget/4 ptarget/5 loss.mean
 *   rounded (1): sumexp/1
 *   right (49)
 *   the source's six losses add up to 4.5465, mean 0.757750 */
static void test_source_claims(void **state)
{
    (void)state;
    size_t len;
    char *text = tk_read_file(tk_src("templates/examples/source-claims.json"), &len);
    assert_non_null(text);
    CU_run s;
    assert_int_equal(S_check(&s, text), 0);
    cu_exactly(&s, CHK_SLIP, "p/1/0 p/1/1 p/2/1 sumexp/3 sumexp/4 sumexp/5 loss/6");
    cu_exactly(&s, CHK_FURTHER, "loss/1 loss/2 p/3/0 p/3/1 p/3/3 loss/3 p/4/0 p/4/2 loss/4 p/5/1 "
                               "p/5/2 p/5/4 loss/5 loss.sum");
    cu_exactly(&s, CHK_FOLLOWS, "ptarget/1 ptarget/2 ptarget/3 p/4/1 p/4/3 p/4/4 ptarget/4 "
                               "ptarget/5 loss.mean");
    cu_exactly(&s, CHK_ROUNDED, "sumexp/1");
    assert_int_equal(s.r->n_right, 49);
    assert_int_equal(chk_wrong(s.r), 30);
    /* the consequences hang on the slip they come from */
    const chk_item *p41 = &s.r->items[chk_find(s.r, "p/4/1")];
    assert_string_equal(s.r->items[p41->root].claim->name, "sumexp/4");
    const chk_item *pt4 = &s.r->items[chk_find(s.r, "ptarget/4")];
    assert_string_equal(s.r->items[pt4->root].claim->name, "p/4/2");
    const chk_item *mean = &s.r->items[chk_find(s.r, "loss.mean")];
    assert_string_equal(s.r->items[mean->root].claim->name, "loss.sum");
    /* the six losses as written: 4.5465, mean 0.757750 */
    assert_true(s.r->have_losses);
    assert_float_equal(s.r->losses_sum, 4.5465, 1e-12);
    assert_float_equal(s.r->losses_mean, 0.75775, 1e-12);
    /* the true sum at position 4 (decimal: 17.1675731029) and what the
     * written exponentials give (4.4817+0.6065+9.9742+1.0000+1.1052) */
    const chk_item *s4 = &s.r->items[chk_find(s.r, "sumexp/4")];
    assert_float_equal(s4->truth, 17.1675731029, 1e-9);
    assert_true(s4->has_from);
    assert_float_equal(s4->from, 17.1676, 1e-12);
    free(text);
    cu_done(&s);
}

/* Every step of the example rounded to 4 decimals (check_reference.py
 * --write-fixtures): every claim holds. */
static void test_true_values_hold(void **state)
{
    (void)state;
    size_t len;
    char *text = tk_read_file(tk_src("tests/fixtures/check/true4.json"), &len);
    assert_non_null(text);
    CU_run s;
    assert_int_equal(S_check(&s, text), 0);
    assert_int_equal(s.r->n, 188);
    assert_int_equal(s.r->n_right, 188);
    assert_int_equal(chk_wrong(s.r), 0);
    free(text);
    cu_done(&s);
}

/* Tolerance: within one unit of the last written decimal.  loss/4 is
 * 0.5430223197 (check_reference.py), target/4 is 2. */
static void test_written_decimals(void **state)
{
    (void)state;
    static const struct {
        const char *name, *text;
        chk_status want;
    } cases[] = {
        {"loss/4", "0.5430", CHK_RIGHT},  {"loss/4", "0.5431", CHK_RIGHT},  /* 0.78 units */
        {"loss/4", "0.5429", CHK_SLIP},   /* 1.22 units */
        {"loss/4", "0.543", CHK_RIGHT},   {"loss/4", "0.54", CHK_RIGHT},
        {"loss/4", "0.6", CHK_RIGHT},     /* 0.57 units of the first decimal */
        {"loss/4", "0.4", CHK_SLIP},      {"loss/4", "0.5433", CHK_SLIP},
        {"loss/4", "1", CHK_RIGHT},       /* 0 decimals: within 1 */
        {"target/4", "2", CHK_RIGHT},     {"target/4", "2.0", CHK_RIGHT},
        {"target/4", "3", CHK_SLIP},      /* integers are exact */
        {"expz/1/3", "0.9999", CHK_RIGHT}, /* e^0 = 1: one unit below, exactly */
        {"expz/1/3", "1.0001", CHK_RIGHT}, {"expz/1/3", "0.9998", CHK_SLIP},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "{\"claims\": {\"%s\": \"%s\"}}", cases[i].name, cases[i].text);
        CU_run s;
        assert_int_equal(S_check(&s, text), 0);
        if (s.r->items[0].status != cases[i].want)
            fail_msg("%s = %s: status %d, expected %d", cases[i].name, cases[i].text,
                     (int)s.r->items[0].status, (int)cases[i].want);
        cu_done(&s);
    }
}

/* check_reference.py, case A: position 4's sum off by one, the rest
 * computed correctly from it:
 *   {'expz/4/0': '4.4817', ..., 'sumexp/4': '16.1676', 'p/4/2': '0.6169',
 *    'ptarget/4': '0.6169', 'loss/4': '0.4830', 'loss.mean': '0.7579'}
 *   slip (1): sumexp/4; follows (4): p/4/2 ptarget/4 loss/4 loss.mean; right (5) */
static void test_consequences(void **state)
{
    (void)state;
    CU_run s;
    assert_int_equal(S_check(&s, "{\"claims\": {\"expz/4/0\": \"4.4817\", \"expz/4/1\": \"0.6065\","
                                 " \"expz/4/2\": \"9.9742\", \"expz/4/3\": \"1.0000\", \"expz/4/4\":"
                                 " \"1.1052\", \"sumexp/4\": \"16.1676\", \"p/4/2\": \"0.6169\","
                                 " \"ptarget/4\": \"0.6169\", \"loss/4\": \"0.4830\", \"loss.mean\":"
                                 " \"0.7579\"}}"),
                     0);
    cu_exactly(&s, CHK_SLIP, "sumexp/4");
    cu_exactly(&s, CHK_FOLLOWS, "p/4/2 ptarget/4 loss/4 loss.mean");
    assert_int_equal(s.r->n_right, 5);
    for (size_t i = 0; i < s.r->n; i++)
        if (s.r->items[i].status == CHK_FOLLOWS)
            assert_string_equal(s.r->items[s.r->items[i].root].claim->name, "sumexp/4");
    lb_err e;
    err_clear(&e);
    char *body = chk_report_body(s.r, CHK_TEXT, &e);
    assert_non_null(body);
    /* the first wrong step with its true value and the error, then what
     * follows from it; the mean: wrong because of the slips above */
    assert_non_null(strstr(body, "The sum of exponentials is 17.1676, not 16.1676 (off by -1.0000): "
                                 "a new slip"));
    assert_non_null(strstr(body, "From there: p_2 0.5810, not 0.6169; p_target 0.5810, not 0.6169; "
                                 "the loss 0.5430, not 0.4830."));
    assert_non_null(strstr(body, "0.7579 is wrong because of the slip above: it is what your values give, 0.7579"));
    free(body);
    cu_done(&s);
}

/* check_reference.py, case B: every loss right, the mean typed wrong:
 *   slip (1): loss.mean; right (6) -- wrong on its own: the losses give
 *   the true mean 0.7679. */
static void test_mean_on_its_own(void **state)
{
    (void)state;
    CU_run s;
    assert_int_equal(S_check(&s, "{\"claims\": {\"loss/1\": \"0.5321\", \"loss/2\": \"0.4230\", "
                                 "\"loss/3\": \"0.5921\", \"loss/4\": \"0.5430\", \"loss/5\": "
                                 "\"0.7609\", \"loss/6\": \"1.7563\", \"loss.mean\": \"0.7643\"}}"),
                     0);
    cu_exactly(&s, CHK_SLIP, "loss.mean");
    assert_int_equal(s.r->n_right, 6);
    lb_err e;
    err_clear(&e);
    char *body = chk_report_body(s.r, CHK_TEXT, &e);
    assert_non_null(body);
    assert_non_null(strstr(body, "The mean: 0.7643 is wrong on its own: the mean of your losses "
                                 "is 0.7679, not 0.7643; 0.7679 is also the true mean."));
    free(body);
    cu_done(&s);
}

/* check_reference.py, case C: slip (1): sumexp/4; further (1): p/4/2
 * (9.9742 / 16.1676 = 0.6169, not 0.6179). */
static void test_further_slip(void **state)
{
    (void)state;
    CU_run s;
    assert_int_equal(S_check(&s, "{\"claims\": {\"sumexp/4\": \"16.1676\", \"p/4/2\": \"0.6179\"}}"), 0);
    cu_exactly(&s, CHK_SLIP, "sumexp/4");
    cu_exactly(&s, CHK_FURTHER, "p/4/2");
    cu_done(&s);
}

static void test_bad_names(void **state)
{
    (void)state;
    CU_run s;
    assert_int_equal(S_check(&s, "{\"claims\": {\n  \"sumexp/7\": \"1.0\"}}"), -1);
    assert_int_equal(s.e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(s.e.msg, "t.json:2:3: unknown value 'sumexp/7' (nearest known names: sumexp/6"));
    cu_done(&s);
    assert_int_equal(S_check(&s, "{\"claims\": {\"lossmean\": \"1.0\"}}"), -1);
    assert_non_null(strstr(s.e.msg, "nearest known names: loss.mean"));
    cu_done(&s);
    assert_int_equal(S_check(&s, "{\"claims\": {\"token/4\": \"1.0\"}}"), -1);
    assert_non_null(strstr(s.e.msg, "t.json:1:13: 'token/4' is text"));
    cu_done(&s);
    assert_int_equal(chk_names_distance("kitten", "sitting"), 3);
    assert_int_equal(chk_names_distance("", "abc"), 3);
    assert_int_equal(chk_names_distance("loss/4", "loss/4"), 0);
}

/* ---- the command ------------------------------------------------------------------------ */

static void test_cli_source(void **state)
{
    (void)state;
    if (!tk_need_bin("test_cli_source"))
        return;
    tk_result r = {0};
    tk_lb(&r, NULL, "check", "templates/examples/source-claims.json", NULL);
    tk_assert_exit(&r, CHK_EXIT_WRONG);
    /* true values: check_reference.py (17.1675731029, 0.5809896597,
     * 0.5430223197, 0.7679141808) */
    assert_non_null(strstr(r.out, "The sum of exponentials is 17.1676, not 16.1676 (off by -1.0000)"));
    assert_non_null(strstr(r.out, "p_target 0.5810, not 0.6179"));
    assert_non_null(strstr(r.out, "The loss is 0.5430, not 0.4796"));
    assert_non_null(strstr(r.out, "-ln 0.5871 = 0.5326"));   /* the careful reader */
    assert_non_null(strstr(r.out, "80 values checked"));
    assert_non_null(strstr(r.out, "21 slips and 9 values that follow from them"));
    assert_non_null(strstr(r.out, "The six losses as written add up to 4.5465, whose mean is 0.7578"));
    assert_non_null(strstr(r.out, "the true mean is 0.7679"));
    assert_int_equal(r.err_len, 0);
    tk_result_free(&r);
    /* all right: exit 0, JSON and CSV alike */
    tk_lb(&r, NULL, "check", "tests/fixtures/check/true4.json", NULL);
    tk_assert_exit(&r, 0);
    tk_lb(&r, NULL, "check", "--quiet", "tests/fixtures/check/true4.csv", NULL);
    tk_assert_exit(&r, 0);
    assert_int_equal(r.out_len, 0);
    tk_result_free(&r);
}

/* Bad input: exit 2, one line naming file:line:col, nothing written. */
static void S_cli_bad(const char *dir, const char *content, const char *extra, const char *frag)
{
    char claims[600], pdf[600];
    snprintf(claims, sizeof claims, "%s/c.json", dir);
    snprintf(pdf, sizeof pdf, "%s/errata.pdf", dir);
    assert_int_equal(tk_write_file(claims, content), 0);
    tk_result r = {0};
    if (extra)
        tk_lb(&r, NULL, "check", claims, "--pdf", pdf, extra, NULL);
    else
        tk_lb(&r, NULL, "check", claims, "--pdf", pdf, NULL);
    tk_assert_exit(&r, 2);
    assert_true(tk_one_line(r.err));
    if (!strstr(r.err, frag))
        fail_msg("stderr '%s' lacks '%s'", r.err, frag);
    assert_int_equal(r.out_len, 0);
    assert_int_equal(access(pdf, F_OK), -1);
    char *staging = tk_find(dir, ".staging-*");
    assert_null(staging);
    tk_result_free(&r);
}

static void test_cli_bad_input(void **state)
{
    (void)state;
    if (!tk_need_bin("test_cli_bad_input"))
        return;
    char *dir = tk_tmpdir_new("check-bad");
    char ex[700], want[800];
    snprintf(ex, sizeof ex, "{\"example\": \"%s\",\n \"claims\": {", tk_src("templates/examples/llm-batch.json"));
    char text[2048];
    snprintf(text, sizeof text, "%s\"loss/9\": \"0.5\"}}", ex);
    snprintf(want, sizeof want, "%s/c.json:2:14: unknown value 'loss/9' (nearest known names: loss/6", dir);
    S_cli_bad(dir, text, NULL, want);
    snprintf(text, sizeof text, "%s\"loss/4\": \"n/a\"}}", ex);
    snprintf(want, sizeof want, "%s/c.json:2:25: claim for 'loss/4': expected a decimal number", dir);
    S_cli_bad(dir, text, NULL, want);
    snprintf(text, sizeof text, "%s\"loss/4\": \"0.5\",\n\"loss/4\": \"0.6\"}}", ex);
    snprintf(want, sizeof want, "%s/c.json:3:1: duplicate claim for 'loss/4'", dir);
    S_cli_bad(dir, text, NULL, want);
    snprintf(want, sizeof want, "%s/c.json:1:1: no example", dir);
    S_cli_bad(dir, "{\"claims\": {\"loss/4\": \"0.5\"}}", NULL, want);
    snprintf(want, sizeof want, "%s/c.json:1:13: example '%s/nope.json': cannot open", dir, dir);
    S_cli_bad(dir, "{\"example\": \"nope.json\", \"claims\": {\"loss/4\": \"0.5\"}}", NULL, want);
    S_cli_bad(dir, "{\"claims\": {\"loss/4\": \"0.5\"}}", "--example=/nonexistent/x.json",
              "/nonexistent/x.json: cannot open");
    S_cli_bad(dir, "{\"claims\": {\"loss/4\": \"0.5\"}}", "--bogus", "unknown option '--bogus'");
    tk_tmpdir_free(dir);
}

/* The errata sheet: one or two pages, the handout's fonts, the written and
 * the true values, byte-identical when run again. */
static void test_errata_pdf(void **state)
{
    (void)state;
    if (!tk_need_bin("test_errata_pdf"))
        return;
    char *dir = tk_tmpdir_new("check-errata");
    char a[600], b[600];
    snprintf(a, sizeof a, "%s/a/errata.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    const char *env[] = {"SOURCE_DATE_EPOCH=1700000000", NULL};
    tk_opts o = {.env = env};
    tk_result r = {0};
    tk_lb(&r, &o, "check", "templates/examples/source-claims.json", "--quiet", "--pdf", a, NULL);
    tk_assert_exit(&r, CHK_EXIT_WRONG);
    tk_lb(&r, &o, "check", "templates/examples/source-claims.json", "--quiet", "--pdf", b, NULL);
    tk_assert_exit(&r, CHK_EXIT_WRONG);
    tk_assert_same(a, b);
    int pages = tk_pdf_pages(a);
    assert_true(pages >= 1 && pages <= 2);
    char *text = tk_pdftotext(a, 0, 0);
    assert_non_null(text);
    tk_squeeze(text);
    assert_non_null(strstr(text, "Errata"));
    assert_non_null(strstr(text, "16.1676 17.1676"));   /* written beside true (table row 4) */
    assert_non_null(strstr(text, "0.7643 0.7679"));     /* the mean row */
    assert_non_null(strstr(text, "Corrections"));
    free(text);
    char *fonts = tk_pdffonts(a);
    assert_non_null(fonts);
    assert_non_null(strstr(fonts, "LMRoman"));
    free(fonts);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}


/* ---- worksheets --------------------------------------------------------------- */

/* The blanks of a worksheet claims CSV ("name," rows) with their values in
 * the worksheet's example, as the catalogue formats them (4 decimals). */
typedef struct S_blank {
    char name[64], text[64];
} S_blank;

static size_t S_blanks(const char *dir, S_blank *out, size_t max)
{
    size_t len, n = 0;
    char *csv = tk_read_file(tk_path("%s/worksheet-claims.csv", dir), &len);
    assert_non_null(csv);
    lb_err e;
    err_clear(&e);
    ex_model *ex = ex_load(tk_path("%s/worksheet-example.json", dir), &e);
    assert_non_null(ex);
    assert_int_equal(ex_compute(ex, &e), 0);
    cat *c = cat_new(ex, &e);
    assert_non_null(c);
    for (char *line = strtok(csv, "\n"); line && n < max; line = strtok(NULL, "\n")) {
        size_t l = strlen(line);
        if (line[0] == '#' || !strcmp(line, "name,value") || l < 2 || line[l - 1] != ',')
            continue;
        snprintf(out[n].name, sizeof out[n].name, "%.*s", (int)(l - 1), line);
        assert_int_equal(cat_value_format(c, out[n].name, out[n].text, sizeof out[n].text, &e), 0);
        n++;
    }
    cat_free(c);
    ex_free(ex);
    free(csv);
    return n;
}

static void test_worksheet(void **state)
{
    (void)state;
    if (!tk_need_bin("test_worksheet"))
        return;
    char *dir = tk_tmpdir_new("check-ws");
    char a[600], b[600], c7[600];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(c7, sizeof c7, "%s/c", dir);
    const char *env[] = {"SOURCE_DATE_EPOCH=1700000000", NULL};
    tk_opts o = {.env = env};
    tk_result r = {0};
    tk_lb(&r, &o, "--quiet", "--out", a, "--worksheet", "--seed", "42", NULL);
    tk_assert_exit(&r, 0);
    tk_lb(&r, &o, "--quiet", "--out", b, "--worksheet", "--seed", "42", NULL);
    tk_assert_exit(&r, 0);
    /* same seed: byte-identical worksheet, key, claims and example */
    const char *files[] = {"worksheet.pdf", "worksheet-key.pdf", "worksheet-claims.csv",
                           "worksheet-example.json"};
    for (size_t i = 0; i < 4; i++) {
        char fa[700], fb[700];
        snprintf(fa, sizeof fa, "%s/%s", a, files[i]);
        snprintf(fb, sizeof fb, "%s/%s", b, files[i]);
        tk_assert_same(fa, fb);
    }
    /* seed 42 makes the same example on every machine (splitmix64, integer
     * arithmetic): the one the hand-filled answers were worked from */
    tk_assert_same(tk_path("%s/worksheet-example.json", a),
                   tk_src("tests/fixtures/check/seed42-example.json"));
    /* another seed: other logits, same shape */
    tk_lb(&r, &o, "--quiet", "--out", c7, "--worksheet", "--seed", "7", NULL);
    tk_assert_exit(&r, 0);
    size_t la, lc;
    char *ja = tk_read_file(tk_path("%s/worksheet-example.json", a), &la);
    char *jc = tk_read_file(tk_path("%s/worksheet-example.json", c7), &lc);
    assert_non_null(ja);
    assert_non_null(jc);
    assert_string_not_equal(strstr(ja, "\"logits\""), strstr(jc, "\"logits\""));
    assert_int_equal(tk_count(ja, "["), tk_count(jc, "["));   /* same shape */
    free(ja);
    free(jc);
    /* the blanks: none of their values in the worksheet, all in the key */
    S_blank bl[200];
    size_t nb = S_blanks(a, bl, 200);
    assert_int_equal(nb, 6 * (5 + 1 + 5 + 1 + 1) + 1);   /* expz, sum, p, ptarget, loss; mean */
    char *ws = tk_pdftotext(tk_path("%s/worksheet.pdf", a), 0, 0);
    char *key = tk_pdftotext(tk_path("%s/worksheet-key.pdf", a), 0, 0);
    assert_non_null(ws);
    assert_non_null(key);
    for (size_t i = 0; i < nb; i++) {
        if (strstr(ws, bl[i].text))
            fail_msg("the worksheet shows the blank %s = %s", bl[i].name, bl[i].text);
        if (!strstr(key, bl[i].text))
            fail_msg("the key lacks %s = %s", bl[i].name, bl[i].text);
    }
    /* anchors computed by hand (tests/ref/check_worksheet_fill.py, math
     * module): sum at position 1, loss at position 3, the mean */
    assert_non_null(strstr(key, "12.7966"));
    assert_non_null(strstr(key, "1.2243"));
    assert_non_null(strstr(key, "2.1680"));
    assert_non_null(strstr(ws, "seed 42"));
    assert_int_equal(tk_pdf_pages(tk_path("%s/worksheet.pdf", a)),
                     tk_pdf_pages(tk_path("%s/worksheet-key.pdf", a)));
    free(ws);
    free(key);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

/* The worksheet of seed 42 filled in by hand with one deliberate slip
 * (tests/ref/check_worksheet_fill.py: e^0.4 = 1.4918 copied as 1.4198 at
 * position 3, everything after it computed from what was written): check
 * names that slip and nothing else. */
static void test_worksheet_answers(void **state)
{
    (void)state;
    size_t len;
    char *csv = tk_read_file(tk_src("tests/fixtures/check/seed42-answers.csv"), &len);
    char *ex = tk_read_file(tk_src("tests/fixtures/check/seed42-example.json"), &len);
    assert_non_null(csv);
    assert_non_null(ex);
    CU_run s;
    memset(&s, 0, sizeof s);
    err_clear(&s.e);
    s.ex = ex_load_buf(ex, len, "seed42-example.json", &s.e);
    assert_non_null(s.ex);
    assert_int_equal(ex_compute(s.ex, &s.e), 0);
    s.c = cat_new(s.ex, &s.e);
    s.cl = claims_load_buf(csv, strlen(csv), "answers.csv", &s.e);
    assert_non_null(s.cl);
    s.r = chk_run(s.c, s.cl, &s.e);
    assert_non_null(s.r);
    cu_exactly(&s, CHK_SLIP, "expz/3/0");
    cu_exactly(&s, CHK_FURTHER, "");
    cu_exactly(&s, CHK_ROUNDED, "");
    cu_exactly(&s, CHK_FOLLOWS, "sumexp/3 p/3/0 p/3/1 p/3/2 p/3/3 p/3/4 ptarget/3 loss/3 loss.mean");
    assert_int_equal(s.r->n_right, 69);
    char *body = chk_report_body(s.r, CHK_TEXT, &s.e);
    assert_non_null(body);
    assert_non_null(strstr(body, "e^(z_0) is 1.4918, not 1.4198 (off by -0.0720): a new slip; e^0.4 = 1.4918."));
    assert_non_null(strstr(body, "wrong because of the slip above"));
    free(body);
    free(csv);
    free(ex);
    cu_done(&s);
}

static void test_worksheet_options(void **state)
{
    (void)state;
    if (!tk_need_bin("test_worksheet_options"))
        return;
    char *dir = tk_tmpdir_new("check-ws-opt");
    char out[600], big[600];
    snprintf(out, sizeof out, "%s/out", dir);
    tk_result r = {0};
    /* other blanks: only the losses and the mean; e^z and p are printed */
    tk_lb(&r, NULL, "--quiet", "--out", out, "--worksheet", "--blank", "loss,mean", NULL);
    tk_assert_exit(&r, 0);
    size_t len;
    char *csv = tk_read_file(tk_path("%s/worksheet-claims.csv", out), &len);
    assert_non_null(csv);
    assert_int_equal(tk_count(csv, "\nloss/"), 6);
    assert_int_equal(tk_count(csv, "\nloss.mean,"), 1);
    assert_int_equal(tk_count(csv, "expz/"), 0);
    assert_null(strstr(csv, "\np/"));
    free(csv);
    char *ws = tk_pdftotext(tk_path("%s/worksheet.pdf", out), 0, 0);
    assert_non_null(ws);
    /* without a seed the example is the handout's: its sum at position 4
     * (17.1676, check_reference.py) is printed, its loss (0.5430) is not */
    assert_non_null(strstr(ws, "17.1676"));
    assert_null(strstr(ws, "0.5430"));
    free(ws);
    /* bad options and a worksheet too large to work by hand: exit 2, one
     * line, nothing written */
    const char *bad[][2] = {{"--blank", "expz,soft"}, {"--seed", "-1"}, {"--seed", "x"}};
    for (size_t i = 0; i < 3; i++) {
        tk_lb(&r, NULL, "--quiet", "--out", tk_path("%s/none", dir), "--worksheet", bad[i][0],
              bad[i][1], NULL);
        tk_assert_exit(&r, 2);
        assert_true(tk_one_line(r.err));
    }
    tk_lb(&r, NULL, "--quiet", "--out", tk_path("%s/none", dir), "--seed", "3", NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "--seed makes sense only with --worksheet"));
    snprintf(big, sizeof big, "%s/big.json", dir);
    char text[4096] = "{\"logits\": [";
    for (int b = 0; b < 5; b++) {   /* 5 x 5 positions, V = 2: 25 > 24 */
        strcat(text, b ? ",[" : "[");
        for (int t = 0; t < 5; t++)
            strcat(text, t ? ",[0.1, 0.2]" : "[0.1, 0.2]");
        strcat(text, "]");
    }
    strcat(text, "], \"targets\": [[0,1,0,1,0],[0,1,0,1,0],[0,1,0,1,0],[0,1,0,1,0],[0,1,0,1,0]]}");
    assert_int_equal(tk_write_file(big, text), 0);
    tk_lb(&r, NULL, "--quiet", "--out", tk_path("%s/none", dir), "--worksheet", "--example", big,
          NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "at most 24 positions"));
    assert_int_equal(access(tk_path("%s/none", dir), F_OK), -1);
    /* an ignored target: nothing to work with unless a seed draws new ones;
     * the worksheet's example is plain (the options are not carried over) */
    assert_int_equal(tk_write_file(big, "{\"logits\": [[[2.0, 1.0, 0.1], [0.5, 2.1, -1.2]]], "
                                        "\"targets\": [[0, -100]], \"label_smoothing\": 0.1}"),
                     0);
    tk_lb(&r, NULL, "--quiet", "--out", tk_path("%s/none", dir), "--worksheet", "--example", big,
          NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "position 2 has no target to work with"));
    tk_lb(&r, NULL, "--quiet", "--out", tk_path("%s/seeded", dir), "--worksheet", "--seed", "1",
          "--example", big, NULL);
    tk_assert_exit(&r, 0);
    char *sj = tk_read_file(tk_path("%s/seeded/worksheet-example.json", dir), &len);
    assert_non_null(sj);
    assert_null(strstr(sj, "label_smoothing"));
    assert_null(strstr(sj, "tokens"));   /* the example names none */
    free(sj);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

/* ---- what check finds, as catalogue values ------------------------------------ */

/* check_reference.py on source-claims.json: 80 claims, 7 new slips and 14
 * further ones, 9 that follow; the six losses add up to 4.5465 (mean
 * 0.757750); the largest slip is the sum at position 4 (its own error
 * 16.1676 - 17.1676 against 17.1676, 5.8 %; the next, the sum of the
 * losses, 4.5855 - 4.5465 against 4.6075, 0.85 %). */
static void test_check_values(void **state)
{
    (void)state;
    size_t len;
    char *text = tk_read_file(tk_src("templates/examples/source-claims.json"), &len);
    assert_non_null(text);
    CU_run s;
    assert_int_equal(S_check(&s, text), 0);
    cat_extra_val v;
    assert_int_equal(chk_values_get(s.r, "check.claims", &v), 0);
    assert_true(!v.is_text && v.v == 80 && v.digits == 0);
    assert_int_equal(chk_values_get(s.r, "check.slips", &v), 0);
    assert_true(v.v == 21);
    assert_int_equal(chk_values_get(s.r, "check.slips.new", &v), 0);
    assert_true(v.v == 7);
    assert_int_equal(chk_values_get(s.r, "check.follows", &v), 0);
    assert_true(v.v == 9);
    assert_int_equal(chk_values_get(s.r, "check.right", &v), 0);
    assert_true(v.v == 50);
    assert_int_equal(chk_values_get(s.r, "check.main", &v), 0);
    assert_string_equal(v.text, "sumexp/4");
    assert_int_equal(chk_values_get(s.r, "check.main.pos", &v), 0);
    assert_true(v.v == 4);
    assert_int_equal(chk_values_get(s.r, "check.mean", &v), 0);
    assert_string_equal(v.text, "follows");
    assert_int_equal(chk_values_get(s.r, "check.losses.sum", &v), 0);
    assert_float_equal(v.v, 4.5465, 1e-12);
    assert_int_equal(chk_values_get(s.r, "check.claim/loss.mean", &v), 0);
    assert_string_equal(v.text, "0.7643");
    assert_int_equal(chk_values_get(s.r, "check.true/sumexp/4", &v), 0);
    assert_float_equal(v.v, 17.1675731029, 1e-9);
    assert_int_equal(v.digits, 4);
    assert_int_equal(chk_values_get(s.r, "check.from/loss/1", &v), 0);
    assert_float_equal(v.v, 0.5325601159, 1e-9);   /* -ln 0.5871 (decimal: 0.53256011591...) */
    assert_int_equal(chk_values_get(s.r, "check.status/loss/1", &v), 0);
    assert_string_equal(v.text, "further");
    /* the row of probabilities written at position 4: 0.2776 + 0.0375 +
     * 0.6179 + 0.0618 + 0.0683 = 1.0631 (by hand) */
    assert_int_equal(chk_values_get(s.r, "check.psum/4", &v), 0);
    assert_float_equal(v.v, 1.0631, 1e-12);
    assert_int_equal(v.digits, 4);
    assert_int_equal(chk_values_get(s.r, "check.psum/7", &v), -1);
    assert_int_equal(chk_values_get(s.r, "check.claim/loss/9", &v), -1);
    assert_int_equal(chk_values_get(s.r, "check.nonsense", &v), -1);
    assert_int_equal(chk_values_get(s.r, "loss.mean", &v), -1);
    free(text);
    cu_done(&s);
}

/* A template that names a claims file prints what check finds; without
 * one, check.* is an error that says what is missing; a claims file that
 * cannot be read is an error at the front matter line. */
static void test_template_claims(void **state)
{
    (void)state;
    if (!tk_need_bin("test_template_claims"))
        return;
    char *dir = tk_tmpdir_new("check-tpl");
    char tpl[600], out[600], cl[600];
    snprintf(tpl, sizeof tpl, "%s/t.md", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(cl, sizeof cl, "%s/c.json", dir);
    char text[2048];
    snprintf(text, sizeof text, "{\"example\": \"%s\", \"claims\": {\"loss/4\": \"0.4796\", "
             "\"sumexp/4\": \"16.1676\"}}", tk_src("templates/examples/llm-batch.json"));
    assert_int_equal(tk_write_file(cl, text), 0);
    assert_int_equal(tk_write_file(tpl, "---\ntitle: T\nclaims: c.json\n---\n\nSlips: "
                                        "[n](value:check.slips), largest [m](value:check.main), "
                                        "true [t](value:check.true/loss/4).\n"),
                     0);
    tk_result r = {0};
    tk_lb(&r, NULL, "--quiet", "--out", out, "--template", tpl, NULL);
    tk_assert_exit(&r, 0);
    char *pdf = tk_pdftotext(tk_path("%s/report.pdf", out), 0, 0);
    assert_non_null(pdf);
    tk_squeeze(pdf);
    /* sumexp/4 a new slip, loss/4 a further one (the wrong sum gives
     * -ln(e^2.3 / 16.1676) = 0.4830, not 0.4796); true loss 0.5430
     * (check_reference.py) */
    assert_non_null(strstr(pdf, "Slips: 2, largest sumexp/4, true 0.5430."));
    free(pdf);
    /* no claims: check.* names what is missing */
    assert_int_equal(tk_write_file(tpl, "---\ntitle: T\n---\n\nSlips: [n](value:check.slips).\n"), 0);
    tk_lb(&r, NULL, "--quiet", "--out", out, "--template", tpl, NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "t.md:5:8: unknown value 'check.slips': check.* values need"));
    /* a missing claims file: at the front matter line */
    assert_int_equal(tk_write_file(tpl, "---\ntitle: T\nclaims: nope.json\n---\n\nx\n"), 0);
    tk_lb(&r, NULL, "--quiet", "--out", out, "--template", tpl, NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "t.md:3:9: claims file"));
    assert_true(tk_one_line(r.err));
    /* an unknown check value */
    assert_int_equal(tk_write_file(tpl, "---\nclaims: c.json\n---\n\n[n](value:check.slipz)\n"), 0);
    tk_lb(&r, NULL, "--quiet", "--out", out, "--template", tpl, NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "unknown value 'check.slipz' (known: check.claims"));
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_json_positions),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_reader_errors),
        cmocka_unit_test(test_source_claims),
        cmocka_unit_test(test_true_values_hold),
        cmocka_unit_test(test_written_decimals),
        cmocka_unit_test(test_consequences),
        cmocka_unit_test(test_mean_on_its_own),
        cmocka_unit_test(test_further_slip),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_cli_source),
        cmocka_unit_test(test_cli_bad_input),
        cmocka_unit_test(test_errata_pdf),
        cmocka_unit_test(test_worksheet),
        cmocka_unit_test(test_worksheet_answers),
        cmocka_unit_test(test_worksheet_options),
        cmocka_unit_test(test_check_values),
        cmocka_unit_test(test_template_claims),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
