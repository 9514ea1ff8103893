/* test_math_break — inline math as TeX sets it in a paragraph, and
 * formulas too wide for their line.
 *
 * The math layer: a formula's top level (math_box.items) is TeX's hlist
 * after mlist_to_hlist (tex.web §760-767): boxes, the glue between atoms
 * (\thinmuskip 3mu, \medmuskip 4mu plus 2mu minus 4mu, \thickmuskip 5mu
 * plus 5mu; 1mu = quad/18 with lmsy10's quad 10.00003pt, so medium =
 * 2.22223 +1.11111 -2.22223 pt and thick = 2.77779 +2.77779 pt at 10pt)
 * and penalties after a Bin (\binoppenalty 700) or Rel (\relpenalty 500)
 * unless a relation or a penalty follows.  Values by hand from those
 * definitions; widths from pdflatex (bench/mathcmp/compare.py --emit-c,
 * TeX Live 2022, amsmath + lmodern, \textstyle, 10pt).
 *
 * The renderer: paragraphs whose break falls inside a formula, with the
 * line ends pdflatex gives for the same text at the same measure and
 * fonts (bench/mathcmp/parbreak.py: \textwidth 360pt, \parindent 15pt,
 * lmodern, \hyphenpenalty 10000, f-ligatures off), read back with
 * pdftotext; displays broken like multline. */
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

static math_fonts *S_mf;

static int S_setup(void **state)
{
    (void)state;
    lb_err e = { 0 };
    S_mf = math_fonts_new(NULL, &e);
    return S_mf ? 0 : -1;
}

static int S_teardown(void **state)
{
    (void)state;
    math_fonts_free(S_mf);
    return 0;
}

static math_box *S_lay(const char *tex, int display)
{
    lb_err e = { 0 };
    int col = 0;
    math_box *b = math_layout(S_mf, tex, display ? MATH_DISPLAY : MATH_TEXT, 10, &col, &e);
    if (!b)
        fprintf(stderr, "%s: %s\n", tex, e.msg);
    assert_non_null(b);
    return b;
}

/* The item kinds as a string: B box, g glue, p penalty. */
static void S_shape(const math_box *b, char *buf, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < b->nitems && k + 1 < n; i++)
        buf[k++] = b->items[i].kind == MATH_I_BOX ? 'B' : b->items[i].kind == MATH_I_GLUE ? 'g' : 'p';
    buf[k] = '\0';
}

#define MED 2.22223    /* 4mu */
#define MEDST 1.11111  /* 2mu */
#define THICK 2.77779  /* 5mu */

static void t_items_text(void **state)
{
    (void)state;
    math_box *b = S_lay("a+b=c", 0);
    char s[64];
    S_shape(b, s, sizeof s);
    /* a, med, +, 700, med, b, thick, =, 500, thick, c */
    assert_string_equal(s, "BgBpgBgBpgB");
    const math_item *it = b->items;
    assert_float_equal(it[1].w, MED, 1e-4);
    assert_float_equal(it[1].stretch, MEDST, 1e-4);
    assert_float_equal(it[1].shrink, MED, 1e-4);
    assert_float_equal(it[3].penalty, 700, 0);
    assert_float_equal(it[6].w, THICK, 1e-4);
    assert_float_equal(it[6].stretch, THICK, 1e-4);
    assert_float_equal(it[6].shrink, 0, 0);
    assert_float_equal(it[8].penalty, 500, 0);
    /* pdflatex: \wd of $a+b=c$ is 39.46083pt */
    assert_float_equal(b->width, 39.46083, 0.01);
    /* the boxes' x are where the glue puts them */
    double x = 0;
    for (size_t i = 0; i < b->nitems; i++) {
        if (b->items[i].kind == MATH_I_BOX)
            assert_float_equal(b->items[i].x, x, 1e-9);
        if (b->items[i].kind != MATH_I_PENALTY)
            x += b->items[i].w;
    }
    assert_float_equal(x, b->width, 1e-9);
    /* runs between breakpoints read as their own text */
    assert_string_equal(b->items[0].text, "a +");
    assert_string_equal(b->items[5].text, "b =");
    assert_string_equal(b->items[10].text, "c");
    math_box_free(b);
}

/* Two relations in a row: no space between them (TeX's table: Rel Rel 0)
 * and no breakpoint after the first; pdflatex: \wd of $a\le=b$ 30.68875. */
static void t_rel_rel(void **state)
{
    (void)state;
    math_box *b = S_lay("a\\le=b", 0);
    char s[64];
    S_shape(b, s, sizeof s);
    assert_string_equal(s, "BgBBpgB");
    assert_float_equal(b->items[4].penalty, 500, 0);
    assert_float_equal(b->width, 30.68875, 0.01);
    math_box_free(b);
    b = S_lay("a\\leq=b+c", 0);
    assert_float_equal(b->width, 47.23863, 0.01);   /* pdflatex */
    math_box_free(b);
}

static size_t S_npen(const math_box *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nitems; i++)
        n += b->items[i].kind == MATH_I_PENALTY;
    return n;
}

/* Nothing inside \left...\right, braces, fractions, scripts or
 * environments breaks: only the top-level '+' does. */
static void t_no_break_inside(void **state)
{
    (void)state;
    static const char *const f[] = {
        "\\left(a+b=c\\right)+d", "{a+b=c}+d", "\\frac{a+b}{c=d}+e", "x^{a+b=c}+d",
        "\\sqrt{a+b}+c", "\\begin{pmatrix} a+b \\end{pmatrix}+c", "\\text{a + b}+c",
    };
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        math_box *b = S_lay(f[i], 0);
        if (S_npen(b) != 1)
            fprintf(stderr, "%s: %zu penalties\n", f[i], S_npen(b));
        assert_int_equal(S_npen(b), 1);
        math_box_free(b);
    }
    /* a unary minus is no binary operator: no penalty after it */
    math_box *b = S_lay("-a", 0);
    assert_int_equal(S_npen(b), 0);
    math_box_free(b);
}

/* In display style the breakpoints come before the operators (a broken
 * display starts its next line with the operator), same penalties. */
static void t_display_before(void **state)
{
    (void)state;
    math_box *b = S_lay("a+b=c", 1);
    char s[64];
    S_shape(b, s, sizeof s);
    assert_string_equal(s, "BpgBgBpgBgB");
    assert_float_equal(b->items[1].penalty, 700, 0);
    assert_float_equal(b->items[6].penalty, 500, 0);
    assert_string_equal(b->items[0].text, "a");
    assert_string_equal(b->items[3].text, "+ b");
    assert_string_equal(b->items[8].text, "= c");
    math_box_free(b);
}

/* \allowbreak adds a penalty 0, \nobreak keeps TeX from putting its own
 * after a relation; \; and \: are stretchable mu glue, \, is not. */
static void t_explicit(void **state)
{
    (void)state;
    math_box *b = S_lay("a=\\nobreak b", 0);
    assert_int_equal(S_npen(b), 1);
    for (size_t i = 0; i < b->nitems; i++)
        if (b->items[i].kind == MATH_I_PENALTY)
            assert_float_equal(b->items[i].penalty, 10000, 0);
    math_box_free(b);
    b = S_lay("ab\\allowbreak c", 0);
    assert_int_equal(S_npen(b), 1);
    for (size_t i = 0; i < b->nitems; i++)
        if (b->items[i].kind == MATH_I_PENALTY)
            assert_float_equal(b->items[i].penalty, 0, 0);
    math_box_free(b);
    b = S_lay("a\\;b\\:c\\,d", 0);
    char s[64];
    S_shape(b, s, sizeof s);
    assert_string_equal(s, "BgBgBgB");
    assert_float_equal(b->items[1].w, THICK, 1e-4);
    assert_float_equal(b->items[1].stretch, THICK, 1e-4);
    assert_float_equal(b->items[3].stretch, MEDST, 1e-4);
    assert_float_equal(b->items[3].shrink, MED, 1e-4);
    assert_float_equal(b->items[5].w, 1.66667, 1e-4);   /* 3mu */
    assert_float_equal(b->items[5].stretch, 0, 0);
    math_box_free(b);
}

/* Every glyph and rule belongs to exactly one box, in order, and the boxes
 * add up to the formula. */
static void t_coverage(void **state)
{
    (void)state;
    static const char *const f[] = {
        "\\sigma(z) = \\frac{1}{1 + e^{-z}} = 1 - \\sigma(-z)",
        "\\sum_{k=1}^{V} e^{z_k} + \\sqrt{x} \\leq \\left(\\frac{a}{b}\\right)^2 - \\overline{y}",
    };
    for (int d = 0; d < 2; d++)
        for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
            math_box *b = S_lay(f[i], d);
            size_t g = 0, r = 0;
            double w = 0;
            for (size_t k = 0; k < b->nitems; k++) {
                const math_item *it = &b->items[k];
                if (it->kind == MATH_I_BOX) {
                    assert_int_equal(it->g0, g);
                    assert_int_equal(it->r0, r);
                    g += it->ng;
                    r += it->nr;
                    assert_true(it->h <= b->height + 1e-9 && it->d <= b->depth + 1e-9);
                }
                if (it->kind != MATH_I_PENALTY)
                    w += it->w;
            }
            assert_int_equal(g, b->nglyphs);
            assert_int_equal(r, b->nrules);
            assert_float_equal(w, b->width, 1e-9);
            math_box_free(b);
        }
}

/* ---- paragraphs and displays in the PDF --------------------------------- */

/* Run lossbook on a one-paragraph template; its page 1 as text. */
static char *S_render(const char *body, tk_result *r, char **dir)
{
    *dir = tk_tmpdir_new("math-break");
    char tpl[600], out[600];
    snprintf(tpl, sizeof tpl, "%s/t.md", *dir);
    snprintf(out, sizeof out, "%s/out", *dir);
    char *src = malloc(strlen(body) + 32);
    sprintf(src, "# Test\n\n%s\n", body);
    assert_int_equal(tk_write_file(tpl, src), 0);
    free(src);
    tk_lb(r, NULL, "--quiet", "--out", out, "--template", tpl, NULL);
    tk_assert_exit(r, 0);
    return tk_pdftotext(tk_path("%s/report.pdf", out), 1, 1);
}

/* The line of `text` that holds `what`, as a fresh string. */
static char *S_line_of(const char *text, const char *what)
{
    const char *p = strstr(text, what);
    assert_non_null(p);
    const char *a = p, *z = p;
    while (a > text && a[-1] != '\n')
        a--;
    while (*z && *z != '\n')
        z++;
    char *s = malloc((size_t)(z - a) + 1);
    memcpy(s, a, (size_t)(z - a));
    s[z - a] = '\0';
    return s;
}

static int S_ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    return n >= m && memcmp(s + n - m, end, m) == 0;
}

/* pdflatex breaks this one after the second '+' (its line 1 ends
 * "S = e^{z_1} + e^{z_2} +"); so must we, and the glue after the break is
 * dropped: line 2 starts with the next term. */
static void t_break_after_plus(void **state)
{
    (void)state;
    tk_result r = { 0 };
    char *dir;
    char *txt = S_render("With the logits of the first position the normaliser comes out as "
                         "$S = e^{z_1} + e^{z_2} + e^{z_3} + e^{z_4} + e^{z_5}$, and every "
                         "probability is one term of it divided by the whole sum.", &r, &dir);
    char *l1 = S_line_of(txt, "With the logits");
    assert_true(S_ends_with(l1, "e^(z_2) +"));
    char *l2 = S_line_of(txt, "e^(z_3)");
    assert_true(strncmp(l2, "e^(z_3) + e^(z_4) + e^(z_5), and", 32) == 0);
    free(l1);
    free(l2);
    free(txt);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

/* pdflatex breaks this one after "S_1 =" (the \left(...\right) after it
 * cannot break, and a break before the formula would leave a loose
 * line). */
static void t_break_after_eq(void **state)
{
    (void)state;
    tk_result r = { 0 };
    char *dir;
    char *txt = S_render("For the first position of the batch the denominator of softmax comes "
                         "out as $S_1 = \\left(e^{z_1} + e^{z_2} + e^{z_3} + e^{z_4} + "
                         "e^{z_5}\\right)$, which every probability of that position divides.",
                         &r, &dir);
    char *l1 = S_line_of(txt, "For the first");
    assert_true(S_ends_with(l1, "comes out as S_1 ="));
    char *l2 = S_line_of(txt, "which every");
    assert_true(strncmp(l2, "(e^(z_1) + ", 11) == 0);
    free(l1);
    free(l2);
    free(txt);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

/* The handout's "Properties." paragraph (section 3): pdflatex ends its
 * eight lines with these words.  Needs the math glue that stretches, the
 * breakpoints after relations, and TeX's space factor after sentences. */
static void t_like_pdflatex(void **state)
{
    (void)state;
    tk_result r = { 0 };
    char *dir;
    char *txt = S_render(
        "**Properties.** Every $p_j$ lies strictly between $0$ and $1$ and $\\sum_j p_j = 1$. "
        "The largest logit gets the largest probability: softmax is a smooth version of \"pick "
        "the maximum\". Only differences matter: adding a constant $s$ to every logit changes "
        "nothing, since $e^{s}$ cancels, and $p_i / p_j = e^{z_i - z_j}$. Scale does matter: "
        "multiplying the logits by a factor above one sharpens the distribution, below one "
        "flattens it (the *temperature* used when sampling text). For two classes softmax is "
        "the sigmoid of the difference, $p_1 = \\sigma(z_1 - z_2)$. And the classes compete: "
        "raising one logit raises its probability and lowers all the others.", &r, &dir);
    static const char *const ends[] = {
        "logit", "maximum\xE2\x80\x9D.", "since", "by a", "temperature", "difference,",
        "probability", "others.",
    };
    const char *p = strstr(txt, "Properties.");
    assert_non_null(p);
    for (size_t k = 0; k < sizeof ends / sizeof *ends; k++) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        char line[400];
        snprintf(line, sizeof line, "%.*s", (int)(nl - p), p);
        if (!S_ends_with(line, ends[k]))
            fprintf(stderr, "line %zu: '%s', pdflatex ends it with '%s'\n", k + 1, line, ends[k]);
        assert_true(S_ends_with(line, ends[k]));
        p = nl + 1;
    }
    free(txt);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

/* A display five times the measure is broken before its '+' signs like
 * multline: every term is there, each continuation line starts with '+',
 * and nothing is set smaller (the glyphs keep 10pt: the line count is
 * what 10pt gives). */
static void t_display_multline(void **state)
{
    (void)state;
    char body[8192];
    size_t k = (size_t)snprintf(body, sizeof body, "Text.\n\n$$");
    for (int i = 0; i < 120; i++)
        k += (size_t)snprintf(body + k, sizeof body - k, "%sa_{%d}", i ? " + " : "", i);
    snprintf(body + k, sizeof body - k, "$$\n\nEnd.");
    tk_result r = { 0 };
    char *dir;
    char *txt = S_render(body, &r, &dir);
    assert_int_equal(r.err_len, 0);
    for (int i = 0; i < 120; i++) {
        char t[32];
        snprintf(t, sizeof t, "a_%d", i);
        assert_non_null(strstr(txt, t));
    }
    size_t plus = 0;
    for (const char *p = txt; (p = strstr(p, "\n+ a_")); p++)
        plus++;
    /* 120 terms of about 24pt (a_k, a medium space, '+') are some 2800pt:
     * at 360pt, at least 8 lines */
    assert_true(plus >= 7);
    free(txt);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

/* A display whose one unbreakable part (a fraction) is a little wider
 * than the 360pt measure is not set smaller (the "silently
 * shrunk"): it runs into the margin as TeX's overfull box, with one
 * warning at the fraction's line:column naming the excess.  The fraction
 * of a_0 ... a_15 over 2 is 366.00pt wide at 10pt (bench/mathcmp/mathbox;
 * by hand from the TFMs: a 5.286 + one 7pt digit 3.983 + \scriptspace 0.5
 * = 9.769 for a_0..a_9, 13.753 with two digits for a_10..a_15, 15 '+' of
 * 7.778 with 4mu = 2.222 each side, the fraction's two \nulldelimiterspace
 * 1.2: 97.69 + 82.52 + 183.33 + 2.4 = 365.94), so the
 * warning says 6.0 pt; had it been scaled to fit there would be none. */
static void t_display_overfull_not_scaled(void **state)
{
    (void)state;
    char body[2048];
    size_t k = (size_t)snprintf(body, sizeof body, "Text.\n\n$$\n\\frac{");
    for (int i = 0; i < 16; i++)
        k += (size_t)snprintf(body + k, sizeof body - k, "%sa_{%d}", i ? "+" : "", i);
    snprintf(body + k, sizeof body - k, "}{2}\n$$\n\nEnd.");
    tk_result r = { 0 };
    char *dir;
    char *txt = S_render(body, &r, &dir);
    /* the template is "# Test", "", then the body: the formula is line 6,
     * the fraction at column 1 */
    assert_non_null(strstr(r.err, "t.md:6:1: warning: overfull display, 6.0 pt too wide"));
    assert_non_null(strstr(txt, "a_15"));
    assert_null(strstr(r.err, "overfull line"));   /* one line, not broken */
    free(txt);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_items_text),     cmocka_unit_test(t_rel_rel),
        cmocka_unit_test(t_no_break_inside), cmocka_unit_test(t_display_before),
        cmocka_unit_test(t_explicit),       cmocka_unit_test(t_coverage),
        cmocka_unit_test(t_break_after_plus), cmocka_unit_test(t_break_after_eq),
        cmocka_unit_test(t_like_pdflatex),  cmocka_unit_test(t_display_multline),
        cmocka_unit_test(t_display_overfull_not_scaled),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
