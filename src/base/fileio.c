/* fileio — whole-file reads with one set of rules (see fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/fileio.h"

const char *fio_kind_name(mode_t m)
{
    return S_ISDIR(m)                 ? "a folder"
           : S_ISFIFO(m)              ? "a pipe"
           : S_ISSOCK(m)              ? "a socket"
           : S_ISCHR(m) || S_ISBLK(m) ? "a device"
                                      : "a special file";
}

char *fio_read(const char *path, size_t max_bytes, const char *kind, int path_code,
               size_t *len, lb_err *e)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    FILE *f = NULL;
    if (!*path) {
        err_set(e, path_code, "(empty file name): cannot open a %s without a name", kind);
        return NULL;
    }
    /* O_NONBLOCK: opening a FIFO (or a device) for reading must not wait
     * for a writer before we can see that it is not a regular file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        /* a bad path is the user's; no memory or descriptors is ours */
        int code = errno == ENOMEM || errno == EMFILE || errno == ENFILE ? LB_EXIT_RUNTIME
                                                                          : path_code;
        err_set(e, code, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        err_set(e, path_code, "%s: not a regular file (%s)", path, fio_kind_name(st.st_mode));
        close(fd);
        return NULL;
    }
    /* a regular file: ordinary blocking reads from here on */
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 || !(f = fdopen(fd, "rb"))) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot read: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    /* Grow by doubling up to max_bytes + 1: reading one byte more than the
     * limit is how a file that grew since fstat is still caught. */
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > max_bytes + 1)
                ncap = max_bytes + 1;
            if (ncap == cap) {
                err_set(e, LB_EXIT_INPUT, "%s: too large: a%s %s may have at most %zu bytes",
                        path, strchr("aeiouAEIOU", kind[0]) ? "n" : "", kind, max_bytes);
                goto fail;
            }
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                err_nomem(e);
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                err_set(e, LB_EXIT_RUNTIME, "%s: cannot read: %s", path, strerror(errno));
                goto fail;
            }
            break;
        }
    }
    if (!buf && !(buf = malloc(1))) {
        err_nomem(e);
        goto fail;
    }
    buf[n] = '\0';
    *len = n;
    fclose(f);
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

/* May prev be linked as path: a regular file no other name shares, ours,
 * with the mode a new file `mode` gets in path's folder (which this run
 * made with 0777 & ~umask: its mode carries the umask), and len bytes? */
static int S_linkable(const char *prev, const char *path, mode_t mode, size_t len,
                      struct stat *st)
{
    struct stat dir;
    const char *slash = strrchr(path, '/');
    char d[4096];
    if (!slash || (size_t)(slash - path) >= sizeof d)
        return 0;
    memcpy(d, path, (size_t)(slash - path));
    d[slash - path] = '\0';
    return stat(slash == path ? "/" : d, &dir) == 0 && lstat(prev, st) == 0 &&
           S_ISREG(st->st_mode) && st->st_nlink == 1 && st->st_uid == geteuid() &&
           (st->st_mode & 07777) == (dir.st_mode & mode & 07777) && (size_t)st->st_size == len;
}

/* Link prev to path when it holds exactly buf[0..len); 1 if done. */
static int S_link_same(const char *prev, const char *path, mode_t mode, const void *buf,
                       size_t len)
{
    struct stat st, st2;
    if (!prev || !S_linkable(prev, path, mode, len, &st) ||
        linkat(AT_FDCWD, prev, AT_FDCWD, path, 0) != 0)
        return 0;
    /* compared on the linked name: what the new run holds */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), same = 0;
    char *old = malloc(len ? len : 1);
    if (fd >= 0 && old && fstat(fd, &st2) == 0 && st2.st_ino == st.st_ino &&
        st2.st_dev == st.st_dev && st2.st_nlink == 2 && (size_t)st2.st_size == len) {
        size_t at = 0;
        while (at < len) {
            ssize_t k = read(fd, old + at, len - at);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            at += (size_t)k;
        }
        same = at == len && memcmp(old, buf, len) == 0;
    }
    free(old);
    if (fd >= 0)
        close(fd);
    if (!same)
        unlink(path);
    return same;
}

int fio_put(const char *path, const void *buf, size_t len, mode_t mode, const char *prev,
            lb_err *e)
{
    /* a new name: never written through a (hard) link; a symlink there is
     * left for O_NOFOLLOW | O_EXCL to refuse */
    struct stat ls;
    if (lstat(path, &ls) == 0 && !S_ISLNK(ls.st_mode))
        unlink(path);
    if (S_link_same(prev, path, mode, buf, len))
        return 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        int en = errno;
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot create: %s", path, strerror(en));
        errno = en;
        return -1;
    }
    const char *p = buf;
    size_t at = 0;
    int rc = 0, en = 0;
    while (at < len) {
        ssize_t w = write(fd, p + at, len - at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            en = w < 0 ? errno : ENOSPC;
            rc = -1;
            break;
        }
        at += (size_t)w;
    }
    if (close(fd) != 0 && rc == 0) {
        en = errno;
        rc = -1;
    }
    if (rc != 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", path, strerror(en));
        errno = en;
    }
    return rc;
}
