/* fileio — whole-file reads with one set of rules (see fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/fileio.h"

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
        err_set(e, path_code, "%s: not a regular file (%s)", path,
                S_ISDIR(st.st_mode)    ? "a folder"
                : S_ISFIFO(st.st_mode) ? "a pipe"
                : S_ISSOCK(st.st_mode) ? "a socket"
                : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                              : "a special file");
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
