/* Tests for src/doc/cond.c: conditional blocks and claims in templates.
 *
 * The example (S_JSON below): one sequence of two positions over three
 * tokens, logits [0, 0, 0] and [2, 0, 0], targets 0 and 1.  By hand:
 *   loss/1 = ln 3               = 1.0986122887  (uniform over three tokens)
 *   loss/2 = ln(e^2 + 2) - 0    = 2.23954476622188450487 (mpmath, 30 digits)
 * so position 2 has the larger loss, its favourite is token 0 (not the
 * target 1), and position 1's favourite is token 0 (the first of three
 * equal logits), which is its target.
 * Each case renders the processed template as Markdown (render_md) and
 * compares it whole. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compute/catalog.h"
#include "compute/example.h"
#include "doc/cond.h"
#include "doc/doc.h"
#include "doc/mdparse.h"
#include "doc/render_md.h"
#include "doc/resolve.h"

static const char *S_JSON =
    "{\"logits\": [[[0, 0, 0], [2, 0, 0]]], \"targets\": [[0, 1]], \"tokens\": [\"a\", \"b\", \"c\"]}";

typedef struct T_env {
    ex_model *m;
    cat *c;
} T_env;

static T_env S_env;

static int S_setup(void **state)
{
    lb_err e;
    err_clear(&e);
    S_env.m = ex_load_buf(S_JSON, strlen(S_JSON), "x.json", &e);
    if (!S_env.m || ex_compute(S_env.m, &e) != 0 || !(S_env.c = cat_new(S_env.m, &e))) {
        fprintf(stderr, "setup: %s\n", e.msg);
        return -1;
    }
    *state = &S_env;
    return 0;
}

static int S_teardown(void **state)
{
    (void)state;
    cat_free(S_env.c);
    ex_free(S_env.m);
    return 0;
}

/* Parse, apply, renumber, resolve, render to Markdown; returns the Markdown
 * (caller frees) or NULL with e set. */
static char *S_run(const char *tpl, lb_err *e)
{
    err_clear(e);
    doc *d = mdp_parse("t.md", tpl, strlen(tpl), e);
    if (!d)
        return NULL;
    char *out = NULL;
    size_t len = 0;
    if (cond_apply(d, S_env.c, e) == 0 && doc_number(d, e) == 0 && res_check(d, S_env.c, e) == 0) {
        FILE *f = open_memstream(&out, &len);
        if (mdr_render(d, S_env.c, f, e) != 0) {
            fclose(f);
            free(out);
            out = NULL;
        } else {
            fclose(f);
        }
    }
    doc_free(d);
    return out;
}

static void S_expect(const char *tpl, const char *want)
{
    lb_err e;
    char *got = S_run(tpl, &e);
    if (!got)
        fail_msg("template failed: %s\n%s", e.msg, tpl);
    if (strcmp(got, want) != 0)
        fail_msg("template:\n%s\ngot:\n%s\nwant:\n%s", tpl, got, want);
    free(got);
}

static void S_expect_error(const char *tpl, const char *want)
{
    lb_err e;
    char *got = S_run(tpl, &e);
    if (got) {
        fail_msg("template succeeded:\n%s\noutput:\n%s", tpl, got);
    }
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (strncmp(e.msg, want, strlen(want)) != 0)   /* want may stop early */
        fail_msg("message\n  %s\nexpected\n  %s", e.msg, want);
}

static void test_inline_branches(void **state)
{
    (void)state;
    S_expect("Position 2 is <!-- if loss/2 > loss/1 -->worse<!-- else -->better<!-- end --> than 1.\n",
             "Position 2 is worse than 1.\n");
    S_expect("Position 1 is <!-- if loss/1 > loss/2 -->worse<!-- else -->better<!-- end --> than 2.\n",
             "Position 1 is better than 2.\n");
    /* elif chains take the first that holds; "else if" is the same */
    S_expect("At 2 the model <!-- if argmax/2 == target/2 -->is right<!-- elif rank/2 == 2 -->"
             "ranks it second<!-- else if rank/2 == 3 -->ranks it last<!-- end -->.\n",
             "At 2 the model ranks it second.\n");
    /* a removed marker leaves no double space and no space before a line end */
    S_expect("One <!-- if 0 -->two <!-- end -->three <!-- claim shape.N == 2 -->\nfour.\n",
             "One three\nfour.\n");
}

static void test_block_branches_and_numbering(void **state)
{
    (void)state;
    /* the dropped branch names step/9 and loss/7, which this example lacks:
     * never resolved, and its heading and table take no number */
    lb_err e;
    char *got = S_run("# One\n\n"
                      "<!-- if shape.N > 6 -->\n\n"
                      "# Dropped\n\n"
                      "[](table:step/9)\n\n"
                      "Loss [x](value:loss/7).\n\n"
                      "<!-- end -->\n\n"
                      "# Two {-}\n\n"
                      "# Three\n\n"
                      "[](table:step/2)\n\n"
                      "# Appendix: Four\n", &e);
    if (!got)
        fail_msg("%s", e.msg);
    assert_null(strstr(got, "Dropped"));
    assert_non_null(strstr(got, "# 1 One\n\n# Two\n\n# 2 Three\n\n**Table 1.** Position 2"));
    assert_non_null(strstr(got, "\n# A Four\n"));
    free(got);
}

static void test_nesting_and_emptied_containers(void **state)
{
    (void)state;
    S_expect("- first\n"
             "- <!-- if shape.V == 2 -->gone<!-- end -->\n"
             "- <!-- if shape.V == 3 -->kept <!-- if shape.T == 5 -->not<!-- else -->nested<!-- end --><!-- end -->\n",
             "- first\n"
             "- kept nested\n");
    /* a quote emptied by a block condition goes with it */
    S_expect("<!-- if 0 -->\n\n> boxed\n\n<!-- end -->\n\nafter\n", "after\n");
    /* a plain comment disappears, in a paragraph of its own or inline */
    S_expect("<!-- a note to the author -->\n\nText<!-- another --> here.\n", "Text here.\n");
}

static void test_claims(void **state)
{
    (void)state;
    S_expect("Position 2 is the worst. <!-- claim loss/2 > loss/1 && argmax/2 != target/2 -->\n",
             "Position 2 is the worst.\n");
    S_expect_error("Position 1 is the worst. <!-- claim loss/1 > loss/2 -->\n",
                   "t.md:1:37: claim 'loss/1 > loss/2' is false: loss/1 = 1.098612289, "
                   "loss/2 = 2.239544766");
    /* a claim in a branch that is not taken is not checked */
    S_expect("<!-- if 0 --><!-- claim 1 == 2 --><!-- end -->Fine.\n", "Fine.\n");
    /* a claim on a text value */
    S_expect("<!-- claim token/2 == \"b\" -->Target b.\n", "Target b.\n");
}

static void test_errors(void **state)
{
    (void)state;
    S_expect_error("a <!-- if loss/2 > -->b<!-- end -->\n",
                   "t.md:1:20: expected a value name, a number, a string or '(' but the condition ends here");
    S_expect_error("a <!-- if loss/9 > 1 -->b<!-- end -->\n",
                   "t.md:1:11: unknown value 'loss/9' (known: ");
    S_expect_error("a <!-- if token/1 -->b<!-- end -->\n",
                   "t.md:1:11: a condition must be a number or a comparison, not text");
    S_expect_error("text\n\na <!-- if 1 -->b\n",
                   "t.md:3:3: '<!-- if ... -->' without its '<!-- end -->' in the same paragraph "
                   "(an inline condition ends in the paragraph where it starts; put block-level "
                   "markers in paragraphs of their own)");
    S_expect_error("a <!-- else --> b\n",
                   "t.md:1:3: '<!-- else -->' without an '<!-- if ... -->' before it in the same paragraph");
    S_expect_error("<!-- if 1 -->\n\n> box\n<!-- end -->\n",
                   "t.md:4:1: '<!-- end -->' without an '<!-- if ... -->' before it in the same paragraph "
                   "(a line right after a quote or list continues it: leave a blank line before a "
                   "block-level marker)");
    S_expect_error("a <!-- if 1 -->b<!-- else -->c<!-- elif 1 -->d<!-- end -->\n",
                   "t.md:1:31: '<!-- elif -->' after the '<!-- else -->' of this condition");
    /* an error on the second line of a comment is placed there */
    S_expect_error("a <!-- if shape.N == 2 &&\n  loss/1 >> 1 -->b<!-- end -->\n",
                   "t.md:2:11: expected a value name, a number, a string or '(', found '>'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inline_branches),
        cmocka_unit_test(test_block_branches_and_numbering),
        cmocka_unit_test(test_nesting_and_emptied_containers),
        cmocka_unit_test(test_claims),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
