/* Tests for src/compute/datafiles.c.
 *
 * Independent values (python3, decimal at 30 digits or math):
 *   e^-2 = 0.135335283236612691893999494972, e = 2.71828182845904523536028747135
 *   softmax([2, 1, 1]) = [e/(e+2), 1/(e+2), 1/(e+2)]
 *                      = [0.576116884765829109858318923636, 0.211941557617085445070840538180, ...]
 *   softmax([2, 1, 2, 2]) p1 = e^2/(3e^2+e) = 0.296922742475654690661910757747,
 *                         p2 = e/(3e^2+e)   = 0.109231772573035928014267726759
 *   -ln(1e-4) = 9.21034037197618268815022979488
 * Per-position p_target / -log p_target: tests/ref/h1_reference.py. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"
#include "compute/datafiles.h"

#define assert_close(a, b, tol) do { \
    double a_ = (a), b_ = (b); \
    if (!(fabs(a_ - b_) <= (tol) * fmax(1.0, fabs(b_)))) \
        fail_msg("%s = %.17g, expected %.17g (tol %g)", #a, a_, b_, (double)(tol)); \
} while (0)

typedef struct fx { ex_model *m; cat *c; char *dir; } fx;

static ex_model *S_model(void)
{
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load(tk_src("templates/examples/llm-batch.json"), &e);
    if (!m)
        fail_msg("%s", e.msg);
    assert_int_equal(ex_compute(m, &e), 0);
    return m;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    lb_err e;
    err_clear(&e);
    f->m = S_model();
    f->c = cat_new(f->m, &e);
    if (!f->c || !(f->dir = tk_tmpdir_new("dat")))
        return -1;
    if (dat_write_all(f->m, f->c, f->dir, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    tk_tmpdir_free(f->dir);
    cat_free(f->c);
    ex_free(f->m);
    free(f);
    return 0;
}

/* Read a whitespace/comma separated numeric file: returns rows, fills
 * up to maxr x 8 values; header line returned in hdr. */
static size_t S_read(const char *dir, const char *file, char *hdr, size_t hn,
                     double (*v)[8], size_t maxr, size_t *ncols_out)
{
    char path[256], line[240];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *fp = fopen(path, "r");
    if (!fp)
        fail_msg("missing %s", path);
    assert_non_null(fgets(line, sizeof line, fp));
    line[strcspn(line, "\n")] = '\0';
    snprintf(hdr, hn, "%s", line);
    size_t r = 0;
    while (fgets(line, sizeof line, fp)) {
        if (r >= maxr)
            fail_msg("%s: too many rows", file);
        size_t c = 0;
        char *p = line;
        for (;;) {
            while (*p == ' ' || *p == ',')
                p++;
            if (*p == '\n' || *p == '\0')
                break;
            char *end;
            v[r][c++] = strtod(p, &end);   /* C locale: this process never set one */
            if (end == p)
                fail_msg("%s row %zu: not a number at '%s'", file, r, p);
            p = end;
        }
        if (ncols_out)
            *ncols_out = c;
        r++;
    }
    fclose(fp);
    return r;
}

static double V[1000][8];

static void test_files_exist(void **state)
{
    fx *f = *state;
    static const char *const files[] = {
        "exp.dat", "exp.csv", "softmax3.dat", "softmax3.csv", "softmax4.dat", "softmax4.csv",
        "logp.dat", "logp.csv", "neglogp.dat", "neglogp.csv", "points.dat", "points.csv",
        "logits.csv", "reshape.csv", "summary.csv", "confidence.csv", "logp-table.csv", "bce.csv",
        "multiclass.csv", "grad.csv", "gdstep.csv", "step-1.csv", "step-2.csv", "step-3.csv",
        "step-4.csv", "step-5.csv", "step-6.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
        if (access(p, R_OK) != 0)
            fail_msg("missing %s", p);
    }
    char p[256];
    snprintf(p, sizeof p, "%s/step-7.csv", f->dir);
    assert_int_not_equal(access(p, F_OK), 0);
    char name[64];
    assert_int_equal(dat_table_csv_name("step/4", name, sizeof name), 0);
    assert_string_equal(name, "step-4.csv");
    assert_int_equal(dat_table_csv_name("logp", name, sizeof name), 0);
    assert_string_equal(name, "logp-table.csv");
}

/* Every data set's NAME.csv is that data set (its header is NAME.dat's
 * column names), not a catalogue table written over it: "logp" and
 * "randce" are both, their tables are NAME-table.csv. */
static void test_no_table_over_a_data_set(void **state)
{
    fx *f = *state;
    size_t n;
    char **dats = tk_list_dir(f->dir, "*.dat", &n);
    assert_non_null(dats);
    assert_true(n >= 9);
    for (size_t i = 0; i < n; i++) {
        char p[512], dh[1024], ch[1024];
        snprintf(p, sizeof p, "%s/%s", f->dir, dats[i]);
        FILE *fp = fopen(p, "r");
        assert_non_null(fp);
        assert_non_null(fgets(dh, sizeof dh, fp));
        fclose(fp);
        snprintf(p + strlen(p) - 4, 8, ".csv");
        fp = fopen(p, "r");
        if (!fp)
            fail_msg("%s: no CSV beside the .dat", p);
        assert_non_null(fgets(ch, sizeof ch, fp));
        fclose(fp);
        assert_true(dh[0] == '#' && dh[1] == ' ');
        for (char *q = dh + 2; *q; q++)
            if (*q == ' ')
                *q = ',';
        if (strcmp(dh + 2, ch) != 0)
            fail_msg("%s: header %s is not the data set's (%s)", p, ch, dh + 2);
    }
    tk_list_free(dats);
    char name[64];
    assert_int_equal(dat_table_csv_name("randce", name, sizeof name), 0);
    assert_string_equal(name, "randce-table.csv");
}

static void test_curves(void **state)
{
    fx *f = *state;
    char hdr[256];
    size_t nc;
    size_t n = S_read(f->dir, "exp.dat", hdr, sizeof hdr, V, 1000, &nc);
    assert_string_equal(hdr, "# x exp_x");
    assert_int_equal(n, 401);
    assert_int_equal(nc, 2);
    assert_true(V[0][0] == -2.0 && V[400][0] == 2.0 && V[200][0] == 0.0);
    assert_close(V[0][1], 0.135335283236612691893999494972, 1e-15);
    assert_true(V[200][1] == 1.0);
    assert_close(V[300][1], 2.71828182845904523536028747135, 1e-15);   /* x = 1 */

    n = S_read(f->dir, "softmax3.dat", hdr, sizeof hdr, V, 1000, &nc);
    assert_string_equal(hdr, "# z p1 p2 p3");
    assert_int_equal(n, 401);
    assert_int_equal(nc, 4);
    for (size_t i = 0; i < n; i++)
        assert_close(V[i][1] + V[i][2] + V[i][3], 1.0, 4e-16);
    assert_true(V[300][0] == 1.0);
    assert_close(V[300][1], 0.576116884765829109858318923636, 1e-15);
    assert_close(V[300][2], 0.211941557617085445070840538180, 1e-15);
    assert_close(V[300][3], 0.211941557617085445070840538180, 1e-15);

    n = S_read(f->dir, "softmax4.dat", hdr, sizeof hdr, V, 1000, &nc);
    assert_string_equal(hdr, "# z p1 p2 p3 p4");
    assert_int_equal(n, 401);
    assert_int_equal(nc, 5);
    assert_close(V[400][1], 0.296922742475654690661910757747, 1e-15);
    assert_close(V[400][2], 0.109231772573035928014267726759, 1e-15);
    assert_true(V[400][3] == V[400][4]);

    n = S_read(f->dir, "logp.dat", hdr, sizeof hdr, V, 1000, &nc);
    assert_string_equal(hdr, "# p log_p neg_log_p");
    assert_true(n >= 397);
    assert_true(V[0][0] == 0.01);
    assert_true(V[n - 1][0] == 1.0 && V[n - 1][1] == 0.0 && V[n - 1][2] == 0.0);
    int has_half = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(V[i][0] >= 0.01 && V[i][0] <= 1.0);
        if (i)
            assert_true(V[i][0] > V[i - 1][0]);
        assert_true(V[i][1] == -V[i][2]);
        has_half |= V[i][0] == 0.5;
    }
    assert_true(has_half);
    /* log(0.01): h1_reference.py "logp 0.01 -4.605170185988091347..." */
    assert_close(V[0][1], -4.605170185988091347219301197647043498926, 1e-15);

    n = S_read(f->dir, "neglogp.dat", hdr, sizeof hdr, V, 1000, &nc);
    assert_string_equal(hdr, "# p neg_log_p");
    assert_true(n >= 100);
    assert_true(V[0][0] == 1e-4 && V[n - 1][0] == 1.0 && V[n - 1][1] == 0.0);
    assert_close(V[0][1], 9.21034037197618268815022979488, 1e-15);
    for (size_t i = 1; i < n; i++) {
        assert_true(V[i][0] > V[i - 1][0]);
        /* log-spaced: constant ratio */
        assert_close(V[i][0] / V[i - 1][0], pow(10.0, 4.0 / (double)(n - 1)), 1e-12);
    }
}

static void test_points_and_csv(void **state)
{
    fx *f = *state;
    /* h1_reference.py "== per-position" */
    static const double PT[6] = {
        0.5873472209740534937965366116788794715055, 0.6550783301887606160846032107538345101587,
        0.5531635126422867523172146658788809626964, 0.5809896596919683833797772527846841299300,
        0.4672470420574496832869410637302979788990, 0.1726783981147341927508828422385024365897};
    static const double L[6] = {
        0.5321391161883993154031134095453538785548, 0.4230004624225251817159683104903712427276,
        0.5921016382679306602451387905578438120805, 0.5430223197206701836668358246790411911585,
        0.7608971632016559240850221410320050264108, 1.756324384949341916750562318571259406693};
    char hdr[256];
    size_t nc;
    size_t n = S_read(f->dir, "points.dat", hdr, sizeof hdr, V, 1000, &nc);
    assert_string_equal(hdr, "# n p_target neg_log_p mean_neg_log_p");
    assert_int_equal(n, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_true(V[i][0] == (double)(i + 1));
        assert_close(V[i][1], PT[i], 1e-15);
        assert_close(V[i][2], L[i], 1e-15);
        /* h1_reference.py "mean": every row carries the mean for the figure */
        assert_close(V[i][3], 0.767914180791753863644440132479312426271, 1e-15);
    }
    double W[1000][8];
    n = S_read(f->dir, "points.csv", hdr, sizeof hdr, W, 1000, &nc);
    assert_string_equal(hdr, "n,p_target,neg_log_p,mean_neg_log_p");
    assert_int_equal(n, 6);
    for (size_t i = 0; i < 6; i++)   /* same numbers, bit for bit */
        assert_memory_equal(W[i], V[i], 4 * sizeof V[i][0]);
    /* the .dat numbers are exactly the model's doubles (%.17g round-trips) */
    for (size_t i = 0; i < 6; i++)
        assert_true(V[i][2] == f->m->steps[i].nll);

    /* summary.csv: header text, full-precision loss column, mean row */
    char path[256], line[1024];
    snprintf(path, sizeof path, "%s/summary.csv", f->dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    /* CSV headers are plain text for spreadsheets: the TeX of the PDF's
     * headers with dollars, backslashes and \text dropped, ^{..} as ^(..). */
    assert_string_equal(line, "n,b,t,y_n,token,sum_j e^(z_j),p_target,-log p_target\n");
    for (int i = 0; i < 6; i++) {
        assert_non_null(fgets(line, sizeof line, fp));
        char *last = strrchr(line, ',');
        assert_close(strtod(last + 1, NULL), L[i], 1e-15);
    }
    assert_non_null(fgets(line, sizeof line, fp));
    assert_int_equal(strncmp(line, "mean,,,,,,,", 11), 0);
    assert_close(strtod(line + 11, NULL), 0.767914180791753863644440132479312426271, 1e-15);
    assert_null(fgets(line, sizeof line, fp));
    fclose(fp);

    /* step-4.csv: the sum row carries the full sum of exponentials */
    snprintf(path, sizeof path, "%s/step-4.csv", f->dir);
    fp = fopen(path, "r");
    assert_non_null(fp);
    int rows = 0;
    while (fgets(line, sizeof line, fp))
        rows++;
    fclose(fp);
    assert_int_equal(rows, 1 + 5 + 1);
    assert_int_equal(strncmp(line, "sum,,,,17.16757310294106", 24), 0);
}

/* Same output twice, and under a German LC_NUMERIC (built with localedef
 * into a temporary LOCPATH; skipped when that is impossible). */
static void test_reproducible_and_locale(void **state)
{
    fx *f = *state;
    lb_err e;
    err_clear(&e);
    char *d2 = tk_tmpdir_new("dat2");
    assert_non_null(d2);
    assert_int_equal(dat_write_all(f->m, f->c, d2, &e), 0);
    tk_assert_same(f->dir, d2); /* same names, same bytes */
    tk_tmpdir_free(d2);
    /* no decimal commas anywhere in the .dat files */
    size_t ndat = 0;
    char **dat = tk_list_dir(f->dir, "*.dat", &ndat);
    assert_non_null(dat);
    assert_true(ndat > 0);
    for (size_t i = 0; i < ndat; i++) {
        char *t = tk_read_file(tk_path("%s/%s", f->dir, dat[i]), NULL);
        assert_non_null(t);
        if (strchr(t, ','))
            fail_msg("%s has a comma", dat[i]);
        free(t);
    }
    tk_list_free(dat);

    char *loc = tk_tmpdir_new("loc");
    assert_non_null(loc);
    tk_result r = {0};
    int have = tk_cmd(&r, NULL, "localedef", "-i", "de_DE", "-f", "UTF-8",
                      tk_path("%s/de_DE.UTF-8", loc), NULL) == 0;
    tk_result_free(&r);
    if (have) {
        setenv("LOCPATH", loc, 1);
        have = setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
    }
    if (have) {
        char probe[16];
        snprintf(probe, sizeof probe, "%.1f", 0.5);
        char *d3 = tk_tmpdir_new("dat3");
        assert_non_null(d3);
        int rc = dat_write_all(f->m, f->c, d3, &e);
        setlocale(LC_ALL, "C");
        unsetenv("LOCPATH");
        assert_string_equal(probe, "0,5");   /* the locale was really active */
        assert_int_equal(rc, 0);
        tk_assert_same(f->dir, d3);
        tk_tmpdir_free(d3);
    }
    tk_tmpdir_free(loc);
    if (!have)
        skip();
}

static void test_errors(void **state)
{
    fx *f = *state;
    lb_err e;
    err_clear(&e);
    assert_int_equal(dat_write_all(f->m, f->c, "/nonexistent-lb-dir", &e), -1);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_string_equal(e.msg, "/nonexistent-lb-dir/exp.dat: cannot create: No such file or directory");
}

/* dat_write_all_from: a file equal to the previous run's is a hard link to
 * it (no other name shares it: nlink 2 after), a changed one a new file
 * with the new bytes, a previous file with another name a copy. */
static void test_linked_from_previous(void **state)
{
    fx *f = *state;
    lb_err e;
    err_clear(&e);
    umask(022);
    char *d1 = tk_tmpdir_new("prev"), *d2 = tk_tmpdir_new("next"), *d3 = tk_tmpdir_new("again");
    assert_non_null(d1);
    assert_non_null(d2);
    assert_non_null(d3);
    /* folders as a run makes them (0777 & ~umask; fio_put reads the umask
     * from the folder's mode) */
    assert_int_equal(chmod(d2, 0755), 0);
    assert_int_equal(chmod(d3, 0755), 0);
    assert_int_equal(dat_write_all(f->m, f->c, d1, &e), 0);
    assert_int_equal(dat_write_all_from(f->m, f->c, d2, d1, &e), 0);
    tk_assert_same(f->dir, d2);
    size_t n = 0;
    char **names = tk_list_dir(d2, NULL, &n);
    assert_true(n > 30);
    for (size_t i = 0; i < n; i++) {
        struct stat a, b;
        assert_int_equal(stat(tk_path("%s/%s", d1, names[i]), &a), 0);
        assert_int_equal(stat(tk_path("%s/%s", d2, names[i]), &b), 0);
        if (a.st_ino != b.st_ino || b.st_nlink != 2)
            fail_msg("%s: not linked", names[i]);
    }
    tk_list_free(names);
    /* d1's files shared with d2: copied into d3, never linked */
    assert_int_equal(dat_write_all_from(f->m, f->c, d3, d1, &e), 0);
    tk_assert_same(f->dir, d3);
    struct stat a, b;
    assert_int_equal(stat(tk_path("%s/exp.dat", d1), &a), 0);
    assert_int_equal(stat(tk_path("%s/exp.dat", d3), &b), 0);
    assert_true(a.st_ino != b.st_ino);
    assert_int_equal(b.st_nlink, 1);
    tk_tmpdir_free(d2);
    tk_tmpdir_free(d3);
    /* one byte of d1/exp.dat and of d1/summary.csv changed (same size): new
     * files with the right bytes; d1 untouched by the run */
    const char *changed[] = {"exp.dat", "summary.csv"};
    for (int i = 0; i < 2; i++) {
        FILE *fp = fopen(tk_path("%s/%s", d1, changed[i]), "r+");
        assert_non_null(fp);
        assert_int_equal(fseek(fp, 40, SEEK_SET), 0);
        fputc('#', fp);
        assert_int_equal(fclose(fp), 0);
    }
    d2 = tk_tmpdir_new("next2");
    assert_non_null(d2);
    assert_int_equal(chmod(d2, 0755), 0);
    assert_int_equal(dat_write_all_from(f->m, f->c, d2, d1, &e), 0);
    tk_assert_same(f->dir, d2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(stat(tk_path("%s/%s", d1, changed[i]), &a), 0);
        assert_int_equal(stat(tk_path("%s/%s", d2, changed[i]), &b), 0);
        assert_true(a.st_ino != b.st_ino);
        assert_int_equal(a.st_nlink, 1);
        char *t = tk_read_file(tk_path("%s/%s", d1, changed[i]), NULL);
        assert_non_null(t);
        assert_int_equal(t[40], '#');
        free(t);
    }
    assert_int_equal(stat(tk_path("%s/exp.csv", d1), &a), 0);
    assert_int_equal(stat(tk_path("%s/exp.csv", d2), &b), 0);
    assert_true(a.st_ino == b.st_ino);
    assert_int_equal(b.st_nlink, 2);
    tk_tmpdir_free(d2);
    tk_tmpdir_free(d1);
}

/* Many positions: step CSVs stop at DAT_MAX_STEP_CSV; points.dat has all. */
static void test_many_positions(void **state)
{
    (void)state;
    char buf[8192];
    size_t len = (size_t)snprintf(buf, sizeof buf, "{\"logits\": [[");
    for (int t = 0; t < 150; t++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s[0, 0]", t ? "," : "");
    len += (size_t)snprintf(buf + len, sizeof buf - len, "]], \"targets\": [[");
    for (int t = 0; t < 150; t++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%d", t ? "," : "", t % 2);
    len += (size_t)snprintf(buf + len, sizeof buf - len, "]]}");
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load_buf(buf, len, "many", &e);
    assert_non_null(m);
    assert_int_equal(ex_compute(m, &e), 0);
    cat *c = cat_new(m, &e);
    assert_non_null(c);
    char *dir = tk_tmpdir_new("dat4");
    assert_non_null(dir);
    assert_int_equal(dat_write_all(m, c, dir, &e), 0);
    char p[256];
    snprintf(p, sizeof p, "%s/step-100.csv", dir);
    assert_int_equal(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/step-101.csv", dir);
    assert_int_not_equal(access(p, F_OK), 0);
    char hdr[128];
    size_t nc;
    size_t n = S_read(dir, "points.dat", hdr, sizeof hdr, V, 1000, &nc);
    assert_int_equal(n, 150);
    /* logits [0, 0]: p = 1/2, -log p = ln 2 = 0.693147180559945309417232121458 */
    assert_close(V[149][2], 0.693147180559945309417232121458, 1e-15);
    tk_tmpdir_free(dir);
    cat_free(c);
    ex_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_files_exist, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_table_over_a_data_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_curves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_and_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reproducible_and_locale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_linked_from_previous, setup, teardown),
        cmocka_unit_test(test_many_positions),
    };
    return cmocka_run_group_tests_name("datafiles", tests, NULL, NULL);
}
