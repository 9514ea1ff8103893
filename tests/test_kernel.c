/* Tests for src/compute/kernel.c (streaming per-row cross-entropy).
 *
 * Where the expected values come from:
 *  - the worked example's per-position losses: tests/ref/h1_reference.py
 *    (Python decimal at 40 digits; the same constants test_numerics.c uses);
 *  - large random rows: a long double (64-bit mantissa) two-pass reference
 *    computed here with expl/logl, independent of the kernel's code path
 *    (no blocks, no online rescaling, no vectorised exp);
 *  - closed forms by hand: uniform logits give ln V, weights scale the loss,
 *    log-sum-exp of [1e4, 1e4] is 1e4 + ln 2;
 *  - PyTorch's options: numerics.c's two-pass num_cross_entropy, itself
 *    checked against PyTorch's documented formulas in test_numerics.c.
 * Every check fails if the kernel's result is wrong by more than the bound. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include "compute/kernel.h"
#include "compute/numerics.h"

static const double Z[6][5] = {
    {2.0, 1.0, 0.1, 0.0, -1.0}, {0.5, 2.1, -1.2, 0.3, 0.0},
    {1.2, 0.7, 0.3, 2.2, -0.5}, {1.5, -0.5, 2.3, 0.0, 0.1},
    {0.3, 0.8, 1.5, -1.0, 2.0}, {2.2, 1.0, 0.5, 0.3, 0.0}};
static const int64_t Y[6] = {0, 1, 3, 2, 4, 1};
/* h1_reference.py "== per-position": loss of positions 1..6 */
static const double REF_LOSS[6] = {
    0.5321391161883993154031134095453538785548,
    0.4230004624225251817159683104903712427276,
    0.5921016382679306602451387905578438120805,
    0.5430223197206701836668358246790411911585,
    0.7608971632016559240850221410320050264108,
    1.756324384949341916750562318571259406693};

#define assert_rel(a, b, tol) do { \
    double a_ = (a), b_ = (b); \
    if (!(fabs(a_ - b_) <= (tol) * fabs(b_))) \
        fail_msg("%s = %.17g, expected %.17g (rel tol %g)", #a, a_, b_, (double)(tol)); \
} while (0)

/* xorshift64: reproducible pseudo-random logits in [-a, a). */
static uint64_t S_rng = 88172645463325252ull;
static double S_uniform(double a)
{
    S_rng ^= S_rng << 13;
    S_rng ^= S_rng >> 7;
    S_rng ^= S_rng << 17;
    return ((double)(S_rng >> 11) / 9007199254740992.0 * 2.0 - 1.0) * a;
}

/* The long double reference for one row: lse and -log softmax[y]. */
static void S_ref(const double *z, size_t v, int64_t y, long double *lse, long double *loss)
{
    long double m = z[0];
    for (size_t j = 1; j < v; j++)
        if (z[j] > m)
            m = z[j];
    long double s = 0.0L;
    for (size_t j = 0; j < v; j++)
        s += expl((long double)z[j] - m);
    *lse = m + logl(s);
    *loss = *lse - (long double)z[y];
}

static void test_worked_example(void **state)
{
    (void)state;
    ker_row r[6];
    lb_err e;
    err_clear(&e);
    assert_int_equal(ker_rows(Z, KER_F64, 6, 5, Y, NULL, r, &e), 0);
    for (int n = 0; n < 6; n++) {
        assert_rel(r[n].loss, REF_LOSS[n], 4e-16);
        assert_true(r[n].weight == 1.0);
    }
    assert_true(r[0].zmax == 2.0 && r[1].zmax == 2.1 && r[4].zmax == 2.0);
    double ls, ws;
    ker_total(r, 6, &ls, &ws);
    assert_true(ws == 6.0);
    double want = 0;
    for (int n = 0; n < 6; n++)
        want += REF_LOSS[n];
    assert_rel(ls, want, 4e-16);
}

/* Rows of a real vocabulary size, float64 and float32, against long double:
 * the bound is 2e-13 relative.  Row 3 has its maximum in the last
 * block, row 4 ascends (every block raises the maximum: the rescaling path),
 * row 5 is spread over [-300, 300] (exponents far below 2^-52 of the max). */
static void S_big(ker_dtype dt)
{
    enum { N = 6, V = 50257 };
    double *z = malloc(sizeof(double) * N * V);
    float *zf = malloc(sizeof(float) * N * V);
    assert_non_null(z);
    assert_non_null(zf);
    int64_t y[N] = {7, 50256, 0, 12345, 50000, 3};
    for (size_t i = 0; i < (size_t)N * V; i++)
        z[i] = S_uniform(4.0);
    z[3 * V + V - 2] = 9.5;
    for (size_t j = 0; j < V; j++)
        z[4 * V + j] = -20.0 + 40.0 * (double)j / V;
    for (size_t j = 0; j < V; j++)
        z[5 * V + j] = S_uniform(300.0);
    for (size_t i = 0; i < (size_t)N * V; i++) {   /* the same values in both types */
        zf[i] = (float)z[i];
        if (dt == KER_F32)
            z[i] = zf[i];
    }
    ker_row r[N];
    ker_opts o = ker_opts_default();
    lb_err e;
    err_clear(&e);
    assert_int_equal(ker_rows(dt == KER_F32 ? (const void *)zf : z, dt, N, V, y, &o, r, &e), 0);
    for (int n = 0; n < N; n++) {
        long double lse, loss;
        S_ref(z + (size_t)n * V, V, y[n], &lse, &loss);
        assert_rel(r[n].lse, (double)lse, 2e-13);
        assert_rel(r[n].loss, (double)loss, 2e-13);
    }
    free(z);
    free(zf);
}

static void test_big_rows_f64(void **state)
{
    (void)state;
    S_big(KER_F64);
}

static void test_big_rows_f32(void **state)
{
    (void)state;
    S_big(KER_F32);
}

/* The vectorised exp over its whole domain [-745, 0] against long double:
 * at most 2 ulp (the bound proved in kernel.c), exactly 0 below -708 and for
 * -inf, NaN kept.  Odd lengths exercise the padded tail. */
static void test_exp_range(void **state)
{
    (void)state;
    enum { K = 200003 };
    double *x = malloc(sizeof(double) * K), *y = malloc(sizeof(double) * K);
    assert_true(x && y);
    for (int k = 0; k < K; k++)
        x[k] = -745.0 * k / (K - 1);
    x[7] = -0.0;
    x[8] = 0x1p-60;   /* tiny positive: e^x rounds to 1 */
    ker_exp(x, K, y);
    double worst = 0.0;
    for (int k = 0; k < K; k++) {
        if (x[k] < -708.0) {
            assert_true(y[k] == 0.0);
            continue;
        }
        long double want = expl((long double)x[k]);
        double ulps = (double)(fabsl((long double)y[k] - want) / want) / 0x1p-53;
        if (ulps > worst)
            worst = ulps;
    }
    if (worst > 2.0)
        fail_msg("vectorised exp: %.3f ulp", worst);
    double sp[3] = {-INFINITY, NAN, -708.0}, sy[3];
    ker_exp(sp, 3, sy);
    assert_true(sy[0] == 0.0 && isnan(sy[1]) && sy[2] > 0.0);
    free(x);
    free(y);
}

/* Closed forms worked by hand. */
static void test_closed_forms(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    /* uniform logits: lse = c + ln V, loss ln V for any target, any eps */
    enum { V = 3000 };
    static double u[2][V];
    for (int j = 0; j < V; j++)
        u[0][j] = u[1][j] = 7.25;
    int64_t y[2] = {0, V - 1};
    ker_row r[2];
    ker_opts o = ker_opts_default();
    o.label_smoothing = 0.3;
    assert_int_equal(ker_rows(u, KER_F64, 2, V, y, &o, r, &e), 0);
    for (int n = 0; n < 2; n++) {
        assert_rel(r[n].loss, log((double)V), 3e-16);
        assert_rel(r[n].lse, 7.25 + log((double)V), 3e-16);
        assert_true(r[n].zmax == 7.25);
    }
    /* weight w[y] = 2 doubles the loss and is the row's weight */
    static double w[V];
    for (int j = 0; j < V; j++)
        w[j] = j == 0 ? 2.0 : 1.0;
    o = ker_opts_default();
    o.weight = w;
    assert_int_equal(ker_rows(u, KER_F64, 2, V, y, &o, r, &e), 0);
    assert_rel(r[0].loss, 2.0 * log((double)V), 3e-16);
    assert_true(r[0].weight == 2.0 && r[1].weight == 1.0);
    /* huge logits: lse([1e4, 1e4]) = 1e4 + ln 2, loss ln 2 */
    double big[2] = {1e4, 1e4};
    int64_t y0 = 1;
    assert_int_equal(ker_rows(big, KER_F64, 1, 2, &y0, NULL, r, &e), 0);
    assert_true(r[0].lse == 1e4 + 0.69314718055994530942);
    assert_rel(r[0].loss, 0.69314718055994530942, 2e-16);
}

/* ignore_index, label_smoothing and weight give what numerics.c gives
 * (two-pass, libm exp) on rows spanning several blocks and a ragged tail. */
static void test_options_match_numerics(void **state)
{
    (void)state;
    enum { N = 5, V = 2053 };
    static double z[N * V], w[V], want[N];
    for (size_t i = 0; i < (size_t)N * V; i++)
        z[i] = S_uniform(6.0);
    for (size_t j = 0; j < V; j++)
        w[j] = 0.25 + (double)(j % 7) / 3.0;
    int64_t y[N] = {3, -100, V - 1, 1024, 77};
    double eps[3] = {0.0, 0.1, 1.0};
    for (int wi = 0; wi < 2; wi++)
        for (int k = 0; k < 3; k++) {
            num_ce_opts no = num_ce_opts_default();
            no.reduction = NUM_REDUCTION_NONE;
            no.label_smoothing = eps[k];
            no.weight = wi ? w : NULL;
            lb_err e;
            err_clear(&e);
            assert_int_equal(num_cross_entropy(z, N, V, y, &no, want, &e), 0);
            ker_opts o = ker_opts_default();
            o.label_smoothing = eps[k];
            o.weight = wi ? w : NULL;
            ker_row r[N];
            assert_int_equal(ker_rows(z, KER_F64, N, V, y, &o, r, &e), 0);
            for (int n = 0; n < N; n++) {
                if (y[n] == -100) {
                    assert_true(r[n].loss == 0.0 && r[n].weight == 0.0);
                    assert_true(isfinite(r[n].lse));
                    continue;
                }
                assert_rel(r[n].loss, want[n], 1e-13);
                assert_true(r[n].weight == (wi ? w[y[n]] : 1.0));
            }
            /* the mean as numerics computes it */
            num_ce_opts nm = no;
            nm.reduction = NUM_REDUCTION_MEAN;
            double mean;
            assert_int_equal(num_cross_entropy(z, N, V, y, &nm, &mean, &e), 0);
            double ls, ws;
            ker_total(r, N, &ls, &ws);
            assert_rel(ls / ws, mean, 1e-13);
        }
}

/* Non-finite logits follow numerics.c: -inf at the target gives +inf, a
 * +inf logit gives a NaN loss (inf - inf), a NaN logit a NaN loss. */
static void test_non_finite(void **state)
{
    (void)state;
    double z[4][3] = {{-INFINITY, 1.0, 2.0}, {INFINITY, 0.0, 0.0},
                      {NAN, 0.0, 0.0}, {-INFINITY, -INFINITY, 0.5}};
    int64_t y[4] = {0, 1, 1, 2};
    ker_row r[4];
    lb_err e;
    err_clear(&e);
    assert_int_equal(ker_rows(z, KER_F64, 4, 3, y, NULL, r, &e), 0);
    assert_true(isinf(r[0].loss) && r[0].loss > 0);
    assert_true(isnan(r[1].loss));
    assert_true(isinf(r[1].lse) && r[1].lse > 0);
    assert_true(isnan(r[2].loss));
    assert_true(r[3].loss == 0.0 && r[3].lse == 0.5);
    double want[4];
    num_ce_opts no = num_ce_opts_default();
    no.reduction = NUM_REDUCTION_NONE;
    assert_int_equal(num_cross_entropy(&z[0][0], 4, 3, y, &no, want, &e), 0);
    assert_true(isinf(want[0]) && isnan(want[1]) && isnan(want[2]) && want[3] == 0.0);
}

/* The thread count never changes a bit. */
static void test_threads_bitwise(void **state)
{
    (void)state;
    enum { N = 301, V = 1500 };
    float *z = malloc(sizeof(float) * N * V);
    int64_t *y = malloc(sizeof(int64_t) * N);
    ker_row *a = malloc(sizeof(ker_row) * N), *b = malloc(sizeof(ker_row) * N);
    assert_true(z && y && a && b);
    for (size_t i = 0; i < (size_t)N * V; i++)
        z[i] = (float)S_uniform(5.0);
    for (size_t n = 0; n < N; n++)
        y[n] = (int64_t)(n * 37 % V);
    y[10] = -7;
    ker_opts o = ker_opts_default();
    o.ignore_index = -7;
    o.label_smoothing = 0.05;
    lb_err e;
    err_clear(&e);
    o.threads = 1;
    assert_int_equal(ker_rows(z, KER_F32, N, V, y, &o, a, &e), 0);
    int counts[3] = {2, 3, 0};
    for (int k = 0; k < 3; k++) {
        o.threads = counts[k];
        memset(b, 0xff, sizeof(ker_row) * N);
        assert_int_equal(ker_rows(z, KER_F32, N, V, y, &o, b, &e), 0);
        assert_memory_equal(a, b, sizeof(ker_row) * N);
    }
    assert_true(a[10].loss == 0.0 && a[10].weight == 0.0);
    free(z);
    free(y);
    free(a);
    free(b);
}

/* The AVX-512 path (8 lanes per vector) and the AVX2 path (two 4-lane
 * accumulators) add the same lanes in the same order: the same bits, f64 and
 * f32, with and without label smoothing.  (On a machine without AVX-512
 * both runs take the same path and the check is trivially true.) */
static void test_isa_paths_bitwise(void **state)
{
    (void)state;
    enum { N = 9, V = 3001 };
    double *z = malloc(sizeof(double) * N * V);
    float *zf = malloc(sizeof(float) * N * V);
    int64_t y[N];
    ker_row a[N], b[N];
    assert_true(z && zf);
    for (size_t i = 0; i < (size_t)N * V; i++)
        zf[i] = (float)(z[i] = S_uniform(7.0));
    for (int n = 0; n < N; n++)
        y[n] = n * 331;
    for (int k = 0; k < 4; k++) {
        ker_opts o = ker_opts_default();
        o.label_smoothing = k & 1 ? 0.2 : 0.0;
        o.threads = 1;
        ker_dtype dt = k & 2 ? KER_F32 : KER_F64;
        const void *src = k & 2 ? (const void *)zf : z;
        lb_err e;
        err_clear(&e);
        unsetenv("LB_KERNEL_NO_AVX512");
        assert_int_equal(ker_rows(src, dt, N, V, y, &o, a, &e), 0);
        setenv("LB_KERNEL_NO_AVX512", "1", 1);
        assert_int_equal(ker_rows(src, dt, N, V, y, &o, b, &e), 0);
        unsetenv("LB_KERNEL_NO_AVX512");
        assert_memory_equal(a, b, sizeof a);
    }
    free(z);
    free(zf);
}

/* kernel.h promises "any alignment": a .npy whose header is not padded to
 * 64 bytes is mapped as is, its logits at an odd address (qa sweep,
 * npy-unpadded-header).  Every byte offset gives the bits of the aligned
 * run, f64 and f32, through the vector blocks, the tails (V = 37 is no
 * multiple of 8), label smoothing with weights and the two-pass path of a
 * row holding a NaN.  A plain misaligned load would pass here in a plain
 * build on x86 but stop the test under `make test SANITIZE=1` (UBSan:
 * "load of misaligned address"), which is where this test bites. */
static void test_any_alignment(void **state)
{
    (void)state;
    enum { N = 5, V = 37 };
    double z[N * V], w[V];
    float zf[N * V];
    int64_t y[N] = {0, 36, 5, -100, 17};
    for (size_t i = 0; i < (size_t)N * V; i++)
        zf[i] = (float)(z[i] = S_uniform(6.0));
    z[2 * V + 3] = NAN;
    zf[2 * V + 3] = NAN;
    for (int j = 0; j < V; j++)
        w[j] = 0.5 + (double)(j % 4);
    unsigned char *buf = malloc(sizeof z + 16);
    assert_non_null(buf);
    for (int k = 0; k < 2; k++) {
        ker_dtype dt = k ? KER_F32 : KER_F64;
        const void *src = k ? (const void *)zf : (const void *)z;
        size_t bytes = k ? sizeof zf : sizeof z;
        ker_opts o = ker_opts_default();
        o.label_smoothing = 0.1;
        o.weight = w;
        o.threads = 1;
        ker_row a[N], b[N];
        lb_err e;
        err_clear(&e);
        assert_int_equal(ker_rows(src, dt, N, V, y, &o, a, &e), 0);
        assert_true(isnan(a[2].loss));     /* the NaN row took the two-pass path */
        assert_true(a[3].weight == 0.0);   /* ignored */
        for (size_t off = 1; off < 8; off++) {
            memcpy(buf + off, src, bytes);
            memset(b, 0xff, sizeof b);
            assert_int_equal(ker_rows(buf + off, dt, N, V, y, &o, b, &e), 0);
            assert_memory_equal(a, b, sizeof a);
        }
    }
    free(buf);
}

static void test_bad_input(void **state)
{
    (void)state;
    double z[2][3] = {{0, 1, 2}, {2, 1, 0}};
    int64_t y[2] = {1, 3};
    ker_row r[2] = {{-1, -1, -1, -1}, {-1, -1, -1, -1}};
    lb_err e;
    err_clear(&e);
    assert_int_equal(ker_rows(z, KER_F64, 2, 3, y, NULL, r, &e), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "target 3 of row 1 is out of range"));
    assert_true(r[0].loss == -1.0);   /* nothing written */
    y[1] = 0;
    ker_opts o = ker_opts_default();
    o.label_smoothing = 1.5;
    err_clear(&e);
    assert_int_equal(ker_rows(z, KER_F64, 2, 3, y, &o, r, &e), -1);
    assert_non_null(strstr(e.msg, "label_smoothing"));
    err_clear(&e);
    assert_int_equal(ker_rows(z, KER_F64, 2, 0, y, NULL, r, &e), -1);
    assert_non_null(strstr(e.msg, "at least one class"));
    err_clear(&e);
    assert_int_equal(ker_rows(z, KER_F64, SIZE_MAX / 4, 3, y, NULL, r, &e), -1);
    assert_non_null(strstr(e.msg, "too large"));
    /* n = 0 is fine and writes nothing */
    err_clear(&e);
    assert_int_equal(ker_rows(z, KER_F64, 0, 3, y, NULL, r, &e), 0);
    double ls, ws;
    ker_total(r, 0, &ls, &ws);
    assert_true(ls == 0.0 && ws == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_big_rows_f64),
        cmocka_unit_test(test_big_rows_f32),
        cmocka_unit_test(test_exp_range),
        cmocka_unit_test(test_closed_forms),
        cmocka_unit_test(test_options_match_numerics),
        cmocka_unit_test(test_non_finite),
        cmocka_unit_test(test_threads_bitwise),
        cmocka_unit_test(test_isa_paths_bitwise),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_any_alignment),
    };
    return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}
