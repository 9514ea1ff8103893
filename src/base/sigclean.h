/* sigclean — what must be undone when the process is stopped by a signal.
 *
 * A run that is interrupted (SIGINT, SIGTERM, SIGHUP) must leave no staging
 * folder and no gnuplot behind.  Modules register what they own while they
 * own it: the staging folder (outdir) and the process group of each gnuplot
 * they start (gnuplot).  main.c installs the signal handler; the handler
 * calls sigclean_run(), writes its one line and _exits.
 *
 * Everything here is async-signal-safe: registrations are lock-free slots
 * (C11 atomics), paths are copied into static buffers, and the tree removal
 * uses only open/getdents64/unlinkat/close.  It never follows a symlink and
 * stays inside the registered folder.
 *
 * Ownership: a registration copies what it needs; the caller keeps its own
 * strings.  sigclean_drop(id) ends a registration (without acting on it).
 */
#ifndef LB_SIGCLEAN_H
#define LB_SIGCLEAN_H

#include <sys/types.h>

#define SIGCLEAN_SLOTS 16       /* at most this many live registrations */
#define SIGCLEAN_PATH_MAX 4096  /* longest folder path that can be registered */

/* Register a folder to remove (recursively) if a signal stops us.  Returns a
 * registration id >= 0, or -1 when every slot is taken or the path is too
 * long (the run goes on; only the cleanup on a signal is lost). */
int sigclean_add_dir(const char *path);

/* Register a process group to kill (SIGKILL) if a signal stops us. */
int sigclean_add_pgid(pid_t pgid);

/* End a registration (id < 0 is ignored). */
void sigclean_drop(int id);

/* Kill every registered process group, then remove every registered folder.
 * Async-signal-safe; meant for a signal handler.  Returns the number of
 * folders removed. */
int sigclean_run(void);

/* Remove `name` (relative to the folder `dirfd`, or absolute) and everything
 * below it, without following symlinks, at most `max_depth` levels deep.
 * Async-signal-safe.  Returns 0 when it is gone, -1 (errno set) when some
 * entry could not be removed (what could be removed is removed). */
int sigclean_remove_tree(int dirfd, const char *name, int max_depth);

#endif
