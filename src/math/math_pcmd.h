/* math_pcmd — amsmath/LaTeX commands built from noads (see math_pcmd.c).
 * Private to src/math/.  Ownership: noads are appended to `l`. */
#ifndef LB_MATH_PCMD_H
#define LB_MATH_PCMD_H

#include "math/math_pstate.h"

/* The command `name` (n bytes, no backslash) at `at`: 0 parsed, -1 error
 * (set in the state), 1 not one of these commands. */
int math_pcmd_parse(math_pstate *ps, mlist *l, const char *at, const char *name, size_t n);
/* A dots command of the symbol table (\cdots, \dots, \dotsc ...) with
 * amsmath's look-ahead spacing. */
int math_pcmd_dots(math_pstate *ps, mlist *l, const msymdef *s, const char *at);

#endif
