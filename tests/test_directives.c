/* Tests for the template directives: parsing (src/doc/mdparse.c), checking
 * against the catalog (src/doc/resolve.c) and value formatting through it.
 *
 * Catalog values come from tests/fixtures/md/tiny.json: one position, V = 2,
 * logits [1, 0], target 0.  By hand (python3 decimal, 40 digits):
 *   p_target = e / (e + 1)        = 0.73105857863000487925...
 *   loss     = ln(1 + e^-1)       = 0.31326168751822283404...
 * so loss.mean = "0.3133" (4 digits, the default), "0.313262" at 6 digits,
 * "0.3" at 1 digit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compute/catalog.h"
#include "doc/doc.h"
#include "compute/example.h"
#include "plot/figures.h"
#include "doc/mdparse.h"
#include "doc/render_md.h"
#include "doc/resolve.h"
#include "mdtest_util.h"

static void test_parse_each_kind(void **state)
{
    (void)state;
    lb_err e;
    /* line 1: image at col 1; line 3: link at col 1; line 5: the value
     * link after "Mean " (5 columns) at col 6; "?digits=2" -> digits 2. */
    doc *d = T_parse("![Softmax of $z$](figure:softmax3?width=0.8)\n\n"
                     "[](table:step/4)\n\n"
                     "Mean [*0.77*](value:loss.mean?digits=2) nats.\n\n"
                     "![Again](figure:exp)\n", &e);
    if (!d)
        fail_msg("%s", e.msg);
    char *got = T_dump(d);
    assert_string_equal(got,
        "document@1:1\n"
        "  figure@1:1 name=\"softmax3\" width=0.8 number=1\n"
        "    text@1:3 text=\"Softmax of \"\n"
        "    math@1:14 text=\"z\"\n"
        "  gentable@3:1 name=\"step/4\" number=1\n"
        "  paragraph@5:1\n"
        "    text@5:1 text=\"Mean \"\n"
        "    value@5:6 name=\"loss.mean\" spec=\"loss.mean?digits=2\" "
        "digits=2\n"
        "    text@5:40 text=\" nats.\"\n"
        "  figure@7:1 name=\"exp\" width=1 number=2\n"
        "    text@7:3 text=\"Again\"\n");
    free(got);
    assert_int_equal(d->n_figures, 2);
    assert_int_equal(d->n_gentables, 1);
    doc_free(d);
}

static void test_values_in_headings_and_cells(void **state)
{
    (void)state;
    lb_err e;
    doc *d = T_parse("# Loss [x](value:loss.mean)\n\n| a |\n|---|\n"
                     "| [y](value:loss.sum) |\n", &e);
    assert_non_null(d);
    const doc_node *h = d->root->first_child;
    assert_int_equal(h->last_child->type, DOC_VALUE);
    assert_int_equal(h->last_child->col, 8);
    const doc_node *cell = d->root->last_child->last_child->first_child;
    assert_int_equal(cell->first_child->type, DOC_VALUE);
    assert_string_equal(cell->first_child->name, "loss.sum");
    /* "| [y]..." on line 5: '[' at col 3 */
    assert_int_equal(cell->first_child->line, 5);
    assert_int_equal(cell->first_child->col, 3);
    doc_free(d);
}

static void S_err(const char *src, const char *msg)
{
    lb_err e;
    doc *d = T_parse(src, &e);
    if (d) {
        doc_free(d);
        fail_msg("no error for: %s", src);
    }
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_string_equal(e.msg, msg);
}

static void test_parse_errors(void **state)
{
    (void)state;
    /* columns: "see " is 4 columns -> directive at col 5 */
    S_err("see ![a](figure:exp) here\n",
          "t.md:1:5: figure directive must stand alone in its own paragraph "
          "(blank lines before and after it)");
    S_err("text\n[a](table:summary)\n",
          "t.md:2:1: table directive must stand alone in its own paragraph "
          "(blank lines before and after it)");
    S_err("## H ![a](figure:exp)\n",
          "t.md:1:6: figure directive must stand alone in its own paragraph "
          "(not inside a heading)");
    S_err("| a |\n|---|\n| [c](table:x) |\n",
          "t.md:3:3: table directive must stand alone in its own paragraph "
          "(not inside a table cell)");
    S_err("[![a](figure:exp)](http://x.org)\n",
          "t.md:1:2: figure directive must stand alone in its own paragraph "
          "(blank lines before and after it)");
    S_err("\n\n![a](figure:)\n",
          "t.md:3:1: empty figure name (expected ![caption](figure:NAME))");
    S_err("[](table:)\n",
          "t.md:1:1: empty table name (expected [caption](table:NAME))");
    S_err("x [v](value:?digits=2)\n",
          "t.md:1:3: empty value name (expected [text](value:NAME))");
    S_err("![a](<figure:a b>)\n",
          "t.md:1:1: bad character ' ' in figure name (allowed: letters, "
          "digits, '_', '.', '-', '/')");
    S_err("![a](figure:exp?width=1.5)\n",
          "t.md:1:1: bad width '1.5' in figure directive (expected a number "
          "> 0 and <= 1, e.g. figure:NAME?width=0.8)");
    S_err("![a](figure:exp?width=0)\n",
          "t.md:1:1: bad width '0' in figure directive (expected a number "
          "> 0 and <= 1, e.g. figure:NAME?width=0.8)");
    S_err("![a](figure:exp?width=)\n",
          "t.md:1:1: bad width '' in figure directive (expected a number "
          "> 0 and <= 1, e.g. figure:NAME?width=0.8)");
    S_err("![a](figure:exp?width=nan)\n",
          "t.md:1:1: bad width 'nan' in figure directive (expected a number "
          "> 0 and <= 1, e.g. figure:NAME?width=0.8)");
    S_err("![a](figure:exp?height=1)\n",
          "t.md:1:1: unknown option 'height' in figure directive (expected "
          "width=W or name=LABEL)");
    S_err("![a](figure:exp?width=0.5&width=0.6)\n",
          "t.md:1:1: option 'width' given twice in figure directive");
    S_err("[a](table:summary?digits=2)\n",
          "t.md:1:1: unknown option 'digits' in table directive (expected "
          "first=K, worst=W or name=LABEL)");
    S_err("[](table:step/*?first=0)\n",
          "t.md:1:1: bad count '0' in table directive (expected a whole "
          "number from 1 to 9999999, e.g. table:step/*?first=6)");
    /* qa row 11: a whole number >= 1 that is too large names the limit */
    S_err("[](table:step/*?first=1000000000)\n",
          "t.md:1:1: bad count '1000000000' in table directive (expected a whole "
          "number from 1 to 9999999, e.g. table:step/*?first=6)");
    S_err("[](table:step/*?first=2&first=3)\n",
          "t.md:1:1: option 'first' given twice in table directive");
    S_err("x [a](value:loss.mean?digits=18)\n",
          "t.md:1:3: bad digits '18' in value directive (expected an integer "
          "from 0 to 17, e.g. value:NAME?digits=3)");
    S_err("x [a](value:loss.mean?digits=-1)\n",
          "t.md:1:3: bad digits '-1' in value directive (expected an integer "
          "from 0 to 17, e.g. value:NAME?digits=3)");
    S_err("x [a](value:loss.mean?precision=2)\n",
          "t.md:1:3: unknown option 'precision' in value directive (expected "
          "digits=N or unit=S,P)");
    S_err("x [a](value:shape.N?unit=position)\n",
          "t.md:1:3: bad unit 'position' in value directive (expected "
          "unit=SINGULAR,PLURAL, e.g. value:shape.N?unit=position,positions)");
    S_err("[a](figure:exp)\n",
          "t.md:1:1: figure directive must use image syntax: "
          "![caption](figure:NAME)");
    S_err("![a](table:summary)\n",
          "t.md:1:1: table directive must use link syntax (no '!'): "
          "[caption](table:NAME)");
    S_err("x ![a](value:loss.mean)\n",
          "t.md:1:3: value directive must use link syntax (no '!'): "
          "[text](value:NAME)");
}

static void S_res_err(T_env *env, const char *src, const char *msg)
{
    lb_err e;
    doc *d = T_parse(src, &e);
    if (!d)
        fail_msg("parse: %s", e.msg);
    assert_int_equal(res_check(d, env->c, &e), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_string_equal(e.msg, msg);
    doc_free(d);
}

static void test_resolve(void **state)
{
    T_env *env = *state;
    char want[1024];
    lb_err e;
    doc *d = T_parse("# A\n\n![x](figure:softmax3)\n\n[t](table:summary)\n\n"
                     "[](table:step/1)\n\nv [x](value:loss.mean?digits=3) "
                     "[y](value:token/1)\n", &e);
    assert_non_null(d);
    assert_int_equal(res_check(d, env->c, &e), 0);
    doc_free(d);

    /* line 3, col 1 */
    snprintf(want, sizeof want, "t.md:3:1: unknown table 'stpe/4' (known: %s)",
             cat_known_tables(env->c));
    S_res_err(env, "Intro.\n\n[t](table:stpe/4)\n", want);
    /* the example has one position: step/2 does not exist */
    snprintf(want, sizeof want, "t.md:1:1: unknown table 'step/2' (known: %s)",
             cat_known_tables(env->c));
    S_res_err(env, "[t](table:step/2)\n", want);
    snprintf(want, sizeof want, "t.md:2:1: unknown figure 'softmax5' "
             "(known: %s)", fig_known_names());
    S_res_err(env, "\n![x](figure:softmax5)\n", want);
    assert_non_null(strstr(want, "exp, softmax3, softmax4, logp, neglogp, "
                                 "points"));
    /* values: the catalog's own message, located at the directive */
    d = T_parse("x\ny [v](value:loss.meen)\n", &e);
    assert_non_null(d);
    assert_int_equal(res_check(d, env->c, &e), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_int_equal(strncmp(e.msg, "t.md:2:3: ", 10), 0);
    assert_non_null(strstr(e.msg, "loss.meen"));
    doc_free(d);
}

static char *S_render(T_env *env, const char *src)
{
    lb_err e;
    doc *d = T_parse(src, &e);
    if (!d)
        fail_msg("parse: %s", e.msg);
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    assert_non_null(f);
    int rc = mdr_render(d, env->c, f, &e);
    fclose(f);
    if (rc < 0)
        fail_msg("render: %s", e.msg);
    doc_free(d);
    return s;
}

static void test_value_formatting(void **state)
{
    T_env *env = *state;
    /* see the header comment for the derivation of these numbers */
    char *s = S_render(env, "L = [x](value:loss.mean), "
                            "[x](value:loss.mean?digits=6), "
                            "[x](value:loss.mean?digits=1); "
                            "p = [x](value:ptarget/1?digits=5); "
                            "token [x](value:tokenname/1).\n");
    /* ptarget = 0.731058578... -> 0.73106; token 1 is "no_*" (escaped) */
    assert_string_equal(s, "L = 0.3133, 0.313262, 0.3; p = 0.73106; "
                           "token no\\_\\*.\n");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_each_kind),
        cmocka_unit_test(test_values_in_headings_and_cells),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_value_formatting),
    };
    return cmocka_run_group_tests(tests, T_env_setup, T_env_teardown);
}
