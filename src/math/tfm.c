/* tfm — see tfm.h.  Format: TeX: The Program §539ff / TFtoPL.  All words
 * big-endian; dimensions are fix_words (signed, 20 fractional bits). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "math/tfm.h"

struct tfm_font {
    int bc, ec;
    double design;          /* pt */
    unsigned char *raw;     /* whole file */
    long nwords;
    long ci, wd, ht, dp, it, lk, kn, ex, pm; /* word offsets of the tables */
    int nw, nh, nd, ni, nl, nk, ne, np;
};

static long S_word(const tfm_font *f, long w)
{
    const unsigned char *p = f->raw + 4 * w;
    return (long)(((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16)
                  | ((unsigned long)p[2] << 8) | p[3]);
}

static double S_fix(const tfm_font *f, long w)
{
    const unsigned char *p = f->raw + 4 * w;
    int32_t v = (int32_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16)
                          | ((uint32_t)p[2] << 8) | p[3]);
    return v / 1048576.0;
}

tfm_font *tfm_load(const char *path, lb_err *e)
{
    tfm_font *f = NULL, *ret = NULL;
    FILE *fp = fopen(path, "rb");
    long size;
    if (!fp) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot open TFM file", path);
        goto out;
    }
    f = calloc(1, sizeof *f);
    if (!f) {
        err_nomem(e);
        goto out;
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 24 || size > (1L << 22)
        || fseek(fp, 0, SEEK_SET) != 0) {
        err_set(e, LB_EXIT_INPUT, "%s: not a TFM file (bad size)", path);
        goto out;
    }
    f->raw = malloc((size_t)size);
    if (!f->raw) {
        err_nomem(e);
        goto out;
    }
    if (fread(f->raw, 1, (size_t)size, fp) != (size_t)size) {
        err_set(e, LB_EXIT_RUNTIME, "%s: read error", path);
        goto out;
    }
    const unsigned char *r = f->raw;
    int h[12];
    for (int i = 0; i < 12; i++)
        h[i] = (r[2 * i] << 8) | r[2 * i + 1];
    int lf = h[0], lh = h[1];
    f->bc = h[2];
    f->ec = h[3];
    f->nw = h[4]; f->nh = h[5]; f->nd = h[6]; f->ni = h[7];
    f->nl = h[8]; f->nk = h[9]; f->ne = h[10]; f->np = h[11];
    f->nwords = size / 4;
    if (lf * 4L > size || lh < 2 || f->bc > f->ec + 1 || f->ec > 255
        || lf != 6 + lh + (f->ec - f->bc + 1) + f->nw + f->nh + f->nd + f->ni
                  + f->nl + f->nk + f->ne + f->np) {
        err_set(e, LB_EXIT_INPUT, "%s: not a TFM file (inconsistent header)", path);
        goto out;
    }
    f->ci = 6 + lh;
    f->wd = f->ci + (f->ec - f->bc + 1);
    f->ht = f->wd + f->nw;
    f->dp = f->ht + f->nh;
    f->it = f->dp + f->nd;
    f->lk = f->it + f->ni;
    f->kn = f->lk + f->nl;
    f->ex = f->kn + f->nk;
    f->pm = f->ex + f->ne;
    f->design = S_fix(f, 7);
    ret = f;
    f = NULL;
out:
    if (fp)
        fclose(fp);
    tfm_free(f);
    return ret;
}

void tfm_free(tfm_font *f)
{
    if (!f)
        return;
    free(f->raw);
    free(f);
}

double tfm_design_size(const tfm_font *f) { return f->design; }
int tfm_nparams(const tfm_font *f) { return f->np; }

double tfm_param(const tfm_font *f, int n)
{
    if (n < 1 || n > f->np)
        return 0;
    return S_fix(f, f->pm + n - 1);
}

/* char_info word of `code`, or 0 (= nonexistent) */
static long S_info(const tfm_font *f, int code)
{
    if (code < f->bc || code > f->ec)
        return 0;
    return S_word(f, f->ci + code - f->bc);
}

int tfm_has(const tfm_font *f, int code) { return ((S_info(f, code) >> 24) & 0xff) != 0; }

static double S_dim(const tfm_font *f, long base, int n, int idx)
{
    if (idx <= 0 || idx >= n)
        return 0;
    return S_fix(f, base + idx);
}

double tfm_width(const tfm_font *f, int code)
{
    return S_dim(f, f->wd, f->nw, (int)((S_info(f, code) >> 24) & 0xff));
}

double tfm_height(const tfm_font *f, int code)
{
    return S_dim(f, f->ht, f->nh, (int)((S_info(f, code) >> 20) & 0xf));
}

double tfm_depth(const tfm_font *f, int code)
{
    return S_dim(f, f->dp, f->nd, (int)((S_info(f, code) >> 16) & 0xf));
}

double tfm_italic(const tfm_font *f, int code)
{
    return S_dim(f, f->it, f->ni, (int)((S_info(f, code) >> 10) & 0x3f));
}

int tfm_next_larger(const tfm_font *f, int code)
{
    long ci = S_info(f, code);
    if (((ci >> 24) & 0xff) == 0 || ((ci >> 8) & 3) != 2)
        return -1;
    int next = (int)(ci & 0xff);
    return tfm_has(f, next) ? next : -1;
}

int tfm_extensible(const tfm_font *f, int code, int *top, int *mid, int *bot, int *rep)
{
    long ci = S_info(f, code);
    if (((ci >> 24) & 0xff) == 0 || ((ci >> 8) & 3) != 3)
        return 0;
    int idx = (int)(ci & 0xff);
    if (idx >= f->ne)
        return 0;
    long w = S_word(f, f->ex + idx);
    if (top) *top = (int)((w >> 24) & 0xff);
    if (mid) *mid = (int)((w >> 16) & 0xff);
    if (bot) *bot = (int)((w >> 8) & 0xff);
    if (rep) *rep = (int)(w & 0xff);
    return 1;
}

int tfm_lig(const tfm_font *f, int left, int right)
{
    long ci = S_info(f, left);
    if (((ci >> 24) & 0xff) == 0 || ((ci >> 8) & 3) != 1 || f->nl == 0)
        return -1;
    long i = ci & 0xff;
    if (i >= f->nl)
        return -1;
    long w = S_word(f, f->lk + i);
    if (((w >> 24) & 0xff) > 128)
        i = 256 * ((w >> 8) & 0xff) + (w & 0xff);
    for (int guard = 0; guard < 65536 && i < f->nl; guard++) {
        w = S_word(f, f->lk + i);
        int skip = (int)((w >> 24) & 0xff), next = (int)((w >> 16) & 0xff);
        int op = (int)((w >> 8) & 0xff), rem = (int)(w & 0xff);
        if (next == right && skip <= 128)
            return op == 0 && tfm_has(f, rem) ? rem : -1;   /* =: only */
        if (skip >= 128)
            break;
        i += skip + 1;
    }
    return -1;
}

double tfm_kern(const tfm_font *f, int left, int right)
{
    long ci = S_info(f, left);
    if (((ci >> 24) & 0xff) == 0 || ((ci >> 8) & 3) != 1 || f->nl == 0)
        return 0;
    long i = ci & 0xff;
    if (i >= f->nl)
        return 0;
    long w = S_word(f, f->lk + i);
    if (((w >> 24) & 0xff) > 128)   /* large program: real start in op/rem */
        i = 256 * ((w >> 8) & 0xff) + (w & 0xff);
    for (int guard = 0; guard < 65536 && i < f->nl; guard++) {
        w = S_word(f, f->lk + i);
        int skip = (int)((w >> 24) & 0xff), next = (int)((w >> 16) & 0xff);
        int op = (int)((w >> 8) & 0xff), rem = (int)(w & 0xff);
        if (next == right && skip <= 128) {
            if (op >= 128) {
                long k = 256L * (op - 128) + rem;
                return k < f->nk ? S_fix(f, f->kn + k) : 0;
            }
            return 0;   /* a ligature, not a kern */
        }
        if (skip >= 128)
            break;
        i += skip + 1;
    }
    return 0;
}

struct tfm_enc {
    char *names[256];
};

tfm_enc *tfm_enc_load(const char *path, lb_err *e)
{
    tfm_enc *enc = NULL, *ret = NULL;
    char *buf = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot open encoding file", path);
        goto out;
    }
    enc = calloc(1, sizeof *enc);
    buf = malloc(1 << 16);
    if (!enc || !buf) {
        err_nomem(e);
        goto out;
    }
    size_t n = fread(buf, 1, (1 << 16) - 1, fp);
    buf[n] = '\0';
    int count = -1;   /* the first /name is the vector's own name */
    char *p = buf;
    while (*p) {
        if (*p == '%') {
            while (*p && *p != '\n')
                p++;
        } else if (*p == '/') {
            char *s = ++p;
            while (*p && !strchr(" \t\r\n/[]{}()%", *p))
                p++;
            size_t len = (size_t)(p - s);
            if (count >= 0 && count < 256 && !(len == 7 && !memcmp(s, ".notdef", 7))) {
                enc->names[count] = strndup(s, len);
                if (!enc->names[count]) {
                    err_nomem(e);
                    goto out;
                }
            }
            count++;
        } else {
            p++;
        }
    }
    if (count != 256) {
        err_set(e, LB_EXIT_INPUT, "%s: encoding has %d names, expected 256", path, count);
        goto out;
    }
    ret = enc;
    enc = NULL;
out:
    if (fp)
        fclose(fp);
    free(buf);
    tfm_enc_free(enc);
    return ret;
}

void tfm_enc_free(tfm_enc *enc)
{
    if (!enc)
        return;
    for (int i = 0; i < 256; i++)
        free(enc->names[i]);
    free(enc);
}

const char *tfm_enc_name(const tfm_enc *enc, int code)
{
    return code >= 0 && code < 256 ? enc->names[code] : NULL;
}

int tfm_enc_code(const tfm_enc *enc, const char *name)
{
    for (int i = 0; i < 256; i++)
        if (enc->names[i] && !strcmp(enc->names[i], name))
            return i;
    return -1;
}
