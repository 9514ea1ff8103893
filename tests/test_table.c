/* Tests for src/compute/table.c.
 *
 * Expected strings are derived by hand from the exact binary value of each
 * double, printed with python3:  from decimal import Decimal; Decimal(x)
 * (e.g. Decimal(2.675) = 2.67499999999999982236431605997495353221893310546875,
 * so 2 decimals give 2.67; Decimal(0.76795) = 0.76795000000000002149..., so 4
 * decimals give 0.7680; 0.125 and 2.5 are exact ties, rounded half-to-even). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"
#include "compute/table.h"

static const char *S_fmt(double v, int d)
{
    static char buf[128];
    tbl_fmt_fixed(v, d, buf, sizeof buf);
    return buf;
}

static void test_fmt_fixed(void **state)
{
    (void)state;
    assert_string_equal(S_fmt(0.76791418, 4), "0.7679");
    assert_string_equal(S_fmt(0.76795, 4), "0.7680");
    assert_string_equal(S_fmt(2.675, 2), "2.67");
    assert_string_equal(S_fmt(0.125, 2), "0.12");
    assert_string_equal(S_fmt(1.0005, 3), "1.000");
    assert_string_equal(S_fmt(2.5, 0), "2");
    assert_string_equal(S_fmt(3.5, 0), "4");
    assert_string_equal(S_fmt(-0.00005, 4), "-0.0001");
    assert_string_equal(S_fmt(17.167573102941063, 4), "17.1676");
    /* no negative zero */
    assert_string_equal(S_fmt(-0.0, 4), "0.0000");
    assert_string_equal(S_fmt(-0.00004, 4), "0.0000");
    assert_string_equal(S_fmt(-1e-300, 0), "0");
    assert_string_equal(S_fmt(-1.25, 2), "-1.25");
    /* infinities and NaN */
    assert_string_equal(S_fmt(INFINITY, 4), "$+\\infty$");
    assert_string_equal(S_fmt(-INFINITY, 4), "$-\\infty$");
    assert_string_equal(S_fmt(NAN, 4), "NaN");
    /* huge value does not overflow the buffer logic */
    char big[400];
    int r = tbl_fmt_fixed(1e308, 17, big, sizeof big);
    assert_int_equal(r, 309 + 1 + 17);
    assert_int_equal((int)strlen(big), r);
    /* snprintf-like truncation */
    char small[4];
    assert_int_equal(tbl_fmt_fixed(123.456, 2, small, sizeof small), 6);
    assert_string_equal(small, "123");
}

/* Scientific notation from 1e9 (tables and values): by hand, e^{119.54}
 * = 8.2331e51 (mpmath: 8.23308059312762e51), rounded to 4 decimals of the
 * mantissa; 9.99996e9 rounds up to 1.0000 x 10^10; below 1e9 fixed as
 * before; tbl_fmt_sci for small numbers keeps a negative exponent. */
static void test_fmt_num(void **state)
{
    (void)state;
    char b[96];
    tbl_fmt_num(8.23308059312762e51, 4, b, sizeof b);
    assert_string_equal(b, "$8.2331 \\times 10^{51}$");
    tbl_fmt_num(-9.99996e9, 4, b, sizeof b);
    assert_string_equal(b, "$-1.0000 \\times 10^{10}$");
    tbl_fmt_num(999999999.5, 1, b, sizeof b);
    assert_string_equal(b, "999999999.5");
    tbl_fmt_num(1e9, 0, b, sizeof b);              /* at least one decimal */
    assert_string_equal(b, "$1.0 \\times 10^{9}$");
    tbl_fmt_num(INFINITY, 4, b, sizeof b);
    assert_string_equal(b, "$+\\infty$");
    tbl_fmt_sci(1.4e-17, 1, b, sizeof b);
    assert_string_equal(b, "$1.4 \\times 10^{-17}$");
    tbl_fmt_sci(0.0, 1, b, sizeof b);
    assert_string_equal(b, "0.0");
}

static void test_fmt_g17(void **state)
{
    (void)state;
    char b[64];
    tbl_fmt_g17(0.1, b, sizeof b);
    assert_string_equal(b, "0.10000000000000001");
    assert_true(strtod(b, NULL) == 0.1);
    tbl_fmt_g17(INFINITY, b, sizeof b);
    assert_string_equal(b, "inf");
    tbl_fmt_g17(-INFINITY, b, sizeof b);
    assert_string_equal(b, "-inf");
    tbl_fmt_g17(NAN, b, sizeof b);
    assert_string_equal(b, "nan");
}

/* A German LC_NUMERIC writes 1,5.  We build de_DE with localedef into a
 * temporary LOCPATH (no locales package needed); skip if impossible. */
static void test_locale_independent(void **state)
{
    (void)state;
    char *dir = tk_tmpdir_new("loc");
    tk_result r = {0};
    int made = dir && tk_cmd(&r, NULL, "localedef", "-i", "de_DE", "-f", "UTF-8",
                             tk_path("%s/de_DE.UTF-8", dir), NULL) == 0;
    tk_result_free(&r);
    if (!made) {
        tk_tmpdir_free(dir);
        skip();
        return;
    }
    setenv("LOCPATH", dir, 1);
    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        unsetenv("LOCPATH");
        tk_tmpdir_free(dir);
        skip();
    }
    char b[64];
    snprintf(b, sizeof b, "%.1f", 1.5);
    int german = strcmp(b, "1,5") == 0;   /* the locale really is active */
    tbl_fmt_fixed(1.5, 4, b, sizeof b);
    char g[64];
    tbl_fmt_g17(0.25, g, sizeof g);
    char c[64];
    tbl_snprintf_c(c, sizeof c, "%.2f %g", 2.5, 0.125);
    setlocale(LC_ALL, "C");
    unsetenv("LOCPATH");
    tk_tmpdir_free(dir);
    assert_true(german);
    assert_string_equal(b, "1.5000");
    assert_string_equal(g, "0.25");
    assert_string_equal(c, "2.50 0.125");
}

static tbl *S_sample(lb_err *e)
{
    tbl *t = tbl_new("demo/1", 3, e);
    assert_non_null(t);
    assert_int_equal(tbl_set_caption(t, "Demo with $z_j$", e), 0);
    assert_int_equal(tbl_set_header(t, 0, "name", TBL_LEFT, e), 0);
    assert_int_equal(tbl_set_header(t, 1, "$e^{z_j}$", TBL_DECIMAL, e), 0);
    assert_int_equal(tbl_set_header(t, 2, "n, count", TBL_RIGHT, e), 0);
    static const char *const names[] = {"plain", "with, comma", "say \"hi\"", "two\nlines", "last"};
    static const double vals[] = {0.1, 1.0 / 3.0, INFINITY, -INFINITY, -2.5e-300};
    for (int i = 0; i < 5; i++) {
        long r = tbl_add_row(t, e);
        assert_int_equal(r, i);
        assert_int_equal(tbl_set_text(t, (size_t)r, 0, names[i], e), 0);
        assert_int_equal(tbl_set_num(t, (size_t)r, 1, vals[i], 4, e), 0);
        assert_int_equal(tbl_set_int(t, (size_t)r, 2, (long long)i - 2, e), 0);
    }
    tbl_mark_row(t, 1, 1);
    tbl_mark_cell(t, 1, 1, 1);
    tbl_total_row(t, 4, 1);
    return t;
}

static void test_model(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    tbl *t = S_sample(&e);
    assert_int_equal(t->ncols, 3);
    assert_int_equal(t->nrows, 5);
    assert_string_equal(t->name, "demo/1");
    assert_string_equal(t->caption, "Demo with $z_j$");
    assert_string_equal(t->note, "");
    assert_int_equal(t->align[1], TBL_DECIMAL);
    const tbl_cell *c = tbl_cell_at(t, 1, 1);
    assert_non_null(c);
    assert_true(c->has_value && c->mark && c->value == 1.0 / 3.0);
    assert_string_equal(c->text, "0.3333");
    assert_string_equal(tbl_cell_at(t, 2, 1)->text, "$+\\infty$");
    assert_string_equal(tbl_cell_at(t, 4, 1)->text, "0.0000");
    assert_true(tbl_cell_at(t, 0, 2)->is_int);
    assert_string_equal(tbl_cell_at(t, 0, 2)->text, "-2");
    assert_true(t->rows[1].mark && !t->rows[0].mark && t->rows[4].total);
    assert_null(tbl_cell_at(t, 5, 0));
    assert_null(tbl_cell_at(t, 0, 3));
    assert_int_equal(tbl_set_text(t, 9, 0, "x", &e), -1);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    /* many rows (realloc path) */
    for (int i = 0; i < 1000; i++)
        assert_true(tbl_add_row(t, NULL) >= 0);
    assert_int_equal(t->nrows, 1005);
    assert_string_equal(tbl_cell_at(t, 1004, 2)->text, "");
    tbl_free(t);
    err_clear(&e);
    assert_null(tbl_new("x", 0, &e));
    tbl_free(NULL);
}

/* CSV headers and text cells are plain text: the PDF's TeX headers lose
 * $, backslashes, \text and braces; a superscript group becomes (...).
 * Expected strings written by hand from those rules. */
static void test_csv_plain_headers(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    tbl *t = tbl_new("plain", 4, &e);
    assert_non_null(t);
    assert_int_equal(tbl_set_header(t, 0, "$-\\log p_{\\text{target}}$", TBL_DECIMAL, &e), 0);
    assert_int_equal(tbl_set_header(t, 1, "$e^{z_j - m}$", TBL_DECIMAL, &e), 0);
    assert_int_equal(tbl_set_header(t, 2, "$\\sum_j e^{z_j}$", TBL_DECIMAL, &e), 0);
    assert_int_equal(tbl_set_header(t, 3, "cost, in $\\mathrm{nats}$", TBL_LEFT, &e), 0);
    long r = tbl_add_row(t, &e);
    assert_true(r == 0);
    assert_int_equal(tbl_set_text(t, 0, 3, "$+\\infty$", &e), 0);
    char path[] = "/tmp/lb-plain-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(tbl_write_csv(t, path, &e), 0);
    char *got = tk_read_file(path, NULL);
    assert_non_null(got);
    assert_string_equal(got, "-log p_target,e^(z_j - m),sum_j e^(z_j),\"cost, in nats\"\n"
                             ",,,+inf\n");
    free(got);
    unlink(path);
    tbl_free(t);
}

static void test_csv(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    tbl *t = S_sample(&e);
    char path[] = "/tmp/lb_tbl_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(tbl_write_csv(t, path, &e), 0);
    char *s = tk_read_file(path, NULL);
    assert_non_null(s);
    const char *want =
        "name,e^(z_j),\"n, count\"\n"
        "plain,0.1,-2\n"
        "\"with, comma\",0.3333333333333333,-1\n"
        "\"say \"\"hi\"\"\",inf,0\n"
        "\"two\nlines\",-inf,1\n"
        "last,-2.5e-300,2\n";
    assert_string_equal(s, want);
    /* every number round-trips exactly through strtod; the texts above are
     * python3 repr(x) for x in (0.1, 1/3, -2.5e-300): the shortest ones */
    const char *fields[] = {"0.1", "0.3333333333333333", "inf", "-inf",
                            "-2.5e-300"};
    for (int i = 0; i < 5; i++) {
        double v = strtod(fields[i], NULL);
        double want_v = tbl_cell_at(t, (size_t)i, 1)->value;
        assert_memory_equal(&v, &want_v, sizeof v);
    }
    free(s);
    unlink(path);
    /* error names the file and the errno text */
    err_clear(&e);
    assert_int_equal(tbl_write_csv(t, "/nonexistent-dir/x.csv", &e), -1);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "/nonexistent-dir/x.csv"));
    assert_non_null(strstr(e.msg, strerror(ENOENT)));
    /* a full device */
    err_clear(&e);
    if (access("/dev/full", W_OK) == 0) {
        assert_int_equal(tbl_write_csv(t, "/dev/full", &e), -1);
        assert_non_null(strstr(e.msg, "/dev/full"));
        assert_non_null(strstr(e.msg, strerror(ENOSPC)));
    }
    tbl_free(t);
}

/* tbl_fmt_repr against python3 repr(x) (CPython 3.11, David Gay's shortest
 * round-trip digits): the expected strings are its output for these x. */
static void test_fmt_repr(void **state)
{
    (void)state;
    static const struct { double v; const char *want; } C[] = {
        {0.1, "0.1"}, {1.0 / 3.0, "0.3333333333333333"}, {-2.5e-300, "-2.5e-300"},
        {0.1 + 0.2, "0.30000000000000004"}, {1e16, "1e+16"}, {1e-5, "1e-05"},
        {0.0001, "0.0001"}, {100.0, "100.0"},
        {123456789012345680.0, "1.2345678901234568e+17"}, {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"}, {-0.0, "-0.0"},
        {1.5e-323, "1.5e-323"}, {1.0 / 7.0, "0.14285714285714285"},
        {9007199254740993.0, "9007199254740992.0"}, {0.3, "0.3"}, {2.675, "2.675"},
        {1e22, "1e+22"}, {1e23, "1e+23"}, {4.35, "4.35"}, {0.1 - 2.0, "-1.9"},
        {0.0, "0.0"}, {-2.0, "-2.0"},
        /* the exact digits without printf (table.c S_round_digits): a tie
         * at 16 digits (to even), 17 digits with the scaled value past
         * 2^53, carries to the next power of ten, the data's own values */
        {0x1.37e1d9f3565e2p+49, "685836280966332.2"},
        {-0x1.47ae147ae147fp-7, "-0.010000000000000007"},
        {0x1.fffffffffffffp+51, "4503599627370495.5"},
        {1234567890123455.0, "1234567890123455.0"},
        {0x1.fffffffffffffp-1, "0.9999999999999999"},
        {0x1.3ffffffffffffp+3, "9.999999999999998"},
        {0x1.6bcc41e8fffffp+46, "99999999999999.98"}, {1e-07, "1e-07"},
        {0x1.4b66dc01ec6fbp-20, "1.2345678901234567e-06"},
        {0x1.78c29dcd6e9e0p+23, "12345678.901234567"},
        {0x1.17f3c56e69205p-3, "0.13669542544552385"},   /* exp(-1.99) */
        {-0x1.18731fd788044p+2, "-4.382026634673881"},   /* log(0.0125) */
        {0x1.c12218377de6bp+46, "123456789012345.67"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        tbl_fmt_repr(C[i].v, buf, sizeof buf);
        if (strcmp(buf, C[i].want) != 0)
            fail_msg("repr(%.17g): got '%s', expected '%s'", C[i].v, buf, C[i].want);
        double back = strtod(buf, NULL);
        assert_memory_equal(&back, &C[i].v, sizeof back);
    }
    tbl_fmt_repr(INFINITY, buf, sizeof buf);
    assert_string_equal(buf, "inf");
    tbl_fmt_repr(NAN, buf, sizeof buf);
    assert_string_equal(buf, "nan");
    /* a sweep: every result reads back to the same double and no shorter
     * %.*g text would (the shortest), over 20 000 pseudo-random doubles */
    unsigned long long x = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        double v;
        unsigned long long bits = x & 0x7fefffffffffffffULL;
        memcpy(&v, &bits, sizeof v);
        tbl_fmt_repr(v, buf, sizeof buf);
        double back = strtod(buf, NULL);
        assert_memory_equal(&back, &v, sizeof v);
        /* significant digits: the mantissa without leading / trailing zeros */
        char dg[64];
        size_t nd = 0;
        for (const char *p = buf; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9' && (nd > 0 || *p != '0'))
                dg[nd++] = *p;
        while (nd > 1 && dg[nd - 1] == '0')
            nd--;
        char shorter[64];
        snprintf(shorter, sizeof shorter, "%.*e", nd >= 2 ? (int)nd - 2 : 0, v);
        if (nd >= 2 && strtod(shorter, NULL) == v)
            fail_msg("'%s' is not the shortest ('%s' reads back too)", buf, shorter);
    }
}

/* TeX headers become plain text for CSV readers */
static void test_tex_plain(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(tbl_tex_plain("$\\mathcal{L}_{\\text{BCE}}$", out, sizeof out), "L_BCE");
    assert_string_equal(tbl_tex_plain("$\\frac{1}{N} \\sum_n$", out, sizeof out), "(1)/(N) sum_n");
    assert_string_equal(tbl_tex_plain("cost $p \\leq 1$ \\ok", out, sizeof out), "cost p <= 1 \\ok");
    assert_string_equal(tbl_tex_plain("$e^{z_j - m}$", out, sizeof out), "e^(z_j - m)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_fixed),
        cmocka_unit_test(test_fmt_num),
        cmocka_unit_test(test_fmt_g17),
        cmocka_unit_test(test_fmt_repr),
        cmocka_unit_test(test_tex_plain),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_model),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_plain_headers),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
