/* Tests for src/compute/npy.c and ex_load_npy (example_npy.c): .npy files
 * written byte by byte here (the format of numpy.lib.format: magic, version,
 * little-endian header length, a Python dict literal padded to a multiple of
 * 64 bytes, C-order data), valid ones of every version and element type, and
 * each kind of malformed file.  Expected losses are checked against the same
 * example given as JSON (the float32 values used are exact binary fractions,
 * so the two inputs hold identical numbers). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "compute/example.h"
#include "compute/npy.h"

/* ---- building .npy bytes ------------------------------------------------------ */

typedef struct S_buf {
    unsigned char *p;
    size_t len;
} S_buf;

/* magic + version + header (dict text padded with spaces to a multiple of
 * 64 bytes including the preamble, ending in '\n') + data. */
static S_buf S_npy(int major, const char *dict, const void *data, size_t dlen)
{
    size_t pre = major == 1 ? 10 : 12;
    size_t dl = strlen(dict);
    size_t hl = dl + 1;
    while ((pre + hl) % 64)
        hl++;
    S_buf b;
    b.len = pre + hl + dlen;
    b.p = malloc(b.len ? b.len : 1);
    assert_non_null(b.p);
    memcpy(b.p, "\x93NUMPY", 6);
    b.p[6] = (unsigned char)major;
    b.p[7] = 0;
    if (major == 1) {
        b.p[8] = (unsigned char)(hl & 0xff);
        b.p[9] = (unsigned char)(hl >> 8);
    } else {
        for (int i = 0; i < 4; i++)
            b.p[8 + i] = (unsigned char)(hl >> (8 * i));
    }
    memcpy(b.p + pre, dict, dl);
    memset(b.p + pre + dl, ' ', hl - dl - 1);
    b.p[pre + hl - 1] = '\n';
    if (dlen)
        memcpy(b.p + pre + hl, data, dlen);
    return b;
}

static char S_dir[256];

/* Paths handed out stay valid until teardown. */
static char *S_paths[128];
static size_t S_npaths;

static const char *S_write(const char *name, S_buf b)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", S_dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.p, 1, b.len, f), b.len);
    assert_int_equal(fclose(f), 0);
    free(b.p);
    for (size_t i = 0; i < S_npaths; i++)
        if (!strcmp(S_paths[i], p))
            return S_paths[i];
    assert_true(S_npaths < 128);
    S_paths[S_npaths] = strdup(p);
    return S_paths[S_npaths++];
}

static int S_setup(void **state)
{
    (void)state;
    snprintf(S_dir, sizeof S_dir, "/tmp/lb-npy-XXXXXX");
    return mkdtemp(S_dir) ? 0 : -1;
}

static int S_teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
    for (size_t i = 0; i < S_npaths; i++)
        free(S_paths[i]);
    return system(cmd) == 0 ? 0 : -1;
}

/* The logits of a 2 x 3 x 4 example; binary fractions, exact in float32. */
static const float S_Z[24] = {
    1.5f, -0.5f, 0.25f, 2.0f,   0.0f, 3.0f, -1.0f, 0.5f,   -2.0f, 1.0f, 1.0f, 0.0f,
    0.75f, 0.75f, -0.25f, 0.125f,   4.0f, -4.0f, 0.0f, 1.0f,   0.5f, 0.5f, 0.5f, 0.5f};
static const int64_t S_Y[6] = {3, 1, 2, 0, 3, 1};

static const char *S_json =
    "{\"logits\": [[[1.5, -0.5, 0.25, 2.0], [0.0, 3.0, -1.0, 0.5], [-2.0, 1.0, 1.0, 0.0]],"
    " [[0.75, 0.75, -0.25, 0.125], [4.0, -4.0, 0.0, 1.0], [0.5, 0.5, 0.5, 0.5]]],"
    " \"targets\": [[3, 1, 2], [0, 3, 1]]}";

static void S_close(double a, double b, double rel)
{
    if (!(fabs(a - b) <= rel * fmax(1.0, fabs(b))))
        fail_msg("%.17g vs %.17g (relative tolerance %g)", a, b, rel);
}

static void S_same_as_json(ex_model *m)
{
    lb_err e;
    err_clear(&e);
    ex_model *j = ex_load_buf(S_json, strlen(S_json), "j.json", &e);
    assert_non_null(j);
    assert_int_equal(ex_compute(j, &e), 0);
    assert_int_equal(ex_compute(m, &e), 0);
    assert_int_equal(m->N, 6);
    assert_int_equal(m->V, 4);
    /* An example JSON could hold is computed the same way whichever reader
     * it came from (qa row 8: the kernel's exp made the .npy files differ
     * in the last digit): the same numbers give identical doubles. */
    double g1[4], g2[4], buf[4];
    for (size_t n = 0; n < 6; n++) {
        assert_true(m->steps[n].loss == j->steps[n].loss);
        assert_true(m->steps[n].p_target == j->steps[n].p_target);
        assert_true(m->steps[n].loss_after == j->steps[n].loss_after);
        assert_true(m->steps[n].argmax == j->steps[n].argmax && m->steps[n].rank == j->steps[n].rank);
        ex_step_row(m, n, NULL, NULL, NULL, g1, buf);
        ex_step_row(j, n, NULL, NULL, NULL, g2, buf);
        assert_memory_equal(g1, g2, sizeof g1);
    }
    assert_true(m->loss_mean == j->loss_mean);
    assert_true(m->gd_loss_after == j->gd_loss_after);
    ex_free(j);
}

static void test_valid_versions_and_types(void **state)
{
    (void)state;
    double z64[24];
    int32_t y32[6];
    for (int i = 0; i < 24; i++)
        z64[i] = S_Z[i];
    for (int i = 0; i < 6; i++)
        y32[i] = (int32_t)S_Y[i];
    static const struct { int lmaj, tmaj, f64, i32, three; } cases[] = {
        {1, 1, 0, 0, 0}, {2, 1, 1, 0, 1}, {3, 2, 0, 1, 1}, {1, 3, 1, 1, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char dict[200];
        snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                 cases[c].f64 ? "<f8" : "<f4", cases[c].three ? "(2, 3, 4)" : "(6, 4)");
        const char *lp = S_write("l.npy", S_npy(cases[c].lmaj, dict, cases[c].f64 ? (const void *)z64 : (const void *)S_Z,
                                               cases[c].f64 ? sizeof z64 : sizeof S_Z));
        snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                 cases[c].i32 ? "<i4" : "<i8", cases[c].three ? "(2, 3)" : "(6,)");
        const char *tp = S_write("t.npy", S_npy(cases[c].tmaj, dict, cases[c].i32 ? (const void *)y32 : (const void *)S_Y,
                                               cases[c].i32 ? sizeof y32 : sizeof S_Y));
        lb_err e;
        err_clear(&e);
        ex_model *m = ex_load_npy(lp, tp, NULL, &e);
        if (!m)
            fail_msg("case %zu: %s", c, e.msg);
        assert_int_equal(m->dtype, cases[c].f64 ? EX_F64 : EX_F32);
        assert_int_equal(m->B, cases[c].three ? 2 : 1);
        assert_int_equal(m->T, cases[c].three ? 3 : 6);
        S_same_as_json(m);
        ex_free(m);
    }
}

/* More logits than a JSON example may hold (3 x 700001 > EX_MAX_LOGITS):
 * the streaming kernel computes the losses.  Reference: the two-pass
 * log-sum-exp in long double over the same float32 values; the kernel's
 * loss is within 1e-12 relative of it (kernel.h promises 2e-13). */
static void test_kernel_path(void **state)
{
    (void)state;
    enum { N = 3, V = 700001 };
    float *z = malloc((size_t)N * V * sizeof *z);
    assert_non_null(z);
    for (size_t n = 0; n < N; n++)
        for (size_t j = 0; j < V; j++)   /* a few large logits among small ones */
            z[n * V + j] = (float)((double)((j * 7919 + n * 31) % 1000) / 125.0 - 4.0);
    int64_t y[N] = {5, 699999, 123456};
    char dict[200];
    snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", N, V);
    const char *lp = S_write("big.npy", S_npy(1, dict, z, (size_t)N * V * sizeof *z));
    const char *tp = S_write("bigt.npy", S_npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                                                y, sizeof y));
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load_npy(lp, tp, NULL, &e);
    if (!m)
        fail_msg("%s", e.msg);
    assert_int_equal(ex_compute(m, &e), 0);
    for (size_t n = 0; n < N; n++) {
        long double mx = -INFINITY, s = 0;
        for (size_t j = 0; j < V; j++)
            if (z[n * V + j] > mx)
                mx = z[n * V + j];
        for (size_t j = 0; j < V; j++)
            s += expl((long double)z[n * V + j] - mx);
        double want = (double)(mx + logl(s) - (long double)z[n * V + (size_t)y[n]]);
        S_close(m->steps[n].loss, want, 1e-12);
    }
    ex_free(m);
    free(z);
}

/* Key order and quoting are free; Python 2's 50257L sizes are read. */
static void test_header_variants(void **state)
{
    (void)state;
    S_buf b = S_npy(1, "{\"shape\": (6L, 4L), \"fortran_order\": False, \"descr\": \"<f4\"}", S_Z, sizeof S_Z);
    lb_err e;
    err_clear(&e);
    npy *f = npy_open_buf(b.p, b.len, "v.npy", &e);
    if (!f)
        fail_msg("%s", e.msg);
    assert_int_equal(f->ndim, 2);
    assert_int_equal(f->shape[0], 6);
    assert_int_equal(f->shape[1], 4);
    assert_true(npy_get_f(f, 23) == 0.5);
    assert_int_equal(f->data_offset % 64, 0);
    npy_free(f);
    free(b.p);
}

static void S_bad_buf(S_buf b, const char *want)
{
    lb_err e;
    err_clear(&e);
    npy *f = npy_open_buf(b.p, b.len, "bad.npy", &e);
    free(b.p);
    if (f) {
        npy_free(f);
        fail_msg("accepted; expected: %s", want);
    }
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (!strstr(e.msg, want))
        fail_msg("message\n  %s\nlacks\n  %s", e.msg, want);
}

static void test_malformed_headers(void **state)
{
    (void)state;
    const char *ok_tail = "'fortran_order': False, 'shape': (6, 4), }";
    char d[256];
    S_buf b;
    /* not .npy at all */
    b.p = (unsigned char *)strdup("PK\x03\x04 this is a zip file, not npy");
    b.len = strlen((char *)b.p);
    S_bad_buf(b, "bad.npy: not a NumPy .npy file (expected the magic string");
    b.p = (unsigned char *)strdup("\x93NUM");
    b.len = 4;
    S_bad_buf(b, "the file is too short");
    /* version 4.0 and 1.1 */
    snprintf(d, sizeof d, "{'descr': '<f4', %s", ok_tail);
    b = S_npy(1, d, S_Z, sizeof S_Z);
    b.p[6] = 4;
    S_bad_buf(b, "bad.npy: .npy format version 4.0 is not supported (expected 1.0, 2.0 or 3.0)");
    b = S_npy(1, d, S_Z, sizeof S_Z);
    b.p[7] = 1;
    S_bad_buf(b, "version 1.1 is not supported");
    /* header length beyond the file: a 59-byte dict padded so that 10 + 118
     * bytes make a multiple of 64 */
    b = S_npy(1, d, NULL, 0);
    b.len = 40;
    S_bad_buf(b, "bad.npy: truncated header (expected 118 header bytes, the file has 30)");
    /* the dict itself */
    b = S_npy(1, "['descr', '<f4']", S_Z, sizeof S_Z);
    S_bad_buf(b, "bad.npy: header byte 10: expected '{' (the header is a Python dict)");
    b = S_npy(1, "{'descr': '<f4', 'shape': (6, 4), }", S_Z, sizeof S_Z);
    S_bad_buf(b, "bad.npy: header lacks 'fortran_order'");
    snprintf(d, sizeof d, "{'descr': '<f4', 'descr': '<f4', %s", ok_tail);
    b = S_npy(1, d, S_Z, sizeof S_Z);
    S_bad_buf(b, "bad.npy: header byte 27: duplicate key in the header dict");
    snprintf(d, sizeof d, "{'descr': '<f4', 'align': True, %s", ok_tail);
    b = S_npy(1, d, S_Z, sizeof S_Z);
    S_bad_buf(b, "header byte 27: unknown key 'align'");
    b = S_npy(1, "{'descr': '<f4' 'fortran_order': False, 'shape': (6, 4)}", S_Z, sizeof S_Z);
    S_bad_buf(b, "header byte 26: expected ',' or '}' in the header dict");
    b = S_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), } x", S_Z, sizeof S_Z);
    S_bad_buf(b, "unexpected text after the header dict");
    /* element types */
    snprintf(d, sizeof d, "{'descr': '>f4', %s", ok_tail);
    b = S_npy(1, d, S_Z, sizeof S_Z);
    S_bad_buf(b, "big-endian data ('>f4') is not supported: save arr.astype('<f4') instead");
    snprintf(d, sizeof d, "{'descr': '|O', %s", ok_tail);
    b = S_npy(1, d, S_Z, sizeof S_Z);
    S_bad_buf(b, "object array ('|O')");
    snprintf(d, sizeof d, "{'descr': [('x', '<f4')], %s", ok_tail);
    b = S_npy(1, d, S_Z, sizeof S_Z);
    S_bad_buf(b, "structured dtype");
    snprintf(d, sizeof d, "{'descr': '<f2', %s", ok_tail);
    b = S_npy(1, d, S_Z, sizeof S_Z);
    S_bad_buf(b, "element type '<f2' is not supported");
    /* order and shape */
    b = S_npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (6, 4), }", S_Z, sizeof S_Z);
    S_bad_buf(b, "Fortran-order array ('fortran_order': True)");
    b = S_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 0), }", NULL, 0);
    S_bad_buf(b, "bad.npy: shape [6, 0] holds no elements");
    b = S_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6, -4), }", S_Z, sizeof S_Z);
    S_bad_buf(b, "negative size in 'shape'");
    b = S_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6 4), }", S_Z, sizeof S_Z);
    S_bad_buf(b, "expected ',' or ')' in 'shape'");
    /* a non-ASCII byte in a version 1.0 header */
    b = S_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), '\xc3\xa9': 1}", S_Z, sizeof S_Z);
    S_bad_buf(b, "byte 0xC3 (expected ASCII text)");
}

static void test_data_size(void **state)
{
    (void)state;
    const char *d = "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), }";
    /* 13 floats and 2 bytes: the file ends inside element 13 = [3, 1] */
    S_buf b = S_npy(1, d, S_Z, sizeof S_Z);
    b.len -= 4 * 11 - 2;
    S_bad_buf(b, "bad.npy: element [3, 1] (index 13): truncated data: shape [6, 4] needs 96 bytes of '<f4' (float32), the file has 54");
    b = S_npy(1, d, S_Z, sizeof S_Z);
    unsigned char *p = realloc(b.p, b.len + 3);
    assert_non_null(p);
    b.p = p;
    b.len += 3;
    S_bad_buf(b, "bad.npy: 3 bytes after the data (shape [6, 4] of '<f4' (float32) needs exactly 96)");
}

static void S_bad_load(const char *lp, const char *tp, const ex_npy_opts *o, const char *want)
{
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load_npy(lp, tp, o, &e);
    if (m) {
        ex_free(m);
        fail_msg("accepted; expected: %s", want);
    }
    assert_int_equal(e.code, LB_EXIT_INPUT);
    if (!strstr(e.msg, want))
        fail_msg("message\n  %s\nlacks\n  %s", e.msg, want);
}

static void test_example_errors(void **state)
{
    (void)state;
    float z[24];
    memcpy(z, S_Z, sizeof z);
    const char *l24 = "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), }";
    const char *t6 = "{'descr': '<i8', 'fortran_order': False, 'shape': (6,), }";
    const char *tp = S_write("t.npy", S_npy(1, t6, S_Y, sizeof S_Y));
    /* a NaN logit, named by its element */
    z[17] = NAN;
    const char *lp = S_write("l.npy", S_npy(1, l24, z, sizeof z));
    S_bad_load(lp, tp, NULL, "l.npy: element [4, 1] (index 17): logit NaN (expected a finite number with |z| <= 1e9)");
    z[17] = INFINITY;
    lp = S_write("l.npy", S_npy(1, l24, z, sizeof z));
    S_bad_load(lp, tp, NULL, "element [4, 1] (index 17): logit infinite");
    /* logits of the wrong rank or type, V = 1 */
    lp = S_write("l.npy", S_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (24,), }", S_Z, sizeof S_Z));
    S_bad_load(lp, tp, NULL, "l.npy: logits of shape [24] (expected [N, V] or [B, T, V])");
    lp = S_write("l.npy", S_npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (6, 4), }", S_Z, sizeof S_Z));
    S_bad_load(lp, tp, NULL, "l.npy: logits of type '<i4' (int32) (expected '<f4' float32 or '<f8' float64)");
    lp = S_write("l.npy", S_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (24, 1), }", S_Z, sizeof S_Z));
    S_bad_load(lp, tp, NULL, "vocabulary size V = 1 (expected 2..");
    /* targets: shape, type, range */
    lp = S_write("l.npy", S_npy(1, l24, S_Z, sizeof S_Z));
    tp = S_write("t.npy", S_npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", S_Y, sizeof S_Y));
    S_bad_load(lp, tp, NULL, "t.npy: targets of shape [2, 3] do not match the logits [6, 4] (expected [6])");
    tp = S_write("t.npy", S_npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }", S_Y, sizeof S_Y));
    S_bad_load(lp, tp, NULL, "t.npy: targets of type '<f8' (float64) (expected '<i4' int32 or '<i8' int64");
    int64_t y[6];
    memcpy(y, S_Y, sizeof y);
    y[4] = 4;
    tp = S_write("t.npy", S_npy(1, t6, y, sizeof y));
    S_bad_load(lp, tp, NULL, "t.npy: element [4] (index 4): target 4 out of range (expected 0..3), and not ignore_index (-100)");
    y[4] = -1;
    tp = S_write("t.npy", S_npy(1, t6, y, sizeof y));
    ex_npy_opts o = ex_npy_opts_default();
    o.ignore_index = -1;   /* now allowed */
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load_npy(lp, tp, &o, &e);
    if (!m)
        fail_msg("%s", e.msg);
    assert_int_equal(ex_compute(m, &e), 0);
    assert_true(m->steps[4].ignored);
    assert_int_equal(m->n_active, 5);
    ex_free(m);
    /* missing file */
    S_bad_load("/nonexistent/l.npy", tp, NULL, "/nonexistent/l.npy: cannot open: No such file or directory");
}

static void test_vocab_file(void **state)
{
    (void)state;
    const char *lp = S_write("l.npy", S_npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), }", S_Z, sizeof S_Z));
    const char *tp = S_write("t.npy", S_npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (6,), }", S_Y, sizeof S_Y));
    char vp[512];
    snprintf(vp, sizeof vp, "%s/vocab.txt", S_dir);
    ex_npy_opts o = ex_npy_opts_default();
    o.vocab_path = vp;
    FILE *f = fopen(vp, "wb");
    fputs("the\r\ncat\nsat\n\xe7\x8c\xab\n", f);   /* CRLF is fine; 猫 in UTF-8 */
    fclose(f);
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load_npy(lp, tp, &o, &e);
    if (!m)
        fail_msg("%s", e.msg);
    assert_string_equal(ex_token_name(m, 0), "the");
    assert_string_equal(ex_token_name(m, 3), "\xe7\x8c\xab");
    ex_free(m);
    f = fopen(vp, "wb");
    fputs("the\ncat\n", f);
    fclose(f);
    char want[600];
    snprintf(want, sizeof want, "%s:3:1: 2 names, expected 4", vp);
    S_bad_load(lp, tp, &o, want);
    f = fopen(vp, "wb");
    fputs("the\ncat\n$x$\nmat\n", f);
    fclose(f);
    snprintf(want, sizeof want, "%s:3:1: token 2: token name contains '$'", vp);
    S_bad_load(lp, tp, &o, want);
    f = fopen(vp, "wb");
    fputs("a\nb\nc\nd\ne\n", f);
    fclose(f);
    snprintf(want, sizeof want, "%s:5:1: more names than the vocabulary size V = 4", vp);
    S_bad_load(lp, tp, &o, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_versions_and_types),
        cmocka_unit_test(test_header_variants),
        cmocka_unit_test(test_kernel_path),
        cmocka_unit_test(test_malformed_headers),
        cmocka_unit_test(test_data_size),
        cmocka_unit_test(test_example_errors),
        cmocka_unit_test(test_vocab_file),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
