/* pdf_t1font — see pdf_t1font.h.  Type 1 format: Adobe's "Type 1 Font
 * Format" (1990), chapters 7 (encryption) and 6 (charstring commands). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_t1cs.h"
#include "pdf/pdf_t1font.h"

#define S_ROLE_SUBR 1      /* a literal consumed by callsubr */
#define S_ROLE_OTHER 2     /* ... by anything else */

typedef struct S_entry {   /* one Subrs or CharStrings entry of the Private part */
    size_t start, end;     /* its text [start, end) in plain, terminator included */
    size_t rd, rd_len;     /* the RD-like token ("RD", "-|") */
    size_t bin, bin_len;   /* the encrypted charstring */
    size_t term;           /* where the terminator (" NP\n", " ND\n") starts */
    size_t name, name_len; /* CharStrings: the glyph name (without '/') */
    long index;            /* Subrs: the entry's index */
    int keep, walked;
} S_entry;

struct pdf_t1font {
    unsigned char *clear, *plain, *trailer;   /* one allocation, three views */
    size_t clear_len, plain_len, trailer_len;
    int leniv;
    size_t subrs_num, subrs_num_len;          /* the count after /Subrs */
    S_entry *subrs;
    size_t nsubrs, subrs_first, subrs_end;
    long subr_max;                            /* largest index, -1 if none */
    long *subr_at;                            /* index -> entry, -1 if absent */
    size_t cs_num, cs_num_len;
    S_entry *cs;
    size_t ncs, cs_first, cs_end;
    size_t *hash;                             /* glyph name -> cs entry + 1 */
    size_t hash_size;
    const char *enc[256];                     /* built-in encoding, into names */
    char *names;                              /* the encoding's names, NUL-separated */
    int keep_all_subrs;                       /* a callsubr we could not follow */
    int no_renumber;                          /* a subr number we cannot rewrite */
    unsigned long long *role_key;             /* literal prov + 1 -> role bits */
    unsigned char *role;
    size_t role_cap, role_n;
    char fontname[128];
};

#include "pdf/pdf_t1font_enc.inc"

const char *pdf_t1font_std_name(pdf_t1enc enc, int code)
{
    if (code < 0 || code > 255)
        return NULL;
    return enc == PDF_T1ENC_WINANSI ? S_WINANSI[code] : S_STANDARD[code];
}

/* ---- bytes and tokens ---------------------------------------------------- */

static int S_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0;
}

static int S_delim(unsigned char c)
{
    return S_space(c) || strchr("/[]{}()<>%", c) != NULL;
}

/* The token at *i (after white space): [*start, *i).  A name keeps its '/'.
 * Returns its length, 0 at the end. */
static size_t S_token(const unsigned char *p, size_t n, size_t *i, size_t *start)
{
    size_t k = *i;
    while (k < n && S_space(p[k]))
        k++;
    *start = k;
    if (k >= n)
        return *i = k, 0;
    if (strchr("[]{}", p[k]))
        k++;
    else {
        if (p[k] == '/')
            k++;
        while (k < n && !S_delim(p[k]))
            k++;
    }
    *i = k;
    return k - *start;
}

static int S_is(const unsigned char *p, size_t start, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(p + start, word, len) == 0;
}

static long S_number(const unsigned char *p, size_t start, size_t len, int *ok)
{
    long v = 0;
    *ok = len > 0 && len < 10;
    for (size_t k = 0; k < len && *ok; k++) {
        if (p[start + k] < '0' || p[start + k] > '9')
            *ok = 0;
        else
            v = v * 10 + (p[start + k] - '0');
    }
    return v;
}

static const unsigned char *S_find(const unsigned char *p, size_t n, size_t from, const char *s)
{
    size_t sl = strlen(s);
    for (size_t k = from; k + sl <= n; k++)
        if (p[k] == (unsigned char)s[0] && memcmp(p + k, s, sl) == 0)
            return p + k;
    return NULL;
}

/* ---- parsing ------------------------------------------------------------- */

static int S_bad(lb_err *e, const char *what, const char *why)
{
    return err_set(e, LB_EXIT_RUNTIME, "Type 1 font %s: %s", what, why);
}

/* Split PFB segments or a PFA into clear / binary eexec / trailer. */
static int S_split(pdf_t1font *f, const unsigned char *d, size_t n, const char *what, lb_err *e)
{
    unsigned char *buf = malloc(n + 1);
    if (!buf)
        return err_nomem(e);
    size_t clear = 0, bin = 0, trail = 0;
    unsigned char *tmp_bin = malloc(n + 1), *tmp_tr = malloc(n + 1);
    if (!tmp_bin || !tmp_tr) {
        free(buf), free(tmp_bin), free(tmp_tr);
        return err_nomem(e);
    }
    int rc = 0;
    if (n >= 6 && d[0] == 0x80) {
        size_t k = 0;
        int seen_bin = 0;
        while (k + 2 <= n && d[k] == 0x80 && d[k + 1] != 3) {
            if (k + 6 > n) {
                rc = S_bad(e, what, "truncated PFB segment header");
                break;
            }
            size_t len = (size_t)d[k + 2] | (size_t)d[k + 3] << 8 | (size_t)d[k + 4] << 16
                         | (size_t)d[k + 5] << 24;
            int type = d[k + 1];
            k += 6;
            if (len > n - k || (type != 1 && type != 2)) {
                rc = S_bad(e, what, "bad PFB segment");
                break;
            }
            if (type == 2) {
                memcpy(tmp_bin + bin, d + k, len);
                bin += len;
                seen_bin = 1;
            } else if (!seen_bin) {
                memcpy(buf + clear, d + k, len);
                clear += len;
            } else {
                memcpy(tmp_tr + trail, d + k, len);
                trail += len;
            }
            k += len;
        }
        if (!rc && (!clear || !bin))
            rc = S_bad(e, what, "PFB without cleartext or binary segment");
    } else {
        const unsigned char *x = S_find(d, n, 0, "currentfile eexec");
        if (!x)
            rc = S_bad(e, what, "no 'currentfile eexec'");
        else {
            size_t k = (size_t)(x - d) + 17;
            while (k < n && (d[k] == '\r' || d[k] == '\n' || d[k] == ' ' || d[k] == '\t'))
                k++;
            clear = k;
            memcpy(buf, d, clear);
            const unsigned char *cm = S_find(d, n, k, "cleartomark");
            size_t end = n;
            if (cm) {   /* the trailer: the run of '0's and white space before it */
                end = (size_t)(cm - d);
                while (end > k && (d[end - 1] == '0' || S_space(d[end - 1])))
                    end--;
            }
            memcpy(tmp_tr, d + end, n - end);
            trail = n - end;
            int hex = end - k >= 4;
            for (size_t q = k; q < k + 4 && q < end; q++)
                if (!strchr("0123456789abcdefABCDEF", d[q]))
                    hex = 0;
            if (hex) {   /* hex eexec: decode, skipping white space */
                int hi = -1;
                for (size_t q = k; q < end; q++) {
                    int c = d[q], v;
                    if (c >= '0' && c <= '9') v = c - '0';
                    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
                    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
                    else continue;
                    if (hi < 0) hi = v;
                    else tmp_bin[bin++] = (unsigned char)(hi << 4 | v), hi = -1;
                }
            } else {
                memcpy(tmp_bin, d + k, end - k);
                bin = end - k;
            }
        }
    }
    if (rc) {
        free(buf), free(tmp_bin), free(tmp_tr);
        return -1;
    }
    /* one block: clear | plain | trailer */
    unsigned char *all = realloc(buf, clear + bin + trail + 1);
    if (!all) {
        free(buf), free(tmp_bin), free(tmp_tr);
        return err_nomem(e);
    }
    f->clear = all;
    f->clear_len = clear;
    f->plain = all + clear;
    f->plain_len = bin;
    pdf_t1cs_decrypt(tmp_bin, bin, PDF_T1CS_EEXEC, f->plain);
    f->trailer = all + clear + bin;
    f->trailer_len = trail;
    memcpy(f->trailer, tmp_tr, trail);
    free(tmp_bin);
    free(tmp_tr);
    return 0;
}

/* The cleartext: /FontName and a built-in /Encoding of `dup N /name put`. */
static int S_parse_clear(pdf_t1font *f, lb_err *e)
{
    const unsigned char *p = f->clear;
    size_t n = f->clear_len, i = 0, s, l;
    const unsigned char *fn = S_find(p, n, 0, "/FontName");
    if (fn) {
        i = (size_t)(fn - p) + 9;
        l = S_token(p, n, &i, &s);
        if (l > 1 && p[s] == '/' && l - 1 < sizeof f->fontname)
            snprintf(f->fontname, sizeof f->fontname, "%.*s", (int)(l - 1), (const char *)p + s + 1);
    }
    const unsigned char *en = S_find(p, n, 0, "/Encoding");
    if (!en)
        return 0;
    i = (size_t)(en - p) + 9;
    l = S_token(p, n, &i, &s);
    if (S_is(p, s, l, "StandardEncoding")) {
        for (int c = 0; c < 256; c++)
            f->enc[c] = S_STANDARD[c];
        return 0;
    }
    if (!(f->names = malloc(n + 1)))
        return err_nomem(e);
    size_t used = 0;
    for (;;) {   /* up to "readonly def" / "def": collect every dup N /name put */
        l = S_token(p, n, &i, &s);
        if (!l || S_is(p, s, l, "def"))
            break;
        if (!S_is(p, s, l, "dup"))
            continue;
        size_t s1, s2, s3, i2 = i;
        size_t l1 = S_token(p, n, &i2, &s1), l2 = S_token(p, n, &i2, &s2),
               l3 = S_token(p, n, &i2, &s3);
        int ok;
        long code = S_number(p, s1, l1, &ok);
        if (!ok || code > 255 || l2 < 2 || p[s2] != '/' || !S_is(p, s3, l3, "put"))
            continue;
        memcpy(f->names + used, p + s2 + 1, l2 - 1);
        f->names[used + l2 - 1] = 0;
        f->enc[code] = f->names + used;
        used += l2;
        i = i2;
    }
    return 0;
}

/* One entry: `dup IDX LEN RD <bin> NP` (subr) or `/NAME LEN RD <bin> ND`;
 * *i at its first token.  Returns 1 on an entry, 0 when the next token is
 * not one, -1 on a malformed one. */
static int S_entry_parse(pdf_t1font *f, size_t *i, int subr, S_entry *en)
{
    const unsigned char *p = f->plain;
    size_t n = f->plain_len, s, l, k = *i;
    int ok;
    memset(en, 0, sizeof *en);
    l = S_token(p, n, &k, &s);
    en->start = s;
    if (subr) {
        if (!S_is(p, s, l, "dup"))
            return 0;
        l = S_token(p, n, &k, &s);
        en->index = S_number(p, s, l, &ok);
        if (!ok)
            return -1;
    } else {
        if (l < 2 || p[s] != '/')
            return 0;
        en->name = s + 1;
        en->name_len = l - 1;
    }
    l = S_token(p, n, &k, &s);
    long len = S_number(p, s, l, &ok);
    if (!ok)
        return -1;
    l = S_token(p, n, &k, &s);
    if (!l || k >= n)
        return -1;
    en->rd = s;
    en->rd_len = l;
    k++;   /* exactly one space before the binary */
    if ((size_t)len > n - k)
        return -1;
    en->bin = k;
    en->bin_len = (size_t)len;
    k += (size_t)len;
    en->term = k;
    while (k < n && p[k] != '\n' && p[k] != '\r')
        k++;
    if (k < n && p[k] == '\r')
        k++;
    if (k < n && p[k] == '\n')
        k++;
    en->end = *i = k;
    return 1;
}

static int S_entries(pdf_t1font *f, size_t *i, int subr, S_entry **out, size_t *count, lb_err *e,
                     const char *what)
{
    size_t cap = 0;
    for (;;) {
        S_entry en;
        int r = S_entry_parse(f, i, subr, &en);
        if (r < 0)
            return S_bad(e, what, subr ? "malformed Subrs entry" : "malformed CharStrings entry");
        if (r == 0)
            return 0;
        if (*count == cap) {
            cap = cap ? 2 * cap : 256;
            S_entry *ne = realloc(*out, cap * sizeof *ne);
            if (!ne)
                return err_nomem(e);
            *out = ne;
        }
        (*out)[(*count)++] = en;
    }
}

static size_t S_hash(const unsigned char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t k = 0; k < len; k++)
        h = (h ^ s[k]) * 1099511628211ull;
    return (size_t)h;
}

static long S_glyph(const pdf_t1font *f, const char *name)
{
    size_t len = strlen(name), m = f->hash_size - 1;
    for (size_t h = S_hash((const unsigned char *)name, len) & m; f->hash[h]; h = (h + 1) & m) {
        const S_entry *en = &f->cs[f->hash[h] - 1];
        if (en->name_len == len && memcmp(f->plain + en->name, name, len) == 0)
            return (long)(f->hash[h] - 1);
    }
    return -1;
}

static int S_parse_private(pdf_t1font *f, const char *what, lb_err *e)
{
    const unsigned char *p = f->plain;
    size_t n = f->plain_len, i, s, l;
    int ok;
    f->leniv = 4;
    const unsigned char *lv = S_find(p, n, 0, "/lenIV");
    if (lv) {
        i = (size_t)(lv - p) + 6;
        l = S_token(p, n, &i, &s);
        int neg = l > 1 && p[s] == '-';
        long v = S_number(p, s + neg, l - neg, &ok);
        if (ok)
            f->leniv = neg ? -1 : (int)v;
    }
    f->subr_max = -1;
    const unsigned char *sb = S_find(p, n, 0, "/Subrs");
    if (sb) {
        i = (size_t)(sb - p) + 6;
        l = S_token(p, n, &i, &s);
        S_number(p, s, l, &ok);
        f->subrs_num = s;
        f->subrs_num_len = l;
        size_t s2, l2 = S_token(p, n, &i, &s2);
        if (!ok || !S_is(p, s2, l2, "array"))
            return S_bad(e, what, "expected '/Subrs N array'");
        f->subrs_first = i;
        if (S_entries(f, &i, 1, &f->subrs, &f->nsubrs, e, what) < 0)
            return -1;
        f->subrs_end = f->nsubrs ? f->subrs[f->nsubrs - 1].end : i;
        if (f->nsubrs)
            f->subrs_first = f->subrs[0].start;
        for (size_t k = 0; k < f->nsubrs; k++)
            if (f->subrs[k].index > f->subr_max)
                f->subr_max = f->subrs[k].index;
        if (f->subr_max > 100000)
            return S_bad(e, what, "Subrs index out of range");
        f->subr_at = malloc(((size_t)f->subr_max + 2) * sizeof *f->subr_at);
        if (!f->subr_at)
            return err_nomem(e);
        for (long k = 0; k <= f->subr_max; k++)
            f->subr_at[k] = -1;
        for (size_t k = 0; k < f->nsubrs; k++)
            f->subr_at[f->subrs[k].index] = (long)k;
    }
    const unsigned char *cs = S_find(p, n, sb ? f->subrs_end : 0, "/CharStrings");
    if (!cs)
        return S_bad(e, what, "no /CharStrings");
    i = (size_t)(cs - p) + 12;
    l = S_token(p, n, &i, &s);
    S_number(p, s, l, &ok);
    if (!ok)
        return S_bad(e, what, "expected '/CharStrings N dict'");
    f->cs_num = s;
    f->cs_num_len = l;
    while (i < n && p[i] != '\n' && p[i] != '\r')   /* "dict dup begin" */
        i++;
    f->cs_first = i;
    if (S_entries(f, &i, 0, &f->cs, &f->ncs, e, what) < 0)
        return -1;
    if (!f->ncs)
        return S_bad(e, what, "no charstrings");
    f->cs_end = f->cs[f->ncs - 1].end;
    f->cs_first = f->cs[0].start;
    f->hash_size = 1;
    while (f->hash_size < 2 * f->ncs)
        f->hash_size *= 2;
    if (!(f->hash = calloc(f->hash_size, sizeof *f->hash)))
        return err_nomem(e);
    for (size_t k = 0; k < f->ncs; k++) {
        size_t m = f->hash_size - 1,
               h = S_hash(p + f->cs[k].name, f->cs[k].name_len) & m;
        while (f->hash[h])
            h = (h + 1) & m;
        f->hash[h] = k + 1;
    }
    return 0;
}

pdf_t1font *pdf_t1font_parse(const unsigned char *data, size_t len, const char *what, lb_err *e)
{
    pdf_t1font *f = calloc(1, sizeof *f);
    if (!f) {
        err_nomem(e);
        return NULL;
    }
    if (S_split(f, data, len, what, e) < 0 || S_parse_clear(f, e) < 0
        || S_parse_private(f, what, e) < 0) {
        pdf_t1font_free(f);
        return NULL;
    }
    return f;
}

void pdf_t1font_free(pdf_t1font *f)
{
    if (!f)
        return;
    free(f->clear);
    free(f->subrs);
    free(f->subr_at);
    free(f->cs);
    free(f->hash);
    free(f->names);
    free(f->role_key);
    free(f->role);
    free(f);
}

const char *pdf_t1font_code_name(const pdf_t1font *f, int code)
{
    if (code < 0 || code > 255 || !f->enc[code] || !strcmp(f->enc[code], ".notdef"))
        return NULL;
    return f->enc[code];
}

const char *pdf_t1font_name(const pdf_t1font *f)
{
    return f->fontname;
}

size_t pdf_t1font_glyphs(const pdf_t1font *f)
{
    return f->ncs;
}

size_t pdf_t1font_kept(const pdf_t1font *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->ncs; i++)
        k += f->cs[i].keep;
    return k;
}

int pdf_t1font_keep(pdf_t1font *f, const char *name)
{
    long g = S_glyph(f, name);
    if (g < 0)
        return 0;
    f->cs[g].keep = 1;
    return 1;
}

/* ---- the closure: seac components and Subrs ------------------------------ */

/* Literal roles, by prov (pdf_t1cs.h): a hash set that grows. */
static void S_role_add(pdf_t1font *f, long long prov, unsigned char role)
{
    if (prov < 0)
        return;
    if (2 * (f->role_n + 1) > f->role_cap) {
        size_t cap = f->role_cap ? 2 * f->role_cap : 1024;
        unsigned long long *k = calloc(cap, sizeof *k);
        unsigned char *r = calloc(cap, 1);
        if (!k || !r) {
            free(k), free(r);
            f->no_renumber = 1;
            return;
        }
        for (size_t i = 0; i < f->role_cap; i++)
            if (f->role_key[i]) {
                size_t h = (size_t)(f->role_key[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);
                while (k[h])
                    h = (h + 1) & (cap - 1);
                k[h] = f->role_key[i];
                r[h] = f->role[i];
            }
        free(f->role_key);
        free(f->role);
        f->role_key = k;
        f->role = r;
        f->role_cap = cap;
    }
    unsigned long long key = (unsigned long long)prov + 1;
    size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull) & (f->role_cap - 1);
    while (f->role_key[h] && f->role_key[h] != key)
        h = (h + 1) & (f->role_cap - 1);
    if (!f->role_key[h]) {
        f->role_key[h] = key;
        f->role_n++;
    }
    f->role[h] |= role;
}

/* Entry ids for prov: charstring k -> 2k, subr k -> 2k + 1. */
static int S_walk_entry(pdf_t1font *f, const S_entry *en, long long id, pdf_t1cs_vm *vm,
                        int depth);

static int S_on_subr(void *ctx, double x, long long prov, pdf_t1cs_vm *vm, int depth)
{
    pdf_t1font *f = ctx;
    long idx = x == x && x >= 0 && x <= 1e6 ? (long)x : -1;
    if (idx < 0 || (double)idx != x || idx > f->subr_max || f->subr_at[idx] < 0)
        return -1;
    if (prov < 0)
        f->no_renumber = 1;
    S_role_add(f, prov, S_ROLE_SUBR);
    long at = f->subr_at[idx];
    f->subrs[at].keep = 1;
    return S_walk_entry(f, &f->subrs[at], 2 * (long long)at + 1, vm, depth);
}

static void S_on_seac(void *ctx, double bchar, double achar)
{
    pdf_t1font *f = ctx;
    double codes[2] = {bchar, achar};
    for (int c = 0; c < 2; c++) {
        double x = codes[c];
        long code = x == x && x >= 0 && x < 256 ? (long)x : -1;
        const char *nm = code >= 0 ? S_STANDARD[code] : NULL;
        long g = nm ? S_glyph(f, nm) : -1;
        if (g >= 0 && !f->cs[g].keep)
            f->cs[g].keep = 2;   /* walked by S_close's next round */
    }
}

static void S_on_other(void *ctx, double x, long long prov)
{
    pdf_t1font *f = ctx;
    /* only a value that could be a subr number can conflict */
    if (prov >= 0 && x == x && x >= 0 && x <= (double)f->subr_max && x == (double)(long)x)
        S_role_add(f, prov, S_ROLE_OTHER);
}

static int S_walk_entry(pdf_t1font *f, const S_entry *en, long long id, pdf_t1cs_vm *vm,
                        int depth)
{
    size_t n = en->bin_len;
    unsigned char *b = malloc(n ? n : 1);
    if (!b)
        return -1;
    if (f->leniv >= 0)
        pdf_t1cs_decrypt(f->plain + en->bin, n, PDF_T1CS_KEY, b);
    else
        memcpy(b, f->plain + en->bin, n);
    pdf_t1cs_calls c = {f, S_on_subr, S_on_seac, S_on_other};
    int rc = pdf_t1cs_walk(b, n, f->leniv > 0 ? (size_t)f->leniv : 0, id, vm, &c, depth);
    free(b);
    return rc;
}

/* Mark everything the kept glyphs need; returns 0 or -1 (keep all subrs). */
static int S_close(pdf_t1font *f)
{
    long nd = S_glyph(f, ".notdef");
    if (nd >= 0)
        f->cs[nd].keep = 1;
    for (long k = 0; k <= 3 && k <= f->subr_max; k++)
        if (f->subr_at[k] >= 0)
            f->subrs[f->subr_at[k]].keep = 1;
    int rc = 0, again = 1;
    while (again) {
        again = 0;
        for (size_t k = 0; k < f->ncs; k++) {
            S_entry *en = &f->cs[k];
            if (!en->keep || en->walked)
                continue;
            en->walked = 1;
            en->keep = 1;
            pdf_t1cs_vm vm;
            memset(&vm, 0, sizeof vm);
            if (S_walk_entry(f, en, 2 * (long long)k, &vm, 0) < 0)
                rc = -1;
            again = 1;   /* a seac may have marked an earlier glyph */
        }
    }
    return rc;   /* subrs 0..3 call othersubrs only: nothing to walk */
}

/* ---- writing ------------------------------------------------------------- */

typedef struct S_buf {
    unsigned char *p;
    size_t len, cap;
    int failed;
} S_buf;

static void S_put(S_buf *b, const void *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *np = realloc(b->p, cap);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void S_puts(S_buf *b, const char *s)
{
    S_put(b, s, strlen(s));
}

static int S_kept_name(const pdf_t1font *f, const char *name)
{
    long g = S_glyph(f, name);
    return g >= 0 && f->cs[g].keep;
}

/* The cleartext with the tagged /FontName and the built-in encoding cut to
 * the kept glyphs. */
static void S_write_clear(const pdf_t1font *f, const char *tag, S_buf *o)
{
    const unsigned char *p = f->clear;
    size_t n = f->clear_len, i = 0, s, l, from = 0;
    const unsigned char *fn = tag ? S_find(p, n, 0, "/FontName") : NULL;
    if (fn) {
        i = (size_t)(fn - p) + 9;
        l = S_token(p, n, &i, &s);
        if (l > 1 && p[s] == '/') {
            S_put(o, p, s + 1);
            S_puts(o, tag);
            S_puts(o, "+");
            from = s + 1;
        }
    }
    const unsigned char *en = f->names ? S_find(p, n, from, "/Encoding") : NULL;
    if (en) {   /* drop `dup N /name put` for glyphs not kept */
        i = (size_t)(en - p) + 9;
        for (;;) {
            size_t i0 = i;
            l = S_token(p, n, &i, &s);
            if (!l || S_is(p, s, l, "def"))
                break;
            if (!S_is(p, s, l, "dup"))
                continue;
            size_t s1, s2, s3, i2 = i;
            size_t l1 = S_token(p, n, &i2, &s1), l2 = S_token(p, n, &i2, &s2),
                   l3 = S_token(p, n, &i2, &s3);
            (void)l1;
            if (l2 < 2 || p[s2] != '/' || !S_is(p, s3, l3, "put"))
                continue;
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(l2 - 1), (const char *)p + s2 + 1);
            if (!S_kept_name(f, name)) {   /* cut [start of this dup, after put) */
                (void)i0;
                S_put(o, p + from, s - from);
                from = i2;
                /* keep the line tidy: drop one following newline */
                if (from < n && p[from] == '\r')
                    from++;
                if (from < n && p[from] == '\n')
                    from++;
            }
            i = i2;
        }
    }
    S_put(o, p + from, n - from);
}

/* Comment lines of the cleartext (copyright notes, dates: the PDF's font
 * descriptor says what matters) go, except the first (%!PS-AdobeFont). */
static void S_drop_comments(S_buf *o)
{
    if (o->failed)
        return;
    size_t r = 0, w = 0;
    int first = 1;
    while (r < o->len) {
        size_t end = r;
        while (end < o->len && o->p[end] != '\n' && o->p[end] != '\r')
            end++;
        while (end < o->len && (o->p[end] == '\n' || o->p[end] == '\r'))
            end++;
        if (first || o->p[r] != '%') {
            memmove(o->p + w, o->p + r, end - r);
            w += end - r;
        }
        first = 0;
        r = end;
    }
    o->len = w;
}

static int S_cmp_ull(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

/* The literals that are subr numbers, sorted (prov + 1); NULL when the
 * Subrs cannot be renumbered (a conflict, or nothing known). */
static unsigned long long *S_subr_lits(const pdf_t1font *f, size_t *n)
{
    *n = 0;
    if (f->no_renumber || f->keep_all_subrs)
        return NULL;
    unsigned long long *l = malloc((f->role_n + 1) * sizeof *l);
    if (!l)
        return NULL;
    for (size_t i = 0; i < f->role_cap; i++) {
        if (!f->role_key[i] || !(f->role[i] & S_ROLE_SUBR))
            continue;
        if (f->role[i] & S_ROLE_OTHER) {   /* one literal, two roles */
            free(l);
            *n = 0;
            return NULL;
        }
        l[(*n)++] = f->role_key[i];
    }
    qsort(l, *n, sizeof *l, S_cmp_ull);
    return l;
}

/* One entry re-emitted: `dup NEW` or `/name`, its (new) length, RD, the
 * charstring with its subr numbers renumbered and re-encrypted, the
 * terminator. */
static void S_put_entry(const pdf_t1font *f, const S_entry *en, long long id, long newidx,
                        const long *renum, const unsigned long long *lits, size_t nlits,
                        S_buf *o)
{
    const unsigned char *p = f->plain;
    char num[48];
    unsigned char *bin = NULL;
    size_t blen = en->bin_len;
    /* this entry's subr-number literals: prov in [id << 24, (id + 1) << 24) */
    unsigned long long lo = ((unsigned long long)id << 24) + 1;
    size_t a = 0, b = nlits;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (lits[m] < lo)
            a = m + 1;
        else
            b = m;
    }
    if (renum && a < nlits && lits[a] < lo + ((unsigned long long)1 << 24) && f->leniv >= 0) {
        unsigned char *pl = malloc(en->bin_len), *nw = malloc(en->bin_len * 5 + 5);
        if (!pl || !nw) {
            free(pl), free(nw);
            o->failed = 1;
            return;
        }
        pdf_t1cs_decrypt(p + en->bin, en->bin_len, PDF_T1CS_KEY, pl);
        size_t from = 0, w = 0;
        for (; a < nlits && lits[a] < lo + ((unsigned long long)1 << 24); a++) {
            size_t off = (size_t)(lits[a] - lo);
            long v;
            size_t len = pdf_t1cs_number_read(pl + off, en->bin_len - off, &v);
            if (!len || off < from || v < 0 || v > f->subr_max)
                continue;
            memcpy(nw + w, pl + from, off - from);
            w += off - from;
            w += pdf_t1cs_number(renum[v], nw + w);
            from = off + len;
        }
        memcpy(nw + w, pl + from, en->bin_len - from);
        w += en->bin_len - from;
        bin = malloc(w ? w : 1);
        if (bin)
            pdf_t1cs_encrypt(nw, w, PDF_T1CS_KEY, bin);
        else
            o->failed = 1;
        blen = w;
        free(pl);
        free(nw);
    }
    if (en->name_len) {
        S_put(o, p + en->name - 1, en->name_len + 1);
        snprintf(num, sizeof num, " %zu ", blen);
    } else
        snprintf(num, sizeof num, "dup %ld %zu ", newidx, blen);
    S_puts(o, num);
    S_put(o, p + en->rd, en->rd_len);
    S_puts(o, " ");
    S_put(o, bin ? bin : p + en->bin, blen);
    S_put(o, p + en->term, en->end - en->term);
    free(bin);
}

static void S_write_private(const pdf_t1font *f, S_buf *o)
{
    const unsigned char *p = f->plain;
    char num[32];
    size_t from = 0, nlits = 0;
    unsigned long long *lits = S_subr_lits(f, &nlits);
    long *renum = NULL;   /* old subr number -> new, when renumbering */
    if (lits && f->subr_at && (renum = malloc(((size_t)f->subr_max + 1) * sizeof *renum))) {
        long next = 4;
        for (long k = 0; k <= f->subr_max; k++) {
            long at = f->subr_at[k];
            renum[k] = k < 4 ? k : (at >= 0 && f->subrs[at].keep ? next++ : -1);
        }
    }
    if (f->subr_at) {
        long last = 3;   /* the highest number written */
        for (long k = 0; k <= f->subr_max; k++) {
            long at = f->subr_at[k];
            long nk = renum ? renum[k] : k;
            if (at >= 0 && f->subrs[at].keep && nk > last)
                last = nk;
        }
        S_put(o, p, f->subrs_num);
        snprintf(num, sizeof num, "%ld", last + 1);
        S_puts(o, num);
        from = f->subrs_num + f->subrs_num_len;
        S_put(o, p + from, f->subrs_first - from);
        /* A stub entry: lenIV zero bytes then `return`, encrypted like the rest. */
        const S_entry *ref = &f->subrs[0];
        unsigned char stub[8] = {0}, enc[8];
        size_t sl = (size_t)(f->leniv > 0 ? f->leniv : 0) + 1;
        if (sl > sizeof stub)
            sl = sizeof stub;
        stub[sl - 1] = 11;
        if (f->leniv >= 0)
            pdf_t1cs_encrypt(stub, sl, PDF_T1CS_KEY, enc);
        else
            memcpy(enc, stub, sl);
        /* new number -> old entry */
        for (long nk = 0; nk <= last; nk++) {
            long at = -1;
            if (!renum)
                at = nk <= f->subr_max ? f->subr_at[nk] : -1;
            else
                for (long k = nk < 4 ? nk : 4; k <= f->subr_max && at < 0; k++)
                    if (renum[k] == nk)
                        at = f->subr_at[k];
            if (at >= 0 && f->subrs[at].keep) {
                S_put_entry(f, &f->subrs[at], 2 * (long long)at + 1, nk, renum, lits, nlits, o);
                continue;
            }
            snprintf(num, sizeof num, "dup %ld %zu ", nk, sl);
            S_puts(o, num);
            S_put(o, p + ref->rd, ref->rd_len);
            S_puts(o, " ");
            S_put(o, enc, sl);
            S_put(o, p + ref->term, ref->end - ref->term);
        }
        from = f->subrs_end;
    }
    size_t kept = 0;
    for (size_t k = 0; k < f->ncs; k++)
        kept += f->cs[k].keep != 0;
    S_put(o, p + from, f->cs_num - from);
    snprintf(num, sizeof num, "%zu", kept);
    S_puts(o, num);
    from = f->cs_num + f->cs_num_len;
    S_put(o, p + from, f->cs_first - from);
    for (size_t k = 0; k < f->ncs; k++)
        if (f->cs[k].keep)
            S_put_entry(f, &f->cs[k], 2 * (long long)k, -1, renum, lits, nlits, o);
    S_put(o, p + f->cs_end, f->plain_len - f->cs_end);
    free(renum);
    free(lits);
}

int pdf_t1font_write(pdf_t1font *f, const char *tag, unsigned char **out, size_t *out_len,
                     size_t lens[3], lb_err *e)
{
    if (S_close(f) < 0 || f->keep_all_subrs) {
        f->keep_all_subrs = 1;
        for (size_t k = 0; k < f->nsubrs; k++)
            f->subrs[k].keep = 1;
    }
    S_buf o = {0}, pr = {0};
    S_write_clear(f, tag, &o);
    S_drop_comments(&o);
    lens[0] = o.len;
    S_write_private(f, &pr);
    if (pr.failed || o.failed) {
        free(o.p);
        free(pr.p);
        return err_nomem(e);
    }
    size_t at = o.len;
    S_put(&o, pr.p, pr.len);   /* room for the encrypted copy */
    if (!o.failed)
        pdf_t1cs_encrypt(pr.p, pr.len, PDF_T1CS_EEXEC, o.p + at);
    free(pr.p);
    lens[1] = pr.len;
    S_put(&o, f->trailer, f->trailer_len);
    lens[2] = f->trailer_len;
    if (o.failed) {
        free(o.p);
        return err_nomem(e);
    }
    *out = o.p;
    *out_len = o.len;
    return 0;
}
