/* outtree — see outtree.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/outtree.h"

struct outtree_manifest {
    char **path; /* sorted */
    size_t n;
};

/* ---- listing ------------------------------------------------------------ */

static int S_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void outtree_list_free(char **names, size_t n)
{
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

char **outtree_list(int fd, size_t *n)
{
    char **names = NULL;
    size_t k = 0, cap = 0;
    *n = (size_t)-1;
    int dfd = dup(fd);
    if (dfd < 0)
        return NULL;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return NULL;
    }
    rewinddir(d); /* the descriptor's offset is shared with `fd` */
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (k == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn)
                goto fail;
            names = nn;
            cap = nc;
        }
        if (!(names[k] = strdup(de->d_name)))
            goto fail;
        k++;
        errno = 0;
    }
    if (errno)
        goto fail;
    closedir(d);
    if (k > 1)
        qsort(names, k, sizeof *names, S_cmp);
    *n = k;
    return names;
fail: {
    int err = errno ? errno : ENOMEM;
    closedir(d);
    outtree_list_free(names, k);
    errno = err;
    return NULL;
}
}

/* ---- manifest ----------------------------------------------------------- */

typedef struct S_paths {
    char **p;
    size_t n, cap;
} S_paths;

static int S_paths_add(S_paths *ps, const char *s)
{
    if (ps->n == ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 64;
        char **nn = realloc(ps->p, nc * sizeof *nn);
        if (!nn)
            return -1;
        ps->p = nn;
        ps->cap = nc;
    }
    if (!(ps->p[ps->n] = strdup(s)))
        return -1;
    ps->n++;
    return 0;
}

/* Append "rel/name" (or "name") to rel[0..rlen); returns the new length or
 * 0 when it does not fit. */
static size_t S_rel(char *rel, size_t cap, size_t rlen, const char *name)
{
    size_t nl = strlen(name);
    size_t need = rlen + (rlen ? 1 : 0) + nl;
    if (need + 1 > cap)
        return 0;
    if (rlen)
        rel[rlen++] = '/';
    memcpy(rel + rlen, name, nl + 1);
    return need;
}

static int S_collect(int fd, char *rel, size_t rlen, int depth, S_paths *ps, const char *shown,
                     lb_err *e)
{
    if (depth > OUTTREE_MAX_DEPTH)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: nested too deep", shown, rel);
    size_t n;
    char **names = outtree_list(fd, &n);
    if (!names && n == (size_t)-1)
        return err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot read folder: %s", shown, rel,
                       strerror(errno));
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (rlen == 0 && strcmp(names[i], OUTTREE_MANIFEST) == 0)
            continue;
        size_t l = S_rel(rel, 4096, rlen, names[i]);
        struct stat st;
        if (l == 0)
            rc = err_set(e, LB_EXIT_RUNTIME, "%s: path too long", shown);
        else if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0)
            rc = err_set(e, LB_EXIT_RUNTIME, "%s/%s: %s", shown, rel, strerror(errno));
        else if (S_ISDIR(st.st_mode)) {
            int sub = openat(fd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0)
                rc = err_set(e, LB_EXIT_RUNTIME, "%s/%s: %s", shown, rel, strerror(errno));
            else {
                rc = S_collect(sub, rel, l, depth + 1, ps, shown, e);
                close(sub);
            }
        } else if (S_paths_add(ps, rel) != 0)
            rc = err_nomem(e);
        rel[rlen] = '\0';
    }
    outtree_list_free(names, n);
    return rc;
}

int outtree_manifest_write(int gen_fd, const char *shown, lb_err *e)
{
    S_paths ps = {NULL, 0, 0};
    char rel[4096] = "";
    int rc = S_collect(gen_fd, rel, 0, 0, &ps, shown, e);
    if (rc == 0) {
        if (ps.n > 1)
            qsort(ps.p, ps.n, sizeof *ps.p, S_cmp);
        int fd = openat(gen_fd, OUTTREE_MANIFEST,
                        O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0)
            rc = err_set(e, LB_EXIT_RUNTIME, "%s/%s: cannot create: %s", shown,
                         OUTTREE_MANIFEST, strerror(errno));
        for (size_t i = 0; i < ps.n && rc == 0; i++) {
            const char *s = ps.p[i];
            size_t left = strlen(s) + 1; /* with its NUL: the separator */
            while (left > 0 && rc == 0) {
                ssize_t w = write(fd, s, left);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    rc = err_set(e, LB_EXIT_RUNTIME, "%s/%s: write failed: %s", shown,
                                 OUTTREE_MANIFEST, w < 0 ? strerror(errno) : "short write");
                else {
                    s += w;
                    left -= (size_t)w;
                }
            }
        }
        if (fd >= 0 && close(fd) != 0 && rc == 0)
            rc = err_set(e, LB_EXIT_RUNTIME, "%s/%s: write failed: %s", shown,
                         OUTTREE_MANIFEST, strerror(errno));
    }
    outtree_list_free(ps.p, ps.n);
    return rc;
}

outtree_manifest *outtree_manifest_read(int gen_fd)
{
    outtree_manifest *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    int fd = openat(gen_fd, OUTTREE_MANIFEST, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return m;
    /* a manifest is a few kB: anything odd (not a file, huge) counts as none */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
        close(fd);
        return m;
    }
    size_t len = (size_t)st.st_size, got = 0;
    char *buf = malloc(len + 1);
    while (buf && got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!buf) {
        free(m);
        return NULL;
    }
    buf[got] = '\0';
    S_paths ps = {NULL, 0, 0};
    for (size_t i = 0; i < got;) {
        size_t l = strlen(buf + i);
        if (l && S_paths_add(&ps, buf + i) != 0) {
            outtree_list_free(ps.p, ps.n);
            free(buf);
            free(m);
            return NULL;
        }
        i += l + 1;
    }
    free(buf);
    if (ps.n > 1)
        qsort(ps.p, ps.n, sizeof *ps.p, S_cmp);
    m->path = ps.p;
    m->n = ps.n;
    return m;
}

void outtree_manifest_free(outtree_manifest *m)
{
    if (!m)
        return;
    outtree_list_free(m->path, m->n);
    free(m);
}

static int S_ours(const outtree_manifest *m, const char *rel)
{
    if (!m || m->n == 0)
        return 0;
    const char *key = rel;
    return bsearch(&key, m->path, m->n, sizeof *m->path, S_cmp) != NULL;
}

/* ---- carrying foreign entries ------------------------------------------- */

typedef struct S_walk {
    const outtree_manifest *m;
    const char *shown;
    lb_err *e;
    char rel[4096]; /* path below the walk's root, with the prefix */
    size_t root;    /* length of the prefix part of rel */
} S_walk;

/* 1 when every foreign entry below `src` has a same-named entry below `dst`
 * (dst < 0: missing, so only a tree without foreign entries is kept). */
static int S_kept(S_walk *w, int src, int dst, size_t rlen, int depth)
{
    if (depth > OUTTREE_MAX_DEPTH)
        return 0;
    size_t n;
    char **names = outtree_list(src, &n);
    if (!names && n == (size_t)-1)
        return 0;
    int kept = 1;
    for (size_t i = 0; i < n && kept; i++) {
        if (rlen == w->root && w->root == 0 && strcmp(names[i], OUTTREE_MANIFEST) == 0)
            continue;
        size_t l = S_rel(w->rel, sizeof w->rel, rlen, names[i]);
        struct stat st, dt;
        if (l == 0 || fstatat(src, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
            kept = 0;
        } else {
            int dhas = dst >= 0 && fstatat(dst, names[i], &dt, AT_SYMLINK_NOFOLLOW) == 0;
            if (S_ISDIR(st.st_mode)) {
                /* a folder whose name a new output took is superseded */
                if (!dhas || S_ISDIR(dt.st_mode)) {
                    int sub = openat(src, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    int subd = dhas ? openat(dst, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                                                O_CLOEXEC)
                                    : -1;
                    kept = sub >= 0 && (!dhas || subd >= 0) &&
                           S_kept(w, sub, subd, l, depth + 1);
                    if (sub >= 0)
                        close(sub);
                    if (subd >= 0)
                        close(subd);
                }
            } else if (!dhas && !S_ours(w->m, w->rel)) {
                kept = 0;
            }
        }
        w->rel[rlen] = '\0';
    }
    outtree_list_free(names, n);
    return kept;
}

/* Copy a regular file (when a hard link is refused: another file system
 * under the folder, a file system without links). */
static int S_copy(S_walk *w, int src, int dst, const char *name, mode_t mode)
{
    int rc = -1, in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                     mode & 07777);
    char buf[65536];
    if (in < 0 || out < 0) {
        err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot keep it in the new outputs: %s",
                w->shown, w->rel, strerror(errno));
        goto out;
    }
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot read: %s", w->shown, w->rel,
                    strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        for (ssize_t off = 0; off < r;) {
            ssize_t k = write(out, buf + off, (size_t)(r - off));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot keep it in the new outputs: %s",
                        w->shown, w->rel, k < 0 ? strerror(errno) : "short write");
                goto out;
            }
            off += k;
        }
    }
    rc = 0;
out:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot keep it in the new outputs: %s",
                     w->shown, w->rel, strerror(errno));
    if (rc != 0 && out >= 0)
        unlinkat(dst, name, 0);
    return rc;
}

static int S_carry(S_walk *w, int src, int dst, size_t rlen, int depth)
{
    if (depth > OUTTREE_MAX_DEPTH)
        return err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: nested too deep", w->shown, w->rel);
    size_t n;
    char **names = outtree_list(src, &n);
    if (!names && n == (size_t)-1)
        return err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot read folder: %s", w->shown,
                       w->rel, strerror(errno));
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *nm = names[i];
        if (rlen == 0 && w->root == 0 && strcmp(nm, OUTTREE_MANIFEST) == 0)
            continue;
        size_t l = S_rel(w->rel, sizeof w->rel, rlen, nm);
        struct stat st, dt;
        if (l == 0) {
            rc = err_set(w->e, LB_EXIT_RUNTIME, "%s: path too long", w->shown);
            break;
        }
        if (fstatat(src, nm, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            w->rel[rlen] = '\0';
            continue; /* gone meanwhile */
        }
        int dhas = fstatat(dst, nm, &dt, AT_SYMLINK_NOFOLLOW) == 0;
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(src, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int subd = -1;
            if (sub < 0)
                rc = err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot read folder: %s",
                             w->shown, w->rel, strerror(errno));
            else if (dhas && !S_ISDIR(dt.st_mode))
                ; /* a new output took the name */
            else if (!dhas && S_kept(w, sub, -1, l, depth + 1))
                ; /* nothing foreign below */
            else if (!dhas && mkdirat(dst, nm, st.st_mode & 07777) != 0)
                rc = err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot keep it in the new outputs: %s",
                             w->shown, w->rel, strerror(errno));
            else if ((subd = openat(dst, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                rc = err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot keep it in the new outputs: %s",
                             w->shown, w->rel, strerror(errno));
            else {
                w->rel[l] = '\0';
                rc = S_carry(w, sub, subd, l, depth + 1);
            }
            if (sub >= 0)
                close(sub);
            if (subd >= 0)
                close(subd);
        } else if (dhas || S_ours(w->m, w->rel)) {
            ; /* superseded by a new output, or an output of the old run */
        } else if (S_ISREG(st.st_mode)) {
            if (linkat(src, nm, dst, nm, 0) != 0)
                rc = S_copy(w, src, dst, nm, st.st_mode);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t tl = readlinkat(src, nm, target, sizeof target - 1);
            if (tl < 0 || (target[tl] = '\0', symlinkat(target, dst, nm) != 0))
                rc = err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot keep this symlink in the "
                             "new outputs: %s", w->shown, w->rel, strerror(errno));
        } else if (S_ISFIFO(st.st_mode)) {
            if (mkfifoat(dst, nm, st.st_mode & 07777) != 0)
                rc = err_set(w->e, LB_EXIT_RUNTIME, "%s/%s: cannot keep this FIFO in the new "
                             "outputs: %s", w->shown, w->rel, strerror(errno));
        } else {
            rc = err_set(w->e, LB_EXIT_RUNTIME,
                         "%s/%s: a socket or device where lossbook keeps its outputs; "
                         "remove it (lossbook cannot carry it into the new outputs)",
                         w->shown, w->rel);
        }
        w->rel[rlen] = '\0';
    }
    outtree_list_free(names, n);
    return rc;
}

static void S_walk_init(S_walk *w, const outtree_manifest *m, const char *prefix,
                        const char *shown, lb_err *e)
{
    w->m = m;
    w->shown = shown;
    w->e = e;
    w->rel[0] = '\0';
    w->root = 0;
    if (prefix && *prefix) {
        size_t l = strlen(prefix);
        if (l < sizeof w->rel) {
            memcpy(w->rel, prefix, l + 1);
            w->root = l;
        }
    }
}

int outtree_carry(int src_fd, int dst_fd, const outtree_manifest *m, const char *prefix,
                  const char *shown, lb_err *e)
{
    S_walk *w = malloc(sizeof *w);
    if (!w)
        return err_nomem(e);
    S_walk_init(w, m, prefix, shown, e);
    int rc = S_carry(w, src_fd, dst_fd, w->root, 0);
    free(w);
    return rc;
}

int outtree_foreign_kept(int src_fd, int dst_fd, const outtree_manifest *m, const char *prefix)
{
    S_walk *w = malloc(sizeof *w);
    if (!w)
        return 0;
    S_walk_init(w, m, prefix, "", NULL);
    int kept = S_kept(w, src_fd, dst_fd, w->root, 0);
    free(w);
    return kept;
}
