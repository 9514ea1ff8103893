/* pdf_text — see pdf_text.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_text.h"

const pdf_fam pdf_fam_body = { PF_RM, PF_IT, PF_BF, PF_BI, PF_TT };
const pdf_fam pdf_fam_small = { PF_RM9, PF_IT9, PF_BF9, PF_BF9, PF_TT9 };
const pdf_fam pdf_fam_head = { PF_SEC, PF_BI, PF_SEC, PF_BI, PF_TT };
const pdf_fam pdf_fam_title = { PF_TITLE, PF_IT, PF_TITLE, PF_BI, PF_TT };
const pdf_fam pdf_fam_r12 = { PF_R12, PF_IT, PF_BF, PF_BI, PF_TT };

static const char *const S_font_files[PF_COUNT] = {
    "lmr10", "lmri10", "lmbx10", "lmbxi10", "lmtt10",
    "lmr9", "lmri9", "lmbx9", "lmtt9",
    "lmr8", "lmtt8",
    "lmbx12", "lmr17", "lmr12"
};

int pdf_text_fonts_load(pdf_ctx *c)
{
    for (int i = 0; i < PF_COUNT; i++) {
        c->font[i].file = S_font_files[i];
        c->font[i].afm = pdf_fonts_afm(c->pf, S_font_files[i], c->e);
        if (!c->font[i].afm)
            return -1;
    }
    return 0;
}

/* The HPDF font is embedded on first use only (each Type 1 font costs
 * ~100 KB). */
static int S_font_use(pdf_ctx *c, int font)
{
    if (c->font[font].h)
        return 0;
    c->font[font].h = pdf_fonts_get(c->pf, c->font[font].file,
                                    "WinAnsiEncoding", c->e);
    if (!c->font[font].h) {
        c->hpdf_failed = 1;
        return -1;
    }
    return 0;
}

double pdf_text_width(pdf_ctx *c, int font, double size, const char *s,
                      size_t len)
{
    return afm_winansi_text_width(c->font[font].afm, s, len, size, 1);
}

static double S_glyph_w(const afm_font *f, int gi)
{
    const afm_glyph *g = gi >= 0 ? afm_glyph_at(f, gi) : NULL;
    return g ? g->wx : 0.0;
}

double pdf_text_draw(pdf_ctx *c, int font, double size, const char *s,
                     size_t len, double x, double y)
{
    const afm_font *f = c->font[font].afm;
    char buf[512];
    double pos = x, seg_x = x;
    size_t nb = 0;
    int prev = -1;

    if (S_font_use(c, font) < 0)
        return 0;
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, c->font[font].h, (HPDF_REAL)size);
    for (size_t i = 0; i <= len; i++) {
        int gi = i < len ? afm_winansi_index(f, (unsigned char)s[i]) : -1;
        double k = (i < len && prev >= 0 && gi >= 0) ? afm_kern(f, prev, gi)
                                                     : 0.0;
        /* A kern, the end, or a full buffer closes the current segment. */
        if (i == len || k != 0.0 || nb + 1 >= sizeof buf) {
            if (nb > 0) {
                buf[nb] = '\0';
                HPDF_Page_TextOut(c->page, (HPDF_REAL)seg_x, (HPDF_REAL)y,
                                  buf);
            }
            nb = 0;
            pos += k * size / 1000.0;
            seg_x = pos;
        }
        if (i == len)
            break;
        buf[nb++] = s[i];
        pos += S_glyph_w(f, gi) * size / 1000.0;
        prev = gi;
    }
    HPDF_Page_EndText(c->page);
    return pos - x;
}
