/* gnuplot — one gnuplot process driven through pipes.  See gnuplot.h.
 *
 * Ownership: struct gp owns both pipe ends it keeps, the child pid (reaped
 * in gp_free) and its output buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/confine.h"
#include "base/sigclean.h"
#include "plot/gnuplot.h"
#include "plot/gpquote.h"

extern char **environ;

struct gp {
    pid_t pid;          /* child, reaped in gp_free; -1 once reaped; also the
                           id of its process group (setpgid in the child) */
    int sig_id;         /* sigclean registration of the process group */
    int wfd;            /* gnuplot's stdin */
    int rfd;            /* gnuplot's stdout + stderr */
    int timeout_ms;
    int dead;           /* 1: gnuplot exited, timed out or the stream is out
                           of step (marker lost): no further commands */
    unsigned long seq;  /* marker counter */
    char *buf;          /* bytes read from gnuplot not yet consumed */
    size_t len, cap;
    char *out;          /* text of the last gp_load / gp_sync */
};

static const char S_NOT_FOUND[] =
    "gnuplot not found in PATH: install gnuplot-nox (make deps)";

/* ---- small helpers ---------------------------------------------------- */

static long S_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Find an executable `name` in PATH.  Empty PATH components (meaning the
 * current directory) are skipped on purpose: we never run a gnuplot that
 * happens to sit in the working directory.  Returns malloc'd path or NULL
 * (errno ENOENT when not found, ENOMEM on allocation failure). */
static char *S_find_in_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    size_t nlen = strlen(name);
    const char *p = path;
    while (*p) {
        const char *end = strchr(p, ':');
        size_t dlen = end ? (size_t)(end - p) : strlen(p);
        if (dlen > 0) {
            char *full = malloc(dlen + 1 + nlen + 1);
            if (!full) {
                errno = ENOMEM;
                return NULL;
            }
            memcpy(full, p, dlen);
            full[dlen] = '/';
            memcpy(full + dlen + 1, name, nlen + 1);
            struct stat st;
            if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
                access(full, X_OK) == 0)
                return full;
            free(full);
        }
        if (!end)
            break;
        p = end + 1;
    }
    errno = ENOENT;
    return NULL;
}

/* Environment for the child: ours without locale variables, plus LC_ALL=C,
 * so gnuplot reads and prints numbers with '.' whatever the user's locale;
 * with `preload`, LD_PRELOAD gets it after the user's own entries (*owned:
 * that malloc'd string).  Built before fork because the child may only call
 * async-signal-safe functions.  The array is malloc'd; its other strings
 * are borrowed from environ (except the literal). */
static char **S_child_env(const char *preload, char **owned)
{
    size_t n = 0;
    const char *user = NULL;
    *owned = NULL;
    for (char **v = environ; v && *v; v++) {
        n++;
        if (strncmp(*v, "LD_PRELOAD=", 11) == 0)
            user = *v + 11;
    }
    if (preload) {
        size_t un = user ? strlen(user) : 0, pn = strlen(preload);
        if (!(*owned = malloc(11 + un + 1 + pn + 1)))
            return NULL;
        snprintf(*owned, 11 + un + 1 + pn + 1, "LD_PRELOAD=%s%s%s", user ? user : "",
                 un ? " " : "", preload);
    }
    char **env = malloc((n + 3) * sizeof *env);
    if (!env) {
        free(*owned);
        *owned = NULL;
        return NULL;
    }
    size_t k = 0;
    for (char **v = environ; v && *v; v++) {
        if (strncmp(*v, "LC_", 3) == 0 || strncmp(*v, "LANG=", 5) == 0 ||
            strncmp(*v, "LANGUAGE=", 9) == 0 || (preload && strncmp(*v, "LD_PRELOAD=", 11) == 0))
            continue;
        env[k++] = *v;
    }
    env[k++] = (char *)"LC_ALL=C";
    if (*owned)
        env[k++] = *owned;
    env[k] = NULL;
    return env;
}

/* Write all of `s` to gnuplot with SIGPIPE blocked (a dead gnuplot gives
 * EPIPE, not a signal that would kill us) and bounded by the timeout.
 * While the pipe is full we keep reading gnuplot's output so neither side
 * can block the other. */
static int S_read_some(gp *g, int wait_ms);

/* gnuplot died: report what it said last (often the reason), one line:
 * gnuplot's lines joined with " / ", controls blanked, at most 300 bytes. */
static int S_died(gp *g, const char *pre, const char *sep, lb_err *e)
{
    g->dead = 1;
    size_t n = g->len;
    while (n > 0 && (g->buf[n - 1] == '\n' || g->buf[n - 1] == ' '))
        n--;
    const char *tail = g->buf ? g->buf : "";
    if (n > 300) {
        tail += n - 300;
        n = 300;
    }
    char one[4 * 300 + 1];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)tail[i];
        if (ch == '\n') {
            memcpy(one + k, " / ", 3);
            k += 3;
        } else {
            one[k++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
        }
    }
    one[k] = '\0';
    return err_set(e, LB_EXIT_RUNTIME, "%s%sgnuplot exited unexpectedly%s%s", pre, sep,
                   n ? ": " : "", one);
}

/* gnuplot printed more than GP_MAX_OUTPUT bytes without reaching our
 * marker (a print loop, a script dumping data): stop it. */
static int S_flood(gp *g, const char *pre, const char *sep, lb_err *e)
{
    g->dead = 1;
    return err_set(e, LB_EXIT_RUNTIME,
                   "%s%sgnuplot printed more than %d MiB of output without finishing; "
                   "stopped it", pre, sep, GP_MAX_OUTPUT >> 20);
}

static int S_write_all(gp *g, const char *s, size_t n, const char *what,
                       lb_err *e)
{
    const char *pre = what ? what : "";
    const char *sep = what ? ": " : "";
    int rc = -1;
    sigset_t pipe_set, old_set, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &old_set);

    long deadline = S_now_ms() + g->timeout_ms;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(g->wfd, s + off, n - off);
        if (w > 0) {
            off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            long left = deadline - S_now_ms();
            if (left <= 0) {
                err_set(e, LB_EXIT_RUNTIME,
                        "%s%sgnuplot: not accepting commands for %d ms",
                        pre, sep, g->timeout_ms);
                goto out;
            }
            struct pollfd pf[2] = {{g->wfd, POLLOUT, 0}, {g->rfd, POLLIN, 0}};
            int pr = poll(pf, 2, (int)(left > 100 ? 100 : left));
            if (pr > 0 && (pf[1].revents & (POLLIN | POLLHUP)) &&
                S_read_some(g, 0) == -3) {
                S_flood(g, pre, sep, e);
                goto out;
            }
            continue;
        }
        if (w < 0 && errno == EPIPE) {
            /* It closed its input: drain what it printed before dying
             * (bounded: EOF, a quiet 200 ms, or the buffer limit), so the
             * message carries gnuplot's own reason, not just "broken pipe". */
            long until = S_now_ms() + 200;
            while (S_now_ms() < until && S_read_some(g, 50) >= 0)
                ;
            S_died(g, pre, sep, e);
        } else
            err_set(e, LB_EXIT_RUNTIME, "%s%swriting to gnuplot: %s", pre, sep,
                    w < 0 ? strerror(errno) : "short write");
        goto out;
    }
    rc = 0;
out:
    if (rc != 0) {
        g->dead = 1;
        /* Consume the SIGPIPE our write raised (only if it was not already
         * pending before us), so unblocking does not deliver it. */
        sigpending(&pending);
        if (!was_pending && sigismember(&pending, SIGPIPE)) {
            struct timespec zero = {0, 0};
            while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
                ;
        }
    }
    sigprocmask(SIG_SETMASK, &old_set, NULL);
    return rc;
}

/* Append what gnuplot has written to g->buf, waiting at most wait_ms for
 * something to arrive.  Returns 1 if bytes were read, 0 on timeout, -1 on
 * EOF (gnuplot closed its output: it exited), -2 on error/out of memory,
 * -3 when GP_MAX_OUTPUT bytes are waiting unconsumed (a flood). */
static int S_read_some(gp *g, int wait_ms)
{
    struct pollfd pf = {g->rfd, POLLIN, 0};
    int pr;
    do
        pr = poll(&pf, 1, wait_ms);
    while (pr < 0 && errno == EINTR);
    if (pr == 0)
        return 0;
    if (pr < 0)
        return -2;
    if (g->len >= GP_MAX_OUTPUT)
        return -3; /* a flood: stop reading, the caller fails */
    if (g->cap - g->len < 4096) {
        size_t ncap = g->cap ? g->cap * 2 : 8192;
        char *nb = realloc(g->buf, ncap);
        if (!nb)
            return -2;
        g->buf = nb;
        g->cap = ncap;
    }
    ssize_t r;
    do
        r = read(g->rfd, g->buf + g->len, g->cap - g->len - 1);
    while (r < 0 && errno == EINTR);
    if (r < 0 && errno == EAGAIN)
        return 0;
    if (r < 0)
        return -2;
    if (r == 0)
        return -1;
    g->len += (size_t)r;
    g->buf[g->len] = '\0';
    return 1;
}

/* ---- lifecycle -------------------------------------------------------- */

/* pipe() with close-on-exec on both ends (pipe2 is not POSIX).  The child
 * dup2()s the ends it needs onto 0/1/2, which clears the flag there, so no
 * stray pipe end leaks into gnuplot and EOF arrives when we close ours. */
static int S_pipe_cloexec(int fds[2])
{
    if (pipe(fds) < 0)
        return -1;
    for (int i = 0; i < 2; i++)
        if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) < 0)
            return -1;
    return 0;
}

gp *gp_new(lb_err *e)
{
    return gp_new_in(NULL, e);
}

gp *gp_new_in(const char *cwd, lb_err *e)
{
    return gp_new_preload(cwd, NULL, e);
}

gp *gp_new_preload(const char *cwd, const char *preload, lb_err *e)
{
    gp *g = NULL;
    char *exe = NULL, *ld_preload = NULL;
    char **env = NULL;
    int in[2] = {-1, -1}, outp[2] = {-1, -1}, st[2] = {-1, -1};

    exe = S_find_in_path("gnuplot");
    if (!exe) {
        if (errno == ENOMEM)
            err_nomem(e);
        else
            err_set(e, LB_EXIT_RUNTIME, "%s", S_NOT_FOUND);
        goto fail;
    }
    env = S_child_env(preload, &ld_preload);
    g = calloc(1, sizeof *g);
    if (!env || !g) {
        err_nomem(e);
        goto fail;
    }
    g->pid = -1;
    g->sig_id = -1;
    g->wfd = g->rfd = -1;
    g->timeout_ms = GP_TIMEOUT_MS_DEFAULT;
    g->out = strdup("");
    if (!g->out) {
        err_nomem(e);
        goto fail;
    }
    /* st: close-on-exec status pipe; the child writes errno to it only if
     * chdir or exec fails, so "0 bytes then EOF" means exec succeeded. */
    if (S_pipe_cloexec(in) < 0 || S_pipe_cloexec(outp) < 0 ||
        S_pipe_cloexec(st) < 0) {
        err_set(e, LB_EXIT_RUNTIME, "cannot create pipes for gnuplot: %s",
                strerror(errno));
        goto fail;
    }

    /* Signals are blocked from fork until the child's process group is
     * registered with sigclean: an interrupt either finds it registered or
     * arrives after; and the child never runs our handlers (below). */
    sigset_t all, old_mask;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old_mask);
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old_mask, NULL);
        err_set(e, LB_EXIT_RUNTIME, "cannot start gnuplot: fork: %s",
                strerror(errno));
        goto fail;
    }
    if (pid == 0) {
        /* Child: only async-signal-safe calls from here on.  Its own
         * process group, so that a timeout or an interrupt kills gnuplot
         * and everything it started (a wrapper script's children too), and
         * a terminal's Ctrl-C reaches only us.  Handlers we installed are
         * reset before signals are unblocked (exec would reset them, but
         * not before it). */
        int stage = 0, err;
        setpgid(0, 0);
        for (int sig = 1; sig < 65; sig++) {
            struct sigaction sa;
            if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN &&
                sa.sa_handler != SIG_DFL) {
                sa.sa_handler = SIG_DFL;
                sa.sa_flags = 0;
                sigaction(sig, &sa, NULL);
            }
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        if (dup2(in[0], 0) < 0 || dup2(outp[1], 1) < 0 || dup2(outp[1], 2) < 0)
            goto child_fail;
        /* dup2(fd, fd) keeps close-on-exec (when our own 0/1/2 were closed
         * the pipe may already sit there): clear it explicitly. */
        for (int fd = 0; fd < 3; fd++)
            fcntl(fd, F_SETFD, 0);
        stage = 1;
        if (cwd && chdir(cwd) < 0)
            goto child_fail;
        /* gnuplot (and whatever a template's code starts) writes only in
         * its folder: the figures folder of the staging area.  Where the
         * kernel cannot confine, gnuplot runs as before (the template's
         * code is still checked word by word: gpcheck.h). */
        if (cwd)
            (void)confine_writes_to(".");
        stage = 2;
        {
            /* -d: no ~/.gnuplot and no system-wide init file; a user's
             * settings (decimalsign, system() calls) never reach our figures */
            char *argv[] = {(char *)"gnuplot", (char *)"-d", NULL};
            execve(exe, argv, env);
        }
    child_fail:
        err = errno;
        {
            int msg[2] = {stage, err};
            ssize_t wr = write(st[1], msg, sizeof msg);
            (void)wr;
        }
        _exit(127);
    }

    g->pid = pid;
    setpgid(pid, pid); /* as the child does: whichever runs first */
    g->sig_id = sigclean_add_pgid(pid);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    close(in[0]);
    in[0] = -1;
    close(outp[1]);
    outp[1] = -1;
    close(st[1]);
    st[1] = -1;
    g->wfd = in[1];
    in[1] = -1;
    g->rfd = outp[0];
    outp[0] = -1;
    /* Non-blocking writes: S_write_all polls with a deadline instead. */
    fcntl(g->wfd, F_SETFL, fcntl(g->wfd, F_GETFL) | O_NONBLOCK);

    int msg[2];
    ssize_t r;
    do
        r = read(st[0], msg, sizeof msg);
    while (r < 0 && errno == EINTR);
    if (r == (ssize_t)sizeof msg) {
        if (msg[0] == 1)
            err_set(e, LB_EXIT_RUNTIME,
                    "cannot start gnuplot in directory '%s': %s",
                    cwd ? cwd : ".", strerror(msg[1]));
        else if (msg[0] == 2 && msg[1] == ENOENT)
            err_set(e, LB_EXIT_RUNTIME, "%s", S_NOT_FOUND);
        else
            err_set(e, LB_EXIT_RUNTIME, "cannot start gnuplot (%s): %s", exe,
                    strerror(msg[1]));
        g->dead = 1;
        goto fail;
    }
    close(st[0]);
    st[0] = -1;
    free(exe);
    free(env);
    free(ld_preload);
    return g;

fail:
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (outp[i] >= 0)
            close(outp[i]);
        if (st[i] >= 0)
            close(st[i]);
    }
    free(exe);
    free(env);
    free(ld_preload);
    gp_free(g);
    return NULL;
}

void gp_free(gp *g)
{
    if (!g)
        return;
    if (g->wfd >= 0)
        close(g->wfd); /* EOF on stdin: gnuplot exits */
    if (g->pid > 0) {
        long deadline = S_now_ms() + (g->dead ? 0 : g->timeout_ms);
        for (;;) {
            /* WNOWAIT: gnuplot stays a zombie, so its process group id
             * cannot be reused before we kill what is left in it. */
            siginfo_t si;
            memset(&si, 0, sizeof si);
            int w = waitid(P_PID, (id_t)g->pid, &si, WEXITED | WNOHANG | WNOWAIT);
            if (w < 0 && errno != EINTR)
                break;
            if (w == 0 && si.si_pid == g->pid) {
                kill(-g->pid, SIGKILL); /* whatever gnuplot left running */
                break;
            }
            if (w == 0 && S_now_ms() >= deadline) {
                /* Hung or abandoned (after a timeout): do not wait for it;
                 * the whole group, so a wrapper's children die too. */
                kill(-g->pid, SIGKILL);
                kill(g->pid, SIGKILL);
                break;
            }
            if (g->rfd >= 0) {
                /* Drain so a gnuplot blocked writing to us can finish. */
                if (S_read_some(g, 10) < 0) {
                    close(g->rfd);
                    g->rfd = -1;
                }
                g->len = 0;
            } else {
                /* its output is closed: it is exiting (about 2 ms for
                 * gnuplot); short naps, since the last gnuplot's exit is on
                 * the run's critical path */
                struct timespec ts = {0, 250 * 1000L};
                nanosleep(&ts, NULL);
            }
        }
    }
    /* unregister while the zombie still holds the group id, then reap */
    sigclean_drop(g->sig_id);
    if (g->pid > 0) {
        int status;
        while (waitpid(g->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    if (g->rfd >= 0)
        close(g->rfd);
    free(g->buf);
    free(g->out);
    free(g);
}

void gp_set_timeout(gp *g, int timeout_ms)
{
    if (g)
        g->timeout_ms = timeout_ms > 0 ? timeout_ms : GP_TIMEOUT_MS_DEFAULT;
}

const char *gp_last_output(const gp *g)
{
    return g && g->out ? g->out : "";
}

/* ---- commands --------------------------------------------------------- */

/* gp_cmd with `what` ("figure 'x'") prefixed to its messages. */
static int S_cmd(gp *g, const char *line, const char *what, lb_err *e)
{
    int rc = -1;
    char *msg = NULL;
    const char *pre = what ? what : "";
    const char *sep = what ? ": " : "";
    if (!g || !line)
        return err_set(e, LB_EXIT_RUNTIME, "%s%sno gnuplot or no command",
                       pre, sep);
    if (g->dead)
        return err_set(e, LB_EXIT_RUNTIME, "%s%sgnuplot is no longer running",
                       pre, sep);
    size_t n = strlen(line);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return err_set(e, LB_EXIT_RUNTIME,
                           "%s%sgnuplot command contains a control character "
                           "(byte 0x%02x at %zu)", pre, sep, c, i);
    }
    msg = malloc(n + 2);
    if (!msg)
        return err_nomem(e);
    memcpy(msg, line, n);
    msg[n] = '\n';
    msg[n + 1] = '\0';
    rc = S_write_all(g, msg, n + 1, what, e);
    free(msg);
    return rc;
}

int gp_cmd(gp *g, const char *line, lb_err *e)
{
    return S_cmd(g, line, NULL, e);
}

/* Whether a line of gnuplot output reports an error.  gnuplot writes
 * `"fig.gp" line 3: undefined function: foo` for errors (`line 0:` for
 * stdin) and `... line 3: warning: ...` for warnings; other text (print
 * output, the echoed command and its ^ caret) is not itself an error. */
static int S_is_error_line(const char *s, size_t n)
{
    for (size_t k = 0; k + 5 < n; k++) {
        if (memcmp(s + k, "line ", 5) != 0 || (k > 0 && s[k - 1] != ' '))
            continue;
        size_t d = k + 5;
        while (d < n && s[d] >= '0' && s[d] <= '9')
            d++;
        if (d == k + 5 || d >= n || s[d] != ':')
            continue;
        d++;
        while (d < n && s[d] == ' ')
            d++;
        return !(n - d >= 8 && memcmp(s + d, "warning:", 8) == 0);
    }
    return 0;
}

int gp_sync(gp *g, const char *what, lb_err *e)
{
    int rc = -1;
    char cmd[160], marker[96];
    char *errtxt = NULL;
    size_t errlen = 0;

    if (!g)
        return err_set(e, LB_EXIT_RUNTIME, "gp_sync: no gnuplot");
    const char *pre = what ? what : "";
    const char *sep = what ? ": " : "";
    if (g->dead)
        return err_set(e, LB_EXIT_RUNTIME, "%s%sgnuplot is no longer running",
                       pre, sep);
    g->seq++;
    /* The marker cannot come from a script by accident: it holds our pid
     * and a counter, and nothing we generate prints it. */
    snprintf(marker, sizeof marker, "__lossbook_gp_done_%ld_%lu__",
             (long)getpid(), g->seq);
    snprintf(cmd, sizeof cmd, "set print \"-\"; print '%s'", marker);
    if (S_cmd(g, cmd, what, e) < 0)
        goto out;

    /* Read until a line equal to the marker. */
    long deadline = S_now_ms() + g->timeout_ms;
    size_t mlen = strlen(marker);
    size_t scan = 0; /* lines before `scan` hold no marker */
    char *mark_at = NULL;
    for (;;) {
        while (scan < g->len) {
            char *nl = memchr(g->buf + scan, '\n', g->len - scan);
            if (!nl)
                break;
            size_t ll = (size_t)(nl - (g->buf + scan));
            if (ll >= mlen && memcmp(g->buf + scan, marker, mlen) == 0) {
                mark_at = g->buf + scan;
                break;
            }
            scan += ll + 1;
        }
        if (mark_at)
            break;
        long left = deadline - S_now_ms();
        if (left <= 0) {
            g->dead = 1;
            err_set(e, LB_EXIT_RUNTIME,
                    "%s%sgnuplot did not finish within %d ms", pre, sep,
                    g->timeout_ms);
            goto out;
        }
        int r = S_read_some(g, (int)left);
        if (r == -1) {
            S_died(g, pre, sep, e);
            goto out;
        }
        if (r == -2) {
            g->dead = 1;
            err_set(e, LB_EXIT_RUNTIME, "%s%sreading from gnuplot failed",
                    pre, sep);
            goto out;
        }
        if (r == -3) {
            S_flood(g, pre, sep, e);
            goto out;
        }
    }

    /* Output before the marker becomes g->out; error lines become the
     * message, joined with " / " and stripped of gnuplot's indentation. */
    size_t olen = (size_t)(mark_at - g->buf);
    char *nout = malloc(olen + 1);
    errtxt = malloc(4 * olen + 1); /* room for the " / " separators */
    if (!nout || !errtxt) {
        free(nout);
        err_nomem(e);
        goto out;
    }
    memcpy(nout, g->buf, olen);
    nout[olen] = '\0';
    free(g->out);
    g->out = nout;
    for (size_t i = 0; i < olen;) {
        char *nl = memchr(g->buf + i, '\n', olen - i);
        size_t next = nl ? (size_t)(nl - g->buf) + 1 : olen;
        const char *ln = g->buf + i;
        size_t ll = next - i - (nl ? 1 : 0);
        i = next;
        if (!S_is_error_line(ln, ll))
            continue;
        while (ll > 0 && (*ln == ' ' || *ln == '\t')) {
            ln++;
            ll--;
        }
        while (ll > 0 && (ln[ll - 1] == '\r' || ln[ll - 1] == ' '))
            ll--;
        if (errlen) {
            memcpy(errtxt + errlen, " / ", 3);
            errlen += 3;
        }
        memcpy(errtxt + errlen, ln, ll);
        errlen += ll;
    }
    errtxt[errlen] = '\0';

    /* Drop the consumed bytes and the marker line. */
    char *after = memchr(mark_at, '\n', g->len - olen);
    size_t used = (size_t)(after - g->buf) + 1;
    memmove(g->buf, g->buf + used, g->len - used);
    g->len -= used;
    if (g->buf)
        g->buf[g->len] = '\0';

    if (errlen) {
        err_set(e, LB_EXIT_RUNTIME, "%s%sgnuplot: %s", pre, sep, errtxt);
        goto out;
    }
    rc = 0;
out:
    free(errtxt);
    return rc;
}

int gp_call(gp *g, const char *script_path, const char *figure_name, const char *args,
            lb_err *e)
{
    int rc = -1;
    char *q = NULL, *cmd = NULL, *what = NULL;
    const char *name = figure_name ? figure_name : "?";

    size_t wlen = strlen(name) + 16;
    what = malloc(wlen);
    if (!what) {
        err_nomem(e);
        goto out;
    }
    snprintf(what, wlen, "figure '%s'", name);
    if (!g) {
        err_set(e, LB_EXIT_RUNTIME, "%s: no gnuplot", what);
        goto out;
    }
    q = gpquote_string(script_path ? script_path : "", GPQUOTE_PLAIN);
    if (!q) {
        err_nomem(e);
        goto out;
    }
    /* args: digits, quotes and blanks only (a control character would end
     * the command early; anything else is not ours to pass) */
    if (!args)
        args = "";
    for (const char *a = args; *a; a++)
        if (!strchr("0123456789' ", *a)) {
            err_set(e, LB_EXIT_RUNTIME, "%s: bad script arguments", what);
            goto out;
        }
    cmd = malloc(strlen(q) + strlen(args) + 8);
    if (!cmd) {
        err_nomem(e);
        goto out;
    }
    if (*args)
        sprintf(cmd, "call %s %s", q, args);
    else
        sprintf(cmd, "load %s", q);
    /* reset session: settings, variables and functions must not leak from
     * one figure into the next.  unset output: a file is complete only once
     * it is closed. */
    if (S_cmd(g, "reset session", what, e) < 0 || S_cmd(g, cmd, what, e) < 0 ||
        S_cmd(g, "unset output", what, e) < 0)
        goto out;
    if (gp_sync(g, what, e) < 0)
        goto out;
    rc = 0;
out:
    free(q);
    free(cmd);
    free(what);
    return rc;
}

int gp_load(gp *g, const char *script_path, const char *figure_name, lb_err *e)
{
    return gp_call(g, script_path, figure_name, NULL, e);
}
