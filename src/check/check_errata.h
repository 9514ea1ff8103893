/* check_errata — the check's report as an errata sheet: a Markdown
 * template (front matter, the counts, a table per kind of step with the
 * claimed and the true values side by side and wrong claims in bold, the
 * corrections of check_report, the verdict on the mean) that main parses
 * into the document model and typesets with the handout's PDF renderer:
 * same fonts, tables and boxes, no second renderer.
 *
 * Everything in it is computed; the only text from outside is file names
 * (in code spans) and token names (escaped).
 *
 * Ownership: the result is borrowed; the returned text is malloc'd and the
 * caller's.
 */
#ifndef LB_CHECK_ERRATA_H
#define LB_CHECK_ERRATA_H

#include "base/err.h"
#include "check/check.h"

/* The errata sheet's template.  NULL + error (out of memory). */
char *chk_errata_markdown(const chk_result *r, const char *example_path, lb_err *e);

#endif
