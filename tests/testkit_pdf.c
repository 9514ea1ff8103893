/* testkit — see testkit.h: tk_pdf_read (a PDF's object streams unpacked),
 * tk_pdf_same_pages and tk_render_fixture (the end-to-end comparisons of
 * the PDF renderer's tests).
 *
 * tk_pdf_read:
 * Independent of src/pdf/pdf_objstm.c on purpose: it finds every
 * "/Type /ObjStm" stream by its dictionary, inflates it with zlib and
 * splits it by its own header (pairs "NUM OFFSET", /N and /First), as a
 * PDF reader does (ISO 32000-1, 7.5.7). */
#include "testkit.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "pdf/pdf.h"
#include "doc/mdparse.h"
#include "doc/resolve.h"
#include "compute/example.h"
#include "compute/catalog.h"

static const char *S_find(const char *p, const char *end, const char *s)
{
    size_t l = strlen(s);
    for (; p + l <= end; p++)
        if (*p == *s && memcmp(p, s, l) == 0)
            return p;
    return NULL;
}

static long S_key(const char *d, const char *end, const char *key)
{
    const char *k = S_find(d, end, key);
    return k ? strtol(k + strlen(key), NULL, 10) : -1;
}

/* Inflate n bytes at z; malloc'd result, *out_len; NULL on error. */
static char *S_inflate(const char *z, size_t n, size_t *out_len)
{
    size_t cap = n * 4 + 1024;
    char *o = malloc(cap);
    z_stream s;
    memset(&s, 0, sizeof s);
    if (!o || inflateInit(&s) != Z_OK) {
        free(o);
        return NULL;
    }
    s.next_in = (Bytef *)z;
    s.avail_in = (uInt)n;
    int r;
    do {
        if (s.total_out == cap) {
            char *no = realloc(o, cap * 2);
            if (!no)
                break;
            o = no;
            cap *= 2;
        }
        s.next_out = (Bytef *)o + s.total_out;
        s.avail_out = (uInt)(cap - s.total_out);
        r = inflate(&s, Z_NO_FLUSH);
    } while (r == Z_OK);
    *out_len = s.total_out;
    inflateEnd(&s);
    if (r != Z_STREAM_END) {
        free(o);
        return NULL;
    }
    return o;
}

static int S_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = (*len + n + 1) * 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

char *tk_pdf_read(const char *path, size_t *len)
{
    size_t n = 0;
    char *raw = tk_read_file(path, &n);
    if (!raw)
        return NULL;
    size_t cap = n + 1, out = n;
    const char *end;
    /* raw may move while appending: walk by offsets */
    for (size_t at = 0;;) {
        end = raw + n;
        const char *t = S_find(raw + at, end, "/Type /ObjStm");
        if (!t)
            break;
        at = (size_t)(t - raw) + 13;
        const char *dend = S_find(t, end, ">>");
        const char *st = dend ? S_find(dend, end, "stream\n") : NULL;
        if (!st)
            break;
        const char *d0 = t;
        while (d0 > raw && !(d0[0] == '<' && d0[1] == '<'))
            d0--;
        long cnt = S_key(d0, dend, "/N "), first = S_key(d0, dend, "/First ");
        long zlen = S_key(d0, dend, "/Length ");
        st += 7;
        if (cnt < 0 || first < 0 || zlen < 0 || st + zlen > end)
            continue;
        size_t ul = 0;
        char *u = S_inflate(st, (size_t)zlen, &ul);
        if (!u)
            continue;
        char *p = u;
        for (long k = 0; k < cnt; k++) {
            long num = strtol(p, &p, 10), off = strtol(p, &p, 10);
            /* the member ends where the next begins (or the stream ends) */
            char *q = p;
            long next = k + 1 < cnt ? (strtol(q, &q, 10), strtol(q, &q, 10)) : (long)ul - first;
            if (first + off > (long)ul || first + next > (long)ul || next < off)
                break;
            char h[48];
            snprintf(h, sizeof h, "%ld 0 obj\n", num);
            if (S_append(&raw, &out, &cap, h, strlen(h)) < 0
                || S_append(&raw, &out, &cap, u + first + off, (size_t)(next - off)) < 0
                || S_append(&raw, &out, &cap, "\nendobj\n", 8) < 0) {
                free(u);
                free(raw);
                return NULL;
            }
        }
        free(u);
    }
    if (len)
        *len = out;
    return raw;
}

char *tk_pdf_same_pages(const char *a, const char *b, int dpi)
{
    char *dir = tk_tmpdir_new("pdf-same");
    char pa[1200], pb[1200], r[16], *msg = NULL;
    if (!dir)
        return strdup("cannot make a folder");
    snprintf(r, sizeof r, "%d", dpi);
    snprintf(pa, sizeof pa, "%s/a", dir);
    snprintf(pb, sizeof pb, "%s/b", dir);
    if (tk_cmd(NULL, NULL, "pdftoppm", "-r", r, a, pa, NULL) != 0
        || tk_cmd(NULL, NULL, "pdftoppm", "-r", r, b, pb, NULL) != 0) {
        tk_tmpdir_free(dir);
        return strdup("pdftoppm failed");
    }
    size_t na = 0, nb = 0;
    char **pages = tk_list_dir(dir, "a-*.ppm", &na), **other = tk_list_dir(dir, "b-*.ppm", &nb);
    if (!pages || !other || na != nb || na == 0) {
        msg = malloc(96);
        if (msg)
            snprintf(msg, 96, "%zu pages against %zu", na, nb);
    }
    for (size_t i = 0; !msg && i < na; i++) {   /* a-N.ppm against b-N.ppm */
        snprintf(pa, sizeof pa, "%s/%s", dir, pages[i]);
        snprintf(pb, sizeof pb, "%s/b%s", dir, pages[i] + 1);
        msg = tk_diff(pa, pb);
    }
    tk_list_free(pages);
    tk_list_free(other);
    tk_tmpdir_free(dir);
    if (msg)
        return msg;
    char *ta = tk_pdftotext(a, 0, 0), *tb = tk_pdftotext(b, 0, 0);
    if (!ta || !tb || !*ta || strcmp(ta, tb) != 0)
        msg = strdup(!ta || !tb ? "pdftotext failed" : !*ta ? "no text" : "the text differs");
    free(ta);
    free(tb);
    return msg;
}

void tk_render_fixture_(const struct pdf_opts *opts, const char *out, const char *file,
                        int line)
{
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load(tk_src("templates/examples/llm-batch.json"), &e);
    cat *c = m && ex_compute(m, &e) == 0 ? cat_new(m, &e) : NULL;
    doc *d = c ? mdp_parse_file(tk_src("tests/fixtures/pdf/rich.md"), &e) : NULL;
    int rc = -1;
    if (d && res_check(d, c, &e) == 0) {
        char figs[1200];
        snprintf(figs, sizeof figs, "%s", tk_src("tests/fixtures/pdf/figures"));
        pdf_opts o;
        if (opts)
            o = *opts;
        else
            pdf_opts_default(&o);
        o.figures_dir = figs;
        o.date = 1700000000;
        rc = pdf_render(d, c, &o, out, &e);
    }
    doc_free(d);
    cat_free(c);
    ex_free(m);
    if (rc != 0) {
        print_error("the fixture document: %s\n", e.msg);
        _fail(file, line);
    }
}
