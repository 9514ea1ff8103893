/* Tests for src/compute/randce.c: the expected loss of random logits.
 *
 * References, each derived without the program's integral:
 * - V = 2, by quadrature (mpmath at 30 digits): averaged over the two
 *   targets the loss is LSE(z1, z2) - (z1 + z2)/2 = log(2 cosh(x)) with
 *   x = (z1 - z2)/2 ~ N(0, sigma^2/2), so
 *     L(2, 1) = E log(2 cosh x), x ~ N(0, 1/2) = 0.902661907720026927043160728077
 *     L(2, 2) = E log(2 cosh x), x ~ N(0, 2)   = 1.33539604624822515812515081436
 *   (quad(log(2*cosh(x)) * normal pdf, [-inf, 0, inf])).
 * - V = 3, by a Gauss-Hermite product rule in three dimensions over
 *   E log(e^{z1} + e^{z2} + e^{z3}) (mpmath.gauss_quadrature, 30 digits):
 *   sigma = 1: 1.390001694392331419 with 40 nodes per axis,
 *              1.390001694392331421 with 60;
 *   sigma = 2: 2.020750920766397 (60), 2.020750920772142 (80),
 *              2.020750920772247 (100): the steps shrink 50-fold, so the
 *              100-node value is within about 3e-15.
 * - Large V, the expansion of E log(1 + eps), eps = S / (V E e^z) - 1:
 *   L = ln V + sigma^2/2 - (e^{sigma^2} - 1)/(2V) + O(V^-2), the next term
 *   (e^{3 sigma^2} - 3 e^{sigma^2} + 2)/(3 V^2) - 3 (e^{sigma^2} - 1)^2/(4 V^2):
 *   for V = 50257, sigma = 1 it is 9.6e-10; for V = 10^7, sigma = 2, 5.2e-10. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include "compute/randce.h"

static double S_loss(size_t V, double sigma)
{
    rce_val r;
    lb_err e;
    err_clear(&e);
    assert_int_equal(rce_loss(V, sigma, &r, &e), 0);
    assert_true(r.V == V && r.sigma == sigma);
    assert_true(r.lnv == log((double)V));
    assert_true(r.bound == log((double)V) + sigma * sigma / 2.0);
    return r.loss;
}

static void test_small_v_matches_quadrature(void **state)
{
    (void)state;
    double d;
    if ((d = fabs(S_loss(2, 1.0) - 0.902661907720026927043160728077)) > 1e-13)
        fail_msg("L(2, 1) off by %.3g", d);
    if ((d = fabs(S_loss(2, 2.0) - 1.33539604624822515812515081436)) > 1e-13)
        fail_msg("L(2, 2) off by %.3g", d);
    if ((d = fabs(S_loss(3, 1.0) - 1.390001694392331421)) > 1e-13)
        fail_msg("L(3, 1) off by %.3g", d);
    if ((d = fabs(S_loss(3, 2.0) - 2.020750920772247)) > 1e-13)
        fail_msg("L(3, 2) off by %.3g", d);
}

static void test_large_v_expansion(void **state)
{
    (void)state;
    static const struct { size_t V; double sigma, tol; } c[] = {
        {50257, 1.0, 2e-9},       /* next term 9.6e-10 */
        {10000000, 2.0, 1.5e-9},  /* next term 5.2e-10 */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        double s2 = c[i].sigma * c[i].sigma, V = (double)c[i].V;
        double approx = log(V) + s2 / 2.0 - expm1(s2) / (2.0 * V);
        double d = fabs(S_loss(c[i].V, c[i].sigma) - approx);
        if (d > c[i].tol)
            fail_msg("V = %zu, sigma = %g: %.3g from the expansion", c[i].V, c[i].sigma, d);
    }
}

/* ln V < L(V, sigma) < ln V + sigma^2/2 (Jensen both ways, randce.h), the
 * gap to the upper bound shrinks as V grows (the sum of V exponentials
 * concentrates), and sigma = 0 is the uniform guess exactly. */
static void test_bounds(void **state)
{
    (void)state;
    static const size_t Vs[] = {2, 3, 11, 100, 1000, 10000, 50257, 262144};
    for (int s = 1; s <= 3; s++) {
        double gap = INFINITY;
        for (size_t i = 0; i < sizeof Vs / sizeof Vs[0]; i++) {
            double L = S_loss(Vs[i], s), lnv = log((double)Vs[i]), g = lnv + s * s / 2.0 - L;
            assert_true(L > lnv);
            assert_true(g > 0 && g < gap);
            gap = g;
        }
    }
    assert_true(S_loss(50257, 0.0) == log(50257.0));
}

/* Several at once, on two threads: the same bits as one by one; bad
 * arguments are an error, not a number, and the first failing job's
 * error is the one reported. */
static void test_all_and_errors(void **state)
{
    (void)state;
    rce_job jobs[5] = {{2, 1.0, {0}}, {57, 1.5, {0}}, {1000, 2.0, {0}}, {50257, 0.5, {0}},
                       {7, 10.0, {0}}};
    lb_err e;
    err_clear(&e);
    assert_int_equal(rce_loss_all(jobs, 5, &e), 0);
    for (size_t i = 0; i < 5; i++) {
        double one = S_loss(jobs[i].V, jobs[i].sigma);
        assert_memory_equal(&jobs[i].out.loss, &one, sizeof one);
    }
    rce_val r;
    err_clear(&e);
    assert_int_equal(rce_loss(1, 1.0, &r, &e), -1);
    assert_true(e.code != 0);
    err_clear(&e);
    assert_int_equal(rce_loss(5, -1.0, &r, &e), -1);
    err_clear(&e);
    assert_int_equal(rce_loss(5, NAN, &r, &e), -1);
    err_clear(&e);
    assert_int_equal(rce_loss(5, RCE_SIGMA_MAX * 2, &r, &e), -1);
    rce_job bad[3] = {{5, 1.0, {0}}, {1, 1.0, {0}}, {5, -2.0, {0}}};
    err_clear(&e);
    assert_int_equal(rce_loss_all(bad, 3, &e), -1);
    assert_true(e.code != 0 && strstr(e.msg, "V = 1,") != NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_v_matches_quadrature),
        cmocka_unit_test(test_large_v_expansion),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_all_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
