/* pdf_ctx — render context shared by the PDF renderer's files (internal).
 *
 *   pdf.c        pdf_render: document setup, info, fonts, the run
 *   pdf_mem.c    arena, vertical-list helpers, cleanup
 *   pdf_break.c  Knuth-Plass line breaking (pdf_layout.h)
 *   pdf_vlist.c  page builder (pdf_layout.h)
 *   pdf_text.c   UTF-8 -> WinAnsi, inline runs -> horizontal lists, math
 *                boxes (or the marked fallback); measuring only
 *   pdf_blocks.c blocks -> vertical list (paragraphs, headings, lists,
 *                quotes, code, rules, display math, title block)
 *   pdf_table.c  booktabs tables (generated and GFM), captions
 *   pdf_figure.c figure boxes and captions
 *   pdf_fig.c    the picture itself (PNG now; vector SVG later)
 *   pdf_draw.c   drawing: text runs, set lines, formulas, pages, outline
 *
 * Memory: everything the layout allocates (hlists, boxes, strings) comes
 * from the context's arena (pdf_alloc), freed at once by pdf_ctx_release;
 * math boxes and figures are registered and freed there too.
 */
#ifndef LB_PDF_CTX_H
#define LB_PDF_CTX_H

#include <hpdf.h>
#include "pdf/pdf.h"
#include "pdf/pdf_layout.h"
#include "pdf/pdf_fonts.h"
#include "math/math.h"

/* Text fonts (WinAnsi encoded, extractable by pdftotext). */
enum {
    PF_RM, PF_IT, PF_BF, PF_BI, PF_TT,          /* 10pt family */
    PF_RM9, PF_IT9, PF_BF9, PF_TT9,             /* \small: captions, tables */
    PF_RM8, PF_TT8,                             /* \footnotesize */
    PF_SEC,                                     /* lmbx12: headings */
    PF_TITLE,                                   /* lmr17: title */
    PF_R12,                                     /* lmr12: author, date */
    PF_COUNT
};

/* A family: the fonts for roman / italic / bold / bold italic / code. */
typedef struct pdf_fam {
    int rm, it, bf, bi, tt;
} pdf_fam;
extern const pdf_fam pdf_fam_body, pdf_fam_small, pdf_fam_head,
    pdf_fam_title, pdf_fam_r12;

typedef struct pdf_font {
    const char *file;        /* "lmr10" (static) */
    HPDF_Font h;             /* owned by the HPDF_Doc */
    const afm_font *afm;     /* owned by the pdf_fonts */
} pdf_font;

/* A formula: typeset by math.h, or (fallback) a framed box showing its
 * source in typewriter. */
typedef struct pdf_mbox {
    double w, h, d;
    math_box *box;           /* registered in the context, NULL = fallback */
    char *src;               /* TeX source (arena), shown by the fallback */
    int display, line, col;  /* for re-layout and messages */
    double size;
} pdf_mbox;

/* Payload of one pb_item of a horizontal list. */
enum { HB_NONE = 0, HB_TEXT, HB_MATH };
typedef struct pdf_hbox {
    int kind;
    int font;                /* PF_* (text) */
    double size;             /* pt */
    char *s;                 /* WinAnsi bytes (arena) */
    size_t len;
    pdf_mbox *m;             /* HB_MATH */
    double h, d;             /* height/depth of the box */
    int strike;              /* draw a line through */
    const char *url;         /* inside a link: its target (doc-owned) */
} pdf_hbox;

typedef struct pdf_hlist {
    pb_item *it;             /* arena-backed arrays, parallel */
    pdf_hbox *hb;
    size_t n, cap;
} pdf_hlist;

/* Frames drawn behind consecutive boxes of one group on a page. */
enum { GRP_CODE = 1, GRP_QUOTE };
typedef struct pdf_grp {
    int kind;
    double x0, x1;           /* horizontal extent */
} pdf_grp;
#define PDF_MAX_GRP 8

/* Payload of a vertical-list box. */
enum { VB_LINE = 1, VB_RULE, VB_MATH, VB_TABLE, VB_FIGURE, VB_SPACE };
struct pdf_tab;
struct pdf_figbox;
typedef struct pdf_vbox {
    int kind;
    double x, w;             /* left edge and width of the content */
    int grp[PDF_MAX_GRP];    /* enclosing frames (indices into ctx->grps) */
    int ngrp;
    double pad_top, pad_bot; /* frame extends this far beyond the box */
    /* VB_LINE */
    const pdf_hlist *hl;
    pb_line line;
    int center;              /* set at natural width, centred in w */
    const pdf_hlist *label;  /* list label drawn left of x (natural width) */
    double label_right;      /* right edge of the label */
    /* headings: outline entry made when the box is drawn */
    const char *outline;     /* WinAnsi title (arena), NULL if none */
    int level;
    /* VB_RULE */
    double thick;
    /* VB_MATH */
    pdf_mbox *m;
    /* VB_TABLE */
    struct pdf_tab *tab;
    int part;                /* see pdf_table.c */
    /* VB_FIGURE */
    struct pdf_figbox *fig;
} pdf_vbox;

typedef struct pdf_ctx {
    const doc *doc;
    const cat *cat;
    const pdf_opts *o;
    lb_err *e;
    const char *path;        /* template path for messages */

    HPDF_Doc pdf;
    pdf_fonts *pf;
    const math_fonts *mf;    /* opts->mf, or mf_owned */
    math_fonts *mf_owned;    /* loaded here when the caller gave none */
    int hpdf_failed;
    pdf_font font[PF_COUNT];

    /* geometry, pt (PDF user space, y up) */
    double pw, ph;           /* paper */
    double tw, th;           /* text width / height */
    double left, top;        /* text block left edge, top edge */
    double footskip;         /* footer baseline below the text bottom */

    /* the vertical list */
    vl_item *vl;
    size_t nvl, capvl;
    double prev_depth;       /* TeX's \prevdepth; < -999 = ignore */
    double baselineskip;

    /* block state */
    double ind_l, ind_r;     /* current left/right indentation */
    int grp[PDF_MAX_GRP];
    int ngrp;
    pdf_grp *grps;
    size_t ngrps, capgrps;
    const pdf_hlist *pending_label;  /* attached to the next line box */
    double pending_label_right;
    int after_par;           /* previous block was a paragraph: indent */
    int list_depth;
    int quote_depth;
    const char *cur_url;     /* link target of the inlines being added */

    /* memory */
    void *arena;             /* chunk list */
    math_box **mboxes;
    size_t nmboxes, capmboxes;
    struct pdf_fig **figs;
    size_t nfigs, capfigs;

    /* drawing */
    HPDF_Page page;
    int page_no;
    HPDF_Outline outl[7];
} pdf_ctx;

/* ---- pdf.c: memory and vertical list ----------------------------------- */
/* Free the arena, vertical list, math boxes and figures (not the libharu
 * document, fonts or math fonts). */
void pdf_ctx_release(pdf_ctx *c);
void *pdf_alloc(pdf_ctx *c, size_t n);             /* zeroed; NULL + err */
char *pdf_strndup(pdf_ctx *c, const char *s, size_t n);
int pdf_vl_box(pdf_ctx *c, double h, double d, pdf_vbox *ref, int flags,
               long hdr);                          /* adds interline glue */
int pdf_vl_glue(pdf_ctx *c, double w, double st, double sh);
int pdf_vl_penalty(pdf_ctx *c, double pen);
pdf_vbox *pdf_vbox_new(pdf_ctx *c, int kind);      /* x/w/frames from state */
int pdf_hpdf_ok(pdf_ctx *c);            /* -1 after a libharu error */
int pdf_font_use(pdf_ctx *c, int font);            /* embed on first use */

/* ---- pdf_text.c --------------------------------------------------------- */
/* UTF-8 -> WinAnsi.  Characters outside cp1252 are appended to the hlist
 * as math (Greek, relations, arrows) by pdf_hl_text; this low-level form
 * writes '?' for them and reports their count.  Returns length. */
size_t pdf_utf8_to_winansi(const char *s, size_t n, char *out, size_t cap,
                           int *unmapped);
/* Same, but a character outside cp1252 becomes the visible text
 * "[U+XXXX]" (code blocks: never drop a character silently). */
size_t pdf_utf8_to_winansi_visible(const char *s, size_t n, char *out,
                                   size_t cap);
int pdf_hl_init(pdf_ctx *c, pdf_hlist *hl);
/* Append text (UTF-8) in font/size; spaces become glue; smart quotes and
 * dashes unless `literal` (code); non-cp1252 characters become math. */
int pdf_hl_text(pdf_ctx *c, pdf_hlist *hl, const char *s, size_t n,
                int font, double size, int literal, int strike,
                int line, int col);
/* Text with $...$ math spans (table cells, catalog captions, values). */
int pdf_hl_rich(pdf_ctx *c, pdf_hlist *hl, const char *s, int font,
                double size, int line, int col);
int pdf_hl_math(pdf_ctx *c, pdf_hlist *hl, const char *tex, double size,
                int line, int col);
int pdf_hl_box(pdf_ctx *c, pdf_hlist *hl, double w);     /* empty box */
int pdf_hl_glue(pdf_ctx *c, pdf_hlist *hl, double w, double st, double sh,
                double fil);
int pdf_hl_penalty(pdf_ctx *c, pdf_hlist *hl, double pen, double w,
                   int flagged);
/* Inline doc nodes (children of n) in the given base fonts.  Stops at and
 * returns (via *stop) a DOC_DMATH child so the caller can set it apart;
 * pass *stop = first child to resume from. */
int pdf_hl_inlines(pdf_ctx *c, pdf_hlist *hl, const doc_node *first,
                   const pdf_fam *fam, double size, const doc_node **stop);
/* Finish a paragraph: drop trailing glue, add parfillskip and the forced
 * break; split boxes wider than `measure` (hyphen breaks). */
int pdf_hl_finish(pdf_ctx *c, pdf_hlist *hl, double measure);
/* Knuth–Plass ragged right: interword glue becomes glue(0,+M) penalty(0)
 * glue(w,-M); call after pdf_hl_finish. */
int pdf_hl_ragged(pdf_ctx *c, pdf_hlist *hl, double M);
/* Natural width of the hlist (boxes + glue). */
double pdf_hl_width(const pdf_hlist *hl);
void pdf_hl_extent(const pdf_hlist *hl, size_t a, size_t b, double *h,
                   double *d);
int pdf_mbox_make(pdf_ctx *c, const char *tex, int display, double size,
                  int line, int col, pdf_mbox **out);
int pdf_mbox_draw(pdf_ctx *c, const pdf_mbox *m, double x, double y);
/* Lay the formula out again, smaller, until it is at most `measure` wide. */
int pdf_mbox_fit(pdf_ctx *c, pdf_mbox *m, double measure);
/* Draw a set line of `hl` with its baseline's left end at (x, y). */
int pdf_line_draw(pdf_ctx *c, const pdf_hlist *hl, const pb_line *ln,
                  double x, double y);
/* Draw WinAnsi text with AFM kerning, exact positions.  Returns width. */
double pdf_text_draw(pdf_ctx *c, int font, double size, const char *s,
                     size_t len, double x, double y);
double pdf_text_width(pdf_ctx *c, int font, double size, const char *s,
                      size_t len);

/* ---- pdf_blocks.c ------------------------------------------------------- */
int pdf_blocks(pdf_ctx *c, const doc_node *first);
/* LaTeX's \addvspace: the larger of this and the preceding skip. */
int pdf_addvspace(pdf_ctx *c, double w, double st, double sh);
/* The same for the space around a float (\intextsep), remembering what the
 * surrounding text asked for in case the float moves away. */
int pdf_float_skip(pdf_ctx *c, double w, double st, double sh);
int pdf_title_block(pdf_ctx *c);
/* Break `hl` into lines of the current measure and add them. */
int pdf_par_lines(pdf_ctx *c, pdf_hlist *hl, double measure, int ragged,
                  int center, double bskip, const char *outline, int level);

/* ---- pdf_table.c -------------------------------------------------------- */
int pdf_table_gen(pdf_ctx *c, const doc_node *n);   /* DOC_GENTABLE */
int pdf_table_gfm(pdf_ctx *c, const doc_node *n);   /* DOC_TABLE */
int pdf_table_draw(pdf_ctx *c, const pdf_vbox *vb, double y_top,
                   int last_on_page);

/* ---- pdf_figure.c ------------------------------------------------------- */
/* The one place that knows how a figure is stored (PNG now, SVG later). */
typedef struct pdf_fig pdf_fig;
/* The picture of figure node nd (pdf_fig.c): aspect = height / width;
 * natural_w = a raster picture's width at 96 pixels per inch (0 for SVG). */
pdf_fig *pdf_fig_load_node(pdf_ctx *c, const doc_node *nd, double *aspect, double *natural_w);
int pdf_fig_draw(pdf_ctx *c, pdf_fig *f, double x, double y_bottom,
                 double w, double h);
void pdf_fig_free(pdf_fig *f);
int pdf_figure(pdf_ctx *c, const doc_node *n);        /* DOC_FIGURE */
int pdf_figure_draw(pdf_ctx *c, const pdf_vbox *vb, double y_top);

/* ---- pdf_draw.c --------------------------------------------------------- */
int pdf_draw_pages(pdf_ctx *c, const vl_page *pages, size_t np);

#endif
