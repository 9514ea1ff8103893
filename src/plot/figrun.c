/* figrun — see figrun.h.
 *
 * Each script draws the passes named by its first argument (figures.c):
 * '2' is the SVG, '1 3' the two PNGs; `gnuplot NAME.gp` still draws all.
 *
 * gnuplot 5.4's svg terminal carries its last stroke colour and width from
 * one plot into the next (`reset session` keeps them), so a figure's SVG
 * bytes depend on the figure drawn before it in the same process.  The
 * first built-in figure is therefore always drawn first in the SVG gnuplot
 * (a fresh process gives it the same bytes as its cached copy), so every
 * SVG is written in the state a full run gives it: a reused figure is byte
 * for byte a fresh one.  The PNG terminal's carried-over options are reset
 * by each script (`notransparent`).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot/figcache.h"
#include "plot/figrun.h"
#include "plot/gnuplot.h"

#define S_MAX_BUILTIN 64

struct figrun {
    char *figdir;
    const fig_opts *opts;
    int quiet, timeout_ms;
    size_t nfig;                       /* built-in figures */
    int draw[S_MAX_BUILTIN];           /* 1: drawn this run, 0: reused */
    int keyed[S_MAX_BUILTIN];          /* a key could be computed */
    figcache_key key[S_MAX_BUILTIN];
    int *code_line;                    /* per template figure */
    pthread_t png_thread;
    int png_started, png_done, png_rc;
    atomic_int png_cancel;
    lb_err png_err;
};

/* 1 if figdir/NAME.EXT exists as a regular, non-empty file. */
static int S_nonempty(const char *figdir, const char *name, const char *ext)
{
    size_t n = strlen(figdir) + strlen(name) + strlen(ext) + 2;
    char *p = malloc(n);
    struct stat st;
    int ok = 0;
    if (p) {
        snprintf(p, n, "%s/%s%s", figdir, name, ext);
        ok = lstat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
    }
    free(p);
    return ok;
}

/* Draw figure `name` (script NAME.gp) with `args`, then check `exts`. */
static int S_draw(figrun *r, gp *g, const char *name, const char *args, const char *const *exts,
                  int next, const fig_user *u, int code_line, lb_err *e)
{
    size_t n = strlen(name) + 4;
    char *script = malloc(n);
    if (!script)
        return err_nomem(e);
    snprintf(script, n, "%s.gp", name);
    int rc = gp_call(g, script, name, args, e);
    free(script);
    if (rc < 0) {
        if (u)
            fig_user_error(u, code_line, e);
        return -1;
    }
    for (int k = 0; k < next; k++)
        if (!S_nonempty(r->figdir, name, exts[k])) {
            if (u)
                return err_at(e, LB_EXIT_INPUT, u->src_path, u->src_line, 1,
                              "gnuplot figure '%s' drew nothing (expected a plot, splot or "
                              "multiplot command)", name);
            return err_set(e, LB_EXIT_RUNTIME, "figure '%s': gnuplot wrote no %s%s in %s", name,
                           name, exts[k], r->figdir);
        }
    return 0;
}

/* One gnuplot for one kind of output: svg = 1 the SVG pass, 0 the PNGs. */
static int S_pass(figrun *r, int svg, const atomic_int *cancel, lb_err *e)
{
    static const char *const svg_ext[] = {".svg"};
    static const char *const png_ext[] = {".png", ".dark.png"};
    const char *args = svg ? "'2'" : "'1 3'";
    const char *const *exts = svg ? svg_ext : png_ext;
    int next = svg ? 1 : 2;
    size_t nuser = r->opts ? r->opts->n_user : 0;
    int need = nuser > 0;
    for (size_t i = 0; i < r->nfig; i++)
        need |= r->draw[i];
    if (!need)
        return 0;
    gp *g = gp_new_in(r->figdir, e);
    if (!g)
        return -1;
    if (r->timeout_ms > 0)
        gp_set_timeout(g, r->timeout_ms);
    int rc = 0;
    for (size_t i = 0; i < r->nfig + nuser && rc == 0; i++) {
        if (cancel && atomic_load(cancel)) {
            rc = err_set(e, LB_EXIT_RUNTIME, "figures: cancelled");
            break;
        }
        if (i < r->nfig) {
            if (!r->draw[i] && !(svg && i == 0))   /* see the top of the file */
                continue;
            rc = S_draw(r, g, fig_at(i)->name, args, exts, next, NULL, 0, e);
        } else {
            const fig_user *u = &r->opts->user[i - r->nfig];
            rc = S_draw(r, g, u->name, args, exts, next, u, r->code_line[i - r->nfig], e);
        }
    }
    gp_free(g);
    return rc;
}

static void *S_png_thread(void *arg)
{
    figrun *r = arg;
    r->png_rc = S_pass(r, 0, &r->png_cancel, &r->png_err);
    return NULL;
}

figrun *figrun_start(const char *figdir, const char *datadir_rel, const fig_opts *opts,
                     int quiet, lb_err *e)
{
    struct stat st;
    if (!figdir || stat(figdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        err_set(e, LB_EXIT_RUNTIME, "figures folder '%s' does not exist",
                figdir ? figdir : "(null)");
        return NULL;
    }
    figrun *r = calloc(1, sizeof *r);
    size_t nuser = opts ? opts->n_user : 0;
    if (!r || !(r->figdir = strdup(figdir)) ||
        !(r->code_line = calloc(nuser ? nuser : 1, sizeof *r->code_line))) {
        if (r)
            free(r->figdir);
        free(r);
        err_nomem(e);
        return NULL;
    }
    r->opts = opts;
    r->quiet = quiet;
    r->timeout_ms = opts ? opts->timeout_ms : 0;
    r->nfig = fig_count() < S_MAX_BUILTIN ? fig_count() : S_MAX_BUILTIN;
    atomic_init(&r->png_cancel, 0);
    err_clear(&r->png_err);
    figcache_key env;
    figcache_env(&env);
    for (size_t i = 0; i < r->nfig; i++) {
        const char *name = fig_at(i)->name;
        if (fig_write_script(figdir, datadir_rel, fig_at(i), opts, e) < 0) {
            figrun_free(r);
            return NULL;
        }
        /* no key (e.g. its data file is missing): drawn, and gnuplot says
         * what is wrong */
        lb_err ke;
        err_clear(&ke);
        r->keyed[i] = figcache_key_of(figdir, datadir_rel, name, &env, &r->key[i], &ke) == 0;
        r->draw[i] = !r->keyed[i] ||
                     !figcache_reuse(opts ? opts->cache_dir : NULL, figdir, name, &r->key[i]);
    }
    for (size_t i = 0; i < nuser; i++)
        if (fig_write_user_script(figdir, datadir_rel, &opts->user[i], &r->code_line[i], e) < 0) {
            figrun_free(r);
            return NULL;
        }
    /* The PNGs in a second gnuplot, on another core, while the caller
     * typesets; with one core they wait for figrun_finish. */
    if (sysconf(_SC_NPROCESSORS_ONLN) >= 2 &&
        pthread_create(&r->png_thread, NULL, S_png_thread, r) == 0)
        r->png_started = 1;
    if (S_pass(r, 1, NULL, e) < 0) {   /* the SVGs the PDF needs, now */
        figrun_free(r);
        return NULL;
    }
    return r;
}

int figrun_finish(figrun *r, lb_err *e)
{
    if (!r)
        return err_set(e, LB_EXIT_RUNTIME, "figures: no run");
    if (!r->png_done) {
        r->png_done = 1;
        if (r->png_started) {
            pthread_join(r->png_thread, NULL);
            if (r->png_rc != 0) {
                if (r->png_err.code)
                    *e = r->png_err;
                else
                    err_set(e, LB_EXIT_RUNTIME, "figures: the PNG pass failed");
                return -1;
            }
        } else if (S_pass(r, 0, NULL, e) < 0) {
            return -1;
        }
    }
    for (size_t i = 0; i < r->nfig; i++) {
        const char *name = fig_at(i)->name;
        if (r->keyed[i] && figcache_record(r->figdir, name, &r->key[i], e) < 0)
            return -1;
        if (!r->quiet)
            fprintf(stderr, "lossbook: figure %-8s -> %s/%s.png, %s.svg%s\n", name, r->figdir,
                    name, name, r->draw[i] ? "" : " (unchanged: reused)");
    }
    for (size_t i = 0; r->opts && i < r->opts->n_user && !r->quiet; i++) {
        const char *name = r->opts->user[i].name;
        fprintf(stderr, "lossbook: figure %-8s -> %s/%s.png, %s.svg\n", name, r->figdir, name,
                name);
    }
    return 0;
}

int figrun_drawn(const figrun *r, const char *name)
{
    for (size_t i = 0; r && i < r->nfig; i++)
        if (!strcmp(fig_at(i)->name, name))
            return r->draw[i];
    return -1;
}

void figrun_free(figrun *r)
{
    if (!r)
        return;
    if (r->png_started && !r->png_done) {
        atomic_store(&r->png_cancel, 1);   /* stops after the figure in hand */
        pthread_join(r->png_thread, NULL);
    }
    free(r->code_line);
    free(r->figdir);
    free(r);
}
