/* figcache — see figcache.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot/figcache.h"

#define S_MAX_FILE ((size_t)64 << 20)   /* a figure's file is far smaller */

/* The hash: XXH64 (Yann Collet's xxHash, 64-bit variant, as specified in
 * its xxhash_spec.md) run twice over the same bytes, with seeds 0 and
 * S_SEED1, the two results making 128 bits.  Four 8-byte lanes per run
 * (eight in the loop below), so it goes at memory speed; FNV-1a, a byte at a
 * time through a 128-bit multiply, cost ~1.3 ns a byte over the ~5 MB a
 * cached run hashed (issue 15).  Streaming: S_mix may be called with any
 * split of the bytes; the result depends only on their concatenation.
 * Lanes read little-endian whatever the host. */
#define S_P1 0x9E3779B185EBCA87ull
#define S_P2 0xC2B2AE3D27D4EB4Full
#define S_P3 0x165667B19E3779F9ull
#define S_P4 0x85EBCA77C2B2AE63ull
#define S_P5 0x27D4EB2F165667C5ull
#define S_SEED1 0x6c62272e07bb0142ull

typedef struct S_u128 {
    uint64_t v[2][4];          /* the lanes of each run */
    uint64_t total;            /* bytes mixed so far */
    unsigned char buf[32];     /* a partial stripe */
    size_t nbuf;
} S_u128;

static uint64_t S_rotl(uint64_t x, int r)
{
    return x << r | x >> (64 - r);
}

static uint64_t S_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
           (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static uint64_t S_le32(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

static uint64_t S_round(uint64_t acc, uint64_t in)
{
    acc += in * S_P2;
    return S_rotl(acc, 31) * S_P1;
}

static S_u128 S_basis(void)
{
    static const uint64_t seed[2] = {0, S_SEED1};
    S_u128 h;
    memset(&h, 0, sizeof h);
    for (int s = 0; s < 2; s++) {
        h.v[s][0] = seed[s] + S_P1 + S_P2;
        h.v[s][1] = seed[s] + S_P2;
        h.v[s][2] = seed[s];
        h.v[s][3] = seed[s] - S_P1;
    }
    return h;
}

/* Whole 32-byte stripes of p (n a multiple of 32) into both runs. */
static void S_stripes(S_u128 *h, const unsigned char *p, size_t n)
{
    uint64_t a0 = h->v[0][0], a1 = h->v[0][1], a2 = h->v[0][2], a3 = h->v[0][3];
    uint64_t b0 = h->v[1][0], b1 = h->v[1][1], b2 = h->v[1][2], b3 = h->v[1][3];
    for (size_t i = 0; i < n; i += 32) {
        uint64_t w0 = S_le64(p + i), w1 = S_le64(p + i + 8);
        uint64_t w2 = S_le64(p + i + 16), w3 = S_le64(p + i + 24);
        a0 = S_round(a0, w0);
        a1 = S_round(a1, w1);
        a2 = S_round(a2, w2);
        a3 = S_round(a3, w3);
        b0 = S_round(b0, w0);
        b1 = S_round(b1, w1);
        b2 = S_round(b2, w2);
        b3 = S_round(b3, w3);
    }
    h->v[0][0] = a0, h->v[0][1] = a1, h->v[0][2] = a2, h->v[0][3] = a3;
    h->v[1][0] = b0, h->v[1][1] = b1, h->v[1][2] = b2, h->v[1][3] = b3;
}

static void S_mix(S_u128 *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    h->total += n;
    if (h->nbuf) {
        size_t k = 32 - h->nbuf < n ? 32 - h->nbuf : n;
        memcpy(h->buf + h->nbuf, b, k);
        h->nbuf += k;
        b += k;
        n -= k;
        if (h->nbuf < 32)
            return;
        S_stripes(h, h->buf, 32);
        h->nbuf = 0;
    }
    size_t whole = n & ~(size_t)31;
    S_stripes(h, b, whole);
    memcpy(h->buf, b + whole, n - whole);
    h->nbuf = n - whole;
}

/* XXH64's end for run s: the lanes merged, the tail, the avalanche. */
static uint64_t S_final(const S_u128 *h, int s)
{
    static const uint64_t seed[2] = {0, S_SEED1};
    const uint64_t *v = h->v[s];
    uint64_t x;
    if (h->total >= 32) {
        x = S_rotl(v[0], 1) + S_rotl(v[1], 7) + S_rotl(v[2], 12) + S_rotl(v[3], 18);
        for (int i = 0; i < 4; i++)
            x = (x ^ S_round(0, v[i])) * S_P1 + S_P4;
    } else {
        x = seed[s] + S_P5;
    }
    x += h->total;
    const unsigned char *p = h->buf;
    size_t n = h->nbuf;
    for (; n >= 8; p += 8, n -= 8)
        x = S_rotl(x ^ S_round(0, S_le64(p)), 27) * S_P1 + S_P4;
    if (n >= 4) {
        x = S_rotl(x ^ S_le32(p) * S_P1, 23) * S_P2 + S_P3;
        p += 4;
        n -= 4;
    }
    for (; n; p++, n--)
        x = S_rotl(x ^ *p * S_P5, 11) * S_P1;
    x ^= x >> 33;
    x *= S_P2;
    x ^= x >> 29;
    x *= S_P3;
    return x ^ x >> 32;
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

/* The key: run 0's hash then run 1's, each little-endian. */
static void S_out(S_u128 h, figcache_key *k)
{
    for (int s = 0; s < 2; s++) {
        uint64_t x = S_final(&h, s);
        for (int i = 0; i < 8; i++)
            k->h[8 * s + i] = (unsigned char)(x >> 8 * i);
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

/* Hash the file at `src` (regular, not a symlink) into *k, copying its
 * bytes to a new file `dst` (which must not exist) on the way when dst is
 * not NULL: one read of
 * the bytes for both, through a buffer on the stack (no allocation, no
 * fresh pages to fault in).  -1 if src is unreadable or dst unwritable. */
static int S_hash_copy(const char *src, const char *dst, figcache_key *k)
{
    unsigned char buf[64 * 1024];
    int fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out = -1, rc = -1;
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto done;
    if (dst && (out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           0644)) < 0)
        goto done;
    S_u128 h = S_basis();
    size_t total = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto done;
        if (r == 0)
            break;
        if ((total += (size_t)r) > S_MAX_FILE)
            goto done;
        S_mix(&h, buf, (size_t)r);
        for (size_t at = 0; out >= 0 && at < (size_t)r;) {
            ssize_t w = write(out, buf + at, (size_t)r - at);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                goto done;
            at += (size_t)w;
        }
    }
    S_out(h, k);
    rc = 0;
done:
    if (out >= 0 && close(out) != 0)
        rc = -1;
    close(fd);
    return rc;
}

void figcache_env(const char *png_encoder, const char *deflater, figcache_key *env)
{
    S_u128 h = S_basis();
    S_mix_str(&h, "lossbook-figcache 2");
    /* the PNG encoder (plot/pngenc.h): gnuplot's own, or the shim's file */
    S_mix_str(&h, png_encoder && png_encoder[0] ? "png: shim" : "png: gnuplot's own");
    if (png_encoder && png_encoder[0]) {
        S_mix_stat(&h, png_encoder);
        S_mix_str(&h, deflater);   /* libdeflate or zlib: other bytes */
    }
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
                    const char *data_name, const figcache_key *env, figcache_key *out,
                    lb_err *e)
{
    char *script = S_path(figdir, "", name, ".gp");
    size_t dl = strlen(datadir_rel ? datadir_rel : "../data") + 2;
    char *mid = malloc(dl);
    if (mid)
        snprintf(mid, dl, "%s/", datadir_rel ? datadir_rel : "../data");
    char *data = mid ? S_path(figdir, mid, data_name ? data_name : name, ".dat") : NULL;
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

/* The outputs a figure leaves in its folder. */
static const char *const S_EXT[] = {".svg", ".png", ".dark.png"};
#define S_NEXT (sizeof S_EXT / sizeof S_EXT[0])
#define S_REC_HEAD "lossbook-figcache 3\nkey "
#define S_REC_MAX 320

/* May `src` (a cached output) be hard-linked into the staging folder
 * instead of copied?  Only a regular file that no other name shares (so
 * the new run's file shares its inode with the old run's alone, which is
 * removed once the new run is committed), ours, with the mode a fresh
 * file gets.  *st: what was seen. */
static int S_linkable(const char *src, mode_t mode, struct stat *st)
{
    return lstat(src, st) == 0 && S_ISREG(st->st_mode) && st->st_nlink == 1 &&
           st->st_uid == geteuid() && (st->st_mode & 07777) == mode;
}

/* Reuse src as dst, its hash into *h: hard-linked when `mode` allows it
 * (S_linkable; then the staged name is hashed, so what is checked is what
 * the new run holds), else copied.  -1 (and dst removed) on failure. */
static int S_take(const char *src, const char *dst, mode_t mode, figcache_key *h)
{
    struct stat st, st2;
    /* a new name: never into an existing file (in a reused folder it may
     * be a link to src itself) */
    unlink(dst);
    if (mode && S_linkable(src, mode, &st) && linkat(AT_FDCWD, src, AT_FDCWD, dst, 0) == 0) {
        if (S_hash_copy(dst, NULL, h) == 0 && lstat(dst, &st2) == 0 && st2.st_ino == st.st_ino &&
            st2.st_dev == st.st_dev && st2.st_nlink == 2)
            return 0;
        unlink(dst);
        return -1;
    }
    if (S_hash_copy(src, dst, h) == 0)
        return 0;
    unlink(dst);
    return -1;
}

/* The record for `key` and the outputs dir/NAME.* as they are now
 * ("lossbook-figcache 3\nkey K\n.svg H\n.png H\n.dark.png H\n"); -1 if an
 * output is missing or unreadable.  With copy_dir, each output is also
 * taken into copy_dir/NAME.* (S_take; `mode` as there) and -1 means
 * nothing was left there. */
static int S_record(const char *dir, const char *copy_dir, mode_t mode, const char *name,
                    const figcache_key *key, char out[S_REC_MAX])
{
    char hex[33];
    S_hex(key, hex);
    int n = snprintf(out, S_REC_MAX, S_REC_HEAD "%s\n", hex), rc = 0;
    for (size_t i = 0; i < S_NEXT && rc == 0; i++) {
        char *p = S_path(dir, "", name, S_EXT[i]);
        char *q = copy_dir ? S_path(copy_dir, "", name, S_EXT[i]) : NULL;
        figcache_key h;
        int ok = p && (q || !copy_dir) &&
                 (q ? S_take(p, q, mode, &h) : S_hash_copy(p, NULL, &h)) == 0;
        free(p);
        free(q);
        if (!ok) {
            rc = -1;
            break;
        }
        S_hex(&h, hex);
        n += snprintf(out + n, S_REC_MAX - (size_t)n, "%s %s\n", S_EXT[i], hex);
    }
    for (size_t i = 0; rc != 0 && copy_dir && i < S_NEXT; i++) {
        char *q = S_path(copy_dir, "", name, S_EXT[i]);
        if (q)
            unlink(q);   /* a render must write new files, never into a link */
        free(q);
    }
    return rc;
}

/* Write `rec` to a new file kp (whatever had that name is unlinked
 * first: never written through a link). */
static int S_write_record(const char *kp, const char *rec)
{
    unlink(kp);
    int fd = open(kp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    size_t len = strlen(rec), at = 0;
    int rc = 0;
    while (rc == 0 && at < len) {
        ssize_t w = write(fd, rec + at, len - at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = -1;
        else
            at += (size_t)w;
    }
    if (close(fd) != 0)
        rc = -1;
    return rc;
}

/* Is kp a complete record for `key` (as figcache_reuse leaves it beside
 * the outputs it copied)?  Its hashes are not checked here: a wrong one
 * can only make the next run draw the figure again. */
static int S_have_record(const char *kp, const figcache_key *key)
{
    char want[S_REC_MAX], hex[33];
    S_hex(key, hex);
    int hl = snprintf(want, sizeof want, S_REC_HEAD "%s\n", hex);
    size_t n;
    unsigned char *rec = S_read(kp, &n);
    int ok = rec && n > (size_t)hl && !memcmp(rec, want, (size_t)hl);
    size_t at = (size_t)hl;
    for (size_t i = 0; ok && i < S_NEXT; i++) {
        size_t el = strlen(S_EXT[i]);
        ok = at + el + 34 <= n && !memcmp(rec + at, S_EXT[i], el) && rec[at + el] == ' ' &&
             rec[at + el + 33] == '\n';
        for (size_t j = at + el + 1; ok && j < at + el + 33; j++)
            ok = (rec[j] >= '0' && rec[j] <= '9') || (rec[j] >= 'a' && rec[j] <= 'f');
        at += el + 34;
    }
    ok = ok && at == n;
    free(rec);
    return ok;
}

int figcache_reuse(const char *cache_dir, const char *figdir, const char *name,
                   const figcache_key *key)
{
    if (!cache_dir)
        return 0;
    char *kp = S_path(cache_dir, ".", name, ".key");
    char *dkp = S_path(figdir, ".", name, ".key");
    unsigned char *rec = NULL;
    char want[S_REC_MAX];
    size_t n;
    int hit = 0;
    /* the key first; then each output taken into figdir (hard-linked or
     * copied, S_take) and hashed there: one read of each.  On a miss
     * nothing is left in figdir: the render makes new files. */
    char head[S_REC_MAX], hex[33];
    S_hex(key, hex);
    size_t hl = (size_t)snprintf(head, sizeof head, S_REC_HEAD "%s\n", hex);
    /* a fresh file's mode: outputs of that mode may be linked (S_take).
     * figdir is a folder this run made (0777 & ~umask): its mode carries
     * the umask. */
    struct stat fst;
    mode_t mode = stat(figdir, &fst) == 0 ? (fst.st_mode & 0644) : 0;
    if (kp && dkp && (rec = S_read(kp, &n)) && n > hl && !memcmp(rec, head, hl)) {
        if (S_record(cache_dir, figdir, mode, name, key, want) == 0 && n == strlen(want) &&
            !memcmp(rec, want, n)) {
            hit = 1;
            /* the record of the copies, so figcache_record need not hash
             * them again; if it cannot be written, figcache_record hashes */
            figcache_key h;
            if (S_take(kp, dkp, mode, &h) != 0 && S_write_record(dkp, want) != 0)
                unlink(dkp);
        } else {
            for (size_t i = 0; i < S_NEXT; i++) {
                char *q = S_path(figdir, "", name, S_EXT[i]);
                if (q)
                    unlink(q);   /* never drawn into through a link */
                free(q);
            }
        }
    }
    free(rec);
    free(kp);
    free(dkp);
    return hit;
}

int figcache_record(const char *figdir, const char *name, const figcache_key *key, lb_err *e)
{
    char *kp = S_path(figdir, ".", name, ".key");
    char rec[S_REC_MAX];
    int rc = -1;
    if (!kp) {
        err_nomem(e);
        goto out;
    }
    if (S_have_record(kp, key)) {   /* reused: figcache_reuse wrote it */
        rc = 0;
        goto out;
    }
    if (S_record(figdir, NULL, 0, name, key, rec) < 0) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot read its outputs in %s", name, figdir);
        goto out;
    }
    if (S_write_record(kp, rec) != 0) {
        err_set(e, LB_EXIT_RUNTIME, "figure '%s': cannot write %s: %s", name, kp, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(kp);
    return rc;
}
