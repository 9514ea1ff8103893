/* catalog_names — the catalog's namespace (internal to src/compute/):
 * argument domains, name patterns ("z/{K}/{J}"), looking a concrete value
 * name up among the declared values, and formatting a value.
 *
 * It may call catalog_decl.c (the lists and their getters) and table.c's
 * formatters; it never calls catalog_build.c or catalog.c, which call it.
 *
 * Ownership: no state.  The model is borrowed for the call; returned
 * declaration and domain pointers point into the static lists;
 * cat_names_known_values returns a malloc'd string the caller frees; a
 * cat_sb owns its buffer (free(b.p)).
 */
#ifndef LB_CATALOG_NAMES_H
#define LB_CATALOG_NAMES_H

#include <stddef.h>
#include "base/err.h"
#include "compute/catalog_decl.h"

/* The most slots one name pattern may have. */
#define CAT_MAX_SLOTS 4

/* Growable text: start from {0}; on allocation failure nomem is set and
 * further adds are ignored. */
typedef struct cat_sb {
    char *p;
    size_t len, cap;
    int nomem;
} cat_sb;

void cat_sb_add(cat_sb *b, const char *s, size_t n);
void cat_sb_puts(cat_sb *b, const char *s);
const char *cat_sb_str(cat_sb *b);   /* "" while empty */
void cat_sb_reset(cat_sb *b);        /* empty, buffer kept */

/* The domain of a slot letter, or NULL. */
const cat_dom *cat_names_domain(char letter);

/* Strict decimal s[0..len): digits only, no sign, no leading zero, in
 * [min, max].  0, or -1. */
int cat_names_parse_index(const char *s, size_t len, size_t min, size_t max, size_t *out);

/* How element i of a domain is spelled in names (o->text) and, when it is a
 * number, its value (o->v): K 0 -> "1", S 0 -> "high". */
void cat_names_spell(const ex_model *m, const cat_dom *dom, size_t i, cat_val *o);

/* The slot letters of a pattern, in order (letters[CAT_MAX_SLOTS]): their
 * count, or -1 when a slot is malformed or names no domain. */
int cat_names_slots(const char *pattern, char *letters);

/* Does the concrete name spell the pattern?  1 with arg[] the slots'
 * 0-based elements, else 0. */
int cat_names_match(const ex_model *m, const char *pattern, const char *name, size_t *arg);

/* The value declared with exactly this pattern ("loss/{K}"), or NULL. */
const cat_value_decl *cat_names_decl(const char *pattern);

/* The value a concrete name ("loss/4", "conf.high.z/0") names: its
 * declaration, its slots' elements in arg[CAT_MAX_SLOTS] and its content in
 * *o.  NULL when no declared value has that name. */
const cat_value_decl *cat_names_value(const ex_model *m, const char *name, size_t *arg,
                                      cat_val *o);

/* Text of a value: digits < 0 means the declaration's default format, else
 * that many digits (an integer with digits > 0 shows as "6.00"; text
 * ignores digits).  Returns the length it needed, like snprintf. */
int cat_names_format(const cat_value_decl *d, const cat_val *v, int digits,
                     char *buf, size_t n);

/* Append a pattern with its slots spelled as elements at[] (at != NULL) or
 * as their ranges ("1..6", "{high,moderate,low}"). */
void cat_names_render(cat_sb *b, const ex_model *m, const char *pattern, const size_t *at);

/* "shape.B, ..., z/1..6/0..4, ...": every value, malloc'd (NULL: no memory). */
char *cat_names_known_values(const ex_model *m);

/* Check the value list: patterns well formed, getters and docs present,
 * formats valid, names unique, each evaluable at its first element.  0, or
 * -1 with an LB_EXIT_RUNTIME "catalog declaration: value '...': ..." */
int cat_names_check(const ex_model *m, lb_err *e);

#endif
