/* confine — keep a child process (gnuplot and all it starts) from writing
 * anywhere but one folder, with Linux's Landlock (kernel 5.13 or later):
 * writing, creating, removing, renaming or truncating files is denied
 * outside `dir` (and /dev/null); reading is not restricted.  The rule holds
 * for every process the child starts (system(), pipes, a shell), and it
 * cannot be lifted.  Where the kernel has no Landlock the call does
 * nothing and says so (the template's gnuplot code is still checked word
 * by word: plot/gpcheck.h).
 *
 * Ownership: nothing allocated; for the child between fork and exec: only
 * async-signal-safe system calls.
 */
#ifndef LB_CONFINE_H
#define LB_CONFINE_H

/* 0: confined to dir; 1: not confined, nothing changed (no Landlock in
 * this kernel, the calls refused by a seccomp filter, dir cannot be
 * opened; errno says why).  The rule set is applied at once or not at
 * all, so there is no half-confined state. */
int confine_writes_to(const char *dir);

#endif
