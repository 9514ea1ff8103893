/* pdf_table — booktabs tables (see pdf_table.h).
 *
 * Rules and spacing follow booktabs at 9pt (\small) with \arraystretch 1:
 * \toprule and \bottomrule 0.8pt, \midrule 0.5pt, \aboverulesep 1.72pt,
 * \belowrulesep 2.8pt, \tabcolsep 6pt, no vertical rules; a total row gets a
 * light 0.3pt rule above it.  DECIMAL columns align on the decimal point
 * (the block of numbers is centred under its header).  Marked cells / rows
 * are bold.  The table is set at its natural width, centred; when wider than
 * the text it is set again smaller (down to 6pt; a GFM table's text columns
 * are also wrapped, never narrower than their widest word); a table still
 * too wide is an error naming it and its width, never cut at the margin.
 *
 * Caption above ("Table N. caption", LaTeX puts table captions on top),
 * centred when it fits on one line, else justified (pdf_caption.c).
 *
 * Pagination: a table whose total height fits in the text height is one
 * VL_FLOAT box (moved whole to the next page when needed); a taller one is
 * a caption box, a header box (VL_HEADER, repeated on continuation pages)
 * and one box per row, the last carrying the bottom rule and the note.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_caption.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_hpdf.h"
#include "pdf/pdf_line.h"
#include "pdf/pdf_table.h"
#include "doc/langtext.h"
#include "pdf/pdf_text.h"
#include "pdf/pdf_vlist.h"
#include "compute/table.h"

#define S_TOPRULE 0.8
#define S_MIDRULE 0.5
#define S_TOTRULE 0.3
#define S_ABOVE 1.72
#define S_BELOW 2.8
#define S_COLSEP 6.0
/* \tabcolsep scales with the type when a table is set smaller (as if the
 * whole table were scaled down): 6pt at 9pt type, 4pt at 6pt. */
#define S_SEP(t) ((t)->sep > 0 ? (t)->sep : S_COLSEP * (t)->size / 9.0)
/* Last resort before "too wide": at the smallest type the column separation
 * may close up to this (LaTeX users set \tabcolsep smaller by hand). */
#define S_MIN_SEP 1.5

enum { PART_WHOLE = -1, PART_CAPTION = -2, PART_HEAD = -3, PART_CONT = -4 };

typedef struct S_cell {
    pdf_hlist *l, *r;        /* r: decimal part (from '.'), may be NULL */
    double wl, wr, h, d;
    pb_line *lines;          /* wrapped text cell (arena), NULL if one line */
    size_t nlines;
} S_cell;

typedef struct pdf_tab {
    size_t ncols, nrows;     /* nrows: body rows */
    S_cell *head;            /* ncols */
    S_cell *cells;           /* nrows * ncols */
    int *total;              /* per body row: light rule above */
    int *align;              /* TBL_* per column */
    double *colw, *maxl, *maxr;
    double x, width, size;
    double sep;              /* column separation override, 0: by size */
    double head_h, head_d;   /* header row height/depth */
    double *row_h, *row_d;
    pdf_caption cap;
    pdf_caption note;
    pdf_caption cont;        /* "Table N (continued)" over a repeated header */
    int number;              /* generated table's number, 0 for a GFM table */
    int has_head;
} pdf_tab;

/* ---- cells --------------------------------------------------------------- */

static int S_cell_text(pdf_ctx *c, S_cell *cl, const char *s, int decimal,
                       int bold, double size, int line, int col)
{
    int font = bold ? PF_BF9 : PF_RM9;
    cl->l = pdf_arena_alloc(c, sizeof *cl->l);
    if (!cl->l)
        return -1;
    pdf_hl_init(c, cl->l);
    size_t split = strlen(s);
    if (decimal) {
        int in_math = 0;
        for (size_t i = 0; s[i]; i++) {
            if (s[i] == '$') in_math = !in_math;
            else if (s[i] == '.' && !in_math) { split = i; break; }
        }
    }
    char *left = pdf_arena_strndup(c, s, split);
    if (!left || pdf_hl_rich(c, cl->l, left, font, size, line, col) < 0)
        return -1;
    if (s[split]) {
        cl->r = pdf_arena_alloc(c, sizeof *cl->r);
        if (!cl->r)
            return -1;
        pdf_hl_init(c, cl->r);
        if (pdf_hl_text(c, cl->r, s + split, strlen(s + split), font, size,
                        1, 0, line, col) < 0)
            return -1;
    }
    return 0;
}

static void S_cell_measure(S_cell *cl, double size)
{
    double h, d;
    if (cl->lines) {
        double bskip = size * 11.0 / 9.0, w = 0;
        for (size_t k = 0; k < cl->nlines; k++)
            if (cl->lines[k].natural > w)
                w = cl->lines[k].natural;
        cl->wl = w;
        cl->wr = 0;
        cl->h = 0.7 * bskip;
        cl->d = 0.3 * bskip + (double)(cl->nlines - 1) * bskip;
        return;
    }
    cl->wl = pdf_hl_width(cl->l);
    cl->wr = cl->r ? pdf_hl_width(cl->r) : 0;
    cl->h = 0.7 * size * 11.0 / 9.0;
    cl->d = 0.3 * size * 11.0 / 9.0;
    pdf_hl_extent(cl->l, 0, cl->l->n, &h, &d);
    if (h > cl->h) cl->h = h;
    if (d > cl->d) cl->d = d;
}

/* Column widths, row heights, total width. */
static void S_measure(pdf_tab *t)
{
    for (size_t j = 0; j < t->ncols; j++) {
        double ml = 0, mr = 0, w = 0;
        for (size_t i = 0; i < t->nrows; i++) {
            S_cell *cl = &t->cells[i * t->ncols + j];
            S_cell_measure(cl, t->size);
            if (t->align[j] == TBL_DECIMAL) {
                if (cl->wl > ml) ml = cl->wl;
                if (cl->wr > mr) mr = cl->wr;
            } else if (cl->wl + cl->wr > w)
                w = cl->wl + cl->wr;
        }
        if (t->align[j] == TBL_DECIMAL)
            w = ml + mr;
        S_cell_measure(&t->head[j], t->size);
        if (t->head[j].wl > w)
            w = t->head[j].wl;
        t->colw[j] = w;
        t->maxl[j] = ml;
        t->maxr[j] = mr;
    }
    t->width = 0;
    for (size_t j = 0; j < t->ncols; j++)
        t->width += t->colw[j] + 2 * S_SEP(t);
    t->head_h = t->head_d = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        if (t->head[j].h > t->head_h) t->head_h = t->head[j].h;
        if (t->head[j].d > t->head_d) t->head_d = t->head[j].d;
    }
    for (size_t i = 0; i < t->nrows; i++) {
        t->row_h[i] = t->row_d[i] = 0;
        for (size_t j = 0; j < t->ncols; j++) {
            S_cell *cl = &t->cells[i * t->ncols + j];
            if (cl->h > t->row_h[i]) t->row_h[i] = cl->h;
            if (cl->d > t->row_d[i]) t->row_d[i] = cl->d;
        }
    }
}

static int S_alloc(pdf_ctx *c, pdf_tab *t, size_t ncols, size_t nrows)
{
    t->ncols = ncols;
    t->nrows = nrows;
    t->head = pdf_arena_alloc(c, ncols * sizeof *t->head);
    t->cells = pdf_arena_alloc(c, (nrows ? nrows : 1) * ncols *
                                  sizeof *t->cells);
    t->total = pdf_arena_alloc(c, (nrows ? nrows : 1) * sizeof *t->total);
    t->align = pdf_arena_alloc(c, ncols * sizeof *t->align);
    t->colw = pdf_arena_alloc(c, ncols * sizeof *t->colw);
    t->maxl = pdf_arena_alloc(c, ncols * sizeof *t->maxl);
    t->maxr = pdf_arena_alloc(c, ncols * sizeof *t->maxr);
    t->row_h = pdf_arena_alloc(c, (nrows ? nrows : 1) * sizeof *t->row_h);
    t->row_d = pdf_arena_alloc(c, (nrows ? nrows : 1) * sizeof *t->row_d);
    if (!t->head || !t->cells || !t->total || !t->align || !t->colw ||
        !t->maxl || !t->maxr || !t->row_h || !t->row_d)
        return -1;
    return 0;
}

/* ---- heights of the parts ------------------------------------------------ */

static double S_head_height(const pdf_tab *t)
{
    return S_TOPRULE + S_BELOW + t->head_h + t->head_d + S_ABOVE + S_MIDRULE +
           S_BELOW;
}

static double S_row_height(const pdf_tab *t, size_t i)
{
    double h = t->row_h[i] + t->row_d[i];
    if (t->total[i])
        h += S_ABOVE + S_TOTRULE + S_BELOW;
    if (i + 1 == t->nrows) {
        h += S_ABOVE + S_TOPRULE;
        if (t->note.n)
            h += 4 + t->note.h;
    }
    return h;
}

static double S_caption_height(const pdf_tab *t)
{
    return t->cap.n ? t->cap.h + 6.0 : 0;
}

/* Add the table's boxes to the vertical list. */
static int S_emit(pdf_ctx *c, pdf_tab *t)
{
    double total = S_caption_height(t) + S_head_height(t);
    for (size_t i = 0; i < t->nrows; i++)
        total += S_row_height(t, i);
    if (t->nrows == 0)
        total += S_ABOVE + S_TOPRULE;
    t->x = c->left + c->ind_l + (c->tw - c->ind_l - c->ind_r - t->width) / 2;
    if (pdf_vl_float_skip(c, 12, 2, 2) < 0)   /* \intextsep */
        return -1;
    /* The text after the table keeps its line spacing to the text before
     * it (right when the table floats away). */
    double pd = c->prev_depth;
    c->prev_depth = -1000.0;
    /* A table up to half the text height floats (it moves whole to the
     * next page while the text fills this one); a longer one is set in the
     * flow like LaTeX's longtable, broken between rows, its header repeated
     * under "Table N (continued)": as a float it could leave half a page
     * empty. */
    if (total <= c->th * 0.5 || t->nrows < 4) {
        pdf_vbox *vb = pdf_vbox_new(c, VB_TABLE);
        if (!vb)
            return -1;
        vb->tab = t;
        vb->part = PART_WHOLE;
        if (pdf_vl_box(c, total, 0, vb, c->o->tables_here ? 0 : VL_FLOAT, -1) < 0)
            return -1;
    } else {
        if (t->cap.n) {
            pdf_vbox *vb = pdf_vbox_new(c, VB_TABLE);
            if (!vb)
                return -1;
            vb->tab = t;
            vb->part = PART_CAPTION;
            if (pdf_vl_box(c, S_caption_height(t), 0, vb, 0, -1) < 0 ||
                pdf_vl_penalty(c, PB_INF) < 0)
                return -1;
        }
        pdf_vbox *hv = pdf_vbox_new(c, VB_TABLE);
        if (!hv)
            return -1;
        hv->tab = t;
        hv->part = PART_HEAD;
        if (pdf_vl_box(c, S_head_height(t), 0, hv, VL_HEADER, -1) < 0)
            return -1;
        /* the header of a continuation page: "(continued)" line + header */
        char lab[48];
        char num[16];
        snprintf(num, sizeof num, "%d", t->number);
        snprintf(lab, sizeof lab, c->lang->table_ref, num);
        if (pdf_caption_make(c, &t->cont, t->number ? lab : NULL, NULL, c->lang->continued,
                             c->tw - c->ind_l - c->ind_r, 0, 0) < 0)
            return -1;
        pdf_vbox *cv = pdf_vbox_new(c, VB_TABLE);
        if (!cv)
            return -1;
        cv->tab = t;
        cv->part = PART_CONT;
        double pd2 = c->prev_depth;   /* no interline glue around it: it */
        c->prev_depth = -1000.0;      /* is not in the flow */
        if (pdf_vl_box(c, t->cont.h + 4.0 + S_head_height(t), 0, cv, VL_HEADER | VL_ASIDE,
                       -1) < 0)
            return -1;
        c->prev_depth = pd2;
        long hidx = (long)c->nvl - 1;
        for (size_t i = 0; i < t->nrows; i++) {
            pdf_vbox *vb = pdf_vbox_new(c, VB_TABLE);
            if (!vb)
                return -1;
            vb->tab = t;
            vb->part = (int)i;
            /* Never a lone first or last row on a page. */
            double pen = (i == 1 || i + 1 == t->nrows) ? PB_INF : 0;
            if (pdf_vl_penalty(c, i == 0 ? PB_INF : pen) < 0 ||
                pdf_vl_box(c, S_row_height(t, i), 0, vb, 0, hidx) < 0)
                return -1;
        }
    }
    c->prev_depth = pd;
    return pdf_vl_float_skip(c, 12, 2, 2);
}

/* ---- drawing ------------------------------------------------------------- */

static void S_rule(pdf_ctx *c, double x, double y_top, double w, double th)
{
    HPDF_Page_Rectangle(c->page, (HPDF_REAL)x, (HPDF_REAL)(y_top - th),
                        (HPDF_REAL)w, (HPDF_REAL)th);
    HPDF_Page_Fill(c->page);
}

static int S_hl_draw(pdf_ctx *c, const pdf_hlist *hl, double x, double y)
{
    pb_line ln = { 0, hl->n, 0, 0, 0, 0 };
    return pdf_line_draw(c, hl, &ln, x, y);
}

static int S_row_draw(pdf_ctx *c, const pdf_tab *t, const S_cell *row,
                      int header, double y)
{
    double x = t->x;
    for (size_t j = 0; j < t->ncols; j++) {
        const S_cell *cl = &row[j];
        double cx = x + S_SEP(t), w = cl->wl + cl->wr, xx;
        int al = t->align[j];
        if (header && al == TBL_DECIMAL)
            al = TBL_CENTER;
        if (al == TBL_DECIMAL)
            xx = cx + (t->colw[j] - t->maxl[j] - t->maxr[j]) / 2 +
                 t->maxl[j] - cl->wl;
        else if (al == TBL_RIGHT)
            xx = cx + t->colw[j] - w;
        else if (al == TBL_CENTER)
            xx = cx + (t->colw[j] - w) / 2;
        else
            xx = cx;
        if (cl->lines) {
            double bskip = t->size * 11.0 / 9.0;
            for (size_t k = 0; k < cl->nlines; k++)
                if (pdf_line_draw(c, cl->l, &cl->lines[k], cx,
                                  y - (double)k * bskip) < 0)
                    return -1;
        } else if (S_hl_draw(c, cl->l, xx, y) < 0)
            return -1;
        if (cl->r && S_hl_draw(c, cl->r, xx + cl->wl, y) < 0)
            return -1;
        x += t->colw[j] + 2 * S_SEP(t);
    }
    return 0;
}

static double S_draw_head(pdf_ctx *c, const pdf_tab *t, double y)
{
    S_rule(c, t->x, y, t->width, S_TOPRULE);
    y -= S_TOPRULE + S_BELOW + t->head_h;
    if (S_row_draw(c, t, t->head, 1, y) < 0)
        return -1e9;
    y -= t->head_d + S_ABOVE;
    S_rule(c, t->x, y, t->width, S_MIDRULE);
    return y - S_MIDRULE - S_BELOW;
}

static double S_draw_row(pdf_ctx *c, const pdf_tab *t, size_t i, double y,
                         int page_end)
{
    if (t->total[i]) {
        y -= S_ABOVE;
        S_rule(c, t->x, y, t->width, S_TOTRULE);
        y -= S_TOTRULE + S_BELOW;
    }
    y -= t->row_h[i];
    if (S_row_draw(c, t, &t->cells[i * t->ncols], 0, y) < 0)
        return -1e9;
    y -= t->row_d[i];
    if (i + 1 == t->nrows) {
        y -= S_ABOVE;
        S_rule(c, t->x, y, t->width, S_TOPRULE);
        y -= S_TOPRULE;
        if (t->note.n) {
            y -= 4;
            if (pdf_caption_draw(c, &t->note, t->x, y) < 0)
                return -1e9;
            y -= t->note.h;
        }
    } else if (page_end) {
        /* A table continued on the next page closes with a light rule. */
        S_rule(c, t->x, y - S_ABOVE, t->width, S_MIDRULE);
    }
    return y;
}

int pdf_table_draw(pdf_ctx *c, const pdf_vbox *vb, double y, int last_on_page)
{
    const pdf_tab *t = vb->tab;
    if (vb->part == PART_WHOLE || vb->part == PART_CAPTION) {
        double capx = vb->x;
        if (t->cap.n && pdf_caption_draw(c, &t->cap, capx, y) < 0)
            return -1;
        y -= S_caption_height(t);
        if (vb->part == PART_CAPTION)
            return pdf_hpdf_ok(c);
    }
    if (vb->part == PART_CONT) {
        if (pdf_caption_draw(c, &t->cont, vb->x, y) < 0)
            return -1;
        y -= t->cont.h + 4.0;
    }
    if (vb->part == PART_WHOLE || vb->part == PART_HEAD || vb->part == PART_CONT) {
        y = S_draw_head(c, t, y);
        if (y < -1e8)
            return -1;
        if (vb->part == PART_HEAD || vb->part == PART_CONT)
            return pdf_hpdf_ok(c);
        for (size_t i = 0; i < t->nrows; i++) {
            y = S_draw_row(c, t, i, y, 0);
            if (y < -1e8)
                return -1;
        }
        if (t->nrows == 0)
            S_rule(c, t->x, y - S_ABOVE, t->width, S_TOPRULE);
        return pdf_hpdf_ok(c);
    }
    if (S_draw_row(c, t, (size_t)vb->part, y, last_on_page) < -1e8)
        return -1;
    return pdf_hpdf_ok(c);
}

/* ---- building ------------------------------------------------------------ */

/* The smallest type a table is set in before it counts as too wide. */
#define S_MIN_SIZE 6.0

/* The whole-point size below `size` at which a table `t->width` wide at
 * `size` fits `measure`: text widths scale with the size, the 2 S_COLSEP of
 * each column do not.  At least one point smaller, never below S_MIN_SIZE. */
static double S_scaled_size(const pdf_tab *t, double measure, double size)
{
    double gaps = 2 * S_COLSEP * (double)t->ncols, text = t->width - gaps;
    double want = text > 0 ? floor(size * (measure - gaps) / text) : S_MIN_SIZE;
    if (want > size - 1)
        want = size - 1;
    return want < S_MIN_SIZE ? S_MIN_SIZE : want;
}

static int S_fit(pdf_ctx *c, pdf_tab *t)
{
    double measure = c->tw - c->ind_l - c->ind_r;
    S_measure(t);
    /* 0.01 pt of slack: S_too_wide sets the gaps so the width equals the
     * measure exactly, and the sum may round a hair above it */
    return t->width <= measure + 0.01 ? 0 : 1;
}

/* Still wider than the text block at S_MIN_SIZE: an error naming the table
 * and both widths (issue 16: never content lost off the page). */
static int S_too_wide(pdf_ctx *c, pdf_tab *t, const doc_node *n, const char *name)
{
    double measure = c->tw - c->ind_l - c->ind_r;
    /* the columns closed up as far as S_MIN_SEP, if that is enough */
    double cols = 0;
    for (size_t j = 0; j < t->ncols; j++)
        cols += t->colw[j];
    double sep = (measure - cols) / (2.0 * (double)t->ncols);
    if (sep >= S_MIN_SEP) {
        t->sep = sep < S_SEP(t) ? sep : S_SEP(t);
        if (S_fit(c, t) == 0)
            return 0;
    }
    if (name)
        return err_at(c->e, LB_EXIT_INPUT, c->path, n->line, n->col,
                      "table '%s' (%zu columns) is %.1f pt wide even in %.0f pt type, wider "
                      "than the %.1f pt text block", name, t->ncols, t->width, S_MIN_SIZE,
                      measure);
    return err_at(c->e, LB_EXIT_INPUT, c->path, n->line, n->col,
                  "this table (%zu columns) is %.1f pt wide even in %.0f pt type with its "
                  "text wrapped, wider than the %.1f pt text block (use fewer or narrower "
                  "columns)", t->ncols, t->width, S_MIN_SIZE, measure);
}

static int S_table_gen(pdf_ctx *c, const doc_node *n, const tbl *tb);

int pdf_table_gen(pdf_ctx *c, const doc_node *n)
{
    if (!c->cat)
        return err_at(c->e, LB_EXIT_INPUT, c->path, n->line, n->col,
                      "table '%s' needs the computed example", n->name);
    const tbl *tb = cat_table(c->cat, n->spec ? n->spec : n->name);
    if (!tb && cat_has_table(c->cat, n->name))
        return err_nomem(c->e);   /* a known table whose build ran out of memory */
    if (!tb)
        return err_at(c->e, LB_EXIT_INPUT, c->path, n->line, n->col,
                      "unknown table '%s' (known: %s)", n->name,
                      cat_known_tables(c->cat));
    /* The catalogue writes English; other languages read a translated copy
     * (doc/langtext.h), measured here and then freed (the table keeps
     * its own copies of every string). */
    if (strcmp(c->lang->code, "en") == 0)
        return S_table_gen(c, n, tb);
    tbl *tr = langtext_table(c->lang, tb, c->e);
    int rc = tr ? S_table_gen(c, n, tr) : -1;
    tbl_free(tr);
    return rc;
}

static int S_table_gen(pdf_ctx *c, const doc_node *n, const tbl *tb)
{
    pdf_tab *t = pdf_arena_alloc(c, sizeof *t);
    if (!t || S_alloc(c, t, tb->ncols, tb->nrows) < 0)
        return -1;
    double measure = c->tw - c->ind_l - c->ind_r;
    /* Set at 9 pt.  Too wide: the widths just measured scale with the type
     * size (the column gaps do not), which gives the size to set it at
     * instead (S_MIN_SIZE at least); the trial's memory is released first,
     * so a table of 1000 rows costs one layout, not one per size tried. */
    pdf_arena_pos trial = pdf_arena_mark(c);
    for (double size = 9;;) {
        t->size = size;
        for (size_t j = 0; j < tb->ncols; j++) {
            t->align[j] = (int)tb->align[j];
            memset(&t->head[j], 0, sizeof t->head[j]);
            if (S_cell_text(c, &t->head[j], tb->header[j] ? tb->header[j] : "",
                            0, 0, size, n->line, n->col) < 0)
                return -1;
        }
        for (size_t i = 0; i < tb->nrows; i++) {
            t->total[i] = tb->rows[i].total;
            for (size_t j = 0; j < tb->ncols; j++) {
                const tbl_cell *tc = &tb->rows[i].cells[j];
                S_cell *cl = &t->cells[i * tb->ncols + j];
                memset(cl, 0, sizeof *cl);
                if (S_cell_text(c, cl, tc->text ? tc->text : "",
                                tb->align[j] == TBL_DECIMAL,
                                tc->mark || tb->rows[i].mark, size,
                                n->line, n->col) < 0)
                    return -1;
            }
        }
        if (S_fit(c, t) == 0 || size <= S_MIN_SIZE)
            break;
        size = S_scaled_size(t, measure, size);
        pdf_arena_release(c, trial);
    }
    if (S_fit(c, t) != 0 && S_too_wide(c, t, n, n->name) != 0)
        return -1;
    char label[32];
    snprintf(label, sizeof label, c->lang->table_fmt, n->number);
    t->number = n->number;
    if (pdf_caption_make(c, &t->cap, label, n->first_child, tb->caption,
                  measure, n->line, n->col) < 0)
        return -1;
    if (tb->note && tb->note[0]) {
        double nw = t->width > measure * 0.6 ? t->width : measure * 0.6;
        if (nw > measure) nw = measure;
        if (pdf_caption_make(c, &t->note, NULL, NULL, tb->note, nw, n->line,
                      n->col) < 0)
            return -1;
        t->note.center = 0;
        for (size_t k = 0; k < t->note.n; k++) {
            t->note.lines[k].ratio = 0;
            t->note.lines[k].fil_set = 0;
        }
    }
    return S_emit(c, t);
}

/* A table still too wide at the smallest size: give the wide text columns
 * (left-aligned, wider than an equal share) a fixed width and break their
 * cells into ragged-right lines, like LaTeX p{} columns. */
static int S_wrap(pdf_ctx *c, pdf_tab *t, double measure)
{
    double avail = measure - 2 * S_SEP(t) * (double)t->ncols;
    double fixed = 0, flex = 0;
    double share = avail / (double)t->ncols;
    int *wrap = pdf_arena_alloc(c, t->ncols * sizeof *wrap);
    if (!wrap)
        return -1;
    for (size_t j = 0; j < t->ncols; j++) {
        wrap[j] = (t->align[j] == TBL_LEFT || t->align[j] == TBL_CENTER) &&
                  t->colw[j] > share;
        if (wrap[j]) flex += t->colw[j];
        else fixed += t->colw[j];
    }
    if (flex <= 0 || fixed >= avail)
        return 0;   /* nothing sensible to wrap: leave it (it is shrunk) */
    for (size_t j = 0; j < t->ncols; j++) {
        if (!wrap[j])
            continue;
        double cw = (avail - fixed) * t->colw[j] / flex;
        if (cw < 20) cw = 20;
        /* never narrower than the column's widest word: a word is not cut
         * to fit (smaller type is tried instead) */
        for (size_t i = 0; i < t->nrows; i++) {
            const pdf_hlist *hl = t->cells[i * t->ncols + j].l;
            for (size_t k = 0; hl && k < hl->n; k++)
                if (hl->it[k].kind == PB_BOX && hl->it[k].width > cw)
                    cw = hl->it[k].width;
        }
        for (size_t i = 0; i < t->nrows; i++) {
            S_cell *cl = &t->cells[i * t->ncols + j];
            if (cl->wl + cl->wr <= cw)
                continue;
            size_t nl = 0;
            if (pdf_hl_finish(c, cl->l, cw) < 0 ||
                pdf_hl_ragged(c, cl->l, cw * 0.3) < 0 ||
                pdf_hl_break(c, cl->l, cw, &cl->lines, &nl) < 0)
                return -1;
            cl->nlines = nl;
            for (size_t k = 0; k < nl; k++) {
                cl->lines[k].ratio = 0;
                cl->lines[k].fil_set = 0;
            }
        }
    }
    S_measure(t);
    return 0;
}

int pdf_table_gfm(pdf_ctx *c, const doc_node *n)
{
    size_t ncols = n->n_cols > 0 ? (size_t)n->n_cols : 1, nrows = 0;
    const doc_node *head = NULL, *caption = doc_table_caption(n);
    for (const doc_node *r = n->first_child; r; r = r->next) {
        if (r->type != DOC_TABLE_ROW) continue;   /* the caption */
        if (r->header && !head) head = r;
        else nrows++;
    }
    pdf_tab *t = pdf_arena_alloc(c, sizeof *t);
    if (!t || S_alloc(c, t, ncols, nrows) < 0)
        return -1;
    for (size_t j = 0; j < ncols; j++) {
        doc_align a = n->aligns ? n->aligns[j] : DOC_ALIGN_NONE;
        t->align[j] = a == DOC_ALIGN_RIGHT ? TBL_RIGHT :
                      a == DOC_ALIGN_CENTER ? TBL_CENTER : TBL_LEFT;
    }
    pdf_arena_pos trial = pdf_arena_mark(c);   /* see S_table_gen */
    for (double size = 9;;) {
        t->size = size;
        size_t i = 0;
        for (const doc_node *r = n->first_child; r; r = r->next) {
            if (r->type != DOC_TABLE_ROW)
                continue;
            S_cell *row = r == head ? t->head : &t->cells[(i++) * ncols];
            size_t j = 0;
            for (const doc_node *cl = r->first_child; cl && j < ncols;
                 cl = cl->next, j++) {
                memset(&row[j], 0, sizeof row[j]);
                row[j].l = pdf_arena_alloc(c, sizeof *row[j].l);
                if (!row[j].l)
                    return -1;
                pdf_hl_init(c, row[j].l);
                const pdf_fam *fam = &pdf_fam_small;
                if (pdf_hl_inlines(c, row[j].l, cl->first_child, fam, size,
                                   NULL) < 0)
                    return -1;
                while (row[j].l->n && row[j].l->it[row[j].l->n - 1].kind ==
                       PB_GLUE)
                    row[j].l->n--;
            }
            for (; j < ncols; j++) {
                memset(&row[j], 0, sizeof row[j]);
                row[j].l = pdf_arena_alloc(c, sizeof *row[j].l);
                if (!row[j].l)
                    return -1;
                pdf_hl_init(c, row[j].l);
            }
        }
        if (!head)
            for (size_t j = 0; j < ncols; j++) {
                t->head[j].l = pdf_arena_alloc(c, sizeof *t->head[j].l);
                if (!t->head[j].l)
                    return -1;
                pdf_hl_init(c, t->head[j].l);
            }
        if (S_fit(c, t) == 0)
            break;
        /* Too wide: wrap the text columns; smaller type only if that is
         * not enough. */
        if (S_wrap(c, t, c->tw - c->ind_l - c->ind_r) < 0)
            return -1;
        if (S_fit(c, t) == 0 || size <= S_MIN_SIZE)
            break;
        size -= 1;   /* wrapped widths do not scale: one point at a time */
        pdf_arena_release(c, trial);
    }
    if (S_fit(c, t) != 0 && S_too_wide(c, t, n, NULL) != 0)
        return -1;
    if (caption) {   /* "Table: caption" (doc.h): numbered like a generated table */
        char label[32];
        snprintf(label, sizeof label, c->lang->table_fmt, n->number);
        t->number = n->number;
        if (pdf_caption_make(c, &t->cap, label, caption->first_child, NULL,
                             c->tw - c->ind_l - c->ind_r, n->line, n->col) < 0)
            return -1;
    }
    return S_emit(c, t);
}
