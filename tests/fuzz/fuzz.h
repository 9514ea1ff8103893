/* fuzz — shared by the libFuzzer targets tests/fuzz/fuzz_*.c and by the
 * regression test tests/test_fuzz_regress.c.
 *
 * Each fuzz_NAME.c defines
 *     int fz_NAME_init(void);                          once, before any input
 *     int fz_NAME_one(const uint8_t *data, size_t n);  one input
 * and ends with FZ_TARGET(NAME), which expands to libFuzzer's entry points.
 * test_fuzz_regress.c defines FZ_NO_MAIN and #includes the fuzz_*.c files,
 * so CI replays every saved finding through exactly the code that found it,
 * with gcc and without clang.
 *
 * Besides "no crash, no sanitizer report", each entry checks the error
 * contract of err.h: a failure carries exit code 1 or 2 and exactly one
 * non-empty line of message.  A violation aborts (a finding): these files are
 * test code, where abort() is the way to report.
 */
#ifndef LB_FUZZ_H
#define LB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"

/* Abort with a message when an invariant of the module contract fails. */
#define FZ_CHECK(cond, what)                                                          \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: contract violated: %s\n", __FILE__, __LINE__, what); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* A failed call must have left one well-formed error behind. */
static inline void fz_check_err(const lb_err *e)
{
    FZ_CHECK(e->code == LB_EXIT_INPUT || e->code == LB_EXIT_RUNTIME,
             "failure without exit code 1 or 2");
    FZ_CHECK(e->msg[0] != '\0', "failure without a message");
    FZ_CHECK(strchr(e->msg, '\n') == NULL, "error message spans several lines");
}

/* NUL-terminated heap copy of a fuzz input (inputs are not terminated). */
static inline char *fz_strndup(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    if (n)
        memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

#ifdef FZ_NO_MAIN
#define FZ_TARGET(name)
#else
#define FZ_TARGET(name)                                                               \
    int LLVMFuzzerInitialize(int *argc, char ***argv);                                \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                     \
    int LLVMFuzzerInitialize(int *argc, char ***argv)                                 \
    {                                                                                 \
        (void)argc;                                                                   \
        (void)argv;                                                                   \
        if (fz_##name##_init() != 0) {                                                \
            fprintf(stderr, "fuzz_" #name ": initialisation failed\n");               \
            exit(1);                                                                  \
        }                                                                             \
        return 0;                                                                     \
    }                                                                                 \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                      \
    {                                                                                 \
        fz_##name##_one(data, size);                                                  \
        return 0;                                                                     \
    }
#endif

#endif
