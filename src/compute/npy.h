/* npy — NumPy .npy files, mapped into memory, never read whole.
 *
 * Format (numpy.lib.format, versions 1.0, 2.0 and 3.0):
 *   "\x93NUMPY" major minor
 *   header length: 2 bytes little-endian (1.0) or 4 bytes (2.0, 3.0)
 *   header: a Python dict literal, ASCII (1.0, 2.0) or UTF-8 (3.0), padded
 *           with spaces and ending in '\n':
 *           {'descr': '<f4', 'fortran_order': False, 'shape': (2048, 50257), }
 *   data:   the elements in C order, directly after the header.
 * Accepted element types: '<f4' '<f8' (logits, weights), '<i4' '<i8'
 * (targets); '|' or '=' byte order is accepted for nothing else ('=' is not
 * written by NumPy).  Everything else is a clear error: big-endian ('>f4'),
 * object arrays ('|O'), structured dtypes (a list descr), other types,
 * Fortran order, a malformed or incomplete header (the three keys exactly
 * once), a shape with a zero or a negative size, data shorter or longer
 * than the shape says.
 *
 * Errors (LB_EXIT_INPUT): "FILE: what was expected" for the header and size,
 * "FILE: header:COL: ..." for a position inside the header dict, and
 * "FILE: element [i, j] (index k): ..." for a bad value (npy_elem_error).
 * A file that cannot be opened or mapped: LB_EXIT_INPUT when it does not
 * exist, else LB_EXIT_RUNTIME.
 *
 * Ownership: npy_open returns a handle the caller frees with npy_free; the
 * mapping (and so `data`) lives until then.  The file is mapped read-only
 * and private: pages are read on demand and count towards RSS only while
 * they are resident (madvise sequential).
 */
#ifndef LB_NPY_H
#define LB_NPY_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

#define NPY_MAX_DIM 8
#define NPY_MAX_HEADER 65536u

typedef enum { NPY_F32 = 0, NPY_F64, NPY_I32, NPY_I64 } npy_dtype;

typedef struct npy {
    char *path;                 /* as given (owned) */
    int major, minor;           /* format version */
    npy_dtype dtype;
    size_t itemsize;            /* 4 or 8 */
    size_t ndim;
    size_t shape[NPY_MAX_DIM];
    size_t count;               /* product of shape */
    const unsigned char *data;  /* first element (inside the mapping) */
    size_t data_offset;         /* bytes before the data in the file */
    void *map;                  /* owned mapping (NULL for an empty file) */
    size_t map_len;
} npy;

/* Open, map and validate path.  NULL on error (e set). */
npy *npy_open(const char *path, lb_err *e);

/* Same on a buffer the caller keeps alive until npy_free (tests, fuzzing):
 * nothing is mapped or copied. */
npy *npy_open_buf(const void *buf, size_t len, const char *name, lb_err *e);

void npy_free(npy *f);

/* "'<f4' (float32)" etc., for messages.  Static. */
const char *npy_dtype_name(npy_dtype t);

/* Element k as a double / as an integer (any dtype; no bounds check beyond
 * k < count, which the caller guarantees). */
double npy_get_f(const npy *f, size_t k);
int64_t npy_get_i(const npy *f, size_t k);

/* "FILE: element [i, j] (index k): <what>" (LB_EXIT_INPUT), the
 * multi-index computed from the shape.  Returns -1. */
int npy_elem_error(const npy *f, size_t k, lb_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "[2048, 50257]" */
void npy_shape_text(const npy *f, char *buf, size_t n);

#endif
