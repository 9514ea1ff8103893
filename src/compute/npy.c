/* npy — see npy.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/fileio.h"
#include "compute/npy.h"

static const char S_magic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

const char *npy_dtype_name(npy_dtype t)
{
    switch (t) {
    case NPY_F32: return "'<f4' (float32)";
    case NPY_F64: return "'<f8' (float64)";
    case NPY_I32: return "'<i4' (int32)";
    case NPY_I64: return "'<i8' (int64)";
    }
    return "?";
}

void npy_free(npy *f)
{
    if (!f)
        return;
    if (f->map)
        munmap(f->map, f->map_len);
    free(f->path);
    free(f);
}

/* ---- header dict ------------------------------------------------------------ */

typedef struct S_hp {
    const char *s;        /* header text */
    size_t len, pos;
    size_t base;          /* file offset of s[0], for messages */
    const char *name;
    lb_err *e;
} S_hp;

static int S_hfail(S_hp *H, const char *what)
{
    return err_set(H->e, LB_EXIT_INPUT, "%s: header byte %zu: %s", H->name, H->base + H->pos, what);
}

static void S_hws(S_hp *H)
{
    while (H->pos < H->len && (H->s[H->pos] == ' ' || H->s[H->pos] == '\t' ||
                               H->s[H->pos] == '\n' || H->s[H->pos] == '\r'))
        H->pos++;
}

/* A quoted Python string without escapes (enough for keys and descr). */
static int S_hstr(S_hp *H, char *out, size_t n)
{
    S_hws(H);
    if (H->pos >= H->len || (H->s[H->pos] != '\'' && H->s[H->pos] != '"'))
        return S_hfail(H, "expected a quoted string");
    char q = H->s[H->pos++];
    size_t b = H->pos;
    while (H->pos < H->len && H->s[H->pos] != q && H->s[H->pos] != '\\' && H->s[H->pos] != '\n')
        H->pos++;
    if (H->pos >= H->len || H->s[H->pos] != q)
        return S_hfail(H, "unterminated or escaped string");
    size_t l = H->pos - b;
    H->pos++;
    if (l >= n)
        return S_hfail(H, "string too long");
    memcpy(out, H->s + b, l);
    out[l] = '\0';
    return 0;
}

static int S_hshape(S_hp *H, npy *f)
{
    S_hws(H);
    if (H->pos >= H->len || H->s[H->pos] != '(')
        return S_hfail(H, "'shape' must be a tuple of sizes, e.g. (2048, 50257)");
    H->pos++;
    f->ndim = 0;
    for (;;) {
        S_hws(H);
        if (H->pos < H->len && H->s[H->pos] == ')') {
            H->pos++;
            break;
        }
        if (H->pos < H->len && H->s[H->pos] == '-')
            return S_hfail(H, "negative size in 'shape'");
        if (H->pos >= H->len || H->s[H->pos] < '0' || H->s[H->pos] > '9')
            return S_hfail(H, "expected a size (a non-negative integer) or ')' in 'shape'");
        size_t v = 0;
        while (H->pos < H->len && H->s[H->pos] >= '0' && H->s[H->pos] <= '9') {
            if (v > ((size_t)1 << 48))
                return S_hfail(H, "size in 'shape' too large");
            v = v * 10 + (size_t)(H->s[H->pos++] - '0');
        }
        if (H->pos < H->len && H->s[H->pos] == 'L')   /* Python 2 NumPy wrote 50257L */
            H->pos++;
        if (f->ndim == NPY_MAX_DIM)
            return S_hfail(H, "too many dimensions in 'shape'");
        f->shape[f->ndim++] = v;
        S_hws(H);
        if (H->pos < H->len && H->s[H->pos] == ',') {
            H->pos++;
            continue;
        }
        if (H->pos < H->len && H->s[H->pos] == ')') {
            H->pos++;
            break;
        }
        return S_hfail(H, "expected ',' or ')' in 'shape'");
    }
    return 0;
}

static int S_hdescr(S_hp *H, npy *f)
{
    S_hws(H);
    if (H->pos < H->len && H->s[H->pos] == '[')
        return S_hfail(H, "structured dtype (a list 'descr'): expected a plain numeric array such as '<f4'");
    char d[64];
    if (S_hstr(H, d, sizeof d) != 0)
        return -1;
    static const struct { const char *d; npy_dtype t; } ok[] = {
        {"<f4", NPY_F32}, {"<f8", NPY_F64}, {"<i4", NPY_I32}, {"<i8", NPY_I64}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(d, ok[i].d)) {
            f->dtype = ok[i].t;
            f->itemsize = ok[i].t == NPY_F32 || ok[i].t == NPY_I32 ? 4 : 8;
            return 0;
        }
    char msg[256];
    if (d[0] == '>' && strlen(d) == 3)
        snprintf(msg, sizeof msg, "big-endian data ('%s') is not supported: save "
                 "arr.astype('<%s') instead", d, d + 1);
    else if (d[0] && (d[1] == 'O' || !strcmp(d, "O")))
        snprintf(msg, sizeof msg, "object array ('%s'): expected numbers, e.g. "
                 "np.asarray(x, dtype=np.float32)", d);
    else
        snprintf(msg, sizeof msg, "element type '%s' is not supported (expected '<f4' or "
                 "'<f8' for logits and weights, '<i4' or '<i8' for targets)", d);
    return S_hfail(H, msg);
}

static int S_header(S_hp *H, npy *f)
{
    int seen_descr = 0, seen_fo = 0, seen_shape = 0;
    S_hws(H);
    if (H->pos >= H->len || H->s[H->pos] != '{')
        return S_hfail(H, "expected '{' (the header is a Python dict)");
    H->pos++;
    for (;;) {
        S_hws(H);
        if (H->pos < H->len && H->s[H->pos] == '}') {
            H->pos++;
            break;
        }
        char key[32];
        size_t kpos = H->pos;
        if (S_hstr(H, key, sizeof key) != 0)
            return -1;
        S_hws(H);
        if (H->pos >= H->len || H->s[H->pos] != ':')
            return S_hfail(H, "expected ':' after the key");
        H->pos++;
        int *seen;
        if (!strcmp(key, "descr")) {
            seen = &seen_descr;
            if (*seen)
                goto dup;
            if (S_hdescr(H, f) != 0)
                return -1;
        } else if (!strcmp(key, "fortran_order")) {
            seen = &seen_fo;
            if (*seen)
                goto dup;
            S_hws(H);
            if (H->len - H->pos >= 4 && !memcmp(H->s + H->pos, "True", 4))
                return S_hfail(H, "Fortran-order array ('fortran_order': True): save "
                                  "np.ascontiguousarray(arr) instead");
            if (!(H->len - H->pos >= 5 && !memcmp(H->s + H->pos, "False", 5)))
                return S_hfail(H, "'fortran_order' must be False or True");
            H->pos += 5;
        } else if (!strcmp(key, "shape")) {
            seen = &seen_shape;
            if (*seen)
                goto dup;
            if (S_hshape(H, f) != 0)
                return -1;
        } else {
            H->pos = kpos;
            char msg[96];
            snprintf(msg, sizeof msg, "unknown key '%.32s' (expected 'descr', 'fortran_order', 'shape')", key);
            return S_hfail(H, msg);
        }
        *seen = 1;
        S_hws(H);
        if (H->pos < H->len && H->s[H->pos] == ',') {
            H->pos++;
            continue;
        }
        if (H->pos < H->len && H->s[H->pos] == '}') {
            H->pos++;
            break;
        }
        return S_hfail(H, "expected ',' or '}' in the header dict");
    dup:
        H->pos = kpos;
        return S_hfail(H, "duplicate key in the header dict");
    }
    S_hws(H);
    if (H->pos < H->len)
        return S_hfail(H, "unexpected text after the header dict");
    if (!seen_descr || !seen_fo || !seen_shape)
        return err_set(H->e, LB_EXIT_INPUT, "%s: header lacks %s (expected the keys 'descr', "
                       "'fortran_order' and 'shape')", H->name,
                       !seen_descr ? "'descr'" : !seen_fo ? "'fortran_order'" : "'shape'");
    return 0;
}

/* ---- file ------------------------------------------------------------------------ */

static npy *S_parse(npy *f, const unsigned char *b, size_t len, lb_err *e)
{
    const char *name = f->path;
    if (len < 10 || memcmp(b, S_magic, 6) != 0) {
        err_set(e, LB_EXIT_INPUT, "%s: not a NumPy .npy file (expected the magic string "
                "\\x93NUMPY at the start%s)", name, len < 10 ? "; the file is too short" : "");
        return NULL;
    }
    f->major = b[6];
    f->minor = b[7];
    if (f->major < 1 || f->major > 3 || f->minor != 0) {
        err_set(e, LB_EXIT_INPUT, "%s: .npy format version %d.%d is not supported (expected "
                "1.0, 2.0 or 3.0)", name, f->major, f->minor);
        return NULL;
    }
    size_t hl, hstart;
    if (f->major == 1) {
        hl = (size_t)b[8] | (size_t)b[9] << 8;
        hstart = 10;
    } else {
        if (len < 12) {
            err_set(e, LB_EXIT_INPUT, "%s: truncated header (the file ends inside the header length)", name);
            return NULL;
        }
        hl = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
        hstart = 12;
    }
    if (hl > NPY_MAX_HEADER) {
        err_set(e, LB_EXIT_INPUT, "%s: header length %zu is implausible (at most %u)", name, hl,
                NPY_MAX_HEADER);
        return NULL;
    }
    if (len - hstart < hl) {
        err_set(e, LB_EXIT_INPUT, "%s: truncated header (expected %zu header bytes, the file "
                "has %zu)", name, hl, len - hstart);
        return NULL;
    }
    const char *h = (const char *)b + hstart;
    for (size_t i = 0; i < hl; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c == 0 || (c >= 0x80 && f->major < 3)) {
            err_set(e, LB_EXIT_INPUT, "%s: header byte %zu: byte 0x%02X (expected %s text)", name,
                    hstart + i, c, f->major < 3 ? "ASCII" : "UTF-8");
            return NULL;
        }
    }
    S_hp H = {h, hl, 0, hstart, name, e};
    if (S_header(&H, f) != 0)
        return NULL;
    f->count = 1;
    for (size_t i = 0; i < f->ndim; i++) {
        if (f->shape[i] == 0) {
            char sh[128];
            npy_shape_text(f, sh, sizeof sh);
            err_set(e, LB_EXIT_INPUT, "%s: shape %s holds no elements (expected every size >= 1)",
                    name, sh);
            return NULL;
        }
        if (f->count > ((size_t)1 << 50) / f->shape[i]) {
            err_set(e, LB_EXIT_INPUT, "%s: shape too large", name);
            return NULL;
        }
        f->count *= f->shape[i];
    }
    f->data_offset = hstart + hl;
    size_t want = f->count * f->itemsize, have = len - f->data_offset;
    if (have < want) {
        size_t k = have / f->itemsize;
        char sh[128];
        npy_shape_text(f, sh, sizeof sh);
        npy_elem_error(f, k, e, "truncated data: shape %s needs %zu bytes of %s, the file has %zu "
                       "(it ends inside this element)", sh, want, npy_dtype_name(f->dtype), have);
        return NULL;
    }
    if (have > want) {
        char sh[128];
        npy_shape_text(f, sh, sizeof sh);
        err_set(e, LB_EXIT_INPUT, "%s: %zu bytes after the data (shape %s of %s needs exactly %zu)",
                name, have - want, sh, npy_dtype_name(f->dtype), want);
        return NULL;
    }
    f->data = b + f->data_offset;
    return f;
}

npy *npy_open_buf(const void *buf, size_t len, const char *name, lb_err *e)
{
    npy *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(name ? name : "(npy)"))) {
        free(f);
        err_nomem(e);
        return NULL;
    }
    if (!S_parse(f, buf, len, e)) {
        npy_free(f);
        return NULL;
    }
    return f;
}

npy *npy_open(const char *path, lb_err *e)
{
    npy *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path))) {
        free(f);
        err_nomem(e);
        return NULL;
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer before we can
     * see that it is not a regular file (base/fileio does the same); the
     * flag does not matter for mmap. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        /* a bad path is the user's; no memory or descriptors is ours */
        int code = errno == ENOMEM || errno == EMFILE || errno == ENFILE ? LB_EXIT_RUNTIME
                                                                          : LB_EXIT_INPUT;
        err_set(e, code, "%s: cannot open: %s", path, strerror(errno));
        npy_free(f);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        err_set(e, LB_EXIT_INPUT, "%s: not a regular file (%s; expected a .npy file)", path,
                fio_kind_name(st.st_mode));
        close(fd);
        npy_free(f);
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    if (len > 0) {
        void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            err_set(e, LB_EXIT_RUNTIME, "%s: cannot map: %s", path, strerror(errno));
            close(fd);
            npy_free(f);
            return NULL;
        }
        f->map = m;
        f->map_len = len;
        /* One front-to-back pass per use: let the kernel read ahead and drop
         * pages behind us. */
        madvise(m, len, MADV_SEQUENTIAL);
    }
    close(fd);
    if (!S_parse(f, f->map, len, e)) {
        npy_free(f);
        return NULL;
    }
    return f;
}

double npy_get_f(const npy *f, size_t k)
{
    const unsigned char *p = f->data + k * f->itemsize;
    switch (f->dtype) {
    case NPY_F32: { float x; memcpy(&x, p, 4); return x; }
    case NPY_F64: { double x; memcpy(&x, p, 8); return x; }
    case NPY_I32: { int32_t x; memcpy(&x, p, 4); return x; }
    default: { int64_t x; memcpy(&x, p, 8); return (double)x; }
    }
}

int64_t npy_get_i(const npy *f, size_t k)
{
    const unsigned char *p = f->data + k * f->itemsize;
    switch (f->dtype) {
    case NPY_I32: { int32_t x; memcpy(&x, p, 4); return x; }
    case NPY_I64: { int64_t x; memcpy(&x, p, 8); return x; }
    case NPY_F32: { float x; memcpy(&x, p, 4); return (int64_t)x; }
    default: { double x; memcpy(&x, p, 8); return (int64_t)x; }
    }
}

void npy_shape_text(const npy *f, char *buf, size_t n)
{
    size_t u = 0;
    if (!n)
        return;
    buf[0] = '\0';
    u += (size_t)snprintf(buf, n, "[");
    for (size_t i = 0; i < f->ndim && u < n; i++)
        u += (size_t)snprintf(buf + u, n - u, "%s%zu", i ? ", " : "", f->shape[i]);
    if (u < n)
        snprintf(buf + u, n - u, "]");
}

int npy_elem_error(const npy *f, size_t k, lb_err *e, const char *fmt, ...)
{
    char what[700], idx[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* multi-index of flat index k in C order */
    size_t sub[NPY_MAX_DIM], r = k;
    for (size_t i = f->ndim; i-- > 0;) {
        sub[i] = f->shape[i] ? r % f->shape[i] : 0;
        r = f->shape[i] ? r / f->shape[i] : 0;
    }
    size_t u = (size_t)snprintf(idx, sizeof idx, "[");
    for (size_t i = 0; i < f->ndim && u < sizeof idx; i++)
        u += (size_t)snprintf(idx + u, sizeof idx - u, "%s%zu", i ? ", " : "", sub[i]);
    if (u < sizeof idx)
        snprintf(idx + u, sizeof idx - u, "]");
    return err_set(e, LB_EXIT_INPUT, "%s: element %s (index %zu): %s", f->path, idx, k, what);
}
