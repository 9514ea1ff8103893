/* cond — template control written as HTML comments: conditional blocks and
 * claims, decided by the example's values before anything is rendered.
 *
 *   <!-- if EXPR -->  ...  <!-- elif EXPR -->  ...  <!-- else -->  ...  <!-- end -->
 *   <!-- claim EXPR -->
 *
 * EXPR is the expression language of expr.h over the catalog's value names
 * (`loss/6 > 1`, `argmax/6 != target/6`, `shape.N == 1`).  A keyword may be
 * followed by a colon (`<!-- claim: ... -->`).  A comment whose first word
 * is not one of these is an ordinary comment and is dropped.  GitHub and
 * other Markdown previews hide comments, so a template previews as plain
 * prose (every branch shown).
 *
 * Where markers may stand:
 * - Block level: a marker alone in its paragraph (blank lines around it, or
 *   on a line of its own next to a heading, list, quote or another marker)
 *   controls the blocks between it and its partner, which must be siblings
 *   in the same container (the document, a list item, a quote).
 * - Inline: a marker inside a paragraph (or heading, emphasis, link text,
 *   table cell) controls the inlines between it and its partner, which must
 *   be in the same inline container.  Soft breaks at the edges of a
 *   paragraph that a condition emptied are dropped; a paragraph, item or
 *   quote left with nothing in it disappears.
 * Conditions are evaluated from the outside in: a condition inside a branch
 * that is not taken is not evaluated (its names are checked for spelling
 * only), nor is a claim inside one.
 *
 * Claims: a claim that does not hold stops the run (LB_EXIT_INPUT, nothing
 * written) with "FILE:LINE:COL: claim 'EXPR' is false: NAME = VALUE, ...",
 * every value the claim names listed with its full-precision value.
 *
 * Errors (LB_EXIT_INPUT, "FILE:LINE:COL: ..."): a syntax error in EXPR (the
 * column points into the comment), an unknown value name (with the known
 * names), a condition that is text, an `elif` / `else` / `end` without its
 * `if`, an `if` without its `end` in the same container, a second `else`,
 * and a figure or table directive placed inside an inline condition
 * (impossible: they stand alone in their paragraphs).
 *
 * Ownership: cond_apply changes d in place (removes every DOC_COMMENT and
 * the nodes of branches not taken, frees them) and only reads c.  Call
 * doc_number afterwards: numbers follow the kept content.
 */
#ifndef LB_COND_H
#define LB_COND_H

#include "base/err.h"
#include "compute/catalog.h"
#include "doc/doc.h"

int cond_apply(doc *d, const cat *c, lb_err *e);

#endif
