/* pdf_hlist — see pdf_hlist.h.  Widths come from the AFM in double
 * precision with KPX kerning (pdf_text.h), never from libharu. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_cjk.h"
#include "pdf/pdf_cjkfont.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_mbox.h"
#include "pdf/pdf_slot.h"
#include "pdf/pdf_text.h"
#include "pdf/pdf_winansi.h"
#include "compute/catalog.h"
#include "doc/xref.h"

/* Characters outside cp1252 that prose may contain, set as math. */
static const struct { unsigned u; const char *tex; } S_math_chars[] = {
    {0x0391, "A"}, {0x0392, "B"}, {0x0393, "\\Gamma"}, {0x0394, "\\Delta"},
    {0x0398, "\\Theta"}, {0x039B, "\\Lambda"}, {0x039E, "\\Xi"},
    {0x03A0, "\\Pi"}, {0x03A3, "\\Sigma"}, {0x03A5, "\\Upsilon"},
    {0x03A6, "\\Phi"}, {0x03A8, "\\Psi"}, {0x03A9, "\\Omega"},
    {0x03B1, "\\alpha"}, {0x03B2, "\\beta"}, {0x03B3, "\\gamma"},
    {0x03B4, "\\delta"}, {0x03B5, "\\epsilon"}, {0x03B6, "\\zeta"},
    {0x03B7, "\\eta"}, {0x03B8, "\\theta"}, {0x03B9, "\\iota"},
    {0x03BA, "\\kappa"}, {0x03BB, "\\lambda"}, {0x03BC, "\\mu"},
    {0x03BD, "\\nu"}, {0x03BE, "\\xi"}, {0x03BF, "o"}, {0x03C0, "\\pi"},
    {0x03C1, "\\rho"}, {0x03C2, "\\varsigma"}, {0x03C3, "\\sigma"},
    {0x03C4, "\\tau"}, {0x03C5, "\\upsilon"}, {0x03C6, "\\phi"},
    {0x03C7, "\\chi"}, {0x03C8, "\\psi"}, {0x03C9, "\\omega"},
    {0x2190, "\\leftarrow"}, {0x2192, "\\to"}, {0x2194, "\\leftrightarrow"},
    {0x21D2, "\\Rightarrow"}, {0x21D4, "\\Leftrightarrow"},
    {0x2200, "\\forall"}, {0x2202, "\\partial"}, {0x2203, "\\exists"},
    {0x2207, "\\nabla"}, {0x2208, "\\in"}, {0x2209, "\\notin"},
    {0x220F, "\\prod"}, {0x2211, "\\sum"}, {0x2212, "-"}, {0x2217, "\\ast"},
    {0x2218, "\\circ"}, {0x2219, "\\bullet"}, {0x221A, "\\surd"},
    {0x221D, "\\propto"}, {0x221E, "\\infty"}, {0x2225, "\\|"},
    {0x2227, "\\wedge"}, {0x2228, "\\vee"}, {0x2229, "\\cap"},
    {0x222A, "\\cup"}, {0x222B, "\\int"}, {0x223C, "\\sim"},
    {0x2248, "\\approx"}, {0x2260, "\\neq"}, {0x2261, "\\equiv"},
    {0x2264, "\\le"}, {0x2265, "\\ge"}, {0x2282, "\\subset"},
    {0x2286, "\\subseteq"}, {0x2295, "\\oplus"}, {0x2297, "\\otimes"},
    {0x2299, "\\odot"}, {0x22A4, "\\top"}, {0x22C5, "\\cdot"},
    {0x2016, "\\|"}, {0x2032, "\\prime"}, {0x2113, "\\ell"},
    {0x211D, "\\mathbb{R}"},
};

static const char *S_math_for(unsigned u)
{
    for (size_t i = 0; i < sizeof S_math_chars / sizeof S_math_chars[0]; i++)
        if (S_math_chars[i].u == u)
            return S_math_chars[i].tex;
    return NULL;
}

/* ---- horizontal lists ---------------------------------------------------- */

int pdf_hl_init(pdf_ctx *c, pdf_hlist *hl)
{
    (void)c;
    memset(hl, 0, sizeof *hl);
    return 0;
}

/* `hl` becomes `out`; hl's own arrays are released (nothing else points
 * into them: lists are never shared). */
static void S_hl_replace(pdf_ctx *c, pdf_hlist *hl, const pdf_hlist *out)
{
    pdf_arena_regrow(c, hl->it, 0);
    pdf_arena_regrow(c, hl->hb, 0);
    *hl = *out;
}

/* Exactly n slots: a finished list does not grow again. */
static void S_hl_trim(pdf_ctx *c, pdf_hlist *hl)
{
    if (hl->n == 0 || hl->n == hl->cap)
        return;
    pb_item *ni = pdf_arena_regrow(c, hl->it, hl->n * sizeof *ni);
    if (ni)
        hl->it = ni;
    pdf_hbox *nh = ni ? pdf_arena_regrow(c, hl->hb, hl->n * sizeof *nh) : NULL;
    if (nh) {
        hl->hb = nh;
        hl->cap = hl->n;
    }
}

static int S_hl_put(pdf_ctx *c, pdf_hlist *hl, pb_item it, pdf_hbox hb)
{
    if (hl->n == hl->cap) {
        /* small first: most lists (a table cell, a one-line paragraph) hold
         * a handful of items, and the arena keeps outgrown arrays */
        size_t ncap = hl->cap ? hl->cap * 2 : 4;
        pb_item *ni = pdf_arena_regrow(c, hl->it, ncap * sizeof *ni);
        if (!ni)
            return -1;
        hl->it = ni;
        pdf_hbox *nh = pdf_arena_regrow(c, hl->hb, ncap * sizeof *nh);
        if (!nh)
            return -1;
        hl->hb = nh;
        hl->cap = ncap;
    }
    hl->it[hl->n] = it;
    hl->hb[hl->n] = hb;
    hl->n++;
    return 0;
}

/* A white space seen between Latin words is set as TeX's interword glue
 * of its font when the next item comes (tex.web §1041-1044: the font's
 * space, stretch and shrink; with a space factor sf != 1000 the stretch is
 * scaled by sf/1000 and the shrink by 1000/sf, and from 2000 on the extra
 * space is added: after "end." the space is wider); next to CJK text
 * S_join decides instead. */
static int S_pend_flush(pdf_ctx *c, pdf_hlist *hl)
{
    if (!hl->pend)
        return 0;
    hl->pend = 0;
    const afm_font *a = c->font[hl->pend_font].afm;
    double k = hl->pend_size / 1000.0, w = afm_width_of_name(a, "space") * k;
    double sp = afm_fontdimen(a, 2), st = afm_fontdimen(a, 3), sh = afm_fontdimen(a, 4);
    double ex = afm_fontdimen(a, 7), sf = hl->sf ? hl->sf : 1000;   /* of the box before */
    pb_item it = { PB_GLUE, w, w / 2.0, w / 3.0, 0, 0, 0 };
    if (sp >= 0 && st >= 0 && sh >= 0 && ex >= 0)
        it = (pb_item){ PB_GLUE, (sp + (sf >= 2000 ? ex : 0)) * k, st * k * sf / 1000,
                        sh * k * 1000 / sf, 0, 0, 0 };
    pdf_hbox hb = { 0 };
    return S_hl_put(c, hl, it, hb);
}

static int S_hl_push(pdf_ctx *c, pdf_hlist *hl, pb_item it, pdf_hbox hb)
{
    if (S_pend_flush(c, hl) < 0)
        return -1;
    return S_hl_put(c, hl, it, hb);
}

/* What goes between the last character set and `next` (a code point, the
 * Latin stand-in of a narrow ambiguous mark, or PDF_CJK_BOX), per
 * pdf_cjk.h.  `em` is the CJK size of the text.  Latin next to Latin keeps
 * TeX's interword glue. */
static int S_join(pdf_ctx *c, pdf_hlist *hl, unsigned next, double em)
{
    unsigned prev = hl->last_u;
    int wide = (prev && prev != PDF_CJK_BOX && pdf_cjk_wide(prev)) ||
               (next != PDF_CJK_BOX && pdf_cjk_wide(next));
    if (!wide)
        return S_pend_flush(c, hl);
    pdf_cjk_join j = pdf_cjk_join_of(prev, next, hl->pend);
    hl->pend = 0;
    pdf_hbox hb = { 0 };
    if (j.kind == PDF_CJK_J_INTER || j.kind == PDF_CJK_J_QUARTER) {
        /* Inter-character glue only stretches (ideographs never come
         * closer); the quarter em between scripts stretches and shrinks
         * in the proportions of a word space. */
        pb_item g = { PB_GLUE, 0, 0.15 * em, 0, 0, 0, 0 };
        if (j.kind == PDF_CJK_J_QUARTER)
            g = (pb_item){ PB_GLUE, 0.25 * em, 0.125 * em, 0.25 * em / 3.0,
                           0, 0, 0 };
        if (!j.breakable) {
            pb_item p = { PB_PENALTY, 0, 0, 0, 0, PB_INF, 0 };
            if (S_hl_put(c, hl, p, hb) < 0)
                return -1;
        }
        return S_hl_put(c, hl, g, hb);
    }
    if (j.breakable) {
        pb_item p = { PB_PENALTY, 0, 0, 0, 0, 0, 0 };
        return S_hl_put(c, hl, p, hb);
    }
    return 0;
}

/* Latin fonts that take the bold CJK face (headings, bold) or the one for
 * code. */
static int S_font_bold(int font)
{
    return font == PF_BF || font == PF_BI || font == PF_BF9 ||
           font == PF_SEC;
}

static int S_font_mono(int font)
{
    return font == PF_TT || font == PF_TT9 || font == PF_TT8;
}

/* 1-based column of byte `at` of s (characters, not bytes). */
static int S_chars(const char *s, size_t at)
{
    int k = 0;
    for (size_t i = 0; i < at; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static int S_no_font(pdf_ctx *c, unsigned u, int line, int col)
{
    /* Control characters and invisible format characters (bidi overrides,
     * zero widths) are named, never echoed: they would act on the
     * terminal showing the message. */
    if (u < 0x20 || (u >= 0x7F && u <= 0x9F))
        return err_at(c->e, LB_EXIT_INPUT, c->path, line, col,
                      "control character U+%04X in the text (expected a "
                      "printable character)", u);
    if ((u >= 0x200B && u <= 0x200F) || (u >= 0x202A && u <= 0x202E) ||
        (u >= 0x2060 && u <= 0x206F) || u == 0xFEFF)
        return err_at(c->e, LB_EXIT_INPUT, c->path, line, col,
                      "invisible format character U+%04X is in none of the "
                      "fonts (Latin Modern, %s, %s)", u,
                      pdf_cjkfont_name(PDF_CJK_SONG),
                      pdf_cjkfont_name(PDF_CJK_HEI));
    char ch[5] = { 0 };
    if (u < 0x80) ch[0] = (char)u;
    else if (u < 0x800) { ch[0] = (char)(0xC0 | (u >> 6)); ch[1] = (char)(0x80 | (u & 0x3F)); }
    else if (u < 0x10000) { ch[0] = (char)(0xE0 | (u >> 12)); ch[1] = (char)(0x80 | ((u >> 6) & 0x3F)); ch[2] = (char)(0x80 | (u & 0x3F)); }
    else { ch[0] = (char)(0xF0 | (u >> 18)); ch[1] = (char)(0x80 | ((u >> 12) & 0x3F)); ch[2] = (char)(0x80 | ((u >> 6) & 0x3F)); ch[3] = (char)(0x80 | (u & 0x3F)); }
    return err_at(c->e, LB_EXIT_INPUT, c->path, line, col,
                  "character U+%04X '%s' is in none of the fonts (Latin "
                  "Modern, %s, %s%s)", u, ch, pdf_cjkfont_name(PDF_CJK_SONG),
                  pdf_cjkfont_name(PDF_CJK_HEI),
                  u > 0xFFFF ? "; libharu 2.3.0 sets up to U+FFFF only" : "");
}

/* One character in the CJK face that goes with `font`: its join with what
 * precedes it, punctuation squeezed against a neighbouring mark, and the
 * box.  A character the face lacks is an error at (line, col). */
static int S_cjk(pdf_ctx *c, pdf_hlist *hl, unsigned u, int font,
                 double size, int strike, int line, int col)
{
    int face = pdf_cjkfont_face(S_font_bold(font), S_font_mono(font));
    double scale = pdf_cjkfont_scale(c->cjk, face, c->e);
    if (c->e->code)
        return -1;
    pdf_cjk_glyph g;
    int rc = pdf_cjkfont_glyph(c->cjk, face, u, &g, c->e);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return S_no_font(c, u, line, col);
    double cs = size * scale, w = g.adv * cs, dx = 0;
    /* Punctuation squeeze against the previous box (clreq 3.1.6). */
    size_t k = hl->n;
    while (k > 0 && hl->it[k - 1].kind != PB_BOX)
        k--;
    if (k > 0 && hl->hb[k - 1].kind == HB_CJK) {
        pdf_hbox *pb = &hl->hb[k - 1];
        int sq = pdf_cjk_squeeze(pb->u, u);
        if (sq == 1 && pb->squeeze_tail)
            hl->it[k - 1].width -= pb->size / 2;
        else if (sq == 2 && g.squeeze_head) {
            w -= cs / 2;
            dx = -cs / 2;
        }
    }
    size_t before = hl->n;
    if (S_join(c, hl, u, cs) < 0)
        return -1;
    /* Justification may also close up punctuation (标点挤压): the glue
     * after a closing mark whose right half is blank, or before an opening
     * mark whose left half is, shrinks by up to a quarter em, unless the
     * pair was squeezed already.  (Half an em fits more text but makes the
     * glyphs' advance boxes overlap so much that pdftotext -layout reorders
     * the line.) */
    if (hl->n > before && hl->it[hl->n - 1].kind == PB_GLUE && k > 0 &&
        hl->hb[k - 1].kind == HB_CJK) {
        int squeezed = pdf_cjk_squeeze(hl->hb[k - 1].u, u) != 0;
        int tail = hl->hb[k - 1].squeeze_tail && !squeezed;
        int head = g.squeeze_head && pdf_cjk_class(u) == PDF_CJK_OP && !squeezed;
        if (tail || head)
            hl->it[hl->n - 1].shrink = 0.25 * cs;
    }
    pb_item it = { PB_BOX, w, 0, 0, 0, 0, 0 };
    pdf_hbox hb = { .kind = HB_CJK, .font = font, .size = cs,
                    .h = 0.86 * cs, .d = 0.14 * cs, .strike = strike,
                    .url = c->cur_url, .u = u, .face = face, .dx = dx };
    hb.squeeze_tail = g.squeeze_tail && pdf_cjk_class(u) == PDF_CJK_CL;
    if (S_hl_put(c, hl, it, hb) < 0)
        return -1;
    hl->last_u = u;
    return 0;
}

int pdf_hl_box(pdf_ctx *c, pdf_hlist *hl, double w)
{
    pb_item it = { PB_BOX, w, 0, 0, 0, 0, 0 };
    pdf_hbox hb = { 0 };
    hl->last_u = 0;          /* an explicit item separates the text */
    return S_hl_push(c, hl, it, hb);
}

int pdf_hl_glue(pdf_ctx *c, pdf_hlist *hl, double w, double st, double sh,
                double fil)
{
    pb_item it = { PB_GLUE, w, st, sh, fil, 0, 0 };
    pdf_hbox hb = { 0 };
    hl->last_u = 0;
    return S_hl_push(c, hl, it, hb);
}

int pdf_hl_penalty(pdf_ctx *c, pdf_hlist *hl, double pen, double w,
                   int flagged)
{
    pb_item it = { PB_PENALTY, w, 0, 0, 0, pen, flagged };
    pdf_hbox hb = { 0 };
    return S_hl_push(c, hl, it, hb);
}

/* TeX's space factor after the characters of a word (plain TeX and
 * LaTeX's \nonfrenchspacing \sfcode values): 3000 after . ? !, 2000 after
 * :, 1500 after ;, 1250 after , and 999 after a capital, so "Jones. The"
 * gets a wider space than "A. Jones"; ) ] and closing quotes leave it as
 * it was (sfcode 0).  From below 1000 it goes to 1000 at most. */
static int S_sf(int sf, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        int k = b == '.' || b == '?' || b == '!' ? 3000 : b == ':' ? 2000 : b == ';' ? 1500
              : b == ',' ? 1250 : (b >= 'A' && b <= 'Z') || (b >= 0xC0 && b <= 0xDE && b != 0xD7)
              ? 999 : b == ')' || b == ']' || b == '\'' || b == '"' || b == 0x92 || b == 0x94
              ? 0 : 1000;
        if (k == 0)
            continue;
        sf = k > 1000 && sf < 1000 ? 1000 : k;
    }
    return sf;
}

static int S_hl_word(pdf_ctx *c, pdf_hlist *hl, const char *s, size_t n,
                     int font, double size, int strike)
{
    if (n == 0)
        return 0;
    int sf = S_sf(hl->sf ? hl->sf : 1000, s, n);
    pb_item it = { PB_BOX, pdf_text_width(c, font, size, s, n), 0, 0, 0, 0, 0 };
    pdf_hbox hb = { .kind = HB_TEXT, .font = font, .size = size, .len = n,
                    .h = 0.70 * size, .d = 0.20 * size, .strike = strike,
                    .url = c->cur_url };
    hb.s = pdf_arena_strndup(c, s, n);
    if (!hb.s)
        return -1;
    if (S_hl_push(c, hl, it, hb) < 0)   /* a pending space before it sees the old factor */
        return -1;
    hl->sf = (short)sf;
    return 0;
}

/* A fill-in blank for a value's text (pdf_slot.h): its room and rule; the
 * text itself only in a key (fill_blanks), never in the worksheet. */
static int S_slot(pdf_ctx *c, pdf_hlist *hl, const char *text, int font, double size)
{
    char w[256];
    size_t n = pdf_winansi_from_utf8(text, strlen(text), w, sizeof w, NULL);
    pb_item it = { PB_BOX, 0, 0, 0, 0, 0, 0 };
    pdf_hbox hb = { .kind = HB_SLOT, .font = font, .size = size, .url = c->cur_url };
    pdf_slot_size(c, font, size, w, n, &it.width, &hb.h, &hb.d);
    if (c->o->fill_blanks) {
        if (!(hb.s = pdf_arena_strndup(c, w, n)))
            return -1;
        hb.len = n;
    }
    return S_hl_push(c, hl, it, hb);
}

/* A Latin word whose first and last characters are `first` and `last`
 * (code points, or the stand-ins of narrow ambiguous marks): joined to
 * what precedes it first. */
static int S_hl_word_at(pdf_ctx *c, pdf_hlist *hl, const char *s, size_t n,
                        int font, double size, int strike, unsigned first,
                        unsigned last)
{
    if (n == 0)
        return 0;
    if (S_join(c, hl, first, size) < 0)
        return -1;
    if (S_hl_word(c, hl, s, n, font, size, strike) < 0)
        return -1;
    hl->last_u = last;
    return 0;
}

static int S_hl_mbox(pdf_ctx *c, pdf_hlist *hl, pdf_mbox *m)
{
    pb_item it = { PB_BOX, m->w, 0, 0, 0, 0, 0 };
    pdf_hbox hb = { .kind = HB_MATH, .size = m->size, .m = m, .h = m->h, .d = m->d,
                    .url = c->cur_url };
    if (S_join(c, hl, PDF_CJK_BOX, m->size) < 0 || S_hl_push(c, hl, it, hb) < 0)
        return -1;
    hl->last_u = PDF_CJK_BOX;
    hl->sf = 1000;   /* TeX: the space factor is 1000 after a formula */
    return 0;
}

int pdf_hl_mitems(pdf_ctx *c, pdf_hlist *hl, const pdf_mbox *m, size_t a, size_t b,
                  int one_span)
{
    const math_box *mb = m->box;
    pdf_mbox *first = NULL, *last = NULL;
    for (size_t k = a; k < b && k < mb->nitems; k++) {
        const math_item *it = &mb->items[k];
        if (it->kind == MATH_I_BOX) {
            pdf_mbox *p;
            if (pdf_mbox_piece(c, m, k, &p) < 0 || S_hl_mbox(c, hl, p) < 0)
                return -1;
            if (one_span) {   /* no span of its own */
                p->part.actual = NULL;
                p->part.close = 0;
            }
            if (!first)
                first = p;
            last = p;
        } else if (it->kind == MATH_I_PENALTY) {
            if (pdf_hl_penalty(c, hl, it->penalty, 0, 0) < 0)
                return -1;
        } else {
            /* glue in a formula is no breakpoint (TeX: auto_breaking is off
             * in math): an infinite penalty before it unless one precedes */
            if (hl->n && hl->it[hl->n - 1].kind == PB_BOX &&
                pdf_hl_penalty(c, hl, PB_INF, 0, 0) < 0)
                return -1;
            pb_item g = { PB_GLUE, it->w, it->stretch, it->shrink, 0, 0, 0 };
            pdf_hbox hb = { .kind = HB_MGLUE };
            if (S_hl_push(c, hl, g, hb) < 0)
                return -1;
        }
    }
    if (one_span && first && mb->text && *mb->text && mb->nglyphs) {
        first->part.actual = mb->text;
        last->part.close = 1;
    }
    return 0;
}

/* A formula in text: its top-level boxes with TeX's breakpoints and glue
 * (math.h, math_item), or one box when it has no items (empty). */
static int S_hl_formula(pdf_ctx *c, pdf_hlist *hl, pdf_mbox *m)
{
    if (m->box->nitems == 0)
        return S_hl_mbox(c, hl, m);
    return pdf_hl_mitems(c, hl, m, 0, m->box->nitems, 0);
}

int pdf_hl_math(pdf_ctx *c, pdf_hlist *hl, const char *tex, double size,
                int line, int col)
{
    pdf_mbox *m;
    if (pdf_mbox_make(c, tex, 0, size, line, col, &m) < 0)
        return -1;
    return S_hl_formula(c, hl, m);
}

int pdf_hl_math_node(pdf_ctx *c, pdf_hlist *hl, const doc_node *n, double size)
{
    pdf_mbox *m;
    if (pdf_mbox_make_node(c, n, 0, size, &m) < 0)
        return -1;
    return S_hl_formula(c, hl, m);
}

static int S_last_is_glue(const pdf_hlist *hl)
{
    return hl->n == 0 || hl->it[hl->n - 1].kind == PB_GLUE;
}

static int S_space(pdf_ctx *c, pdf_hlist *hl, int font, double size,
                   int literal)
{
    if (S_last_is_glue(hl) && !literal)
        return 0;
    if (!literal) {
        /* Set when the next item comes (S_pend_flush, S_join), with the
         * space factor of what precedes it. */
        if (!hl->pend) {
            hl->pend = 1;
            hl->pend_font = font;
            hl->pend_size = size;
        }
        return 0;
    }
    double w = afm_width_of_name(c->font[font].afm, "space") * size / 1000.0;
    return pdf_hl_glue(c, hl, w, 0, 0, 0);
}

/* A character outside cp1252 that is not CJK: a formula when we know one,
 * else the CJK face's glyph when it has one (they cover Greek, Cyrillic and
 * more), else an error naming it; never dropped or replaced. */
static int S_foreign(pdf_ctx *c, pdf_hlist *hl, unsigned u, int font,
                     double size, int strike, int line, int col)
{
    const char *tex = S_math_for(u);
    if (tex) {
        lb_err le, *keep = c->e;
        err_clear(&le);
        c->e = &le;
        int rc = pdf_hl_math(c, hl, tex, size, line, col);
        c->e = keep;
        if (rc == 0)
            return 0;
        if (le.code == LB_EXIT_RUNTIME && strstr(le.msg, "memory"))
            return err_set(c->e, le.code, "%s", le.msg);
    }
    return S_cjk(c, hl, u, font, size, strike, line, col);
}

int pdf_hl_text(pdf_ctx *c, pdf_hlist *hl, const char *s, size_t n,
                int font, double size, int literal, int strike,
                int line, int col)
{
    char w[256];
    size_t nw = 0, i = 0;
    /* A pending space (set when the next item comes) counts as a space: a
     * value directive after "logit, " starts a new call but not a new word. */
    unsigned prevu = !hl->pend && hl->n && hl->it[hl->n - 1].kind == PB_BOX ? 'a' : ' ';
    /* The word's first and last characters, for the joins (pdf_cjk.h). */
    unsigned wfirst = 0, wlast = 0;

#define FLUSH() do { \
        if (S_hl_word_at(c, hl, w, nw, font, size, strike, wfirst, \
                         wlast) < 0) { return -1; } \
        nw = 0; \
    } while (0)
    while (i < n) {
        size_t at = i;
        unsigned u = pdf_winansi_decode_utf8(s, n, &i);
        /* CJK characters and the marks that are full-width next to them
         * (‘’“”—…) are set one box each in the CJK face. */
        if (u >= 0x2000) {
            size_t peek = i;
            unsigned nx = i < n ? pdf_winansi_decode_utf8(s, n, &peek) : 0;
            unsigned pv = nw ? wlast : hl->pend ? ' ' : hl->last_u;
            int amb = pdf_cjk_ambiguous(u, pv, nx);
            /* A closing quote takes the width of the quote it closes:
             * “提高 cat” is one pair of full-width quotes. */
            int q = u == 0x2018 || u == 0x2019 ? 0 : u == 0x201C || u == 0x201D ? 1 : -1;
            if (q >= 0 && (u == 0x2018 || u == 0x201C))
                hl->qopen[q] = (unsigned char)(amb > 0 ? 2 : 1);
            else if (q >= 0 && hl->qopen[q]) {
                amb = hl->qopen[q] == 2;
                hl->qopen[q] = 0;
            }
            if (amb > 0 || (amb < 0 && pdf_cjk_wide(u))) {
                FLUSH();
                if (S_cjk(c, hl, u, font, size, strike, line,
                          col + S_chars(s, at)) < 0)
                    return -1;
                prevu = u;
                continue;
            }
        }
        if (u == ' ' || u == '\t' || u == '\n' || u == '\r') {
            FLUSH();
            if (literal) {
                int reps = u == '\t' ? 4 : 1;
                for (int k = 0; k < reps; k++)
                    if (S_space(c, hl, font, size, 1) < 0)
                        return -1;
            } else if (S_space(c, hl, font, size, 0) < 0)
                return -1;
            prevu = ' ';
            continue;
        }
        int b = 0;
        if (!literal) {
            int open = prevu == ' ' || prevu == '(' || prevu == '[' ||
                       prevu == '{' || prevu == 0x2013 || prevu == 0x2014 ||
                       prevu == '/';
            if (u == '\'')
                b = open ? 0x91 : 0x92;
            else if (u == '"')
                b = open ? 0x93 : 0x94;
            else if (u == '-' && i < n && s[i] == '-') {
                if (i + 1 < n && s[i + 1] == '-') {
                    b = 0x97;           /* --- em dash */
                    i += 2;
                    u = 0x2014;
                } else {
                    b = 0x96;           /* -- en dash */
                    i += 1;
                    u = 0x2013;
                }
            } else if (u == '.' && i + 1 < n && s[i] == '.' &&
                       s[i + 1] == '.') {
                b = 0x85; i += 2;
            } else if ((u == '-' && open && i < n && s[i] >= '0' && s[i] <= '9') ||
                       u == 0x2212) {
                /* A minus sign before a number, as in $-0.5$, and a typed
                 * U+2212 (WinAnsi has no minus: it would print a hyphen). */
                FLUSH();
                if (pdf_hl_math(c, hl, "-", size, line, col) < 0)
                    return -1;
                prevu = '-';
                continue;
            }
        }
        if (!b)
            b = pdf_winansi_byte(u);
        if (!b || (b >= 0x80 && afm_winansi_index(c->font[font].afm,
                                                  (unsigned char)b) < 0)) {
            FLUSH();
            if (S_foreign(c, hl, u, font, size, strike, line,
                          col + S_chars(s, at)) < 0)
                return -1;
            prevu = u;
            continue;
        }
        if (nw + 1 >= sizeof w)
            FLUSH();
        if (nw == 0)
            wfirst = pdf_cjk_narrow(u);
        wlast = pdf_cjk_narrow(u);
        w[nw++] = (char)b;
        /* Break opportunity after an explicit hyphen or dash inside a word
         * (TeX's \exhyphenpenalty 50). */
        /* In code (literal) only after a '/': a long path may then break
         * like a URL instead of leaving a letterspaced line. */
        if ((!literal ? (b == '-' || b == 0x96 || b == 0x97 || b == '/')
                      : b == '/') &&
            i < n && s[i] != ' ' && nw > 1) {
            FLUSH();
            if (pdf_hl_penalty(c, hl, 50, 0, b == '-') < 0)
                return -1;
        }
        prevu = u;
    }
    FLUSH();
#undef FLUSH
    return 0;
}

int pdf_hl_rich(pdf_ctx *c, pdf_hlist *hl, const char *s, int font,
                double size, int line, int col)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        const char *d = memchr(s + i, '$', n - i);
        size_t end = d ? (size_t)(d - s) : n;
        /* positions: (line, col) is s's first character, each piece's
         * column counts the characters before it */
        if (end > i && pdf_hl_text(c, hl, s + i, end - i, font, size, 0, 0,
                                   line, col + S_chars(s, i)) < 0)
            return -1;
        if (!d)
            break;
        const char *d2 = memchr(d + 1, '$', n - end - 1);
        if (!d2) {   /* a lone '$' is text */
            if (pdf_hl_text(c, hl, d, n - end, font, size, 1, 0, line,
                            col + S_chars(s, end)) < 0)
                return -1;
            break;
        }
        char *tex = pdf_arena_strndup(c, d + 1, (size_t)(d2 - d - 1));
        if (!tex || pdf_hl_math(c, hl, tex, size, line,
                                col + S_chars(s, end)) < 0)
            return -1;
        i = (size_t)(d2 - s) + 1;
    }
    return 0;
}

static int S_font(const pdf_fam *f, int bold, int ital, int code)
{
    if (code) return f->tt;
    if (bold && ital) return f->bi;
    if (bold) return f->bf;
    if (ital) return f->it;
    return f->rm;
}

static int S_inl(pdf_ctx *c, pdf_hlist *hl, const doc_node *n,
                 const pdf_fam *fam, double size, int bold, int ital,
                 int strike, const doc_node **stop)
{
    for (; n; n = n->next) {
        switch (n->type) {
        case DOC_TEXT:
            if (pdf_hl_text(c, hl, n->text, n->text_len,
                            S_font(fam, bold, ital, 0), size, 0, strike,
                            n->line, n->col) < 0)
                return -1;
            break;
        case DOC_CODE:
            if (pdf_hl_text(c, hl, n->text, n->text_len,
                            S_font(fam, 0, 0, 1), size, 1, strike,
                            n->line, n->col) < 0)
                return -1;
            break;
        case DOC_EMPH:
            if (S_inl(c, hl, n->first_child, fam, size, bold, !ital, strike,
                      stop) < 0)
                return -1;
            break;
        case DOC_STRONG:
            if (S_inl(c, hl, n->first_child, fam, size, 1, ital, strike,
                      stop) < 0)
                return -1;
            break;
        case DOC_STRIKE:
            if (S_inl(c, hl, n->first_child, fam, size, bold, ital, 1,
                      stop) < 0)
                return -1;
            break;
        case DOC_LINK: {
            /* The words of a link become clickable (URI annotations). */
            const char *keep = c->cur_url;
            if (n->url && n->url[0])
                c->cur_url = n->url;
            int r = S_inl(c, hl, n->first_child, fam, size, bold, ital,
                          strike, stop);
            c->cur_url = keep;
            if (r < 0)
                return -1;
            break;
        }
        case DOC_IMAGE:
            if (pdf_hl_text(c, hl, "[", 1, S_font(fam, bold, 1, 0), size, 1,
                            0, n->line, n->col) < 0 ||
                S_inl(c, hl, n->first_child, fam, size, bold, 1, strike,
                      stop) < 0 ||
                pdf_hl_text(c, hl, "]", 1, S_font(fam, bold, 1, 0), size, 1,
                            0, n->line, n->col) < 0)
                return -1;
            break;
        case DOC_MATH:
            if (pdf_hl_math_node(c, hl, n, size) < 0)
                return -1;
            break;
        case DOC_DMATH:
            if (stop) {
                *stop = n;
                return 1;
            }
            if (pdf_hl_math_node(c, hl, n, size) < 0)
                return -1;
            break;
        case DOC_SOFTBREAK:
            if (S_space(c, hl, S_font(fam, bold, ital, 0), size, 0) < 0)
                return -1;
            break;
        case DOC_LINEBREAK:
            if (pdf_hl_glue(c, hl, 0, 0, 0, 1) < 0 ||
                pdf_hl_penalty(c, hl, -PB_INF, 0, 0) < 0)
                return -1;
            break;
        case DOC_VALUE: {
            char buf[256];
            lb_err le;
            err_clear(&le);
            if (!c->cat)
                return err_at(c->e, LB_EXIT_INPUT, c->path, n->line, n->col,
                              "value '%s' needs the computed example",
                              n->name);
            if (cat_value_format(c->cat, n->spec, buf, sizeof buf, &le) < 0)
                return err_at(c->e, le.code ? le.code : LB_EXIT_INPUT,
                              c->path, n->line, n->col, "%s", le.msg);
            if (n->blank) {
                if (S_slot(c, hl, buf, S_font(fam, bold, ital, 0), size) < 0)
                    return -1;
                break;
            }
            if (pdf_hl_rich(c, hl, buf, S_font(fam, bold, ital, 0), size,
                            n->line, n->col) < 0)
                return -1;
            break;
        }
        case DOC_REF: {   /* "Figure 3": the number of its target (xref.h) */
            char buf[96];
            xref_text(n, c->lang, buf, sizeof buf);
            /* TeX's "Figure~3": no line break between word and number (a
             * penalty before the space makes it no breakpoint) */
            int font = S_font(fam, bold, ital, 0);
            char *sp = strchr(buf, ' ');
            if (sp) {
                *sp = '\0';
                if (pdf_hl_text(c, hl, buf, strlen(buf), font, size, 0, 0, n->line, n->col) < 0 ||
                    pdf_hl_penalty(c, hl, PB_INF, 0, 0) < 0 || S_space(c, hl, font, size, 0) < 0 ||
                    pdf_hl_text(c, hl, sp + 1, strlen(sp + 1), font, size, 0, 0, n->line,
                                n->col) < 0)
                    return -1;
            } else if (pdf_hl_text(c, hl, buf, strlen(buf), font, size, 0, 0, n->line,
                                   n->col) < 0) {
                return -1;
            }
            break;
        }
        default:
            break;
        }
        if (stop && *stop)
            return 1;
    }
    return 0;
}

int pdf_hl_inlines(pdf_ctx *c, pdf_hlist *hl, const doc_node *first,
                   const pdf_fam *fam, double size, const doc_node **stop)
{
    if (stop)
        *stop = NULL;
    int rc = S_inl(c, hl, first, fam, size, 0, 0, 0, stop);
    return rc < 0 ? -1 : 0;
}

double pdf_hl_width(const pdf_hlist *hl)
{
    double w = 0;
    for (size_t i = 0; i < hl->n; i++)
        if (hl->it[i].kind != PB_PENALTY)
            w += hl->it[i].width;
    return w;
}

void pdf_hl_extent(const pdf_hlist *hl, size_t a, size_t b, double *h,
                   double *d)
{
    double hh = 0, dd = 0;
    for (size_t i = a; i < b && i < hl->n; i++) {
        if (hl->it[i].kind != PB_BOX)
            continue;
        if (hl->hb[i].h > hh) hh = hl->hb[i].h;
        if (hl->hb[i].d > dd) dd = hl->hb[i].d;
    }
    *h = hh;
    *d = dd;
}

/* A run of boxes wider than `measure` (no legal break inside) gets a
 * discretionary hyphen between every two characters of its text, plus a
 * little letterspacing glue (stretch only) so lines cut from inside the word
 * still end exactly at the margin.  The line breaker picks the cuts.  A
 * formula is never cut between its own boxes (TeX breaks math only at its
 * penalties): one wider than the measure makes an overfull line, which
 * pdf_hl_break reports. */
static int S_split_wide(pdf_ctx *c, pdf_hlist *hl, double measure)
{
    /* Nothing wider than the measure (the usual case): no copy at all. */
    double run = 0;
    size_t k = 0;
    for (; k < hl->n; k++) {
        if (hl->it[k].kind == PB_BOX || (hl->it[k].kind == PB_PENALTY &&
                                         hl->it[k].penalty >= PB_INF)) {
            run += hl->it[k].width;
            if (run > measure)
                break;
        } else {
            run = 0;
        }
    }
    if (k == hl->n)
        return 0;
    pdf_hlist out;
    pdf_hl_init(c, &out);
    size_t i = 0;
    int changed = 0;
    while (i < hl->n) {
        if (hl->it[i].kind != PB_BOX) {
            if (S_hl_push(c, &out, hl->it[i], hl->hb[i]) < 0)
                return -1;
            i++;
            continue;
        }
        size_t j = i;
        double run = 0;
        while (j < hl->n && (hl->it[j].kind == PB_BOX ||
                             (hl->it[j].kind == PB_PENALTY &&
                              hl->it[j].penalty >= PB_INF))) {
            run += hl->it[j].width;
            j++;
        }
        if (run <= measure) {
            for (; i < j; i++)
                if (S_hl_push(c, &out, hl->it[i], hl->hb[i]) < 0)
                    return -1;
            continue;
        }
        changed = 1;
        int started = 0, prev_text = 0;
        for (; i < j; i++) {
            const pdf_hbox *hb = &hl->hb[i];
            double hy = hb->kind == HB_TEXT
                ? pdf_text_width(c, hb->font, hb->size, "-", 1) : 0;
            if (hb->kind != HB_TEXT) {
                if (started && hl->it[i].kind == PB_BOX && prev_text &&
                    (pdf_hl_penalty(c, &out, 50, 0, 0) < 0 ||
                     pdf_hl_glue(c, &out, 0, 1, 0, 0) < 0))
                    return -1;
                if (S_hl_push(c, &out, hl->it[i], hl->hb[i]) < 0)
                    return -1;
                if (hl->it[i].kind == PB_BOX) {
                    started = 1;
                    prev_text = 0;
                }
                continue;
            }
            for (size_t a = 0; a < hb->len; a++) {
                if (started && (pdf_hl_penalty(c, &out, 50, hy, 1) < 0 ||
                                pdf_hl_glue(c, &out, 0, 1, 0, 0) < 0))
                    return -1;
                if (S_hl_word(c, &out, hb->s + a, 1, hb->font, hb->size,
                              hb->strike) < 0)
                    return -1;
                started = prev_text = 1;
            }
        }
    }
    if (changed)
        S_hl_replace(c, hl, &out);
    return 0;
}

int pdf_hl_finish(pdf_ctx *c, pdf_hlist *hl, double measure)
{
    hl->pend = 0;            /* a trailing space is dropped */
    while (hl->n > 0 && (hl->it[hl->n - 1].kind == PB_GLUE ||
                         (hl->it[hl->n - 1].kind == PB_PENALTY &&
                          hl->it[hl->n - 1].penalty > -PB_INF)))
        hl->n--;
    if (S_split_wide(c, hl, measure) < 0)
        return -1;
    if (pdf_hl_penalty(c, hl, PB_INF, 0, 0) < 0 ||
        pdf_hl_glue(c, hl, 0, 0, 0, 1) < 0 ||
        pdf_hl_penalty(c, hl, -PB_INF, 0, 0) < 0)
        return -1;
    S_hl_trim(c, hl);
    return 0;
}


/* Turn interword glue into Knuth–Plass ragged-right glue: a line break at a
 * space leaves `M` of stretch at the line end, an unbroken space nets 0. */
int pdf_hl_ragged(pdf_ctx *c, pdf_hlist *hl, double M)
{
    pdf_hlist out;
    pdf_hl_init(c, &out);
    for (size_t i = 0; i < hl->n; i++) {
        const pb_item *it = &hl->it[i];
        /* A breakpoint in a formula (its penalty, then its glue) becomes
         * penalty(10000) glue(0,+M) penalty(p) glue(w,-M): the line that
         * ends there gets the ragged stretch; other math glue stays. */
        if (it->kind == PB_PENALTY && it->penalty < PB_INF && it->penalty > -PB_INF &&
            i + 1 < hl->n && hl->hb[i + 1].kind == HB_MGLUE) {
            const pb_item *g = &hl->it[i + 1];
            if (pdf_hl_penalty(c, &out, PB_INF, 0, 0) < 0 ||
                pdf_hl_glue(c, &out, 0, M, 0, 0) < 0 ||
                pdf_hl_penalty(c, &out, it->penalty, 0, 0) < 0 ||
                pdf_hl_glue(c, &out, g->width, -M, 0, 0) < 0)
                return -1;
            out.hb[out.n - 1].kind = HB_MGLUE;
            i++;
            continue;
        }
        if (it->kind == PB_GLUE && hl->hb[i].kind == HB_MGLUE) {
            if (pdf_hl_glue(c, &out, it->width, 0, 0, 0) < 0)
                return -1;
            out.hb[out.n - 1].kind = HB_MGLUE;
            continue;
        }
        /* Glue behind an infinite penalty is no breakpoint (CJK text
         * before a closing mark): it stays as it is. */
        int nobreak = i > 0 && hl->it[i - 1].kind == PB_PENALTY &&
                      hl->it[i - 1].penalty >= PB_INF;
        if (it->kind == PB_GLUE && it->fil == 0 && i + 1 < hl->n && !nobreak) {
            if (pdf_hl_glue(c, &out, 0, M, 0, 0) < 0 ||
                pdf_hl_penalty(c, &out, 0, 0, 0) < 0 ||
                pdf_hl_glue(c, &out, it->width, -M, 0, 0) < 0)
                return -1;
            continue;
        }
        if (it->kind == PB_GLUE) {
            if (pdf_hl_glue(c, &out, it->width, it->stretch, it->shrink,
                            it->fil) < 0)
                return -1;
        } else if (it->kind == PB_PENALTY) {
            if (pdf_hl_penalty(c, &out, it->penalty, it->width,
                               it->flagged) < 0)
                return -1;
        } else {
            if (pdf_hl_box(c, &out, it->width) < 0)
                return -1;
            out.hb[out.n - 1] = hl->hb[i];
        }
    }
    S_hl_replace(c, hl, &out);
    return 0;
}

/* An overfull line (a box that fits no line): one warning naming the
 * widest formula box of the line, as TeX's
 * "Overfull \hbox (12.3pt too wide)". */
static void S_overfull(pdf_ctx *c, const pdf_hlist *hl, const pb_line *ln, double measure,
                       double over)
{
    size_t best = hl->n;
    for (size_t i = ln->start; i < ln->end && i < hl->n; i++)
        if (hl->it[i].kind == PB_BOX && hl->hb[i].kind == HB_MATH &&
            (best == hl->n || hl->it[i].width > hl->it[best].width))
            best = i;
    /* only a formula can be wider than the line (a word is split) */
    int line = 0, col = 0, math = best < hl->n;
    if (math)
        pdf_mbox_pos(hl->hb[best].m, &line, &col);
    pdf_ctx_warn(c, line, col, "overfull line, %.1f pt too wide for the %.1f pt measure: %s "
                 "runs into the margin", over, measure,
                 math ? "a formula with no breakpoint inside it (TeX breaks math only after "
                        "relations and binary operators at its top level, outside braces "
                        "and \\left...\\right)"
                      : "a box that cannot be broken");
}

void pdf_hl_overfull(pdf_ctx *c, const pdf_hlist *hl, const pb_line *ln, size_t nl,
                     double measure)
{
    for (size_t k = 0; k < nl; k++) {
        double w = ln[k].natural;   /* fully shrunk: TeX's overfull test */
        for (size_t i = ln[k].start; i < ln[k].end && !ln[k].fil_set; i++)
            if (hl->it[i].kind == PB_GLUE)
                w -= hl->it[i].shrink;
        if (w > measure + 0.005)
            S_overfull(c, hl, &ln[k], measure, w - measure);
    }
}

int pdf_hl_break(pdf_ctx *c, const pdf_hlist *hl, double measure,
                 pb_line **lines, size_t *n)
{
    pb_line *ln = NULL;
    size_t nl = 0;
    if (pb_break(hl->it, hl->n, measure, NULL, &ln, &nl, c->e) < 0)
        return -1;
    pdf_hl_overfull(c, hl, ln, nl, measure);
    *lines = pdf_arena_alloc(c, (nl ? nl : 1) * sizeof *ln);
    if (!*lines) {
        free(ln);
        return -1;
    }
    memcpy(*lines, ln, nl * sizeof *ln);
    free(ln);
    *n = nl;
    return 0;
}
