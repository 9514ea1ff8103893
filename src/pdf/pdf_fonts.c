/* pdf_fonts — see pdf_fonts.h.  Built-in-encoding (FontSpecific) fonts get
 * their libharu width table rewritten from the AFM (libharu 2.3.0 leaves 0
 * for every non-Latin-1 glyph name and then silently drops such glyphs), and
 * math roman fonts get an /Encoding /Differences that maps the extra slots
 * 1..31 (math_fonts.c) to glyphs outside the built-in encoding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include "pdf/pdf_fonts.h"
#include "pdf/pdf_tounicode.h"
#include "pdf/pdf_ttface.h"
#include "math/math_unicode.h"

#define DEFAULT_DIR "/usr/share/texmf/fonts"

typedef struct S_face {       /* one Type 1 program in the document */
    char base[1024];              /* file base */
    char psname[128];             /* "" until libharu has loaded it */
    const afm_font *afm;
    afm_font *afm_owned;          /* without math fonts: ours to free */
} S_face;

/* The TrueType math fonts, MATH_F_BB onwards (pdf_ttface.h: UTF-8, our own
 * subset and ToUnicode). */
#define S_NTT ((MATH_F_COUNT - MATH_F_BB) / 3)   /* a file each: 3 sizes */
#define S_TTFACE(id) (((id) - MATH_F_BB) / 3)

typedef struct S_inst {       /* one (face, encoding) font dictionary */
    char base[1024];
    char enc[32];
    HPDF_Font font;
} S_inst;

typedef struct S_tumap {      /* a /ToUnicode stream already in the document */
    char *cmap;                   /* its text (malloc) */
    HPDF_Dict stream;             /* owned by the document */
} S_tumap;

struct pdf_fonts {
    HPDF_Doc doc;
    const math_fonts *mf;
    int stub;                     /* libharu gets stub programs (pdf_fonts_stub) */
    pdf_t1prog *progs;            /* the real ones (data malloc'd, ours) */
    size_t nprogs;
    S_face *faces;
    int nfaces;
    S_inst *inst;
    int ninst;
    pdf_ttface *tt[S_NTT];
    S_tumap *tu;                  /* distinct /ToUnicode maps (issue 15: the
                                     WinAnsi text fonts all have the same one,
                                     math fonts of one family share theirs) */
    int ntu;
};

pdf_fonts *pdf_fonts_new(HPDF_Doc doc, const math_fonts *mf, lb_err *e)
{
    if (!doc) {
        err_set(e, LB_EXIT_RUNTIME, "pdf_fonts_new: no document");
        return NULL;
    }
    pdf_fonts *pf = calloc(1, sizeof *pf);
    if (!pf) {
        err_nomem(e);
        return NULL;
    }
    pf->doc = doc;
    pf->mf = mf;
    return pf;
}

void pdf_fonts_stub(pdf_fonts *pf)
{
    pf->stub = 1;
}

const pdf_t1prog *pdf_fonts_programs(const pdf_fonts *pf, size_t *n)
{
    *n = pf->nprogs;
    return pf->progs;
}

void pdf_fonts_free(pdf_fonts *pf)
{
    if (!pf)
        return;
    for (int i = 0; i < pf->nfaces; i++)
        afm_free(pf->faces[i].afm_owned);
    for (int i = 0; i < S_NTT; i++)
        pdf_ttface_free(pf->tt[i]);
    free(pf->faces);
    free(pf->inst);
    for (int i = 0; i < pf->ntu; i++)
        free(pf->tu[i].cmap);
    free(pf->tu);
    for (size_t i = 0; i < pf->nprogs; i++)
        free((void *)pf->progs[i].data);
    free(pf->progs);
    free(pf);
}

static const char *S_dir(const pdf_fonts *pf)
{
    return pf->mf ? math_fonts_dir(pf->mf) : DEFAULT_DIR;
}

static int S_hpdf_err(pdf_fonts *pf, lb_err *e, const char *what, const char *name)
{
    unsigned long code = HPDF_GetError(pf->doc);
    HPDF_ResetError(pf->doc);
    return err_set(e, LB_EXIT_RUNTIME, "libharu error 0x%04lX while %s '%s'", code, what, name);
}

/* Issue 15: metrics and embedding are loaded separately.  The AFM comes
 * from the math fonts' store (each AFM parsed once per run); libharu's own
 * copy of the font (which re-parses the AFM and reads the PFB) is loaded
 * only when a font is first drawn (S_hpdf_load), so a font used only for
 * measuring costs nothing in libharu and is not embedded. */
static int S_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The AFM text libharu gets: the header, only the CharMetrics lines of
 * glyphs with a WinAnsi name, no kerning.  libharu turns every glyph name
 * into Unicode by a linear search of its glyph list (~16 000 instructions a
 * glyph, 800 glyphs in a Latin Modern AFM) and only ever uses the widths
 * of the WinAnsi / Latin-1 characters (a WinAnsi font's /Widths; a
 * built-in-encoding font's widths are rewritten from our AFM, S_fix_builtin);
 * it never uses kerning pairs (we place every glyph, a PDF font carries no
 * kerning).  In place: returns the new length. */
static size_t S_afm_trim(char *text, size_t len)
{
    static const char *names[256];
    static size_t nnames;
    if (!nnames) {              /* one sorted list of the WinAnsi names */
        for (int c = 0; c < 256; c++) {
            const char *n = afm_winansi_name((unsigned char)c);
            if (n && *n)
                names[nnames++] = n;
        }
        qsort(names, nnames, sizeof *names, S_cmp_str);
    }
    size_t w = 0, count_at = 0, count_len = 0, kept = 0;
    int in_metrics = 0, in_kern = 0;
    for (size_t r = 0; r < len;) {
        const char *line = text + r;
        const char *nl = memchr(line, '\n', len - r);
        size_t n = nl ? (size_t)(nl - line) + 1 : len - r;
        int keep = 1;
        if (!strncmp(line, "StartCharMetrics", 16)) {
            in_metrics = 1;
            count_at = w + 16;          /* " 821": rewritten below */
            count_len = n - 16;
        }
        else if (!strncmp(line, "EndCharMetrics", 14))
            in_metrics = 0;
        else if (!strncmp(line, "StartKernData", 13))
            in_kern = 1;
        if (in_kern)
            keep = 0;
        else if (in_metrics && line[0] == 'C' && line[1] == ' ') {
            const char *p = strstr(line, "; N ");
            char name[64];
            size_t k = 0;
            if (p && p < line + n)
                for (p += 4; k < sizeof name - 1 && p < line + n && *p != ' ' && *p != ';'
                             && *p != '\n' && *p != '\r'; p++)
                    name[k++] = *p;
            name[k] = '\0';
            const char *key = name;
            keep = k > 0 && bsearch(&key, names, nnames, sizeof *names, S_cmp_str) != NULL;
            kept += keep;
        }
        if (!strncmp(line, "EndKernData", 11))
            in_kern = 0;
        if (keep) {
            memmove(text + w, line, n);
            w += n;
        }
        r += n;
    }
    /* libharu reads exactly the number of glyphs the header announces: the
     * new count, right-aligned in the old one's room (fewer digits) */
    char num[32];
    int nl = snprintf(num, sizeof num, "%zu", kept);
    size_t room = count_len;
    while (room > 0 && (text[count_at + room - 1] == '\n' || text[count_at + room - 1] == '\r'))
        room--;
    if (count_len && nl > 0 && (size_t)nl < room) {
        memset(text + count_at, ' ', room - (size_t)nl);
        memcpy(text + count_at + room - (size_t)nl, num, (size_t)nl);
    }
    return w;
}

/* The Length1..3 libharu gives a PFB (its LoadFontData, which copies the
 * file 4085 bytes at a time, each window starting 11 bytes before the
 * next read): Length1 ends 6 bytes after the first "eexec"; Length2 ends
 * 520 bytes before the first "cleartomark" at or after the start of the
 * window eexec was found in; Length3 is the rest (unsigned 32-bit
 * arithmetic, as libharu's).  0, or -1 where libharu refuses the file. */
static const unsigned char *S_find(const unsigned char *d, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (const unsigned char *p = d; k <= n && (size_t)(p - d) <= n - k; p++) {
        p = memchr(p, w[0], n - k + 1 - (size_t)(p - d));
        if (!p)
            return NULL;
        if (!memcmp(p, w, k))
            return p;
    }
    return NULL;
}

static int S_hpdf_lens(const unsigned char *d, size_t n, size_t lens[3])
{
    const unsigned char *x = n >= 11 ? S_find(d, n, "eexec") : NULL;
    if (!x)
        return -1;
    size_t q = (size_t)(x - d);
    size_t win = q + 5 <= 4096 ? 0 : 4085 * ((q + 5 - 4096 + 4084) / 4085);
    const unsigned char *c = S_find(d + win, n - win, "cleartomark");
    if (!c)
        return -1;
    HPDF_UINT l1 = (HPDF_UINT)q + 6;
    HPDF_UINT l2 = (HPDF_UINT)(c - d) - 520 - l1;
    if (l2 == 0)
        return -1;
    lens[0] = l1;
    lens[1] = l2;
    lens[2] = (HPDF_UINT)n - l1 - l2;
    return 0;
}

/* Issue 15: in stub mode the PFB is read here once and kept for
 * pdf_t1sub_apply, and libharu gets these few bytes in its place (it would
 * copy the whole file twice and search it byte by byte). */
static const char S_stub[] = "eexeccleartomark";

static unsigned char *S_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *d = NULL;
    long n;
    if (fp && fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 && fseek(fp, 0, SEEK_SET) == 0
        && (d = malloc((size_t)n))) {
        *len = fread(d, 1, (size_t)n, fp);
        if (*len != (size_t)n) {
            free(d);
            d = NULL;
        }
    }
    if (fp)
        fclose(fp);
    return d;
}

/* libharu's Type 1 font definition from the trimmed AFM (S_afm_trim):
 * what HPDF_LoadType1FontFromFile does, minus most of its parsing.  The
 * font's name, or NULL with libharu's error set (a missing or bad file
 * included).  With `prog`, libharu gets a stub program and *prog the real
 * one (data malloc'd). */
static const char *S_load_type1(HPDF_Doc doc, const char *afm, const char *pfb, pdf_t1prog *prog)
{
    size_t len = 0;
    char *text = NULL;
    FILE *fp = fopen(afm, "rb");
    if (fp) {
        if (fseek(fp, 0, SEEK_END) == 0) {
            long n = ftell(fp);
            if (n > 0 && fseek(fp, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1))) {
                len = fread(text, 1, (size_t)n, fp);
                text[len] = '\0';
            }
        }
        fclose(fp);
    }
    if (!text)      /* let libharu report the missing file its own way */
        return HPDF_LoadType1FontFromFile(doc, afm, pfb);
    len = S_afm_trim(text, len);
    const char *name = NULL;
    unsigned char *pd = NULL;
    size_t pn = 0;
    HPDF_Stream ms = HPDF_MemStream_New(doc->mmgr, 8192), data = NULL;
    if (ms && prog) {
        if (!(pd = S_read_file(pfb, &pn)))
            HPDF_SetError(&doc->error, HPDF_FILE_OPEN_ERROR, 0);
        else if (S_hpdf_lens(pd, pn, prog->lens) < 0)
            HPDF_SetError(&doc->error, HPDF_UNSUPPORTED_TYPE1_FONT, 0);
        else if ((data = HPDF_MemStream_New(doc->mmgr, sizeof S_stub))
                 && (HPDF_Stream_Write(data, (const HPDF_BYTE *)S_stub, sizeof S_stub - 1)
                         != HPDF_OK
                     || HPDF_Stream_Seek(data, 0, HPDF_SEEK_SET) != HPDF_OK)) {
            HPDF_Stream_Free(data);
            data = NULL;
        }
    } else if (ms) {
        data = HPDF_FileReader_New(doc->mmgr, pfb);
    }
    if (data && HPDF_Stream_Write(ms, (const HPDF_BYTE *)text, (HPDF_UINT)len) == HPDF_OK
        && HPDF_Stream_Seek(ms, 0, HPDF_SEEK_SET) == HPDF_OK) {
        HPDF_FontDef def = HPDF_Type1FontDef_Load(doc->mmgr, ms, data);
        if (def && HPDF_Doc_FindFontDef(doc, def->base_font)) {
            HPDF_FontDef_Free(def);
            HPDF_SetError(&doc->error, HPDF_FONT_EXISTS, 0);
        } else if (def && HPDF_Doc_RegisterFontDef(doc, def) != HPDF_OK) {
            HPDF_FontDef_Free(def);
        } else if (def) {
            name = def->base_font;
        }
    }
    if (data)
        HPDF_Stream_Free(data);
    if (ms)
        HPDF_Stream_Free(ms);
    free(text);
    if (name && prog) {
        prog->font_name = name;
        prog->data = pd;
        prog->len = pn;
        pd = NULL;
    }
    free(pd);
    return name;
}

static int S_hpdf_load(pdf_fonts *pf, S_face *f, lb_err *e)
{
    if (f->psname[0])
        return 0;
    char afm[2200], pfb[2200];
    snprintf(afm, sizeof afm, "%s/afm/public/lm/%s.afm", S_dir(pf), f->base);
    snprintf(pfb, sizeof pfb, "%s/type1/public/lm/%s.pfb", S_dir(pf), f->base);
    if (pf->stub) {
        pdf_t1prog *np = realloc(pf->progs, (pf->nprogs + 1) * sizeof *np);
        if (!np)
            return err_nomem(e);
        pf->progs = np;
    }
    pdf_t1prog *prog = pf->stub ? &pf->progs[pf->nprogs] : NULL;
    const char *name = S_load_type1(pf->doc, afm, pfb, prog);
    if (!name)
        return S_hpdf_err(pf, e, "loading font", f->base);
    pf->nprogs += prog != NULL;
    snprintf(f->psname, sizeof f->psname, "%s", name);
    return 0;
}

/* Find or add the face `base` (metrics only). */
static S_face *S_face_get(pdf_fonts *pf, const char *base, lb_err *e)
{
    for (int i = 0; i < pf->nfaces; i++)
        if (!strcmp(pf->faces[i].base, base))
            return &pf->faces[i];
    if (strlen(base) >= sizeof pf->faces[0].base) {
        err_set(e, LB_EXIT_RUNTIME, "font name too long: '%s'", base);
        return NULL;
    }
    S_face *nf = realloc(pf->faces, (size_t)(pf->nfaces + 1) * sizeof *nf);
    if (!nf) {
        err_nomem(e);
        return NULL;
    }
    pf->faces = nf;
    S_face *f = &pf->faces[pf->nfaces];
    memset(f, 0, sizeof *f);
    snprintf(f->base, sizeof f->base, "%s", base);
    if (pf->mf) {
        f->afm = math_fonts_afm_file(pf->mf, base, e);
    } else {
        char afm[2200];
        snprintf(afm, sizeof afm, "%s/afm/public/lm/%s.afm", S_dir(pf), base);
        f->afm = f->afm_owned = afm_load(afm, e);
    }
    if (!f->afm)
        return NULL;
    pf->nfaces++;
    return f;
}

/* The math font id whose file is `base` (for extra slots), or -1. */
static int S_math_id(const pdf_fonts *pf, const char *base)
{
    if (!pf->mf)
        return -1;
    for (int id = 0; id < MATH_F_COUNT; id++)
        if (!math_font_is_ttf(pf->mf, id) && !strcmp(math_font_file(pf->mf, id), base))
            return id;
    return -1;
}

/* Rewrite libharu's width table from the AFM; add /Differences for the
 * extra slots.  Zero-width glyphs (\not's slash) get width 1 in libharu's
 * table only, so that TextOut does not skip them; we position every glyph
 * explicitly, so the advance is never used. */
static int S_fix_builtin(pdf_fonts *pf, HPDF_Font font, const S_face *f, const char *base,
                         lb_err *e)
{
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    if (!attr || !attr->widths)
        return err_set(e, LB_EXIT_RUNTIME, "libharu font '%s' has no width table", base);
    int id = S_math_id(pf, base);
    HPDF_Array diff = NULL;
    for (int code = 0; code < 256; code++) {
        const char *name = NULL;
        if (id >= 0)
            name = math_font_code_name(pf->mf, id, code);
        else {
            const afm_glyph *g = afm_glyph_at(f->afm, afm_find_code(f->afm, code));
            name = g ? g->name : NULL;
        }
        if (!name)
            continue;
        double w = afm_width_of_name(f->afm, name);
        int iw = (int)lround(w);
        attr->widths[code] = (HPDF_INT16)(iw > 0 ? iw : 1);
        if (code < 32 && afm_glyph_at(f->afm, afm_find(f->afm, name))->code != code) {
            if (!diff) {
                diff = HPDF_Array_New(font->mmgr);
                if (!diff)
                    return S_hpdf_err(pf, e, "building /Differences for", base);
            }
            if (HPDF_Array_AddNumber(diff, code) != HPDF_OK
                || HPDF_Array_AddName(diff, name) != HPDF_OK)
                return S_hpdf_err(pf, e, "building /Differences for", base);
        }
    }
    if (diff) {
        /* /Widths must cover the extra slots: start it at code 1 */
        HPDF_Encoder encoder = attr->encoder;
        HPDF_BasicEncoderAttr ea = encoder ? (HPDF_BasicEncoderAttr)encoder->attr : NULL;
        if (!ea)
            return err_set(e, LB_EXIT_RUNTIME, "libharu font '%s' has no encoder", base);
        if (ea->first_char > 1)
            ea->first_char = 1;
        HPDF_Dict enc = HPDF_Dict_New(font->mmgr);
        if (!enc || HPDF_Dict_AddName(enc, "Type", "Encoding") != HPDF_OK
            || HPDF_Dict_Add(enc, "Differences", diff) != HPDF_OK
            || HPDF_Dict_Add(font, "Encoding", enc) != HPDF_OK)
            return S_hpdf_err(pf, e, "adding /Encoding to", base);
    }
    return 0;
}

/* A /ToUnicode CMap for the new font dictionary (pdf_tounicode.h): codes
 * named as S_fix_builtin names them, or WinAnsi names. */
static int S_tounicode(pdf_fonts *pf, HPDF_Font font, const S_face *f, const char *base,
                       const char *encoding, lb_err *e)
{
    const char *names[256];
    int id = S_math_id(pf, base);
    for (int code = 0; code < 256; code++) {
        const afm_glyph *g = id < 0 ? afm_glyph_at(f->afm, afm_find_code(f->afm, code)) : NULL;
        names[code] = encoding ? afm_winansi_name((unsigned char)code)
                      : id >= 0 ? math_font_code_name(pf->mf, id, code) : g ? g->name : NULL;
    }
    /* One stream per distinct map: a font whose map is already in the
     * document points to that stream. */
    pdf_tu_map map[256];
    pdf_tounicode_from_names(base, names, map);
    char *cmap = pdf_tounicode_cmap(map, e);
    if (!cmap)
        return -1;
    for (int i = 0; i < pf->ntu; i++)
        if (!strcmp(pf->tu[i].cmap, cmap)) {
            free(cmap);
            if (HPDF_Dict_Add(font, "ToUnicode", pf->tu[i].stream) != HPDF_OK)
                return S_hpdf_err(pf, e, "adding /ToUnicode to", base);
            return 0;
        }
    S_tumap *nt = realloc(pf->tu, (size_t)(pf->ntu + 1) * sizeof *nt);
    if (!nt) {
        free(cmap);
        return err_nomem(e);
    }
    pf->tu = nt;
    if (pdf_tounicode_attach(pf->doc, font, map, e) < 0) {
        free(cmap);
        return -1;
    }
    HPDF_Dict st = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!st) {
        free(cmap);
        return S_hpdf_err(pf, e, "adding /ToUnicode to", base);
    }
    pf->tu[pf->ntu++] = (S_tumap){ cmap, st };
    return 0;
}

static HPDF_Font S_get(pdf_fonts *pf, const char *base, const char *encoding, lb_err *e)
{
    const char *enc = encoding ? encoding : "";
    for (int i = 0; i < pf->ninst; i++)
        if (!strcmp(pf->inst[i].base, base) && !strcmp(pf->inst[i].enc, enc))
            return pf->inst[i].font;
    if (strlen(enc) >= sizeof pf->inst[0].enc) {
        err_set(e, LB_EXIT_RUNTIME, "unknown encoding '%s'", enc);
        return NULL;
    }
    S_face *f = S_face_get(pf, base, e);
    if (!f || S_hpdf_load(pf, f, e) < 0)
        return NULL;
    HPDF_Font font = HPDF_GetFont(pf->doc, f->psname, encoding ? encoding : "FontSpecific");
    if (!font) {
        S_hpdf_err(pf, e, "creating font", base);
        return NULL;
    }
    if (!encoding && S_fix_builtin(pf, font, f, base, e) < 0)
        return NULL;
    if (S_tounicode(pf, font, f, base, encoding, e) < 0)
        return NULL;
    S_inst *ni = realloc(pf->inst, (size_t)(pf->ninst + 1) * sizeof *ni);
    if (!ni) {
        err_nomem(e);
        return NULL;
    }
    pf->inst = ni;
    snprintf(ni[pf->ninst].base, sizeof ni[0].base, "%s", base);
    snprintf(ni[pf->ninst].enc, sizeof ni[0].enc, "%s", enc);
    ni[pf->ninst].font = font;
    pf->ninst++;
    return font;
}

HPDF_Font pdf_fonts_get(pdf_fonts *pf, const char *base, const char *encoding, lb_err *e)
{
    if (!base || !*base || strchr(base, '/') || strlen(base) >= 64) {
        err_set(e, LB_EXIT_RUNTIME, "bad font name '%s'", base ? base : "(null)");
        return NULL;
    }
    return S_get(pf, base, encoding, e);
}

const afm_font *pdf_fonts_afm(pdf_fonts *pf, const char *base, lb_err *e)
{
    if (!base || !*base || strchr(base, '/') || strlen(base) >= 64) {
        err_set(e, LB_EXIT_RUNTIME, "bad font name '%s'", base ? base : "(null)");
        return NULL;
    }
    S_face *f = S_face_get(pf, base, e);
    return f ? f->afm : NULL;
}

HPDF_Font pdf_fonts_math(pdf_fonts *pf, int id, lb_err *e)
{
    if (!pf->mf || id < 0 || id >= MATH_F_COUNT) {
        err_set(e, LB_EXIT_RUNTIME, "pdf_fonts_math: no math font %d", id);
        return NULL;
    }
    const char *file = math_font_file(pf->mf, id);
    if (math_font_is_ttf(pf->mf, id)) {
        pdf_ttface **t = &pf->tt[S_TTFACE(id)];
        if (!*t && !(*t = pdf_ttface_new(file, 0, file, e)))
            return NULL;
        return pdf_ttface_hpdf(*t, pf->doc, e);
    }
    return S_get(pf, file, NULL, e);
}

int pdf_fonts_math_text(pdf_fonts *pf, int id, int code, char out[5], lb_err *e)
{
    if (id >= MATH_F_BB && id < MATH_F_COUNT) {
        if (!pf->tt[S_TTFACE(id)] && !pdf_fonts_math(pf, id, e))
            return -1;
        if (pdf_ttface_mark(pf->tt[S_TTFACE(id)], (unsigned)code, out) < 0)
            return err_set(e, LB_EXIT_RUNTIME, "U+%04X: beyond U+FFFF, which libharu cannot set",
                           (unsigned)code);
        return 0;
    }
    if (code <= 0 || code > 255)
        return err_set(e, LB_EXIT_RUNTIME, "pdf_math_draw: glyph code %d", code);
    out[0] = (char)code;
    out[1] = 0;
    return 0;
}

/* What a code of each TrueType math font stands for: a math alphabet's
 * letter for an ASCII letter (\mathbb E reads as 𝔼), else itself. */
static unsigned S_uni_bb(unsigned u) { return u < 128 ? math_unicode_doublestruck((int)u) : u; }
static unsigned S_uni_frak(unsigned u) { return u < 128 ? math_unicode_fraktur((int)u) : u; }
static unsigned S_uni_scr(unsigned u) { return u < 128 ? math_unicode_script((int)u) : u; }

int pdf_fonts_finish(pdf_fonts *pf, lb_err *e)
{
    static unsigned (*const uni[S_NTT])(unsigned) = { S_uni_bb, S_uni_frak, S_uni_scr };
    for (int i = 0; pf && i < S_NTT; i++)
        if (pdf_ttface_finish(pf->tt[i], uni[i], e) < 0)
            return -1;
    return 0;
}
