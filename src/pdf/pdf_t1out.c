/* pdf_t1out — see pdf_t1out.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytebuf.h"
#include "pdf/pdf_t1cs.h"
#include "pdf/pdf_t1font_int.h"
#include "pdf/pdf_t1out.h"

static int S_kept_name(const pdf_t1font *f, const char *name)
{
    long g = pdf_t1font_glyph(f, name);
    return g >= 0 && f->cs[g].keep;
}

/* The cleartext with the tagged /FontName and the built-in encoding cut to
 * the kept glyphs. */
static void S_write_clear(const pdf_t1font *f, const char *tag, bbuf *o, size_t *tag_at)
{
    const unsigned char *p = f->clear;
    size_t n = f->clear_len, i = 0, s, l, from = 0;
    const unsigned char *fn = tag ? pdf_t1font_find(p, n, 0, "/FontName") : NULL;
    if (fn) {
        i = (size_t)(fn - p) + 9;
        l = pdf_t1font_token(p, n, &i, &s);
        if (l > 1 && p[s] == '/') {
            bbuf_put(o, p, s + 1);
            *tag_at = o->len;
            bbuf_puts(o, tag);
            bbuf_puts(o, "+");
            from = s + 1;
        }
    }
    const unsigned char *en = f->names ? pdf_t1font_find(p, n, from, "/Encoding") : NULL;
    if (en) {   /* drop `dup N /name put` for glyphs not kept */
        i = (size_t)(en - p) + 9;
        size_t start, nm, nl;
        long code;
        while (pdf_t1font_enc_next(p, n, &i, &start, &code, &nm, &nl)) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)nl, (const char *)p + nm);
            if (!S_kept_name(f, name)) {   /* cut [start of this dup, after put) */
                bbuf_put(o, p + from, start - from);
                from = i;
                /* keep the line tidy: drop one following newline */
                if (from < n && p[from] == '\r')
                    from++;
                if (from < n && p[from] == '\n')
                    from++;
                i = from;
            }
        }
    }
    bbuf_put(o, p + from, n - from);
}

/* Comment lines of the cleartext (copyright notes, dates: the PDF's font
 * descriptor says what matters) go, except the first (%!PS-AdobeFont). */
static void S_drop_comments(bbuf *o, size_t *mark)
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
        int in = *mark >= r && *mark < end;   /* the tag moves with its line */
        if (first || o->p[r] != '%') {
            memmove(o->p + w, o->p + r, end - r);
            if (in)
                *mark = w + (*mark - r);
            w += end - r;
        } else if (in) {
            *mark = SIZE_MAX;
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
        if (!f->role_key[i] || !(f->role[i] & PDF_T1_ROLE_SUBR))
            continue;
        if (f->role[i] & PDF_T1_ROLE_OTHER) {   /* one literal, two roles */
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
 * charstring with its subr numbers renumbered, the terminator.  With
 * `plainout` the charstring is written as it is read (lenIV -1: no
 * encryption and no lenIV lead bytes, 4 bytes less per entry and the same
 * program); otherwise it is re-encrypted when it had to change. */
static void S_put_entry(const pdf_t1font *f, const pdf_t1entry *en, long long id, long newidx,
                        const long *renum, const unsigned long long *lits, size_t nlits,
                        int plainout, bbuf *o)
{
    const unsigned char *p = f->plain;
    char num[48];
    unsigned char *bin = NULL;
    const unsigned char *out = p + en->bin;
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
    int rewrite = renum && a < nlits && lits[a] < lo + ((unsigned long long)1 << 24)
                  && f->leniv >= 0;
    if (rewrite || plainout) {
        unsigned char *pl = malloc(en->bin_len ? en->bin_len : 1);
        unsigned char *nw = malloc(en->bin_len * 5 + 5);
        if (!pl || !nw) {
            free(pl), free(nw);
            o->failed = 1;
            return;
        }
        if (f->leniv >= 0)
            pdf_t1cs_decrypt(p + en->bin, en->bin_len, PDF_T1CS_KEY, pl);
        else
            memcpy(pl, p + en->bin, en->bin_len);
        size_t from = 0, w = 0;
        for (; rewrite && a < nlits && lits[a] < lo + ((unsigned long long)1 << 24); a++) {
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
        size_t skip = plainout ? (size_t)f->leniv : 0;
        skip = skip < w ? skip : w;
        bin = malloc(w ? w : 1);
        if (bin && plainout)
            memcpy(bin, nw + skip, w - skip);
        else if (bin)
            pdf_t1cs_encrypt(nw, w, PDF_T1CS_KEY, bin);
        else
            o->failed = 1;
        out = bin;
        blen = w - skip;
        free(pl);
        free(nw);
    }
    if (en->name_len) {
        bbuf_put(o, p + en->name - 1, en->name_len + 1);
        snprintf(num, sizeof num, " %zu ", blen);
    } else
        snprintf(num, sizeof num, "dup %ld %zu ", newidx, blen);
    bbuf_puts(o, num);
    bbuf_put(o, p + en->rd, en->rd_len);
    bbuf_puts(o, " ");
    if (out)
        bbuf_put(o, out, blen);
    bbuf_put(o, p + en->term, en->end - en->term);
    free(bin);
}

/* Where "/lenIV -1 def" goes: just before the "/Subrs" whose count is at
 * f->subrs_num (the Private dict is the current dictionary there), and the
 * "/Private N dict" count (one more entry); 0 when the font says its own
 * lenIV (kept as it is) or the text is not as expected. */
static int S_plain_at(const pdf_t1font *f, size_t *subrs, size_t *pcount, size_t *pcount_len,
                      long *count)
{
    const unsigned char *p = f->plain;
    if (!f->subr_at || f->leniv != 4 || pdf_t1font_find(p, f->plain_len, 0, "/lenIV"))
        return 0;
    const unsigned char *s = NULL;
    for (const unsigned char *q = pdf_t1font_find(p, f->subrs_num, 0, "/Subrs"); q;
         q = pdf_t1font_find(p, f->subrs_num, (size_t)(q - p) + 1, "/Subrs"))
        s = q;
    const unsigned char *pv = pdf_t1font_find(p, f->subrs_num, 0, "/Private");
    if (!s || !pv || pv > s)
        return 0;
    size_t i = (size_t)(pv - p) + 8, st;
    size_t l = pdf_t1font_token(p, f->subrs_num, &i, &st);
    if (l == 0 || l > 6)
        return 0;
    long v = 0;
    for (size_t k = 0; k < l; k++) {
        if (p[st + k] < '0' || p[st + k] > '9')
            return 0;
        v = v * 10 + (p[st + k] - '0');
    }
    *subrs = (size_t)(s - p);
    *pcount = st;
    *pcount_len = l;
    *count = v;
    return 1;
}

static void S_write_private(const pdf_t1font *f, bbuf *o)
{
    const unsigned char *p = f->plain;
    char num[32];
    size_t from = 0, nlits = 0;
    unsigned long long *lits = S_subr_lits(f, &nlits);
    long *renum = NULL;   /* old subr number -> new, when renumbering */
    size_t subrs_tok = 0, pcount = 0, pcount_len = 0;
    long pdict = 0;
    int plainout = S_plain_at(f, &subrs_tok, &pcount, &pcount_len, &pdict);
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
        if (plainout) {
            bbuf_put(o, p, pcount);
            snprintf(num, sizeof num, "%ld", pdict + 1);
            bbuf_puts(o, num);
            bbuf_put(o, p + pcount + pcount_len, subrs_tok - pcount - pcount_len);
            bbuf_puts(o, "/lenIV -1 def\n");
            bbuf_put(o, p + subrs_tok, f->subrs_num - subrs_tok);
        } else
            bbuf_put(o, p, f->subrs_num);
        snprintf(num, sizeof num, "%ld", last + 1);
        bbuf_puts(o, num);
        from = f->subrs_num + f->subrs_num_len;
        bbuf_put(o, p + from, f->subrs_first - from);
        /* A stub entry: lenIV zero bytes then `return`, encrypted like the rest. */
        const pdf_t1entry *ref = &f->subrs[0];
        unsigned char stub[8] = {0}, enc[8];
        size_t sl = (size_t)(f->leniv > 0 && !plainout ? f->leniv : 0) + 1;
        if (sl > sizeof stub)
            sl = sizeof stub;
        stub[sl - 1] = 11;
        if (f->leniv >= 0 && !plainout)
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
                S_put_entry(f, &f->subrs[at], 2 * (long long)at + 1, nk, renum, lits, nlits,
                            plainout, o);
                continue;
            }
            snprintf(num, sizeof num, "dup %ld %zu ", nk, sl);
            bbuf_puts(o, num);
            bbuf_put(o, p + ref->rd, ref->rd_len);
            bbuf_puts(o, " ");
            bbuf_put(o, enc, sl);
            bbuf_put(o, p + ref->term, ref->end - ref->term);
        }
        from = f->subrs_end;
    }
    size_t kept = 0;
    for (size_t k = 0; k < f->ncs; k++)
        kept += f->cs[k].keep != 0;
    bbuf_put(o, p + from, f->cs_num - from);
    snprintf(num, sizeof num, "%zu", kept);
    bbuf_puts(o, num);
    from = f->cs_num + f->cs_num_len;
    bbuf_put(o, p + from, f->cs_first - from);
    for (size_t k = 0; k < f->ncs; k++)
        if (f->cs[k].keep)
            S_put_entry(f, &f->cs[k], 2 * (long long)k, -1, renum, lits, nlits, plainout, o);
    bbuf_put(o, p + f->cs_end, f->plain_len - f->cs_end);
    free(renum);
    free(lits);
}

int pdf_t1out_write(pdf_t1font *f, const char *tag, unsigned char **out, size_t *out_len,
                    size_t lens[3], lb_err *e)
{
    size_t at;
    return pdf_t1out_write_at(f, tag, out, out_len, lens, &at, e);
}

int pdf_t1out_write_at(pdf_t1font *f, const char *tag, unsigned char **out, size_t *out_len,
                       size_t lens[3], size_t *tag_at, lb_err *e)
{
    if (pdf_t1font_close(f) < 0 || f->keep_all_subrs) {
        f->keep_all_subrs = 1;
        for (size_t k = 0; k < f->nsubrs; k++)
            f->subrs[k].keep = 1;
    }
    bbuf o = {0}, pr = {0};
    *tag_at = SIZE_MAX;
    S_write_clear(f, tag, &o, tag_at);
    S_drop_comments(&o, tag_at);
    lens[0] = o.len;
    S_write_private(f, &pr);
    if (pr.failed || o.failed) {
        free(o.p);
        free(pr.p);
        return err_nomem(e);
    }
    size_t at = o.len;
    bbuf_put(&o, pr.p, pr.len);   /* room for the encrypted copy */
    if (!o.failed)
        pdf_t1cs_encrypt(pr.p, pr.len, PDF_T1CS_EEXEC, o.p + at);
    free(pr.p);
    lens[1] = pr.len;
    bbuf_put(&o, f->trailer, f->trailer_len);
    lens[2] = f->trailer_len;
    if (o.failed) {
        free(o.p);
        return err_nomem(e);
    }
    *out = o.p;
    *out_len = o.len;
    return 0;
}
