/* catalog_decl — the catalog's content, declared (internal to src/compute/;
 * the public API is catalog.h).
 *
 * Three read-only lists describe everything the template can name:
 *   cat_decl_domains  what an argument of a name ranges over: positions K,
 *                     tokens J, the confidence scenarios S, ...
 *   cat_decl_values   every value: its name pattern ("loss/{K}"), where it
 *                     comes from (a getter), its default format and a doc line
 *   cat_decl_tables   every table: name ("summary", or "step/{K}": one table
 *                     per position), caption, note, the domain its rows run
 *                     over, and its columns (header, alignment, the source of
 *                     each body cell and of the total row's cell)
 * catalog_build.c interprets them and catalog.c serves them; nothing declared
 * here calls either (getters read the ex_model only).
 *
 * Adding a table is adding a row to cat_decl_tables (and its column array);
 * adding a value is adding a row to cat_decl_values (with a getter when none
 * reads that field yet).  cat_build_check (catalog_build.h) verifies the
 * lists at cat_new: every pattern names a declared value, every slot is
 * bound, every placeholder resolves.
 *
 * Patterns and slots.  A name pattern is literal text with slots "{X}", X a
 * domain letter: "z/{K}/{J}", "conf.{S}.z/{E}".  A name matches a pattern
 * when its literal parts agree and each slot holds an element of X's domain
 * as the domain spells it (K "1".."N", J "0".."V-1", S "high", ...).  Getters
 * receive the slots as 0-based element indices, in pattern order.
 *
 * Text templates (captions, notes, headers, literal cells) may hold
 *   %{X}            the bound argument X itself (the position number, ...)
 *   %{pattern}      a value, slots filled from the table's bindings,
 *                   in its default format ("%{loss/{K}}", "%{shape.N}")
 *   %{pattern:F}    the same with format F: "logits" (the digits that show
 *                   the table's logits as typed, see CAT_CELL_LOGITS) or a
 *                   digit count 0..17
 * Only "%{" is special; TeX braces pass through.
 *
 * Ownership: all of it is static, read-only data and pure functions of the
 * borrowed ex_model.
 */
#ifndef LB_CATALOG_DECL_H
#define LB_CATALOG_DECL_H

#include <stddef.h>
#include "compute/example.h"
#include "compute/table.h"

/* ---- values -------------------------------------------------------------- */

/* Default format of a value (cat_value_decl.fmt): 0..17 digits after the
 * point, or one of these. */
enum {
    CAT_FMT_INT = -1,     /* integer, "%lld" */
    CAT_FMT_TEXT = -2,    /* a string (cat_val.text) */
    CAT_FMT_INPUT = -3,   /* as an input logit is typed: the fewest digits
                           * (1..4) that show it: 2.3, 0.1, -1.0 */
    CAT_FMT_G15 = -4      /* %.15g, shortest (the learning rate: "2", "0.05") */
};

enum { CAT_TEXT_MAX = 256 };

/* A value's content: v for numbers (integers too), text for CAT_FMT_TEXT. */
typedef struct cat_val {
    double v;
    char text[CAT_TEXT_MAX];
} cat_val;

typedef struct cat_value_decl cat_value_decl;

/* Fill o from the model; arg[i] is the i-th slot's 0-based element.
 * 0, or -1 when the arguments name nothing (the name is then unknown). */
typedef int (*cat_get_fn)(const ex_model *m, const cat_value_decl *d,
                          const size_t *arg, cat_val *o);

struct cat_value_decl {
    const char *name;     /* pattern, e.g. "loss/{K}" */
    cat_get_fn get;
    int rec;              /* the record and field the generic field getters */
    size_t off;           /* read (e.g. ex_step, offsetof(ex_step, loss)) */
    int fmt;              /* default format: digits 0..17 or CAT_FMT_* */
    const char *doc;      /* one line: what it is */
};

/* ---- domains ------------------------------------------------------------- */

typedef struct cat_dom {
    char letter;          /* the slot letter: 'K' */
    const char *noun;     /* plural, for remarks: "positions" */
    size_t (*count)(const ex_model *m);
    /* Numbered domains (show == NULL): element i is spelled first + i.
     * Named domains: show(m, i, o) sets o->text; is_int says it is a number
     * (shown in a table as an integer cell). */
    long long first;
    void (*show)(const ex_model *m, size_t i, cat_val *o);
    int is_int;
    const char *doc;
} cat_dom;

/* ---- tables -------------------------------------------------------------- */

/* Marks (bold) on a cell or row. */
enum {
    CAT_MARK_NONE = 0,
    CAT_MARK_ALWAYS,      /* e.g. the mean in the total row */
    CAT_MARK_TARGET       /* where the bound token J is position K's target */
};

/* cat_cell.fmt: 0 = the value's default; or one of these. */
#define CAT_CELL_LOGITS   1   /* the fewest digits (1..4) that show every
                               * logit the table is about as typed: row K's
                               * for a table with a position argument, else
                               * the example's (its first 100 000 logits) */
#define CAT_CELL_DIGITS(d) (100 + (d))   /* d = 0..17 digits */

/* The source of one cell: a value, the argument itself, or literal text. */
typedef struct cat_cell {
    const char *value;    /* a value pattern, slots bound by the table */
    char arg;             /* or: this bound argument itself ("{K}" -> 4) */
    const char *text;     /* or: literal text (a template, see above) */
    int fmt;              /* 0 or CAT_CELL_* */
    char sum;             /* value only: the sum of the value over this
                           * letter's whole domain (j = 0..V-1 even when
                           * the table shows fewer rows or columns) */
    int mark;             /* CAT_MARK_* */
    char rest;            /* value only, in the rest row: the sum of the value
                           * over the elements of this letter's domain that
                           * the table does not list */
} cat_cell;

typedef struct cat_col {
    const char *head;     /* header (a template: "$z_{%{J}}$") */
    tbl_align align;
    cat_cell cell;        /* every body row */
    cat_cell total;       /* the total row (tables with total = 1) */
    char each;            /* 0, or one column per element of this domain
                           * (the first CAT_MAX_EACH; a remark says so) */
    cat_cell rest;        /* the rest row (tables with a pick and rest = 1) */
    int (*when)(const ex_model *m);   /* NULL, or the column is shown only
                                       * when this says 1 (e.g. only with
                                       * options that make l_n differ) */
} cat_col;

/* Options of one table directive (table:summary?first=20&worst=5). */
typedef struct cat_topts {
    int first;            /* -1: the table's default */
    int worst;            /* -1: the table's default */
} cat_topts;

/* A row picker: the elements of the row domain the table lists, in order,
 * into out[cap]; returns how many.  *gap = the number listed before a cut
 * (a "..." row goes there), or the count when nothing is cut.  `arg` is the
 * table's argument (0 without one). */
typedef size_t (*cat_pick_fn)(const ex_model *m, size_t arg, const cat_topts *o, size_t *out,
                              size_t cap, size_t *gap);

typedef struct cat_table_decl {
    const char *name;     /* "summary", or one slot: "step/{K}" */
    const char *caption;  /* template; may hold $math$ */
    const char *note;     /* template or ""; remarks about cut rows and
                           * columns are appended */
    char rows;            /* the domain the body rows run over */
    size_t rows_max;      /* 0: every element; else the first rows_max */
    int rows_keep_target; /* also list position K's target token's row when
                           * it lies past rows_max (rows = 'J') */
    const char *rows_cut; /* remark when rows were cut; NULL: "The first R of
                           * C <noun> are shown." */
    int mark_row;         /* CAT_MARK_TARGET: bold the target token's row */
    cat_pick_fn pick;     /* NULL: rows_max decides; else the rows it picks
                           * (then rows_max is the capacity it may fill) */
    const char *(*pick_note)(const ex_model *m, size_t arg, const cat_topts *o,
                             size_t count, size_t shown, char *buf, size_t n);
                          /* the remark about the rows a pick left out */
    int rest;             /* a row after the body summing what was left out
                           * (cells from cat_col.rest) */
    int total;            /* a total row after the body */
    const cat_col *cols;
    size_t ncols;
} cat_table_decl;

/* Per-position tables list the first CAT_FIRST_ROWS positions and the
 * CAT_WORST_ROWS with the highest -log p_target after them (first= and
 * worst= change that, at most CAT_MAX_ROWS in all; data/positions.csv has
 * every position); tables with a column per token, CAT_MAX_EACH tokens.
 * Step tables list every token when V <= CAT_STEP_ALL_V, else the
 * CAT_STEP_TOPK most probable (ex_model.top_k changes it) and the target. */
#define CAT_MAX_ROWS 1000u
#define CAT_FIRST_ROWS 12u
#define CAT_WORST_ROWS 3u
#define CAT_MAX_EACH 12u
#define CAT_STEP_ALL_V 10u
#define CAT_STEP_TOPK 5u
#define CAT_MAX_STEP_ROWS 1001u
/* CAT_CELL_LOGITS looks at no more logits than this. */
#define CAT_MAX_DIGIT_SCAN 100000u

extern const cat_dom cat_decl_domains[];
extern const size_t cat_decl_ndomains;
extern const cat_value_decl cat_decl_values[];
extern const size_t cat_decl_nvalues;
extern const cat_table_decl cat_decl_tables[];
extern const size_t cat_decl_ntables;


#endif
