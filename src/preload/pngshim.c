/* pngshim — built as lossbook-pngshim.so and loaded (LD_PRELOAD) into the
 * gnuplot processes that draw PNGs; never linked into lossbook.  See
 * README.md in this folder.
 *
 * What it changes: gnuplot's pngcairo terminal writes through
 * cairo_surface_write_to_png, which leaves libpng at its defaults: the
 * adaptive row-filter heuristic (each of the five filters is tried on every
 * row, and the row deflated with the one whose bytes sum smallest) and
 * zlib's streaming deflate at level 6.  For a plot (flat colours, long
 * runs) filter None gives a smaller file in a third less time, and
 * libdeflate (below) compresses the image data in about half zlib's time,
 * a little smaller.  Filters and deflate are lossless, so the decoded
 * pixels are the same; only the file's bytes differ.
 *
 * Filter None: png_write_info is the first call that starts compressing and
 * the last one before it where the filter choice may still change.  This
 * definition runs in its place, asks libpng for filter None on that write
 * struct, then calls libpng's own png_write_info (the next definition after
 * this object, dlsym(RTLD_NEXT)).  Every libpng, zlib and libdeflate
 * function is found at run time, so the object has no link-time dependency
 * on them: in a program without libpng it is inert, and whatever is missing
 * leaves that step as it was.  Thread-safe: no state but the table of
 * libpng's open streams (under a mutex) and libdeflate's entry points
 * (loaded once).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <png.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* libpng 1.6's prototypes (png.h), as pointers resolved at run time. */
typedef void S_write_info_fn(png_structrp png_ptr, png_const_inforp info_ptr);
typedef void S_set_filter_fn(png_structrp png_ptr, int method, int filters);

__attribute__((visibility("default"))) void png_write_info(png_structrp png_ptr,
                                                          png_const_inforp info_ptr)
{
    S_write_info_fn *real = (S_write_info_fn *)dlsym(RTLD_NEXT, "png_write_info");
    S_set_filter_fn *set_filter = (S_set_filter_fn *)dlsym(RTLD_NEXT, "png_set_filter");
    if (!real)
        return;   /* no libpng after us: nobody could have called this */
    if (set_filter && png_ptr)
        set_filter(png_ptr, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    real(png_ptr, info_ptr);
}

/* ---- the IDAT deflate: libdeflate instead of zlib's streaming deflate ----
 *
 * zlib's level 6 is now most of a PNG's CPU.  libdeflate (libdeflate0, on
 * every machine with gnuplot-nox: libtiff needs it) compresses a whole
 * buffer at once in about half the time, and a little smaller.  libpng
 * feeds its rows through deflate() with Z_NO_FLUSH and ends with Z_FINISH,
 * so for a stream that libpng itself opened (the caller of deflateInit2_
 * lies in libpng), deflate() keeps the rows and, at Z_FINISH, compresses
 * them with libdeflate into one valid zlib stream and hands it out as
 * libpng's output buffer takes it.  Every other stream, and every stream
 * when libdeflate cannot be loaded, is zlib's own (the real functions, next
 * after this object).  The real deflateInit2_ always runs, so each stream
 * also has zlib's state and deflateEnd frees it.  A flush other than
 * Z_NO_FLUSH / Z_FINISH (libpng's png_set_flush; cairo never asks) fails
 * with Z_STREAM_ERROR rather than write a wrong file. */

typedef void *S_comp_new_fn(int level);
typedef size_t S_comp_fn(void *c, const void *in, size_t n, void *out, size_t avail);
typedef size_t S_bound_fn(void *c, size_t n);
typedef void S_comp_free_fn(void *c);

static struct {
    S_comp_new_fn *comp_new;
    S_comp_fn *comp;
    S_bound_fn *bound;
    S_comp_free_fn *comp_free;
} S_ld;
static pthread_once_t S_ld_once = PTHREAD_ONCE_INIT;

static void S_ld_load(void)
{
    /* LOSSBOOK_PNGSHIM_ZLIB (set, not empty): zlib's own deflate, as on a
     * machine without libdeflate (pngenc.h; the tests use it) */
    const char *z = getenv("LOSSBOOK_PNGSHIM_ZLIB");
    if (z && z[0])
        return;
    void *h = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    S_ld.comp_new = (S_comp_new_fn *)dlsym(h, "libdeflate_alloc_compressor");
    S_ld.comp = (S_comp_fn *)dlsym(h, "libdeflate_zlib_compress");
    S_ld.bound = (S_bound_fn *)dlsym(h, "libdeflate_zlib_compress_bound");
    S_ld.comp_free = (S_comp_free_fn *)dlsym(h, "libdeflate_free_compressor");
    if (!S_ld.comp_new || !S_ld.comp || !S_ld.bound || !S_ld.comp_free)
        S_ld.comp_new = NULL;   /* all or nothing */
}

/* One stream libpng opened: the rows so far, then the compressed stream. */
typedef struct S_idat {
    z_streamp strm;
    int level;
    unsigned char *in, *out;
    size_t n, cap, on, opos;
    int done;
    struct S_idat *next;
} S_idat;
static S_idat *S_idats;
static pthread_mutex_t S_mu = PTHREAD_MUTEX_INITIALIZER;
/* The rows buffer of the last image, kept for the next one: gnuplot writes
 * images of one size, and a fresh buffer costs a page fault per 4 KB. */
static unsigned char *S_spare;
static size_t S_spare_cap;

/* Give d's rows buffer back (under S_mu). */
static void S_keep_spare(S_idat *d)
{
    if (d->in && d->cap > S_spare_cap) {
        free(S_spare);
        S_spare = d->in;
        S_spare_cap = d->cap;
    } else
        free(d->in);
    d->in = NULL;
    d->n = d->cap = 0;
}

static S_idat *S_find(z_streamp strm)
{
    pthread_mutex_lock(&S_mu);
    S_idat *d = S_idats;
    while (d && d->strm != strm)
        d = d->next;
    pthread_mutex_unlock(&S_mu);
    return d;
}

static void S_drop(z_streamp strm)
{
    pthread_mutex_lock(&S_mu);
    for (S_idat **pp = &S_idats; *pp; pp = &(*pp)->next)
        if ((*pp)->strm == strm) {
            S_idat *d = *pp;
            *pp = d->next;
            S_keep_spare(d);
            free(d->out);
            free(d);
            break;
        }
    pthread_mutex_unlock(&S_mu);
}

/* Is `addr` (a return address) inside libpng? */
static int S_from_libpng(const void *addr)
{
    Dl_info di;
    return dladdr(addr, &di) && di.dli_fname && strstr(di.dli_fname, "libpng");
}

typedef int S_init2_fn(z_streamp, int, int, int, int, int, const char *, int);
typedef int S_deflate_fn(z_streamp, int);
typedef int S_end_fn(z_streamp);

__attribute__((visibility("default"))) int deflateInit2_(z_streamp strm, int level, int method,
                                                         int window_bits, int mem_level,
                                                         int strategy, const char *version,
                                                         int stream_size)
{
    S_init2_fn *real = (S_init2_fn *)dlsym(RTLD_NEXT, "deflateInit2_");
    if (!real)
        return Z_VERSION_ERROR;
    int rc = real(strm, level, method, window_bits, mem_level, strategy, version, stream_size);
    if (rc != Z_OK || method != Z_DEFLATED || window_bits < 8 || window_bits > 15 ||
        !S_from_libpng(__builtin_return_address(0)))
        return rc;
    pthread_once(&S_ld_once, S_ld_load);
    S_idat *d = S_ld.comp_new ? calloc(1, sizeof *d) : NULL;
    if (!d)
        return rc;   /* zlib's own */
    S_drop(strm);    /* a stale entry at the same address */
    d->strm = strm;
    d->level = level == Z_DEFAULT_COMPRESSION ? 6 : level < 1 ? 1 : level;
    pthread_mutex_lock(&S_mu);
    d->next = S_idats;
    S_idats = d;
    pthread_mutex_unlock(&S_mu);
    return rc;
}

__attribute__((visibility("default"))) int deflateReset(z_streamp strm)
{
    S_end_fn *real = (S_end_fn *)dlsym(RTLD_NEXT, "deflateReset");
    S_idat *d = S_find(strm);
    if (d) {
        free(d->out);
        d->out = NULL;
        d->n = d->on = d->opos = 0;
        d->done = 0;
    }
    return real ? real(strm) : Z_STREAM_ERROR;
}

__attribute__((visibility("default"))) int deflateEnd(z_streamp strm)
{
    S_end_fn *real = (S_end_fn *)dlsym(RTLD_NEXT, "deflateEnd");
    S_drop(strm);
    return real ? real(strm) : Z_STREAM_ERROR;
}

__attribute__((visibility("default"))) int deflate(z_streamp strm, int flush)
{
    S_idat *d = strm ? S_find(strm) : NULL;
    if (!d) {
        S_deflate_fn *real = (S_deflate_fn *)dlsym(RTLD_NEXT, "deflate");
        return real ? real(strm, flush) : Z_STREAM_ERROR;
    }
    if ((flush != Z_NO_FLUSH && flush != Z_FINISH) || (d->done && strm->avail_in))
        return Z_STREAM_ERROR;
    if (strm->avail_in) {
        if (!d->in) {
            pthread_mutex_lock(&S_mu);
            d->in = S_spare;
            d->cap = S_spare_cap;
            S_spare = NULL;
            S_spare_cap = 0;
            pthread_mutex_unlock(&S_mu);
        }
        if (d->cap - d->n < strm->avail_in) {
            size_t cap = d->cap ? d->cap : (size_t)8 << 20;   /* a 1600x1000 RGBA image: 6.4 MB */
            while (cap - d->n < strm->avail_in)
                cap *= 2;
            unsigned char *b = realloc(d->in, cap);
            if (!b)
                return Z_MEM_ERROR;
            d->in = b;
            d->cap = cap;
        }
        memcpy(d->in + d->n, strm->next_in, strm->avail_in);
        d->n += strm->avail_in;
        strm->total_in += strm->avail_in;
        strm->next_in += strm->avail_in;
        strm->avail_in = 0;
    }
    if (flush == Z_NO_FLUSH)
        return Z_OK;
    if (!d->done) {
        void *c = S_ld.comp_new(d->level);
        size_t bound = c ? S_ld.bound(c, d->n) : 0;
        d->out = c ? malloc(bound) : NULL;
        d->on = d->out ? S_ld.comp(c, d->in, d->n, d->out, bound) : 0;
        if (c)
            S_ld.comp_free(c);
        if (!d->on)
            return Z_MEM_ERROR;
        pthread_mutex_lock(&S_mu);
        S_keep_spare(d);
        pthread_mutex_unlock(&S_mu);
        d->done = 1;
    }
    size_t k = d->on - d->opos;
    if (k > strm->avail_out)
        k = strm->avail_out;
    memcpy(strm->next_out, d->out + d->opos, k);
    d->opos += k;
    strm->next_out += k;
    strm->avail_out -= (uInt)k;
    strm->total_out += k;
    return d->opos == d->on ? Z_STREAM_END : Z_OK;
}
