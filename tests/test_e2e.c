/* End-to-end tests of build/lossbook (path in $LB_BIN, sources in $LB_ROOT):
 * every promised output exists, each gnuplot script reproduces its figure on
 * its own, two runs are byte-identical, bad usage and bad input exit 2 with
 * one message and leave the earlier outputs untouched. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

static const char *S_bin, *S_root;
static char S_tmp[256];

static const char *const S_figures[] = {"exp", "softmax3", "softmax4", "logp", "neglogp",
                                        "points"};
#define S_NFIG (sizeof S_figures / sizeof S_figures[0])

/* Run a shell command; return its exit status (or -1), capture stderr+stdout
 * into `out` when given. */
static int S_sh(char *out, size_t outn, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = 0;
    char buf[4096];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, p)) > 0) {
        if (out && n + 1 < outn) {
            size_t k = r < outn - 1 - n ? r : outn - 1 - n;
            memcpy(out + n, buf, k);
            n += k;
        }
    }
    if (out)
        out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int S_run(const char *outdir, const char *extra, char *msg, size_t msgn)
{
    return S_sh(msg, msgn,
                "cd '%s' && '%s' --quiet --out '%s' --example templates/examples/llm-batch.json "
                "--template templates/handout.md %s 2>&1",
                S_root, S_bin, outdir, extra ? extra : "");
}

static int S_file_nonempty(const char *dir, const char *rel)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

static int S_group_setup(void **state)
{
    (void)state;
    S_bin = getenv("LB_BIN");
    S_root = getenv("LB_ROOT");
    if (!S_bin || !S_root) {
        fprintf(stderr, "test_e2e: set LB_BIN and LB_ROOT (make test does)\n");
        return -1;
    }
    strcpy(S_tmp, "/tmp/lb-e2e-XXXXXX");
    if (!mkdtemp(S_tmp))
        return -1;
    char out[512], msg[4096];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    int rc = S_run(out, NULL, msg, sizeof msg);
    if (rc != 0) {
        fprintf(stderr, "test_e2e: lossbook failed (%d): %s\n", rc, msg);
        return -1;
    }
    return 0;
}

static int S_group_teardown(void **state)
{
    (void)state;
    char msg[64];
    return S_sh(msg, sizeof msg, "rm -rf '%s'", S_tmp) == 0 ? 0 : -1;
}

static void test_promised_files(void **state)
{
    (void)state;
    char out[512], rel[256];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    static const char *const dat[] = {"exp", "softmax3", "softmax4", "logp", "neglogp", "points"};
    for (size_t i = 0; i < sizeof dat / sizeof dat[0]; i++) {
        snprintf(rel, sizeof rel, "data/%s.dat", dat[i]);
        assert_true(S_file_nonempty(out, rel));
        snprintf(rel, sizeof rel, "data/%s.csv", dat[i]);
        assert_true(S_file_nonempty(out, rel));
    }
    static const char *const csv[] = {"step-1", "step-6", "summary", "confidence", "logp",
                                      "bce", "multiclass", "grad", "gdstep"};
    for (size_t i = 0; i < sizeof csv / sizeof csv[0]; i++) {
        snprintf(rel, sizeof rel, "data/%s.csv", csv[i]);
        assert_true(S_file_nonempty(out, rel));
    }
    for (size_t i = 0; i < S_NFIG; i++) {
        static const char *const ext[] = {"gp", "png", "svg"};
        for (size_t k = 0; k < 3; k++) {
            snprintf(rel, sizeof rel, "figures/%s.%s", S_figures[i], ext[k]);
            assert_true(S_file_nonempty(out, rel));
        }
    }
    assert_true(S_file_nonempty(out, "report.pdf"));
    assert_true(S_file_nonempty(out, "report.md"));
    /* no staging folder left behind */
    char msg[256];
    assert_int_not_equal(S_sh(msg, sizeof msg, "ls -A '%s' | grep staging", out), 0);
}

/* The mean loss in the summary CSV, read back at full precision, equals the
 * independently derived value: python3 decimal at 40 digits over the seed's
 * logits/targets gives mean = 0.76791418079... (tests/test_example.c has the
 * derivation). */
static void test_summary_csv_mean(void **state)
{
    (void)state;
    char msg[8192];
    int rc = S_sh(msg, sizeof msg, "cat '%s/out/data/summary.csv'", S_tmp);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(msg, "0.7679141807"));
}

/* Each script reproduces its figure on its own, from its folder: copy the
 * data and scripts to a fresh place, delete the figures, run gnuplot. */
static void test_scripts_standalone(void **state)
{
    (void)state;
    char msg[4096];
    int rc = S_sh(msg, sizeof msg,
                  "set -e; d='%s/standalone'; mkdir -p \"$d/figures\"; "
                  "cp -r '%s/out/data' \"$d/\"; cp '%s/out/figures/'*.gp \"$d/figures/\"", S_tmp,
                  S_tmp, S_tmp);
    assert_int_equal(rc, 0);
    for (size_t i = 0; i < S_NFIG; i++) {
        rc = S_sh(msg, sizeof msg, "cd '%s/standalone/figures' && gnuplot %s.gp 2>&1", S_tmp,
                  S_figures[i]);
        if (rc != 0)
            fprintf(stderr, "%s.gp: %s\n", S_figures[i], msg);
        assert_int_equal(rc, 0);
        /* The very same figure, pixel for pixel.  (The SVG of a figure drawn
         * after another in one gnuplot process lacks one empty <g>, since
         * `reset session` keeps the svg terminal's state: nothing drawn
         * differs, so the PNG is the byte-exact check.) */
        rc = S_sh(msg, sizeof msg, "cmp '%s/standalone/figures/%s.png' '%s/out/figures/%s.png'",
                  S_tmp, S_figures[i], S_tmp, S_figures[i]);
        assert_int_equal(rc, 0);
    }
}

/* Issue 6: the PDF draws figures as vectors: no raster image at all, and
 * the figures' text (titles, axis labels) is real, extractable text. */
static void test_vector_figures(void **state)
{
    (void)state;
    char msg[8192];
    int rc = S_sh(msg, sizeof msg, "pdfimages -list '%s/out/report.pdf' | tail -n +3 | wc -l",
                  S_tmp);
    assert_int_equal(rc, 0);
    assert_int_equal(atoi(msg), 0);
    /* Every <text> string gnuplot put in each SVG's axis labels must come out
     * of pdftotext: take the ylabel/xlabel words from the SVG itself. */
    for (size_t i = 0; i < S_NFIG; i++) {
        rc = S_sh(msg, sizeof msg,
                  "words=$(sed -n 's/.*<tspan[^>]*>\\([A-Za-z][A-Za-z ]\\{4,\\}\\)<.*/\\1/p' "
                  "'%s/out/figures/%s.svg' | sed 's/^ *//; s/ *$//' | sort -u); "
                  "[ -n \"$words\" ] || { echo 'no words in the SVG'; exit 3; }; "
                  "txt=$(pdftotext '%s/out/report.pdf' - | tr -s ' \\n' '  '); "
                  "echo \"$words\" | while read -r w; do "
                  "case \"$txt\" in *\"$w\"*) ;; *) echo \"missing: $w\"; exit 4;; esac; done",
                  S_tmp, S_figures[i], S_tmp);
        if (rc != 0)
            fprintf(stderr, "%s: %s\n", S_figures[i], msg);
        assert_int_equal(rc, 0);
    }
}

static void test_reproducible(void **state)
{
    (void)state;
    char out2[512], msg[4096];
    snprintf(out2, sizeof out2, "%s/out2", S_tmp);
    assert_int_equal(S_run(out2, NULL, msg, sizeof msg), 0);
    int rc = S_sh(msg, sizeof msg, "diff -r '%s/out' '%s' 2>&1", S_tmp, out2);
    if (rc != 0)
        fprintf(stderr, "%s\n", msg);
    assert_int_equal(rc, 0);
}

static void test_bad_flag(void **state)
{
    (void)state;
    char msg[4096];
    int rc = S_sh(msg, sizeof msg, "'%s' --no-such-flag 2>&1", S_bin);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(msg, "unknown option '--no-such-flag'"));
    rc = S_sh(msg, sizeof msg, "'%s' --help 2>&1", S_bin);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(msg, "--template"));
    rc = S_sh(msg, sizeof msg, "'%s' --version 2>&1", S_bin);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(msg, "lossbook"));
}

/* A bad example file: exit 2, one message with file:line:col, and the
 * earlier outputs stay byte-identical. */
static void test_bad_input_keeps_outputs(void **state)
{
    (void)state;
    char msg[4096];
    int rc = S_sh(msg, sizeof msg,
                  "cd '%s' && cp -r out keep && printf '{\"logits\": [[[1, 2]]], \"targets\": "
                  "[[7]]}' > bad.json",
                  S_tmp);
    assert_int_equal(rc, 0);
    char bad[512], out[512];
    snprintf(bad, sizeof bad, "--example '%s/bad.json'", S_tmp);
    snprintf(out, sizeof out, "%s/out", S_tmp);
    rc = S_sh(msg, sizeof msg,
              "cd '%s' && '%s' --quiet --out '%s' --template templates/handout.md %s 2>&1",
              S_root, S_bin, out, bad);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(msg, "bad.json:1:"));
    assert_null(strchr(strchr(msg, '\n') ? strchr(msg, '\n') + 1 : "", '\n')); /* one line */
    rc = S_sh(msg, sizeof msg, "diff -r '%s/keep' '%s/out' 2>&1", S_tmp, S_tmp);
    assert_int_equal(rc, 0);

    /* An unknown directive in a template: the template's line:column. */
    rc = S_sh(msg, sizeof msg,
              "cd '%s' && printf '# T\\n\\nSome text.\\n\\n[x](table:nope)\\n' > bad.md",
              S_tmp);
    assert_int_equal(rc, 0);
    rc = S_sh(msg, sizeof msg,
              "cd '%s' && '%s' --quiet --out '%s' --example templates/examples/llm-batch.json "
              "--template '%s/bad.md' 2>&1",
              S_root, S_bin, out, S_tmp);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(msg, "bad.md:5:"));
    assert_non_null(strstr(msg, "nope"));
    rc = S_sh(msg, sizeof msg, "diff -r '%s/keep' '%s/out' 2>&1", S_tmp, S_tmp);
    assert_int_equal(rc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_promised_files),
        cmocka_unit_test(test_summary_csv_mean),
        cmocka_unit_test(test_scripts_standalone),
        cmocka_unit_test(test_vector_figures),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_bad_flag),
        cmocka_unit_test(test_bad_input_keeps_outputs),
    };
    return cmocka_run_group_tests_name("e2e", tests, S_group_setup, S_group_teardown);
}
