/* pdf_t1font — see pdf_t1font.h.  Type 1 format: Adobe's "Type 1 Font
 * Format" (1990), chapters 7 (encryption) and 6 (charstring commands). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_t1cs.h"
#include "pdf/pdf_t1font_int.h"

#include "pdf/pdf_t1font_enc.inc"

const char *pdf_t1font_std_name(pdf_t1enc enc, int code)
{
    if (code < 0 || code > 255)
        return NULL;
    return enc == PDF_T1ENC_WINANSI ? S_WINANSI[code] : S_STANDARD[code];
}

/* ---- bytes and tokens ---------------------------------------------------- */

int pdf_t1font_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0;
}

static int S_delim(unsigned char c)
{
    return pdf_t1font_space(c) || strchr("/[]{}()<>%", c) != NULL;
}

size_t pdf_t1font_token(const unsigned char *p, size_t n, size_t *i, size_t *start)
{
    size_t k = *i;
    while (k < n && pdf_t1font_space(p[k]))
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

int pdf_t1font_is(const unsigned char *p, size_t start, size_t len, const char *word)
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

const unsigned char *pdf_t1font_find(const unsigned char *p, size_t n, size_t from, const char *s)
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
        const unsigned char *x = pdf_t1font_find(d, n, 0, "currentfile eexec");
        if (!x)
            rc = S_bad(e, what, "no 'currentfile eexec'");
        else {
            size_t k = (size_t)(x - d) + 17;
            while (k < n && (d[k] == '\r' || d[k] == '\n' || d[k] == ' ' || d[k] == '\t'))
                k++;
            clear = k;
            memcpy(buf, d, clear);
            const unsigned char *cm = pdf_t1font_find(d, n, k, "cleartomark");
            size_t end = n;
            if (cm) {   /* the trailer: the run of '0's and white space before it */
                end = (size_t)(cm - d);
                while (end > k && (d[end - 1] == '0' || pdf_t1font_space(d[end - 1])))
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
    const unsigned char *fn = pdf_t1font_find(p, n, 0, "/FontName");
    if (fn) {
        i = (size_t)(fn - p) + 9;
        l = pdf_t1font_token(p, n, &i, &s);
        if (l > 1 && p[s] == '/' && l - 1 < sizeof f->fontname)
            snprintf(f->fontname, sizeof f->fontname, "%.*s", (int)(l - 1), (const char *)p + s + 1);
    }
    const unsigned char *en = pdf_t1font_find(p, n, 0, "/Encoding");
    if (!en)
        return 0;
    i = (size_t)(en - p) + 9;
    l = pdf_t1font_token(p, n, &i, &s);
    if (pdf_t1font_is(p, s, l, "StandardEncoding")) {
        for (int c = 0; c < 256; c++)
            f->enc[c] = S_STANDARD[c];
        return 0;
    }
    if (!(f->names = malloc(n + 1)))
        return err_nomem(e);
    size_t used = 0, start, name, name_len;
    long code;
    while (pdf_t1font_enc_next(p, n, &i, &start, &code, &name, &name_len)) {
        memcpy(f->names + used, p + name, name_len);
        f->names[used + name_len] = 0;
        f->enc[code] = f->names + used;
        used += name_len + 1;
    }
    return 0;
}

int pdf_t1font_enc_next(const unsigned char *p, size_t n, size_t *i, size_t *start, long *code,
                        size_t *name, size_t *name_len)
{
    size_t s, l;
    for (;;) {   /* up to "readonly def" / "def" */
        l = pdf_t1font_token(p, n, i, &s);
        if (!l || pdf_t1font_is(p, s, l, "def"))
            return 0;
        if (!pdf_t1font_is(p, s, l, "dup"))
            continue;
        size_t s1, s2, s3, i2 = *i;
        size_t l1 = pdf_t1font_token(p, n, &i2, &s1), l2 = pdf_t1font_token(p, n, &i2, &s2),
               l3 = pdf_t1font_token(p, n, &i2, &s3);
        int ok;
        long c = S_number(p, s1, l1, &ok);
        if (!ok || c > 255 || l2 < 2 || p[s2] != '/' || !pdf_t1font_is(p, s3, l3, "put"))
            continue;
        *start = s;
        *code = c;
        *name = s2 + 1;
        *name_len = l2 - 1;
        *i = i2;
        return 1;
    }
}

/* One entry: `dup IDX LEN RD <bin> NP` (subr) or `/NAME LEN RD <bin> ND`;
 * *i at its first token.  Returns 1 on an entry, 0 when the next token is
 * not one, -1 on a malformed one. */
static int S_entry_parse(pdf_t1font *f, size_t *i, int subr, pdf_t1entry *en)
{
    const unsigned char *p = f->plain;
    size_t n = f->plain_len, s, l, k = *i;
    int ok;
    memset(en, 0, sizeof *en);
    l = pdf_t1font_token(p, n, &k, &s);
    en->start = s;
    if (subr) {
        if (!pdf_t1font_is(p, s, l, "dup"))
            return 0;
        l = pdf_t1font_token(p, n, &k, &s);
        en->index = S_number(p, s, l, &ok);
        if (!ok)
            return -1;
    } else {
        if (l < 2 || p[s] != '/')
            return 0;
        en->name = s + 1;
        en->name_len = l - 1;
    }
    l = pdf_t1font_token(p, n, &k, &s);
    long len = S_number(p, s, l, &ok);
    if (!ok)
        return -1;
    l = pdf_t1font_token(p, n, &k, &s);
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

static int S_entries(pdf_t1font *f, size_t *i, int subr, pdf_t1entry **out, size_t *count, lb_err *e,
                     const char *what)
{
    size_t cap = 0;
    for (;;) {
        pdf_t1entry en;
        int r = S_entry_parse(f, i, subr, &en);
        if (r < 0)
            return S_bad(e, what, subr ? "malformed Subrs entry" : "malformed CharStrings entry");
        if (r == 0)
            return 0;
        if (*count == cap) {
            cap = cap ? 2 * cap : 256;
            pdf_t1entry *ne = realloc(*out, cap * sizeof *ne);
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

long pdf_t1font_glyph(const pdf_t1font *f, const char *name)
{
    size_t len = strlen(name), m = f->hash_size - 1;
    for (size_t h = S_hash((const unsigned char *)name, len) & m; f->hash[h]; h = (h + 1) & m) {
        const pdf_t1entry *en = &f->cs[f->hash[h] - 1];
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
    const unsigned char *lv = pdf_t1font_find(p, n, 0, "/lenIV");
    if (lv) {
        i = (size_t)(lv - p) + 6;
        l = pdf_t1font_token(p, n, &i, &s);
        int neg = l > 1 && p[s] == '-';
        long v = S_number(p, s + neg, l - neg, &ok);
        if (ok)
            f->leniv = neg ? -1 : (int)v;
    }
    f->subr_max = -1;
    const unsigned char *sb = pdf_t1font_find(p, n, 0, "/Subrs");
    if (sb) {
        i = (size_t)(sb - p) + 6;
        l = pdf_t1font_token(p, n, &i, &s);
        S_number(p, s, l, &ok);
        f->subrs_num = s;
        f->subrs_num_len = l;
        size_t s2, l2 = pdf_t1font_token(p, n, &i, &s2);
        if (!ok || !pdf_t1font_is(p, s2, l2, "array"))
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
    const unsigned char *cs = pdf_t1font_find(p, n, sb ? f->subrs_end : 0, "/CharStrings");
    if (!cs)
        return S_bad(e, what, "no /CharStrings");
    i = (size_t)(cs - p) + 12;
    l = pdf_t1font_token(p, n, &i, &s);
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
    long g = pdf_t1font_glyph(f, name);
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
static int S_walk_entry(pdf_t1font *f, const pdf_t1entry *en, long long id, pdf_t1cs_vm *vm,
                        int depth);

static int S_on_subr(void *ctx, double x, long long prov, pdf_t1cs_vm *vm, int depth)
{
    pdf_t1font *f = ctx;
    long idx = x == x && x >= 0 && x <= 1e6 ? (long)x : -1;
    if (idx < 0 || (double)idx != x || idx > f->subr_max || f->subr_at[idx] < 0)
        return -1;
    if (prov < 0)
        f->no_renumber = 1;
    S_role_add(f, prov, PDF_T1_ROLE_SUBR);
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
        long g = nm ? pdf_t1font_glyph(f, nm) : -1;
        if (g >= 0 && !f->cs[g].keep)
            f->cs[g].keep = 2;   /* walked by S_close's next round */
    }
}

static void S_on_other(void *ctx, double x, long long prov)
{
    pdf_t1font *f = ctx;
    /* only a value that could be a subr number can conflict */
    if (prov >= 0 && x == x && x >= 0 && x <= (double)f->subr_max && x == (double)(long)x)
        S_role_add(f, prov, PDF_T1_ROLE_OTHER);
}

static int S_walk_entry(pdf_t1font *f, const pdf_t1entry *en, long long id, pdf_t1cs_vm *vm,
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
int pdf_t1font_close(pdf_t1font *f)
{
    long nd = pdf_t1font_glyph(f, ".notdef");
    if (nd >= 0)
        f->cs[nd].keep = 1;
    for (long k = 0; k <= 3 && k <= f->subr_max; k++)
        if (f->subr_at[k] >= 0)
            f->subrs[f->subr_at[k]].keep = 1;
    int rc = 0, again = 1;
    while (again) {
        again = 0;
        for (size_t k = 0; k < f->ncs; k++) {
            pdf_t1entry *en = &f->cs[k];
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

