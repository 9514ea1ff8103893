/* numerics — softmax, log-sum-exp and cross-entropy in double precision.
 *
 * No I/O, no allocation except where stated (none today):
 * every array is owned by the caller; functions only read their inputs and
 * write the output arrays the caller passes in.
 *
 * Why this module exists: every number in the handout comes from here, so it
 * follows the math exactly.  Softmax subtracts the row maximum before exp so
 * logits of +-1e4 neither overflow nor produce NaN; losses are computed from
 * log-softmax (z_y - logsumexp(z)), never from -log(p) of an underflowed p, so
 * a target with p ~ 1e-4343 still gives its exact finite loss.  Where the math
 * says infinity (-log 0) the result is +inf: there is no epsilon fudge.
 *
 * Cross-entropy follows PyTorch's F.cross_entropy for class-index targets:
 *   logp_n      = log_softmax(z_n)                      (row n of [N, C])
 *   nll_n       = -w[y_n] * logp_n[y_n]
 *   smooth_n    = -sum_c w[c] * logp_n[c]               (w == 1 when no weight)
 *   l_n         = (1 - eps) * nll_n + (eps / C) * smooth_n
 *   l_n         = 0 for rows with y_n == ignore_index
 *   mean        = sum_n l_n / sum_{n not ignored} w[y_n]    (plain count when no
 *                 weight; 0/0 = NaN when every row is ignored, as in PyTorch)
 *   sum         = sum_n l_n
 *   none        = l_n per row
 * i.e. the target distribution is q_n = (1 - eps) onehot(y_n) + eps / C, and
 * with a weight PyTorch's label-smoothing formula (aten LossNLL.cpp,
 * cross_entropy_loss_label_smoothing) normalises the smoothing term by the same
 * sum of target weights as the NLL term.
 */
#ifndef LB_NUMERICS_H
#define LB_NUMERICS_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

typedef enum {
    NUM_REDUCTION_MEAN = 0,
    NUM_REDUCTION_SUM,
    NUM_REDUCTION_NONE
} num_reduction;

typedef struct num_ce_opts {
    num_reduction reduction;  /* default MEAN */
    int64_t ignore_index;     /* default -100 */
    double label_smoothing;   /* eps in [0, 1]; default 0 */
    const double *weight;     /* C per-class weights or NULL; borrowed, not freed */
} num_ce_opts;

/* {MEAN, -100, 0.0, NULL}: PyTorch's defaults. */
num_ce_opts num_ce_opts_default(void);

/* exp(x) and log(x) with the edge cases spelled out: num_log(0) = -inf,
 * num_log(x<0) = NaN; num_neglog(p) = -log p, +inf at p = 0 and exactly 0 at
 * p = 1 (never -0). */
double num_exp(double x);
double num_log(double x);
double num_neglog(double p);

/* Largest element of z[0..n-1] (n >= 1). */
double num_max(const double *z, size_t n);

/* log(sum_j exp(z_j)) = m + log(sum_j exp(z_j - m)), m = max z.  n >= 1.
 * Exact to rounding for any finite z (lse([1e4, 1e4]) = 1e4 + ln 2). */
double num_logsumexp(const double *z, size_t n);

/* p_j = exp(z_j - m) / sum_k exp(z_k - m).  `p` may alias `z`. */
void num_softmax(const double *z, size_t n, double *p);

/* sum_j softmax(z)_j, the row sum a table prints under its probabilities:
 * computed from the row, not assumed, with error-free transformations so
 * that it is exactly 1.0 for every finite row (as the mathematics says),
 * where adding the n rounded p_j gives 1 +- a few ulps.  The exponentials
 * e_j = exp(z_j - m) are summed in double-double (TwoSum), each quotient
 * e_j / S is taken with its exact remainder (fma) and all of it is added
 * with Neumaier's compensation.  NaN when z holds NaN or +inf.  A gradient
 * row p - y sums to num_softmax_total(z) - 1, i.e. exactly 0. */
double num_softmax_total(const double *z, size_t n);

/* out_j = z_j - logsumexp(z).  `out` may alias `z`. */
void num_log_softmax(const double *z, size_t n, double *out);

/* Binary cross-entropy of one prediction: -[y log p + (1 - y) log(1 - p)],
 * y in [0, 1]; a term whose coefficient is 0 is dropped (0 * log 0 = 0), so
 * y = 1, p = 0 gives +inf and y = 1, p = 1 gives 0. */
double num_bce(double p, double y);

/* Cross-entropy over logits [N, C] (row-major) with class-index targets [N].
 * `out` receives 1 double for MEAN/SUM and N doubles for NONE.  Targets must be
 * in [0, C) or equal ignore_index; otherwise an LB_EXIT_INPUT error names the
 * row.  opts NULL means num_ce_opts_default().  Returns 0 or -1. */
int num_cross_entropy(const double *logits, size_t N, size_t C,
                      const int64_t *targets, const num_ce_opts *opts,
                      double *out, lb_err *e);

/* Gradient of the cross-entropy above w.r.t. the logits, grad [N, C]:
 *   d l_n / d z_nk = p_nk * ((1-eps) w[y_n] + (eps/C) sum_c w[c])
 *                    - ((1-eps) w[y_n] [k == y_n] + (eps/C) w[k])
 * which is p - q (softmax minus target distribution) when there is no weight.
 * MEAN divides by the same denominator as the loss (N, or sum of w[y_n]);
 * SUM does not scale; NONE gives each row's d l_n / d z_n.  Ignored rows get 0
 * (all rows ignored under MEAN: all 0).
 * Returns 0 or -1 (same target checks as num_cross_entropy). */
int num_ce_grad(const double *logits, size_t N, size_t C,
                const int64_t *targets, const num_ce_opts *opts,
                double *grad, lb_err *e);

#endif
