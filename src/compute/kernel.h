/* kernel — streaming per-row cross-entropy over a large [N, V] logits array.
 *
 * What it is for: a real model's output (N = 2048 positions, V = 50 257
 * classes: 412 MB of float32, 823 MB of float64), usually a file mapped into
 * memory.  Each row is read ONCE from memory: the row is walked in blocks
 * small enough to stay in the L1 cache; each block's maximum is found, the
 * running maximum m and the running sum s = sum e^{z - m} are updated online
 * (s is rescaled by e^{m_old - m_new} when a block raises the maximum), and
 * the block's exponentials are added.  exp is evaluated 8 lanes at a time by a
 * vectorised routine of our own (kernel.c: error <= 2 ulp on the domain it is
 * used on, see the proof there), with no -ffast-math: IEEE semantics, no
 * reassociation beyond the fixed 8-lane order written in the code.
 *
 * Semantics: exactly PyTorch's F.cross_entropy per row for class-index
 * targets, the same as numerics.h (which computes the handout's small example
 * two-pass with libm's exp; the two agree to ~1e-15 relative):
 *   lse_n  = log sum_c e^{z_nc}          zmax_n = max_c z_nc
 *   loss_n = (1 - eps) w[y_n] (lse_n - z_{n,y_n}) + eps/V sum_c w[c] (lse_n - z_nc)
 *   weight_n = w[y_n]        (w = 1 when no weight is given)
 *   loss_n = weight_n = 0    when y_n == ignore_index (zmax, lse still computed)
 * mean = sum loss / sum weight, sum = sum loss (ker_total gives both sums).
 * A row holding a NaN or an infinity is recomputed by the plain two-pass
 * formula, so such rows give exactly what numerics.c gives (+inf where the
 * math says so, NaN where it is undefined).
 *
 * Accuracy (proof in kernel.c, checked by tests/test_kernel.c against a long
 * double reference): lse within ~2e-14 absolute of the exact value of the
 * given inputs for V <= 2^20; loss relative error below 2e-13 whenever
 * loss >= 0.1.
 *
 * Threads: rows are handed out to `threads` POSIX threads (0 = every online
 * processor, capped by the number of rows; the calling thread is one of
 * them).  Each row is computed by one thread with a fixed evaluation order,
 * so the results do not depend on the thread count.  Small inputs
 * (N*V < 2^16) run on the calling thread.
 *
 * Ownership: ker_rows reads `logits`, `targets`, `o->weight` (all borrowed,
 * never freed, never written) and writes out[0..n-1], owned by the caller.
 * Nothing is allocated except the threads' stacks (joined before return).
 */
#ifndef LB_KERNEL_H
#define LB_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

typedef enum { KER_F64, KER_F32 } ker_dtype;

typedef struct ker_opts {
    const double *weight;     /* V per-class weights or NULL (all 1); borrowed */
    double label_smoothing;   /* eps in [0, 1] */
    long long ignore_index;   /* PyTorch's default is -100 */
    int threads;              /* 0 = all online processors; 1 = calling thread only */
} ker_opts;

typedef struct ker_row {
    double zmax, lse, loss, weight;  /* per row; loss/weight 0 for ignored rows */
} ker_row;

/* {NULL, 0.0, -100, 0}: PyTorch's defaults, all cores. */
ker_opts ker_opts_default(void);

/* Per-row max, log-sum-exp, loss and weight of `logits` [n, v] (row-major,
 * element type `dt`, any alignment) against `targets` [n].  o NULL means
 * ker_opts_default().  Errors (LB_EXIT_INPUT, nothing written to `out`):
 * v == 0, n*v overflowing size_t, label_smoothing outside [0, 1], a target
 * outside [0, v) that is not ignore_index (the message names the row).
 * Returns 0 or -1. */
int ker_rows(const void *logits, ker_dtype dt, size_t n, size_t v,
             const int64_t *targets, const ker_opts *o, ker_row *out, lb_err *e);

/* Compensated (Neumaier) sums of loss and weight over rows[0..n-1]:
 * reduction "sum" is *loss_sum, "mean" is *loss_sum / *weight_sum (0/0 = NaN
 * when every row is ignored, as in PyTorch). */
void ker_total(const ker_row *rows, size_t n, double *loss_sum, double *weight_sum);

/* y[i] = e^{x[i]} for x[i] <= 0 by the kernel's vectorised routine: within
 * 2 ulp; 0 for x < -708 (true value < 3.4e-308) and -inf; NaN stays NaN.
 * x > 0 is outside its domain (the result is unspecified).  For the tests
 * and for callers that need a row's probabilities. */
void ker_exp(const double *x, size_t n, double *y);

/* The number of threads ker_rows would use for `threads` (0 = all online
 * processors), before the cap by rows. */
int ker_threads(int threads);

#endif
