/* test_math_eqnum — equation numbers: \tag, \tag*, \notag / \nonumber,
 * \label, \eqref / \ref, the equation environment (amsmath), numbered
 * through the document and tied into its cross-references ([x](ref:NAME)).
 *
 * Expected: amsmath's rules (a display is numbered by equation, \label or
 * \tag; \tag's text replaces the number and takes none; \tag* has no
 * parentheses; \eqref prints "(3)", \ref "3") and TeX's \eqno placement
 * (the number flush right at the line's end: its right edge at the text
 * block's right margin, 117.638 + 360 = 477.638 pt on A4, pdf_ctx.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "math/math.h"
#include "testkit.h"

static void S_meta(const char *tex, int numbered, const char *tag, int star, const char *label)
{
    math_meta m;
    lb_err e = { 0 };
    int col = 0;
    if (math_meta_get(tex, &m, &col, &e) < 0)
        fail_msg("%s: %s", tex, e.msg);
    if (m.numbered != numbered)
        fail_msg("%s: numbered %d, expected %d", tex, m.numbered, numbered);
    if (tag)
        assert_string_equal(m.tag, tag);
    else
        assert_null(m.tag);
    assert_int_equal(m.tag_star, star);
    if (label)
        assert_string_equal(m.label, label);
    else
        assert_null(m.label);
    math_meta_clear(&m);
}

static void t_meta(void **state)
{
    (void)state;
    S_meta("a = b", 0, NULL, 0, NULL);
    S_meta("\\begin{equation} a = b \\end{equation}", 1, NULL, 0, NULL);
    S_meta("\\begin{equation*} a = b \\end{equation*}", 0, NULL, 0, NULL);
    S_meta("a = b \\label{eq:ab}", 1, NULL, 0, "eq:ab");
    S_meta("a = b \\tag{3.1a}", 1, "3.1a", 0, NULL);
    S_meta("a = b \\tag*{A}", 1, "A", 1, NULL);
    S_meta("\\begin{equation} a = b \\notag \\end{equation}", 0, NULL, 0, NULL);
    S_meta("a = b \\label{x} \\nonumber", 0, NULL, 0, "x");
    S_meta("a = b \\notag \\tag{T}", 1, "T", 0, NULL);   /* an explicit tag shows */
    /* inside an environment too */
    S_meta("\\begin{aligned} a &= b \\\\ &= c \\end{aligned} \\label{al}", 1, NULL, 0, "al");
}

static void S_bad(const char *tex, int display, int want_col, const char *frag)
{
    lb_err e = { 0 };
    int col = 0;
    math_fonts *mf = math_fonts_new(NULL, &e);
    assert_non_null(mf);
    math_box *b = math_layout(mf, tex, display ? MATH_DISPLAY : MATH_TEXT, 10, &col, &e);
    if (b)
        fail_msg("%s: no error", tex);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (!strstr(e.msg, frag))
        fail_msg("%s: '%s' lacks '%s'", tex, e.msg, frag);
    assert_int_equal(col, want_col);
    math_fonts_free(mf);
}

static const char *S_num(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "known") ? NULL : "7";
}

static void t_errors(void **state)
{
    (void)state;
    S_bad("x = y \\tag{1}", 0, 7, "\\tag is allowed only in a display");
    S_bad("x \\label{a}", 0, 3, "\\label is allowed only in a display");
    S_bad("\\begin{equation} x \\end{equation}", 0, 1, "only in a display");
    S_bad("x \\tag{1} \\tag{2}", 1, 11, "a second \\tag");
    S_bad("x \\label{a} \\label{b}", 1, 13, "a second \\label");
    S_bad("\\begin{equation} x & y \\end{equation}", 1, 20, "'&' in \\begin{equation}");
    /* \eqref with the document's labels: an unknown one is an error at
     * the command, a known one reads "(7)" */
    lb_err e = { 0 };
    int col = 0;
    math_fonts *mf = math_fonts_new(NULL, &e);
    math_refs refs = { S_num, NULL };
    math_box *b = math_layout_refs(mf, "a = \\eqref{nope}", MATH_TEXT, 10, &refs, &col, &e);
    assert_null(b);
    assert_int_equal(col, 5);
    assert_non_null(strstr(e.msg, "\\eqref{nope}: no display has that \\label"));
    err_clear(&e);
    b = math_layout_refs(mf, "\\eqref{known} + \\ref{known}", MATH_TEXT, 10, &refs, &col, &e);
    assert_non_null(b);
    assert_string_equal(b->text, "(7) + 7");
    math_box_free(b);
    math_fonts_free(mf);
}

static const char S_tpl[] =
    "# Equations\n\n"
    "The softmax is\n\n"
    "$$\n\\begin{equation}\np_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}} \\label{eq:softmax}\n"
    "\\end{equation}\n$$\n\n"
    "and the loss, with a name of its own,\n\n"
    "$$\n\\mathcal{L} = -\\log p_y \\tag{L}\n$$\n\n"
    "and one that is not numbered:\n\n"
    "$$\n\\begin{equation}\na = b \\notag\n\\end{equation}\n$$\n\n"
    "A labelled display gets the next number:\n\n"
    "$$\n\\mathcal{L}(\\theta) = -\\frac{1}{N} \\sum_{n=1}^{N} \\log p_{n, y_n} \\label{eq:mean}\n$$\n\n"
    "and a starred tag:\n\n"
    "$$\nx = y \\tag*{A.1}\n$$\n\n"
    "See [](ref:eq:softmax) and [](ref:eq:mean), equation "
    "[](ref:eq:mean?form=number), and in math $\\eqref{eq:softmax} \\ne \\ref{eq:mean}$.\n";

static void t_document(void **state)
{
    (void)state;
    char *dir = tk_tmpdir_new("eqnum");
    char tpl[600], out[600];
    snprintf(tpl, sizeof tpl, "%s/t.md", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    assert_int_equal(tk_write_file(tpl, S_tpl), 0);
    tk_result r = { 0 };
    tk_lb(&r, NULL, "--quiet", "--out", out, "--template", tpl, NULL);
    tk_assert_exit(&r, 0);
    char *txt = tk_pdftotext(tk_path("%s/report.pdf", out), 0, 0);
    assert_non_null(txt);
    /* numbers: (1), (L) without a number of its own, (2), A.1 */
    assert_non_null(strstr(txt, "(1)"));
    assert_non_null(strstr(txt, "(L)"));
    assert_non_null(strstr(txt, "(2)"));
    assert_non_null(strstr(txt, "A.1"));
    assert_null(strstr(txt, "(3)"));
    assert_null(strstr(txt, "(A.1)"));
    assert_non_null(strstr(txt, "See (1) and (2), equation 2, and in math (1) \xE2\x89\xA0 2."));
    free(txt);
    /* the numbers sit flush right: xMax at the right margin */
    char *bbox = tk_capture("pdftotext", "-bbox", tk_path("%s/report.pdf", out), "-", NULL);
    assert_non_null(bbox);
    int seen = 0;
    for (const char *p = bbox; (p = strstr(p, "<word xMin=")); p++) {
        double x0, y0, x1, y1;
        char w[32];
        if (sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\">%31[^<]", &x0,
                   &y0, &x1, &y1, w) != 5)
            continue;
        if (!strcmp(w, "(1)") || !strcmp(w, "(L)") || !strcmp(w, "A.1")) {
            if (x1 > 300) {   /* the tag, not the reference in the text */
                assert_float_equal(x1, 117.638 + 360.0, 0.05);
                seen++;
            }
        }
    }
    assert_int_equal(seen, 3);
    free(bbox);
    /* report.md: the same numbers for GitHub, anchors for the links */
    char *md = tk_read_file(tk_path("%s/report.md", out), NULL);
    assert_non_null(md);
    assert_non_null(strstr(md, "p_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}} \\tag{1}\n"));
    assert_non_null(strstr(md, "\\mathcal{L} = -\\log p_y \\tag{L}\n"));
    assert_non_null(strstr(md, "x = y \\tag*{A.1}\n"));
    assert_non_null(strstr(md, "<a id=\"eq-eq-softmax\"></a>"));
    assert_non_null(strstr(md, "[(1)](#eq-eq-softmax)"));
    assert_non_null(strstr(md, "$\\text{(1)} \\ne \\text{2}$"));
    assert_null(strstr(md, "\\label"));
    assert_null(strstr(md, "equation}"));
    free(md);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

/* An \eqref to a label no display has: an error at the command's own
 * line:column in the template, nothing written. */
static void t_unknown_label(void **state)
{
    (void)state;
    char *dir = tk_tmpdir_new("eqnum-bad");
    char tpl[600], out[600];
    snprintf(tpl, sizeof tpl, "%s/t.md", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    assert_int_equal(tk_write_file(tpl, "# T\n\n$$\na = b \\label{one}\n$$\n\n"
                                        "By $x \\eqref{two}$ it follows.\n"), 0);
    tk_result r = { 0 };
    tk_lb(&r, NULL, "--quiet", "--out", out, "--template", tpl, NULL);
    tk_assert_exit(&r, 2);
    assert_non_null(strstr(r.err, "t.md:7:7: in formula 'x \\eqref{two}': \\eqref{two}: no "
                                  "display has that \\label"));
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_meta), cmocka_unit_test(t_errors), cmocka_unit_test(t_document),
        cmocka_unit_test(t_unknown_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
