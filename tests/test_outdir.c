/* Tests for src/base/outdir.c (and outtree.c, sigclean.c): a run stages its
 * outputs and one rename switches the output folder to them; a failed run
 * leaves the folder exactly as it was (byte for byte, links included);
 * planted symlinks are replaced, never followed; files a user put in the
 * folder survive every run; an older lossbook's folder is taken over; dead
 * runs' leftovers are removed and live ones kept; the lock serialises runs
 * (--no-wait fails at once); sigclean removes the staging folder. */
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
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"
#include "base/outdir.h"
#include "base/sigclean.h"

static void S_write(const char *path, const char *text)
{
    assert_int_equal(tk_write_file(path, text), 0);
}

/* Contents of a (small) file, or NULL; follows symlinks like a user would.
 * (The buffer is reused by the next call.) */
static char *S_read(const char *path)
{
    static char *buf;
    free(buf);
    buf = tk_read_file(path, NULL);
    return buf;
}

/* The names in OUT/.lossbook, sorted, each followed by a space. */
static const char *S_meta(const char *out)
{
    static char buf[1024];
    size_t n = 0, k = 0;
    char **names = tk_list_dir(tk_path("%s/.lossbook", out), "*", &n);
    buf[0] = '\0';
    for (size_t i = 0; names && i < n; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s ", names[i]);
    tk_list_free(names);
    return buf;
}

/* Stage files given as "rel=content" strings (folders made as needed) and
 * return the open stage, uncommitted. */
static out_stage *S_stage(const char *out, const char *const *files, size_t n)
{
    lb_err e;
    err_clear(&e);
    out_stage *s = out_stage_new(out, 0, &e);
    if (!s)
        fprintf(stderr, "out_stage_new: %s\n", e.msg);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        char rel[256], p[700];
        const char *eq = strchr(files[i], '=');
        assert_non_null(eq);
        snprintf(rel, sizeof rel, "%.*s", (int)(eq - files[i]), files[i]);
        char *slash = strchr(rel, '/');
        if (slash) {
            *slash = '\0';
            assert_int_equal(out_stage_mkdir(s, rel, &e), 0);
            *slash = '/';
        }
        snprintf(p, sizeof p, "%s/%s", out_stage_path(s), rel);
        S_write(p, eq + 1);
    }
    return s;
}

static void S_commit_files(const char *out, const char *const *files, size_t n)
{
    out_stage *s = S_stage(out, files, n);
    lb_err e;
    err_clear(&e);
    int rc = out_stage_commit(s, &e);
    if (rc != 0)
        fprintf(stderr, "commit: %s\n", e.msg);
    assert_int_equal(rc, 0);
    out_stage_free(s);
}

static const char *S_at(const char *out, const char *rel)
{
    static char p[700];
    snprintf(p, sizeof p, "%s/%s", out, rel);
    return p;
}

static void test_commit_switches_generations(void **state)
{
    (void)state;
    char out[300];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    const char *run1[] = {"report.pdf=report 1", "figures/exp.svg=svg 1",
                          "figures/old.svg=only in run 1", "data/a.csv=a 1"};
    S_commit_files(out, run1, 4);
    assert_string_equal(S_read(S_at(out, "report.pdf")), "report 1");
    assert_string_equal(S_read(S_at(out, "figures/exp.svg")), "svg 1");
    char link[300];
    ssize_t l = readlink(S_at(out, ".lossbook/current"), link, sizeof link - 1);
    assert_true(l > 0);
    link[l] = '\0';
    assert_string_equal(link, "gen-000001");
    l = readlink(S_at(out, "report.pdf"), link, sizeof link - 1);
    assert_true(l > 0);
    link[l] = '\0';
    assert_string_equal(link, ".lossbook/current/report.pdf");

    /* a user's files: one at the top, one inside data/ (through the link) */
    S_write(S_at(out, "keep.txt"), "mine");
    S_write(S_at(out, "data/notes.txt"), "my notes");
    assert_int_equal(symlink("/nonexistent/target", S_at(out, "data/mylink")), 0);

    const char *run2[] = {"report.pdf=report 2", "figures/exp.svg=svg 2", "data/a.csv=a 2",
                          "report.md=md 2"};
    S_commit_files(out, run2, 4);
    assert_string_equal(S_read(S_at(out, "report.pdf")), "report 2");
    assert_string_equal(S_read(S_at(out, "report.md")), "md 2");
    assert_string_equal(S_read(S_at(out, "data/a.csv")), "a 2");
    /* run 1's output that run 2 did not write is gone (no stale figure) */
    struct stat st;
    assert_int_not_equal(lstat(S_at(out, "figures/old.svg"), &st), 0);
    /* the user's files survived */
    assert_string_equal(S_read(S_at(out, "keep.txt")), "mine");
    assert_string_equal(S_read(S_at(out, "data/notes.txt")), "my notes");
    l = readlink(S_at(out, "data/mylink"), link, sizeof link - 1);
    assert_true(l > 0);
    link[l] = '\0';
    assert_string_equal(link, "/nonexistent/target");
    /* one generation left, the current one, and no staging */
    assert_string_equal(S_meta(out), "current gen-000002 lock ");

    /* run 3 drops report.md: its link goes too, the user's files stay */
    const char *run3[] = {"report.pdf=report 3", "data/a.csv=a 3"};
    S_commit_files(out, run3, 2);
    assert_int_not_equal(lstat(S_at(out, "report.md"), &st), 0);
    assert_int_not_equal(lstat(S_at(out, "figures"), &st), 0);
    assert_string_equal(S_read(S_at(out, "data/notes.txt")), "my notes");
    assert_string_equal(S_read(S_at(out, "keep.txt")), "mine");
}

static void test_failed_run_leaves_folder_identical(void **state)
{
    (void)state;
    char out[300], snap[300];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    snprintf(snap, sizeof snap, "%s/snap", tk_scratch());
    const char *run1[] = {"report.pdf=earlier", "data/a.csv=a 1"};
    S_commit_files(out, run1, 2);
    assert_int_equal(tk_copy(out, snap), 0);

    /* a run that fails before its commit */
    const char *run2[] = {"report.pdf=half-written", "data/a.csv=a 2", "new.txt=new"};
    out_stage *s = S_stage(out, run2, 3);
    char staged[600];
    snprintf(staged, sizeof staged, "%s", out_stage_path(s));
    out_stage_free(s);
    struct stat st;
    assert_int_not_equal(stat(staged, &st), 0); /* staging removed */
    tk_assert_same(snap, out);

    /* a commit refused before the switch (an output name held by a real
     * folder, while the output is a file): nothing changes either, not
     * even the link the new name "new.txt" would have got */
    assert_int_equal(mkdir(S_at(out, "report.md"), 0777), 0);
    assert_int_equal(tk_rmtree(snap), 0);
    assert_int_equal(tk_copy(out, snap), 0);
    const char *run3[] = {"report.pdf=third", "report.md=md", "new.txt=new"};
    s = S_stage(out, run3, 3);
    lb_err e;
    err_clear(&e);
    assert_int_equal(out_stage_commit(s, &e), -1);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "/report.md: is a folder"));
    out_stage_free(s);
    tk_assert_same(snap, out);
}

static void test_planted_symlinks_replaced_not_followed(void **state)
{
    (void)state;
    char out[300], victim[400], vdir[400];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    mkdir(out, 0777);
    snprintf(victim, sizeof victim, "%s/victim.txt", tk_scratch());
    S_write(victim, "precious");
    snprintf(vdir, sizeof vdir, "%s/elsewhere", tk_scratch());
    mkdir(vdir, 0777);
    assert_int_equal(symlink(victim, S_at(out, "report.pdf")), 0);
    assert_int_equal(symlink(vdir, S_at(out, "figures")), 0);

    const char *run[] = {"report.pdf=report", "figures/a.svg=svg"};
    S_commit_files(out, run, 2);
    assert_string_equal(S_read(victim), "precious"); /* not written through */
    size_t nv = 9;
    tk_list_free(tk_list_dir(vdir, "*", &nv));
    assert_int_equal(nv, 0);
    assert_string_equal(S_read(S_at(out, "report.pdf")), "report");
    assert_string_equal(S_read(S_at(out, "figures/a.svg")), "svg");
    char link[300];
    ssize_t l = readlink(S_at(out, "figures"), link, sizeof link - 1);
    assert_true(l > 0);
    link[l] = '\0';
    assert_string_equal(link, ".lossbook/current/figures");
}

/* A folder written by lossbook before generations (real data/, report.pdf):
 * the first run takes it over; a user's file in it is kept. */
static void test_takes_over_older_layout(void **state)
{
    (void)state;
    char out[300];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    mkdir(out, 0777);
    mkdir(S_at(out, "data"), 0777);
    S_write(S_at(out, "data/a.csv"), "old a");
    S_write(S_at(out, "data/mine.txt"), "mine");
    S_write(S_at(out, "report.pdf"), "old report");
    const char *run[] = {"report.pdf=new report", "data/a.csv=new a"};
    S_commit_files(out, run, 2);
    struct stat st;
    assert_int_equal(lstat(S_at(out, "data"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(S_read(S_at(out, "data/a.csv")), "new a");
    assert_string_equal(S_read(S_at(out, "data/mine.txt")), "mine");
    assert_string_equal(S_read(S_at(out, "report.pdf")), "new report");
    /* the old folder is gone from .lossbook once nothing in it is lost */
    assert_string_equal(S_meta(out), "current gen-000001 lock ");
}

/* A dead run's staging and temporary entries are removed by the next run;
 * a live process's are not; a generation that is not current goes too. */
static void test_sweeps_dead_runs(void **state)
{
    (void)state;
    char out[300], p[700];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    const char *run1[] = {"report.pdf=one"};
    S_commit_files(out, run1, 1);

    pid_t dead = fork();
    assert_true(dead >= 0);
    if (dead == 0)
        _exit(0);
    waitpid(dead, NULL, 0); /* reaped: this pid belongs to nobody now */
    snprintf(p, sizeof p, "%s/.lossbook/staging-%ld-abcdef", out, (long)dead);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/.lossbook/staging-%ld-abcdef/big.png", out, (long)dead);
    S_write(p, "leftover");
    snprintf(p, sizeof p, "%s/.lossbook/tmp-%ld-current", out, (long)dead);
    assert_int_equal(symlink("gen-000009", p), 0);
    snprintf(p, sizeof p, "%s/.lossbook/staging-%ld-live00", out, (long)getppid());
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/.lossbook/gen-000007", out);
    assert_int_equal(mkdir(p, 0700), 0); /* an orphan never made current */

    const char *run2[] = {"report.pdf=two"};
    S_commit_files(out, run2, 1);
    assert_string_equal(S_meta(out), tk_path("current gen-000002 lock staging-%ld-live00 ",
                                             (long)getppid()));
}

/* Two runs never mix: the lock is held from out_stage_new to free. */
static void test_lock_no_wait_and_wait(void **state)
{
    (void)state;
    char out[300];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    const char *run1[] = {"report.pdf=A", "data/x.csv=A"};
    out_stage *a = S_stage(out, run1, 2);

    lb_err e;
    err_clear(&e);
    assert_null(out_stage_new(out, OUT_FLAG_NO_WAIT, &e));
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "another lossbook run is writing this output folder"));

    /* A waiting run in a child: it may only start once we are done, so its
     * outputs replace ours completely. */
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* flock belongs to the open file: drop the parent's copy we
         * inherited (exec would, through O_CLOEXEC; fork alone does not) */
        for (int fd = 3; fd < 1024; fd++)
            if (fd != pfd[1])
                close(fd);
        lb_err ce;
        err_clear(&ce);
        out_stage *b = out_stage_new(out, 0, &ce);
        if (!b)
            _exit(3);
        /* we hold the lock now: the parent must have committed */
        const char *r = S_read(S_at(out, "report.pdf"));
        int ok = r && strcmp(r, "A") == 0;
        char p[700];
        snprintf(p, sizeof p, "%s/report.pdf", out_stage_path(b));
        FILE *f = fopen(p, "w");
        if (!f || fputs("B", f) < 0 || fclose(f) != 0 || out_stage_commit(b, &ce) != 0)
            _exit(4);
        out_stage_free(b);
        _exit(ok ? 0 : 5);
    }
    close(pfd[1]);
    usleep(300 * 1000); /* the child is blocked in flock meanwhile */
    int st;
    assert_int_equal(waitpid(pid, &st, WNOHANG), 0);
    err_clear(&e);
    assert_int_equal(out_stage_commit(a, &e), 0);
    out_stage_free(a);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    close(pfd[0]);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_string_equal(S_read(S_at(out, "report.pdf")), "B");
    struct stat sb;
    /* B did not write data/: A's data/ is gone with A's generation */
    assert_int_not_equal(lstat(S_at(out, "data"), &sb), 0);
}

/* What a signal handler runs: the registered staging folder disappears. */
static void test_sigclean_removes_staging(void **state)
{
    (void)state;
    char out[300];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    const char *run[] = {"report.pdf=x", "figures/a.svg=y", "data/b.csv=z"};
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        out_stage *s = S_stage(out, run, 3);
        (void)s;
        sigclean_run(); /* as main.c's handler does, then _exit */
        _exit(0);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_string_equal(S_meta(out), "lock ");
}

/* OUT_FLAG_PLAIN (one loose file, like the check's errata PDF): renamed
 * over its name in an ordinary folder, no .lossbook, nothing else touched. */
static void test_plain_mode(void **state)
{
    (void)state;
    char out[300], victim[400], p[700];
    snprintf(out, sizeof out, "%s/docs", tk_scratch());
    mkdir(out, 0777);
    S_write(S_at(out, "mine.txt"), "mine");
    snprintf(victim, sizeof victim, "%s/victim.txt", tk_scratch());
    S_write(victim, "precious");
    assert_int_equal(symlink(victim, S_at(out, "errata.pdf")), 0);
    lb_err e;
    err_clear(&e);
    out_stage *s = out_stage_new(out, OUT_FLAG_PLAIN, &e);
    assert_non_null(s);
    snprintf(p, sizeof p, "%s/errata.pdf", out_stage_path(s));
    S_write(p, "errata");
    assert_non_null(strstr(out_stage_path(s), "/docs/.staging-"));
    assert_int_equal(out_stage_commit(s, &e), 0);
    out_stage_free(s);
    struct stat st;
    assert_int_equal(lstat(S_at(out, "errata.pdf"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_string_equal(S_read(S_at(out, "errata.pdf")), "errata");
    assert_string_equal(S_read(victim), "precious");
    assert_string_equal(S_read(S_at(out, "mine.txt")), "mine");
    size_t n = 0;
    char **names = tk_list_dir(out, "*", &n);
    assert_int_equal(n, 2); /* errata.pdf mine.txt: no .lossbook, no staging */
    tk_list_free(names);
    /* a folder in the way: refused, nothing moved, staging removed */
    assert_int_equal(mkdir(S_at(out, "x.pdf"), 0777), 0);
    s = out_stage_new(out, OUT_FLAG_PLAIN, &e);
    assert_non_null(s);
    snprintf(p, sizeof p, "%s/x.pdf", out_stage_path(s));
    S_write(p, "x");
    err_clear(&e);
    assert_int_equal(out_stage_commit(s, &e), -1);
    assert_non_null(strstr(e.msg, "x.pdf: is a folder"));
    out_stage_free(s);
    names = tk_list_dir(out, "*", &n);
    assert_int_equal(n, 3);
    tk_list_free(names);
    /* a pipe (or a device: `check --pdf /dev/full` as root replaced the
     * device node with a regular file) in the way: refused, left as it was */
    assert_int_equal(mkfifo(S_at(out, "p.pdf"), 0666), 0);
    s = out_stage_new(out, OUT_FLAG_PLAIN, &e);
    assert_non_null(s);
    snprintf(p, sizeof p, "%s/p.pdf", out_stage_path(s));
    S_write(p, "x");
    err_clear(&e);
    assert_int_equal(out_stage_commit(s, &e), -1);
    assert_non_null(strstr(e.msg, "p.pdf: is not a regular file (a pipe)"));
    out_stage_free(s);
    assert_int_equal(lstat(S_at(out, "p.pdf"), &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    names = tk_list_dir(out, "*", &n);
    assert_int_equal(n, 4); /* errata.pdf mine.txt p.pdf x.pdf: no staging left */
    tk_list_free(names);
}

/* An input of the run at an output's name (`-t out/report.md --out out`,
 * `check c.json --pdf c.json`): the commit refuses before anything
 * changes; the input is kept byte for byte (it used to be replaced by the
 * link, or by the errata PDF). */
static void test_inputs_never_replaced(void **state)
{
    (void)state;
    char out[300], p[700];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    const char *files[] = {"report.md=first report", "data/x.dat=first data"};
    S_commit_files(out, files, 2); /* a first run: OUT/report.md is a link */
    assert_int_equal(unlink(S_at(out, "report.md")), 0);
    S_write(S_at(out, "report.md"), "my template");
    lb_err e;
    err_clear(&e);
    out_stage *s = out_stage_new(out, 0, &e);
    assert_non_null(s);
    out_stage_protect(s, S_at(out, "report.md"), "the template");
    out_stage_protect(s, "/nonexistent/input.json", "the example"); /* ignored */
    assert_int_equal(out_stage_mkdir(s, "data", &e), 0);
    snprintf(p, sizeof p, "%s/report.md", out_stage_path(s));
    S_write(p, "new report");
    snprintf(p, sizeof p, "%s/data/x.dat", out_stage_path(s));
    S_write(p, "new data");
    assert_int_equal(out_stage_commit(s, &e), -1);
    assert_int_equal(e.code, LB_EXIT_INPUT);
    assert_non_null(strstr(e.msg, "/out/report.md: is the template of this run"));
    out_stage_free(s);
    assert_string_equal(S_read(S_at(out, "report.md")), "my template");
    assert_string_equal(S_read(S_at(out, "data/x.dat")), "first data"); /* still the first run */
    /* a hard link to the input is the same file */
    char hl[400];
    snprintf(hl, sizeof hl, "%s/mine.md", tk_scratch());
    assert_int_equal(link(S_at(out, "report.md"), hl), 0);
    err_clear(&e);
    s = out_stage_new(out, 0, &e);
    assert_non_null(s);
    out_stage_protect(s, hl, "the template");
    snprintf(p, sizeof p, "%s/report.md", out_stage_path(s));
    S_write(p, "new report");
    assert_int_equal(out_stage_commit(s, &e), -1);
    out_stage_free(s);
    assert_string_equal(S_read(hl), "my template");
    /* plain mode (check --pdf): the claims file named as the PDF */
    char docs[300];
    snprintf(docs, sizeof docs, "%s/docs", tk_scratch());
    mkdir(docs, 0777);
    S_write(S_at(docs, "c.json"), "{\"claims\": {}}");
    err_clear(&e);
    s = out_stage_new(docs, OUT_FLAG_PLAIN, &e);
    assert_non_null(s);
    out_stage_protect(s, S_at(docs, "c.json"), "the claims file");
    snprintf(p, sizeof p, "%s/c.json", out_stage_path(s));
    S_write(p, "%PDF-1.3");
    assert_int_equal(out_stage_commit(s, &e), -1);
    assert_non_null(strstr(e.msg, "c.json: is the claims file of this run"));
    out_stage_free(s);
    assert_string_equal(S_read(S_at(docs, "c.json")), "{\"claims\": {}}");
}

static void test_unusable_out(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    char out[300];
    snprintf(out, sizeof out, "%s/file-not-dir", tk_scratch());
    S_write(out, "x");
    assert_null(out_stage_new(out, 0, &e));
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "not a folder"));
    err_clear(&e);
    assert_null(out_stage_new("/proc/lossbook-cannot-exist/out", 0, &e));
    assert_non_null(strstr(e.msg, "cannot create output folder"));
    /* .lossbook planted as a symlink: refused, never written through */
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    mkdir(out, 0777);
    assert_int_equal(symlink(tk_scratch(), S_at(out, ".lossbook")), 0);
    err_clear(&e);
    assert_null(out_stage_new(out, 0, &e));
    assert_non_null(strstr(e.msg, ".lossbook: exists and is not a folder"));
}

/* Child of test_fd_limit_one_generation: commit run 2 into OUT under
 * RLIMIT_NOFILE = limit.  Exit 0: committed, one generation left; 1:
 * committed but the old generation is still there; 2: refused, run 1
 * intact; 3: could not even start; 4: refused and run 1 damaged.  (No
 * cmocka in the child: plain calls and an exit status.) */
static int S_commit_under_limit(const char *out, int top, rlim_t limit)
{
    /* descriptors inherited from whoever runs the test leave holes: only
     * 0, 1 and 2 stay, so the limit counts what lossbook itself opens */
    for (int fd = 3; fd <= top; fd++)
        close(fd);
    struct rlimit rl = {limit, limit};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 3;
    lb_err e;
    err_clear(&e);
    out_stage *s = out_stage_new(out, 0, &e);
    if (!s || out_stage_mkdir(s, "data", &e) != 0) {
        out_stage_free(s);
        return 3;
    }
    const char *rels[] = {"report.pdf", "data/a.csv"};
    for (int i = 0; i < 2; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s/%s", out_stage_path(s), rels[i]);
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0 || write(fd, "run 2", 5) != 5) {
            out_stage_free(s);
            return 3;
        }
        close(fd);
    }
    int rc = out_stage_commit(s, &e);
    out_stage_free(s);
    char p[700], buf[16] = "";
    snprintf(p, sizeof p, "%s/report.pdf", out);
    int fd = open(p, O_RDONLY);
    if (fd < 0)
        return 4;
    ssize_t got = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[got > 0 ? got : 0] = '\0';
    if (rc != 0)
        return strcmp(buf, "report 1") == 0 ? 2 : 4;
    snprintf(p, sizeof p, "%s/.lossbook", out);
    DIR *d = opendir(p);
    int gens = 0;
    for (struct dirent *de; d && (de = readdir(d));)
        gens += strncmp(de->d_name, "gen-", 4) == 0;
    if (d)
        closedir(d);
    return strcmp(buf, "run 2") != 0 ? 4 : gens == 1 ? 0 : 1;
}

/* qa row 27: with few file descriptors (`ulimit -n 12`) a run succeeded
 * but left the previous generation behind (removing it needed more
 * descriptors than the commit itself, whose own were still open).  For
 * every limit from "cannot start" to plenty: either the commit is refused
 * with run 1 intact, or it succeeds and leaves exactly one generation. */
static void test_fd_limit_one_generation(void **state)
{
    (void)state;
    int top = 0;
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    for (struct dirent *de; (de = readdir(d));)
        if (atoi(de->d_name) > top)
            top = atoi(de->d_name);
    closedir(d);
    int ok = 0;
    for (int k = 1; k <= 24; k++) {
        char out[300];
        snprintf(out, sizeof out, "%s/out%d", tk_scratch(), k);
        const char *run1[] = {"report.pdf=report 1", "data/a.csv=a 1", "data/b.csv=b 1"};
        S_commit_files(out, run1, 3);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            _exit(S_commit_under_limit(out, top, (rlim_t)(3 + k)));
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        int code = WEXITSTATUS(st);
        if (code == 1 || code == 4)
            fprintf(stderr, "RLIMIT_NOFILE %d: exit %d\n", 3 + k, code);
        assert_int_not_equal(code, 1);
        assert_int_not_equal(code, 4);
        ok += code == 0;
    }
    assert_true(ok > 0); /* plenty of descriptors: it does succeed */
}

/* An output folder inside another's .lossbook (typed, through `current`, or
 * through the OUT/data link into the current generation) would nest a run in
 * that folder's outputs, carried into each later generation (qa sweep):
 * refused as bad input before anything is created; the folder's runs stay
 * as they were. */
static void test_out_inside_meta_refused(void **state)
{
    (void)state;
    char out[300];
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    const char *run1[] = {"report.pdf=report 1", "data/a.csv=a 1"};
    S_commit_files(out, run1, 2);
    char before[1024];
    snprintf(before, sizeof before, "%s", S_meta(out));
    const char *bad[] = {".lossbook", ".lossbook/current", ".lossbook/current/", "data",
                         ".lossbook/new", ".lossbook/gen-000001/data"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char p[400];
        snprintf(p, sizeof p, "%s/%s", out, bad[i]);
        lb_err e;
        err_clear(&e);
        out_stage *s = out_stage_new(p, 0, &e);
        if (s)
            fprintf(stderr, "accepted: %s\n", p);
        assert_null(s);
        assert_int_equal(e.code, LB_EXIT_INPUT);
        assert_non_null(strstr(e.msg, "is inside a .lossbook folder"));
        err_clear(&e);
        assert_null(out_stage_new(p, OUT_FLAG_PLAIN, &e)); /* check --pdf too */
        assert_int_equal(e.code, LB_EXIT_INPUT);
    }
    /* through the data link: the message says where it leads */
    lb_err e;
    err_clear(&e);
    assert_null(out_stage_new(S_at(out, "data"), 0, &e));
    assert_non_null(strstr(e.msg, "(it leads to "));
    assert_non_null(strstr(e.msg, "/.lossbook/gen-000001/data)"));
    struct stat st;
    assert_int_not_equal(lstat(S_at(out, ".lossbook/new"), &st), 0); /* nothing created */
    assert_string_equal(S_meta(out), before);
    assert_string_equal(S_read(S_at(out, "report.pdf")), "report 1");
    /* a folder merely next to a .lossbook is an ordinary output folder */
    char sib[400];
    snprintf(sib, sizeof sib, "%s/out/sub", tk_scratch());
    const char *run2[] = {"report.pdf=nested ok"};
    S_commit_files(sib, run2, 1);
    assert_string_equal(S_read(S_at(sib, "report.pdf")), "nested ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        tk_unit_test_scratch(test_commit_switches_generations),
        tk_unit_test_scratch(test_failed_run_leaves_folder_identical),
        tk_unit_test_scratch(test_planted_symlinks_replaced_not_followed),
        tk_unit_test_scratch(test_takes_over_older_layout),
        tk_unit_test_scratch(test_sweeps_dead_runs),
        tk_unit_test_scratch(test_lock_no_wait_and_wait),
        tk_unit_test_scratch(test_sigclean_removes_staging),
        tk_unit_test_scratch(test_plain_mode),
        tk_unit_test_scratch(test_inputs_never_replaced),
        tk_unit_test_scratch(test_unusable_out),
        tk_unit_test_scratch(test_fd_limit_one_generation),
        tk_unit_test_scratch(test_out_inside_meta_refused),
    };
    return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
