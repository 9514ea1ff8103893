/* Interrupted, concurrent and starved runs of build/lossbook (issue 16).
 *
 * Two complete runs are made first: A (the default example) and B (the
 * same example with its first logit changed, so every data file, figure
 * and report differs).  Then, into a folder holding A:
 *   - SIGINT / SIGTERM at spread-out moments of run B: exit 130 / 143 with
 *     one line (or 0 if B finished first); the folder then shows exactly A
 *     or exactly B (`diff -r` through the links), one generation, no
 *     staging, and no gnuplot left alive (a wrapper records their pids);
 *   - a signal exactly inside the commit (LB_TEST_COMMIT_PAUSE): SIGTERM
 *     there takes effect after the switch (B, exit 143); SIGKILL before
 *     the switch leaves A, after it B; the next run removes the leftovers;
 *   - SIGKILL mid-run: the staging folder stays, the next run removes it;
 *   - two first runs into a new folder at once, and overlapping runs into
 *     one folder: both succeed, the folder is A or B, never a mix;
 *   - RLIMIT_FSIZE at several sizes, a full tmpfs (when mount works), an
 *     immutable file (when chattr works), a mount point where a folder is
 *     to be replaced: exit 1, one line naming a file under OUT with the
 *     system's reason, the folder still A.
 * Cases that need mount or chattr are skipped with a message when the
 * machine does not allow them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"

static const char *S_bin, *S_root;
static char S_tmp[256], S_goldA[400], S_goldB[400], S_exA[400], S_exB[400], S_wrap[400],
    S_pids[400];
static double S_tB; /* seconds run B takes */

#define S_TEMPLATE "tests/bad/common/good.md"

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void S_sleep(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static char *S_slurp(const char *path)
{
    return tk_read_file(path, NULL);
}

typedef struct S_opts {
    const char *example;    /* --example */
    const char *out;
    int no_wait;
    long fsize;             /* RLIMIT_FSIZE in bytes, 0: none */
    const char *pause;      /* LB_TEST_COMMIT_PAUSE value or NULL */
    const char *errfile;    /* stderr goes here */
} S_opts;

/* Start lossbook (--quiet) with gnuplot reached through the pid-recording
 * wrapper; returns the pid. */
static pid_t S_start(const S_opts *o)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    int fd = open("/dev/null", O_RDWR);
    int ef = open(o->errfile, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0 || ef < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(ef, 2) < 0)
        _exit(126);
    if (chdir(S_root) != 0)
        _exit(126);
    char path[1200];
    snprintf(path, sizeof path, "%s:%s", S_wrap, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", path, 1);
    setenv("LB_PIDFILE", S_pids, 1);
    if (o->pause)
        setenv("LB_TEST_COMMIT_PAUSE", o->pause, 1);
    if (o->fsize > 0) {
        struct rlimit rl = {(rlim_t)o->fsize, (rlim_t)o->fsize};
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    const char *argv[12];
    int k = 0;
    argv[k++] = S_bin;
    argv[k++] = "--quiet";
    argv[k++] = "--template";
    argv[k++] = S_TEMPLATE;
    argv[k++] = "--example";
    argv[k++] = o->example;
    argv[k++] = "--out";
    argv[k++] = o->out;
    if (o->no_wait)
        argv[k++] = "--no-wait";
    argv[k] = NULL;
    execv(S_bin, (char *const *)argv);
    _exit(127);
}

/* Exit code, or 128 + signal when killed by one. */
static int S_wait(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int S_run(const S_opts *o)
{
    return S_wait(S_start(o));
}

/* The folder shows exactly the outputs of `gold`: its current generation
 * is byte-identical to gold's, and its top-level names are the same links. */
static int S_same(const char *gold, const char *out)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(tk_path("%s/.lossbook/current", gold), a) ||
        !realpath(tk_path("%s/.lossbook/current", out), b))
        return 0;
    char *d = tk_diff(a, b);
    int same = d == NULL;
    free(d);
    size_t na = 0, nb = 0;
    char **la = tk_list_dir(gold, NULL, &na), **lb = tk_list_dir(out, NULL, &nb);
    same = same && la && lb && na == nb;
    for (size_t i = 0; same && i < na; i++) {
        char ta[256], tb[256];
        ssize_t ka = readlink(tk_path("%s/%s", gold, la[i]), ta, sizeof ta - 1);
        ssize_t kb = readlink(tk_path("%s/%s", out, lb[i]), tb, sizeof tb - 1);
        same = strcmp(la[i], lb[i]) == 0 && ka > 0 && ka == kb && memcmp(ta, tb, (size_t)ka) == 0;
    }
    tk_list_free(la);
    tk_list_free(lb);
    return same;
}

/* .lossbook holds the lock, `current` and exactly one generation (what it
 * holds instead is printed, unless a leftover is expected: S_untidy). */
static int S_tidy_(const char *out, int say)
{
    size_t n = 0;
    char **names = tk_list_dir(tk_path("%s/.lossbook", out), "*", &n);
    int ok = names && n == 3 && strcmp(names[0], "current") == 0 &&
             strncmp(names[1], "gen-", 4) == 0 && strcmp(names[2], "lock") == 0;
    if (!ok && say)
        for (size_t i = 0; names && i < n; i++)
            fprintf(stderr, "  .lossbook holds %s\n", names[i]);
    tk_list_free(names);
    return ok;
}

static int S_tidy(const char *out)
{
    return S_tidy_(out, 1);
}

static int S_untidy(const char *out)
{
    return !S_tidy_(out, 0);
}

/* 1 while `pid` exists and is not a zombie. */
static int S_alive(long pid)
{
    char p[64], st[512];
    snprintf(p, sizeof p, "/proc/%ld/stat", pid);
    FILE *g = fopen(p, "r");
    if (!g)
        return 0;
    size_t n = fread(st, 1, sizeof st - 1, g);
    fclose(g);
    st[n] = '\0';
    char *rp = strrchr(st, ')');
    return rp && rp[1] == ' ' && rp[2] != 'Z' && rp[2] != 'X';
}

/* Every gnuplot the wrapper recorded is gone (or a zombie) within a
 * second: a SIGKILL takes a moment to tear a process down. */
static int S_no_gnuplot_left(void)
{
    FILE *f = fopen(S_pids, "r");
    if (!f)
        return 1;
    long pid;
    int ok = 1;
    while (fscanf(f, "%ld", &pid) == 1) {
        double t0 = S_now();
        while (S_alive(pid) && S_now() - t0 < 1.0)
            S_sleep(0.01);
        if (S_alive(pid)) {
            fprintf(stderr, "gnuplot %ld still running\n", pid);
            ok = 0;
        }
    }
    fclose(f);
    unlink(S_pids);
    return ok;
}

static int S_one_line(const char *errfile, const char *frag)
{
    char *s = S_slurp(errfile);
    if (!s)
        return 0;
    size_t nl = 0, n = strlen(s);
    for (size_t i = 0; i < n; i++)
        nl += s[i] == '\n';
    int ok = nl == 1 && n && s[n - 1] == '\n' && strncmp(s, "lossbook: ", 10) == 0 &&
             (!frag || strstr(s, frag));
    if (!ok)
        fprintf(stderr, "stderr was: %s\n", s);
    free(s);
    return ok;
}

static int S_empty(const char *errfile)
{
    struct stat st;
    return stat(errfile, &st) == 0 && st.st_size == 0;
}

/* A fresh folder holding run A. */
static void S_fresh_A(const char *out)
{
    assert_int_equal(tk_rmtree(out), 0);
    assert_int_equal(tk_copy(S_goldA, out), 0);
}

/* Fill the file system holding `dir` so that about `left` bytes stay free. */
static void S_fill(const char *dir, long left)
{
    struct statvfs vs;
    assert_int_equal(statvfs(dir, &vs), 0);
    long long avail = (long long)vs.f_bavail * (long long)vs.f_frsize - left;
    int fd = open(tk_path("%s/fill", dir), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    assert_true(fd >= 0);
    static char zeros[65536];
    while (avail > 0) {
        ssize_t w = write(fd, zeros, avail > (long long)sizeof zeros ? sizeof zeros : (size_t)avail);
        if (w <= 0)
            break;
        avail -= w;
    }
    close(fd);
}

/* The real gnuplot's path (for the pid-recording wrapper), NULL if none. */
static char *S_gnuplot(void)
{
    const char *path = getenv("PATH");
    char dir[1024];
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        size_t l = strcspn(p, ":");
        snprintf(dir, sizeof dir, "%.*s/gnuplot", (int)l, p);
        if (l && access(dir, X_OK) == 0)
            return strdup(dir);
        p += l + (p[l] == ':');
    }
    return NULL;
}

/* ---- group setup -------------------------------------------------------- */

static int S_setup(void **state)
{
    (void)state;
    if (tk_need_bin("test_interrupt") != 0)
        return -1;
    char *t = tk_tmpdir_new("intr");
    if (!t)
        return -1;
    snprintf(S_tmp, sizeof S_tmp, "%s", t);
    free(t);
    snprintf(S_goldA, sizeof S_goldA, "%s/goldA", S_tmp);
    snprintf(S_goldB, sizeof S_goldB, "%s/goldB", S_tmp);
    snprintf(S_exA, sizeof S_exA, "%s/templates/examples/llm-batch.json", S_root);
    snprintf(S_exB, sizeof S_exB, "%s/exB.json", S_tmp);
    snprintf(S_wrap, sizeof S_wrap, "%s/bin", S_tmp);
    snprintf(S_pids, sizeof S_pids, "%s/gnuplot.pids", S_tmp);
    /* B: the first number after "logits" gets 0.5 added */
    char *a = NULL;
    FILE *f = fopen(S_exA, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 20;
    a = malloc(cap);
    size_t n = fread(a, 1, cap - 1, f);
    fclose(f);
    a[n] = '\0';
    char *lg = strstr(a, "\"logits\"");
    char *num = lg ? strpbrk(lg, "-0123456789") : NULL;
    if (!num)
        return -1;
    char *end;
    double v = strtod(num, &end);
    f = fopen(S_exB, "wb");
    fprintf(f, "%.*s%.1f%s", (int)(num - a), a, v + 0.5, end);
    fclose(f);
    free(a);
    /* gnuplot wrapper: record the pid, then become the real gnuplot */
    char *g = S_gnuplot();
    if (!g || tk_mkdirs(S_wrap) != 0 ||
        tk_write_file(tk_path("%s/gnuplot", S_wrap),
                      tk_path("#!/bin/sh\necho $$ >> \"$LB_PIDFILE\"\nexec %s \"$@\"\n", g)) != 0 ||
        chmod(tk_path("%s/gnuplot", S_wrap), 0755) != 0) {
        free(g);
        return -1;
    }
    free(g);
    char err[500];
    snprintf(err, sizeof err, "%s/gold.err", S_tmp);
    S_opts oa = {S_exA, S_goldA, 0, 0, NULL, err};
    if (S_run(&oa) != 0)
        return -1;
    S_opts ob = {S_exB, S_goldB, 0, 0, NULL, err};
    if (S_run(&ob) != 0)
        return -1;
    /* how long B takes into a folder holding A (figures that do not depend
     * on the example come from A's figure cache) */
    char warm[400];
    snprintf(warm, sizeof warm, "%s/warm", S_tmp);
    if (tk_copy(S_goldA, warm) != 0)
        return -1;
    double t0 = S_now();
    S_opts ow = {S_exB, warm, 0, 0, NULL, err};
    if (S_run(&ow) != 0)
        return -1;
    S_tB = S_now() - t0;
    if (S_same(S_goldA, S_goldB)) {
        fprintf(stderr, "test_interrupt: runs A and B must differ\n");
        return -1;
    }
    printf("test_interrupt: run B takes %.2f s\n", S_tB);
    return 0;
}

static int S_teardown(void **state)
{
    (void)state;
    tk_result r = {0}; /* (quiet: usually nothing is mounted any more) */
    tk_cmd(&r, NULL, "umount", "-l", tk_path("%s/mnt", S_tmp), NULL);
    tk_cmd(&r, NULL, "umount", "-l", tk_path("%s/mp/figures", S_tmp), NULL);
    tk_result_free(&r);
    tk_tmpdir_free(strdup(S_tmp));
    return 0;
}

/* ---- signals ------------------------------------------------------------ */

static void test_sigint_sigterm_anywhere(void **state)
{
    (void)state;
    char out[500], err[500];
    snprintf(out, sizeof out, "%s/sig", S_tmp);
    snprintf(err, sizeof err, "%s/sig.err", S_tmp);
    S_fresh_A(out);
    const int n = 12;
    int killed = 0;
    for (int i = 0; i < n; i++) {
        int sig = i % 2 ? SIGTERM : SIGINT;
        S_opts o = {S_exB, out, 0, 0, NULL, err};
        pid_t pid = S_start(&o);
        S_sleep(S_tB * (i + 0.5) / n);
        kill(pid, sig);
        int rc = S_wait(pid);
        if (rc == 0) {
            assert_true(S_empty(err));
            assert_true(S_same(S_goldB, out));
        } else {
            assert_int_equal(rc, 128 + sig);
            assert_true(S_one_line(err, sig == SIGINT ? "interrupted (SIGINT)"
                                                      : "terminated (SIGTERM)"));
            assert_true(S_same(S_goldA, out) || S_same(S_goldB, out));
            killed++;
        }
        assert_true(S_tidy(out));
        assert_true(S_no_gnuplot_left());
        if (S_same(S_goldB, out))
            S_fresh_A(out);
    }
    printf("  %d of %d runs were interrupted\n", killed, n);
    assert_true(killed >= n / 3);
}

/* Wait (bounded) until `file` exists. */
static int S_wait_file(const char *file, double max_s)
{
    double t0 = S_now();
    struct stat st;
    while (stat(file, &st) != 0) {
        if (S_now() - t0 > max_s)
            return 0;
        S_sleep(0.005);
    }
    return 1;
}

static void test_signal_inside_commit(void **state)
{
    (void)state;
    char out[500], err[500], pause[600], mark[700];
    snprintf(out, sizeof out, "%s/commit", S_tmp);
    snprintf(err, sizeof err, "%s/commit.err", S_tmp);
    snprintf(pause, sizeof pause, "%s/pause:400", S_tmp);
    struct {
        int point, sig;
        const char *after; /* which run the folder shows */
    } c[] = {{1, SIGTERM, S_goldB}, {2, SIGINT, S_goldB}, {1, SIGKILL, S_goldA},
             {2, SIGKILL, S_goldB}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        S_fresh_A(out);
        snprintf(mark, sizeof mark, "%s/pause.%d", S_tmp, c[i].point);
        unlink(mark);
        S_opts o = {S_exB, out, 0, 0, pause, err};
        pid_t pid = S_start(&o);
        assert_true(S_wait_file(mark, 60));
        kill(pid, c[i].sig);
        int rc = S_wait(pid);
        assert_int_equal(rc, 128 + c[i].sig);
        assert_true(S_same(c[i].after, out));
        if (c[i].sig == SIGKILL) {
            /* leftovers (a generation never shown, or the old one) until
             * the next run, which removes them */
            assert_true(S_untidy(out));
            S_opts again = {S_exB, out, 0, 0, NULL, err};
            assert_int_equal(S_run(&again), 0);
            assert_true(S_same(S_goldB, out));
        } else {
            assert_true(S_one_line(err, NULL));
        }
        assert_true(S_tidy(out));
        unlink(mark);
    }
    S_no_gnuplot_left();
}

static void test_sigkill_leftover_removed(void **state)
{
    (void)state;
    char out[500], err[500];
    snprintf(out, sizeof out, "%s/kill", S_tmp);
    snprintf(err, sizeof err, "%s/kill.err", S_tmp);
    S_fresh_A(out);
    S_opts o = {S_exB, out, 0, 0, NULL, err};
    pid_t pid = S_start(&o);
    /* strike once the staging folder exists (the run is under way) */
    double t0 = S_now();
    char *st = NULL;
    while (!(st = tk_find(tk_path("%s/.lossbook", out), "staging-*")) && S_now() - t0 < 60)
        S_sleep(0.002);
    assert_non_null(st);
    free(st);
    S_sleep(0.05);
    kill(pid, SIGKILL);
    assert_int_equal(S_wait(pid), 128 + SIGKILL);
    assert_true(S_same(S_goldA, out));
    st = tk_find(tk_path("%s/.lossbook", out), "staging-*");
    assert_non_null(st); /* a SIGKILL cannot be caught: it stays... */
    free(st);
    S_sleep(0.2); /* gnuplot notices its closed input and exits */
    assert_int_equal(S_run(&o), 0);
    assert_true(S_same(S_goldB, out));
    assert_true(S_tidy(out));
    assert_true(S_no_gnuplot_left());
}

/* ---- concurrency --------------------------------------------------------- */

static void test_concurrent_runs_never_mix(void **state)
{
    (void)state;
    char out[500], e1[500], e2[500];
    snprintf(e1, sizeof e1, "%s/c1.err", S_tmp);
    snprintf(e2, sizeof e2, "%s/c2.err", S_tmp);
    int a_last = 0, b_last = 0;
    for (int i = 0; i < 8; i++) {
        /* even: two first runs into a folder that does not exist yet;
         * odd: two runs into a folder holding A */
        snprintf(out, sizeof out, "%s/conc%d", S_tmp, i);
        if (i % 2)
            S_fresh_A(out);
        S_opts oa = {S_exA, out, 0, 0, NULL, e1}, ob = {S_exB, out, 0, 0, NULL, e2};
        pid_t pa = S_start(&oa), pb = S_start(&ob);
        int ra = S_wait(pa), rb = S_wait(pb);
        if (ra || rb) {
            char *s1 = S_slurp(e1), *s2 = S_slurp(e2);
            fprintf(stderr, "runs: %d %d: %s / %s\n", ra, rb, s1, s2);
            free(s1);
            free(s2);
        }
        assert_int_equal(ra, 0);
        assert_int_equal(rb, 0);
        int isA = S_same(S_goldA, out), isB = S_same(S_goldB, out);
        assert_true(isA || isB);
        a_last += isA;
        b_last += isB;
        assert_true(S_tidy(out));
        assert_int_equal(tk_rmtree(out), 0);
    }
    printf("  last writer: A %d times, B %d times\n", a_last, b_last);
    /* --no-wait: the second run fails at once with the lock message, or
     * both succeed when they did not overlap */
    snprintf(out, sizeof out, "%s/nowait", S_tmp);
    S_fresh_A(out);
    S_opts oa = {S_exB, out, 0, 0, NULL, e1}, ob = {S_exA, out, 1, 0, NULL, e2};
    pid_t pa = S_start(&oa);
    S_sleep(S_tB * 0.3);
    int rb = S_run(&ob), ra = S_wait(pa);
    assert_int_equal(ra, 0);
    if (rb != 0) {
        assert_int_equal(rb, 1);
        assert_true(S_one_line(e2, "another lossbook run is writing this output folder"));
        assert_true(S_same(S_goldB, out));
    }
    S_no_gnuplot_left();
}

/* ---- starved runs -------------------------------------------------------- */

/* The run fails with one line naming a file under OUT (not the removed
 * staging folder) and `reason`; the folder still shows A. */
static void S_expect_clean_failure(const char *out, const char *err, int rc, const char *reason)
{
    char *s = S_slurp(err);
    if (rc != 1 || !S_one_line(err, reason) || !s || !strstr(s, out) || strstr(s, "staging"))
        fprintf(stderr, "exit %d, stderr: %s\n", rc, s ? s : "");
    assert_int_equal(rc, 1);
    assert_true(S_one_line(err, reason));
    assert_non_null(strstr(s, out));
    assert_null(strstr(s, "staging"));
    free(s);
    assert_true(S_same(S_goldA, out));
    assert_true(S_tidy(out));
}

static void test_file_size_limit(void **state)
{
    (void)state;
    char out[500], err[500];
    snprintf(out, sizeof out, "%s/fsize", S_tmp);
    snprintf(err, sizeof err, "%s/fsize.err", S_tmp);
    /* limits that stop the first data table, one of the larger files, and
     * (when it is the largest file) the PDF: taken from run B's own sizes */
    long biggest = 0, pdf = tk_file_size(tk_path("%s/report.pdf", S_goldB));
    const char *dirs[] = {"data", "figures"};
    for (int k = 0; k < 2; k++) {
        size_t n = 0;
        char **names = tk_list_dir(tk_path("%s/%s/", S_goldB, dirs[k]), NULL, &n);
        for (size_t j = 0; j < n; j++) {
            long sz = (long)tk_file_size(tk_path("%s/%s/%s", S_goldB, dirs[k], names[j]));
            if (sz > biggest)
                biggest = sz;
        }
        tk_list_free(names);
    }
    long limits[3] = {1024, biggest / 2, 0};
    size_t nlim = 2;
    if (pdf > biggest)
        limits[nlim++] = (biggest + pdf) / 2;
    printf("  limits %ld, %ld%s (largest data or figure file %ld B, report.pdf %ld B)\n",
           limits[0], limits[1], nlim > 2 ? " and one for the PDF" : "", biggest, pdf);
    for (size_t i = 0; i < nlim; i++) {
        S_fresh_A(out);
        S_opts o = {S_exB, out, 0, limits[i], NULL, err};
        int rc = S_run(&o);
        S_expect_clean_failure(out, err, rc, "File too large");
    }
    S_no_gnuplot_left();
}

static void test_full_disk(void **state)
{
    (void)state;
    char mnt[500], out[600], err[500];
    snprintf(mnt, sizeof mnt, "%s/mnt", S_tmp);
    snprintf(out, sizeof out, "%s/out", mnt);
    snprintf(err, sizeof err, "%s/disk.err", S_tmp);
    mkdir(mnt, 0777);
    tk_result mr = {0};
    int mounted = tk_cmd(&mr, NULL, "mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt,
                         NULL) == 0;
    tk_result_free(&mr);
    if (!mounted) {
        printf("  skipped: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)\n");
        skip();
    }
    /* leave `free` bytes after the copy of A: from nothing to nearly what
     * run B writes (the run stops at a data table, a figure, the PDF).  A
     * data file, figure, script or figure record that A and B share is
     * taken from A's run by a hard link (fileio.h, figcache.h): it costs B
     * no space (only the first figure's SVG is drawn again: a few KB). */
    long total = 0;
    const char *dirs[] = {"data", "figures", "."};
    for (int k = 0; k < 3; k++) {
        size_t n = 0;
        char **names = tk_list_dir(tk_path("%s/%s/", S_goldB, dirs[k]), NULL, &n);
        for (size_t j = 0; j < n; j++) {
            if (k < 2) {
                char *d = tk_diff(tk_path("%s/%s/%s", S_goldA, dirs[k], names[j]),
                                  tk_path("%s/%s/%s", S_goldB, dirs[k], names[j]));
                free(d);
                if (!d)
                    continue;
            }
            long long sz = tk_file_size(tk_path("%s/%s/%s", S_goldB, dirs[k], names[j]));
            total += sz > 0 ? (long)sz : 0;
        }
        tk_list_free(names);
    }
    const long frees[] = {0, total / 10, total / 2, total * 9 / 10};
    for (size_t i = 0; i < sizeof frees / sizeof frees[0]; i++) {
        S_fresh_A(out);
        unlink(tk_path("%s/fill", mnt));
        S_fill(mnt, frees[i]);
        S_opts o = {S_exB, out, 0, 0, NULL, err};
        int rc = S_run(&o);
        S_expect_clean_failure(out, err, rc, "No space left on device");
    }
    tk_cmd(NULL, NULL, "umount", mnt, NULL);
    S_no_gnuplot_left();
}

/* An immutable file in the current generation: the switch does not need
 * to touch it; the old generation stays until it can be removed. */
static void test_immutable_file(void **state)
{
    (void)state;
    char out[500], err[500];
    snprintf(out, sizeof out, "%s/immut", S_tmp);
    snprintf(err, sizeof err, "%s/immut.err", S_tmp);
    S_fresh_A(out);
    char immut[PATH_MAX];
    tk_result cr = {0};
    int chattr_ok = realpath(tk_path("%s/figures/exp.gp", out), immut) &&
                    tk_cmd(&cr, NULL, "chattr", "+i", immut, NULL) == 0;
    tk_result_free(&cr);
    if (!chattr_ok) {
        printf("  skipped: chattr +i does not work here\n");
        skip();
    }
    S_opts o = {S_exB, out, 0, 0, NULL, err};
    assert_int_equal(S_run(&o), 0);
    assert_true(S_same(S_goldB, out));
    assert_true(S_untidy(out)); /* the old generation could not go */
    assert_int_equal(tk_cmd(NULL, NULL, "chattr", "-i", immut, NULL), 0);
    assert_int_equal(S_run(&o), 0);
    assert_true(S_tidy(out));
    assert_true(S_same(S_goldB, out));
    /* the output folder itself immutable: refused at once, untouched */
    S_fresh_A(out);
    assert_int_equal(tk_cmd(NULL, NULL, "chattr", "+i", tk_path("%s/.lossbook", out), NULL), 0);
    int rc = S_run(&o);
    tk_cmd(NULL, NULL, "chattr", "-i", tk_path("%s/.lossbook", out), NULL);
    S_expect_clean_failure(out, err, rc, "Operation not permitted");
}

/* A mount point where lossbook must put a link (an older lossbook's real
 * figures/ folder): refused before the switch. */
static void test_mount_point_refused(void **state)
{
    (void)state;
    char out[500], err[500];
    snprintf(out, sizeof out, "%s/mp", S_tmp);
    snprintf(err, sizeof err, "%s/mp.err", S_tmp);
    S_fresh_A(out);
    assert_int_equal(unlink(tk_path("%s/figures", out)), 0);
    assert_int_equal(mkdir(tk_path("%s/figures", out), 0777), 0);
    tk_result mr = {0};
    int mounted = tk_cmd(&mr, NULL, "mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs",
                         tk_path("%s/figures", out), NULL) == 0;
    tk_result_free(&mr);
    if (!mounted) {
        printf("  skipped: cannot mount a tmpfs here\n");
        skip();
    }
    tk_write_file(tk_path("%s/figures/exp.svg", out), "<svg/>\n"); /* an older run's */
    S_opts o = {S_exB, out, 0, 0, NULL, err};
    int rc = S_run(&o);
    char *s = S_slurp(err);
    tk_cmd(NULL, NULL, "umount", tk_path("%s/figures", out), NULL);
    assert_int_equal(rc, 1);
    assert_true(S_one_line(err, "figures: is a mount point"));
    free(s);
}

int main(void)
{
    S_bin = tk_bin();
    S_root = tk_root();
    if (!S_bin) {
        fprintf(stderr, "test_interrupt: set LB_BIN and LB_ROOT (make test does)\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigint_sigterm_anywhere),
        cmocka_unit_test(test_signal_inside_commit),
        cmocka_unit_test(test_sigkill_leftover_removed),
        cmocka_unit_test(test_concurrent_runs_never_mix),
        cmocka_unit_test(test_file_size_limit),
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_immutable_file),
        cmocka_unit_test(test_mount_point_refused),
    };
    return cmocka_run_group_tests_name("interrupt", tests, S_setup, S_teardown);
}
