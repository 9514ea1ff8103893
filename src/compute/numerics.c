/* numerics — see numerics.h.  No I/O. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "compute/numerics.h"

num_ce_opts num_ce_opts_default(void)
{
    num_ce_opts o;
    o.reduction = NUM_REDUCTION_MEAN;
    o.ignore_index = -100;
    o.label_smoothing = 0.0;
    o.weight = NULL;
    return o;
}

double num_exp(double x)
{
    return exp(x);
}

double num_log(double x)
{
    if (x == 0.0)
        return -INFINITY;   /* log(0) is -inf by definition, not an error */
    return log(x);
}

double num_neglog(double p)
{
    if (p == 1.0)
        return 0.0;         /* -log 1 would print as "-0" */
    if (p == 0.0)
        return INFINITY;
    return -log(p);
}

double num_max(const double *z, size_t n)
{
    double m = z[0];
    for (size_t i = 1; i < n; i++)
        if (z[i] > m)
            m = z[i];
    return m;
}

double num_logsumexp(const double *z, size_t n)
{
    double m = num_max(z, n);
    if (isinf(m))
        return m;           /* all -inf -> -inf; any +inf -> +inf (no inf-inf NaN) */
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += exp(z[i] - m);  /* each term in (0, 1], the max term exactly 1 */
    return m + log(s);
}

void num_softmax(const double *z, size_t n, double *p)
{
    double m = num_max(z, n);
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        p[i] = exp(z[i] - m);
        s += p[i];
    }
    for (size_t i = 0; i < n; i++)
        p[i] /= s;
}

double num_softmax_total(const double *z, size_t n)
{
    double m = num_max(z, n);
    if (!(m < INFINITY))
        return NAN;
    /* S = hi + lo: exact to about 2^-104 relative for any n we meet */
    double hi = 0.0, lo = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = exp(z[i] - m), t = hi + x, bb = t - hi;
        lo += (hi - (t - bb)) + (x - bb);   /* TwoSum error term */
        hi = t;
    }
    double t = hi + lo;
    lo = lo - (t - hi);
    hi = t;
    /* sum_j e_j / (hi + lo), each quotient q_j plus its correction
     * (r_j - q_j lo) / hi, r_j = e_j - q_j hi exactly (fma) */
    double s = 0.0, c = 0.0;
    for (size_t i = 0; i < n; i++) {
        double x = exp(z[i] - m), q = x / hi;
        double r = fma(-q, hi, x);
        double terms[2] = {q, (r - q * lo) / hi};
        for (int k = 0; k < 2; k++) {
            double u = s + terms[k];
            c += fabs(s) >= fabs(terms[k]) ? (s - u) + terms[k] : (terms[k] - u) + s;
            s = u;
        }
    }
    return s + c;
}

/* Shared by log_softmax and the losses: m = max z and log sum e^{z - m}.
 * log_softmax_c = (z_c - m) - log sum e^{z-m} keeps full precision when
 * z_c = m = 1e4 (computing z_c - lse would first round lse to a multiple of
 * 1e4's ulp and lose ~12 bits of the small result). */
static double S_shift_log(const double *z, size_t n, double *m_out)
{
    double m = num_max(z, n);
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += exp(z[i] - m);
    *m_out = m;
    return log(s);
}

void num_log_softmax(const double *z, size_t n, double *out)
{
    double m;
    double ls = S_shift_log(z, n, &m);
    for (size_t i = 0; i < n; i++)
        out[i] = (z[i] - m) - ls;
}

double num_bce(double p, double y)
{
    double l = 0.0;
    if (y != 0.0)
        l -= y * num_log(p);
    if (y != 1.0)
        l -= (1.0 - y) * num_log(1.0 - p);
    return l == 0.0 ? 0.0 : l;   /* no -0 */
}

/* Check targets and the options once; both entry points share it. */
static int S_check(size_t N, size_t C, const int64_t *targets,
                   const num_ce_opts *o, lb_err *e)
{
    if (C == 0)
        return err_set(e, LB_EXIT_INPUT, "cross-entropy needs at least one class");
    if (!(o->label_smoothing >= 0.0 && o->label_smoothing <= 1.0))
        return err_set(e, LB_EXIT_INPUT,
                       "label_smoothing must be in [0, 1], got %g", o->label_smoothing);
    for (size_t n = 0; n < N; n++) {
        int64_t y = targets[n];
        if (y == o->ignore_index)
            continue;
        if (y < 0 || (uint64_t)y >= (uint64_t)C)
            return err_set(e, LB_EXIT_INPUT,
                           "target %lld of row %zu is out of range (expected 0..%zu or ignore_index %lld)",
                           (long long)y, n, C - 1, (long long)o->ignore_index);
    }
    return 0;
}

/* Neumaier's compensated sum: the mean over 100 000 positions stays exact
 * to a few ulps instead of drifting by N * eps. */
typedef struct S_ksum {
    double s, c;
} S_ksum;

static void S_kadd(S_ksum *k, double x)
{
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
    k->s = t;
}

static double S_kval(const S_ksum *k)
{
    return k->s + k->c;
}

static double S_w(const num_ce_opts *o, size_t c)
{
    return o->weight ? o->weight[c] : 1.0;
}

/* Per-row loss l_n (see numerics.h) and the row's weight w[y_n] that enters
 * the mean's denominator.  Uses log-softmax element by element so nothing is
 * allocated. */
static double S_row_loss(const double *z, size_t C, int64_t y,
                         const num_ce_opts *o, double *wy)
{
    double m;
    double ls = S_shift_log(z, C, &m);
    double eps = o->label_smoothing;
    *wy = S_w(o, (size_t)y);
    double nll = (*wy) * ((m - z[y]) + ls);
    double l = (1.0 - eps) * nll;
    if (eps != 0.0) {
        double smooth = 0.0;
        for (size_t c = 0; c < C; c++)
            smooth += S_w(o, c) * ((m - z[c]) + ls);
        l += eps / (double)C * smooth;
    }
    return l;
}

int num_cross_entropy(const double *logits, size_t N, size_t C,
                      const int64_t *targets, const num_ce_opts *opts,
                      double *out, lb_err *e)
{
    num_ce_opts def = num_ce_opts_default();
    const num_ce_opts *o = opts ? opts : &def;
    if (S_check(N, C, targets, o, e) != 0)
        return -1;
    S_ksum sum = {0, 0}, wsum = {0, 0};
    for (size_t n = 0; n < N; n++) {
        double l = 0.0, wy = 0.0;
        if (targets[n] != o->ignore_index) {
            l = S_row_loss(logits + n * C, C, targets[n], o, &wy);
            S_kadd(&wsum, wy);
        }
        if (o->reduction == NUM_REDUCTION_NONE)
            out[n] = l;
        S_kadd(&sum, l);
    }
    if (o->reduction == NUM_REDUCTION_SUM)
        out[0] = S_kval(&sum);
    else if (o->reduction == NUM_REDUCTION_MEAN)
        out[0] = S_kval(&sum) / S_kval(&wsum);   /* 0/0 = NaN when all rows are ignored, as PyTorch */
    return 0;
}

int num_ce_grad(const double *logits, size_t N, size_t C,
                const int64_t *targets, const num_ce_opts *opts,
                double *grad, lb_err *e)
{
    num_ce_opts def = num_ce_opts_default();
    const num_ce_opts *o = opts ? opts : &def;
    if (S_check(N, C, targets, o, e) != 0)
        return -1;
    double eps = o->label_smoothing;
    double wall = 0.0;   /* sum_c w[c] */
    for (size_t c = 0; c < C; c++)
        wall += S_w(o, c);
    double wsum = 0.0;
    for (size_t n = 0; n < N; n++) {
        double *g = grad + n * C;
        int64_t y = targets[n];
        if (y == o->ignore_index) {
            for (size_t c = 0; c < C; c++)
                g[c] = 0.0;
            continue;
        }
        double wy = S_w(o, (size_t)y);
        wsum += wy;
        double scale = (1.0 - eps) * wy + eps / (double)C * wall;
        num_softmax(logits + n * C, C, g);
        for (size_t c = 0; c < C; c++) {
            double q = eps / (double)C * S_w(o, c);
            if ((int64_t)c == y)
                q += (1.0 - eps) * wy;
            g[c] = g[c] * scale - q;
        }
    }
    if (o->reduction == NUM_REDUCTION_MEAN && wsum != 0.0) {
        /* all rows ignored: the gradient stays 0 (nothing depends on z) */
        double inv = 1.0 / wsum;
        for (size_t i = 0; i < N * C; i++)
            grad[i] *= inv;
    }
    return 0;
}
