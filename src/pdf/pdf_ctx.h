/* pdf_ctx — the types every file of the PDF renderer shares (internal):
 * the render context, the text-font ids and families, formula boxes,
 * horizontal lists and the boxes of the vertical list.  Functions live in
 * one header per file; src/pdf/README.md lists the files, lowest first.
 *
 * Ownership: one pdf_ctx per pdf_render call (pdf.c), on its stack, set up
 * by pdf_ctx_init and released by pdf_ctx_release (pdf_ctx.c).  The context
 * owns the libharu document (pdf_hpdf.c), the arena every layout object
 * comes from (pdf_arena.c: hlists, hboxes, vboxes, tables, strings), the
 * vertical list (pdf_vlist.c), the frame groups (pdf_blocks.c), the math
 * boxes (pdf_mbox.c) and the pictures (pdf_picture.c).  doc, cat, o, e, mf
 * (unless mf_owned) are borrowed from the caller of pdf_render.
 */
#ifndef LB_PDF_CTX_H
#define LB_PDF_CTX_H

#include <hpdf.h>
#include "pdf/pdf.h"
#include "pdf/pdf_layout.h"
#include "pdf/pdf_fonts.h"
#include "pdf/pdf_math.h"
#include "pdf/pdf_cjkfont.h"
#include "pdf/pdf_cs.h"
#include "pdf/pdf_deflate.h"
#include "math/math.h"
#include "doc/lang.h"

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

/* A family: the fonts for roman / italic / bold / bold italic / code
 * (the families themselves: pdf_text.h). */
typedef struct pdf_fam {
    int rm, it, bf, bi, tt;
} pdf_fam;

typedef struct pdf_font {
    const char *file;        /* "lmr10" (static) */
    HPDF_Font h;             /* owned by the HPDF_Doc */
    const afm_font *afm;     /* owned by the pdf_fonts */
} pdf_font;

/* A formula typeset by math.h (pdf_mbox.c), or one top-level box of it
 * (a piece of a formula that lines may break around). */
typedef struct pdf_mbox {
    double w, h, d;          /* of what is drawn */
    math_box *box;           /* registered in the context (c->mboxes) */
    char *src;               /* TeX source (arena), for re-layout */
    const doc_node *node;    /* the formula's template node for positions
                                (borrowed from the doc; NULL when none) */
    int display, line, col;  /* for re-layout and messages */
    double size;
    pdf_math_part part;      /* what of `box` is drawn */
    int ecol;                /* piece: 1-based column of its source in src */
} pdf_mbox;

/* Payload of one pb_item of a horizontal list.  HB_MGLUE marks the glue
 * inside a formula (pdf_hl_ragged keeps it as it is). */
enum { HB_NONE = 0, HB_TEXT, HB_MATH, HB_CJK, HB_SLOT /* pdf_slot.h */, HB_MGLUE };
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
    /* HB_CJK: one character set in a CJK face (pdf_cjkfont.h); size is the
     * CJK size, font the Latin font it stands next to. */
    unsigned u;
    int face;                /* PDF_CJK_SONG / PDF_CJK_HEI */
    double dx;               /* drawn this far right of the box (a squeezed
                                opening mark gives up its left half) */
    int squeeze_tail;        /* the glyph's ink leaves its right half blank */
} pdf_hbox;

typedef struct pdf_hlist {
    pb_item *it;             /* arena-owned growable arrays, parallel
                                (pdf_arena_regrow) */
    pdf_hbox *hb;
    size_t n, cap;
    /* Spacing between scripts (pdf_cjk.h): the last character set (0 at
     * the start or after a forced break, PDF_CJK_BOX after a formula) and
     * a white space seen after it but not yet set, in pend_font/size. */
    unsigned last_u;
    unsigned char qopen[2];  /* an open ‘ / “ : 0 none, 1 Latin, 2 full-width */
    short sf;                /* TeX's \spacefactor after the last box (0 =
                                1000): a space after "end." is wider */
    int pend;
    int pend_font;
    double pend_size;
} pdf_hlist;

/* Frames drawn behind consecutive boxes of one group on a page. */
enum { GRP_CODE = 1, GRP_QUOTE };
typedef struct pdf_grp {
    int kind;
    double x0, x1;           /* horizontal extent */
} pdf_grp;
#define PDF_MAX_GRP 8

/* Payload of a vertical-list box (made by pdf_vbox_new, pdf_vlist.h; the
 * table and figure payloads are private to pdf_table.c / pdf_figure.c). */
enum { VB_LINE = 1, VB_RULE, VB_TABLE, VB_FIGURE, VB_SPACE };
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
    const char *outline;     /* UTF-8 title (arena), NULL if none */
    int level;
    /* VB_RULE */
    double thick;
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
    const lang_info *lang;   /* the template's language (doc/lang.h) */
    double leading;          /* body baselineskip factor (lang->leading) */

    HPDF_Doc pdf;            /* pdf_hpdf.c */
    pdf_fonts *pf;           /* fonts loaded into pdf (pdf_hpdf.c) */
    const math_fonts *mf;    /* opts->mf, or mf_owned */
    math_fonts *mf_owned;    /* loaded by pdf_render when opts gave none */
    int hpdf_failed;         /* libharu reported an error */
    pdf_cjkfont *cjk;        /* CJK faces, opened on first use (pdf_hpdf.c) */
    pdf_deflate *dz;         /* pages deflated while the next are drawn (pdf_hpdf.c) */
    pdf_font font[PF_COUNT]; /* pdf_text.c */

    /* geometry, pt (PDF user space, y up) */
    double pw, ph;           /* paper */
    double tw, th;           /* text width / height */
    double left, top;        /* text block left edge, top edge */
    double footskip;         /* footer baseline below the text bottom */

    /* the vertical list (pdf_vlist.c) */
    vl_item *vl;
    size_t nvl, capvl;
    double prev_depth;       /* TeX's \prevdepth; < -999 = ignore */
    double baselineskip;

    /* block state (pdf_blocks.c; read by pdf_vbox_new) */
    double ind_l, ind_r;     /* current left/right indentation */
    int grp[PDF_MAX_GRP];
    int ngrp;
    pdf_grp *grps;           /* every frame opened so far (malloc) */
    size_t ngrps, capgrps;
    const pdf_hlist *pending_label;  /* attached to the next line box */
    double pending_label_right;
    int after_par;           /* previous block was a paragraph: indent */
    int list_depth;
    int quote_depth;
    const char *cur_url;     /* link target of the inlines being added */

    /* memory (freed by pdf_ctx_release) */
    void *arena;             /* chunk list (pdf_arena.c) */
    void *arena_grow;        /* growable blocks of the arena (pdf_arena.c) */
    size_t arena_bytes;      /* bytes of chunks and blocks, < PDF_ARENA_MAX */
    math_box **mboxes;       /* pdf_mbox.c */
    size_t nmboxes, capmboxes;
    struct pdf_picture **pics; /* pdf_picture.c */
    size_t npics, cappics;
    struct pdf_prefetch *prefetch; /* SVGs parsed ahead (pdf_picture.c) */

    /* drawing (pdf_draw.c) */
    HPDF_Page page;
    pdf_cs cs;               /* the open text object on `page` (pdf_text.c) */
    int page_no;
    HPDF_Outline outl[7];
} pdf_ctx;

/* ---- pdf_ctx.c ---------------------------------------------------------- */
/* Zero `c` and set it up for one render: borrowed inputs, page geometry for
 * opts->paper, TeX's initial \prevdepth and \baselineskip. */
void pdf_ctx_init(pdf_ctx *c, const doc *d, const cat *ct,
                  const pdf_opts *opts, lb_err *e);
/* Free what the layout registered in `c`: the arena, the vertical list, the
 * frame groups, the math boxes and the pictures (not the libharu document,
 * its fonts or the math fonts: pdf_hpdf_free / math_fonts_free).  Safe on a
 * zeroed context; `c` can be released again afterwards. */
void pdf_ctx_release(pdf_ctx *c);
/* A warning at the template's line:col (0: none) through opts->warn:
 * "TEMPLATE:LINE:COL: warning: ...".  Dropped when there is no warn. */
void pdf_ctx_warn(pdf_ctx *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
