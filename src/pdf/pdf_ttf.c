/* pdf_ttf — see pdf_ttf.h.  Every read is bounds-checked against the file:
 * a damaged font gives an error or a missing glyph, never a wild read.
 * The file is mapped, not copied: a CJK face is 5–21 MB of which a run
 * touches a few pages (cmap, hmtx, the glyphs it measures). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pdf/pdf_ttf.h"

struct pdf_ttf {
    const unsigned char *d;      /* the whole file */
    size_t n;
    void *map;                   /* mmap'ed (owned) or NULL (borrowed) */
    size_t map_len;
    pdf_ttf_metrics m;
    size_t hmtx, hmtx_len, loca, loca_len, glyf, glyf_len;
    unsigned n_hmetrics;
    int long_loca;
    size_t dir;                  /* offset table of the face */
    size_t cmap_sub;             /* offset of the chosen cmap subtable */
    unsigned cmap_fmt;           /* 4 or 12 */
};

static unsigned S_u16(const pdf_ttf *t, size_t at)
{
    if (at + 2 > t->n)
        return 0;
    return (unsigned)t->d[at] << 8 | t->d[at + 1];
}

static int S_s16(const pdf_ttf *t, size_t at)
{
    unsigned v = S_u16(t, at);
    return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static uint32_t S_u32(const pdf_ttf *t, size_t at)
{
    if (at + 4 > t->n)
        return 0;
    return (uint32_t)t->d[at] << 24 | (uint32_t)t->d[at + 1] << 16 |
           (uint32_t)t->d[at + 2] << 8 | t->d[at + 3];
}

/* Table `tag` of the face whose offset table is at `dir`: offset and
 * length (checked to lie inside the file), or 0 when absent. */
static size_t S_table(const pdf_ttf *t, size_t dir, const char *tag,
                      size_t *len)
{
    unsigned nt = S_u16(t, dir + 4);
    for (unsigned i = 0; i < nt; i++) {
        size_t r = dir + 12 + 16 * (size_t)i;
        if (r + 16 > t->n)
            break;
        if (memcmp(t->d + r, tag, 4) != 0)
            continue;
        size_t off = S_u32(t, r + 8), l = S_u32(t, r + 12);
        if (off > t->n || l > t->n - off)
            return 0;
        *len = l;
        return off;
    }
    *len = 0;
    return 0;
}

/* Prefer the full-repertoire subtable (3,10) format 12, then Unicode BMP
 * (3,1) / (0,x) format 4. */
static void S_pick_cmap(pdf_ttf *t, size_t cmap, size_t clen)
{
    unsigned n = S_u16(t, cmap + 2);
    size_t best = 0;
    unsigned best_fmt = 0;
    for (unsigned i = 0; i < n; i++) {
        size_t r = cmap + 4 + 8 * (size_t)i;
        if (r + 8 > cmap + clen)
            break;
        unsigned pid = S_u16(t, r), eid = S_u16(t, r + 2);
        size_t sub = cmap + S_u32(t, r + 4);
        unsigned fmt = S_u16(t, sub);
        int unicode = pid == 0 || (pid == 3 && (eid == 1 || eid == 10));
        if (!unicode || sub >= t->n)
            continue;
        if (fmt == 12 && best_fmt != 12) {
            best = sub;
            best_fmt = 12;
        } else if (fmt == 4 && best_fmt == 0) {
            best = sub;
            best_fmt = 4;
        }
    }
    t->cmap_sub = best;
    t->cmap_fmt = best_fmt;
}

static int S_parse(pdf_ttf *t, unsigned index, const char *name, lb_err *e)
{
    size_t dir = 0;
    if (t->n >= 12 && memcmp(t->d, "ttcf", 4) == 0) {
        unsigned nf = (unsigned)S_u32(t, 8);
        if (index >= nf)
            return err_set(e, LB_EXIT_RUNTIME, "%s: font collection has %u "
                           "faces, no face %u", name, nf, index);
        dir = S_u32(t, 12 + 4 * (size_t)index);
    } else if (index != 0) {
        return err_set(e, LB_EXIT_RUNTIME, "%s: not a font collection "
                       "(face %u asked for)", name, index);
    }
    if (dir + 12 > t->n)
        return err_set(e, LB_EXIT_RUNTIME, "%s: not a TrueType font "
                       "(file too short)", name);
    t->dir = dir;
    uint32_t ver = S_u32(t, dir);
    if (ver == 0x4F54544Fu)                  /* "OTTO" */
        return err_set(e, LB_EXIT_RUNTIME, "%s: OpenType font with CFF "
                       "outlines; libharu 2.3.0 embeds TrueType outlines "
                       "only", name);
    if (ver != 0x00010000u && ver != 0x74727565u)  /* 1.0 or "true" */
        return err_set(e, LB_EXIT_RUNTIME, "%s: not a TrueType font", name);

    size_t head_l, hhea_l, maxp_l, cmap_l, os2_l;
    size_t head = S_table(t, dir, "head", &head_l);
    size_t hhea = S_table(t, dir, "hhea", &hhea_l);
    size_t maxp = S_table(t, dir, "maxp", &maxp_l);
    size_t cmap = S_table(t, dir, "cmap", &cmap_l);
    size_t os2 = S_table(t, dir, "OS/2", &os2_l);
    t->hmtx = S_table(t, dir, "hmtx", &t->hmtx_len);
    t->loca = S_table(t, dir, "loca", &t->loca_len);
    t->glyf = S_table(t, dir, "glyf", &t->glyf_len);
    if (!head || head_l < 54 || !hhea || hhea_l < 36 || !maxp ||
        maxp_l < 6 || !cmap || !t->hmtx || !t->loca || !t->glyf)
        return err_set(e, LB_EXIT_RUNTIME, "%s: TrueType face %u lacks a "
                       "required table (head, hhea, maxp, cmap, hmtx, loca, "
                       "glyf)", name, index);
    unsigned upem = S_u16(t, head + 18);
    if (upem < 16 || upem > 16384)
        return err_set(e, LB_EXIT_RUNTIME, "%s: bad unitsPerEm %u", name,
                       upem);
    double u = upem;
    t->m.units_per_em = upem;
    t->long_loca = S_s16(t, head + 50) == 1;
    t->m.ascender = S_s16(t, hhea + 4) / u;
    t->m.descender = S_s16(t, hhea + 6) / u;
    t->m.line_gap = S_s16(t, hhea + 8) / u;
    t->n_hmetrics = S_u16(t, hhea + 34);
    t->m.num_glyphs = S_u16(t, maxp + 4);
    if (t->n_hmetrics == 0 || (size_t)t->n_hmetrics * 4 > t->hmtx_len)
        return err_set(e, LB_EXIT_RUNTIME, "%s: damaged hmtx table", name);
    if (os2 && os2_l >= 92 && S_u16(t, os2) >= 2) {
        t->m.x_height = S_s16(t, os2 + 86) / u;
        t->m.cap_height = S_s16(t, os2 + 88) / u;
    }
    S_pick_cmap(t, cmap, cmap_l);
    if (!t->cmap_fmt)
        return err_set(e, LB_EXIT_RUNTIME, "%s: no Unicode cmap (format 4 "
                       "or 12)", name);
    return 0;
}

pdf_ttf *pdf_ttf_open_mem(const unsigned char *data, size_t len,
                          unsigned index, const char *name, lb_err *e)
{
    pdf_ttf *t = calloc(1, sizeof *t);
    if (!t) {
        err_nomem(e);
        return NULL;
    }
    t->d = data;
    t->n = len;
    if (S_parse(t, index, name, e) < 0) {
        free(t);
        return NULL;
    }
    return t;
}

pdf_ttf *pdf_ttf_open(const char *path, unsigned index, lb_err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot open: %s (is the CJK font "
                "package installed? make deps)", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 12) {
        close(fd);
        err_set(e, LB_EXIT_RUNTIME, "%s: not a font file", path);
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot map: %s", path,
                strerror(errno));
        return NULL;
    }
    pdf_ttf *t = pdf_ttf_open_mem(map, len, index, path, e);
    if (!t) {
        munmap(map, len);
        return NULL;
    }
    t->map = map;
    t->map_len = len;
    return t;
}

void pdf_ttf_free(pdf_ttf *t)
{
    if (!t)
        return;
    if (t->map)
        munmap(t->map, t->map_len);
    free(t);
}

const pdf_ttf_metrics *pdf_ttf_metrics_of(const pdf_ttf *t)
{
    return &t->m;
}

static unsigned S_cmap4(const pdf_ttf *t, unsigned u)
{
    size_t s = t->cmap_sub;
    if (u > 0xFFFF)
        return 0;
    unsigned segs = S_u16(t, s + 6) / 2;
    size_t ends = s + 14, starts = ends + 2 * (size_t)segs + 2;
    size_t deltas = starts + 2 * (size_t)segs;
    size_t ranges = deltas + 2 * (size_t)segs;
    /* Binary search for the first segment whose end >= u. */
    unsigned lo = 0, hi = segs;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (S_u16(t, ends + 2 * (size_t)mid) < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= segs)
        return 0;
    unsigned start = S_u16(t, starts + 2 * (size_t)lo);
    if (u < start)
        return 0;
    unsigned delta = S_u16(t, deltas + 2 * (size_t)lo);
    size_t ro_at = ranges + 2 * (size_t)lo;
    unsigned ro = S_u16(t, ro_at);
    if (ro == 0)
        return (u + delta) & 0xFFFF;
    unsigned g = S_u16(t, ro_at + ro + 2 * (size_t)(u - start));
    return g ? (g + delta) & 0xFFFF : 0;
}

static unsigned S_cmap12(const pdf_ttf *t, unsigned u)
{
    size_t s = t->cmap_sub;
    uint32_t n = S_u32(t, s + 12);
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        size_t g = s + 16 + 12 * (size_t)mid;
        uint32_t a = S_u32(t, g), b = S_u32(t, g + 4);
        if (u < a)
            hi = mid;
        else if (u > b)
            lo = mid + 1;
        else
            return (unsigned)(S_u32(t, g + 8) + (u - a));
    }
    return 0;
}

unsigned pdf_ttf_glyph(const pdf_ttf *t, unsigned u)
{
    unsigned g = t->cmap_fmt == 12 ? S_cmap12(t, u) : S_cmap4(t, u);
    return g < t->m.num_glyphs ? g : 0;
}

double pdf_ttf_advance(const pdf_ttf *t, unsigned gid)
{
    unsigned k = gid < t->n_hmetrics ? gid : t->n_hmetrics - 1;
    return S_u16(t, t->hmtx + 4 * (size_t)k) / (double)t->m.units_per_em;
}

const unsigned char *pdf_ttf_table(const pdf_ttf *t, const char *tag,
                                   size_t *len)
{
    size_t off = S_table(t, t->dir, tag, len);
    return off ? t->d + off : NULL;
}

const unsigned char *pdf_ttf_glyph_data(const pdf_ttf *t, unsigned gid,
                                        size_t *len)
{
    *len = 0;
    if (gid >= t->m.num_glyphs)
        return NULL;
    size_t a, b;
    if (t->long_loca) {
        a = S_u32(t, t->loca + 4 * (size_t)gid);
        b = S_u32(t, t->loca + 4 * (size_t)gid + 4);
    } else {
        a = 2 * (size_t)S_u16(t, t->loca + 2 * (size_t)gid);
        b = 2 * (size_t)S_u16(t, t->loca + 2 * (size_t)gid + 2);
    }
    if (b <= a || b - a < 10 || b > t->glyf_len)
        return NULL;
    *len = b - a;
    return t->d + t->glyf + a;
}

int pdf_ttf_bbox(const pdf_ttf *t, unsigned gid, double bb[4])
{
    memset(bb, 0, 4 * sizeof *bb);
    size_t len;
    const unsigned char *p = pdf_ttf_glyph_data(t, gid, &len);
    if (!p)
        return -1;
    size_t g = (size_t)(p - t->d);
    double u = t->m.units_per_em;
    bb[0] = S_s16(t, g + 2) / u;
    bb[1] = S_s16(t, g + 4) / u;
    bb[2] = S_s16(t, g + 6) / u;
    bb[3] = S_s16(t, g + 8) / u;
    return 0;
}
