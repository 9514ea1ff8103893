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
 *   a cached SVG edited by hand -> that figure drawn, and repaired;
 *   with the Chinese template too: its translated figures (NAME.zh.*) are
 *                                 reused alike, also after a prose-only edit.
 * And at library level: the record's hashes (XXH64 with two seeds, checked
 * against libxxhash), reuse copying the outputs and their record, and a
 * change past the first 64 KiB read, or another key, refused.
 * No timing here: the speed is measured by make bench. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "plot/figcache.h"
#include "plot/figrun.h"
#include "testkit.h"

static const char *const S_NAMES[6] = {"exp", "softmax3", "softmax4", "logp", "neglogp",
                                       "points"};

/* Run lossbook --verbose into DIR (env: extra "NAME=value" or NULL, then
 * one optional --example FILE); returns a bit set of the figures it drew
 * (bit i = S_NAMES[i]). */
static int S_run(const char *env, const char *dir, const char *example)
{
    const char *envv[2] = {env, NULL};
    tk_opts o = {0};
    o.env = env ? envv : NULL;
    tk_result r = {0};
    if (example)
        tk_lb(&r, &o, "--verbose", "--out", dir, "--example", example, NULL);
    else
        tk_lb(&r, &o, "--verbose", "--out", dir, NULL);
    if (r.status != 0)
        fail_msg("lossbook failed (exit %d): %s", r.status, r.err);
    int drawn = 0, seen = 0;
    for (char *line = strtok(r.err, "\n"); line; line = strtok(NULL, "\n"))
        for (int i = 0; i < 6; i++) {
            char key[64];
            snprintf(key, sizeof key, "lossbook: figure %-8s -> ", S_NAMES[i]);
            if (strncmp(line, key, strlen(key)) != 0)
                continue;
            seen |= 1 << i;
            if (!strstr(line, "(unchanged: reused)"))
                drawn |= 1 << i;
        }
    tk_result_free(&r);
    assert_int_equal(seen, 63);
    return drawn;
}

/* a/figures/PRE NAME SUF and b/figures/PRE NAME SUF are byte-identical. */
static void S_same_file(const char *a, const char *b, const char *pre, const char *name,
                        const char *suf)
{
    char pa[1024], pb[1024];
    snprintf(pa, sizeof pa, "%s/figures/%s%s%s", a, pre, name, suf);
    snprintf(pb, sizeof pb, "%s/figures/%s%s%s", b, pre, name, suf);
    char *d = tk_diff(pa, pb);
    if (d)
        fail_msg("%s", d);
}

static const char *const S_EXT[3] = {".png", ".svg", ".dark.png"};

/* The six figures' outputs in a and b are byte-identical. */
static void S_same_figures(const char *a, const char *b)
{
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < 3; k++)
            S_same_file(a, b, "", S_NAMES[i], S_EXT[k]);
}

/* Append `text` to the file at path. */
static void S_append(const char *path, const char *text)
{
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* path relative to the scratch folder, in a buffer of the caller's */
static const char *S_at(char *buf, size_t n, const char *rel)
{
    snprintf(buf, n, "%s/%s", tk_scratch(), rel);
    return buf;
}

static void test_unchanged_is_reused(void **state)
{
    (void)state;
    char out[512], fresh[512];
    S_at(out, sizeof out, "out");
    S_at(fresh, sizeof fresh, "fresh");
    assert_int_equal(S_run(NULL, out, NULL), 63);      /* empty folder: all drawn */
    assert_int_equal(S_run(NULL, out, NULL), 0);       /* nothing changed: none */
    /* a reused figure carries its record along (figcache_reuse writes it):
     * the run after reuses it again */
    assert_int_equal(S_run(NULL, out, NULL), 0);
    assert_int_equal(S_run(NULL, fresh, NULL), 63);
    S_same_figures(out, fresh);
    for (int i = 0; i < 6; i++)   /* the record as a fresh render writes it */
        S_same_file(out, fresh, ".", S_NAMES[i], ".key");
    char pa[600], pb[600];
    snprintf(pa, sizeof pa, "%s/report.pdf", out);
    snprintf(pb, sizeof pb, "%s/report.pdf", fresh);
    char *d = tk_diff(pa, pb);
    if (d)
        fail_msg("%s", d);
}

static void test_changed_example(void **state)
{
    (void)state;
    char out[512], ex[512];
    S_at(out, sizeof out, "out");
    S_at(ex, sizeof ex, "ex.json");
    char *json = tk_read_file(tk_src("templates/examples/llm-batch.json"), NULL);
    assert_non_null(json);
    char *at = strstr(json, "[2.0, 1.0, 0.1, 0.0, -1.0]");
    assert_non_null(at);
    at[3] = '5';   /* the first logit 2.0 -> 2.5 */
    assert_int_equal(tk_write_file(ex, json), 0);
    free(json);
    S_run(NULL, out, NULL);
    /* The first figure's SVG is hard-linked from this run and redrawn by
     * the SVG gnuplot in the next one (figrun.c): into a new file, never
     * into this one (its time and bytes stay). */
    char svg[600];
    snprintf(svg, sizeof svg, "%s/figures/exp.svg", out);
    int fd = open(svg, O_RDONLY);
    assert_true(fd >= 0);
    struct stat before, after, now;
    assert_int_equal(fstat(fd, &before), 0);
    assert_int_equal(S_run(NULL, out, ex), 1 << 5);   /* points only */
    assert_int_equal(fstat(fd, &after), 0);
    assert_int_equal(stat(svg, &now), 0);
    assert_true(now.st_ino != before.st_ino);
    assert_true(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
                after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
    assert_int_equal(after.st_size, before.st_size);
    close(fd);
    assert_int_equal(S_run(NULL, out, ex), 0);
    assert_int_equal(S_run(NULL, out, NULL), 1 << 5);   /* and back */
}

/* Run lossbook --verbose into DIR with the English template and the
 * Chinese one in folder TPL (handout.md, handout.zh.md: they name one
 * claims file), then one optional --example FILE; *seen = the translated
 * figures it reported (NAME.zh), returns how many of them it drew. */
static int S_run_zh(const char *dir, const char *tpl, const char *example, int *seen)
{
    tk_opts o = {0};
    tk_result r = {0};
    char en[600], zh_tpl[600];
    snprintf(en, sizeof en, "%s/handout.md", tpl);
    snprintf(zh_tpl, sizeof zh_tpl, "%s/handout.zh.md", tpl);
    if (example)
        tk_lb(&r, &o, "--verbose", "--out", dir, "-t", en, "-t", zh_tpl, "--example", example,
              NULL);
    else
        tk_lb(&r, &o, "--verbose", "--out", dir, "-t", en, "-t", zh_tpl, NULL);
    if (r.status != 0)
        fail_msg("lossbook failed (exit %d): %s", r.status, r.err);
    int drawn = 0;
    *seen = 0;
    for (char *line = strtok(r.err, "\n"); line; line = strtok(NULL, "\n")) {
        const char *name = strncmp(line, "lossbook: figure ", 17) == 0 ? line + 17 : NULL;
        const char *sp = name ? strchr(name, ' ') : NULL;
        if (!sp || sp - name < 4 || strncmp(sp - 3, ".zh", 3) != 0)
            continue;
        (*seen)++;
        if (!strstr(line, "(unchanged: reused)"))
            drawn++;
    }
    tk_result_free(&r);
    return drawn;
}

/* The figures of a Chinese handout (figlang.h: NAME.zh.png/.svg/.dark.png)
 * are cached like the others: a second run with both templates draws none
 * of them, nor does a run whose Chinese template changed only in its
 * prose; one logit of the example changed redraws the translated `points`
 * (its data) and no other; a reused one is byte for byte a fresh one. */
static void test_translated_figures(void **state)
{
    (void)state;
    char out[512], fresh[512], tpl[512], zh[512], ex[512], at_[512];
    S_at(out, sizeof out, "out");
    S_at(fresh, sizeof fresh, "fresh");
    S_at(tpl, sizeof tpl, "tpl");
    S_at(zh, sizeof zh, "tpl/handout.zh.md");
    S_at(ex, sizeof ex, "ex.json");
    assert_int_equal(tk_mkdirs(tpl), 0);
    assert_int_equal(tk_copy(tk_src("templates/handout.md"),
                             S_at(at_, sizeof at_, "tpl/handout.md")), 0);
    assert_int_equal(tk_copy(tk_src("templates/handout.zh.md"), zh), 0);
    assert_int_equal(tk_copy(tk_src("templates/examples/"), S_at(at_, sizeof at_, "tpl/examples")),
                     0);   /* the claims and the example the templates name */
    int seen, all;
    all = S_run_zh(out, tpl, NULL, &seen);
    assert_true(seen >= 6);
    assert_int_equal(all, seen);                       /* empty folder: all drawn */
    assert_int_equal(S_run_zh(out, tpl, NULL, &seen), 0);
    assert_int_equal(seen, all);
    S_append(zh, "\n另加的一段说明文字，只改动了正文。\n");   /* prose only */
    assert_int_equal(S_run_zh(out, tpl, NULL, &seen), 0);
    assert_int_equal(seen, all);
    assert_int_equal(S_run_zh(fresh, tpl, NULL, &seen), all);
    for (int k = 0; k < 3; k++)
        S_same_file(out, fresh, "", "points.zh", S_EXT[k]);
    char *json = tk_read_file(tk_src("templates/examples/llm-batch.json"), NULL);
    assert_non_null(json);
    char *at = strstr(json, "[2.0, 1.0, 0.1, 0.0, -1.0]");
    assert_non_null(at);
    at[3] = '5';   /* the first logit 2.0 -> 2.5: points.dat changes */
    assert_int_equal(tk_write_file(ex, json), 0);
    free(json);
    assert_int_equal(S_run_zh(out, tpl, ex, &seen), 1);
    assert_int_equal(S_run_zh(out, tpl, ex, &seen), 0);
}

static void test_changed_gnuplot(void **state)
{
    (void)state;
    char out[512], bin[512], wrap[600], log[600], env[1200];
    S_at(out, sizeof out, "out");
    S_at(bin, sizeof bin, "bin");
    snprintf(wrap, sizeof wrap, "%s/gnuplot", bin);
    snprintf(log, sizeof log, "%s/log", bin);
    S_run(NULL, out, NULL);
    assert_int_equal(tk_mkdirs(bin), 0);
    char script[2000];
    /* gnuplot may write only in its figures folder (Landlock,
     * base/confine.h), and so may this wrapper: it leaves its mark there */
    snprintf(log, sizeof log, "%s/figures/wrapper-used", out);
    snprintf(script, sizeof script, "#!/bin/sh\necho used >> wrapper-used\n"
             "exec /usr/bin/gnuplot \"$@\"\n");
    assert_int_equal(tk_write_file(wrap, script), 0);
    assert_int_equal(chmod(wrap, 0755), 0);
    snprintf(env, sizeof env, "PATH=%s:%s", bin, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    assert_int_equal(S_run(env, out, NULL), 63);
    assert_true(tk_file_size(log) > 0);                 /* that gnuplot drew them */
    assert_int_equal(S_run(env, out, NULL), 0);
    assert_int_equal(S_run(NULL, out, NULL), 63);
}

static void test_changed_fonts(void **state)
{
    (void)state;
    char out[512], conf[512], env[700];
    S_at(out, sizeof out, "out");
    S_at(conf, sizeof conf, "fonts.conf");
    S_run(NULL, out, NULL);
    assert_int_equal(tk_copy("/etc/fonts/fonts.conf", conf), 0);
    snprintf(env, sizeof env, "FONTCONFIG_FILE=%s", conf);
    assert_int_equal(S_run(env, out, NULL), 63);
    assert_int_equal(S_run(env, out, NULL), 0);
    S_append(conf, "<!-- another configuration -->\n");   /* the same file, changed */
    assert_int_equal(S_run(env, out, NULL), 63);
}

static void test_edited_output(void **state)
{
    (void)state;
    char out[512], keep[512], p[700];
    S_at(out, sizeof out, "out");
    S_at(keep, sizeof keep, "logp.svg");
    S_run(NULL, out, NULL);
    snprintf(p, sizeof p, "%s/figures/logp.svg", out);
    assert_int_equal(tk_copy(p, keep), 0);
    S_append(p, "<!-- edited -->\n");
    assert_int_equal(S_run(NULL, out, NULL), 1 << 3);
    char *d = tk_diff(p, keep);                        /* repaired */
    if (d)
        fail_msg("%s", d);
    snprintf(p, sizeof p, "%s/figures/exp.png", out);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(S_run(NULL, out, NULL), 1 << 0);
    snprintf(p, sizeof p, "%s/figures/softmax3.dark.png", out);
    S_append(p, "x");
    assert_int_equal(S_run(NULL, out, NULL), 1 << 1);
}

/* Same data, another script: only that figure is drawn again. */
static void test_changed_script(void **state)
{
    (void)state;
    char out[512], a[600], b[700], cache[700], p[800], q[800];
    S_at(out, sizeof out, "out");
    S_run(NULL, out, NULL);
    /* a second folder holding the same data, figures cached from out */
    S_at(a, sizeof a, "lib");
    snprintf(b, sizeof b, "%s/figures", a);
    snprintf(cache, sizeof cache, "%s/figures", out);
    snprintf(p, sizeof p, "%s/data/", out); /* data/: through the link (outdir.h) */
    snprintf(q, sizeof q, "%s/data", a);
    assert_int_equal(tk_mkdirs(b), 0);
    assert_int_equal(tk_copy(p, q), 0);
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
    snprintf(p, sizeof p, "%s/points.gp", b);
    char *gp = tk_read_file(p, NULL);
    assert_non_null(gp);
    assert_non_null(strstr(gp, "first position"));
    free(gp);
}

/* Write n bytes to dir/name. */
static void S_put(const char *dir, const char *name, const unsigned char *b, size_t n)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* dir/t.svg (empty), t.png (33 bytes), t.dark.png (70001 bytes: two reads
 * of figcache's 64 KiB buffer, tail not a multiple of 32). */
static void S_three(const char *dir)
{
    static unsigned char png[33], dark[70001];
    for (size_t i = 0; i < sizeof png; i++)
        png[i] = (unsigned char)(i * 7 % 251);
    for (size_t i = 0; i < sizeof dark; i++)
        dark[i] = (unsigned char)((i * i + 3) % 256);
    S_put(dir, "t.svg", png, 0);
    S_put(dir, "t.png", png, sizeof png);
    S_put(dir, "t.dark.png", dark, sizeof dark);
}

static void test_record_hashes(void **state)
{
    (void)state;
    char dir[512], p[600];
    S_at(dir, sizeof dir, "rec");
    assert_int_equal(tk_mkdirs(dir), 0);
    S_three(dir);
    figcache_key key;
    for (int i = 0; i < 16; i++)
        key.h[i] = (unsigned char)i;
    lb_err e;
    err_clear(&e);
    assert_int_equal(figcache_record(dir, "t", &key, &e), 0);
    snprintf(p, sizeof p, "%s/.t.key", dir);
    char *rec = tk_read_file(p, NULL);
    assert_non_null(rec);
    /* Each hash: XXH64 with seed 0, then with seed 0x6c62272e07bb0142,
     * each little-endian, computed by Python through libxxhash.so.0
     * (ctypes, XXH64(data, len, seed)) on the same bytes; the empty one is
     * the specification's XXH64("") = 0xEF46DB3751D8E999. */
    assert_string_equal(rec, "lossbook-figcache 3\n"
                             "key 000102030405060708090a0b0c0d0e0f\n"
                             ".svg 99e9d85137db46efb089907f2199249e\n"
                             ".png 945bd6f83c041b93bef2061f5a96c75b\n"
                             ".dark.png b3f591c5fa7942dea00e1ebed918db5d\n");
    free(rec);
}

static void test_reuse_copies(void **state)
{
    (void)state;
    umask(022);
    char cache[512], a[512], b[512], p[600], q[600];
    S_at(cache, sizeof cache, "cache");
    S_at(a, sizeof a, "a");
    S_at(b, sizeof b, "b");
    assert_int_equal(tk_mkdirs(cache), 0);
    assert_int_equal(tk_mkdirs(a), 0);
    assert_int_equal(tk_mkdirs(b), 0);
    S_three(cache);
    figcache_key key, other;
    memset(&key, 7, sizeof key);
    memset(&other, 7, sizeof other);
    other.h[15] = 8;
    lb_err e;
    err_clear(&e);
    assert_int_equal(figcache_record(cache, "t", &key, &e), 0);
    /* another key: a miss, nothing copied */
    assert_int_equal(figcache_reuse(cache, b, "t", &other), 0);
    snprintf(p, sizeof p, "%s/t.png", b);
    assert_int_equal(access(p, F_OK), -1);
    /* the same key: taken, with the record */
    assert_int_equal(figcache_reuse(cache, a, "t", &key), 1);
    /* the outputs and the record hard-linked (files no other name shares,
     * of a fresh file's mode: umask 022 above) */
    static const char *const linked[] = {"t.svg", "t.png", "t.dark.png", ".t.key"};
    struct stat sc, sa;
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", cache, linked[i]);
        snprintf(q, sizeof q, "%s/%s", a, linked[i]);
        assert_int_equal(stat(p, &sc), 0);
        assert_int_equal(stat(q, &sa), 0);
        assert_true(sc.st_ino == sa.st_ino);
        assert_int_equal(sa.st_nlink, 2);
    }
    static const char *const f[] = {"t.svg", "t.png", "t.dark.png", ".t.key"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", cache, f[i]);
        snprintf(q, sizeof q, "%s/%s", a, f[i]);
        char *d = tk_diff(p, q);
        if (d)
            fail_msg("%s", d);
    }
    /* figcache_record keeps a reused figure's record */
    assert_int_equal(figcache_record(a, "t", &key, &e), 0);
    snprintf(p, sizeof p, "%s/.t.key", cache);
    snprintf(q, sizeof q, "%s/.t.key", a);
    char *d = tk_diff(p, q);
    if (d)
        fail_msg("%s", d);
    /* one byte changed after the first 64 KiB: a miss */
    snprintf(p, sizeof p, "%s/t.dark.png", cache);
    FILE *fp = fopen(p, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 69000, SEEK_SET), 0);
    int c = fgetc(fp);
    assert_int_equal(fseek(fp, 69000, SEEK_SET), 0);
    fputc(c ^ 1, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(figcache_reuse(cache, b, "t", &key), 0);
    /* a miss leaves nothing in b (no link a render would write through),
     * and no second name on the cached files */
    static const char *const all[] = {"t.svg", "t.png", "t.dark.png", ".t.key"};
    for (int i = 0; i < 4; i++) {
        snprintf(q, sizeof q, "%s/%s", b, all[i]);
        assert_int_equal(access(q, F_OK), -1);
    }
    /* a cached file shared with another name is copied, not linked */
    snprintf(p, sizeof p, "%s/t.png", a);
    assert_int_equal(unlink(p), 0);
    snprintf(p, sizeof p, "%s/t.png", cache);
    snprintf(q, sizeof q, "%s/other.png", cache);
    assert_int_equal(link(p, q), 0);
    snprintf(p, sizeof p, "%s/t.dark.png", cache);   /* the change undone */
    fp = fopen(p, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 69000, SEEK_SET), 0);
    fputc(c, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(figcache_reuse(cache, b, "t", &key), 1);
    snprintf(p, sizeof p, "%s/t.png", cache);
    snprintf(q, sizeof q, "%s/t.png", b);
    assert_int_equal(stat(p, &sc), 0);
    assert_int_equal(stat(q, &sa), 0);
    assert_true(sc.st_ino != sa.st_ino);
    assert_int_equal(sc.st_nlink, 2);   /* t.png and other.png */
}

static int S_group_setup(void **state)
{
    (void)state;
    return tk_need_bin("test_figcache");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        tk_unit_test_scratch(test_unchanged_is_reused),
        tk_unit_test_scratch(test_changed_example),
        tk_unit_test_scratch(test_translated_figures),
        tk_unit_test_scratch(test_changed_gnuplot),
        tk_unit_test_scratch(test_changed_fonts),
        tk_unit_test_scratch(test_edited_output),
        tk_unit_test_scratch(test_changed_script),
        tk_unit_test_scratch(test_record_hashes),
        tk_unit_test_scratch(test_reuse_copies),
    };
    return cmocka_run_group_tests_name("figcache", tests, S_group_setup, NULL);
}
