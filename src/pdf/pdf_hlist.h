/* pdf_hlist — horizontal lists (pdf_hlist, pdf_ctx.h): the boxes, glue and
 * penalties of a paragraph, heading, caption or table cell, built from
 * inline doc nodes or text and handed to pb_break (pdf_linebreak.c).  Text
 * becomes one box per word in the text fonts (UTF-8 -> WinAnsi, smart quotes
 * and dashes), spaces become TeX interword glue, $...$ and characters that
 * cp1252 lacks (Greek, arrows, relations) become formula boxes, and a word
 * too wide for the measure gets discretionary hyphens.
 *
 * Three files, one module (prefix pdf_hl_), layered: pdf_hlist.c builds
 * items (text, words, formulas, glue); pdf_hlist_inline.c walks the
 * document's inline nodes onto it; pdf_hlist_break.c measures a finished
 * list and breaks it into lines.  The two upper files use the primitives
 * below marked "(module)"; pdf_hlist.c calls neither of them.
 *
 * Ownership: an hlist's arrays, its words and formula boxes come from the
 * arena (pdf_arena.h); the hlist struct itself is the caller's (usually
 * also arena).  URLs and doc nodes are borrowed from the document.
 */
#ifndef LB_PDF_HLIST_H
#define LB_PDF_HLIST_H

#include "pdf/pdf_ctx.h"

/* All functions: 0, or -1 + error in c->e (out of memory; a bad formula or
 * an unknown value as "TEMPLATE:LINE:COL: ..."). */
int pdf_hl_init(pdf_ctx *c, pdf_hlist *hl);
/* Append text (UTF-8) in font/size; spaces become glue; smart quotes and
 * dashes unless `literal` (code); non-cp1252 characters become math. */
int pdf_hl_text(pdf_ctx *c, pdf_hlist *hl, const char *s, size_t n,
                int font, double size, int literal, int strike,
                int line, int col);
/* Text with $...$ math spans (table cells, catalog captions, values). */
int pdf_hl_rich(pdf_ctx *c, pdf_hlist *hl, const char *s, int font,
                double size, int line, int col);
/* An inline formula as TeX sets one in a paragraph: its top-level boxes,
 * the glue between them (stretching and shrinking like TeX's medium and
 * thick spaces, never a breakpoint) and its breakpoints after relations
 * (\relpenalty 500) and binary operators (\binoppenalty 700) (math.h,
 * math_item). */
int pdf_hl_math(pdf_ctx *c, pdf_hlist *hl, const char *tex, double size,
                int line, int col);
/* The same for a DOC_MATH / DOC_DMATH node (positions inside it exact). */
int pdf_hl_math_node(pdf_ctx *c, pdf_hlist *hl, const doc_node *n, double size);
/* Items [a, b) of formula m (its pieces, glue, penalties) onto hl.  Each
 * run of boxes between breakpoints carries its own /ActualText, or with
 * `one_span` the whole formula's text spans them all (a formula that is
 * set on one line whatever its breakpoints: a display). */
int pdf_hl_mitems(pdf_ctx *c, pdf_hlist *hl, const pdf_mbox *m, size_t a, size_t b,
                  int one_span);
int pdf_hl_box(pdf_ctx *c, pdf_hlist *hl, double w);     /* empty box */
int pdf_hl_glue(pdf_ctx *c, pdf_hlist *hl, double w, double st, double sh,
                double fil);
int pdf_hl_penalty(pdf_ctx *c, pdf_hlist *hl, double pen, double w,
                   int flagged);
/* (module) Primitives shared by pdf_hlist_inline.c and pdf_hlist_break.c. */
/* Append one item; a pending interword space is set first. */
int pdf_hl_push(pdf_ctx *c, pdf_hlist *hl, pb_item it, pdf_hbox hb);
/* `hl` becomes `out`; hl's own arrays are released. */
void pdf_hl_replace(pdf_ctx *c, pdf_hlist *hl, const pdf_hlist *out);
/* Shrink hl's arrays to exactly its items (a finished list). */
void pdf_hl_trim(pdf_ctx *c, pdf_hlist *hl);
/* One Latin word (WinAnsi bytes s[0..n)) as a box, with its space factor. */
int pdf_hl_word(pdf_ctx *c, pdf_hlist *hl, const char *s, size_t n,
                int font, double size, int strike);
/* A worksheet's fill-in blank standing for `text` (pdf_slot.h). */
int pdf_hl_slot(pdf_ctx *c, pdf_hlist *hl, const char *text, int font, double size);
/* A space: pending interword glue, or with `literal` a fixed space (code). */
int pdf_hl_space(pdf_ctx *c, pdf_hlist *hl, int font, double size, int literal);

/* Inline doc nodes (first and its siblings) in the given base fonts.  With
 * `stop`, stops at a DOC_DMATH node and returns it in *stop (NULL when the
 * run ended) so the caller can set it apart; resume from (*stop)->next. */
int pdf_hl_inlines(pdf_ctx *c, pdf_hlist *hl, const doc_node *first,
                   const pdf_fam *fam, double size, const doc_node **stop);
/* Finish a paragraph: drop trailing glue, add parfillskip and the forced
 * break; split boxes wider than `measure` (hyphen breaks). */
int pdf_hl_finish(pdf_ctx *c, pdf_hlist *hl, double measure);
/* Knuth–Plass ragged right: interword glue becomes glue(0,+M) penalty(0)
 * glue(w,-M); call after pdf_hl_finish. */
int pdf_hl_ragged(pdf_ctx *c, pdf_hlist *hl, double M);
/* Break a finished `hl` into lines of `measure` (pb_break, default
 * parameters): *lines (arena, at least one slot) and *n.  An overfull line
 * (a box wider than the measure) is set and reported by one warning
 * (pdf_ctx_warn) naming the box's template line:column. */
int pdf_hl_break(pdf_ctx *c, const pdf_hlist *hl, double measure,
                 pb_line **lines, size_t *n);
/* The warnings pdf_hl_break gives, for lines broken by pb_break. */
void pdf_hl_overfull(pdf_ctx *c, const pdf_hlist *hl, const pb_line *ln, size_t nl,
                     double measure);
/* Natural width of the hlist (boxes + glue). */
double pdf_hl_width(const pdf_hlist *hl);
/* Largest height and depth of the boxes among items [a, b). */
void pdf_hl_extent(const pdf_hlist *hl, size_t a, size_t b, double *h,
                   double *d);

#endif
