/* math_penv — parse an environment after \begin (math_pstate.h).  Private
 * to src/math/.  Ownership: the environment's noad is appended to `l`. */
#ifndef LB_MATH_PENV_H
#define LB_MATH_PENV_H

#include "math/math_pstate.h"

/* ps->p is after "\begin"; 0 or -1 (error set in the state). */
int math_penv_parse(math_pstate *ps, mlist *l, const char *cmd_at);

#endif
