/* testkit — see testkit.h: files, folders (copy, compare, remove, find)
 * and text helpers; testkit.c runs programs. */
#define _GNU_SOURCE /* program_invocation_short_name */
#include "testkit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define S_PATH_MAX 4096

/* ---- files ------------------------------------------------------------ */

char *tk_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                errno = ENOMEM;
                break;
            }
            b = nb;
            cap *= 2;
        }
        ssize_t k = read(fd, b + n, cap - n - 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            free(b);
            b = NULL;
            errno = e;
            break;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    int e = errno;
    close(fd);
    errno = e;
    if (!b)
        return NULL;
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

int tk_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    if (fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

long long tk_file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    return (long long)st.st_size;
}

/* ---- folders ---------------------------------------------------------- */

char *tk_tmpdir_new(const char *tag)
{
    const char *t = getenv("TMPDIR");
    size_t n = strlen(t && *t ? t : "/tmp") + strlen(tag) + 16;
    char *d = malloc(n);
    if (!d)
        return NULL;
    snprintf(d, n, "%s/lb-%s-XXXXXX", t && *t ? t : "/tmp", tag);
    if (!mkdtemp(d)) {
        fprintf(stderr, "testkit: mkdtemp %s: %s\n", d, strerror(errno));
        free(d);
        return NULL;
    }
    return d;
}

void tk_tmpdir_free(char *dir)
{
    if (!dir)
        return;
    if (getenv("LB_KEEP"))
        fprintf(stderr, "testkit: kept %s (LB_KEEP)\n", dir);
    else if (tk_rmtree(dir) != 0)
        fprintf(stderr, "testkit: cannot remove %s: %s\n", dir, strerror(errno));
    free(dir);
}

static char *S_scratch;

int tk_scratch_setup(void **state)
{
    (void)state;
    if (!S_scratch)
        S_scratch = tk_tmpdir_new(program_invocation_short_name);
    return S_scratch ? 0 : -1;
}

int tk_scratch_teardown(void **state)
{
    (void)state;
    tk_tmpdir_free(S_scratch);
    S_scratch = NULL;
    return 0;
}

const char *tk_scratch(void)
{
    return S_scratch;
}

int tk_mkdirs(const char *path)
{
    char p[S_PATH_MAX];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(p, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static int S_cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every name in DIR but . and .. (all == 1) or those matching PATTERN /
 * not hidden (all == 0), sorted. */
static char **S_names(const char *dir, const char *pattern, int all, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t n = 0, cap = 16;
    char **v = malloc(cap * sizeof *v);
    struct dirent *de;
    while (v && (de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
            continue;
        if (!all && (pattern ? fnmatch(pattern, nm, 0) != 0 : nm[0] == '.'))
            continue;
        if (n + 1 >= cap) {
            char **nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv)
                break;
            v = nv;
            cap *= 2;
        }
        if (!(v[n] = strdup(nm)))
            break;
        n++;
    }
    closedir(d);
    if (!v)
        return NULL;
    v[n] = NULL;
    qsort(v, n, sizeof *v, S_cmp_names);
    if (count)
        *count = n;
    return v;
}

char **tk_list_dir(const char *dir, const char *pattern, size_t *n)
{
    return S_names(dir, pattern, 0, n);
}

void tk_list_free(char **names)
{
    if (!names)
        return;
    for (char **p = names; *p; p++)
        free(*p);
    free(names);
}

int tk_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    chmod(path, (st.st_mode & 07777) | S_IRWXU); /* a read-only folder too */
    char **names = S_names(path, NULL, 1, NULL);
    if (!names)
        return -1;
    int rc = 0;
    for (char **p = names; *p; p++) {
        char sub[S_PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s/%s", path, *p) >= (int)sizeof sub ||
            tk_rmtree(sub) != 0)
            rc = -1;
    }
    tk_list_free(names);
    return rc == 0 ? rmdir(path) : -1;
}

static int S_copy_file(const char *from, const char *to, mode_t mode)
{
    int in = open(from, O_RDONLY);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[65536];
    ssize_t k;
    int rc = 0;
    while ((k = read(in, buf, sizeof buf)) != 0) {
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            rc = -1;
            break;
        }
        for (ssize_t w = 0; w < k;) {
            ssize_t m = write(out, buf + w, (size_t)(k - w));
            if (m < 0 && errno == EINTR)
                continue;
            if (m < 0) {
                rc = -1;
                break;
            }
            w += m;
        }
        if (rc)
            break;
    }
    close(in);
    if (fchmod(out, mode & 07777) != 0)
        rc = -1;
    if (close(out) != 0)
        rc = -1;
    return rc;
}

int tk_copy(const char *from, const char *to)
{
    struct stat st;
    if (lstat(from, &st) != 0)
        return -1;
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (S_ISLNK(st.st_mode)) {
        char target[S_PATH_MAX];
        ssize_t n = readlink(from, target, sizeof target - 1);
        if (n < 0)
            return -1;
        target[n] = '\0';
        if (symlink(target, to) != 0)
            return -1;
        utimensat(AT_FDCWD, to, times, AT_SYMLINK_NOFOLLOW);
        return 0;
    }
    if (S_ISREG(st.st_mode)) {
        if (S_copy_file(from, to, st.st_mode) != 0)
            return -1;
        return utimensat(AT_FDCWD, to, times, 0);
    }
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTSUP;
        return -1;
    }
    if (mkdir(to, 0700) != 0)
        return -1;
    char **names = S_names(from, NULL, 1, NULL);
    if (!names)
        return -1;
    int rc = 0;
    for (char **p = names; *p && rc == 0; p++) {
        char a[S_PATH_MAX], b[S_PATH_MAX];
        if (snprintf(a, sizeof a, "%s/%s", from, *p) >= (int)sizeof a ||
            snprintf(b, sizeof b, "%s/%s", to, *p) >= (int)sizeof b) {
            errno = ENAMETOOLONG;
            rc = -1;
        } else {
            rc = tk_copy(a, b);
        }
    }
    tk_list_free(names);
    /* mode and times last: a read-only folder can still be filled, and
     * filling it does not change its time again */
    if (rc == 0 && (chmod(to, st.st_mode & 07777) != 0 ||
                    utimensat(AT_FDCWD, to, times, 0) != 0))
        rc = -1;
    return rc;
}

static char *S_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *S_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s)
        return strdup("testkit: out of memory");
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static const char *S_kind(mode_t m)
{
    return S_ISREG(m) ? "a file" : S_ISDIR(m) ? "a folder" : S_ISLNK(m) ? "a symlink"
                                                                       : "a special file";
}

static char *S_diff_files(const char *a, const char *b)
{
    size_t la, lb;
    char *x = tk_read_file(a, &la);
    if (!x)
        return S_fmt("cannot read %s: %s", a, strerror(errno));
    char *y = tk_read_file(b, &lb);
    if (!y) {
        char *m = S_fmt("cannot read %s: %s", b, strerror(errno));
        free(x);
        return m;
    }
    size_t n = la < lb ? la : lb, i = 0, line = 1;
    while (i < n && x[i] == y[i])
        line += x[i++] == '\n';
    char *m = NULL;
    if (i < n)
        m = S_fmt("%s and %s differ at byte %zu (line %zu)", a, b, i + 1, line);
    else if (la != lb)
        m = S_fmt("%s and %s differ: %zu and %zu bytes, the shorter is a prefix", a, b,
                  la, lb);
    free(x);
    free(y);
    return m;
}

char *tk_diff(const char *a, const char *b)
{
    struct stat sa, sb;
    if (lstat(a, &sa) != 0)
        return S_fmt("%s: %s", a, strerror(errno));
    if (lstat(b, &sb) != 0)
        return S_fmt("%s: %s", b, strerror(errno));
    if ((sa.st_mode & S_IFMT) != (sb.st_mode & S_IFMT))
        return S_fmt("%s is %s, %s is %s", a, S_kind(sa.st_mode), b, S_kind(sb.st_mode));
    if (S_ISREG(sa.st_mode))
        return S_diff_files(a, b);
    if (S_ISLNK(sa.st_mode)) {
        char ta[S_PATH_MAX], tb[S_PATH_MAX];
        ssize_t na = readlink(a, ta, sizeof ta - 1), nb = readlink(b, tb, sizeof tb - 1);
        if (na < 0 || nb < 0)
            return S_fmt("cannot read the symlink %s: %s", na < 0 ? a : b, strerror(errno));
        ta[na] = tb[nb] = '\0';
        return strcmp(ta, tb) ? S_fmt("symlinks %s -> %s and %s -> %s differ", a, ta, b, tb)
                              : NULL;
    }
    if (!S_ISDIR(sa.st_mode))
        return NULL; /* same kind of special file: nothing more to compare */
    char **na = S_names(a, NULL, 1, NULL), **nb = S_names(b, NULL, 1, NULL);
    char *m = NULL;
    if (!na || !nb)
        m = S_fmt("cannot list %s: %s", !na ? a : b, strerror(errno));
    for (size_t i = 0, j = 0; !m && (na[i] || nb[j]);) {
        int c = !na[i] ? 1 : !nb[j] ? -1 : strcmp(na[i], nb[j]);
        if (c < 0) {
            m = S_fmt("only in %s: %s", a, na[i]);
        } else if (c > 0) {
            m = S_fmt("only in %s: %s", b, nb[j]);
        } else {
            char pa[S_PATH_MAX], pb[S_PATH_MAX];
            snprintf(pa, sizeof pa, "%s/%s", a, na[i]);
            snprintf(pb, sizeof pb, "%s/%s", b, nb[j]);
            m = tk_diff(pa, pb);
            i++, j++;
        }
    }
    tk_list_free(na);
    tk_list_free(nb);
    return m;
}

char *tk_find(const char *dir, const char *pattern)
{
    char **names = S_names(dir, NULL, 1, NULL);
    if (!names)
        return NULL;
    char *hit = NULL;
    for (char **p = names; *p && !hit; p++) {
        char sub[S_PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s/%s", dir, *p) >= (int)sizeof sub)
            continue;
        if (fnmatch(pattern, *p, 0) == 0) {
            hit = strdup(sub);
            break;
        }
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            hit = tk_find(sub, pattern);
    }
    tk_list_free(names);
    return hit;
}

/* ---- text ------------------------------------------------------------- */

void tk_squeeze(char *s)
{
    size_t w = 0;
    int sp = 0;
    for (size_t r = 0; s[r]; r++) {
        unsigned char c = (unsigned char)s[r];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            sp = 1;
            continue;
        }
        if (sp && w > 0)
            s[w++] = ' ';
        sp = 0;
        s[w++] = s[r];
    }
    s[w] = '\0';
}

int tk_one_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return nl && nl > s && nl[1] == '\0';
}

size_t tk_count(const char *hay, const char *needle)
{
    /* memcmp at each position, not strstr in a loop: under ASan's
     * strict_string_checks every strstr call measures the whole rest of
     * HAY, which makes a loop quadratic on a large text */
    size_t n = 0, k = strlen(needle), len = strlen(hay);
    if (k == 0)
        return 0;
    for (size_t i = 0; i + k <= len;) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0) {
            n++;
            i += k;
        } else {
            i++;
        }
    }
    return n;
}

int tk_contains(const void *hay, size_t n, const char *needle)
{
    const char *h = hay;
    size_t k = strlen(needle);
    if (k == 0)
        return 1;
    for (size_t i = 0; i + k <= n; i++) {
        const char *p = memchr(h + i, needle[0], n - k + 1 - i);
        if (!p)
            return 0;
        i = (size_t)(p - h);
        if (memcmp(p, needle, k) == 0)
            return 1;
    }
    return 0;
}

