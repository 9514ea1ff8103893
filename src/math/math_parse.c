/* math_parse — LaTeX math subset -> noad lists (see math_int.h).
 * Recursive descent; nesting is bounded by MATH_MAX_DEPTH so hostile input
 * cannot exhaust the stack.  Every error names the command and its column. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "math/math_pstate.h"
#include "math/math_penv.h"
#include "math/math_pcmd.h"
#include "math/math_pdelim.h"
#include "math/math_pfont.h"

static int S_list(math_pstate *ps, mlist *l, int *term, const char **term_at);
static int S_atom(math_pstate *ps, mlist *l);

/* One argument: {list}, or a single token (char or command).  Returns a new
 * list or NULL (error set). */
static mlist *S_arg(math_pstate *ps, const char *cmd_at, const char *cmd)
{
    math_pstate_skip_ws(ps);
    const char *at = ps->p;
    if (*at == '\0' || *at == '}' || *at == '&' || *at == '^' || *at == '_') {
        math_pstate_fail(ps, cmd_at, "missing argument for %s", cmd);
        return NULL;
    }
    if (++ps->depth > MATH_MAX_DEPTH) {
        math_pstate_fail(ps, at, "formula nested deeper than %d levels", MATH_MAX_DEPTH);
        return NULL;
    }
    mlist *l = math_pstate_list_new(ps);
    if (!l)
        goto fail;
    if (*at == '{') {
        int term;
        const char *tat;
        ps->p++;
        if (S_list(ps, l, &term, &tat) < 0)
            goto fail;
        if (term != T_RBRACE) {
            math_pstate_fail(ps, at, "unbalanced braces: '{' of %s is never closed", cmd);
            goto fail;
        }
    } else if (S_atom(ps, l) < 0) {
        goto fail;
    }
    ps->depth--;
    return l;
fail:
    ps->depth--;
    math_mlist_free(l);
    return NULL;
}

/* Delimiter after \left, \right, \middle, \big...: returns 0 and *d. */
static int S_delim(math_pstate *ps, const char *cmd_at, const char *cmd, mdelim *d)
{
    math_pstate_skip_ws(ps);
    const char *at = ps->p;
    memset(d, 0, sizeof *d);
    if (*at == '.') {
        ps->p++;
        return 0;
    }
    const msymdef *s = NULL;
    if (*at == '\\') {
        const char *name;
        ps->p++;
        size_t n = math_pstate_csname(ps, &name);
        char buf[3] = { '\\', n == 1 ? name[0] : 0, 0 };
        if (n == 1 && !isalpha((unsigned char)name[0]))
            s = math_sym_find(buf, 2);
        if (!s)
            s = math_sym_find(name, n);
        if (!s || s->kind != SK_DELIM) {
            if (n == 3 && !memcmp(name, "mid", 3))
                s = math_sym_find("|", 1);
            else
                return math_pstate_fail(ps, at, "%s: '\\%.*s' is not a delimiter", cmd, (int)n, name);
        }
    } else if (*at == '<' || *at == '>') {   /* \left< is \langle */
        s = math_sym_find(*at == '<' ? "langle" : "rangle", 6);
        ps->p++;
    } else if (*at) {
        s = math_sym_find(at, 1);
        ps->p++;
        if (!s || s->kind != SK_DELIM)
            return math_pstate_fail(ps, at, "%s: '%c' is not a delimiter", cmd, *at);
    } else {
        return math_pstate_fail(ps, cmd_at, "missing delimiter after %s", cmd);
    }
    *d = s->delim;
    return 0;
}

/* Letter/digit with the current font mode. */
static int S_char(math_pstate *ps, mlist *l, int c, const char *at)
{
    msym s = { FAM_MI, math_sym_char_name(c) };
    int digit = isdigit(c);
    switch (ps->mode) {
    case M_RM: s.fam = FAM_RM; break;
    case M_BF: s.fam = FAM_BF; break;
    case M_BSYM: s.fam = digit ? FAM_BF : FAM_BMI; break;
    case M_CAL: s.fam = isupper(c) ? FAM_SY : (digit ? FAM_RM : FAM_MI); break;
    case M_BB: s.fam = isupper(c) ? FAM_BB : (digit ? FAM_RM : FAM_MI); break;
    /* LaTeX's \mathit \mathsf \mathtt: a text font family for letters
     * and digits alike; \mathfrak (eufm) has both, \mathscr (rsfs)
     * capitals only */
    case M_IT: s.fam = FAM_IT; break;
    case M_SF: s.fam = FAM_SF; break;
    case M_TT: s.fam = FAM_TT; break;
    case M_FRAK: s.fam = FAM_FRAK; break;
    case M_SCR:
        if (!isupper(c))
            return math_pstate_fail(ps, at, "\\mathscr has capital letters only (got '%c')", c);
        s.fam = FAM_SCR;
        break;
    default: s.fam = digit ? FAM_RM : FAM_MI; break;
    }
    if (FAM_IS_TTF(s.fam))
        s.name = math_sym_char_name_ttf(c);
    mnoad *q = math_pstate_push(ps, l, N_ATOM, C_ORD, at);
    if (!q)
        return -1;
    q->nk = NK_SYM;
    q->sym = s;
    return 0;
}

static int S_symdef(math_pstate *ps, mlist *l, const msymdef *s, const char *at)
{
    mnoad *q;
    switch (s->kind) {
    case SK_OP:
        if (!(q = math_pstate_push(ps, l, N_ATOM, C_OP, at)))
            return -1;
        q->nk = NK_SYM;
        q->sym = s->sym;
        q->op_limits = s->aux;
        return 0;
    case SK_OPNAME:
        if (!(q = math_pstate_push(ps, l, N_ATOM, C_OP, at)))
            return -1;
        q->nk = NK_TEXT;
        q->text_fam = FAM_RM;
        q->op_limits = s->aux;
        if (!(q->text = strdup(s->sym.name)))
            return math_pstate_nomem(ps);
        return 0;
    case SK_DOTS:
        if (s->aux <= 2)
            return math_pcmd_dots(ps, l, s, at);
        if (!(q = math_pstate_push(ps, l, N_ATOM, s->aux == 3 ? C_ORD : C_INNER, at)))
            return -1;
        q->nk = NK_SYM;
        q->sym = s->sym;
        q->aux = s->aux;
        return 0;
    default:
        break;
    }
    msym sym = s->sym;
    if (s->kind == SK_GREEK_UP && (ps->mode == M_BF || ps->mode == M_BSYM))
        sym.fam = FAM_BF;
    else if (ps->mode == M_BSYM && sym.fam == FAM_MI)
        sym.fam = FAM_BMI;
    if (!(q = math_pstate_push(ps, l, N_ATOM, s->cls, at)))
        return -1;
    q->nk = NK_SYM;
    q->sym = sym;
    if (s->aux >= 1 && s->aux <= 3 && s->kind == SK_SYM) {
        static const char *const second[4] = { NULL, "arrowright", "equal", "element" };
        static const int fam2[4] = { 0, FAM_SY, FAM_RM, FAM_SY };
        if (!(q = math_pstate_push(ps, l, N_ATOM, C_REL, at)))
            return -1;
        q->nk = NK_SYM;
        q->sym.fam = fam2[s->aux];
        q->sym.name = second[s->aux];
    }
    return 0;
}

/* Attach ^ or _ (or primes) to the last noad. */
static mnoad *S_base(math_pstate *ps, mlist *l, const char *at)
{
    if (l->n == 0 || l->v[l->n - 1].type == N_SPACE || l->v[l->n - 1].type == N_STYLE
        || l->v[l->n - 1].type == N_PENALTY) {
        mnoad *q = math_pstate_push(ps, l, N_ATOM, C_ORD, at);
        if (q)
            q->nk = NK_EMPTY;
        return q;
    }
    return &l->v[l->n - 1];
}

static int S_script(math_pstate *ps, mlist *l)
{
    const char *at = ps->p;
    int sup = *at == '^';
    ps->p++;
    mnoad *b = S_base(ps, l, at);
    if (!b)
        return -1;
    if (sup ? b->sup != NULL && !b->primed : b->sub != NULL)
        return math_pstate_fail(ps, at, "double %s", sup ? "superscript '^'" : "subscript '_'");
    mlist *a = S_arg(ps, at, sup ? "'^'" : "'_'");
    if (!a)
        return -1;
    b = &l->v[l->n - 1];
    if (sup && b->sup) {       /* primes collected before: x'^2 */
        for (int i = 0; i < a->n; i++) {
            mnoad *q = math_pstate_push(ps, b->sup, N_ATOM, C_ORD, at);
            if (!q) {
                math_mlist_free(a);
                return -1;
            }
            *q = a->v[i];
        }
        a->n = 0;
        math_mlist_free(a);
        b->primed = 0;
    } else if (sup) {
        b->sup = a;
    } else {
        b->sub = a;
    }
    return 0;
}

static int S_primes(math_pstate *ps, mlist *l)
{
    const char *at = ps->p;
    mnoad *b = S_base(ps, l, at);
    if (!b)
        return -1;
    if (b->sup && !b->primed)
        return math_pstate_fail(ps, at, "double superscript (prime after '^')");
    if (!b->sup && !(b->sup = math_pstate_list_new(ps)))
        return -1;
    b->primed = 1;   /* more primes or one ^ may follow */
    while (*ps->p == '\'') {
        mnoad *q = math_pstate_push(ps, b->sup, N_ATOM, C_ORD, ps->p);
        if (!q)
            return -1;
        q->nk = NK_SYM;
        q->sym.fam = FAM_SY;
        q->sym.name = "prime";
        ps->p++;
    }
    return 0;
}

/* Text argument of \text etc.: raw characters up to the matching brace. */
static int S_textarg(math_pstate *ps, const char *at, const char *cmd, char **out)
{
    math_pstate_skip_ws(ps);
    if (*ps->p != '{') {
        if (!*ps->p || *ps->p == '}')
            return math_pstate_fail(ps, at, "missing argument for %s", cmd);
        const char *s = ps->p++;
        while (((unsigned char)*ps->p & 0xC0) == 0x80)
            ps->p++;
        *out = strndup(s, (size_t)(ps->p - s));
        return *out ? 0 : math_pstate_nomem(ps);
    }
    const char *open = ps->p++, *s = ps->p;
    int lvl = 1;
    while (*ps->p && lvl > 0) {
        if (*ps->p == '\\' && ps->p[1])
            ps->p++;
        else if (*ps->p == '{')
            lvl++;
        else if (*ps->p == '}')
            lvl--;
        ps->p++;
    }
    if (lvl > 0)
        return math_pstate_fail(ps, open, "unbalanced braces: '{' of %s is never closed", cmd);
    *out = strndup(s, (size_t)(ps->p - 1 - s));
    return *out ? 0 : math_pstate_nomem(ps);
}

static int S_mode_group(math_pstate *ps, mlist *l, const char *at, const char *cmd, int mode, int cls)
{
    int old = ps->mode;
    ps->mode = mode;
    mlist *a = S_arg(ps, at, cmd);
    ps->mode = old;
    if (!a)
        return -1;
    return math_pstate_push_list(ps, l, cls, a, at) ? 0 : -1;
}

typedef struct S_acc { const char *cmd; int fam; const char *glyph; int wide; } S_acc;
static const S_acc S_accents[] = {
    { "hat", FAM_RM, "circumflex", 0 }, { "widehat", FAM_EX, "hatwide", 1 },
    { "tilde", FAM_RM, "tilde", 0 }, { "widetilde", FAM_EX, "tildewide", 1 },
    { "bar", FAM_RM, "macron", 0 }, { "vec", FAM_MI, "vector", 0 },
    { "dot", FAM_RM, "dotaccent", 0 }, { "ddot", FAM_RM, "dieresis", 0 },
    { "check", FAM_RM, "caron", 0 }, { "breve", FAM_RM, "breve", 0 },
    { "acute", FAM_RM, "acute", 0 }, { "grave", FAM_RM, "grave", 0 },
    { "mathring", FAM_RM, "ring", 0 },
    { "overline", 0, NULL, 0 },
};

#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))

static int S_command(math_pstate *ps, mlist *l, const char *at)
{
    const char *name;
    ps->p++;
    size_t n = math_pstate_csname(ps, &name);
    if (n == 0)
        return math_pstate_fail(ps, at, "lone backslash at end of formula");
    char cmd[80];
    snprintf(cmd, sizeof cmd, "\\%.*s", (int)(n > 70 ? 70 : n), name);
    mnoad *q;

    /* spacing */
    /* \: \; are \mskip\medmuskip, \mskip\thickmuskip: they stretch (and
     * the medium one shrinks) like the spaces between atoms; "\ " is the
     * text font's interword glue (3.33pt plus 1.67 minus 1.11) */
    static const struct { const char *c; double v; int mu; double st, sh; } sp[] = {
        { ",", 3, 1, 0, 0 }, { ":", 4, 1, 2, 4 }, { ">", 4, 1, 2, 4 }, { ";", 5, 1, 5, 0 },
        { "!", -3, 1, 0, 0 }, { "thinspace", 3, 1, 0, 0 }, { "medspace", 4, 1, 2, 4 },
        { "thickspace", 5, 1, 5, 0 }, { "negthinspace", -3, 1, 0, 0 },
        { "negmedspace", -4, 1, 0, 0 }, { "negthickspace", -5, 1, 0, 0 },
        { "quad", 1, 0, 0, 0 }, { "qquad", 2, 0, 0, 0 },
        { " ", 1.0 / 3, 0, 1.0 / 6, 1.0 / 9 }, { "enspace", 0.5, 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof sp / sizeof *sp; i++)
        if (strlen(sp[i].c) == n && !memcmp(sp[i].c, name, n)) {
            if (!(q = math_pstate_push(ps, l, N_SPACE, C_ORD, at)))
                return -1;
            q->space = sp[i].v;
            q->space_mu = sp[i].mu;
            q->space_st = sp[i].st;
            q->space_sh = sp[i].sh;
            return 0;
        }
    if (IS("allowbreak") || IS("nobreak")) {   /* \penalty0, \penalty10000 */
        if (!(q = math_pstate_push(ps, l, N_PENALTY, C_ORD, at)))
            return -1;
        q->space = IS("allowbreak") ? 0 : 10000;
        return 0;
    }
    if (IS("frac") || IS("dfrac") || IS("tfrac")) {
        mlist *a = S_arg(ps, at, cmd), *b = a ? S_arg(ps, at, cmd) : NULL;
        if (!b) {
            math_mlist_free(a);
            return -1;
        }
        /* amsmath: \frac{a}{b} is {a \over b}, a group: an Ord atom */
        if (!(q = math_pstate_push(ps, l, N_FRAC, C_ORD, at))) {
            math_mlist_free(a);
            math_mlist_free(b);
            return -1;
        }
        q->list = a;
        q->den = b;
        q->fstyle = IS("dfrac") ? 0 : IS("tfrac") ? 2 : -1;
        return 0;
    }
    if (IS("sqrt")) {
        math_pstate_skip_ws(ps);
        mlist *idx = NULL;
        if (*ps->p == '[') {     /* root index: plain TeX's \root */
            const char *open = ps->p++;
            int term, saved = ps->bracket_depth;
            const char *tat;
            if (++ps->depth > MATH_MAX_DEPTH) {
                ps->depth--;
                return math_pstate_fail(ps, open, "formula nested deeper than %d levels", MATH_MAX_DEPTH);
            }
            ps->bracket_depth = ps->depth;
            idx = math_pstate_list_new(ps);
            int bad = !idx || S_list(ps, idx, &term, &tat) < 0;
            ps->bracket_depth = saved;
            ps->depth--;
            if (!bad && term != T_RBRACKET)
                bad = math_pstate_fail(ps, open, "\\sqrt[: missing ']'") < 0;
            if (bad) {
                math_mlist_free(idx);
                return -1;
            }
        }
        mlist *a = S_arg(ps, at, cmd);
        if (!a) {
            math_mlist_free(idx);
            return -1;
        }
        if (!(q = math_pstate_push(ps, l, N_RAD, C_ORD, at))) {
            math_mlist_free(a);
            math_mlist_free(idx);
            return -1;
        }
        q->list = a;
        q->den = idx;
        return 0;
    }
    for (size_t i = 0; i < sizeof S_accents / sizeof *S_accents; i++)
        if (strlen(S_accents[i].cmd) == n && !memcmp(S_accents[i].cmd, name, n)) {
            mlist *a = S_arg(ps, at, cmd);
            if (!a)
                return -1;
            if (!(q = math_pstate_push(ps, l, N_ACC, C_ORD, at))) {
                math_mlist_free(a);
                return -1;
            }
            q->list = a;
            q->acc.fam = S_accents[i].fam;
            q->acc.name = S_accents[i].glyph;
            q->acc_wide = S_accents[i].wide;
            return 0;
        }
    if (IS("underbrace") || IS("overbrace")) {
        mlist *a = S_arg(ps, at, cmd);
        if (!a)
            return -1;
        if (!(q = math_pstate_push(ps, l, N_UBRACE, C_OP, at))) {
            math_mlist_free(a);
            return -1;
        }
        q->list = a;
        q->aux = IS("overbrace");
        q->op_limits = 1;
        q->limits = 1;
        return 0;
    }
    if (IS("mathrm") || IS("mathnormal") || IS("rm"))
        return S_mode_group(ps, l, at, cmd, IS("mathnormal") ? M_NORMAL : M_RM, C_ORD);
    if (IS("mathsf") || IS("mathtt") || IS("mathfrak") || IS("mathscr"))
        return S_mode_group(ps, l, at, cmd, IS("mathsf") ? M_SF : IS("mathtt") ? M_TT
                            : IS("mathfrak") ? M_FRAK : M_SCR, C_ORD);
    if (IS("mathbf"))
        return S_mode_group(ps, l, at, cmd, M_BF, C_ORD);
    if (IS("boldsymbol") || IS("bm")) {
        /* amsbsy sets the argument in an \hbox: a box nucleus, never
         * simplified to its character (rule 18a: u = h - sup_drop) */
        if (S_mode_group(ps, l, at, cmd, M_BSYM, C_ORD) < 0)
            return -1;
        l->v[l->n - 1].boxed = 1;
        return 0;
    }
    if (IS("mathcal"))
        return S_mode_group(ps, l, at, cmd, M_CAL, C_ORD);
    if (IS("mathbb"))
        return S_mode_group(ps, l, at, cmd, M_BB, C_ORD);
    if (IS("mathit"))
        return S_mode_group(ps, l, at, cmd, M_IT, C_ORD);
    static const struct { const char *c; int cls; } cl[] = {
        { "mathord", C_ORD }, { "mathop", C_OP }, { "mathbin", C_BIN },
        { "mathrel", C_REL }, { "mathopen", C_OPEN }, { "mathclose", C_CLOSE },
        { "mathpunct", C_PUNCT }, { "mathinner", C_INNER },
    };
    for (size_t i = 0; i < sizeof cl / sizeof *cl; i++)
        if (strlen(cl[i].c) == n && !memcmp(cl[i].c, name, n)) {
            if (S_mode_group(ps, l, at, cmd, ps->mode, cl[i].cls) < 0)
                return -1;
            /* an Op atom takes limits in display style (TeX's "normal") */
            l->v[l->n - 1].op_limits = cl[i].cls == C_OP;
            return 0;
        }
    if (IS("text") || IS("textrm") || IS("mbox") || IS("textnormal") || IS("textbf")
        || IS("textit") || IS("textup") || IS("textsf") || IS("texttt") || IS("emph")
        || IS("color") || IS("textcolor"))
        return math_pfont_parse(ps, l, at, name, n);
    if (IS("operatorname") || IS("operatorname*")) {
        char *t = NULL;
        if (S_textarg(ps, at, cmd, &t) < 0)
            return -1;
        int op = name[0] == 'o';
        if (!(q = math_pstate_push(ps, l, N_ATOM, op ? C_OP : C_ORD, at))) {
            free(t);
            return -1;
        }
        q->nk = NK_TEXT;
        q->text = t;
        q->text_fam = IS("textbf") ? FAM_BF : IS("textit") ? -1 : FAM_RM;
        q->op_limits = IS("operatorname*");
        return 0;
    }
    if (IS("left") || IS("big") || IS("Big") || IS("bigg") || IS("Bigg") || IS("bigl")
        || IS("Bigl") || IS("biggl") || IS("Biggl") || IS("bigr") || IS("Bigr") || IS("biggr")
        || IS("Biggr") || IS("bigm") || IS("Bigm") || IS("biggm") || IS("Biggm"))
        return math_pdelim_parse(ps, l, at, name, n);
    if (IS("begin"))
        return math_penv_parse(ps, l, at);
    if (IS("limits") || IS("nolimits")) {
        if (l->n == 0 || l->v[l->n - 1].cls != C_OP)
            return math_pstate_fail(ps, at, "%s is allowed only after an operator", cmd);
        l->v[l->n - 1].limits = IS("limits") ? 1 : 2;
        return 0;
    }
    static const struct { const char *c; int st; } sty[] = {
        { "displaystyle", 0 }, { "textstyle", 2 }, { "scriptstyle", 4 },
        { "scriptscriptstyle", 6 },
    };
    for (size_t i = 0; i < sizeof sty / sizeof *sty; i++)
        if (strlen(sty[i].c) == n && !memcmp(sty[i].c, name, n)) {
            if (!(q = math_pstate_push(ps, l, N_STYLE, C_ORD, at)))
                return -1;
            q->aux = sty[i].st;
            return 0;
        }
    const msymdef *s = NULL;
    if (n == 1 && !isalpha((unsigned char)name[0])) {
        char buf[2] = { '\\', name[0] };
        s = math_sym_find(buf, 2);
    }
    if (!s)
        s = math_sym_find(name, n);
    if (!s && n == 1 && ((unsigned char)name[0] < 0x20 || name[0] == 0x7f))
        /* a backslash before a line break or tab: the message stays one line */
        return math_pstate_fail(ps, at, "unknown command: '\\' followed by control character 0x%02X",
                      (unsigned char)name[0]);
    if (!s) {
        int r = math_pcmd_parse(ps, l, at, name, n);
        if (r <= 0)
            return r;
        return math_pstate_fail(ps, at, "unknown command %s", cmd);
    }
    return S_symdef(ps, l, s, at);
}

/* One atom (no scripts). */
static int S_atom(math_pstate *ps, mlist *l)
{
    const char *at = ps->p;
    unsigned char c = (unsigned char)*at;
    if (c == '\\')
        return S_command(ps, l, at);
    if (c == '{') {
        /* a group is an Ord atom */
        mlist *a = S_arg(ps, at, "'{'");
        if (!a)
            return -1;
        return math_pstate_push_list(ps, l, C_ORD, a, at) ? 0 : -1;
    }
    if (c >= 0x80) {
        int len = 1;
        while (((unsigned char)at[len] & 0xC0) == 0x80)
            len++;
        /* common Unicode math characters stand for their commands */
        const msymdef *us = math_sym_unicode(at, (size_t)len);
        if (us) {
            ps->p += len;
            return S_symdef(ps, l, us, at);
        }
        return math_pstate_fail(ps, at, "unsupported character '%.*s' (write it as a command)", len, at);
    }
    ps->p++;
    if (isalnum(c))
        return S_char(ps, l, c, at);
    if (c == '~') {
        mnoad *q = math_pstate_push(ps, l, N_SPACE, C_ORD, at);
        if (!q)
            return -1;
        q->space = 1.0 / 3;   /* ~ = \penalty10000\ : interword glue */
        q->space_st = 1.0 / 6;
        q->space_sh = 1.0 / 9;
        return 0;
    }
    char one[2] = { (char)c, 0 };
    const msymdef *s = math_sym_find(one, 1);
    if (!s || c == '\\')
        return math_pstate_fail(ps, at, "unexpected character '%c'", c);
    return S_symdef(ps, l, s, at);
}

/* Parse until a terminator; *term tells which, *term_at where. */
static int S_list_raw(math_pstate *ps, mlist *l, int *term, const char **term_at, int *split,
                      int *kind, const char **split_at);

/* TeX's generalized fractions written infix (\over \atop \choose \brack
 * \brace): everything before becomes the numerator, everything after up
 * to the end of the group the denominator; the list is one fraction noad. */
static int S_list(math_pstate *ps, mlist *l, int *term, const char **term_at)
{
    int split = -1, kind = 0;
    const char *sat = NULL;
    unsigned color = ps->color;   /* a \color switch lasts to the group's end */
    int rc = S_list_raw(ps, l, term, term_at, &split, &kind, &sat);
    ps->color = color;
    if (rc < 0 || split < 0)
        return ps->failed ? -1 : 0;
    mlist *num = math_pstate_list_new(ps), *den = num ? math_pstate_list_new(ps) : NULL;
    if (!den) {
        math_mlist_free(num);
        return -1;
    }
    for (int i = 0; i < l->n; i++) {
        mlist *to = i < split ? num : den;
        mnoad *q = math_pstate_push(ps, to, N_ATOM, C_ORD, sat);
        if (!q) {
            math_mlist_free(num);
            math_mlist_free(den);
            return -1;
        }
        *q = l->v[i];   /* moved: the noad's lists now belong to num/den */
    }
    l->n = 0;
    mnoad *f = math_pstate_push(ps, l, N_FRAC, C_INNER, sat);
    if (!f) {
        math_mlist_free(num);
        math_mlist_free(den);
        return -1;
    }
    f->list = num;
    f->den = den;
    static const char *const dl[5][2] = { { NULL, NULL }, { NULL, NULL },
                                          { "parenleft", "parenright" },
                                          { "bracketleft", "bracketright" },
                                          { "braceleft", "braceright" } };
    static const char *const big[5][2] = { { NULL, NULL }, { NULL, NULL },
                                           { "parenleftbig", "parenrightbig" },
                                           { "bracketleftbig", "bracketrightbig" },
                                           { "braceleftbig", "bracerightbig" } };
    f->frac_norule = kind >= 1;
    if (kind >= 2) {
        int fam = kind == 4 ? FAM_SY : FAM_RM;
        f->has_fdelim = 1;
        f->fdl = (mdelim){ fam, dl[kind][0], big[kind][0] };
        f->fdr = (mdelim){ fam, dl[kind][1], big[kind][1] };
    }
    return 0;
}

static int S_list_raw(math_pstate *ps, mlist *l, int *term, const char **term_at, int *split,
                      int *kind, const char **split_at)
{
    for (;;) {
        math_pstate_skip_ws(ps);
        const char *at = ps->p;
        *term_at = at;
        switch (*at) {
        case '\0':
            *term = T_EOF;
            return 0;
        case '}':
            ps->p++;
            *term = T_RBRACE;
            return 0;
        case '&':
            ps->p++;
            *term = T_AMP;
            return 0;
        case ']':
            if (ps->bracket_depth != ps->depth)
                break;
            ps->p++;
            *term = T_RBRACKET;
            return 0;
        case '$':
            if (ps->dollar_depth != ps->depth || ps->dollar_paren)
                break;
            ps->p++;
            *term = T_DOLLAR;
            return 0;
        case '^':
        case '_':
            if (S_script(ps, l) < 0)
                return -1;
            continue;
        case '\'':
            if (S_primes(ps, l) < 0)
                return -1;
            continue;
        case '\\': {
            const char *q = at + 1;
            if (*q == '\\') {
                ps->p += 2;
                *term = T_CR;
                return 0;
            }
            if (*q == ')' && ps->dollar_depth == ps->depth && ps->dollar_paren) {
                ps->p += 2;   /* \) closes \( in \text (math_pfont.c) */
                *term = T_DOLLAR;
                return 0;
            }
            static const struct { const char *w; int t; } tw[] = {
                { "right", T_RIGHT }, { "middle", T_MIDDLE }, { "end", T_END },
            };
            int hit = 0;
            for (size_t i = 0; i < 3; i++) {
                size_t wl = strlen(tw[i].w);
                if (!strncmp(q, tw[i].w, wl) && !isalpha((unsigned char)q[wl])) {
                    ps->p = q + wl;
                    *term = tw[i].t;
                    hit = 1;
                }
            }
            if (hit)
                return 0;
            /* kind: 0 \over, 1 \atop, 2 \choose, 3 \brack, 4 \brace */
            static const char *const infix[] = { "over", "atop", "choose", "brack", "brace" };
            for (int i = 0; i < 5; i++) {
                size_t wl = strlen(infix[i]);
                if (!strncmp(q, infix[i], wl) && !isalpha((unsigned char)q[wl])) {
                    if (*split >= 0)
                        return math_pstate_fail(ps, at, "ambiguous: two of \\over, \\atop, "
                                                "\\choose in one group (add braces)");
                    ps->p = q + wl;
                    *split = l->n;
                    *kind = i;
                    *split_at = at;
                    hit = 1;
                    break;
                }
            }
            if (hit)
                continue;
            break;
        }
        default:
            break;
        }
        if (S_atom(ps, l) < 0)
            return -1;
    }
}

mlist *math_parse(const char *tex, int display, math_meta *meta, const math_refs *refs,
                  int *err_col, lb_err *e)
{
    math_meta local;
    if (!meta)
        meta = &local;
    memset(meta, 0, sizeof *meta);
    math_pstate ps = { .src = tex, .p = tex, .mode = M_NORMAL, .err_col = err_col, .e = e,
                       .bracket_depth = -1, .dollar_depth = -1, .list = S_list,
                       .atom = S_atom, .arg = S_arg,
                       .textarg = S_textarg, .delim = S_delim, .display = display,
                       .meta = meta, .refs = refs };
    int term;
    const char *tat;
    mlist *l = math_pstate_list_new(&ps);
    if (!l)
        return NULL;
    if (S_list(&ps, l, &term, &tat) < 0)
        goto fail;
    switch (term) {
    case T_EOF:
        /* while parsing: bit 0 the equation environment, bit 1 \notag */
        meta->numbered = meta->tag || (!(meta->numbered & 2)
                                       && ((meta->numbered & 1) || meta->label));
        if (meta == &local)
            math_meta_clear(meta);
        return l;
    case T_RBRACE:
        math_pstate_fail(&ps, tat, "unbalanced braces: unexpected '}'");
        break;
    case T_RIGHT:
        math_pstate_fail(&ps, tat, "\\right without \\left");
        break;
    case T_MIDDLE:
        math_pstate_fail(&ps, tat, "\\middle without \\left");
        break;
    case T_END:
        math_pstate_fail(&ps, tat, "\\end without \\begin");
        break;
    case T_AMP:
        math_pstate_fail(&ps, tat, "'&' outside an environment (use \\begin{aligned})");
        break;
    default:
        math_pstate_fail(&ps, tat, "'\\\\' outside an environment (use \\begin{aligned})");
        break;
    }
fail:
    math_meta_clear(meta);
    math_mlist_free(l);
    return NULL;
}

int math_meta_get(const char *tex, math_meta *out, int *err_col, lb_err *e)
{
    int dummy = 0;
    if (!err_col)
        err_col = &dummy;
    *err_col = 0;
    mlist *l = math_parse(tex, 1, out, NULL, err_col, e);
    if (!l)
        return -1;
    math_mlist_free(l);
    return 0;
}
