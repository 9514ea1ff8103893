/* testkit — see testkit.h: where things are, running programs, PDFs and
 * the assertions (files, folders and text are in testkit_fs.c).  Test
 * infrastructure: simple, checked at every system call, never exits the
 * process; tests/test_testkit.c tests it. */
#include "testkit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define S_PATH_MAX 4096
#define S_CAPTURE_MAX ((size_t)64 << 20) /* per stream; the rest is read and dropped */
#define S_MAX_ARGS 256
/* After the program exits (and its process group is killed), a pipe still
 * open is held by a process that left the group: stop reading after this. */
#define S_DRAIN_GRACE 2.0

/* ---- where things are ------------------------------------------------- */

const char *tk_bin(void)
{
    const char *b = getenv("LB_BIN");
    return b && *b ? b : NULL;
}

const char *tk_root(void)
{
    const char *r = getenv("LB_ROOT");
    return r && *r ? r : ".";
}

int tk_need_bin(const char *who)
{
    const char *b = tk_bin();
    if (b && access(b, X_OK) == 0)
        return 0;
    fprintf(stderr, "%s: set LB_BIN and LB_ROOT (make test does)%s%s\n", who,
            b ? "; not executable: " : "", b ? b : "");
    return -1;
}

int tk_sanitized(void)
{
    const char *b = tk_bin();
    return b && strstr(b, "asan") != NULL;
}

const char *tk_path(const char *fmt, ...)
{
    static char slots[TK_PATH_SLOTS][S_PATH_MAX];
    static unsigned next;
    char *buf = slots[next++ % TK_PATH_SLOTS];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, S_PATH_MAX, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= S_PATH_MAX)
        fail_msg("tk_path: path longer than %d bytes: %.200s...", S_PATH_MAX, buf);
    return buf;
}

const char *tk_src(const char *rel)
{
    return tk_path("%s/%s", tk_root(), rel);
}

/* ---- running programs ------------------------------------------------- */

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct S_buf {
    char *p;
    size_t len, cap;
    int fd;                     /* read end; -1 once at EOF */
} S_buf;

/* Reads what is there; 0 at EOF or error (then fd is closed). */
static int S_drain(S_buf *b)
{
    char chunk[65536];
    ssize_t k = read(b->fd, chunk, sizeof chunk);
    if (k < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (k <= 0) {
        close(b->fd);
        b->fd = -1;
        return 0;
    }
    size_t room = b->len < S_CAPTURE_MAX ? S_CAPTURE_MAX - b->len : 0;
    size_t take = (size_t)k < room ? (size_t)k : room;
    if (b->len + take + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 8192;
        while (cap < b->len + take + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np)
            return 1; /* keep what we have; the rest is dropped */
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, chunk, take);
    b->len += take;
    return 1;
}

/* In the child, before exec: only writes to fd 2 and _exit on failure. */
static void S_child(const tk_opts *o, const char *const argv[], int out_w, int err_w)
{
    setpgid(0, 0);
    if (dup2(err_w, 2) < 0 || dup2(out_w, 1) < 0)
        _exit(126);
    close(out_w);
    close(err_w);
    const char *in = o && o->in ? o->in : "/dev/null";
    int fd = open(in, O_RDONLY);
    if (fd < 0 || dup2(fd, 0) < 0) {
        dprintf(2, "testkit: cannot open %s for stdin: %s\n", in, strerror(errno));
        _exit(126);
    }
    close(fd);
    if (o && o->cwd && chdir(o->cwd) != 0) {
        dprintf(2, "testkit: cannot enter %s: %s\n", o->cwd, strerror(errno));
        _exit(126);
    }
    for (const char *const *e = o ? o->env : NULL; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) {
            unsetenv(*e);
            continue;
        }
        char name[256];
        size_t nl = (size_t)(eq - *e);
        if (nl == 0 || nl >= sizeof name)
            _exit(126);
        memcpy(name, *e, nl);
        name[nl] = '\0';
        setenv(name, eq + 1, 1);
    }
    signal(SIGPIPE, SIG_DFL);
    execvp(argv[0], (char *const *)argv);
    dprintf(2, "testkit: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static char *S_take(S_buf *b, size_t *len)
{
    if (!b->p)
        b->p = calloc(1, 1);
    else
        b->p[b->len] = '\0';
    *len = b->p ? b->len : 0;
    return b->p;
}

static void S_report(const tk_result *r, const char *const argv[])
{
    fprintf(stderr, "testkit: %s: ", argv[0]);
    if (r->timed_out)
        fprintf(stderr, "killed after %.1f s (time limit)", r->seconds);
    else if (r->signo)
        fprintf(stderr, "killed by signal %d", r->signo);
    else
        fprintf(stderr, "exit %d", r->status);
    fprintf(stderr, "; stderr: %.2000s\n", r->err ? r->err : "");
}

int tk_run(tk_result *r, const tk_opts *o, const char *const argv[])
{
    tk_result local = {0};
    tk_result *res = r ? r : &local;
    tk_result_free(res);
    res->status = -1;

    int po[2] = {-1, -1}, pe[2] = {-1, -1};
    if (pipe(po) != 0 || pipe(pe) != 0) {
        fprintf(stderr, "testkit: pipe: %s\n", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (po[i] >= 0)
                close(po[i]);
            if (pe[i] >= 0)
                close(pe[i]);
        }
        return -1;
    }
    fflush(NULL); /* no buffered output written twice by the child */
    double t0 = S_now();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "testkit: fork: %s\n", strerror(errno));
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        return -1;
    }
    if (pid == 0) {
        close(po[0]);
        close(pe[0]);
        S_child(o, argv, po[1], pe[1]);
    }
    setpgid(pid, pid); /* also here: no race with a kill below */
    close(po[1]);
    close(pe[1]);
    S_buf bo = {NULL, 0, 0, po[0]}, be = {NULL, 0, 0, pe[0]};
    fcntl(bo.fd, F_SETFL, O_NONBLOCK);
    fcntl(be.fd, F_SETFL, O_NONBLOCK);

    double limit = o && o->timeout > 0 ? o->timeout : TK_TIMEOUT;
    double exited_at = -1;
    for (;;) {
        if (exited_at < 0) {
            /* Exited?  WNOWAIT keeps the zombie, so its process group id
             * cannot be reused before the kill below. */
            siginfo_t si;
            memset(&si, 0, sizeof si);
            if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                si.si_pid == pid) {
                exited_at = S_now();
                kill(-pid, SIGKILL); /* whatever it left running */
            }
        }
        if (bo.fd < 0 && be.fd < 0 && exited_at >= 0)
            break;
        double now = S_now();
        if (exited_at < 0 && now - t0 > limit) {
            res->timed_out = 1;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            break;
        }
        if (exited_at >= 0 && now - exited_at > S_DRAIN_GRACE)
            break;
        struct pollfd pf[2];
        int n = 0;
        if (bo.fd >= 0)
            pf[n++] = (struct pollfd){bo.fd, POLLIN, 0};
        if (be.fd >= 0)
            pf[n++] = (struct pollfd){be.fd, POLLIN, 0};
        if (n == 0) {
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL);
            continue;
        }
        int k = poll(pf, (nfds_t)n, 20);
        if (k < 0 && errno != EINTR)
            break;
        for (int i = 0; i < n && k > 0; i++) {
            if (!pf[i].revents)
                continue;
            S_buf *b = pf[i].fd == bo.fd ? &bo : &be;
            S_drain(b);
        }
    }
    if (bo.fd >= 0)
        close(bo.fd);
    if (be.fd >= 0)
        close(be.fd);

    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
        ;
    res->seconds = S_now() - t0;
    res->maxrss_kb = ru.ru_maxrss;
    if (WIFEXITED(st) && !res->timed_out) {
        res->status = WEXITSTATUS(st);
    } else {
        res->status = -1;
        res->signo = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    }
    res->out = S_take(&bo, &res->out_len);
    res->err = S_take(&be, &res->err_len);
    int status = res->status;
    if (!r) {
        if (status != 0)
            S_report(res, argv);
        tk_result_free(res);
    }
    return status;
}

/* The variadic list (NULL-terminated) after `first` into argv. */
static int S_argv(const char **argv, const char *first, va_list ap)
{
    int n = 0;
    argv[n++] = first;
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL) {
        if (n >= S_MAX_ARGS - 1)
            return -1;
        argv[n++] = a;
    }
    argv[n] = NULL;
    return n;
}

static int S_too_many(tk_result *r, const char *prog)
{
    fprintf(stderr, "testkit: %s: more than %d arguments\n", prog, S_MAX_ARGS - 2);
    tk_result_free(r);
    if (r)
        r->status = -1;
    return -1;
}

int tk_cmd(tk_result *r, const tk_opts *o, const char *prog, ...)
{
    const char *argv[S_MAX_ARGS];
    va_list ap;
    va_start(ap, prog);
    int n = S_argv(argv, prog, ap);
    va_end(ap);
    return n < 0 ? S_too_many(r, prog) : tk_run(r, o, argv);
}

int tk_lb(tk_result *r, const tk_opts *o, ...)
{
    const char *bin = tk_bin();
    if (!bin) {
        fprintf(stderr, "testkit: LB_BIN is not set (make test sets it)\n");
        tk_result_free(r);
        if (r) {
            r->status = -1;
            r->out = calloc(1, 1);
            r->err = strdup("testkit: LB_BIN is not set\n");
            r->err_len = r->err ? strlen(r->err) : 0;
        }
        return -1;
    }
    const char *argv[S_MAX_ARGS];
    va_list ap;
    va_start(ap, o);
    int n = S_argv(argv, bin, ap);
    va_end(ap);
    if (n < 0)
        return S_too_many(r, bin);
    tk_opts oo = {0};
    if (o)
        oo = *o;
    if (!oo.cwd)
        oo.cwd = tk_root();
    return tk_run(r, &oo, argv);
}

int tk_sh(tk_result *r, const tk_opts *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *cmd = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!cmd) {
        tk_result_free(r);
        if (r)
            r->status = -1;
        return -1;
    }
    va_start(ap, fmt);
    vsnprintf(cmd, (size_t)n + 1, fmt, ap);
    va_end(ap);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    int rc = tk_run(r, o, argv);
    free(cmd);
    return rc;
}

void tk_result_free(tk_result *r)
{
    if (!r)
        return;
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

static char *S_capture_argv(const char *const argv[])
{
    tk_result r = {0};
    if (tk_run(&r, NULL, argv) != 0) {
        S_report(&r, argv);
        tk_result_free(&r);
        return NULL;
    }
    char *out = r.out;
    r.out = NULL;
    tk_result_free(&r);
    return out;
}

char *tk_capture(const char *prog, ...)
{
    const char *argv[S_MAX_ARGS];
    va_list ap;
    va_start(ap, prog);
    int n = S_argv(argv, prog, ap);
    va_end(ap);
    if (n < 0) {
        S_too_many(NULL, prog);
        return NULL;
    }
    return S_capture_argv(argv);
}

/* ---- PDFs ------------------------------------------------------------- */

char *tk_pdftotext(const char *pdf, int first, int last)
{
    if (first <= 0 && last <= 0)
        return tk_capture("pdftotext", "-enc", "UTF-8", pdf, "-", NULL);
    char f[32], l[32];
    snprintf(f, sizeof f, "%d", first > 0 ? first : 1);
    snprintf(l, sizeof l, "%d", last > 0 ? last : first);
    return tk_capture("pdftotext", "-enc", "UTF-8", "-f", f, "-l", l, pdf, "-", NULL);
}

char *tk_pdfinfo(const char *pdf)
{
    return tk_capture("pdfinfo", pdf, NULL);
}

int tk_pdf_pages(const char *pdf)
{
    char *info = tk_pdfinfo(pdf);
    if (!info)
        return -1;
    const char *p = strncmp(info, "Pages:", 6) == 0 ? info : strstr(info, "\nPages:");
    int n = p ? atoi(p + (*p == '\n' ? 7 : 6)) : -1;
    free(info);
    return n;
}

char *tk_pdffonts(const char *pdf)
{
    return tk_capture("pdffonts", pdf, NULL);
}

int tk_pdf_images(const char *pdf)
{
    char *list = tk_capture("pdfimages", "-list", pdf, NULL);
    if (!list)
        return -1;
    /* two header lines, then one line per image */
    int lines = 0;
    for (const char *p = list; *p; p++)
        lines += *p == '\n';
    free(list);
    return lines >= 2 ? lines - 2 : -1;
}

/* ---- assertions ------------------------------------------------------- */

void tk_assert_exit_(const tk_result *r, int code, const char *file, int line)
{
    if (r->status == code)
        return;
    if (r->timed_out)
        print_error("killed at the time limit after %.1f s (expected exit %d)\n",
                       r->seconds, code);
    else if (r->status < 0)
        print_error("did not exit normally (signal %d; expected exit %d)\n", r->signo,
                       code);
    else
        print_error("exit %d, expected %d\n", r->status, code);
    print_error("stderr: %.2000s\n", r->err ? r->err : "");
    _fail(file, line);
}

void tk_assert_same_(const char *a, const char *b, const char *file, int line)
{
    char *d = tk_diff(a, b);
    if (!d)
        return;
    print_error("%s\n", d);
    free(d);
    _fail(file, line);
}
