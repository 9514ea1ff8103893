/* img — picture headers and copies (see img.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "base/fileio.h"
#include "base/img.h"

const char *img_format_name(img_format f)
{
    return f == IMG_PNG ? "PNG" : f == IMG_JPEG ? "JPEG" : f == IMG_SVG ? "SVG" : "unknown";
}

static unsigned S_be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* Read exactly n bytes; 1 when the file ends first (nothing or part read),
 * -1 on a read error (errno kept). */
static int S_read(FILE *f, unsigned char *b, size_t n)
{
    size_t got = fread(b, 1, n, f);
    if (got == n)
        return 0;
    return ferror(f) ? -1 : 1;
}

/* ---- PNG ----------------------------------------------------------------
 * libharu 2.3.0 hands a PNG to libpng without an error handler of its own:
 * any libpng error (a bad CRC, image data cut short, a huge size) ends in
 * abort().  So the whole file is checked here first, streaming (memory does
 * not grow with the picture): the chunk sequence (IHDR first, PLTE before
 * IDAT when needed, IDATs together, IEND), every chunk's CRC, the IHDR
 * fields and a pixel-count limit, and the IDAT data inflated (zlib) to
 * exactly the bytes IHDR says, each row starting with a filter type 0..4. */

typedef struct S_pngst {
    z_stream zs;
    int z_open, z_end;
    unsigned long long want, got;   /* inflated bytes: IHDR's size, so far */
    unsigned long long row;         /* bytes per row + the filter byte (0: interlaced) */
    unsigned char out[32768];
} S_pngst;

static int S_png_bad(lb_err *e, const char *what)
{
    return err_set(e, LB_EXIT_INPUT, "a damaged PNG: %s", what);
}

/* The inflated size of the image IHDR describes (Adam7 passes when
 * interlaced). */
static unsigned long long S_png_size(const img_info *o, unsigned bpp_bits)
{
    if (!o->interlaced)
        return (unsigned long long)o->height * (1 + ((unsigned long long)o->width * bpp_bits + 7) / 8);
    static const unsigned x0[7] = {0, 4, 0, 2, 0, 1, 0}, dx[7] = {8, 8, 4, 4, 2, 2, 1};
    static const unsigned y0[7] = {0, 0, 4, 0, 2, 0, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    unsigned long long t = 0;
    for (int p = 0; p < 7; p++) {
        unsigned long long w = o->width > x0[p] ? (o->width - x0[p] + dx[p] - 1) / dx[p] : 0;
        unsigned long long h = o->height > y0[p] ? (o->height - y0[p] + dy[p] - 1) / dy[p] : 0;
        if (w && h)
            t += h * (1 + (w * bpp_bits + 7) / 8);
    }
    return t;
}

static int S_png_ihdr(const unsigned char *b, img_info *o, S_pngst *st, lb_err *e)
{
    o->format = IMG_PNG;
    o->width = S_be32(b);
    o->height = S_be32(b + 4);
    o->bit_depth = b[8];
    o->color_type = b[9];
    o->interlaced = b[12] == 1;
    static const struct { int type, channels; unsigned depths; } k[] = {
        {0, 1, 1u << 1 | 1u << 2 | 1u << 4 | 1u << 8 | 1u << 16},
        {2, 3, 1u << 8 | 1u << 16},
        {3, 1, 1u << 1 | 1u << 2 | 1u << 4 | 1u << 8},
        {4, 2, 1u << 8 | 1u << 16},
        {6, 4, 1u << 8 | 1u << 16}};
    int channels = 0;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (k[i].type == o->color_type && o->bit_depth >= 1 && o->bit_depth <= 16 &&
            (k[i].depths >> o->bit_depth & 1u))
            channels = k[i].channels;
    if (!channels)
        return err_set(e, LB_EXIT_INPUT, "a PNG with colour type %d and bit depth %d (expected "
                       "one of the combinations the PNG standard allows)", o->color_type,
                       o->bit_depth);
    if (b[10] != 0 || b[11] != 0 || b[12] > 1)
        return err_set(e, LB_EXIT_INPUT, "a PNG with unknown compression, filter or interlace "
                       "method %d/%d/%d (expected 0/0/0 or 0/0/1)", b[10], b[11], b[12]);
    if (o->width == 0 || o->height == 0 || o->width > IMG_MAX_SIDE || o->height > IMG_MAX_SIDE ||
        (unsigned long long)o->width * o->height > IMG_MAX_PIXELS)
        return err_set(e, LB_EXIT_INPUT, "a PNG of %u x %u pixels (expected 1 to %u pixels a "
                       "side and at most %u pixels in all)", o->width, o->height,
                       (unsigned)IMG_MAX_SIDE, (unsigned)IMG_MAX_PIXELS);
    unsigned bpp_bits = (unsigned)(channels * o->bit_depth);
    st->want = S_png_size(o, bpp_bits);
    st->row = o->interlaced ? 0 : 1 + ((unsigned long long)o->width * bpp_bits + 7) / 8;
    return 0;
}

/* Inflate one IDAT chunk's bytes, counting and checking what comes out. */
static int S_png_inflate(S_pngst *st, unsigned char *in, size_t n, lb_err *e)
{
    st->zs.next_in = in;
    st->zs.avail_in = (uInt)n;
    /* run while there is input, or while the last call filled the whole
     * buffer (zlib may hold more output) */
    while (!st->z_end) {
        st->zs.next_out = st->out;
        st->zs.avail_out = sizeof st->out;
        int zr = inflate(&st->zs, Z_NO_FLUSH);
        size_t made = sizeof st->out - st->zs.avail_out;
        /* the row starts in this piece: the first, then one per row */
        unsigned long long first = st->row ? (st->row - st->got % st->row) % st->row : made;
        for (unsigned long long i = first; st->row && i < made; i += st->row)
            if (st->out[i] > 4) {
                char m[160];
                snprintf(m, sizeof m, "row %llu starts with filter type %u (expected 0 to 4)",
                         (st->got + i) / st->row + 1, st->out[i]);
                return S_png_bad(e, m);
            }
        st->got += made;
        if (st->got > st->want)
            return S_png_bad(e, "the image data hold more bytes than IHDR's size needs "
                                "(expected exactly the rows it says)");
        if (zr == Z_STREAM_END) {
            st->z_end = 1;
        } else if (zr == Z_BUF_ERROR && made == 0) {
            break;   /* needs the next chunk's bytes */
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            char m[160];
            snprintf(m, sizeof m, "the image data are not valid zlib data (%s)",
                     st->zs.msg ? st->zs.msg : "inflate failed");
            return S_png_bad(e, m);
        }
        if (st->zs.avail_in == 0 && st->zs.avail_out != 0)
            break;
    }
    /* bytes after the end of the zlib stream are ignored, as libpng does */
    return 0;
}

static int S_png(FILE *f, img_info *o, lb_err *e)
{
    S_pngst *st = calloc(1, sizeof *st);
    if (!st)
        return err_nomem(e);
    int rc = -1, seen_ihdr = 0, seen_plte = 0, idat = 0; /* idat: 0 none, 1 in, 2 after */
    unsigned long long off = 8;
    unsigned char h[8], buf[16384], ihdr[13] = {0};
    char m[200];
    for (;;) {
        int r = S_read(f, h, 8);
        if (r != 0) {
            if (r < 0)
                err_set(e, LB_EXIT_RUNTIME, "cannot read: %s", strerror(errno));
            else
                S_png_bad(e, "the file is cut short (expected more chunks up to IEND)");
            goto out;
        }
        unsigned len = S_be32(h);
        char type[5];
        memcpy(type, h + 4, 4);
        type[4] = '\0';
        for (int i = 0; i < 4; i++)
            if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z'))) {
                snprintf(m, sizeof m, "no chunk at byte %llu (expected a 4-letter chunk type)",
                         off);
                S_png_bad(e, m);
                goto out;
            }
        int is_ihdr = !strcmp(type, "IHDR"), is_plte = !strcmp(type, "PLTE"),
            is_idat = !strcmp(type, "IDAT"), is_iend = !strcmp(type, "IEND");
        if (len > 0x7fffffffu || (is_ihdr && len != 13) || (is_iend && len != 0)) {
            snprintf(m, sizeof m, "chunk %s at byte %llu has length %u (expected %s)", type,
                     off, len, is_ihdr ? "13" : is_iend ? "0" : "at most 2^31 - 1");
            S_png_bad(e, m);
            goto out;
        }
        const char *order = NULL;
        if (!seen_ihdr && !is_ihdr)
            order = "IHDR first";
        else if (seen_ihdr && is_ihdr)
            order = "one IHDR";
        else if (is_plte && (seen_plte || idat || o->color_type == 0 || o->color_type == 4))
            order = "at most one PLTE, before IDAT, and none in a grey image";
        else if (is_idat && idat == 2)
            order = "all IDAT chunks one after another";
        else if (is_idat && o->color_type == 3 && !seen_plte)
            order = "PLTE before IDAT in a palette image";
        else if (is_iend && !idat)
            order = "IDAT before IEND";
        else if (type[0] >= 'A' && type[0] <= 'Z' && !is_ihdr && !is_plte && !is_idat &&
                 !is_iend)
            order = "only the critical chunks IHDR, PLTE, IDAT and IEND";
        if (order) {
            snprintf(m, sizeof m, "chunk %s at byte %llu out of place (expected %s)", type, off,
                     order);
            S_png_bad(e, m);
            goto out;
        }
        if (idat == 1 && !is_idat)
            idat = 2;
        if (is_plte && (len == 0 || len % 3 != 0 || len / 3 > 256 ||
                        (o->color_type == 3 && len / 3 > 1u << o->bit_depth))) {
            snprintf(m, sizeof m, "PLTE of %u bytes (expected 3 bytes for each of 1 to %u "
                     "colours)", len, o->color_type == 3 ? 1u << o->bit_depth : 256u);
            S_png_bad(e, m);
            goto out;
        }
        unsigned long crc = crc32(0L, h + 4, 4);
        for (unsigned left = len; left > 0;) {
            size_t k = left < sizeof buf ? left : sizeof buf;
            r = S_read(f, buf, k);
            if (r != 0) {
                if (r < 0)
                    err_set(e, LB_EXIT_RUNTIME, "cannot read: %s", strerror(errno));
                else {
                    snprintf(m, sizeof m, "the file is cut short inside chunk %s at byte %llu "
                             "(expected %u bytes of data)", type, off, len);
                    S_png_bad(e, m);
                }
                goto out;
            }
            crc = crc32(crc, buf, (uInt)k);
            if (is_ihdr)
                memcpy(ihdr, buf, 13);
            left -= (unsigned)k;
        }
        unsigned char c[4];
        r = S_read(f, c, 4);
        if (r != 0) {
            if (r < 0)
                err_set(e, LB_EXIT_RUNTIME, "cannot read: %s", strerror(errno));
            else {
                snprintf(m, sizeof m, "the file is cut short in chunk %s's CRC at byte %llu",
                         type, off);
                S_png_bad(e, m);
            }
            goto out;
        }
        if (S_be32(c) != (unsigned)crc) {
            snprintf(m, sizeof m, "chunk %s at byte %llu fails its CRC check (expected %08lx, "
                     "found %08x)", type, off, crc, S_be32(c));
            S_png_bad(e, m);
            goto out;
        }
        if (is_ihdr) {
            if (S_png_ihdr(ihdr, o, st, e) != 0)
                goto out;
            seen_ihdr = 1;
        }
        seen_plte |= is_plte;
        if (is_idat) {
            /* the CRC is good: now inflate the same bytes again (chunks are
             * read once into buf when they fit; larger ones are re-read) */
            if (!st->z_open) {
                if (inflateInit(&st->zs) != Z_OK) {
                    err_nomem(e);
                    goto out;
                }
                st->z_open = 1;
            }
            idat = 1;
            if (len <= sizeof buf) {
                if (S_png_inflate(st, buf, len, e) != 0)
                    goto out;
            } else {
                if (fseeko(f, -(off_t)len - 4, SEEK_CUR) != 0) {
                    err_set(e, LB_EXIT_RUNTIME, "cannot read: %s", strerror(errno));
                    goto out;
                }
                for (unsigned left = len; left > 0;) {
                    size_t k = left < sizeof buf ? left : sizeof buf;
                    if (S_read(f, buf, k) != 0) {
                        err_set(e, LB_EXIT_RUNTIME, "cannot read: the file changed while read");
                        goto out;
                    }
                    if (S_png_inflate(st, buf, k, e) != 0)
                        goto out;
                    left -= (unsigned)k;
                }
                if (S_read(f, c, 4) != 0) {
                    err_set(e, LB_EXIT_RUNTIME, "cannot read: the file changed while read");
                    goto out;
                }
            }
        }
        off += 12ull + len;
        if (is_iend)
            break;
    }
    if (!st->z_end || st->got != st->want) {
        snprintf(m, sizeof m, "the image data hold %llu bytes%s (expected %llu for %u x %u "
                 "pixels)", st->got, st->z_end ? "" : " and stop mid-stream", st->want,
                 o->width, o->height);
        S_png_bad(e, m);
        goto out;
    }
    rc = 0;
out:
    if (st->z_open)
        inflateEnd(&st->zs);
    free(st);
    return rc;
}

/* ---- JPEG ---------------------------------------------------------------
 * libharu embeds a JPEG as it is (DCTDecode): a file cut short would go
 * into the PDF and no viewer could draw it.  The marker sequence is walked
 * to the end: SOI, segments whose lengths stay inside the file, a frame
 * header (SOFn, its size and components) before the first scan (SOS), the
 * entropy-coded data of each scan, and EOI. */

static int S_jpeg_bad(lb_err *e, const char *what, long long off)
{
    return err_set(e, LB_EXIT_INPUT, "a damaged JPEG: %s at byte %lld (expected the markers "
                   "of a complete JPEG up to its end-of-image marker)", what, off);
}

static int S_jpeg(FILE *f, img_info *o, lb_err *e)
{
    int have_sof = 0, scans = 0;
    long long pos = 2;   /* after SOI */
    for (;;) {
        int c = getc(f);
        if (c == EOF)
            return S_jpeg_bad(e, "the file is cut short", pos);
        if (c != 0xFF)
            return S_jpeg_bad(e, "no marker", pos);
        int m;
        do {
            m = getc(f);   /* 0xFF fill bytes may precede a marker */
            pos++;
        } while (m == 0xFF);
        if (m == EOF)
            return S_jpeg_bad(e, "the file is cut short", pos);
        long long at = pos - 1;
        pos++;
        if (m == 0xD9) {   /* EOI */
            if (!scans)
                return S_jpeg_bad(e, "end of image before any scan data", at);
            return 0;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue;   /* standalone markers */
        if (m == 0xD8 || m == 0x00)
            return S_jpeg_bad(e, "an unexpected marker", at);
        int l1 = getc(f), l2 = getc(f);
        if (l2 == EOF)
            return S_jpeg_bad(e, "the file is cut short in a segment length", at);
        unsigned len = (unsigned)l1 << 8 | (unsigned)l2;
        if (len < 2)
            return S_jpeg_bad(e, "a segment length below 2", at);
        unsigned char seg[16];
        size_t keep = len - 2 < sizeof seg ? len - 2 : sizeof seg;
        if (S_read(f, seg, keep) != 0 ||
            (len - 2 > keep && fseeko(f, (off_t)(len - 2 - keep), SEEK_CUR) != 0))
            return S_jpeg_bad(e, "the file is cut short inside a segment", at);
        pos += len;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (have_sof)
                return S_jpeg_bad(e, "a second frame header", at);
            if (len < 8 || len != 8u + 3u * seg[5])
                return S_jpeg_bad(e, "a frame header of the wrong length", at);
            have_sof = 1;
            o->format = IMG_JPEG;
            o->bit_depth = seg[0];
            o->height = (unsigned)seg[1] << 8 | seg[2];
            o->width = (unsigned)seg[3] << 8 | seg[4];
            o->color_type = seg[5];
            o->progressive = m == 0xC2;
            if (m != 0xC0 && m != 0xC1 && m != 0xC2)
                return err_set(e, LB_EXIT_INPUT, "a JPEG with SOF%u coding (lossless or "
                                                 "arithmetic; expected baseline or progressive)",
                               m - 0xC0);
            if (o->width == 0 || o->height == 0)
                return err_set(e, LB_EXIT_INPUT, "a JPEG without its size (expected the "
                               "width and height in its frame header)");
            if ((unsigned long long)o->width * o->height > IMG_MAX_PIXELS)
                return err_set(e, LB_EXIT_INPUT, "a JPEG of %u x %u pixels (expected at most "
                               "%u pixels in all)", o->width, o->height,
                               (unsigned)IMG_MAX_PIXELS);
            continue;
        }
        if (m != 0xDA)
            continue;
        /* SOS: the scan's entropy-coded data run to the next marker that is
         * not a stuffed 0xFF00 or a restart marker */
        if (!have_sof)
            return S_jpeg_bad(e, "scan data before the frame header", at);
        if (len < 6 || len != 6u + 2u * seg[0])
            return S_jpeg_bad(e, "a scan header of the wrong length", at);
        scans++;
        for (;;) {
            c = getc(f);
            pos++;
            if (c == EOF)
                return S_jpeg_bad(e, "the file is cut short in the scan data", pos - 1);
            if (c != 0xFF)
                continue;
            int d;
            do {
                d = getc(f);
                pos++;
            } while (d == 0xFF);
            if (d == EOF)
                return S_jpeg_bad(e, "the file is cut short in the scan data", pos - 1);
            if (d == 0x00 || (d >= 0xD0 && d <= 0xD7))
                continue;
            /* a marker: step back so the outer loop reads it */
            if (fseeko(f, -2, SEEK_CUR) != 0)
                return err_set(e, LB_EXIT_RUNTIME, "cannot read: %s", strerror(errno));
            pos -= 2;
            break;
        }
    }
}

int img_probe(const char *path, img_info *o, lb_err *e)
{
    memset(o, 0, sizeof *o);
    /* O_NONBLOCK: a FIFO must not hang the open; only a regular file is a
     * picture (a folder, pipe or device is the template's error) */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, errno == ENOMEM || errno == EMFILE || errno == ENFILE
                              ? LB_EXIT_RUNTIME : LB_EXIT_INPUT,
                       "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        err_set(e, LB_EXIT_INPUT, "not a regular file (%s)",
                fio_kind_name(sb.st_mode));
        close(fd);
        return -1;
    }
    FILE *f = NULL;
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 || !(f = fdopen(fd, "rb"))) {
        err_set(e, LB_EXIT_RUNTIME, "cannot read: %s", strerror(errno));
        close(fd);
        return -1;
    }
    unsigned char b[4096];
    size_t n = fread(b, 1, sizeof b, f);
    int rc = -1;
    if (ferror(f)) {
        err_set(e, LB_EXIT_RUNTIME, "cannot read: %s", strerror(errno));
    } else if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
        rc = fseeko(f, 8, SEEK_SET) == 0 ? S_png(f, o, e)
                                         : err_set(e, LB_EXIT_RUNTIME, "cannot read: %s",
                                                   strerror(errno));
    } else if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        rc = fseeko(f, 2, SEEK_SET) == 0 ? S_jpeg(f, o, e)
                                         : err_set(e, LB_EXIT_RUNTIME, "cannot read: %s",
                                                   strerror(errno));
    } else {
        /* SVG: text whose first element is <svg (after a BOM, an XML
         * declaration, comments or a doctype) */
        size_t k = n;
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
    fclose(f);
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
