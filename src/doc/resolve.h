/* resolve — check every directive of a parsed template against the catalog
 * before anything is rendered, so a typo fails the run early with the
 * template's line:column instead of half-way through the PDF.
 *
 *   figure NAME  -> fig_find(NAME) (figures.h, the figure catalogue)
 *   table NAME   -> cat_has_table(c, NAME)
 *   value SPEC   -> cat_value_format(c, SPEC, ...) succeeds (name known and
 *                   the ?digits query accepted)
 * Errors (LB_EXIT_INPUT), first one in document order wins:
 *   "FILE:LINE:COL: unknown figure 'x' (known: exp, softmax3, ...)"
 *   "FILE:LINE:COL: unknown table 'x' (known: logits, reshape, ...)"
 *   "FILE:LINE:COL: <the catalog's message>" for values.
 *
 * Ownership: only reads d and c.
 */
#ifndef LB_RESOLVE_H
#define LB_RESOLVE_H

#include "base/img.h"
#include "compute/catalog.h"
#include "compute/example.h"
#include "doc/doc.h"
#include "base/err.h"
#include "math/math.h"

int res_check(const doc *d, const cat *c, lb_err *e);

/* Expand the directives that stand for several tables, in place:
 *   [](table:step/\*?first=K&worst=W)
 * becomes the step tables of positions 1..min(K, N) followed by those of
 * the W positions with the highest -log p_target (highest first), less any
 * among the first K; no option means every position.  The caption must be empty (each
 * table has its own).  The table's other options (first= / worst= on a
 * table with a row per position) are checked by res_check.  Call before
 * doc_number and res_check. */
int res_expand(doc *d, const ex_model *m, lb_err *e);

/* A picture figure (fig_src DOC_FIG_IMAGE): its file exists, is the PNG,
 * JPEG or SVG its extension says, and a kind the PDF can embed (8-bit,
 * non-interlaced PNG; grey or RGB baseline / progressive JPEG).  Errors at
 * the figure's line:column; out (may be NULL) gets the header.  res_check
 * calls it for every picture. */
int res_check_picture(const doc *d, const doc_node *n, img_info *out, lb_err *e);

/* Re-issue a catalog error (message without position) located at node n:
 * copies tmp->msg into e as "FILE:LINE:COL: msg".  Shared with renderers
 * that format values.  Always returns -1. */
int res_error_at(const doc *d, const doc_node *n, const lb_err *tmp,
                 lb_err *e);

/* Lay out every formula of the template ($...$, $$...$$, in text, captions
 * and cells) once, so a math error is reported before anything is drawn or
 * written: "FILE:LINE:COL: in formula '...': unknown command '\\foo'".
 * The boxes are thrown away; the renderers lay out again at their sizes. */
int res_check_math(const doc *d, const math_fonts *mf, lb_err *e);

/* Where character `ecol` (1-based, UTF-8 characters; 0 = the first) of the
 * formula `tex` lies in the template.  With the formula's node `n` (may be
 * NULL) its tex_map says it exactly, wherever md4c found the lines (a
 * display's formula on the line after its $$, indented in a list).
 * Without, the formula starts at line:col, its opening $ or $$, and a
 * multi-line display on the line after it. */
void res_math_pos(const doc_node *n, int line, int col, const char *tex, int display,
                  int ecol, int *oline, int *ocol);

/* Turn a math_layout failure into a template error at res_math_pos.  `le`
 * is math_layout's error, `ecol` its column (0: unknown).  The message
 * stays one line (the formula's newlines shown as spaces).  Returns -1. */
int res_math_error(const char *path, const doc_node *n, int line, int col, const char *tex,
                   int display,
                   int ecol, const lb_err *le, lb_err *e);

#endif
