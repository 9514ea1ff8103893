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
 * 0..V-1, S a confidence scenario (high, moderate, low), E an entry of its
 * logits 0..4, I a row of a small fixed table (declared as L for log p, Q
 * for BCE), C a true class (2, 0).  Error messages list every value with
 * its ranges spelled out ("z/1..6/0..4").
 *
 * TABLES                                        columns
 *   logits      [B*T, V] logits and targets     n, b, t, z_0 .. z_{V-1}, y_n
 *               (target's logit marked)
 *   reshape     (b, t) -> n mapping             b, t, n = (b-1)T + t, index n-1,
 *                                                 y_n, token
 *   step/K      one position, step by step      j, token, z_j, z_j - m, e^{z_j},
 *               (rows j, target row marked,       e^{z_j - m}, p_j; total row:
 *               caption has -log p_target,        sum e^{z_j}, sum e^{z_j - m},
 *               note has m, log-sum-exp, p_t)     sum p_j
 *   summary     per position + mean row         n, b, t, y_n, token, sum e^z,
 *                                                 p_target, -log p_target
 *   confidence  high / moderate / low           confidence, logits $[...]$, p_0,
 *                                                 -log p_0
 *   logp        p, log p, -log p at 8 p values  p, log p, -log p
 *   bce         binary CE, true label 1         Q, y, L_BCE
 *   multiclass  Q = [0.1, 0.2, 0.7]             Q, true class c, Q(c), -log Q(c)
 *   grad        p - y per position (caption     n, y_n, j = 0 .. V-1, row sum
 *               and note: the mean reduction
 *               divides by N; target marked)
 *   gdstep      one gradient-descent step       n, y_n, loss before, loss after,
 *               (caption states eta)              change; mean row
 *
 * VALUES  (default digits after the point in brackets; "int" = integer,
 *          "text" = string, "g" = %.15g, "z" = as the input logit was typed:
 *          the fewest digits (1..4) that show it, e.g. 2.3, 0.1, -1.0)
 *   shape.B shape.T shape.V shape.N          [int]  batch, sequence, vocab, B*T
 *   loss.mean                                [4]    mean cross-entropy
 *   loss.sum                                 [4]    sum over positions
 *   loss/K                                   [4]    -log p_target at position K
 *   loss.after/K                             [4]    same after the GD step
 *   loss.change/K                            [4]    loss.after/K - loss/K
 *   sumexp/K                                 [4]    sum_j e^{z_j}
 *   sumexp.shift/K                           [4]    sum_j e^{z_j - m}
 *   maxlogit/K                               [z]    m = max_j z_j
 *   lse/K                                    [4]    log-sum-exp m + log sum e^{z-m}
 *   ptarget/K                                [4]    p_target
 *   target/K                                 [int]  target token index
 *   token/K                                  [text] target token name (index if unnamed)
 *   pos.b/K  pos.t/K                         [int]  position K's (b, t), 1-based
 *   pos.index/K                              [int]  K - 1, its row in logits.view(-1, V)
 *   tokenname/J                              [text] name of token J
 *   z/K/J  z.shift/K/J                       [z]    logit of token J at position K; z_J - m
 *   expz/K/J expz.shift/K/J p/K/J grad/K/J   [4]    e^{z_J}, e^{z_J - m}, p_J, p_J - y_J
 *   gd.lr                                    [g]    learning rate
 *   gd.loss.before gd.loss.after             [4]    mean loss before/after the step
 *   gd.loss.drop  gd.loss.change             [4]    before - after; after - before
 *   conf.S.p conf.S.loss                     [4]    confidence scenarios (target 0)
 *   conf.S.z/E                               [z]    their logits
 *   conf.S.z                                 [text] the logits as $[5, 1, 0.1, 0, -1]$
 *   logp.p/I  logp/I  neglogp/I  (I = 1..8)  [2]/[4]/[4]  the log p table rows
 *   bce/I  bce.q/I  bce.y/I (I = 1..3)       [4]/[1]/[int] BCE loss, its Q (0.7 0.9 0.2), y
 *   multiclass/C  multiclass.q/C  (C = 2, 0) [4]/[1] -log Q(C) and Q(C)
 *   multiclass.dist/C                        [text] Q as $[0.1, 0.2, 0.7]$
 * A query "?digits=N" (N = 0..17) overrides the default of numeric values
 * (integers too: shape.N?digits=2 -> "6.00"); text values take no query.
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
 * building a step table lazily). */
const tbl *cat_table(const cat *c, const char *name);

/* A fresh copy built for `name` (not cached): for writers that visit every
 * step table once.  Caller tbl_free's it.  NULL + error for unknown names. */
tbl *cat_table_build(const cat *c, const char *name, lb_err *e);

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
