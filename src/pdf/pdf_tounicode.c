/* pdf_tounicode — see pdf_tounicode.h.  The CMap follows the PDF reference
 * (section 5.9.2, "ToUnicode CMaps"): one-byte codespace <00> <FF>, bfchar
 * entries in blocks of at most 100, UTF-16BE destinations (surrogate pairs
 * for the mathematical alphanumerics above U+FFFF). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hpdf.h>
#include "math/afm.h"
#include "math/math_unicode.h"
#include "pdf/pdf_tounicode.h"

int pdf_tounicode_glyph(const char *font_base, const char *name, uint32_t out[PDF_TU_MAXCP])
{
    return math_unicode_glyph(font_base, name, out);
}

int pdf_tounicode_from_names(const char *font_base, const char *const names[256],
                             pdf_tu_map map[256])
{
    int k = 0;
    for (int c = 0; c < 256; c++) {
        map[c].n = pdf_tounicode_glyph(font_base, names[c], map[c].u);
        k += map[c].n > 0;
    }
    return k;
}

/* UTF-16BE hex of one code point (4 or 8 digits). */
static int S_utf16(char *out, uint32_t cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        return sprintf(out, "%04X%04X", 0xD800u + (cp >> 10), 0xDC00u + (cp & 0x3FF));
    }
    return sprintf(out, "%04X", cp);
}

char *pdf_tounicode_cmap(const pdf_tu_map map[256], lb_err *e)
{
    static const char head[] =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n";
    static const char tail[] =
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    int n = 0;
    for (int c = 0; c < 256; c++)
        n += map[c].n > 0;
    /* per entry "<XX> <" + 3 x 8 hex + ">\n"; per block of 100 a header */
    size_t cap = sizeof head + sizeof tail + (size_t)n * 40 + 4 * 40;
    char *s = malloc(cap), *p = s;
    if (!s) {
        err_nomem(e);
        return NULL;
    }
    p += sprintf(p, "%s", head);
    for (int c = 0, done = 0; c < 256; c++) {
        if (map[c].n <= 0)
            continue;
        if (done % 100 == 0)
            p += sprintf(p, "%d beginbfchar\n", n - done < 100 ? n - done : 100);
        p += sprintf(p, "<%02X> <", c);
        for (int k = 0; k < map[c].n && k < PDF_TU_MAXCP; k++)
            p += S_utf16(p, map[c].u[k]);
        p += sprintf(p, ">\n");
        if (++done % 100 == 0 || done == n)
            p += sprintf(p, "endbfchar\n");
    }
    sprintf(p, "%s", tail);
    return s;
}

int pdf_tounicode_attach(HPDF_Doc doc, HPDF_Font font, const pdf_tu_map map[256], lb_err *e)
{
    if (!doc || !font)
        return err_set(e, LB_EXIT_RUNTIME, "pdf_tounicode_attach: bad arguments");
    char *cmap = pdf_tounicode_cmap(map, e);
    if (!cmap)
        return -1;
    int rc = 0;
    HPDF_Dict st = HPDF_DictStream_New(font->mmgr, doc->xref);
    if (!st)
        rc = -1;
    else {
        if (doc->compression_mode & HPDF_COMP_TEXT)
            st->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        if (HPDF_Stream_WriteStr(st->stream, cmap) != HPDF_OK
            || HPDF_Dict_Add(font, "ToUnicode", st) != HPDF_OK)
            rc = -1;
    }
    free(cmap);
    if (rc < 0) {
        unsigned long code = HPDF_GetError(doc);
        HPDF_ResetError(doc);
        return err_set(e, LB_EXIT_RUNTIME, "libharu error 0x%04lX while adding /ToUnicode",
                       code);
    }
    return 0;
}

int pdf_tounicode_attach_names(HPDF_Doc doc, HPDF_Font font, const char *font_base,
                               const char *const names[256], lb_err *e)
{
    pdf_tu_map map[256];
    pdf_tounicode_from_names(font_base, names, map);
    return pdf_tounicode_attach(doc, font, map, e);
}

int pdf_tounicode_attach_winansi(HPDF_Doc doc, HPDF_Font font, const char *font_base,
                                 lb_err *e)
{
    const char *names[256];
    for (int c = 0; c < 256; c++)
        names[c] = afm_winansi_name((unsigned char)c);
    return pdf_tounicode_attach_names(doc, font, font_base, names, e);
}
