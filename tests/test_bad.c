/* The bad-input corpus (tests/bad/): every case runs build/lossbook ($LB_BIN,
 * from the repository root $LB_ROOT) into an output folder that already
 * holds a complete earlier run, and checks
 *   (a) the exit code,
 *   (b) stderr: exactly one line holding the expected fragment (failures,
 *       and successes that warn: an overfull line), or nothing at all
 *       (other successes; every case runs with --quiet),
 *   (c) the earlier outputs are byte-identical afterwards (tk_diff against
 *       a copy taken just before the run, after the case's setup) unless the
 *       case succeeds and may replace them,
 *   (d) nothing of a dead run is left in OUT/.lossbook (a staging-PID-*
 *       or tmp-PID-* entry whose process is gone) and one generation only,
 *   (e) no sanitizer report, the run's wall time and peak memory stay under
 *       the case's bounds, and every `check:` command of the case succeeds.
 *
 * A case is a folder tests/bad/NAME/ with a file `case` of `key: value`
 * lines ('#' starts a comment line):
 *   what:      one line saying what is tested                  (required)
 *   args:      the command-line arguments, shell syntax         (required)
 *   exit:      expected exit code                               (required)
 *   message:   fragment expected on the one stderr line  (required if exit != 0;
 *              with exit 0: the one warning line expected)
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
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "testkit.h"

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

/* `sh -c CMD` (the case files are shell syntax by design) in CWD; on
 * failure say so with the command's stderr.  Returns the exit status. */
/* What a run must not leave in OUT/.lossbook (outdir.h): a staging-PID-*
 * or tmp-PID-* entry whose process is gone, or more than one generation.
 * (A live process's entry, like one a case plants, is not ours to judge.)
 * NULL, or the offending name (caller frees). */
static char *S_leftover(const char *out)
{
    size_t n = 0, gens = 0;
    char **names = tk_list_dir(tk_path("%s/.lossbook", out), "*", &n);
    char *bad = NULL;
    for (size_t i = 0; names && i < n && !bad; i++) {
        const char *nm = names[i];
        const char *dash = strchr(nm, '-');
        if (strncmp(nm, "gen-", 4) == 0 && ++gens > 1)
            bad = strdup(tk_path("%s/.lossbook/%s (a second generation)", out, nm));
        else if (dash && (strncmp(nm, "staging-", 8) == 0 || strncmp(nm, "tmp-", 4) == 0)) {
            long pid = strtol(dash + 1, NULL, 10);
            if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
                bad = strdup(tk_path("%s/.lossbook/%s (its process is gone)", out, nm));
        }
    }
    tk_list_free(names);
    return bad;
}

static int S_shell(const char *cwd, const char *what, const char *cmd)
{
    tk_result r = {0};
    tk_opts o = {.cwd = cwd};
    int rc = tk_sh(&r, &o, "%s", cmd);
    if (rc != 0)
        fprintf(stderr, "  %s failed (%d): %s\n%s%s", what, rc, cmd, r.out, r.err);
    tk_result_free(&r);
    return rc;
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

    assert_int_equal(tk_rmtree(tmp), 0);
    assert_int_equal(tk_mkdirs(tmp), 0);
    assert_int_equal(tk_copy(c->dir, casetmp), 0);
    assert_int_equal(tk_copy(S_golden, out), 0);
    for (size_t i = 0; i < c->nsetup; i++) {
        char *cmd = S_subst(c->setup[i], casetmp, out, tmp, NULL, NULL);
        assert_non_null(cmd);
        int rc = S_shell(casetmp, tk_path("%s: setup", c->name), cmd);
        free(cmd);
        assert_int_equal(rc, 0);
    }
    /* What the output folder holds now (setup may have planted things) is
     * what a failed run must leave behind. */
    if (c->keep)
        assert_int_equal(tk_copy(out, before), 0);

    char *args = S_subst(c->args, casetmp, out, tmp, NULL, NULL);
    char *prefix = c->prefix ? S_subst(c->prefix, casetmp, out, tmp, NULL, NULL) : NULL;
    assert_non_null(args);
    /* The case's args and prefix are shell text: sh -c, from the root. */
    tk_result r = {0};
    tk_opts o = {.cwd = S_root, .timeout = c->maxtime};
    tk_sh(&r, &o, "%s exec '%s' %s", prefix ? prefix : "", S_bin, args);
    /* check: commands read the run's output from these files */
    assert_int_equal(tk_write_file(so, r.out), 0);
    assert_int_equal(tk_write_file(se, r.err), 0);
    const char *err = r.err;
    size_t errlen = r.err_len;

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
    if (c->exit_code != 0 || (c->message && *c->message)) {
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
    if (c->keep) {
        char *d = tk_diff(before, out);
        if (d)
            S_FAIL("the earlier outputs changed: %s", d);
        free(d);
    }
    char *left = S_leftover(out);
    if (left)
        S_FAIL("left in the output folder: %s", left);
    free(left);
    long limit_kb = c->maxrss_mb * 1024 * (S_asan ? S_ASAN_RSS_FACTOR : 1);
    if (c->maxrss_mb > 0 && r.maxrss_kb > limit_kb)
        S_FAIL("peak memory %ld MiB exceeds %ld MiB", r.maxrss_kb / 1024, limit_kb / 1024);
    for (size_t i = 0; i < c->ncheck; i++) {
        char *chk = S_subst(c->check[i], casetmp, out, tmp, so, se);
        assert_non_null(chk);
        if (S_shell(casetmp, tk_path("%s: check", c->name), chk) != 0)
            S_FAIL("check failed: %s", chk);
        free(chk);
    }
    printf("  [%s] exit %d in %.2f s, peak %ld MiB\n", c->name, r.status, r.seconds,
           r.maxrss_kb / 1024);
    if (ok || !getenv("LB_BAD_KEEP"))
        tk_rmtree(tmp);
    tk_result_free(&r);
    free(args);
    free(prefix);
    assert_true(ok);
}

/* ---- group ------------------------------------------------------------ */

static int S_group_setup(void **state)
{
    (void)state;
    char *tmp = tk_tmpdir_new("bad");
    if (!tmp)
        return -1;
    snprintf(S_tmp, sizeof S_tmp, "%s", tmp);
    free(tmp);
    snprintf(S_golden, sizeof S_golden, "%s/golden", S_tmp);
    tk_result r = {0};
    tk_lb(&r, NULL, "--quiet", "--out", S_golden, "--template", S_GOOD_TEMPLATE, NULL);
    int rc = r.status;
    if (rc != 0)
        fprintf(stderr, "test_bad: the good run failed (exit %d): %s\n", rc, r.err);
    else
        printf("test_bad: good run in %.2f s, peak %ld MiB\n", r.seconds, r.maxrss_kb / 1024);
    tk_result_free(&r);
    return rc == 0 ? 0 : -1;
}

static int S_group_teardown(void **state)
{
    (void)state;
    if (getenv("LB_BAD_KEEP")) {
        printf("test_bad: scratch kept in %s\n", S_tmp);
        return 0;
    }
    return tk_rmtree(S_tmp);
}

int main(void)
{
    S_bin = tk_bin();
    S_root = tk_root();
    if (tk_need_bin("test_bad") != 0)
        return 1;
    S_asan = tk_sanitized();
    const char *only = getenv("LB_BAD_ONLY");

    /* Every folder of tests/bad/ that holds a `case` file (common/ and
     * other helpers have none), in name order. */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/bad", S_root);
    size_t nall = 0;
    char **all = tk_list_dir(dir, NULL, &nall);
    if (!all) {
        fprintf(stderr, "test_bad: cannot list %s\n", dir);
        return 1;
    }
    S_case *cases = calloc(nall ? nall : 1, sizeof *cases);
    struct CMUnitTest *tests = calloc(nall ? nall : 1, sizeof *tests);
    if (!cases || !tests)
        return 1;
    size_t n = 0;
    int bad = 0;
    for (size_t i = 0; i < nall; i++) {
        struct stat st;
        if (stat(tk_path("%s/%s/case", dir, all[i]), &st) != 0)
            continue;
        if (only && strcmp(only, all[i]) != 0)
            continue;
        if (S_parse_case(&cases[n], all[i]) != 0)
            bad = 1;
        tests[n].name = cases[n].name;
        tests[n].test_func = S_run_case;
        tests[n].initial_state = &cases[n];
        n++;
    }
    tk_list_free(all);
    if (bad)
        return 1;
    /* The corpus is a requirement (issue 7): at least 40 cases. */
    if (!only && n < 40) {
        fprintf(stderr, "test_bad: only %zu cases in %s (at least 40 expected)\n", n, dir);
        return 1;
    }
    int rc = _cmocka_run_group_tests("bad", tests, n, S_group_setup, S_group_teardown);
    for (size_t i = 0; i < n; i++)
        S_free_case(&cases[i]);
    free(cases);
    free(tests);
    return rc;
}
