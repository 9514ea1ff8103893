/* randce — "from toy to real size": the cross-entropy of random logits.
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
 * rce_estimate computes L(V, sigma) by Monte Carlo: `rows` rows of V
 * normal logits from a seeded generator (splitmix64 + Marsaglia's polar
 * method), each row's loss averaged over every target y (LSE(z) - mean(z):
 * the same expectation, with far less variance than one random target).
 * Same arguments, same result, bit for bit.
 *
 * Ownership: no allocation survives a call; out is the caller's.
 */
#ifndef LB_RANDCE_H
#define LB_RANDCE_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

#define RCE_SEED 20240917u

typedef struct rce_est {
    size_t V;
    double sigma;
    size_t rows;
    double mean;     /* estimated L(V, sigma) */
    double se;       /* its standard error (sample sd / sqrt(rows)) */
    double lnv;      /* ln V: the uniform guess */
    double bound;    /* ln V + sigma^2 / 2 */
} rce_est;

/* V >= 2, sigma >= 0, rows >= 2.  sigma == 0 gives exactly ln V (se 0).
 * -1 on allocation failure. */
int rce_estimate(size_t V, double sigma, size_t rows, uint64_t seed, rce_est *out, lb_err *e);

/* Rows that keep the work near `budget` normal draws for vocabulary V
 * (at least 8, at most 4096). */
size_t rce_rows_for(size_t V, size_t budget);

/* Several estimates at once (issue 15: the handout's dozen estimates were
 * most of a run's CPU): jobs[i].out = rce_estimate(jobs[i].V,
 * jobs[i].sigma, jobs[i].rows, seed), on up to `threads` threads (0: one
 * per online CPU, at most RCE_MAX_THREADS).  Each estimate runs whole on
 * one thread, so every result is the same, bit for bit, as one by one.
 * 0, or -1 + the first job's error (allocation). */
#define RCE_MAX_THREADS 8
typedef struct rce_job {
    size_t V;
    double sigma;
    size_t rows;
    rce_est out;
} rce_job;
int rce_estimate_all(rce_job *jobs, size_t n, uint64_t seed, int threads, lb_err *e);

#endif
