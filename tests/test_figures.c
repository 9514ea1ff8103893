/* test_figures — figure catalogue, scripts and rendering (src/plot/figures.c).
 *
 * The data files are generated here (same columns as datafiles.c writes),
 * so this test does not depend on the compute module.  Runs the real
 * gnuplot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testkit.h"
#include "compute/catalog.h"
#include "compute/datafiles.h"
#include "compute/example.h"
#include "plot/figures.h"

static char *S_root; /* the scratch folder of one test: data/ figures/ figures2/ */

static void S_path(char *buf, size_t n, const char *sub, const char *name,
                   const char *ext)
{
    snprintf(buf, n, "%s/%s/%s%s", S_root, sub, name, ext);
}

static FILE *S_open_dat(const char *name, const char *header)
{
    char p[512];
    S_path(p, sizeof p, "data", name, ".dat");
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fprintf(f, "# %s\n", header);
    return f;
}

static void S_softmax(const double *z, int n, double *p)
{
    double m = z[0], s = 0;
    for (int i = 1; i < n; i++)
        m = z[i] > m ? z[i] : m;
    for (int i = 0; i < n; i++)
        s += p[i] = exp(z[i] - m);
    for (int i = 0; i < n; i++)
        p[i] /= s;
}

/* The data files, columns as in figures.h. */
static void S_write_data(void)
{
    FILE *f = S_open_dat("exp", "x exp_x");
    for (int i = 0; i <= 400; i++) {
        double x = -2 + 4.0 * i / 400;
        fprintf(f, "%.17g %.17g\n", x, exp(x));
    }
    fclose(f);
    f = S_open_dat("softmax3", "z p1 p2 p3");
    FILE *g = S_open_dat("softmax4", "z p1 p2 p3 p4");
    for (int i = 0; i <= 400; i++) {
        double z = -2 + 4.0 * i / 400, p[4];
        double z3[3] = {2, 1, z}, z4[4] = {2, 1, z, z};
        S_softmax(z3, 3, p);
        fprintf(f, "%.17g %.17g %.17g %.17g\n", z, p[0], p[1], p[2]);
        S_softmax(z4, 4, p);
        fprintf(g, "%.17g %.17g %.17g %.17g %.17g\n", z, p[0], p[1], p[2],
                p[3]);
    }
    fclose(f);
    fclose(g);
    f = S_open_dat("logp", "p log_p neg_log_p");
    for (int i = 0; i <= 500; i++) {
        double p = 0.01 + 0.99 * i / 500;
        fprintf(f, "%.17g %.17g %.17g\n", p, log(p), -log(p));
    }
    fclose(f);
    f = S_open_dat("neglogp", "p neg_log_p");
    for (int i = 0; i <= 1000; i++) {
        double p = pow(10, -4 + 4.0 * i / 1000);
        fprintf(f, "%.17g %.17g\n", p, -log(p));
    }
    fclose(f);
    /* the seed's batch 2 x 3 x 5 example, targets [[0,1,3],[2,4,1]] */
    static const double L[6][5] = {{2.0, 1.0, 0.1, 0.0, -1.0},
                                   {0.5, 2.1, -1.2, 0.3, 0.0},
                                   {1.2, 0.7, 0.3, 2.2, -0.5},
                                   {1.5, -0.5, 2.3, 0.0, 0.1},
                                   {0.3, 0.8, 1.5, -1.0, 2.0},
                                   {2.2, 1.0, 0.5, 0.3, 0.0}};
    static const int T[6] = {0, 1, 3, 2, 4, 1};
    f = S_open_dat("points", "n p_target neg_log_p");
    for (int n = 0; n < 6; n++) {
        double p[5];
        S_softmax(L[n], 5, p);
        fprintf(f, "%d %.17g %.17g\n", n + 1, p[T[n]], -log(p[T[n]]));
    }
    fclose(f);
    /* a histogram of ten bins with its mean and ln 5, and random-logit rows
     * (the figures only draw them: any plausible numbers do) */
    f = S_open_dat("losshist", "from to count mean_neg_log_p ln_V");
    for (int i = 0; i < 10; i++)
        fprintf(f, "%.17g %.17g %d 0.7679 1.6094379124341003\n", 0.2 * i, 0.2 * (i + 1), (i * 7) % 5);
    fclose(f);
    f = S_open_dat("randce", "V ln_V loss_sigma1 loss_sigma2 bound_sigma1 bound_sigma2");
    static const int RV[4] = {2, 10, 1000, 50257};
    for (int i = 0; i < 4; i++) {
        double l = log(RV[i]);
        fprintf(f, "%d %.17g %.17g %.17g %.17g %.17g\n", RV[i], l, l + 0.45, l + 1.5,
                l + 0.5, l + 2.0);
    }
    fclose(f);
}

static int S_setup(void **state)
{
    (void)state;
    S_root = tk_tmpdir_new("test-fig");
    if (!S_root)
        return -1;
    static const char *const sub[] = {"data", "figures", "figures2"};
    for (size_t i = 0; i < 3; i++)
        if (tk_mkdirs(tk_path("%s/%s", S_root, sub[i])) != 0)
            return -1;
    S_write_data();
    return 0;
}

static int S_teardown(void **state)
{
    (void)state;
    tk_tmpdir_free(S_root);
    S_root = NULL;
    return 0;
}

/* PNG width from the IHDR chunk: signature (8), length (4), "IHDR" (4),
 * then width as a big-endian 32-bit number. */
static unsigned long S_png_width(const char *path)
{
    size_t n;
    unsigned char *b = (unsigned char *)tk_read_file(path, &n);
    assert_non_null(b);
    assert_true(n > 24);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    unsigned long w = ((unsigned long)b[16] << 24) | ((unsigned long)b[17] << 16) |
                      ((unsigned long)b[18] << 8) | b[19];
    free(b);
    return w;
}

/* Well-formed XML (the vector-figure path parses it with expat). */
static int S_xml_ok(const char *buf, size_t len)
{
    XML_Parser p = XML_ParserCreate(NULL);
    int ok = XML_Parse(p, buf, (int)len, 1) == XML_STATUS_OK;
    if (!ok)
        fprintf(stderr, "xml error: %s at line %lu\n",
                XML_ErrorString(XML_GetErrorCode(p)),
                (unsigned long)XML_GetCurrentLineNumber(p));
    XML_ParserFree(p);
    return ok;
}

/* Remove empty groups "<g ...>\n</g>\n" in place; returns the new length.
 * gnuplot's svg terminal keeps its current colour across outputs in one
 * process (reset session does not reset the terminal), so a figure rendered
 * after another may lack one such empty group that a fresh gnuplot writes.
 * They draw nothing. */
static size_t S_drop_empty_groups(char *s, size_t n)
{
    size_t w = 0;
    for (size_t r = 0; r < n;) {
        if (n - r > 3 && memcmp(s + r, "<g ", 3) == 0) {
            char *gt = memchr(s + r, '>', n - r);
            if (gt && (size_t)(gt - s) + 6 <= n &&
                memcmp(gt + 1, "\n</g>\n", 6) == 0) {
                r = (size_t)(gt - s) + 7;
                continue;
            }
        }
        s[w++] = s[r++];
    }
    s[w] = '\0';
    return w;
}

static void S_render(const char *sub, const fig_opts *o)
{
    char dir[512];
    lb_err e;
    err_clear(&e);
    snprintf(dir, sizeof dir, "%s/%s", S_root, sub);
    if (fig_render_all_opts(dir, "../data", o, 1, &e) != 0)
        fail_msg("fig_render_all: %s", e.msg);
    assert_int_equal(e.code, 0);
}

static void test_catalogue(void **state)
{
    (void)state;
    const char *want[] = {"exp", "softmax3", "softmax4", "logp", "neglogp",
                          "points", "losshist", "randce"};
    assert_int_equal(fig_count(), 8);
    for (size_t i = 0; i < 8; i++) {
        const fig_info *f = fig_at(i);
        assert_non_null(f);
        assert_string_equal(f->name, want[i]);
        assert_true(strlen(f->title) > 0 && strlen(f->caption) > 0);
        assert_ptr_equal(fig_find(want[i]), f);
        assert_non_null(strstr(fig_known_names(), want[i]));
    }
    assert_null(fig_at(8));
    /* a made-up entry is refused before anything is written */
    fig_info bad = {"exp\nsystem('id')", "t", "c"};
    lb_err e;
    err_clear(&e);
    assert_int_equal(fig_write_script("/tmp", "../data", &bad, NULL, &e), -1);
    assert_non_null(strstr(e.msg, "unknown figure"));
    assert_null(fig_find("softmax5"));
    assert_null(fig_find(NULL));
}

/* All scripts written, all outputs present: PNG >= 1600 px wide, SVG in
 * Latin Modern, 400x250 canvas, well-formed. */
static void test_render_all(void **state)
{
    (void)state;
    /* pngcairo silently falls back to another font when fontconfig does
     * not know the name: make sure it does (fonts-lmodern, make deps). */
    char *line = tk_capture("fc-match", "Latin Modern Roman", NULL);
    assert_non_null(line);
    line[strcspn(line, "\n")] = '\0'; /* its first line */
    assert_non_null(strstr(line, "\"Latin Modern Roman\""));
    free(line);
    S_render("figures", NULL);
    for (size_t i = 0; i < fig_count(); i++) {
        const char *n = fig_at(i)->name;
        char p[512];
        struct stat st;
        S_path(p, sizeof p, "figures", n, ".gp");
        assert_int_equal(stat(p, &st), 0);
        assert_true(st.st_size > 0);
        S_path(p, sizeof p, "figures", n, ".png");
        assert_true(S_png_width(p) >= 1600);
        S_path(p, sizeof p, "figures", n, ".svg");
        size_t len;
        char *svg = tk_read_file(p, &len);
        assert_non_null(svg);
        assert_non_null(strstr(svg, "Latin Modern Roman"));
        assert_non_null(strstr(svg, "viewBox=\"0 0 400 250\""));
        assert_non_null(strstr(svg, "</svg>"));
        assert_true(S_xml_ok(svg, len));
        free(svg);
    }
}

/* Each script runs on its own from its folder (`gnuplot NAME.gp`) and
 * reproduces what the program rendered: the PNG byte for byte, the SVG up
 * to empty groups (see S_drop_empty_groups). */
static void test_standalone(void **state)
{
    (void)state;
    S_render("figures", NULL);
    for (size_t i = 0; i < fig_count(); i++) {
        const char *n = fig_at(i)->name;
        char png[512], svg[512];
        S_path(png, sizeof png, "figures", n, ".png");
        S_path(svg, sizeof svg, "figures", n, ".svg");
        size_t l1, l2;
        char *png1 = tk_read_file(png, &l1), *svg1 = tk_read_file(svg, &l2);
        assert_non_null(png1);
        assert_non_null(svg1);
        assert_int_equal(unlink(png), 0);
        assert_int_equal(unlink(svg), 0);
        char figdir[512];
        snprintf(figdir, sizeof figdir, "%s/figures", S_root);
        tk_result r = {0};
        tk_opts o = {.cwd = figdir};
        tk_cmd(&r, &o, "gnuplot", tk_path("%s.gp", n), NULL);
        tk_assert_exit(&r, 0);
        tk_result_free(&r);
        size_t m1, m2;
        char *png2 = tk_read_file(png, &m1), *svg2 = tk_read_file(svg, &m2);
        assert_non_null(png2);
        assert_non_null(svg2);
        assert_int_equal(l1, m1);
        assert_memory_equal(png1, png2, l1);
        l2 = S_drop_empty_groups(svg1, l2);
        m2 = S_drop_empty_groups(svg2, m2);
        assert_int_equal(l2, m2);
        assert_memory_equal(svg1, svg2, l2);
        free(png1);
        free(png2);
        free(svg1);
        free(svg2);
    }
}

/* Same inputs, byte-identical .gp/.png/.svg. */
static void test_reproducible(void **state)
{
    (void)state;
    S_render("figures", NULL);
    S_render("figures2", NULL);
    const char *ext[] = {".gp", ".png", ".svg"};
    for (size_t i = 0; i < fig_count(); i++) {
        for (int k = 0; k < 3; k++) {
            char a[512], b[512];
            S_path(a, sizeof a, "figures", fig_at(i)->name, ext[k]);
            S_path(b, sizeof b, "figures2", fig_at(i)->name, ext[k]);
            tk_assert_same(a, b);
        }
    }
}

/* Labels are user text: the injection strings of issue 7 end up as text. */
static void test_labels_injection(void **state)
{
    (void)state;
    const char *labs[] = {"`touch /tmp/pwned`", "\"; system(\"id\")",
                          "it's", "b2,t1", "x''''y @L", "b2,t3"};
    fig_opts o = {labs, 6, 0, 0, NULL, 0, NULL};
    unlink("/tmp/pwned");
    S_render("figures", &o);
    assert_int_equal(access("/tmp/pwned", F_OK), -1);
    char p[512];
    S_path(p, sizeof p, "figures", "points", ".svg");
    size_t len;
    char *svg = tk_read_file(p, &len);
    assert_non_null(svg);
    assert_true(S_xml_ok(svg, len));
    assert_non_null(strstr(svg, "`touch /tmp/pwned`"));
    assert_non_null(strstr(svg, "system(\"id\")"));
    assert_non_null(strstr(svg, "x''''y @L"));
    free(svg);
    /* the standalone script is just as harmless */
    char figdir[512];
    snprintf(figdir, sizeof figdir, "%s/figures", S_root);
    tk_result r = {0};
    tk_opts in_figures = {.cwd = figdir};
    tk_cmd(&r, &in_figures, "gnuplot", "points.gp", NULL);
    assert_null(strstr(r.out, "uid="));
    assert_null(strstr(r.err, "uid="));
    tk_result_free(&r);
    assert_int_equal(access("/tmp/pwned", F_OK), -1);
}

/* A missing data file fails, naming the figure and quoting gnuplot. */
static void test_missing_data(void **state)
{
    (void)state;
    char p[512], dir[512];
    S_path(p, sizeof p, "data", "softmax4", ".dat");
    assert_int_equal(unlink(p), 0);
    snprintf(dir, sizeof dir, "%s/figures", S_root);
    lb_err e;
    err_clear(&e);
    assert_int_equal(fig_render_all(dir, "../data", 1, &e), -1);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "figure 'softmax4': gnuplot: "));
    assert_non_null(strstr(e.msg, "softmax4.gp"));
}

/* Not a folder, gnuplot missing, a planted symlink: clean errors. */
static void test_bad_environment(void **state)
{
    (void)state;
    char dir[512], link[512], target[512];
    lb_err e;
    err_clear(&e);
    snprintf(dir, sizeof dir, "%s/nope", S_root);
    assert_int_equal(fig_render_all(dir, "../data", 1, &e), -1);
    assert_non_null(strstr(e.msg, "does not exist"));

    snprintf(dir, sizeof dir, "%s/figures", S_root);
    char *old = strdup(getenv("PATH"));
    assert_non_null(old);
    setenv("PATH", S_root, 1); /* a folder without gnuplot */
    err_clear(&e);
    int r = fig_render_all(dir, "../data", 1, &e);
    setenv("PATH", old, 1);
    free(old);
    assert_int_equal(r, -1);
    assert_string_equal(
        e.msg, "gnuplot not found in PATH: install gnuplot-nox (make deps)");

    snprintf(target, sizeof target, "%s/outside.txt", S_root);
    FILE *f = fopen(target, "w");
    assert_non_null(f);
    fputs("keep", f);
    fclose(f);
    S_path(link, sizeof link, "figures", "exp", ".gp");
    unlink(link);
    assert_int_equal(symlink(target, link), 0);
    err_clear(&e);
    assert_int_equal(fig_render_all(dir, "../data", 1, &e), -1);
    assert_non_null(strstr(e.msg, "figure 'exp': cannot write"));
    char *t = tk_read_file(target, NULL);
    assert_string_equal(t, "keep");
    free(t);
}

/* p = 0 (loss +inf) is shown as an off-chart callout; of many positions
 * only the first twelve get callouts, and it must not be slow. */
static void test_points_edge_cases(void **state)
{
    (void)state;
    FILE *f = S_open_dat("points", "n p_target neg_log_p");
    fprintf(f, "1 0 inf\n2 0.5 0.69314718055994529\n");
    fclose(f);
    fig_opts o = {NULL, 0, 0, 2, NULL, 0, NULL};
    S_render("figures", &o);
    char p[512];
    S_path(p, sizeof p, "figures", "points", ".svg");
    size_t len;
    char *svg = tk_read_file(p, &len);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "b1,t1  (0.000, +\xe2\x88\x9e)"));
    assert_non_null(strstr(svg, "mean +\xe2\x88\x9e"));
    assert_non_null(strstr(svg, "b1,t2  (0.500, 0.693)"));
    free(svg);

    f = S_open_dat("points", "n p_target neg_log_p");
    for (int n = 1; n <= 20000; n++) {
        double q = (n + 0.5) / 20001.0;
        fprintf(f, "%d %.17g %.17g\n", n, q, -log(q));
    }
    fclose(f);
    o.timeout_ms = 20000;
    S_render("figures", &o);
    svg = tk_read_file(p, &len);
    assert_non_null(svg);
    /* the first twelve get callouts (the handout's caption says so), the
     * thirteenth (n = 13: b7,t1 with T = 2) does not */
    assert_non_null(strstr(svg, "b1,t1"));
    assert_non_null(strstr(svg, "b6,t2"));
    assert_null(strstr(svg, "b7,t1"));
    free(svg);
}

/* With the real data files (dat_write_all from the worked example)
 * and "b,t" labels from seq_len.  Expected callout for the largest loss,
 * position 6 (b2,t3): logits [2.2, 1.0, 0.5, 0.3, 0.0], target 1:
 * p = e^1 / (e^2.2 + e^1 + e^0.5 + e^0.3 + e^0) = 0.1726783981...,
 * -log p = 1.7563243849... (python3 math, by hand from the seed's logits),
 * shown with 3 decimals: "b2,t3  (0.173, 1.756)". */
static void test_with_example_data(void **state)
{
    (void)state;
    char json[512], data[512], dir[512];
    snprintf(json, sizeof json, "%s", tk_src("templates/examples/llm-batch.json"));
    snprintf(data, sizeof data, "%s/data", S_root);
    snprintf(dir, sizeof dir, "%s/figures", S_root);
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load(json, &e);
    if (!m)
        fail_msg("%s", e.msg);
    assert_int_equal(ex_compute(m, &e), 0);
    cat *c = cat_new(m, &e);
    assert_non_null(c);
    assert_int_equal(dat_write_all(m, c, data, &e), 0);
    fig_opts o = {NULL, 0, 0, m->T, NULL, 0, NULL};
    if (fig_render_all_opts(dir, "../data", &o, 1, &e) != 0)
        fail_msg("%s", e.msg);
    cat_free(c);
    ex_free(m);
    char p[512];
    S_path(p, sizeof p, "figures", "points", ".svg");
    size_t len;
    char *svg = tk_read_file(p, &len);
    assert_non_null(svg);
    assert_true(S_xml_ok(svg, len));
    assert_non_null(strstr(svg, "b2,t3  (0.173, 1.756)"));
    assert_non_null(strstr(svg, "b1,t1  ("));
    free(svg);
}

/* The dashed curve of the PNG really is dashed: softmax3's p2 is drawn in
 * line style 2 (#d9541e, dt (7,3), lw 1.6); between z = -2 and z = -0.5 it
 * is nearly horizontal, so walking along x, the columns that hold its
 * colour form runs.  Expected: the SVG's dasharray 5.6,2.4 pt (gnuplot's
 * svg: pattern x 0.8) times 4 = 22.4 px dashes and 9.6 px gaps (anti-
 * aliased edges move a run by a pixel or two).  With round
 * caps the gaps closed (a solid line: one run), which this test catches.
 * The dark variant: transparent corners, opaque curves. */
static void test_png_dashes(void **state)
{
    (void)state;
    S_render("figures", NULL);
    char p[512];
    unsigned w = 0, h = 0;
    S_path(p, sizeof p, "figures", "softmax3", ".png");
    unsigned char *px = tk_png_rgba(p, &w, &h);
    assert_non_null(px);
    assert_int_equal(w, 1600);
    /* plot area: x from 0.115 to 0.975 of the width; z = -2 .. -0.5 is the
     * first 3/8 of it; rows below the key (lower 70 % of the image) */
    unsigned x0 = (unsigned)(0.115 * w) + 4, x1 = (unsigned)((0.115 + 0.86 * 0.375) * w);
    int prev = -1, runs_on = 0, runs_off = 0;
    unsigned run = 0, on_len[64], off_len[64];
    for (unsigned x = x0; x <= x1; x++) {
        int on = 0;
        for (unsigned y = (unsigned)(0.3 * h); y < (unsigned)(0.82 * h) && !on; y++) {
            const unsigned char *q = px + 4 * ((size_t)y * w + x);
            on = abs(q[0] - 0xd9) < 40 && abs(q[1] - 0x54) < 40 && abs(q[2] - 0x1e) < 40;
        }
        if (on == prev) {
            run++;
            continue;
        }
        if (prev == 1 && runs_on < 64 && x - run > x0)
            on_len[runs_on++] = run;
        if (prev == 0 && runs_off < 64 && x - run > x0)
            off_len[runs_off++] = run;
        prev = on;
        run = 1;
    }
    free(px);
    if (runs_off < 8)
        fail_msg("dashed line has %d gaps over %u px (solid?)", runs_off, x1 - x0);
    /* median dash and gap lengths */
    for (int i = 0; i < runs_on; i++)
        for (int j = i + 1; j < runs_on; j++)
            if (on_len[j] < on_len[i]) { unsigned t = on_len[i]; on_len[i] = on_len[j]; on_len[j] = t; }
    for (int i = 0; i < runs_off; i++)
        for (int j = i + 1; j < runs_off; j++)
            if (off_len[j] < off_len[i]) { unsigned t = off_len[i]; off_len[i] = off_len[j]; off_len[j] = t; }
    unsigned mon = on_len[runs_on / 2], moff = off_len[runs_off / 2];
    if (mon < 19 || mon > 26 || moff < 7 || moff > 12)
        fail_msg("dash %u px, gap %u px (expected about 22.4 and 9.6)", mon, moff);

    S_path(p, sizeof p, "figures", "softmax3", ".dark.png");
    px = tk_png_rgba(p, &w, &h);
    assert_non_null(px);
    assert_int_equal(px[3], 0);                        /* corner: transparent */
    S_path(p, sizeof p, "figures", "softmax3", ".png");
    unsigned char *light = tk_png_rgba(p, &w, &h);
    assert_non_null(light);
    assert_int_equal(light[3], 255);                   /* the ordinary PNG is opaque */
    unsigned opaque = 0;
    for (size_t i = 0; i < (size_t)w * h; i++)
        opaque += px[4 * i + 3] > 200;
    assert_true(opaque > 5000 && opaque < (size_t)w * h / 4);  /* ink only */
    free(light);
    free(px);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test_setup_teardown(test_render_all, S_setup, S_teardown),
        cmocka_unit_test_setup_teardown(test_png_dashes, S_setup, S_teardown),
        cmocka_unit_test_setup_teardown(test_standalone, S_setup, S_teardown),
        cmocka_unit_test_setup_teardown(test_reproducible, S_setup,
                                        S_teardown),
        cmocka_unit_test_setup_teardown(test_labels_injection, S_setup,
                                        S_teardown),
        cmocka_unit_test_setup_teardown(test_missing_data, S_setup,
                                        S_teardown),
        cmocka_unit_test_setup_teardown(test_bad_environment, S_setup,
                                        S_teardown),
        cmocka_unit_test_setup_teardown(test_with_example_data, S_setup,
                                        S_teardown),
        cmocka_unit_test_setup_teardown(test_points_edge_cases, S_setup,
                                        S_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
