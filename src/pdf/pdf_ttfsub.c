/* pdf_ttfsub — see pdf_ttfsub.h.  Table layouts: Apple TrueType Reference
 * and OpenType 1.9 ("glyf" composite flags, "cmap" format 4, "post" 3.0). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_ttfsub.h"

typedef struct S_buf {
    unsigned char *p;
    size_t n, cap;
    int oom;
} S_buf;

static void S_grow(S_buf *b, size_t more)
{
    if (b->oom || b->n + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more)
        cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return;
    }
    b->p = p;
    b->cap = cap;
}

static void S_bytes(S_buf *b, const void *s, size_t n)
{
    S_grow(b, n);
    if (b->oom)
        return;
    if (s)
        memcpy(b->p + b->n, s, n);
    else
        memset(b->p + b->n, 0, n);
    b->n += n;
}

static void S_16(S_buf *b, unsigned v)
{
    unsigned char x[2] = { (unsigned char)(v >> 8), (unsigned char)v };
    S_bytes(b, x, 2);
}

static void S_32(S_buf *b, uint32_t v)
{
    S_16(b, v >> 16);
    S_16(b, v & 0xFFFF);
}

static unsigned S_r16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static void S_w16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void S_w32(unsigned char *p, uint32_t v)
{
    S_w16(p, v >> 16);
    S_w16(p + 2, v & 0xFFFF);
}

/* Components of a composite glyph (numberOfContours < 0). */
static void S_components(const unsigned char *g, size_t len,
                         unsigned char *used, unsigned ng, unsigned *stack,
                         size_t *sp)
{
    size_t at = 10;
    for (;;) {
        if (at + 4 > len)
            return;
        unsigned flags = S_r16(g + at), gid = S_r16(g + at + 2);
        at += 4;
        if (gid < ng && !used[gid]) {
            used[gid] = 1;
            stack[(*sp)++] = gid;
        }
        at += (flags & 0x0001) ? 4 : 2;          /* ARG_1_AND_2_ARE_WORDS */
        if (flags & 0x0008) at += 2;             /* WE_HAVE_A_SCALE */
        else if (flags & 0x0040) at += 4;        /* X_AND_Y_SCALE */
        else if (flags & 0x0080) at += 8;        /* TWO_BY_TWO */
        if (!(flags & 0x0020))                   /* MORE_COMPONENTS */
            return;
    }
}

unsigned pdf_ttfsub_closure(const pdf_ttf *t, const unsigned *cps, size_t n,
                            unsigned char *used)
{
    unsigned ng = pdf_ttf_metrics_of(t)->num_glyphs;
    memset(used, 0, ng);
    unsigned *stack = malloc((ng ? ng : 1) * sizeof *stack);
    size_t sp = 0;
    if (ng)
        used[0] = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned g = pdf_ttf_glyph(t, cps[i]);
        if (g && !used[g]) {
            used[g] = 1;
            if (stack)
                stack[sp++] = g;
        }
    }
    while (stack && sp > 0) {
        unsigned g = stack[--sp];
        size_t len;
        const unsigned char *d = pdf_ttf_glyph_data(t, g, &len);
        if (d && (S_r16(d) & 0x8000))
            S_components(d, len, used, ng, stack, &sp);
    }
    free(stack);
    unsigned max = 0;
    for (unsigned g = 0; g < ng; g++)
        if (used[g])
            max = g;
    return max;
}

typedef struct { unsigned cp, gid; } S_map;

static int S_map_cmp(const void *a, const void *b)
{
    const S_map *x = a, *y = b;
    return x->cp < y->cp ? -1 : x->cp > y->cp;
}

/* cmap with one (3,1) format-4 subtable; runs of consecutive characters
 * with consecutive glyphs share a segment. */
static int S_cmap(S_buf *b, const pdf_ttf *t, const unsigned *cps, size_t n,
                  lb_err *e)
{
    S_map *m = malloc((n ? n : 1) * sizeof *m);
    if (!m)
        return err_nomem(e);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned g = cps[i] <= 0xFFFF ? pdf_ttf_glyph(t, cps[i]) : 0;
        if (g)
            m[k++] = (S_map){ cps[i], g };
    }
    qsort(m, k, sizeof *m, S_map_cmp);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)               /* drop repeats */
        if (u == 0 || m[u - 1].cp != m[i].cp)
            m[u++] = m[i];
    k = u;
    /* segments */
    size_t ns = 0;
    for (size_t i = 0; i < k; i++)
        if (i == 0 || m[i].cp != m[i - 1].cp + 1 || m[i].gid != m[i - 1].gid + 1)
            ns++;
    ns++;                                         /* the 0xFFFF end */
    size_t len = 16 + 8 * ns;
    if (len > 0xFFFF) {
        free(m);
        return err_set(e, LB_EXIT_INPUT, "too many distinct CJK characters "
                       "for one font subset (%zu runs; at most 8189)", ns);
    }
    unsigned sr = 1, es = 0;
    while (sr * 2 <= ns) {
        sr *= 2;
        es++;
    }
    S_16(b, 0);                                   /* cmap version */
    S_16(b, 1);                                   /* one subtable */
    S_16(b, 3);
    S_16(b, 1);
    S_32(b, 12);
    S_16(b, 4);
    S_16(b, (unsigned)len);
    S_16(b, 0);
    S_16(b, (unsigned)(2 * ns));
    S_16(b, 2 * sr);
    S_16(b, es);
    S_16(b, (unsigned)(2 * ns - 2 * sr));
    for (int pass = 0; pass < 4; pass++) {
        if (pass == 1)
            S_16(b, 0);                           /* reservedPad */
        for (size_t i = 0; i < k;) {
            size_t j = i + 1;
            while (j < k && m[j].cp == m[j - 1].cp + 1 &&
                   m[j].gid == m[j - 1].gid + 1)
                j++;
            if (pass == 0) S_16(b, m[j - 1].cp);
            else if (pass == 1) S_16(b, m[i].cp);
            else if (pass == 2) S_16(b, (m[i].gid - m[i].cp) & 0xFFFF);
            else S_16(b, 0);
            i = j;
        }
        S_16(b, pass == 3 ? 0 : pass == 2 ? 1 : 0xFFFF);
    }
    free(m);
    return 0;
}

static uint32_t S_sum(const unsigned char *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 4) {
        uint32_t w = 0;
        for (size_t k = 0; k < 4; k++)
            w = w << 8 | (i + k < n ? p[i + k] : 0);
        s += w;
    }
    return s;
}

enum { S_NT = 13 };

int pdf_ttfsub_build(const pdf_ttf *t, const unsigned *cps, size_t n,
                     unsigned char **out, size_t *outlen, lb_err *e)
{
    const pdf_ttf_metrics *mt = pdf_ttf_metrics_of(t);
    unsigned ng0 = mt->num_glyphs;
    unsigned char *used = malloc(ng0 ? ng0 : 1);
    S_buf tb[S_NT];
    memset(tb, 0, sizeof tb);
    int rc = -1;
    *out = NULL;
    *outlen = 0;
    if (!used)
        return err_nomem(e);
    unsigned ng = pdf_ttfsub_closure(t, cps, n, used) + 1;

    /* Sorted by tag, as the table directory must be. */
    static const char *const tags[S_NT] = { "OS/2", "cmap", "cvt ", "fpgm",
        "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name",
        "post" };
    size_t hl, ml, hhl, hmx_l, pl;
    const unsigned char *head = pdf_ttf_table(t, "head", &hl);
    const unsigned char *maxp = pdf_ttf_table(t, "maxp", &ml);
    const unsigned char *hhea = pdf_ttf_table(t, "hhea", &hhl);
    const unsigned char *hmtx = pdf_ttf_table(t, "hmtx", &hmx_l);
    const unsigned char *post = pdf_ttf_table(t, "post", &pl);
    unsigned nhm = S_r16(hhea + 34);
    for (int i = 0; i < S_NT; i++) {
        S_buf *b = &tb[i];
        const char *tag = tags[i];
        size_t l;
        if (!strcmp(tag, "glyf")) {
            S_buf *loca = &tb[9];
            for (unsigned g = 0; g < ng; g++) {
                S_32(loca, (uint32_t)b->n);
                size_t gl = 0;
                const unsigned char *d = used[g] ? pdf_ttf_glyph_data(t, g, &gl) : NULL;
                if (d) {
                    S_bytes(b, d, gl);
                    S_bytes(b, NULL, (4 - gl % 4) % 4);
                }
            }
            S_32(loca, (uint32_t)b->n);
        } else if (!strcmp(tag, "loca")) {
            continue;                             /* written with glyf */
        } else if (!strcmp(tag, "cmap")) {
            if (S_cmap(b, t, cps, n, e) < 0)
                goto out;
        } else if (!strcmp(tag, "head")) {
            S_bytes(b, head, hl);
            if (!b->oom) {
                S_w32(b->p + 8, 0);               /* checkSumAdjustment */
                S_w16(b->p + 50, 1);              /* long loca */
            }
        } else if (!strcmp(tag, "hhea")) {
            S_bytes(b, hhea, hhl);
            if (!b->oom)
                S_w16(b->p + 34, ng);
        } else if (!strcmp(tag, "maxp")) {
            S_bytes(b, maxp, ml);
            if (!b->oom)
                S_w16(b->p + 4, ng);
        } else if (!strcmp(tag, "hmtx")) {
            for (unsigned g = 0; g < ng; g++) {
                unsigned adv = 0, lsb = 0;
                if (used[g]) {
                    size_t ai = 4 * (size_t)(g < nhm ? g : nhm - 1);
                    size_t li = g < nhm ? 4 * (size_t)g + 2
                                        : 4 * (size_t)nhm + 2 * (size_t)(g - nhm);
                    adv = ai + 2 <= hmx_l ? S_r16(hmtx + ai) : 0;
                    lsb = li + 2 <= hmx_l ? S_r16(hmtx + li) : 0;
                }
                S_16(b, adv);
                S_16(b, lsb);
            }
        } else if (!strcmp(tag, "post")) {
            S_32(b, 0x00030000);                  /* no glyph names */
            if (post && pl >= 16)
                S_bytes(b, post + 4, 12);
            else
                S_bytes(b, NULL, 12);
            S_bytes(b, NULL, 16);
        } else {
            const unsigned char *d = pdf_ttf_table(t, tag, &l);
            if (d)
                S_bytes(b, d, l);
        }
        if (b->oom) {
            err_nomem(e);
            goto out;
        }
    }
    if (tb[9].oom) {
        err_nomem(e);
        goto out;
    }

    /* Assemble: offset table, directory, tables 4-aligned. */
    int nt = 0;
    for (int i = 0; i < S_NT; i++)
        nt += tb[i].n > 0;
    S_buf f = { 0 };
    unsigned sr = 1, es = 0;
    while (sr * 2 <= (unsigned)nt) {
        sr *= 2;
        es++;
    }
    S_32(&f, 0x00010000);
    S_16(&f, (unsigned)nt);
    S_16(&f, sr * 16);
    S_16(&f, es);
    S_16(&f, (unsigned)nt * 16 - sr * 16);
    size_t off = 12 + 16 * (size_t)nt, head_at = 0;
    for (int i = 0; i < S_NT; i++) {
        if (!tb[i].n)
            continue;
        S_bytes(&f, tags[i], 4);
        S_32(&f, S_sum(tb[i].p, tb[i].n));
        S_32(&f, (uint32_t)off);
        S_32(&f, (uint32_t)tb[i].n);
        if (!strcmp(tags[i], "head"))
            head_at = off;
        off += (tb[i].n + 3) & ~(size_t)3;
    }
    for (int i = 0; i < S_NT; i++) {
        if (!tb[i].n)
            continue;
        S_bytes(&f, tb[i].p, tb[i].n);
        S_bytes(&f, NULL, (4 - tb[i].n % 4) % 4);
    }
    if (f.oom) {
        free(f.p);
        err_nomem(e);
        goto out;
    }
    if (head_at)
        S_w32(f.p + head_at + 8, 0xB1B0AFBAu - S_sum(f.p, f.n));
    *out = f.p;
    *outlen = f.n;
    rc = 0;
out:
    for (int i = 0; i < S_NT; i++)
        free(tb[i].p);
    free(used);
    return rc;
}
