/* math_pstate — the state of the LaTeX math parser and its leaf helpers,
 * shared by math_parse.c (the core grammar), math_penv.c (environments) and
 * math_pcmd.c (amsmath commands built from noads).  Private to src/math/.
 *
 * The recursive parts of the grammar (a list up to a terminator, one
 * argument, a text argument, a delimiter) live in math_parse.c; the other
 * files reach them through the callbacks of the state, so that no two files
 * call each other.
 *
 * Ownership: lists from math_pstate_list_new belong to the caller until
 * attached to a noad; the state owns nothing.
 */
#ifndef LB_MATH_PSTATE_H
#define LB_MATH_PSTATE_H

#include <stddef.h>
#include "math/math_int.h"

/* font modes of letters and digits */
enum { M_NORMAL, M_RM, M_BF, M_BSYM, M_CAL, M_BB, M_IT, M_SF, M_TT, M_FRAK, M_SCR };

/* terminators reported by the list callback */
enum { T_EOF, T_RBRACE, T_RIGHT, T_MIDDLE, T_AMP, T_CR, T_END, T_RBRACKET, T_DOLLAR };

typedef struct math_pstate math_pstate;

struct math_pstate {
    const char *src, *p;
    int depth;
    int mode;
    int *err_col;
    lb_err *e;
    int failed;
    int bracket_depth;   /* depth whose list ends at ']' (\sqrt[..]), -1 none */
    int in_equation;     /* inside \begin{equation} or equation* */
    int dollar_depth;    /* depth whose list ends at '$' (math in \text), -1 none */
    int dollar_paren;    /* ... at "\)" instead (it began with "\(") */
    int display;         /* a display formula: \tag, \label, equation allowed */
    math_meta *meta;     /* records them (math_pcmd.c, math_penv.c); while
                            parsing, meta->numbered has bit 0 for the
                            equation environment and bit 1 for \notag */
    const math_refs *refs; /* \eqref and \ref (NULL: "??") */
    unsigned color;      /* \color in force: every noad pushed takes it */
    const char *col_at;  /* math_pstate_col's last answer: col_val at col_at */
    int col_val;
    /* math_parse.c's grammar */
    int (*list)(math_pstate *ps, mlist *l, int *term, const char **term_at);
    int (*atom)(math_pstate *ps, mlist *l);   /* one atom (no scripts) */
    mlist *(*arg)(math_pstate *ps, const char *cmd_at, const char *cmd);
    int (*textarg)(math_pstate *ps, const char *at, const char *cmd, char **out);
    int (*delim)(math_pstate *ps, const char *cmd_at, const char *cmd, mdelim *d);
};

/* 1-based column (UTF-8 characters) of `at` in the formula. */
int math_pstate_col(const math_pstate *ps, const char *at);
/* First error wins; always -1. */
int math_pstate_fail(math_pstate *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int math_pstate_nomem(math_pstate *ps);
mlist *math_pstate_list_new(math_pstate *ps);
/* Append a zeroed noad at column of `at`; NULL on out of memory. */
mnoad *math_pstate_push(math_pstate *ps, mlist *l, int type, int cls, const char *at);
/* Append an atom of class `cls` whose nucleus is the list `a` (taken over:
 * on out of memory it is freed and NULL returned). */
mnoad *math_pstate_push_list(math_pstate *ps, mlist *l, int cls, mlist *a, const char *at);
/* White space and '%' comments. */
void math_pstate_skip_ws(math_pstate *ps);
/* Control-sequence name at ps->p (after the backslash): letters, or one
 * character; returns its length, *name its start. */
size_t math_pstate_csname(math_pstate *ps, const char **name);
/* An optional [..] argument as raw text (NULL when absent), malloc'd;
 * 0 or -1. */
int math_pstate_optarg(math_pstate *ps, const char *cmd_at, const char *cmd, char **out);

#endif
