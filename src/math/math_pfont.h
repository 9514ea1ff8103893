/* math_pfont — text commands inside a formula (\text \textbf \textit
 * \textsf \texttt \emph ...), nested, with $...$ math: see math_pfont.c.
 * Private to src/math/.  Ownership: noads are appended to `l`. */
#ifndef LB_MATH_PFONT_H
#define LB_MATH_PFONT_H

#include "math/math_pstate.h"

/* The command `name` (n bytes, no backslash) at `at`: 0 parsed, -1 error
 * (set in the state), 1 not one of these commands. */
int math_pfont_parse(math_pstate *ps, mlist *l, const char *at, const char *name, size_t n);

#endif
