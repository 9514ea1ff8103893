/* img_probe (src/base/img.c): a picture is checked to its end before the
 * PDF library sees it.  libharu 2.3.0 gives libpng no error handler, so a
 * libpng error (bad CRC, image data cut short, a huge size) is abort():
 * every PNG that libpng cannot read must be refused here.  The oracle is
 * libpng itself (this test links it): a file is read completely, every row
 * and the chunks after the image, with errors caught by setjmp.  PNGs are
 * written by libpng in every colour type, depth and interlacing; then cut
 * short at every length, damaged (CRC, IHDR size, filter byte, zlib data).
 * JPEG: the fixture photo cut at every length.  Not-a-file paths (FIFO,
 * folder) are refused at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include "base/img.h"
#include "testkit.h"

static char *S_dir;

typedef struct S_buf {
    unsigned char *p;
    size_t n, cap;
} S_buf;

static void S_put(S_buf *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void S_png_write_fn(png_structp png, png_bytep d, size_t n)
{
    S_put(png_get_io_ptr(png), d, n);
}

static void S_png_flush_fn(png_structp png)
{
    (void)png;
}

/* A PNG written by libpng: pixel bytes from a fixed pseudo-random pattern;
 * idat_size sets how libpng cuts the IDAT chunks. */
static S_buf S_make_png(unsigned w, unsigned h, int type, int depth, int interlace,
                        size_t idat_size)
{
    S_buf b = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng could not write the test PNG");
    png_set_write_fn(png, &b, S_png_write_fn, S_png_flush_fn);
    png_set_compression_buffer_size(png, idat_size);
    png_set_IHDR(png, info, w, h, depth, type,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (type == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[256];
        for (int i = 0; i < 256; i++)
            pal[i] = (png_color){(png_byte)i, (png_byte)(255 - i), (png_byte)(i * 7)};
        png_set_PLTE(png, info, pal, 1 << depth);
    }
    png_write_info(png, info);
    int ch = type == 0 || type == 3 ? 1 : type == 2 ? 3 : type == 4 ? 2 : 4;
    size_t rowbytes = ((size_t)w * (size_t)ch * (size_t)depth + 7) / 8;
    unsigned char *img = malloc(rowbytes * h);
    png_bytep *rows = malloc(h * sizeof *rows);
    assert_non_null(img);
    assert_non_null(rows);
    uint32_t x = 12345;
    for (size_t i = 0; i < rowbytes * h; i++) {
        x = x * 1103515245u + 12345u;
        img[i] = (unsigned char)(x >> 16);
    }
    if (type == PNG_COLOR_TYPE_PALETTE && depth == 8)
        for (size_t i = 0; i < rowbytes * h; i++)
            img[i] = (unsigned char)(img[i] % (1 << depth));
    for (unsigned r = 0; r < h; r++)
        rows[r] = img + r * rowbytes;
    png_write_image(png, rows);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(rows);
    free(img);
    return b;
}

typedef struct S_mem {
    const unsigned char *p;
    size_t n, at;
} S_mem;

static void S_png_read_fn(png_structp png, png_bytep d, size_t n)
{
    S_mem *m = png_get_io_ptr(png);
    if (m->at + n > m->n)
        png_error(png, "read past the end");
    memcpy(d, m->p + m->at, n);
    m->at += n;
}

static void S_png_err(png_structp png, png_const_charp msg)
{
    (void)msg;
    longjmp(png_jmpbuf(png), 1);
}

static void S_png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* The oracle: 1 when libpng reads the whole file (all rows, then the
 * chunks up to IEND) without an error. */
static int S_libpng_reads(const unsigned char *p, size_t n)
{
    S_mem m = {p, n, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, S_png_err, S_png_warn);
    png_infop info = png_create_info_struct(png);
    volatile png_bytep row = NULL;
    volatile int ok = 0;
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_set_read_fn(png, &m, S_png_read_fn);
        png_read_info(png, info);
        int passes = png_set_interlace_handling(png);
        png_read_update_info(png, info);
        row = malloc(png_get_rowbytes(png, info));
        assert_non_null(row);
        for (int p = 0; p < passes; p++)
            for (png_uint_32 y = 0; y < png_get_image_height(png, info); y++)
                png_read_row(png, row, NULL);
        png_read_end(png, NULL);
        ok = 1;
    }
    free(row);
    png_destroy_read_struct(&png, &info, NULL);
    return ok;
}

/* img_probe on bytes written to a file; the message is kept in *e. */
static int S_probe(const unsigned char *p, size_t n, img_info *ii, lb_err *e)
{
    const char *path = tk_path("%s/x.bin", S_dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    err_clear(e);
    return img_probe(path, ii, e);
}

static uint32_t S_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void S_set_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Recompute the CRC of the chunk starting at byte `at`. */
static void S_fix_crc(unsigned char *p, size_t at)
{
    uint32_t len = S_be32(p + at);
    S_set_be32(p + at + 8 + len, (uint32_t)crc32(0L, p + at + 4, len + 4));
}

/* Byte offset of the first chunk of `type`, or 0. */
static size_t S_chunk(const unsigned char *p, size_t n, const char *type)
{
    for (size_t at = 8; at + 12 <= n; at += 12 + S_be32(p + at))
        if (memcmp(p + at + 4, type, 4) == 0)
            return at;
    return 0;
}

static int S_is_input_error(const lb_err *e, const char *part)
{
    return e->code == LB_EXIT_INPUT && strstr(e->msg, part) != NULL;
}

static int S_setup(void **state)
{
    (void)state;
    S_dir = tk_tmpdir_new("img");
    return S_dir ? 0 : -1;
}

static int S_teardown(void **state)
{
    (void)state;
    tk_tmpdir_free(S_dir);
    return 0;
}

/* Every colour type and depth the standard allows, plain and interlaced,
 * several sizes, IDAT in one or many chunks (one larger than the reader's
 * 16 KiB buffer): accepted, with IHDR's numbers; libpng reads each too. */
static void test_png_valid_variants(void **state)
{
    (void)state;
    static const struct { int type, depth; } k[] = {
        {0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 1}, {3, 2},
        {3, 4}, {3, 8}, {4, 8}, {4, 16}, {6, 8}, {6, 16}};
    static const unsigned sz[][2] = {{1, 1}, {7, 3}, {33, 17}, {200, 150}};
    int n = 0;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        for (size_t s = 0; s < sizeof sz / sizeof sz[0]; s++)
            for (int il = 0; il <= 1; il++)
                for (int big = 0; big <= 1; big++) {
                    S_buf b = S_make_png(sz[s][0], sz[s][1], k[i].type, k[i].depth, il,
                                         big ? 200000 : 64);
                    assert_true(S_libpng_reads(b.p, b.n));
                    img_info ii;
                    lb_err e;
                    if (S_probe(b.p, b.n, &ii, &e) != 0)
                        fail_msg("type %d depth %d %ux%u interlace %d: %s", k[i].type,
                                 k[i].depth, sz[s][0], sz[s][1], il, e.msg);
                    assert_int_equal(ii.format, IMG_PNG);
                    assert_int_equal(ii.width, sz[s][0]);
                    assert_int_equal(ii.height, sz[s][1]);
                    assert_int_equal(ii.bit_depth, k[i].depth);
                    assert_int_equal(ii.color_type, k[i].type);
                    assert_int_equal(ii.interlaced, il);
                    free(b.p);
                    n++;
                }
    assert_int_equal(n, 15 * 4 * 2 * 2);
}

/* A PNG cut at any length is refused (libpng's "Not enough image data"
 * or a read past the end was abort() in libharu); so is one whose last
 * byte alone is missing. */
static void test_png_cut_short(void **state)
{
    (void)state;
    S_buf b = S_make_png(40, 30, 2, 8, 0, 300);   /* several IDAT chunks */
    assert_true(S_chunk(b.p, b.n, "IDAT") > 0);
    img_info ii;
    lb_err e;
    assert_int_equal(S_probe(b.p, b.n, &ii, &e), 0);
    for (size_t cut = 8; cut < b.n; cut++) {
        assert_false(S_libpng_reads(b.p, cut));
        if (S_probe(b.p, cut, &ii, &e) == 0)
            fail_msg("a PNG cut at %zu of %zu bytes was accepted", cut, b.n);
        assert_true(S_is_input_error(&e, "a damaged PNG"));
        if (cut >= 12 + 8)
            assert_non_null(strstr(e.msg, "cut short"));
    }
    free(b.p);
}

/* One bit flipped in any chunk (header, data or CRC) fails its CRC. */
static void test_png_bad_crc(void **state)
{
    (void)state;
    S_buf b = S_make_png(20, 10, 6, 8, 0, 8192);
    for (size_t at = 8; at + 12 <= b.n; at += 12 + S_be32(b.p + at)) {
        size_t len = S_be32(b.p + at);
        /* a data byte (or the CRC itself for IEND) */
        size_t pos = len ? at + 8 + len / 2 : at + 8;
        b.p[pos] ^= 0x10;
        img_info ii;
        lb_err e;
        assert_int_equal(S_probe(b.p, b.n, &ii, &e), -1);
        assert_true(S_is_input_error(&e, "fails its CRC check (expected "));
        b.p[pos] ^= 0x10;
    }
    free(b.p);
}

/* IHDR sizes: 100000 x 100000 (10^10 pixels) is refused before any data
 * is read; so is just over the limit; just under it, the data do not
 * match the size. */
static void test_png_huge_size(void **state)
{
    (void)state;
    S_buf b = S_make_png(8, 8, 0, 8, 0, 8192);
    static const unsigned side[][2] = {{100000, 100000}, {7072, 7072}, {100001, 1},
                                       {1, 100001}, {0, 5}};
    for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
        S_set_be32(b.p + 16, side[i][0]);
        S_set_be32(b.p + 20, side[i][1]);
        S_fix_crc(b.p, 8);
        img_info ii;
        lb_err e;
        assert_int_equal(S_probe(b.p, b.n, &ii, &e), -1);
        assert_true(S_is_input_error(&e, "pixels in all)"));
    }
    /* 7071 x 7071 = 49999041 pixels: within the limit; the 8 x 8 image
     * data are far fewer bytes than 7071 rows (libpng: "Not enough image
     * data") */
    S_set_be32(b.p + 16, 7071);
    S_set_be32(b.p + 20, 7071);
    S_fix_crc(b.p, 8);
    img_info ii;
    lb_err e;
    assert_int_equal(S_probe(b.p, b.n, &ii, &e), -1);
    assert_true(S_is_input_error(&e, "the image data hold 72 bytes"));
    free(b.p);
}

/* The IDAT data re-packed: one row more or less than IHDR says, a row
 * with filter type 5, and the bytes of a valid image with a row too many
 * in IHDR: each refused, and libpng agrees each is bad (or reads it). */
static void test_png_image_data(void **state)
{
    (void)state;
    const unsigned w = 16, h = 10;
    const size_t row = 1 + w * 3;
    unsigned char raw[(1 + 16 * 3) * 12];
    uint32_t x = 7;
    for (size_t i = 0; i < sizeof raw; i++) {
        x = x * 1103515245u + 12345u;
        raw[i] = (i % row == 0) ? (unsigned char)(i / row % 5) : (unsigned char)(x >> 16);
    }
    struct { unsigned rows; int bad_filter; const char *msg; } c[] = {
        {10, 0, NULL},
        {9, 0, "the image data hold 441 bytes (expected 490"},
        {11, 0, "hold more bytes than IHDR's size needs"},
        {10, 1, "row 4 starts with filter type 5 (expected 0 to 4)"}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        unsigned char data[sizeof raw];
        memcpy(data, raw, sizeof raw);
        if (c[i].bad_filter)
            data[3 * row] = 5;
        unsigned char z[2048];
        uLongf zn = sizeof z;
        assert_int_equal(compress(z, &zn, data, c[i].rows * row), Z_OK);
        S_buf b = {0};
        S_put(&b, "\x89PNG\r\n\x1a\n", 8);
        unsigned char ihdr[25] = {0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        S_set_be32(ihdr + 8, w);
        S_set_be32(ihdr + 12, h);
        ihdr[16] = 8;
        ihdr[17] = 2;
        S_put(&b, ihdr, 25);
        S_fix_crc(b.p, 8);
        unsigned char hd[8] = {0, 0, 0, 0, 'I', 'D', 'A', 'T'};
        S_set_be32(hd, (uint32_t)zn);
        size_t at = b.n;
        S_put(&b, hd, 8);
        S_put(&b, z, zn);
        S_put(&b, "\0\0\0\0", 4);
        S_fix_crc(b.p, at);
        S_put(&b, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
        img_info ii;
        lb_err e;
        int rc = S_probe(b.p, b.n, &ii, &e);
        if (!c[i].msg) {
            assert_int_equal(rc, 0);
            assert_true(S_libpng_reads(b.p, b.n));
        } else {
            assert_int_equal(rc, -1);
            if (!S_is_input_error(&e, c[i].msg))
                fail_msg("case %zu: %s", i, e.msg);
            /* too few rows and a bad filter are libpng errors (abort in
             * libharu); too many is only a libpng warning, refused here
             * all the same */
            if (i != 2)
                assert_false(S_libpng_reads(b.p, b.n));
        }
        free(b.p);
    }
}

/* Structure: a missing PLTE in a palette image, an unknown critical chunk,
 * IDAT chunks with another chunk between them, no IEND. */
static void test_png_structure(void **state)
{
    (void)state;
    S_buf b = S_make_png(30, 20, 3, 8, 0, 100);
    size_t plte = S_chunk(b.p, b.n, "PLTE");
    assert_true(plte > 0);
    img_info ii;
    lb_err e;
    /* PLTE renamed to an unknown critical chunk */
    memcpy(b.p + plte + 4, "PLTX", 4);
    S_fix_crc(b.p, plte);
    assert_int_equal(S_probe(b.p, b.n, &ii, &e), -1);
    assert_true(S_is_input_error(&e, "chunk PLTX at byte 33 out of place (expected only the "
                                     "critical chunks"));
    assert_false(S_libpng_reads(b.p, b.n));
    /* ... renamed to an ancillary one: then PLTE is missing before IDAT */
    memcpy(b.p + plte + 4, "pLTX", 4);
    S_fix_crc(b.p, plte);
    assert_int_equal(S_probe(b.p, b.n, &ii, &e), -1);
    assert_true(S_is_input_error(&e, "(expected PLTE before IDAT in a palette image)"));
    assert_false(S_libpng_reads(b.p, b.n));
    memcpy(b.p + plte + 4, "PLTE", 4);
    S_fix_crc(b.p, plte);
    assert_int_equal(S_probe(b.p, b.n, &ii, &e), 0);
    /* the second IDAT renamed to an ancillary chunk: IDATs apart */
    size_t i1 = S_chunk(b.p, b.n, "IDAT");
    size_t i2 = i1 + 12 + S_be32(b.p + i1);
    assert_memory_equal(b.p + i2 + 4, "IDAT", 4);
    memcpy(b.p + i2 + 4, "tEXt", 4);
    S_fix_crc(b.p, i2);
    assert_int_equal(S_probe(b.p, b.n, &ii, &e), -1);
    assert_true(S_is_input_error(&e, "(expected all IDAT chunks one after another)"));
    free(b.p);
    /* no IEND: the file ends after the last IDAT */
    b = S_make_png(30, 20, 0, 8, 0, 8192);
    assert_int_equal(S_probe(b.p, b.n - 12, &ii, &e), -1);
    assert_true(S_is_input_error(&e, "cut short (expected more chunks up to IEND)"));
    free(b.p);
}

/* Random damage with the CRCs made right again (so the checks after the
 * CRC must catch it): whatever img_probe accepts, libpng reads without an
 * error -- the property that keeps libharu from abort(). */
static void test_png_damage_sweep(void **state)
{
    (void)state;
    S_buf b = S_make_png(24, 16, 2, 8, 0, 120);
    uint32_t x = 99;
    int accepted = 0, refused = 0;
    for (int t = 0; t < 3000; t++) {
        unsigned char *p = malloc(b.n);
        assert_non_null(p);
        memcpy(p, b.p, b.n);
        for (int k = 0; k < 1 + t % 3; k++) {
            x = x * 1103515245u + 12345u;
            size_t pos = 8 + (x >> 8) % (b.n - 8);
            x = x * 1103515245u + 12345u;
            p[pos] ^= (unsigned char)(1u << (x >> 13) % 8);
        }
        /* re-CRC every chunk whose header still makes sense */
        for (size_t at = 8; at + 12 <= b.n; at += 12 + S_be32(p + at)) {
            if (S_be32(p + at) > b.n - at - 12)
                break;
            S_fix_crc(p, at);
        }
        img_info ii;
        lb_err e;
        if (S_probe(p, b.n, &ii, &e) == 0) {
            accepted++;
            if (!S_libpng_reads(p, b.n))
                fail_msg("trial %d: accepted a PNG libpng cannot read", t);
        } else {
            refused++;
            assert_true(e.code == LB_EXIT_INPUT);
        }
        free(p);
    }
    /* both outcomes occur (a flip in a pixel byte that keeps the zlib
     * stream valid is harmless) */
    assert_true(refused > 100);
    assert_true(accepted > 0);
    free(b.p);
}

/* A JPEG cut at any length is refused (libharu would embed it as it is);
 * the whole file and one with bytes after its end are accepted. */
static void test_jpeg_cut_short(void **state)
{
    (void)state;
    size_t n = 0;
    char *j = tk_read_file(tk_src("tests/fixtures/pictures/photo.jpg"), &n);
    assert_non_null(j);
    unsigned char *p = (unsigned char *)j;
    img_info ii;
    lb_err e;
    assert_int_equal(S_probe(p, n, &ii, &e), 0);
    assert_int_equal(ii.format, IMG_JPEG);
    assert_true(ii.width > 0 && ii.height > 0);
    for (size_t cut = 3; cut < n; cut++) {
        if (S_probe(p, cut, &ii, &e) == 0)
            fail_msg("a JPEG cut at %zu of %zu bytes was accepted", cut, n);
        assert_true(S_is_input_error(&e, "a damaged JPEG: ") ||
                    S_is_input_error(&e, "a JPEG without its size"));
    }
    char *more = malloc(n + 5);
    assert_non_null(more);
    memcpy(more, j, n);
    memcpy(more + n, "junk!", 5);
    assert_int_equal(S_probe((unsigned char *)more, n + 5, &ii, &e), 0);
    /* the end-of-image marker FF D9 made a stuffed FF 00: the scan runs
     * to the end of the file */
    more[n - 1] = 0x00;
    assert_int_equal(S_probe((unsigned char *)more, n, &ii, &e), -1);
    assert_true(S_is_input_error(&e, "cut short in the scan data"));
    free(more);
    free(j);
}

/* A FIFO with no writer is refused at once (a blocking open would wait
 * forever), a folder is the user's error (exit 2), not a read error. */
static void test_not_a_file(void **state)
{
    (void)state;
    const char *fifo = tk_path("%s/f.png", S_dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    img_info ii;
    lb_err e;
    err_clear(&e);
    assert_int_equal(img_probe(fifo, &ii, &e), -1);
    assert_true(S_is_input_error(&e, "not a regular file (a pipe)"));
    const char *dir = tk_path("%s/d.png", S_dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    err_clear(&e);
    assert_int_equal(img_probe(dir, &ii, &e), -1);
    assert_true(S_is_input_error(&e, "not a regular file (a folder)"));
    err_clear(&e);
    assert_int_equal(img_probe(tk_path("%s/none.png", S_dir), &ii, &e), -1);
    assert_true(S_is_input_error(&e, "cannot open: No such file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_valid_variants), cmocka_unit_test(test_png_cut_short),
        cmocka_unit_test(test_png_bad_crc),        cmocka_unit_test(test_png_huge_size),
        cmocka_unit_test(test_png_image_data),     cmocka_unit_test(test_png_structure),
        cmocka_unit_test(test_png_damage_sweep),   cmocka_unit_test(test_jpeg_cut_short),
        cmocka_unit_test(test_not_a_file),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
