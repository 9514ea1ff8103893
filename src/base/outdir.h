/* outdir — stage every output, then move it into the output folder.
 *
 * A run writes only inside `OUT/.staging-XXXXXX` (created with mkdtemp, so
 * nothing planted in OUT can redirect it).  out_stage_commit() then renames
 * each staged file to the same relative path under OUT: rename(2) replaces a
 * destination entry (even a planted symlink) instead of following it, and a
 * destination directory that is a symlink is refused.  Files in OUT that this
 * run did not produce are never deleted.  If the run fails, out_stage_free()
 * removes the staging folder (which holds only what this run created) and OUT
 * is exactly as it was.
 *
 * Ownership: out_stage_new returns a handle the caller frees with
 * out_stage_free; strings returned by out_stage_path belong to the handle.
 */
#ifndef LB_OUTDIR_H
#define LB_OUTDIR_H

#include "base/err.h"

typedef struct out_stage out_stage;

/* Create OUT if missing (one level, mode 0777 & ~umask) and a fresh staging
 * folder inside it.  NULL with `e` set on failure (unwritable folder, OUT is
 * not a directory, ...). */
out_stage *out_stage_new(const char *out_dir, lb_err *e);

/* The staging folder ("OUT/.staging-XXXXXX"). */
const char *out_stage_path(const out_stage *s);

/* Create the sub-folder `rel` (one level, e.g. "figures") inside staging. */
int out_stage_mkdir(out_stage *s, const char *rel, lb_err *e);

/* Move every staged regular file to OUT/<same relative path>, creating
 * sub-folders as needed, then remove the (now empty) staging folder.
 * Returns 0, or -1 with `e` set; files already moved stay moved. */
int out_stage_commit(out_stage *s, lb_err *e);

/* Remove the staging folder if not committed, and free the handle.
 * NULL is allowed. */
void out_stage_free(out_stage *s);

#endif
