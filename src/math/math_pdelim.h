/* math_pdelim — \left \middle \right and \big \Big \bigg \Bigg (+l/r/m):
 * see math_pdelim.c.  Private to src/math/.  Ownership: noads are appended
 * to `l`. */
#ifndef LB_MATH_PDELIM_H
#define LB_MATH_PDELIM_H

#include "math/math_pstate.h"

/* The command `name` (n bytes, no backslash) at `at`: 0 parsed, -1 error
 * (set in the state), 1 not one of these commands. */
int math_pdelim_parse(math_pstate *ps, mlist *l, const char *at, const char *name, size_t n);

#endif
