/* pngshim — built as lossbook-pngshim.so and loaded (LD_PRELOAD) into the
 * gnuplot processes that draw PNGs; never linked into lossbook.  See
 * README.md in this folder.
 *
 * What it changes: gnuplot's pngcairo terminal writes through
 * cairo_surface_write_to_png, which leaves libpng at its defaults: the
 * adaptive row-filter heuristic (each of the five filters is tried on every
 * row, and the row deflated with the one whose bytes sum smallest) and zlib
 * level 6.  For a plot (flat colours, long runs) filter None gives a smaller
 * file in a third less time.  Filters are lossless, so the decoded pixels
 * are the same; only the file's bytes differ.
 *
 * How: png_write_info is the first call that starts compressing and the
 * last one before it where the filter choice may still change.  This
 * definition runs in its place, asks libpng for filter None on that write
 * struct, then calls libpng's own png_write_info (the next definition after
 * this object, dlsym(RTLD_NEXT)).  Every libpng function is found through
 * dlsym, so the object has no link-time dependency on libpng: in a program
 * without libpng it is inert, and if png_set_filter were missing the write
 * goes on unchanged.  No state is kept (a lookup per image: microseconds
 * beside the image), so it is safe in any thread.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <png.h>

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
