/* randce — see randce.h. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include "compute/randce.h"

typedef struct S_rng {
    uint64_t s;
    double spare;
    int has_spare;
} S_rng;

/* splitmix64 (Steele, Lea, Flood 2014): a full-period 64-bit generator. */
static uint64_t S_next(S_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in (-1, 1) from the top 53 bits. */
static double S_unit(S_rng *r)
{
    return ((double)(S_next(r) >> 11) + 0.5) * (2.0 / 9007199254740992.0) - 1.0;
}

/* Standard normal, Marsaglia's polar method (two per accepted pair). */
static double S_normal(S_rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u, v, s;
    do {
        u = S_unit(r);
        v = S_unit(r);
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}

size_t rce_rows_for(size_t V, size_t budget)
{
    size_t r = V ? budget / V : budget;
    if (r < 8)
        r = 8;
    if (r > 4096)
        r = 4096;
    return r;
}

int rce_estimate(size_t V, double sigma, size_t rows, uint64_t seed, rce_est *out, lb_err *e)
{
    if (V < 2 || rows < 2 || !(sigma >= 0))
        return err_set(e, LB_EXIT_RUNTIME, "rce_estimate: bad arguments (V = %zu, rows = %zu)", V, rows);
    out->V = V;
    out->sigma = sigma;
    out->rows = rows;
    out->lnv = log((double)V);
    out->bound = out->lnv + sigma * sigma / 2.0;
    if (sigma == 0.0) {
        out->mean = out->lnv;
        out->se = 0.0;
        return 0;
    }
    double *z = malloc(V * sizeof *z);
    if (!z)
        return err_nomem(e);
    /* the seed mixes in V and sigma so that each estimate has its own stream */
    S_rng r = {seed ^ (uint64_t)V * 0x100000001B3ull ^ (uint64_t)llround(sigma * 1e6), 0.0, 0};
    double mean = 0.0, m2 = 0.0;   /* Welford */
    for (size_t i = 0; i < rows; i++) {
        double mx = -INFINITY, sum = 0.0;
        for (size_t j = 0; j < V; j++) {
            z[j] = sigma * S_normal(&r);
            if (z[j] > mx)
                mx = z[j];
            sum += z[j];
        }
        double s = 0.0;
        for (size_t j = 0; j < V; j++)
            s += exp(z[j] - mx);
        double loss = mx + log(s) - sum / (double)V;   /* LSE(z) - mean_y z_y */
        double d = loss - mean;
        mean += d / (double)(i + 1);
        m2 += d * (loss - mean);
    }
    free(z);
    out->mean = mean;
    out->se = sqrt(m2 / (double)(rows - 1) / (double)rows);
    return 0;
}

/* ---- several estimates on several threads -------------------------------- */

typedef struct S_pool {
    rce_job *jobs;
    size_t n;
    size_t *order;           /* jobs, largest first (the last to start are
                                the short ones: the threads finish together) */
    uint64_t seed;
    atomic_size_t next;
} S_pool;

typedef struct S_worker {
    S_pool *p;
    lb_err e;
    int failed;
} S_worker;

static void *S_work(void *arg)
{
    S_worker *w = arg;
    for (;;) {
        size_t k = atomic_fetch_add(&w->p->next, 1);
        if (k >= w->p->n)
            break;
        rce_job *j = &w->p->jobs[w->p->order[k]];
        if (rce_estimate(j->V, j->sigma, j->rows, w->p->seed, &j->out, &w->e) != 0) {
            w->failed = 1;
            break;
        }
    }
    return NULL;
}

int rce_estimate_all(rce_job *jobs, size_t n, uint64_t seed, int threads, lb_err *e)
{
    if (n == 0)
        return 0;
    size_t nt = threads > 0 ? (size_t)threads : 0;
    if (nt == 0) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        nt = ncpu > 1 ? (size_t)ncpu : 1;
    }
    if (nt > RCE_MAX_THREADS)
        nt = RCE_MAX_THREADS;
    if (nt > n)
        nt = n;
    size_t *order = malloc(n * sizeof *order);
    if (!order)
        return err_nomem(e);
    for (size_t i = 0; i < n; i++) {    /* insertion sort by work, largest first */
        size_t k = i;
        double wi = (double)jobs[i].V * (double)jobs[i].rows;
        while (k > 0 && (double)jobs[order[k - 1]].V * (double)jobs[order[k - 1]].rows < wi) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    S_pool p = { jobs, n, order, seed, 0 };
    atomic_init(&p.next, 0);
    S_worker w[RCE_MAX_THREADS];
    pthread_t tid[RCE_MAX_THREADS];
    int started[RCE_MAX_THREADS] = {0};
    for (size_t i = 0; i < nt; i++) {
        w[i].p = &p;
        w[i].failed = 0;
        err_clear(&w[i].e);
        if (i > 0 && pthread_create(&tid[i], NULL, S_work, &w[i]) == 0)
            started[i] = 1;
    }
    S_work(&w[0]);              /* this thread works too; a thread that
                                   could not start leaves its share to it */
    for (size_t i = 1; i < nt; i++)
        if (started[i])
            pthread_join(tid[i], NULL);
    free(order);
    for (size_t i = 0; i < nt; i++)
        if (w[i].failed) {
            *e = w[i].e;
            return -1;
        }
    return 0;
}
