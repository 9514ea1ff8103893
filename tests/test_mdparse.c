/* Tests for src/doc/mdparse.c and src/doc/doc.c.
 *
 * Fixture dumps in tests/fixtures/md/NAME.dump were written by hand: every
 * line:column was derived from the fixture text (python3: 1 + the index of
 * the token in its line, e.g. line 8 of basic.md, '*emph*' at index 52 ->
 * col 53), following the position rules of mdparse.h: a block takes the
 * position of its first text, a span steps back over its opening delimiter,
 * a node without text (break, empty cell) takes the end of the last text.
 * Inline expectations below are derived the same way (noted per test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "doc/doc.h"
#include "doc/mdparse.h"
#include "mdtest_util.h"

static void S_check_fixture(const char *stem)
{
    char md[256], dump[256];
    snprintf(md, sizeof md, "%s.md", stem);
    snprintf(dump, sizeof dump, "%s.dump", stem);
    lb_err e;
    err_clear(&e);
    char *want = tk_read_file(T_fixture(dump), NULL);
    assert_non_null(want);
    doc *d = mdp_parse_file(T_fixture(md), &e);
    if (!d)
        fail_msg("%s", e.msg);
    char *got = T_dump(d);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    free(want);
    doc_free(d);
}

static void test_fixture_basic(void **s) { (void)s; S_check_fixture("basic"); }
static void test_fixture_lists(void **s) { (void)s; S_check_fixture("lists"); }
static void test_fixture_table(void **s) { (void)s; S_check_fixture("table"); }
static void test_fixture_math(void **s) { (void)s; S_check_fixture("math"); }
static void test_fixture_numbering(void **s)
{
    (void)s;
    S_check_fixture("numbering");
}

/* Parse src, expect failure with exactly msg and code. */
static void S_expect_error(const char *src, size_t len, int code,
                           const char *msg)
{
    lb_err e;
    err_clear(&e);
    doc *d = mdp_parse("t.md", src, len, &e);
    assert_null(d);
    assert_int_equal(e.code, code);
    assert_string_equal(e.msg, msg);
}

static void test_entities(void **s)
{
    (void)s;
    lb_err e;
    /* &#65; = 'A'; &#x1F600; = U+1F600 = F0 9F 98 80; &#0; -> U+FFFD
     * (CommonMark); &alpha; = U+03B1 = CE B1; &bogus; is no entity. */
    doc *d = T_parse("&#65;&#x1F600;&#0;&alpha;&bogus; &amp;lt;", &e);
    assert_non_null(d);
    const doc_node *t = d->root->first_child->first_child;
    assert_int_equal(t->type, DOC_TEXT);
    assert_string_equal(t->text, "A\xF0\x9F\x98\x80\xEF\xBF\xBD\xCE\xB1"
                                 "&bogus; &lt;");
    assert_null(t->next);   /* runs are merged into one text node */
    doc_free(d);
}

static void test_utf8_errors(void **s)
{
    (void)s;
    /* 'ab\ncd' then C3 followed by '(' (not a continuation): line 2,
     * column 3. */
    S_expect_error("ab\ncd\xC3(", 7, LB_EXIT_INPUT,
                   "t.md:2:3: invalid UTF-8 byte 0xC3 (the template must be "
                   "UTF-8 text)");
    /* overlong '/' (C0 AF) at 1:1 */
    S_expect_error("\xC0\xAF", 2, LB_EXIT_INPUT,
                   "t.md:1:1: invalid UTF-8 byte 0xC0 (the template must be "
                   "UTF-8 text)");
    /* UTF-16 surrogate U+D800 (ED A0 80) after 'é' (2 bytes, 1 column):
     * column 2 */
    S_expect_error("\xC3\xA9\xED\xA0\x80", 5, LB_EXIT_INPUT,
                   "t.md:1:2: invalid UTF-8 byte 0xED (the template must be "
                   "UTF-8 text)");
    /* truncated 3-byte sequence at the end */
    S_expect_error("x\n\xE2\x82", 4, LB_EXIT_INPUT,
                   "t.md:2:1: invalid UTF-8 byte 0xE2 (the template must be "
                   "UTF-8 text)");
    S_expect_error("a\0b", 3, LB_EXIT_INPUT,
                   "t.md:1:2: NUL byte in the template (expected UTF-8 "
                   "text)");
    /* valid 4-byte sequence passes */
    lb_err e;
    doc *d = T_parse("\xF0\x9F\x98\x80 ok", &e);
    assert_non_null(d);
    doc_free(d);
}

static void test_unterminated_display_math(void **s)
{
    (void)s;
    const char *m = "unterminated display math: '$$' without a closing '$$' "
                    "in the same paragraph (write \\$ for a literal dollar "
                    "sign)";
    char want[512];
    /* line 3 "see $$x + 1": '$$' at index 4 -> col 5 */
    const char *a = "Price\n\nsee $$x + 1\n";
    snprintf(want, sizeof want, "t.md:3:5: %s", m);
    S_expect_error(a, strlen(a), LB_EXIT_INPUT, want);
    /* a closing $$ in the NEXT paragraph does not close it: error at 1:1 */
    const char *b = "$$\nx\n\ny\n$$\n";
    snprintf(want, sizeof want, "t.md:1:1: %s", m);
    S_expect_error(b, strlen(b), LB_EXIT_INPUT, want);
    /* a "+ c" line starts a list and so ends the paragraph of the $$ */
    const char *c = "$$ a\n+ c $$\n";
    S_expect_error(c, strlen(c), LB_EXIT_INPUT, want);
    /* md4c 0.4.8 takes "$\n$$$\nq\n$" as ONE inline math span holding
     * "$$$": rejected at the span (1:1) */
    const char *m2 = "$\n$$$\nq\n$\n";
    S_expect_error(m2, strlen(m2), LB_EXIT_INPUT,
                   "t.md:1:1: unexpected '$' inside math (a formula cannot "
                   "contain an unescaped dollar sign; write \\$)");
    /* an escaped dollar inside math is TeX's dollar sign: kept */
    lb_err e0;
    doc *d0 = T_parse("a $x\\$5$ b", &e0);
    assert_non_null(d0);
    assert_string_equal(d0->root->first_child->first_child->next->text,
                        "x\\$5");
    doc_free(d0);
    /* escaped dollars are fine: \$\$ and \$$ (one literal '$' each) */
    lb_err e;
    doc *d = T_parse("cost \\$\\$ and \\$5 and \\$$ x", &e);
    assert_non_null(d);
    assert_string_equal(d->root->first_child->first_child->text,
                        "cost $$ and $5 and $$ x");
    doc_free(d);
}

static void test_front_matter(void **s)
{
    (void)s;
    lb_err e;
    doc *d = T_parse("---\ntitle: 'It''s'\nsubject: Softmax  \n"
                     "keywords: \"a, \\\"b\\\"\"\n# comment\n\n---\nBody\n",
                     &e);
    assert_non_null(d);
    assert_string_equal(d->meta.title, "It's");
    assert_string_equal(d->meta.subject, "Softmax");
    assert_string_equal(d->meta.keywords, "a, \"b\"");
    assert_null(d->meta.author);
    assert_null(d->meta.date);
    /* "Body" on line 8 */
    assert_int_equal(d->root->first_child->line, 8);
    doc_free(d);

    const char *a = "---\ntitle: x\n";
    S_expect_error(a, strlen(a), LB_EXIT_INPUT,
                   "t.md:1:1: front matter opened by '---' is never closed "
                   "(expected a line '---' after the 'key: value' lines)");
    const char *b = "---\n  titel: x\n---\n";
    S_expect_error(b, strlen(b), LB_EXIT_INPUT,
                   "t.md:2:3: unknown front matter key 'titel' (expected one "
                   "of: title, author, subject, keywords, date, lang, claims)");
    const char *c = "---\ntitle: \"x\n---\n";
    S_expect_error(c, strlen(c), LB_EXIT_INPUT,
                   "t.md:2:8: unterminated quoted value in front matter "
                   "(expected a closing \")");
    const char *f = "---\ntitle: a\ntitle: b\n---\n";
    S_expect_error(f, strlen(f), LB_EXIT_INPUT,
                   "t.md:3:1: duplicate front matter key 'title'");
    const char *g = "---\njust text\n---\n";
    S_expect_error(g, strlen(g), LB_EXIT_INPUT,
                   "t.md:2:1: expected 'key: value' in front matter (keys: "
                   "title, author, subject, keywords, date, lang, claims)");
    /* lang: a known language (the part before '-' decides), else an error
     * at the value */
    const char *l = "---\nlang: xx\n---\n";
    S_expect_error(l, strlen(l), LB_EXIT_INPUT,
                   "t.md:2:7: unknown language 'xx' (expected one of: en, zh)");
    d = T_parse("---\nlang: zh-CN\n---\n# \xE9\x99\x84\xE5\xBD\x95\xEF\xBC\x9A"
                "GAN\n", &e);
    assert_non_null(d);
    assert_string_equal(d->meta.lang, "zh-CN");
    /* "# 附录：GAN" is appendix A in a Chinese template */
    assert_string_equal(d->root->first_child->secnum, "\xE9\x99\x84\xE5\xBD\x95 A");
    doc_free(d);
    /* '---' later in the file is a thematic break, not front matter */
    d = T_parse("x\n\n---\n", &e);
    assert_non_null(d);
    assert_int_equal(d->root->last_child->type, DOC_HRULE);
    assert_int_equal(d->root->last_child->line, 3);
    doc_free(d);
}

static void test_code_block_and_rules(void **s)
{
    (void)s;
    lb_err e;
    /* fence on line 1 -> code block at 1:1; rules on lines 6, 7, 9 */
    doc *d = T_parse("```c\nint x;\n\n```\n\n---\n***\n\n_ _ _\n", &e);
    assert_non_null(d);
    char *got = T_dump(d);
    assert_string_equal(got,
                        "document@1:1\n"
                        "  code_block@1:1 info=\"c\" text=\"int x;\\n\"\n"
                        "  hrule@6:1\n"
                        "  hrule@7:1\n"
                        "  hrule@9:1\n");
    free(got);
    doc_free(d);
}

static void test_tab_indented_code(void **s)
{
    (void)s;
    lb_err e;
    /* md4c expands the tabs of code indentation from a static string of
     * spaces, 16 at a time: 5 tabs = 20 columns, minus the 4 of the code
     * block's own indentation -> 16 spaces, then 40 tabs -> 156 spaces */
    doc *d = T_parse("\t\t\t\t\tx\n", &e);
    if (!d)
        fail_msg("%s", e.msg);
    assert_string_equal(d->root->first_child->text, "                x");
    doc_free(d);
    char src[64];
    memset(src, '\t', 40);
    strcpy(src + 40, "y\n");
    d = T_parse(src, &e);
    if (!d)
        fail_msg("%s", e.msg);
    assert_int_equal(d->root->first_child->text_len, 156 + 1);
    doc_free(d);
}

static void test_crlf_and_empty(void **s)
{
    (void)s;
    lb_err e;
    doc *d = T_parse("", &e);
    assert_non_null(d);
    assert_null(d->root->first_child);
    doc_free(d);
    d = T_parse("# T\r\n\r\nline *a*\r\nnext\r\n", &e);
    assert_non_null(d);
    char *got = T_dump(d);
    /* 'line ' is 5 columns, so the emphasis opens at 3:6; the soft break
     * takes the end of the last text 'a' (col 7 + 1 = 8, the closing '*') */
    assert_string_equal(got,
                        "document@1:1\n"
                        "  heading@1:1 level=1 secnum=\"1\"\n"
                        "    text@1:3 text=\"T\"\n"
                        "  paragraph@3:1\n"
                        "    text@3:1 text=\"line \"\n"
                        "    emph@3:6\n"
                        "      text@3:7 text=\"a\"\n"
                        "    softbreak@3:8\n"
                        "    text@4:1 text=\"next\"\n");
    free(got);
    doc_free(d);
    /* a byte order mark is skipped and takes no column: '#' at 1:1, 'T'
     * at 1:3 */
    d = T_parse("\xEF\xBB\xBF# T\n", &e);
    assert_non_null(d);
    assert_int_equal(d->root->first_child->type, DOC_HEADING);
    assert_int_equal(d->root->first_child->col, 1);
    assert_int_equal(d->root->first_child->first_child->col, 3);
    doc_free(d);
    /* setext headings: the rule on line 4 is not placed on the heading's
     * underline (line 2) */
    d = T_parse("Title\n---\n\n---\n", &e);
    assert_non_null(d);
    assert_int_equal(d->root->first_child->type, DOC_HEADING);
    assert_int_equal(d->root->last_child->type, DOC_HRULE);
    assert_int_equal(d->root->last_child->line, 4);
    doc_free(d);
    d = T_parse("Title\n===\n---\n", &e);
    assert_non_null(d);
    assert_int_equal(d->root->last_child->type, DOC_HRULE);
    assert_int_equal(d->root->last_child->line, 3);
    doc_free(d);
}

static void test_depth_limits(void **s)
{
    (void)s;
    size_t n = 100000;
    char *b = malloc(n + 3);
    assert_non_null(b);
    memset(b, '>', n);
    memcpy(b + n, " x", 3);
    S_expect_error(b, n + 2, LB_EXIT_INPUT,
                   "t.md:1:1: lists and block quotes nested deeper than 64 "
                   "levels");
    /* 5000 '*' + x + 5000 '*': nested emphasis spans */
    memset(b, '*', 5000);
    b[5000] = 'x';
    memset(b + 5001, '*', 5000);
    S_expect_error(b, 10001, LB_EXIT_INPUT,
                   "t.md:1:1: nesting deeper than 128 levels (blocks and "
                   "inline spans together)");
    /* 100 000 unmatched brackets: plain text, no crash */
    memset(b, '[', n);
    lb_err e;
    err_clear(&e);
    doc *d = mdp_parse("t.md", b, n, &e);
    assert_non_null(d);
    assert_int_equal(d->root->first_child->first_child->text_len, n);
    doc_free(d);
    free(b);
}

static void test_many_headings(void **s)
{
    (void)s;
    /* 10 000 level-2 headings under one level-1: numbers 1.1 .. 1.10000 */
    size_t cap = 20 + 10000 * 16;
    char *b = malloc(cap);
    assert_non_null(b);
    size_t w = (size_t)snprintf(b, cap, "# Top\n");
    for (int i = 0; i < 10000; i++)
        w += (size_t)snprintf(b + w, cap - w, "## H%d\n", i);
    clock_t t0 = clock();
    lb_err e;
    err_clear(&e);
    doc *d = mdp_parse("t.md", b, w, &e);
    double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_non_null(d);
    const doc_node *last = d->root->last_child;
    assert_string_equal(last->secnum, "1.10000");
    assert_int_equal(last->line, 10001);
    assert_true(sec < 5.0);   /* linear: milliseconds in practice */
    doc_free(d);
    free(b);
}

static void test_big_single_line(void **s)
{
    (void)s;
    /* 10 MB on one line with an emphasis every 80 bytes ("abc *d* ef" and
     * 70 bytes of text): positions are computed incrementally, so this
     * stays linear.  (About 400 000 nodes: under DOC_MAX_NODES.) */
    size_t n = 10u * 1024u * 1024u; /* 131 072 times 80 bytes */
    char pat[81];
    memcpy(pat, "abc *d* ef", 10);
    for (size_t k = 10; k < 80; k++)
        pat[k] = k % 7 == 0 ? ' ' : 'q';
    char *b = malloc(n);
    assert_non_null(b);
    for (size_t i = 0; i < n; i += 80)
        memcpy(b + i, pat, 80);
    clock_t t0 = clock();
    lb_err e;
    err_clear(&e);
    doc *d = mdp_parse("t.md", b, n, &e);
    double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (!d)
        fail_msg("%s", e.msg);
    /* the last emphasis starts at byte n - 80 + 4 -> column n - 75 */
    const doc_node *p = d->root->first_child;
    const doc_node *em = p->last_child->prev;
    assert_int_equal(em->type, DOC_EMPH);
    assert_int_equal(em->line, 1);
    assert_int_equal(em->col, (int)(n - 75));
    assert_true(sec < 20.0);
    doc_free(d);
    /* An emphasis every 10 bytes is 1 048 576 spans, over 3 million nodes:
     * refused at the node limit, with the limit named (issue 16). */
    for (size_t i = 0; i < n; i += 10)
        memcpy(b + i, "abc *d* ef", 10);
    err_clear(&e);
    assert_null(mdp_parse("t.md", b, n, &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "more than 600000 elements"));
    assert_non_null(strstr(e.msg, "t.md:1:"));
    free(b);
}

static void test_plain_text_and_walk(void **s)
{
    (void)s;
    lb_err e;
    doc *d = T_parse("# A *b* `c` $x$ [v](value:loss.mean)\n", &e);
    assert_non_null(d);
    char *t = doc_plain_text(d->root->first_child, &e);
    assert_string_equal(t, "A b c $x$ [loss.mean]");
    free(t);
    /* pre-order: document heading text emph text text code text math
     * text value = 11 nodes */
    int count = 0;
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n))
        count++;
    assert_int_equal(count, 11);
    assert_string_equal(doc_type_name(DOC_GENTABLE), "gentable");
    assert_string_equal(doc_type_name((doc_type)999), "?");
    assert_true(doc_is_block(DOC_FIGURE));
    assert_false(doc_is_block(DOC_VALUE));
    doc_free(d);
}

static void test_loose_item_and_dmath_inline(void **s)
{
    (void)s;
    lb_err e;
    /* display math inside a list paragraph with text: kept as dmath */
    doc *d = T_parse("- a $$x$$ b\n", &e);
    assert_non_null(d);
    char *got = T_dump(d);
    assert_string_equal(got,
                        "document@1:1\n"
                        "  list@1:3 ordered=0 start=0 tight=1 mark='-'\n"
                        "    item@1:3\n"
                        "      paragraph@1:3\n"
                        "        text@1:3 text=\"a \"\n"
                        "        dmath@1:5 text=\"x\"\n"
                        "        text@1:10 text=\" b\"\n");
    free(got);
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_basic),
        cmocka_unit_test(test_fixture_lists),
        cmocka_unit_test(test_fixture_table),
        cmocka_unit_test(test_fixture_math),
        cmocka_unit_test(test_fixture_numbering),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_utf8_errors),
        cmocka_unit_test(test_unterminated_display_math),
        cmocka_unit_test(test_front_matter),
        cmocka_unit_test(test_code_block_and_rules),
        cmocka_unit_test(test_crlf_and_empty),
        cmocka_unit_test(test_tab_indented_code),
        cmocka_unit_test(test_depth_limits),
        cmocka_unit_test(test_many_headings),
        cmocka_unit_test(test_big_single_line),
        cmocka_unit_test(test_plain_text_and_walk),
        cmocka_unit_test(test_loose_item_and_dmath_inline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
