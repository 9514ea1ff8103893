/* pdf_math — see pdf_math.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hpdf.h>
#include "pdf/pdf_math.h"

/* Raw operators into the page's content stream (libharu 2.3.0 has no
 * marked-content API; the page attribute struct is public in hpdf_pages.h). */
static int S_raw(HPDF_Page page, const char *s)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    return attr && attr->stream && HPDF_Stream_WriteStr(attr->stream, s) == HPDF_OK ? 0 : -1;
}

/* "/Span <</ActualText <FEFF...>>> BDC": the formula's linear text as a PDF
 * text string in UTF-16BE (pdftotext and copy-and-paste read it instead of
 * the glyphs).  Invalid UTF-8 bytes are skipped. */
static int S_actual_begin(HPDF_Page page, const char *t)
{
    size_t len = strlen(t);
    char *s = malloc(len * 8 + 64), *p = s;
    if (!s)
        return -1;
    p += sprintf(p, "/Span <</ActualText <FEFF");
    for (const unsigned char *u = (const unsigned char *)t; *u;) {
        uint32_t cp;
        int n = *u < 0x80 ? 1 : (*u & 0xE0) == 0xC0 ? 2 : (*u & 0xF0) == 0xE0 ? 3
                : (*u & 0xF8) == 0xF0 ? 4 : 0;
        if (!n) {
            u++;
            continue;
        }
        cp = n == 1 ? *u : (uint32_t)(*u & (0x7F >> n));
        for (int k = 1; k < n; k++) {
            if ((u[k] & 0xC0) != 0x80) {
                n = 0;
                break;
            }
            cp = cp << 6 | (u[k] & 0x3F);
        }
        if (!n) {
            u++;
            continue;
        }
        u += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            p += sprintf(p, "%04X%04X", 0xD800u + (cp >> 10), 0xDC00u + (cp & 0x3FF));
        } else {
            p += sprintf(p, "%04X", cp);
        }
    }
    sprintf(p, ">>> BDC\n");
    int rc = S_raw(page, s);
    free(s);
    return rc;
}

/* Fill colour: 0 black (the text colour), else MATH_RGB_SET | 0xRRGGBB. */
static void S_fill(HPDF_Page page, unsigned c)
{
    HPDF_Page_SetRGBFill(page, (HPDF_REAL)((c >> 16) & 0xFF) / 255.0f,
                         (HPDF_REAL)((c >> 8) & 0xFF) / 255.0f, (HPDF_REAL)(c & 0xFF) / 255.0f);
}

/* An invisible period (lmr10 code 46, 0.27778 em) with its origin at (x,
 * y): the first and the last glyph inside an /ActualText span.  poppler
 * places the span's text at its first glyph and ends it at its last glyph's
 * advance, so markers on the baseline at the part's left and right edges
 * keep the text on its line (a big operator or a fraction's numerator
 * would otherwise start it on a line of its own) and give it its width. */
static int S_marker(pdf_fonts *pf, HPDF_Page page, pdf_cs *cs, double x, double y, double size,
                    lb_err *e)
{
    HPDF_Font f = pdf_fonts_math(pf, MATH_F_LMR10, e);
    if (!f)
        return -1;
    pdf_cs_hpos h = { 0, 0, 0, 0 };   /* a text object of its own, before */
    pdf_cs_hpos_move(&h, x, y);
    if (pdf_cs_show_invisible(cs, page, f, size, h.x, h.y, ".", 1) < 0)
        return err_set(e, LB_EXIT_RUNTIME, "libharu: cannot draw a text marker");
    return 0;
}

/* The same marker through libharu's own operators (its own text object). */
static int S_marker_hpdf(pdf_fonts *pf, HPDF_Page page, double x, double y, double size,
                         lb_err *e)
{
    HPDF_Font f = pdf_fonts_math(pf, MATH_F_LMR10, e);
    if (!f)
        return -1;
    HPDF_STATUS st = HPDF_Page_BeginText(page);
    st |= HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)size);
    st |= HPDF_Page_SetTextRenderingMode(page, HPDF_INVISIBLE);
    st |= HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y, ".");
    st |= HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
    st |= HPDF_Page_EndText(page);
    return st == HPDF_OK ? 0 : err_set(e, LB_EXIT_RUNTIME, "libharu: cannot draw a text marker");
}

/* The glyphs through libharu: one text object, a TextOut per glyph (as
 * before the content writer; pdf_opts.hpdf_content, for the tests that
 * compare the two; and any part with a colour or a TrueType math font,
 * whose UTF-8 strings libharu converts to its two-byte codes). */
static int S_glyphs_hpdf(pdf_fonts *pf, HPDF_Page page, const math_box *box,
                         const pdf_math_part *pt, double x, double y, int colored,
                         unsigned *cur_color, lb_err *e)
{
    if (pt->ng == 0)
        return 0;
    if (HPDF_Page_BeginText(page) != HPDF_OK)
        return err_set(e, LB_EXIT_RUNTIME, "libharu: BeginText failed");
    int cur_font = -1;
    double cur_size = -1;
    for (size_t i = pt->g0; i < pt->g0 + pt->ng; i++) {
        const math_glyph *g = &box->glyphs[i];
        if (colored && g->color != *cur_color) {
            S_fill(page, g->color);
            *cur_color = g->color;
        }
        char s[5];
        if (pdf_fonts_math_text(pf, g->font, g->code, s, e) < 0) {
            HPDF_Page_EndText(page);
            return -1;
        }
        if (g->font != cur_font || g->size != cur_size) {
            HPDF_Font f = pdf_fonts_math(pf, g->font, e);
            if (!f || HPDF_Page_SetFontAndSize(page, f, (HPDF_REAL)g->size) != HPDF_OK) {
                HPDF_Page_EndText(page);
                return err_set(e, LB_EXIT_RUNTIME, "libharu: cannot select math font %d",
                               g->font);
            }
            cur_font = g->font;
            cur_size = g->size;
        }
        if (HPDF_Page_TextOut(page, (HPDF_REAL)(x + g->x), (HPDF_REAL)(y + g->y), s)
            != HPDF_OK) {
            HPDF_Page_EndText(page);
            return err_set(e, LB_EXIT_RUNTIME, "libharu: TextOut failed");
        }
    }
    if (HPDF_Page_EndText(page) != HPDF_OK)
        return err_set(e, LB_EXIT_RUNTIME, "libharu: EndText failed");
    return 0;
}

int pdf_math_draw(pdf_fonts *pf, HPDF_Page page, const math_box *box, double x,
                  double y, lb_err *e)
{
    if (!pf || !page || !box)
        return err_set(e, LB_EXIT_RUNTIME, "pdf_math_draw: bad arguments");
    /* an /ActualText span over no glyph would stand for nothing drawn */
    int actual = box->text && *box->text && box->nglyphs > 0;
    pdf_math_part all = { 0, box->nglyphs, 0, box->nrules, 0, box->width,
                          box->nglyphs ? box->glyphs[0].size : 10, actual ? box->text : NULL,
                          actual };
    return pdf_math_draw_part(pf, page, NULL, box, &all, x, y, e);
}

static int S_draw_part(pdf_fonts *pf, HPDF_Page page, pdf_cs *cs, int hpdf,
                       const math_box *box, const pdf_math_part *pt, double x, double y,
                       lb_err *e)
{
    /* the marked-content sequence encloses whole text objects and rules */
    if (pt->actual && (pdf_cs_end(cs) < 0 || S_actual_begin(page, pt->actual) < 0))
        return err_set(e, LB_EXIT_RUNTIME, "pdf_math_draw: cannot write /ActualText");
    if (pt->actual && (hpdf ? S_marker_hpdf(pf, page, x, y, pt->size, e)
                            : S_marker(pf, page, cs, x, y, pt->size, e)) < 0)
        return -1;
    x -= pt->x0;
    /* \color: the part is drawn inside q ... Q, so the page's colour is
     * back afterwards; uncoloured items inside it are black */
    int colored = 0, tt = 0;
    for (size_t i = pt->g0; i < pt->g0 + pt->ng; i++) {
        colored |= box->glyphs[i].color != 0;
        tt |= box->glyphs[i].font >= MATH_F_BB;
    }
    for (size_t i = pt->r0; i < pt->r0 + pt->nr && !colored; i++)
        colored = box->rules[i].color != 0;
    unsigned cur_color = 0;
    int own_text = hpdf || colored || tt;   /* libharu's text object */
    if (own_text && pdf_cs_end(cs) < 0)
        return err_set(e, LB_EXIT_RUNTIME, "libharu: EndText failed");
    if (colored && HPDF_Page_GSave(page) != HPDF_OK)
        return err_set(e, LB_EXIT_RUNTIME, "libharu: GSave failed");
    if (own_text && S_glyphs_hpdf(pf, page, box, pt, x, y, colored, &cur_color, e) < 0)
        return -1;
    pdf_cs_hpos h = { 0, 0, 0, 0 };   /* the part's text object, before */
    for (size_t i = pt->g0; !own_text && i < pt->g0 + pt->ng; i++) {
        const math_glyph *g = &box->glyphs[i];
        char s[5];
        if (pdf_fonts_math_text(pf, g->font, g->code, s, e) < 0)
            return -1;
        HPDF_Font f = pdf_fonts_math(pf, g->font, e);
        if (!f)
            return err_set(e, LB_EXIT_RUNTIME, "libharu: cannot select math font %d", g->font);
        pdf_cs_hpos_move(&h, x + g->x, y + g->y);
        if (pdf_cs_show(cs, page, f, g->size, h.x, h.y, s, strlen(s)) < 0)
            return err_set(e, LB_EXIT_RUNTIME, "libharu: cannot show a math glyph");
    }
    if (pt->nr > 0 && pdf_cs_end(cs) < 0)
        return err_set(e, LB_EXIT_RUNTIME, "libharu: EndText failed");
    for (size_t i = pt->r0; i < pt->r0 + pt->nr; i++) {
        const math_rule *r = &box->rules[i];
        if (colored && r->color != cur_color) {
            S_fill(page, r->color);
            cur_color = r->color;
        }
        HPDF_REAL x0 = (HPDF_REAL)(x + r->x), y0 = (HPDF_REAL)(y + r->y);
        HPDF_STATUS st;
        if (r->slant == 0) {
            st = HPDF_Page_Rectangle(page, x0, y0, (HPDF_REAL)r->w, (HPDF_REAL)r->h);
        } else {   /* a parallelogram: \cancel's stroke */
            HPDF_REAL s = (HPDF_REAL)r->slant, w = (HPDF_REAL)r->w, hh = (HPDF_REAL)r->h;
            st = HPDF_Page_MoveTo(page, x0, y0);
            st |= HPDF_Page_LineTo(page, x0 + w, y0);
            st |= HPDF_Page_LineTo(page, x0 + w + s, y0 + hh);
            st |= HPDF_Page_LineTo(page, x0 + s, y0 + hh);
            st |= HPDF_Page_ClosePath(page);
        }
        if (st != HPDF_OK || HPDF_Page_Fill(page) != HPDF_OK)
            return err_set(e, LB_EXIT_RUNTIME, "libharu: cannot draw a rule");
    }
    if (colored && HPDF_Page_GRestore(page) != HPDF_OK)
        return err_set(e, LB_EXIT_RUNTIME, "libharu: GRestore failed");
    double mx = x + pt->x0 + pt->w - 0.27778 * pt->size;
    if (pt->close && (hpdf ? S_marker_hpdf(pf, page, mx, y, pt->size, e)
                           : S_marker(pf, page, cs, mx, y, pt->size, e)) < 0)
        return -1;
    if (pt->close && (pdf_cs_end(cs) < 0 || S_raw(page, "EMC\n") < 0))
        return err_set(e, LB_EXIT_RUNTIME, "pdf_math_draw: cannot close /ActualText");
    return 0;
}

int pdf_math_draw_part(pdf_fonts *pf, HPDF_Page page, pdf_cs *cs, const math_box *box,
                       const pdf_math_part *pt, double x, double y, lb_err *e)
{
    if (!pf || !page || !box || !pt || pt->g0 + pt->ng > box->nglyphs
        || pt->r0 + pt->nr > box->nrules)
        return err_set(e, LB_EXIT_RUNTIME, "pdf_math_draw: bad arguments");
    pdf_cs own;
    memset(&own, 0, sizeof own);
    int rc = S_draw_part(pf, page, cs ? cs : &own, !cs, box, pt, x, y, e);
    if (pdf_cs_end(&own) < 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "libharu: EndText failed");
    return rc;
}
