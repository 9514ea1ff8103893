/* datadir — where a default input (the handout template, the example) is
 * found when the user did not name one, so that an installed lossbook runs
 * from any folder and a `make install PREFIX=...` after any earlier build
 * works: nothing about the install location is compiled in.
 *
 * Search order for a relative default such as "templates/handout.md":
 *   1. REL itself, from the current folder (the source tree: `make report`);
 *   2. $LOSSBOOK_DATADIR/REL, when that variable is set and not empty;
 *   3. EXEDIR/../share/lossbook/REL, where EXEDIR is the folder of the
 *      running binary (/proc/self/exe): PREFIX/bin -> PREFIX/share/lossbook,
 *      also under a DESTDIR staging root;
 *   4. EXEDIR/../REL: build/lossbook run from another folder finds the
 *      source tree it was built in.
 * A path the user gave is never second-guessed (main only asks for
 * defaults).
 *
 * Ownership: results are written into caller buffers; nothing is retained.
 */
#ifndef LB_DATADIR_H
#define LB_DATADIR_H

#include <stddef.h>
#include "base/err.h"

/* Find `rel`.  On success copy the path into buf (n bytes) and return 0.
 * When no candidate exists: -1 and an LB_EXIT_INPUT error
 *   "cannot find the default WHAT 'REL'; tried: A, B, C (name one with
 *    --OPTION FILE, or set LOSSBOOK_DATADIR)"
 * where `what` ("template") and `option` ("template") name it for the
 * user. */
int dd_find(const char *rel, const char *what, const char *option, char *buf, size_t n,
            lb_err *e);

/* The folder of the running binary (no trailing slash) into buf; -1 when
 * /proc/self/exe cannot be read (then only 1. and 2. above are tried). */
int dd_exe_dir(char *buf, size_t n);

#endif
