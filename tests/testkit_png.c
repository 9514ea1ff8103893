/* testkit — see testkit.h: PNGs compared by their pixels (libpng's
 * simplified API), for files whose bytes may differ by encoder. */
#define _GNU_SOURCE /* vasprintf */
#include "testkit.h"

#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *S_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = NULL;
    if (vasprintf(&m, fmt, ap) < 0)
        m = NULL;
    va_end(ap);
    return m ? m : strdup("out of memory");
}

/* path decoded to 8-bit RGBA; NULL + *err (when err is not NULL) on
 * failure. */
static unsigned char *S_rgba(const char *path, unsigned *w, unsigned *h, char **err)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&im, path)) {
        if (err)
            *err = S_msg("%s: not a readable PNG (%s)", path, im.message);
        return NULL;
    }
    im.format = PNG_FORMAT_RGBA;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(im));
    if (!px || !png_image_finish_read(&im, NULL, px, 0, NULL)) {
        if (err)
            *err = S_msg("%s: cannot decode (%s)", path, px ? im.message : "out of memory");
        free(px);
        png_image_free(&im);
        return NULL;
    }
    *w = im.width;
    *h = im.height;
    return px;
}

unsigned char *tk_png_rgba(const char *path, unsigned *w, unsigned *h)
{
    return S_rgba(path, w, h, NULL);
}

char *tk_png_diff(const char *a, const char *b)
{
    char *err = NULL;
    unsigned wa, ha, wb, hb;
    unsigned char *pa = S_rgba(a, &wa, &ha, &err);
    unsigned char *pb = pa ? S_rgba(b, &wb, &hb, &err) : NULL;
    if (pa && pb) {
        if (wa != wb || ha != hb)
            err = S_msg("%s is %ux%u, %s is %ux%u", a, wa, ha, b, wb, hb);
        else
            for (unsigned y = 0; y < ha && !err; y++)
                for (unsigned x = 0; x < wa && !err; x++)
                    if (memcmp(pa + 4 * ((size_t)y * wa + x), pb + 4 * ((size_t)y * wa + x), 4))
                        err = S_msg("%s and %s differ at pixel (%u, %u)", a, b, x, y);
    }
    free(pa);
    free(pb);
    return err;
}
