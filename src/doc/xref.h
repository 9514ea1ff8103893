/* xref — cross-references.  A figure, a generated table or a heading can be
 * named, and `[x](ref:NAME)` in running text prints its number: "Figure 3",
 * "Table 5", "Section 6.2" ("Appendix A" for a lettered level-1 heading);
 * `[x](ref:NAME?form=number)` prints only "3" / "5" / "6.2", for "Tables 5
 * to 10".  Numbers are the ones doc_number gave, so inserting a table or a
 * section renumbers every reference.
 *
 * Equations: a display ($$...$$) is numbered when it is
 * \begin{equation}...\end{equation} or holds \label{NAME} or \tag{TEXT}
 * (amsmath; \notag / \nonumber take the number away, \tag* prints TEXT
 * without parentheses; math.h, math_meta).  Automatic numbers run 1, 2, 3
 * through the document; a \tag's text replaces it (and takes no number).
 * A reference to an equation prints "(3)" ("3" with ?form=number), as
 * amsmath's \eqref; inside a formula \eqref{NAME} and \ref{NAME} do the
 * same (xref_eq_number).
 *
 * Labels, in the order they are looked up:
 *   1. explicit: a figure's name (catalogue name, ```gnuplot name=, an
 *      image's ?name= or file stem) or its ?name= label; a generated
 *      table's ?name= label or its catalogue name ("step/4"); a Markdown
 *      table's "Table: caption {#LABEL}"; a heading's trailing {#LABEL};
 *   2. a heading's GitHub-style slug ("Back to backpropagation" ->
 *      "back-to-backpropagation"), when no explicit label matched.
 * Two gnuplot figures with the same name, one named like a built-in figure,
 * or two different picture files with the same name are an error at the
 * second (their files would collide).
 *
 * Errors (LB_EXIT_INPUT, at the reference's line:column): an unknown name
 * (the message lists up to a few known labels), a name two targets share,
 * a heading that has no number.
 *
 * Ownership: xref_resolve sets DOC_REF.target (a borrowed pointer into the
 * same tree) and `referenced` on targets; nothing else is allocated.
 */
#ifndef LB_XREF_H
#define LB_XREF_H

#include <stddef.h>
#include "base/err.h"
#include "doc/doc.h"
#include "math/math.h"
#include "doc/lang.h"

/* Number the displays (above), then resolve every DOC_REF of d (mdp_parse
 * calls it after doc_number).  A display whose formula does not parse is
 * left unnumbered here: res_check_math reports it. */
int xref_resolve(doc *d, lb_err *e);

/* The number of the display labelled `label` ("3", a \tag's text), NULL
 * when none.  Borrowed from the doc. */
const char *xref_eq_number(const doc *d, const char *label);
/* The same as a math_refs for math_layout_refs (\eqref, \ref). */
math_refs xref_math_refs(const doc *d);

/* A math node's TeX as report.md writes it, so that GitHub's MathJax shows
 * the same numbers as the PDF: \eqref{NAME} -> \text{(3)}, \ref{NAME} ->
 * \text{3}, \label{..} \notag \nonumber and the equation environment
 * dropped, and a numbered display without a \tag of its own ends in
 * \tag{3}.  Malloc'd (the caller frees); NULL + error on out of memory. */
char *xref_md_math(const doc *d, const doc_node *n, lb_err *e);

/* The printed text of a resolved reference into buf in the language `lg`
 * ("Figure 3", "图 3"; NULL: English). */
void xref_text(const doc_node *ref, const lang_info *lg, char *buf, size_t n);

/* The anchor id of a target for report.md links ("fig-relu",
 * "tab-step-4", "sec-6-2"): letters, digits and '-' only. */
void xref_anchor(const doc_node *target, char *buf, size_t n);

/* GitHub's heading id for a line of heading text ("6.2 The batch loss" ->
 * "62-the-batch-loss"): lower case, spaces to '-', punctuation dropped,
 * non-ASCII kept. */
void xref_slug(const char *text, char *buf, size_t n);

#endif
