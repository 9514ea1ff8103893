/* fcheck — is an output file complete, and if not, why not?
 *
 * Programs we run (gnuplot) and libraries we call (libharu) do not always
 * say that a write failed: a full disk or a file-size limit leaves an
 * empty or cut-off file behind.  fcheck_complete recognises a complete
 * PNG (its IEND chunk), SVG (its closing </svg>) and PDF (its %%EOF); any
 * other file must merely be non-empty.  fcheck_cause names the likely
 * reason for a short write: a full file system or RLIMIT_FSIZE.
 *
 * Ownership: nothing is allocated; returned strings are static or written
 * into the caller's buffer.
 */
#ifndef LB_FCHECK_H
#define LB_FCHECK_H

#include <stddef.h>

/* 1 when `path` is a complete file of its kind (by extension), else 0 with
 * `why` (one line) saying what is wrong and, when it can tell, why:
 * "missing", "empty: No space left on device", "cut off after 1024 bytes:
 * File too large (the file-size limit, ulimit -f, is 1024 bytes)". */
int fcheck_complete(const char *path, char *why, size_t n);

/* Why a write to `path` (which may not exist) could have come out short:
 * writes `why` and returns 1 when the file system holding it is full or
 * the file reached this process's RLIMIT_FSIZE; 0 (why = "") otherwise. */
int fcheck_cause(const char *path, char *why, size_t n);

#endif
