/* failmalloc — LD_PRELOAD shim for tests/test_oom.c: the N-th allocation of
 * the process (malloc, calloc, or realloc to a non-zero size) fails with
 * ENOMEM, N = $LB_FAIL_AT (unset or 0: none fails).  With $LB_FAIL_COUNT set,
 * the number of allocations is printed on stderr at exit.
 *
 * Built by the test at run time:  cc -shared -fPIC -o failmalloc.so failmalloc.c
 * The environment is inherited, so gnuplot (a child) fails at its N-th
 * allocation too: that path must end in a clean error as well. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static long S_n, S_at = -1;

static int S_fail(void)
{
    if (S_at < 0) {
        const char *s = getenv("LB_FAIL_AT");
        S_at = s ? atol(s) : 0;
    }
    ++S_n;
    return S_at > 0 && S_n == S_at;
}

void *malloc(size_t n)
{
    if (S_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    if (S_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    if (n && S_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}

__attribute__((destructor)) static void S_report(void)
{
    if (getenv("LB_FAIL_COUNT"))
        fprintf(stderr, "allocations: %ld\n", S_n);
}
