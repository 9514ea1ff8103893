/* table — a generic table model shared by the PDF and Markdown renderers and
 * written as CSV for the data folder.
 *
 * Ownership: tbl_new returns a table the caller frees with tbl_free.  The
 * table copies every string given to a setter; pointers returned by getters
 * (and the public fields) are owned by the table and valid until tbl_free or
 * the next call that adds rows (rows may be reallocated).
 *
 * Text: header and cell text may contain inline TeX math between `$...$`
 * (e.g. "$z_j$", "$e^{z_j}$", "$-\\log p_{\\text{target}}$").  Outside math
 * the text is plain; it never contains '$' except as a math delimiter.
 *
 * Numbers: a numeric cell keeps the full-precision double (has_value = 1) and
 * a display text rounded from it with tbl_fmt_num (never from a rounded
 * value).  +inf displays as "$+\\infty$", -inf as "$-\\infty$", NaN as "NaN".
 * Formatting never depends on the process locale.
 */
#ifndef LB_TABLE_H
#define LB_TABLE_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"

typedef enum {
    TBL_LEFT = 0,
    TBL_RIGHT,
    TBL_CENTER,
    TBL_DECIMAL    /* numbers aligned on their decimal point */
} tbl_align;

typedef struct tbl_cell {
    char *text;        /* display text; never NULL once the row exists ("" default) */
    double value;      /* full precision; meaningful when has_value */
    int has_value;     /* 1 for numeric cells (CSV writes value, not text) */
    int is_int;        /* numeric cell holding an integer (CSV writes it as such) */
    int mark;          /* emphasise (bold): e.g. the target token's cell */
} tbl_cell;

typedef struct tbl_row {
    tbl_cell *cells;   /* ncols cells */
    int mark;          /* emphasise the whole row (the target row) */
    int total;         /* a total/summary row (sum, mean): renderers draw a rule above */
} tbl_row;

typedef struct tbl {
    char *name;        /* catalog name, e.g. "step/4" */
    char *caption;     /* default caption (may contain $math$); "" if unset */
    char *note;        /* optional footnote line under the table ("" if unset) */
    size_t ncols;
    char **header;     /* ncols strings ("" default) */
    tbl_align *align;  /* ncols */
    size_t nrows;
    tbl_row *rows;
    size_t cap_rows;
} tbl;

/* New empty table with ncols >= 1 columns (headers "", align RIGHT). */
tbl *tbl_new(const char *name, size_t ncols, lb_err *e);
void tbl_free(tbl *t);

int tbl_set_caption(tbl *t, const char *caption, lb_err *e);
int tbl_set_note(tbl *t, const char *note, lb_err *e);
int tbl_set_header(tbl *t, size_t col, const char *text, tbl_align align,
                   lb_err *e);

/* Append an empty row; returns its index, or -1 (e set). */
long tbl_add_row(tbl *t, lb_err *e);

/* Cell setters (row/col must exist; out of range is a programming error and
 * returns -1 with an LB_EXIT_RUNTIME error). */
int tbl_set_text(tbl *t, size_t row, size_t col, const char *text, lb_err *e);
/* Numeric cell: display = tbl_fmt_num(v, decimals). */
int tbl_set_num(tbl *t, size_t row, size_t col, double v, int decimals,
                lb_err *e);
/* Integer cell: display "%lld", value (double)v. */
int tbl_set_int(tbl *t, size_t row, size_t col, long long v, lb_err *e);
void tbl_mark_cell(tbl *t, size_t row, size_t col, int on);
void tbl_mark_row(tbl *t, size_t row, int on);
void tbl_total_row(tbl *t, size_t row, int on);

/* Borrowed cell pointer or NULL when out of range. */
const tbl_cell *tbl_cell_at(const tbl *t, size_t row, size_t col);

/* CSV (RFC 4180): one header row (the header text as is, math included),
 * then the rows; numeric cells as the shortest text that reads back to
 * the same double (tbl_fmt_repr; ints as integers; +inf "inf",
 * -inf "-inf", NaN "nan"), text cells quoted when they contain , " CR or LF.
 * RFC 4180 quoting, but lines end with "\n" (spreadsheets read it, gnuplot
 * and diff prefer it).  tbl_write_csv_fp writes to an open stream;
 * tbl_write_csv creates/truncates `path`; errors name the file and errno. */
int tbl_write_csv_fp(const tbl *t, FILE *fp, const char *path, lb_err *e);
int tbl_write_csv(const tbl *t, const char *path, lb_err *e);

/* Fixed-point text of v with `decimals` digits after the point (0..17),
 * rounded from the exact double (round-half-even on the binary value, as
 * printf does), '.' as decimal point whatever the locale, and no negative
 * zero ("-0.0000" -> "0.0000").  +inf -> "$+\\infty$", -inf -> "$-\\infty$",
 * NaN -> "NaN".  Returns the length it needed (like snprintf). */
int tbl_fmt_fixed(double v, int decimals, char *buf, size_t n);

/* tbl_fmt_fixed below TBL_SCI_FROM in size; from there on (e^{z} of a
 * large logit, whose fixed notation runs to hundreds of digits) math in
 * scientific notation, "$8.2331 \\times 10^{51}$" at 4 decimals (the
 * mantissa keeps the decimals, at least one).  Used for table cells and
 * catalogue values. */
#define TBL_SCI_FROM 1e9
int tbl_fmt_num(double v, int decimals, char *buf, size_t n);
/* Always scientific ("$1.4 \\times 10^{-17}$" at 1 decimal); 0, inf and
 * NaN as tbl_fmt_fixed. */
int tbl_fmt_sci(double v, int decimals, char *buf, size_t n);

/* %.17g text (round-trips through strtod) in the C locale; inf/-inf/nan as "inf"/"-inf"/"nan". */
int tbl_fmt_g17(double v, char *buf, size_t n);

/* Plain text of a header, cell or caption that may hold $math$, for
 * readers that are not TeX (CSV, alt text): dollars go; style commands
 * vanish with their argument kept ("$\mathcal{L}_{\text{BCE}}$" ->
 * "L_BCE"); a few symbols get an ASCII spelling (\infty "inf", \leq "<=",
 * \to "->", \cdot "*"); other commands lose their backslash
 * ("\log p" -> "log p", "\sigma" -> "sigma"); a superscript group becomes
 * "(...)" ("e^{z_j - m}" -> "e^(z_j - m)"); \frac{a}{b} becomes "(a)/(b)".
 * Text outside $...$ is kept as it is.  Returns `in` itself when it holds
 * no '$', else `out` (n bytes, truncated if needed). */
const char *tbl_tex_plain(const char *in, char *out, size_t n);

/* The shortest decimal that reads back to the same double, written as
 * Python's repr(float) writes it: "0.1", "100.0", "1e-05", "1e+16",
 * "-0.0", "inf", "-inf", "nan"; '.' whatever the locale.  Used for every
 * number in .csv and .dat files. */
int tbl_fmt_repr(double v, char *buf, size_t n);

/* printf-like formatting always in the C locale (used by datafiles). */
int tbl_snprintf_c(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
