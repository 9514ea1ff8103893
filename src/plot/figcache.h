/* figcache — reuse a figure's PNG and SVG from the previous run when
 * nothing that shapes them changed.
 *
 * A figure's outputs are a function of: its script (figures/NAME.gp, which
 * holds every setting, the data path, the font name and both terminals), its
 * data file (data/NAME.dat), the gnuplot program, and the fonts gnuplot
 * finds.  The key is a 128-bit hash (XXH64 with two seeds, figcache.c) of
 *   "lossbook-figcache 2", the script's bytes, the data file's bytes, and
 *   the environment: the PNG encoder (plot/pngenc.h: gnuplot's own, or the
 *   shim's path, size, mtime, inode: the PNG bytes differ between the two,
 *   the pixels do not), the gnuplot executable found on PATH (its path, size,
 *   mtime, inode), $FONTCONFIG_FILE / $FONTCONFIG_PATH and the fontconfig
 *   configuration file's identity, and the identity of fontconfig's cache
 *   folder and the font folders (/var/cache/fontconfig, /usr/share/fonts,
 *   /usr/share/texmf/fonts/opentype/public/lm, /etc/fonts/conf.d):
 *   installing, removing or upgrading a font package changes their mtimes.
 * After a render, figures/.NAME.key records the key and a hash of each
 * output (NAME.svg, NAME.png, NAME.dark.png).  The next run reuses them
 * from OUT/figures only if the key matches AND every file still hashes to
 * what was recorded (a file edited or replaced by hand is re-rendered),
 * taking them into the staging folder (each file read once, and hashed
 * as it is in staging) with their record, which figcache_record then keeps
 * instead of hashing them again.  An output or a record that no other
 * name shares, ours and of a fresh file's mode, is hard-linked, not copied:
 * no new inode, no bytes written; the old generation, removed after the
 * commit, is its only other name.  Nothing is ever written into a file
 * that already exists: a miss removes what it took, so the render writes
 * new files, never through a link into the output folder the user sees;
 * the record is written to a new file; the SVG gnuplot, which redraws the
 * first figure's SVG even when it is reused, removes that file first
 * (figrun.c).  The record's first line names its format
 * ("lossbook-figcache 3"): a record of another format never matches, so a
 * cache written by an older lossbook is drawn anew, never trusted.
 * gnuplot's svg and pngcairo output is deterministic (same input, same
 * bytes), so a reused file equals a fresh render.
 *
 * Ownership: plain functions; strings are only read during the call.
 */
#ifndef LB_FIGCACHE_H
#define LB_FIGCACHE_H

#include "base/err.h"

typedef struct figcache_key {
    unsigned char h[16];
} figcache_key;

/* The environment part of every key (PNG encoder, gnuplot, fontconfig, font
 * folders); computed once per run.  png_encoder: the path of the preloaded
 * PNG encoder the run's gnuplots get (pngenc.path), "" or NULL for
 * gnuplot's own; deflater: the deflate it uses (pngenc.deflater). */
void figcache_env(const char *png_encoder, const char *deflater, figcache_key *env);

/* The key of figure `name`: figdir/NAME.gp and figdir/DATADIR_REL/DATA.dat
 * (datadir_rel relative to figdir; DATA is data_name, or NAME when it is
 * NULL: a translated figure "exp.zh" draws exp.dat) with `env`.  -1 +
 * error if the script or the data cannot be read. */
int figcache_key_of(const char *figdir, const char *datadir_rel, const char *name,
                    const char *data_name, const figcache_key *env, figcache_key *out,
                    lb_err *e);

/* 1 if cache_dir holds NAME.svg, NAME.png and NAME.dark.png made under
 * `key` and unchanged since: they are taken into figdir (linked or copied,
 * see above; figdir must be a folder this run made, whose mode carries the
 * umask), with their record (figdir/.NAME.key).  0 on any miss, with none
 * of the three left in figdir. */
int figcache_reuse(const char *cache_dir, const char *figdir, const char *name,
                   const figcache_key *key);

/* Write figdir/.NAME.key for the outputs now in figdir; a complete record
 * for `key` already there (a reused figure's, see figcache_reuse) is kept.
 * Its hashes are not checked again: a wrong one could only make the next
 * run draw the figure anew. */
int figcache_record(const char *figdir, const char *name, const figcache_key *key,
                    lb_err *e);

#endif
