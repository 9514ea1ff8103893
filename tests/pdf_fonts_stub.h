/* Test-only fallback for pdf_fonts (h3 owns the real one, src/pdf_fonts.c).
 * Weak symbols: when the library provides pdf_fonts.o its definitions win;
 * until then tests of pdf_svg still link and draw with real Latin Modern
 * fonts.  The built-in-encoding width fix follows the note in
 * shared/notes/math-layout.md (libharu gives non-Latin-1 glyphs width 0).
 */
#include <hpdf.h>
#include <hpdf_font.h>
#include <stdio.h>
#include <string.h>
#include "pdf_fonts.h"

#define STUB_FONTDIR "/usr/share/texmf/fonts"

struct pdf_fonts {
    HPDF_Doc doc;
    struct {
        char name[32];
        afm_font *afm;
        const char *ps;
        HPDF_Font f[2];
    } ent[12];
    int n;
};

__attribute__((weak)) pdf_fonts *pdf_fonts_new(HPDF_Doc doc,
                                               const math_fonts *mf, lb_err *e)
{
    (void)mf;
    pdf_fonts *pf = calloc(1, sizeof *pf);
    if (!pf) {
        err_nomem(e);
        return NULL;
    }
    pf->doc = doc;
    return pf;
}

__attribute__((weak)) void pdf_fonts_free(pdf_fonts *pf)
{
    if (!pf)
        return;
    for (int i = 0; i < pf->n; i++)
        afm_free(pf->ent[i].afm);
    free(pf);
}

static int stub_slot(pdf_fonts *pf, const char *base, lb_err *e)
{
    for (int i = 0; i < pf->n; i++)
        if (!strcmp(pf->ent[i].name, base))
            return i;
    if (pf->n == 12) {
        err_set(e, LB_EXIT_RUNTIME, "stub: too many fonts");
        return -1;
    }
    char afm[512], pfb[512];
    snprintf(afm, sizeof afm, STUB_FONTDIR "/afm/public/lm/%s.afm", base);
    snprintf(pfb, sizeof pfb, STUB_FONTDIR "/type1/public/lm/%s.pfb", base);
    int i = pf->n;
    memset(&pf->ent[i], 0, sizeof pf->ent[i]);
    snprintf(pf->ent[i].name, sizeof pf->ent[i].name, "%s", base);
    pf->ent[i].afm = afm_load(afm, e);
    if (!pf->ent[i].afm)
        return -1;
    pf->ent[i].ps = HPDF_LoadType1FontFromFile(pf->doc, afm, pfb);
    if (!pf->ent[i].ps) {
        afm_free(pf->ent[i].afm);
        err_set(e, LB_EXIT_RUNTIME, "stub: cannot load %s", pfb);
        return -1;
    }
    pf->n++;
    return i;
}

__attribute__((weak)) const afm_font *pdf_fonts_afm(pdf_fonts *pf,
                                                    const char *base, lb_err *e)
{
    int i = stub_slot(pf, base, e);
    return i < 0 ? NULL : pf->ent[i].afm;
}

__attribute__((weak)) HPDF_Font pdf_fonts_get(pdf_fonts *pf, const char *base,
                                              const char *encoding, lb_err *e)
{
    int i = stub_slot(pf, base, e);
    if (i < 0)
        return NULL;
    int k = encoding ? 1 : 0;
    if (!pf->ent[i].f[k]) {
        HPDF_Font f = HPDF_GetFont(pf->doc, pf->ent[i].ps, encoding);
        if (!f) {
            err_set(e, LB_EXIT_RUNTIME, "stub: HPDF_GetFont %s", base);
            return NULL;
        }
        if (!encoding) {
            HPDF_FontAttr attr = (HPDF_FontAttr)f->attr;
            for (int c = 0; c < 256; c++)
                attr->widths[c] =
                    (HPDF_INT16)afm_width_of_code(pf->ent[i].afm, c);
        }
        pf->ent[i].f[k] = f;
    }
    return pf->ent[i].f[k];
}
