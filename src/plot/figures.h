/* figures — the figure catalogue and its gnuplot scripts.
 *
 * Every figure NAME has a standalone script figures/NAME.gp that, run from
 * its own folder (`cd out/figures && gnuplot NAME.gp`), reads
 * ../data/NAME.dat (written by datafiles.c) and writes NAME.png (pngcairo,
 * 1600x1000, dash patterns kept), NAME.svg and NAME.dark.png (the PNG with
 * a transparent background and light ink, for dark documentation themes).
 * fig_render_all renders them all through one gnuplot process (gnuplot.h)
 * started inside the figures folder; the program uses figrun.h instead
 * (SVG first, PNGs beside the typesetting, unchanged figures reused).
 *
 * SVG geometry (for the vector-figure path, svg.c / pdf_svg.c): the SVG is
 * `size 400,250` with `font "Latin Modern Roman,9"`, i.e. one SVG unit is one
 * PostScript point at print size (the PDF places it about 400 pt wide, the
 * text width).  The PNG is the same layout at 4x (1600x1000 px, font and line
 * widths scaled by 4).
 *
 * Data columns (fixed, '#' header line):
 *   exp.dat       x exp_x
 *   softmax3.dat  z p1 p2 p3          (softmax of [2, 1, z])
 *   softmax4.dat  z p1 p2 p3 p4       (softmax of [2, 1, z, z])
 *   logp.dat      p log_p neg_log_p
 *   neglogp.dat   p neg_log_p
 *   points.dat    n p_target neg_log_p mean_neg_log_p (n = 1.. position)
 *   losshist.dat  from to count mean_neg_log_p ln_V
 *   randce.dat    V ln_V loss_sigma1 loss_sigma2 bound_sigma1 bound_sigma2
 *
 * Ownership: the catalogue entries are static (never freed).  Strings passed
 * in are only read during the call.
 */
#ifndef LB_FIGURES_H
#define LB_FIGURES_H

#include <stddef.h>
#include "base/err.h"

typedef struct fig_info {
    const char *name;     /* "exp", "softmax3", ... (file stem, directive name) */
    const char *title;    /* plot title (gnuplot enhanced text) */
    const char *caption;  /* default caption for the document (may hold $TeX$) */
} fig_info;

/* The catalogue, in document order. */
size_t fig_count(void);
const fig_info *fig_at(size_t i);            /* NULL when i >= fig_count() */
const fig_info *fig_find(const char *name);  /* NULL when unknown */

/* Comma-separated list of names ("exp, softmax3, ...") for error messages.
 * Static storage. */
const char *fig_known_names(void);

/* Optional inputs.  Labels for the points figure: point_labels[k] labels the
 * point whose n column equals k+1 (e.g. "b1,t2 'cat'").  Label text is user
 * text (token names may appear): it is always passed through gpquote_string.
 * Without point_labels but with seq_len = T > 0 the script itself labels
 * position n as "b<(n-1)/T+1>,t<(n-1)%T+1>"; with neither, as "n".
 * Only the first 12 positions get a callout (plus their (p, loss) pair). */
/* A figure the template draws itself (a ```gnuplot block): NAME.gp holds
 * the same settings as the built-in figures, `datadir = '../data'`, then
 * the code inside the three-pass loop (PNG, SVG, dark PNG), so it can plot
 * datadir.'/exp.dat' or '../data/exp.dat'.  A gnuplot error in it is
 * reported at the template's line: "SRC:LINE:1: gnuplot figure 'NAME':
 * <gnuplot's message>" (LB_EXIT_INPUT). */
typedef struct fig_user {
    const char *name;      /* [A-Za-z0-9_-], not a built-in name (borrowed) */
    const char *code;      /* gnuplot commands, lines joined by '\n' */
    const char *src_path;  /* template, for messages */
    int src_line;          /* template line of the code's first line */
} fig_user;

typedef struct fig_opts {
    const char *const *point_labels; /* may be NULL; borrowed */
    size_t n_point_labels;
    int timeout_ms;                  /* per figure; <= 0: default (30 s) */
    size_t seq_len;                  /* T of the example, 0: unknown */
    const fig_user *user;            /* the template's own figures (borrowed) */
    size_t n_user;
    const char *cache_dir;           /* the previous run's figures folder
                                        (OUT/figures): figrun.h reuses its
                                        unchanged figures; NULL: none */
} fig_opts;

/* Write figdir/NAME.gp for a template figure; *code_line gets the script
 * line where its code starts (script line L is template line
 * src_line + L - *code_line). */
int fig_write_user_script(const char *figdir, const char *datadir_rel, const fig_user *u,
                          int *code_line, lb_err *e);

/* A gnuplot error in template figure `u` (message in e, from gp_load or
 * gp_call) moved to the template's line: "SRC:LINE:1: gnuplot figure
 * 'NAME': <gnuplot's message>" (LB_EXIT_INPUT).  code_line as from
 * fig_write_user_script.  Returns -1 (e keeps its message if it has no line
 * number). */
int fig_user_error(const fig_user *u, int code_line, lb_err *e);

/* After gnuplot drew figure `name`: figdir/NAME.EXT must be complete (a
 * PNG's IEND, an SVG's </svg>).  Else -1 with `e` naming the file and the
 * reason when known (a full disk, the file-size limit); for a template's
 * own figure (u not NULL) a missing or empty file with no such reason is
 * "drew nothing" at the template's line (exit 2). */
int fig_check_output(const char *figdir, const char *name, const char *ext,
                     const fig_user *u, lb_err *e);

/* Write figdir/NAME.gp for one figure.  datadir_rel is the data folder as
 * seen from figdir (normally "../data"); it is quoted with gpquote_string. */
int fig_write_script(const char *figdir, const char *datadir_rel,
                     const fig_info *fig, const fig_opts *opts, lb_err *e);

/* Write every script into figdir (which must exist), then render them all
 * through one gnuplot process whose working directory is figdir, and check
 * that each NAME.png and NAME.svg exists and is non-empty.  quiet = 0 prints
 * one line per figure on stderr.  Errors name the figure. */
int fig_render_all(const char *figdir, const char *datadir_rel, int quiet,
                   lb_err *e);

/* Same, with options (opts may be NULL). */
int fig_render_all_opts(const char *figdir, const char *datadir_rel,
                        const fig_opts *opts, int quiet, lb_err *e);

#endif
