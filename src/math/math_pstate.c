/* math_pstate — the parser's state and its leaf helpers (see
 * math_pstate.h): columns, errors, noad allocation, white space and
 * comments, control-sequence names; freeing noad lists. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "math/math_pstate.h"

int math_pstate_col(const math_pstate *ps, const char *at)
{
    /* the parser moves forward: count on from the last answer, so the
     * columns of a long formula cost linear time in all */
    math_pstate *m = (math_pstate *)ps;
    const char *q = ps->src;
    int c = 1;
    if (m->col_at && m->col_at <= at) {
        q = m->col_at;
        c = m->col_val;
    }
    for (; q < at && *q; q++)
        if (((unsigned char)*q & 0xC0) != 0x80)
            c++;
    m->col_at = q;
    m->col_val = c;
    return c;
}

int math_pstate_fail(math_pstate *ps, const char *at, const char *fmt, ...)
{
    if (!ps->failed) {
        char msg[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        /* Messages quote the formula (environment names, commands): an
         * error is one line, so its control characters become spaces. */
        for (char *m = msg; *m; m++)
            if ((unsigned char)*m < 0x20 || *m == 0x7f)
                *m = ' ';
        err_set(ps->e, LB_EXIT_INPUT, "%s", msg);
        if (ps->err_col)
            *ps->err_col = math_pstate_col(ps, at);
        ps->failed = 1;
    }
    return -1;
}

int math_pstate_nomem(math_pstate *ps)
{
    if (!ps->failed) {
        err_nomem(ps->e);
        if (ps->err_col)
            *ps->err_col = 0;
        ps->failed = 1;
    }
    return -1;
}

static void S_noad_clear(mnoad *q);

void math_mlist_free(mlist *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->n; i++)
        S_noad_clear(&l->v[i]);
    free(l->v);
    free(l);
}

static void S_noad_clear(mnoad *q)
{
    math_mlist_free(q->list);
    math_mlist_free(q->den);
    math_mlist_free(q->sup);
    math_mlist_free(q->sub);
    free(q->text);
    for (int i = 0; i < q->nseg; i++)
        math_mlist_free(q->segs[i]);
    free(q->segs);
    free(q->delims);
    if (q->cells)
        for (int i = 0; i < q->rows * q->cols; i++)
            math_mlist_free(q->cells[i]);
    free(q->cells);
}

mlist *math_pstate_list_new(math_pstate *ps)
{
    mlist *l = calloc(1, sizeof *l);
    if (!l)
        math_pstate_nomem(ps);
    return l;
}

/* Append a zeroed noad; NULL on OOM. */
mnoad *math_pstate_push(math_pstate *ps, mlist *l, int type, int cls, const char *at)
{
    if (l->n == l->cap) {
        int nc = l->cap ? 2 * l->cap : 8;
        mnoad *nv = realloc(l->v, (size_t)nc * sizeof *nv);
        if (!nv) {
            math_pstate_nomem(ps);
            return NULL;
        }
        l->v = nv;
        l->cap = nc;
    }
    mnoad *q = &l->v[l->n++];
    memset(q, 0, sizeof *q);
    q->type = type;
    q->cls = cls;
    q->col = math_pstate_col(ps, at);
    q->fstyle = -1;
    q->color = ps->color;
    return q;
}

mnoad *math_pstate_push_list(math_pstate *ps, mlist *l, int cls, mlist *a, const char *at)
{
    mnoad *q = math_pstate_push(ps, l, N_ATOM, cls, at);
    if (!q) {
        math_mlist_free(a);
        return NULL;
    }
    q->nk = NK_LIST;
    q->list = a;
    return q;
}

/* White space, and TeX's comments: '%' to the end of the line (a formula
 * that spans lines may comment out its end). */
void math_pstate_skip_ws(math_pstate *ps)
{
    for (;;) {
        while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
            ps->p++;
        if (*ps->p != '%')
            return;
        while (*ps->p && *ps->p != '\n')
            ps->p++;
    }
}

/* Read a control sequence name at ps->p (which points after '\').  Letters
 * form a word; otherwise one character. */
size_t math_pstate_csname(math_pstate *ps, const char **name)
{
    *name = ps->p;
    if (isalpha((unsigned char)*ps->p)) {
        while (isalpha((unsigned char)*ps->p))
            ps->p++;
        size_t n = (size_t)(ps->p - *name);
        if (*ps->p == '*' && ((n == 12 && !memcmp(*name, "operatorname", 12))))
            ps->p++;
        return (size_t)(ps->p - *name);
    }
    if (*ps->p)
        ps->p++;
    return (size_t)(ps->p - *name);
}


int math_pstate_optarg(math_pstate *ps, const char *cmd_at, const char *cmd, char **out)
{
    *out = NULL;
    math_pstate_skip_ws(ps);
    if (*ps->p != '[')
        return 0;
    const char *s = ++ps->p;
    int lvl = 0;
    while (*ps->p && (*ps->p != ']' || lvl > 0)) {
        if (*ps->p == '{')
            lvl++;
        else if (*ps->p == '}')
            lvl--;
        ps->p++;
    }
    if (!*ps->p)
        return math_pstate_fail(ps, cmd_at, "%s[: missing ']'", cmd);
    *out = strndup(s, (size_t)(ps->p - s));
    ps->p++;
    return *out ? 0 : math_pstate_nomem(ps);
}

void math_meta_clear(math_meta *m)
{
    free(m->tag);
    free(m->label);
    memset(m, 0, sizeof *m);
}
