/* outtree — the file-tree work behind outdir's generations.
 *
 * A generation folder holds one complete run.  Its `.manifest` lists (NUL
 * separated, sorted) the relative path of every file that run wrote; any
 * other entry in it is foreign — put there by the user through the output
 * folder's links — and must survive the next run.  outtree_carry hard-links
 * (or, where links are impossible, copies; a FIFO is made anew) those
 * foreign entries into the next generation; outtree_foreign_kept says
 * whether an old generation can now be removed without losing anything
 * that was not ours.
 *
 * Everything works on open folder descriptors and never follows a symlink
 * found in a tree (symlinks are carried as symlinks).  Depth is bounded.
 *
 * Ownership: outtree_manifest_read returns a manifest the caller frees with
 * outtree_manifest_free.  `shown` strings are only read during the call.
 */
#ifndef LB_OUTTREE_H
#define LB_OUTTREE_H

#include "base/err.h"

#define OUTTREE_MANIFEST ".manifest"
#define OUTTREE_MAX_DEPTH 16

typedef struct outtree_manifest outtree_manifest;

/* Write `gen_fd`/.manifest listing every non-folder entry now below gen_fd.
 * `shown` names gen_fd in messages.  0, or -1 with `e` set. */
int outtree_manifest_write(int gen_fd, const char *shown, lb_err *e);

/* Read `gen_fd`/.manifest.  A missing or unreadable manifest gives an empty
 * one (then every entry counts as foreign: nothing is lost).  NULL only when
 * out of memory. */
outtree_manifest *outtree_manifest_read(int gen_fd);

void outtree_manifest_free(outtree_manifest *m);

/* For every entry below src_fd that is not in `m` (paths relative to
 * `prefix`, "" for a generation's root; m may be NULL: nothing is ours) and
 * has no entry of the same name in dst_fd: hard-link it (copy when linking
 * is refused), recreate it (symlink) or create it (folder, then recurse)
 * in dst_fd.  Folders are created only when something foreign is below
 * them.  `shown` names src_fd in messages ("out/data").  0, or -1 with `e`
 * set (what was carried stays carried). */
int outtree_carry(int src_fd, int dst_fd, const outtree_manifest *m, const char *prefix,
                  const char *shown, lb_err *e);

/* 1 when every foreign entry below src_fd (as for outtree_carry) has an
 * entry of the same relative path below dst_fd, else 0. */
int outtree_foreign_kept(int src_fd, int dst_fd, const outtree_manifest *m,
                         const char *prefix);

/* Names of the entries of folder `fd` (without "." and ".."), sorted, as a
 * malloc'd array of malloc'd strings; *n set.  NULL with *n = 0 when the
 * folder is empty; NULL with *n = (size_t)-1 on error (errno set). */
char **outtree_list(int fd, size_t *n);

void outtree_list_free(char **names, size_t n);

#endif
