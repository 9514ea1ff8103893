/* lossbook — main only sequences the stages; every module reports through an
 * lb_err and only this file exits.
 *
 *   options → example (load, compute) → staging folder → data tables →
 *   figures (one gnuplot) → template (parse, resolve directives) →
 *   report.pdf + report.md → move everything into the output folder.
 *
 * A failure at any stage leaves the output folder as it was (outdir.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compute/catalog.h"
#include "base/cli.h"
#include "base/datadir.h"
#include "compute/datafiles.h"
#include "doc/doc.h"
#include "compute/example.h"
#include "plot/figures.h"
#include "math/math.h"
#include "doc/mdparse.h"
#include "base/outdir.h"
#include "pdf/pdf.h"
#include "doc/render_md.h"
#include "doc/resolve.h"
#include "base/img.h"

#define S_NSTAGES 6

typedef struct S_run {
    const cli_opts *o;
    int stage;
} S_run;

static void S_progress(S_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void S_progress(S_run *r, const char *fmt, ...)
{
    r->stage++;
    if (r->o->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lossbook: [%d/%d] ", r->stage, S_NSTAGES);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* The default inputs are looked for where datadir.h says (source tree,
 * $LOSSBOOK_DATADIR, PREFIX/share/lossbook next to the binary); a path the
 * user gave is taken as it is. */
static const char *S_find_input(const char *given, const char *deflt, const char *what,
                                const char *option, char *buf, size_t n, lb_err *e)
{
    if (strcmp(given, deflt) != 0)
        return given;
    return dd_find(deflt, what, option, buf, n, e) == 0 ? buf : NULL;
}

/* pdf_render's warnings (an overfull line): printed even with --quiet,
 * which only silences progress. */
static void S_warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "lossbook: %s\n", msg);
}

static int S_write_markdown(const doc *d, const cat *c, const cli_opts *o, const char *path,
                            lb_err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot create: %s", path, strerror(errno));
    mdr_opts mo = {o->md_math == CLI_MD_MATH_DOLLARS ? MDR_MATH_DOLLARS : MDR_MATH_GITHUB};
    int rc = mdr_render_opts(d, c, &mo, f, e);
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: write error: %s", path, strerror(errno));
    return rc;
}

/* The template's ```gnuplot figures, for the figure stage (borrowed
 * strings; the array is the caller's to free). */
static fig_user *S_user_figures(const doc *d, size_t *n, lb_err *e)
{
    *n = 0;
    for (const doc_node *x = d->root; x; x = doc_next(d->root, x))
        *n += x->type == DOC_FIGURE && x->fig_src == DOC_FIG_GNUPLOT;
    fig_user *u = calloc(*n ? *n : 1, sizeof *u);
    if (!u) {
        err_nomem(e);
        return NULL;
    }
    size_t k = 0;
    for (const doc_node *x = d->root; x; x = doc_next(d->root, x))
        if (x->type == DOC_FIGURE && x->fig_src == DOC_FIG_GNUPLOT)
            u[k++] = (fig_user){x->name, x->text, d->path, x->code_line};
    return u;
}

/* Pictures go next to the figures (report.md shows figures/NAME.EXT). */
static int S_copy_pictures(const doc *d, const char *figdir, lb_err *e)
{
    for (const doc_node *x = d->root; x; x = doc_next(d->root, x)) {
        if (x->type != DOC_FIGURE || x->fig_src != DOC_FIG_IMAGE)
            continue;
        char file[256], dst[4400];
        mdr_picture_file(x, file, sizeof file);
        snprintf(dst, sizeof dst, "%.4095s/%s", figdir, file);
        if (img_copy(x->src, dst, e) != 0)
            return -1;
    }
    return 0;
}

static int S_run_all(const cli_opts *o, lb_err *e)
{
    S_run r = {o, 0};
    int rc = -1;
    ex_model *ex = NULL;
    cat *c = NULL;
    out_stage *st = NULL;
    doc *d = NULL;
    math_fonts *mf = NULL;
    char exbuf[4096], tplbuf[4096], path[4096];

    const char *expath = S_find_input(o->example_path, "templates/examples/llm-batch.json",
                                      "example", "example", exbuf, sizeof exbuf, e);
    const char *tplpath = expath ? S_find_input(o->template_path, "templates/handout.md",
                                                "template", "template", tplbuf,
                                                sizeof tplbuf, e)
                                 : NULL;
    if (!expath || !tplpath)
        goto out;

    /* Input first: every bad-input error is found before anything is
     * written, and costs no gnuplot run. */
    S_progress(&r, "example %s", expath);
    if (!(ex = ex_load(expath, e)) || ex_compute(ex, e) != 0 || !(c = cat_new(ex, e)))
        goto out;
    if (o->verbose)
        fprintf(stderr, "lossbook:   %zu x %zu positions, vocabulary %zu, mean loss %.17g\n",
                ex->B, ex->T, ex->V, ex->loss_mean);

    S_progress(&r, "template %s", tplpath);
    if (!(d = mdp_parse_file(tplpath, e)) || res_check(d, c, e) != 0 ||
        !(mf = math_fonts_new(NULL, e)) || res_check_math(d, mf, e) != 0)
        goto out;
    /* SOURCE_DATE_EPOCH, else the template's mtime: never "now". */
    long long date = pdf_source_date(tplpath, e);
    if (date < 0)
        goto out;

    S_progress(&r, "data tables in %s/data", o->out_dir);
    if (!(st = out_stage_new(o->out_dir, e)) || out_stage_mkdir(st, "data", e) != 0 ||
        out_stage_mkdir(st, "figures", e) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/data", out_stage_path(st));
    if (dat_write_all(ex, c, path, e) != 0)
        goto out;

    S_progress(&r, "figures through gnuplot in %s/figures", o->out_dir);
    snprintf(path, sizeof path, "%s/figures", out_stage_path(st));
    /* The sequence length lets the points figure label positions "b2,t3". */
    size_t nuser = 0;
    fig_user *user = S_user_figures(d, &nuser, e);
    if (!user)
        goto out;
    fig_opts fo = {.point_labels = NULL, .n_point_labels = 0,
                   .timeout_ms = o->timeout_s * 1000, .seq_len = ex->T,
                   .user = user, .n_user = nuser};
    int frc = fig_render_all_opts(path, "../data", &fo, !o->verbose, e);
    free(user);
    if (frc != 0 || S_copy_pictures(d, path, e) != 0)
        goto out;

    S_progress(&r, "report.pdf and report.md");
    pdf_opts po;
    pdf_opts_default(&po);
    po.paper = o->paper == CLI_PAPER_LETTER ? PDF_PAPER_LETTER : PDF_PAPER_A4;
    po.date = date;
    po.mf = mf; /* loaded for res_check_math: no second load */
    po.warn = S_warn;
    snprintf(path, sizeof path, "%s/figures", out_stage_path(st));
    po.figures_dir = path;
    char pdfpath[4096], mdpath[4096];
    snprintf(pdfpath, sizeof pdfpath, "%s/report.pdf", out_stage_path(st));
    snprintf(mdpath, sizeof mdpath, "%s/report.md", out_stage_path(st));
    if (pdf_render(d, c, &po, pdfpath, e) != 0 || S_write_markdown(d, c, o, mdpath, e) != 0)
        goto out;

    S_progress(&r, "moving outputs into %s", o->out_dir);
    if (out_stage_commit(st, e) != 0)
        goto out;
    rc = 0;
out:
    out_stage_free(st);
    math_fonts_free(mf);
    doc_free(d);
    cat_free(c);
    ex_free(ex);
    return rc;
}

int main(int argc, char **argv)
{
    /* We check every write; a closed gnuplot pipe or a file-size limit must
     * give an error message, not kill us by signal. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);

    cli_opts o;
    lb_err e;
    err_clear(&e);
    if (cli_parse(argc, argv, &o, &e) != 0) {
        fprintf(stderr, "lossbook: %s\n", e.msg);
        return e.code;
    }
    if (o.show_help) {
        cli_usage(stdout);
        return LB_EXIT_OK;
    }
    if (o.show_version) {
        printf("lossbook %s\n", LB_VERSION);
        return LB_EXIT_OK;
    }
    if (S_run_all(&o, &e) != 0) {
        fprintf(stderr, "lossbook: %s\n", e.code ? e.msg : "failed (no message)");
        return e.code ? e.code : LB_EXIT_RUNTIME;
    }
    if (!o.quiet)
        fprintf(stderr, "lossbook: done: %s/report.pdf\n", o.out_dir);
    return LB_EXIT_OK;
}
