/* test_math_tex — box metrics against pdflatex.  Each formula's width,
 * height and depth must equal what pdflatex makes of it to 0.01 pt.
 *
 * Origin of the expected numbers: pdflatex (TeX Live 2022, Debian 12) with
 * \documentclass[10pt]{article} and amsmath, amssymb, lmodern;
 * \setbox0\hbox{$\displaystyle F$} (D) or $\textstyle F$ (T), \wd0 \ht0
 * \dp0 from the log, printed by bench/mathcmp/compare.py --emit-c.
 *
 * The first group pins each spacing fix of issue 14 (each differs from the
 * old layout by 0.1 to 10 pt: aligned's \minalignsep and struts, \frac as
 * an Ord atom, italic corrections kept by clean_box and by
 * \operatorname's last letter, \boldsymbol as a box nucleus, the radical's
 * kern above its rule, \mathop limits, amsmath's dots, '%' comments), the
 * second the commands and environments added by it. */ 
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <cmocka.h>
#include "math/math.h"

typedef struct T_box { char mode; const char *tex; double w, h, d; } T_box;

static const T_box T_tex[] = {
    { 'D', "\\begin{aligned} a &= b + c, & d &= e \\\\ f &= g, & h &= i + j \\end{aligned}", 92.37791, 16.00000, 11.00000 },
    { 'D', "\\begin{aligned} \\mathcal{L} &= -\\log p_y \\\\ &= -z_y + \\log \\sum_k e^{z_k} \\end{aligned}", 93.71974, 22.26395, 17.26393 },
    { 'D', "-\\frac1N \\sum_{i=1}^{N} \\log p_i", 60.01317, 18.28339, 12.79865 },
    { 'T', "-\\frac1N \\sum_{i=1}^{N} \\log p_i", 67.53831, 9.81120, 3.44841 },
    { 'D', "\\frac12(x+y), \\quad \\tfrac12 x, \\quad \\dfrac{a}{b},", 89.83095, 13.06232, 6.85951 },
    { 'D', "\\frac{f}{N} + \\frac{V}{W}", 36.98062, 13.70952, 6.85951 },
    { 'D', "\\hat{f} + \\bar{V} + \\tilde{W} + \\hat{x}_i", 70.57268, 9.52770, 1.94444 },
    { 'D', "x^f + y_V + f^2 + W^{f}", 85.88928, 8.99002, 1.94444 },
    { 'T', "\\log f(x) = \\max f", 73.78096, 7.50000, 2.50000 },
    { 'D', "\\operatorname{relf}(x) + \\log g", 60.40285, 7.50000, 2.50000 },
    { 'D', "\\boldsymbol{\\delta}^l + \\boldsymbol{\\delta}^{l+1}_j + \\mathbf{W}^\\top", 70.58470, 9.33334, 3.94670 },
    { 'D', "\\sqrt{\\sqrt{x}} + \\sqrt{1 + \\sqrt{1 + x}}", 94.76425, 14.21002, 4.77097 },
    { 'D', "\\sqrt{\\frac{a}{b}} + \\sqrt[3]{x^2 + y^2}", 72.70470, 15.44382, 8.95639 },
    { 'D', "\\mathop{\\mathrm{argmax}}_i z_i + \\mathop{\\sum}_{k} a_k", 80.87354, 10.50006, 13.02782 },
    { 'D', "\\cdots", 13.33324, 4.44444, 0.00000 },
    { 'D', "x, \\cdots, y", 34.86555, 4.44444, 1.94444 },
    { 'D', "a + \\cdots + b", 45.68880, 6.94444, 0.83000 },
    { 'D', "a_1, \\dots, a_n + \\dots", 68.27872, 5.83000, 1.94444 },
    { 'D', "\\underbrace{a + b + c}_{\\text{three}} + \\overbrace{x + y}^{2}", 72.66017, 20.54095, 15.51878 },
    { 'D', "f(x) % a comment", 19.46555, 7.50000, 2.50000 },
    { 'D', "\\binom{n}{k} = \\frac{n!}{k!\\,(n - k)!}", 80.72437, 14.50010, 9.50012 },
    { 'T', "\\binom{n}{k} + \\tbinom{n}{2} + \\dbinom{a}{b}", 72.67291, 14.50010, 9.50012 },
    { 'D', "a \\xrightarrow{f} b \\xleftarrow[g]{h} c", 47.12866, 12.00206, 8.36110 },
    { 'D', "\\underset{\\theta}{\\arg\\min}\\; \\mathcal{L} + \\overset{\\text{def}}{=}", 63.13147, 11.63213, 9.47218 },
    { 'T', "\\overset{!}{=} \\; \\stackrel{\\mathrm{def}}{=}", 21.50826, 11.63213, 0.00000 },
    { 'D', "\\boxed{E = mc^2} + \\phantom{x} y + \\hphantom{yy} + \\vphantom{\\sum} z", 108.94272, 12.03992, 5.50006 },
    { 'D', "\\smash{\\sum_{i}} x + \\smash[b]{y_j}", 41.49844, 5.83000, 0.83000 },
    { 'D', "x \\implies y \\iff z, \\quad f \\longrightarrow g \\hookrightarrow h", 142.37355, 6.94444, 1.94444 },
    { 'D', "a \\Longleftarrow b \\longleftarrow c \\longmapsto d \\hookleftarrow e", 105.43285, 6.94444, 0.00000 },
    { 'D', "\\overrightarrow{AB} + \\underline{x + y} + \\mathring{a} + \\overleftarrow{v}", 90.73909, 10.50206, 3.94434 },
    { 'D', "\\iint_D f \\, dA + \\arctan x + \\arcsin y + \\sec z + \\cot w", 200.29375, 13.61122, 9.11122 },
    { 'T', "\\iint_D f + \\iiint g", 60.29910, 8.05560, 3.55560 },
    { 'D', "a \\bmod b", 34.29924, 6.94444, 0.00000 },
    { 'T', "a \\equiv b \\pmod{m}", 66.41278, 7.50000, 2.50000 },
    { 'D', "a \\hspace{1em} b \\kern 2pt c \\mkern 18mu d \\hskip 3pt e", 48.76599, 6.94444, 0.00000 },
    { 'D', "\\cfrac{1}{1 + \\cfrac{1}{1 + x}}", 42.55990, 15.89993, 22.48938 },
    { 'D', "\\begin{array}{lcr} a & b & c \\\\ 10 & 20 & 30 \\end{array}", 60.00000, 14.50000, 9.50000 },
    { 'D', "\\begin{array}{|c|c|} a & b \\\\ c & d \\end{array}", 30.49075, 14.50000, 9.50000 },
    { 'D', "\\begin{Bmatrix} a \\\\ b \\end{Bmatrix} + \\begin{Vmatrix} a & b \\end{Vmatrix}", 63.19693, 14.50010, 9.50012 },
    { 'D', "\\begin{gathered} a = b \\\\ c = d + e \\end{gathered}", 39.74442, 16.00000, 11.00000 },
    { 'D', "\\left< x, y \\right> + \\dag", 39.86584, 7.50000, 2.50000 },
    { 'D', "a \\leqslant b \\geqslant c, \\quad x \\coloneqq 2", 81.17575, 6.94444, 1.94444 },
    /* TeX's infix fractions */
    { 'D', "{a + b \\over c} + x", 42.13745, 13.70952, 6.85951 },
    { 'T', "\\binom{n}{k} + {n \\choose k}", 40.44241, 8.50005, 3.50006 },
    { 'D', "{a \\atop b} + {x \\brack y} + {p \\brace q}", 68.43268, 14.50010, 9.50012 },
    { 'D', "x^{1 \\over 2}", 12.01826, 9.96486, 0.00000 },
    /* second round: \mathit ligatures and kerns (lmri, TFM lig/kern), \mathsf
     * \mathtt (lmss, lmtt; the 8pt designs at 7 and 5pt), \mathrm ligatures,
     * nested \text with $...$, the KaTeX fonts laid out with msbm / eufm /
     * rsfs metrics, amssymb, \cong (\@vereq), \color, \cancel, smallmatrix
     * (\null\,...\, and 6\ex@ rows), \allowbreak \nobreak */
    { 'D', "\\mathit{diff} + \\mathit{ff} + \\mathit{fi} + \\mathit{xyz}", 81.21487, 6.88875, 1.94443 },
    { 'D', "\\mathsf{Attn}(Q, K, V) = \\mathsf{softmax}\\!\\left(\\frac{Q K^\\top}{\\sqrt{d_k}}\\right) V", 157.22781, 15.25510, 9.50012 },
    { 'D', "\\mathtt{logits}_{\\mathtt{ij}} + \\mathtt{x}^{\\mathtt{2}} + \\mathrm{diff} + \\mathrm{fluff}", 118.13219, 8.46935, 4.27776 },
    { 'D', "x_{\\mathit{eff}} + y_{\\mathsf{max}} + \\text{differs} + \\textsf{Sans} + \\texttt{mono}", 150.53658, 6.94450, 2.86108 },
    { 'D', "\\text{if } x = \\text{\\textbf{bold} and $\\alpha_i$ here}", 104.45566, 6.88875, 1.49998 },
    { 'T', "\\text{for all $x \\in A$, } f(x) \\geq 0, \\quad \\text{then $y$}^2 + x_{\\text{in $a$}}", 177.66177, 8.92755, 2.50000 },
    { 'D', "\\mathfrak{g} + \\mathfrak{A} + \\mathscr{L} + \\mathscr{F} + \\mathbb{Z}_{\\mathbb{N}} + x_{\\mathscr{A}}", 120.63911, 6.99998, 1.89056 },
    { 'D', "\\mathbb{E}_{x} + \\mathbb{R}^n + \\mathfrak{so}_{\\mathfrak{n}}", 63.02274, 7.14280, 1.49998 },
    { 'D', "A \\subsetneq B \\nsubseteq C, \\quad f \\circlearrowright, \\quad a \\leqq b \\geqq c", 135.54834, 7.93828, 3.02742 },
    { 'D', "a \\cong b_{x \\cong y} + p \\lessapprox q \\approxeq r", 92.03473, 7.55833, 2.86108 },
    { 'D', "\\color{red}{x} + \\textcolor{blue}{y} = \\cancel{z} + 1", 58.84521, 6.29724, 1.94444 },
    { 'D', "\\begin{pmatrix} a \\\\ b \\end{pmatrix} + \\bigl(\\begin{smallmatrix} a & b \\\\ c & d \\end{smallmatrix}\\bigr)", 56.00793, 14.50010, 9.50012 },
    { 'D', "\\mathcal{L} = -\\sum_{j} y_j \\log p_j \\allowbreak + \\lambda \\lVert \\theta \\rVert^2 \\nobreak + 0", 135.12239, 10.50006, 14.15974 },
    /* LaTeX's \check@icl / \check@icr: a text font command nested in \text
     * adds the italic correction of the character before it (new font
     * upright) and of its last character (font after it upright), past a
     * space, not before ',' '.', not for an empty or blank argument; not at
     * the top level (\nfss@text is an \hbox) */
    { 'D', "\\text{the \\emph{expected} loss}", 72.04056, 6.88875, 1.94443 },
    { 'D', "\\text{\\textit{of} x} + \\text{a \\textit{f}.} + \\text{\\textit{f}, x}", 71.59480, 6.88875, 1.94443 },
    { 'D', "\\text{\\textbf{f} \\textrm{x}} + \\text{\\textit{if \\textup{x} y}}", 51.37216, 6.88875, 1.94443 },
    { 'D', "\\text{a\\textit{f}\\textit{g}} + \\text{\\textit{ }x} + \\textit{a \\emph{f}}", 60.40904, 6.88875, 1.94443 },
    /* \(...\) for math in \text (what a Markdown $$ display can hold) */
    { 'T', "\\text{for all \\(x \\in A\\), } f(x) \\geq 0, \\quad \\text{then \\(y\\)}^2", 145.51141, 8.92755, 2.50000 },
};

static void t_against_pdflatex(void **state)
{
    (void)state;
    lb_err e = { 0 };
    math_fonts *mf = math_fonts_new(NULL, &e);
    assert_non_null(mf);
    int bad = 0;
    for (size_t i = 0; i < sizeof T_tex / sizeof *T_tex; i++) {
        const T_box *t = &T_tex[i];
        int col = 0;
        err_clear(&e);
        math_box *b = math_layout(mf, t->tex, t->mode == 'D' ? MATH_DISPLAY : MATH_TEXT, 10, &col,
                                  &e);
        if (!b) {
            fprintf(stderr, "%s: col %d: %s\n", t->tex, col, e.msg);
            bad++;
            continue;
        }
        if (fabs(b->width - t->w) > 0.01 || fabs(b->height - t->h) > 0.01
            || fabs(b->depth - t->d) > 0.01) {
            fprintf(stderr, "%s: %.3f %.3f %.3f, pdflatex %.3f %.3f %.3f\n", t->tex, b->width,
                    b->height, b->depth, t->w, t->h, t->d);
            bad++;
        }
        math_box_free(b);
    }
    math_fonts_free(mf);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_against_pdflatex) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
