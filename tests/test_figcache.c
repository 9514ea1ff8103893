/* The figure cache (src/plot/figcache.c, fig_run_* in figures.c), end to
 * end through build/lossbook: a figure is reused from the previous run only
 * when nothing that shapes it changed, and a reused figure is byte for byte
 * a fresh render.  Each case changes one input and checks which figures
 * were drawn again (lossbook --verbose says "(unchanged: reused)" for the
 * others):
 *   nothing changed            -> all six reused, outputs identical to a
 *                                 fresh run into an empty folder;
 *   one logit of the example   -> only `points` (its data) drawn;
 *   the script (a new label)   -> only `points` drawn (library level: the
 *                                 same data, another script);
 *   another gnuplot on PATH    -> all drawn, through that gnuplot;
 *   another fontconfig file    -> all drawn;
 *   a cached SVG edited by hand -> that figure drawn, and repaired.
 * No timing here: the speed is measured by make bench. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "plot/figrun.h"

static char S_bin[1024], S_root[1024], S_tmp[256];

static const char *const S_NAMES[6] = {"exp", "softmax3", "softmax4", "logp", "neglogp",
                                       "points"};

/* Run lossbook --verbose into DIR with extra shell prefix/args; returns a
 * bit set of the figures it drew (bit i = S_NAMES[i]). */
static int S_run(const char *prefix, const char *dir, const char *args)
{
    char cmd[4096], log[512];
    snprintf(log, sizeof log, "%s/log.txt", S_tmp);
    snprintf(cmd, sizeof cmd, "cd %s && %s %s --verbose --out %s %s > %s 2>&1", S_root,
             prefix ? prefix : "", S_bin, dir, args ? args : "", log);
    int rc = system(cmd);
    if (rc != 0) {
        char show[4200];
        snprintf(show, sizeof show, "cat %s", log);
        (void)system(show);
        fail_msg("lossbook failed: %s", cmd);
    }
    FILE *f = fopen(log, "r");
    assert_non_null(f);
    char line[1024];
    int drawn = 0, seen = 0;
    while (fgets(line, sizeof line, f)) {
        for (int i = 0; i < 6; i++) {
            char key[64];
            snprintf(key, sizeof key, "lossbook: figure %-8s -> ", S_NAMES[i]);
            if (strncmp(line, key, strlen(key)) != 0)
                continue;
            seen |= 1 << i;
            if (!strstr(line, "(unchanged: reused)"))
                drawn |= 1 << i;
        }
    }
    fclose(f);
    assert_int_equal(seen, 63);
    return drawn;
}

static void S_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

/* The six figures' outputs in a and b are byte-identical. */
static void S_same_figures(const char *a, const char *b)
{
    static const char *const ext[] = {".png", ".svg", ".dark.png"};
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < 3; k++)
            S_sh("cmp -s %s/figures/%s%s %s/figures/%s%s", a, S_NAMES[i], ext[k], b, S_NAMES[i],
                 ext[k]);
}

static int S_setup(void **state)
{
    (void)state;
    const char *b = getenv("LB_BIN"), *r = getenv("LB_ROOT");
    snprintf(S_bin, sizeof S_bin, "%s", b ? b : "build/lossbook");
    snprintf(S_root, sizeof S_root, "%s", r ? r : ".");
    snprintf(S_tmp, sizeof S_tmp, "/tmp/lb-figcache-XXXXXX");
    return mkdtemp(S_tmp) ? 0 : -1;
}

static int S_teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", S_tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_unchanged_is_reused(void **state)
{
    (void)state;
    char out[512], fresh[512];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    snprintf(fresh, sizeof fresh, "%s/fresh", S_tmp);
    assert_int_equal(S_run(NULL, out, NULL), 63);      /* empty folder: all drawn */
    assert_int_equal(S_run(NULL, out, NULL), 0);       /* nothing changed: none */
    assert_int_equal(S_run(NULL, fresh, NULL), 63);
    S_same_figures(out, fresh);
    S_sh("cmp -s %s/report.pdf %s/report.pdf", out, fresh);
}

static void test_changed_example(void **state)
{
    (void)state;
    char out[512];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    S_sh("sed 's/\\[2.0, 1.0, 0.1, 0.0, -1.0\\]/[2.5, 1.0, 0.1, 0.0, -1.0]/' "
         "%s/templates/examples/llm-batch.json > %s/ex.json && ! cmp -s %s/ex.json "
         "%s/templates/examples/llm-batch.json", S_root, S_tmp, S_tmp, S_root);
    char args[600];
    snprintf(args, sizeof args, "--example %s/ex.json", S_tmp);
    S_run(NULL, out, NULL);
    assert_int_equal(S_run(NULL, out, args), 1 << 5);   /* points only */
    assert_int_equal(S_run(NULL, out, args), 0);
    assert_int_equal(S_run(NULL, out, NULL), 1 << 5);   /* and back */
}

static void test_changed_gnuplot(void **state)
{
    (void)state;
    char out[512], prefix[1024];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    S_run(NULL, out, NULL);
    S_sh("mkdir -p %s/bin && printf '#!/bin/sh\\necho used >> %s/bin/log\\n"
         "exec %s \"$@\"\\n' > %s/bin/gnuplot && chmod +x %s/bin/gnuplot", S_tmp, S_tmp,
         "/usr/bin/gnuplot", S_tmp, S_tmp);
    snprintf(prefix, sizeof prefix, "PATH=%s/bin:$PATH", S_tmp);
    assert_int_equal(S_run(prefix, out, NULL), 63);
    S_sh("test -s %s/bin/log", S_tmp);                  /* that gnuplot drew them */
    assert_int_equal(S_run(prefix, out, NULL), 0);
    assert_int_equal(S_run(NULL, out, NULL), 63);
}

static void test_changed_fonts(void **state)
{
    (void)state;
    char out[512], prefix[1024];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    S_run(NULL, out, NULL);
    S_sh("cp /etc/fonts/fonts.conf %s/fonts.conf", S_tmp);
    snprintf(prefix, sizeof prefix, "FONTCONFIG_FILE=%s/fonts.conf", S_tmp);
    assert_int_equal(S_run(prefix, out, NULL), 63);
    assert_int_equal(S_run(prefix, out, NULL), 0);
    S_sh("touch -d '2001-01-01' %s/fonts.conf", S_tmp);  /* the same file, changed */
    assert_int_equal(S_run(prefix, out, NULL), 63);
}

static void test_edited_output(void **state)
{
    (void)state;
    char out[512];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    S_run(NULL, out, NULL);
    S_sh("cp %s/figures/logp.svg %s/logp.svg && echo '<!-- edited -->' >> %s/figures/logp.svg",
         out, S_tmp, out);
    assert_int_equal(S_run(NULL, out, NULL), 1 << 3);
    S_sh("cmp -s %s/figures/logp.svg %s/logp.svg", out, S_tmp);   /* repaired */
    S_sh("rm %s/figures/exp.png", out);
    assert_int_equal(S_run(NULL, out, NULL), 1 << 0);
    S_sh("echo x >> %s/figures/softmax3.dark.png", out);
    assert_int_equal(S_run(NULL, out, NULL), 1 << 1);
}

/* Same data, another script: only that figure is drawn again. */
static void test_changed_script(void **state)
{
    (void)state;
    char out[512], a[600], b[700];
    snprintf(out, sizeof out, "%s/out", S_tmp);
    S_run(NULL, out, NULL);
    /* a second output folder holding the same data, figures cached from out */
    snprintf(a, sizeof a, "%s/lib", S_tmp);
    S_sh("rm -rf %s && mkdir -p %s/figures && cp -r %s/data %s/data", a, a, out, a);
    snprintf(b, sizeof b, "%s/figures", a);
    char cache[700];
    snprintf(cache, sizeof cache, "%s/figures", out);
    const char *labels[1] = {"first position"};
    fig_opts o = {.point_labels = NULL, .n_point_labels = 0, .timeout_ms = 0, .seq_len = 3,
                  .cache_dir = cache};
    lb_err e;
    err_clear(&e);
    figrun *r = figrun_start(b, "../data", &o, 1, &e);
    if (!r)
        fail_msg("%s", e.msg);
    assert_int_equal(figrun_finish(r, &e), 0);
    for (int i = 0; i < 6; i++)
        assert_int_equal(figrun_drawn(r, S_NAMES[i]), 0);   /* the same scripts */
    figrun_free(r);
    o.point_labels = labels;
    o.n_point_labels = 1;
    r = figrun_start(b, "../data", &o, 1, &e);
    assert_non_null(r);
    assert_int_equal(figrun_finish(r, &e), 0);
    for (int i = 0; i < 6; i++)
        assert_int_equal(figrun_drawn(r, S_NAMES[i]), i == 5);
    figrun_free(r);
    S_sh("grep -q 'first position' %s/points.gp", b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unchanged_is_reused),
        cmocka_unit_test(test_changed_example),
        cmocka_unit_test(test_changed_gnuplot),
        cmocka_unit_test(test_changed_fonts),
        cmocka_unit_test(test_edited_output),
        cmocka_unit_test(test_changed_script),
    };
    return cmocka_run_group_tests_name("figcache", tests, S_setup, S_teardown);
}
