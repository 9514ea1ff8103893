/* check_names — the known value names nearest to a misspelled one, for the
 * message about an unknown claim ("sumexp/7" -> "sumexp/6, ...").
 *
 * Candidates come from the catalogue's own list of names (cat_known_values,
 * ranges spelled "1..6"): each pattern is filled with the numbers the
 * misspelled name holds, clamped into its ranges, and the candidates are
 * ranked by edit distance (Levenshtein) to the name.
 *
 * Ownership: nothing kept; buf is the caller's.
 */
#ifndef LB_CHECK_NAMES_H
#define LB_CHECK_NAMES_H

#include <stddef.h>
#include "compute/catalog.h"

/* The (up to) three nearest names as "sumexp/6, sumexp.shift/6, lse/6". */
void chk_names_nearest(const cat *c, const char *name, char *buf, size_t n);

/* Edit distance between a and b (insertions, deletions, substitutions);
 * strings longer than 255 bytes count as that far apart. */
size_t chk_names_distance(const char *a, const char *b);

#endif
