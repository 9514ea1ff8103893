/* par — see par.h.  An atomic counter hands out the jobs; a mutex and a
 * condition variable tell par_wait when the worker's jobs are done. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "base/par.h"

struct par {
    size_t n;
    par_fn fn;
    void *ctx;
    atomic_size_t next;      /* the next job to hand out */
    unsigned char *done;     /* done[i]: job i has run (under mu) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t tid;
    int started;
};

/* Run jobs below `limit` until none is left to hand out. */
static void S_take(par *p, size_t limit)
{
    for (;;) {
        size_t i = atomic_load(&p->next);
        while (i < limit && !atomic_compare_exchange_weak(&p->next, &i, i + 1))
            ;
        if (i >= limit)
            return;
        p->fn(p->ctx, i);
        pthread_mutex_lock(&p->mu);
        p->done[i] = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

static void *S_worker(void *arg)
{
    par *p = arg;
    S_take(p, p->n);
    return NULL;
}

par *par_start(size_t n, par_fn fn, void *ctx)
{
    par *p = calloc(1, sizeof *p);
    if (!p || !(p->done = calloc(n ? n : 1, 1))) {
        free(p);
        return NULL;
    }
    p->n = n;
    p->fn = fn;
    p->ctx = ctx;
    atomic_init(&p->next, 0);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    /* one job needs no second thread */
    p->started = n > 1 && pthread_create(&p->tid, NULL, S_worker, p) == 0;
    return p;
}

void par_wait(par *p, size_t k)
{
    if (!p)
        return;
    if (k > p->n)
        k = p->n;
    S_take(p, k);
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < k; i++)
        while (!p->done[i])
            pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void par_finish(par *p)
{
    if (!p)
        return;
    par_wait(p, p->n);
    if (p->started)
        pthread_join(p->tid, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->done);
    free(p);
}

void par_run(size_t n, par_fn fn, void *ctx)
{
    par *p = par_start(n, fn, ctx);
    if (p) {
        par_finish(p);
        return;
    }
    for (size_t i = 0; i < n; i++)
        fn(ctx, i);
}
