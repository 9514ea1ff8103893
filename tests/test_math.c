/* test_math — box-metric tests of the TeX layout.  Expected values come from
 * the font parameters (table in shared/notes/math-layout.md: lmsy10 sigma13
 * .412892, sigma14 .362892, sigma16 .15, sigma22 .25; lmex10 xi8 .04,
 * xi11 .2) and from The TeXbook, Appendix G, worked by hand in the comments.
 * Glyph widths are read from the AFM in the test itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "math/math.h"
#include "math/math_int.h"
#include "gallery_formulas.h"

static math_fonts *MF;

static int S_setup(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    MF = math_fonts_new(NULL, &e);
    if (!MF)
        fprintf(stderr, "%s\n", e.msg);
    return MF ? 0 : -1;
}

static int S_teardown(void **state)
{
    (void)state;
    math_fonts_free(MF);
    return 0;
}

static math_box *S_lay(const char *tex, int display)
{
    lb_err e;
    err_clear(&e);
    int col = -1;
    math_box *b = math_layout(MF, tex, display, 10, &col, &e);
    if (!b)
        fprintf(stderr, "%s: col %d: %s\n", tex, col, e.msg);
    assert_non_null(b);
    return b;
}

/* k-th glyph named `name` (any font) */
static const math_glyph *S_find(const math_box *b, const char *name, int k)
{
    for (size_t i = 0; i < b->nglyphs; i++) {
        const char *n = math_font_code_name(MF, b->glyphs[i].font, b->glyphs[i].code);
        if (n && !strcmp(n, name) && k-- == 0)
            return &b->glyphs[i];
    }
    fail_msg("glyph %s not found", name);
    return NULL;
}

static double S_wd(int font, const char *name, double size)
{
    return afm_width_of_name(math_font_afm(MF, font), name) / 1000 * size;
}

static void t_superscript(void **state)
{
    (void)state;
    /* display: shift = sigma13 = 4.12892 pt (x is a char: u = 0; d(2)=0) */
    math_box *b = S_lay("x^2", MATH_DISPLAY);
    assert_float_equal(S_find(b, "two", 0)->y, 4.12892, 1e-3);
    assert_float_equal(S_find(b, "two", 0)->size, 7, 1e-9);
    math_box_free(b);
    /* text: sigma14 = 3.62892 pt */
    b = S_lay("x^2", MATH_TEXT);
    assert_float_equal(S_find(b, "two", 0)->y, 3.62892, 1e-3);
    /* the 2 starts after x's advance + italic correction (lmmi10 x: 0) */
    assert_float_equal(S_find(b, "two", 0)->x, S_wd(MATH_F_LMMI10, "x", 10), 1e-6);
    math_box_free(b);
    /* subscript alone: sigma16 = 1.5 pt (h(i7) - 4/5 xheight < 1.5) */
    b = S_lay("x_i", MATH_TEXT);
    assert_float_equal(S_find(b, "i", 0)->y, -1.5, 1e-3);
    math_box_free(b);
    /* cramped (inside a denominator): sigma15 = 2.88889 relative to x */
    b = S_lay("\\frac{1}{x^2}", MATH_TEXT);
    const math_glyph *x = S_find(b, "x", 0), *two = S_find(b, "two", 0);
    /* the denominator is in script style: x at 7pt, sup at 5 pt, shift sigma15 of lmsy7 */
    assert_float_equal(two->size, 5, 1e-9);
    assert_float_equal(two->y - x->y, 0.285714 * 7, 1e-3);
    math_box_free(b);
}

static void t_fraction(void **state)
{
    (void)state;
    const double th = 0.4, axis = 2.5;
    math_box *b = S_lay("\\frac{a}{b}", MATH_DISPLAY);
    assert_int_equal(b->nrules, 1);
    const math_rule *r = &b->rules[0];
    assert_float_equal(r->h, th, 1e-3);
    assert_float_equal(r->y + r->h / 2, axis, 1e-6);
    /* numerator baseline >= num1 (6.76508), denominator drop >= denom1 */
    const math_glyph *a = S_find(b, "a", 0), *bb = S_find(b, "b", 0);
    assert_true(a->y >= 6.765 - 1e-3);
    assert_true(-bb->y >= 6.8595 - 1e-3);
    /* clearances >= 3 xi8 (lmmi10 b height .69444 em, a depth 0) */
    assert_true((a->y - 0) - (r->y + r->h) >= 3 * th - 1e-9);
    assert_true(r->y - (bb->y + 6.9444) >= 3 * th - 1e-6);
    math_box_free(b);
    /* text style, deep numerator: y_j has depth; clearance >= xi8 and it binds:
     * TeX raises the numerator until exactly xi8 remains when num2 is too low */
    b = S_lay("\\frac{y_{j_k}}{x}", MATH_TEXT);
    r = &b->rules[0];
    assert_float_equal(r->y + r->h / 2, axis, 1e-6);
    const math_glyph *y = S_find(b, "y", 0);
    assert_true(y->y >= 3.93732 - 1e-4);   /* num2 */
    math_box_free(b);
    /* \dfrac in text is set like display */
    b = S_lay("\\dfrac{a}{b}", MATH_TEXT);
    assert_true(S_find(b, "a", 0)->y >= 6.765 - 1e-3);
    assert_float_equal(S_find(b, "a", 0)->size, 10, 1e-9);
    math_box_free(b);
    b = S_lay("\\frac{a}{b}", MATH_TEXT);
    assert_float_equal(S_find(b, "a", 0)->size, 7, 1e-9);
    math_box_free(b);
}

static void t_bigop_limits(void **state)
{
    (void)state;
    math_box *b = S_lay("\\sum_{i}^{n} x", MATH_DISPLAY);
    const math_glyph *s = S_find(b, "summationdisplay", 0);
    const math_glyph *n = S_find(b, "n", 0), *i = S_find(b, "i", 0);
    double sw = S_wd(MATH_F_LMEX10, "summationdisplay", 10);
    /* summationdisplay: TFM h .1 d 1.5 em, centred on the axis:
     * top = 2.5 + 8 = 10.5, bottom = 2.5 - 8 = -5.5 */
    assert_float_equal(s->y, 9.5, 1e-3);
    /* n (depth 0): baseline = top + max(xi9, xi11 - 0) = 10.5 + 2 */
    assert_float_equal(n->y, 12.5, 1e-3);
    /* i (lmmi7 height .65952 em): top = bottom - max(xi10, xi12 - h) */
    assert_true(i->y < -5.5);
    assert_true(n->x > s->x && n->x < s->x + sw);
    assert_true(i->x > s->x && i->x < s->x + sw);
    math_box_free(b);
    b = S_lay("\\sum_{i}^{n} x", MATH_TEXT);
    s = S_find(b, "summationtext", 0);
    n = S_find(b, "n", 0);
    i = S_find(b, "i", 0);
    sw = S_wd(MATH_F_LMEX10, "summationtext", 10);
    assert_true(n->x >= s->x + sw - 1e-6);   /* beside */
    assert_true(i->x >= s->x + sw - 1e-6);
    assert_true(n->y > 0 && i->y < 0);
    math_box_free(b);
    /* \max_D: limits under in display, beside in text */
    b = S_lay("\\max_{D} V", MATH_DISPLAY);
    const math_glyph *m = S_find(b, "m", 0), *D = S_find(b, "D", 0);
    assert_true(D->y < -3 && D->x > m->x);
    math_box_free(b);
    b = S_lay("\\max_{D} V", MATH_TEXT);
    const math_glyph *xg = S_find(b, "x", 0);
    D = S_find(b, "D", 0);
    assert_true(D->x > xg->x && D->y > -3);
    math_box_free(b);
    /* \int has no limits in display unless \limits */
    b = S_lay("\\int_0^1", MATH_DISPLAY);
    s = S_find(b, "integraldisplay", 0);
    assert_true(S_find(b, "one", 0)->x > s->x + S_wd(MATH_F_LMEX10, "integraldisplay", 10) - 0.01);
    math_box_free(b);
    b = S_lay("\\int\\limits_0^1", MATH_DISPLAY);
    s = S_find(b, "integraldisplay", 0);
    assert_true(S_find(b, "one", 0)->x < s->x + S_wd(MATH_F_LMEX10, "integraldisplay", 10));
    math_box_free(b);
}

static void t_delims(void **state)
{
    (void)state;
    math_box *small = S_lay("\\left( x \\right)", MATH_DISPLAY);
    math_box *big = S_lay("\\left( \\frac{a}{b} \\right)", MATH_DISPLAY);
    assert_int_equal(small->glyphs[0].font, MATH_F_LMR10);   /* plain ( */
    assert_int_equal(big->glyphs[0].font, MATH_F_LMEX10);
    assert_true(big->height + big->depth > small->height + small->depth + 5);
    /* display \frac ab: h = num1 + h(a) = 6.765 + 4.306 = 11.071, d = denom1
     * + d(b) = 6.860; delta1 = max(11.071-2.5, 6.860+2.5) = 9.36 -> need
     * max(.901*18.72, 18.72-5) = 16.87 pt -> \Bigl( (1.8 em = 18 pt; \bigl( is
     * 1.2 em = 12 pt, too small) */
    const char *n = math_font_code_name(MF, big->glyphs[0].font, big->glyphs[0].code);
    assert_string_equal(n, "parenleftBig");
    /* the delimiter is centred on the axis (TFM height/depth of the glyph) */
    mgm g;
    assert_int_equal(math_font_glyph(MF, MATH_F_LMEX10, "parenleftBig", &g), 0);
    assert_float_equal(big->glyphs[0].y + (g.ht - g.dp) * 10 / 2, 2.5, 1e-6);
    math_box_free(small);
    math_box_free(big);
    /* \big( is 1.2 em (plain TeX: 8.5pt strut -> 10.8pt needed) */
    math_box *bg = S_lay("\\big(", MATH_TEXT);
    assert_string_equal(math_font_code_name(MF, bg->glyphs[0].font, bg->glyphs[0].code),
                        "parenleftbig");
    math_box_free(bg);
    /* a very tall \left( becomes an extensible (top, repeaters, bottom) */
    math_box *ex = S_lay("\\left( \\begin{matrix} 1 \\\\ 2 \\\\ 3 \\\\ 4 \\\\ 5 \\end{matrix} \\right)",
                         MATH_DISPLAY);
    S_find(ex, "parenlefttp", 0);
    S_find(ex, "parenleftbt", 0);
    S_find(ex, "parenleftex", 0);
    math_box_free(ex);
}

/* gap between the end of glyph g0 (advance) and the start of glyph g1 */
static double S_gap(const math_box *b, const char *g0, const char *g1, int font0, double sz0)
{
    const math_glyph *a = S_find(b, g0, 0), *c = S_find(b, g1, 0);
    return c->x - (a->x + S_wd(font0, g0, sz0));
}

static void t_spacing(void **state)
{
    (void)state;
    const double mu = 10.000029 / 18;   /* quad(lmsy10) = 1.0000029 em */
    math_box *b = S_lay("a=b", MATH_TEXT);
    assert_float_equal(S_gap(b, "a", "equal", MATH_F_LMMI10, 10), 5 * mu, 1e-3);
    assert_float_equal(S_gap(b, "equal", "b", MATH_F_LMR10, 10), 5 * mu, 1e-3);
    math_box_free(b);
    b = S_lay("a+b", MATH_TEXT);
    assert_float_equal(S_gap(b, "a", "plus", MATH_F_LMMI10, 10), 4 * mu, 1e-3);
    assert_float_equal(S_gap(b, "plus", "b", MATH_F_LMR10, 10), 4 * mu, 1e-3);
    math_box_free(b);
    /* in script style both vanish */
    b = S_lay("x^{a=b+c}", MATH_TEXT);
    assert_float_equal(S_gap(b, "a", "equal", MATH_F_LMMI7, 7), 0, 1e-6);
    assert_float_equal(S_gap(b, "b", "plus", MATH_F_LMMI7, 7), 0, 1e-6);
    math_box_free(b);
    /* a leading binary operator becomes ordinary: no space after it */
    b = S_lay("-a", MATH_TEXT);
    assert_float_equal(S_gap(b, "minus", "a", MATH_F_LMSY10, 10), 0, 1e-6);
    math_box_free(b);
    /* ord op: thin space before \log; punct: thin after the comma */
    b = S_lay("a\\log b", MATH_TEXT);
    assert_float_equal(S_gap(b, "a", "l", MATH_F_LMMI10, 10), 3 * mu, 1e-3);
    math_box_free(b);
    b = S_lay("a,b", MATH_TEXT);
    assert_float_equal(S_gap(b, "comma", "b", MATH_F_LMMI10, 10), 3 * mu, 1e-3);
    math_box_free(b);
    /* rule 14: V then comma (same family, lmmi10) are kerned by the TFM
     * lig/kern program (TFM codes 'V' = 86, comma = 0x3B), after V's italic
     * correction */
    b = S_lay("V,", MATH_TEXT);
    {
        lb_err e;
        err_clear(&e);
        tfm_font *t = tfm_load("/usr/share/texmf/fonts/tfm/public/lm/lmmi10.tfm", &e);
        assert_non_null(t);
        double k = tfm_kern(t, 86, 0x3B) * 10, ic = tfm_italic(t, 86) * 10;
        assert_true(k < 0);
        assert_float_equal(S_gap(b, "V", "comma", MATH_F_LMMI10, 10), ic + k, 1e-6);
        tfm_free(t);
    }
    math_box_free(b);
    /* explicit spaces: \quad = 1 em = 10 pt, \, = 3 mu */
    b = S_lay("a\\quad b", MATH_TEXT);
    assert_float_equal(S_gap(b, "a", "b", MATH_F_LMMI10, 10), 10, 1e-6);
    math_box_free(b);
    b = S_lay("a\\,b", MATH_TEXT);
    assert_float_equal(S_gap(b, "a", "b", MATH_F_LMMI10, 10), 3 * mu, 1e-6);
    math_box_free(b);
}

static void t_sqrt_accent(void **state)
{
    (void)state;
    /* \sqrt{x}: rule thickness = radical glyph height (xi8 = .4pt) and the
     * clearance above x is at least xi8 + xi8/4 (text style) */
    math_box *b = S_lay("\\sqrt{x}", MATH_TEXT);
    assert_int_equal(b->nrules, 1);
    assert_float_equal(b->rules[0].h, 0.4, 0.01);
    assert_true(b->rules[0].y - 4.30555 >= 0.5 - 1e-6);
    math_box_free(b);
    /* \hat x: the accent sits at x's height minus min(h, x-height) = 0 */
    b = S_lay("\\hat{x}", MATH_TEXT);
    assert_float_equal(S_find(b, "circumflex", 0)->y, 0, 1e-3);
    math_box_free(b);
    b = S_lay("\\hat{A}", MATH_TEXT);   /* lmmi10 A height .68333: raised 2.528 */
    assert_float_equal(S_find(b, "circumflex", 0)->y, 6.8333 - 4.30555, 1e-3);
    math_box_free(b);
    /* rule 12's swap: \hat{x}^2 puts the 2 where x^2 has it (not higher) */
    math_box *p = S_lay("x^2", MATH_TEXT);
    b = S_lay("\\hat{x}^2", MATH_TEXT);
    assert_float_equal(S_find(b, "two", 0)->y, S_find(p, "two", 0)->y, 1e-9);
    assert_float_equal(S_find(b, "two", 0)->x, S_find(p, "two", 0)->x, 1e-9);
    math_box_free(b);
    math_box_free(p);
    /* without a char nucleus the scripts go on the accented box: higher */
    p = S_lay("\\hat{xy}^2", MATH_TEXT);
    assert_true(S_find(p, "two", 0)->y > 3.62892 + 0.1);
    math_box_free(p);
}

static void S_expect_err(const char *tex, int col, const char *needle)
{
    lb_err e;
    err_clear(&e);
    int c = -1;
    math_box *b = math_layout(MF, tex, MATH_DISPLAY, 10, &c, &e);
    if (b)
        fail_msg("'%s' should fail", tex);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (col != c || !strstr(e.msg, needle))
        fail_msg("'%s': got col %d '%s', want col %d '%s'", tex, c, e.msg, col, needle);
}

static void t_errors(void **state)
{
    (void)state;
    S_expect_err("\\foo", 1, "\\foo");
    S_expect_err("a + \\frac{b}", 5, "\\frac");
    S_expect_err("x^{2", 3, "never closed");
    S_expect_err("x}", 2, "unexpected '}'");
    S_expect_err("\\left( x", 1, "\\left");
    S_expect_err("a \\right)", 3, "\\right");
    S_expect_err("\\left( a_{1}} \\right)", 13, "unexpected '}'");
    S_expect_err("\\begin{cases} a} \\end{cases}", 16, "unexpected '}'");
    S_expect_err("\\begin{foo} x \\end{foo}", 1, "foo");
    S_expect_err("\\begin{cases} x \\end{matrix}", 17, "\\end{matrix}");
    S_expect_err("x^2^3", 4, "double superscript");
    S_expect_err("\\sqrt", 1, "\\sqrt");
    S_expect_err("\\sqrt[3 x", 6, "missing ']'");
    S_expect_err("a & b", 3, "'&'");
    S_expect_err("\\left! x \\right)", 6, "not a delimiter");   /* \left< is \langle (issue 14) */
    S_expect_err("\\mathrm{x} + \\text{a\\foo}", 14, "\\text");
    S_expect_err("\xce\xb1 + \\bar", 5, "\\bar");
    S_expect_err("x \xe2\x8a\x95 y", 3, "unsupported character");   /* U+2295 */   /* columns count characters */
    /* issue 14, second round: the new commands' errors point at the command */
    S_expect_err("a + \\mathscr{Ab}", 15, "capital letters only (got 'b')");
    S_expect_err("x + \\color{mauve}{y}", 5, "unknown colour");
    S_expect_err("\\text{a \\(b}", 9, "without its closing '\\)'");
    S_expect_err("\\text{a $b}", 9, "without its closing '$'");
    S_expect_err("x \\textsf{y", 3, "never closed");
    S_expect_err("\\text{\\textbf{x} \\color{red}}", 18, "unsupported command inside \\text");
    S_expect_err("\\text{\\emph{a} b \\foo}", 18, "unsupported command inside \\text");
    S_expect_err("\\text{\\emph{ab\xe2\x8a\x95}}", 15, "not available");   /* U+2295 at 15 */
    S_expect_err("1 + \\cancel", 5, "\\cancel");
    /* 100000 nested braces: bounded recursion, an error, no crash */
    size_t n = 100000;
    char *deep = malloc(2 * n + 2);
    assert_non_null(deep);
    memset(deep, '{', n);
    memset(deep + n, '}', n);
    deep[2 * n] = 0;
    lb_err e;
    err_clear(&e);
    int c;
    assert_null(math_layout(MF, deep, MATH_TEXT, 10, &c, &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "nested"));
    /* same for \frac and \left nesting */
    char *p = deep;
    for (size_t i = 0; i < 20000; i++)
        p += sprintf(p, "\\sqrt{");
    *p = 0;
    err_clear(&e);
    assert_null(math_layout(MF, deep, MATH_TEXT, 10, &c, &e));
    free(deep);
    /* nesting that is deep but allowed works */
    char ok[2 * 50 + 4];
    memset(ok, '{', 50);
    ok[50] = 'x';
    memset(ok + 51, '}', 50);
    ok[101] = 0;
    math_box_free(S_lay(ok, MATH_TEXT));
}

static void t_fonts_missing(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    assert_null(math_fonts_new("/nonexistent/texmf", &e));
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "/nonexistent/texmf/"));
    setenv("LB_BBFONT", "/nonexistent/bb.ttf", 1);
    err_clear(&e);
    assert_null(math_fonts_new(NULL, &e));
    assert_non_null(strstr(e.msg, "/nonexistent/bb.ttf"));
    setenv("LB_BBFONT", "/usr/share/texmf/fonts/afm/public/lm/lmr10.afm", 1);
    err_clear(&e);
    assert_null(math_fonts_new(NULL, &e));   /* not a TrueType file */
    unsetenv("LB_BBFONT");
    /* bad arguments are runtime errors, not crashes */
    int col = 5;
    err_clear(&e);
    assert_null(math_layout(MF, "x", MATH_TEXT, 0, &col, &e));
    assert_int_equal(col, 0);
    err_clear(&e);
    assert_null(math_layout(MF, NULL, MATH_TEXT, 10, NULL, &e));
    /* the empty formula is an empty box */
    math_box *b = S_lay("", MATH_TEXT);
    assert_int_equal(b->nglyphs, 0);
    assert_float_equal(b->width, 0, 0);
    math_box_free(b);
    /* body size scales everything: x^2 at 20 pt -> shift 2 x sigma14 */
    err_clear(&e);
    b = math_layout(MF, "x^2", MATH_TEXT, 20, &col, &e);
    assert_non_null(b);
    assert_float_equal(S_find(b, "two", 0)->y, 2 * 3.62892, 2e-3);
    assert_float_equal(S_find(b, "two", 0)->size, 14, 1e-9);
    math_box_free(b);
}

static void t_gallery_all(void **state)
{
    (void)state;
    for (size_t i = 0; i < GALLERY_N; i++) {
        math_box *b = S_lay(GALLERY[i].tex, GALLERY[i].mode == 'D');
        assert_true(b->width > 0 && b->nglyphs > 0);
        math_box_free(b);
    }
    /* every table command, in every style via scripts */
    char buf[256];
    for (size_t i = 0; i < math_sym_count(); i++) {
        const msymdef *s = math_sym_at(i);
        const char *cmd = s->cmd;
        if (strlen(cmd) == 1 && !strchr("()[]|/+-*=<>:,;.!?@", cmd[0]))
            snprintf(buf, sizeof buf, "a \\%s b_{\\%s} c^{x^{\\%s}}", cmd, cmd, cmd);
        else if (cmd[0] == '\\')
            snprintf(buf, sizeof buf, "a %s b_{%s} c^{x^{%s}}", cmd, cmd, cmd);
        else if (strlen(cmd) == 1)
            snprintf(buf, sizeof buf, "a %s b_{%s} c^{x^{%s}}", cmd, cmd, cmd);
        else
            snprintf(buf, sizeof buf, "a \\%s b_{\\%s} c^{x^{\\%s}}", cmd, cmd, cmd);
        math_box *b = S_lay(buf, MATH_DISPLAY);
        assert_true(b->nglyphs >= 3);
        math_box_free(b);
        if (s->kind == SK_DELIM) {
            snprintf(buf, sizeof buf, "\\left%s%s \\frac{a}{b} \\middle%s%s \\Bigg%s%s \\right%s%s",
                     strlen(cmd) > 1 && cmd[0] != '\\' ? "\\" : "", cmd,
                     strlen(cmd) > 1 && cmd[0] != '\\' ? "\\" : "", cmd,
                     strlen(cmd) > 1 && cmd[0] != '\\' ? "\\" : "", cmd,
                     strlen(cmd) > 1 && cmd[0] != '\\' ? "\\" : "", cmd);
            if (!strcmp(cmd, "{") || !strcmp(cmd, "}"))
                snprintf(buf, sizeof buf, "\\left\\%s \\frac{a}{b} \\middle| \\right\\%s", cmd, cmd);
            b = S_lay(buf, MATH_DISPLAY);
            math_box_free(b);
        }
    }
    static const char *const rest[] = {
        "\\frac{a}{b} \\dfrac{a}{b} \\tfrac{a}{b} \\sqrt{a} \\sqrt[3]{a} \\sqrt[n+1]{[x]} [0, 1]",
        "\\operatorname{softmax}(x) \\operatorname*{arg\\,max}_x f \\log \\ln \\exp \\max \\min "
        "\\arg\\max_x \\arg\\min_x \\lim_{x} \\sup \\inf",
        "\\mathcal{L} \\mathbb{E} \\mathbf{W1} \\boldsymbol{\\delta x} \\mathrm{KL} \\mathit{x} "
        "\\text{if } \\textrm{a} \\textbf{b} \\mbox{c}",
        "\\hat{x} \\bar{x} \\tilde{x} \\vec{x} \\dot{x} \\ddot{x} \\widehat{xyz} "
        "\\widetilde{ab} \\overline{ab} \\check{a} \\breve{a} \\acute{a} \\grave{a}",
        "\\big( \\Big[ \\bigg\\{ \\Bigg| \\bigl( \\bigr) \\Bigl[ \\Bigr] \\biggl\\langle "
        "\\biggr\\rangle \\Biggl\\lVert \\Biggr\\rVert \\bigm| \\Bigm\\|",
        "a\\,b\\:c\\;d\\!e\\quad f\\qquad g\\ h~i",
        "\\begin{cases} a & b \\\\ c & d \\end{cases} \\begin{aligned} a &= b \\\\ &= c "
        "\\end{aligned} \\begin{pmatrix} 1 \\end{pmatrix} \\begin{bmatrix} 1 & 2 \\end{bmatrix} "
        "\\begin{matrix} 1 \\end{matrix} \\begin{vmatrix} a \\end{vmatrix}",
        "\\begin{align*} a &= b \\\\ c &= d \\end{align*}",
        "\\underbrace{a+b}_{n} \\overbrace{a+b}^{n} x' x'' x'^2 W^T W^\\top \\nabla_{\\theta} "
        "\\mathbb{E}_{x\\sim p} a \\odot b \\circ c",
        "\\sum\\limits_a \\sum\\nolimits_a \\displaystyle\\sum_a \\textstyle\\sum_a "
        "\\scriptstyle x \\scriptscriptstyle y",
        "\\ldots \\cdots \\dots \\vdots \\ddots \\lVert x \\rVert \\mathop{x}\\limits_a \\mathrel{x}",
    };
    for (size_t i = 0; i < sizeof rest / sizeof *rest; i++) {
        math_box_free(S_lay(rest[i], MATH_DISPLAY));
        math_box_free(S_lay(rest[i], MATH_TEXT));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_superscript),  cmocka_unit_test(t_fraction),
        cmocka_unit_test(t_bigop_limits), cmocka_unit_test(t_delims),
        cmocka_unit_test(t_spacing),      cmocka_unit_test(t_sqrt_accent),
        cmocka_unit_test(t_errors),       cmocka_unit_test(t_gallery_all),
        cmocka_unit_test(t_fonts_missing),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
