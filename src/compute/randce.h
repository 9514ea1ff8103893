/* randce — "from toy to real size": the expected cross-entropy of random
 * logits.
 *
 * An untrained model that guesses uniformly has p = 1/V for every token and
 * loss exactly ln V.  A freshly initialised network does not output equal
 * logits but small random ones; modelled as z_j ~ N(0, sigma^2)
 * independent, its expected loss L(V, sigma) = E[LSE(z) - z_y] satisfies
 *     ln V  <=  L(V, sigma)  <=  ln V + sigma^2 / 2
 * (the lower bound is Jensen on the convex LSE: E LSE(z) >= LSE(E z) =
 * ln V; the upper bound is Jensen on the concave log: E log sum e^{z_j} <=
 * log sum E e^{z_j} = ln V + sigma^2/2; E z_y = 0), and for large V it
 * approaches the upper bound (the sum of V exponentials concentrates).
 *
 * rce_loss computes L(V, sigma) itself, not an estimate: with S the sum of
 * the V exponentials, Frullani's integral ln S = int_0^inf (e^-t - e^-tS)
 * dt/t and the independence of the z_j give
 *     L(V, sigma) = E ln S = int_0^inf (e^-t - phi(t)^V) dt/t,
 *     phi(t) = E exp(-t e^{sigma x}),  x ~ N(0, 1),
 * two one-dimensional integrals for any V (the inner one, the Laplace
 * transform of the lognormal, on a grid in x; the outer one in u = ln t).
 * Both integrands are analytic in a strip around the real axis and decay
 * like Gaussians, so the trapezoid rule converges geometrically (Trefethen
 * and Weideman, SIAM Review 56, 2014): the grids below leave an error near
 * 1e-15 relative (randce.c says why), checked in tests/test_randce.c
 * against V = 2 and V = 3 by independent quadrature and against the
 * large-V expansion ln V + sigma^2/2 - (e^{sigma^2} - 1)/(2V).
 * Deterministic: the same arguments give the same bits.
 *
 * Ownership: no allocation survives a call; out is the caller's.
 */
#ifndef LB_RANDCE_H
#define LB_RANDCE_H

#include <stddef.h>
#include "base/err.h"

/* Widest sigma accepted: the grids grow like sigma (x) and sigma^2 (u). */
#define RCE_SIGMA_MAX 10.0

typedef struct rce_val {
    size_t V;
    double sigma;
    double loss;     /* L(V, sigma) */
    double lnv;      /* ln V: the uniform guess */
    double bound;    /* ln V + sigma^2 / 2 */
} rce_val;

/* V >= 2, 0 <= sigma <= RCE_SIGMA_MAX (else -1 + error).  sigma == 0 gives
 * exactly ln V.  -1 on allocation failure. */
int rce_loss(size_t V, double sigma, rce_val *out, lb_err *e);

/* Several at once: jobs[i].out = rce_loss(jobs[i].V, jobs[i].sigma), on
 * this thread and one more (base/par.h).  Each runs whole on one thread,
 * so every result is the same, bit for bit, as one by one.  0, or -1 + the
 * error of the first job (in order) that failed. */
typedef struct rce_job {
    size_t V;
    double sigma;
    rce_val out;
} rce_job;
int rce_loss_all(rce_job *jobs, size_t n, lb_err *e);

#endif
