/* math_unicode — see math_unicode.h. */
#include <stdlib.h>
#include <string.h>
#include "math/math_unicode.h"

typedef struct math_guni { const char *name; uint32_t u[MATH_UNI_MAX]; int n; } math_guni;

#include "math/math_glyphuni.inc"

typedef struct S_class { const char *prefix; const math_guni *tab; size_t n; } S_class;

#define TAB(t) t, sizeof t / sizeof *t
static const S_class S_classes[] = {
    { "lmmi", TAB(S_guni_mi) }, { "lmsy", TAB(S_guni_sy) }, { "lmex", TAB(S_guni_ex) },
};
static const S_class S_roman = { "", TAB(S_guni_rm) };

static int S_cmp(const void *key, const void *ent)
{
    return strcmp(key, ((const math_guni *)ent)->name);
}

int math_unicode_glyph(const char *font_base, const char *name, uint32_t out[MATH_UNI_MAX])
{
    if (!name)
        return 0;
    const S_class *cl = &S_roman;
    for (size_t i = 0; font_base && i < sizeof S_classes / sizeof *S_classes; i++)
        if (!strncmp(font_base, S_classes[i].prefix, strlen(S_classes[i].prefix)))
            cl = &S_classes[i];
    const math_guni *g = bsearch(name, cl->tab, cl->n, sizeof *cl->tab, S_cmp);
    if (!g)
        return 0;
    memcpy(out, g->u, sizeof g->u);
    return g->n;
}

uint32_t math_unicode_doublestruck(int c)
{
    /* capitals that Unicode had before the Mathematical Alphanumeric block */
    static const struct { char c; uint32_t u; } hole[] = {
        { 'C', 0x2102 }, { 'H', 0x210D }, { 'N', 0x2115 }, { 'P', 0x2119 },
        { 'Q', 0x211A }, { 'R', 0x211D }, { 'Z', 0x2124 },
    };
    if (c >= 'a' && c <= 'z')   /* \Bbbk */
        return 0x1D552 + (uint32_t)(c - 'a');
    if (c < 'A' || c > 'Z')
        return (uint32_t)c;
    for (size_t i = 0; i < sizeof hole / sizeof *hole; i++)
        if (hole[i].c == c)
            return hole[i].u;
    return 0x1D538 + (uint32_t)(c - 'A');
}

uint32_t math_unicode_fraktur(int c)
{
    /* the Fraktur capitals Unicode had before the alphanumeric block */
    static const struct { char c; uint32_t u; } hole[] = {
        { 'C', 0x212D }, { 'H', 0x210C }, { 'I', 0x2111 }, { 'R', 0x211C }, { 'Z', 0x2128 },
    };
    for (size_t i = 0; i < sizeof hole / sizeof *hole; i++)
        if (hole[i].c == c)
            return hole[i].u;
    if (c >= 'A' && c <= 'Z')
        return 0x1D504 + (uint32_t)(c - 'A');
    if (c >= 'a' && c <= 'z')
        return 0x1D51E + (uint32_t)(c - 'a');
    return (uint32_t)c;
}

uint32_t math_unicode_script(int c)
{
    static const struct { char c; uint32_t u; } hole[] = {
        { 'B', 0x212C }, { 'E', 0x2130 }, { 'F', 0x2131 }, { 'H', 0x210B }, { 'I', 0x2110 },
        { 'L', 0x2112 }, { 'M', 0x2133 }, { 'R', 0x211B },
    };
    for (size_t i = 0; i < sizeof hole / sizeof *hole; i++)
        if (hole[i].c == c)
            return hole[i].u;
    if (c >= 'A' && c <= 'Z')
        return 0x1D49C + (uint32_t)(c - 'A');
    return (uint32_t)c;
}

int math_unicode_utf8(char *b, uint32_t cp)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
