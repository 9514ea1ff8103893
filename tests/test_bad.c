/* The bad-input corpus (tests/bad/): every case runs build/lossbook ($LB_BIN,
 * from the repository root $LB_ROOT) into an output folder that already
 * holds a complete earlier run, and checks
 *   (a) the exit code,
 *   (b) stderr: exactly one line holding the expected fragment (failures),
 *       or nothing at all (successes; every case runs with --quiet),
 *   (c) the earlier outputs are byte-identical afterwards (`diff -r` against
 *       a copy taken just before the run, after the case's setup) unless the
 *       case succeeds and may replace them,
 *   (d) no `.staging-*` folder is left in the output folder,
 *   (e) no sanitizer report, the run's wall time and peak memory stay under
 *       the case's bounds, and every `check:` command of the case succeeds.
 *
 * A case is a folder tests/bad/NAME/ with a file `case` of `key: value`
 * lines ('#' starts a comment line):
 *   what:      one line saying what is tested                  (required)
 *   args:      the command-line arguments, shell syntax         (required)
 *   exit:      expected exit code                               (required)
 *   message:   fragment expected on the one stderr line  (required if exit != 0)
 *   setup:     shell command run first, in the case's scratch copy (repeatable)
 *   prefix:    shell text put before `exec lossbook` (ulimit, PATH=...)
 *   check:     shell command that must succeed afterwards (repeatable)
 *   keep:      yes | no — earlier outputs must stay identical
 *              (default: yes when exit != 0, no when the case succeeds)
 *   maxtime:   seconds before the run is killed and the case fails (default 60)
 *   maxrss_mb: peak resident memory bound in MiB (default: none); scaled by
 *              S_ASAN_RSS_FACTOR for the sanitized binary
 * In args/setup/prefix/check these are substituted:
 *   {out}    the output folder (holds the earlier run)
 *   {case}   a scratch copy of the case folder (its files, setup's output)
 *   {root}   $LB_ROOT          {tmp} the case's scratch root
 *   {stdout} {stderr}          files holding the run's output (check only)
 * The command is `cd $LB_ROOT && PREFIX exec $LB_BIN ARGS`, so relative paths
 * in args are relative to the repository root.
 *
 * The earlier run ("golden") is made once in the group setup with the
 * default example and tests/bad/common/good.md (most cases use that template
 * too, so that they test their one bad input and nothing else).  Set LB_BAD_KEEP=1 to keep the scratch
 * folders of failed cases; LB_BAD_ONLY=NAME runs one case. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define S_MAX_LIST 16          /* setup:/check: lines per case */
#define S_DEFAULT_MAXTIME 60
/* The good run uses a small template of our own that touches every kind of
 * directive, so the corpus does not depend on the handout's prose. */
#define S_GOOD_TEMPLATE "tests/bad/common/good.md"
/* ASan keeps freed memory in quarantine and adds shadow pages: the same
 * run needs several times the memory. */
#define S_ASAN_RSS_FACTOR 4

typedef struct S_case {
    char name[128];
    char dir[1024];            /* tests/bad/NAME */
    char *what, *args, *message, *prefix;
    char *setup[S_MAX_LIST];
    size_t nsetup;
    char *check[S_MAX_LIST];
    size_t ncheck;
    int exit_code;
    int keep;                  /* -1: default */
    int maxtime;
    long maxrss_mb;            /* 0: unbounded */
} S_case;

static const char *S_bin, *S_root;
static char S_tmp[256], S_golden[512];
static int S_asan;

/* ---- small helpers ---------------------------------------------------- */

static char *S_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static char *S_xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) {
        fprintf(stderr, "test_bad: out of memory\n");
        exit(1);
    }
    return p;
}

/* Replace {out} {case} {root} {tmp} {stdout} {stderr} in `in` (heap result). */
static char *S_subst(const char *in, const char *casetmp, const char *out, const char *tmp,
                     const char *so, const char *se)
{
    const char *keys[] = {"{out}", "{case}", "{root}", "{tmp}", "{stdout}", "{stderr}"};
    const char *vals[] = {out, casetmp, S_root, tmp, so ? so : "", se ? se : ""};
    size_t cap = strlen(in) + 1;
    for (const char *p = in; *p; p++)
        if (*p == '{')
            cap += 1024;
    char *r = malloc(cap), *w = r;
    if (!r)
        return NULL;
    while (*in) {
        size_t k;
        for (k = 0; k < 6; k++)
            if (strncmp(in, keys[k], strlen(keys[k])) == 0)
                break;
        if (k < 6) {
            size_t vl = strlen(vals[k]);
            memcpy(w, vals[k], vl);
            w += vl;
            in += strlen(keys[k]);
        } else {
            *w++ = *in++;
        }
    }
    *w = '\0';
    return r;
}

/* Run `sh -c cmd`; return its exit status (-1 if killed or on error). */
static int S_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *S_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

/* ---- case files ------------------------------------------------------- */

static int S_parse_case(S_case *c, const char *name)
{
    memset(c, 0, sizeof *c);
    c->keep = -1;
    c->maxtime = S_DEFAULT_MAXTIME;
    c->exit_code = -1;
    snprintf(c->name, sizeof c->name, "%s", name);
    snprintf(c->dir, sizeof c->dir, "%s/tests/bad/%s", S_root, name);
    char path[1200];
    snprintf(path, sizeof path, "%s/case", c->dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[8192];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = S_trim(line);
        if (!*s || *s == '#')
            continue;
        char *colon = strchr(s, ':');
        if (!colon) {
            fprintf(stderr, "%s:%d: expected 'key: value'\n", path, lineno);
            rc = -1;
            break;
        }
        *colon = '\0';
        char *key = S_trim(s), *val = S_trim(colon + 1);
        if (strcmp(key, "what") == 0)
            c->what = S_xstrdup(val);
        else if (strcmp(key, "args") == 0)
            c->args = S_xstrdup(val);
        else if (strcmp(key, "message") == 0)
            c->message = S_xstrdup(val);
        else if (strcmp(key, "prefix") == 0)
            c->prefix = S_xstrdup(val);
        else if (strcmp(key, "exit") == 0)
            c->exit_code = atoi(val);
        else if (strcmp(key, "keep") == 0)
            c->keep = strcmp(val, "yes") == 0;
        else if (strcmp(key, "maxtime") == 0)
            c->maxtime = atoi(val);
        else if (strcmp(key, "maxrss_mb") == 0)
            c->maxrss_mb = atol(val);
        else if (strcmp(key, "setup") == 0 && c->nsetup < S_MAX_LIST)
            c->setup[c->nsetup++] = S_xstrdup(val);
        else if (strcmp(key, "check") == 0 && c->ncheck < S_MAX_LIST)
            c->check[c->ncheck++] = S_xstrdup(val);
        else {
            fprintf(stderr, "%s:%d: unknown key '%s' (or too many)\n", path, lineno, key);
            rc = -1;
            break;
        }
    }
    fclose(f);
    if (rc == 0 && (!c->what || !c->args || c->exit_code < 0 ||
                    (c->exit_code != 0 && (!c->message || !*c->message)))) {
        fprintf(stderr, "%s: needs what:, args:, exit: and (when exit != 0) message:\n",
                path);
        rc = -1;
    }
    if (c->keep < 0)
        c->keep = c->exit_code != 0;
    return rc;
}

static void S_free_case(S_case *c)
{
    free(c->what);
    free(c->args);
    free(c->message);
    free(c->prefix);
    for (size_t i = 0; i < c->nsetup; i++)
        free(c->setup[i]);
    for (size_t i = 0; i < c->ncheck; i++)
        free(c->check[i]);
}

/* ---- running the program ---------------------------------------------- */

typedef struct S_result {
    int status;        /* exit code, or -1 when killed by a signal */
    int signo;         /* the signal, when killed */
    int timed_out;
    double seconds;
    long maxrss_kb;
} S_result;

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run `cmd` through /bin/sh in its own process group, stdout/stderr into
 * files, killing the whole group after `maxtime` seconds.  The rusage of
 * wait4 covers the shell (which execs lossbook) and every child it reaped
 * (gnuplot), so maxrss is the largest of them. */
static void S_spawn(const char *cmd, const char *so, const char *se, int maxtime,
                    S_result *r)
{
    memset(r, 0, sizeof *r);
    double t0 = S_now();
    pid_t pid = fork();
    if (pid < 0) {
        r->status = -1;
        return;
    }
    if (pid == 0) {
        setpgid(0, 0);
        if (!freopen("/dev/null", "r", stdin) || !freopen(so, "w", stdout) ||
            !freopen(se, "w", stderr))
            _exit(126);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        pid_t w = wait4(pid, &st, WNOHANG, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            r->status = -1;
            return;
        }
        if (S_now() - t0 > maxtime) {
            r->timed_out = 1;
            kill(-pid, SIGKILL);
            wait4(pid, &st, 0, &ru);
            break;
        }
        usleep(10000);
    }
    kill(-pid, SIGKILL); /* anything the run left behind (a stray gnuplot) */
    r->seconds = S_now() - t0;
    r->maxrss_kb = ru.ru_maxrss;
    if (WIFEXITED(st))
        r->status = WEXITSTATUS(st);
    else {
        r->status = -1;
        r->signo = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    }
}

/* ---- one case ---------------------------------------------------------- */

static void S_run_case(void **state)
{
    S_case *c = *state;
    char tmp[600], casetmp[700], out[700], before[700], so[700], se[700];
    snprintf(tmp, sizeof tmp, "%s/%s", S_tmp, c->name);
    snprintf(before, sizeof before, "%s/before", tmp);
    snprintf(casetmp, sizeof casetmp, "%s/case", tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(so, sizeof so, "%s/stdout", tmp);
    snprintf(se, sizeof se, "%s/stderr", tmp);

    assert_int_equal(S_sh("rm -rf '%s' && mkdir -p '%s' && cp -r '%s' '%s' && cp -a '%s' '%s'",
                          tmp, tmp, c->dir, casetmp, S_golden, out),
                     0);
    for (size_t i = 0; i < c->nsetup; i++) {
        char *cmd = S_subst(c->setup[i], casetmp, out, tmp, NULL, NULL);
        assert_non_null(cmd);
        int rc = S_sh("cd '%s' && { %s ; }", casetmp, cmd);
        if (rc != 0)
            fprintf(stderr, "%s: setup failed (%d): %s\n", c->name, rc, cmd);
        free(cmd);
        assert_int_equal(rc, 0);
    }
    /* What the output folder holds now (setup may have planted things) is
     * what a failed run must leave behind. */
    if (c->keep)
        assert_int_equal(S_sh("cp -a '%s' '%s'", out, before), 0);

    char *args = S_subst(c->args, casetmp, out, tmp, NULL, NULL);
    char *prefix = c->prefix ? S_subst(c->prefix, casetmp, out, tmp, NULL, NULL) : NULL;
    assert_non_null(args);
    size_t cl = strlen(args) + (prefix ? strlen(prefix) : 0) + strlen(S_bin) +
                strlen(S_root) + 64;
    char *cmd = malloc(cl);
    assert_non_null(cmd);
    snprintf(cmd, cl, "cd '%s' && %s exec '%s' %s", S_root, prefix ? prefix : "", S_bin, args);

    S_result r;
    S_spawn(cmd, so, se, c->maxtime, &r);
    size_t errlen = 0;
    char *err = S_slurp(se, &errlen);
    char *sout = S_slurp(so, NULL);
    assert_non_null(err);
    assert_non_null(sout);

    int ok = 1;
#define S_FAIL(...)                                                        \
    do {                                                                   \
        fprintf(stderr, "  [%s] ", c->name);                               \
        fprintf(stderr, __VA_ARGS__);                                      \
        fputc('\n', stderr);                                               \
        ok = 0;                                                            \
    } while (0)

    if (r.timed_out)
        S_FAIL("killed after %d s (maxtime)", c->maxtime);
    else if (r.status < 0)
        S_FAIL("died of signal %d", r.signo);
    else if (r.status != c->exit_code)
        S_FAIL("exit code %d, expected %d", r.status, c->exit_code);
    if (strstr(err, "Sanitizer") || strstr(err, "runtime error:") ||
        strstr(err, "LeakSanitizer"))
        S_FAIL("sanitizer report on stderr");
    if (c->exit_code != 0) {
        size_t nl = 0;
        for (size_t i = 0; i < errlen; i++)
            nl += err[i] == '\n';
        if (nl != 1 || errlen == 0 || err[errlen - 1] != '\n')
            S_FAIL("stderr has %zu lines, expected exactly one", nl);
        if (!strstr(err, c->message))
            S_FAIL("stderr lacks the fragment \"%s\"", c->message);
    } else if (errlen != 0) {
        S_FAIL("success with --quiet should print nothing on stderr");
    }
    if (!ok || getenv("LB_BAD_VERBOSE"))
        fprintf(stderr, "  [%s] stderr was: %s%s", c->name, err,
                errlen && err[errlen - 1] == '\n' ? "" : "\n");
    if (c->keep && S_sh("diff -r --no-dereference '%s' '%s' >/dev/null 2>&1", before, out) != 0) {
        S_FAIL("the earlier outputs changed:");
        S_sh("diff -rq --no-dereference '%s' '%s' >&2", before, out);
    }
    if (S_sh("test -z \"$(find '%s' -name '.staging-*' 2>/dev/null)\"", out) != 0)
        S_FAIL("a .staging-* folder was left in the output folder");
    long limit_kb = c->maxrss_mb * 1024 * (S_asan ? S_ASAN_RSS_FACTOR : 1);
    if (c->maxrss_mb > 0 && r.maxrss_kb > limit_kb)
        S_FAIL("peak memory %ld MiB exceeds %ld MiB", r.maxrss_kb / 1024, limit_kb / 1024);
    for (size_t i = 0; i < c->ncheck; i++) {
        char *chk = S_subst(c->check[i], casetmp, out, tmp, so, se);
        assert_non_null(chk);
        if (S_sh("cd '%s' && { %s ; }", casetmp, chk) != 0)
            S_FAIL("check failed: %s", chk);
        free(chk);
    }
    printf("  [%s] exit %d in %.2f s, peak %ld MiB\n", c->name, r.status, r.seconds,
           r.maxrss_kb / 1024);
    if (ok || !getenv("LB_BAD_KEEP"))
        S_sh("chmod -R u+rwX '%s' 2>/dev/null; rm -rf '%s'", tmp, tmp);
    free(err);
    free(sout);
    free(cmd);
    free(args);
    free(prefix);
    assert_true(ok);
}

/* ---- group ------------------------------------------------------------ */

static int S_group_setup(void **state)
{
    (void)state;
    strcpy(S_tmp, "/tmp/lb-bad-XXXXXX");
    if (!mkdtemp(S_tmp))
        return -1;
    snprintf(S_golden, sizeof S_golden, "%s/golden", S_tmp);
    char so[400], se[400], cmd[2048];
    snprintf(so, sizeof so, "%s/golden.stdout", S_tmp);
    snprintf(se, sizeof se, "%s/golden.stderr", S_tmp);
    snprintf(cmd, sizeof cmd, "cd '%s' && exec '%s' --quiet --out '%s' --template %s", S_root,
             S_bin, S_golden, S_GOOD_TEMPLATE);
    S_result r;
    S_spawn(cmd, so, se, 300, &r);
    if (r.status != 0) {
        char *err = S_slurp(se, NULL);
        fprintf(stderr, "test_bad: the good run failed (exit %d): %s\n", r.status,
                err ? err : "");
        free(err);
        return -1;
    }
    printf("test_bad: good run in %.2f s, peak %ld MiB\n", r.seconds, r.maxrss_kb / 1024);
    return 0;
}

static int S_group_teardown(void **state)
{
    (void)state;
    if (getenv("LB_BAD_KEEP")) {
        printf("test_bad: scratch kept in %s\n", S_tmp);
        return 0;
    }
    return S_sh("chmod -R u+rwX '%s' 2>/dev/null; rm -rf '%s'", S_tmp, S_tmp) == 0 ? 0 : -1;
}

static int S_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    S_bin = getenv("LB_BIN");
    S_root = getenv("LB_ROOT");
    if (!S_bin || !S_root) {
        fprintf(stderr, "test_bad: set LB_BIN and LB_ROOT (make test does)\n");
        return 1;
    }
    S_asan = strstr(S_bin, "asan") != NULL;
    const char *only = getenv("LB_BAD_ONLY");

    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/bad", S_root);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "test_bad: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char p[1400];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s/case", dir, de->d_name);
        if (de->d_name[0] == '.' || stat(p, &st) != 0)
            continue; /* common/ and other helpers have no `case` */
        if (only && strcmp(only, de->d_name) != 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                return 1;
            names = nn;
        }
        names[n++] = S_xstrdup(de->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, S_cmp);

    S_case *cases = calloc(n ? n : 1, sizeof *cases);
    struct CMUnitTest *tests = calloc(n ? n : 1, sizeof *tests);
    if (!cases || !tests)
        return 1;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (S_parse_case(&cases[i], names[i]) != 0)
            bad = 1;
        tests[i].name = cases[i].name;
        tests[i].test_func = S_run_case;
        tests[i].initial_state = &cases[i];
    }
    if (bad)
        return 1;
    /* The corpus is a requirement (issue 7): at least 40 cases. */
    if (!only && n < 40) {
        fprintf(stderr, "test_bad: only %zu cases in %s (at least 40 expected)\n", n, dir);
        return 1;
    }
    int rc = _cmocka_run_group_tests("bad", tests, n, S_group_setup, S_group_teardown);
    for (size_t i = 0; i < n; i++) {
        S_free_case(&cases[i]);
        free(names[i]);
    }
    free(names);
    free(cases);
    free(tests);
    return rc;
}
