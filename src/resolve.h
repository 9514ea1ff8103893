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

#include "catalog.h"
#include "doc.h"
#include "err.h"

int res_check(const doc *d, const cat *c, lb_err *e);

/* Re-issue a catalog error (message without position) located at node n:
 * copies tmp->msg into e as "FILE:LINE:COL: msg".  Shared with renderers
 * that format values.  Always returns -1. */
int res_error_at(const doc *d, const doc_node *n, const lb_err *tmp,
                 lb_err *e);

#endif
