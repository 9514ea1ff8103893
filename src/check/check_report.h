/* check_report — a check's result as a teacher's correction, position by
 * position: each slip with its true value and the size of the error, what
 * the written values before it give, the values that follow from it, and
 * at the end the verdict on the mean (right, wrong because of the slips
 * above, or wrong on its own).
 *
 * One walk, two flavours: plain text for the terminal, and Markdown (with
 * $math$, wrong values in bold) for the errata sheet (check_errata.h).
 *
 * Ownership: the result is borrowed; returned strings are malloc'd and the
 * caller's.
 */
#ifndef LB_CHECK_REPORT_H
#define LB_CHECK_REPORT_H

#include <stdio.h>
#include "base/err.h"
#include "check/check.h"

typedef enum chk_flavour {
    CHK_TEXT = 0,   /* the terminal: ASCII formulas ("-ln 0.6179 = 0.4814") */
    CHK_MD          /* the errata sheet: Markdown with $math$ */
} chk_flavour;

/* "80 values: 49 right, 21 slips, 10 follow from them." */
char *chk_report_counts(const chk_result *r, chk_flavour fl, lb_err *e);

/* The corrections: every position with a claim, the batch, the mean, the
 * values outside the chain.  NULL + error (out of memory). */
char *chk_report_body(const chk_result *r, chk_flavour fl, lb_err *e);

/* The whole terminal report: what was checked against what, the counts,
 * the corrections.  0, or -1 + error (write failure). */
int chk_report_text(const chk_result *r, const char *example_path, FILE *f, lb_err *e);

/* A number as the report writes it: rounded to `d` decimals; with
 * `sign` an explicit '+' on positive values.  Infinity as "inf" (text) or
 * "$\infty$" (Markdown). */
void chk_report_num(double v, int d, int sign, chk_flavour fl, char *buf, size_t n);

/* A claim's step in words ("p_2", "the sum of exponentials"), or its value
 * name for a value outside the chain. */
void chk_report_step(const chk_item *it, chk_flavour fl, char *buf, size_t n);

#endif
