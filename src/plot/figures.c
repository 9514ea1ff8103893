/* figures — the figure catalogue and its gnuplot scripts.  See figures.h.
 *
 * Each script sets everything it needs (it must also run on its own), then
 * renders twice in a loop: pass 1 pngcairo 1600x1000 with fontscale 3,
 * linewidth 4 and pointscale 3 (measured: pngcairo sets fonts for 96 dpi, so
 * fontscale 3 gives 9 pt text at 4 px per pt; pointscale 3 makes points the size the
 * svg terminal draws them), pass 2 svg 400x250 at 9 pt.  Margins are fixed
 * in screen fractions so both outputs have the same layout (the terminals
 * measure text differently, automatic margins would differ).
 *
 * Ownership: scripts are written through a FILE* owned by S_write_one; all
 * quoted strings are malloc'd by gpquote_string and freed before returning.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fcheck.h"
#include "base/fileio.h"
#include "plot/figbody.h"
#include "plot/figures.h"
#include "plot/gnuplot.h"
#include "plot/gpquote.h"

/* Titles are gnuplot enhanced text (our own constants, quoted anyway);
 * captions are for the document and may hold $TeX$. */
static const fig_info S_FIGS[] = {
    {"exp", "The exponential function {/:Italic y} = e^{/:Italic x}",
     "The exponential $y = e^x$ on $[-2, 2]$: always positive, $e^0 = 1$, "
     "and $e^x \\to 0$ as $x \\to -\\infty$ without ever reaching it."},
    {"softmax3",
     "softmax([2, 1, {/:Italic z}]): three classes share probability 1",
     "Softmax probabilities of the logits $[2, 1, z]$ as $z$ varies: raising "
     "one logit takes probability from all the others; $p_2 = p_3$ at "
     "$z = 1$ and $p_1 = p_3$ at $z = 2$."},
    {"softmax4",
     "softmax([2, 1, {/:Italic z}, {/:Italic z}]): equal logits, equal "
     "probabilities",
     "Softmax of $[2, 1, z, z]$: classes 3 and 4 have the same logit, so "
     "their probabilities coincide for every $z$."},
    {"logp", "log {/:Italic p} and \xe2\x88\x92log {/:Italic p} on (0, 1]",
     "$\\log p$ (never positive) and its mirror image $-\\log p$ (never "
     "negative) for $p \\in (0, 1]$; both are 0 at $p = 1$."},
    {"neglogp",
     "\xe2\x88\x92log {/:Italic p}: the loss grows without bound as "
     "{/:Italic p} \xe2\x86\x92 0",
     "The loss $-\\log p$ on $[10^{-4}, 1]$: small for confident correct "
     "predictions, steep near $p = 0$."},
    {"points",
     "Worked example: the loss of each position on \xe2\x88\x92log "
     "{/:Italic p}",
     "Each position of the worked example at $(p_{\\text{target}}, "
     "-\\log p_{\\text{target}})$ on the curve $-\\log p$; the dashed line "
     "is the mean loss."},
    {"losshist",
     "Worked example: how the losses are spread",
     "Histogram of $-\\log p_{\\text{target}}$ over the positions of the "
     "example, with the mean and $\\ln V$ marked."},
    {"randce",
     "Random logits against the uniform guess ln {/:Italic V}",
     "The loss of random logits $z_j \\sim \\mathcal{N}(0, \\sigma^2)$ against the "
     "vocabulary size $V$, with the uniform guess $\\ln V$ and the bounds "
     "$\\ln V + \\sigma^2/2$."},
};

#define S_NFIGS (sizeof S_FIGS / sizeof S_FIGS[0])

size_t fig_count(void)
{
    return S_NFIGS;
}

const fig_info *fig_at(size_t i)
{
    return i < S_NFIGS ? &S_FIGS[i] : NULL;
}

const fig_info *fig_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < S_NFIGS; i++)
        if (strcmp(S_FIGS[i].name, name) == 0)
            return &S_FIGS[i];
    return NULL;
}

const char *fig_known_names(void)
{
    return "exp, softmax3, softmax4, logp, neglogp, points, losshist, randce";
}

/* ---- script text -------------------------------------------------------- */

/* Settings shared by every figure: fonts, margins, grid, line styles.
 * Line styles differ in dash pattern and lightness as well as hue, so they
 * read in grey print. */
static const char S_COMMON[] =
    "set encoding utf8\n"
    "set minussign\n"
    "set samples 500\n"
    "set lmargin at screen 0.115\n"
    "set rmargin at screen 0.975\n"
    "set bmargin at screen 0.175\n"
    "set tmargin at screen 0.875\n"
    "set border 3 lw 0.8 lc rgb '#333333'\n"
    "set tics nomirror out scale 0.5 textcolor rgb '#222222'\n"
    "set grid xtics ytics back lt 1 lw 0.4 lc rgb '#d8d8d8'\n"
    "set key opaque box lc rgb '#c8c8c8' lw 0.5 reverse Left samplen 2.5 "
    "spacing 1.1 width 0.5 height 0.3\n"
    "set title offset 0,-0.7 font ',10.5'\n"
    "set xlabel offset 0,0.6\n"
    "set ylabel offset 1.2,0\n"
    "# 1: dark blue solid, 2: orange dashed, 3: green dotted,\n"
    "# 4: dark red dash-dot, 8: thick light underlay, 9: grey helper lines\n"
    "set style line 1 lc rgb '#1b4f9c' lw 1.6 dt solid\n"
    "set style line 2 lc rgb '#d9541e' lw 1.6 dt (7,3)\n"
    "set style line 3 lc rgb '#2a8a3a' lw 2.0 dt (1,2.5)\n"
    "set style line 4 lc rgb '#7a1f3d' lw 1.3 dt (7,2,1.5,2) pt 6 ps 0.55\n"
    "set style line 8 lc rgb '#9cc3e6' lw 5.0 dt solid\n"
    "set style line 9 lc rgb '#8c8c8c' lw 0.7 dt (3,3)\n"
    "set style line 10 lc rgb '#222222' pt 7 ps 0.55\n";

/* Opening of the three-pass loop; the figure's plot command follows.
 * PNG passes use butt line caps: with round caps (`rounded`) each dash
 * grows by the line width at both ends and, at 4x line widths, the gaps of
 * every dash pattern closed up (the PNGs showed solid lines).  The dash
 * lengths are the SVG's times 4 (22.4 px + 9.6 px for dt (7,3) at lw 1.6),
 * so the PNG and SVG patterns match: measured, pngcairo scales a pattern by
 * the plot's lw only (7 x 1.6 = 11.2 px), not the terminal's linewidth 4,
 * hence `dashlength 2`.  Pass 1 says `notransparent`: the terminal keeps
 * that option from pass 3 of the previous figure in the same gnuplot.
 * Pass 3, NAME.dark.png, is for dark documentation themes: a transparent
 * background, light text, axes and grid, lighter curve colours (labels are
 * re-coloured by tag; an unused tag only makes an empty label; the marker
 * dots are objects filled with `fc ls 10`, which gnuplot resolves when it
 * draws, so the pass's ls 10 colours them). */
static int S_loop_begin(FILE *f, const char *png_q, const char *svg_q,
                        const char *dark_q)
{
    return fprintf(
        f,
        "\n# pass 1: PNG, the same layout at 4x; pass 2: SVG, 1 unit = 1 pt;\n"
        "# pass 3: PNG with a transparent background for dark pages.\n"
        "# `gnuplot NAME.gp` draws all three; lossbook draws the SVG first\n"
        "# (`call 'NAME.gp' '2'`) and the PNGs in a second gnuplot ('1 3').\n"
        "passes = '1 2 3'\n"
        "if (exists(\"ARGC\") && ARGC >= 1) { passes = ARG1 }\n"
        "do for [p in passes] {\n"
        "    pass = p + 0\n"
        "    if (pass == 1) {\n"
        "        set terminal pngcairo size 1600,1000 enhanced notransparent "
        "font 'Latin Modern Roman,9' fontscale 3 linewidth 4 pointscale 3 "
        "butt dashlength 2\n"
        "        set output %s\n"
        "    } else {\n"
        "    if (pass == 2) {\n"
        "        set terminal svg size 400,250 enhanced "
        "font 'Latin Modern Roman,9' linewidth 1 rounded "
        "background '#ffffff'\n"
        "        set output %s\n"
        "    } else {\n"
        "        set terminal pngcairo size 1600,1000 enhanced transparent "
        "font 'Latin Modern Roman,9' fontscale 3 linewidth 4 pointscale 3 "
        "butt dashlength 2\n"
        "        set output %s\n"
        "        ink = '#e6e6e6'\n"
        "        set border lc rgb '#bdbdbd'\n"
        "        set tics textcolor rgb ink\n"
        "        set grid lc rgb '#4d4d4d'\n"
        "        set key noopaque textcolor rgb ink box lc rgb '#777777'\n"
        "        set title textcolor rgb ink\n"
        "        set xlabel textcolor rgb ink\n"
        "        set ylabel textcolor rgb ink\n"
        "        do for [i = 1:120] { set label i textcolor rgb ink }\n"
        "        set style line 1 lc rgb '#7fb0ff'\n"
        "        set style line 2 lc rgb '#ff9a5c'\n"
        "        set style line 3 lc rgb '#6fd37f'\n"
        "        set style line 4 lc rgb '#f08cb0'\n"
        "        set style line 8 lc rgb '#3d6d9e'\n"
        "        set style line 9 lc rgb '#a0a0a0'\n"
        "        set style line 10 lc rgb ink\n"
        "    }\n"
        "    }\n",
        png_q, svg_q, dark_q);
}

static int S_loop_end(FILE *f)
{
    return fputs("    unset output\n}\n", f);
}

/* ---- writing ------------------------------------------------------------ */

static char *S_join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

int fig_write_script(const char *figdir, const char *datadir_rel,
                     const fig_info *fig, const fig_opts *opts, lb_err *e)
{
    int rc = -1;
    FILE *f = NULL;
    char *path = NULL, *dat = NULL, *dat_q = NULL, *png = NULL, *png_q = NULL;
    char *svg = NULL, *svg_q = NULL, *title_q = NULL, *stem = NULL;
    char *dark = NULL, *dark_q = NULL, *mbuf = NULL, *prev = NULL;
    size_t mlen = 0;

    if (!figdir || !fig || !fig->name) {
        err_set(e, LB_EXIT_RUNTIME, "fig_write_script: no folder or figure");
        goto out;
    }
    /* Only catalogue names: they become file names and appear unquoted in
     * comments and messages. */
    if (!fig_find(fig->name)) {
        err_set(e, LB_EXIT_RUNTIME, "unknown figure (known: %s)",
                fig_known_names());
        goto out;
    }
    stem = S_join("/", fig->name, ".gp");
    path = stem ? S_join(figdir, stem, "") : NULL;
    dat = S_join(datadir_rel ? datadir_rel : "../data", "/", fig->name);
    char *dat2 = dat ? S_join(dat, ".dat", "") : NULL;
    free(dat);
    dat = dat2;
    png = S_join(fig->name, ".png", "");
    svg = S_join(fig->name, ".svg", "");
    dark = S_join(fig->name, ".dark.png", "");
    if (!path || !dat || !png || !svg || !dark) {
        err_nomem(e);
        goto out;
    }
    dat_q = gpquote_string(dat, GPQUOTE_PLAIN);
    png_q = gpquote_string(png, GPQUOTE_PLAIN);
    svg_q = gpquote_string(svg, GPQUOTE_PLAIN);
    dark_q = gpquote_string(dark, GPQUOTE_PLAIN);
    title_q = gpquote_string(fig->title, GPQUOTE_PLAIN); /* keeps its markup */
    if (!dat_q || !png_q || !svg_q || !dark_q || !title_q) {
        err_nomem(e);
        goto out;
    }

    /* Built in memory, then written by fio_put (a new file, never through
     * a symlink or a link), or linked from the previous run's figures
     * folder when the same (issue 15: no new inode). */
    f = open_memstream(&mbuf, &mlen);
    if (!f) {
        err_nomem(e);
        goto out;
    }

    /* No raw caller text in comments either: a newline in it would end
     * the comment and start a command. */
    fprintf(f,
            "# %s.gp -- written by lossbook (src/figures.c).\n"
            "# Run it from this folder:  gnuplot %s.gp\n"
            "# Reads the file named by `data` below; writes %s (1600x1000\n"
            "# px), %s (400x250; one SVG unit = 1 pt at print size) and\n"
            "# %s (transparent, light ink, for dark pages).\n\n",
            fig->name, fig->name, png, svg, dark);
    fputs(S_COMMON, f);
    fprintf(f, "\ndata = %s\nset title %s\n", dat_q, title_q);

    /* the figure's own code (figbody.c); fig_find checked the name */
    const figbody *fb = figbody_find(fig->name);
    if (!fb) {
        err_set(e, LB_EXIT_RUNTIME, "unknown figure '%s'", fig->name);
        goto out;
    }
    if (fb->setup(f, opts) < 0) {
        err_nomem(e);
        goto out;
    }
    S_loop_begin(f, png_q, svg_q, dark_q);
    fb->plot(f);
    S_loop_end(f);

    if (ferror(f) || fclose(f) != 0) {
        f = NULL;
        err_nomem(e);
        goto out;
    }
    f = NULL;
    prev = opts && opts->cache_dir ? S_join(opts->cache_dir, stem, "") : NULL;
    lb_err pe;
    err_clear(&pe);
    if (fio_put(path, mbuf, mlen, 0644, prev, &pe) != 0) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot write %s: %s", fig->name, path,
                strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (f)
        fclose(f);
    free(mbuf);
    free(prev);
    free(path);
    free(stem);
    free(dat);
    free(dat_q);
    free(png);
    free(png_q);
    free(svg);
    free(svg_q);
    free(dark);
    free(dark_q);
    free(title_q);
    return rc;
}

int fig_write_user_script(const char *figdir, const char *datadir_rel, const fig_user *u,
                          int *code_line, lb_err *e)
{
    int rc = -1, fd = -1;
    FILE *f = NULL;
    char *path = NULL, *png = NULL, *svg = NULL, *dark = NULL, *dd = NULL;
    char *png_q = NULL, *svg_q = NULL, *dark_q = NULL, *dd_q = NULL, *buf = NULL;
    size_t blen = 0;
    *code_line = 0;
    path = S_join(figdir, "/", u->name);
    char *p2 = path ? S_join(path, ".gp", "") : NULL;
    free(path);
    path = p2;
    png = S_join(u->name, ".png", "");
    svg = S_join(u->name, ".svg", "");
    dark = S_join(u->name, ".dark.png", "");
    dd = S_join(datadir_rel ? datadir_rel : "../data", "", "");
    if (!path || !png || !svg || !dark || !dd || !(png_q = gpquote_string(png, GPQUOTE_PLAIN)) ||
        !(svg_q = gpquote_string(svg, GPQUOTE_PLAIN)) || !(dark_q = gpquote_string(dark, GPQUOTE_PLAIN)) ||
        !(dd_q = gpquote_string(dd, GPQUOTE_PLAIN))) {
        err_nomem(e);
        goto out;
    }
    /* the head goes to memory first: its line count says where the code
     * starts, for mapping gnuplot's line numbers back to the template */
    FILE *m = open_memstream(&buf, &blen);
    if (!m) {
        err_nomem(e);
        goto out;
    }
    fprintf(m,
            "# %s.gp -- written by lossbook from a ```gnuplot block of the template\n"
            "# (line %d).  Run it from this folder:  gnuplot %s.gp\n"
            "# Writes %s, %s and %s; the data files are in `datadir`.\n\n",
            u->name, u->src_line, u->name, png, svg, dark);
    fputs(S_COMMON, m);
    fprintf(m, "\ndatadir = %s\n", dd_q);
    S_loop_begin(m, png_q, svg_q, dark_q);
    fputs("# ---- the template's code ----\n", m);
    if (fclose(m) != 0) {
        err_nomem(e);
        goto out;
    }
    int lines = 0;
    for (size_t i = 0; i < blen; i++)
        lines += buf[i] == '\n';
    *code_line = lines + 1;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot write %s: %s", u->name, path,
                strerror(errno));
        goto out;
    }
    fd = -1;
    fwrite(buf, 1, blen, f);
    fputs(u->code, f);
    fputs("\n# ---- end of the template's code ----\n", f);
    S_loop_end(f);
    if (ferror(f)) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': writing %s failed", u->name, path);
        goto out;
    }
    rc = 0;
out:
    if (f && fclose(f) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "figure '%s': writing %s: %s", u->name, path,
                     strerror(errno));
    if (fd >= 0)
        close(fd);
    free(buf);
    free(path);
    free(png);
    free(svg);
    free(dark);
    free(dd);
    free(png_q);
    free(svg_q);
    free(dark_q);
    free(dd_q);
    return rc;
}

/* A gnuplot error in a template figure, moved to the template's line:
 * '... gnuplot: "NAME.gp" line K: msg' -> 'SRC:LINE:1: gnuplot figure
 * 'NAME': msg'. */
int fig_user_error(const fig_user *u, int code_line, lb_err *e)
{
    char msg[sizeof e->msg];
    snprintf(msg, sizeof msg, "%s", e->msg);
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s.gp\" line ", u->name);
    const char *at = strstr(msg, pat);
    /* a figure that never ends or floods the pipe is the code's fault too:
     * at the block's line, exit 2 (other failures -- gnuplot missing, a
     * full disk -- stay ours) */
    static const char tmo[] = "gnuplot did not finish within ", fld[] = "gnuplot printed ";
    const char *t = strstr(msg, tmo), *f = strstr(msg, fld);
    if (!at && t) {
        err_clear(e);
        return err_at(e, LB_EXIT_INPUT, u->src_path, u->src_line, 1,
                      "gnuplot figure '%s' did not finish within %s (expected code that ends: "
                      "a loop that never stops, or a wait? --timeout SECONDS sets the limit)",
                      u->name, t + strlen(tmo));
    }
    if (!at && f) {
        err_clear(e);
        return err_at(e, LB_EXIT_INPUT, u->src_path, u->src_line, 1,
                      "gnuplot figure '%s': %s (expected code that draws without printing "
                      "that much)", u->name, f + strlen("gnuplot "));
    }
    if (!at)
        return -1;   /* not a line-numbered gnuplot message: keep it */
    int k = atoi(at + strlen(pat));
    const char *text = strchr(at + strlen(pat), ':');
    int line = k >= code_line ? u->src_line + (k - code_line) : u->src_line;
    err_clear(e);
    return err_at(e, LB_EXIT_INPUT, u->src_path, line, 1, "gnuplot figure '%s': %s", u->name,
                  text ? text + 2 : msg);
}

/* gnuplot does not report a full disk or a file-size limit: an output that
 * is missing, empty or cut off fails the figure, naming the file and, when
 * it can be told, the reason (fcheck.h).  For a template's own figure (u)
 * a missing or empty file with no such reason means its script drew
 * nothing: the template's error. */
int fig_check_output(const char *figdir, const char *name, const char *ext,
                     const fig_user *u, lb_err *e)
{
    char *mid = S_join("/", name, ext);
    char *path = mid ? S_join(figdir, mid, "") : NULL;
    char why[256], cause[160];
    struct stat st;
    int rc = 0;
    if (!path)
        rc = err_nomem(e);
    else if (fcheck_complete(path, why, sizeof why))
        rc = 0;
    else if (!u || fcheck_cause(path, cause, sizeof cause) ||
             (stat(path, &st) == 0 && st.st_size > 0))
        rc = err_set(e, LB_EXIT_RUNTIME, "figure '%s': %s: gnuplot's output is %s", name, path,
                     why);
    else
        rc = err_at(e, LB_EXIT_INPUT, u->src_path, u->src_line, 1,
                    "gnuplot figure '%s' drew nothing (expected a plot, splot or multiplot "
                    "command)", name);
    free(mid);
    free(path);
    return rc;
}

static int S_complete(const char *figdir, const char *name, const char *ext, lb_err *e)
{
    return fig_check_output(figdir, name, ext, NULL, e);
}

static int S_user_complete(const char *figdir, const fig_user *u, lb_err *e)
{
    return fig_check_output(figdir, u->name, ".png", u, e) != 0 ||
                   fig_check_output(figdir, u->name, ".svg", u, e) != 0 ||
                   fig_check_output(figdir, u->name, ".dark.png", u, e) != 0
               ? -1
               : 0;
}

int fig_render_all(const char *figdir, const char *datadir_rel, int quiet,
                   lb_err *e)
{
    return fig_render_all_opts(figdir, datadir_rel, NULL, quiet, e);
}

int fig_render_all_opts(const char *figdir, const char *datadir_rel,
                        const fig_opts *opts, int quiet, lb_err *e)
{
    int rc = -1;
    gp *g = NULL;
    struct stat st;

    if (!figdir || stat(figdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        err_set(e, LB_EXIT_RUNTIME, "figures folder '%s' does not exist",
                figdir ? figdir : "(null)");
        goto out;
    }
    for (size_t i = 0; i < S_NFIGS; i++)
        if (fig_write_script(figdir, datadir_rel, &S_FIGS[i], opts, e) < 0)
            goto out;

    /* One gnuplot for all figures, working in the figures folder so each
     * script runs exactly as it would by hand. */
    g = gp_new_in(figdir, e);
    if (!g)
        goto out;
    if (opts && opts->timeout_ms > 0)
        gp_set_timeout(g, opts->timeout_ms);
    for (size_t i = 0; i < S_NFIGS; i++) {
        const char *name = S_FIGS[i].name;
        char *script = S_join(name, ".gp", "");
        if (!script) {
            err_nomem(e);
            goto out;
        }
        int r = gp_load(g, script, name, e);
        free(script);
        if (r < 0)
            goto out;
        if (S_complete(figdir, name, ".png", e) != 0 ||
            S_complete(figdir, name, ".svg", e) != 0 ||
            S_complete(figdir, name, ".dark.png", e) != 0)
            goto out;
        if (!quiet)
            fprintf(stderr, "lossbook: figure %-8s -> %s/%s.png, %s.svg\n",
                    name, figdir, name, name);
    }
    /* the template's own figures, after the built-in ones */
    for (size_t i = 0; opts && i < opts->n_user; i++) {
        const fig_user *u = &opts->user[i];
        int code_line = 0;
        if (fig_write_user_script(figdir, datadir_rel, u, &code_line, e) < 0)
            goto out;
        char *script = S_join(u->name, ".gp", "");
        if (!script) {
            err_nomem(e);
            goto out;
        }
        int r = gp_load(g, script, u->name, e);
        free(script);
        if (r < 0) {
            fig_user_error(u, code_line, e);
            goto out;
        }
        if (S_user_complete(figdir, u, e) != 0)
            goto out;
        if (!quiet)
            fprintf(stderr, "lossbook: figure %-8s -> %s/%s.png, %s.svg\n", u->name, figdir,
                    u->name, u->name);
    }
    rc = 0;
out:
    gp_free(g);
    return rc;
}
