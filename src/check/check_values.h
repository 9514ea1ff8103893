/* check_values — what a check found, as named values a template can print
 * or test (the handout's "Checking your work" box says what check finds in
 * the source's hand calculation, computed, not typed):
 *
 *   check.claims          [int]   values written (blanks not counted)
 *   check.right           [int]   values that hold (rounded ones included)
 *   check.rounded         [int]   values that hold only by rounding
 *   check.wrong           [int]   wrong values: slips and what follows from them
 *   check.slips           [int]   slips (new and further)
 *   check.slips.new       [int]   new slips: everything before them holds
 *   check.slips.further   [int]   further slips: on top of an earlier one
 *   check.follows         [int]   wrong values that follow from a slip
 *   check.main            [text]  the largest slip's value name ("sumexp/4"):
 *                                 the one whose own error, what it adds to
 *                                 the values before it, is the largest
 *                                 relative to the true value ("" if none)
 *   check.main.pos        [int]   its position (0 for a batch value)
 *   check.main.step       [text]  its step in words ("the sum of exponentials")
 *   check.mean            [text]  the verdict on the mean: "right", "follows"
 *                                 (wrong because of the slips above), "own"
 *                                 (wrong on its own) or "none" (not written)
 *   check.losses.sum      [4]     the written losses added up, and their
 *   check.losses.mean     [4]     mean (when every position's loss is written)
 *   check.psum/K          [d]     the written p_j of position K added up (when
 *                                 every p_j is written; d: their decimals),
 *                                 which should be 1
 *   check.claim/NAME      [text]  the value NAME as written ("16.1676")
 *   check.true/NAME       [d]     its true value, d = its written decimals
 *   check.error/NAME      [d]     written minus true
 *   check.from/NAME       [d]     what the values written before it give
 *   check.status/NAME     [text]  right, rounded, slip, further, follows, blank
 *
 * Ownership: the result is borrowed for the call; nothing is kept.  A
 * catalogue given this provider borrows the result until cat_free.
 */
#ifndef LB_CHECK_VALUES_H
#define LB_CHECK_VALUES_H

#include "check/check.h"

/* A provider for the catalogue (cat_extra, catalog.h): `ctx` is the
 * chk_result.  0 and *out, or -1 when `name` is no check value (or names a
 * claim that was not written, or a value that does not exist for it). */
int chk_values_get(const void *ctx, const char *name, cat_extra_val *out);

/* "check.claims, check.right, ..., check.status/NAME" for messages. */
const char *chk_values_known(void);

#endif
