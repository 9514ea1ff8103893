/* outdir — see outdir.h.  Every step works on open folder descriptors
 * (OUT and OUT/.lossbook), so a folder renamed or replaced by a symlink
 * while we run cannot redirect a write. */
#define _GNU_SOURCE /* renameat2(RENAME_EXCHANGE) */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "base/outdir.h"
#include "base/outtree.h"
#include "base/sigclean.h"

#define S_CURRENT "current"
#define S_LOCK "lock"
#define S_LINK_TO OUT_META_DIR "/" S_CURRENT "/" /* + output name */
#define S_GEN_FMT "gen-%06lu"
#define S_RM_DEPTH (OUTTREE_MAX_DEPTH + 2)

struct out_stage {
    char *out_dir;
    char *stage;            /* OUT/.lossbook/staging-PID-XXXXXX */
    const char *stage_name; /* its last component (points into stage) */
    int out_fd, meta_fd, lock_fd;
    dev_t dev;              /* OUT's file system */
    int sig_id;             /* sigclean registration of the staging folder */
    int committed;
    int plain;              /* OUT_FLAG_PLAIN: staging and lock in OUT itself */
    struct {
        dev_t dev;
        ino_t ino;
        const char *what;
    } keep[OUT_MAX_PROTECT]; /* this run's inputs (out_stage_protect) */
    size_t nkeep;
};

/* The folder staging lives in: OUT/.lossbook, or OUT itself when plain. */
static int S_home(const out_stage *s)
{
    return s->plain ? s->out_fd : s->meta_fd;
}

/* ---- small helpers ------------------------------------------------------ */

/* NULL, or what this run's input `st` (a regular file at an output's name)
 * is: the commit must not replace it. */
static const char *S_input(const out_stage *s, const struct stat *st)
{
    for (size_t i = 0; S_ISREG(st->st_mode) && i < s->nkeep; i++)
        if (s->keep[i].dev == st->st_dev && s->keep[i].ino == st->st_ino)
            return s->keep[i].what;
    return NULL;
}

static int S_refuse_input(const out_stage *s, const char *name, const char *what, lb_err *e)
{
    return err_set(e, LB_EXIT_INPUT, "%s/%s: is %s of this run, and lossbook's output of that "
                   "name would replace it: %s", s->out_dir, name, what,
                   s->plain ? "give the output another name"   /* check --pdf FILE */
                            : "choose another --out or rename the file");
}

static int S_dead(long pid)
{
    return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* "PREFIX<pid>-..." → pid, else 0. */
static long S_pid_of(const char *name, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (strncmp(name, prefix, pl) != 0)
        return 0;
    char *end;
    long pid = strtol(name + pl, &end, 10);
    return end != name + pl && *end == '-' && pid > 0 ? pid : 0;
}

/* The current generation's name ("gen-000007") into buf; 0, or -1 if none. */
static int S_current(const out_stage *s, char *buf, size_t n, unsigned long *num)
{
    ssize_t l = readlinkat(s->meta_fd, S_CURRENT, buf, n - 1);
    if (l <= 0)
        return -1;
    buf[l] = '\0';
    char *end;
    if (strncmp(buf, "gen-", 4) != 0 || strchr(buf, '/'))
        return -1;
    unsigned long v = strtoul(buf + 4, &end, 10);
    if (*end)
        return -1;
    struct stat st;
    if (fstatat(s->meta_fd, buf, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
        return -1;
    if (num)
        *num = v;
    return 0;
}

static int S_open_dir(int at, const char *name)
{
    return openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Retire an old generation (or a folder an older lossbook wrote, moved
 * aside as old-PID-NAME): carry what is foreign in it into the current
 * generation (at `prefix`), then remove it if nothing foreign would be
 * lost.  Best effort: what cannot be removed now is retried by the next
 * run. */
static void S_retire(out_stage *s, const char *name, const char *prefix, int use_manifest)
{
    int src = S_open_dir(s->meta_fd, name);
    if (src < 0) {
        if (errno == ENOTDIR || errno == ELOOP)
            unlinkat(s->meta_fd, name, 0);
        return;
    }
    outtree_manifest *m = use_manifest ? outtree_manifest_read(src) : NULL;
    char cur[64];
    int dst = -1;
    if (S_current(s, cur, sizeof cur, NULL) == 0 && strcmp(cur, name) != 0) {
        int cfd = S_open_dir(s->meta_fd, cur);
        if (cfd >= 0 && *prefix) {
            dst = S_open_dir(cfd, prefix);
            close(cfd);
        } else {
            dst = cfd;
        }
    }
    if (!use_manifest || m) {
        lb_err ignored;
        err_clear(&ignored);
        if (dst >= 0)
            outtree_carry(src, dst, m, prefix, s->out_dir, &ignored);
        if (outtree_foreign_kept(src, dst, m, prefix))
            sigclean_remove_tree(s->meta_fd, name, S_RM_DEPTH);
    }
    outtree_manifest_free(m);
    if (dst >= 0)
        close(dst);
    close(src);
}

/* Holding the lock: remove what dead runs left behind.  Entries whose
 * process may still live (another user's, a pid reused) are left alone. */
static void S_sweep_plain(out_stage *s)
{
    size_t n;
    char **names = outtree_list(s->out_fd, &n);
    for (size_t i = 0; names && i < n; i++) {
        long pid = S_pid_of(names[i], ".staging-");
        if (pid && pid != (long)getpid() && S_dead(pid))
            sigclean_remove_tree(s->out_fd, names[i], S_RM_DEPTH);
    }
    outtree_list_free(names, n);
}

static void S_sweep(out_stage *s)
{
    if (s->plain) {
        S_sweep_plain(s);
        return;
    }
    char cur[64];
    int have_cur = S_current(s, cur, sizeof cur, NULL) == 0;
    size_t n;
    char **names = outtree_list(s->meta_fd, &n);
    for (size_t i = 0; names && i < n; i++) {
        const char *nm = names[i];
        long pid;
        if ((pid = S_pid_of(nm, "staging-")) || (pid = S_pid_of(nm, "tmp-"))) {
            if (pid != (long)getpid() && S_dead(pid))
                sigclean_remove_tree(s->meta_fd, nm, S_RM_DEPTH);
        } else if ((pid = S_pid_of(nm, "old-"))) {
            const char *what = strchr(nm + 4, '-');
            if (pid != (long)getpid() && S_dead(pid) && what && what[1])
                S_retire(s, nm, what + 1, 0);
        } else if (strncmp(nm, "gen-", 4) == 0 && !(have_cur && strcmp(nm, cur) == 0)) {
            S_retire(s, nm, "", 1);
        }
    }
    outtree_list_free(names, n);
}

/* ---- opening ------------------------------------------------------------ */

static int S_lock(out_stage *s, int flags, lb_err *e)
{
    /* plain: a flock on the folder itself (nothing extra left in it) */
    s->lock_fd = s->plain ? dup(s->out_fd)
                          : openat(s->meta_fd, S_LOCK,
                                   O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    if (s->plain && s->lock_fd >= 0)
        fcntl(s->lock_fd, F_SETFD, FD_CLOEXEC);
    struct stat st;
    if (s->lock_fd < 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s/%s: cannot open the lock file: %s",
                       s->out_dir, OUT_META_DIR, S_LOCK, strerror(errno));
    if (!s->plain && (fstat(s->lock_fd, &st) != 0 || !S_ISREG(st.st_mode)))
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s/%s: the lock file is not a regular file",
                       s->out_dir, OUT_META_DIR, S_LOCK);
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK && errno != EINTR)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s/%s: cannot lock: %s", s->out_dir,
                       OUT_META_DIR, S_LOCK, strerror(errno));
    if (flags & OUT_FLAG_NO_WAIT)
        return err_set(e, LB_EXIT_RUNTIME,
                       "%s: another lossbook run is writing this output folder "
                       "(--no-wait: not waiting for it)", s->out_dir);
    if (flags & OUT_FLAG_NOTIFY)
        fprintf(stderr, "lossbook: waiting for another lossbook run to finish writing %s\n",
                s->out_dir);
    while (flock(s->lock_fd, LOCK_EX) != 0)
        if (errno != EINTR)
            return err_set(e, LB_EXIT_RUNTIME, "%s/%s/%s: cannot lock: %s", s->out_dir,
                           OUT_META_DIR, S_LOCK, strerror(errno));
    return 0;
}

/* Is `out_dir` (resolved: symlinks, "..") inside a folder named .lossbook,
 * i.e. lossbook's own machinery of some output folder?  `--out OUT/.lossbook`,
 * `--out OUT/.lossbook/current` or `--out OUT/data` (a link into the current
 * generation) would write a run inside another run's outputs, nested copies
 * of it carried into every later generation.  A folder not made yet is
 * judged by its parent, before anything is created. */
static int S_inside_meta(const char *out_dir, char *where, size_t wsz)
{
    char *r = realpath(out_dir, NULL);
    if (!r && errno == ENOENT) {
        char *p = strdup(out_dir);
        if (!p)
            return 0;
        size_t l = strlen(p);
        while (l > 1 && p[l - 1] == '/')
            p[--l] = '\0';
        char *slash = strrchr(p, '/');
        const char *base = slash ? slash + 1 : p;
        char *rp = realpath(slash ? (slash == p ? "/" : (*slash = '\0', p)) : ".", NULL);
        if (rp && (r = malloc(strlen(rp) + strlen(base) + 2)))
            sprintf(r, "%s/%s", rp, base);
        free(rp);
        free(p);
    }
    int inside = 0;
    for (const char *c = r; c && *c && !inside;) {
        while (*c == '/')
            c++;
        size_t n = strcspn(c, "/");
        inside = n == strlen(OUT_META_DIR) && strncmp(c, OUT_META_DIR, n) == 0;
        c += n;
    }
    if (inside)
        snprintf(where, wsz, "%s", r);
    free(r);
    return inside;
}

out_stage *out_stage_new(const char *out_dir, int flags, lb_err *e)
{
    out_stage *s = calloc(1, sizeof *s);
    if (!s) {
        err_nomem(e);
        return NULL;
    }
    s->out_fd = s->meta_fd = s->lock_fd = s->sig_id = -1;
    size_t ol = strlen(out_dir);
    s->out_dir = strdup(out_dir);
    s->stage = malloc(ol + 64);
    if (!s->out_dir || !s->stage) {
        err_nomem(e);
        goto fail;
    }
    char where[512];
    if (S_inside_meta(out_dir, where, sizeof where)) {
        /* typed through a link (OUT/data): say where it leads */
        int linked = !strstr(out_dir, OUT_META_DIR);
        err_set(e, LB_EXIT_INPUT,
                "%s: is inside a %s folder%s%s%s, where lossbook keeps an output folder's "
                "runs (expected an output folder of its own)", out_dir, OUT_META_DIR,
                linked ? " (it leads to " : "", linked ? where : "", linked ? ")" : "");
        goto fail;
    }
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot create output folder: %s", out_dir,
                strerror(errno));
        goto fail;
    }
    struct stat st;
    s->out_fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->out_fd < 0 || fstat(s->out_fd, &st) != 0) {
        if (errno == ENOTDIR)
            err_set(e, LB_EXIT_RUNTIME, "%s: output path exists and is not a folder", out_dir);
        else
            err_set(e, LB_EXIT_RUNTIME, "%s: cannot open output folder: %s", out_dir,
                    strerror(errno));
        goto fail;
    }
    s->dev = st.st_dev;
    s->plain = (flags & OUT_FLAG_PLAIN) != 0;
    if (s->plain) {
        if (S_lock(s, flags, e) != 0)
            goto fail;
        S_sweep(s);
        snprintf(s->stage, ol + 64, "%s/.staging-%ld-XXXXXX", out_dir, (long)getpid());
        goto mkstage;
    }
    if (mkdirat(s->out_fd, OUT_META_DIR, 0777) != 0 && errno != EEXIST) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot write in output folder: %s", out_dir,
                strerror(errno));
        goto fail;
    }
    s->meta_fd = S_open_dir(s->out_fd, OUT_META_DIR);
    if (s->meta_fd < 0) {
        if (errno == ENOTDIR || errno == ELOOP)
            err_set(e, LB_EXIT_RUNTIME,
                    "%s/%s: exists and is not a folder (a symlink or file); lossbook keeps "
                    "its outputs there and refuses to write through it",
                    out_dir, OUT_META_DIR);
        else
            err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot open: %s", out_dir, OUT_META_DIR,
                    strerror(errno));
        goto fail;
    }
    if (S_lock(s, flags, e) != 0)
        goto fail;
    S_sweep(s);
    snprintf(s->stage, ol + 64, "%s/%s/staging-%ld-XXXXXX", out_dir, OUT_META_DIR,
             (long)getpid());
mkstage:;
    /* no interrupt between making the staging folder and registering it */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    if (!mkdtemp(s->stage)) {
        int err = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot write in output folder: %s", out_dir,
                strerror(err));
        goto fail;
    }
    s->sig_id = sigclean_add_dir(s->stage);
    sigprocmask(SIG_SETMASK, &old, NULL);
    s->stage_name = strrchr(s->stage, '/') + 1;
    /* mkdtemp makes it 0700; the outputs' folders get the usual mode */
    mode_t um = umask(0);
    umask(um);
    fchmodat(S_home(s), s->stage_name, 0777 & ~um, 0);
    return s;
fail:
    s->committed = 1; /* nothing staged to remove */
    out_stage_free(s);
    return NULL;
}

const char *out_stage_path(const out_stage *s)
{
    return s->stage;
}

int out_stage_mkdir(out_stage *s, const char *rel, lb_err *e)
{
    size_t n = strlen(s->stage) + strlen(rel) + 2;
    char *p = malloc(n);
    if (!p)
        return err_nomem(e);
    snprintf(p, n, "%s/%s", s->stage, rel);
    int rc = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot create folder: %s", s->out_dir, rel,
                     strerror(errno));
    free(p);
    return rc;
}

/* ---- commit ------------------------------------------------------------- */

/* For tests/test_interrupt.c only: LB_TEST_COMMIT_PAUSE=FILE:MS makes the
 * commit create FILE.1 just before the switch and FILE.2 just after it,
 * then sleep MS, so a test can strike exactly there with a signal. */
static void S_test_pause(int point)
{
    const char *v = getenv("LB_TEST_COMMIT_PAUSE");
    const char *colon = v ? strrchr(v, ':') : NULL;
    if (!colon || colon == v || colon - v > 3000)
        return;
    char f[3100];
    snprintf(f, sizeof f, "%.*s.%d", (int)(colon - v), v, point);
    int fd = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd >= 0)
        close(fd);
    long ms = strtol(colon + 1, NULL, 10);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

enum { P_SKIP, P_OK, P_CREATE, P_REPLACE, P_TAKEOVER };

/* Put lossbook's link for output `name` at OUT/name.  mode P_CREATE: the
 * name must be free (symlinkat fails otherwise); P_REPLACE: rename over
 * whatever is there (never follows it); P_TAKEOVER: swap with the folder
 * there, which is then moved aside as .lossbook/old-PID-name. */
static int S_put_link(out_stage *s, const char *name, int mode, lb_err *e)
{
    char target[512], tmp[600];
    if (snprintf(target, sizeof target, "%s%s", S_LINK_TO, name) >= (int)sizeof target)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: name too long", s->out_dir, name);
    if (mode == P_CREATE) {
        if (symlinkat(target, s->out_fd, name) != 0)
            return err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot create the link to the outputs: %s",
                           s->out_dir, name, strerror(errno));
        return 0;
    }
    snprintf(tmp, sizeof tmp, "tmp-%ld-%s", (long)getpid(), name);
    unlinkat(s->meta_fd, tmp, 0);
    if (symlinkat(target, s->meta_fd, tmp) != 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot create a link: %s", s->out_dir,
                       OUT_META_DIR, strerror(errno));
    if (mode == P_REPLACE) {
        if (renameat(s->meta_fd, tmp, s->out_fd, name) == 0)
            return 0;
        int err = errno;
        unlinkat(s->meta_fd, tmp, 0);
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot replace it by the link to the new "
                       "outputs: %s", s->out_dir, name, strerror(err));
    }
    char old[600];
    snprintf(old, sizeof old, "old-%ld-%s", (long)getpid(), name);
    if (renameat2(s->meta_fd, tmp, s->out_fd, name, RENAME_EXCHANGE) == 0) {
        if (renameat(s->meta_fd, tmp, s->meta_fd, old) != 0)
            return 0; /* tmp-PID-name: swept as a dead run's once we exit */
    } else if ((errno == EINVAL || errno == ENOSYS) &&
               renameat(s->out_fd, name, s->meta_fd, old) == 0) {
        /* no RENAME_EXCHANGE on this file system: a moment without `name` */
        if (renameat(s->meta_fd, tmp, s->out_fd, name) != 0) {
            int err = errno;
            renameat(s->meta_fd, old, s->out_fd, name);
            unlinkat(s->meta_fd, tmp, 0);
            return err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot replace this folder by the link "
                           "to the new outputs: %s", s->out_dir, name, strerror(err));
        }
    } else {
        int err = errno;
        unlinkat(s->meta_fd, tmp, 0);
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot replace this folder by the link to "
                       "the new outputs: %s", s->out_dir, name, strerror(err));
    }
    S_retire(s, old, name, 0);
    return 0;
}

/* What to do with OUT/name for a staged top-level output `name`; checks
 * everything that can be checked before the switch.  For a folder an older
 * lossbook wrote, its foreign files are carried into staging now. */
static int S_plan(out_stage *s, int stage_fd, const char *name, lb_err *e)
{
    struct stat st, sst;
    if (fstatat(s->out_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return P_CREATE;
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: %s", s->out_dir, name, strerror(errno)), -1;
    }
    if (S_ISLNK(st.st_mode)) {
        char have[600], want[600];
        ssize_t l = readlinkat(s->out_fd, name, have, sizeof have - 1);
        snprintf(want, sizeof want, "%s%s", S_LINK_TO, name);
        return l > 0 && (have[l] = '\0', strcmp(have, want) == 0) ? P_OK : P_REPLACE;
    }
    const char *in = S_input(s, &st);
    if (in)
        return S_refuse_input(s, name, in, e), -1;
    if (!S_ISDIR(st.st_mode))
        return P_REPLACE;
    if (fstatat(stage_fd, name, &sst, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sst.st_mode))
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: is a folder, but lossbook's output of that "
                       "name is a file; move the folder away", s->out_dir, name), -1;
    if (st.st_dev != s->dev)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: is a mount point; lossbook replaces this "
                       "folder by a link to its outputs and cannot replace a mount point",
                       s->out_dir, name), -1;
    if (faccessat(s->out_fd, name, W_OK, AT_EACCESS) != 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: a folder lossbook must move aside (it "
                       "replaces it by a link to its outputs) is not writable: %s",
                       s->out_dir, name, strerror(errno)), -1;
    int old = S_open_dir(s->out_fd, name), sub = S_open_dir(stage_fd, name);
    int rc = old < 0 || sub < 0
                 ? err_set(e, LB_EXIT_RUNTIME, "%s/%s: %s", s->out_dir, name, strerror(errno))
                 : outtree_carry(old, sub, NULL, name, s->out_dir, e);
    if (old >= 0)
        close(old);
    if (sub >= 0)
        close(sub);
    return rc == 0 ? P_TAKEOVER : -1;
}

/* OUT/X links to .lossbook/current/X where the new generation has no X. */
static void S_drop_dangling(out_stage *s, int gen_fd)
{
    size_t n;
    char **names = outtree_list(s->out_fd, &n);
    for (size_t i = 0; names && i < n; i++) {
        char have[600], want[600];
        struct stat st;
        ssize_t l = readlinkat(s->out_fd, names[i], have, sizeof have - 1);
        if (l <= 0)
            continue;
        have[l] = '\0';
        snprintf(want, sizeof want, "%s%s", S_LINK_TO, names[i]);
        if (strcmp(have, want) == 0 && fstatat(gen_fd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0)
            unlinkat(s->out_fd, names[i], 0);
    }
    outtree_list_free(names, n);
}

/* What a non-regular file is, for messages. */
static const char *S_kind_name(mode_t m)
{
    return S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device"
         : S_ISFIFO(m) ? "a pipe" : S_ISSOCK(m) ? "a socket" : "a special file";
}

/* Plain commit: every staged file renamed over OUT/NAME, after checking
 * that no name is held by a folder, a device, a pipe or a socket (then
 * nothing moves); a regular file or a symlink there is replaced. */
static int S_commit_plain(out_stage *s, lb_err *e)
{
    int stage_fd = S_open_dir(s->out_fd, s->stage_name), rc = 0;
    size_t n = 0;
    char **names = stage_fd >= 0 ? outtree_list(stage_fd, &n) : NULL;
    if (stage_fd < 0 || (!names && n == (size_t)-1)) {
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: cannot read staging folder: %s", s->stage,
                     strerror(errno));
        n = 0;
    }
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (size_t i = 0; i < n && rc == 0; i++) {
            struct stat st;
            if (fstatat(stage_fd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISREG(st.st_mode))
                continue;
            if (pass == 0)
                rc = fstatat(s->out_fd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0 ? 0
                     : S_input(s, &st) ? S_refuse_input(s, names[i], S_input(s, &st), e)
                     : S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)
                         ? 0
                     /* a rename would replace a device (as root: /dev/full), a
                      * pipe or a socket with our file */
                     : S_ISDIR(st.st_mode)
                         ? err_set(e, LB_EXIT_RUNTIME, "%s/%s: is a folder; cannot replace it "
                                   "with an output file", s->out_dir, names[i])
                         : err_set(e, LB_EXIT_RUNTIME, "%s/%s: is not a regular file (%s); "
                                   "will not replace it with an output file", s->out_dir,
                                   names[i], S_kind_name(st.st_mode));
            else if (renameat(stage_fd, names[i], s->out_fd, names[i]) != 0)
                rc = err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot move into place: %s",
                             s->out_dir, names[i], strerror(errno));
        }
    outtree_list_free(names, n);
    if (stage_fd >= 0)
        close(stage_fd);
    if (rc == 0) {
        s->committed = 1;
        sigclean_remove_tree(s->out_fd, s->stage_name, S_RM_DEPTH);
    }
    return rc;
}

static int S_commit(out_stage *s, lb_err *e)
{
    if (s->plain)
        return S_commit_plain(s, e);
    int rc = -1, stage_fd = -1, cur_fd = -1, switched = 0, retire = 0;
    char **names = NULL, cur[64], next[64], tmp[64];
    size_t n = 0;
    int *plan = NULL;
    unsigned long num = 0;
    outtree_manifest *m = NULL;

    if ((stage_fd = S_open_dir(s->meta_fd, s->stage_name)) < 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: staging folder vanished: %s", s->stage, strerror(errno));
        goto out;
    }
    /* The manifest lists what this run wrote, before anything is carried. */
    if (outtree_manifest_write(stage_fd, s->out_dir, e) != 0)
        goto out;
    names = outtree_list(stage_fd, &n);
    if (!names && n == (size_t)-1) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot read staging folder: %s", s->stage,
                strerror(errno));
        n = 0;
        goto out;
    }
    if (n && !(plan = calloc(n, sizeof *plan))) {
        err_nomem(e);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (names[i][0] != '.' && (plan[i] = S_plan(s, stage_fd, names[i], e)) < 0)
            goto out;
    int have_cur = S_current(s, cur, sizeof cur, &num) == 0;
    if (have_cur && (cur_fd = S_open_dir(s->meta_fd, cur)) >= 0) {
        if (!(m = outtree_manifest_read(cur_fd))) {
            err_nomem(e);
            goto out;
        }
        if (outtree_carry(cur_fd, stage_fd, m, "", s->out_dir, e) != 0)
            goto out;
    }
    /* The next number; a leftover of that name (a dead run's, never shown)
     * is removed, or skipped when it cannot be (immutable files). */
    for (unsigned long k = have_cur ? num + 1 : 1UL;; k++) {
        struct stat st;
        snprintf(next, sizeof next, S_GEN_FMT, k);
        sigclean_remove_tree(s->meta_fd, next, S_RM_DEPTH);
        if (fstatat(s->meta_fd, next, &st, AT_SYMLINK_NOFOLLOW) != 0 || k > num + 100)
            break;
    }
    /* New names get their link now: it dangles (shows nothing) until the
     * switch, so all of them appear at the same instant. */
    for (size_t i = 0; i < n; i++)
        if (plan[i] == P_CREATE && S_put_link(s, names[i], P_CREATE, e) != 0)
            goto out;
    if (renameat(s->meta_fd, s->stage_name, s->meta_fd, next) != 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s/%s/%s: cannot rename the staging folder: %s",
                s->out_dir, OUT_META_DIR, next, strerror(errno));
        goto out;
    }
    S_test_pause(1);
    snprintf(tmp, sizeof tmp, "tmp-%ld-current", (long)getpid());
    unlinkat(s->meta_fd, tmp, 0);
    if (symlinkat(next, s->meta_fd, tmp) != 0 ||
        renameat(s->meta_fd, tmp, s->meta_fd, S_CURRENT) != 0) {
        /* THE switch failed: back to where we were */
        err_set(e, LB_EXIT_RUNTIME, "%s/%s/%s: cannot switch to the new outputs: %s",
                s->out_dir, OUT_META_DIR, S_CURRENT, strerror(errno));
        unlinkat(s->meta_fd, tmp, 0);
        if (renameat(s->meta_fd, next, s->meta_fd, s->stage_name) != 0)
            sigclean_remove_tree(s->meta_fd, next, S_RM_DEPTH);
        goto out;
    }
    switched = 1;
    S_test_pause(2);
    s->committed = 1;
    sigclean_drop(s->sig_id);
    s->sig_id = -1;
    /* After the switch: planted entries and an older lossbook's folders. */
    rc = 0;
    for (size_t i = 0; i < n; i++)
        if ((plan[i] == P_REPLACE || plan[i] == P_TAKEOVER) &&
            S_put_link(s, names[i], plan[i], e) != 0)
            rc = -1;
    int gen_fd = S_open_dir(s->meta_fd, next);
    if (gen_fd >= 0) {
        S_drop_dangling(s, gen_fd);
        close(gen_fd);
    }
    retire = have_cur;
out:
    if (!switched)
        for (size_t i = 0; i < n; i++)
            if (plan && plan[i] == P_CREATE)
                unlinkat(s->out_fd, names[i], 0); /* only our dangling links */
    outtree_manifest_free(m);
    free(plan);
    outtree_list_free(names, n);
    if (cur_fd >= 0)
        close(cur_fd);
    if (stage_fd >= 0)
        close(stage_fd);
    /* The old generation goes last, with the commit's descriptors closed:
     * under a tight RLIMIT_NOFILE it needs no more of them than the commit
     * did, so a run that succeeds leaves one generation (qa row 27). */
    if (retire)
        S_retire(s, cur, "", 1);
    return rc;
}

void out_stage_protect(out_stage *s, const char *path, const char *what)
{
    struct stat st;
    if (s && path && s->nkeep < OUT_MAX_PROTECT && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        s->keep[s->nkeep].dev = st.st_dev;
        s->keep[s->nkeep].ino = st.st_ino;
        s->keep[s->nkeep].what = what;
        s->nkeep++;
    }
}

int out_stage_commit(out_stage *s, lb_err *e)
{
    /* A signal during the switch takes effect after it: the handler then
     * finds nothing to remove and the folder holds the complete new run. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    int rc = S_commit(s, e);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void out_stage_explain(const out_stage *s, lb_err *e)
{
    if (!s || !e || !e->code)
        return;
    size_t sl = strlen(s->stage), ol = strlen(s->out_dir);
    char *at = strstr(e->msg, s->stage);
    if (!at || ol > sl)
        return;
    /* shorter replacement: shift the rest left, in place */
    memcpy(at, s->out_dir, ol);
    memmove(at + ol, at + sl, strlen(at + sl) + 1);
}

void out_stage_free(out_stage *s)
{
    if (!s)
        return;
    /* remove, then unregister: a signal in between removes it again, harmlessly */
    if (!s->committed && S_home(s) >= 0 && s->stage_name)
        sigclean_remove_tree(S_home(s), s->stage_name, S_RM_DEPTH);
    sigclean_drop(s->sig_id);
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* releases the lock */
    if (s->meta_fd >= 0)
        close(s->meta_fd);
    if (s->out_fd >= 0)
        close(s->out_fd);
    free(s->out_dir);
    free(s->stage);
    free(s);
}
