/* Tests for src/compute/randce.c: the loss of random logits against ln V.
 *
 * Exact values for V = 2 (by quadrature, mpmath at 30 digits): averaged over
 * the two targets the loss is LSE(z1, z2) - (z1 + z2)/2 = log(2 cosh(x)) with
 * x = (z1 - z2)/2 ~ N(0, sigma^2/2), so
 *   L(2, 1) = E log(2 cosh x), x ~ N(0, 1/2) = 0.902661907720026927043160728077
 *   L(2, 2) = E log(2 cosh x), x ~ N(0, 2)   = 1.33539604624822515812515081436
 *   (quad(log(2*cosh(x)) * normal pdf, [-inf, 0, inf])).
 * A Monte Carlo estimate is checked to lie within 4 standard errors of the
 * exact value (the seed is fixed, so the check is deterministic). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include "compute/randce.h"

static void test_v2_matches_quadrature(void **state)
{
    (void)state;
    static const double exact[2] = {0.902661907720026927043160728077,
                                    1.33539604624822515812515081436};
    for (int s = 1; s <= 2; s++) {
        rce_est r;
        lb_err e;
        err_clear(&e);
        assert_int_equal(rce_estimate(2, s, 4096, RCE_SEED, &r, &e), 0);
        assert_true(r.se > 0 && r.se < 0.02);
        if (fabs(r.mean - exact[s - 1]) > 4 * r.se)
            fail_msg("sigma %d: %.6f vs exact %.6f (se %.6f)", s, r.mean, exact[s - 1], r.se);
        assert_true(r.lnv == log(2.0));
        assert_true(r.bound == log(2.0) + s * s / 2.0);
    }
}

/* ln V <= L(V, sigma) <= ln V + sigma^2/2 (Jensen both ways, randce.h); the
 * estimate respects both up to its noise, and approaches the upper bound
 * for a large vocabulary: at V = 10 000, sigma = 1 the gap to the bound is
 * below 0.01 (E of the sum of V lognormals concentrates: its relative sd is
 * sqrt((e - 1)/V) = 0.013, so log loses about half its square, 1e-4). */
static void test_bounds(void **state)
{
    (void)state;
    static const size_t Vs[] = {3, 11, 100, 10000};
    for (size_t i = 0; i < sizeof Vs / sizeof Vs[0]; i++) {
        rce_est r;
        lb_err e;
        err_clear(&e);
        assert_int_equal(rce_estimate(Vs[i], 1.0, rce_rows_for(Vs[i], 1000000), RCE_SEED, &r, &e), 0);
        assert_true(r.mean > r.lnv);
        assert_true(r.mean < r.bound + 4 * r.se);
    }
    rce_est r;
    lb_err e;
    err_clear(&e);
    assert_int_equal(rce_estimate(10000, 1.0, 400, RCE_SEED, &r, &e), 0);
    assert_true(fabs(r.mean - r.bound) < 0.01);
    /* sigma = 0: every logit 0, the uniform guess exactly */
    assert_int_equal(rce_estimate(50257, 0.0, 8, RCE_SEED, &r, &e), 0);
    assert_true(r.mean == log(50257.0) && r.se == 0.0);
}

static void test_reproducible(void **state)
{
    (void)state;
    rce_est a, b, c;
    lb_err e;
    err_clear(&e);
    assert_int_equal(rce_estimate(57, 1.5, 64, RCE_SEED, &a, &e), 0);
    assert_int_equal(rce_estimate(57, 1.5, 64, RCE_SEED, &b, &e), 0);
    assert_int_equal(rce_estimate(57, 1.5, 64, RCE_SEED + 1, &c, &e), 0);
    assert_memory_equal(&a.mean, &b.mean, sizeof a.mean);
    assert_true(a.mean != c.mean);
    assert_int_equal(rce_estimate(1, 1.0, 64, RCE_SEED, &a, &e), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v2_matches_quadrature),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_reproducible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
