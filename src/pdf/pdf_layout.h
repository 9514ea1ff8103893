/* pdf_layout — the PDF renderer's internal layout engine (not a public
 * API: only src/pdf/ and tests/test_pdf_*.c include it): line breaking
 * (pb_*, pdf_linebreak.c) and page breaking (vl_*, pdf_pagebreak.c).
 *
 * The renderer measures before it draws, in two TeX-like stages that know
 * nothing about libharu, fonts or the document model (so tests drive them
 * with synthetic items):
 *
 *  1. pb_break (pdf_linebreak.c): a paragraph is a horizontal list of
 *     boxes, glue and penalties (The TeXbook ch. 14); Knuth–Plass total-fit
 *     line breaking chooses the breaks, and every line gets the adjustment
 *     ratio that makes it end exactly at the measure (the last line is set
 *     by its fil glue).
 *
 *  2. vl_paginate (pdf_pagebreak.c): the page body is a vertical list of
 *     boxes (lines, rules, tables, figures), glue and penalties; a TeX-style
 *     page builder picks the least-cost break of each page, defers floats
 *     (figures, tables that fit on a page) that do not fit to the top of the
 *     next page, and repeats a split table's header row on the continuation
 *     pages.
 *
 * Ownership: pb_break and vl_paginate return malloc'ed arrays the caller
 * frees (pb_lines with free, pages with vl_pages_free).  Items are borrowed.
 */
#ifndef LB_PDF_LAYOUT_H
#define LB_PDF_LAYOUT_H

#include <stddef.h>
#include "base/err.h"

/* Penalties >= PB_INF forbid a break; <= -PB_INF force one. */
#define PB_INF 10000.0

/* ---- horizontal lists (line breaking) ---------------------------------- */

enum { PB_BOX, PB_GLUE, PB_PENALTY };

typedef struct pb_item {
    int kind;           /* PB_BOX / PB_GLUE / PB_PENALTY */
    double width;       /* box, glue: natural width; penalty: width added to
                           the line when broken here (a discretionary hyphen) */
    double stretch;     /* glue: finite stretch */
    double shrink;      /* glue: shrink */
    double fil;         /* glue: infinite-order stretch (parfillskip) */
    double penalty;     /* penalty value */
    int flagged;        /* penalty: a hyphen break (consecutive ones cost) */
} pb_item;

typedef struct pb_line {
    size_t start;       /* first item drawn (glue/penalties after a break
                           are discarded, as in TeX) */
    size_t end;         /* one past the last item drawn; == the break item */
    double ratio;       /* glue set ratio: glue width = w + ratio*stretch
                           (ratio >= 0) or w + ratio*shrink (ratio < 0);
                           fil glue takes the slack instead when present */
    int fil_set;        /* 1: slack went to fil glue, finite glue natural */
    int hyphen;         /* 1: broken at a flagged penalty: draw its width */
    double natural;     /* natural width of [start,end) (+ penalty width) */
} pb_line;

typedef struct pb_params {
    double pretolerance;     /* max badness in the first pass (TeX: 100;
                                < 0 skips that pass) */
    double tolerance;        /* max badness of a line in the second pass */
    double line_penalty;     /* added to every line's badness (TeX: 10) */
    double flagged_demerits; /* two hyphen breaks in a row (TeX: 3000) */
    double fitness_demerits; /* adjacent lines of very different tightness */
} pb_params;

/* Defaults close to plain TeX (pretolerance 100, tolerance 200, then 1000,
 * then any line that is not overfull). */
void pb_params_default(pb_params *p);

/* Break items[0..n) into lines of width `measure`.  The list must end with a
 * forced break (penalty <= -PB_INF).  Lines never exceed the measure as long
 * as no single unbreakable run of boxes does (callers split long words
 * first); where one does, its line is overfull (wider than the measure
 * with its glue fully shrunk: ratio -1) and the rest of the paragraph is broken as well as it can be.  Result: *lines
 * (malloc'ed, caller frees) and *nlines.  -1 + error on allocation failure
 * or a malformed list. */
int pb_break(const pb_item *items, size_t n, double measure,
             const pb_params *params, pb_line **lines, size_t *nlines,
             lb_err *e);

/* Width of glue item `g` when its line is set with `ln`'s ratio. */
double pb_glue_width(const pb_item *g, const pb_line *ln);

/* ---- vertical lists (page breaking) ------------------------------------ */

enum { VL_BOX, VL_GLUE, VL_PENALTY };

enum {
    VL_FLOAT = 1,      /* box may move to the top of the next page when it
                          does not fit on the current one (figures, tables) */
    VL_HEADER = 2,     /* box is a table header (repeated, never split off) */
    VL_FLOATSKIP = 4,  /* glue: (partly) the space around a float; when the
                          float moves to another page the glue shrinks to wb */
    VL_NOBREAK = 8,    /* glue: not a breakpoint even after a box (inside a
                          block kept together, e.g. a short boxed note) */
    VL_ASIDE = 16,     /* box: not part of the flow; only placed when another
                          box names it as its header (a split table's
                          "(continued)" header) */
    VL_INLIST = 32     /* box: part of a list (pdf_vl_box sets it inside
                          one); a page break between two such boxes holds
                          the waiting floats until the list has ended */
};

typedef struct vl_item {
    int kind;          /* VL_BOX / VL_GLUE / VL_PENALTY */
    double h, d;       /* box height above / depth below its baseline */
    double w, st, sh;  /* glue: natural, stretch, shrink */
    double pen;        /* penalty */
    int flags;         /* VL_FLOAT | VL_HEADER */
    long hdr;          /* box: index of a header box to repeat first when a
                          page starts with this box; -1 when none */
    void *ref;         /* what to draw (borrowed; owned by the renderer) */
    double wb;         /* VL_FLOATSKIP glue: width without the float */
} vl_item;

/* One entry of a finished page: a copy of the item's dimensions (so the page
 * builder can add its own glue: topskip, float separation) plus the item. */
typedef struct vl_ent {
    int kind;          /* VL_BOX or VL_GLUE */
    long idx;          /* item index, -1 for builder-made glue */
    double h, d, w, st, sh;
} vl_ent;

typedef struct vl_page {
    vl_ent *ents;      /* owned */
    size_t n;
    double ratio;      /* glue set ratio (same meaning as pb_line.ratio) */
    double natural;    /* natural height of the page body */
} vl_page;

typedef struct vl_params {
    double height;      /* text height */
    double topskip;     /* first baseline this far below the top (TeX 10pt) */
    double float_sep;   /* glue between top floats and the text */
    double float_sep_st, float_sep_sh;
    double max_ratio;   /* stretch at most this much (raggedbottom beyond) */
} vl_params;

void vl_params_default(vl_params *p, double text_height);

/* Break items into pages.  *pages (caller frees with vl_pages_free). */
int vl_paginate(const vl_item *items, size_t n, const vl_params *params,
                vl_page **pages, size_t *npages, lb_err *e);
void vl_pages_free(vl_page *pages, size_t npages);

/* Glue height of entry `g` on page `pg`. */
double vl_glue_height(const vl_ent *g, const vl_page *pg);

#endif
