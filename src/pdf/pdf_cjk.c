/* pdf_cjk — see pdf_cjk.h.  The tables list code points by UAX #14 class
 * (Unicode 15), narrowed to what Chinese text uses; everything in the CJK
 * blocks that is not listed is ID. */
#include <stddef.h>
#include "pdf/pdf_cjk.h"

typedef struct { unsigned u; unsigned char cls; } S_pt;

/* Punctuation and marks of the CJK blocks that are not ID (sorted). */
static const S_pt S_marks[] = {
    {0x2014, PDF_CJK_IN}, {0x2018, PDF_CJK_OP}, {0x2019, PDF_CJK_CL},
    {0x201C, PDF_CJK_OP}, {0x201D, PDF_CJK_CL}, {0x2026, PDF_CJK_IN},
    {0x3001, PDF_CJK_CL}, {0x3002, PDF_CJK_CL}, {0x3005, PDF_CJK_NS},
    {0x3008, PDF_CJK_OP}, {0x3009, PDF_CJK_CL}, {0x300A, PDF_CJK_OP},
    {0x300B, PDF_CJK_CL}, {0x300C, PDF_CJK_OP}, {0x300D, PDF_CJK_CL},
    {0x300E, PDF_CJK_OP}, {0x300F, PDF_CJK_CL}, {0x3010, PDF_CJK_OP},
    {0x3011, PDF_CJK_CL}, {0x3014, PDF_CJK_OP}, {0x3015, PDF_CJK_CL},
    {0x3016, PDF_CJK_OP}, {0x3017, PDF_CJK_CL}, {0x3018, PDF_CJK_OP},
    {0x3019, PDF_CJK_CL}, {0x301A, PDF_CJK_OP}, {0x301B, PDF_CJK_CL},
    {0x301C, PDF_CJK_NS}, {0x301D, PDF_CJK_OP}, {0x301E, PDF_CJK_CL},
    {0x301F, PDF_CJK_CL}, {0x303B, PDF_CJK_NS},
    /* small hiragana */
    {0x3041, PDF_CJK_NS}, {0x3043, PDF_CJK_NS}, {0x3045, PDF_CJK_NS},
    {0x3047, PDF_CJK_NS}, {0x3049, PDF_CJK_NS}, {0x3063, PDF_CJK_NS},
    {0x3083, PDF_CJK_NS}, {0x3085, PDF_CJK_NS}, {0x3087, PDF_CJK_NS},
    {0x308E, PDF_CJK_NS}, {0x3095, PDF_CJK_NS}, {0x3096, PDF_CJK_NS},
    {0x309D, PDF_CJK_NS}, {0x309E, PDF_CJK_NS},
    /* small katakana, middle dot, prolonged sound mark, iteration marks */
    {0x30A1, PDF_CJK_NS}, {0x30A3, PDF_CJK_NS}, {0x30A5, PDF_CJK_NS},
    {0x30A7, PDF_CJK_NS}, {0x30A9, PDF_CJK_NS}, {0x30C3, PDF_CJK_NS},
    {0x30E3, PDF_CJK_NS}, {0x30E5, PDF_CJK_NS}, {0x30E7, PDF_CJK_NS},
    {0x30EE, PDF_CJK_NS}, {0x30F5, PDF_CJK_NS}, {0x30F6, PDF_CJK_NS},
    {0x30FB, PDF_CJK_NS}, {0x30FC, PDF_CJK_NS}, {0x30FD, PDF_CJK_NS},
    {0x30FE, PDF_CJK_NS},
    /* small form variants */
    {0xFE50, PDF_CJK_CL}, {0xFE51, PDF_CJK_CL}, {0xFE52, PDF_CJK_CL},
    {0xFE54, PDF_CJK_CL}, {0xFE55, PDF_CJK_CL}, {0xFE56, PDF_CJK_CL},
    {0xFE57, PDF_CJK_CL}, {0xFE59, PDF_CJK_OP}, {0xFE5A, PDF_CJK_CL},
    {0xFE5B, PDF_CJK_OP}, {0xFE5C, PDF_CJK_CL}, {0xFE5D, PDF_CJK_OP},
    {0xFE5E, PDF_CJK_CL},
    /* full-width forms */
    {0xFF01, PDF_CJK_CL}, {0xFF08, PDF_CJK_OP}, {0xFF09, PDF_CJK_CL},
    {0xFF0C, PDF_CJK_CL}, {0xFF0E, PDF_CJK_CL}, {0xFF1A, PDF_CJK_CL},
    {0xFF1B, PDF_CJK_CL}, {0xFF1F, PDF_CJK_CL}, {0xFF3B, PDF_CJK_OP},
    {0xFF3D, PDF_CJK_CL}, {0xFF5B, PDF_CJK_OP}, {0xFF5D, PDF_CJK_CL},
    {0xFF5E, PDF_CJK_NS}, {0xFF5F, PDF_CJK_OP}, {0xFF60, PDF_CJK_CL},
};

/* Blocks whose remaining code points are ID. */
static const struct { unsigned lo, hi; } S_blocks[] = {
    {0x1100, 0x115F},   /* Hangul Jamo (leading) */
    {0x2E80, 0x2FFF},   /* CJK radicals, Kangxi, description characters */
    {0x3000, 0x303F},   /* CJK symbols and punctuation */
    {0x3040, 0x30FF},   /* Hiragana, Katakana */
    {0x3100, 0x31FF},   /* Bopomofo, Hangul compatibility, Kanbun, ... */
    {0x3200, 0x33FF},   /* enclosed and compatibility */
    {0x3400, 0x4DBF},   /* Extension A */
    {0x4E00, 0x9FFF},   /* CJK unified ideographs */
    {0xA000, 0xA4CF},   /* Yi */
    {0xAC00, 0xD7A3},   /* Hangul syllables */
    {0xF900, 0xFAFF},   /* compatibility ideographs */
    {0xFE30, 0xFE4F},   /* compatibility forms */
    {0xFE50, 0xFE6F},   /* small form variants */
    {0xFF01, 0xFF60},   /* full-width forms */
    {0xFFE0, 0xFFE6},   /* full-width signs */
    {0x20000, 0x3FFFD}, /* supplementary and tertiary ideographic planes */
};

int pdf_cjk_class(unsigned u)
{
    size_t lo = 0, hi = sizeof S_marks / sizeof S_marks[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (S_marks[mid].u < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < sizeof S_marks / sizeof S_marks[0] && S_marks[lo].u == u)
        return S_marks[lo].cls;
    for (size_t i = 0; i < sizeof S_blocks / sizeof S_blocks[0]; i++)
        if (u >= S_blocks[i].lo && u <= S_blocks[i].hi)
            return PDF_CJK_ID;
    return PDF_CJK_OTHER;
}

int pdf_cjk_wide(unsigned u)
{
    return pdf_cjk_class(u) != PDF_CJK_OTHER;
}

int pdf_cjk_ambiguous(unsigned u, unsigned prev, unsigned next)
{
    int wp = prev && prev != PDF_CJK_BOX && pdf_cjk_class(prev) != PDF_CJK_OTHER &&
             pdf_cjk_ambiguous(prev, 0, 0) < 0;
    int wn = next && next != PDF_CJK_BOX && pdf_cjk_class(next) != PDF_CJK_OTHER &&
             pdf_cjk_ambiguous(next, 0, 0) < 0;
    switch (u) {
    case 0x2018: case 0x201C:
        return wn;
    case 0x2019: case 0x201D:
        return wp;
    case 0x2014: case 0x2026:
        return wp || wn;
    default:
        return -1;
    }
}

unsigned pdf_cjk_narrow(unsigned u)
{
    switch (u) {
    case 0x2018: case 0x201C: return '(';
    case 0x2019: case 0x201D: return ')';
    case 0x2014: return '-';
    case 0x2026: return '.';
    default: return u;
    }
}

/* ASCII punctuation that must stay on the line of what precedes it
 * (closing) or follows it (opening). */
static int S_latin_closing(unsigned u)
{
    return u == '.' || u == ',' || u == ';' || u == ':' || u == '!' ||
           u == '?' || u == ')' || u == ']' || u == '}' || u == '%';
}

static int S_latin_opening(unsigned u)
{
    return u == '(' || u == '[' || u == '{';
}

pdf_cjk_join pdf_cjk_join_of(unsigned a, unsigned b, int space)
{
    pdf_cjk_join j = { PDF_CJK_J_NONE, 0 };
    if (a == 0)
        return j;
    int ca = pdf_cjk_class(a), cb = pdf_cjk_class(b);
    if (a == PDF_CJK_BOX)
        ca = PDF_CJK_OTHER;
    if (b == PDF_CJK_BOX)
        cb = PDF_CJK_OTHER;
    if (ca == PDF_CJK_OTHER && cb == PDF_CJK_OTHER) {
        if (space) {
            j.kind = PDF_CJK_J_SPACE;
            j.breakable = 1;
        }
        return j;
    }
    /* UAX #14: no break before CL/NS (LB13, LB21), none after OP (LB14),
     * none inside —— (LB17), none before an ellipsis (LB22: so a line
     * never starts with ……; a dash may start one, GB/T 15834). */
    int brk = !(cb == PDF_CJK_CL || cb == PDF_CJK_NS || ca == PDF_CJK_OP ||
                (ca == PDF_CJK_IN && cb == PDF_CJK_IN) || b == 0x2026);
    if (ca != PDF_CJK_OTHER && cb != PDF_CJK_OTHER) {
        j.kind = PDF_CJK_J_INTER;        /* a source space is dropped */
        j.breakable = brk;
        return j;
    }
    /* One side Latin (or a formula), the other CJK. */
    int cw = ca != PDF_CJK_OTHER ? ca : cb;
    unsigned lat = ca != PDF_CJK_OTHER ? b : a;
    if (cw != PDF_CJK_ID) {
        /* Full-width punctuation carries its own space. */
        j.breakable = brk;
        return j;
    }
    if ((ca == PDF_CJK_ID && S_latin_closing(lat)) ||
        (cb == PDF_CJK_ID && S_latin_opening(lat)))
        return j;                        /* sticks, no break */
    j.kind = PDF_CJK_J_QUARTER;
    j.breakable = 1;
    return j;
}

int pdf_cjk_squeeze(unsigned a, unsigned b)
{
    int ca = pdf_cjk_class(a), cb = pdf_cjk_class(b);
    if (ca == PDF_CJK_CL && (cb == PDF_CJK_CL || cb == PDF_CJK_OP))
        return 1;
    if (ca == PDF_CJK_OP && cb == PDF_CJK_OP)
        return 2;
    return 0;
}
