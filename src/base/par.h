/* par — independent jobs 0..n-1 on the calling thread and one worker
 * thread (issue 15: the machine this runs on has two cores).
 *
 * par_start starts the worker, which takes jobs in order; par_finish takes
 * the jobs not yet begun on the calling thread too, then joins; par_wait
 * does that for the first k jobs only.  Each job
 * must touch only its own results (no locks are taken around `fn`), so the
 * outcome never depends on which thread ran which job.  Without a thread
 * (pthread_create failed) par_finish runs every job itself.
 *
 * Ownership: par_start returns a handle that par_finish frees; `ctx` is
 * borrowed until par_finish returns.  Between the two calls the caller may
 * do other work but must not touch what the jobs write.
 */
#ifndef LB_BASE_PAR_H
#define LB_BASE_PAR_H

#include <stddef.h>

typedef struct par par;
typedef void (*par_fn)(void *ctx, size_t job);

/* NULL only when out of memory (then nothing ran). */
par *par_start(size_t n, par_fn fn, void *ctx);
/* Wait for jobs 0..k-1 only (running those not begun here); the worker
 * goes on with the others.  Their results may be used after it returns. */
void par_wait(par *p, size_t k);
/* Wait for every job (running the rest here); frees p.  NULL is a no-op. */
void par_finish(par *p);
/* par_finish(par_start(...)); every job run even when out of memory (then
 * on the calling thread).  */
void par_run(size_t n, par_fn fn, void *ctx);

#endif
