/* outdir — stage every output, then switch the output folder to it at once.
 *
 * Layout of the output folder OUT (everything lossbook keeps is under
 * OUT/.lossbook; the names users open are symlinks into it):
 *
 *   OUT/report.pdf -> .lossbook/current/report.pdf    (one link per output
 *   OUT/data       -> .lossbook/current/data           name the run wrote at
 *   ...                                                 its top level)
 *   OUT/.lossbook/current -> gen-000007                 THE switch
 *   OUT/.lossbook/gen-000007/                           one complete run
 *   OUT/.lossbook/staging-PID-XXXXXX/                   the run in progress
 *   OUT/.lossbook/lock                                  flock: one run at a time
 *
 * A run writes only inside its staging folder.  out_stage_commit() renames
 * it to the next generation and then replaces the `current` symlink with
 * one rename(2): at every instant OUT shows one complete run, the old or the
 * new, whatever signal or failure strikes.  Everything that can fail (the
 * links' names, folders in the way, files to keep) is checked and prepared
 * before that rename; the old generation is removed after it.
 *
 * Files a user put into OUT (at its top level, or inside data/ through the
 * links) are never deleted: top-level files are not touched at all, and
 * foreign files inside the current generation are hard-linked (or copied)
 * into the next one (outtree.h).  An output folder written by an older
 * lossbook (real data/ and figures/ folders) is taken over on the first
 * run: its files are carried over the same way.
 *
 * Locking: OUT/.lossbook/lock is held (flock, exclusive) from
 * out_stage_new to out_stage_free, so two runs never mix their outputs; the
 * second waits, or fails at once with OUT_FLAG_NO_WAIT.  Holding the lock,
 * out_stage_new removes what dead runs left behind: staging and temporary
 * entries whose process is gone, and generations that are not current.
 *
 * Signals: the staging folder is registered with sigclean (removed if a
 * signal stops the run); out_stage_commit blocks SIGINT, SIGTERM and SIGHUP
 * while it switches, so a signal there takes effect after the commit.
 *
 * Ownership: out_stage_new returns a handle the caller frees with
 * out_stage_free; strings returned by out_stage_path belong to the handle.
 */
#ifndef LB_OUTDIR_H
#define LB_OUTDIR_H

#include "base/err.h"

typedef struct out_stage out_stage;

enum {
    OUT_FLAG_NO_WAIT = 1, /* another run holds the lock: fail at once */
    OUT_FLAG_NOTIFY = 2,  /* say on stderr when waiting for another run */
    OUT_FLAG_PLAIN = 4    /* a few loose files into an ordinary folder (the
                             check's errata PDF): no generations; staging is
                             OUT/.staging-PID-XXXXXX, the lock is a flock on
                             OUT itself, and the commit renames each staged
                             file over OUT/NAME (atomic file by file, which
                             for one file is all there is) */
};

/* The folder, lock and link names inside OUT. */
#define OUT_META_DIR ".lossbook"

/* Create OUT if missing (one level, mode 0777 & ~umask), take its lock,
 * remove what dead runs left, and create a fresh staging folder.  NULL with
 * `e` set on failure (unwritable folder, OUT is not a folder, locked with
 * OUT_FLAG_NO_WAIT, ...). */
out_stage *out_stage_new(const char *out_dir, int flags, lb_err *e);

/* The staging folder ("OUT/.lossbook/staging-PID-XXXXXX"). */
const char *out_stage_path(const out_stage *s);

/* Create the sub-folder `rel` (one level, e.g. "figures") inside staging. */
int out_stage_mkdir(out_stage *s, const char *rel, lb_err *e);

/* Record `path` (an input of this run: template, example, claims file)
 * as one the commit must never replace: a regular file at an output's name
 * that is the same file (same device and inode; a hard link too) makes the
 * commit fail before anything changes, naming `what` ("the template").  A
 * path that does not exist is ignored; at most OUT_MAX_PROTECT are kept.
 * `what` is not copied: a string literal. */
#define OUT_MAX_PROTECT 32
void out_stage_protect(out_stage *s, const char *path, const char *what);

/* Make the staged run the output folder's current one (see above).
 * Returns 0, or -1 with `e` set.  A failure before the switch leaves OUT
 * exactly as it was.  After the switch only two steps can still fail, both
 * naming the entry: replacing a planted file or symlink at an output's name
 * by lossbook's link, and taking over a folder an older lossbook wrote. */
int out_stage_commit(out_stage *s, lb_err *e);

/* A message that names a path inside staging (which is removed on failure)
 * is rewritten to name the same path under OUT, where the user will look. */
void out_stage_explain(const out_stage *s, lb_err *e);

/* Remove the staging folder if not committed, release the lock, and free
 * the handle.  NULL is allowed. */
void out_stage_free(out_stage *s);

#endif
