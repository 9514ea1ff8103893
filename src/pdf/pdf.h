/* pdf — typeset the document model (doc.h) into a PDF with libharu, set like
 * a LaTeX article at 10pt: Latin Modern Type 1 fonts (embedded), justified
 * paragraphs broken by total fit, numbered headings, lists, quotes, code,
 * booktabs tables, figures with numbered captions, running page numbers, an
 * outline from the headings and document info from the front matter.
 *
 * Internals: pdf_layout.h (line and page breaking),
 * pdf_ctx.h (render context shared by pdf_*.c).
 *
 * Reproducible: the same doc, catalog, figures and options give a
 * byte-identical file (no random IDs; dates come from opts->date only).
 *
 * Ownership: pdf_render borrows everything; it writes `out_path` (replacing
 * it) and leaves nothing else behind.  On failure the file may be missing or
 * partial: callers write into a staging folder (outdir.h).
 */
#ifndef LB_PDF_H
#define LB_PDF_H

#include "base/err.h"
#include "doc/doc.h"
#include "compute/catalog.h"
#include "math/math.h"

typedef enum pdf_paper {
    PDF_PAPER_A4 = 0,     /* 595.276 x 841.890 pt */
    PDF_PAPER_LETTER      /* 612 x 792 pt */
} pdf_paper;

typedef struct pdf_opts {
    pdf_paper paper;
    const char *figures_dir; /* folder holding NAME.svg for figure:NAME
                                (borrowed; NULL = "figures") */
    const char *fontdir;     /* texmf fonts root (afm/ tfm/ type1/ enc/);
                                NULL = /usr/share/texmf/fonts */
    const math_fonts *mf;    /* math fonts already loaded (borrowed, must
                                match fontdir); NULL = pdf_render loads them */
    int fill_blanks;         /* 1: fill-in blanks (value:NAME?blank) show their
                                values (a worksheet's key); 0: only the rule */
    int tables_here;         /* 1: a table that fits on a page stays where it
                                is in the text, never floats (LaTeX's [H]):
                                worksheets, whose text refers to the table
                                just above it */
    long long date;          /* document date, seconds since the epoch (UTC),
                                for CreationDate/ModDate and the title block
                                when the front matter has no date; < 0: none */
    /* Warnings (a formula too wide for its line, TeX's overfull box): one
     * line each, "TEMPLATE:LINE:COL: warning: ...", handed to warn(ctx,
     * msg) during pdf_render; NULL drops them.  The run still succeeds. */
    void (*warn)(void *ctx, const char *msg);
    void *warn_ctx;
    int whole_fonts;         /* 1: embed Type 1 programs whole, as libharu
                                does (tests compare rasters); 0: subset them
                                to the glyphs drawn (pdf_t1sub.h) */
    int classic_xref;        /* 1: libharu's file as it writes it (PDF 1.3,
                                plain dictionaries, an xref table), not
                                packed into object streams (pdf_objstm) */
    int hpdf_content;        /* 1: text and figure paths through libharu's
                                own operators (a text object per word,
                                float numbers), as before the content writer
                                (pdf_cs.h; tests compare rasters); 0: the
                                content writer */
} pdf_opts;

/* Defaults: A4, "figures", system fonts, no date, no warnings. */
void pdf_opts_default(pdf_opts *o);

/* Render `d` (resolved against `c`; c may be NULL when the doc has no
 * directives) to `out_path`.  0 on success; -1 + error: bad math or an
 * unknown value/table name as "TEMPLATE:LINE:COL: ..." (LB_EXIT_INPUT), a
 * missing figure file, font or write failure (LB_EXIT_RUNTIME). */
int pdf_render(const doc *d, const cat *c, const pdf_opts *opts,
               const char *out_path, lb_err *e);

/* The Latin Modern AFMs (file bases, static) the renderer measures text
 * with beyond the math fonts: what to pass math_fonts_start to have them
 * loaded with the math fonts (issue 15). */
const char *const *pdf_text_font_files(size_t *n);

#endif
