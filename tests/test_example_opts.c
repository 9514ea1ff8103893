/* Tests for F.cross_entropy's options in the example model (issue 17):
 * weight, label_smoothing, ignore_index and reduction read from the JSON,
 * the per-row statistics (favourite token, rank, margin), the mean and the
 * gradient-descent step that follow them, and the readers' errors.
 *
 * Reference values: tests/ref/examples_reference.py (mpmath, 50 digits,
 * PyTorch's documented formulas); each constant quotes its section. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compute/example.h"

static const char *S_path(const char *rel)
{
    static char buf[4096];
    const char *r = getenv("LB_ROOT");
    snprintf(buf, sizeof buf, "%s/%s", r && *r ? r : ".", rel);
    return buf;
}

#define assert_close(a, b, tol) do { \
    double a_ = (a), b_ = (b); \
    if (!(fabs(a_ - b_) <= (tol) * fmax(1.0, fabs(b_)))) \
        fail_msg("%s = %.17g, expected %.17g (tol %g)", #a, a_, b_, (double)(tol)); \
} while (0)

static ex_model *S_load(const char *rel)
{
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load(S_path(rel), &e);
    if (!m)
        fail_msg("load %s: %s", rel, e.msg);
    if (ex_compute(m, &e) != 0)
        fail_msg("compute %s: %s", rel, e.msg);
    return m;
}

static void test_options_loss(void **state)
{
    (void)state;
    ex_model *m = S_load("tests/fixtures/json/options.json");
    /* "== per-row loss l_n (reduction='none')" */
    static const double L[4] = {0.7890086502477886421535409327640532075608, 0.0,
                                0.5965765877810341043023372631775608902203,
                                1.103246008462129338960048258980881746364};
    for (int n = 0; n < 4; n++)
        assert_close(m->steps[n].loss, L[n], 1e-14);
    assert_true(m->steps[1].ignored && m->steps[1].loss == 0.0 && m->steps[1].weight == 0.0);
    assert_close(m->loss_sum, 2.488831246490952085415926454922495844145, 1e-14);
    assert_close(m->weight_sum, 2.5, 0);   /* w[3] + w[2] + w[0] = 1 + 0.5 + 1 */
    assert_close(m->loss_mean, 0.9955324985963808341663705819689983376581, 1e-14);
    assert_int_equal(m->n_active, 3);
    /* "== one gradient-descent step on the mean, lr = 1.5" */
    static const double A[4] = {0.6596452683711647579870666964779193487506, 0.0,
                                0.5462259171702495343330043244646651393009,
                                0.8560247137299086510876843344373446111589};
    for (int n = 0; n < 4; n++)
        assert_close(m->steps[n].loss_after, A[n], 1e-13);
    assert_close(m->gd_loss_before, m->loss_mean, 0);
    assert_close(m->gd_loss_after, 0.8247583597085291773631021421519716396841, 1e-13);
    ex_free(m);
}

static void test_row_statistics(void **state)
{
    (void)state;
    ex_model *m = S_load("tests/fixtures/json/options.json");
    /* "== per-row nll = -log p_target, p_target, rank, margin, argmax" */
    assert_close(m->steps[0].nll, 0.6218603953064579090122951848642024949799, 1e-14);
    assert_close(m->steps[0].p_target, 0.5369445786426707935875389279445392907984, 1e-14);
    assert_close(m->steps[2].nll, 0.8828028227218383923349059157039096160352, 1e-14);
    assert_close(m->steps[3].p_target, 0.3460297151617753072820583583601861366825, 1e-14);
    assert_int_equal(m->steps[0].rank, 1);
    assert_close(m->steps[0].margin, 0.5, 0);
    assert_int_equal(m->steps[0].argmax, 3);
    /* row 3: tokens 1 and 2 tie at 1.0; the target 2 ranks first, but the
     * favourite (first maximum, as torch.argmax) is token 1 */
    assert_int_equal(m->steps[2].rank, 1);
    assert_true(m->steps[2].margin == 0.0);
    assert_int_equal(m->steps[2].argmax, 1);
    assert_int_equal(m->steps[2].nmax, 2);
    assert_int_equal(m->steps[1].argmax, 1);
    assert_true(isnan(m->steps[1].p_target));
    assert_int_equal(m->n_correct, 2);      /* rows 1 and 4 */
    /* by -log p_target (0.6219, 0.8828, 1.0612), not by l_n */
    assert_int_equal(m->k_best, 0);
    assert_int_equal(m->k_worst, 3);
    size_t w[3];
    assert_int_equal(ex_worst(m, 5, w), 3);   /* only 3 positions count */
    assert_int_equal(w[0], 3);
    assert_int_equal(w[1], 2);
    assert_int_equal(w[2], 0);
    ex_free(m);
}

/* Gradient rows follow the options: with smoothing and weights the row of
 * position 1 is p * scale - q; it sums to scale - (1-eps) w[y] - eps/C sum w
 * = 0 (softmax sums to 1), and its entries match a central difference of
 * the row loss. */
static void test_gradient_row_with_options(void **state)
{
    (void)state;
    ex_model *m = S_load("tests/fixtures/json/options.json");
    double g[4], sum = 0;
    ex_step_row(m, 0, NULL, NULL, NULL, g, NULL);
    for (int j = 0; j < 4; j++)
        sum += g[j];
    assert_close(sum, 0.0, 1e-15);
    /* central difference on the loss of row 1 with the same options */
    static const double z0[4] = {1.5, -0.5, 0.25, 2.0};
    double w[4] = {1.0, 2.0, 0.5, 1.0};
    for (int j = 0; j < 4; j++) {
        double zp[4], zm[4], lp = 0, lm = 0, h = 1e-5;
        memcpy(zp, z0, sizeof zp);
        memcpy(zm, z0, sizeof zm);
        zp[j] += h;
        zm[j] -= h;
        num_ce_opts o = num_ce_opts_default();
        o.reduction = NUM_REDUCTION_SUM;
        o.label_smoothing = 0.1;
        o.weight = w;
        int64_t y = 3;
        lb_err e;
        err_clear(&e);
        assert_int_equal(num_cross_entropy(zp, 1, 4, &y, &o, &lp, &e), 0);
        assert_int_equal(num_cross_entropy(zm, 1, 4, &y, &o, &lm, &e), 0);
        assert_close(g[j], (lp - lm) / (2 * h), 1e-8);
    }
    ex_step_row(m, 1, NULL, NULL, NULL, g, NULL);   /* ignored row: zero */
    for (int j = 0; j < 4; j++)
        assert_true(g[j] == 0.0);
    ex_free(m);
}

static ex_model *S_load_text(const char *json, lb_err *e)
{
    err_clear(e);
    return ex_load_buf(json, strlen(json), "t.json", e);
}

static void S_expect_error(const char *json, const char *want)
{
    lb_err e;
    ex_model *m = S_load_text(json, &e);
    if (m) {
        if (ex_compute(m, &e) == 0) {
            ex_free(m);
            fail_msg("loaded and computed: %s", json);
        }
        ex_free(m);
    }
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (!strstr(e.msg, want))
        fail_msg("message\n  %s\nlacks\n  %s", e.msg, want);
}

static void test_option_errors(void **state)
{
    (void)state;
    /* positions: line 1, column = 1 + the characters before the key or value (counted with Python str.index) */
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[0]], \"learning_rte\": 2}",
                   "t.json:1:42: unknown key \"learning_rte\" (known keys: logits, targets, tokens, "
                   "learning_rate, ignore_index, label_smoothing, weight, reduction, batch_size, "
                   "seq_length, vocab_size, description; did you mean \"learning_rate\"?)");
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[0]], \"colour\": 1}",
                   "t.json:1:42: unknown key \"colour\" (known keys: ");
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[0]], \"label_smoothing\": 1.5}",
                   "t.json:1:61: \"label_smoothing\": expected a number in [0, 1]");
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[0]], \"reduction\": \"avg\"}",
                   "t.json:1:55: \"reduction\": expected \"mean\", \"sum\" or \"none\"");
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[0]], \"weight\": [1]}",
                   "\"weight\": expected an array of 2 numbers");
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[0]], \"weight\": [1, -2]}",
                   "t.json:1:56: weight[1]: expected a number in [0, 1e9]");
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[0]], \"ignore_index\": 0.5}",
                   "\"ignore_index\": expected an integer");
    /* -100 is allowed by default; -1 only when it is the ignore_index */
    S_expect_error("{\"logits\": [[[1, 2], [3, 4]]], \"targets\": [[0, -1]]}",
                   "t.json:1:48: targets[0][1]: token index -1 out of range (expected 0..1), and not ignore_index (-100)");
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[-100]]}",
                   "every target equals ignore_index (-100)");
    S_expect_error("{\"logits\": [[[1, 2]]], \"targets\": [[1]], \"weight\": [1, 0]}",
                   "the weights of the targets sum to 0");
}

static void test_custom_ignore_index_and_reductions(void **state)
{
    (void)state;
    lb_err e;
    /* ignore_index 7 ignores the second row; the mean is the first row's
     * loss, ln(1 + e) - 2 + ... : row [1, 2], target 1: -log(e^2/(e+e^2))
     * = ln(1 + e^-1) = 0.31326168751822283 (by hand: e^-1 = 0.36787944117144233,
     * ln 1.36787944117144233 = 0.31326168751822283). */
    ex_model *m = S_load_text("{\"logits\": [[[1, 2], [5, 5]]], \"targets\": [[1, 7]], "
                              "\"ignore_index\": 7, \"reduction\": \"sum\"}", &e);
    assert_non_null(m);
    assert_int_equal(ex_compute(m, &e), 0);
    assert_true(m->steps[1].ignored);
    assert_close(m->loss_mean, 0.31326168751822283, 1e-15);
    assert_close(m->loss_sum, 0.31326168751822283, 1e-15);
    assert_int_equal(m->ce.reduction, NUM_REDUCTION_SUM);
    /* 'sum': the step uses the undivided gradient, so the before value is the sum */
    assert_close(m->gd_loss_before, m->loss_sum, 0);
    ex_free(m);
}

static void test_source_example_detected(void **state)
{
    (void)state;
    ex_model *m = S_load("templates/examples/llm-batch.json");
    assert_int_equal(ex_is_source(m), 1);
    ex_free(m);
    m = S_load("tests/fixtures/json/options.json");
    assert_int_equal(ex_is_source(m), 0);
    ex_free(m);
}

static void test_topk(void **state)
{
    (void)state;
    lb_err e;
    ex_model *m = S_load_text("{\"logits\": [[[0.5, 3, -1, 3, 2, 0.5]]], \"targets\": [[2]]}", &e);
    assert_non_null(m);
    size_t idx[6];
    /* largest first, ties by the smaller index: 3 (j=1), 3 (j=3), 2 (j=4) */
    assert_int_equal(ex_topk(m, 0, 3, idx, NULL), 3);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 3);
    assert_int_equal(idx[2], 4);
    assert_int_equal(ex_topk(m, 0, 10, idx, NULL), 6);   /* k > V: all */
    assert_int_equal(idx[3], 0);
    assert_int_equal(idx[4], 5);
    assert_int_equal(idx[5], 2);
    ex_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_loss),
        cmocka_unit_test(test_row_statistics),
        cmocka_unit_test(test_gradient_row_with_options),
        cmocka_unit_test(test_option_errors),
        cmocka_unit_test(test_custom_ignore_index_and_reductions),
        cmocka_unit_test(test_source_example_detected),
        cmocka_unit_test(test_topk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
