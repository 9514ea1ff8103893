/* test_tounicode — copy and search: every symbol command of the math subset
 * (the whole table of math_symbols.c) is typeset on a page, one per line
 * after a numbered label, and poppler's pdftotext must give back the
 * character a person would type for it: the fonts' ToUnicode maps and the
 * formula's /ActualText (a glyph pair like \neq reads as one "≠").  The expected strings below are
 * written by hand from the Unicode charts (and TeX's meaning of each
 * command: \phi is the straight phi symbol U+03D5, \varphi the loopy
 * U+03C6, \epsilon the lunate U+03F5); a symbol added to the table without
 * an expected string here fails the test.  Also checks the CMap program
 * itself (UTF-16 surrogates) and the class rules of pdf_tounicode_glyph. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <hpdf.h>
#include "math/math.h"
#include "math/math_int.h"
#include "pdf/pdf_fonts.h"
#include "pdf/pdf_math.h"
#include "pdf/pdf_tounicode.h"

typedef struct T_exp { const char *cmd, *text; } T_exp;

/* what each command reads as (formula "\cmd" alone, text style) */
static const T_exp T_expect[] = {
    { "alpha", "α" }, { "beta", "β" }, { "gamma", "γ" }, { "delta", "δ" },
    { "epsilon", "ϵ" }, { "varepsilon", "ε" }, { "zeta", "ζ" }, { "eta", "η" },
    { "theta", "θ" }, { "vartheta", "ϑ" }, { "iota", "ι" }, { "kappa", "κ" },
    { "lambda", "λ" }, { "mu", "μ" }, { "nu", "ν" }, { "xi", "ξ" }, { "pi", "π" },
    { "varpi", "ϖ" }, { "rho", "ρ" }, { "varrho", "ϱ" }, { "sigma", "σ" },
    { "varsigma", "ς" }, { "tau", "τ" }, { "upsilon", "υ" }, { "phi", "ϕ" },
    { "varphi", "φ" }, { "chi", "χ" }, { "psi", "ψ" }, { "omega", "ω" },
    { "Gamma", "Γ" }, { "Delta", "Δ" }, { "Theta", "Θ" }, { "Lambda", "Λ" }, { "Xi", "Ξ" },
    { "Pi", "Π" }, { "Sigma", "Σ" }, { "Upsilon", "Υ" }, { "Phi", "Φ" }, { "Psi", "Ψ" },
    { "Omega", "Ω" },
    { "varGamma", "Γ" }, { "varDelta", "Δ" }, { "varTheta", "Θ" }, { "varLambda", "Λ" },
    { "varXi", "Ξ" }, { "varPi", "Π" }, { "varSigma", "Σ" }, { "varUpsilon", "Υ" },
    { "varPhi", "Φ" }, { "varPsi", "Ψ" }, { "varOmega", "Ω" },
    { "partial", "∂" }, { "ell", "ℓ" }, { "imath", "ı" }, { "jmath", "ȷ" }, { "wp", "℘" },
    { "nabla", "∇" }, { "infty", "∞" }, { "prime", "′" }, { "forall", "∀" },
    { "exists", "∃" }, { "emptyset", "∅" }, { "neg", "¬" }, { "lnot", "¬" },
    { "top", "⊤" }, { "bot", "⊥" }, { "aleph", "ℵ" }, { "Re", "ℜ" }, { "Im", "ℑ" },
    { "dagger", "†" }, { "ddagger", "‡" }, { "S", "§" }, { "triangle", "△" },
    { "backslash", "\\" }, { "%", "%" }, { "#", "#" }, { "&", "&" }, { "$", "$" },
    { "_", "_" },
    { "+", "+" }, { "-", "−" }, { "*", "∗" }, { "ast", "∗" }, { "pm", "±" }, { "mp", "∓" },
    { "times", "×" }, { "cdot", "⋅" }, { "circ", "∘" }, { "bullet", "∙" }, { "odot", "⊙" },
    { "oplus", "⊕" }, { "ominus", "⊖" }, { "otimes", "⊗" }, { "oslash", "⊘" },
    { "div", "÷" }, { "cup", "∪" }, { "cap", "∩" }, { "setminus", "\\" },
    { "wedge", "∧" }, { "land", "∧" }, { "vee", "∨" }, { "lor", "∨" }, { "star", "⋆" },
    { "diamond", "⋄" }, { "wr", "≀" }, { "bigtriangleup", "△" },
    { "=", "=" }, { "<", "<" }, { ">", ">" }, { ":", ":" }, { "leq", "≤" }, { "le", "≤" },
    { "geq", "≥" }, { "ge", "≥" }, { "ll", "≪" }, { "gg", "≫" }, { "approx", "≈" },
    { "equiv", "≡" }, { "sim", "∼" }, { "simeq", "≃" }, { "asymp", "≍" },
    { "propto", "∝" }, { "to", "→" }, { "rightarrow", "→" }, { "leftarrow", "←" },
    { "gets", "←" }, { "leftrightarrow", "↔" }, { "Rightarrow", "⇒" },
    { "Leftarrow", "⇐" }, { "Leftrightarrow", "⇔" }, { "uparrow", "↑" },
    { "downarrow", "↓" }, { "in", "∈" }, { "ni", "∋" }, { "subset", "⊂" },
    { "supset", "⊃" }, { "subseteq", "⊆" }, { "supseteq", "⊇" }, { "mid", "|" },
    { "parallel", "‖" }, { "perp", "⊥" }, { "prec", "≺" }, { "succ", "≻" },
    { "vdash", "⊢" }, { "dashv", "⊣" }, { "leqslant", "⩽" }, { "geqslant", "⩾" },
    { "preceq", "⪯" }, { "succeq", "⪰" }, { "sqsubseteq", "⊑" }, { "sqsupseteq", "⊒" },
    { "models", "⊢" }, { "Uparrow", "⇑" }, { "Downarrow", "⇓" }, { "nearrow", "↗" },
    { "searrow", "↘" }, { "nwarrow", "↖" }, { "swarrow", "↙" }, { "leftharpoonup", "↼" },
    { "rightharpoonup", "⇀" },
    /* \not alone is the combining long solidus; \neq, \notin, \mapsto are
     * two glyphs each, read as one character */
    { "not", "\xcc\xb8" }, { "mapsto", "↦" }, { "neq", "≠" }, { "ne", "≠" },
    { "notin", "∉" },
    { ",", "," }, { ";", ";" }, { "colon", ":" }, { ".", "." }, { "!", "!" }, { "?", "?" },
    { "@", "@" },
    { "(", "(" }, { ")", ")" }, { "[", "[" }, { "]", "]" }, { "lbrack", "[" },
    { "rbrack", "]" }, { "{", "{" }, { "}", "}" }, { "lbrace", "{" }, { "rbrace", "}" },
    { "langle", "⟨" }, { "rangle", "⟩" }, { "lfloor", "⌊" }, { "rfloor", "⌋" },
    { "lceil", "⌈" }, { "rceil", "⌉" }, { "|", "|" }, { "vert", "|" }, { "lvert", "|" },
    { "rvert", "|" }, { "\\|", "‖" }, { "Vert", "‖" }, { "lVert", "‖" }, { "rVert", "‖" },
    { "/", "/" },
    { "sum", "∑" }, { "prod", "∏" }, { "coprod", "∐" }, { "int", "∫" }, { "oint", "∮" },
    { "bigcup", "⋃" }, { "bigcap", "⋂" }, { "bigoplus", "⨁" }, { "bigotimes", "⨂" },
    { "bigodot", "⨀" }, { "bigvee", "⋁" }, { "bigwedge", "⋀" }, { "bigsqcup", "⨆" },
    { "log", "log" }, { "ln", "ln" }, { "exp", "exp" }, { "lg", "lg" }, { "arg", "arg" },
    { "max", "max" }, { "min", "min" }, { "lim", "lim" }, { "sup", "sup" }, { "inf", "inf" },
    { "det", "det" }, { "Pr", "Pr" }, { "gcd", "gcd" }, { "limsup", "lim sup" },
    { "liminf", "lim inf" }, { "argmax", "arg max" }, { "argmin", "arg min" },
    { "sin", "sin" }, { "cos", "cos" }, { "tan", "tan" }, { "sinh", "sinh" },
    { "cosh", "cosh" }, { "tanh", "tanh" }, { "dim", "dim" }, { "ker", "ker" },
    { "deg", "deg" }, { "hom", "hom" }, { "arcsin", "arcsin" }, { "arccos", "arccos" },
    { "arctan", "arctan" }, { "sec", "sec" }, { "csc", "csc" }, { "cot", "cot" },
    { "coth", "coth" }, { "injlim", "inj lim" }, { "projlim", "proj lim" },
    { "ldots", "…" }, { "dots", "…" }, { "cdots", "⋯" }, { "dotsc", "…" },
    { "dotsb", "⋯" }, { "dotsm", "⋯" }, { "dotso", "…" }, { "dotsi", "⋯" },
    /* vertical and diagonal dots span three text lines: not read back */
    { "vdots", NULL }, { "ddots", NULL },
};

/* amssymb's symbols, drawn from KaTeX_AMS (math_amssym.inc): the ones the
 * issue names, by hand from the Unicode charts; the rest of that generated
 * table must read back as the character the table gives them (the round
 * trip through the TrueType font's ToUnicode map and /ActualText) */
static const T_exp T_expect_ams[] = {
    { "lesssim", "≲" }, { "gtrsim", "≳" }, { "varnothing", "∅" }, { "nleq", "≰" },
    { "triangleq", "≜" }, { "intercal", "⊺" }, { "checkmark", "✓" }, { "square", "□" },
    { "hbar", "ℏ" }, { "subsetneq", "⊊" }, { "leqq", "≦" }, { "therefore", "∴" },
    { "Bbbk", "𝕜" },   /* KaTeX draws it at "k"; it reads as the double-struck k */
};

static const T_exp *S_expected(const char *cmd)
{
    static T_exp gen;
    for (size_t i = 0; i < sizeof T_expect / sizeof *T_expect; i++)
        if (!strcmp(T_expect[i].cmd, cmd))
            return &T_expect[i];
    for (size_t i = 0; i < sizeof T_expect_ams / sizeof *T_expect_ams; i++)
        if (!strcmp(T_expect_ams[i].cmd, cmd))
            return &T_expect_ams[i];
    const msymdef *s = math_sym_find(cmd, strlen(cmd));
    if (s && s->sym.fam == FAM_BB) {
        gen = (T_exp){ s->cmd, s->sym.name };
        return &gen;
    }
    return NULL;
}

/* the formula for a table entry: "\cmd", or "\{" for one-char commands */
static void S_formula(const char *cmd, char *buf, size_t cap)
{
    if (cmd[0] == '\\' || (strlen(cmd) == 1 && !strchr("%#&$_{}S", cmd[0])))
        snprintf(buf, cap, "%s", cmd);
    else
        snprintf(buf, cap, "\\%s", cmd);
}

/* Typesets formulas f[0..n) in text style, one per A5 page after a label
 * "S<i>:", saves the PDF and reads it back with pdftotext: got[i] (malloc'd,
 * NULL if the page was not read) is page i's text without the label and
 * without white space.  Returns the number of pages read. */
static int S_read_back(math_fonts *mf, const char *const *f, size_t n, char **got)
{
    lb_err e;
    err_clear(&e);
    HPDF_Doc doc = HPDF_New(NULL, NULL);
    assert_non_null(doc);
    HPDF_UseUTFEncodings(doc);   /* the TrueType math fonts (pdf_ttface.h) */
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    pdf_fonts *pf = pdf_fonts_new(doc, mf, &e);
    assert_non_null(pf);
    HPDF_Font rm = pdf_fonts_get(pf, "lmr10", "WinAnsiEncoding", &e);
    assert_non_null(rm);
    for (size_t i = 0; i < n; i++) {
        got[i] = NULL;
        if (!f[i])
            continue;
        /* one page per formula: pdftotext's layout cannot mix lines up */
        HPDF_Page page = HPDF_AddPage(doc);
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A5, HPDF_PAGE_PORTRAIT);
        double y = HPDF_Page_GetHeight(page) - 60;
        char label[32];
        snprintf(label, sizeof label, "S%zu:", i);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, rm, 10);
        HPDF_Page_TextOut(page, 60, (HPDF_REAL)y, label);
        HPDF_Page_EndText(page);
        int col = 0;
        math_box *b = math_layout(mf, f[i], MATH_TEXT, 10, &col, &e);
        if (!b)
            fail_msg("%s: %s", f[i], e.msg);
        assert_int_equal(pdf_math_draw(pf, page, b, 100, y, &e), 0);
        math_box_free(b);
    }
    char path[] = "/tmp/lb-tounicode-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(pdf_fonts_finish(pf, &e), 0);
    assert_int_equal(HPDF_SaveToFile(doc, path), HPDF_OK);
    pdf_fonts_free(pf);
    HPDF_Free(doc);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    /* pages end in a form feed; each reads "S<i>:" then the formula */
    size_t cap = 1 << 16, len = 0, k;
    char *all = malloc(cap);
    assert_non_null(all);
    while ((k = fread(all + len, 1, cap - len - 1, p)) > 0) {
        len += k;
        if (cap - len < 2) {
            all = realloc(all, cap *= 2);
            assert_non_null(all);
        }
    }
    all[len] = '\0';
    int seen = 0;
    for (char *pg = all, *ff; pg && *pg; pg = ff ? ff + 1 : NULL) {
        ff = strchr(pg, '\f');
        if (ff)
            *ff = '\0';
        size_t i;
        int off = 0;
        char *lab = strstr(pg, "S");
        if (!lab || sscanf(lab, "S%zu:%n", &i, &off) != 1 || off == 0 || i >= n || got[i])
            continue;
        memmove(lab, lab + off, strlen(lab + off) + 1);
        char *t = malloc(strlen(pg) + 1);
        assert_non_null(t);
        size_t tn = 0;
        for (char *c = pg; *c; c++)
            if (*c != ' ' && *c != '\n')
                t[tn++] = *c;
        t[tn] = '\0';
        got[i] = t;
        seen++;
    }
    free(all);
    pclose(p);
    if (!getenv("TOUNICODE_KEEP"))
        unlink(path);
    else
        fprintf(stderr, "kept %s\n", path);
    return seen;
}

/* `want` without its spaces equals `got` */
static int S_same(const char *got, const char *want)
{
    if (!got)
        return 0;
    for (;; want++) {
        while (*want == ' ')
            want++;
        if (*want != *got)
            return 0;
        if (!*want)
            return 1;
        got++;
    }
}

static void t_every_symbol(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    math_fonts *mf = math_fonts_new(NULL, &e);
    assert_non_null(mf);
    size_t n = math_sym_count();
    char **f = calloc(n, sizeof *f), **got = calloc(n, sizeof *got);
    assert_true(f && got);
    for (size_t i = 0; i < n; i++) {
        const msymdef *s = math_sym_at(i);
        const T_exp *x = S_expected(s->cmd);
        if (!x)
            fail_msg("symbol '%s' has no expected text in this test", s->cmd);
        if (!x->text)
            continue;
        f[i] = malloc(64);
        assert_non_null(f[i]);
        S_formula(s->cmd, f[i], 64);
    }
    int seen = S_read_back(mf, (const char *const *)f, n, got), bad = 0;
    for (size_t i = 0; i < n; i++) {
        const T_exp *x = S_expected(math_sym_at(i)->cmd);
        if (f[i] && !S_same(got[i], x->text)) {
            fprintf(stderr, "\\%s reads as '%s', expected '%s'\n", x->cmd,
                    got[i] ? got[i] : "(nothing)", x->text);
            bad++;
        }
        free(f[i]);
        free(got[i]);
    }
    free(f);
    free(got);
    math_fonts_free(mf);
    assert_int_equal(bad, 0);
    assert_int_equal(seen, (int)n - 2);   /* all but \vdots \ddots */
}

/* The math alphabets and text families read as the characters they
 * stand for (Unicode's Mathematical Alphanumeric Symbols, by hand from the
 * chart: Fraktur R and Script L are the older letterlike ℜ U+211C and ℒ
 * U+2112), ligatures as their letters. */
static void t_alphabets(void **state)
{
    (void)state;
    static const T_exp want[] = {
        { "\\mathfrak{g} \\mathfrak{A} \\mathfrak{R}", "𝔤 𝔄 ℜ" },
        { "\\mathscr{A} \\mathscr{L} \\mathscr{F}", "𝒜 ℒ ℱ" },
        { "\\mathbb{R}^n \\mathbb{E}", "ℝ^n 𝔼" },
        { "\\mathit{diff} + \\mathit{office}", "diff + office" },
        { "\\mathsf{Attn} \\mathtt{x2}", "Attn x2" },
        { "\\text{\\emph{fluffy} \\textbf{ff} \\textsf{s} \\texttt{t}}", "fluffy ff s t" },
        { "A \\cong B", "A ≅ B" },
        { "\\cancel{x} + \\color{red}{y}", "x + y" },
    };
    enum { N = sizeof want / sizeof *want };
    lb_err e;
    err_clear(&e);
    math_fonts *mf = math_fonts_new(NULL, &e);
    assert_non_null(mf);
    const char *f[N];
    char *got[N];
    for (size_t i = 0; i < N; i++)
        f[i] = want[i].cmd;
    assert_int_equal(S_read_back(mf, f, N, got), N);
    int bad = 0;
    for (size_t i = 0; i < N; i++) {
        if (!S_same(got[i], want[i].text)) {
            fprintf(stderr, "%s reads as '%s', expected '%s'\n", want[i].cmd,
                    got[i] ? got[i] : "(nothing)", want[i].text);
            bad++;
        }
        free(got[i]);
    }
    math_fonts_free(mf);
    assert_int_equal(bad, 0);
}

static void t_classes(void **state)
{
    (void)state;
    uint32_t u[PDF_TU_MAXCP];
    /* one name, four meanings: the font's class decides */
    assert_int_equal(pdf_tounicode_glyph("lmmi10", "phi", u), 1);
    assert_int_equal(u[0], 0x03D5);   /* TeX's \phi */
    assert_int_equal(pdf_tounicode_glyph("lmmi10", "phi1", u), 1);
    assert_int_equal(u[0], 0x03C6);   /* TeX's \varphi */
    assert_int_equal(pdf_tounicode_glyph("lmsy10", "periodcentered", u), 1);
    assert_int_equal(u[0], 0x22C5);   /* \cdot: DOT OPERATOR */
    assert_int_equal(pdf_tounicode_glyph("lmr10", "periodcentered", u), 1);
    assert_int_equal(u[0], 0x00B7);   /* text middle dot */
    assert_int_equal(pdf_tounicode_glyph("lmsy7", "L", u), 1);
    assert_int_equal(u[0], 0x2112);   /* \mathcal{L}: SCRIPT CAPITAL L */
    assert_int_equal(pdf_tounicode_glyph("lmsy10", "A", u), 1);
    assert_int_equal(u[0], 0x1D49C);  /* MATHEMATICAL SCRIPT CAPITAL A */
    assert_int_equal(pdf_tounicode_glyph("lmmi10", "L", u), 1);
    assert_int_equal(u[0], 'L');
    assert_int_equal(pdf_tounicode_glyph("lmex10", "summationdisplay", u), 1);
    assert_int_equal(u[0], 0x2211);
    assert_int_equal(pdf_tounicode_glyph("lmex10", "radicalBigg", u), 1);
    assert_int_equal(u[0], 0x221A);
    assert_int_equal(pdf_tounicode_glyph("lmex10", "parenleftBig", u), 1);
    assert_int_equal(u[0], '(');
    assert_int_equal(pdf_tounicode_glyph("lmr10", "ffi", u), 3);
    assert_int_equal(u[0], 'f');
    assert_int_equal(u[1], 'f');
    assert_int_equal(u[2], 'i');
    assert_int_equal(pdf_tounicode_glyph("lmr10", "no-such-glyph", u), 0);
}

static void t_cmap_text(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    pdf_tu_map map[256];
    memset(map, 0, sizeof map);
    map[0x41] = (pdf_tu_map){ 1, { 0x1D49C } };   /* UTF-16: D835 DC9C */
    map[0x0B] = (pdf_tu_map){ 2, { 'f', 'f' } };
    char *s = pdf_tounicode_cmap(map, &e);
    assert_non_null(s);
    assert_non_null(strstr(s, "2 beginbfchar\n<0B> <00660066>\n<41> <D835DC9C>\nendbfchar\n"));
    assert_non_null(strstr(s, "<00> <FF>"));
    free(s);
    /* 150 entries: two blocks, 100 + 50 */
    for (int c = 0; c < 150; c++)
        map[c] = (pdf_tu_map){ 1, { 0x41 } };
    s = pdf_tounicode_cmap(map, &e);
    assert_non_null(s);
    assert_non_null(strstr(s, "100 beginbfchar"));
    assert_non_null(strstr(s, "50 beginbfchar"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_classes),
        cmocka_unit_test(t_cmap_text),
        cmocka_unit_test(t_every_symbol),
        cmocka_unit_test(t_alphabets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
