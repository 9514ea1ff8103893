/* math_fonts — load the metrics of every math font (AFM + TFM + .enc) and
 * the \mathbb TrueType font; glyph lookup by NAME.  See math.h/math_int.h.
 *
 * Widths and PDF codes come from the AFM; heights, depths, italic
 * corrections, charlists, extensible recipes, kerns and fontdimens from the
 * TFM, reached through the dvips .enc vector (TFM code -> glyph name).
 * Roman fonts keep some glyphs (upright capital Greek, accents, dotless i/j)
 * outside their built-in encoding (AFM "C -1"); we give those spare codes
 * 1..31 ("extra slots") that pdf_fonts maps with an /Encoding /Differences. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "base/par.h"
#include "math/math_int.h"

#define DEFAULT_DIR "/usr/share/texmf/fonts"

enum { ENC_RM, ENC_MI, ENC_SY, ENC_EX, ENC_TT, ENC_COUNT };
static const char *const S_enc_file[ENC_COUNT] = {
    "lm-rm", "lm-mathit", "lm-mathsy", "lm-mathex", "lm-rmtt"
};

typedef struct S_spec {
    const char *afm, *tfm;
    int enc;
    double design;
} S_spec;

static const S_spec S_specs[MATH_F_COUNT] = {
    [MATH_F_LMR10] = { "lmr10", "rm-lmr10", ENC_RM, 10 },
    [MATH_F_LMR7] = { "lmr7", "rm-lmr7", ENC_RM, 7 },
    [MATH_F_LMR5] = { "lmr5", "rm-lmr5", ENC_RM, 5 },
    [MATH_F_LMMI10] = { "lmmi10", "lmmi10", ENC_MI, 10 },
    [MATH_F_LMMI7] = { "lmmi7", "lmmi7", ENC_MI, 7 },
    [MATH_F_LMMI5] = { "lmmi5", "lmmi5", ENC_MI, 5 },
    [MATH_F_LMSY10] = { "lmsy10", "lmsy10", ENC_SY, 10 },
    [MATH_F_LMSY7] = { "lmsy7", "lmsy7", ENC_SY, 7 },
    [MATH_F_LMSY5] = { "lmsy5", "lmsy5", ENC_SY, 5 },
    [MATH_F_LMEX10] = { "lmex10", "lmex10", ENC_EX, 10 },
    [MATH_F_LMBX10] = { "lmbx10", "rm-lmbx10", ENC_RM, 10 },
    [MATH_F_LMBX7] = { "lmbx7", "rm-lmbx7", ENC_RM, 7 },
    [MATH_F_LMBX5] = { "lmbx5", "rm-lmbx5", ENC_RM, 5 },
    [MATH_F_LMMIB10] = { "lmmib10", "lmmib10", ENC_MI, 10 },
    [MATH_F_LMMIB7] = { "lmmib7", "lmmib7", ENC_MI, 7 },
    [MATH_F_LMMIB5] = { "lmmib5", "lmmib5", ENC_MI, 5 },
    /* text families in math, as LaTeX's OT1 font definitions with lmodern
     * choose them (ot1lmr.fd, ot1lmss.fd, ot1lmtt.fd): the 8pt designs
     * serve 7pt and 5pt, lmri7 serves 5pt; `design` is the size used */
    [MATH_F_LMRI10] = { "lmri10", "rm-lmri10", ENC_RM, 10 },
    [MATH_F_LMRI7] = { "lmri7", "rm-lmri7", ENC_RM, 7 },
    [MATH_F_LMRI5] = { "lmri7", "rm-lmri7", ENC_RM, 5 },
    [MATH_F_LMSS10] = { "lmss10", "rm-lmss10", ENC_RM, 10 },
    [MATH_F_LMSS7] = { "lmss8", "rm-lmss8", ENC_RM, 7 },
    [MATH_F_LMSS5] = { "lmss8", "rm-lmss8", ENC_RM, 5 },
    [MATH_F_LMTT10] = { "lmtt10", "rm-lmtt10", ENC_TT, 10 },
    [MATH_F_LMTT7] = { "lmtt8", "rm-lmtt8", ENC_TT, 7 },
    [MATH_F_LMTT5] = { "lmtt8", "rm-lmtt8", ENC_TT, 5 },
    [MATH_F_BB] = { NULL, NULL, -1, 10 }, [MATH_F_BB7] = { NULL, NULL, -1, 7 },
    [MATH_F_BB5] = { NULL, NULL, -1, 5 }, [MATH_F_FRAK] = { NULL, NULL, -1, 10 },
    [MATH_F_FRAK7] = { NULL, NULL, -1, 7 }, [MATH_F_FRAK5] = { NULL, NULL, -1, 5 },
    [MATH_F_SCR] = { NULL, NULL, -1, 10 }, [MATH_F_SCR7] = { NULL, NULL, -1, 7 },
    [MATH_F_SCR5] = { NULL, NULL, -1, 5 },
};

/* TeX metrics of the TrueType fonts' characters (tests/tools/
 * gen_ttf_metrics.py): face (0 AMS, 1 Fraktur, 2 Script), code point, and
 * width, height, depth, italic correction at 10, 7, 5 pt, em. */
typedef struct S_ttmetric { int face; unsigned cp; double m[3][4]; } S_ttmetric;
static const S_ttmetric S_ttmetrics[] = {
#include "math/math_ttfmetrics.inc"
};

static const S_ttmetric *S_ttmetric_of(int face, unsigned cp)
{
    size_t lo = 0, hi = sizeof S_ttmetrics / sizeof *S_ttmetrics;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const S_ttmetric *t = &S_ttmetrics[mid];
        if (t->face == face && t->cp == cp)
            return t;
        if (t->face < face || (t->face == face && t->cp < cp))
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Uncoded roman glyphs that math uses: upright capital Greek, accents. */
static const char *const S_extra_names[] = {
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon",
    "Phi", "Psi", "Omega", "dotlessi", "dotlessj", "circumflex", "tilde",
    "macron", "dotaccent", "acute", "grave", "breve", "caron", "dieresis",
    "ring", "ff", "ffi", "ffl",
};

typedef struct S_font {
    afm_font *afm;
    tfm_font *tfm;
    const tfm_enc *enc;
    const char *extra[32];   /* extra slot code -> glyph name (static) */
    int skew_code;           /* TFM code of the skewchar or -1 */
} S_font;

typedef struct S_ttglyph { int present; double adv, ymin, ymax; } S_ttglyph;

typedef struct S_ttface {    /* a TrueType font's bytes and table offsets */
    unsigned char *d;
    size_t n;
    unsigned long cmap, cl, hmtx, mtl, loca, lol, glyf, gll;
    double upem;
    int longloca;
    unsigned nhm, ng;
} S_ttface;

/* The TrueType math fonts (fonts-katex): face (MATH_F_* - MATH_F_BB) / 3,
 * size index (MATH_F_* - MATH_F_BB) % 3. */
enum { S_NTT = (MATH_F_COUNT - MATH_F_BB) / 3 };
#define S_TTFACE(id) (((id) - MATH_F_BB) / 3)
static const char *const S_tt_default[S_NTT] = {
    "/usr/share/fonts/truetype/katex/KaTeX_AMS-Regular.ttf",
    "/usr/share/fonts/truetype/katex/KaTeX_Fraktur-Regular.ttf",
    "/usr/share/fonts/truetype/katex/KaTeX_Script-Regular.ttf",
};
static const char *const S_tt_what[S_NTT] = { "\\mathbb and amssymb", "\\mathfrak",
                                              "\\mathscr" };

typedef struct S_afms {      /* AFMs loaded for callers, beyond the math fonts */
    char **base;
    afm_font **afm;
    size_t n;
    struct math_fonts_load *pending;   /* still loading them (S_more_join) */
} S_afms;

struct math_fonts {
    S_afms *more;            /* grows through a const handle: a cache */
    char *dir;
    char *ttpath[S_NTT];     /* the TrueType fonts (MATH_F_BB ...) */
    S_ttface tt[S_NTT];
    tfm_enc *enc[ENC_COUNT];
    S_font f[MATH_F_COUNT];
};

int math_fam_font(int fam, int si)
{
    if (si < 0)
        si = 0;
    if (si > 2)
        si = 2;
    switch (fam) {
    case FAM_RM: return MATH_F_LMR10 + si;
    case FAM_MI: return MATH_F_LMMI10 + si;
    case FAM_SY: return MATH_F_LMSY10 + si;
    case FAM_EX: return MATH_F_LMEX10;
    case FAM_BF: return MATH_F_LMBX10 + si;
    case FAM_BMI: return MATH_F_LMMIB10 + si;
    case FAM_IT: return MATH_F_LMRI10 + si;
    case FAM_SF: return MATH_F_LMSS10 + si;
    case FAM_TT: return MATH_F_LMTT10 + si;
    case FAM_FRAK: return MATH_F_FRAK + si;
    case FAM_SCR: return MATH_F_SCR + si;
    default: return MATH_F_BB + si;
    }
}

/* ---- minimal TrueType reader: cmap (format 4), hmtx, loca/glyf bbox ---- */

static unsigned S_u16(const unsigned char *p) { return (unsigned)(p[0] << 8 | p[1]); }
static int S_s16(const unsigned char *p) { return (int16_t)(uint16_t)(p[0] << 8 | p[1]); }
static unsigned long S_u32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16
           | (unsigned long)p[2] << 8 | p[3];
}

/* Offset and length of table `tag`, or 0. */
static unsigned long S_tt_table(const unsigned char *d, size_t n, const char *tag,
                                unsigned long *len)
{
    if (n < 12)
        return 0;
    unsigned nt = S_u16(d + 4);
    for (unsigned i = 0; i < nt; i++) {
        size_t r = 12 + 16 * (size_t)i;
        if (r + 16 > n)
            return 0;
        if (!memcmp(d + r, tag, 4)) {
            unsigned long off = S_u32(d + r + 8);
            *len = S_u32(d + r + 12);
            if (off > n || *len > n - off)
                return 0;
            return off;
        }
    }
    return 0;
}

static long S_tt_gid(const unsigned char *d, unsigned long cmap, unsigned long clen,
                     unsigned cp)
{
    unsigned nsub = S_u16(d + cmap + 2);
    for (unsigned i = 0; i < nsub; i++) {
        if (4 + 8 * (unsigned long)i + 8 > clen)
            return -1;
        const unsigned char *r = d + cmap + 4 + 8 * i;
        unsigned plat = S_u16(r), encid = S_u16(r + 2);
        unsigned long off = S_u32(r + 4);
        if (!((plat == 3 && encid == 1) || plat == 0) || off + 14 > clen)
            continue;
        const unsigned char *t = d + cmap + off;
        if (S_u16(t) != 4)
            continue;
        unsigned segx2 = S_u16(t + 6);
        if (off + 16 + 4 * (unsigned long)segx2 > clen)
            return -1;
        const unsigned char *endc = t + 14, *startc = t + 16 + segx2;
        const unsigned char *delta = startc + segx2, *ro = delta + segx2;
        for (unsigned s = 0; s < segx2 / 2; s++) {
            unsigned end = S_u16(endc + 2 * s), start = S_u16(startc + 2 * s);
            if (cp > end || cp < start)
                continue;
            unsigned rof = S_u16(ro + 2 * s);
            if (rof == 0)
                return (long)((cp + S_u16(delta + 2 * s)) & 0xffff);
            const unsigned char *g = ro + 2 * s + rof + 2 * (cp - start);
            if (g + 2 > d + cmap + clen)
                return -1;
            unsigned gid = S_u16(g);
            return gid ? (long)((gid + S_u16(delta + 2 * s)) & 0xffff) : -1;
        }
        return -1;
    }
    return -1;
}

/* A TrueType face's tables, the file kept in memory (KaTeX's fonts are
 * 10-70 KB): glyphs are looked up by code point when asked for. */
static int S_tt_open(S_ttface *t, const char *path, const char *what, lb_err *e)
{
    FILE *fp = fopen(path, "rb");
    long n;
    unsigned long hl, hhl, ml;
    if (!fp)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot open the %s font", path, what);
    if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 12 || n > (1L << 26)
        || fseek(fp, 0, SEEK_SET)) {
        fclose(fp);
        return err_set(e, LB_EXIT_RUNTIME, "%s: not a TrueType font", path);
    }
    t->d = malloc((size_t)n);
    if (!t->d) {
        fclose(fp);
        return err_nomem(e);
    }
    size_t got = fread(t->d, 1, (size_t)n, fp);
    fclose(fp);
    if (got != (size_t)n)
        return err_set(e, LB_EXIT_RUNTIME, "%s: read error", path);
    t->n = (size_t)n;
    const unsigned char *d = t->d;
    unsigned long head = S_tt_table(d, t->n, "head", &hl);
    unsigned long hhea = S_tt_table(d, t->n, "hhea", &hhl);
    unsigned long maxp = S_tt_table(d, t->n, "maxp", &ml);
    t->cmap = S_tt_table(d, t->n, "cmap", &t->cl);
    t->hmtx = S_tt_table(d, t->n, "hmtx", &t->mtl);
    t->loca = S_tt_table(d, t->n, "loca", &t->lol);
    t->glyf = S_tt_table(d, t->n, "glyf", &t->gll);
    if (!head || hl < 54 || !hhea || hhl < 36 || !t->cmap || t->cl < 4 || !t->hmtx
        || !t->loca || !t->glyf || !maxp || ml < 6)
        return err_set(e, LB_EXIT_RUNTIME, "%s: TrueType tables missing", path);
    t->upem = S_u16(d + head + 18);
    t->longloca = S_s16(d + head + 50);
    t->nhm = S_u16(d + hhea + 34);
    t->ng = S_u16(d + maxp + 4);
    if (t->upem <= 0 || t->nhm == 0 || 4UL * t->nhm > t->mtl)
        return err_set(e, LB_EXIT_RUNTIME, "%s: bad TrueType header", path);
    return 0;
}

/* Advance and ink extent (em) of code point cp; -1 when the face has none. */
static int S_tt_glyph(const S_ttface *t, unsigned cp, S_ttglyph *g)
{
    memset(g, 0, sizeof *g);
    const unsigned char *d = t->d;
    long gid = d ? S_tt_gid(d, t->cmap, t->cl, cp) : -1;
    if (gid <= 0 || gid >= (long)t->ng)
        return -1;
    unsigned hi = (unsigned)gid < t->nhm ? (unsigned)gid : t->nhm - 1;
    g->adv = S_u16(d + t->hmtx + 4 * hi) / t->upem;
    unsigned long go, ge;
    if (t->longloca) {
        if (4UL * (unsigned long)gid + 8 > t->lol)
            return 0;
        go = S_u32(d + t->loca + 4 * gid);
        ge = S_u32(d + t->loca + 4 * gid + 4);
    } else {
        if (2UL * (unsigned long)gid + 4 > t->lol)
            return 0;
        go = 2UL * S_u16(d + t->loca + 2 * gid);
        ge = 2UL * S_u16(d + t->loca + 2 * gid + 2);
    }
    if (ge > go && go + 10 <= t->gll) {
        g->ymin = S_s16(d + t->glyf + go + 4) / t->upem;
        g->ymax = S_s16(d + t->glyf + go + 8) / t->upem;
    }
    g->present = 1;
    return 0;
}

/* The code point a TrueType glyph name stands for: the name is the
 * character itself in UTF-8 ("E", "≲"); 0 when it is not one character. */
static unsigned S_tt_cp(const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    if (!s || !s[0])
        return 0;
    if (s[0] < 0x80)
        return s[1] ? 0 : s[0];
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80 && !s[2])
        return (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && !s[3])
        return (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return 0;
}

/* ---- loading ------------------------------------------------------------ */

static char *S_path(const char *dir, const char *sub, const char *base, const char *ext)
{
    size_t n = strlen(dir) + strlen(sub) + strlen(base) + strlen(ext) + 4;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s/%s%s", dir, sub, base, ext);
    return p;
}

/* ---- loading: one job per file, on two threads ----------------------------
 * Issue 15: the ~30 AFM/TFM/.enc/TrueType files are independent, so a worker
 * thread started by math_fonts_start loads them while the caller goes on
 * (the example, the template); math_fonts_finish takes the jobs still
 * waiting on the calling thread too, then joins.  Each job writes only its
 * own slot and its own error, and the error reported is that of the first
 * failing job in list order: the result never depends on the scheduling. */

enum { S_JOB_ENC, S_JOB_FONT, S_JOB_TT, S_JOB_MORE };

typedef struct S_job {
    int kind, idx;           /* enc, math font id, TrueType face, `more` slot */
    lb_err e;
} S_job;

struct math_fonts_load {
    math_fonts *mf;
    S_job *jobs;
    size_t njobs;
    size_t nfirst;           /* the jobs before the `more` AFMs */
    par *run;                /* the jobs, on two threads (base/par.h) */
};

static void S_job_run(void *ctx, size_t i)
{
    math_fonts_load *ld = ctx;
    math_fonts *mf = ld->mf;
    S_job *j = &ld->jobs[i];
    lb_err *e = &j->e;
    char *path = NULL;
    if (j->kind == S_JOB_ENC) {
        if (!(path = S_path(mf->dir, "enc/dvips/lm", S_enc_file[j->idx], ".enc")))
            err_nomem(e);
        else
            mf->enc[j->idx] = tfm_enc_load(path, e);
    } else if (j->kind == S_JOB_FONT) {
        const S_spec *s = &S_specs[j->idx];
        S_font *f = &mf->f[j->idx];
        if (!(path = S_path(mf->dir, "afm/public/lm", s->afm, ".afm")))
            err_nomem(e);
        else if ((f->afm = afm_load(path, e))) {
            free(path);
            if (!(path = S_path(mf->dir, "tfm/public/lm", s->tfm, ".tfm")))
                err_nomem(e);
            else
                f->tfm = tfm_load(path, e);
        }
    } else if (j->kind == S_JOB_TT) {
        S_tt_open(&mf->tt[j->idx], mf->ttpath[j->idx], S_tt_what[j->idx], e);
    } else if ((path = S_path(mf->dir, "afm/public/lm", mf->more->base[j->idx], ".afm"))) {
        mf->more->afm[j->idx] = afm_load(path, e);   /* a failure is reported on use */
    }
    free(path);
}

/* What every font needs once its files are in: its encoding, skew
 * character and extra slots. */
static void S_font_setup(math_fonts *mf, int id)
{
    const S_spec *s = &S_specs[id];
    S_font *f = &mf->f[id];
    f->enc = mf->enc[s->enc];
    if (s->enc == ENC_MI)
        f->skew_code = tfm_enc_code(f->enc, "tie");
    else if (s->enc == ENC_SY)
        f->skew_code = tfm_enc_code(f->enc, "prime");
    if (s->enc != ENC_RM)
        return;
    int code = 1;
    for (size_t k = 0; k < sizeof S_extra_names / sizeof *S_extra_names; k++) {
        int gi = afm_find(f->afm, S_extra_names[k]);
        if (gi < 0 || afm_glyph_at(f->afm, gi)->code >= 0)
            continue;
        while (code < 32 && afm_find_code(f->afm, code) >= 0)
            code++;
        if (code >= 32)
            break;
        f->extra[code++] = S_extra_names[k];
    }
}

math_fonts_load *math_fonts_start(const char *fontdir, const char *const *more, size_t nmore,
                                  lb_err *e)
{
    math_fonts_load *ld = calloc(1, sizeof *ld);
    math_fonts *mf = ld ? calloc(1, sizeof *mf) : NULL;
    if (!mf)
        goto fail;
    ld->mf = mf;
    const char *bb = getenv("LB_BBFONT");
    mf->dir = strdup(fontdir ? fontdir : DEFAULT_DIR);
    for (int k = 0; k < S_NTT; k++)
        if (!(mf->ttpath[k] = strdup(k == 0 && bb && *bb ? bb : S_tt_default[k])))
            goto fail;
    for (int id = 0; id < MATH_F_COUNT; id++)
        mf->f[id].skew_code = -1;
    mf->more = calloc(1, sizeof *mf->more);
    ld->jobs = calloc(ENC_COUNT + MATH_F_COUNT + S_NTT + nmore, sizeof *ld->jobs);
    if (!mf->dir || !mf->more || !ld->jobs)
        goto fail;
    /* the AFMs asked for beyond the math fonts' own, each once */
    if (nmore && (!(mf->more->base = calloc(nmore, sizeof *mf->more->base)) ||
                  !(mf->more->afm = calloc(nmore, sizeof *mf->more->afm))))
        goto fail;
    for (size_t i = 0; i < nmore; i++) {
        int dup = 0;
        for (int id = 0; id < MATH_F_COUNT && !dup; id++)
            dup = S_specs[id].afm && !strcmp(S_specs[id].afm, more[i]);
        for (size_t k = 0; k < mf->more->n && !dup; k++)
            dup = !strcmp(mf->more->base[k], more[i]);
        if (dup)
            continue;
        if (!(mf->more->base[mf->more->n] = strdup(more[i])))
            goto fail;
        mf->more->n++;
    }
    /* the jobs, in the order the errors are reported */
    for (int i = 0; i < ENC_COUNT; i++)
        ld->jobs[ld->njobs++] = (S_job){S_JOB_ENC, i, {0}};
    for (int id = 0; id < MATH_F_COUNT; id++)
        if (S_specs[id].afm)
            ld->jobs[ld->njobs++] = (S_job){S_JOB_FONT, id, {0}};
    for (int k = 0; k < S_NTT; k++)
        ld->jobs[ld->njobs++] = (S_job){S_JOB_TT, k, {0}};
    ld->nfirst = ld->njobs;
    for (size_t i = 0; i < mf->more->n; i++)
        ld->jobs[ld->njobs++] = (S_job){S_JOB_MORE, (int)i, {0}};
    /* without it (out of memory), math_fonts_finish does every job */
    ld->run = par_start(ld->njobs, S_job_run, ld);
    return ld;
fail:
    err_nomem(e);
    if (ld) {
        math_fonts_free(ld->mf);
        free(ld->jobs);
        free(ld);
    }
    return NULL;
}

/* The `more` AFMs in: wait for their jobs (math_fonts_finish does not),
 * drop the ones that failed (math_fonts_afm_file reports them when asked
 * for) and free the load. */
static void S_more_join(S_afms *m)
{
    math_fonts_load *ld = m->pending;
    if (!ld)
        return;
    m->pending = NULL;
    par_finish(ld->run);
    size_t kept = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->afm[i]) {
            m->base[kept] = m->base[i];
            m->afm[kept++] = m->afm[i];
        } else {
            free(m->base[i]);
        }
    }
    m->n = kept;
    free(ld->jobs);
    free(ld);
}

math_fonts *math_fonts_finish(math_fonts_load *ld, lb_err *e)
{
    if (!ld)
        return NULL;
    math_fonts *mf = ld->mf;
    if (!ld->run)
        par_run(ld->njobs, S_job_run, ld);
    else   /* the math fonts' files; the `more` AFMs may go on loading */
        par_wait(ld->run, ld->nfirst);
    mf->more->pending = ld;
    for (size_t i = 0; i < ld->nfirst; i++)
        if (ld->jobs[i].e.code) {
            *e = ld->jobs[i].e;
            math_fonts_free(mf);
            return NULL;
        }
    for (int id = 0; id < MATH_F_COUNT; id++)
        if (S_specs[id].afm)
            S_font_setup(mf, id);
    S_ttglyph probe;
    if (S_tt_glyph(&mf->tt[0], 'E', &probe) < 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: the \\mathbb font has no E", mf->ttpath[0]);
        math_fonts_free(mf);
        return NULL;
    }
    return mf;
}

math_fonts *math_fonts_new(const char *fontdir, lb_err *e)
{
    return math_fonts_finish(math_fonts_start(fontdir, NULL, 0, e), e);
}

void math_fonts_free(math_fonts *mf)
{
    if (!mf)
        return;
    if (mf->more) {
        S_more_join(mf->more);
        for (size_t i = 0; i < mf->more->n; i++) {
            free(mf->more->base[i]);
            afm_free(mf->more->afm[i]);
        }
        free(mf->more->base);
        free(mf->more->afm);
        free(mf->more);
    }
    for (int i = 0; i < MATH_F_COUNT; i++) {
        afm_free(mf->f[i].afm);
        tfm_free(mf->f[i].tfm);
    }
    for (int i = 0; i < ENC_COUNT; i++)
        tfm_enc_free(mf->enc[i]);
    free(mf->dir);
    for (int k = 0; k < S_NTT; k++) {
        free(mf->ttpath[k]);
        free(mf->tt[k].d);
    }
    free(mf);
}

const char *math_fonts_dir(const math_fonts *mf) { return mf->dir; }

const afm_font *math_fonts_afm_file(const math_fonts *mf, const char *base, lb_err *e)
{
    for (int id = 0; id < MATH_F_COUNT; id++)
        if (S_specs[id].afm && mf->f[id].afm && !strcmp(S_specs[id].afm, base))
            return mf->f[id].afm;
    S_afms *m = mf->more;
    S_more_join(m);
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->base[i], base))
            return m->afm[i];
    char **nb = realloc(m->base, (m->n + 1) * sizeof *nb);
    if (nb)
        m->base = nb;
    afm_font **na = realloc(m->afm, (m->n + 1) * sizeof *na);
    if (na)
        m->afm = na;
    char *path = S_path(mf->dir, "afm/public/lm", base, ".afm");
    char *copy = strdup(base);
    if (!nb || !na || !path || !copy) {
        free(path);
        free(copy);
        err_nomem(e);
        return NULL;
    }
    afm_font *a = afm_load(path, e);
    free(path);
    if (!a) {
        free(copy);
        return NULL;
    }
    m->base[m->n] = copy;
    m->afm[m->n++] = a;
    return a;
}

const char *math_font_file(const math_fonts *mf, int id)
{
    if (id < 0 || id >= MATH_F_COUNT)
        return NULL;
    return id >= MATH_F_BB ? mf->ttpath[S_TTFACE(id)] : S_specs[id].afm;
}

int math_font_is_ttf(const math_fonts *mf, int id)
{
    (void)mf;
    return id >= MATH_F_BB && id < MATH_F_COUNT;
}

const afm_font *math_font_afm(const math_fonts *mf, int id)
{
    if (id < 0 || id >= MATH_F_COUNT)
        return NULL;
    return mf->f[id].afm;
}

const char *math_font_code_name(const math_fonts *mf, int id, int code)
{
    if (id < 0 || id >= MATH_F_COUNT || code < 0 || code > 255 || id >= MATH_F_BB)
        return NULL;
    if (code < 32 && mf->f[id].extra[code])
        return mf->f[id].extra[code];
    const afm_glyph *g = afm_glyph_at(mf->f[id].afm, afm_find_code(mf->f[id].afm, code));
    return g ? g->name : NULL;
}

double math_font_code_width(const math_fonts *mf, int id, int code)
{
    if (id >= MATH_F_BB && id < MATH_F_COUNT) {
        S_ttglyph g;
        return code > 0 && S_tt_glyph(&mf->tt[S_TTFACE(id)], (unsigned)code, &g) == 0
               ? g.adv * 1000 : 0;
    }
    const char *n = math_font_code_name(mf, id, code);
    return n ? afm_width_of_name(mf->f[id].afm, n) : 0;
}

double math_font_design(const math_fonts *mf, int font)
{
    (void)mf;
    return S_specs[font].design;
}

int math_font_glyph(const math_fonts *mf, int font, const char *name, mgm *out)
{
    memset(out, 0, sizeof *out);
    out->font = font;
    if (font >= MATH_F_BB) {   /* a TrueType glyph, named by its character */
        unsigned cp = S_tt_cp(name);
        S_ttglyph g;
        if (!cp || S_tt_glyph(&mf->tt[S_TTFACE(font)], cp, &g) < 0)
            return -1;
        out->code = (int)cp;
        /* TeX's metrics of the same character when the AMS, Euler or RSFS
         * fonts have it (what pdflatex lays out with), else the ink box */
        const S_ttmetric *t = S_ttmetric_of(S_TTFACE(font), cp);
        if (t) {
            const double *m = t->m[(font - MATH_F_BB) % 3];
            out->wd = m[0];
            out->ht = m[1];
            out->dp = m[2];
            out->ic = m[3];
            return 0;
        }
        out->wd = g.adv;
        out->ht = g.ymax > 0 ? g.ymax : 0;
        out->dp = g.ymin < 0 ? -g.ymin : 0;
        return 0;
    }
    const S_font *f = &mf->f[font];
    int gi = afm_find(f->afm, name);
    if (gi < 0)
        return -1;
    const afm_glyph *g = afm_glyph_at(f->afm, gi);
    out->code = g->code;
    if (out->code < 0) {
        out->code = -1;
        for (int c = 1; c < 32; c++)
            if (f->extra[c] && !strcmp(f->extra[c], name))
                out->code = c;
        if (out->code < 0)
            return -1;
    }
    out->wd = g->wx / 1000.0;
    int tc = tfm_enc_code(f->enc, name);
    if (tc >= 0 && tfm_has(f->tfm, tc)) {
        out->ht = tfm_height(f->tfm, tc);
        out->dp = tfm_depth(f->tfm, tc);
        out->ic = tfm_italic(f->tfm, tc);
    } else {
        out->ht = g->bbox[3] > 0 ? g->bbox[3] / 1000.0 : 0;
        out->dp = g->bbox[1] < 0 ? -g->bbox[1] / 1000.0 : 0;
    }
    return 0;
}

double math_font_param(const math_fonts *mf, int font, int n)
{
    if (font >= MATH_F_BB || !mf->f[font].tfm)
        return 0;
    return tfm_param(mf->f[font].tfm, n);
}

const char *math_font_next(const math_fonts *mf, int font, const char *name)
{
    if (font >= MATH_F_BB)
        return NULL;
    const S_font *f = &mf->f[font];
    int tc = tfm_enc_code(f->enc, name);
    if (tc < 0)
        return NULL;
    int nx = tfm_next_larger(f->tfm, tc);
    return nx < 0 ? NULL : tfm_enc_name(f->enc, nx);
}

int math_font_ext(const math_fonts *mf, int font, const char *name, const char *pieces[4])
{
    if (font >= MATH_F_BB)
        return 0;
    const S_font *f = &mf->f[font];
    int tc = tfm_enc_code(f->enc, name), p[4];
    if (tc < 0 || !tfm_extensible(f->tfm, tc, &p[0], &p[1], &p[2], &p[3]))
        return 0;
    for (int i = 0; i < 4; i++)
        pieces[i] = (p[i] || i == 3) ? tfm_enc_name(f->enc, p[i]) : NULL;
    return pieces[3] != NULL;
}

double math_font_skew(const math_fonts *mf, int font, const char *name)
{
    if (font >= MATH_F_BB || mf->f[font].skew_code < 0)
        return 0;
    const S_font *f = &mf->f[font];
    int tc = tfm_enc_code(f->enc, name);
    return tc < 0 ? 0 : tfm_kern(f->tfm, tc, f->skew_code);
}

double math_font_kern(const math_fonts *mf, int font, const char *l, const char *r)
{
    if (font >= MATH_F_BB)
        return 0;
    const S_font *f = &mf->f[font];
    int a = tfm_enc_code(f->enc, l), b = tfm_enc_code(f->enc, r);
    return a < 0 || b < 0 ? 0 : tfm_kern(f->tfm, a, b);
}

const char *math_font_lig(const math_fonts *mf, int font, const char *l, const char *r)
{
    if (font >= MATH_F_BB)
        return NULL;
    const S_font *f = &mf->f[font];
    int a = tfm_enc_code(f->enc, l), b = tfm_enc_code(f->enc, r);
    int c = a < 0 || b < 0 ? -1 : tfm_lig(f->tfm, a, b);
    return c < 0 ? NULL : tfm_enc_name(f->enc, c);
}
