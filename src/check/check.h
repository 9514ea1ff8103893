/* check — compare a hand calculation's claims (claims.h) with the values
 * the catalogue computes for its example, step by step.
 *
 * Tolerance follows what was written: a claim with d decimals holds when it
 * is within one unit of its d-th decimal of the true value (|c - t| <=
 * 10^-d; so both roundings of a value that ends in ...5 pass, and a value
 * carried to fewer decimals is judged at that precision).  Values that are
 * integers by nature (target/K, shape.N, ...) must be exact.
 *
 * Each claim is also compared with what follows from the values written
 * before it (check_decl.h says which steps a step is computed from): the
 * written inputs stand for the interval of numbers that round to them, the
 * step is applied to those intervals, and the claim "follows" when it lies
 * within one unit of that interval.  Hence five verdicts:
 *
 *   right     within one unit of the true value;
 *   rounded   not within one unit of the true value, but what the step gives
 *             from written values that all hold: the error was carried by
 *             rounding, not made (it holds; the report says so);
 *   slip      wrong although everything it is computed from holds;
 *   further   wrong, computed from wrong values, and not what they give
 *             either: a further slip on top of an earlier one;
 *   follows   wrong only because what it is computed from is wrong.
 * A value outside the chain (gd.loss.after, ...) is right or a slip.
 *
 * Errors (LB_EXIT_INPUT, at the claim's line:column): a name the catalogue
 * does not know (with the nearest known names), a text value (token/K).
 *
 * Ownership: chk_run borrows the catalogue and the claims, which must
 * outlive the result; the caller frees the result with chk_free.
 */
#ifndef LB_CHECK_H
#define LB_CHECK_H

#include <stddef.h>
#include "base/err.h"
#include "compute/catalog.h"
#include "check/check_decl.h"
#include "check/claims.h"

/* Exit status of `lossbook check` when a claim is wrong. */
#define CHK_EXIT_WRONG 3

typedef enum chk_status {
    CHK_BLANK = 0,   /* left blank: not a claim */
    CHK_RIGHT,
    CHK_ROUNDED,
    CHK_SLIP,
    CHK_FURTHER,
    CHK_FOLLOWS
} chk_status;

/* Is a verdict a wrong claim (slip, further or follows)? */
int chk_is_wrong(chk_status s);
/* Is it a slip of its own (slip or further)? */
int chk_is_slip(chk_status s);

typedef struct chk_item {
    const claims_item *claim; /* borrowed from the claims */
    const chk_rel *rel;       /* its step; NULL for a value outside the chain */
    const chk_rel *route;     /* the row of that step it was checked by (the
                               * route whose inputs were written): what
                               * `from` and `in` are; NULL when none */
    size_t pos;               /* position K = 1..N; 0 for batch and other values */
    long tok;                 /* token J, or -1 */
    int group;                /* 0 a position, 1 the batch (loss.sum, loss.mean), 2 other */
    chk_status status;
    int decimals;             /* written decimals d; unit 10^-d */
    double claimed, truth;
    /* What the written values before it give (has_from: the step holds for
     * this example and at least one written value goes into it). */
    int has_from;
    int has_step;             /* the step holds for this example: in[] and
                               * from are set (from the true inputs when
                               * nothing written goes into it) */
    double from;              /* from the written values themselves */
    double from_lo, from_hi;  /* from every value that rounds to them */
    int n_in, n_in_written;   /* its inputs, and how many of them were written */
    double in[2];             /* the first two inputs as used (written or derived) */
    int in_dec[2];            /* their written decimals, -1 when derived */
    long cause;               /* follows / further: the wrong value (index in
                               * items) it is computed from; right: the wrong
                               * value that goes into it but does not give
                               * it (it was not computed from it); or -1 */
    long root;                /* follows: the slip the chain of causes starts at */
} chk_item;

typedef struct chk_result {
    const cat *c;             /* borrowed */
    const claims *cl;         /* borrowed */
    size_t N, V;
    chk_item *items;          /* report order: positions 1..N (steps in
                               * check_decl order, then tokens), the batch,
                               * other values in file order */
    size_t n;
    size_t n_claims;          /* items that are not blank */
    size_t n_right, n_rounded, n_slip, n_further, n_follows, n_blank;
    long sum, mean;           /* index of loss.sum / loss.mean, or -1 */
    /* The losses as written, when every position's loss/K is claimed (and
     * the sum relation holds): their sum and mean. */
    int have_losses;
    double losses_sum, losses_mean;
} chk_result;

/* Check every claim.  NULL + error (bad name: LB_EXIT_INPUT with the
 * claim's position; out of memory: LB_EXIT_RUNTIME). */
chk_result *chk_run(const cat *c, const claims *cl, lb_err *e);
void chk_free(chk_result *r);

/* Wrong claims (slip + further + follows). */
size_t chk_wrong(const chk_result *r);

/* The item of a claimed name, or -1. */
long chk_find(const chk_result *r, const char *name);

#endif
