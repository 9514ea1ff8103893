/* pdf_t1sub — see pdf_t1sub.h.  Reaches into libharu 2.3.0's installed
 * internal headers (documents, dictionaries, memory streams, font attrs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_pages.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_encoder.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "base/par.h"
#include "pdf/pdf_hobj.h"
#include "pdf/pdf_t1font.h"
#include "pdf/pdf_t1out.h"
#include "pdf/pdf_t1sub.h"

#define S_MAX_FONTS 512

typedef struct S_font {      /* one font dictionary seen on some page */
    HPDF_Dict dict;
    unsigned char used[256];
} S_font;

typedef struct S_scan {
    S_font fonts[S_MAX_FONTS];
    int nfonts;
    int unsure;              /* text shown in a font we could not name */
} S_scan;

/* ---- content streams ----------------------------------------------------- */

static S_font *S_font_of(S_scan *sc, HPDF_Dict dict)
{
    for (int i = 0; i < sc->nfonts; i++)
        if (sc->fonts[i].dict == dict)
            return &sc->fonts[i];
    if (sc->nfonts == S_MAX_FONTS)
        return NULL;
    S_font *f = &sc->fonts[sc->nfonts++];
    memset(f, 0, sizeof *f);
    f->dict = dict;
    return f;
}

static int S_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0;
}

static int S_delim(unsigned char c)
{
    return S_ws(c) || strchr("()<>[]{}/%", c) != NULL;
}

/* Mark the bytes of the string at p[*i] ('(' or '<') as used in f. */
static void S_mark_string(const unsigned char *p, size_t n, size_t *i, S_font *f, S_scan *sc)
{
    size_t k = *i;
    if (p[k] == '<') {
        int hi = -1;
        for (k++; k < n && p[k] != '>'; k++) {
            int c = p[k], v;
            if (c >= '0' && c <= '9') v = c - '0';
            else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
            else continue;
            if (hi < 0)
                hi = v;
            else {
                if (f) f->used[hi << 4 | v] = 1;
                hi = -1;
            }
        }
        if (hi >= 0 && f)
            f->used[hi << 4] = 1;
        *i = k < n ? k + 1 : n;
        if (!f) sc->unsure = 1;
        return;
    }
    int depth = 1;
    for (k++; k < n && depth > 0; k++) {
        int c = p[k];
        if (c == '\\' && k + 1 < n) {
            c = p[++k];
            switch (c) {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '\r': if (k + 1 < n && p[k + 1] == '\n') k++; /* fallthrough */
            case '\n': continue;   /* line continuation */
            default:
                if (c >= '0' && c <= '7') {
                    int v = c - '0';
                    for (int d = 0; d < 2 && k + 1 < n && p[k + 1] >= '0' && p[k + 1] <= '7'; d++)
                        v = v * 8 + (p[++k] - '0');
                    c = v & 0xff;
                }
            }
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0)
                break;
        }
        if (f) f->used[c & 0xff] = 1;
    }
    *i = k < n ? k + 1 : n;
    if (!f) sc->unsure = 1;
}

#define S_PENDING 512   /* string operands waiting for their operator */

/* Skip the string at p[*i] ('(' or '<'). */
static void S_skip_string(const unsigned char *p, size_t n, size_t *i)
{
    S_scan dummy;
    dummy.unsure = 0;
    S_mark_string(p, n, i, NULL, &dummy);   /* marks nothing without a font */
}

/* Walk one content stream: the font in force (Tf; saved by q, restored by
 * Q) and the string operands of the text-showing operators (Tj, TJ, ', "),
 * which are marked as shown in that font.  Strings that are operands of
 * anything else (an /ActualText in a BDC dictionary, ...) are skipped. */
static void S_scan_content(const unsigned char *p, size_t n, HPDF_Dict fontres, S_scan *sc)
{
    S_font *cur = NULL, *stack[64];
    int depth = 0;
    char lastname[128] = "";
    size_t pend[S_PENDING];
    int npend = 0, overflow = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (S_ws(c)) {
            i++;
        } else if (c == '%') {
            while (i < n && p[i] != '\n' && p[i] != '\r')
                i++;
        } else if (c == '(' || (c == '<' && !(i + 1 < n && p[i + 1] == '<'))) {
            if (npend < S_PENDING)
                pend[npend++] = i;
            else
                overflow = 1;
            S_skip_string(p, n, &i);
        } else if (c == '/') {
            size_t s = ++i;
            while (i < n && !S_delim(p[i]))
                i++;
            snprintf(lastname, sizeof lastname, "%.*s", (int)(i - s), (const char *)p + s);
        } else if (strchr("[]{}<>", c)) {
            i += (c == '<' || c == '>') && i + 1 < n && p[i + 1] == c ? 2 : 1;
        } else {
            size_t s = i;
            while (i < n && !S_delim(p[i]))
                i++;
            size_t l = i - s;
            if (strchr("0123456789+-.", p[s]) || (l == 4 && !memcmp(p + s, "true", 4)) ||
                (l == 5 && !memcmp(p + s, "false", 5)) || (l == 4 && !memcmp(p + s, "null", 4)))
                continue;   /* an operand, not an operator */
            int show_last = (l == 2 && !memcmp(p + s, "Tj", 2)) || (l == 1 && p[s] == '\'') ||
                            (l == 1 && p[s] == '"');
            int show_all = l == 2 && !memcmp(p + s, "TJ", 2);
            if ((show_last || show_all) && npend > 0) {
                if (!cur || overflow)
                    sc->unsure = 1;   /* text in no known font, or too many strings */
                for (int k = show_all ? 0 : npend - 1; k < npend && cur; k++) {
                    size_t at = pend[k];
                    S_mark_string(p, n, &at, cur, sc);
                }
            }
            npend = 0;   /* every operator consumes its operands */
            overflow = 0;
            if (l == 2 && !memcmp(p + s, "Tf", 2)) {
                HPDF_Dict fd = pdf_hobj_item(fontres, lastname);
                cur = pdf_hobj_class(fd) == HPDF_OCLASS_DICT ? S_font_of(sc, fd) : NULL;
            } else if (l == 1 && p[s] == 'q') {
                if (depth < 64)
                    stack[depth] = cur;
                depth++;
            } else if (l == 1 && p[s] == 'Q') {
                if (depth > 0 && --depth < 64)
                    cur = stack[depth];
            } else if (l == 2 && !memcmp(p + s, "BI", 2)) {
                sc->unsure = 1;   /* inline image data: libharu writes none */
                return;
            }
        }
    }
}

static int S_scan_pages(HPDF_Doc doc, S_scan *sc, lb_err *e)
{
    for (HPDF_UINT pi = 0; pi < doc->page_list->count; pi++) {
        HPDF_Page page = HPDF_List_ItemAt(doc->page_list, pi);
        HPDF_PageAttr pa = page ? page->attr : NULL;
        if (!pa)
            continue;
        void *contents = pdf_hobj_item(page, "Contents");
        HPDF_Dict streams[64];
        int ns = 0;
        if (pdf_hobj_class(contents) == HPDF_OCLASS_DICT)
            streams[ns++] = contents;
        else if (pdf_hobj_class(contents) == HPDF_OCLASS_ARRAY) {
            HPDF_Array arr = contents;
            for (size_t k = 0; k < arr->list->count && ns < 64; k++) {
                void *o = pdf_hobj_at(arr, k);
                if (pdf_hobj_class(o) == HPDF_OCLASS_DICT)
                    streams[ns++] = o;
            }
        }
        for (int k = 0; k < ns; k++) {
            size_t len;
            unsigned char *b = pdf_hobj_bytes(streams[k]->stream, &len);
            if (!b && streams[k]->stream && streams[k]->stream->size)
                return err_nomem(e);
            if (b)
                S_scan_content(b, len, pa->fonts, sc);
            free(b);
        }
    }
    return 0;
}

/* ---- code -> glyph name -------------------------------------------------- */

/* What a font dictionary's encoding says, read from libharu's objects on
 * the main thread so that the subsetting jobs need no libharu. */
enum { S_ENC_DIFF, S_ENC_BUILTIN, S_ENC_WINANSI, S_ENC_STANDARD, S_ENC_UNKNOWN };

typedef struct S_dictenc {
    const unsigned char *used;   /* the codes shown (S_font.used) */
    int kind;
    long *diff_code;             /* S_ENC_DIFF: /Differences as (code, name) */
    const char **diff_name;      /*   pairs, in order (names are libharu's) */
    size_t ndiff;
} S_dictenc;

/* 0, or -1 out of memory. */
static int S_dictenc_of(HPDF_Dict fd, const S_font *sf, S_dictenc *de)
{
    memset(de, 0, sizeof *de);
    de->used = sf->used;
    de->kind = S_ENC_UNKNOWN;
    HPDF_Dict enc = pdf_hobj_item(fd, "Encoding");
    if (pdf_hobj_class(enc) == HPDF_OCLASS_DICT) {   /* our /Differences over the built-in */
        HPDF_Array diff = pdf_hobj_item(enc, "Differences");
        void *base = pdf_hobj_item(enc, "BaseEncoding");
        if (base || pdf_hobj_class(diff) != HPDF_OCLASS_ARRAY)
            return 0;
        de->kind = S_ENC_DIFF;
        size_t cap = diff->list->count ? diff->list->count : 1;
        if (!(de->diff_code = malloc(cap * sizeof *de->diff_code)) ||
            !(de->diff_name = malloc(cap * sizeof *de->diff_name)))
            return -1;
        long at = -1;
        for (HPDF_UINT k = 0; k < diff->list->count; k++) {
            HPDF_Obj_Header *h = HPDF_List_ItemAt(diff->list, k);
            if (pdf_hobj_class(h) == HPDF_OCLASS_NUMBER)
                at = ((HPDF_Number)h)->value;
            else if (pdf_hobj_class(h) == HPDF_OCLASS_NAME) {
                de->diff_code[de->ndiff] = at++;
                de->diff_name[de->ndiff++] = ((HPDF_Name)h)->value;
            }
        }
        return 0;
    }
    HPDF_FontAttr fa = fd->attr;
    HPDF_Encoder en = fa ? fa->encoder : NULL;
    if (!en || en->type != HPDF_ENCODER_TYPE_SINGLE_BYTE)
        return 0;
    HPDF_BasicEncoderAttr ea = en->attr;
    if (!strcmp(en->name, HPDF_ENCODING_FONT_SPECIFIC))
        de->kind = S_ENC_BUILTIN;
    else if (ea && ea->has_differences)
        de->kind = S_ENC_UNKNOWN;
    else if (!strcmp(en->name, HPDF_ENCODING_WIN_ANSI))
        de->kind = S_ENC_WINANSI;
    else if (!strcmp(en->name, HPDF_ENCODING_STANDARD))
        de->kind = S_ENC_STANDARD;
    return 0;
}

/* The glyph names a viewer uses for `code` of a font dict over program
 * `t1` (into out[0..1]); returns how many, 0 when the encoding is unknown
 * (then the font is kept whole). */
static int S_names(const S_dictenc *de, const pdf_t1font *t1, int code, const char *out[2],
                   int *unknown)
{
    int n = 0;
    if (de->kind == S_ENC_UNKNOWN) {
        *unknown = 1;
        return 0;
    }
    if (de->kind == S_ENC_DIFF) {
        for (size_t k = 0; k < de->ndiff && n < 2; k++)
            if (de->diff_code[k] == code)
                out[n++] = de->diff_name[k];
        if (!n && pdf_t1font_code_name(t1, code))
            out[n++] = pdf_t1font_code_name(t1, code);
        return n;
    }
    const char *nm = de->kind == S_ENC_BUILTIN ? pdf_t1font_code_name(t1, code)
                     : de->kind == S_ENC_WINANSI ? pdf_t1font_std_name(PDF_T1ENC_WINANSI, code)
                                                 : pdf_t1font_std_name(PDF_T1ENC_STANDARD, code);
    if (nm)
        out[n++] = nm;
    /* a viewer that misses the name may fall back to the code's built-in
     * glyph (kept only when the font lacks the named one) */
    const char *bi = pdf_t1font_code_name(t1, code);
    if (bi && (!nm || strcmp(bi, nm)))
        out[n++] = bi;
    return n;
}

/* ---- one program --------------------------------------------------------- */

static void S_tag(const unsigned char *data, size_t len, const char *name, char tag[7])
{
    uint64_t h = 1469598103934665603ull;
    for (size_t k = 0; k < len; k++)
        h = (h ^ data[k]) * 1099511628211ull;
    for (const char *s = name; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    for (int k = 0; k < 6; k++) {
        tag[k] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = 0;
}

/* The descriptor's /FontFile stream dict, or NULL. */
static HPDF_Dict S_fontfile(HPDF_Dict desc, const char *key)
{
    HPDF_Dict ff = pdf_hobj_item(desc, key);
    return pdf_hobj_class(ff) == HPDF_OCLASS_DICT && ff->stream ? ff : NULL;
}

static int S_hpdf_fail(HPDF_Doc doc, lb_err *e, const char *what)
{
    unsigned long code = HPDF_GetError(doc);
    HPDF_ResetError(doc);
    return err_set(e, LB_EXIT_RUNTIME, "libharu error 0x%04lX while %s", code, what);
}

/* ---- the subsetting jobs: one per program, on two threads ---------------
 * Everything a job needs is read from libharu's objects first, on the
 * calling thread (S_job_new); the jobs (S_job_run) touch only their own
 * fields and no libharu object; their results go into the document in
 * program order afterwards (S_job_install).  Same bytes whichever thread
 * runs which job. */

typedef struct S_job {
    HPDF_FontDef def;
    const char *font_name;          /* def->base_font */
    const pdf_t1prog *prog;         /* the real program, when libharu has a stub */
    const unsigned char *data;      /* the program subset from */
    size_t len;
    unsigned char *data_owned;      /* the FontFile stream's bytes (no prog) */
    S_dictenc *dicts;               /* the font dicts of it shown on a page */
    size_t ndicts;
    int whole;                      /* the scan is unsure: keep it whole */
    /* results */
    int rc;                         /* 1 subset, 0 kept whole, -1 error (e) */
    lb_err e;
    unsigned char *sub;
    size_t sub_len, lens[3];
    char tag[7];
} S_job;

static void S_job_free(S_job *j)
{
    for (size_t k = 0; k < j->ndicts; k++) {
        free(j->dicts[k].diff_code);
        free(j->dicts[k].diff_name);
    }
    free(j->dicts);
    free(j->data_owned);
    free(j->sub);
}

/* The job for fontdef `def`: 0, 1 nothing to do (no FontFile), -1 out of
 * memory. */
static int S_job_new(HPDF_Doc doc, HPDF_FontDef def, const S_scan *sc, const pdf_t1prog *progs,
                     size_t nprogs, S_job *j)
{
    memset(j, 0, sizeof *j);
    j->def = def;
    j->font_name = def->base_font;
    j->whole = sc->unsure;
    for (size_t k = 0; k < nprogs && !j->prog; k++)
        if (!strcmp(progs[k].font_name, def->base_font))
            j->prog = &progs[k];
    HPDF_Dict ff = S_fontfile(def->descriptor, "FontFile");
    if (!ff) {
        j->whole = 1;
        return 1;
    }
    if (j->prog) {
        j->data = j->prog->data;
        j->len = j->prog->len;
    } else {
        if (!(j->data_owned = pdf_hobj_bytes(ff->stream, &j->len)))
            return -1;
        j->data = j->data_owned;
    }
    if (!(j->dicts = calloc((size_t)sc->nfonts + 1, sizeof *j->dicts)))
        return -1;
    for (HPDF_UINT fi = 0; fi < doc->font_mgr->count; fi++) {
        HPDF_Font font = HPDF_List_ItemAt(doc->font_mgr, fi);
        HPDF_FontAttr fa = font->attr;
        if (!fa || fa->fontdef != def)
            continue;
        for (int k = 0; k < sc->nfonts; k++)
            if (sc->fonts[k].dict == font) {
                if (S_dictenc_of(font, &sc->fonts[k], &j->dicts[j->ndicts++]) < 0)
                    return -1;
                break;
            }
    }
    return 0;
}

/* Parse, keep what is shown, write the subset with its tag. */
static void S_job_run(void *ctx, size_t i)
{
    S_job *j = &((S_job *)ctx)[i];
    j->rc = 0;
    if (j->whole)
        return;
    lb_err pe;
    err_clear(&pe);
    pdf_t1font *t1 = pdf_t1font_parse(j->data, j->len, j->font_name, &pe);
    if (!t1) {   /* a program we cannot read stays whole */
        if (pe.code == LB_EXIT_RUNTIME && strstr(pe.msg, "out of memory"))
            j->rc = err_nomem(&j->e);
        return;
    }
    int unknown = 0;
    for (size_t k = 0; k < j->ndicts; k++)
        for (int code = 0; code < 256; code++) {
            if (!j->dicts[k].used[code])
                continue;
            const char *nm[2];
            int cnt = S_names(&j->dicts[k], t1, code, nm, &unknown);
            /* the second name only if the font lacks the first */
            for (int m = 0; m < cnt && !pdf_t1font_keep(t1, nm[m]); m++)
                ;
        }
    size_t at;
    if (unknown)
        goto out;   /* kept whole */
    /* the tag is a hash of the subset itself: written once with a dummy
     * tag to learn it, then put in place of the dummy (the tag's letters
     * do not change the rest, and the document stays reproducible) */
    memcpy(j->tag, "AAAAAA", 7);
    if (pdf_t1out_write_at(t1, j->tag, &j->sub, &j->sub_len, j->lens, &at, &j->e) < 0) {
        j->rc = -1;
        goto out;
    }
    S_tag(j->sub, j->sub_len, j->font_name, j->tag);
    if (at != SIZE_MAX && at + 6 <= j->lens[0]) {
        memcpy(j->sub + at, j->tag, 6);
    } else {   /* the tag went with a comment line: write it again */
        free(j->sub);
        j->sub = NULL;
        if (pdf_t1out_write_at(t1, j->tag, &j->sub, &j->sub_len, j->lens, &at, &j->e) < 0) {
            j->rc = -1;
            goto out;
        }
    }
    j->rc = 1;
out:
    pdf_t1font_free(t1);
}

/* The job's result into the document: the subset, or the real program
 * whole where libharu holds a stub.  0, or -1 + error. */
static int S_job_install(HPDF_Doc doc, S_job *j, pdf_t1sub_stats *st, lb_err *e)
{
    HPDF_Dict ff = S_fontfile(j->def->descriptor, "FontFile");
    if (j->rc < 0) {
        *e = j->e;
        return -1;
    }
    if (!ff)
        return 0;
    if (!j->whole)
        st->bytes_before += j->len;
    if (j->rc == 0) {
        if (!j->whole)
            st->bytes_after += j->len;
        if (!j->prog)
            return 0;
        HPDF_MemStream_FreeData(ff->stream);
        if (HPDF_Stream_Write(ff->stream, j->prog->data, (HPDF_UINT)j->prog->len) != HPDF_OK
            || HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)j->prog->lens[0]) != HPDF_OK
            || HPDF_Dict_AddNumber(ff, "Length2", (HPDF_INT32)j->prog->lens[1]) != HPDF_OK
            || HPDF_Dict_AddNumber(ff, "Length3", (HPDF_INT32)j->prog->lens[2]) != HPDF_OK)
            return S_hpdf_fail(doc, e, "embedding a font program");
        return 0;
    }
    char tagged[HPDF_LIMIT_MAX_NAME_LEN + 8];
    snprintf(tagged, sizeof tagged, "%s+%s", j->tag, j->font_name);
    HPDF_MemStream_FreeData(ff->stream);
    if (HPDF_Stream_Write(ff->stream, j->sub, (HPDF_UINT)j->sub_len) != HPDF_OK
        || HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)j->lens[0]) != HPDF_OK
        || HPDF_Dict_AddNumber(ff, "Length2", (HPDF_INT32)j->lens[1]) != HPDF_OK
        || HPDF_Dict_AddNumber(ff, "Length3", (HPDF_INT32)j->lens[2]) != HPDF_OK
        || HPDF_Dict_AddName(j->def->descriptor, "FontName", tagged) != HPDF_OK)
        return S_hpdf_fail(doc, e, "replacing a font program");
    for (HPDF_UINT fi = 0; fi < doc->font_mgr->count; fi++) {
        HPDF_Font font = HPDF_List_ItemAt(doc->font_mgr, fi);
        HPDF_FontAttr fa = font->attr;
        if (fa && fa->fontdef == j->def && HPDF_Dict_AddName(font, "BaseFont", tagged) != HPDF_OK)
            return S_hpdf_fail(doc, e, "renaming a subset font");
    }
    st->bytes_after += j->sub_len;
    return 0;
}

/* /FirstChar, /LastChar and /Widths of Type 1 font dict `font` cut to the
 * codes it shows (0 for a code in between that it never shows), written as
 * ordinary entries instead of by libharu's write hook, which would write
 * all 224 codes of the encoding for every font.  The /Encoding that hook
 * would add is added as an entry.  Fonts with a libharu /Differences
 * encoding keep the hook.  Returns 0 or -1. */
static int S_trim_widths(HPDF_Doc doc, HPDF_Font font, const S_font *sf, lb_err *e)
{
    HPDF_FontAttr fa = font->attr;
    HPDF_BasicEncoderAttr ea = fa && fa->encoder ? fa->encoder->attr : NULL;
    if (!sf || !ea || !fa->widths || ea->has_differences
        || fa->encoder->type != HPDF_ENCODER_TYPE_SINGLE_BYTE)
        return 0;
    int first = -1, last = -1;
    for (int c = 0; c < 256; c++)
        if (sf->used[c]) {
            if (first < 0)
                first = c;
            last = c;
        }
    if (first < 0)
        return 0;
    HPDF_Array w = HPDF_Array_New(font->mmgr);
    if (!w)
        return S_hpdf_fail(doc, e, "trimming a font's widths");
    for (int c = first; c <= last; c++)
        if (HPDF_Array_AddNumber(w, sf->used[c] ? fa->widths[c] : 0) != HPDF_OK) {
            HPDF_Array_Free(w);
            return S_hpdf_fail(doc, e, "trimming a font's widths");
        }
    if (HPDF_Dict_AddNumber(font, "FirstChar", first) != HPDF_OK
        || HPDF_Dict_AddNumber(font, "LastChar", last) != HPDF_OK
        || HPDF_Dict_Add(font, "Widths", w) != HPDF_OK)
        return S_hpdf_fail(doc, e, "trimming a font's widths");
    if (strcmp(ea->base_encoding, HPDF_ENCODING_FONT_SPECIFIC) != 0 && !pdf_hobj_item(font, "Encoding")
        && HPDF_Dict_AddName(font, "Encoding", ea->base_encoding) != HPDF_OK)
        return S_hpdf_fail(doc, e, "trimming a font's widths");
    font->write_fn = NULL;
    return 0;
}

int pdf_t1sub_apply(HPDF_Doc doc, const pdf_t1prog *progs, size_t nprogs,
                    pdf_t1sub_stats *stats, lb_err *e)
{
    pdf_t1sub_stats st = {0, 0, 0, 0};
    S_scan *sc = calloc(1, sizeof *sc);
    S_job *jobs = calloc(doc->font_mgr->count + 1, sizeof *jobs);
    size_t nj = 0;
    if (!sc || !jobs) {
        free(sc);
        free(jobs);
        return err_nomem(e);
    }
    int rc = S_scan_pages(doc, sc, e);
    /* each Type 1 program once (font dicts of one fontdef share it) */
    for (HPDF_UINT fi = 0; rc == 0 && fi < doc->font_mgr->count; fi++) {
        HPDF_Font font = HPDF_List_ItemAt(doc->font_mgr, fi);
        HPDF_FontAttr fa = font->attr;
        if (!fa || fa->type != HPDF_FONT_TYPE1 || !fa->fontdef
            || fa->fontdef->type != HPDF_FONTDEF_TYPE_TYPE1 || !fa->fontdef->descriptor)
            continue;
        int first = 1;
        for (HPDF_UINT fj = 0; fj < fi; fj++) {
            HPDF_FontAttr fb = ((HPDF_Font)HPDF_List_ItemAt(doc->font_mgr, fj))->attr;
            if (fb && fb->fontdef == fa->fontdef)
                first = 0;
        }
        if (!first)
            continue;
        int r = S_job_new(doc, fa->fontdef, sc, progs, nprogs, &jobs[nj]);
        if (r < 0)
            rc = err_nomem(e);
        nj++;
    }
    if (rc == 0)
        par_run(nj, S_job_run, jobs);
    for (size_t k = 0; rc == 0 && k < nj; k++) {
        if (S_job_install(doc, &jobs[k], &st, e) < 0)
            rc = -1;
        else if (jobs[k].rc == 1)
            st.fonts_subset++;
        else
            st.fonts_whole++;
    }
    for (size_t k = 0; k < nj; k++)
        S_job_free(&jobs[k]);
    free(jobs);
    /* widths of the codes shown only */
    for (HPDF_UINT fi = 0; rc == 0 && !sc->unsure && fi < doc->font_mgr->count; fi++) {
        HPDF_Font font = HPDF_List_ItemAt(doc->font_mgr, fi);
        HPDF_FontAttr fa = font->attr;
        if (!fa || fa->type != HPDF_FONT_TYPE1 || font->write_fn == NULL)
            continue;
        const S_font *sf = NULL;
        for (int k = 0; k < sc->nfonts; k++)
            if (sc->fonts[k].dict == font)
                sf = &sc->fonts[k];
        if (S_trim_widths(doc, font, sf, e) < 0)
            rc = -1;
    }
    /* compress every embedded font program */
    for (HPDF_UINT fi = 0; rc == 0 && fi < doc->font_mgr->count; fi++) {
        HPDF_Font font = HPDF_List_ItemAt(doc->font_mgr, fi);
        HPDF_FontAttr fa = font->attr;
        HPDF_Dict desc = fa && fa->fontdef ? fa->fontdef->descriptor : NULL;
        if (!desc)
            desc = pdf_hobj_item(font, "FontDescriptor");
        if (pdf_hobj_class(desc) != HPDF_OCLASS_DICT)
            continue;
        static const char *const keys[3] = {"FontFile", "FontFile2", "FontFile3"};
        for (int k = 0; k < 3; k++) {
            HPDF_Dict ff = pdf_hobj_item(desc, keys[k]);
            if (pdf_hobj_class(ff) == HPDF_OCLASS_DICT)
                ff->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        }
    }
    free(sc);
    if (stats)
        *stats = st;
    return rc;
}
