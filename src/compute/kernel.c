/* kernel — see kernel.h.  No I/O.
 *
 * Layout of one row's work (S_row):
 *   for each block of S_BLOCK elements (8 KB of float64: stays in L1)
 *     bm = max of the block                       (8 lanes)
 *     if bm > m: s *= e^{m - bm}; m = bm           (online rescaling, scalar)
 *     s += sum e^{z - m} over the block            (8 lanes, S_vexp)
 *     [label smoothing] sw += sum w_c (z_c - ref)  (8 lanes)
 * so memory is read once per row; the second look at a block hits L1.
 *
 * The ISA does not change a bit on FMA machines: the code is written on
 * 4-wide GCC vectors (two per step: 8 lanes) with a fixed order of every
 * addition; AVX2 (the x86-64-v3 clone) and AVX-512 (S_row8: the same 8
 * lanes in one vector, folded the same way) give identical results (a test
 * checks).  a*b + c is contracted to one FMA where the ISA has it (pragma
 * below); the plain x86-64 clone has no FMA and rounds those steps twice,
 * which stays within the bound below but may differ in the last bits.
 *
 * Error bound (u = 2^-53):
 *  - S_vexp(x), x in [-708, 0]: k = nearest integer to x/ln2 (through the
 *    1.5*2^52 shift), r = (x - k*LN2HI) - k*LN2LO.  LN2HI has 32 trailing zero
 *    bits, so k*LN2HI is exact for |k| < 2^20 and x - k*LN2HI is exact
 *    (Sterbenz); |r| <= 0.3466 + 2^-40 with an error <= u|r| + 2^-60.
 *    e^r is the degree-13 Taylor polynomial: truncation
 *    <= 0.3467^14/14! * 1.03 < 4.3e-18 < 0.04u.  It is evaluated as
 *    1 + (r + r^2 P(r)), P = sum_{j>=2} r^(j-2)/j! by Estrin's scheme (short
 *    dependency chains); P's relative error (rounded 1/j!, five roundings,
 *    each damped by |r| or r^2) is < 2u, and r^2 P <= 0.067 damps it and
 *    r^2's rounding to < 0.2u absolute; with r's own error (0.35u), the FMA's
 *    rounding of r + r^2 P (<= 0.35u) and the last addition's half ulp, the
 *    worst case, r = -0.3466 where e^r = 0.707, stays < 1.9u relative.
 *    Scaling by 2^k is exact.  Total < 2u relative (measured: 1.42u max over
 *    4M points of [-708, 0]; the test checks 200k of them against expl).
 *    x < -708 gives 0 instead of e^x < 3.4e-308: an absolute error far below
 *    u * s, because s >= 1 (the maximum contributes e^0 = 1).
 *  - the sum s: each lane adds <= S_BLOCK/8 = 128 terms (< 128u), lanes are
 *    combined pairwise (3u), block sums are added with Neumaier compensation
 *    (2u), and each of the R rescalings costs < 3u: relative error of s
 *    < (135 + 3R)u; R is the number of blocks that raise the running maximum
 *    (a handful on real data, at most V/S_BLOCK).
 *  - log s (libm, < 1u) then carries that relative error as an absolute one:
 *    |error of lse - m| < (137 + 3R)u ~ 1.6e-14 + R*3.3e-16.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compute/kernel.h"

#define S_LANES 4                 /* one vector; loops run two at a time */
#define S_BLOCK 1024              /* elements per block (multiple of S_LANES) */
#define S_SMALL ((size_t)1 << 16) /* N*V below this: no threads */
#define S_CHUNK 4                 /* rows handed to a thread at a time */
#define S_MAX_THREADS 256

typedef double S_vd __attribute__((vector_size(S_LANES * sizeof(double))));
typedef long long S_vi __attribute__((vector_size(S_LANES * sizeof(long long))));
typedef unsigned long long S_vu __attribute__((vector_size(S_LANES * sizeof(long long))));
typedef float S_vf __attribute__((vector_size(S_LANES * sizeof(float))));

#define S_INLINE static inline __attribute__((always_inline))

/* The vectors never cross a non-inlined call: the ABI note is moot. */
#pragma GCC diagnostic ignored "-Wpsabi"
/* a*b + c becomes one fused multiply-add where the clone's ISA has it (one
 * rounding instead of two: the bound below holds either way).  ISO C mode
 * would otherwise keep them apart. */
#pragma GCC optimize("fp-contract=fast")

/* Clones for AVX2 machines, chosen once at load time (ifunc); "default"
 * is plain x86-64 (SSE2).  AVX-512 machines take S_row8 below (8 lanes per
 * vector, the same lanes and order).  Other architectures get one build. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(LB_NO_CLONES)
#define S_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#define S_AVX512 1
#else
#define S_CLONES
#define S_AVX512 0
#endif

ker_opts ker_opts_default(void)
{
    ker_opts o = {NULL, 0.0, -100, 0};
    return o;
}

int ker_threads(int threads)
{
    if (threads > 0)
        return threads > S_MAX_THREADS ? S_MAX_THREADS : threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > S_MAX_THREADS ? S_MAX_THREADS : (int)n;
}

/* ---- 4-wide vector helpers (loops use two: 8 independent lanes) ------- */

S_INLINE S_vd S_splat(double x)
{
    S_vd v = {x, x, x, x};
    return v;
}

/* Lanes of a where mask is all-ones, else lanes of b. */
S_INLINE S_vd S_select(S_vi mask, S_vd a, S_vd b)
{
    return (S_vd)(((S_vi)a & mask) | ((S_vi)b & ~mask));
}

S_INLINE S_vd S_load(const void *p, size_t i, int f32)
{
    if (f32) {
        S_vf f;
        memcpy(&f, (const float *)p + i, sizeof f);
        return __builtin_convertvector(f, S_vd);
    }
    S_vd d;
    memcpy(&d, (const double *)p + i, sizeof d);
    return d;
}

/* One element by memcpy, like S_load: the logits may sit at any address (a
 * .npy whose header is not padded to 64 bytes, mapped as is), and a plain
 * load of a misaligned double is undefined (UBSan stops on it). */
S_INLINE double S_at(const void *p, size_t i, int f32)
{
    if (f32) {
        float f;
        memcpy(&f, (const float *)p + i, sizeof f);
        return (double)f;
    }
    double d;
    memcpy(&d, (const double *)p + i, sizeof d);
    return d;
}

/* The last `cnt` < S_LANES elements from i, padded with `pad`. */
S_INLINE S_vd S_load_tail(const void *p, size_t i, size_t cnt, int f32, double pad)
{
    S_vd v = S_splat(pad);
    for (size_t k = 0; k < cnt; k++)
        v[k] = S_at(p, i + k, f32);
    return v;
}

S_INLINE double S_hsum(S_vd v)
{
    return (v[0] + v[1]) + (v[2] + v[3]);
}

S_INLINE double S_hmax(S_vd v)
{
    double m = v[0];
    for (int k = 1; k < S_LANES; k++)
        m = v[k] > m ? v[k] : m;
    return m;
}

/* e^x for x <= 0 lane by lane (error bound at the top of the file); NaN stays
 * NaN, x < -708 (and -inf) gives 0. */
S_INLINE S_vd S_vexp(S_vd x)
{
    const S_vd lim = S_splat(-708.0);
    const S_vd shift = S_splat(0x1.8p52);
    S_vi keep = ~(x < lim);
    S_vd xc = S_select(keep, x, lim);
    S_vd t = xc * S_splat(0x1.71547652b82fep0) + shift;   /* 1/ln 2 */
    S_vd kd = t - shift;
    S_vd r = (xc - kd * S_splat(0x1.62e42feep-1)) - kd * S_splat(0x1.a39ef35793c76p-33);
    /* e^r = 1 + (r + r^2 P(r)), P = sum_{j=2..13} r^(j-2)/j!, P by Estrin's
     * scheme: independent FMAs instead of Horner's chain of 13 (the row loop
     * was bound by that chain's latency); the 1 is added last, so P's and
     * r^2's roundings are damped by r^2 < 0.121 (bound at the top). */
    S_vd r2 = r * r, r4 = r2 * r2;
    S_vd a0 = S_splat(0.5) + S_splat(1.0 / 6.0) * r;
    S_vd a1 = S_splat(1.0 / 24.0) + S_splat(1.0 / 120.0) * r;
    S_vd a2 = S_splat(1.0 / 720.0) + S_splat(1.0 / 5040.0) * r;
    S_vd a3 = S_splat(1.0 / 40320.0) + S_splat(1.0 / 362880.0) * r;
    S_vd a4 = S_splat(1.0 / 3628800.0) + S_splat(1.0 / 39916800.0) * r;
    S_vd a5 = S_splat(1.0 / 479001600.0) + S_splat(1.0 / 6227020800.0) * r;   /* 1/12!, 1/13! */
    S_vd b0 = a0 + a1 * r2, b1 = a2 + a3 * r2, b2 = a4 + a5 * r2;
    S_vd pp = b0 + (b1 + b2 * r4) * r4;
    S_vd p = S_splat(1.0) + (r + pp * r2);
    /* t's bits minus the shift's bits is k (same binade, ulp 1). */
    S_vi ki = (S_vi)t - (S_vi)shift;
    S_vd scale = (S_vd)((S_vu)(ki + 1023) << 52);   /* unsigned: NaN lanes may hold anything */
    return (S_vd)((S_vi)(p * scale) & keep);
}

S_CLONES void ker_exp(const double *x, size_t n, double *y)
{
    size_t i = 0;
    for (; i + S_LANES <= n; i += S_LANES) {
        S_vd r = S_vexp(S_load(x, i, 0));
        memcpy(y + i, &r, sizeof r);
    }
    if (i < n) {
        S_vd r = S_vexp(S_load_tail(x, i, n - i, 0, 0.0));
        memcpy(y + i, &r, (n - i) * sizeof(double));
    }
}

/* ---- one row ----------------------------------------------------------- */

typedef struct S_rowacc {
    double m;    /* running maximum */
    double s;    /* sum e^{z - m}, Neumaier pair (s, c) */
    double c;
    double sw;   /* sum_c w_c (z_c - ref), only with label smoothing */
} S_rowacc;

static void S_kadd(double *s, double *c, double x)
{
    double t = *s + x;
    if (!isfinite(t)) {   /* inf or NaN: no compensation (inf - inf is NaN) */
        *s = t;
        return;
    }
    if (fabs(*s) >= fabs(x))
        *c += (*s - t) + x;
    else
        *c += (x - t) + *s;
    *s = t;
}

/* A block whose maximum bm exceeds the running m: rescale the running sum
 * (Neumaier pair s, c) to the new maximum. */
S_INLINE void S_rescale(double bm, double *m, double *s, double *c)
{
    if (bm > *m) {
        double sc = exp(*m - bm);   /* 0 when m = -inf: s and c are 0 then */
        *s *= sc;
        *c *= sc;
        *m = bm;
    }
}

/* Label smoothing's sum_c w_c (z_c - ref) over one block, 4 lanes then the
 * tail, in the same order on every ISA path. */
S_INLINE void S_smooth_block(const void *z, size_t j0, size_t len, int f32, const double *w,
                             double ref, S_vd *vsw, double *swtail)
{
    S_vd rv = S_splat(ref);
    size_t j = 0;
    for (; j + S_LANES <= len; j += S_LANES) {
        S_vd d = S_load(z, j0 + j, f32) - rv;
        if (w) {
            S_vd wv;
            memcpy(&wv, w + j0 + j, sizeof wv);
            d *= wv;
        }
        *vsw += d;
    }
    for (; j < len; j++)
        *swtail += (w ? w[j0 + j] : 1.0) * (S_at(z, j0 + j, f32) - ref);
}

/* The body for both element types; `f32` is a constant at each call. */
S_INLINE void S_row(const void *z, size_t v, int f32, const double *w, int smooth,
                    double ref, S_rowacc *a)
{
    double m = -INFINITY, s = 0.0, c = 0.0;
    S_vd vsw = S_splat(0.0);
    double swtail = 0.0;
    const S_vd ninf = S_splat(-INFINITY);
    for (size_t j0 = 0; j0 < v; j0 += S_BLOCK) {
        size_t len = v - j0 < S_BLOCK ? v - j0 : S_BLOCK;
        size_t pairs = len / (2 * S_LANES) * (2 * S_LANES);
        size_t one = len - pairs >= S_LANES ? S_LANES : 0;
        size_t tail = len - pairs - one;
        S_vd m0 = ninf, m1 = ninf;
        for (size_t j = 0; j < pairs; j += 2 * S_LANES) {
            S_vd x0 = S_load(z, j0 + j, f32), x1 = S_load(z, j0 + j + S_LANES, f32);
            m0 = S_select(x0 > m0, x0, m0);
            m1 = S_select(x1 > m1, x1, m1);
        }
        S_vd xo = one ? S_load(z, j0 + pairs, f32) : ninf;
        S_vd xt = S_load_tail(z, j0 + pairs + one, tail, f32, -INFINITY);
        m0 = S_select(xo > m0, xo, m0);
        m1 = S_select(xt > m1, xt, m1);
        m0 = S_select(m1 > m0, m1, m0);
        double bm = S_hmax(m0);
        S_rescale(bm, &m, &s, &c);
        S_vd mv = S_splat(m), a0 = S_splat(0.0), a1 = a0;
        /* the next block streams in while this one is computed (a prefetch
         * never faults: the last block's, past the row, is harmless; the
         * address is an integer so no pointer leaves the array) */
        uintptr_t next = (uintptr_t)z + (j0 + S_BLOCK) * (f32 ? sizeof(float) : sizeof(double));
        for (size_t j = 0; j < pairs; j += 2 * S_LANES) {
            __builtin_prefetch((const void *)(next + j * (f32 ? sizeof(float) : sizeof(double))), 0, 3);
            a0 += S_vexp(S_load(z, j0 + j, f32) - mv);
            a1 += S_vexp(S_load(z, j0 + j + S_LANES, f32) - mv);
        }
        a0 += S_vexp(xo - mv);   /* -inf lanes add e^-inf = 0 */
        a1 += S_vexp(xt - mv);
        S_kadd(&s, &c, S_hsum(a0 + a1));
        if (smooth)
            S_smooth_block(z, j0, len, f32, w, ref, &vsw, &swtail);
    }
    a->m = m;
    a->s = s;
    a->c = c;
    a->sw = S_hsum(vsw) + swtail;
}

S_CLONES static void S_row_f64(const double *z, size_t v, const double *w, int smooth,
                               double ref, S_rowacc *a)
{
    S_row(z, v, 0, w, smooth, ref, a);
}

S_CLONES static void S_row_f32(const float *z, size_t v, const double *w, int smooth,
                               double ref, S_rowacc *a)
{
    S_row(z, v, 1, w, smooth, ref, a);
}

#if S_AVX512
/* The same row on AVX-512: one 8-lane vector holds what S_row keeps in its
 * two 4-lane accumulators (lanes 0-3 = a0, 4-7 = a1), the "one" vector and
 * the padded tail go to lanes 0-3 and 4-7 as there, and the lanes are
 * folded exactly as S_hsum(a0 + a1): the result has the same bits as the
 * AVX2 clone (both contract a*b + c to one FMA). */
typedef double S_v8 __attribute__((vector_size(8 * sizeof(double))));
typedef long long S_v8i __attribute__((vector_size(8 * sizeof(long long))));
typedef unsigned long long S_v8u __attribute__((vector_size(8 * sizeof(long long))));
typedef float S_v8f __attribute__((vector_size(8 * sizeof(float))));

#define S_T8 __attribute__((target("arch=x86-64-v4")))
#define S_I8 static inline __attribute__((always_inline, target("arch=x86-64-v4")))

S_I8 S_v8 S_splat8(double x)
{
    S_v8 v = {x, x, x, x, x, x, x, x};
    return v;
}

S_I8 S_v8 S_sel8(S_v8i m, S_v8 a, S_v8 b)
{
    return (S_v8)(((S_v8i)a & m) | ((S_v8i)b & ~m));
}

S_I8 S_v8 S_load8(const void *p, size_t i, int f32)
{
    if (f32) {
        S_v8f f;
        memcpy(&f, (const float *)p + i, sizeof f);
        return __builtin_convertvector(f, S_v8);
    }
    S_v8 d;
    memcpy(&d, (const double *)p + i, sizeof d);
    return d;
}

S_I8 S_v8 S_join8(S_vd lo, S_vd hi)
{
    S_v8 v = {lo[0], lo[1], lo[2], lo[3], hi[0], hi[1], hi[2], hi[3]};
    return v;
}

/* S_vexp, lane for lane (the same operations in the same order). */
S_I8 S_v8 S_vexp8(S_v8 x)
{
    const S_v8 lim = S_splat8(-708.0);
    const S_v8 shift = S_splat8(0x1.8p52);
    S_v8i keep = ~(x < lim);
    S_v8 xc = S_sel8(keep, x, lim);
    S_v8 t = xc * S_splat8(0x1.71547652b82fep0) + shift;
    S_v8 kd = t - shift;
    S_v8 r = (xc - kd * S_splat8(0x1.62e42feep-1)) - kd * S_splat8(0x1.a39ef35793c76p-33);
    S_v8 r2 = r * r, r4 = r2 * r2;
    S_v8 a0 = S_splat8(0.5) + S_splat8(1.0 / 6.0) * r;
    S_v8 a1 = S_splat8(1.0 / 24.0) + S_splat8(1.0 / 120.0) * r;
    S_v8 a2 = S_splat8(1.0 / 720.0) + S_splat8(1.0 / 5040.0) * r;
    S_v8 a3 = S_splat8(1.0 / 40320.0) + S_splat8(1.0 / 362880.0) * r;
    S_v8 a4 = S_splat8(1.0 / 3628800.0) + S_splat8(1.0 / 39916800.0) * r;
    S_v8 a5 = S_splat8(1.0 / 479001600.0) + S_splat8(1.0 / 6227020800.0) * r;
    S_v8 b0 = a0 + a1 * r2, b1 = a2 + a3 * r2, b2 = a4 + a5 * r2;
    S_v8 pp = b0 + (b1 + b2 * r4) * r4;
    S_v8 p = S_splat8(1.0) + (r + pp * r2);
    S_v8i ki = (S_v8i)t - (S_v8i)shift;
    S_v8 scale = (S_v8)((S_v8u)(ki + 1023) << 52);
    return (S_v8)((S_v8i)(p * scale) & keep);
}

S_I8 void S_row8(const void *z, size_t v, int f32, const double *w, int smooth, double ref,
                 S_rowacc *a)
{
    double m = -INFINITY, s = 0.0, c = 0.0;
    S_vd vsw = S_splat(0.0);
    double swtail = 0.0;
    const S_v8 ninf = S_splat8(-INFINITY);
    for (size_t j0 = 0; j0 < v; j0 += S_BLOCK) {
        size_t len = v - j0 < S_BLOCK ? v - j0 : S_BLOCK;
        size_t pairs = len / (2 * S_LANES) * (2 * S_LANES);
        size_t one = len - pairs >= S_LANES ? S_LANES : 0;
        size_t tail = len - pairs - one;
        S_v8 mm = ninf;
        for (size_t j = 0; j < pairs; j += 2 * S_LANES) {
            S_v8 x = S_load8(z, j0 + j, f32);
            mm = S_sel8(x > mm, x, mm);
        }
        S_vd xo = one ? S_load(z, j0 + pairs, f32) : S_splat(-INFINITY);
        S_vd xt = S_load_tail(z, j0 + pairs + one, tail, f32, -INFINITY);
        S_v8 xr = S_join8(xo, xt);
        mm = S_sel8(xr > mm, xr, mm);
        double bm = mm[0];
        for (int k = 1; k < 8; k++)
            bm = mm[k] > bm ? mm[k] : bm;
        S_rescale(bm, &m, &s, &c);
        S_v8 mv = S_splat8(m), acc = S_splat8(0.0);
        uintptr_t next = (uintptr_t)z + (j0 + S_BLOCK) * (f32 ? sizeof(float) : sizeof(double));
        for (size_t j = 0; j < pairs; j += 2 * S_LANES) {
            __builtin_prefetch((const void *)(next + j * (f32 ? sizeof(float) : sizeof(double))), 0, 3);
            acc += S_vexp8(S_load8(z, j0 + j, f32) - mv);
        }
        acc += S_vexp8(xr - mv);
        S_vd lo = {acc[0], acc[1], acc[2], acc[3]}, hi = {acc[4], acc[5], acc[6], acc[7]};
        S_kadd(&s, &c, S_hsum(lo + hi));
        if (smooth)
            S_smooth_block(z, j0, len, f32, w, ref, &vsw, &swtail);
    }
    a->m = m;
    a->s = s;
    a->c = c;
    a->sw = S_hsum(vsw) + swtail;
}

S_T8 static void S_row8_f64(const double *z, size_t v, const double *w, int smooth, double ref,
                            S_rowacc *a)
{
    S_row8(z, v, 0, w, smooth, ref, a);
}

S_T8 static void S_row8_f32(const float *z, size_t v, const double *w, int smooth, double ref,
                            S_rowacc *a)
{
    S_row8(z, v, 1, w, smooth, ref, a);
}
#endif

/* ---- the whole array --------------------------------------------------- */

typedef struct S_job {
    const void *logits;
    int f32;
    size_t n, v;
    const int64_t *targets;
    const ker_opts *o;
    double wall;           /* sum_c w_c (V without a weight) */
    ker_row *out;
    atomic_size_t next;    /* next unclaimed row */
    int avx512;            /* take S_row8 */
} S_job;

/* The plain two-pass formula of numerics.c (libm exp), for rows the fast path
 * cannot represent: an infinity or NaN among the logits. */
static void S_row_exact(const S_job *j, size_t r, ker_row *out)
{
    const void *z = j->logits;
    size_t v = j->v, base = r * v;
    double m = S_at(z, base, j->f32);
    for (size_t k = 1; k < v; k++) {
        double x = S_at(z, base + k, j->f32);
        if (x > m)
            m = x;
    }
    double s = 0.0;
    for (size_t k = 0; k < v; k++)
        s += exp(S_at(z, base + k, j->f32) - m);
    double ls = log(s);
    out->zmax = m;
    out->lse = isinf(m) ? m : m + ls;
    out->loss = out->weight = 0.0;
    int64_t y = j->targets[r];
    if (y == j->o->ignore_index)
        return;
    const double *w = j->o->weight;
    double eps = j->o->label_smoothing;
    double wy = w ? w[y] : 1.0;
    double l = (1.0 - eps) * (wy * ((m - S_at(z, base + (size_t)y, j->f32)) + ls));
    if (eps != 0.0) {
        double sm = 0.0;
        for (size_t k = 0; k < v; k++)
            sm += (w ? w[k] : 1.0) * ((m - S_at(z, base + k, j->f32)) + ls);
        l += eps / (double)v * sm;
    }
    out->loss = l;
    out->weight = wy;
}

static void S_one(const S_job *j, size_t r)
{
    const ker_opts *o = j->o;
    size_t v = j->v;
    const void *row = j->f32 ? (const void *)((const float *)j->logits + r * v)
                             : (const void *)((const double *)j->logits + r * v);
    double eps = o->label_smoothing;
    int smooth = eps != 0.0;
    double ref = S_at(row, 0, j->f32);
    S_rowacc a;
#if S_AVX512
    if (j->avx512) {
        if (j->f32)
            S_row8_f32(row, v, o->weight, smooth, ref, &a);
        else
            S_row8_f64(row, v, o->weight, smooth, ref, &a);
    } else
#endif
    if (j->f32)
        S_row_f32(row, v, o->weight, smooth, ref, &a);
    else
        S_row_f64(row, v, o->weight, smooth, ref, &a);
    double s = a.s + a.c;
    ker_row *out = &j->out[r];
    if (!(isfinite(a.m) && isfinite(s) && isfinite(a.sw))) {
        S_row_exact(j, r, out);
        return;
    }
    double ls = log(s);
    out->zmax = a.m;
    out->lse = a.m + ls;
    out->loss = out->weight = 0.0;
    int64_t y = j->targets[r];
    if (y == o->ignore_index)
        return;
    double wy = o->weight ? o->weight[y] : 1.0;
    double l = (1.0 - eps) * (wy * ((a.m - S_at(row, (size_t)y, j->f32)) + ls));
    if (smooth)   /* sum_c w_c (lse - z_c) = W (lse - ref) - sum_c w_c (z_c - ref) */
        l += eps / (double)v * (j->wall * ((a.m - ref) + ls) - a.sw);
    if (!isfinite(l)) {
        S_row_exact(j, r, out);
        return;
    }
    out->loss = l;
    out->weight = wy;
}

static void *S_worker(void *arg)
{
    S_job *j = arg;
    for (;;) {
        size_t r0 = atomic_fetch_add(&j->next, S_CHUNK);
        if (r0 >= j->n)
            break;
        size_t r1 = r0 + S_CHUNK < j->n ? r0 + S_CHUNK : j->n;
        for (size_t r = r0; r < r1; r++)
            S_one(j, r);
    }
    return NULL;
}

int ker_rows(const void *logits, ker_dtype dt, size_t n, size_t v,
             const int64_t *targets, const ker_opts *opts, ker_row *out, lb_err *e)
{
    ker_opts def = ker_opts_default();
    const ker_opts *o = opts ? opts : &def;
    if (v == 0)
        return err_set(e, LB_EXIT_INPUT, "cross-entropy needs at least one class");
    if (n != 0 && v > SIZE_MAX / 8 / n)
        return err_set(e, LB_EXIT_INPUT, "logits of %zu x %zu elements are too large", n, v);
    if (!(o->label_smoothing >= 0.0 && o->label_smoothing <= 1.0))
        return err_set(e, LB_EXIT_INPUT,
                       "label_smoothing must be in [0, 1], got %g", o->label_smoothing);
    for (size_t r = 0; r < n; r++) {
        int64_t y = targets[r];
        if (y == o->ignore_index)
            continue;
        if (y < 0 || (uint64_t)y >= (uint64_t)v)
            return err_set(e, LB_EXIT_INPUT,
                           "target %lld of row %zu is out of range (expected 0..%zu or ignore_index %lld)",
                           (long long)y, r, v - 1, o->ignore_index);
    }
    S_job j;
    j.logits = logits;
    j.f32 = dt == KER_F32;
    j.n = n;
    j.v = v;
    j.targets = targets;
    j.o = o;
    j.out = out;
    j.wall = (double)v;
    if (o->weight) {
        double s = 0.0, c = 0.0;
        for (size_t k = 0; k < v; k++)
            S_kadd(&s, &c, o->weight[k]);
        j.wall = s + c;
    }
    atomic_init(&j.next, 0);
    j.avx512 = 0;
#if S_AVX512
    __builtin_cpu_init();
    j.avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
    if (getenv("LB_KERNEL_NO_AVX512"))   /* tests: the AVX2 path on this machine */
        j.avx512 = 0;
#endif

    size_t nt = (size_t)ker_threads(o->threads);
    if (nt > (n + S_CHUNK - 1) / S_CHUNK)
        nt = (n + S_CHUNK - 1) / S_CHUNK;
    if (n * v < S_SMALL || nt < 2) {
        S_worker(&j);
        return 0;
    }
    /* The calling thread works too; a thread that cannot be created only
     * means fewer hands (the rows are claimed from a shared counter). */
    pthread_t tid[S_MAX_THREADS];
    size_t started = 0;
    for (size_t k = 1; k < nt; k++) {
        if (pthread_create(&tid[started], NULL, S_worker, &j) != 0)
            break;
        started++;
    }
    S_worker(&j);
    for (size_t k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    return 0;
}

void ker_total(const ker_row *rows, size_t n, double *loss_sum, double *weight_sum)
{
    double ls = 0.0, lc = 0.0, ws = 0.0, wc = 0.0;
    for (size_t r = 0; r < n; r++) {
        S_kadd(&ls, &lc, rows[r].loss);
        S_kadd(&ws, &wc, rows[r].weight);
    }
    *loss_sum = ls + lc;
    *weight_sum = ws + wc;
}
