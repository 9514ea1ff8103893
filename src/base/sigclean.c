/* sigclean — see sigclean.h.  Only async-signal-safe calls below the
 * registration functions: this code runs inside a signal handler. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "base/sigclean.h"

enum { S_FREE = 0, S_BUSY = 1, S_DIR = 2, S_PGID = 3 };

static atomic_int S_kind[SIGCLEAN_SLOTS];
static char S_path[SIGCLEAN_SLOTS][SIGCLEAN_PATH_MAX];
static volatile pid_t S_pgid[SIGCLEAN_SLOTS];

/* Claim a free slot (lock-free, so a handler interrupting us sees either a
 * complete registration or none). */
static int S_claim(void)
{
    for (int i = 0; i < SIGCLEAN_SLOTS; i++) {
        int want = S_FREE;
        if (atomic_compare_exchange_strong(&S_kind[i], &want, S_BUSY))
            return i;
    }
    return -1;
}

int sigclean_add_dir(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n == 0 || n >= SIGCLEAN_PATH_MAX)
        return -1;
    int i = S_claim();
    if (i < 0)
        return -1;
    memcpy(S_path[i], path, n + 1);
    atomic_store(&S_kind[i], S_DIR);
    return i;
}

int sigclean_add_pgid(pid_t pgid)
{
    if (pgid <= 1)
        return -1;
    int i = S_claim();
    if (i < 0)
        return -1;
    S_pgid[i] = pgid;
    atomic_store(&S_kind[i], S_PGID);
    return i;
}

void sigclean_drop(int id)
{
    if (id >= 0 && id < SIGCLEAN_SLOTS)
        atomic_store(&S_kind[id], S_FREE);
}

/* The kernel's directory record (getdents64); declared here so no feature
 * macro is needed. */
struct S_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* One pass over the open folder `fd`: remove every entry.  Returns the
 * number removed, and sets *failed when one could not be. */
static long S_pass(int fd, int depth, int *failed)
{
    /* 8-byte aligned: the records hold 64-bit fields */
    union {
        char b[2048];
        uint64_t align;
    } buf;
    long removed = 0;
    if (lseek(fd, 0, SEEK_SET) < 0) {
        *failed = 1;
        return 0;
    }
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf.b, sizeof buf.b);
        if (n <= 0) {
            if (n < 0)
                *failed = 1;
            return removed;
        }
        for (long off = 0; off < n;) {
            struct S_dirent64 *d = (struct S_dirent64 *)(void *)(buf.b + off);
            off += d->d_reclen;
            if (d->d_name[0] == '.' &&
                (d->d_name[1] == '\0' || (d->d_name[1] == '.' && d->d_name[2] == '\0')))
                continue;
            if (sigclean_remove_tree(fd, d->d_name, depth - 1) == 0)
                removed++;
            else
                *failed = 1;
        }
    }
}

int sigclean_remove_tree(int dirfd, const char *name, int max_depth)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
    if (max_depth <= 0) {
        errno = ELOOP;
        return -1;
    }
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* Removing entries while reading the folder may make the kernel skip
     * some: read again until a pass finds nothing left to remove. */
    int failed;
    long got;
    do {
        failed = 0;
        got = S_pass(fd, max_depth, &failed);
    } while (got > 0);
    close(fd);
    if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
        return 0;
    int err = errno;
    (void)failed;
    errno = err;
    return -1;
}

int sigclean_run(void)
{
    int saved = errno, dirs = 0;
    for (int i = 0; i < SIGCLEAN_SLOTS; i++)
        if (atomic_load(&S_kind[i]) == S_PGID)
            kill(-S_pgid[i], SIGKILL);
    /* A killed process may still finish the write it was in: wait for each
     * group's leader (our child) to be gone before removing what it wrote
     * into. */
    for (int i = 0; i < SIGCLEAN_SLOTS; i++)
        if (atomic_load(&S_kind[i]) == S_PGID)
            while (waitpid(S_pgid[i], NULL, 0) < 0 && errno == EINTR)
                ;
    for (int i = 0; i < SIGCLEAN_SLOTS; i++) {
        if (atomic_load(&S_kind[i]) != S_DIR)
            continue;
        for (int tries = 0; tries < 5; tries++) {
            if (sigclean_remove_tree(AT_FDCWD, S_path[i], 16) == 0) {
                dirs++;
                break;
            }
            struct timespec ts = {0, 20 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    errno = saved;
    return dirs;
}
