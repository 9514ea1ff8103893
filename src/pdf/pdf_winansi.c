/* pdf_winansi — see pdf_winansi.h. */
#include <stdio.h>
#include <string.h>
#include "pdf/pdf_winansi.h"

static const unsigned short S_cp1252_hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* WinAnsi byte for code point u, 0 if none. */
int pdf_winansi_byte(unsigned u)
{
    if (u == '\t' || u == '\n' || u == '\r')
        return ' ';
    if (u < 0x20)
        return 0;
    if (u < 0x80 || (u >= 0xA0 && u <= 0xFF))
        return (int)u;
    for (int i = 0; i < 32; i++)
        if (S_cp1252_hi[i] == u)
            return 0x80 + i;
    if (u == 0x2212)
        return '-';
    return 0;
}

/* Decode one UTF-8 character; advances *i.  Bad bytes give U+FFFD. */
unsigned pdf_winansi_decode_utf8(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = n - *i;
    unsigned u = p[0];
    int len = 1;
    if (u >= 0xF0 && left >= 4) {
        u = ((u & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) |
            (p[3] & 63u);
        len = 4;
    } else if (u >= 0xE0 && left >= 3) {
        u = ((u & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
        len = 3;
    } else if (u >= 0xC0 && left >= 2) {
        u = ((u & 31u) << 6) | (p[1] & 63u);
        len = 2;
    } else if (u >= 0x80)
        u = 0xFFFD;
    *i += (size_t)len;
    return u;
}

size_t pdf_winansi_from_utf8(const char *s, size_t n, char *out, size_t cap,
                             int *unmapped)
{
    size_t i = 0, o = 0;
    int bad = 0;
    while (i < n && o + 1 < cap) {
        unsigned u = pdf_winansi_decode_utf8(s, n, &i);
        int b = pdf_winansi_byte(u);
        if (!b) { bad++; b = '?'; }
        out[o++] = (char)b;
    }
    if (cap)
        out[o] = '\0';
    if (unmapped)
        *unmapped = bad;
    return o;
}

size_t pdf_winansi_from_utf8_visible(const char *s, size_t n, char *out,
                                     size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n && o + 1 < cap) {
        unsigned u = pdf_winansi_decode_utf8(s, n, &i);
        int b = pdf_winansi_byte(u);
        if (b) {
            out[o++] = (char)b;
            continue;
        }
        char tmp[16];
        int k = snprintf(tmp, sizeof tmp, "[U+%04X]", u);
        if (o + (size_t)k + 1 >= cap)
            break;
        memcpy(out + o, tmp, (size_t)k);
        o += (size_t)k;
    }
    if (cap)
        out[o] = '\0';
    return o;
}
