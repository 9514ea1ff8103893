/* datafiles — see datafiles.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/fileio.h"
#include "compute/datafiles.h"
#include "compute/numerics.h"
#include "compute/table.h"

/* One data set written twice: .dat (gnuplot) and .csv.  Rows come from a
 * generator callback so nothing is materialised. */
typedef int (*S_rowfn)(const void *ud, size_t i, double *cols);

/* The data sets (NAME.dat and NAME.csv), in the order they are written.  A
 * catalogue table of the same name is written as NAME-table.csv
 * (dat_table_csv_name): "logp" and "randce" are both. */
enum { S_EXP, S_SM3, S_SM4, S_LOGP, S_NLP, S_PTS, S_POS, S_HIST, S_RAND, S_NSETS };
static const char *const S_SET_NAMES[S_NSETS] = {
    "exp", "softmax3", "softmax4", "logp", "neglogp", "points", "positions", "losshist", "randce",
};

typedef struct S_set {
    const char *base;         /* file base name */
    const char *const *cols;  /* column names */
    size_t ncols;
    size_t nrows;
    S_rowfn row;
    const void *ud;
} S_set;

static int S_join(char *buf, size_t n, const char *dir, const char *file)
{
    int r = snprintf(buf, n, "%s/%s", dir, file);
    return r < 0 || (size_t)r >= n ? -1 : 0;
}

/* Reuse of the previous run's files (dat_write_all_from): a file whose
 * bytes are those of prev/NAME is hard-linked from there instead of made
 * anew (fio_put: no new inode, nothing written).  Files are built in
 * memory for that, up to S_MEM_MAX numbers a set (the positions of a huge
 * example are streamed to a new file as before). */
#define S_MEM_MAX ((size_t)1 << 18)

typedef struct S_reuse {
    const char *prev;   /* previous run's data folder, or NULL */
} S_reuse;

/* buf[0..len) as dir/FILE (path): linked from the previous run when the
 * same, else a new file (mode 0666 & ~umask, as fopen makes it). */
static int S_emit(const S_reuse *r, const char *file, const char *path, const char *buf,
                  size_t len, lb_err *e)
{
    char src[4096];
    int have = r->prev && S_join(src, sizeof src, r->prev, file) == 0;
    return fio_put(path, buf, len, 0666, have ? src : NULL, e);
}

/* One of the set's two files, open for writing: a new file, or a memory
 * stream (buf, len) emitted at close. */
typedef struct S_out {
    char path[4096], file[256];
    FILE *fp;
    char *buf;
    size_t len;
    int mem;
    char sep;         /* between columns: ' ' (.dat) or ',' (.csv) */
} S_out;

static int S_open(S_out *o, const S_set *s, const char *dir, int csv, int mem, lb_err *e)
{
    snprintf(o->file, sizeof o->file, "%s.%s", s->base, csv ? "csv" : "dat");
    o->sep = csv ? ',' : ' ';
    o->mem = mem;
    if (S_join(o->path, sizeof o->path, dir, o->file) != 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: path too long", dir, o->file);
    if (mem && !(o->fp = open_memstream(&o->buf, &o->len)))
        return err_nomem(e);
    if (!mem && !(o->fp = fopen(o->path, "w")))
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot create: %s", o->path, strerror(errno));
    return 0;
}

/* Close o (emit it when in memory); on failure -1 with `e` set (unless rc
 * says it is). */
static int S_close(S_out *o, const S_reuse *r, int rc, lb_err *e)
{
    if (!o->fp)
        return rc;
    if (o->mem) {
        if (fclose(o->fp) != 0 && rc == 0)
            rc = err_nomem(e);
        if (rc == 0)
            rc = S_emit(r, o->file, o->path, o->buf, o->len, e);
        free(o->buf);
        o->buf = NULL;
        o->fp = NULL;
        return rc;
    }
    if (rc == 0 && (fflush(o->fp) != 0 || ferror(o->fp)))
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", o->path, strerror(errno));
    if (fclose(o->fp) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", o->path, strerror(errno));
    o->fp = NULL;
    return rc;
}

/* Field `s` of column c into o (after the separator), or the end of the
 * line when s is NULL. */
static int S_field(S_out *o, size_t c, const char *s)
{
    if (!s)
        return putc('\n', o->fp) == EOF ? -1 : 0;
    return (c && putc(o->sep, o->fp) == EOF) || fputs(s, o->fp) < 0 ? -1 : 0;
}

/* The set as .dat and .csv together: each number is formatted once for
 * both files (issue 15). */
static int S_write_both(const S_set *s, const char *dir, const S_reuse *r, lb_err *e)
{
    S_out o[2];
    char num[64];
    double cols[12];
    int rc = -1, k = 0;
    int mem = r->prev && s->nrows <= S_MEM_MAX / (s->ncols ? s->ncols : 1);
    o[0].fp = o[1].fp = NULL;
    o[0].buf = o[1].buf = NULL;
    if (S_open(&o[0], s, dir, 0, mem, e) != 0 || S_open(&o[1], s, dir, 1, mem, e) != 0)
        goto out;
    if (fputs("# ", o[0].fp) < 0)
        goto ioerr;
    for (size_t c = 0; c <= s->ncols; c++)
        for (k = 0; k < 2; k++)
            if (S_field(&o[k], c, c < s->ncols ? s->cols[c] : NULL) != 0)
                goto ioerr;
    for (size_t i = 0; i < s->nrows; i++) {
        if (s->row(s->ud, i, cols) != 0)
            continue;
        for (size_t c = 0; c <= s->ncols; c++) {
            if (c < s->ncols)
                tbl_fmt_repr(cols[c], num, sizeof num);
            for (k = 0; k < 2; k++)
                if (S_field(&o[k], c, c < s->ncols ? num : NULL) != 0)
                    goto ioerr;
        }
    }
    rc = 0;
    goto out;
ioerr:
    if (mem)
        err_nomem(e);
    else
        err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", o[k].path, strerror(errno));
out:
    rc = S_close(&o[0], r, rc, e);
    return S_close(&o[1], r, rc, e);
}

/* A catalog table as CSV at path (file: its name in the folder). */
static int S_write_table(const tbl *t, const char *file, const char *path, const S_reuse *r,
                         lb_err *e)
{
    if (!r->prev)
        return tbl_write_csv(t, path, e);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp)
        return err_nomem(e);
    int rc = tbl_write_csv_fp(t, fp, path, e);
    if (fclose(fp) != 0 && rc == 0)
        rc = err_nomem(e);
    if (rc == 0)
        rc = S_emit(r, file, path, buf, len, e);
    free(buf);
    return rc;
}

/* Evenly spaced x in [a, b], n samples, both ends exact. */
static double S_lin(double a, double b, size_t i, size_t n)
{
    if (i == n - 1)
        return b;
    return a + (b - a) * (double)i / (double)(n - 1);
}

static int S_row_exp(const void *ud, size_t i, double *c)
{
    (void)ud;
    c[0] = S_lin(-2.0, 2.0, i, 401);
    c[1] = num_exp(c[0]);
    return 0;
}

static int S_row_softmax3(const void *ud, size_t i, double *c)
{
    (void)ud;
    double z[3];
    c[0] = S_lin(-2.0, 2.0, i, 401);
    z[0] = 2.0;
    z[1] = 1.0;
    z[2] = c[0];
    num_softmax(z, 3, c + 1);
    return 0;
}

static int S_row_softmax4(const void *ud, size_t i, double *c)
{
    (void)ud;
    double z[4];
    c[0] = S_lin(-2.0, 2.0, i, 401);
    z[0] = 2.0;
    z[1] = 1.0;
    z[2] = c[0];
    z[3] = c[0];
    num_softmax(z, 4, c + 1);
    return 0;
}

/* p = 0.01 + 0.0025 i, i = 0..396: 397 samples, p = 1 exactly at the end. */
#define LOGP_N 397
static int S_row_logp(const void *ud, size_t i, double *c)
{
    (void)ud;
    c[0] = i == LOGP_N - 1 ? 1.0 : (1.0 + 0.25 * (double)i) / 100.0;
    c[1] = num_log(c[0]);
    c[2] = num_neglog(c[0]);
    return 0;
}

/* p = 10^(-4 + 4 i / 400): log-spaced on [1e-4, 1], both ends exact. */
#define NEGLOGP_N 401
static int S_row_neglogp(const void *ud, size_t i, double *c)
{
    (void)ud;
    if (i == 0)
        c[0] = 1e-4;
    else if (i == NEGLOGP_N - 1)
        c[0] = 1.0;
    else
        c[0] = pow(10.0, -4.0 + 4.0 * (double)i / (double)(NEGLOGP_N - 1));
    c[1] = num_neglog(c[0]);
    return 0;
}

/* The points figure: the positions ex_points picks, and the mean of
 * -log p_target over every position that counts (a constant column, so the
 * standalone script finds it with `stats`). */
typedef struct S_pts {
    const ex_model *m;
    const size_t *idx;
    double mean;
} S_pts;

static int S_row_points(const void *ud, size_t i, double *c)
{
    const S_pts *P = ud;
    const ex_step *s = &P->m->steps[P->idx[i]];
    c[0] = (double)(P->idx[i] + 1);
    c[1] = s->p_target;
    c[2] = s->nll;
    c[3] = P->mean;
    return 0;
}

/* Every position, for spreadsheets (ignored ones flagged, NaN where the
 * quantity does not exist). */
static int S_row_positions(const void *ud, size_t i, double *c)
{
    const ex_model *m = ud;
    const ex_step *s = &m->steps[i];
    c[0] = (double)(i + 1);
    c[1] = (double)(s->b + 1);
    c[2] = (double)(s->t + 1);
    c[3] = (double)s->target;
    c[4] = s->ignored;
    c[5] = s->p_target;
    c[6] = s->nll;
    c[7] = s->loss;
    c[8] = (double)s->argmax;
    c[9] = s->ignored ? NAN : (double)s->rank;
    return 0;
}

/* Histogram of -log p_target (Rice's rule: 2 N^(1/3) bins, 10..40) on
 * [0, the largest finite value], with the mean and ln V as constant
 * columns for the script's vertical lines. */
typedef struct S_hist {
    size_t nbins;
    double width, mean, lnv;
    size_t *count;
} S_hist;

static int S_row_hist(const void *ud, size_t i, double *c)
{
    const S_hist *H = ud;
    c[0] = H->width * (double)i;
    c[1] = H->width * (double)(i + 1);
    c[2] = (double)H->count[i];
    c[3] = H->mean;
    c[4] = H->lnv;
    return 0;
}

static int S_hist_fill(const ex_model *m, S_hist *H, lb_err *e)
{
    double top = 0.0, sum = 0.0;
    for (size_t n = 0; n < m->N; n++) {
        const ex_step *s = &m->steps[n];
        if (s->ignored)
            continue;
        if (isfinite(s->nll) && s->nll > top)
            top = s->nll;
        sum += s->nll;
    }
    H->mean = sum / (double)m->n_active;
    H->lnv = log((double)m->V);
    double nb = ceil(2.0 * cbrt((double)m->n_active));
    H->nbins = nb < 10 ? 10 : nb > 40 ? 40 : (size_t)nb;
    if (top <= 0.0)
        top = 1.0;
    H->width = top / (double)H->nbins;
    H->count = calloc(H->nbins, sizeof *H->count);
    if (!H->count)
        return err_nomem(e);
    for (size_t n = 0; n < m->N; n++) {
        const ex_step *s = &m->steps[n];
        if (s->ignored)
            continue;
        double b = isfinite(s->nll) ? floor(s->nll / H->width) : (double)H->nbins;
        size_t k = b < 0 ? 0 : b >= (double)H->nbins ? H->nbins - 1 : (size_t)b;
        H->count[k]++;
    }
    return 0;
}

static int S_row_randce(const void *ud, size_t i, double *c)
{
    const ex_model *m = ud;
    c[0] = (double)m->rand_v[i];
    c[1] = log((double)m->rand_v[i]);
    c[2] = m->rand_loss[i][0];
    c[3] = m->rand_loss[i][1];
    c[4] = c[1] + 0.5;   /* ln V + sigma^2/2, sigma = 1 */
    c[5] = c[1] + 2.0;   /* sigma = 2 */
    return 0;
}

int dat_table_csv_name(const char *name, char *buf, size_t n)
{
    const char *suffix = "";
    for (int i = 0; i < S_NSETS; i++)
        if (strcmp(name, S_SET_NAMES[i]) == 0)
            suffix = "-table";   /* NAME.csv is the data set's */
    int r = snprintf(buf, n, "%s%s.csv", name, suffix);
    if (r < 0 || (size_t)r >= n)
        return -1;
    for (char *p = buf; *p; p++)
        if (*p == '/')
            *p = '-';
    return 0;
}

int dat_write_all(const ex_model *m, const cat *c, const char *datadir,
                  lb_err *e)
{
    return dat_write_all_from(m, c, datadir, NULL, e);
}

int dat_write_all_from(const ex_model *m, const cat *c, const char *datadir,
                       const char *prev, lb_err *e)
{
    S_reuse r = {prev};
    static const char *const c_exp[] = {"x", "exp_x"};
    static const char *const c_sm3[] = {"z", "p1", "p2", "p3"};
    static const char *const c_sm4[] = {"z", "p1", "p2", "p3", "p4"};
    static const char *const c_logp[] = {"p", "log_p", "neg_log_p"};
    static const char *const c_nlp[] = {"p", "neg_log_p"};
    static const char *const c_pts[] = {"n", "p_target", "neg_log_p", "mean_neg_log_p"};
    static const char *const c_pos[] = {"n", "b", "t", "target", "ignored", "p_target",
                                        "neg_log_p", "loss", "argmax", "rank"};
    static const char *const c_hist[] = {"from", "to", "count", "mean_neg_log_p", "ln_V"};
    static const char *const c_rand[] = {"V", "ln_V", "loss_sigma1", "loss_sigma2",
                                         "bound_sigma1", "bound_sigma2"};
    size_t idx[EX_MAX_POINTS];
    S_hist H = {0, 0, 0, 0, NULL};
    if (S_hist_fill(m, &H, e) != 0)
        return -1;
    S_pts P = {m, idx, H.mean};
    size_t npts = ex_points(m, idx);
    const S_set sets[S_NSETS] = {
        [S_EXP] = {S_SET_NAMES[S_EXP], c_exp, 2, 401, S_row_exp, NULL},
        [S_SM3] = {S_SET_NAMES[S_SM3], c_sm3, 4, 401, S_row_softmax3, NULL},
        [S_SM4] = {S_SET_NAMES[S_SM4], c_sm4, 5, 401, S_row_softmax4, NULL},
        [S_LOGP] = {S_SET_NAMES[S_LOGP], c_logp, 3, LOGP_N, S_row_logp, NULL},
        [S_NLP] = {S_SET_NAMES[S_NLP], c_nlp, 2, NEGLOGP_N, S_row_neglogp, NULL},
        [S_PTS] = {S_SET_NAMES[S_PTS], c_pts, 4, npts, S_row_points, &P},
        [S_POS] = {S_SET_NAMES[S_POS], c_pos, 10, m->N, S_row_positions, m},
        [S_HIST] = {S_SET_NAMES[S_HIST], c_hist, 5, H.nbins, S_row_hist, &H},
        [S_RAND] = {S_SET_NAMES[S_RAND], c_rand, 6, m->n_rand, S_row_randce, m},
    };
    for (size_t i = 0; i < S_NSETS; i++)
        if (S_write_both(&sets[i], datadir, &r, e) != 0) {
            free(H.count);
            return -1;
        }
    free(H.count);
    size_t nt = cat_table_count(c);
    for (size_t i = 0; i < nt; i++) {
        char name[64], file[80], path[4096];
        if (cat_table_name(c, i, name, sizeof name) != 0)
            continue;
        size_t k;
        if (sscanf(name, "step/%zu", &k) == 1 && k > DAT_MAX_STEP_CSV)
            continue;
        if (dat_table_csv_name(name, file, sizeof file) != 0 ||
            S_join(path, sizeof path, datadir, file) != 0)
            return err_set(e, LB_EXIT_RUNTIME, "%s/%s: path too long", datadir, name);
        /* Build a private copy: writing 100 step tables must not grow the
         * catalog's cache. */
        tbl *t = cat_table_build(c, name, e);
        if (!t)
            return -1;
        int rc = S_write_table(t, file, path, &r, e);
        tbl_free(t);
        if (rc != 0)
            return -1;
    }
    return 0;
}
