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
#include "doc/cond.h"
#include "doc/doc.h"
#include "doc/lang.h"
#include "plot/figlang.h"
#include "compute/example.h"
#include "plot/figrun.h"
#include "plot/figures.h"
#include "math/math.h"
#include "doc/mdparse.h"
#include "base/outdir.h"
#include "base/sigclean.h"
#include "base/srcdate.h"
#include "pdf/pdf.h"
#include "doc/render_md.h"
#include "doc/resolve.h"
#include "base/img.h"
#include "base/cli_check.h"
#include "check/check.h"
#include "check/check_errata.h"
#include "check/check_report.h"
#include "check/claims.h"
#include "check/check_values.h"
#include "check/worksheet.h"

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
    /* a failed write is named with the file (mdr_render_opts only sees a
     * FILE *) and the system's reason */
    lb_err in;
    err_clear(&in);
    int rc = mdr_render_opts(d, c, &mo, f, &in);
    int werr = errno;
    if (rc != 0 && ferror(f))
        err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", path, strerror(werr));
    else if (rc != 0)
        err_set(e, in.code, "%s", in.msg);
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", path, strerror(errno));
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

/* ---- worksheets (--worksheet): built with the inputs, written with the outputs ---- */

typedef struct S_ws {
    ex_model *ex;          /* the worksheet's example (seeded or the handout's) */
    cat *c;
    doc *sheet, *key;      /* one template, two titles: the same layout */
    char *json, *csv;      /* worksheet-example.json, worksheet-claims.csv */
} S_ws;

static void S_ws_free(S_ws *w)
{
    doc_free(w->sheet);
    doc_free(w->key);
    cat_free(w->c);
    ex_free(w->ex);
    free(w->json);
    free(w->csv);
}

/* Everything checked before anything is written. */
static int S_ws_build(const cli_opts *o, const cat *c, const char *expath, const math_fonts *mf,
                      S_ws *w, lb_err *e)
{
    unsigned mask;
    char *md = NULL;
    int rc = -1;
    const char *base = strrchr(expath, '/');
    base = base ? base + 1 : expath;
    if (ws_blank_parse(o->blank, &mask, e) != 0 || ws_check_size(c, o->seeded, e) != 0 ||
        !(w->json = ws_example_json(c, o->seeded, o->seed, e)) ||
        !(w->ex = ex_load_buf(w->json, strlen(w->json), "worksheet-example.json", e)) ||
        ex_compute(w->ex, e) != 0 || !(w->c = cat_new(w->ex, e)) ||
        !(w->csv = ws_claims_csv(w->c, mask, o->seeded, o->seed, "worksheet-example.json", e)))
        goto out;
    for (int key = 0; key < 2; key++) {
        doc **d = key ? &w->key : &w->sheet;
        free(md);
        if (!(md = ws_markdown(w->c, mask, o->seeded, o->seed, base, key, e)) ||
            !(*d = mdp_parse("worksheet", md, strlen(md), e)) || res_check(*d, w->c, e) != 0 ||
            res_check_math(*d, mf, e) != 0)
            goto out;
    }
    rc = 0;
out:
    free(md);
    return rc;
}

static int S_write_text(const char *path, const char *text, lb_err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot create: %s", path, strerror(errno));
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    if ((fclose(f) != 0 || bad))
        return err_set(e, LB_EXIT_RUNTIME, "%s: write error: %s", path, strerror(errno));
    return 0;
}

/* worksheet.pdf, worksheet-key.pdf (blanks filled), the claims CSV and the
 * example, into the staging folder. */
static int S_ws_write(const S_ws *w, const out_stage *st, const cli_opts *o,
                      const math_fonts *mf, long long date, lb_err *e)
{
    char path[4096];
    pdf_opts wo;
    pdf_opts_default(&wo);
    wo.paper = o->paper == CLI_PAPER_LETTER ? PDF_PAPER_LETTER : PDF_PAPER_A4;
    wo.date = date;
    wo.mf = mf;
    wo.tables_here = 1;
    for (int key = 0; key < 2; key++) {
        wo.fill_blanks = key;
        snprintf(path, sizeof path, "%s/%s", out_stage_path(st),
                 key ? "worksheet-key.pdf" : "worksheet.pdf");
        if (pdf_render(key ? w->key : w->sheet, w->c, &wo, path, e) != 0)
            return -1;
    }
    snprintf(path, sizeof path, "%s/worksheet-claims.csv", out_stage_path(st));
    if (S_write_text(path, w->csv, e) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/worksheet-example.json", out_stage_path(st));
    return S_write_text(path, w->json, e);
}

/* ---- end of worksheets ---- */

/* ---- the hand calculation a template discusses (front matter claims:) ---- */

/* The hand calculation a template discusses (front matter `claims:`),
 * checked against its own example; its check.* values join the handout's
 * catalogue (check_values.h), so the template says what check finds. */
typedef struct S_hand {
    char *path;           /* the claims file, resolved against the template */
    claims *cl;
    ex_model *ex;
    cat *c;
    chk_result *r;
} S_hand;

static void S_hand_free(S_hand *h)
{
    chk_free(h->r);
    cat_free(h->c);
    ex_free(h->ex);
    claims_free(h->cl);
    free(h->path);
}

static int S_hand_attach(const doc *d, const char *tplpath, cat *c, S_hand *h, lb_err *e)
{
    const char *name = d->meta.claims;
    if (!name)
        return 0;
    const char *slash = strrchr(tplpath, '/');
    size_t dl = name[0] != '/' && slash ? (size_t)(slash - tplpath) + 1 : 0;
    char *path = malloc(dl + strlen(name) + 1);
    if (!path)
        return err_nomem(e);
    memcpy(path, tplpath, dl);
    strcpy(path + dl, name);
    if (h->path) {   /* several templates: one hand calculation for all */
        int same = strcmp(h->path, path) == 0;
        free(path);
        return same ? 0 : err_at(e, LB_EXIT_INPUT, tplpath, d->meta.claims_line, d->meta.claims_col,
                                 "claims: '%s' differs from the claims file of an earlier template "
                                 "('%s'): one hand calculation per run", name, h->path);
    }
    h->path = path;
    if (access(path, F_OK) != 0)
        return err_at(e, LB_EXIT_INPUT, tplpath, d->meta.claims_line, d->meta.claims_col,
                      "claims file '%s': cannot open: %s", path, strerror(errno));
    if (!(h->cl = claims_load(path, e)))
        return -1;
    if (!h->cl->example)
        return err_at(e, LB_EXIT_INPUT, path, 1, 1,
                      "no example: a claims file a template names must name its example");
    if (!(h->ex = ex_load(h->cl->example, e)) || ex_compute(h->ex, e) != 0 ||
        !(h->c = cat_new(h->ex, e)) || !(h->r = chk_run(h->c, h->cl, e)))
        return -1;
    cat_extra x = {.prefix = "check.", .get = chk_values_get, .ctx = h->r,
                   .known = chk_values_known()};
    return cat_set_extra(c, &x, e);
}

/* ---- end of the hand calculation ---- */

/* Every built-in figure whose labels exist in a template's language is
 * drawn again in that language (figlang.h), once per language, or taken
 * from the figure cache like the others (fo->cache_dir); the template's
 * figure nodes then name the NAME.<lang> files. */
static int S_lang_figures(doc *const *docs, int nd, const char *figdir, const char *datadir_rel,
                          const fig_opts *fo, const cli_opts *o, lb_err *e)
{
    size_t nf = fig_count();
    const char **names = calloc(nf ? nf : 1, sizeof *names);
    unsigned char *made = calloc(nf ? nf : 1, 1);
    int rc = -1;
    if (!names || !made) {
        err_nomem(e);
        goto out;
    }
    for (int k = 0; k < nd; k++) {
        const char *lang = lang_get(docs[k]->meta.lang)->code;
        int seen = 0;
        for (int j = 0; j < k; j++)
            seen |= strcmp(lang_get(docs[j]->meta.lang)->code, lang) == 0;
        if (seen || !figlang_known(lang))
            continue;
        /* only the figures this language's templates show */
        size_t nu = 0;
        for (size_t i = 0; i < nf; i++) {
            int used = 0;
            for (int j = k; j < nd && !used; j++)
                if (strcmp(lang_get(docs[j]->meta.lang)->code, lang) == 0)
                    for (const doc_node *x = docs[j]->root; x && !used;
                         x = doc_next(docs[j]->root, x))
                        used = x->type == DOC_FIGURE && x->fig_src == DOC_FIG_CATALOG &&
                               strcmp(x->name, fig_at(i)->name) == 0;
            if (used)
                names[nu++] = fig_at(i)->name;
        }
        if (figlang_render(figdir, datadir_rel, fo->cache_dir, names, nu, lang, fo->timeout_ms,
                           !o->verbose, made, e) != 0)
            goto out;
        for (int j = k; j < nd; j++) {
            if (strcmp(lang_get(docs[j]->meta.lang)->code, lang) != 0)
                continue;
            for (doc_node *x = docs[j]->root; x; x = (doc_node *)doc_next(docs[j]->root, x))
                if (x->type == DOC_FIGURE && x->fig_src == DOC_FIG_CATALOG)
                    for (size_t i = 0; i < nu; i++)
                        if (made[i] && strcmp(x->name, names[i]) == 0)
                            x->fig_lang = 1;
        }
    }
    rc = 0;
out:
    free(names);
    free(made);
    return rc;
}

static int S_run_all(const cli_opts *o, lb_err *e)
{
    S_run r = {o, 0};
    int rc = -1;
    ex_model *ex = NULL;
    cat *c = NULL;
    out_stage *st = NULL;
    doc *docs[CLI_MAX_TEMPLATES] = {NULL};
    long long dates[CLI_MAX_TEMPLATES];
    int nd = o->n_templates > 0 ? o->n_templates : 1;
    math_fonts *mf = NULL;
    math_fonts_load *mfl = NULL;   /* the fonts loading meanwhile (issue 15) */
    S_ws ws = {0};
    S_hand hand = {0};   /* borrowed by c: freed after it */
    figrun *figs = NULL;
    fig_user *user = NULL;   /* borrowed by figs until figrun_finish */
    size_t nuser = 0;
    char exbuf[4096], tplbuf[CLI_MAX_TEMPLATES][4096], path[4096];
    const char *tpls[CLI_MAX_TEMPLATES];

    const char *expath = o->logits_path
                             ? o->logits_path
                             : S_find_input(o->example_path, "templates/examples/llm-batch.json",
                                            "example", "example", exbuf, sizeof exbuf, e);
    if (!expath)
        goto out;
    for (int k = 0; k < nd; k++) {
        const char *given = k == 0 ? o->template_path : o->templates[k];
        tpls[k] = S_find_input(given, "templates/handout.md", "template", "template",
                               tplbuf[k], sizeof tplbuf[k], e);
        if (!tpls[k])
            goto out;
    }

    /* The fonts load on a second thread during the example and the
     * template's parse (math_fonts_finish reports their errors there). */
    size_t ntext;
    const char *const *text = pdf_text_font_files(&ntext);
    if (!(mfl = math_fonts_start(NULL, text, ntext, e)))
        goto out;

    /* Input first: every bad-input error is found before anything is
     * written, and costs no gnuplot run. */
    if (o->logits_path) {
        S_progress(&r, "example %s, %s", o->logits_path, o->targets_path);
        ex_npy_opts no = ex_npy_opts_default();
        no.vocab_path = o->vocab_path;
        no.weight_path = o->weight_path;
        no.ignore_index = o->ignore_index;
        no.label_smoothing = o->label_smoothing;
        no.lr = o->learning_rate;
        if (o->reduction)
            no.reduction = !strcmp(o->reduction, "sum")    ? NUM_REDUCTION_SUM
                         : !strcmp(o->reduction, "none")   ? NUM_REDUCTION_NONE
                                                           : NUM_REDUCTION_MEAN;
        ex = ex_load_npy(o->logits_path, o->targets_path, &no, e);
    } else {
        S_progress(&r, "example %s", expath);
        ex = ex_load(expath, e);
    }
    if (ex) {
        ex->top_k = o->top_k;
        ex->threads = o->threads;
    }
    if (!ex || ex_compute(ex, e) != 0 || !(c = cat_new(ex, e)))
        goto out;
    if (o->verbose)
        fprintf(stderr, "lossbook:   %zu x %zu positions, vocabulary %zu, mean loss %.17g\n",
                ex->B, ex->T, ex->V, ex->loss_mean);

    S_progress(&r, "template %s%s", tpls[0], nd > 1 ? " and the others" : "");
    for (int k = 0; k < nd; k++) {
        /* the check of a hand calculation first (its check.* values may be
         * named in conditions), then conditions and claims: only kept
         * content is numbered and resolved */
        if (!(docs[k] = mdp_parse_file(tpls[k], e)) ||
            S_hand_attach(docs[k], tpls[k], c, &hand, e) != 0 || cond_apply(docs[k], c, e) != 0 ||
            res_expand(docs[k], ex, e) != 0 || doc_number(docs[k], e) != 0 ||
            res_check(docs[k], c, e) != 0)
            goto out;
        if (!mf) {
            mf = math_fonts_finish(mfl, e);
            mfl = NULL;
            if (!mf)
                goto out;
        }
        if (res_check_math(docs[k], mf, e) != 0)
            goto out;
        /* One report per language: report.pdf, report.zh.pdf, ... */
        for (int j = 0; j < k; j++)
            if (strcmp(lang_get(docs[j]->meta.lang)->code,
                       lang_get(docs[k]->meta.lang)->code) == 0) {
                err_set(e, LB_EXIT_INPUT, "%s: same language (%s) as %s: a run writes one "
                        "report per language (report.pdf, report.zh.pdf, ...)", tpls[k],
                        lang_get(docs[k]->meta.lang)->code, tpls[j]);
                goto out;
            }
        /* SOURCE_DATE_EPOCH, else the template's mtime: never "now". */
        if ((dates[k] = srcdate_get(tpls[k], e)) < 0)
            goto out;
    }
    if (o->worksheet && S_ws_build(o, c, expath, mf, &ws, e) != 0)
        goto out;

    S_progress(&r, "data tables in %s/data", o->out_dir);
    if (!(st = out_stage_new(o->out_dir, (o->no_wait ? OUT_FLAG_NO_WAIT : 0) |
                                             (o->quiet ? 0 : OUT_FLAG_NOTIFY), e)) ||
        out_stage_mkdir(st, "data", e) != 0 ||
        out_stage_mkdir(st, "figures", e) != 0)
        goto out;
    /* an input at an output's name (-t out/report.md) must not be replaced */
    for (int k = 0; k < nd; k++)
        out_stage_protect(st, tpls[k], "the template");
    out_stage_protect(st, expath, o->logits_path ? "the logits file" : "the example");
    out_stage_protect(st, o->targets_path, "the targets file");
    out_stage_protect(st, o->vocab_path, "the vocabulary file");
    out_stage_protect(st, o->weight_path, "the weight file");
    snprintf(path, sizeof path, "%s/data", out_stage_path(st));
    /* unchanged data files are linked from the previous run (issue 15) */
    char prevdata[4096];
    snprintf(prevdata, sizeof prevdata, "%s/data", o->out_dir);
    if (dat_write_all_from(ex, c, path, prevdata, e) != 0)
        goto out;

    S_progress(&r, "figures through gnuplot in %s/figures", o->out_dir);
    snprintf(path, sizeof path, "%s/figures", out_stage_path(st));
    /* The template's own figures (every template's: their names must
     * differ, they share figures/). */
    for (int k = 0; k < nd; k++) {
        size_t n1 = 0;
        fig_user *u1 = S_user_figures(docs[k], &n1, e);
        fig_user *all = u1 ? realloc(user, (nuser + n1 + 1) * sizeof *all) : NULL;
        if (!all) {
            free(u1);
            if (!e->code)
                err_nomem(e);
            goto out;
        }
        user = all;
        for (size_t i = 0; i < n1; i++) {
            for (size_t j = 0; j < nuser; j++)
                if (strcmp(user[j].name, u1[i].name) == 0) {
                    err_at(e, LB_EXIT_INPUT, u1[i].src_path, u1[i].src_line, 1,
                           "gnuplot figure '%s' is also drawn by %s: each template's "
                           "figures need their own names", u1[i].name, user[j].src_path);
                    free(u1);
                    goto out;
                }
            user[nuser++] = u1[i];
        }
        free(u1);
    }
    /* The sequence length lets the points figure label positions "b2,t3". */
    /* issue 15: the SVGs now, the PNGs in a second gnuplot while the PDF is
     * typeset (figrun_finish below); unchanged figures are taken from the
     * previous run's output folder.  Then the figures of the other
     * languages' templates (figlang.h), all three outputs at once. */
    char cachedir[4096];
    snprintf(cachedir, sizeof cachedir, "%s/figures", o->out_dir);
    fig_opts fo = {.point_labels = NULL, .n_point_labels = 0,
                   .timeout_ms = o->timeout_s * 1000, .seq_len = ex->T,
                   .user = user, .n_user = nuser, .cache_dir = cachedir};
    const char *datarel = "../data";   /* the data files, seen from figures/ */
    if (!(figs = figrun_start(path, datarel, &fo, !o->verbose, e)) ||
        S_lang_figures(docs, nd, path, datarel, &fo, o, e) != 0)
        goto out;
    for (int k = 0; k < nd; k++)
        if (S_copy_pictures(docs[k], path, e) != 0)
            goto out;

    S_progress(&r, "report%s.pdf and report%s.md", nd > 1 ? "*" : "", nd > 1 ? "*" : "");
    for (int k = 0; k < nd; k++) {
        pdf_opts po;
        pdf_opts_default(&po);
        po.paper = o->paper == CLI_PAPER_LETTER ? PDF_PAPER_LETTER : PDF_PAPER_A4;
        po.date = dates[k];
        po.mf = mf; /* loaded for res_check_math: no second load */
        po.warn = S_warn;
        snprintf(path, sizeof path, "%s/figures", out_stage_path(st));
        po.figures_dir = path;
        /* report.pdf for English, report.zh.pdf for Chinese, ... */
        const char *lc = lang_get(docs[k]->meta.lang)->code;
        const char *suf = strcmp(lc, "en") == 0 ? "" : lc;
        char pdfpath[4200], mdpath[4200];
        snprintf(pdfpath, sizeof pdfpath, "%s/report%s%s.pdf", out_stage_path(st),
                 *suf ? "." : "", suf);
        snprintf(mdpath, sizeof mdpath, "%s/report%s%s.md", out_stage_path(st),
                 *suf ? "." : "", suf);
        if (pdf_render(docs[k], c, &po, pdfpath, e) != 0 ||
            S_write_markdown(docs[k], c, o, mdpath, e) != 0)
            goto out;
    }
    if (figrun_finish(figs, e) != 0)
        goto out;
    if (o->worksheet && S_ws_write(&ws, st, o, mf, dates[0], e) != 0)
        goto out;

    S_progress(&r, "moving outputs into %s", o->out_dir);
    if (out_stage_commit(st, e) != 0)
        goto out;
    rc = 0;
out:
    if (mfl) {   /* an earlier error: the load is waited for and dropped */
        lb_err ignored;
        err_clear(&ignored);
        math_fonts_free(math_fonts_finish(mfl, &ignored));
    }
    out_stage_explain(st, e); /* name OUT/..., not the removed staging folder */
    figrun_free(figs);   /* before the staging folder goes */
    free(user);
    out_stage_free(st);
    S_ws_free(&ws);
    math_fonts_free(mf);
    for (int k = 0; k < nd; k++)
        doc_free(docs[k]);
    cat_free(c);
    S_hand_free(&hand);
    ex_free(ex);
    return rc;
}

/* ---- interruption (issue 16) -------------------------------------------
 * SIGINT, SIGTERM, SIGHUP: stop gnuplot's process groups and remove the
 * staging folder (sigclean.h), say so in one line, exit 128 + signal.  The
 * commit blocks these signals while it switches, so one that arrives then
 * is handled after it: the folder then holds the new run. */
static void S_on_signal(int sig)
{
    sigclean_run();
    const char *m = sig == SIGINT    ? "lossbook: interrupted (SIGINT)"
                    : sig == SIGTERM ? "lossbook: terminated (SIGTERM)"
                                     : "lossbook: hung up (SIGHUP)";
    const char *t = "; gnuplot stopped, the output folder holds the last complete run\n";
    ssize_t w = write(STDERR_FILENO, m, strlen(m));
    w = write(STDERR_FILENO, t, strlen(t));
    (void)w;
    _exit(128 + sig);
}

static void S_catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = S_on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* a signal ignored by whoever started us (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

/* --help and --version: a failed write to stdout (a full disk, /dev/full,
 * a closed pipe) is a failure, not a silent success. */
static int S_stdout_done(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return LB_EXIT_OK;
    fprintf(stderr, "lossbook: cannot write to standard output: %s\n", strerror(errno));
    return LB_EXIT_RUNTIME;
}

/* ---- lossbook check CLAIMS: claims -> example -> check -> report (+ errata PDF) ---- */

/* The errata sheet: the check's Markdown through the handout's parser and
 * PDF renderer, staged in the target's folder and moved into place. */
static int S_check_pdf(const chk_result *res, const char *expath, const cli_check_opts *o,
                       lb_err *e)
{
    int rc = -1;
    char *md = NULL, dir[4096], path[4096];
    doc *d = NULL;
    math_fonts *mf = NULL;
    out_stage *st = NULL;
    const char *slash = strrchr(o->pdf_path, '/');
    const char *base = slash ? slash + 1 : o->pdf_path;
    if (!*base)
        return err_set(e, LB_EXIT_INPUT, "--pdf %s: expected a file name, not a folder", o->pdf_path);
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - o->pdf_path) : 1,
             slash ? (slash == o->pdf_path ? "/" : o->pdf_path) : ".");
    long long date = srcdate_get(o->claims_path, e);
    if (date < 0 || !(md = chk_errata_markdown(res, expath, e)) ||
        !(d = mdp_parse(o->claims_path, md, strlen(md), e)) || res_check(d, res->c, e) != 0 ||
        !(mf = math_fonts_new(NULL, e)) || res_check_math(d, mf, e) != 0 ||
        !(st = out_stage_new(dir, OUT_FLAG_PLAIN, e)))
        goto out;
    out_stage_protect(st, o->claims_path, "the claims file");
    out_stage_protect(st, expath, "the example");
    pdf_opts po;
    pdf_opts_default(&po);
    po.paper = o->paper == CLI_PAPER_LETTER ? PDF_PAPER_LETTER : PDF_PAPER_A4;
    po.date = date;
    po.mf = mf;
    snprintf(path, sizeof path, "%s/%s", out_stage_path(st), base);
    if (pdf_render(d, res->c, &po, path, e) != 0 || out_stage_commit(st, e) != 0)
        goto out;
    rc = 0;
out:
    out_stage_free(st);
    math_fonts_free(mf);
    doc_free(d);
    free(md);
    return rc;
}

/* 0 every claim holds, CHK_EXIT_WRONG some claim is wrong, -1 error. */
static int S_check(const cli_check_opts *o, lb_err *e)
{
    int rc = -1;
    claims *cl = NULL;
    ex_model *ex = NULL;
    cat *c = NULL;
    chk_result *res = NULL;
    if (!(cl = claims_load(o->claims_path, e)))
        goto out;
    const char *expath = o->example_path ? o->example_path : cl->example;
    if (!expath) {
        err_at(e, LB_EXIT_INPUT, o->claims_path, 1, 1,
               "no example: name it (%s) or give --example FILE",
               cl->csv ? "a line '# example: FILE'" : "\"example\": \"FILE\"");
        goto out;
    }
    if (!o->example_path && access(expath, F_OK) != 0) {
        err_at(e, LB_EXIT_INPUT, o->claims_path, cl->ex_line, cl->ex_col,
               "example '%s': cannot open: %s", expath, strerror(errno));
        goto out;
    }
    if (!(ex = ex_load(expath, e)) || ex_compute(ex, e) != 0 || !(c = cat_new(ex, e)) ||
        !(res = chk_run(c, cl, e)))
        goto out;
    if (!o->quiet && chk_report_text(res, expath, stdout, e) != 0)
        goto out;
    if (o->pdf_path && S_check_pdf(res, expath, o, e) != 0)
        goto out;
    rc = chk_wrong(res) ? CHK_EXIT_WRONG : LB_EXIT_OK;
out:
    chk_free(res);
    cat_free(c);
    ex_free(ex);
    claims_free(cl);
    return rc;
}

static int S_main_check(int argc, char **argv)
{
    cli_check_opts o;
    lb_err e;
    err_clear(&e);
    if (cli_check_parse(argc, argv, &o, &e) != 0) {
        fprintf(stderr, "lossbook: %s\n", e.msg);
        return e.code;
    }
    if (o.show_help) {
        cli_check_usage(stdout);
        return S_stdout_done();
    }
    int rc = S_check(&o, &e);
    if (rc < 0) {
        fprintf(stderr, "lossbook: %s\n", e.code ? e.msg : "check failed (no message)");
        return e.code ? e.code : LB_EXIT_RUNTIME;
    }
    return rc;
}

/* ---- end of lossbook check ---- */

int main(int argc, char **argv)
{
    /* We check every write; a closed gnuplot pipe or a file-size limit must
     * give an error message, not kill us by signal. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    S_catch_signals();

    if (argc > 1 && strcmp(argv[1], "check") == 0)
        return S_main_check(argc - 1, argv + 1);

    cli_opts o;
    lb_err e;
    err_clear(&e);
    if (cli_parse(argc, argv, &o, &e) != 0) {
        fprintf(stderr, "lossbook: %s\n", e.msg);
        return e.code;
    }
    if (o.show_help) {
        cli_usage(stdout);
        return S_stdout_done();
    }
    if (o.show_version) {
        printf("lossbook %s\n", LB_VERSION);
        return S_stdout_done();
    }
    if (S_run_all(&o, &e) != 0) {
        fprintf(stderr, "lossbook: %s\n", e.code ? e.msg : "failed (no message)");
        return e.code ? e.code : LB_EXIT_RUNTIME;
    }
    if (!o.quiet)
        fprintf(stderr, "lossbook: done: %s/report%s.pdf\n", o.out_dir,
                o.n_templates > 1 ? "*" : "");
    return LB_EXIT_OK;
}
