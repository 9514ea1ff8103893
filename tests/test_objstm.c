/* Tests for pdf_objstm (src/pdf/pdf_objstm.c): libharu's classic file
 * rewritten with object streams and a cross-reference stream (issue 15).
 *
 * Where the expected values come from:
 *  - a six-object PDF 1.3 written here by hand (catalog, pages, page, a
 *    content stream whose /Length is the indirect object 5, info) is
 *    packed, then read back by this file's own reader following ISO
 *    32000-1 7.5.7-7.5.8 (startxref -> the /Type /XRef stream, its rows of
 *    /W [1 4 2], each type-1 row's offset holding "N 0 obj", each type-2
 *    row's object stream split by its own "NUM OFFSET" header and /First):
 *    every object must come back with the body written by hand, the stream
 *    byte for byte, numbering 7 (object stream) and 8 (xref stream) after
 *    the old /Size 7; poppler must read the packed file (1 page, PDF 1.5);
 *  - files that are not libharu's classic layout (an /Encrypt, a /Prev,
 *    a generation 1 object, a wrong startxref, no PDF at all) are refused
 *    (1), never rewritten;
 *  - end to end: the fixture document rendered as libharu writes it
 *    (pdf_opts.classic_xref) and packed must rasterise to identical pages
 *    and extract to identical text, the packed file being smaller.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "pdf/pdf_objstm.h"
#include "pdf/pdf.h"
#include "testkit.h"

static const char *S_body[7] = {
    NULL,
    "<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
    "<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
    "<<\n/Type /Page\n/MediaBox [ 0 0 200 200 ]\n/Contents 4 0 R\n/Parent 2 0 R\n>>",
    "<<\n/Length 5 0 R\n>>\nstream\n0 0 m 100 100 l S\nendstream",
    "19",
    "<<\n/Producer (hand)\n>>",
};

/* The classic file; `gen` for object 3, `trailer_extra` inside the trailer
 * dictionary, `xref_shift` added to startxref's number. */
static char *S_classic(int gen, const char *trailer_extra, int xref_shift, size_t *len)
{
    static char b[4096];
    size_t n = 0, off[7];
    n += (size_t)sprintf(b + n, "%%PDF-1.3\n%%\xB7\xBE\xAD\xAA\n");
    for (int k = 1; k <= 6; k++) {
        off[k] = n;
        n += (size_t)sprintf(b + n, "%d %d obj\n%s\nendobj\n", k, k == 3 ? gen : 0, S_body[k]);
    }
    size_t xo = n;
    n += (size_t)sprintf(b + n, "xref\n0 7\n0000000000 65535 f\r\n");
    for (int k = 1; k <= 6; k++)
        n += (size_t)sprintf(b + n, "%010zu %05d n\r\n", off[k], k == 3 ? gen : 0);
    n += (size_t)sprintf(b + n, "trailer\n<<\n/Root 1 0 R\n/Info 6 0 R\n%s/Size 7\n>>\n"
                         "startxref\n%zu\n%%%%EOF\n", trailer_extra, xo + (size_t)xref_shift);
    *len = n;
    return b;
}

/* The stream of the object whose text starts at p: its /Length (direct),
 * inflated into a malloc'd buffer of *n bytes. */
static unsigned char *S_stream(const char *p, const char *end, size_t *n)
{
    const char *l = strstr(p, "/Length ");
    const char *s = strstr(p, "stream\n");
    assert_non_null(l);
    assert_non_null(s);
    size_t zl = strtoul(l + 8, NULL, 10);
    s += 7;
    assert_true(s + zl <= end);
    uLongf cap = 1 << 16;
    unsigned char *u = malloc(cap);
    assert_non_null(u);
    assert_int_equal(uncompress(u, &cap, (const Bytef *)s, (uLong)zl), Z_OK);
    *n = cap;
    return u;
}

static unsigned long S_be(const unsigned char *p, int w)
{
    unsigned long v = 0;
    for (int i = 0; i < w; i++)
        v = v << 8 | p[i];
    return v;
}

static void test_pack_by_hand(void **state)
{
    (void)state;
    size_t n;
    const char *in = S_classic(0, "", 0, &n);
    unsigned char *out = NULL;
    size_t on = 0;
    lb_err e;
    err_clear(&e);
    assert_int_equal(pdf_objstm_pack((const unsigned char *)in, n, &out, &on, &e), 0);
    char *o = malloc(on + 1);
    assert_non_null(o);
    memcpy(o, out, on);
    o[on] = '\0';
    const char *end = o + on;
    assert_memory_equal(o, "%PDF-1.5\n%\xB7\xBE\xAD\xAA\n", 15);
    /* startxref -> object 8, the xref stream */
    const char *sx = NULL;   /* the last one (the streams hold NUL bytes) */
    for (const char *q = end - 10; q >= o && !sx; q--)
        if (memcmp(q, "startxref\n", 10) == 0)
            sx = q;
    assert_non_null(sx);
    size_t xo = strtoul(sx + 10, NULL, 10);
    assert_true(xo < on);
    const char *x = o + xo;
    assert_memory_equal(x, "8 0 obj\n", 8);
    const char *xend = strstr(x, ">>");
    assert_non_null(xend);
    char *xd = strndup(x, (size_t)(xend - x));
    assert_non_null(strstr(xd, "/Type /XRef"));
    assert_non_null(strstr(xd, "/Size 9"));
    assert_non_null(strstr(xd, "/W [1 4 2]"));
    assert_non_null(strstr(xd, "/Root 1 0 R"));
    assert_non_null(strstr(xd, "/Info 6 0 R"));
    free(xd);
    size_t rn;
    unsigned char *rows = S_stream(x, end, &rn);
    assert_int_equal(rn, 9 * 7);
    /* object 0: free, generation 65535 */
    assert_int_equal(rows[0], 0);
    assert_int_equal(S_be(rows + 5, 2), 65535);
    /* object 4 (the stream) and 7 (the object stream) in the file */
    for (int k = 4; k <= 8; k += 3) {
        const unsigned char *r = rows + 7 * k;
        assert_int_equal(r[0], 1);
        char h[16];
        snprintf(h, sizeof h, "%d 0 obj\n", k);
        assert_memory_equal(o + S_be(r + 1, 4), h, strlen(h));
    }
    const char *s4 = o + S_be(rows + 7 * 4 + 1, 4) + 8;
    assert_memory_equal(s4, S_body[4], strlen(S_body[4]));
    assert_int_equal(S_be(rows + 7 * 8 + 1, 4), xo);
    /* 1, 2, 3, 5, 6 in object stream 7, in that order */
    const char *os = o + S_be(rows + 7 * 7 + 1, 4);
    assert_non_null(strstr(os, "/Type /ObjStm"));
    assert_int_equal(strtol(strstr(os, "/N ") + 3, NULL, 10), 5);
    long first = strtol(strstr(os, "/First ") + 7, NULL, 10);
    size_t un;
    unsigned char *u = S_stream(os, end, &un);
    const int in_stm[5] = {1, 2, 3, 5, 6};
    char *p = (char *)u;
    long nums[5], offs[5];
    for (int i = 0; i < 5; i++) {
        nums[i] = strtol(p, &p, 10);
        offs[i] = strtol(p, &p, 10);
    }
    for (int i = 0; i < 5; i++) {
        const unsigned char *r = rows + 7 * in_stm[i];
        assert_int_equal(r[0], 2);
        assert_int_equal(S_be(r + 1, 4), 7);
        assert_int_equal(S_be(r + 5, 2), (unsigned long)i);
        assert_int_equal(nums[i], in_stm[i]);
        size_t bl = strlen(S_body[in_stm[i]]);
        assert_true((size_t)(first + offs[i]) + bl <= un);
        assert_memory_equal(u + first + offs[i], S_body[in_stm[i]], bl);
    }
    free(u);
    free(rows);
    /* poppler reads it; tk_pdf_read finds the catalog again */
    char *dir = tk_tmpdir_new("objstm");
    assert_non_null(dir);
    char path[1200];
    snprintf(path, sizeof path, "%s/p.pdf", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(out, 1, on, f), on);
    assert_int_equal(fclose(f), 0);
    char *info = tk_pdfinfo(path);
    assert_non_null(info);
    assert_non_null(strstr(info, "Pages:           1"));
    assert_non_null(strstr(info, "PDF version:     1.5"));
    free(info);
    size_t rl;
    char *raw = tk_pdf_read(path, &rl);
    assert_non_null(raw);
    assert_true(tk_contains(raw, rl, "1 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>"));
    free(raw);
    tk_tmpdir_free(dir);
    free(o);
    free(out);
}

static void test_refused(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    unsigned char *out = NULL;
    size_t on = 0, n;
    const char *in = S_classic(0, "/Encrypt 6 0 R\n", 0, &n);
    assert_int_equal(pdf_objstm_pack((const unsigned char *)in, n, &out, &on, &e), 1);
    in = S_classic(0, "/Prev 9\n", 0, &n);
    assert_int_equal(pdf_objstm_pack((const unsigned char *)in, n, &out, &on, &e), 1);
    in = S_classic(1, "", 0, &n);
    assert_int_equal(pdf_objstm_pack((const unsigned char *)in, n, &out, &on, &e), 1);
    in = S_classic(0, "", 3, &n);
    assert_int_equal(pdf_objstm_pack((const unsigned char *)in, n, &out, &on, &e), 1);
    in = S_classic(0, "", 0, &n);
    assert_int_equal(pdf_objstm_pack((const unsigned char *)in, n - 30, &out, &on, &e), 1);
    const char *junk = "%PDF-1.3\nnot a pdf at all, startxref 0\n";
    assert_int_equal(pdf_objstm_pack((const unsigned char *)junk, strlen(junk), &out, &on, &e),
                     1);
    assert_null(out);
    assert_int_equal(e.code, 0);
}

static void test_document_unchanged(void **state)
{
    (void)state;
    char *dir = tk_tmpdir_new("objstm-doc");
    assert_non_null(dir);
    char a[1200], b[1200];
    snprintf(a, sizeof a, "%s/classic.pdf", dir);
    snprintf(b, sizeof b, "%s/packed.pdf", dir);
    pdf_opts o;
    pdf_opts_default(&o);
    o.classic_xref = 1;
    tk_render_fixture(&o, a);
    tk_render_fixture(NULL, b);
    long long sa = tk_file_size(a), sb = tk_file_size(b);
    if (!(sb < sa))
        fail_msg("packed %lld bytes, classic %lld", sb, sa);
    char *ia = tk_pdfinfo(a), *ib = tk_pdfinfo(b);
    assert_non_null(strstr(ia, "PDF version:     1.3"));
    assert_non_null(strstr(ib, "PDF version:     1.5"));
    free(ia);
    free(ib);
    char *d = tk_pdf_same_pages(a, b, 100);
    if (d)
        fail_msg("classic vs packed: %s", d);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_by_hand),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_document_unchanged),
    };
    return cmocka_run_group_tests_name("objstm", tests, NULL, NULL);
}
