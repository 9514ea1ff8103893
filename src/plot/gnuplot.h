/* gnuplot — one gnuplot process driven through pipes.
 *
 * Why fork/exec with two pipes instead of popen(): we must read gnuplot's
 * messages back (errors and a completion marker), and we must tell "gnuplot
 * is not installed" apart from "gnuplot failed".  gnuplot's stdout and stderr
 * both go to the same read pipe, so error text and the marker arrive in order.
 *
 * Why `load` a script file instead of streaming commands: commands fed on
 * stdin do not abort at an error and are reported as "line 0:", while
 * `load 'fig.gp'` reports `"fig.gp" line 3: ...` and aborts only that load.
 *
 * How we know a figure is finished: after the load we send `unset output`
 * (files are complete only then), `set print "-"` and `print "<marker>"`;
 * gp_load reads until that marker, with a timeout so a hung gnuplot cannot
 * hang us.
 *
 * SIGPIPE: writes to a dead gnuplot fail with EPIPE; SIGPIPE is blocked
 * around every write (and one our write raised is consumed), so the process
 * never dies of it and the caller's signal setup is left as it was.
 *
 * gnuplot state: `reset session` does not reset the terminal driver; the
 * svg terminal remembers its current colour across outputs, so an SVG
 * rendered after another one in the same process may lack an empty <g>
 * group that a fresh gnuplot writes (nothing drawn differs; PNGs are
 * byte-identical either way).
 *
 * Ownership: gp_new returns a handle the caller owns and releases with
 * gp_free (which closes the pipes and reaps the child).  Strings passed in
 * are only read during the call.
 */
#ifndef LB_GNUPLOT_H
#define LB_GNUPLOT_H

#include <stddef.h>
#include "base/err.h"

typedef struct gp gp;

/* Default bound on waiting for one figure (gp_load) or for exit (gp_free). */
#define GP_TIMEOUT_MS_DEFAULT 30000

/* Bound on gnuplot output read but not yet consumed (one figure's messages
 * and print output): more is a flood, and the figure fails. */
#define GP_MAX_OUTPUT (1 << 20)

/* Start `gnuplot` (found through PATH) with its working directory `cwd`
 * (NULL: inherit ours).  Fails with LB_EXIT_RUNTIME and
 * "gnuplot not found in PATH: install gnuplot-nox (make deps)" when there is
 * no gnuplot (an empty PATH entry, i.e. the current directory, is not
 * searched), or "cannot start gnuplot in directory 'DIR': ..." when cwd is
 * unusable.
 * The child runs with LC_ALL=C so numbers are read and printed with '.',
 * with -d (no ~/.gnuplot or system init file), in a process group of its
 * own that gp_free and a timeout kill as a whole (registered with sigclean
 * so that an interrupt of lossbook kills it too). */
gp *gp_new_in(const char *cwd, lb_err *e);

/* gp_new_in with `preload` (an absolute path without ' ' or ':'; NULL:
 * none) appended to the child's LD_PRELOAD, after any entries of the
 * user's own: the gnuplots that draw PNGs load lossbook's PNG encoder
 * (plot/pngenc.h).  Nothing else changes. */
gp *gp_new_preload(const char *cwd, const char *preload, lb_err *e);

/* gp_new_in(NULL, e). */
gp *gp_new(lb_err *e);

/* Close gnuplot's stdin (it exits), wait up to the timeout, then kill it
 * if needed, and reap it.  NULL is fine. */
void gp_free(gp *g);

/* Per-wait timeout in milliseconds (gp_load, gp_sync, gp_free).  <= 0 restores
 * the default. */
void gp_set_timeout(gp *g, int timeout_ms);

/* Send one command line (a '\n' is appended), flushed.  `line` must not
 * contain a newline or other control character (it is rejected: one call is
 * one command).  Any user-derived text inside it must come from gpquote_string
 * (gpquote.h).
 * Fails on EPIPE/short writes ("gnuplot exited unexpectedly ..."). */
int gp_cmd(gp *g, const char *line, lb_err *e);

/* Wait until gnuplot has executed everything sent so far (marker round
 * trip).  Any line gnuplot printed meanwhile that reports an error
 * (`... line N: <text>` not followed by `warning:`) makes it fail with
 * "WHAT: gnuplot: <those lines joined by ' / '>".  Warnings and print output
 * only go to gp_last_output.  `what` names the job in messages (NULL:
 * none).  After a timeout the handle is unusable (every call fails). */
int gp_sync(gp *g, const char *what, lb_err *e);

/* Render one figure: `reset session`, `load '<script_path>'`, `unset output`,
 * then a unique marker; reads until the marker.  Any gnuplot error before it
 * fails with "figure 'NAME': gnuplot: <gnuplot's own message>" (exit 1); a
 * timeout or dead gnuplot fails naming the figure too.  script_path is
 * relative to gnuplot's working directory (see gp_new_in) or absolute. */
int gp_load(gp *g, const char *script_path, const char *figure_name,
            lb_err *e);

/* The same with `call '<script_path>' <args>` instead of `load`: the script
 * sees ARGC / ARG1.. (figures.c passes the passes to draw, e.g. "'2' '2'").
 * `args` is caller text (digits and quotes only; it is not quoted here);
 * NULL or "" is gp_load. */
int gp_call(gp *g, const char *script_path, const char *figure_name, const char *args,
            lb_err *e);

/* Text gnuplot printed during the last gp_load/gp_sync (errors, warnings,
 * print output, without the marker line).  Owned by g, valid until the next
 * call on g.  Never NULL. */
const char *gp_last_output(const gp *g);

#endif
