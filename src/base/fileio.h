/* fileio — read a whole input file (template, example, SVG) with one set of
 * rules and messages, so every reader treats bad paths alike:
 *   "PATH: cannot open: No such file or directory"   (exit 2 for a user's path)
 *   "PATH: not a regular file"                        (exit 2 for a user's path)
 *   "PATH: too large: a KIND may have at most N bytes" (exit 2)
 *   "PATH: cannot read: ..."                          (exit 1)
 * Out of memory or descriptors is ours, not the user's: exit 1.
 *
 * Ownership: fio_read returns a malloc'd buffer of *len bytes plus a NUL
 * terminator (so text parsers may treat it as a string); the caller frees it.
 */
#ifndef LB_FILEIO_H
#define LB_FILEIO_H

#include <stddef.h>
#include "base/err.h"

/* `kind` names the file in the size message ("template", "example", "SVG").
 * `path_code` is the exit code when the path cannot be opened or is not a
 * regular file: LB_EXIT_INPUT for a file the user named, LB_EXIT_RUNTIME for
 * one this program wrote itself (a figure's SVG).  NULL with `e` set. */
char *fio_read(const char *path, size_t max_bytes, const char *kind, int path_code,
               size_t *len, lb_err *e);

#endif
