/* pdf_objstm — see pdf_objstm.h.
 *
 * The input is read through its own cross-reference table: each object runs
 * from its offset to the next object's (or the table), so nothing inside a
 * stream is ever parsed.  An object is a stream when its text ends with
 * "endstream".  The output: the header (version raised to 1.5), the stream
 * objects in their order, the object streams (N objects, /First, the
 * bodies separated by newlines), and the cross-reference stream (/W [1 4
 * 2]: type, offset or object-stream number, generation or index) carrying
 * the trailer's /Root, /Info and /ID. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "base/bytebuf.h"
#include "pdf/pdf_objstm.h"

typedef struct S_obj {
    unsigned long num;
    size_t off, body, body_len;   /* where "N 0 obj" starts; its body */
    int stream;
    unsigned long stm;            /* type 2: the object stream, its index */
    unsigned idx;
    size_t out_off;               /* type 1: offset in the output */
} S_obj;

static int S_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

/* An unsigned decimal at in[*i] (after white space); 0 if none. */
static int S_uint(const unsigned char *in, size_t n, size_t *i, unsigned long long *v)
{
    while (*i < n && S_ws(in[*i]))
        (*i)++;
    size_t s = *i;
    unsigned long long x = 0;
    while (*i < n && in[*i] >= '0' && in[*i] <= '9' && *i - s < 19)
        x = x * 10 + (unsigned long long)(in[(*i)++] - '0');
    *v = x;
    return *i > s && (*i >= n || in[*i] < '0' || in[*i] > '9');
}

static int S_word(const unsigned char *in, size_t n, size_t *i, const char *w)
{
    while (*i < n && S_ws(in[*i]))
        (*i)++;
    size_t l = strlen(w);
    if (*i + l > n || memcmp(in + *i, w, l) != 0)
        return 0;
    *i += l;
    return 1;
}

static const unsigned char *S_find(const unsigned char *p, size_t n, const char *s)
{
    size_t l = strlen(s);
    for (size_t k = 0; k + l <= n; k++)
        if (p[k] == (unsigned char)s[0] && memcmp(p + k, s, l) == 0)
            return p + k;
    return NULL;
}

/* The value of /KEY in the trailer dictionary t[0, tn) when it is an
 * indirect reference "N G R": its text into out; 0 if absent or not one. */
static int S_ref(const unsigned char *t, size_t tn, const char *key, char *out, size_t cap)
{
    const unsigned char *k = S_find(t, tn, key);
    if (!k)
        return 0;
    size_t i = (size_t)(k - t) + strlen(key);
    unsigned long long a, g;
    if (!S_uint(t, tn, &i, &a) || !S_uint(t, tn, &i, &g) || !S_word(t, tn, &i, "R"))
        return 0;
    snprintf(out, cap, " %llu %llu R", a, g);
    return 1;
}

static int S_cmp_off(const void *a, const void *b)
{
    const S_obj *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Deflate src into b (zlib format, as /FlateDecode reads it). */
static int S_deflate(bbuf *b, const unsigned char *src, size_t n)
{
    uLongf zl = compressBound((uLong)n);
    unsigned char *z = malloc(zl ? zl : 1);
    if (!z || compress2(z, &zl, src, (uLong)n, 9) != Z_OK) {
        free(z);
        return -1;
    }
    bbuf_put(b, z, zl);
    free(z);
    return 0;
}

/* Parse the table; 1 when the file is not one this packer knows. */
static int S_parse(const unsigned char *in, size_t n, S_obj **objs, size_t *nobj,
                   unsigned long *size, size_t *xo, size_t *tr, size_t *tr_len)
{
    size_t tail = n > 1024 ? n - 1024 : 0;
    const unsigned char *sx = NULL;
    for (const unsigned char *q = S_find(in + tail, n - tail, "startxref"); q;
         q = S_find(q + 1, (size_t)(in + n - (q + 1)), "startxref"))
        sx = q;
    if (!sx)
        return 1;
    size_t i = (size_t)(sx - in) + 9;
    unsigned long long v;
    if (!S_uint(in, n, &i, &v) || v + 4 > (unsigned long long)(sx - in)
        || memcmp(in + v, "xref", 4) != 0)
        return 1;
    *xo = (size_t)v;
    i = *xo + 4;
    size_t cap = 0, k = 0;
    S_obj *o = NULL;
    unsigned long top = 0;
    for (;;) {
        size_t save = i;
        if (S_word(in, n, &i, "trailer"))
            break;
        i = save;
        unsigned long long first, count;
        if (!S_uint(in, n, &i, &first) || !S_uint(in, n, &i, &count)
            || first + count > (1ULL << 23))
            goto bad;
        for (unsigned long long e = 0; e < count; e++) {
            unsigned long long off, gen;
            if (!S_uint(in, n, &i, &off) || !S_uint(in, n, &i, &gen))
                goto bad;
            while (i < n && S_ws(in[i]))
                i++;
            if (i >= n || (in[i] != 'n' && in[i] != 'f'))
                goto bad;
            int used = in[i++] == 'n';
            if (first + e + 1 > top)
                top = (unsigned long)(first + e + 1);
            if (!used)
                continue;
            if (gen != 0 || off >= *xo)
                goto bad;
            if (k == cap) {
                cap = cap ? cap * 2 : 256;
                S_obj *no = realloc(o, cap * sizeof *o);
                if (!no) {
                    free(o);
                    return -1;
                }
                o = no;
            }
            memset(&o[k], 0, sizeof o[k]);
            o[k].num = (unsigned long)(first + e);
            o[k].off = (size_t)off;
            k++;
        }
    }
    *tr = i;
    *tr_len = (size_t)(sx - in) - i;
    /* an incremental update or an encrypted file: not libharu's output */
    if (S_find(in + *tr, *tr_len, "/Prev") || S_find(in + *tr, *tr_len, "/Encrypt")
        || S_find(in + *tr, *tr_len, "/XRefStm") || k == 0)
        goto bad;
    qsort(o, k, sizeof *o, S_cmp_off);
    for (size_t j = 0; j < k; j++) {
        size_t end = j + 1 < k ? o[j + 1].off : *xo;
        size_t p = o[j].off;
        unsigned long long num, gen;
        if (end <= p || !S_uint(in, end, &p, &num) || num != o[j].num
            || !S_uint(in, end, &p, &gen) || gen != 0 || !S_word(in, end, &p, "obj"))
            goto bad;
        while (p < end && S_ws(in[p]))
            p++;
        size_t q = end;
        while (q > p && S_ws(in[q - 1]))
            q--;
        if (q - p < 6 || memcmp(in + q - 6, "endobj", 6) != 0)
            goto bad;
        q -= 6;
        while (q > p && S_ws(in[q - 1]))
            q--;
        o[j].body = p;
        o[j].body_len = q - p;
        o[j].stream = q - p >= 9 && memcmp(in + q - 9, "endstream", 9) == 0;
    }
    *objs = o;
    *nobj = k;
    *size = top;
    return 0;
bad:
    free(o);
    return 1;
}

static void S_row(bbuf *b, int type, unsigned long long f2, unsigned f3)
{
    unsigned char r[7] = { (unsigned char)type,
                           (unsigned char)(f2 >> 24), (unsigned char)(f2 >> 16),
                           (unsigned char)(f2 >> 8), (unsigned char)f2,
                           (unsigned char)(f3 >> 8), (unsigned char)f3 };
    bbuf_put(b, r, sizeof r);
}

int pdf_objstm_pack(const unsigned char *in, size_t n, unsigned char **out, size_t *out_len,
                    lb_err *e)
{
    S_obj *o = NULL;
    size_t k = 0, xo = 0, tr = 0, tr_len = 0;
    unsigned long size = 0;
    if (n < 16 || memcmp(in, "%PDF-1.", 7) != 0 || n >= ((size_t)1 << 31))
        return 1;
    int rc = S_parse(in, n, &o, &k, &size, &xo, &tr, &tr_len);
    if (rc != 0)
        return rc < 0 ? err_nomem(e) : 1;
    char root[64], info[64] = "";
    const unsigned char *id = S_find(in + tr, tr_len, "/ID");
    if (!S_ref(in + tr, tr_len, "/Root", root, sizeof root)) {
        free(o);
        return 1;
    }
    int has_info = S_ref(in + tr, tr_len, "/Info", info, sizeof info);
    size_t id_len = 0;
    if (id) {   /* "/ID [<...> <...>]" copied as it is */
        const unsigned char *z = memchr(id, ']', (size_t)(in + tr + tr_len - id));
        id_len = z ? (size_t)(z - id) + 1 : 0;
    }

    bbuf b = {0}, raw = {0}, hdr = {0}, rows = {0};
    /* header: the version raised to 1.5, libharu's binary comment kept */
    char ver = in[7] >= '5' && in[7] <= '9' ? (char)in[7] : '5';
    char head[16];
    snprintf(head, sizeof head, "%%PDF-1.%c\n", ver);
    bbuf_puts(&b, head);
    const unsigned char *nl = memchr(in, '\n', 16);
    if (nl && nl[1] == '%') {
        const unsigned char *nl2 = memchr(nl + 1, '\n', (size_t)(in + n - (nl + 1)));
        if (nl2 && nl2 - nl < 64)
            bbuf_put(&b, nl + 1, (size_t)(nl2 - nl));
    }
    /* streams as they are */
    for (size_t j = 0; j < k; j++) {
        if (!o[j].stream)
            continue;
        char h[48];
        o[j].out_off = b.len;
        snprintf(h, sizeof h, "%lu 0 obj\n", o[j].num);
        bbuf_puts(&b, h);
        bbuf_put(&b, in + o[j].body, o[j].body_len);
        bbuf_puts(&b, "\nendobj\n");
    }
    /* the rest in object streams, numbered from the old /Size on */
    unsigned long next = size;
    size_t nstm = 0;
    unsigned long *stm_num = NULL;
    size_t *stm_off = NULL;
    size_t nsmall = 0;
    for (size_t j = 0; j < k; j++)
        nsmall += !o[j].stream;
    size_t maxstm = nsmall / PDF_OBJSTM_MAX + 1;
    stm_num = malloc(maxstm * sizeof *stm_num);
    stm_off = malloc(maxstm * sizeof *stm_off);
    if (!stm_num || !stm_off)
        b.failed = 1;
    for (size_t j = 0; j < k && !b.failed;) {
        raw.len = hdr.len = 0;
        unsigned cnt = 0;
        unsigned long sn = next++;
        for (; j < k && cnt < PDF_OBJSTM_MAX; j++) {
            if (o[j].stream)
                continue;
            char h[48];
            snprintf(h, sizeof h, "%lu %zu ", o[j].num, raw.len);
            bbuf_puts(&hdr, h);
            bbuf_put(&raw, in + o[j].body, o[j].body_len);
            bbuf_puts(&raw, "\n");
            o[j].stm = sn;
            o[j].idx = cnt++;
        }
        if (cnt == 0) {
            next--;
            break;
        }
        bbuf_put(&hdr, raw.p, raw.len);
        if (hdr.failed || raw.failed) {
            b.failed = 1;
            break;
        }
        stm_num[nstm] = sn;
        stm_off[nstm++] = b.len;
        size_t first = hdr.len - raw.len;
        bbuf z = {0};
        if (S_deflate(&z, hdr.p, hdr.len) < 0 || z.failed) {
            free(z.p);
            b.failed = 1;
            break;
        }
        char h[160];
        snprintf(h, sizeof h, "%lu 0 obj\n<< /Type /ObjStm /N %u /First %zu /Length %zu "
                 "/Filter /FlateDecode >>\nstream\n", sn, cnt, first, z.len);
        bbuf_puts(&b, h);
        bbuf_put(&b, z.p, z.len);
        bbuf_puts(&b, "\nendstream\nendobj\n");
        free(z.p);
    }
    /* the cross-reference stream: rows 0 .. itself */
    unsigned long xn = next;
    size_t xoff = b.len;
    if (!b.failed) {
        unsigned char *kind = calloc(xn + 1, 1);
        size_t *at = calloc(xn + 1, sizeof *at);
        if (!kind || !at)
            b.failed = 1;
        for (size_t j = 0; j < k && !b.failed; j++)
            at[o[j].num] = j, kind[o[j].num] = o[j].stream ? 1 : 2;
        for (size_t s = 0; s < nstm && !b.failed; s++)
            kind[stm_num[s]] = 3, at[stm_num[s]] = s;
        for (unsigned long m = 0; m <= xn && !b.failed; m++) {
            if (m == xn)
                S_row(&rows, 1, xoff, 0);
            else if (kind[m] == 1)
                S_row(&rows, 1, o[at[m]].out_off, 0);
            else if (kind[m] == 2)
                S_row(&rows, 2, o[at[m]].stm, o[at[m]].idx);
            else if (kind[m] == 3)
                S_row(&rows, 1, stm_off[at[m]], 0);
            else
                S_row(&rows, 0, 0, m == 0 ? 65535 : 0);
        }
        free(kind);
        free(at);
        bbuf z = {0};
        if (rows.failed || S_deflate(&z, rows.p, rows.len) < 0 || z.failed)
            b.failed = 1;
        char h[256];
        snprintf(h, sizeof h, "%lu 0 obj\n<< /Type /XRef /Size %lu /W [1 4 2] /Root%s%s%s",
                 xn, xn + 1, root, has_info ? " /Info" : "", has_info ? info : "");
        bbuf_puts(&b, h);
        if (id_len) {
            bbuf_puts(&b, " ");
            bbuf_put(&b, id, id_len);
        }
        snprintf(h, sizeof h, " /Length %zu /Filter /FlateDecode >>\nstream\n", z.len);
        bbuf_puts(&b, h);
        bbuf_put(&b, z.p, z.len);
        snprintf(h, sizeof h, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xoff);
        bbuf_puts(&b, h);
        free(z.p);
    }
    free(raw.p);
    free(hdr.p);
    free(rows.p);
    free(stm_num);
    free(stm_off);
    free(o);
    if (b.failed) {
        free(b.p);
        return err_nomem(e);
    }
    *out = b.p;
    *out_len = b.len;
    return 0;
}
