/* catalog_pick — which rows a table lists when it cannot list them all
 * (internal to src/compute/; the declarations in catalog_decl.c point at
 * these, catalog_build.c calls them through the declarations).
 *
 * Positions (tables with a row per position: logits, reshape, summary,
 * grad, gdstep): the first F positions, then those of the W with the
 * highest -log p_target that come later, in position order, with a "..."
 * row between (F = CAT_FIRST_ROWS, W = CAT_WORST_ROWS unless the directive
 * says first= / worst=); every position when there are at most F + W + 3.
 *
 * Tokens (step tables): every token in index order when the vocabulary is
 * small (V <= CAT_STEP_ALL_V, or --top-k K >= V), else the K tokens with the
 * largest probability in decreasing order and the target when it is not
 * among them; a "rest" row then adds up all the others.
 *
 * Ownership: pure functions of the borrowed model; out is the caller's.
 */
#ifndef LB_CATALOG_PICK_H
#define LB_CATALOG_PICK_H

#include <stddef.h>
#include "compute/catalog_decl.h"

size_t cat_pick_positions(const ex_model *m, size_t arg, const cat_topts *o, size_t *out,
                          size_t cap, size_t *gap);
const char *cat_pick_positions_note(const ex_model *m, size_t arg, const cat_topts *o,
                                    size_t count, size_t shown, char *buf, size_t n);

size_t cat_pick_tokens(const ex_model *m, size_t arg, const cat_topts *o, size_t *out,
                       size_t cap, size_t *gap);
const char *cat_pick_tokens_note(const ex_model *m, size_t arg, const cat_topts *o,
                                 size_t count, size_t shown, char *buf, size_t n);

/* 1 when step tables list every token; else how many top tokens they list
 * is cat_pick_topk. */
int cat_pick_all_tokens(const ex_model *m);
size_t cat_pick_topk(const ex_model *m);

#endif
