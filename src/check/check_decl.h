/* check_decl — how the steps of a cross-entropy hand calculation depend on
 * one another, declared (internal to src/check/; check.c interprets it).
 *
 * One row per step: the value-name pattern of its result, the operation,
 * and the patterns of what it is computed from:
 *
 *   z → e^z → sum of exponentials → p_j → p_target → loss → sum, mean
 *
 * plus the max-subtracted (log-sum-exp) route and the gradient.  The order
 * of the rows is the order of the steps within a position: the report
 * goes through a position's claims in this order.
 *
 * Slots in patterns: {K} a position 1..N and {J} a token 0..V-1, bound by
 * matching the result's name; in inputs also {Y} (position K's target)
 * and {*J} / {*K} (every token / every position).  Phrases (the step's
 * name in the report) may hold %J and %K.
 *
 * A result may have more than one row (p_j from e^{z_j} and their sum, or
 * from the max-subtracted e^{z_j - m} and theirs; the loss as -log p_y or
 * as log-sum-exp minus z_y): the first row names the step; check.c uses
 * for each claim the row whose inputs were written (most written inputs,
 * then the first row), so a slip on either route is followed.
 *
 * A relation that does not hold on the example's true values (a loss with
 * label smoothing is not -log p_target; a mean that skips ignored
 * positions is not the sum over N) is not used for that example: check.c
 * then compares those claims with their true values only.
 *
 * Ownership: static read-only data.
 */
#ifndef LB_CHECK_DECL_H
#define LB_CHECK_DECL_H

#include <stddef.h>

typedef enum chk_op {
    CHK_OP_INPUT,   /* an input of the example: nothing computes it */
    CHK_OP_EXP,     /* e^a */
    CHK_OP_LN,      /* ln a */
    CHK_OP_NEGLN,   /* -ln a */
    CHK_OP_SUM,     /* sum over the list */
    CHK_OP_MAX,     /* max over the list */
    CHK_OP_DIV,     /* a / b */
    CHK_OP_SUB,     /* a - b */
    CHK_OP_COPY,    /* a itself (p_target is p_y) */
    CHK_OP_MEANN,   /* a / N */
    CHK_OP_ONEHOT,  /* a - [J = y] (the gradient p_j - y_j) */
    CHK_OP_ADDLN    /* a + ln b (log-sum-exp as m + ln sum_j e^{z_j - m}) */
} chk_op;

typedef struct chk_rel {
    const char *name;      /* result pattern: "p/{K}/{J}" */
    chk_op op;
    const char *in[2];     /* input patterns (in[1] NULL for one input) */
    const char *text;      /* its name in the plain-text report: "p_%J" */
    const char *math;      /* in the errata sheet (Markdown + TeX): "$p_{%J}$" */
    const char *noun;      /* SUM, MAX: what the list holds ("exponentials") */
    const char *head;      /* short column header (TeX): "$p_j$", "$\\sum_j e^{z_j}$" */
} chk_rel;

extern const chk_rel chk_decl_rels[];
extern const size_t chk_decl_nrels;

#endif
