/* pdf_text — see pdf_text.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf.h"
#include "pdf/pdf_cs.h"
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

const char *const *pdf_text_font_files(size_t *n)
{
    *n = PF_COUNT;
    return S_font_files;
}

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

/* A failure of the content-stream writer: libharu has usually reported it
 * already (S_error in pdf_hpdf.c); make sure the render stops. */
static void S_cs_failed(pdf_ctx *c)
{
    c->hpdf_failed = 1;
    if (c->e && !c->e->code)
        err_set(c->e, LB_EXIT_RUNTIME, "cannot write the text of page %d", c->page_no);
}

/* Each kern-free segment is placed at its AFM position (the writer's TJ
 * numbers absorb the kerns and the difference between the AFM widths and
 * the integer /Widths the viewer advances by).  With opts->hpdf_content the
 * text goes through libharu as it did before the content writer: a text
 * object per call, a TextOut per segment (for the tests that compare). */
double pdf_text_run(pdf_ctx *c, int font, double size, const char *s,
                    size_t len, double x, double y)
{
    const afm_font *f = c->font[font].afm;
    double pos = x, seg_x = x;
    size_t seg = 0;
    int prev = -1, hpdf = c->o->hpdf_content;
    pdf_cs_hpos hp = { 0, 0, 0, 0 };

    if (S_font_use(c, font) < 0)
        return 0;
    if (hpdf) {
        HPDF_Page_BeginText(c->page);
        HPDF_Page_SetFontAndSize(c->page, c->font[font].h, (HPDF_REAL)size);
    }
    for (size_t i = 0; i <= len; i++) {
        int gi = i < len ? afm_winansi_index(f, (unsigned char)s[i]) : -1;
        double k = (i < len && prev >= 0 && gi >= 0) ? afm_kern(f, prev, gi)
                                                     : 0.0;
        /* A kern or the end closes the current segment (TextOut: also a
         * full buffer). */
        if (i == len || k != 0.0 || (hpdf && i - seg >= 511)) {
            if (i > seg && hpdf) {
                char buf[512];
                memcpy(buf, s + seg, i - seg);
                buf[i - seg] = '\0';
                HPDF_Page_TextOut(c->page, (HPDF_REAL)seg_x, (HPDF_REAL)y, buf);
            } else if (i > seg) {
                pdf_cs_hpos_move(&hp, seg_x, y);
                if (pdf_cs_show(&c->cs, c->page, c->font[font].h, size,
                                hp.x, hp.y, s + seg, i - seg) < 0) {
                    S_cs_failed(c);
                    return 0;
                }
            }
            seg = i;
            pos += k * size / 1000.0;
            seg_x = pos;
        }
        if (i == len)
            break;
        pos += S_glyph_w(f, gi) * size / 1000.0;
        prev = gi;
    }
    if (hpdf)
        HPDF_Page_EndText(c->page);
    return pos - x;
}

int pdf_text_end(pdf_ctx *c)
{
    if (pdf_cs_end(&c->cs) < 0) {
        S_cs_failed(c);
        return -1;
    }
    return 0;
}

double pdf_text_draw(pdf_ctx *c, int font, double size, const char *s,
                     size_t len, double x, double y)
{
    double w = pdf_text_run(c, font, size, s, len, x, y);
    pdf_text_end(c);
    return w;
}
