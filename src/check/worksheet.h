/* worksheet — a worksheet to practise the cross-entropy by hand, its key,
 * and the claims file to type the answers into (`lossbook --worksheet`).
 *
 * The worksheet is a Markdown template made for the example's shape: the
 * formulas, the logits table, one step table per position (j, token, z_j,
 * e^{z_j}, p_j, with the sum in the total row), the target's probability
 * and loss under it, and the mean at the end.  Every number is a value
 * directive; the chosen columns are fill-in blanks (`value:NAME?blank`),
 * which the PDF renderer draws as room to write, or fills in for the key
 * (pdf_opts.fill_blanks): the same template, so the same layout.
 *
 * The worksheet's example is plain (no ignore_index, smoothing or weights:
 * the sheet's formulas are the plain cross-entropy).  With a seed it is a
 * new one of the same shape (and token names): logits with one decimal in [-3, 3] (the sum of three uniform
 * integers in [-10, 10], divided by 10) and uniform targets, from
 * splitmix64, so a seed gives the same example on every machine.
 *
 * Ownership: returned strings are malloc'd and the caller's; the catalogue
 * is borrowed for the call.
 */
#ifndef LB_WORKSHEET_H
#define LB_WORKSHEET_H

#include "base/err.h"
#include "compute/catalog.h"

/* Columns that can be left blank (--blank COLS). */
enum {
    WS_EXPZ = 1u << 0,     /* e^{z_j}          (expz) */
    WS_SUM = 1u << 1,      /* the sum          (sum, sumexp) */
    WS_P = 1u << 2,        /* p_j              (p) */
    WS_PTARGET = 1u << 3,  /* p_target         (ptarget; implied by p) */
    WS_LOSS = 1u << 4,     /* the loss         (loss) */
    WS_MEAN = 1u << 5      /* the mean         (mean, loss.mean) */
};
#define WS_BLANK_DEFAULT (WS_EXPZ | WS_SUM | WS_P | WS_PTARGET | WS_LOSS | WS_MEAN)

/* A worksheet is worked by hand: at most this many positions and tokens. */
#define WS_MAX_N 24u
#define WS_MAX_V 12u

/* Parse "expz,sum,p,loss,mean" (NULL: the default).  p implies ptarget
 * (p_target is one of the p_j).  0, or -1 + LB_EXIT_INPUT naming the bad
 * column and the known ones. */
int ws_blank_parse(const char *cols, unsigned *mask, lb_err *e);

/* Can the example of `c` be worked by hand (N <= WS_MAX_N, V <= WS_MAX_V,
 * and, unless `seeded`, a target at every position)?  0, or -1 +
 * LB_EXIT_INPUT. */
int ws_check_size(const cat *c, int seeded, lb_err *e);

/* The worksheet's example as JSON: with `seeded`, a new example of c's
 * shape and token names from `seed`; without, c's own logits and targets. */
char *ws_example_json(const cat *c, int seeded, unsigned long long seed, lb_err *e);

/* The worksheet template for the (computed) worksheet example of `c`.
 * `key` only changes the title: the blanks are filled by the renderer.
 * `source` names the example in the text when not seeded. */
char *ws_markdown(const cat *c, unsigned mask, int seeded, unsigned long long seed,
                  const char *source, int key, lb_err *e);

/* The blanks as a claims CSV to fill in: a comment, "# example: FILE",
 * the header and one "name," row per blank, in the worksheet's order. */
char *ws_claims_csv(const cat *c, unsigned mask, int seeded, unsigned long long seed,
                    const char *example_file, lb_err *e);

#endif
