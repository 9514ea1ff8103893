/* figcache — see figcache.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot/figcache.h"

#define S_MAX_FILE ((size_t)64 << 20)   /* a figure's file is far smaller */

/* FNV-1a, 128 bits (offset basis and prime from the FNV specification). */
typedef unsigned __int128 S_u128;

static S_u128 S_basis(void)
{
    return (S_u128)0x6c62272e07bb0142ull << 64 | 0x62b821756295c58dull;
}

static S_u128 S_prime(void)
{
    return (S_u128)0x0000000001000000ull << 64 | 0x000000000000013Bull;
}

static void S_mix(S_u128 *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    S_u128 x = *h, pr = S_prime();
    for (size_t i = 0; i < n; i++)
        x = (x ^ b[i]) * pr;
    *h = x;
}

static void S_mix_str(S_u128 *h, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    S_mix(h, &n, sizeof n);   /* length first: "ab"+"c" != "a"+"bc" */
    if (n)
        S_mix(h, s, n);
}

/* A file's identity without reading it: what changes when it is replaced. */
static void S_mix_stat(S_u128 *h, const char *path)
{
    struct stat st;
    long long v[5] = {0, 0, 0, 0, 0};
    if (path && stat(path, &st) == 0) {
        v[0] = (long long)st.st_size;
        v[1] = (long long)st.st_mtim.tv_sec;
        v[2] = (long long)st.st_mtim.tv_nsec;
        v[3] = (long long)st.st_ino;
        v[4] = (long long)st.st_mode;
    }
    S_mix_str(h, path);
    S_mix(h, v, sizeof v);
}

static void S_out(S_u128 h, figcache_key *k)
{
    for (int i = 0; i < 16; i++) {
        k->h[i] = (unsigned char)h;
        h >>= 8;
    }
}

/* The whole file (regular, not a symlink), malloc'd; NULL if unreadable. */
static unsigned char *S_read(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > S_MAX_FILE) {
        close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size, at = 0;
    unsigned char *b = malloc(n ? n : 1);
    while (b && at < n) {
        ssize_t r = read(fd, b + at, n - at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(b);
            b = NULL;
            break;
        }
        at += (size_t)r;
    }
    close(fd);
    *len = n;
    return b;
}

static void S_hash(const unsigned char *b, size_t n, figcache_key *k)
{
    S_u128 h = S_basis();
    S_mix(&h, b, n);
    S_out(h, k);
}

void figcache_env(const char *png_encoder, figcache_key *env)
{
    S_u128 h = S_basis();
    S_mix_str(&h, "lossbook-figcache 1");
    /* the PNG encoder (plot/pngenc.h): gnuplot's own, or the shim's file */
    S_mix_str(&h, png_encoder && png_encoder[0] ? "png: shim" : "png: gnuplot's own");
    if (png_encoder && png_encoder[0])
        S_mix_stat(&h, png_encoder);
    /* gnuplot as gp_new would find it: the first executable on PATH */
    const char *path = getenv("PATH");
    char exe[4096] = "";
    for (const char *p = path ? path : ""; *p;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        snprintf(exe, sizeof exe, "%.*s/gnuplot", (int)n, p);
        if (n && access(exe, X_OK) == 0)
            break;
        exe[0] = '\0';
        p += n + (end ? 1 : 0);
    }
    S_mix_stat(&h, exe[0] ? exe : NULL);
    const char *fcf = getenv("FONTCONFIG_FILE"), *fcp = getenv("FONTCONFIG_PATH");
    S_mix_str(&h, fcf);
    S_mix_str(&h, fcp);
    S_mix_stat(&h, fcf ? fcf : "/etc/fonts/fonts.conf");
    /* fc-cache rewrites its cache files (new names, renames) whenever a
     * font package is installed, removed or upgraded anywhere: its folder's
     * mtime follows every font change fontconfig will see. */
    static const char *const dirs[] = {"/etc/fonts/conf.d", "/var/cache/fontconfig",
                                       "/usr/share/fonts",
                                       "/usr/share/texmf/fonts/opentype/public/lm",
                                       "/usr/local/share/fonts"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        S_mix_stat(&h, dirs[i]);
    S_out(h, env);
}

static char *S_path(const char *dir, const char *mid, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(mid) + strlen(name) + strlen(ext) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s%s", dir, mid, name, ext);
    return p;
}

int figcache_key_of(const char *figdir, const char *datadir_rel, const char *name,
                    const figcache_key *env, figcache_key *out, lb_err *e)
{
    char *script = S_path(figdir, "", name, ".gp");
    size_t dl = strlen(datadir_rel ? datadir_rel : "../data") + 2;
    char *mid = malloc(dl);
    if (mid)
        snprintf(mid, dl, "%s/", datadir_rel ? datadir_rel : "../data");
    char *data = mid ? S_path(figdir, mid, name, ".dat") : NULL;
    int rc = -1;
    if (!script || !data) {
        err_nomem(e);
        goto out;
    }
    S_u128 h = S_basis();
    S_mix(&h, env->h, sizeof env->h);
    const char *files[2] = {script, data};
    for (int i = 0; i < 2; i++) {
        size_t n;
        unsigned char *b = S_read(files[i], &n);
        if (!b) {
            err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot read %s", name, files[i]);
            goto out;
        }
        S_mix(&h, &n, sizeof n);
        S_mix(&h, b, n);
        free(b);
    }
    S_out(h, out);
    rc = 0;
out:
    free(script);
    free(mid);
    free(data);
    return rc;
}

static void S_hex(const figcache_key *k, char out[33])
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", k->h[i]);
}

/* Write b[0..n) to path (created or truncated, never through a symlink). */
static int S_write(const char *path, const unsigned char *b, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    int rc = fd < 0 ? -1 : 0;
    for (size_t at = 0; rc == 0 && at < n;) {
        ssize_t w = write(fd, b + at, n - at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = -1;
        else
            at += (size_t)w;
    }
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    return rc;
}

/* The outputs a figure leaves in its folder. */
static const char *const S_EXT[] = {".svg", ".png", ".dark.png"};
#define S_NEXT (sizeof S_EXT / sizeof S_EXT[0])

/* The record for `key` and the outputs dir/NAME.* as they are now
 * ("lossbook-figcache 2\nkey K\n.svg H\n.png H\n.dark.png H\n"); -1 if an
 * output is missing or unreadable.  keep not NULL: each output's bytes are
 * left in keep[i] / klen[i] (malloc'd, the caller frees; NULL after a
 * failure). */
static int S_record(const char *dir, const char *name, const figcache_key *key, char out[320],
                    unsigned char **keep, size_t *klen)
{
    char hex[33];
    S_hex(key, hex);
    int n = snprintf(out, 320, "lossbook-figcache 2\nkey %s\n", hex);
    for (size_t i = 0; i < S_NEXT; i++) {
        char *p = S_path(dir, "", name, S_EXT[i]);
        size_t len = 0;
        unsigned char *b = p ? S_read(p, &len) : NULL;
        free(p);
        if (!b) {
            for (size_t j = 0; keep && j < i; j++) {
                free(keep[j]);
                keep[j] = NULL;
            }
            return -1;
        }
        figcache_key h;
        S_hash(b, len, &h);
        if (keep) {
            keep[i] = b;
            klen[i] = len;
        } else
            free(b);
        S_hex(&h, hex);
        n += snprintf(out + n, 320 - (size_t)n, "%s %s\n", S_EXT[i], hex);
    }
    return 0;
}

/* Each file is read once: hashed for the record, and the same bytes are
 * written into figdir with the record (they are what it describes). */
int figcache_reuse(const char *cache_dir, const char *figdir, const char *name,
                   const figcache_key *key)
{
    if (!cache_dir)
        return 0;
    char *kp = S_path(cache_dir, ".", name, ".key");
    char *dk = S_path(figdir, ".", name, ".key");
    unsigned char *rec = NULL, *buf[S_NEXT] = {NULL};
    size_t len[S_NEXT] = {0};
    char want[320];
    size_t n;
    int hit = 0;
    if (kp && dk && (rec = S_read(kp, &n)) && S_record(cache_dir, name, key, want, buf, len) == 0 &&
        n == strlen(want) && !memcmp(rec, want, n)) {
        hit = 1;
        for (size_t i = 0; i < S_NEXT && hit; i++) {
            char *dst = S_path(figdir, "", name, S_EXT[i]);
            hit = dst && S_write(dst, buf[i], len[i]) == 0;
            free(dst);
        }
        hit = hit && S_write(dk, rec, n) == 0;
    }
    for (size_t i = 0; i < S_NEXT; i++)
        free(buf[i]);
    free(rec);
    free(kp);
    free(dk);
    return hit;
}

int figcache_record(const char *figdir, const char *name, const figcache_key *key, lb_err *e)
{
    char *kp = S_path(figdir, ".", name, ".key");
    char rec[320];
    int rc = -1;
    if (!kp) {
        err_nomem(e);
        goto out;
    }
    if (S_record(figdir, name, key, rec, NULL, NULL) < 0) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot read its outputs in %s", name, figdir);
        goto out;
    }
    if (S_write(kp, (const unsigned char *)rec, strlen(rec)) != 0) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot write %s: %s", name, kp, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(kp);
    return rc;
}
