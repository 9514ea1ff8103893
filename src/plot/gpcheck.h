/* gpcheck — what a template's gnuplot code may say.
 *
 * A ```gnuplot block only draws: lossbook sets the terminals and outputs
 * around it (three passes) and keeps gnuplot running for the next figure.
 * gpc_check refuses, statement by statement (split at ';', newlines and
 * braces; strings and comments skipped, `\` continuations joined), the
 * commands that would change where pictures go, write or run anything
 * else, or stop the process.  Commands and `set` options are matched by
 * gnuplot 5.4's own abbreviation rules (command.c / tables.c: "se$t"
 * accepts "se", "set"; "o$utput" accepts "o", "ou", ...):
 *   set|unset output, terminal, print, table, history;  set fit logfile;
 *   cd, call, load, evaluate, system, shell, save, update, reread,
 *   history, import, exit, quit, pause, reset session, `!`;
 *   system(...), `backquotes`, @macros (text run as commands), and a data
 *   file named '<command' in plot/splot/replot/stats/fit.
 * Text built at run time cannot be checked this way (sprintf + a macro is
 * refused for that reason); the structural guarantee that nothing is
 * written outside the output folder is the gnuplot process's own
 * confinement (gnuplot.c: Landlock, where the kernel has it).
 *
 * Ownership: no allocation; results in caller buffers.
 */
#ifndef LB_GPCHECK_H
#define LB_GPCHECK_H

#include <stddef.h>

/* 0 when `code` says none of the above.  Otherwise -1 with *line (0 = the
 * code's first line), *col (1-based) of the refused word, and `what` (the
 * word as written plus the reason, e.g. "'set outp' (the output: lossbook
 * sets it)"). */
int gpc_check(const char *code, int *line, int *col, char *what, size_t what_size);

#endif
