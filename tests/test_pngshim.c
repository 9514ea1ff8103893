/* The PNG encoder (src/preload/pngshim.c, found by src/plot/pngenc.c, put
 * on gnuplot's LD_PRELOAD by gp_new_preload):
 *   - a run with the shim and one without give PNGs that decode to the same
 *     pixels (this file's own decoder: the IDAT chunks inflated with zlib,
 *     the five PNG row filters undone as the PNG specification, section 9,
 *     defines them), every row of the shim's PNGs has filter type 0, and
 *     gnuplot's own encoder does use other filters (so the shim changed
 *     something and the unfiltering was exercised); the SVGs and the PDF are
 *     byte-identical; the image data is libdeflate's stream (not zlib's)
 *     where libdeflate can be loaded;
 *   - the encoder is part of the figure cache key: a second run into the
 *     same folder with the other encoder draws every figure again, a third
 *     with the same one reuses them all;
 *   - no shim anywhere (a copy of the binary alone) or a shim named by
 *     LOSSBOOK_PNGSHIM that does not exist: the run succeeds with gnuplot's
 *     own encoder and --verbose says so;
 *   - the user's own LD_PRELOAD is kept, ours after it;
 *   - the shim without libdeflate (LOSSBOOK_PNGSHIM_ZLIB, as on a machine
 *     that lacks it): the same pixels, filter None, and the image data is
 *     exactly zlib's level-6 stream of the unfiltered rows; the deflate is
 *     part of the cache key.
 * No timing here (make bench measures the speed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <zlib.h>
#include <cmocka.h>

#include "plot/gnuplot.h"
#include "testkit.h"

/* ---- a PNG decoder of the test's own (8-bit, non-interlaced) ----------- */

typedef struct S_png {
    unsigned w, h, bpp;       /* bytes per pixel */
    unsigned char *px;        /* h rows of w * bpp bytes, unfiltered */
    unsigned filters;         /* bit t set: some row used filter type t */
    unsigned char *idat;      /* the IDAT chunks' data, joined */
    size_t idat_len;
    unsigned char *raw;       /* that data inflated (filter bytes and rows) */
    size_t raw_len;
} S_png;

static void S_png_free(S_png *o)
{
    free(o->px);
    free(o->idat);
    free(o->raw);
}

static unsigned long S_be32(const unsigned char *b)
{
    return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 | (unsigned long)b[2] << 8 | b[3];
}

/* The Paeth predictor (PNG specification, 9.4). */
static unsigned char S_paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return (unsigned char)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

static void S_png_read(const char *path, S_png *o)
{
    size_t n;
    unsigned char *f = (unsigned char *)tk_read_file(path, &n);
    assert_non_null(f);
    assert_true(n > 33 && memcmp(f, "\x89PNG\r\n\x1a\n", 8) == 0);
    assert_memory_equal(f + 12, "IHDR", 4);
    o->w = (unsigned)S_be32(f + 16);
    o->h = (unsigned)S_be32(f + 20);
    assert_int_equal(f[24], 8);                   /* bit depth */
    assert_int_equal(f[28], 0);                   /* not interlaced */
    assert_true(f[25] == 2 || f[25] == 6);        /* RGB or RGBA (cairo) */
    o->bpp = f[25] == 6 ? 4 : 3;
    size_t stride = (size_t)o->w * o->bpp, rawlen = (stride + 1) * o->h;
    unsigned char *raw = malloc(rawlen);
    assert_non_null(raw);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(inflateInit(&zs), Z_OK);
    zs.next_out = raw;
    zs.avail_out = (uInt)rawlen;
    int zr = Z_OK;
    o->idat = malloc(n);
    o->idat_len = 0;
    assert_non_null(o->idat);
    for (size_t at = 8; at + 12 <= n;) {
        size_t len = S_be32(f + at);
        assert_true(at + 12 + len <= n);
        if (!memcmp(f + at + 4, "IDAT", 4)) {
            memcpy(o->idat + o->idat_len, f + at + 8, len);
            o->idat_len += len;
            zs.next_in = f + at + 8;
            zs.avail_in = (uInt)len;
            zr = inflate(&zs, Z_NO_FLUSH);
            assert_true(zr == Z_OK || zr == Z_STREAM_END);
        }
        at += 12 + len;
    }
    assert_int_equal(zr, Z_STREAM_END);
    assert_int_equal(zs.total_out, rawlen);
    inflateEnd(&zs);
    free(f);
    o->px = malloc(stride * o->h);
    assert_non_null(o->px);
    o->filters = 0;
    for (unsigned y = 0; y < o->h; y++) {
        const unsigned char *in = raw + y * (stride + 1);
        unsigned char *row = o->px + y * stride;
        const unsigned char *up = y ? row - stride : NULL;
        unsigned t = in[0];
        assert_true(t <= 4);
        o->filters |= 1u << t;
        for (size_t x = 0; x < stride; x++) {
            int a = x >= o->bpp ? row[x - o->bpp] : 0, b = up ? up[x] : 0;
            int c = up && x >= o->bpp ? up[x - o->bpp] : 0;
            int pred = t == 0 ? 0 : t == 1 ? a : t == 2 ? b : t == 3 ? (a + b) / 2 : S_paeth(a, b, c);
            row[x] = (unsigned char)(in[1 + x] + pred);
        }
    }
    o->raw = raw;
    o->raw_len = rawlen;
}

/* The decoder itself, on a PNG written here by hand: 2x2 RGB, row 0 with
 * filter Sub, row 1 with Paeth; pixels worked out by hand. */
static void test_decoder(void **state)
{
    (void)state;
    /* row 0 (Sub): raw 10 20 30 | 5 5 5  -> 10 20 30 | 15 25 35
     * row 1 (Paeth): first pixel a=c=0, b=up: pred = b -> 1+10, 2+20, 3+30;
     * second pixel a=(11,22,33) b=(15,25,35) c=(10,20,30): p=a+b-c =
     * (16,27,38), nearest is b (|p-b| = 1,2,3 < |p-a| = 5,5,5):
     * 0+15, 1+25, 2+35 */
    unsigned char raw[] = {1, 10, 20, 30, 5, 5, 5, 4, 1, 2, 3, 0, 1, 2};
    unsigned char z[128];
    uLongf zn = sizeof z;
    assert_int_equal(compress(z, &zn, raw, sizeof raw), Z_OK);
    unsigned char png[256] = "\x89PNG\r\n\x1a\n";
    size_t k = 8;
    unsigned char ihdr[] = {0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0,
                            0, 0, 0, 0};   /* CRCs are not checked by this decoder */
    memcpy(png + k, ihdr, sizeof ihdr);
    k += sizeof ihdr;
    unsigned char hdr[8] = {0, 0, 0, (unsigned char)zn, 'I', 'D', 'A', 'T'};
    memcpy(png + k, hdr, 8);
    memcpy(png + k + 8, z, zn);
    k += 8 + zn + 4;
    memcpy(png + k, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
    k += 12;
    const char *p = tk_path("%s/hand.png", tk_scratch());
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(png, 1, k, f), k);
    assert_int_equal(fclose(f), 0);
    S_png o;
    S_png_read(p, &o);
    static const unsigned char want[] = {10, 20, 30, 15, 25, 35, 11, 22, 33, 15, 26, 37};
    assert_int_equal(o.w, 2);
    assert_int_equal(o.h, 2);
    assert_memory_equal(o.px, want, sizeof want);
    assert_int_equal(o.filters, (1u << 1) | (1u << 4));
    S_png_free(&o);
}

/* ---- runs ------------------------------------------------------------ */

/* lossbook --verbose --out DIR with env additions (NULL-terminated list or
 * NULL), run by `bin` (NULL: LB_BIN) from cwd (NULL: LB_ROOT); returns the
 * number of figures drawn (not reused); *said gets stderr (caller frees). */
static int S_run(const char *bin, const char *cwd, const char *const *env, const char *dir,
                 char **said)
{
    tk_opts o = {0};
    o.env = env;
    o.cwd = cwd;
    tk_result r = {0};
    if (bin)
        tk_cmd(&r, &o, bin, "--verbose", "--out", dir, NULL);
    else
        tk_lb(&r, &o, "--verbose", "--out", dir, NULL);
    if (r.status != 0)
        fail_msg("lossbook failed (exit %d): %s", r.status, r.err);
    int drawn = 0, seen = 0;
    for (const char *l = r.err; (l = strstr(l, "lossbook: figure ")); l++) {
        const char *eol = strchr(l, '\n');
        size_t n = eol ? (size_t)(eol - l) : strlen(l);
        seen++;
        if (!tk_contains(l, n, "(unchanged: reused)"))
            drawn++;
    }
    assert_true(seen >= 6);
    *said = r.err;
    r.err = NULL;
    tk_result_free(&r);
    return drawn;
}

/* Every PNG of a/figures and b/figures: the same names, the same pixels;
 * returns the union of the filter types used in a and in b. */
static void S_same_pixels(const char *a, const char *b, unsigned *fa, unsigned *fb)
{
    size_t na, nb;
    char **la = tk_list_dir(tk_path("%s/figures", a), "*.png", &na);
    char **lb = tk_list_dir(tk_path("%s/figures", b), "*.png", &nb);
    assert_non_null(la);
    assert_non_null(lb);
    assert_int_equal(na, nb);
    assert_true(na >= 12);
    *fa = *fb = 0;
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(la[i], lb[i]);
        S_png pa, pb;
        S_png_read(tk_path("%s/figures/%s", a, la[i]), &pa);
        S_png_read(tk_path("%s/figures/%s", b, lb[i]), &pb);
        assert_int_equal(pa.w, pb.w);
        assert_int_equal(pa.h, pb.h);
        assert_int_equal(pa.bpp, pb.bpp);
        if (memcmp(pa.px, pb.px, (size_t)pa.w * pa.h * pa.bpp) != 0)
            fail_msg("%s: the pixels differ between %s and %s", la[i], a, b);
        *fa |= pa.filters;
        *fb |= pb.filters;
        S_png_free(&pa);
        S_png_free(&pb);
    }
    tk_list_free(la);
    tk_list_free(lb);
}

static void S_same_file(const char *a, const char *b)
{
    char *d = tk_diff(a, b);
    if (d)
        fail_msg("%s", d);
}

/* With and without the shim: same pixels, filter None in every row of the
 * shim's PNGs; then the cache key: the other encoder re-renders. */
static void test_same_pixels_and_key(void **state)
{
    (void)state;
    char shim[512], own[512], keep[512];
    snprintf(shim, sizeof shim, "%s/shim", tk_scratch());
    snprintf(own, sizeof own, "%s/own", tk_scratch());
    snprintf(keep, sizeof keep, "%s/keep", tk_scratch());
    static const char *const no_var[] = {"LOSSBOOK_PNGSHIM", NULL};
    static const char *const off[] = {"LOSSBOOK_PNGSHIM=", NULL};
    char *said;
    int all = S_run(NULL, NULL, no_var, shim, &said);
    void *ldh = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL);
    assert_non_null(strstr(said, ldh ? "PNG encoder: libpng row filter None, deflate by libdeflate ("
                                     : "PNG encoder: libpng row filter None, deflate by zlib ("));
    if (ldh)
        dlclose(ldh);
    assert_non_null(strstr(said, "/lossbook-pngshim.so)"));
    free(said);
    assert_int_equal(S_run(NULL, NULL, off, own, &said), all);
    assert_non_null(strstr(said, "PNG encoder: gnuplot's own (same pixels, slower): "
                                 "LOSSBOOK_PNGSHIM is set and empty"));
    free(said);
    unsigned fs, fo;
    S_same_pixels(shim, own, &fs, &fo);
    assert_int_equal(fs, 1u);          /* filter type 0 only */
    assert_true(fo & ~1u);             /* gnuplot's own: Sub, Up, Paeth, ... */
    /* The image data: libdeflate's stream where gnuplot can load it (as
     * this process can), else zlib's: with filter None, libpng's streaming
     * deflate at level 6 gives exactly compress2(rows, 6) (zlib's output
     * does not depend on how its input was cut). */
    S_png p;
    S_png_read(tk_path("%s/figures/exp.png", shim), &p);
    uLongf zn = compressBound(p.raw_len);
    unsigned char *z = malloc(zn);
    assert_non_null(z);
    assert_int_equal(compress2(z, &zn, p.raw, p.raw_len, 6), Z_OK);
    void *ld = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL);
    int zlibs = zn == p.idat_len && !memcmp(z, p.idat, zn);
    assert_int_equal(zlibs, ld == NULL);
    if (ld)
        dlclose(ld);
    free(z);
    S_png_free(&p);
    /* what does not come from libpng is the same byte for byte */
    S_same_file(tk_path("%s/report.pdf", shim), tk_path("%s/report.pdf", own));
    S_same_file(tk_path("%s/figures/softmax3.svg", shim),
                tk_path("%s/figures/softmax3.svg", own));

    /* the cache: the same encoder reuses everything, the other draws all */
    assert_int_equal(tk_copy(tk_path("%s/figures/", shim), keep), 0);
    assert_int_equal(S_run(NULL, NULL, no_var, shim, &said), 0);
    free(said);
    assert_int_equal(S_run(NULL, NULL, off, shim, &said), all);
    free(said);
    S_same_file(tk_path("%s/figures/exp.png", shim), tk_path("%s/figures/exp.png", own));
    assert_int_equal(S_run(NULL, NULL, off, shim, &said), 0);
    free(said);
    assert_int_equal(S_run(NULL, NULL, no_var, shim, &said), all);
    free(said);
    S_same_file(tk_path("%s/figures/exp.png", shim), tk_path("%s/exp.png", keep));
}

/* No shim where the binary looks (a copy of it alone), or one named that
 * does not exist: the run succeeds with gnuplot's own encoder. */
static void test_shim_missing(void **state)
{
    (void)state;
    char lone[512], out[512], env_dd[1200];
    snprintf(lone, sizeof lone, "%s/lone/bin", tk_scratch());
    snprintf(out, sizeof out, "%s/out", tk_scratch());
    assert_int_equal(tk_mkdirs(lone), 0);
    assert_int_equal(tk_copy(tk_bin(), tk_path("%s/lossbook", lone)), 0);
    snprintf(env_dd, sizeof env_dd, "LOSSBOOK_DATADIR=%s", tk_root());
    const char *const env[] = {env_dd, "LOSSBOOK_PNGSHIM", NULL};
    char *said;
    S_run(tk_path("%s/lossbook", lone), tk_scratch(), env, out, &said);
    assert_non_null(strstr(said, "PNG encoder: gnuplot's own (same pixels, slower): no "
                                 "lossbook-pngshim.so (tried "));
    assert_non_null(strstr(said, "/lone/bin/lossbook-pngshim.so, "));
    assert_non_null(strstr(said, "/lone/bin/../lib/lossbook/lossbook-pngshim.so, "));
    free(said);
    S_png p;
    S_png_read(tk_path("%s/figures/exp.png", out), &p);
    assert_true(p.filters & ~1u);      /* libpng's heuristic, not the shim */
    S_png_free(&p);

    static const char *const gone[] = {"LOSSBOOK_PNGSHIM=/nonexistent/lossbook-pngshim.so",
                                       NULL};
    S_run(NULL, NULL, gone, tk_path("%s/out2", tk_scratch()), &said);
    assert_non_null(strstr(said, "PNG encoder: gnuplot's own (same pixels, slower): "
                                 "LOSSBOOK_PNGSHIM=/nonexistent/lossbook-pngshim.so: "
                                 "not a readable file"));
    free(said);
}

/* gp_new_preload appends to the user's LD_PRELOAD; gp_new_in leaves it. */
static void test_ld_preload_kept(void **state)
{
    (void)state;
    static const struct {
        const char *user, *ours, *want;
    } cases[] = {
        {"/nonexistent/user-a.so", "/nonexistent/ours.so",
         "[/nonexistent/user-a.so /nonexistent/ours.so]"},
        {NULL, "/nonexistent/ours.so", "[/nonexistent/ours.so]"},
        {"/nonexistent/user-a.so", NULL, "[/nonexistent/user-a.so]"},
        {NULL, NULL, "[]"},
    };
    const char *saved = getenv("LD_PRELOAD");
    char *keep = saved ? strdup(saved) : NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].user)
            setenv("LD_PRELOAD", cases[i].user, 1);
        else
            unsetenv("LD_PRELOAD");
        lb_err e;
        err_clear(&e);
        gp *g = gp_new_preload(tk_scratch(), cases[i].ours, &e);
        if (!g)
            fail_msg("%s", e.msg);
        /* gnuplot's environment as a shell started by it sees it (the
         * loader's complaints about the missing files go to stderr, which
         * 2>/dev/null drops) */
        assert_int_equal(gp_cmd(g, "print '['.system('printenv LD_PRELOAD 2>/dev/null').']'", &e),
                         0);
        assert_int_equal(gp_sync(g, "test", &e), 0);
        if (!strstr(gp_last_output(g), cases[i].want))
            fail_msg("case %zu: want %s in: %s", i, cases[i].want, gp_last_output(g));
        gp_free(g);
    }
    if (keep)
        setenv("LD_PRELOAD", keep, 1);
    else
        unsetenv("LD_PRELOAD");
    free(keep);
}

/* The shim's zlib path (LOSSBOOK_PNGSHIM_ZLIB, what a machine without
 * libdeflate.so.0 gets): filter None still, the same pixels as gnuplot's own
 * encoder, and every PNG's image data is exactly compress2(rows, 6): with
 * filter None libpng's streaming deflate at level 6 gives zlib's one-shot
 * stream of the same bytes, so nothing of libdeflate is in it. */
static void test_zlib_fallback(void **state)
{
    (void)state;
    char zl[512], own[512];
    snprintf(zl, sizeof zl, "%s/zlib", tk_scratch());
    snprintf(own, sizeof own, "%s/own-z", tk_scratch());
    static const char *const zenv[] = {"LOSSBOOK_PNGSHIM", "LOSSBOOK_PNGSHIM_ZLIB=1", NULL};
    static const char *const off[] = {"LOSSBOOK_PNGSHIM=", NULL};
    char *said;
    int all = S_run(NULL, NULL, zenv, zl, &said);
    assert_true(all >= 6);
    assert_non_null(strstr(said, "PNG encoder: libpng row filter None, deflate by zlib "
                                 "(LOSSBOOK_PNGSHIM_ZLIB is set) ("));
    free(said);
    assert_int_equal(S_run(NULL, NULL, off, own, &said), all);
    free(said);
    unsigned fz, fo;
    S_same_pixels(zl, own, &fz, &fo);
    assert_int_equal(fz, 1u);          /* filter type 0 only */
    size_t n;
    char **l = tk_list_dir(tk_path("%s/figures", zl), "*.png", &n);
    assert_non_null(l);
    for (size_t i = 0; i < n; i++) {
        S_png p;
        S_png_read(tk_path("%s/figures/%s", zl, l[i]), &p);
        uLongf zn = compressBound(p.raw_len);
        unsigned char *z = malloc(zn);
        assert_non_null(z);
        assert_int_equal(compress2(z, &zn, p.raw, p.raw_len, 6), Z_OK);
        if (zn != p.idat_len || memcmp(z, p.idat, zn) != 0)
            fail_msg("%s: the image data is not zlib's level-6 stream", l[i]);
        free(z);
        S_png_free(&p);
    }
    tk_list_free(l);
    /* the deflate is part of the cache key: the other one draws every
     * figure again, the same one again reuses them all */
    static const char *const ldenv[] = {"LOSSBOOK_PNGSHIM", "LOSSBOOK_PNGSHIM_ZLIB", NULL};
    assert_int_equal(S_run(NULL, NULL, ldenv, zl, &said), all);
    free(said);
    assert_int_equal(S_run(NULL, NULL, zenv, zl, &said), all);
    free(said);
    assert_int_equal(S_run(NULL, NULL, zenv, zl, &said), 0);
    free(said);
}

static int S_group_setup(void **state)
{
    (void)state;
    return tk_need_bin("test_pngshim");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        tk_unit_test_scratch(test_decoder),
        tk_unit_test_scratch(test_same_pixels_and_key),
        tk_unit_test_scratch(test_shim_missing),
        tk_unit_test_scratch(test_ld_preload_kept),
        tk_unit_test_scratch(test_zlib_fallback),
    };
    return cmocka_run_group_tests_name("pngshim", tests, S_group_setup, NULL);
}
