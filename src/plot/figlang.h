/* figlang — the figures of a handout in another language.
 *
 * A figure's script (figures.c) is written in English.  For a Chinese
 * handout each script is rewritten into NAME.zh.gp: every gnuplot string
 * that is a label, a title, an axis label or a legend entry and has a
 * translation in this file's table becomes that translation, its CJK runs
 * set in the font of the Chinese body text ({/"AR PL UMing CN" ...}, a
 * family fontconfig resolves to fonts-arphic-uming's uming.ttc, so the PNG
 * shows the same face as the PDF), and the outputs become NAME.zh.png /
 * .svg / .dark.png.  A figure whose script has no translated string differs
 * only in language by nothing: it is not rendered again, the Chinese
 * handout uses NAME.svg itself.
 *
 * Keeping the languages in step: the table is keyed by the exact English
 * string of figures.c.  When a figure's English text changes, its old key
 * no longer matches and the string stays English; test_figlang fails on
 * any English word left in a rewritten script and names the string to
 * translate here.
 *
 * Ownership: *out buffers are malloc'd, the caller frees them.
 */
#ifndef LB_FIGLANG_H
#define LB_FIGLANG_H

#include <stddef.h>
#include "base/err.h"

/* 1 when figure labels exist in language `lang` ("zh"); "en" and NULL are
 * the scripts as written. */
int figlang_known(const char *lang);
/* The fontconfig family that sets `lang`'s figure text ("AR PL UMing CN"). */
const char *figlang_font(const char *lang);

/* Rewrite the script text s[0..n) of figure `name` for `lang`: *out (NUL-
 * terminated, *outlen bytes), *changed = number of strings translated.
 * 0, or -1 + error (out of memory, unknown language). */
int figlang_rewrite(const char *s, size_t n, const char *name,
                    const char *lang, char **out, size_t *outlen,
                    int *changed, lb_err *e);

/* For each figure names[i] in figdir: read NAME.gp, write NAME.LANG.gp,
 * and when it translated something take its three outputs from the figure
 * cache (figcache.h: cache_dir, the previous run's figures folder, NULL for
 * none; the key is NAME.LANG.gp, datadir_rel/NAME.dat and the PNG encoder)
 * or run it through one gnuplot (working in figdir) and check them;
 * made[i] = 1 for those.  quiet = 0 prints one line per figure.
 * timeout_ms <= 0: gnuplot's default. */
int figlang_render(const char *figdir, const char *datadir_rel, const char *cache_dir,
                   const char *const *names, size_t n, const char *lang, int timeout_ms,
                   int quiet, unsigned char *made, lb_err *e);

#endif
