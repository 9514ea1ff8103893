/* math_penv — environments: \begin{name} .. \end{name} with & and \\
 * (matrix, pmatrix, bmatrix, Bmatrix, vmatrix, Vmatrix, smallmatrix, cases,
 * array{lcr|}, aligned / align* / split / alignedat, gathered).  Cells are
 * parsed through the state's list callback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "math/math_pstate.h"
#include "math/math_penv.h"

static const char *S_env_names[] = {
    [ENV_MATRIX] = "matrix", [ENV_PMATRIX] = "pmatrix", [ENV_BMATRIX] = "bmatrix",
    [ENV_VMATRIX] = "vmatrix", [ENV_CASES] = "cases", [ENV_ALIGNED] = "aligned",
    [ENV_ARRAY] = "array", [ENV_BBMATRIX] = "Bmatrix", [ENV_VVMATRIX] = "Vmatrix",
    [ENV_SMALLMATRIX] = "smallmatrix", [ENV_GATHERED] = "gathered",
};

/* {name} after \begin / \end */
static int S_envname(math_pstate *ps, const char *cmd_at, const char *cmd, char *buf, size_t cap)
{
    math_pstate_skip_ws(ps);
    if (*ps->p != '{')
        return math_pstate_fail(ps, cmd_at, "missing {name} after %s", cmd);
    const char *s = ++ps->p;
    while (*ps->p && *ps->p != '}')
        ps->p++;
    if (!*ps->p)
        return math_pstate_fail(ps, cmd_at, "unbalanced braces in %s{...}", cmd);
    size_t n = (size_t)(ps->p - s);
    ps->p++;
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

/* array's column specification: l c r and | (p{..}, @{..} and *{..} are
 * not supported), into q->text */
static int S_colspec(math_pstate *ps, const char *cmd_at, mnoad *q)
{
    math_pstate_skip_ws(ps);
    if (*ps->p != '{')
        return math_pstate_fail(ps, cmd_at, "\\begin{array}: missing column specification {..}");
    const char *s = ++ps->p;
    while (*ps->p && *ps->p != '}') {
        if (!strchr("lcr| \t\n", *ps->p))
            return math_pstate_fail(ps, ps->p, "\\begin{array}: column type '%c' (expected l, c, r or |)",
                                    *ps->p);
        ps->p++;
    }
    if (!*ps->p)
        return math_pstate_fail(ps, cmd_at, "\\begin{array}: unbalanced braces in the column specification");
    char buf[40];
    size_t n = 0;
    for (const char *c = s; c < ps->p; c++)
        if (strchr("lcr|", *c)) {
            if (n + 1 >= sizeof buf)
                return math_pstate_fail(ps, cmd_at, "\\begin{array}: more than 16 columns");
            buf[n++] = *c;
        }
    buf[n] = '\0';
    ps->p++;
    if (!(q->text = strdup(buf)))
        return math_pstate_nomem(ps);
    return 0;
}

/* equation / equation*: the formula itself, its content set as if the
 * environment were not there; equation asks for a number (math.h). */
static int S_equation(math_pstate *ps, mlist *l, const char *cmd_at, const char *name)
{
    if (!ps->display || !ps->meta)
        return math_pstate_fail(ps, cmd_at, "\\begin{%s} is allowed only in a display formula "
                                "($$...$$)", name);
    if (ps->in_equation)   /* amsmath: "Erroneous nesting of equation structures" */
        return math_pstate_fail(ps, cmd_at, "\\begin{%s} inside an equation environment "
                                "(expected one equation per display)", name);
    if (!strcmp(name, "equation"))
        ps->meta->numbered |= 1;
    int term;
    const char *tat;
    ps->in_equation = 1;
    int rc = ps->list(ps, l, &term, &tat);
    ps->in_equation = 0;
    if (rc < 0)
        return -1;
    if (term == T_AMP || term == T_CR)
        return math_pstate_fail(ps, tat, "'%s' in \\begin{%s} (rows and columns go in an "
                                "\\begin{aligned} inside it)", term == T_AMP ? "&" : "\\\\", name);
    if (term != T_END)
        return math_pstate_fail(ps, cmd_at, "\\begin{%s} without \\end{%s}", name, name);
    char en[64];
    if (S_envname(ps, tat, "\\end", en, sizeof en) < 0)
        return -1;
    if (strcmp(en, name))
        return math_pstate_fail(ps, tat, "\\end{%s} does not match \\begin{%s}", en, name);
    return 0;
}

int math_penv_parse(math_pstate *ps, mlist *l, const char *cmd_at)
{
    char name[64];
    if (S_envname(ps, cmd_at, "\\begin", name, sizeof name) < 0)
        return -1;
    if (!strcmp(name, "equation") || !strcmp(name, "equation*"))
        return S_equation(ps, l, cmd_at, name);
    int env = -1;
    for (int i = 0; i < (int)(sizeof S_env_names / sizeof *S_env_names); i++)
        if (S_env_names[i] && !strcmp(name, S_env_names[i]))
            env = i;
    if (!strcmp(name, "align*") || !strcmp(name, "align") || !strcmp(name, "aligned")
        || !strcmp(name, "split") || !strcmp(name, "alignedat"))
        env = ENV_ALIGNED;
    if (env < 0)
        return math_pstate_fail(ps, cmd_at, "unknown environment '%s' in \\begin{%s}", name, name);
    /* \vcenter'ed alignments are Ord; the delimited ones are \left..\right */
    int ord = env == ENV_ALIGNED || env == ENV_MATRIX || env == ENV_ARRAY || env == ENV_SMALLMATRIX
              || env == ENV_GATHERED;
    mnoad *q = math_pstate_push(ps, l, N_ARRAY, ord ? C_ORD : C_INNER, cmd_at);
    if (!q)
        return -1;
    q->env = env;
    if (!strcmp(name, "alignedat")) {   /* {n}: the number of column pairs */
        mlist *a = ps->arg(ps, cmd_at, "\\begin{alignedat}");
        if (!a)
            return -1;
        math_mlist_free(a);
        q = &l->v[l->n - 1];
    }
    if (env == ENV_ARRAY && S_colspec(ps, cmd_at, q) < 0)
        return -1;
    int cap = 0, row = 0, col = 0, maxcols = 0;
    mlist **cells = NULL;   /* grown as rows x 16 */
    const int W = 16;
    int ret = -1;
    if (++ps->depth > MATH_MAX_DEPTH) {
        math_pstate_fail(ps, cmd_at, "formula nested deeper than %d levels", MATH_MAX_DEPTH);
        goto out;
    }
    for (;;) {
        if ((row + 1) * W > cap) {
            int nc = (row + 1) * W * 2;
            mlist **ncl = realloc(cells, (size_t)nc * sizeof *ncl);
            if (!ncl) {
                math_pstate_nomem(ps);
                goto out;
            }
            for (int i = cap; i < nc; i++)
                ncl[i] = NULL;
            cells = ncl;
            cap = nc;
        }
        mlist *cell = math_pstate_list_new(ps);
        if (!cell)
            goto out;
        if (col >= W) {
            math_mlist_free(cell);
            math_pstate_fail(ps, cmd_at, "\\begin{%s}: more than %d columns", name, W);
            goto out;
        }
        cells[row * W + col] = cell;
        int term;
        const char *tat;
        if (ps->list(ps, cell, &term, &tat) < 0)
            goto out;
        if (col + 1 > maxcols)
            maxcols = col + 1;
        if (term == T_AMP) {
            col++;
        } else if (term == T_CR) {
            math_pstate_skip_ws(ps);
            if (*ps->p == '[') {      /* \\[len]: extra space is ignored */
                while (*ps->p && *ps->p != ']')
                    ps->p++;
                if (*ps->p)
                    ps->p++;
            }
            row++;
            col = 0;
        } else if (term == T_END) {
            char en[64];
            if (S_envname(ps, tat, "\\end", en, sizeof en) < 0)
                goto out;
            if (strcmp(en, name)) {
                math_pstate_fail(ps, tat, "\\end{%s} does not match \\begin{%s}", en, name);
                goto out;
            }
            break;
        } else if (term == T_RBRACE) {
            math_pstate_fail(ps, tat, "unbalanced braces: unexpected '}' inside \\begin{%s}", name);
            goto out;
        } else {
            math_pstate_fail(ps, cmd_at, "\\begin{%s} without \\end{%s}", name, name);
            goto out;
        }
    }
    /* a trailing \\ leaves one empty row: drop it */
    int rows = row + 1;
    if (rows > 1 && col == 0 && cells[row * W]->n == 0)
        rows--;
    q = &l->v[l->n - 1];
    q->rows = rows;
    q->cols = maxcols;
    q->cells = calloc((size_t)rows * (size_t)maxcols, sizeof *q->cells);
    if (!q->cells) {
        math_pstate_nomem(ps);
        goto out;
    }
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < maxcols; c++) {
            q->cells[r * maxcols + c] = cells[r * W + c];
            cells[r * W + c] = NULL;
        }
    ret = 0;
out:
    ps->depth--;
    for (int i = 0; i < cap; i++)
        math_mlist_free(cells[i]);
    free(cells);
    return ret;
}

