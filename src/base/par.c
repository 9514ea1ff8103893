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

/* ---- parq: a worker thread with a queue ----------------------------------- */

typedef struct S_item { par_fn fn; void *ctx; size_t job; } S_item;

struct parq {
    S_item *v;
    size_t head, n, cap;     /* v[head..n) wait */
    int closing;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t tid;
};

static void *S_qworker(void *arg)
{
    parq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (q->head == q->n && !q->closing)
            pthread_cond_wait(&q->cv, &q->mu);
        if (q->head == q->n)
            break;
        S_item it = q->v[q->head++];
        pthread_mutex_unlock(&q->mu);
        it.fn(it.ctx, it.job);
        pthread_mutex_lock(&q->mu);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

parq *parq_new(void)
{
    parq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    if (pthread_create(&q->tid, NULL, S_qworker, q) != 0) {
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
        free(q);
        return NULL;
    }
    return q;
}

int parq_push(parq *q, par_fn fn, void *ctx, size_t job)
{
    if (!q)
        return -1;
    pthread_mutex_lock(&q->mu);
    int rc = 0;
    if (q->n == q->cap) {
        size_t nc = q->cap ? 2 * q->cap : 32;
        S_item *nv = realloc(q->v, nc * sizeof *nv);
        if (nv) {
            q->v = nv;
            q->cap = nc;
        } else {
            rc = -1;
        }
    }
    if (rc == 0) {
        q->v[q->n++] = (S_item){fn, ctx, job};
        pthread_cond_signal(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

void parq_free(parq *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    q->closing = 1;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->tid, NULL);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q->v);
    free(q);
}
