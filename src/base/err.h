/* err — one error record passed down every call chain.
 *
 * Only main.c exits.  Every module that can fail takes an `lb_err *` and, on
 * failure, fills it with an exit code and one complete message that names the
 * file, line:column and what was expected, e.g.
 *   "templates/handout.md:12:7: unknown table 'stpe/4' (expected one of ...)"
 * then returns a failure value.  The first error set wins: later calls to
 * err_set on an already-set record are ignored, so the innermost, most precise
 * message reaches the user.
 *
 * Ownership: the caller owns the lb_err (usually on its stack); it holds no
 * heap memory and needs no cleanup.
 */
#ifndef LB_ERR_H
#define LB_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum {
    LB_EXIT_OK = 0,
    LB_EXIT_RUNTIME = 1, /* I/O, gnuplot, libharu, out of memory */
    LB_EXIT_INPUT = 2    /* bad usage or bad input (flag, template, JSON, math) */
};

typedef struct lb_err {
    int code;        /* LB_EXIT_*; 0 while no error is set */
    char msg[1024];  /* one line, no trailing newline */
} lb_err;

/* Reset to "no error". */
void err_clear(lb_err *e);

/* Set the error unless one is already set.  `e` may be NULL (then nothing
 * happens).  Always returns -1 so callers can write `return err_set(...)`. */
int err_set(lb_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int err_vset(lb_err *e, int code, const char *fmt, va_list ap);

/* Set an error located in a file: "PATH:LINE:COL: message".  line/col are
 * 1-based; col 0 omits the column, line 0 omits both. */
int err_at(lb_err *e, int code, const char *path, int line, int col,
           const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Convenience for allocation failures. */
int err_nomem(lb_err *e);

/* Compute 1-based line and column of byte offset `off` in `buf`.
 * Columns count bytes (UTF-8 continuation bytes excluded) from the line start. */
void err_linecol(const char *buf, size_t len, size_t off, int *line, int *col);

#endif
