/* Tests for the Type 1 subsetter: src/pdf/pdf_t1cs.c, pdf_t1font.c and, end
 * to end, pdf_t1sub.c.
 *
 * Where the expected values come from:
 *  - the ciphers: decrypting lmr10.pfb's eexec segment must give the
 *    Private dictionary's known text ("dup/Private", "/Subrs", "RD"), and
 *    encryption must invert it;
 *  - charstring numbers: the byte forms of Adobe's Type 1 spec, section 6.2,
 *    worked by hand at each range's edges;
 *  - a synthetic font built here byte by byte (its Subrs numbered on purpose
 *    so that renumbering shows): which glyphs and Subrs a subset must keep,
 *    and the exact plaintext bytes of each rewritten charstring, derived by
 *    hand in the comments;
 *  - end to end: the fixture document rendered with whole fonts and with
 *    subset fonts must rasterise to identical pages (pdftoppm) and extract
 *    to identical text (pdftotext), the subset PDF being much smaller.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "pdf/pdf_t1cs.h"
#include "pdf/pdf_t1font.h"
#include "pdf/pdf_t1out.h"
#include "pdf/pdf.h"
#include "pdf/pdf_t1sub.h"
#include <hpdf.h>
#include <hpdf_pages.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <hpdf_fontdef.h>
#include <hpdf_font.h>
#include "testkit.h"

#define LMR10 "/usr/share/texmf/fonts/type1/public/lm/lmr10.pfb"

static unsigned char *S_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static int S_has(const unsigned char *hay, size_t n, const void *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

static void test_ciphers(void **state)
{
    (void)state;
    size_t n;
    unsigned char *pfb = S_slurp(LMR10, &n);
    /* segment 1 (cleartext) header, then segment 2 (binary) */
    assert_int_equal(pfb[0], 0x80);
    size_t l1 = pfb[2] | pfb[3] << 8 | (size_t)pfb[4] << 16;
    const unsigned char *seg2 = pfb + 6 + l1;
    assert_int_equal(seg2[0], 0x80);
    assert_int_equal(seg2[1], 2);
    size_t l2 = seg2[2] | seg2[3] << 8 | (size_t)seg2[4] << 16;
    unsigned char *plain = malloc(l2), *again = malloc(l2);
    assert_true(plain && again);
    pdf_t1cs_decrypt(seg2 + 6, l2, PDF_T1CS_EEXEC, plain);
    assert_true(S_has(plain, 40, "dup/Private", 11));
    assert_true(S_has(plain, l2, "/Subrs", 6));
    assert_true(S_has(plain, l2, "/CharStrings", 12));
    pdf_t1cs_encrypt(plain, l2, PDF_T1CS_EEXEC, again);
    assert_memory_equal(again, seg2 + 6, l2);
    free(plain);
    free(again);
    free(pfb);
}

static void test_numbers(void **state)
{
    (void)state;
    /* v -> bytes (spec 6.2): -107..107 one byte v+139; 108..1131 two bytes
     * (247 + (v-108)/256, (v-108)%256); -1131..-108 (251 + (-v-108)/256, ..);
     * else 255 and four bytes big-endian. */
    struct { long v; size_t n; unsigned char b[5]; } cases[] = {
        {0, 1, {139}}, {-107, 1, {32}}, {107, 1, {246}},
        {108, 2, {247, 0}}, {1131, 2, {250, 255}}, {364, 2, {248, 0}},
        {-108, 2, {251, 0}}, {-1131, 2, {254, 255}},
        {1132, 5, {255, 0, 0, 4, 108}}, {-1132, 5, {255, 255, 255, 251, 148}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char out[5];
        assert_int_equal(pdf_t1cs_number(cases[i].v, out), cases[i].n);
        assert_memory_equal(out, cases[i].b, cases[i].n);
        long back = 0;
        assert_int_equal(pdf_t1cs_number_read(out, cases[i].n, &back), cases[i].n);
        assert_int_equal(back, cases[i].v);
        assert_int_equal(pdf_t1cs_number_len(out[0]), cases[i].n);
    }
}

/* ---- a synthetic font ---------------------------------------------------- */

typedef struct S_b {
    unsigned char p[8192];
    size_t n;
} S_b;

static void S_add(S_b *b, const void *s, size_t n)
{
    assert_true(b->n + n <= sizeof b->p);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void S_str(S_b *b, const char *s)
{
    S_add(b, s, strlen(s));
}

/* Charstring from a program of numbers and operators (ops as negative
 * codes: -10 callsubr, -11 return, -13 hsbw, -14 endchar, -1206 seac,
 * -1216 callothersubr, -1217 pop), lenIV 4 zero bytes, encrypted. */
static size_t S_cs(const long *prog, size_t np, unsigned char *out)
{
    unsigned char plain[256];
    size_t n = 4;
    memset(plain, 0, 4);
    for (size_t i = 0; i < np; i++) {
        long v = prog[i];
        if (v <= -1200) {
            plain[n++] = 12;
            plain[n++] = (unsigned char)(-v - 1200);
        } else if (v < 0 && v > -32) {
            plain[n++] = (unsigned char)(-v);
        } else
            n += pdf_t1cs_number(v, plain + n);
    }
    pdf_t1cs_encrypt(plain, n, PDF_T1CS_KEY, out);
    return n;
}

#define OP_CALLSUBR (-10)
#define OP_RETURN (-11)
#define OP_HSBW (-13)
#define OP_ENDCHAR (-14)
#define OP_SEAC (-1206)
#define OP_OTHERSUBR (-1216)
#define OP_POP (-1217)

static void S_entry(S_b *b, const char *head, const long *prog, size_t np, const char *tail)
{
    unsigned char cs[256];
    size_t n = S_cs(prog, np, cs);
    char h[128];
    snprintf(h, sizeof h, "%s %zu RD ", head, n);
    S_str(b, h);
    S_add(b, cs, n);
    S_str(b, tail);
}

/* Subrs 0..3: flex/hint machinery (just `return` here); 4: outline that
 * calls 6; 5: hint replacement `1 3 callothersubr pop callsubr return`;
 * 6: outline; 7: replacement hints; 8: unused.
 * Glyphs: A = `0 500 hsbw 4 callsubr endchar`; B = `0 500 hsbw 7 5 callsubr
 * endchar` (7 reaches callsubr through othersubr 3); ring; C (calls 8);
 * Aring = `0 500 hsbw 0 0 0 65 202 seac` (202 = ring in StandardEncoding). */
static unsigned char *S_font(size_t *len)
{
    static S_b priv, all;
    memset(&priv, 0, sizeof priv);
    memset(&all, 0, sizeof all);
    S_add(&priv, "\0\0\0\0", 4);
    S_str(&priv, "dup/Private 8 dict dup begin\n/RD{string currentfile exch readstring pop}"
                 "executeonly def\n/ND{noaccess def}executeonly def\n"
                 "/NP{noaccess put}executeonly def\n/BlueValues[-10 0]def\n/Subrs 9 array\n");
    long ret[] = {OP_RETURN};
    for (int i = 0; i < 4; i++) {
        char h[32];
        snprintf(h, sizeof h, "dup %d", i);
        S_entry(&priv, h, ret, 1, " NP\n");
    }
    long s4[] = {10, 20, -21, 6, OP_CALLSUBR, OP_RETURN};   /* 10 20 rmoveto 6 callsubr */
    S_entry(&priv, "dup 4", s4, 6, " NP\n");
    long s5[] = {1, 3, OP_OTHERSUBR, OP_POP, OP_CALLSUBR, OP_RETURN};
    S_entry(&priv, "dup 5", s5, 6, " NP\n");
    long s6[] = {100, -6, OP_RETURN};                        /* 100 hlineto */
    S_entry(&priv, "dup 6", s6, 3, " NP\n");
    long s7[] = {0, 50, -1, OP_RETURN};                      /* 0 50 hstem */
    S_entry(&priv, "dup 7", s7, 4, " NP\n");
    long s8[] = {200, -6, OP_RETURN};
    S_entry(&priv, "dup 8", s8, 3, " NP\n");
    S_str(&priv, "ND\n2 index /CharStrings 6 dict dup begin\n");
    long nd[] = {0, 500, OP_HSBW, OP_ENDCHAR};
    S_entry(&priv, "/.notdef", nd, 4, " ND\n");
    long ga[] = {0, 500, OP_HSBW, 4, OP_CALLSUBR, OP_ENDCHAR};
    S_entry(&priv, "/A", ga, 6, " ND\n");
    long gb[] = {0, 500, OP_HSBW, 7, 5, OP_CALLSUBR, OP_ENDCHAR};
    S_entry(&priv, "/B", gb, 7, " ND\n");
    long gc[] = {0, 500, OP_HSBW, 8, OP_CALLSUBR, OP_ENDCHAR};
    S_entry(&priv, "/C", gc, 6, " ND\n");
    long gr[] = {0, 300, OP_HSBW, OP_ENDCHAR};
    S_entry(&priv, "/ring", gr, 4, " ND\n");
    long gar[] = {0, 500, OP_HSBW, 0, 0, 0, 65, 202, OP_SEAC};
    S_entry(&priv, "/Aring", gar, 9, " ND\n");
    S_str(&priv, "end\nend\nreadonly put\nnoaccess put\ndup/FontName get exch definefont pop\n"
                 "mark currentfile closefile\n");
    S_str(&all, "%!PS-AdobeFont-1.0: Synth 1.0\n%%Comment: dropped in subsets\n"
                "12 dict begin\n/FontName /Synth def\n/Encoding 256 array\n"
                "0 1 255 {1 index exch /.notdef put} for\n"
                "dup 65 /A put\ndup 66 /B put\ndup 67 /C put\ndup 197 /Aring put\n"
                "readonly def\ncurrentdict end\ncurrentfile eexec\n");
    size_t at = all.n;
    all.n += priv.n;
    pdf_t1cs_encrypt(priv.p, priv.n, PDF_T1CS_EEXEC, all.p + at);
    S_str(&all, "\n0000000000000000000000000000000000000000000000000000000000000000\n"
                "cleartomark\n");
    *len = all.n;
    return all.p;
}

/* The decrypted charstring (lenIV skipped) of entry `head` ("/A", "dup 4")
 * in a written subset; returns its length.  Subsets are written with
 * "/lenIV -1" (plain charstrings) when the font had the default lenIV. */
static size_t S_out_cs(const unsigned char *out, const size_t lens[3], const char *head,
                       unsigned char *cs)
{
    unsigned char *plain = malloc(lens[1]);
    assert_non_null(plain);
    pdf_t1cs_decrypt(out + lens[0], lens[1], PDF_T1CS_EEXEC, plain);
    size_t hl = strlen(head), n = 0;
    for (size_t i = 0; i + hl < lens[1]; i++) {
        if (memcmp(plain + i, head, hl) != 0 || plain[i + hl] != ' ')
            continue;
        if (i > 0 && plain[i - 1] != '\n')
            continue;
        unsigned long len = strtoul((const char *)plain + i + hl + 1, NULL, 10);
        const unsigned char *rd = (const unsigned char *)strstr((const char *)plain + i, " RD ");
        assert_non_null(rd);
        if (S_has(plain, lens[1], "/lenIV -1 def", 13)) {
            memcpy(cs, rd + 4, len);
            n = len;
            break;
        }
        pdf_t1cs_decrypt(rd + 4, len, PDF_T1CS_KEY, cs);
        n = len - 4;
        memmove(cs, cs + 4, n);
        break;
    }
    free(plain);
    return n;
}

static void test_synthetic_subset(void **state)
{
    (void)state;
    size_t n;
    const unsigned char *font = S_font(&n);
    lb_err e;
    err_clear(&e);
    pdf_t1font *f = pdf_t1font_parse(font, n, "Synth", &e);
    if (!f)
        fail_msg("%s", e.msg);
    assert_string_equal(pdf_t1font_name(f), "Synth");
    assert_int_equal(pdf_t1font_glyphs(f), 6);
    assert_string_equal(pdf_t1font_code_name(f, 197), "Aring");
    assert_null(pdf_t1font_code_name(f, 68));
    assert_int_equal(pdf_t1font_keep(f, "Aring"), 1);
    assert_int_equal(pdf_t1font_keep(f, "B"), 1);
    assert_int_equal(pdf_t1font_keep(f, "nosuch"), 0);
    unsigned char *out = NULL;
    size_t on, lens[3];
    assert_int_equal(pdf_t1out_write(f, "ABCDEF", &out, &on, lens, &e), 0);
    assert_int_equal(lens[0] + lens[1] + lens[2], on);
    /* cleartext: tagged name, encoding cut to kept glyphs, comment gone */
    char *clear = strndup((const char *)out, lens[0]);
    assert_non_null(strstr(clear, "/FontName /ABCDEF+Synth def"));
    assert_non_null(strstr(clear, "dup 65 /A put"));
    assert_non_null(strstr(clear, "dup 66 /B put"));
    assert_non_null(strstr(clear, "dup 197 /Aring put"));
    assert_null(strstr(clear, "/C put"));
    assert_null(strstr(clear, "%%Comment"));
    assert_non_null(strstr(clear, "%!PS-AdobeFont-1.0"));
    free(clear);
    /* kept: .notdef, A and ring (seac of Aring), Aring, B; not C.
     * Subrs kept: 0..3, 4 (A), 6 (from 4), 5 (B), 7 (B via othersubr 3);
     * renumbered 4->4, 5->5, 6->6, 7->7: nothing to rename but 8 goes. */
    pdf_t1font *g = pdf_t1font_parse(out, on, "subset", &e);
    assert_non_null(g);
    assert_int_equal(pdf_t1font_glyphs(g), 5);
    assert_int_equal(pdf_t1font_keep(g, "ring"), 1);
    assert_int_equal(pdf_t1font_keep(g, "A"), 1);
    assert_int_equal(pdf_t1font_keep(g, "C"), 0);
    unsigned char *plain = malloc(lens[1]);
    pdf_t1cs_decrypt(out + lens[0], lens[1], PDF_T1CS_EEXEC, plain);
    assert_true(S_has(plain, lens[1], "/Subrs 8 array", 14));
    /* plain charstrings (4 lead bytes fewer each), declared in the Private
     * dict, whose size grows by that entry (8 -> 9) */
    assert_true(S_has(plain, lens[1], "dup/Private 9 dict", 18));
    assert_true(S_has(plain, lens[1], "/lenIV -1 def\n/Subrs", 20));
    assert_false(S_has(plain, lens[1], "dup 8 ", 6));
    assert_true(S_has(plain, lens[1], "/CharStrings 5 dict", 19));
    free(plain);
    pdf_t1font_free(g);
    free(out);
    pdf_t1font_free(f);

    /* Only C and B: Subrs 4, 6, 7... 4 and 6 go; 5 -> 4, 7 -> 5, 8 -> 6.
     * B = `0 500 hsbw 7 5 callsubr endchar` becomes `0 500 hsbw 5 4
     * callsubr endchar`: bytes 139 248 136 13 144 143 10 14.
     * C = `0 500 hsbw 8 callsubr endchar` becomes `... 6 callsubr`:
     * 139 248 136 13 145 10 14. */
    f = pdf_t1font_parse(font, n, "Synth", &e);
    assert_non_null(f);
    pdf_t1font_keep(f, "B");
    pdf_t1font_keep(f, "C");
    assert_int_equal(pdf_t1out_write(f, NULL, &out, &on, lens, &e), 0);
    unsigned char cs[256];
    const unsigned char wb[] = {139, 248, 136, 13, 144, 143, 10, 14};
    assert_int_equal(S_out_cs(out, lens, "/B", cs), sizeof wb);
    assert_memory_equal(cs, wb, sizeof wb);
    const unsigned char wc[] = {139, 248, 136, 13, 145, 10, 14};
    assert_int_equal(S_out_cs(out, lens, "/C", cs), sizeof wc);
    assert_memory_equal(cs, wc, sizeof wc);
    /* new subr 4 is old 5: `1 3 callothersubr pop callsubr return` */
    const unsigned char w4[] = {140, 142, 12, 16, 12, 17, 10, 11};
    assert_int_equal(S_out_cs(out, lens, "dup 4", cs), sizeof w4);
    assert_memory_equal(cs, w4, sizeof w4);
    /* new subr 6 is old 8: `200 hlineto return`: 200 = 247 92 */
    const unsigned char w6[] = {247, 92, 6, 11};
    assert_int_equal(S_out_cs(out, lens, "dup 6", cs), sizeof w6);
    assert_memory_equal(cs, w6, sizeof w6);
    free(out);
    pdf_t1font_free(f);
}

static void test_bad_programs(void **state)
{
    (void)state;
    lb_err e;
    const char *cases[] = {"", "%!PS nothing here", "\x80\x01\xff\xff\xff\x7f",
                           "%!PS\ncurrentfile eexec\n0000"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err_clear(&e);
        pdf_t1font *f = pdf_t1font_parse((const unsigned char *)cases[i], strlen(cases[i]), "bad", &e);
        assert_null(f);
        assert_int_equal(e.code, LB_EXIT_RUNTIME);
        assert_non_null(strstr(e.msg, "Type 1 font bad"));
    }
}

/* A real font: lmr10 cut to a word is a fraction of the whole. */
static void test_real_font(void **state)
{
    (void)state;
    size_t n;
    unsigned char *pfb = S_slurp(LMR10, &n);
    lb_err e;
    err_clear(&e);
    pdf_t1font *f = pdf_t1font_parse(pfb, n, "lmr10", &e);
    assert_non_null(f);
    assert_string_equal(pdf_t1font_name(f), "LMRoman10-Regular");
    assert_true(pdf_t1font_glyphs(f) > 800);
    assert_string_equal(pdf_t1font_code_name(f, 'A'), "A");
    const char *word[] = {"L", "o", "s", "eacute", "fi"};
    for (int i = 0; i < 5; i++)
        assert_int_equal(pdf_t1font_keep(f, word[i]), 1);
    unsigned char *out;
    size_t on, lens[3];
    assert_int_equal(pdf_t1out_write(f, "QWERTY", &out, &on, lens, &e), 0);
    assert_true(on < n / 10);
    pdf_t1font *g = pdf_t1font_parse(out, on, "lmr10 subset", &e);
    assert_non_null(g);
    assert_int_equal(pdf_t1font_glyphs(g), 6);   /* + .notdef */
    assert_string_equal(pdf_t1font_name(g), "QWERTY+LMRoman10-Regular");
    pdf_t1font_free(g);
    free(out);
    pdf_t1font_free(f);
    free(pfb);
}

/* ---- which glyphs a page shows (pdf_t1sub's content scan) ---------------- */

static void S_hpdf_error(HPDF_STATUS a, HPDF_STATUS b, void *u)
{
    (void)u;
    fail_msg("libharu error 0x%04X (%u)", (unsigned)a, (unsigned)b);
}

/* A page whose content starts with an /ActualText span (a string that is
 * not shown, before any Tf), then shows "Lo" with Tj and "s" with TJ in
 * lmr10 (WinAnsi).  The subset must hold exactly .notdef, L, o, s: not the
 * ActualText's bytes (0xFE 0xFF 0x00 'A'), and the page must not make the
 * scan give up. */
static void test_content_scan(void **state)
{
    (void)state;
    HPDF_Doc doc = HPDF_New(S_hpdf_error, NULL);
    assert_non_null(doc);
    const char *name = HPDF_LoadType1FontFromFile(
        doc, "/usr/share/texmf/fonts/afm/public/lm/lmr10.afm", LMR10);
    assert_non_null(name);
    HPDF_Font font = HPDF_GetFont(doc, name, "WinAnsiEncoding");
    HPDF_Page page = HPDF_AddPage(doc);
    HPDF_PageAttr pa = page->attr;
    assert_int_equal(HPDF_Stream_WriteStr(pa->stream,
                                          "/Span <</ActualText <FEFF0041>>> BDC\nEMC\n"), 0);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 10);
    HPDF_Page_TextOut(page, 72, 700, "Lo");
    HPDF_Page_EndText(page);
    assert_int_equal(HPDF_Stream_WriteStr(pa->stream, "BT\n[(s) -250 (s)] TJ\nET\n"), 0);
    pdf_t1sub_stats st;
    lb_err e;
    err_clear(&e);
    assert_int_equal(pdf_t1sub_apply(doc, NULL, 0, &st, &e), 0);
    assert_int_equal(st.fonts_subset, 1);
    assert_int_equal(st.fonts_whole, 0);
    assert_true(st.bytes_after * 10 < st.bytes_before);
    /* the program now in the FontFile stream */
    HPDF_FontAttr fa = font->attr;
    HPDF_Dict desc = fa->fontdef->descriptor;
    HPDF_Dict ff = NULL;
    for (HPDF_UINT i = 0; i < desc->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(desc->list, i);
        if (!strcmp(el->key, "FontFile")) {
            HPDF_Obj_Header *h = el->value;
            ff = h->obj_class == HPDF_OCLASS_PROXY ? ((HPDF_Proxy)el->value)->obj : el->value;
        }
    }
    assert_non_null(ff);
    size_t n = ff->stream->size, at = 0;
    unsigned char *prog = malloc(n);
    assert_non_null(prog);
    HPDF_MemStreamAttr ma = ff->stream->attr;
    for (HPDF_UINT i = 0; i < ma->buf->count; i++) {
        size_t len = i + 1 == ma->buf->count ? ma->w_pos : ma->buf_siz;
        memcpy(prog + at, HPDF_List_ItemAt(ma->buf, i), len);
        at += len;
    }
    pdf_t1font *f = pdf_t1font_parse(prog, n, "subset", &e);
    assert_non_null(f);
    assert_int_equal(pdf_t1font_glyphs(f), 4);
    assert_int_equal(pdf_t1font_keep(f, "L"), 1);
    assert_int_equal(pdf_t1font_keep(f, "o"), 1);
    assert_int_equal(pdf_t1font_keep(f, "s"), 1);
    assert_int_equal(pdf_t1font_keep(f, "A"), 0);
    pdf_t1font_free(f);
    free(prog);
    HPDF_Free(doc);
}

/* ---- end to end ------------------------------------------------------------ */

/* Whole fonts vs subset fonts: same pixels on every page, same text. */
static void test_rasters_identical(void **state)
{
    (void)state;
    char *dir = tk_tmpdir_new("t1font");
    assert_non_null(dir);
    char a[1200], b[1200];
    snprintf(a, sizeof a, "%s/whole.pdf", dir);
    snprintf(b, sizeof b, "%s/subset.pdf", dir);
    pdf_opts o;
    pdf_opts_default(&o);
    o.whole_fonts = 1;
    tk_render_fixture(&o, a);
    tk_render_fixture(NULL, b);
    long long sa = tk_file_size(a), sb = tk_file_size(b);
    if (!(sb * 3 < sa))
        fail_msg("subset %lld bytes, whole %lld: expected under a third", sb, sa);
    char *d = tk_pdf_same_pages(a, b, 100);
    if (d)
        fail_msg("whole vs subset fonts: %s", d);
    /* every embedded Type 1 font is a tagged subset ("sub" column yes) */
    char *fonts = tk_pdffonts(b);
    assert_non_null(fonts);
    int count = 0;
    for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, " Type 1 "))
            continue;
        count++;
        char name[256], t1[16], t2[16], enc[64], emb[8], sub[8];
        if (sscanf(line, "%255s %15s %15s %63s %7s %7s", name, t1, t2, enc, emb, sub) != 6 ||
            strlen(name) < 8 || name[6] != '+' || strcmp(sub, "yes") != 0)
            fail_msg("not a subset: %s", line);
    }
    assert_true(count >= 5);
    free(fonts);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ciphers),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_synthetic_subset),
        cmocka_unit_test(test_bad_programs),
        cmocka_unit_test(test_real_font),
        cmocka_unit_test(test_content_scan),
        cmocka_unit_test(test_rasters_identical),
    };
    return cmocka_run_group_tests_name("t1font", tests, NULL, NULL);
}
