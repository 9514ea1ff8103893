/* randce — see randce.h. */
#include <math.h>
#include <stdlib.h>
#include "base/par.h"
#include "compute/randce.h"

/* Grids (see randce.h for the integrals).
 * Inner, in x: the integrand N(x) exp(-t e^{sigma x}) is analytic for
 * |Im x| < pi / (2 sigma) (there Re e^{sigma x} > 0), so the trapezoid
 * rule's error is about exp(-2 pi d / h) with d = pi / (2 sigma): h = 1/8
 * for sigma <= 2 gives exp(-39), and h = 1/(4 sigma) above keeps d/h.  The
 * Gaussian weight is below 1e-18 beyond |x| = 9.
 * Outer, in u = ln t: e^-t - phi(e^u)^V is analytic for |Im u| < pi/2, so
 * h = 1/4 gives exp(-39) again.  Below u0 = -ln(V E e^{sigma x}) - 46 the
 * integrand is t (V e^{sigma^2/2} - 1) < 1e-20; above it decays like a
 * Gaussian in u, and the sum stops past u = 3 once a term is below 1e-21. */
#define S_XMAX 9.0
#define S_HU 0.25

static void S_grid(double sigma, double *hx, size_t *half)
{
    *hx = sigma <= 2.0 ? 0.125 : 0.25 / sigma;
    *half = (size_t)ceil(S_XMAX / *hx);
}

/* phi(t) and 1 - phi(t), both summed directly: each keeps its own
 * relative precision (1 - phi is tiny for small t, phi for large t). */
static void S_phi(double t, const double *X, const double *w, size_t nx, double *phi,
                  double *one_minus)
{
    double a = 0.0, b = 0.0;
    for (size_t k = 0; k < nx; k++) {
        double q = expm1(-t * X[k]);     /* e^{-tX} - 1 */
        a += w[k] * (1.0 + q);
        b -= w[k] * q;
    }
    *phi = a;
    *one_minus = b;
}

int rce_loss(size_t V, double sigma, rce_val *out, lb_err *e)
{
    if (V < 2 || !(sigma >= 0.0 && sigma <= RCE_SIGMA_MAX))
        return err_set(e, LB_EXIT_RUNTIME, "rce_loss: bad arguments (V = %zu, sigma = %g)", V,
                       sigma);
    out->V = V;
    out->sigma = sigma;
    out->lnv = log((double)V);
    out->bound = out->lnv + sigma * sigma / 2.0;
    if (sigma == 0.0) {
        out->loss = out->lnv;
        return 0;
    }
    double hx;
    size_t half;
    S_grid(sigma, &hx, &half);
    size_t nx = 2 * half + 1;
    double *X = malloc(2 * nx * sizeof *X);
    if (!X)
        return err_nomem(e);
    double *w = X + nx;
    for (size_t k = 0; k < nx; k++) {
        double x = ((double)k - (double)half) * hx;
        X[k] = exp(sigma * x);
        w[k] = hx * exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
    }
    double u0 = -log((double)V) - sigma * sigma / 2.0 - 46.0, sum = 0.0;
    for (long n = 0;; n++) {
        double u = u0 + (double)n * S_HU, t = exp(u), phi, one_minus;
        S_phi(t, X, w, nx, &phi, &one_minus);
        double lphi = phi < 0.5 ? log(phi) : log1p(-one_minus);
        /* (e^-t - 1) - (phi^V - 1): no cancellation where both are near 1 */
        double f = expm1(-t) - expm1((double)V * lphi);
        sum += f;
        if ((u > 3.0 && fabs(f) < 1e-21) || u > 60.0 + 20.0 * sigma * sigma)
            break;
    }
    free(X);
    out->loss = S_HU * sum;
    return 0;
}

/* ---- several at once, on both threads (base/par) ------------------------ */

typedef struct S_all {
    rce_job *jobs;
    lb_err *errs;    /* one per job: a job writes only its own */
} S_all;

static void S_one(void *ctx, size_t k)
{
    S_all *a = ctx;
    rce_job *j = &a->jobs[k];
    err_clear(&a->errs[k]);
    (void)rce_loss(j->V, j->sigma, &j->out, &a->errs[k]);
}

int rce_loss_all(rce_job *jobs, size_t n, lb_err *e)
{
    if (n == 0)
        return 0;
    S_all a = {jobs, calloc(n, sizeof *a.errs)};
    if (!a.errs)
        return err_nomem(e);
    par_run(n, S_one, &a);
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++)
        if (a.errs[k].code) {
            *e = a.errs[k];
            rc = -1;
        }
    free(a.errs);
    return rc;
}
