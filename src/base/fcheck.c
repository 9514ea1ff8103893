/* fcheck — see fcheck.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "base/fcheck.h"

/* Below this many free bytes a file system counts as full: libraries write
 * in blocks, so the last write may fail while a little space is left. */
#define S_FULL_BYTES (256 * 1024)

int fcheck_cause(const char *path, char *why, size_t n)
{
    why[0] = '\0';
    struct stat st;
    struct rlimit rl;
    if (stat(path, &st) == 0 && getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
        rl.rlim_cur != RLIM_INFINITY && (unsigned long long)st.st_size + 8192 >= rl.rlim_cur) {
        snprintf(why, n, "%s (the file-size limit, ulimit -f, is %llu bytes)", strerror(EFBIG),
                 (unsigned long long)rl.rlim_cur);
        return 1;
    }
    /* the folder holding it */
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash && (size_t)(slash - path) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash == path ? 1 : slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    struct statvfs vs;
    if (statvfs(dir, &vs) == 0 &&
        ((unsigned long long)vs.f_bavail * vs.f_frsize < S_FULL_BYTES || vs.f_favail == 0)) {
        snprintf(why, n, "%s", strerror(ENOSPC));
        return 1;
    }
    return 0;
}

/* The last `n` bytes of the file (fewer if it is shorter). */
static size_t S_tail(int fd, off_t size, char *buf, size_t n)
{
    off_t from = size > (off_t)n ? size - (off_t)n : 0;
    ssize_t r = pread(fd, buf, (size_t)(size - from), from);
    return r > 0 ? (size_t)r : 0;
}

static int S_ends_with(const char *t, size_t tl, const char *end)
{
    while (tl > 0 && strchr(" \t\r\n", t[tl - 1]))
        tl--;
    size_t el = strlen(end);
    return tl >= el && memcmp(t + tl - el, end, el) == 0;
}

int fcheck_complete(const char *path, char *why, size_t n)
{
    char cause[160], tail[64];
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        fcheck_cause(path, cause, sizeof cause);
        snprintf(why, n, "missing%s%s", *cause ? ": " : "", cause);
        return 0;
    }
    const char *ext = strrchr(path, '.');
    size_t tl = S_tail(fd, st.st_size, tail, sizeof tail);
    close(fd);
    int ok = st.st_size > 0;
    if (ok && ext && strcmp(ext, ".png") == 0) /* IEND chunk, its CRC */
        ok = tl >= 12 && memcmp(tail + tl - 12, "\0\0\0\0IEND\xae\x42\x60\x82", 12) == 0;
    else if (ok && ext && strcmp(ext, ".svg") == 0)
        ok = S_ends_with(tail, tl, "</svg>");
    else if (ok && ext && strcmp(ext, ".pdf") == 0)
        ok = S_ends_with(tail, tl, "%%EOF");
    if (ok)
        return 1;
    fcheck_cause(path, cause, sizeof cause);
    if (st.st_size == 0)
        snprintf(why, n, "empty%s%s", *cause ? ": " : "", cause);
    else
        snprintf(why, n, "cut off after %lld bytes%s%s", (long long)st.st_size,
                 *cause ? ": " : "", cause);
    return 0;
}
