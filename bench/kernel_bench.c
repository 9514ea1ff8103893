/* kernel_bench — time lossbook's streaming cross-entropy kernel
 * (src/compute/kernel.h) and this machine's streaming read bandwidth on the
 * same array, with the same threads.
 *
 *   kernel_bench npy LOGITS.npy TARGETS.npy REPS [THREADS]
 *       the array numpy timed too (bench/kernel_np.py wrote it); prints
 *       "kernel DTYPE N V MEDIAN_MS GBPS MEAN MAXREL" and
 *       "stream MEDIAN_MS GBPS": GB/s = bytes of logits / time; MAXREL =
 *       largest relative difference of 64 rows' losses from a long double
 *       two-pass reference.
 *   kernel_bench scale N V REPS
 *       float32 logits made in memory (uniform in [-4, 4), seeded); prints
 *       "scale N V MEDIAN_MS GBPS PEAK_MIB" (peak RSS of this process).
 *
 * The .npy reader here is the bench's own minimal one (version 1-3,
 * little-endian '<f8' / '<f4' / '<i8', C order); lossbook's real reader
 * belongs to the program.  Files are mapped, not read. */
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compute/kernel.h"

static double S_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int S_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double S_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, S_cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

typedef struct S_npy {
    const unsigned char *map;
    size_t map_len;
    const void *data;
    char descr[8];
    size_t shape[3];
    int ndim;
} S_npy;

static void S_die(const char *what, const char *path)
{
    fprintf(stderr, "kernel_bench: %s: %s\n", path, what);
    exit(1);
}

static void S_npy_open(const char *path, S_npy *a)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        S_die("cannot open", path);
    a->map_len = (size_t)st.st_size;
    a->map = mmap(NULL, a->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (a->map == MAP_FAILED || a->map_len < 12 || memcmp(a->map, "\x93NUMPY", 6) != 0)
        S_die("not a .npy file", path);
    size_t hl, off;
    if (a->map[6] == 1) {
        hl = a->map[8] | (size_t)a->map[9] << 8;
        off = 10;
    } else {
        hl = a->map[8] | (size_t)a->map[9] << 8 | (size_t)a->map[10] << 16 | (size_t)a->map[11] << 24;
        off = 12;
    }
    if (off + hl > a->map_len)
        S_die("truncated header", path);
    char *h = strndup((const char *)a->map + off, hl);
    const char *d = strstr(h, "'descr': '"), *s = strstr(h, "'shape': (");
    if (!d || !s || !strstr(h, "'fortran_order': False"))
        S_die("need descr, shape, C order", path);
    snprintf(a->descr, sizeof a->descr, "%.3s", d + 10);
    a->ndim = 0;
    for (const char *p = s + 10; *p && *p != ')' && a->ndim < 3;) {
        a->shape[a->ndim++] = strtoull(p, (char **)&p, 10);
        while (*p == ',' || *p == ' ')
            p++;
    }
    free(h);
    a->data = a->map + off + hl;
    (void)madvise((void *)a->map, a->map_len, MADV_SEQUENTIAL);
}

/* ---- streaming read bandwidth: the same bytes, the same threads -------- */

typedef struct S_rd {
    const double *p;
    size_t n;
    double sum;
} S_rd;

static void *S_read(void *arg)
{
    S_rd *r = arg;
    double a[8] = {0};
    size_t i = 0;
    for (; i + 8 <= r->n; i += 8)
        for (int k = 0; k < 8; k++)
            a[k] += r->p[i + k];
    for (; i < r->n; i++)
        a[0] += r->p[i];
    r->sum = a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7];
    return NULL;
}

static double S_stream(const void *base, size_t bytes, int threads)
{
    pthread_t t[64];
    S_rd r[64];
    size_t n = bytes / sizeof(double), per = (n + (size_t)threads - 1) / (size_t)threads;
    double t0 = S_now();
    for (int k = 0; k < threads; k++) {
        size_t lo = (size_t)k * per, hi = lo + per < n ? lo + per : n;
        r[k].p = (const double *)base + lo;
        r[k].n = hi > lo ? hi - lo : 0;
        pthread_create(&t[k], NULL, S_read, &r[k]);
    }
    double s = 0;
    for (int k = 0; k < threads; k++) {
        pthread_join(t[k], NULL);
        s += r[k].sum;
    }
    double dt = S_now() - t0;
    if (s == 1234.5)   /* keep the sum alive */
        puts("");
    return dt;
}

static double S_ref_loss(const void *z, int f32, size_t v, int64_t y)
{
    long double m = -INFINITY, s = 0;
    for (size_t j = 0; j < v; j++) {
        long double x = f32 ? ((const float *)z)[j] : ((const double *)z)[j];
        if (x > m)
            m = x;
    }
    for (size_t j = 0; j < v; j++)
        s += expl((f32 ? ((const float *)z)[j] : ((const double *)z)[j]) - m);
    long double zy = f32 ? ((const float *)z)[y] : ((const double *)z)[y];
    return (double)(m + logl(s) - zy);
}

static int S_npy_main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: kernel_bench npy LOGITS.npy TARGETS.npy REPS [THREADS]\n");
        return 2;
    }
    S_npy lg, tg;
    S_npy_open(argv[2], &lg);
    S_npy_open(argv[3], &tg);
    int reps = atoi(argv[4]), threads = argc > 5 ? atoi(argv[5]) : 0;
    int f32 = !strcmp(lg.descr, "<f4");
    if ((!f32 && strcmp(lg.descr, "<f8")) || lg.ndim != 2 || strcmp(tg.descr, "<i8") ||
        tg.shape[0] != lg.shape[0])
        S_die("need [N, V] <f8|<f4 logits and [N] <i8 targets", argv[2]);
    size_t n = lg.shape[0], v = lg.shape[1], bytes = n * v * (f32 ? 4 : 8);
    ker_row *out = malloc(n * sizeof *out);
    double *t = malloc((size_t)(reps > 0 ? reps : 1) * sizeof *t);
    ker_opts o = ker_opts_default();
    o.threads = threads;
    lb_err e;
    err_clear(&e);
    if (ker_rows(lg.data, f32 ? KER_F32 : KER_F64, n, v, tg.data, &o, out, &e) != 0) {
        fprintf(stderr, "kernel_bench: %s\n", e.msg);   /* warm-up: pages mapped in */
        return 1;
    }
    for (int r = 0; r < reps; r++) {
        double t0 = S_now();
        ker_rows(lg.data, f32 ? KER_F32 : KER_F64, n, v, tg.data, &o, out, &e);
        t[r] = S_now() - t0;
    }
    double med = S_median(t, reps), ls, ws;
    ker_total(out, n, &ls, &ws);
    double maxrel = 0;
    for (size_t i = 0; i < n; i += n > 64 ? n / 64 : 1) {
        const void *row = (const unsigned char *)lg.data + i * v * (f32 ? 4 : 8);
        double ref = S_ref_loss(row, f32, v, ((const int64_t *)tg.data)[i]);
        double rel = fabs(out[i].loss - ref) / fabs(ref);
        if (rel > maxrel)
            maxrel = rel;
    }
    printf("kernel %s %zu %zu %.2f %.2f %.17g %.3g\n", f32 ? "float32" : "float64", n, v,
           med * 1e3, (double)bytes / med / 1e9, ls / ws, maxrel);
    int nt = ker_threads(threads);
    for (int r = 0; r < reps; r++)
        t[r] = S_stream(lg.data, bytes, nt > 64 ? 64 : nt);
    med = S_median(t, reps);
    printf("stream %.2f %.2f\n", med * 1e3, (double)bytes / med / 1e9);
    free(out);
    free(t);
    return 0;
}

static int S_scale_main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: kernel_bench scale N V REPS\n");
        return 2;
    }
    size_t n = strtoull(argv[2], NULL, 10), v = strtoull(argv[3], NULL, 10);
    int reps = atoi(argv[4]);
    float *z = malloc(n * v * sizeof *z);
    int64_t *y = malloc(n * sizeof *y);
    ker_row *out = malloc(n * sizeof *out);
    double *t = malloc((size_t)(reps > 0 ? reps : 1) * sizeof *t);
    if (!z || !y || !out || !t) {
        fprintf(stderr, "kernel_bench: out of memory for %zu x %zu\n", n, v);
        return 1;
    }
    uint64_t s = 88172645463325252ull;
    for (size_t i = 0; i < n * v; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        z[i] = (float)((double)(s >> 11) / 9007199254740992.0 * 8.0 - 4.0);
    }
    for (size_t i = 0; i < n; i++)
        y[i] = (int64_t)(i * 7919 % v);
    lb_err e;
    err_clear(&e);
    for (int r = 0; r < reps; r++) {
        double t0 = S_now();
        if (ker_rows(z, KER_F32, n, v, y, NULL, out, &e) != 0) {
            fprintf(stderr, "kernel_bench: %s\n", e.msg);
            return 1;
        }
        t[r] = S_now() - t0;
    }
    double med = S_median(t, reps);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("scale %zu %zu %.3f %.2f %.1f\n", n, v, med * 1e3,
           (double)(n * v * sizeof *z) / med / 1e9, (double)ru.ru_maxrss / 1024.0);
    free(z);
    free(y);
    free(out);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "npy"))
        return S_npy_main(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "scale"))
        return S_scale_main(argc, argv);
    fprintf(stderr, "usage: kernel_bench npy|scale ...\n");
    return 2;
}
