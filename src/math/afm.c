/* afm — see afm.h.  A line-oriented parser for the subset of AFM 2.0 that
 * the Latin Modern fonts use: header keys, CharMetrics (C/WX/N/B) and KPX. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "math/afm.h"

typedef struct S_kern { int l, r; double v; } S_kern;

struct afm_font {
    char *font_name;
    double ascender, descender, cap_height, x_height, italic_angle;
    double ul_pos, ul_thick;
    double design;         /* "Comment TFM designsize: 10 (in points)", 0 if absent */
    double fontdimen[23];  /* "Comment TFM fontdimen N: V" (pt at the design size) */
    unsigned fd_have;      /* bit N: fontdimen N was given */
    afm_glyph *glyphs;     /* sorted by name; names point into buf */
    int nglyphs;
    int by_code[256];      /* glyph index or -1 */
    int winansi[256];      /* glyph index of each WinAnsi byte or -1 */
    S_kern *kerns;         /* sorted by (l, r) */
    int nkerns;
    char *buf;             /* the file, cut into NUL-terminated pieces */
};

static int S_cmp_kern(const void *a, const void *b)
{
    const S_kern *x = a, *y = b;
    if (x->l != y->l)
        return x->l < y->l ? -1 : 1;
    if (x->r != y->r)
        return x->r < y->r ? -1 : 1;
    return 0;
}

/* Issue 15: qsort with a comparison function (strcmp per call) was a
 * fifth of an AFM's load.  Both sorts below are stable, as glibc's qsort
 * (a merge sort) is, so the tables come out exactly as before. */

/* Glyphs by name: a merge sort on the first 8 bytes of each name as one
 * big-endian number (the order strcmp gives them), strcmp only on a tie. */
typedef struct S_gkey { unsigned long long key; int idx; } S_gkey;

static int S_gkey_cmp(const S_gkey *a, const S_gkey *b, const afm_glyph *g)
{
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    const char *x = g[a->idx].name, *y = g[b->idx].name;
    if (memchr(x, 0, 8))   /* equal keys that hold a NUL: equal names */
        return 0;
    return strcmp(x + 8, y + 8);
}

static void S_gkey_sort(S_gkey *k, S_gkey *tmp, size_t n, const afm_glyph *g)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    S_gkey_sort(k, tmp, h, g);
    S_gkey_sort(k + h, tmp, n - h, g);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)   /* the left one first on a tie: stable */
        tmp[o++] = S_gkey_cmp(&k[j], &k[i], g) < 0 ? k[j++] : k[i++];
    while (i < h)
        tmp[o++] = k[i++];
    memcpy(k, tmp, o * sizeof *k);
}

/* 0, or -1 out of memory. */
static int S_sort_glyphs(afm_glyph *g, int n)
{
    S_gkey *k = malloc(2 * (size_t)n * sizeof *k + 1);
    afm_glyph *out = malloc((size_t)n * sizeof *out + 1);
    if (!k || !out) {
        free(k);
        free(out);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        unsigned long long key = 0;
        const unsigned char *s = (const unsigned char *)g[i].name;
        int c = 0;
        for (; c < 8 && s[c]; c++)
            key = key << 8 | s[c];
        key <<= 8 * (8 - c);
        k[i] = (S_gkey){key, i};
    }
    S_gkey_sort(k, k + n, (size_t)n, g);
    for (int i = 0; i < n; i++)
        out[i] = g[k[i].idx];
    memcpy(g, out, (size_t)n * sizeof *g);
    free(out);
    free(k);
    return 0;
}

/* Kerning pairs by (left, right): a stable LSD radix sort on the two
 * glyph indices, 8 bits a pass.  0, or -1 out of memory. */
static int S_sort_kerns(S_kern *v, int n)
{
    S_kern *tmp = malloc((size_t)n * sizeof *tmp + 1);
    if (!tmp)
        return -1;
    S_kern *from = v, *to = tmp;
    for (int pass = 0; pass < 4; pass++) {
        size_t count[257] = {0};
        int sh = 8 * (pass & 1);
        for (int i = 0; i < n; i++) {
            unsigned key = (unsigned)(pass < 2 ? from[i].r : from[i].l);
            count[((key >> sh) & 0xff) + 1]++;
        }
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (int i = 0; i < n; i++) {
            unsigned key = (unsigned)(pass < 2 ? from[i].r : from[i].l);
            to[count[(key >> sh) & 0xff]++] = from[i];
        }
        S_kern *t = from;
        from = to;
        to = t;
    }
    /* four passes: the result is back in v */
    free(tmp);
    return 0;
}

static int S_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trim blanks in place (the string is writable). */
static char *S_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && S_blank(s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* A number field.  Up to 15 significant digits and 15 decimals (all the
 * Latin Modern AFMs hold) are read by hand as m / 10^k: m < 2^53 and 10^k
 * are exact doubles and IEEE division rounds correctly, so the result is
 * the correctly rounded value, the same bits strtod gives (Clinger's fast
 * path).  Anything else goes to strtod. */
static double S_num(char *p, char **end)
{
    static const double pow10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                     1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    char *q = p;
    int neg = 0, digits = 0, frac = 0;
    if (*q == '-' || *q == '+')
        neg = *q++ == '-';
    long long m = 0;
    char *d = q;
    while (*q >= '0' && *q <= '9') {
        m = m * 10 + (*q++ - '0');
        digits++;
        if (digits > 15)
            return strtod(p, end);
    }
    if (*q == '.') {
        q++;
        while (*q >= '0' && *q <= '9') {
            m = m * 10 + (*q++ - '0');
            digits++;
            frac++;
            if (digits > 15)
                return strtod(p, end);
        }
    }
    if (digits == 0 || q == d || !(*q == '\0' || S_blank(*q) || *q == ';'))
        return strtod(p, end);
    *end = q;
    double v = (double)m / pow10[frac];
    return neg ? -v : v;
}

static int S_parse_char(char *line, afm_glyph *g, char **name)
{
    g->code = -1;
    g->wx = 0;
    g->bbox[0] = g->bbox[1] = g->bbox[2] = g->bbox[3] = 0;
    *name = NULL;
    char *save = NULL, *end;
    for (char *f = strtok_r(line, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
        f = S_trim(f);
        if (f[0] == 'C' && (f[1] == ' ' || f[1] == '\t'))
            g->code = (int)strtol(f + 1, NULL, 10);
        else if (f[0] == 'W' && f[1] == 'X' && (f[2] == ' ' || f[2] == '\t')) {
            char *p = f + 3;
            while (*p == ' ' || *p == '\t')
                p++;
            g->wx = S_num(p, &end);
        } else if (f[0] == 'N' && (f[1] == ' ' || f[1] == '\t'))
            *name = S_trim(f + 1);
        else if (f[0] == 'B' && (f[1] == ' ' || f[1] == '\t')) {
            char *p = f + 1;
            for (int i = 0; i < 4; i++) {
                while (*p == ' ' || *p == '\t')
                    p++;
                g->bbox[i] = S_num(p, &end);
                if (end == p)
                    return -1;
                p = end;
            }
        }
    }
    return *name && **name ? 0 : -1;
}

/* Name -> glyph index through an open-addressing table built once per
 * load (KPX lines name 2 x 9 000 glyphs in a text font). */
typedef struct S_names {
    int *slot;   /* glyph index + 1, 0 empty */
    size_t mask;
} S_names;

static size_t S_hash(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static int S_names_build(S_names *t, const afm_font *f)
{
    size_t n = 1;
    while (n < 2 * (size_t)f->nglyphs)
        n *= 2;
    t->slot = calloc(n, sizeof *t->slot);
    t->mask = n - 1;
    if (!t->slot)
        return -1;
    for (int i = 0; i < f->nglyphs; i++) {
        size_t h = S_hash(f->glyphs[i].name) & t->mask;
        while (t->slot[h])
            h = (h + 1) & t->mask;
        t->slot[h] = i + 1;
    }
    return 0;
}

static int S_names_find(const S_names *t, const afm_font *f, const char *name)
{
    for (size_t h = S_hash(name) & t->mask; t->slot[h]; h = (h + 1) & t->mask)
        if (strcmp(f->glyphs[t->slot[h] - 1].name, name) == 0)
            return t->slot[h] - 1;
    return -1;
}

/* The next blank-separated word of *p (NUL-terminated in place), or NULL. */
static char *S_word(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s || S_blank(*s))
        return NULL;
    char *w = s;
    while (*s && !S_blank(*s))
        s++;
    if (*s)
        *s++ = '\0';
    *p = s;
    return w;
}

static char *S_slurp(const char *path, size_t *len, lb_err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot open AFM file", path);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, k;
    char *b = malloc(cap + 1);
    while (b && (k = fread(b + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = cap < ((size_t)1 << 28) ? realloc(b, 2 * cap + 1) : NULL;
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    if (!b) {
        fclose(fp);
        err_nomem(e);
        return NULL;
    }
    if (ferror(fp)) {
        fclose(fp);
        free(b);
        err_set(e, LB_EXIT_RUNTIME, "%s: read error", path);
        return NULL;
    }
    fclose(fp);
    b[n] = '\0';
    *len = n;
    return b;
}

/* The whole file is read once and cut into lines in place; glyph names stay
 * in that buffer (no copy per glyph); KPX lines are split by hand (no
 * sscanf) and their names resolved through a hash table. */
afm_font *afm_load(const char *path, lb_err *e)
{
    afm_font *f = NULL, *ret = NULL;
    int lineno = 0, cap = 0, kcap = 0;
    S_names names = {NULL, 0};
    struct { char *l, *r; double v; int line; } *raw = NULL;
    int nraw = 0;
    size_t len;
    char *buf = S_slurp(path, &len, e);
    if (!buf)
        goto out;
    f = calloc(1, sizeof *f);
    if (!f) {
        free(buf);
        err_nomem(e);
        goto out;
    }
    f->buf = buf;
    for (int i = 0; i < 256; i++)
        f->by_code[i] = f->winansi[i] = -1;
    for (char *next = buf; next && *next;) {
        char *s = next;
        char *nl = strchr(s, '\n');
        if (nl) {
            *nl = '\0';
            next = nl + 1;
        } else
            next = NULL;
        lineno++;
        s = S_trim(s);
        if (s[0] == 'C' && s[1] == ' ') {
            afm_glyph g;
            char *name;
            if (S_parse_char(s, &g, &name) < 0) {
                err_at(e, LB_EXIT_INPUT, path, lineno, 0, "malformed CharMetrics line");
                goto out;
            }
            if (f->nglyphs == cap) {
                int nc = cap ? cap * 2 : 256;
                afm_glyph *ng = realloc(f->glyphs, (size_t)nc * sizeof *ng);
                if (!ng) {
                    err_nomem(e);
                    goto out;
                }
                f->glyphs = ng;
                cap = nc;
            }
            g.name = name;
            f->glyphs[f->nglyphs++] = g;
        } else if (strncmp(s, "KPX ", 4) == 0) {
            char *p = s + 4, *end;
            char *l = S_word(&p), *r = S_word(&p);
            while (*p == ' ' || *p == '\t')
                p++;
            double v = l && r ? S_num(p, &end) : 0;
            if (!l || !r || end == p) {
                err_at(e, LB_EXIT_INPUT, path, lineno, 0, "malformed KPX line");
                goto out;
            }
            if (nraw == kcap) {
                int nc = kcap ? kcap * 2 : 1024;
                void *nr = realloc(raw, (size_t)nc * sizeof *raw);
                if (!nr) {
                    err_nomem(e);
                    goto out;
                }
                raw = nr;
                kcap = nc;
            }
            raw[nraw].l = l;
            raw[nraw].r = r;
            raw[nraw].v = v;
            raw[nraw].line = lineno;
            nraw++;
        } else if (strncmp(s, "FontName ", 9) == 0) {
            free(f->font_name);
            f->font_name = strdup(S_trim(s + 9));
            if (!f->font_name) {
                err_nomem(e);
                goto out;
            }
        } else if (strncmp(s, "Ascender ", 9) == 0) {
            f->ascender = strtod(s + 9, NULL);
        } else if (strncmp(s, "Descender ", 10) == 0) {
            f->descender = strtod(s + 10, NULL);
        } else if (strncmp(s, "CapHeight ", 10) == 0) {
            f->cap_height = strtod(s + 10, NULL);
        } else if (strncmp(s, "XHeight ", 8) == 0) {
            f->x_height = strtod(s + 8, NULL);
        } else if (strncmp(s, "ItalicAngle ", 12) == 0) {
            f->italic_angle = strtod(s + 12, NULL);
        } else if (strncmp(s, "UnderlinePosition ", 18) == 0) {
            f->ul_pos = strtod(s + 18, NULL);
        } else if (strncmp(s, "UnderlineThickness ", 19) == 0) {
            f->ul_thick = strtod(s + 19, NULL);
        } else if (strncmp(s, "Comment TFM designsize: ", 24) == 0) {
            f->design = strtod(s + 24, NULL);
        } else if (strncmp(s, "Comment TFM fontdimen ", 22) == 0) {
            /* the text fonts' TeX parameters (space, stretch, shrink,
             * extra space, ...); only meaningful for text fonts */
            char *end;
            long n = strtol(s + 22, &end, 10);
            if (n >= 1 && n < 23 && *end == ':') {
                f->fontdimen[n] = strtod(end + 1, NULL);
                f->fd_have |= 1u << n;
            }
        }
    }
    if (!f->font_name || f->nglyphs == 0) {
        err_set(e, LB_EXIT_INPUT, "%s: not an AFM file (no FontName or no glyphs)", path);
        goto out;
    }
    if (S_sort_glyphs(f->glyphs, f->nglyphs) < 0) {
        err_nomem(e);
        goto out;
    }
    for (int i = 0; i < f->nglyphs; i++) {
        int c = f->glyphs[i].code;
        if (c >= 0 && c < 256 && f->by_code[c] < 0)
            f->by_code[c] = i;
    }
    if (S_names_build(&names, f) < 0) {
        err_nomem(e);
        goto out;
    }
    for (int c = 0; c < 256; c++)
        f->winansi[c] = afm_winansi_name((unsigned char)c)
                            ? S_names_find(&names, f, afm_winansi_name((unsigned char)c)) : -1;
    if (nraw > 0) {
        f->kerns = malloc((size_t)nraw * sizeof *f->kerns);
        if (!f->kerns) {
            err_nomem(e);
            goto out;
        }
        int l = -1;
        const char *lname = NULL;
        for (int i = 0; i < nraw; i++) {
            if (!lname || strcmp(lname, raw[i].l) != 0) {   /* KPX lines come grouped by left glyph */
                lname = raw[i].l;
                l = S_names_find(&names, f, lname);
            }
            int r = S_names_find(&names, f, raw[i].r);
            if (l < 0 || r < 0)
                continue;   /* pair names a glyph the font lacks: ignore */
            f->kerns[f->nkerns].l = l;
            f->kerns[f->nkerns].r = r;
            f->kerns[f->nkerns].v = raw[i].v;
            f->nkerns++;
        }
        /* glyph indices fit the radix sort's 16 bits (see the check) */
        if (f->nglyphs <= 65536 ? S_sort_kerns(f->kerns, f->nkerns) < 0 : 0) {
            err_nomem(e);
            goto out;
        }
        if (f->nglyphs > 65536)
            qsort(f->kerns, (size_t)f->nkerns, sizeof *f->kerns, S_cmp_kern);
    }
    ret = f;
    f = NULL;
out:
    free(names.slot);
    free(raw);
    afm_free(f);
    return ret;
}

void afm_free(afm_font *f)
{
    if (!f)
        return;
    free(f->glyphs);
    free(f->buf);
    free(f->kerns);
    free(f->font_name);
    free(f);
}

const char *afm_font_name(const afm_font *f) { return f->font_name; }
double afm_ascender(const afm_font *f) { return f->ascender; }
double afm_descender(const afm_font *f) { return f->descender; }
double afm_cap_height(const afm_font *f) { return f->cap_height; }
double afm_x_height(const afm_font *f) { return f->x_height; }
double afm_italic_angle(const afm_font *f) { return f->italic_angle; }
double afm_underline_position(const afm_font *f) { return f->ul_pos; }
double afm_underline_thickness(const afm_font *f) { return f->ul_thick; }

double afm_fontdimen(const afm_font *f, int n)
{
    if (n < 1 || n >= 23 || !(f->fd_have & (1u << n)) || !(f->design > 0))
        return -1;
    return f->fontdimen[n] / f->design * 1000.0;
}
int afm_count(const afm_font *f) { return f->nglyphs; }

const afm_glyph *afm_glyph_at(const afm_font *f, int index)
{
    if (!f || index < 0 || index >= f->nglyphs)
        return NULL;
    return &f->glyphs[index];
}

int afm_find(const afm_font *f, const char *name)
{
    if (!f || !name)
        return -1;
    int lo = 0, hi = f->nglyphs - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(name, f->glyphs[mid].name);
        if (c == 0)
            return mid;
        if (c < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return -1;
}

int afm_find_code(const afm_font *f, int code)
{
    if (!f || code < 0 || code > 255)
        return -1;
    return f->by_code[code];
}

double afm_width_of_code(const afm_font *f, int code)
{
    int i = afm_find_code(f, code);
    return i < 0 ? 0 : f->glyphs[i].wx;
}

double afm_width_of_name(const afm_font *f, const char *name)
{
    int i = afm_find(f, name);
    return i < 0 ? 0 : f->glyphs[i].wx;
}

double afm_kern(const afm_font *f, int left, int right)
{
    if (!f || left < 0 || right < 0 || f->nkerns == 0)
        return 0;
    S_kern key = { left, right, 0 };
    const S_kern *k = bsearch(&key, f->kerns, (size_t)f->nkerns, sizeof key, S_cmp_kern);
    return k ? k->v : 0;
}

double afm_kern_names(const afm_font *f, const char *left, const char *right)
{
    return afm_kern(f, afm_find(f, left), afm_find(f, right));
}

/* cp1252 as PDF's WinAnsiEncoding names it (PDF 1.7, Annex D). */
static const char *const S_winansi[256] = {
    [0x20] = "space", "exclam", "quotedbl", "numbersign", "dollar", "percent",
    "ampersand", "quotesingle", "parenleft", "parenright", "asterisk", "plus",
    "comma", "hyphen", "period", "slash", "zero", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "colon", "semicolon",
    "less", "equal", "greater", "question", "at", "A", "B", "C", "D", "E",
    "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
    "T", "U", "V", "W", "X", "Y", "Z", "bracketleft", "backslash",
    "bracketright", "asciicircum", "underscore", "grave", "a", "b", "c", "d",
    "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
    "s", "t", "u", "v", "w", "x", "y", "z", "braceleft", "bar", "braceright",
    "asciitilde", NULL,
    [0x80] = "Euro", NULL, "quotesinglbase", "florin", "quotedblbase",
    "ellipsis", "dagger", "daggerdbl", "circumflex", "perthousand", "Scaron",
    "guilsinglleft", "OE", NULL, "Zcaron", NULL,
    [0x90] = NULL, "quoteleft", "quoteright", "quotedblleft", "quotedblright",
    "bullet", "endash", "emdash", "tilde", "trademark", "scaron",
    "guilsinglright", "oe", NULL, "zcaron", "Ydieresis",
    [0xA0] = "space", "exclamdown", "cent", "sterling", "currency", "yen",
    "brokenbar", "section", "dieresis", "copyright", "ordfeminine",
    "guillemotleft", "logicalnot", "hyphen", "registered", "macron",
    "degree", "plusminus", "twosuperior", "threesuperior", "acute", "mu",
    "paragraph", "periodcentered", "cedilla", "onesuperior", "ordmasculine",
    "guillemotright", "onequarter", "onehalf", "threequarters", "questiondown",
    "Agrave", "Aacute", "Acircumflex", "Atilde", "Adieresis", "Aring", "AE",
    "Ccedilla", "Egrave", "Eacute", "Ecircumflex", "Edieresis", "Igrave",
    "Iacute", "Icircumflex", "Idieresis", "Eth", "Ntilde", "Ograve",
    "Oacute", "Ocircumflex", "Otilde", "Odieresis", "multiply", "Oslash",
    "Ugrave", "Uacute", "Ucircumflex", "Udieresis", "Yacute", "Thorn",
    "germandbls", "agrave", "aacute", "acircumflex", "atilde", "adieresis",
    "aring", "ae", "ccedilla", "egrave", "eacute", "ecircumflex",
    "edieresis", "igrave", "iacute", "icircumflex", "idieresis", "eth",
    "ntilde", "ograve", "oacute", "ocircumflex", "otilde", "odieresis",
    "divide", "oslash", "ugrave", "uacute", "ucircumflex", "udieresis",
    "yacute", "thorn", "ydieresis",
};

const char *afm_winansi_name(unsigned char byte)
{
    return S_winansi[byte];
}

int afm_winansi_index(const afm_font *f, unsigned char byte)
{
    return f->winansi[byte];
}

double afm_winansi_text_width(const afm_font *f, const char *s, size_t len,
                              double size_pt, int kern)
{
    double w = 0;
    int prev = -1;
    for (size_t i = 0; i < len; i++) {
        int g = afm_winansi_index(f, (unsigned char)s[i]);
        if (g >= 0) {
            w += f->glyphs[g].wx;
            if (kern && prev >= 0)
                w += afm_kern(f, prev, g);
        }
        prev = g;
    }
    return w * size_pt / 1000.0;
}
