/* figrun — render every figure with the SVGs first and the PNGs beside the
 * typesetting, reusing the previous run's unchanged figures.
 *
 * The PDF needs only the SVGs; the two PNGs of each figure (NAME.png and
 * NAME.dark.png, the slow part: libpng/zlib at 1600x1000) are for the
 * user's own documents.  So:
 *   figrun_start writes every script (figures.h), reuses each built-in
 *   figure whose outputs in opts->cache_dir are unchanged (figcache.h),
 *   starts a second gnuplot on another core for the PNGs (only with >= 2
 *   online processors: at most one gnuplot per core), draws every SVG in a
 *   first gnuplot, and returns once the SVGs are written;
 *   figrun_finish draws the PNGs still waiting in a gnuplot of its own
 *   (the typesetting is done: the caller's core is free), so that two
 *   gnuplots share what is left, one PNG per claim (they finish at most
 *   one PNG apart), waits for the PNG thread, makes sure each built-in
 *   figure's cache key is recorded (a worker records a figure as soon as
 *   its last PNG is drawn) and prints one line per figure unless quiet.
 * The PNG gnuplots load the run's PNG encoder (pngenc.h); the SVG one does
 * not need it.
 * The template's own figures (opts->user) are always drawn: what their
 * code reads is not known, so they cannot be keyed.
 *
 * Ownership: figrun_start returns a handle the caller frees with
 * figrun_free (which stops a PNG pass still running after its current
 * figure); opts and its strings must stay valid until figrun_finish.
 */
#ifndef LB_FIGRUN_H
#define LB_FIGRUN_H

#include "base/err.h"
#include "plot/figures.h"

typedef struct figrun figrun;

figrun *figrun_start(const char *figdir, const char *datadir_rel, const fig_opts *opts,
                     int quiet, lb_err *e);
int figrun_finish(figrun *r, lb_err *e);
void figrun_free(figrun *r);

/* 1 if built-in figure `name` was drawn by this run, 0 if reused, -1 if
 * unknown. */
int figrun_drawn(const figrun *r, const char *name);

#endif
