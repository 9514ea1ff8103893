/* randce — see randce.h. */
#include <math.h>
#include <stdlib.h>
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
