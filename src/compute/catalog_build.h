/* catalog_build — the one generic engine that turns the declarations of
 * catalog_decl.h into values, text and tables (internal to src/compute/;
 * catalog.c serves its results through the public catalog.h).
 *
 * It may call catalog_names.c (patterns, value lookup, formatting),
 * catalog_decl.c (the lists) and table.c; it never calls catalog.c.
 *
 * Ownership: nothing here keeps state.  The model is borrowed for the call;
 * tables returned by cat_build_table and strings returned by
 * cat_build_known_* are the caller's (tbl_free / free).  Returned
 * declaration pointers point into the static lists.
 */
#ifndef LB_CATALOG_BUILD_H
#define LB_CATALOG_BUILD_H

#include <stddef.h>
#include "base/err.h"
#include "compute/catalog_decl.h"

/* The declaration in cat_decl_tables that a concrete name ("summary",
 * "step/4") names, with its argument's 0-based element in *arg (0 when it
 * takes none); NULL when none does. */
const cat_table_decl *cat_build_find_table(const ex_model *m, const char *name, size_t *arg);

/* The domain of a table's argument (step/{K} -> K), or NULL for a table
 * without one. */
const cat_dom *cat_build_table_domain(const cat_table_decl *d);

/* The concrete name of table d for argument arg: 0, or -1 when it does not
 * fit. */
int cat_build_table_name(const ex_model *m, const cat_table_decl *d, size_t arg,
                         char *buf, size_t n);

/* Build table d for argument arg (ignored when it takes none) with the
 * directive's options o (NULL: defaults).  NULL on error (e set: out of
 * memory, or a declaration the check would refuse). */
tbl *cat_build_table(const ex_model *m, const cat_table_decl *d, size_t arg,
                     const cat_topts *o, lb_err *e);

/* Check the value list (cat_names_check) and the tables t[0..nt) against it: every
 * pattern well formed and declared, every slot bound, every placeholder
 * resolvable on m.  0, or -1 with an LB_EXIT_RUNTIME message naming the
 * table and column ("catalog declaration: table 'grad' column 3: ..."). */
int cat_build_check(const ex_model *m, const cat_table_decl *t, size_t nt, lb_err *e);

/* Comma-separated list of the tables t[0..nt), argument ranges spelled out
 * ("logits, reshape, step/1..step/6, ...").  malloc'd; NULL when out of
 * memory. */
char *cat_build_known_tables(const ex_model *m, const cat_table_decl *t, size_t nt);

#endif
