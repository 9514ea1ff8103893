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
#include "plot/pngenc.h"

#define S_MAX_BUILTIN 64

struct figrun {
    char *figdir;
    const fig_opts *opts;
    int quiet, timeout_ms;
    pngenc enc;                        /* the PNG gnuplots' encoder */
    size_t nfig;                       /* built-in figures */
    int draw[S_MAX_BUILTIN];           /* 1: drawn this run, 0: reused */
    int keyed[S_MAX_BUILTIN];          /* a key could be computed */
    int recorded[S_MAX_BUILTIN];       /* its record written by a PNG worker
                                          (read after both have finished) */
    atomic_int svg_done;               /* every SVG is written */
    figcache_key key[S_MAX_BUILTIN];
    int *code_line;                    /* per template figure */
    size_t *png_job;                   /* figures whose PNGs are drawn: index
                                          < nfig built-in, else template */
    size_t nfigjobs;                   /* entries of png_job */
    size_t njobs;                      /* 2 * nfigjobs: job k is pass k % 2
                                          (NAME.png, NAME.dark.png) of
                                          figure png_job[k / 2] */
    atomic_int passes_left[S_MAX_BUILTIN]; /* PNG passes still to draw */
    atomic_size_t next_job;            /* shared by both PNG gnuplots */
    pthread_t png_thread;
    int png_started, png_done, png_rc;
    atomic_int png_cancel;
    lb_err png_err;
};

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
        if (fig_check_output(r->figdir, name, exts[k], u, e) != 0)
            return -1;
    return 0;
}

/* The SVG pass: one gnuplot, every figure to draw in catalogue order. */
static int S_svg_pass(figrun *r, lb_err *e)
{
    static const char *const ext[] = {".svg"};
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
        if (i < r->nfig) {
            if (!r->draw[i] && i != 0)   /* see the top of the file */
                continue;
            if (!r->draw[i]) {
                /* reused: its SVG may be a hard link to the previous run's
                 * (figcache.h); gnuplot must write a new file, never into
                 * that one */
                size_t n = strlen(r->figdir) + strlen(fig_at(i)->name) + 6;
                char *svg = malloc(n);
                if (!svg) {
                    rc = err_nomem(e);
                    break;
                }
                snprintf(svg, n, "%s/%s.svg", r->figdir, fig_at(i)->name);
                unlink(svg);
                free(svg);
            }
            rc = S_draw(r, g, fig_at(i)->name, "'2'", ext, 1, NULL, 0, e);
        } else {
            const fig_user *u = &r->opts->user[i - r->nfig];
            rc = S_draw(r, g, u->name, "'2'", ext, 1, u, r->code_line[i - r->nfig], e);
        }
    }
    gp_free(g);
    return rc;
}

/* A PNG worker: claims PNGs from the shared list until none is left, each
 * drawn ('1' or '3') in this worker's own gnuplot (started on the first
 * claim).  Two workers at most: the PNG thread from the start, and the
 * caller's thread once it has typeset the PDF (figrun_finish).  One PNG
 * per job, not a figure's two: when the caller's thread joins late, the
 * two workers then finish at most one PNG apart (a figure's two passes in
 * two calls cost about 1 ms more gnuplot work). */
static int S_png_worker(figrun *r, const atomic_int *cancel, lb_err *e)
{
    static const char *const ext[] = {".png", ".dark.png"};
    static const char *const pass[] = {"'1'", "'3'"};
    gp *g = NULL;
    int rc = 0;
    for (;;) {
        if (cancel && atomic_load(cancel)) {
            rc = err_set(e, LB_EXIT_RUNTIME, "figures: cancelled");
            break;
        }
        size_t k = atomic_fetch_add(&r->next_job, 1);
        if (k >= r->njobs)
            break;
        if (!g) {
            if (!(g = gp_new_preload(r->figdir, r->enc.path[0] ? r->enc.path : NULL, e))) {
                rc = -1;
                break;
            }
            if (r->timeout_ms > 0)
                gp_set_timeout(g, r->timeout_ms);
        }
        size_t i = r->png_job[k / 2], p = k % 2;
        if (i < r->nfig)
            rc = S_draw(r, g, fig_at(i)->name, pass[p], ext + p, 1, NULL, 0, e);
        else {
            const fig_user *u = &r->opts->user[i - r->nfig];
            rc = S_draw(r, g, u->name, pass[p], ext + p, 1, u, r->code_line[i - r->nfig], e);
        }
        /* A figure's record once its last PNG is drawn, beside the other
         * worker's drawing rather than after the last PNG of the run (and
         * only when the SVGs are done: the record names all three outputs;
         * otherwise figrun_finish writes it). */
        if (rc == 0 && i < r->nfig && atomic_fetch_sub(&r->passes_left[i], 1) == 1 &&
            r->keyed[i] && atomic_load(&r->svg_done)) {
            rc = figcache_record(r->figdir, fig_at(i)->name, &r->key[i], e);
            r->recorded[i] = rc == 0;
        }
        if (rc < 0) {
            atomic_store(&r->next_job, r->njobs);   /* the other worker stops too */
            break;
        }
    }
    gp_free(g);
    return rc;
}

static void *S_png_thread(void *arg)
{
    figrun *r = arg;
    r->png_rc = S_png_worker(r, &r->png_cancel, &r->png_err);
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
        !(r->code_line = calloc(nuser ? nuser : 1, sizeof *r->code_line)) ||
        !(r->png_job = calloc(S_MAX_BUILTIN + nuser, sizeof *r->png_job))) {
        if (r) {
            free(r->figdir);
            free(r->code_line);
        }
        free(r);
        err_nomem(e);
        return NULL;
    }
    r->opts = opts;
    r->quiet = quiet;
    r->timeout_ms = opts ? opts->timeout_ms : 0;
    r->nfig = fig_count() < S_MAX_BUILTIN ? fig_count() : S_MAX_BUILTIN;
    atomic_init(&r->png_cancel, 0);
    atomic_init(&r->svg_done, 0);
    err_clear(&r->png_err);
    /* one encoder for the whole run: the key names it */
    pngenc_find(&r->enc);
    if (!quiet)
        fprintf(stderr, "lossbook:   %s\n", r->enc.says);
    figcache_key env;
    figcache_env(r->enc.path, r->enc.deflater, &env);
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
        r->keyed[i] = figcache_key_of(figdir, datadir_rel, name, NULL, &env, &r->key[i], &ke) == 0;
        r->draw[i] = !r->keyed[i] ||
                     !figcache_reuse(opts ? opts->cache_dir : NULL, figdir, name, &r->key[i]);
    }
    for (size_t i = 0; i < nuser; i++)
        if (fig_write_user_script(figdir, datadir_rel, &opts->user[i], &r->code_line[i], e) < 0) {
            figrun_free(r);
            return NULL;
        }
    for (size_t i = 0; i < r->nfig; i++) {
        atomic_init(&r->passes_left[i], 2);
        if (r->draw[i])
            r->png_job[r->nfigjobs++] = i;
    }
    for (size_t i = 0; i < nuser; i++)
        r->png_job[r->nfigjobs++] = r->nfig + i;
    r->njobs = 2 * r->nfigjobs;
    atomic_init(&r->next_job, 0);
    /* The PNGs in a second gnuplot, on another core, while the caller
     * typesets; with one core they wait for figrun_finish. */
    if (r->njobs && sysconf(_SC_NPROCESSORS_ONLN) >= 2 &&
        pthread_create(&r->png_thread, NULL, S_png_thread, r) == 0)
        r->png_started = 1;
    if (S_svg_pass(r, e) < 0) {   /* the SVGs the PDF needs, now */
        figrun_free(r);
        return NULL;
    }
    atomic_store(&r->svg_done, 1);
    return r;
}

int figrun_finish(figrun *r, lb_err *e)
{
    if (!r)
        return err_set(e, LB_EXIT_RUNTIME, "figures: no run");
    if (!r->png_done) {
        /* the PDF is done: this thread draws PNGs too, beside the PNG
         * thread (still one gnuplot per core) */
        r->png_done = 1;
        lb_err me;
        err_clear(&me);
        int mrc = S_png_worker(r, NULL, &me);
        if (r->png_started)
            pthread_join(r->png_thread, NULL);
        if (r->png_started && r->png_rc != 0) {
            if (r->png_err.code)
                *e = r->png_err;
            else
                err_set(e, LB_EXIT_RUNTIME, "figures: the PNG pass failed");
            return -1;
        }
        if (mrc != 0) {
            *e = me;
            return -1;
        }
    }
    for (size_t i = 0; i < r->nfig; i++) {
        const char *name = fig_at(i)->name;
        /* a reused figure came with its record (figcache_reuse; kept) */
        if (r->keyed[i] && !r->recorded[i] &&
            figcache_record(r->figdir, name, &r->key[i], e) < 0)
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
    free(r->png_job);
    free(r->code_line);
    free(r->figdir);
    free(r);
}
