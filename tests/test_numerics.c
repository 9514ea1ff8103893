/* Tests for src/compute/numerics.c.
 *
 * Reference values: tests/ref/h1_reference.py (Python decimal, 40 digits, on
 * the exact double values of the inputs; PyTorch's documented formulas
 * written out by hand there).  Each constant below quotes the line of that
 * script's output it comes from.  Nothing is copied from the program. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include "compute/numerics.h"

/* The seed's worked example, [6, 5] after logits.view(-1, 5). */
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
static const double REF_PT[6] = {
    0.5873472209740534937965366116788794715055,
    0.6550783301887606160846032107538345101587,
    0.5531635126422867523172146658788809626964,
    0.5809896596919683833797772527846841299300,
    0.4672470420574496832869410637302979788990,
    0.1726783981147341927508828422385024365897};
/* "mean 0.767914180791753863644440132479312426271 sum 4.6074850847505231818..." */
static const double REF_MEAN = 0.767914180791753863644440132479312426271;
static const double REF_SUM = 4.607485084750523181866640794875874557626;

/* |a - b| <= tol * max(1, |b|): relative for big values, absolute near 0. */
#define assert_close(a, b, tol) do { \
    double a_ = (a), b_ = (b); \
    if (!(fabs(a_ - b_) <= (tol) * fmax(1.0, fabs(b_)))) \
        fail_msg("%s = %.17g, expected %.17g (tol %g)", #a, a_, b_, (double)(tol)); \
} while (0)

static void test_softmax_sums_to_one(void **state)
{
    (void)state;
    double p[5];
    for (int n = 0; n < 6; n++) {
        num_softmax(Z[n], 5, p);
        double s = 0;
        for (int j = 0; j < 5; j++) {
            assert_true(p[j] > 0 && p[j] < 1);
            s += p[j];
        }
        assert_close(s, 1.0, 4e-16);
        assert_close(p[Y[n]], REF_PT[n], 1e-15);
    }
    /* aliasing allowed */
    double z[3] = {1e4, -1e4, 0.0};
    num_softmax(z, 3, z);
    assert_true(z[0] == 1.0 && z[1] == 0.0 && z[2] == 0.0);
}

static void test_losses_and_mean(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    double none[6], mean, sum;
    num_ce_opts o = num_ce_opts_default();
    assert_int_equal(o.reduction, NUM_REDUCTION_MEAN);
    assert_int_equal(o.ignore_index, -100);
    assert_true(o.label_smoothing == 0.0 && o.weight == NULL);
    o.reduction = NUM_REDUCTION_NONE;
    assert_int_equal(num_cross_entropy(&Z[0][0], 6, 5, Y, &o, none, &e), 0);
    for (int n = 0; n < 6; n++)
        assert_close(none[n], REF_LOSS[n], 1e-15);
    assert_int_equal(num_cross_entropy(&Z[0][0], 6, 5, Y, NULL, &mean, &e), 0);
    assert_close(mean, REF_MEAN, 1e-15);
    /* the seed's 0.7643 is wrong: make sure we are not near it */
    assert_true(fabs(mean - 0.7643) > 3e-3);
    o.reduction = NUM_REDUCTION_SUM;
    assert_int_equal(num_cross_entropy(&Z[0][0], 6, 5, Y, &o, &sum, &e), 0);
    assert_close(sum, REF_SUM, 1e-15);
    /* log_softmax agrees with -loss at the target */
    double ls[5];
    num_log_softmax(Z[5], 5, ls);
    assert_close(-ls[1], REF_LOSS[5], 1e-15);
}

static void test_extreme_logits(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    /* "lse([1e4,1e4]) = 10000.69314718055994530941723212145817657": one ulp
     * of 1e4 is 1.8e-12, so allow 2e-12 absolute. */
    double a[2] = {1e4, 1e4}, b[2] = {-1e4, -1e4}, c[2] = {1e4, -1e4};
    assert_true(fabs(num_logsumexp(a, 2) - 10000.69314718055994530941723212145817657) <= 2e-12);
    assert_true(fabs(num_logsumexp(b, 2) - -9999.306852819440054690582767878541823432) <= 2e-12);
    /* 1e4 + ln(1 + e^-2e4) rounds to exactly 1e4 */
    assert_true(num_logsumexp(c, 2) == 1e4);
    double ls[2];
    num_log_softmax(c, 2, ls);
    assert_true(ls[0] == 0.0 && ls[1] == -2e4);

    double out;
    int64_t t1 = 1;
    /* "CE([1e4, 1e4-1], target 1) = 1.3132616875182228340..." (9999 is exact) */
    double d[2] = {1e4, 1e4 - 1};
    assert_int_equal(num_cross_entropy(d, 1, 2, &t1, NULL, &out, &e), 0);
    assert_close(out, 1.313261687518222834048995494967855641915, 1e-15);
    /* p_1 = e^-1e4 underflows to 0, yet the loss is the exact finite 1e4 */
    double f[2] = {0.0, -1e4};
    assert_int_equal(num_cross_entropy(f, 1, 2, &t1, NULL, &out, &e), 0);
    assert_true(out == 1e4);
    assert_int_equal(num_cross_entropy(c, 1, 2, &t1, NULL, &out, &e), 0);
    assert_true(out == 2e4);
    double g[4];
    assert_int_equal(num_ce_grad(c, 1, 2, &t1, NULL, g, &e), 0);
    assert_true(g[0] == 1.0 && g[1] == -1.0);
    for (int i = 0; i < 2; i++)
        assert_false(isnan(ls[i]));
}

static void test_p_zero_is_inf(void **state)
{
    (void)state;
    assert_true(isinf(num_neglog(0.0)) && num_neglog(0.0) > 0);
    assert_true(isinf(num_log(0.0)) && num_log(0.0) < 0);
    assert_true(isinf(num_bce(0.0, 1.0)) && num_bce(0.0, 1.0) > 0);
    assert_true(isinf(num_bce(1.0, 0.0)));
    /* zero at p = 1, and a true +0 (prints as 0, not -0) */
    assert_true(num_neglog(1.0) == 0.0 && !signbit(num_neglog(1.0)));
    assert_true(num_bce(1.0, 1.0) == 0.0 && !signbit(num_bce(1.0, 1.0)));
    /* bce q 0.2 1.609437912434100319089608101968362159088 */
    assert_close(num_bce(0.2, 1.0), 1.609437912434100319089608101968362159088, 1e-15);
    /* y = 0: -log(1 - 0.2); 1 - 0.2 is the double 0.8, and
     * python3 decimal: -Decimal(0.8).ln() = 0.2231435513142097002551438590520090229370 */
    assert_close(num_bce(0.2, 0.0), 0.2231435513142097002551438590520090229370, 1e-15);
    assert_true(num_exp(0.0) == 1.0);
}

/* h1_reference.py "== PyTorch F.cross_entropy formulas on rows 1..3,
 * targets [0, -100, 3]" and weight [0.5, 1, 2, 1.5, 0.25]. */
static const int64_t T3[3] = {0, -100, 3};
static const double W5[5] = {0.5, 1.0, 2.0, 1.5, 0.25};
struct ref3 { double eps; const double *w; double none0, none2, sum, mean; };
static const struct ref3 R3[4] = {
    {0.0, NULL, 0.532139116188399315403113409545353878555,
     0.5921016382679306602451387905578438120799,
     1.124240754456329975648252200103197690635, 0.5621203772281649878241261000515988453175},
    {0.1, NULL, 0.6901391161883993152920911070828382245127,
     0.7341016382679306764543949500851293022649,
     1.424240754456329991746486057167967526778, 0.712120377228164995873243028583983763389},
    {0.0, W5, 0.2660695580941996577015567047726769392775,
     0.8881524574018959903677081858367657181198,
     1.154222015496095648069264890609442657397, 0.5771110077480478240346324453047213286985},
    {0.1, W5, 0.4663372094845616198266833373726400945134,
     0.9910078836798391257557100751637916963377,
     1.457345093164400745582393412536431790851, 0.7286725465822003727911967062682158954255},
};

static void test_ignore_smoothing_weight(void **state)
{
    (void)state;
    lb_err e;
    for (int i = 0; i < 4; i++) {
        err_clear(&e);
        num_ce_opts o = num_ce_opts_default();
        o.label_smoothing = R3[i].eps;
        o.weight = R3[i].w;
        double none[3], s, m;
        o.reduction = NUM_REDUCTION_NONE;
        assert_int_equal(num_cross_entropy(&Z[0][0], 3, 5, T3, &o, none, &e), 0);
        assert_close(none[0], R3[i].none0, 1e-15);
        assert_true(none[1] == 0.0);   /* ignored row contributes 0 */
        assert_close(none[2], R3[i].none2, 1e-15);
        o.reduction = NUM_REDUCTION_SUM;
        assert_int_equal(num_cross_entropy(&Z[0][0], 3, 5, T3, &o, &s, &e), 0);
        assert_close(s, R3[i].sum, 1e-15);
        o.reduction = NUM_REDUCTION_MEAN;
        assert_int_equal(num_cross_entropy(&Z[0][0], 3, 5, T3, &o, &m, &e), 0);
        assert_close(m, R3[i].mean, 1e-15);
    }
    /* a custom ignore_index: ignoring class 3 drops row 3 instead */
    num_ce_opts o = num_ce_opts_default();
    o.ignore_index = 3;
    int64_t t[3] = {0, 1, 3};
    double m;
    err_clear(&e);
    assert_int_equal(num_cross_entropy(&Z[0][0], 3, 5, t, &o, &m, &e), 0);
    assert_close(m, (REF_LOSS[0] + REF_LOSS[1]) / 2, 1e-15);
    /* every row ignored: mean is 0/0 = NaN (as PyTorch), sum is 0 */
    int64_t all[2] = {-100, -100};
    o = num_ce_opts_default();
    assert_int_equal(num_cross_entropy(&Z[0][0], 2, 5, all, &o, &m, &e), 0);
    assert_true(isnan(m));
    o.reduction = NUM_REDUCTION_SUM;
    assert_int_equal(num_cross_entropy(&Z[0][0], 2, 5, all, &o, &m, &e), 0);
    assert_true(m == 0.0);
}

static void test_bad_targets(void **state)
{
    (void)state;
    lb_err e;
    double out;
    int64_t t[2] = {0, 5};
    err_clear(&e);
    assert_int_equal(num_cross_entropy(&Z[0][0], 2, 5, t, NULL, &out, &e), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "target 5 of row 1 is out of range"));
    int64_t neg[1] = {-1};
    err_clear(&e);
    assert_int_equal(num_ce_grad(&Z[0][0], 1, 5, neg, NULL, &out, &e), -1);
    assert_non_null(strstr(e.msg, "target -1 of row 0"));
    num_ce_opts o = num_ce_opts_default();
    o.label_smoothing = 1.5;
    err_clear(&e);
    assert_int_equal(num_cross_entropy(&Z[0][0], 1, 5, Y, &o, &out, &e), -1);
    assert_non_null(strstr(e.msg, "label_smoothing"));
}

/* Loss under opts, for finite differences; for NONE returns row `row`. */
static double S_loss(const double *z, size_t N, const int64_t *t, num_ce_opts o,
                     size_t row)
{
    double out[8];
    lb_err e;
    err_clear(&e);
    assert_int_equal(num_cross_entropy(z, N, 5, t, &o, out, &e), 0);
    return o.reduction == NUM_REDUCTION_NONE ? out[row] : out[0];
}

/* Central differences with h = 1e-5: truncation error h^2/6 |f'''| <= 2e-10
 * (third derivatives of a weighted log-sum-exp are bounded by ~max weight
 * = 2 here), rounding error ~ 2.2e-16 * |f| / h <= 1e-10.  A tolerance of
 * 1e-8 leaves a factor 50 of margin yet catches any wrong term (those are
 * >= 1e-3 here). */
static void test_grad_vs_finite_differences(void **state)
{
    (void)state;
    const double h = 1e-5;
    int64_t t[6] = {0, -100, 3, 2, 4, 1};
    for (int cfg = 0; cfg < 4; cfg++) {
        for (int red = 0; red < 3; red++) {
            num_ce_opts o = num_ce_opts_default();
            o.label_smoothing = R3[cfg].eps;
            o.weight = R3[cfg].w;
            o.reduction = (num_reduction)red;
            double z[30], g[30];
            memcpy(z, Z, sizeof z);
            lb_err e;
            err_clear(&e);
            assert_int_equal(num_ce_grad(z, 6, 5, t, &o, g, &e), 0);
            for (size_t i = 0; i < 30; i++) {
                size_t row = i / 5;
                double keep = z[i];
                z[i] = keep + h;
                double up = S_loss(z, 6, t, o, row);
                z[i] = keep - h;
                double dn = S_loss(z, 6, t, o, row);
                z[i] = keep;
                double fd = (up - dn) / (2 * h);
                if (fabs(fd - g[i]) > 1e-8)
                    fail_msg("cfg %d red %d i %zu: grad %.12g fd %.12g", cfg, red, i, g[i], fd);
                if (t[row] == -100)
                    assert_true(g[i] == 0.0);
            }
        }
    }
}

static void test_grad_is_p_minus_y_over_n(void **state)
{
    (void)state;
    /* "grad row 6 (p - y)" of h1_reference.py, divided by N = 6 for MEAN */
    static const double G6[5] = {
        0.5733124717717678333525707625679730191263, -0.8273216018852658072491171577614975634103,
        0.1047347427266504855699489041346137812341, 0.08574955478601923417163031382571836576448,
        0.06352483260082825415496717723319239728588};
    double g[30];
    lb_err e;
    err_clear(&e);
    assert_int_equal(num_ce_grad(&Z[0][0], 6, 5, Y, NULL, g, &e), 0);
    for (int j = 0; j < 5; j++)
        assert_close(g[25 + j], G6[j] / 6, 1e-15);
    num_ce_opts o = num_ce_opts_default();
    o.reduction = NUM_REDUCTION_SUM;
    assert_int_equal(num_ce_grad(&Z[0][0], 6, 5, Y, &o, g, &e), 0);
    for (int n = 0; n < 6; n++) {
        double s = 0;
        for (int j = 0; j < 5; j++)
            s += g[n * 5 + j];
        assert_close(s, 0.0, 1e-15);   /* p - y sums to 0 */
    }
    /* all rows ignored under MEAN: gradient 0, no NaN */
    int64_t all[6] = {-100, -100, -100, -100, -100, -100};
    assert_int_equal(num_ce_grad(&Z[0][0], 6, 5, all, NULL, g, &e), 0);
    for (int i = 0; i < 30; i++)
        assert_true(g[i] == 0.0);
}

/* The row sum of softmax is exactly 1 (a gradient row p - y exactly 0).
 * Adding the rounded p_j does not give that: for z = (2, 1, 0.1, 0, -1)
 * the naive left-to-right sum is 1.0000000000000002 (python3:
 * sum(p) with p = [math.exp(x - 2) / s ...], s = sum of the exponentials),
 * which is what the tables printed before.  Random rows: V from 2 to 60,
 * logits spread over +-30. */
static void test_softmax_total(void **state)
{
    (void)state;
    const double z[5] = {2.0, 1.0, 0.1, 0.0, -1.0};
    double p[5];
    num_softmax(z, 5, p);
    double naive = 0.0;
    for (int j = 0; j < 5; j++)
        naive += p[j];
    assert_true(naive != 1.0);   /* the problem this function solves */
    assert_true(num_softmax_total(z, 5) == 1.0);
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    double row[60];
    int inexact_naive = 0;
    for (int t = 0; t < 5000; t++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        size_t V = 2 + (size_t)(x % 59);
        for (size_t j = 0; j < V; j++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            row[j] = ((double)(x >> 11) / 9007199254740992.0 - 0.5) * 60.0;
        }
        if (num_softmax_total(row, V) != 1.0)
            fail_msg("row %d (V = %zu): softmax total %.17g", t, V, num_softmax_total(row, V));
        double q[60], s = 0.0;
        num_softmax(row, V, q);
        for (size_t j = 0; j < V; j++)
            s += q[j];
        inexact_naive += s != 1.0;
    }
    assert_true(inexact_naive > 100);   /* naive sums are often off */
    const double bad[2] = {1.0, INFINITY};
    assert_true(isnan(num_softmax_total(bad, 2)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_softmax_total),
        cmocka_unit_test(test_softmax_sums_to_one),
        cmocka_unit_test(test_losses_and_mean),
        cmocka_unit_test(test_extreme_logits),
        cmocka_unit_test(test_p_zero_is_inf),
        cmocka_unit_test(test_ignore_smoothing_weight),
        cmocka_unit_test(test_bad_targets),
        cmocka_unit_test(test_grad_vs_finite_differences),
        cmocka_unit_test(test_grad_is_p_minus_y_over_n),
    };
    return cmocka_run_group_tests_name("numerics", tests, NULL, NULL);
}
