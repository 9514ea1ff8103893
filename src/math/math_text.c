/* math_text — the linear text of a formula, as a person would type it in
 * plain Unicode: "σ(z) = 1/(1 + e^(−z))", "∑_(k=1)^V e^(z_k)", "√(x + y)",
 * "ŷ", "x ≠ y".  The PDF renderer attaches it to the drawn glyphs as
 * /ActualText, so copying or extracting a formula gives this line instead
 * of glyphs scattered over baselines (superscripts on the line above, the
 * numerator above the denominator).
 *
 * Rules: symbols read as their Unicode characters (math_unicode.h); letters
 * as plain letters; spaces where TeX's spacing table puts thin, medium or
 * thick space between atoms (so "a + b", "x = y", "log x", but "x^(l+1)" in
 * scripts, where TeX puts none); a script or a fraction's part in
 * parentheses unless it is one plain word ("w_jk", "e^(z_j)", "1/N");
 * \left( ... \right) as the two characters; rows of an environment
 * separated by "; " (aligned: by a line break). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "math/math_int.h"
#include "math/math_unicode.h"

typedef struct S_buf {
    char *s;
    size_t n, cap;
    int oom;
    int lead;   /* the formula's list follows an operand: a Bin first is binary */
    int trail;  /* an operand follows the list: a Bin last is binary */
} S_buf;

static void S_put(S_buf *b, const char *s, size_t len)
{
    if (b->oom)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->n + len + 1)
            nc *= 2;
        char *ns = realloc(b->s, nc);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = nc;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

static void S_str(S_buf *b, const char *s) { S_put(b, s, strlen(s)); }

static void S_cp(S_buf *b, uint32_t cp)
{
    char u[5];
    S_put(b, u, (size_t)math_unicode_utf8(u, cp));
}

/* one space, never two in a row, none at the start */
static void S_space(S_buf *b)
{
    if (b->n > 0 && b->s[b->n - 1] != ' ' && b->s[b->n - 1] != '\n')
        S_put(b, " ", 1);
}

static const char *S_fam_base(int fam)
{
    switch (fam) {
    case FAM_MI: case FAM_BMI: return "lmmi10";
    case FAM_SY: return "lmsy10";
    case FAM_EX: return "lmex10";
    default: return "lmr10";
    }
}

/* Unicode of a symbol: 0 if unknown (then nothing is written). */
static int S_sym_cp(msym s, uint32_t out[MATH_UNI_MAX])
{
    if (!s.name)
        return 0;
    if (FAM_IS_TTF(s.fam)) {   /* named by its character (math_fonts.c) */
        if (strlen(s.name) == 1) {
            int c = (unsigned char)s.name[0];
            out[0] = s.fam == FAM_BB ? math_unicode_doublestruck(c)
                     : s.fam == FAM_FRAK ? math_unicode_fraktur(c) : math_unicode_script(c);
            return 1;
        }
        const unsigned char *u = (const unsigned char *)s.name;
        if ((u[0] & 0xE0) == 0xC0)
            out[0] = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
        else
            out[0] = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
        return 1;
    }
    return math_unicode_glyph(S_fam_base(s.fam), s.name, out);
}

static void S_sym(S_buf *b, msym s)
{
    uint32_t u[MATH_UNI_MAX];
    int n = S_sym_cp(s, u);
    for (int i = 0; i < n; i++)
        S_cp(b, u[i]);
}

static void S_delim(S_buf *b, const mdelim *d)
{
    if (d->small)
        S_sym(b, (msym){ d->fam, d->small });
    else if (d->large)
        S_sym(b, (msym){ FAM_EX, d->large });
}

/* \text content: TeX escapes and grouping braces dropped */
static void S_text(S_buf *b, const char *t)
{
    for (const char *p = t; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            if (strchr(",:;> ", *p))
                S_space(b);
            else if (*p != '!')
                S_put(b, p, 1);
            continue;
        }
        if (*p == '{' || *p == '}')
            continue;
        if (*p == '~' || *p == '\n' || *p == '\t')
            S_space(b);
        else
            S_put(b, p, 1);
    }
}

static void S_list(S_buf *b, const mlist *l, int style, int depth);

/* A list that reads as one word: ordinary characters, opening and closing
 * delimiters and text, without scripts or structures. */
static int S_simple(const mlist *l)
{
    if (!l)
        return 1;
    for (int i = 0; i < l->n; i++) {
        const mnoad *q = &l->v[i];
        if (q->type == N_STYLE || q->type == N_PENALTY)
            continue;
        if (q->type != N_ATOM || q->sup || q->sub)
            return 0;
        /* a lone binary sign is ordinary ("θ^*") */
        int cls = q->cls == C_BIN && l->n == 1 ? C_ORD : q->cls;
        if (cls != C_ORD && cls != C_OPEN && cls != C_CLOSE)
            return 0;
        if (q->nk == NK_LIST && !S_simple(q->list))
            return 0;
        if (q->nk == NK_TEXT && q->text && strpbrk(q->text, " ~"))
            return 0;
    }
    return 1;
}

/* one atom, its scripts already parenthesised as needed ("e^(z_j)") */
static int S_one_atom(const mlist *l)
{
    if (!l || l->n != 1)
        return 0;
    const mnoad *q = &l->v[0];
    return q->type == N_ATOM && (q->cls == C_ORD || q->cls == C_OP)
           && (q->nk != NK_LIST || S_simple(q->list));
}

static void S_group_as(S_buf *b, const mlist *l, int style, int depth, int frac)
{
    int paren = !S_simple(l) && !(frac && S_one_atom(l));
    if (paren)
        S_str(b, "(");
    S_list(b, l, style, depth + 1);
    if (paren)
        S_str(b, ")");
}

static void S_group(S_buf *b, const mlist *l, int style, int depth)
{
    S_group_as(b, l, style, depth, 0);
}

static int S_only_primes(const mlist *l)
{
    if (!l || l->n == 0)
        return 0;
    for (int i = 0; i < l->n; i++)
        if (l->v[i].nk != NK_SYM || !l->v[i].sym.name || strcmp(l->v[i].sym.name, "prime"))
            return 0;
    return 1;
}

static int S_sup_style(int s) { return (s < 4 ? 4 : 6) | (s & 1); }
static int S_num_style(int s) { return (s < 2 ? 2 : s < 4 ? 4 : 6) | (s & 1); }

static void S_scripts(S_buf *b, const mnoad *q, int style, int depth)
{
    if (q->sub) {
        S_str(b, "_");
        S_group(b, q->sub, S_sup_style(style) | 1, depth);
    }
    if (q->sup) {
        if (S_only_primes(q->sup)) {
            S_list(b, q->sup, style, depth + 1);
        } else {
            S_str(b, "^");
            S_group(b, q->sup, S_sup_style(style), depth);
        }
    }
}

/* combining mark of an accent glyph */
static uint32_t S_mark(const char *glyph)
{
    static const struct { const char *g; uint32_t m; } acc[] = {
        { "circumflex", 0x0302 }, { "hatwide", 0x0302 }, { "tilde", 0x0303 },
        { "tildewide", 0x0303 }, { "macron", 0x0304 }, { "vector", 0x20D7 },
        { "dotaccent", 0x0307 }, { "dieresis", 0x0308 }, { "caron", 0x030C },
        { "breve", 0x0306 }, { "acute", 0x0301 }, { "grave", 0x0300 }, { "ring", 0x030A },
    };
    for (size_t i = 0; glyph && i < sizeof acc / sizeof *acc; i++)
        if (!strcmp(acc[i].g, glyph))
            return acc[i].m;
    return 0x0305;   /* \overline */
}

static void S_array(S_buf *b, const mnoad *q, int style, int depth)
{
    static const char *const open[] = { [ENV_PMATRIX] = "(", [ENV_BMATRIX] = "[",
                                         [ENV_VMATRIX] = "|", [ENV_CASES] = "{",
                                         [ENV_BBMATRIX] = "{", [ENV_VVMATRIX] = "‖" };
    static const char *const close[] = { [ENV_PMATRIX] = ")", [ENV_BMATRIX] = "]",
                                          [ENV_VMATRIX] = "|", [ENV_BBMATRIX] = "}",
                                          [ENV_VVMATRIX] = "‖" };
    int cs = q->env == ENV_ALIGNED || q->env == ENV_GATHERED ? (style & 1) : 2 | (style & 1);
    if (q->env < (int)(sizeof open / sizeof *open) && open[q->env])
        S_str(b, open[q->env]);
    for (int r = 0; r < q->rows; r++) {
        if (r > 0 && (q->env == ENV_ALIGNED || q->env == ENV_GATHERED))
            S_str(b, "\n");
        else if (r > 0) {
            /* "1, z > 0; 0, z ≤ 0": a row's own final comma gives way */
            while (b->n > 0 && (b->s[b->n - 1] == ',' || b->s[b->n - 1] == ' '))
                b->s[--b->n] = '\0';
            S_str(b, "; ");
        }
        for (int k = 0; k < q->cols; k++) {
            const mlist *c = q->cells[r * q->cols + k];
            if (!c || c->n == 0)
                continue;
            if (k > 0)
                S_str(b, q->env == ENV_ALIGNED ? " " : ", ");
            S_list(b, c, cs, depth + 1);
        }
    }
    if (q->env < (int)(sizeof close / sizeof *close) && close[q->env])
        S_str(b, close[q->env]);
}

static void S_nucleus(S_buf *b, const mnoad *q, int style, int depth)
{
    if (q->actual) {
        S_str(b, q->actual);
        return;
    }
    switch (q->type) {
    case N_BOXED: case N_PMB: case N_OVERARROW: case N_CANCEL:
        S_list(b, q->list, q->type == N_BOXED ? 0 : style, depth + 1);
        if (q->type == N_OVERARROW)
            S_cp(b, q->aux == 1 ? 0x20D6 : q->aux == 2 ? 0x20E1 : 0x20D7);
        return;
    case N_UNDERLINE:
        S_group(b, q->list, style, depth);
        S_cp(b, 0x0332);
        return;
    case N_PHANTOM:   /* a phantom is only space; \smash keeps its text */
        if (q->aux >= PH_SMASH)
            S_list(b, q->list, style, depth + 1);
        else
            S_space(b);
        return;
    case N_XARROW:
        S_cp(b, q->aux ? 0x2190 : 0x2192);
        return;
    case N_FRAC: {
        int s = q->fstyle >= 0 ? q->fstyle : style;
        if (q->frac_norule) {   /* \binom{n}{k}: "(n choose k)" */
            S_str(b, q->has_fdelim ? "(" : "");
            S_list(b, q->list, S_num_style(s), depth + 1);
            S_str(b, q->has_fdelim ? " choose " : " atop ");
            S_list(b, q->den, S_num_style(s) | 1, depth + 1);
            S_str(b, q->has_fdelim ? ")" : "");
            return;
        }
        S_group_as(b, q->list, S_num_style(s), depth, 1);
        S_str(b, "/");
        S_group_as(b, q->den, S_num_style(s) | 1, depth, 1);
        return;
    }
    case N_RAD:
        if (q->den && S_simple(q->den) && q->den->n == 1 && q->den->v[0].nk == NK_SYM
            && q->den->v[0].sym.name && (!strcmp(q->den->v[0].sym.name, "three")
                                         || !strcmp(q->den->v[0].sym.name, "four")))
            S_cp(b, q->den->v[0].sym.name[0] == 't' ? 0x221B : 0x221C);
        else {
            S_cp(b, 0x221A);
            if (q->den) {
                S_str(b, "[");
                S_list(b, q->den, 6, depth + 1);
                S_str(b, "]");
            }
        }
        S_group(b, q->list, style | 1, depth);
        return;
    case N_ACC:
        S_group(b, q->list, style | 1, depth);
        S_cp(b, S_mark(q->acc.name));
        return;
    case N_LR:
        for (int i = 0; i <= q->nseg; i++) {
            S_delim(b, &q->delims[i]);
            if (i < q->nseg)
                S_list(b, q->segs[i], style, depth + 1);
        }
        return;
    case N_ARRAY:
        S_array(b, q, style, depth);
        return;
    case N_UBRACE:
        S_group(b, q->list, style, depth);
        S_cp(b, q->aux ? 0x23DE : 0x23DF);
        return;
    default:
        break;
    }
    switch (q->nk) {
    case NK_SYM:
        if (q->aux >= 1 && q->aux <= 4) {
            static const uint32_t dots[5] = { 0, 0x2026, 0x22EF, 0x22EE, 0x22F1 };
            S_cp(b, dots[q->aux]);
        } else
            S_sym(b, q->sym);
        return;
    case NK_LIST:
        S_list(b, q->list, style, depth + 1);
        return;
    case NK_TEXT:
        S_text(b, q->text ? q->text : "");
        return;
    case NK_DELIM:
        S_delim(b, &q->delim);
        return;
    default:
        return;
    }
}

/* TeX's inter-atom spacing (math_layout.c's table): is there a space? */
static int S_spaced(int left, int right, int style)
{
    static const char tab[8][9] = {
        "02340001", "22*40001", "33**3**3", "44*04004",
        "00*00000", "02340001", "11*11111", "12341011",
    };
    char c = tab[left][right];
    return c == '2' || ((c == '1' || c == '3' || c == '4') && style < 4);
}

/* "\not" + a relation: the precomposed character where Unicode has one */
static uint32_t S_negated(uint32_t cp)
{
    static const uint32_t pair[][2] = {
        { '=', 0x2260 }, { 0x2208, 0x2209 }, { '<', 0x226E }, { '>', 0x226F },
        { 0x2264, 0x2270 }, { 0x2265, 0x2271 }, { 0x2282, 0x2284 }, { 0x2283, 0x2285 },
        { 0x2286, 0x2288 }, { 0x2287, 0x2289 }, { 0x2261, 0x2262 }, { 0x223C, 0x2241 },
        { 0x2248, 0x2249 }, { 0x2243, 0x2244 }, { 0x220B, 0x220C }, { 0x227A, 0x2280 },
        { 0x227B, 0x2281 }, { 0x2223, 0x2224 }, { '|', 0x2224 }, { 0x2016, 0x2226 },
    };
    for (size_t i = 0; i < sizeof pair / sizeof *pair; i++)
        if (pair[i][0] == cp)
            return pair[i][1];
    return 0;
}

static int S_is(const mnoad *q, const char *glyph)
{
    return q && q->type == N_ATOM && q->nk == NK_SYM && !q->aux && q->sym.name
           && !strcmp(q->sym.name, glyph);
}

static void S_list(S_buf *b, const mlist *l, int style, int depth)
{
    if (!l || depth > MATH_MAX_DEPTH)
        return;
    int lead = depth == 0 && b->lead, trail = depth == 0 && b->trail;
    int n = l->n, prev = lead ? C_ORD : -1, prev_unary = 0, prev_struct = 0, cur = style;
    /* classes as TeX resolves them: a Bin that cannot be binary is Ord */
    int *cls = malloc((size_t)(n ? n : 1) * sizeof *cls);
    if (!cls) {
        b->oom = 1;
        return;
    }
    int r = lead ? C_ORD : C_OP, ri = -1;
    for (int i = 0; i < n; i++) {
        const mnoad *q = &l->v[i];
        cls[i] = -1;
        if (q->type == N_STYLE || q->type == N_SPACE || q->type == N_PENALTY)
            continue;
        int c = q->cls;
        if (c == C_BIN && (r == C_BIN || r == C_OP || r == C_REL || r == C_OPEN || r == C_PUNCT))
            c = C_ORD;
        if ((c == C_REL || c == C_CLOSE || c == C_PUNCT) && r == C_BIN && ri >= 0)
            cls[ri] = C_ORD;
        cls[i] = c;
        r = c;
        ri = i;
    }
    if (r == C_BIN && ri >= 0 && !trail)
        cls[ri] = C_ORD;
    for (int i = 0; i < n; i++) {
        const mnoad *q = &l->v[i];
        if (q->type == N_STYLE) {
            cur = q->aux;
            continue;
        }
        if (q->type == N_PENALTY)
            continue;
        if (q->type == N_SPACE) {
            double mu = q->space_mu ? q->space : q->space * 18;
            if (mu >= 2.5)
                S_space(b);
            if (mu >= 18)
                S_put(b, " ", 1);
            continue;
        }
        /* spaces as TeX spaces atoms, except none before punctuation and
         * none between a symbol and its \left( (\varphi\left(z\right) reads
         * "φ(z)"); a space after a script or a fraction keeps the next
         * letter off it ("W^l a", not "W^la") */
        int punct = cls[i] == C_PUNCT || S_is(q, "period") || S_is(q, "slash");
        int lr = q->type == N_LR && prev == C_ORD;
        if (q->actual && !*q->actual) {   /* the rest of a sign read before */
            S_scripts(b, q, cur, depth);
            prev = cls[i];
            continue;
        }
        if (prev >= 0 && !prev_unary && !punct && !lr
            && (S_spaced(prev, cls[i], cur)
                || (prev_struct && (cls[i] == C_ORD || cls[i] == C_OP || cls[i] == C_INNER
                                    || (cls[i] == C_OPEN && prev == C_OP))
                    && (q->type != N_LR || prev == C_OP))))
            S_space(b);
        /* \not, \neq, \notin: the slash and the relation after it */
        if (S_is(q, "negationslash") && !q->sup && !q->sub && i + 1 < n) {
            uint32_t u[MATH_UNI_MAX], neg;
            const mnoad *nx = &l->v[i + 1];
            if (nx->type == N_ATOM && nx->nk == NK_SYM && S_sym_cp(nx->sym, u) == 1
                && (neg = S_negated(u[0]))) {
                S_cp(b, neg);
                S_scripts(b, nx, cur, depth);
                prev = cls[i + 1] >= 0 ? cls[i + 1] : C_REL;
                prev_unary = prev_struct = 0;
                i++;
                continue;
            }
        }
        /* \mapsto is \mapstochar\rightarrow: one arrow */
        if (S_is(q, "mapsto") && i + 1 < n && S_is(&l->v[i + 1], "arrowright")) {
            S_cp(b, 0x21A6);
            S_scripts(b, &l->v[i + 1], cur, depth);
            prev = C_REL;
            prev_unary = prev_struct = 0;
            i++;
            continue;
        }
        S_nucleus(b, q, cur, depth);
        S_scripts(b, q, cur, depth);
        /* a unary sign hugs its operand: "−log p", not "− log p" */
        prev_unary = q->cls == C_BIN && cls[i] == C_ORD;
        prev_struct = (q->sup && !S_only_primes(q->sup)) || q->sub || q->type == N_FRAC
                      || q->type == N_RAD;
        prev = cls[i];
    }
    free(cls);
}

char *math_text_linear(const mlist *l, int display)
{
    return math_text_sub(l, 0, l ? l->n : 0, display ? 0 : 2, 0, 0);
}

char *math_text_sub(const mlist *l, int from, int to, int style, int lead, int trail)
{
    S_buf b = { .lead = lead, .trail = trail };
    /* a view of noads [from, to): S_list only reads the list */
    mlist view = { l && to > from ? l->v + from : NULL, to > from ? to - from : 0, 0 };
    S_list(&b, &view, style, 0);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    if (!b.s)
        return calloc(1, 1);
    while (b.n > 0 && (b.s[b.n - 1] == ' ' || b.s[b.n - 1] == '\n'))
        b.s[--b.n] = '\0';
    return b.s;
}
