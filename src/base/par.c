/* par — see par.h.  One atomic counter hands out the jobs. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "base/par.h"

struct par {
    size_t n;
    par_fn fn;
    void *ctx;
    atomic_size_t next;
    pthread_t tid;
    int started;
};

static void S_take(par *p)
{
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return;
        p->fn(p->ctx, i);
    }
}

static void *S_worker(void *arg)
{
    S_take(arg);
    return NULL;
}

par *par_start(size_t n, par_fn fn, void *ctx)
{
    par *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->n = n;
    p->fn = fn;
    p->ctx = ctx;
    atomic_init(&p->next, 0);
    /* one job needs no second thread */
    p->started = n > 1 && pthread_create(&p->tid, NULL, S_worker, p) == 0;
    return p;
}

void par_finish(par *p)
{
    if (!p)
        return;
    S_take(p);
    if (p->started)
        pthread_join(p->tid, NULL);
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
