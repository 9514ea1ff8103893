/* math_pfont — text inside a formula: \text \textrm \textnormal \textup
 * \mbox \textbf \textit \textsf \texttt \emph, nested in one another, with
 * $...$ or \(...\) (math in the text; \(...\) can be written in a Markdown
 * $$...$$ display, where a '$' would end the formula: a formula of its own in text style at the
 * size of the surrounding style) and characters the text fonts lack but
 * math has (α in \text{for all α}) set as math.  amsmath's \text is an
 * \hbox: a box nucleus.  A plain run (no nesting) stays one NK_TEXT atom;
 * anything else is an NK_LIST of NK_TEXT runs (each in its family) and
 * math lists, all Ord, so that nothing is spaced between them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "math/math_pstate.h"
#include "math/math_pfont.h"

#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))

/* The text family a text command selects (`cur` for \text), -1 if `name`
 * is none; \emph toggles italic. */
static int S_text_fam(const char *name, size_t n, int cur)
{
    if (IS("text"))
        return cur;
    if (IS("textrm") || IS("textnormal") || IS("textup") || IS("mbox"))
        return FAM_RM;
    if (IS("textbf"))
        return FAM_BF;
    if (IS("textit"))
        return FAM_IT;
    if (IS("textsf"))
        return FAM_SF;
    if (IS("texttt"))
        return FAM_TT;
    if (IS("emph"))
        return cur == FAM_IT ? FAM_RM : FAM_IT;
    return -1;
}

/* Characters math_text sets from a text font (ASCII, Latin-1, the dashes,
 * quotes and minus it knows). */
static int S_text_char(unsigned cp)
{
    return cp < 0x100 || cp == 0x2013 || cp == 0x2014 || cp == 0x2018 || cp == 0x2019
           || cp == 0x201C || cp == 0x201D || cp == 0x2212;
}

static int S_run(math_pstate *ps, mlist *out, int fam, const char *a, const char *z)
{
    if (z <= a)
        return 0;
    mnoad *q = math_pstate_push(ps, out, N_ATOM, C_ORD, a);
    if (!q)
        return -1;
    q->nk = NK_TEXT;
    q->text_fam = fam;
    q->text_src = 1;   /* its column is a's: errors point into it */
    if (!(q->text = strndup(a, (size_t)(z - a))))
        return math_pstate_nomem(ps);
    return 0;
}

/* An argument that is empty or white space ("}" after blanks): LaTeX's
 * \text@command gives it no italic correction. */
static int S_blank(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    return *p == '}';
}

/* The italic correction (\/) of the last character of out's last item,
 * when that is a text run (math_text: MATH_TEXT_ICR). */
static void S_icr(mlist *out)
{
    if (out->n > 0 && out->v[out->n - 1].nk == NK_TEXT)
        out->v[out->n - 1].text_icr = 1;
}

/* Math inside text ($...$, or a character math has and text has not): an
 * Ord list laid out in text style at the size of the style around it. */
static mnoad *S_math(math_pstate *ps, mlist *out, const char *at)
{
    mlist *m = math_pstate_list_new(ps);
    mnoad *q = m ? math_pstate_push_list(ps, out, C_ORD, m, at) : NULL;
    if (!q)
        return NULL;
    q->textmath = 1;
    return q;
}

/* Text from ps->p up to the '}' that closes the group (consumed) in
 * family `fam`, into `out`; *plain stays 1 while it is one run. */
static int S_text(math_pstate *ps, mlist *out, int fam, const char *cmd_at, const char *cmd,
                  int *plain)
{
    if (++ps->depth > MATH_MAX_DEPTH) {
        ps->depth--;
        return math_pstate_fail(ps, cmd_at, "formula nested deeper than %d levels",
                                MATH_MAX_DEPTH);
    }
    const char *run = ps->p;
    int lvl = 0, rc = -1;
    for (;;) {
        const char *p = ps->p;
        if (!*p) {
            math_pstate_fail(ps, cmd_at, "unbalanced braces: '{' of %s is never closed", cmd);
            goto out;
        }
        if (*p == '}' && lvl == 0) {
            if (S_run(ps, out, fam, run, p) < 0)
                goto out;
            ps->p++;
            break;
        }
        if (*p == '{' || *p == '}') {
            lvl += *p == '{' ? 1 : -1;
            ps->p++;
            continue;
        }
        int paren = p[0] == '\\' && p[1] == '(';
        if (*p == '$' || paren) {   /* math in the text: $...$ or \(...\) */
            *plain = 0;
            mnoad *q;
            if (S_run(ps, out, fam, run, p) < 0 || !(q = S_math(ps, out, p)))
                goto out;
            ps->p += paren ? 2 : 1;
            int term, saved = ps->dollar_depth, saved_paren = ps->dollar_paren;
            const char *tat;
            ps->dollar_depth = ps->depth;
            ps->dollar_paren = paren;
            int bad = ps->list(ps, q->list, &term, &tat) < 0;
            ps->dollar_depth = saved;
            ps->dollar_paren = saved_paren;
            if (bad)
                goto out;
            if (term != T_DOLLAR) {
                math_pstate_fail(ps, p, paren ? "'\\(' inside %s without its closing '\\)'"
                                              : "'$' inside %s without its closing '$'", cmd);
                goto out;
            }
            run = ps->p;
            continue;
        }
        if (*p == '\\' && ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))) {
            const char *name = p + 1;
            size_t n = 0;
            while ((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z'))
                n++;
            int nf = S_text_fam(name, n, fam);
            if (nf >= 0) {   /* a text command inside: its group in its family */
                *plain = 0;
                if (S_run(ps, out, fam, run, p) < 0)
                    goto out;
                ps->p = name + n;
                math_pstate_skip_ws(ps);
                if (*ps->p != '{') {
                    math_pstate_fail(ps, p, "missing {argument} for \\%.*s", (int)n, name);
                    goto out;
                }
                ps->p++;
                char sub[24];
                snprintf(sub, sizeof sub, "\\%.*s", (int)(n < 16 ? n : 16), name);
                /* LaTeX's \check@icl and \check@icr (ltfntcmd.dtx): a
                 * font command in text mode whose argument is neither
                 * empty nor a space gives the character before it its
                 * italic correction when the new font is upright, and its
                 * own last character when the font after it is upright;
                 * neither when the next character is in \nocorrlist (,.).
                 * \text and \mbox are boxes: no correction. */
                int corr = !(n == 4 && !memcmp(name, "text", 4))
                           && !(n == 4 && !memcmp(name, "mbox", 4)) && !S_blank(ps->p);
                if (corr && nf != FAM_IT && *ps->p != '.' && *ps->p != ',')
                    S_icr(out);
                int n0 = out->n;
                if (S_text(ps, out, nf, p, sub, plain) < 0)
                    goto out;
                if (corr && fam != FAM_IT && out->n > n0 && *ps->p != '.' && *ps->p != ',')
                    S_icr(out);
                run = ps->p;
                continue;
            }
        }
        if (*p == '\\' && p[1]) {   /* \% \{ ... stay in the run (math_text) */
            ps->p += 2;
            continue;
        }
        unsigned char c = (unsigned char)*p;
        if (c >= 0x80) {
            int len = 1;
            while (((unsigned char)p[len] & 0xC0) == 0x80)
                len++;
            unsigned cp = 0;
            if ((c & 0xE0) == 0xC0 && len == 2)
                cp = (unsigned)(c & 0x1F) << 6 | (p[1] & 0x3F);
            else if ((c & 0xF0) == 0xE0 && len == 3)
                cp = (unsigned)(c & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            const msymdef *s = S_text_char(cp) ? NULL : math_sym_unicode(p, (size_t)len);
            if (s) {   /* Greek and symbols: as math (the text fonts lack them) */
                *plain = 0;
                mnoad *q;
                if (S_run(ps, out, fam, run, p) < 0 || !(q = S_math(ps, out, p)))
                    goto out;
                ps->p = p;   /* the math character, parsed as one atom */
                if (ps->atom(ps, q->list) < 0)
                    goto out;
                run = ps->p;
                continue;
            }
            ps->p += len;
            continue;
        }
        ps->p++;
    }
    rc = 0;
out:
    ps->depth--;
    return rc;
}

/* xcolor's base colour names (xcolor.sty, "base" set), 0xRRGGBB. */
static const struct { const char *name; unsigned rgb; } S_colors[] = {
    { "black", 0x000000 }, { "blue", 0x0000FF }, { "brown", 0xBF8040 }, { "cyan", 0x00FFFF },
    { "darkgray", 0x404040 }, { "gray", 0x808080 }, { "green", 0x00FF00 },
    { "lightgray", 0xBFBFBF }, { "lime", 0xBFFF00 }, { "magenta", 0xFF00FF },
    { "olive", 0x808000 }, { "orange", 0xFF8000 }, { "pink", 0xFFBFBF },
    { "purple", 0xBF0040 }, { "red", 0xFF0000 }, { "teal", 0x008080 },
    { "violet", 0x800080 }, { "white", 0xFFFFFF }, { "yellow", 0xFFFF00 },
};

/* \color{name}{...} colours its argument, spaced as if it were not there
 * (MathJax's reading, what GitHub previews); \color{name} alone colours
 * the rest of its group (LaTeX's); \textcolor{name}{...} is a group of its
 * own (an Ord), as in LaTeX. */
static int S_color(math_pstate *ps, mlist *l, const char *at, int text)
{
    const char *cmd = text ? "\\textcolor" : "\\color";
    char *nm = NULL;
    if (ps->textarg(ps, at, cmd, &nm) < 0)
        return -1;
    unsigned rgb = 0;
    int found = 0;
    for (size_t i = 0; i < sizeof S_colors / sizeof *S_colors && !found; i++)
        if (!strcmp(S_colors[i].name, nm)) {
            rgb = MATH_RGB_SET | S_colors[i].rgb;
            found = 1;
        }
    if (!found) {
        math_pstate_fail(ps, at, "%s{%s}: unknown colour (expected one of black, blue, brown, "
                         "cyan, darkgray, gray, green, lightgray, lime, magenta, olive, orange, "
                         "pink, purple, red, teal, violet, white, yellow)", cmd, nm);
        free(nm);
        return -1;
    }
    free(nm);
    math_pstate_skip_ws(ps);
    if (!text && *ps->p != '{') {   /* a switch, to the end of the group */
        ps->color = rgb;
        return 0;
    }
    unsigned keep = ps->color;
    ps->color = rgb;
    mlist *a = ps->arg(ps, at, cmd);
    ps->color = keep;
    if (!a)
        return -1;
    if (text) {   /* a group: one Ord atom */
        mnoad *q = math_pstate_push_list(ps, l, C_ORD, a, at);
        if (!q)
            return -1;
        q->color = rgb;
        return 0;
    }
    for (int i = 0; i < a->n; i++) {   /* spliced: its noads move into l */
        mnoad *q = math_pstate_push(ps, l, N_ATOM, C_ORD, at);
        if (!q) {
            for (int k = i; k < a->n; k++)
                a->v[k - i] = a->v[k];
            a->n -= i;
            math_mlist_free(a);
            return -1;
        }
        *q = a->v[i];
    }
    free(a->v);
    free(a);
    return 0;
}

int math_pfont_parse(math_pstate *ps, mlist *l, const char *at, const char *name, size_t n)
{
    if (IS("color") || IS("textcolor"))
        return S_color(ps, l, at, IS("textcolor"));
    int fam = S_text_fam(name, n, FAM_RM);
    if (fam < 0)
        return 1;
    char cmd[24];
    snprintf(cmd, sizeof cmd, "\\%.*s", (int)(n < 16 ? n : 16), name);
    math_pstate_skip_ws(ps);
    if (*ps->p != '{') {   /* one character, as TeX takes an argument */
        if (!*ps->p || *ps->p == '}')
            return math_pstate_fail(ps, at, "missing argument for %s", cmd);
        const char *s = ps->p++;
        while (((unsigned char)*ps->p & 0xC0) == 0x80)
            ps->p++;
        mnoad *q = math_pstate_push(ps, l, N_ATOM, C_ORD, at);
        if (!q)
            return -1;
        q->nk = NK_TEXT;
        q->text_fam = fam;
        q->text = strndup(s, (size_t)(ps->p - s));
        return q->text ? 0 : math_pstate_nomem(ps);
    }
    ps->p++;
    mlist *runs = math_pstate_list_new(ps);
    if (!runs)
        return -1;
    int plain = 1;
    if (S_text(ps, runs, fam, at, cmd, &plain) < 0) {
        math_mlist_free(runs);
        return -1;
    }
    mnoad *q = math_pstate_push(ps, l, N_ATOM, C_ORD, at);
    if (!q) {
        math_mlist_free(runs);
        return -1;
    }
    if (plain && runs->n <= 1) {   /* one run: an NK_TEXT atom, as ever */
        q->nk = NK_TEXT;
        q->text_fam = fam;
        q->text = runs->n ? runs->v[0].text : strdup("");
        if (runs->n)
            runs->v[0].text = NULL;
        math_mlist_free(runs);
        return q->text ? 0 : math_pstate_nomem(ps);
    }
    q->nk = NK_LIST;
    q->list = runs;
    q->boxed = 1;   /* an \hbox: a box nucleus for scripts (rule 18a) */
    return 0;
}
