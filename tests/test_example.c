/* Tests for src/compute/example.c and src/base/jsonpos.c.
 *
 * Reference values: tests/ref/h1_reference.py (python3 decimal, 40 digits);
 * each constant quotes its line.  Error positions (LINE:COL) of the fixtures
 * in tests/fixtures/json/ were counted by hand from the fixture text (column
 * = 1 + bytes before the character on its line). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testkit.h"
#include "compute/example.h"
#include "base/jsonpos.h"

#define assert_close(a, b, tol) do { \
    double a_ = (a), b_ = (b); \
    if (!(fabs(a_ - b_) <= (tol) * fmax(1.0, fabs(b_)))) \
        fail_msg("%s = %.17g, expected %.17g (tol %g)", #a, a_, b_, (double)(tol)); \
} while (0)

/* h1_reference.py "== per-position (sumexp, p_target, loss)" */
static const double REF_SUMEXP[6] = {
    12.58038828663678541513287752554791083613, 12.46594420275598414461795558971942649957,
    16.31527259692978281652124513950395705906, 17.16757310294106484533938687186736863455,
    15.81402434650862816383871649625892198762, 15.74187540616929900084246199768318497719};
static const double REF_PT[6] = {
    0.5873472209740534937965366116788794715055, 0.6550783301887606160846032107538345101587,
    0.5531635126422867523172146658788809626964, 0.5809896596919683833797772527846841299300,
    0.4672470420574496832869410637302979788990, 0.1726783981147341927508828422385024365897};
static const double REF_LOSS[6] = {
    0.5321391161883993154031134095453538785548, 0.4230004624225251817159683104903712427276,
    0.5921016382679306602451387905578438120805, 0.5430223197206701836668358246790411911585,
    0.7608971632016559240850221410320050264108, 1.756324384949341916750562318571259406693};
static const double REF_LSE[6] = {
    2.532139116188399315403113409545353878555, 2.523000462422525270533810280502894476618,
    2.792101638267930837880822730582890279861, 2.843022319720670006031151884653994723377,
    2.760897163201655924085022141032005026411, 2.756324384949341916750562318571259406693};
/* "== gradient-descent step, lr = 2" */
static const double REF_AFTER[6] = {
    0.4591558050413055830529382338101086368715, 0.3737808295496915970480422517239429531204,
    0.5087697054442864298006280223902967150753, 0.4639112912896238698223503435233331410724,
    0.6380186583927737550864812986151636218057, 1.426900410392870290417693908847667673463};

static ex_model *S_load_default(void)
{
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load(tk_src("templates/examples/llm-batch.json"), &e);
    if (!m)
        fail_msg("load failed: %s", e.msg);
    assert_int_equal(ex_compute(m, &e), 0);
    return m;
}

static void test_default_loads(void **state)
{
    (void)state;
    ex_model *m = S_load_default();
    assert_int_equal(m->B, 2);
    assert_int_equal(m->T, 3);
    assert_int_equal(m->V, 5);
    assert_int_equal(m->N, 6);
    static const int64_t y[6] = {0, 1, 3, 2, 4, 1};
    for (int n = 0; n < 6; n++)
        assert_int_equal(m->targets[n], y[n]);
    /* row n = b*T + t: [1][1] (second sequence, second token) is row 4 */
    double zbuf[5];
    const double *z = ex_row(m, 4, zbuf);
    assert_true(z[0] == 0.3 && z[4] == 2.0);
    assert_non_null(m->tokens);
    assert_string_equal(ex_token_name(m, 0), "the");
    assert_null(ex_token_name(m, 5));
    assert_true(m->lr == 2.0);
    ex_free(m);
}

static void test_default_computes(void **state)
{
    (void)state;
    ex_model *m = S_load_default();
    double expz[5], exps[5], p[5], g[5];
    for (size_t n = 0; n < 6; n++) {
        const ex_step *s = &m->steps[n];
        assert_int_equal(s->n, n);
        assert_int_equal(s->b, n / 3);
        assert_int_equal(s->t, n % 3);
        assert_close(s->sumexp, REF_SUMEXP[n], 1e-15);
        assert_close(s->p_target, REF_PT[n], 1e-15);
        assert_close(s->loss, REF_LOSS[n], 1e-15);
        assert_close(s->lse, REF_LSE[n], 1e-15);
        assert_close(s->loss_after, REF_AFTER[n], 1e-14);
        assert_true(s->loss_after < s->loss);
        ex_step_row(m, n, expz, exps, p, g, NULL);
        double se = 0, ss = 0, sp = 0, sg = 0, mx = 0;
        for (int j = 0; j < 5; j++) {
            se += expz[j];
            ss += exps[j];
            sp += p[j];
            sg += g[j];
            mx = fmax(mx, exps[j]);
        }
        assert_close(se, REF_SUMEXP[n], 1e-15);
        assert_close(ss, s->sumexp_shift, 1e-15);
        assert_true(mx == 1.0);          /* e^{m - m} */
        assert_close(sp, 1.0, 4e-16);
        assert_close(sg, 0.0, 1e-15);
        assert_close(p[s->target] - 1.0, g[s->target], 1e-16);
        assert_true(p[s->target] == s->p_target);
    }
    /* "mean 0.767914180791753863644440132479312426271 sum 4.6074850847505231818..." */
    assert_close(m->loss_mean, 0.767914180791753863644440132479312426271, 1e-15);
    assert_close(m->loss_sum, 4.607485084750523181866640794875874557626, 1e-15);
    assert_true(m->gd_loss_before == m->loss_mean);
    /* "after mean 0.6450894500184252542046890098184187902347" */
    assert_close(m->gd_loss_after, 0.6450894500184252542046890098184187902347, 1e-14);
    /* "grad row 6 (p - y)" j = 1 */
    ex_step_row(m, 5, NULL, NULL, NULL, g, NULL);
    assert_close(g[1], -0.8273216018852658072491171577614975634103, 1e-15);
    /* the step really is z - lr (p - y) / N */
    double za[5];
    ex_step_after(m, 5, za, NULL);
    assert_close(za[1], 1.0 - 2.0 * -0.8273216018852658072491171577614975634103 / 6, 1e-15);
    assert_int_equal(ex_compute(m, NULL), 0);   /* idempotent */
    ex_free(m);
}

static void test_fixed_examples(void **state)
{
    (void)state;
    ex_model *m = S_load_default();
    /* tests/ref/examples_reference.py "== confidence scenarios at position 1":
     * the target's logit as given (2), 3 above the strongest other (1 + 3),
     * level with it (1), 1 below it (0) */
    static const char *const NAME[4] = {"given", "lead", "level", "trail"};
    static const double ZT[4] = {2.0, 4.0, 1.0, 0.0};
    static const double P[4] = {0.5873472209740534937965366116788794715057,
                                0.9131731536237361335666533183027643132458,
                                0.3436680756992172798782499068498797765338,
                                0.1615161276575754469120107397541304082405};
    static const double L[4] = {0.5321391161883993154031134095453538785543,
                                0.09082976289295332223668034700939534446063,
                                1.068078983643969341958643233423995502566,
                                1.823150279648455232300105242614522062381};
    for (int i = 0; i < EX_NSCEN; i++) {
        assert_string_equal(m->scen[i].name, NAME[i]);
        assert_true(m->scen[i].z_target == ZT[i] && m->scen[i].z_rival == 1.0);
        assert_close(m->scen[i].p_target, P[i], 1e-15);
        assert_close(m->scen[i].loss, L[i], 1e-15);
    }
    /* "logp P ..." */
    static const double LOGP[8] = {
        -4.605170185988091347219301197647043498926, -2.302585092994045628506840223426538727163,
        -1.609437912434100319089608101968362159088, -1.203972804325936029630180371933723868516,
        -0.6931471805599453094172321214581765680755, -0.3566749439387324423539544041072745145718,
        -0.1053605156578262765558782113913899821255, 0.0};
    static const double PP[8] = {0.01, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0};
    for (int i = 0; i < 8; i++) {
        assert_true(m->logp[i].p == PP[i]);
        assert_close(m->logp[i].logp, LOGP[i], 1e-15);
        assert_close(m->logp[i].neglogp, -LOGP[i], 1e-15);
    }
    assert_true(m->logp[7].neglogp == 0.0 && !signbit(m->logp[7].neglogp));
    /* "bce q 0.7 / 0.9 / 0.2" (true label 1) */
    assert_true(m->bce[0].q == 0.7 && m->bce[1].q == 0.9 && m->bce[2].q == 0.2);
    assert_close(m->bce[0].loss, 0.3566749439387324423539544041072745145718, 1e-15);
    assert_close(m->bce[1].loss, 0.1053605156578262765558782113913899821255, 1e-15);
    assert_close(m->bce[2].loss, 1.609437912434100319089608101968362159088, 1e-15);
    /* "multiclass c=2 ... c=0 ..." */
    assert_int_equal(m->multi[0].true_class, 2);
    assert_close(m->multi[0].loss, 0.3566749439387324423539544041072745145718, 1e-15);
    assert_int_equal(m->multi[1].true_class, 0);
    assert_close(m->multi[1].loss, 2.302585092994045628506840223426538727163, 1e-15);
    ex_free(m);
}

struct bad { const char *file; const char *where; const char *what; };
static const struct bad BAD[] = {
    {"syntax_empty.json", "1:1", "invalid JSON: expected a JSON value (number, string, array, object, true, false or null), found end of input"},
    {"syntax_trailing_comma.json", "2:22", "invalid JSON: expected a JSON value (number, string, array, object, true, false or null), found ']'"},
    {"syntax_unterminated_string.json", "2:13", "invalid JSON: unterminated string"},
    {"syntax_nan.json", "1:15", "invalid JSON: expected a JSON value or ']', found 'N'"},
    {"syntax_trailing_garbage.json", "2:1", "invalid JSON: expected end of input after the top-level object"},
    {"syntax_missing_colon.json", "2:12", "invalid JSON: expected ':' after the member name, found '['"},
    {"not_object.json", "1:1", "expected a JSON object at top level"},
    {"missing_logits.json", "1:1", "missing key \"logits\""},
    {"missing_targets.json", "1:1", "missing key \"targets\""},
    {"logits_not_array.json", "2:13", "\"logits\" must be a non-empty array"},
    {"ragged_vocab.json", "4:17", "logits[1][1] has 2 values, expected 3"},
    {"ragged_seq.json", "4:5", "logits[1] has 1 rows, expected 2"},
    {"vocab_one.json", "2:15", "logits[0][0] has 1 value, expected at least 2"},
    {"non_number.json", "2:19", "logits[0][0][1]: expected a number"},
    {"huge_logit.json", "2:19", "logits[0][0][1]: logit out of range"},
    {"big_logit.json", "3:16", "logits[0][1][0]: logit out of range (expected a finite number with |z| <= 1e9)"},
    {"target_out_of_range.json", "3:19", "targets[0][1]: token index 5 out of range (expected 0..4)"},
    {"target_negative.json", "3:16", "targets[0][0]: token index -1 out of range (expected 0..1)"},
    {"target_fraction.json", "3:19", "targets[0][1]: expected an integer token index in 0..1, got a non-integer"},
    {"target_huge.json", "3:16", "targets[0][0]: token index 100000000000000000000 out of range"},
    {"target_string.json", "3:16", "targets[0][0]: expected an integer token index in 0..1"},
    {"targets_rows.json", "3:14", "\"targets\" has 1 rows, expected 2"},
    {"targets_cols.json", "3:15", "targets[0] has 1 entries, expected 2"},
    {"tokens_count.json", "4:13", "\"tokens\" has 2 names, expected 3"},
    {"token_dollar.json", "4:19", "tokens[1]: token name contains '$'"},
    {"token_not_string.json", "4:19", "tokens[1]: expected a string"},
    {"lr_negative.json", "4:20", "\"learning_rate\": expected a number in (0, 1e6]"},
    {"vocab_mismatch.json", "4:17", "\"vocab_size\": expected 2"},
};

static void test_bad_fixtures(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        char rel[256], path[4400], want[5000];
        snprintf(rel, sizeof rel, "tests/fixtures/json/%s", BAD[i].file);
        snprintf(path, sizeof path, "%s", tk_src(rel));
        snprintf(want, sizeof want, "%s:%s: %s", path, BAD[i].where, BAD[i].what);
        lb_err e;
        err_clear(&e);
        ex_model *m = ex_load(path, &e);
        if (m)
            fail_msg("%s loaded", BAD[i].file);
        if (e.code != LB_EXIT_INPUT || strncmp(e.msg, want, strlen(want)) != 0)
            fail_msg("%s:\n got  [%d] %s\n want [2] %s", BAD[i].file, e.code, e.msg, want);
    }
}

static void test_files(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    assert_null(ex_load("/nonexistent/example.json", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_string_equal(e.msg, "/nonexistent/example.json: cannot open: No such file or directory");
    err_clear(&e);
    assert_null(ex_load(tk_src("tests/fixtures/json"), &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "not a regular file"));
    /* strings that would inject gnuplot commands are ordinary names here */
    err_clear(&e);
    ex_model *m = ex_load(tk_src("tests/fixtures/json/good_injection_tokens.json"), &e);
    assert_non_null(m);
    assert_string_equal(ex_token_name(m, 0), "`touch /tmp/pwned`");
    assert_string_equal(ex_token_name(m, 1), "\"; system(\"id\")");
    ex_free(m);
    /* no tokens: names are NULL; default learning rate 1 */
    m = ex_load(tk_src("tests/fixtures/json/good_minimal.json"), &e);
    assert_non_null(m);
    assert_null(m->tokens);
    assert_null(ex_token_name(m, 0));
    assert_true(m->lr == 1.0);
    assert_int_equal(ex_compute(m, &e), 0);
    /* logits [0, 0], target 1: loss = ln 2 (by hand) */
    assert_close(m->loss_mean, 0.6931471805599453094172321214581765680755, 1e-15);
    ex_free(m);
}

static void test_buffers(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    /* not NUL-terminated: only `len` bytes are read */
    const char txt[] = "{\"logits\": [[[0, 0]]], \"targets\": [[1]]}XXXX";
    ex_model *m = ex_load_buf(txt, sizeof txt - 5, "mem", &e);
    assert_non_null(m);
    ex_free(m);
    /* a NUL byte in the middle */
    const char nul[] = "{\"logits\": [[[0, 0]]], \0 \"targets\": [[1]]}";
    err_clear(&e);
    assert_null(ex_load_buf(nul, sizeof nul - 1, "mem", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_string_equal(e.msg, "mem:1:24: invalid JSON: NUL byte (expected UTF-8 text)");
    /* a syntax error before the NUL is reported first */
    err_clear(&e);
    assert_null(ex_load_buf("\xff\n\0", 3, "mem", &e));
    assert_string_equal(e.msg, "mem:1:1: invalid JSON: expected a JSON value (number, string, "
                               "array, object, true, false or null), found byte 0xFF");
    /* extreme logits: exact, no NaN */
    const char ext[] = "{\"logits\": [[[1e4, -1e4]]], \"targets\": [[1]]}";
    err_clear(&e);
    m = ex_load_buf(ext, sizeof ext - 1, "mem", &e);
    assert_non_null(m);
    assert_int_equal(ex_compute(m, &e), 0);
    assert_true(m->steps[0].loss == 2e4);
    assert_true(m->steps[0].lse == 1e4);
    assert_true(m->steps[0].p_target == 0.0);
    assert_true(isinf(m->steps[0].sumexp));   /* e^1e4 is not a double */
    assert_false(isnan(m->steps[0].loss_after));
    assert_true(m->steps[0].loss_after < 2e4);
    ex_free(m);
}

/* Deep nesting, binary garbage: an error, never a crash. */
static void test_hostile(void **state)
{
    (void)state;
    size_t n = 100000;
    char *deep = malloc(2 * n + 1);
    assert_non_null(deep);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    lb_err e;
    err_clear(&e);
    assert_null(ex_load_buf(deep, 2 * n, "deep", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "deep:1:"));
    free(deep);
    unsigned char garbage[4096];
    unsigned x = 12345;
    for (size_t i = 0; i < sizeof garbage; i++) {
        x = x * 1103515245u + 12345u;
        garbage[i] = (unsigned char)(x >> 16);
    }
    err_clear(&e);
    assert_null(ex_load_buf((const char *)garbage, sizeof garbage, "bin", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "invalid JSON"));
}

/* Append text to a growing buffer (test helper). */
typedef struct { char *p; size_t len, cap; } S_buf;
static void S_put(S_buf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->len + l + 1 > b->cap) {
        b->cap = (b->len + l + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, s, l + 1);
    b->len += l;
}

/* 100 000 positions (B = 1000, T = 100, V = 5), every row [1, 0, 0, 0, 0],
 * targets alternating 0, 1.  By hand: loss = ln(e + 4) - 1 for target 0 and
 * ln(e + 4) for target 1, so the mean is ln(e + 4) - 1/2
 * (python3 decimal: 1.404832441554448025034678713142176944515). */
static void test_100k_positions(void **state)
{
    (void)state;
    S_buf b = {0};
    S_put(&b, "{\"logits\": [");
    for (int s = 0; s < 1000; s++) {
        S_put(&b, s ? ",[" : "[");
        for (int t = 0; t < 100; t++)
            S_put(&b, t ? ",[1,0,0,0,0]" : "[1,0,0,0,0]");
        S_put(&b, "]");
    }
    S_put(&b, "], \"targets\": [");
    for (int s = 0; s < 1000; s++) {
        S_put(&b, s ? ",[" : "[");
        for (int t = 0; t < 100; t++)
            S_put(&b, t ? (t % 2 ? ",1" : ",0") : "0");
        S_put(&b, "]");
    }
    S_put(&b, "]}");
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load_buf(b.p, b.len, "big", &e);
    if (!m)
        fail_msg("%s", e.msg);
    assert_int_equal(m->N, 100000);
    assert_int_equal(ex_compute(m, &e), 0);
    /* compensated summation keeps the mean of 1e5 terms within a few ulps */
    assert_close(m->loss_mean, 1.404832441554448025034678713142176944515, 1e-15);
    assert_true(m->gd_loss_after < m->loss_mean);
    ex_free(m);
    free(b.p);
}

static void test_limits(void **state)
{
    (void)state;
    lb_err e;
    S_buf b = {0};
    /* V = 1 000 001 */
    S_put(&b, "{\"logits\": [[[0");
    for (int i = 0; i < 1000000; i++)
        S_put(&b, ",0");
    S_put(&b, "]]], \"targets\": [[0]]}");
    err_clear(&e);
    assert_null(ex_load_buf(b.p, b.len, "wide", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_string_equal(e.msg, "wide:1:14: vocabulary too large: V = 1000001 exceeds the limit of 1000000");
    /* B*T*V = 2*2*600000 = 2.4e6 > 2e6 logits */
    b.len = 0;
    S_put(&b, "{\"logits\": [");
    for (int s = 0; s < 2; s++) {
        S_put(&b, s ? ",[" : "[");
        for (int t = 0; t < 2; t++) {
            S_put(&b, t ? ",[0" : "[0");
            for (int j = 1; j < 600000; j++)
                S_put(&b, ",0");
            S_put(&b, "]");
        }
        S_put(&b, "]");
    }
    S_put(&b, "], \"targets\": [[0,0],[0,0]]}");
    err_clear(&e);
    assert_null(ex_load_buf(b.p, b.len, "many", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_string_equal(e.msg, "many:1:14: too many logits: B*T*V = 2*2*600000 exceeds the limit of 2000000");
    /* more than 3e6 values: refused before parsing */
    b.len = 0;
    S_put(&b, "[0");
    for (int i = 0; i < 3000001; i++)
        S_put(&b, ",0");
    S_put(&b, "]");
    err_clear(&e);
    assert_null(ex_load_buf(b.p, b.len, "huge", &e));
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "huge:1:"));
    assert_non_null(strstr(e.msg, "too many values"));
    free(b.p);
}

/* The position finder on tricky but valid JSON (offsets counted by hand). */
static void test_jsonpos(void **state)
{
    (void)state;
    /* {"s": "x]}[\"", "a": [1, [2, 3]], "a": 9}  -- brackets inside a string */
    const char *j = "{\"s\": \"x]}[\\\"\", \"a\": [1, [2, 3]], \"a\": 9}";
    size_t len = strlen(j);
    jpos_step p1[] = {{"a", 0}, {NULL, 1}, {NULL, 1}};
    /* first "a" (cJSON's lookup also takes the first); [1][1] is the 3 */
    assert_int_equal(jpos_find(j, len, p1, 3), (size_t)(strchr(j, '3') - j));
    jpos_step p2[] = {{"s", 0}};
    assert_int_equal(jpos_find(j, len, p2, 1), 6);
    jpos_step p3[] = {{"zz", 0}};
    assert_int_equal(jpos_find(j, len, p3, 1), 0);   /* missing: the object */
    jpos_step p4[] = {{"a", 0}, {NULL, 7}};
    assert_int_equal(jpos_find(j, len, p4, 2), (size_t)(strstr(j, "[1") - j)); /* no [7]: the array */
    size_t w;
    assert_string_equal(jpos_expect("{\"a\" 1}", 8, 5, &w), "expected ':' after the member name");
    assert_string_equal(jpos_expect("[1 2]", 5, 3, &w), "expected ',' or ']'");
    assert_string_equal(jpos_expect("{\"a\":1 2}", 9, 7, &w), "expected ',' or '}'");
    assert_string_equal(jpos_expect("{\"a\":1,}", 8, 7, &w), "expected a quoted member name");
    assert_string_equal(jpos_expect("[\"abc", 5, 2, &w), "unterminated string (expected a closing '\"')");
    assert_int_equal(w, 1);
    assert_string_equal(jpos_expect("{} x", 4, 3, &w), "expected end of input");
    size_t where;
    assert_int_equal(jpos_count_commas("[1,\",,\",2,3]", 13, 10, &where), 3);
    assert_int_equal(jpos_count_commas("[1,2,3,4]", 9, 2, &where), 3);
    assert_int_equal(where, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_loads),
        cmocka_unit_test(test_default_computes),
        cmocka_unit_test(test_fixed_examples),
        cmocka_unit_test(test_bad_fixtures),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_buffers),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_100k_positions),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_jsonpos),
    };
    return cmocka_run_group_tests_name("example", tests, NULL, NULL);
}
