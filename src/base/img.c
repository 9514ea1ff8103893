/* img — picture headers and copies (see img.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "base/img.h"

const char *img_format_name(img_format f)
{
    return f == IMG_PNG ? "PNG" : f == IMG_JPEG ? "JPEG" : f == IMG_SVG ? "SVG" : "unknown";
}

static unsigned S_be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

static int S_png(const unsigned char *b, size_t n, img_info *o, lb_err *e)
{
    /* signature, then the IHDR chunk: length 13, "IHDR", w, h, depth,
     * colour type, compression, filter, interlace */
    if (n < 33 || memcmp(b + 12, "IHDR", 4) != 0)
        return err_set(e, LB_EXIT_INPUT, "a PNG file without its IHDR header (truncated?)");
    o->format = IMG_PNG;
    o->width = S_be32(b + 16);
    o->height = S_be32(b + 20);
    o->bit_depth = b[24];
    o->color_type = b[25];
    o->interlaced = b[28] != 0;
    if (o->width == 0 || o->height == 0 || o->width > 100000 || o->height > 100000)
        return err_set(e, LB_EXIT_INPUT, "a PNG of %u x %u pixels (expected 1..100000 each)",
                       o->width, o->height);
    return 0;
}

static int S_jpeg(int fd, img_info *o, lb_err *e)
{
    /* walk the markers after SOI until a start-of-frame */
    unsigned char h[9];
    off_t pos = 2;
    for (int guard = 0; guard < 10000; guard++) {
        if (pread(fd, h, 4, pos) != 4)
            break;
        if (h[0] != 0xFF)
            break;
        if (h[1] == 0xFF) {   /* fill byte */
            pos++;
            continue;
        }
        unsigned m = h[1], len = (unsigned)h[2] << 8 | h[3];
        if (m == 0xD9 || m == 0xDA || len < 2)
            break;   /* end of image or scan data before any frame */
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (pread(fd, h, 9, pos + 2) != 9)
                break;
            o->format = IMG_JPEG;
            o->bit_depth = h[2];
            o->height = (unsigned)h[3] << 8 | h[4];
            o->width = (unsigned)h[5] << 8 | h[6];
            o->color_type = h[7];
            o->progressive = m == 0xC2;
            if (m != 0xC0 && m != 0xC1 && m != 0xC2)
                return err_set(e, LB_EXIT_INPUT, "a JPEG with SOF%u coding (lossless or "
                                                 "arithmetic; expected baseline or progressive)",
                               m - 0xC0);
            if (o->width == 0 || o->height == 0)
                return err_set(e, LB_EXIT_INPUT, "a JPEG without its size");
            return 0;
        }
        pos += 2 + len;
    }
    return err_set(e, LB_EXIT_INPUT, "a JPEG file without a frame header (truncated?)");
}

int img_probe(const char *path, img_info *o, lb_err *e)
{
    memset(o, 0, sizeof *o);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, LB_EXIT_INPUT, "cannot open: %s", strerror(errno));
    unsigned char b[4096];
    ssize_t n = pread(fd, b, sizeof b, 0);
    int rc = -1;
    if (n < 0) {
        err_set(e, LB_EXIT_RUNTIME, "cannot read: %s", strerror(errno));
    } else if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
        rc = S_png(b, (size_t)n, o, e);
    } else if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        rc = S_jpeg(fd, o, e);
    } else {
        /* SVG: text whose first element is <svg (after a BOM, an XML
         * declaration, comments or a doctype) */
        size_t k = (size_t)n;
        b[k < sizeof b ? k : sizeof b - 1] = '\0';
        const char *s = (const char *)b;
        if (k >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3;
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        if (*s == '<' && strstr(s, "<svg")) {
            o->format = IMG_SVG;
            rc = 0;
        } else {
            err_set(e, LB_EXIT_INPUT, "not a PNG, JPEG or SVG file");
        }
    }
    close(fd);
    return rc;
}

int img_copy(const char *src, const char *dst, lb_err *e)
{
    int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    if (in < 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot open: %s", src, strerror(errno));
    unlink(dst);   /* a planted symlink is replaced, never followed */
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (out < 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot create: %s", dst, strerror(errno));
        goto done;
    }
    char buf[65536];
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0) {
            err_set(e, LB_EXIT_RUNTIME, "%s: read error: %s", src, strerror(errno));
            goto done;
        }
        if (r == 0)
            break;
        for (ssize_t w = 0; w < r;) {
            ssize_t k = write(out, buf + w, (size_t)(r - w));
            if (k < 0) {
                err_set(e, LB_EXIT_RUNTIME, "%s: write error: %s", dst, strerror(errno));
                goto done;
            }
            w += k;
        }
    }
    rc = 0;
done:
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: write error: %s", dst, strerror(errno));
    close(in);
    return rc;
}
