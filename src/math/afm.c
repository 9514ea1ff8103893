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
    afm_glyph *glyphs;     /* sorted by name */
    int nglyphs;
    int by_code[256];      /* glyph index or -1 */
    S_kern *kerns;         /* sorted by (l, r) */
    int nkerns;
};

typedef struct S_rawkern { char *l, *r; double v; } S_rawkern;

static int S_cmp_glyph(const void *a, const void *b)
{
    return strcmp(((const afm_glyph *)a)->name, ((const afm_glyph *)b)->name);
}

static int S_cmp_kern(const void *a, const void *b)
{
    const S_kern *x = a, *y = b;
    if (x->l != y->l)
        return x->l < y->l ? -1 : 1;
    if (x->r != y->r)
        return x->r < y->r ? -1 : 1;
    return 0;
}

/* Next ';'-separated field of a CharMetrics line: key and rest. */
static char *S_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'
                     || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static int S_parse_char(char *line, afm_glyph *g, char **name)
{
    g->code = -1;
    g->wx = 0;
    g->bbox[0] = g->bbox[1] = g->bbox[2] = g->bbox[3] = 0;
    *name = NULL;
    char *save = NULL;
    for (char *f = strtok_r(line, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
        f = S_trim(f);
        if (f[0] == 'C' && (f[1] == ' ' || f[1] == '\t'))
            g->code = (int)strtol(f + 1, NULL, 10);
        else if (f[0] == 'W' && f[1] == 'X' && (f[2] == ' ' || f[2] == '\t'))
            g->wx = strtod(f + 2, NULL);
        else if (f[0] == 'N' && (f[1] == ' ' || f[1] == '\t'))
            *name = S_trim(f + 1);
        else if (f[0] == 'B' && (f[1] == ' ' || f[1] == '\t')) {
            char *p = f + 1, *end;
            for (int i = 0; i < 4; i++) {
                g->bbox[i] = strtod(p, &end);
                if (end == p)
                    return -1;
                p = end;
            }
        }
    }
    return *name && **name ? 0 : -1;
}

afm_font *afm_load(const char *path, lb_err *e)
{
    afm_font *f = NULL, *ret = NULL;
    FILE *fp = NULL;
    char line[1024];
    int lineno = 0, cap = 0, kcap = 0, nraw = 0;
    S_rawkern *raw = NULL;

    fp = fopen(path, "r");
    if (!fp) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot open AFM file", path);
        goto out;
    }
    f = calloc(1, sizeof *f);
    if (!f) {
        err_nomem(e);
        goto out;
    }
    for (int i = 0; i < 256; i++)
        f->by_code[i] = -1;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        char *s = S_trim(line);
        if (strncmp(s, "C ", 2) == 0) {
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
            g.name = strdup(name);
            if (!g.name) {
                err_nomem(e);
                goto out;
            }
            f->glyphs[f->nglyphs++] = g;
        } else if (strncmp(s, "KPX ", 4) == 0) {
            char l[128], r[128];
            double v;
            if (sscanf(s + 4, "%127s %127s %lf", l, r, &v) != 3) {
                err_at(e, LB_EXIT_INPUT, path, lineno, 0, "malformed KPX line");
                goto out;
            }
            if (nraw == kcap) {
                int nc = kcap ? kcap * 2 : 1024;
                S_rawkern *nr = realloc(raw, (size_t)nc * sizeof *nr);
                if (!nr) {
                    err_nomem(e);
                    goto out;
                }
                raw = nr;
                kcap = nc;
            }
            raw[nraw].l = strdup(l);
            raw[nraw].r = strdup(r);
            raw[nraw].v = v;
            nraw++;
            if (!raw[nraw - 1].l || !raw[nraw - 1].r) {
                err_nomem(e);
                goto out;
            }
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
    if (ferror(fp)) {
        err_set(e, LB_EXIT_RUNTIME, "%s: read error", path);
        goto out;
    }
    if (!f->font_name || f->nglyphs == 0) {
        err_set(e, LB_EXIT_INPUT, "%s: not an AFM file (no FontName or no glyphs)", path);
        goto out;
    }
    qsort(f->glyphs, (size_t)f->nglyphs, sizeof *f->glyphs, S_cmp_glyph);
    for (int i = 0; i < f->nglyphs; i++) {
        int c = f->glyphs[i].code;
        if (c >= 0 && c < 256 && f->by_code[c] < 0)
            f->by_code[c] = i;
    }
    if (nraw > 0) {
        f->kerns = malloc((size_t)nraw * sizeof *f->kerns);
        if (!f->kerns) {
            err_nomem(e);
            goto out;
        }
        for (int i = 0; i < nraw; i++) {
            int l = afm_find(f, raw[i].l), r = afm_find(f, raw[i].r);
            if (l < 0 || r < 0)
                continue;   /* pair names a glyph the font lacks: ignore */
            f->kerns[f->nkerns].l = l;
            f->kerns[f->nkerns].r = r;
            f->kerns[f->nkerns].v = raw[i].v;
            f->nkerns++;
        }
        qsort(f->kerns, (size_t)f->nkerns, sizeof *f->kerns, S_cmp_kern);
    }
    ret = f;
    f = NULL;
out:
    if (fp)
        fclose(fp);
    for (int i = 0; i < nraw; i++) {
        free(raw[i].l);
        free(raw[i].r);
    }
    free(raw);
    afm_free(f);
    return ret;
}

void afm_free(afm_font *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->nglyphs; i++)
        free((char *)f->glyphs[i].name);
    free(f->glyphs);
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
    const char *n = S_winansi[byte];
    return n ? afm_find(f, n) : -1;
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
