/* math_pcmd — amsmath and LaTeX commands that the parser builds from noads
 * (math_int.h): dots that look ahead, generalized fractions (\binom, \cfrac),
 * limits over anything (\overset, \underset, \stackrel), extensible arrows,
 * boxes (\boxed, \phantom, \smash, \underline, \overrightarrow, \pmb),
 * long and composite relations (\longrightarrow = \relbar\joinrel\rightarrow,
 * \implies, \iff, \hookrightarrow, \cong), \bmod \pmod \mod \pod,
 * multiple integrals, explicit spaces (\hspace \kern \mkern \mskip \hskip),
 * \dag, \ddag.  Each follows the macro's definition in amsmath.sty /
 * latex.ltx; the comments quote it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "math/math_pstate.h"
#include "math/math_pcmd.h"

/* What follows a dots command, as amsmath's \extrap@ / \extra@ / \mdots@
 * see it: 0 other, 1 ',', 2 ';' or '.', 3 end of formula or a closing
 * delimiter, 4 a binary operator or relation. */
static int S_dots_next(math_pstate *ps)
{
    const char *save = ps->p;
    math_pstate_skip_ws(ps);
    const char *q = ps->p;
    ps->p = save;
    if (!*q)
        return 3;
    if (*q == ',')
        return 1;
    if (*q == ';' || *q == '.')
        return 2;
    if (*q == ')' || *q == ']')
        return 3;
    if (strchr("+=<>-*:", *q))
        return 4;
    if (*q != '\\')
        return 0;
    const char *n = q + 1, *e = n;
    while (isalpha((unsigned char)*e))
        e++;
    if (e == n && *n)
        e = n + 1;
    static const char *const close[] = { "}", "rbrace", "rbrack", "rangle", "rceil", "rfloor",
                                         "right", "bigr", "Bigr", "biggr", "Biggr" };
    for (size_t i = 0; i < sizeof close / sizeof *close; i++)
        if ((size_t)(e - n) == strlen(close[i]) && !memcmp(n, close[i], (size_t)(e - n)))
            return 3;
    if (e - n == 3 && !memcmp(n, "not", 3))
        return 4;
    const msymdef *s = math_sym_find(n, (size_t)(e - n));
    return s && (s->cls == C_BIN || s->cls == C_REL) && s->kind == SK_SYM ? 4 : 0;
}

/* amsmath's dots: \cdots \dotsb \dotsm \dotso add a thin space before
 * ',' ';' '.', a closing delimiter or the end; \dotsc only before ';' '.',
 * a closing delimiter or the end; \dots becomes \dotsc before a comma,
 * centred dots before a binary operator or relation, else \dotso. */
int math_pcmd_dots(math_pstate *ps, mlist *l, const msymdef *s, const char *at)
{
    int nx = S_dots_next(ps), kind = s->aux, thin = 0;
    const char *c = s->cmd;
    if (!strcmp(c, "cdots") || !strcmp(c, "dotsb") || !strcmp(c, "dotsm") || !strcmp(c, "dotso"))
        thin = nx >= 1 && nx <= 3;
    else if (!strcmp(c, "dotsc"))
        thin = nx == 2 || nx == 3;
    else if (!strcmp(c, "dots")) {
        if (nx == 4)
            kind = 2;
        else
            thin = nx == 3;
    }
    mnoad *q;
    if (!strcmp(c, "dotsi")) {   /* \dotsi = \!\@cdots */
        if (!(q = math_pstate_push(ps, l, N_SPACE, C_ORD, at)))
            return -1;
        q->space = -3;
        q->space_mu = 1;
    }
    if (!(q = math_pstate_push(ps, l, N_ATOM, C_INNER, at)))
        return -1;
    q->nk = NK_SYM;
    q->sym = s->sym;
    q->aux = kind;
    if (thin) {
        if (!(q = math_pstate_push(ps, l, N_SPACE, C_ORD, at)))
            return -1;
        q->space = 3;
        q->space_mu = 1;
    }
    return 0;
}


/* ---- helpers ------------------------------------------------------------ */

static mnoad *S_space(math_pstate *ps, mlist *l, double v, int mu, const char *at)
{
    mnoad *q = math_pstate_push(ps, l, N_SPACE, C_ORD, at);
    if (q) {
        q->space = v;
        q->space_mu = mu;
    }
    return q;
}

static mnoad *S_glyph(math_pstate *ps, mlist *l, int cls, int fam, const char *name,
                      const char *at)
{
    mnoad *q = math_pstate_push(ps, l, N_ATOM, cls, at);
    if (q) {
        q->nk = NK_SYM;
        q->sym.fam = fam;
        q->sym.name = name;
    }
    return q;
}

/* An atom of class `cls` whose nucleus is a new list; NULL on error. */
static mlist *S_wrap(math_pstate *ps, mlist *l, int cls, const char *at, mnoad **out)
{
    mlist *in = math_pstate_list_new(ps);
    mnoad *q = in ? math_pstate_push_list(ps, l, cls, in, at) : NULL;
    if (!q)
        return NULL;
    if (out)
        *out = q;
    return in;
}

static mnoad *S_text(math_pstate *ps, mlist *l, int cls, const char *text, const char *at)
{
    mnoad *q = math_pstate_push(ps, l, N_ATOM, cls, at);
    if (!q)
        return NULL;
    q->nk = NK_TEXT;
    q->text_fam = FAM_RM;
    if (!(q->text = strdup(text))) {
        math_pstate_nomem(ps);
        return NULL;
    }
    return q;
}

/* The class amsmath's \binrel@ gives an argument: that of its one atom if
 * that is a relation or a binary operator, else Ord. */
static int S_binrel(const mlist *a)
{
    if (a && a->n == 1 && (a->v[0].cls == C_REL || a->v[0].cls == C_BIN))
        return a->v[0].cls;
    return C_ORD;
}

/* ---- composite relations ------------------------------------------------ */

typedef struct S_rel {
    const char *cmd;
    int f1; const char *g1; int smash1;   /* left piece */
    int f2; const char *g2; int smash2;   /* right piece (after \joinrel) */
    int thick;                            /* \; on both sides (\implies) */
    const char *actual;
} S_rel;

/* \relbar = \mathrel{\smash-}, \Relbar = \mathrel=, \joinrel = \mkern-3mu,
 * \lhook = lmmi '054, \rhook '055 */
static const S_rel S_rels[] = {
    { "longrightarrow", FAM_SY, "minus", 1, FAM_SY, "arrowright", 0, 0, "⟶" },
    { "longleftarrow", FAM_SY, "arrowleft", 0, FAM_SY, "minus", 1, 0, "⟵" },
    { "longleftrightarrow", FAM_SY, "arrowleft", 0, FAM_SY, "arrowright", 0, 0, "⟷" },
    { "Longrightarrow", FAM_RM, "equal", 0, FAM_SY, "arrowdblright", 0, 0, "⟹" },
    { "Longleftarrow", FAM_SY, "arrowdblleft", 0, FAM_RM, "equal", 0, 0, "⟸" },
    { "Longleftrightarrow", FAM_SY, "arrowdblleft", 0, FAM_SY, "arrowdblright", 0, 0, "⟺" },
    { "implies", FAM_RM, "equal", 0, FAM_SY, "arrowdblright", 0, 1, "⟹" },
    { "impliedby", FAM_SY, "arrowdblleft", 0, FAM_RM, "equal", 0, 1, "⟸" },
    { "iff", FAM_SY, "arrowdblleft", 0, FAM_SY, "arrowdblright", 0, 1, "⟺" },
    { "hookrightarrow", FAM_MI, "arrowhookleft", 0, FAM_SY, "arrowright", 0, 0, "↪" },
    { "hookleftarrow", FAM_SY, "arrowleft", 0, FAM_MI, "arrowhookright", 0, 0, "↩" },
    { "longmapsto", FAM_SY, "mapsto", 0, FAM_SY, "minus", 1, 0, "⟼" },
};

static int S_composite(math_pstate *ps, mlist *l, const S_rel *r, const char *at)
{
    mnoad *q;
    if (r->thick && !S_space(ps, l, 5, 1, at))
        return -1;
    mlist *in = S_wrap(ps, l, C_REL, at, &q);
    if (!in)
        return -1;
    q->actual = r->actual;
    /* \longmapsto = \mapstochar\longrightarrow: one more piece */
    int three = !strcmp(r->cmd, "longmapsto");
    mnoad *a = S_glyph(ps, in, C_REL, r->f1, r->g1, at);
    if (!a)
        return -1;
    a->smash = r->smash1;
    if (three) {
        if (!(a = S_glyph(ps, in, C_REL, FAM_SY, "minus", at)))
            return -1;
        a->smash = 1;
    }
    if (!S_space(ps, in, -3, 1, at) || !(a = S_glyph(ps, in, C_REL, r->f2, three ? "arrowright"
                                                                                : r->g2, at)))
        return -1;
    a->smash = three ? 0 : r->smash2;
    if (r->thick && !S_space(ps, l, 5, 1, at))
        return -1;
    return 0;
}

/* ---- explicit spaces ----------------------------------------------------- */

/* A TeX dimension ("2pt", "-1.5em", "18mu", "1ex") in em of the 10 pt
 * text font (or mu when *mu): 0, or -1 when it is not one. */
static int S_dimen(math_pstate *ps, const char *at, const char *cmd, double *v, int *mu,
                   int allow_mu)
{
    math_pstate_skip_ws(ps);
    const char *s = ps->p;
    char *end;
    double x = strtod(s, &end);
    if (end == s)
        return math_pstate_fail(ps, at, "%s: expected a length like 2pt, 1em or 3mu", cmd);
    ps->p = end;
    math_pstate_skip_ws(ps);
    static const struct { const char *u; double em; int mu; } units[] = {
        { "pt", 0.1, 0 }, { "em", 1, 0 }, { "ex", 0.430554, 0 }, { "mu", 1, 1 },
        { "mm", 0.284528, 0 }, { "cm", 2.845276, 0 }, { "in", 7.227, 0 },
        { "bp", 0.1003750, 0 }, { "pc", 1.2, 0 }, { "dd", 0.1070000, 0 },
    };
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strncmp(ps->p, units[i].u, 2)) {
            if (units[i].mu != allow_mu)
                break;
            ps->p += 2;
            *v = x * units[i].em;
            *mu = units[i].mu;
            return 0;
        }
    return math_pstate_fail(ps, at, "%s: expected a unit (%s)", cmd,
                            allow_mu ? "mu" : "pt, em, ex, mm, cm, in, bp, pc or dd");
}

static int S_hspace(math_pstate *ps, mlist *l, const char *at, const char *cmd, int braces,
                    int mu_unit)
{
    double v;
    int mu;
    if (braces) {
        math_pstate_skip_ws(ps);
        if (*ps->p == '*')
            ps->p++;
        math_pstate_skip_ws(ps);
        if (*ps->p != '{')
            return math_pstate_fail(ps, at, "%s: expected {length}", cmd);
        ps->p++;
    }
    if (S_dimen(ps, at, cmd, &v, &mu, mu_unit) < 0)
        return -1;
    if (braces) {
        math_pstate_skip_ws(ps);
        if (*ps->p != '}')
            return math_pstate_fail(ps, at, "%s: expected '}' after the length", cmd);
        ps->p++;
    }
    /* glue's "plus"/"minus" parts (\hskip, \mskip) do not stretch here */
    const char *save = ps->p;
    math_pstate_skip_ws(ps);
    if (!braces && (!strncmp(ps->p, "plus", 4) || !strncmp(ps->p, "minus", 5))) {
        for (int k = 0; k < 2; k++) {
            math_pstate_skip_ws(ps);
            if (!strncmp(ps->p, "plus", 4) || !strncmp(ps->p, "minus", 5)) {
                double dummy;
                int dm;
                ps->p += ps->p[0] == 'p' ? 4 : 5;
                if (S_dimen(ps, at, cmd, &dummy, &dm, mu_unit) < 0)
                    return -1;
            }
        }
    } else {
        ps->p = save;
    }
    return S_space(ps, l, v, mu, at) ? 0 : -1;
}

/* ---- the commands ------------------------------------------------------- */

#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))

/* \binom \dbinom \tbinom: \genfrac(){0pt}{style}, an Ord group */
static int S_binom(math_pstate *ps, mlist *l, const char *at, const char *cmd, int fstyle)
{
    mlist *a = ps->arg(ps, at, cmd), *b = a ? ps->arg(ps, at, cmd) : NULL;
    mnoad *q;
    if (!b || !(q = math_pstate_push(ps, l, N_FRAC, C_ORD, at))) {
        math_mlist_free(a);
        math_mlist_free(b);
        return -1;
    }
    q->list = a;
    q->den = b;
    q->fstyle = fstyle;
    q->frac_norule = 1;
    q->has_fdelim = 1;
    q->fdl = (mdelim){ FAM_RM, "parenleft", "parenleftbig" };
    q->fdr = (mdelim){ FAM_RM, "parenright", "parenrightbig" };
    return 0;
}

/* \cfrac{a}{b}: {\displaystyle\frac{\strut a}{b}}\kern-\nulldelimiterspace,
 * \strut 8.4pt high and 3.6pt deep (.7 and .3 \baselineskip) */
static int S_cfrac(math_pstate *ps, mlist *l, const char *at)
{
    char *opt = NULL;
    if (math_pstate_optarg(ps, at, "\\cfrac", &opt) < 0)
        return -1;
    free(opt);   /* [l] [r]: alignment of the numerator is not supported */
    mlist *a = ps->arg(ps, at, "\\cfrac"), *b = a ? ps->arg(ps, at, "\\cfrac") : NULL;
    mnoad *q;
    if (!b) {
        math_mlist_free(a);
        return -1;
    }
    mlist *num = math_pstate_list_new(ps);
    if (!num || !(q = math_pstate_push(ps, num, N_ATOM, C_ORD, at))) {
        math_mlist_free(num);
        math_mlist_free(a);
        math_mlist_free(b);
        return -1;
    }
    q->nk = NK_BOX;
    q->bh = 8.4;
    q->bd = 3.6;
    if (!(q = math_pstate_push(ps, num, N_ATOM, C_ORD, at))) {
        math_mlist_free(num);
        math_mlist_free(a);
        math_mlist_free(b);
        return -1;
    }
    q->nk = NK_LIST;
    q->list = a;
    if (!(q = math_pstate_push(ps, l, N_FRAC, C_ORD, at))) {
        math_mlist_free(num);
        math_mlist_free(b);
        return -1;
    }
    q->list = num;
    q->den = b;
    q->fstyle = 0;
    return S_space(ps, l, -0.12, 0, at) ? 0 : -1;
}

/* \overset{a}{b} \underset{a}{b} \stackrel{a}{b}: \mathop{\kern0pt b}\limits
 * with the class of b (\binrel@; \stackrel: always a relation) */
static int S_limits(math_pstate *ps, mlist *l, const char *at, const char *cmd, int under,
                    int rel)
{
    mlist *a = ps->arg(ps, at, cmd), *b = a ? ps->arg(ps, at, cmd) : NULL;
    mnoad *q;
    if (!b || !(q = math_pstate_push(ps, l, N_ATOM, rel ? C_REL : S_binrel(b), at))) {
        math_mlist_free(a);
        math_mlist_free(b);
        return -1;
    }
    q->nk = NK_LIST;
    q->list = b;
    q->as_op = 1;
    q->limits = 1;
    if (under)
        q->sub = a;
    else
        q->sup = a;
    return 0;
}

/* \xrightarrow[below]{above}: a relation; the labels carry \ext@arrow's
 * \mkern3mu after (right arrow) or before (left arrow) */
static int S_xarrow(math_pstate *ps, mlist *l, const char *at, const char *cmd, int left)
{
    char *below = NULL;
    mlist *lab[2] = { NULL, NULL };
    if (math_pstate_optarg(ps, at, cmd, &below) < 0)
        return -1;
    mlist *above = ps->arg(ps, at, cmd);
    int ret = -1;
    if (!above)
        goto out;
    mlist *src[2] = { above, NULL };
    if (below && *below) {
        /* parse the optional argument as a formula of its own; an error in
         * it is reported at the command's column */
        math_pstate sub = *ps;
        sub.src = sub.p = below;
        sub.err_col = NULL;
        mlist *bl = math_pstate_list_new(ps);
        int term;
        const char *tat;
        if (!bl || ps->list(&sub, bl, &term, &tat) < 0 || term != T_EOF) {
            if (bl && !sub.failed)
                math_pstate_fail(ps, at, "%s[..]: unbalanced braces", cmd);
            ps->failed = 1;
            if (ps->err_col && ps->e && ps->e->code == LB_EXIT_INPUT)
                *ps->err_col = math_pstate_col(ps, at);
            math_mlist_free(bl);
            goto out;
        }
        src[1] = bl;
    }
    above = NULL;
    for (int i = 0; i < 2; i++) {
        if (!src[i] || src[i]->n == 0) {
            math_mlist_free(src[i]);
            continue;
        }
        mnoad *g;
        if (!(lab[i] = math_pstate_list_new(ps)))
            goto out2;
        if (left && !S_space(ps, lab[i], 3, 1, at))
            goto out2;
        if (!(g = math_pstate_push(ps, lab[i], N_ATOM, C_ORD, at)))
            goto out2;
        g->nk = NK_LIST;
        g->list = src[i];
        src[i] = NULL;
        if (!left && !S_space(ps, lab[i], 3, 1, at))
            goto out2;
    }
    mnoad *q = math_pstate_push(ps, l, N_XARROW, C_REL, at);
    if (!q)
        goto out2;
    q->aux = left;
    q->sup = lab[0];
    q->sub = lab[1];
    q->limits = 1;
    lab[0] = lab[1] = NULL;
    ret = 0;
out2:
    math_mlist_free(src[0]);
    math_mlist_free(src[1]);
out:
    math_mlist_free(above);
    math_mlist_free(lab[0]);
    math_mlist_free(lab[1]);
    free(below);
    return ret;
}

static int S_around(math_pstate *ps, mlist *l, const char *at, const char *cmd, int type,
                    int aux, int cls)
{
    mlist *a = ps->arg(ps, at, cmd);
    mnoad *q;
    if (!a || !(q = math_pstate_push(ps, l, type, cls < 0 ? S_binrel(a) : cls, at))) {
        math_mlist_free(a);
        return -1;
    }
    q->list = a;
    q->aux = aux;
    return 0;
}

/* \bmod, \pmod, \mod, \pod (amsmath) */
static int S_mod(math_pstate *ps, mlist *l, const char *at, const char *name, size_t n)
{
    mnoad *q;
    if (IS("bmod")) {
        /* \nonscript\mskip-\medmuskip\mkern5mu\mathbin{mod}\penalty900
         * \mkern5mu\nonscript\mskip-\medmuskip */
        if (!(q = S_space(ps, l, -4, 1, at)))
            return -1;
        q->aux = 1;
        if (!S_space(ps, l, 5, 1, at) || !S_text(ps, l, C_BIN, "mod", at)
            || !S_space(ps, l, 5, 1, at) || !(q = S_space(ps, l, -4, 1, at)))
            return -1;
        q->aux = 1;
        return 0;
    }
    mlist *a = ps->arg(ps, at, IS("pmod") ? "\\pmod" : IS("mod") ? "\\mod" : "\\pod");
    if (!a)
        return -1;
    /* \pmod, \pod: \mkern18mu in display, 8mu else; \mod: 18 and 12 */
    if (!(q = S_space(ps, l, 18, 1, at))) {
        math_mlist_free(a);
        return -1;
    }
    q->aux = 2;
    q->space2 = IS("mod") ? 12 : 8;
    int paren = !IS("mod");
    if ((paren && !S_glyph(ps, l, C_OPEN, FAM_RM, "parenleft", at))
        || (!IS("pod") && !S_text(ps, l, C_ORD, "mod", at))
        || (IS("pmod") && !S_space(ps, l, 6, 1, at))
        || (IS("mod") && (!S_space(ps, l, 3, 1, at) || !S_space(ps, l, 3, 1, at)))
        || !(q = math_pstate_push(ps, l, N_ATOM, C_ORD, at))) {
        math_mlist_free(a);
        return -1;
    }
    q->nk = NK_LIST;
    q->list = a;
    if (paren && !S_glyph(ps, l, C_CLOSE, FAM_RM, "parenright", at))
        return -1;
    return 0;
}

/* \iint \iiint: amsmath's \MultiIntegral puts \intop\intkern@\intop..
 * into the list itself (scripts go to the last \intop, whose italic
 * correction they remove); \intkern@ = \mkern-6mu, -9mu in display */
static int S_ints(math_pstate *ps, mlist *l, const char *at, int k)
{
    mnoad *q;
    for (int i = 0; i < k; i++) {
        if (i > 0) {
            mnoad *s = S_space(ps, l, -9, 1, at);
            if (!s)
                return -1;
            s->aux = 2;
            s->space2 = -6;
        }
        if (!(q = S_glyph(ps, l, C_OP, FAM_EX, "integraltext", at)))
            return -1;
        q->actual = i == 0 ? (k == 2 ? "∬" : "∭") : "";   /* read as one sign */
    }
    return 0;
}

/* amsmath's \tag{..} \tag*{..} \notag \nonumber \label{..} (recorded in
 * ps->meta; only in a display) and \eqref{..} \ref{..} (the number of a
 * labelled display, in roman: \textup{(\ref{..})}). */
static int S_eqcmd(math_pstate *ps, mlist *l, const char *at, const char *name, size_t n)
{
    math_meta *m = ps->meta;
    int star = IS("tag") && *ps->p == '*';
    if (star)
        ps->p++;
    char cmd[16];
    snprintf(cmd, sizeof cmd, "\\%.*s%s", (int)n, name, star ? "*" : "");
    if (IS("eqref") || IS("ref")) {
        char *lab = NULL;
        if (ps->textarg(ps, at, cmd, &lab) < 0)
            return -1;
        const char *num = ps->refs ? ps->refs->number(ps->refs->ctx, lab) : "??";
        if (!num) {
            math_pstate_fail(ps, at, "%s{%s}: no display has that \\label (expected the name "
                             "given by \\label{...} in a numbered $$ display)", cmd, lab);
            free(lab);
            return -1;
        }
        free(lab);
        char buf[96];
        snprintf(buf, sizeof buf, IS("eqref") ? "(%.80s)" : "%.80s", num);
        return S_text(ps, l, C_ORD, buf, at) ? 0 : -1;
    }
    if (!ps->display || !m)
        return math_pstate_fail(ps, at, "%s is allowed only in a display formula ($$...$$)", cmd);
    if (IS("notag") || IS("nonumber")) {
        m->numbered |= 2;
        return 0;
    }
    char *arg = NULL;
    if (ps->textarg(ps, at, cmd, &arg) < 0)
        return -1;
    if (IS("label")) {
        if (m->label) {
            free(arg);
            return math_pstate_fail(ps, at, "a second \\label in one display (expected one)");
        }
        m->label = arg;
        m->label_col = math_pstate_col(ps, at);
        return 0;
    }
    if (m->tag) {
        free(arg);
        return math_pstate_fail(ps, at, "a second \\tag in one display (expected one)");
    }
    m->tag = arg;
    m->tag_star = star;
    return 0;
}

int math_pcmd_parse(math_pstate *ps, mlist *l, const char *at, const char *name, size_t n)
{
    if (IS("tag") || IS("notag") || IS("nonumber") || IS("label") || IS("eqref") || IS("ref"))
        return S_eqcmd(ps, l, at, name, n);
    mnoad *q;
    for (size_t i = 0; i < sizeof S_rels / sizeof *S_rels; i++)
        if (strlen(S_rels[i].cmd) == n && !memcmp(S_rels[i].cmd, name, n))
            return S_composite(ps, l, &S_rels[i], at);
    if (IS("binom"))
        return S_binom(ps, l, at, "\\binom", -1);
    if (IS("dbinom"))
        return S_binom(ps, l, at, "\\dbinom", 0);
    if (IS("tbinom"))
        return S_binom(ps, l, at, "\\tbinom", 2);
    if (IS("cfrac"))
        return S_cfrac(ps, l, at);
    if (IS("overset") || IS("underset") || IS("stackrel"))
        return S_limits(ps, l, at, IS("overset") ? "\\overset" : IS("underset") ? "\\underset"
                        : "\\stackrel", IS("underset"), IS("stackrel"));
    if (IS("xrightarrow") || IS("xleftarrow"))
        return S_xarrow(ps, l, at, IS("xleftarrow") ? "\\xleftarrow" : "\\xrightarrow",
                        IS("xleftarrow"));
    if (IS("boxed"))
        return S_around(ps, l, at, "\\boxed", N_BOXED, 0, C_ORD);
    if (IS("phantom") || IS("hphantom") || IS("vphantom"))
        return S_around(ps, l, at, "\\phantom", N_PHANTOM,
                        IS("phantom") ? PH_FULL : IS("hphantom") ? PH_H : PH_V, C_ORD);
    if (IS("smash")) {
        char *opt = NULL;
        if (math_pstate_optarg(ps, at, "\\smash", &opt) < 0)
            return -1;
        int kind = !opt ? PH_SMASH : !strcmp(opt, "t") ? PH_SMASH_T : !strcmp(opt, "b")
                   ? PH_SMASH_B : -1;
        free(opt);
        if (kind < 0)
            return math_pstate_fail(ps, at, "\\smash[..]: expected [t] or [b]");
        return S_around(ps, l, at, "\\smash", N_PHANTOM, kind, C_ORD);
    }
    if (IS("underline"))
        return S_around(ps, l, at, "\\underline", N_UNDERLINE, 0, C_ORD);
    if (IS("overrightarrow") || IS("overleftarrow") || IS("overleftrightarrow"))
        return S_around(ps, l, at, "\\overrightarrow", N_OVERARROW,
                        IS("overrightarrow") ? 0 : IS("overleftarrow") ? 1 : 2, C_ORD);
    if (IS("pmb"))
        return S_around(ps, l, at, "\\pmb", N_PMB, 0, -1);
    if (IS("bmod") || IS("pmod") || IS("mod") || IS("pod"))
        return S_mod(ps, l, at, name, n);
    if (IS("iint") || IS("iiint"))
        return S_ints(ps, l, at, IS("iint") ? 2 : 3);
    if (IS("hspace"))
        return S_hspace(ps, l, at, "\\hspace", 1, 0);
    if (IS("kern") || IS("hskip"))
        return S_hspace(ps, l, at, IS("kern") ? "\\kern" : "\\hskip", 0, 0);
    if (IS("mkern") || IS("mskip"))
        return S_hspace(ps, l, at, IS("mkern") ? "\\mkern" : "\\mskip", 0, 1);
    if (IS("cong")) {
        /* plain TeX: \mathrel{\mathpalette\@vereq\sim}, \sim over = in the
         * style in force (math_build.c) */
        mnoad *q = math_pstate_push(ps, l, N_VEREQ, C_REL, at);
        mlist *in = q ? math_pstate_list_new(ps) : NULL;
        if (!in)
            return -1;
        q->list = in;
        q->actual = "≅";
        return S_glyph(ps, in, C_REL, FAM_SY, "similar", at)
               && S_glyph(ps, in, C_REL, FAM_RM, "equal", at) ? 0 : -1;
    }
    if (IS("cancel"))   /* cancel.sty: a stroke across its argument's box */
        return S_around(ps, l, at, "\\cancel", N_CANCEL, 0, C_ORD);
    if (IS("dag") || IS("ddag"))   /* in math: {\dagger}, an Ord */
        return S_glyph(ps, l, C_ORD, FAM_SY, IS("dag") ? "dagger" : "daggerdbl", at) ? 0 : -1;
    if (IS("coloneqq")) {
        /* mathtools: \vcentcolon\mathrel{\mkern-1.2mu}=, the colon centred
         * on the axis as an Op char */
        mlist *in = S_wrap(ps, l, C_REL, at, &q), *vc;
        if (!in)
            return -1;
        q->actual = "≔";
        /* \vcentcolon = \mathrel{\mathop\ordinarycolon} */
        if (!(vc = S_wrap(ps, in, C_REL, at, NULL)) || !S_glyph(ps, vc, C_OP, FAM_RM, "colon", at))
            return -1;
        return S_space(ps, in, -1.2, 1, at) && S_glyph(ps, in, C_REL, FAM_RM, "equal", at)
               ? 0 : -1;
    }
    return 1;
}
