/* math_pdelim — \left ... \middle ... \right (an Inner noad of segments,
 * sized by rule 19 in math_noad.c) and plain TeX's \big \Big \bigg \Bigg
 * with their l / r / m forms (a delimiter at a fixed height, as plain TeX's
 * \hbox{$\left( \vbox to 8.5pt{} \right.$}).  Lists and delimiters are
 * parsed through the state's callbacks (math_parse.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "math/math_pstate.h"
#include "math/math_pdelim.h"

#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))

int math_pdelim_parse(math_pstate *ps, mlist *l, const char *at, const char *name, size_t n)
{
    char cmd[16];
    snprintf(cmd, sizeof cmd, "\\%.*s", (int)(n > 10 ? 10 : n), name);
    mnoad *q;
    if (IS("left")) {
        int ret = -1, nseg = 0, term;
        const char *tat;
        mlist **segs = NULL;
        mdelim *dl = NULL;
        if (++ps->depth > MATH_MAX_DEPTH) {
            ps->depth--;
            return math_pstate_fail(ps, at, "formula nested deeper than %d levels", MATH_MAX_DEPTH);
        }
        dl = malloc(sizeof *dl);
        if (!dl) {
            math_pstate_nomem(ps);
            goto lr_out;
        }
        if (ps->delim(ps, at, "\\left", &dl[0]) < 0)
            goto lr_out;
        for (;;) {
            mlist **ns = realloc(segs, (size_t)(nseg + 1) * sizeof *ns);
            mdelim *nd = ns ? realloc(dl, (size_t)(nseg + 2) * sizeof *nd) : NULL;
            if (ns)
                segs = ns;
            if (nd)
                dl = nd;
            if (!ns || !nd) {
                math_pstate_nomem(ps);
                goto lr_out;
            }
            if (!(segs[nseg] = math_pstate_list_new(ps)))
                goto lr_out;
            nseg++;
            if (ps->list(ps, segs[nseg - 1], &term, &tat) < 0)
                goto lr_out;
            if (term == T_MIDDLE) {
                if (ps->delim(ps, tat, "\\middle", &dl[nseg]) < 0)
                    goto lr_out;
                continue;
            }
            if (term == T_RBRACE) {
                math_pstate_fail(ps, tat, "unbalanced braces: unexpected '}' inside \\left...\\right");
                goto lr_out;
            }
            if (term != T_RIGHT) {
                math_pstate_fail(ps, at, "\\left without matching \\right");
                goto lr_out;
            }
            if (ps->delim(ps, tat, "\\right", &dl[nseg]) < 0)
                goto lr_out;
            break;
        }
        if (!(q = math_pstate_push(ps, l, N_LR, C_INNER, at)))
            goto lr_out;
        q->nseg = nseg;
        q->segs = segs;
        q->delims = dl;
        segs = NULL;
        dl = NULL;
        nseg = 0;
        ret = 0;
    lr_out:
        ps->depth--;
        for (int i = 0; i < nseg; i++)
            math_mlist_free(segs[i]);
        free(segs);
        free(dl);
        return ret;
    }
    /* \big family */
    {
        static const struct { const char *c; double h; int cls; } bg[] = {
            { "big", 8.5, C_ORD }, { "Big", 11.5, C_ORD }, { "bigg", 14.5, C_ORD },
            { "Bigg", 17.5, C_ORD }, { "bigl", 8.5, C_OPEN }, { "Bigl", 11.5, C_OPEN },
            { "biggl", 14.5, C_OPEN }, { "Biggl", 17.5, C_OPEN }, { "bigr", 8.5, C_CLOSE },
            { "Bigr", 11.5, C_CLOSE }, { "biggr", 14.5, C_CLOSE }, { "Biggr", 17.5, C_CLOSE },
            { "bigm", 8.5, C_REL }, { "Bigm", 11.5, C_REL }, { "biggm", 14.5, C_REL },
            { "Biggm", 17.5, C_REL },
        };
        for (size_t i = 0; i < sizeof bg / sizeof *bg; i++)
            if (strlen(bg[i].c) == n && !memcmp(bg[i].c, name, n)) {
                mdelim d;
                if (ps->delim(ps, at, cmd, &d) < 0)
                    return -1;
                if (!(q = math_pstate_push(ps, l, N_ATOM, bg[i].cls, at)))
                    return -1;
                q->nk = NK_DELIM;
                q->delim = d;
                q->big = bg[i].h;
                return 0;
            }
    }
    return 1;
}
