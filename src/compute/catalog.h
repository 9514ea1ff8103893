/* catalog — named generated content (tables, values) that the
 * template's directives refer to, built from a computed example.

 *
 * Ownership: cat_new borrows the ex_model (it must stay alive and unchanged
 * until cat_free) and returns a catalog the caller frees with cat_free.
 * Tables returned by cat_table are owned by the catalog and valid until
 * cat_free; cat_table_build returns a fresh table the caller frees with
 * tbl_free.  Strings returned by cat_known_* are owned by the catalog.
 *
 * Memory: the tables without an argument are built by cat_new; step/K
 * tables are built on the first cat_table("step/K") and then cached, so a
 * 100 000-position example costs memory only for the step tables actually
 * referenced.
 * Tables with a row per position (logits, reshape, summary, grad, gdstep)
 * list the first 1000 positions and tables with a column per token the first
 * 12 tokens; their note then says so (data/points.dat has every position).
 *
 * Numbering: tables and value names count sequences, positions and rows
 * from 1 (b = 1..B, t = 1..T, n = K = (b-1)T + t = 1..N, as the handout
 * numbers them; PyTorch's 0-based row of logits.view(-1, V) is n - 1).
 * Token indices j / J are 0-based, as in the targets.  (ex_step's n, b, t
 * are 0-based.)
 *
 * Every table has a caption (may contain $math$) and may have a note (one
 * line shown under it).  Marked cells/rows (bold) and total rows (rule
 * above) are flagged in the tbl model.
 *
 * Declared, not hand-built: every table and value below is one entry of
 * catalog_decl.c (columns: header, alignment, the value each cell shows) and
 * one generic builder, catalog_build.c, makes them all.  Adding a table or a
 * value is adding a declaration there; cat_new checks the declarations.
 * The argument of a name ranges over a domain: K a position 1..N, J a token
 * 0..V-1, S a confidence scenario (given, lead, level, trail), L, Q, R a
 * row of a small fixed table (log p, BCE, random logits), C a true class
 * (2, 0).  Error messages list every value with
 * its ranges spelled out ("z/1..6/0..4").
 *
 * TABLES and VALUES: every one is declared, with its columns or its
 * default format and a line of description, in catalog_decl.c; README.md
 * ("Directives") lists them by group.  Names take options:
 *   values  "name?digits=N" (0..17 decimals), "name?unit=S,P" (the number
 *           and the singular S for exactly 1, else the plural P), joined by
 *           '&'; text values take none.  A number the default digits would
 *           show as zero gets two significant digits.
 *   tables  "name?first=F&worst=W" for tables with a row per position
 *           (catalog_pick.h).
 * A position argument K may be a number 1..N or first, best, worst (the
 * first position that counts, the highest and the lowest p_target).  A
 * value that an ignored position does not have is an error saying so.
 *
 * FIGURES are not here: their one catalogue is figures.h (fig_find,
 * fig_known_names).
 */
#ifndef LB_CATALOG_H
#define LB_CATALOG_H

#include <stddef.h>
#include "base/err.h"
#include "compute/example.h"
#include "compute/table.h"

typedef struct cat cat;

/* m must have been ex_compute'd.  NULL on error (e set; LB_EXIT_RUNTIME
 * "catalog declaration: ..." when a declaration in catalog_decl.c is
 * inconsistent). */
cat *cat_new(const ex_model *m, lb_err *e);
void cat_free(cat *c);

/* Borrowed table, or NULL for an unknown name (or out of memory while
 * building a table lazily).  spec is a name, or a name with the options of
 * a table with a row per position: "summary?first=20&worst=5" (the first
 * 20 positions and the 5 with the highest -log p_target after them; each
 * distinct spec is built once and cached). */
const tbl *cat_table(const cat *c, const char *spec);

/* A fresh copy built for `spec` (not cached): for writers that visit every
 * step table once.  Caller tbl_free's it.  NULL + error for unknown names
 * or bad options. */
tbl *cat_table_build(const cat *c, const char *spec, lb_err *e);

/* Is spec a table with options it takes?  0, or -1 with an LB_EXIT_INPUT
 * message without position ("unknown table ...", "table 'bce' takes no
 * options ..."). */
int cat_table_check(const cat *c, const char *spec, lb_err *e);

int cat_has_table(const cat *c, const char *name);

/* Enumerate every table name (fixed ones, then step/1..step/N):
 * i in [0, cat_table_count).  Writes the name into buf; returns 0 or -1. */
size_t cat_table_count(const cat *c);
int cat_table_name(const cat *c, size_t i, char *buf, size_t n);

int cat_has_value(const cat *c, const char *name);

/* Format a value for a directive: spec is "name" or "name?digits=N".  On
 * an unknown name or a bad query returns -1 with an LB_EXIT_INPUT message
 * WITHOUT a position, e.g. "unknown value 'loss/9' (known: loss.mean, ...)";
 * the caller re-issues it with err_at(file, line, col).  Numbers are rounded
 * from full precision, '.' decimal point, no "-0". */
int cat_value_format(const cat *c, const char *spec, char *buf, size_t n,
                     lb_err *e);

/* Full-precision numeric value (0) or -1 when unknown or textual. */
int cat_value_get(const cat *c, const char *name, double *v);

/* ---- values of another stage ----------------------------------------------
 * Values a later stage computes that templates may name too: the check of a
 * hand calculation a template discusses (front matter `claims:`; main
 * attaches check/check_values.c: "check.slips", "check.claim/loss.mean").
 * Names that begin with `prefix` are asked of get(); the catalog borrows
 * the provider and its ctx until cat_free.  One provider per catalog. */
typedef struct cat_extra_val {
    int is_text;          /* 1: text[]; 0: the number v */
    int digits;           /* v's default decimals (0: shown as an integer) */
    double v;
    char text[256];
} cat_extra_val;

typedef struct cat_extra {
    const char *prefix;   /* "check." */
    /* 0 and *o, or -1 when it has no value of that name */
    int (*get)(const void *ctx, const char *name, cat_extra_val *o);
    const void *ctx;
    const char *known;    /* its names, for "unknown value" messages */
} cat_extra;

/* Attach a provider (copied; its ctx borrowed).  0, or -1 + LB_EXIT_RUNTIME
 * when one is attached already. */
int cat_set_extra(cat *c, const cat_extra *x, lb_err *e);

/* Comma-separated lists for error messages ("logits, reshape, step/1..step/6,
 * summary, ...").  Owned by the catalog / static. */
const char *cat_known_tables(const cat *c);
const char *cat_known_values(const cat *c);

#endif
