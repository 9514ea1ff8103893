/* claims — what a hand calculation claims, read from a file: a JSON object
 *
 *   {"example": "llm-batch.json",
 *    "claims": {"sumexp/4": "16.1676", "loss/4": "0.4796", "loss.mean": "0.7643"}}
 *
 * or a CSV of `name,value` rows (an optional `name,value` header; `#` lines
 * are comments, and `# example: FILE` names the example).  Names are the
 * value names of the template directives; values are decimals as written
 * ("16.1676" keeps its four decimals; in JSON a string keeps them, a bare
 * number is taken as its text).  An empty value ("" or nothing after the
 * comma) is a blank left unanswered, not a claim.
 *
 * The reader checks only the form: JSON or CSV syntax, one claim per name
 * (a duplicate is an error at its second occurrence), every value a plain
 * decimal (-?digits[.digits], at most CLAIMS_MAX_DIGITS digits).  Whether
 * a name exists is for check.c, which knows the example; every item keeps
 * the line:column of its name and of its value for that message.
 *
 * Errors: one line "FILE:LINE:COL: what was expected", LB_EXIT_INPUT (a
 * file that cannot be opened is the user's: LB_EXIT_INPUT too).
 *
 * Ownership: claims_load / claims_load_buf return a set the caller frees
 * with claims_free; every string in it is owned by the set.
 */
#ifndef LB_CLAIMS_H
#define LB_CLAIMS_H

#include <stddef.h>
#include "base/err.h"

#define CLAIMS_MAX_FILE_BYTES (16u * 1024u * 1024u)
#define CLAIMS_MAX_ITEMS 1000000u
#define CLAIMS_MAX_NAME 200u
/* Digits of a claimed decimal, before and after the point together: the
 * mantissa stays an exact integer in a double. */
#define CLAIMS_MAX_DIGITS 15

typedef struct claims_item {
    char *name;           /* "sumexp/4" */
    char *text;           /* as written, trimmed: "16.1676"; "" = blank */
    int line, col;        /* of the name */
    int vline, vcol;      /* of the value */
} claims_item;

typedef struct claims {
    char *path;           /* as given, for messages */
    int csv;              /* 1 when read as CSV */
    char *example;        /* the example file it names, resolved against the
                           * claims file's folder; NULL when it names none */
    int ex_line, ex_col;  /* where it names it */
    size_t claims_at;     /* JSON: byte offset of the "claims" object */
    claims_item *items;   /* in file order */
    size_t n;
} claims;

/* Read and check the form of a claims file.  NULL + error. */
claims *claims_load(const char *path, lb_err *e);

/* The same from a buffer (need not be NUL-terminated); `name` is used in
 * messages and as the folder the example path is relative to. */
claims *claims_load_buf(const char *buf, size_t len, const char *name, lb_err *e);

void claims_free(claims *c);

/* A plain decimal: optional '-' or '+', digits, optionally '.' and digits;
 * at most CLAIMS_MAX_DIGITS digits.  0 with *mant (the digits as an
 * integer, signed) and *decimals (digits after the point), or -1. */
int claims_decimal(const char *s, long long *mant, int *decimals);

#endif
