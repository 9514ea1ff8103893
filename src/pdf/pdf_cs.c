/* pdf_cs — see pdf_cs.h.  The page's content stream and graphics state are
 * libharu's (hpdf_pages.h, hpdf_gstate.h declare them public): the font set
 * here is recorded in libharu's graphics state, so a later Tf through
 * libharu or through this writer is skipped or written correctly, and q/Q
 * through libharu save and restore it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <hpdf_utils.h>
#include <hpdf_pages.h>
#include <hpdf_gstate.h>
#include <hpdf_font.h>
#include "pdf/pdf_cs.h"

/* Line origins are written with 5 decimals, as libharu writes coordinates. */
#define S_POS_DECIMALS 5

static const double S_pow10[] = { 1, 10, 100, 1000, 10000, 100000 };

/* Write v rounded to `dec` decimals, trailing zeros dropped, into p (at
 * least 32 bytes); return the length and set *written to the value a reader
 * gets back. */
static size_t S_num(char *p, double v, int dec, double *written)
{
    double sc = S_pow10[dec];
    long long q = llround(v * sc);
    *written = (double)q / sc;
    if (q == 0) {
        p[0] = '0';
        return 1;
    }
    char tmp[32];
    size_t n = 0, len = 0;
    unsigned long long a = q < 0 ? 0ULL - (unsigned long long)q : (unsigned long long)q;
    unsigned long long ip = a / (unsigned long long)sc, fp = a % (unsigned long long)sc;
    if (q < 0)
        p[len++] = '-';
    do {
        tmp[n++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (n)
        p[len++] = tmp[--n];
    if (fp) {
        int d = dec;
        while (fp % 10 == 0) {      /* drop trailing zeros */
            fp /= 10;
            d--;
        }
        p[len++] = '.';
        for (int k = d - 1; k >= 0; k--) {
            p[len + (size_t)k] = (char)('0' + fp % 10);
            fp /= 10;
        }
        len += (size_t)d;
    }
    return len;
}

typedef struct S_out {
    HPDF_Stream st;
    char *buf;
    size_t n, cap;
    int failed;
} S_out;

static void S_flush(S_out *o)
{
    if (o->n && !o->failed
        && HPDF_Stream_Write(o->st, (const HPDF_BYTE *)o->buf, (HPDF_UINT)o->n) != HPDF_OK)
        o->failed = 1;
    o->n = 0;
}

static void S_put(S_out *o, const char *s, size_t len)
{
    if (o->n + len > o->cap)
        S_flush(o);
    if (len > o->cap) {         /* never: every piece is short */
        o->failed = 1;
        return;
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
}

static void S_puts(S_out *o, const char *s)
{
    S_put(o, s, strlen(s));
}

/* Put a number; returns the value written. */
static double S_putnum(S_out *o, double v, int dec)
{
    char b[32];
    double w;
    size_t n = S_num(b, v, dec, &w);
    S_put(o, b, n);
    return w;
}

/* A PDF literal string: ( ) \ escaped, control bytes as octal (a raw CR
 * would be read back as LF). */
static void S_putstr(S_out *o, const char *s, size_t len)
{
    S_put(o, "(", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[4];
        if (c == '(' || c == ')' || c == '\\') {
            e[0] = '\\';
            e[1] = (char)c;
            S_put(o, e, 2);
        } else if (c < 32 || c == 127) {
            e[0] = '\\';
            e[1] = (char)('0' + (c >> 6));
            e[2] = (char)('0' + ((c >> 3) & 7));
            e[3] = (char)('0' + (c & 7));
            S_put(o, e, 4);
        } else {
            S_put(o, (const char *)&c, 1);
        }
    }
    S_put(o, ")", 1);
}

double pdf_cs_advance(HPDF_Font font, double size, const char *s, size_t len)
{
    HPDF_FontAttr fa = font ? (HPDF_FontAttr)font->attr : NULL;
    if (!fa || !fa->widths)
        return 0.0;
    double w = 0.0;
    for (size_t i = 0; i < len; i++)
        w += fa->widths[(unsigned char)s[i]] * size / 1000.0;
    return w;
}

static int S_closed(pdf_cs *cs)
{
    cs->page = NULL;
    cs->in_array = 0;
    return 0;
}

int pdf_cs_end(pdf_cs *cs)
{
    if (!cs->page)
        return 0;
    HPDF_PageAttr pa = (HPDF_PageAttr)cs->page->attr;
    char buf[16];
    S_out o = { pa->stream, buf, 0, sizeof buf, 0 };
    if (cs->in_array)
        S_puts(&o, "]TJ\n");
    S_puts(&o, "ET\n");
    S_flush(&o);
    pa->gmode = HPDF_GMODE_PAGE_DESCRIPTION;
    S_closed(cs);
    return o.failed ? -1 : 0;
}

int pdf_cs_show(pdf_cs *cs, HPDF_Page page, HPDF_Font font, double size,
                double x, double y, const char *s, size_t len)
{
    HPDF_PageAttr pa = page ? (HPDF_PageAttr)page->attr : NULL;
    HPDF_FontAttr fa = font ? (HPDF_FontAttr)font->attr : NULL;
    if (!pa || !pa->stream || !pa->gstate || !fa || !fa->widths || !(size > 0))
        return -1;
    if (cs->page && cs->page != page && pdf_cs_end(cs) < 0)
        return -1;
    /* libharu fills a TrueType font's widths, and marks its glyphs for the
     * embedded subset, only when it measures them */
    if (fa->type == HPDF_FONT_TRUETYPE && len > 0)
        (void)HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    char buf[1024];
    S_out o = { pa->stream, buf, 0, sizeof buf, 0 };
    if (!cs->page) {
        /* Anything but a page description here is someone else's open
         * object: refuse, as libharu's BeginText would. */
        if (pa->gmode != HPDF_GMODE_PAGE_DESCRIPTION) {
            HPDF_RaiseError(page->error, HPDF_PAGE_INVALID_GMODE, 0);
            return -1;
        }
        S_puts(&o, "BT\n");
        cs->page = page;
        cs->in_array = 0;
        cs->lx = cs->ly = 0.0;
        cs->ty = NAN;           /* no line yet: the first show moves */
        cs->pen = 0.0;
        pa->gmode = HPDF_GMODE_TEXT_OBJECT;
    }
    if (pa->gstate->font != font || pa->gstate->font_size != (HPDF_REAL)size) {
        const char *name = HPDF_Page_GetLocalFontName(page, font);
        if (!name)
            return -1;
        if (cs->in_array)
            S_puts(&o, "]TJ\n");
        cs->in_array = 0;
        S_put(&o, "/", 1);
        S_puts(&o, name);
        S_put(&o, " ", 1);
        /* the size as libharu writes it, so that both agree */
        char num[48];
        memset(num, 0, sizeof num);
        HPDF_FToA(num, (HPDF_REAL)size, num + sizeof num - 2);
        S_puts(&o, num);
        S_puts(&o, " Tf\n");
        pa->gstate->font = font;
        pa->gstate->font_size = (HPDF_REAL)size;
    }
    /* the size as the stream says it */
    {
        char num[48];
        memset(num, 0, sizeof num);
        HPDF_FToA(num, pa->gstate->font_size, num + sizeof num - 2);
        size = strtod(num, NULL);
    }
    if (y != cs->ty) {
        /* a new line: Td from the previous line's origin */
        if (cs->in_array)
            S_puts(&o, "]TJ\n");
        cs->in_array = 0;
        cs->lx += S_putnum(&o, x - cs->lx, S_POS_DECIMALS);
        S_put(&o, " ", 1);
        cs->ly += S_putnum(&o, y - cs->ly, S_POS_DECIMALS);
        S_puts(&o, " Td\n");
        cs->ty = y;
        cs->pen = cs->lx;
    }
    if (!cs->in_array) {
        S_put(&o, "[", 1);
        cs->in_array = 1;
    }
    /* The number moves the pen left by n/1000 of the size. */
    double adj = (cs->pen - x) * 1000.0 / size, w;
    char b[32];
    size_t bn = S_num(b, adj, PDF_CS_TJ_DECIMALS, &w);
    if (w != 0.0) {
        S_put(&o, b, bn);
        cs->pen -= w * size / 1000.0;
    }
    S_putstr(&o, s, len);
    cs->pen += pdf_cs_advance(font, size, s, len);
    S_flush(&o);
    if (o.failed) {
        S_closed(cs);
        return -1;
    }
    return 0;
}

static double S_ftoa(float v)
{
    char b[48];
    memset(b, 0, sizeof b);
    HPDF_FToA(b, v, b + sizeof b - 2);
    return strtod(b, NULL);
}

void pdf_cs_hpos_move(pdf_cs_hpos *h, double x, double y)
{
    float rx = (float)x - h->tmx, ry = (float)y - h->tmy;
    h->x += S_ftoa(rx);
    h->y += S_ftoa(ry);
    h->tmx = h->tmx + rx;
    h->tmy = h->tmy + ry;
}

int pdf_cs_show_invisible(pdf_cs *cs, HPDF_Page page, HPDF_Font font, double size,
                          double x, double y, const char *s, size_t len)
{
    HPDF_PageAttr pa = page ? (HPDF_PageAttr)page->attr : NULL;
    if (!pa || !pa->stream || !pa->gstate)
        return -1;
    char buf[16];
    S_out o = { pa->stream, buf, 0, sizeof buf, 0 };
    /* Tr stands outside a TJ array (and may stand outside BT) */
    if (cs->page == page && cs->in_array)
        S_puts(&o, "]TJ\n");
    cs->in_array = cs->page == page ? 0 : cs->in_array;
    S_puts(&o, "3 Tr\n");
    S_flush(&o);
    if (o.failed || pdf_cs_show(cs, page, font, size, x, y, s, len) < 0)
        return -1;
    S_puts(&o, "]TJ\n0 Tr\n");
    S_flush(&o);
    cs->in_array = 0;
    pa->gstate->rendering_mode = HPDF_FILL;
    return o.failed ? -1 : 0;
}

int pdf_cs_path(HPDF_Page page, const double *v, int nv, const char *op)
{
    HPDF_PageAttr pa = page ? (HPDF_PageAttr)page->attr : NULL;
    if (!pa || !pa->stream || nv < 0 || nv > 6)
        return -1;
    if (pa->gmode != HPDF_GMODE_PAGE_DESCRIPTION && pa->gmode != HPDF_GMODE_PATH_OBJECT) {
        HPDF_RaiseError(page->error, HPDF_PAGE_INVALID_GMODE, 0);
        return -1;
    }
    char buf[256];
    S_out o = { pa->stream, buf, 0, sizeof buf, 0 };
    for (int i = 0; i < nv; i++) {
        S_putnum(&o, v[i], S_POS_DECIMALS);
        S_put(&o, " ", 1);
    }
    S_puts(&o, op);
    S_put(&o, "\n", 1);
    S_flush(&o);
    pa->gmode = HPDF_GMODE_PATH_OBJECT;
    return o.failed ? -1 : 0;
}

/* ---- graphics state: set only what changes ------------------------------ */

HPDF_STATUS pdf_cs_rgb_fill(HPDF_Page page, double r, double g, double b)
{
    HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
    HPDF_GState gs = pa ? pa->gstate : NULL;
    if (gs && gs->cs_fill == HPDF_CS_DEVICE_RGB && gs->rgb_fill.r == (HPDF_REAL)r
        && gs->rgb_fill.g == (HPDF_REAL)g && gs->rgb_fill.b == (HPDF_REAL)b)
        return HPDF_OK;
    return HPDF_Page_SetRGBFill(page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b);
}

HPDF_STATUS pdf_cs_stroke_style(HPDF_Page page, double r, double g, double b,
                                HPDF_LineCap cap, HPDF_LineJoin join, double miter)
{
    HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
    HPDF_GState gs = pa ? pa->gstate : NULL;
    HPDF_STATUS st = HPDF_OK;
    if (!gs || gs->cs_stroke != HPDF_CS_DEVICE_RGB || gs->rgb_stroke.r != (HPDF_REAL)r
        || gs->rgb_stroke.g != (HPDF_REAL)g || gs->rgb_stroke.b != (HPDF_REAL)b)
        st |= HPDF_Page_SetRGBStroke(page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b);
    if (!gs || gs->line_cap != cap)
        st |= HPDF_Page_SetLineCap(page, cap);
    if (!gs || gs->line_join != join)
        st |= HPDF_Page_SetLineJoin(page, join);
    if (!gs || gs->miter_limit != (HPDF_REAL)miter)
        st |= HPDF_Page_SetMiterLimit(page, (HPDF_REAL)miter);
    return st;
}

HPDF_STATUS pdf_cs_line_width(HPDF_Page page, double w)
{
    HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
    HPDF_GState gs = pa ? pa->gstate : NULL;
    if (gs && gs->line_width == (HPDF_REAL)w)
        return HPDF_OK;
    return HPDF_Page_SetLineWidth(page, (HPDF_REAL)w);
}
