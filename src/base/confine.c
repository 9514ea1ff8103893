/* confine — Landlock write confinement (see confine.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "base/confine.h"

#if defined(__linux__) && __has_include(<linux/landlock.h>)
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#if defined(LANDLOCK_CREATE_RULESET_VERSION) && defined(SYS_landlock_create_ruleset)
/* Add "rights beneath path" to ruleset rs; 0 or -1 (errno). */
static int S_rule(int rs, const char *path, int flags, unsigned long long rights)
{
    int fd = open(path, O_PATH | O_CLOEXEC | flags);
    if (fd < 0)
        return -1;
    struct landlock_path_beneath_attr pb = {.allowed_access = rights, .parent_fd = fd};
    long r = syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
    int err = errno;
    close(fd);
    errno = err;
    return r == 0 ? 0 : -1;
}

int confine_writes_to(const char *dir)
{
    long abi = syscall(SYS_landlock_create_ruleset, (void *)0, 0,
                       LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1)
        return 1;   /* no Landlock in this kernel (ENOSYS / EOPNOTSUPP) */
    /* every right that writes (ABI 1), renames across folders (2),
     * truncates (3); reading and executing stay unrestricted */
    unsigned long long file_w = LANDLOCK_ACCESS_FS_WRITE_FILE;
    unsigned long long dir_w = LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                               LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
                               LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
                               LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                               LANDLOCK_ACCESS_FS_MAKE_SYM;
#ifdef LANDLOCK_ACCESS_FS_REFER
    if (abi >= 2)
        dir_w |= LANDLOCK_ACCESS_FS_REFER;
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
    if (abi >= 3)
        file_w |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
    struct landlock_ruleset_attr ra = {.handled_access_fs = file_w | dir_w};
    int rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof ra, 0);
    if (rs < 0)
        return 1;
    /* Any failure before restrict_self leaves the process as it was (a
     * seccomp filter refusing one of the calls, a folder that cannot be
     * opened): then it is "not confined", never half confined, and
     * gnuplot still starts. */
    int rc = 1;
    if (S_rule(rs, dir, O_DIRECTORY, file_w | dir_w) != 0)
        goto out;
    /* /dev/null: gnuplot may send an output there */
    if (S_rule(rs, "/dev/null", 0, file_w) != 0 && errno != ENOENT)
        goto out;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_landlock_restrict_self, rs, 0) != 0)
        goto out;
    rc = 0;
out:
    {
        int err = errno;
        close(rs);
        errno = err;
    }
    return rc;
}
#else
int confine_writes_to(const char *dir)
{
    (void)dir;
    return 1;
}
#endif
