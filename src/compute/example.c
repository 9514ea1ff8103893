/* example — see example.h.  The readers are example_json.c and
 * example_npy.c; this file owns the model, its computation and row access. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compute/example.h"
#include "compute/kernel.h"
#include "compute/numerics.h"
#include "compute/randce.h"

ex_npy_opts ex_npy_opts_default(void)
{
    ex_npy_opts o = {NULL, NULL, -100, 0.0, NUM_REDUCTION_MEAN, 1.0};
    return o;
}

void ex_free(ex_model *m)
{
    if (!m)
        return;
    if (m->tokens)
        for (size_t j = 0; j < m->V; j++)
            free(m->tokens[j]);
    free(m->tokens);
    free(m->logits);
    npy_free(m->lnpy);
    free(m->targets);
    free(m->weight);
    free(m->steps);
    free(m->path);
    free(m);
}

/* A token name goes into TeX-aware tables and gnuplot labels: keep it to
 * printable text without '$' and '\\' (which would start math or an escape)
 * and valid UTF-8. */
/* Only spaces: ASCII blanks, no-break and Unicode spaces, zero-width
 * space and BOM (issue 16: such a name prints as nothing). */
static int S_blank(const char *s)
{
    static const char *const sp[] = {"\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80",
        "\xe2\x80\x81", "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85",
        "\xe2\x80\x86", "\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a",
        "\xe2\x80\x8b", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80", "\xef\xbb\xbf"};
    while (*s) {
        if (*s == ' ') {
            s++;
            continue;
        }
        size_t k = 0;
        while (k < sizeof sp / sizeof sp[0] && strncmp(s, sp[k], strlen(sp[k])) != 0)
            k++;
        if (k == sizeof sp / sizeof sp[0])
            return 0;
        s += strlen(sp[k]);
    }
    return 1;
}

const char *ex_token_problem(const char *s)
{
    size_t l = strlen(s);
    if (l == 0)
        return "is empty";
    if (S_blank(s))
        return "is blank (only spaces: it would print as nothing)";
    if (l > EX_MAX_TOKEN_LEN)
        return "is longer than 64 bytes";
    for (size_t i = 0; i < l;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return "contains a control character";
        if (c == '$' || c == '\\')
            return "contains '$' or '\\' (not allowed in token names)";
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3;
        else
            return "is not valid UTF-8";
        for (size_t k = 1; k <= need; k++)
            if (i + k >= l || ((unsigned char)s[i + k] & 0xC0) != 0x80)
                return "is not valid UTF-8";
        /* C1 controls U+0080..U+009F (NEL U+0085 among them) and the line
         * and paragraph separators U+2028/9: no font draws them, and they
         * would break a one-line message */
        unsigned char c1 = (unsigned char)s[i + 1];
        if ((c == 0xC2 && c1 <= 0x9F) ||
            (c == 0xE2 && c1 == 0x80 && ((unsigned char)s[i + 2] == 0xA8 ||
                                         (unsigned char)s[i + 2] == 0xA9)))
            return "contains a control character";
        i += need + 1;
    }
    return NULL;
}

/* ---- row access ------------------------------------------------------------- */

double ex_logit(const ex_model *m, size_t n, size_t j)
{
    size_t k = n * m->V + j;
    if (m->dtype == EX_F64) {
        double z;
        memcpy(&z, (const unsigned char *)m->lraw + k * sizeof z, sizeof z);
        return z;
    }
    float z;
    memcpy(&z, (const unsigned char *)m->lraw + k * sizeof z, sizeof z);
    return z;
}

const double *ex_row(const ex_model *m, size_t n, double *buf)
{
    if (m->dtype == EX_F64) {
        const unsigned char *p = (const unsigned char *)m->lraw + n * m->V * sizeof(double);
        /* doubles from JSON are aligned; a mapped .npy file may not be */
        if (((uintptr_t)p % _Alignof(double)) == 0)
            return (const double *)(const void *)p;
        memcpy(buf, p, m->V * sizeof(double));
        return buf;
    }
    const unsigned char *p = (const unsigned char *)m->lraw + n * m->V * sizeof(float);
    for (size_t j = 0; j < m->V; j++) {
        float x;
        memcpy(&x, p + j * sizeof x, sizeof x);
        buf[j] = x;
    }
    return buf;
}

const char *ex_token_name(const ex_model *m, size_t j)
{
    return m->tokens && j < m->V ? m->tokens[j] : NULL;
}

/* d l_n / d z_n for one row (numerics.h): p*scale - q. */
static void S_grad_row(const ex_model *m, const ex_step *s, const double *p, double *g)
{
    if (s->ignored) {
        for (size_t j = 0; j < m->V; j++)
            g[j] = 0.0;
        return;
    }
    double eps = m->ce.label_smoothing, V = (double)m->V;
    double wy = m->weight ? m->weight[s->target] : 1.0, wall = V;
    if (m->weight) {
        wall = 0.0;
        for (size_t c = 0; c < m->V; c++)
            wall += m->weight[c];
    }
    double scale = (1.0 - eps) * wy + eps / V * wall;
    for (size_t j = 0; j < m->V; j++) {
        double q = eps / V * (m->weight ? m->weight[j] : 1.0);
        if ((int64_t)j == s->target)
            q += (1.0 - eps) * wy;
        g[j] = p[j] * scale - q;
    }
}

void ex_step_row(const ex_model *m, size_t n, double *expz, double *expz_shift,
                 double *p, double *grad, double *rowbuf)
{
    const double *z = ex_row(m, n, rowbuf);
    const ex_step *s = &m->steps[n];
    for (size_t j = 0; j < m->V; j++) {
        double es = exp(z[j] - s->maxz);
        double pj = es / s->sumexp_shift;
        if (expz)
            expz[j] = exp(z[j]);
        if (expz_shift)
            expz_shift[j] = es;
        if (p)
            p[j] = pj;
        if (grad)
            grad[j] = pj;   /* turned into the gradient below */
    }
    if (grad)
        S_grad_row(m, s, grad, grad);
}

/* The denominator of the reduced loss's gradient: the mean divides by the
 * sum of target weights, 'sum' and 'none' (whose backward is that of the
 * sum) do not. */
static double S_reduce_div(const ex_model *m)
{
    return m->ce.reduction == NUM_REDUCTION_MEAN ? m->weight_sum : 1.0;
}

void ex_step_after(const ex_model *m, size_t n, double *z_after, double *rowbuf)
{
    const double *z = ex_row(m, n, rowbuf);
    const ex_step *s = &m->steps[n];
    double inv = 1.0 / S_reduce_div(m);
    for (size_t j = 0; j < m->V; j++)
        z_after[j] = exp(z[j] - s->maxz) / s->sumexp_shift;
    S_grad_row(m, s, z_after, z_after);
    for (size_t j = 0; j < m->V; j++)
        z_after[j] = z[j] - m->lr * z_after[j] * inv;
}

size_t ex_topk(const ex_model *m, size_t n, size_t k, size_t *idx, double *rowbuf)
{
    const double *z = ex_row(m, n, rowbuf);
    if (k > m->V)
        k = m->V;
    size_t got = 0;
    /* insertion into a sorted list of k: O(V k), k is small (a table) */
    for (size_t j = 0; j < m->V; j++) {
        if (got == k && !(z[j] > z[idx[k - 1]]))
            continue;
        size_t at = got < k ? got++ : k - 1;
        while (at > 0 && z[j] > z[idx[at - 1]]) {
            idx[at] = idx[at - 1];
            at--;
        }
        idx[at] = j;
    }
    return got;
}

size_t ex_worst(const ex_model *m, size_t k, size_t *out)
{
    size_t got = 0;
    if (k > m->n_active)
        k = m->n_active;
    for (size_t n = 0; n < m->N && k; n++) {
        const ex_step *s = &m->steps[n];
        if (s->ignored || (got == k && !(s->nll > m->steps[out[k - 1]].nll)))
            continue;
        size_t at = got < k ? got++ : k - 1;
        while (at > 0 && s->nll > m->steps[out[at - 1]].nll) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = n;
    }
    return got;
}

static int S_cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

size_t ex_points(const ex_model *m, size_t *idx)
{
    size_t k = 0;
    if (m->n_active <= EX_MAX_POINTS) {
        for (size_t n = 0; n < m->N; n++)
            if (!m->steps[n].ignored)
                idx[k++] = n;
        return k;
    }
    for (size_t n = 0; n < m->N && k < EX_POINTS_LABELLED; n++)
        if (!m->steps[n].ignored)
            idx[k++] = n;
    size_t w[EX_POINTS_LABELLED];
    size_t nw = ex_worst(m, EX_POINTS_LABELLED, w);
    for (size_t i = 0; i < nw; i++)
        idx[k++] = w[i];
    /* evenly spaced active positions fill the rest (a duplicate is dropped
     * below, so a few slots may stay empty) */
    size_t room = EX_MAX_POINTS - k, seen = 0;
    for (size_t n = 0; n < m->N && room; n++) {
        if (m->steps[n].ignored)
            continue;
        /* the seen-th active position is taken when the spacing says so */
        if ((seen * room) / m->n_active != ((seen + 1) * room) / m->n_active)
            idx[k++] = n;
        seen++;
    }
    qsort(idx, k, sizeof *idx, S_cmp_size);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || idx[i] != idx[u - 1])
            idx[u++] = idx[i];
    return u;
}

/* ---- computing ------------------------------------------------------------ */

/* Compensated (Neumaier) sum, as num_cross_entropy reduces. */
typedef struct S_ksum { double s, c; } S_ksum;

static void S_kadd(S_ksum *k, double x)
{
    double t = k->s + x;
    k->c += fabs(k->s) >= fabs(x) ? (k->s - t) + x : (x - t) + k->s;
    k->s = t;
}

static void S_fixed_examples(ex_model *m)
{
    static const double lp[EX_NLOGP] = {0.01, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0};
    for (int i = 0; i < EX_NLOGP; i++) {
        m->logp[i].p = lp[i];
        m->logp[i].logp = num_log(lp[i]);
        m->logp[i].neglogp = num_neglog(lp[i]);
    }
    static const double bq[EX_NBCE] = {0.7, 0.9, 0.2};
    for (int i = 0; i < EX_NBCE; i++) {
        m->bce[i].q = bq[i];
        m->bce[i].y = 1.0;
        m->bce[i].loss = num_bce(bq[i], 1.0);
    }
    static const int64_t mc[EX_NMULTI] = {2, 0};
    for (int i = 0; i < EX_NMULTI; i++) {
        ex_multi *x = &m->multi[i];
        x->q[0] = 0.1;
        x->q[1] = 0.2;
        x->q[2] = 0.7;
        x->true_class = mc[i];
        x->q_true = x->q[mc[i]];
        x->loss = num_neglog(x->q_true);
    }
}

/* The confidence scenarios at the first active position: only z_y moves.
 * log sum_j e^{z_j} with z_y replaced by zt = m' + log(O + e^{zt - m'}),
 * O = sum_{j != y} e^{z_j - m'} >= 1 (m' the largest other logit), summed
 * directly (no cancellation against the old e^{z_y}). */
static void S_scenarios(ex_model *m, double *rowbuf)
{
    static const char *const names[EX_NSCEN] = {"given", "lead", "level", "trail"};
    const ex_step *s = &m->steps[m->k_first];
    const double *z = ex_row(m, m->k_first, rowbuf);
    size_t y = (size_t)s->target;
    double zr = z[s->rival], other = 0.0;
    for (size_t j = 0; j < m->V; j++)
        if (j != y)
            other += exp(z[j] - zr);
    double zt[EX_NSCEN] = {z[y], zr + EX_SCEN_LEAD_BY, zr, zr - EX_SCEN_TRAIL_BY};
    for (int i = 0; i < EX_NSCEN; i++) {
        ex_scen *c = &m->scen[i];
        c->name = names[i];
        c->z_target = zt[i];
        c->z_rival = zr;
        double lse = zr + log(other + exp(zt[i] - zr));
        c->loss = lse - zt[i];
        c->p_target = exp(zt[i] - lse);
    }
}

/* Random logits against ln V for a few vocabulary sizes and the example's. */
static int S_random_logits(ex_model *m, lb_err *e)
{
    static const size_t vs[EX_NRAND_V] = {2, 10, 100, 1000, 10000, EX_RAND_BIG_V};
    size_t k = 0;
    int placed = 0;
    for (size_t i = 0; i < EX_NRAND_V; i++) {
        if (!placed && m->V <= vs[i]) {
            if (m->V < vs[i])
                m->rand_v[k++] = m->V;
            placed = 1;
        }
        m->rand_v[k++] = vs[i];
    }
    if (!placed)
        m->rand_v[k++] = m->V;
    m->n_rand = k;
    /* each a pair of one-dimensional integrals (randce.h), side by side
     * on the CPUs */
    rce_job jobs[(EX_NRAND_V + 1) * EX_NRAND_SIGMA];
    size_t nj = 0;
    for (size_t i = 0; i < k; i++)
        for (int s = 0; s < EX_NRAND_SIGMA; s++)
            jobs[nj++] = (rce_job){ m->rand_v[i], (double)(s + 1), {0} };
    if (rce_loss_all(jobs, nj, e) != 0)
        return -1;
    for (size_t i = 0, j = 0; i < k; i++)
        for (int s = 0; s < EX_NRAND_SIGMA; s++, j++)
            m->rand_loss[i][s] = jobs[j].out.loss;
    return 0;
}

/* Everything about row n, in three passes over its V logits with one exp
 * per element each: (1) max, favourite, rank, rival and the weighted sum of
 * m - z_c; (2) sum of e^{z_j - m}, hence log-sum-exp, p_target and the loss
 * l_n; (3) the gradient-descent step z' = z - lr g / D into zb, then the
 * loss of z' (its own max pass is cheap, the exp is the third).  The loss
 * follows numerics.h (PyTorch's l_n) term by term:
 *   l_n = (1 - eps) w_y (lse - z_y) + eps/V sum_c w_c (lse - z_c),
 * where sum_c w_c (lse - z_c) = sum_c w_c (m - z_c) + W log S', a sum of
 * non-negative terms (no cancellation, even for logits near 1e9). */
typedef struct S_rowctx {
    const ex_model *m;
    double wall;            /* W = sum_c w_c (V without weights) */
    double div;             /* D: the reduced loss's gradient divides by it */
    const ker_row *kr;      /* .npy input: the streaming kernel's max, log-sum-exp
                               and loss per row (pass 2 is then not needed, and
                               the step uses its vectorised exp); NULL: libm */
} S_rowctx;

/* e^{x_j} for x_j <= 0 into y (may alias x): the kernel's routine for large
 * inputs, libm's exp for the small examples (their tests compare with
 * references to a few ulp). */
static void S_exp_le0(const S_rowctx *R, const double *x, size_t n, double *y)
{
    if (R->kr) {
        ker_exp(x, n, y);
        return;
    }
    for (size_t j = 0; j < n; j++)
        y[j] = exp(x[j]);
}

static double S_w(const ex_model *m, size_t c)
{
    return m->weight ? m->weight[c] : 1.0;
}

static void S_row_all(const S_rowctx *R, size_t n, double *buf, double *zb, ex_step *s)
{
    const ex_model *m = R->m;
    size_t V = m->V;
    const double *z = ex_row(m, n, buf);
    double eps = m->ce.label_smoothing;
    s->n = n;
    s->b = n / m->T;
    s->t = n % m->T;
    s->target = m->targets[n];
    s->ignored = s->target == m->ce.ignore_index;
    /* (1) */
    double mx = z[0];
    size_t am = 0, nmax = 1;
    for (size_t j = 1; j < V; j++) {
        if (z[j] > mx) {
            mx = z[j];
            am = j;
            nmax = 1;
        } else if (z[j] == mx) {
            nmax++;
        }
    }
    s->maxz = mx;
    s->argmax = (int64_t)am;
    s->nmax = nmax;
    size_t y = s->ignored ? 0 : (size_t)s->target;
    double zy = z[y], other = -INFINITY, wgap = 0.0;
    size_t above = 0, rv = y == 0 ? 1 : 0;
    for (size_t j = 0; j < V; j++) {
        above += z[j] > zy;
        if (j != y && z[j] > other) {
            other = z[j];
            rv = j;
        }
        wgap += S_w(m, j) * (mx - z[j]);
    }
    /* (2) */
    double sp = 0.0;
    if (R->kr) {
        /* the kernel's streaming pass gave the log-sum-exp */
        sp = exp(R->kr[n].lse - mx);
    } else {
        for (size_t j = 0; j < V; j++)
            sp += exp(z[j] - mx);
    }
    s->sumexp_shift = sp;
    s->sumexp = exp(mx) * sp;   /* +inf when e^m overflows, as the math says */
    s->lse = mx + log(sp);
    s->pmax = 1.0 / sp;
    if (s->ignored) {
        s->p_target = s->nll = s->margin = s->p_rival = NAN;
        s->rival = -1;
        s->rank = 0;
        s->loss = s->weight = s->loss_after = 0.0;
        return;
    }
    s->rank = above + 1;
    s->margin = zy - other;
    s->rival = (int64_t)rv;
    s->p_rival = exp(other - mx) / sp;
    /* the same arithmetic as p_j in ex_step_row, so tables and values agree */
    s->p_target = exp(zy - mx) / sp;
    s->nll = (mx - zy) + log(sp);
    s->weight = S_w(m, y);
    s->loss = (1.0 - eps) * s->weight * s->nll;
    if (eps != 0.0)
        s->loss += eps / (double)V * (wgap + R->wall * log(sp));
    if (R->kr)
        s->loss = R->kr[n].loss;
    /* (3) the gradient of l_n is p * scale - q (numerics.h) */
    double scale = (1.0 - eps) * s->weight + eps / (double)V * R->wall;
    double step = m->lr / R->div, mx2 = -INFINITY;
    for (size_t j = 0; j < V; j++)
        zb[j] = z[j] - mx;
    S_exp_le0(R, zb, V, zb);
    for (size_t j = 0; j < V; j++) {
        double q = eps / (double)V * S_w(m, j) + (j == y ? (1.0 - eps) * s->weight : 0.0);
        double g = zb[j] / sp * scale - q;
        zb[j] = z[j] - step * g;
        if (zb[j] > mx2)
            mx2 = zb[j];
    }
    double sp2 = 0.0, wgap2 = 0.0;
    if (eps != 0.0)
        for (size_t j = 0; j < V; j++)
            wgap2 += S_w(m, j) * (mx2 - zb[j]);
    double zy2 = zb[y];
    for (size_t j = 0; j < V; j++)
        zb[j] -= mx2;
    S_exp_le0(R, zb, V, zb);
    for (size_t j = 0; j < V; j++)
        sp2 += zb[j];
    s->loss_after = (1.0 - eps) * s->weight * ((mx2 - zy2) + log(sp2));
    if (eps != 0.0)
        s->loss_after += eps / (double)V * (wgap2 + R->wall * log(sp2));
}

/* Rows [lo, hi) on one thread, with its own row buffers. */
typedef struct S_job {
    const S_rowctx *R;
    ex_step *steps;
    size_t lo, hi;
    int failed;
} S_job;

static void *S_run_rows(void *arg)
{
    S_job *J = arg;
    size_t V = J->R->m->V;
    double *buf = malloc(2 * V * sizeof *buf);
    if (!buf) {
        J->failed = 1;
        return NULL;
    }
    for (size_t n = J->lo; n < J->hi; n++)
        S_row_all(J->R, n, buf, buf + V, &J->steps[n]);
    free(buf);
    return NULL;
}

/* Rows are independent: split them over up to EX_MAX_THREADS threads when
 * there is enough work.  Every reduction happens afterwards, in row order,
 * so the results do not depend on the split. */
static int S_all_rows(ex_model *m, const S_rowctx *R, lb_err *e)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = ncpu > 1 ? (size_t)ncpu : 1;
    if (nt > EX_MAX_THREADS)
        nt = EX_MAX_THREADS;
    if (m->N * m->V < 1000000u || m->N < nt)
        nt = 1;
    S_job jobs[EX_MAX_THREADS];
    pthread_t tid[EX_MAX_THREADS];
    int started[EX_MAX_THREADS] = {0};
    for (size_t i = 0; i < nt; i++) {
        jobs[i] = (S_job){R, m->steps, m->N * i / nt, m->N * (i + 1) / nt, 0};
        if (i > 0 && pthread_create(&tid[i], NULL, S_run_rows, &jobs[i]) == 0)
            started[i] = 1;
    }
    S_run_rows(&jobs[0]);
    int failed = jobs[0].failed;
    for (size_t i = 1; i < nt; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            S_run_rows(&jobs[i]);   /* no thread: do it here */
        failed |= jobs[i].failed;
    }
    return failed ? err_nomem(e) : 0;
}

int ex_compute(ex_model *m, lb_err *e)
{
    int rc = -1;
    double *rowbuf = NULL;
    ker_row *kr = NULL;
    if (m->computed)
        return 0;
    m->steps = calloc(m->N, sizeof *m->steps);
    rowbuf = malloc(m->V * sizeof *rowbuf);
    if (!m->steps || !rowbuf) {
        err_nomem(e);
        goto out;
    }
    /* The mean's denominator comes from the targets alone; the step needs
     * it before any row is done. */
    S_ksum wsum = {0, 0};
    m->n_active = 0;
    for (size_t n = 0; n < m->N; n++)
        if (m->targets[n] != m->ce.ignore_index) {
            S_kadd(&wsum, S_w(m, (size_t)m->targets[n]));
            m->n_active++;
        }
    if (m->n_active == 0) {
        err_set(e, LB_EXIT_INPUT, "%s: every target equals ignore_index (%lld): the mean loss "
                "is undefined (expected at least one position that is not ignored)", m->path,
                (long long)m->ce.ignore_index);
        goto out;
    }
    m->weight_sum = wsum.s + wsum.c;
    if (!(m->weight_sum > 0)) {
        err_set(e, LB_EXIT_INPUT, "%s: the weights of the targets sum to 0: the mean loss is "
                "undefined (expected a positive weight for at least one target class)", m->path);
        goto out;
    }
    S_rowctx R = {m, (double)m->V, S_reduce_div(m), NULL};
    if (m->weight) {
        R.wall = 0.0;
        for (size_t c = 0; c < m->V; c++)
            R.wall += m->weight[c];
    }
    /* A real model's output, larger than any JSON example may be: one
     * streaming pass per row (kernel.h).  Anything a JSON example could
     * hold takes the libm path whichever reader it came from, so the same
     * numbers give the same files (the kernel's exp and its log-sum-exp
     * differ from libm's in the last digit). */
    if (m->lnpy && (uint64_t)m->N * m->V > EX_MAX_LOGITS) {
        ker_opts ko = {m->weight, m->ce.label_smoothing, (long long)m->ce.ignore_index, m->threads};
        if (!(kr = malloc(m->N * sizeof *kr))) {
            err_nomem(e);
            goto out;
        }
        if (ker_rows(m->lraw, m->dtype == EX_F32 ? KER_F32 : KER_F64, m->N, m->V, m->targets,
                     &ko, kr, e) != 0)
            goto out;
        R.kr = kr;
    }
    if (S_all_rows(m, &R, e) != 0)
        goto out;
    S_ksum sum = {0, 0}, after = {0, 0};
    size_t seen = 0;
    m->n_correct = m->n_half = m->n_tied = 0;
    for (size_t n = 0; n < m->N; n++) {
        const ex_step *s = &m->steps[n];
        if (s->ignored)
            continue;
        if (seen == 0)
            m->k_first = m->k_best = m->k_worst = n;
        if (s->nll < m->steps[m->k_best].nll)
            m->k_best = n;
        if (s->nll > m->steps[m->k_worst].nll)
            m->k_worst = n;
        seen++;
        m->n_correct += s->argmax == s->target;
        m->n_half += s->p_target >= 0.5;
        m->n_tied += s->nmax > 1;
        S_kadd(&sum, s->loss);
        S_kadd(&after, s->loss_after);
    }
    m->loss_sum = sum.s + sum.c;
    m->loss_mean = m->loss_sum / m->weight_sum;
    m->gd_loss_before = m->ce.reduction == NUM_REDUCTION_MEAN ? m->loss_mean : m->loss_sum;
    m->gd_loss_after = (after.s + after.c) / R.div;
    S_fixed_examples(m);
    S_scenarios(m, rowbuf);
    if (S_random_logits(m, e) != 0)
        goto out;
    m->computed = 1;
    rc = 0;
out:
    free(rowbuf);
    free(kr);
    return rc;
}

/* The source material's worked example (batch 2 x sequence 3 x vocabulary 5),
 * as typed there.  Compared to float32 precision, so that the same numbers
 * saved as a float32 .npy file count too. */
static const double S_src_logits[30] = {
    2.0, 1.0, 0.1, 0.0, -1.0,  0.5, 2.1, -1.2, 0.3, 0.0,  1.2, 0.7, 0.3, 2.2, -0.5,
    1.5, -0.5, 2.3, 0.0, 0.1,  0.3, 0.8, 1.5, -1.0, 2.0,  2.2, 1.0, 0.5, 0.3, 0.0};
static const int64_t S_src_targets[6] = {0, 1, 3, 2, 4, 1};

int ex_is_source(const ex_model *m)
{
    if (m->B != 2 || m->T != 3 || m->V != 5 || m->weight || m->ce.label_smoothing != 0.0)
        return 0;
    double buf[5];
    for (size_t n = 0; n < 6; n++) {
        if (m->targets[n] != S_src_targets[n])
            return 0;
        const double *z = ex_row(m, n, buf);
        for (size_t j = 0; j < 5; j++)
            if (fabs(z[j] - S_src_logits[n * 5 + j]) > 1e-6 * fmax(1.0, fabs(S_src_logits[n * 5 + j])))
                return 0;
    }
    return 1;
}
