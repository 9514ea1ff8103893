/* Replays every saved fuzz input through the same entry points the
 * libFuzzer targets use (tests/fuzz/fuzz_*.c, included below with
 * FZ_NO_MAIN), so CI re-checks each finding and the seed corpora with gcc,
 * without clang, and — under `make test SANITIZE=1` — with ASan+UBSan.
 *
 *   tests/fuzz/regress/<target>/   inputs that once crashed, hung or broke
 *                                   the error contract (kept forever)
 *   tests/fuzz/corpus/<target>/    the seed corpora
 *   tests/fuzz/regress_<target>/, corpus_<target>/   the same, kept for the
 *                                  template target
 *
 * A test fails when an entry point crashes, reports through the sanitizers,
 * or aborts on a contract check (fuzz.h: a failure must carry exit code 1
 * or 2 and one line of message), or when an input takes longer than
 * S_INPUT_SECONDS (a hang is a finding too). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"

#define FZ_NO_MAIN
/* One object per test binary (Makefile): the targets are included whole. */
#include "fuzz/fuzz_example.c"
#include "fuzz/fuzz_math.c"
#include "fuzz/fuzz_svg.c"
/* fuzz_template.c has libFuzzer's entry points only; its path
 * (parse, resolve, export, re-parse) is replayed by S_template_one below. */
#include "compute/catalog.h"
#include "doc/doc.h"
#include "doc/mdparse.h"
#include "doc/render_md.h"
#include "doc/resolve.h"

/* Generous: sanitized builds are several times slower than libFuzzer's. */
#define S_INPUT_SECONDS 60

static const char *S_root;
static const char *S_current; /* input being replayed, for the alarm */

static void S_on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "test_fuzz_regress: input exceeded the time limit: ";
    ssize_t r = write(2, msg, sizeof msg - 1);
    if (S_current)
        r = write(2, S_current, strlen(S_current));
    r = write(2, "\n", 1);
    (void)r;
    _exit(3);
}

/* Feed every regular file of ROOT/tests/fuzz/<kind>/<target>/ to `one`,
 * in name order (same order every run).  Returns the number of inputs
 * replayed. */
static size_t S_replay_dir(const char *kind, const char *target,
                           int (*one)(const uint8_t *, size_t))
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", S_root, kind, target);
    char **names = tk_list_dir(dir, NULL, NULL);
    if (!names)
        return 0; /* no findings kept for this target */
    size_t done = 0;
    for (char **name = names; *name; name++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, *name);
        if (tk_file_size(path) < 0)
            continue; /* not a regular file */
        size_t len = 0;
        uint8_t *buf = (uint8_t *)tk_read_file(path, &len);
        assert_non_null(buf);
        S_current = path;
        alarm(S_INPUT_SECONDS);
        one(buf, len);
        alarm(0);
        S_current = NULL;
        free(buf);
        done++;
    }
    tk_list_free(names);
    return done;
}

static void S_replay(const char *target, int (*init)(void),
                     int (*one)(const uint8_t *, size_t))
{
    assert_int_equal(init(), 0);
    size_t nseed = S_replay_dir("corpus", target, one);
    size_t nreg = S_replay_dir("regress", target, one);
    /* The template target keeps its findings in tests/fuzz/regress_template/
     * (also replayed by test_render_md through mdp_parse alone). */
    char legacy[64];
    snprintf(legacy, sizeof legacy, "regress_%s", target);
    nreg += S_replay_dir(legacy, "", one);
    snprintf(legacy, sizeof legacy, "corpus_%s", target);
    nseed += S_replay_dir(legacy, "", one);
    printf("fuzz_%s: %zu seed inputs, %zu regression inputs replayed\n", target, nseed, nreg);
    /* The seed corpus is part of the repository: an empty one means the
     * target was never exercised (a broken path), not a pass. */
    assert_true(nseed > 0);
}

static void test_example(void **state)
{
    (void)state;
    S_replay("example", fz_example_init, fz_example_one);
}

static void test_math(void **state)
{
    (void)state;
    S_replay("math", fz_math_init, fz_math_one);
}

/* The template path against the default example's catalog. */
static ex_model *S_tex;
static cat *S_tcat;

static int S_template_init(void)
{
    static const char ex[] =
        "{\"logits\": [[[2.0, 1.0, 0.1, 0.0, -1.0], [0.5, 2.1, -1.2, 0.3, 0.0],"
        " [1.2, 0.7, 0.3, 2.2, -0.5]], [[1.5, -0.5, 2.3, 0.0, 0.1],"
        " [0.3, 0.8, 1.5, -1.0, 2.0], [2.2, 1.0, 0.5, 0.3, 0.0]]],"
        " \"targets\": [[0, 1, 3], [2, 4, 1]],"
        " \"tokens\": [\"the\", \"c*t\", \"s_t\", \"[on]\", \"m`a|t\"]}";
    if (S_tcat)
        return 0;
    lb_err e;
    err_clear(&e);
    if (!(S_tex = ex_load_buf(ex, sizeof ex - 1, "default-example", &e)) ||
        ex_compute(S_tex, &e) != 0 || !(S_tcat = cat_new(S_tex, &e))) {
        fprintf(stderr, "%s\n", e.msg);
        return -1;
    }
    return 0;
}

static int S_template_one(const uint8_t *data, size_t size)
{
    lb_err e;
    err_clear(&e);
    doc *d = mdp_parse("fuzz.md", (const char *)data, size, &e);
    if (!d) {
        fz_check_err(&e);
        return 0;
    }
    if (res_check(d, S_tcat, &e) != 0) {
        fz_check_err(&e);
    } else {
        char *out = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&out, &n);
        FZ_CHECK(f != NULL, "open_memstream");
        if (mdr_render(d, S_tcat, f, &e) != 0)
            fz_check_err(&e);
        fclose(f);
        free(out);
    }
    doc_free(d);
    return 0;
}

static void test_template(void **state)
{
    (void)state;
    S_replay("template", S_template_init, S_template_one);
}

static void test_svg(void **state)
{
    (void)state;
    S_replay("svg", fz_svg_init, fz_svg_one);
}

static int S_group_setup(void **state)
{
    (void)state;
    S_root = tk_root();
    signal(SIGALRM, S_on_alarm);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example),
        cmocka_unit_test(test_math),
        cmocka_unit_test(test_template),
        cmocka_unit_test(test_svg),
    };
    return cmocka_run_group_tests_name("fuzz_regress", tests, S_group_setup, NULL);
}
