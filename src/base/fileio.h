/* fileio — read a whole input file (template, example, SVG) with one set of
 * rules and messages, so every reader treats bad paths alike (and fio_put,
 * below: write an output file, or link the previous run's when the same):
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
#include <sys/types.h>
#include "base/err.h"

/* `kind` names the file in the size message ("template", "example", "SVG").
 * `path_code` is the exit code when the path cannot be opened or is not a
 * regular file: LB_EXIT_INPUT for a file the user named, LB_EXIT_RUNTIME for
 * one this program wrote itself (a figure's SVG).  NULL with `e` set. */
char *fio_read(const char *path, size_t max_bytes, const char *kind, int path_code,
               size_t *len, lb_err *e);

/* What a file that is not a regular one is, for messages: "a folder",
 * "a pipe", "a socket", "a device" or "a special file" (static text). */
const char *fio_kind_name(mode_t m);

/* Write buf[0..len) to a new file `path` (a file of that name is removed
 * first, so nothing is ever written through a link; a symlink there makes
 * it fail; created with `mode` & ~umask).  When prev (may be NULL) names
 * the previous run's file of the same output and it holds exactly these
 * bytes, it is hard-linked instead (no new inode, nothing written): only a
 * regular file no other name shares, ours, of the mode a new file gets
 * (path's folder must be one this run made: its mode carries the umask);
 * the bytes are compared on the linked name.  The previous run's folder is
 * removed after the commit (outdir.h), leaving the new name the inode's
 * only one.  0, or -1 with `e` set ("PATH: cannot create: ...", "PATH:
 * write failed: ...") and errno kept. */
int fio_put(const char *path, const void *buf, size_t len, mode_t mode, const char *prev,
            lb_err *e);

#endif
