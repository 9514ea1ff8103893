/* expr — the small expression language of template conditions and claims
 * (`<!-- if EXPR -->`, `<!-- claim EXPR -->`, see cond.h and README.md).
 *
 *   expr    := or
 *   or      := and { "||" and }
 *   and     := not { "&&" not }
 *   not     := "!" not | cmp
 *   cmp     := sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum ]
 *   sum     := prod { ("+" | "-") prod }
 *   prod    := unary { ("*" | "/") unary }
 *   unary   := "-" unary | atom
 *   atom    := NUMBER | STRING | NAME | FUNC "(" expr { "," expr } ")"
 *            | "true" | "false" | "(" expr ")"
 *   NUMBER  := decimal literal as in C (12, 0.5, 1e-3); no sign
 *   STRING  := "..." (no escapes, no newline) — compares with text values
 *   NAME    := a value name of the catalog: a letter, then letters, digits,
 *              '_', '.', and '/' when the next character is a letter, digit
 *              or '_' (so `loss/6` is one name; write division with spaces:
 *              `loss.sum / shape.N`)
 *   FUNC    := abs(x) min(x, y, ...) max(x, y, ...) ln(x) exp(x) sqrt(x)
 *              round(x) round(x, d) floor(x) ceil(x)
 *
 * Semantics: numbers are doubles; a comparison or a logical operator gives
 * 1 or 0; a condition holds when its value is a number other than 0 (NaN
 * does not hold).  `&&` and `||` short-circuit: the right operand is not
 * evaluated (its names not looked up) when the left decides.  Text values
 * take only == and != (with text); anything else with text is an error.
 * round(x, d) rounds half away from zero to d decimals (0 <= d <= 17), so a
 * claim can speak of a displayed value: round(loss/5, 4) == 0.7609.
 *
 * Ownership: expr_parse returns a tree the caller frees with expr_free; it
 * keeps no pointer to the source text.  Lookups happen through the caller's
 * callback during expr_eval only.
 */
#ifndef LB_EXPR_H
#define LB_EXPR_H

#include <stddef.h>
#include "base/err.h"

#define EXPR_MAX_TEXT 128
/* Bounds on input that must not exhaust the stack: depth of nesting. */
#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_LEN 4096

typedef enum { EXPR_NUM = 0, EXPR_TEXT } expr_kind;

typedef struct expr_val {
    expr_kind kind;
    double num;                 /* EXPR_NUM */
    char text[EXPR_MAX_TEXT];   /* EXPR_TEXT (NUL-terminated) */
} expr_val;

typedef struct expr expr;

/* Look a name up.  Return 0 with *out filled, or -1 with e set (a message
 * without position, e.g. "unknown value 'x' (known: ...)"). */
typedef int (*expr_lookup_fn)(void *ctx, const char *name, expr_val *out, lb_err *e);

/* Parse src[0..len).  On a syntax error returns NULL, sets e (LB_EXIT_INPUT,
 * message without position, e.g. "expected ')' after the arguments of
 * 'min'") and *err_off to the byte offset in src where it was found. */
expr *expr_parse(const char *src, size_t len, size_t *err_off, lb_err *e);

void expr_free(expr *x);

/* Evaluate.  0 and *out, or -1 with e set (a lookup failure, or a type
 * error such as "'<' needs two numbers") and *err_off at the offending
 * name or operator in the source (may be NULL). */
int expr_eval(const expr *x, expr_lookup_fn fn, void *ctx, expr_val *out,
              size_t *err_off, lb_err *e);

/* Truth of a value: a number other than 0 (NaN is false); text is an error
 * ("a condition must be a number or a comparison"). */
int expr_truth(const expr_val *v, int *truth, lb_err *e);

/* Call fn(ctx, name, offset) for every NAME in the tree, in source order
 * (whether or not evaluation would reach it): for checking names in
 * branches that are not evaluated.  Stops at the first non-zero return and
 * returns it. */
int expr_each_name(const expr *x, int (*fn)(void *ctx, const char *name, size_t off),
                   void *ctx);

/* After expr_eval failed or gave false: "loss/6 = 0.756324, target/6 = 1"
 * listing each distinct name the evaluation looked up with the value it
 * had (numbers with %.10g, text quoted), in source order.  Writes an empty
 * string when no name was looked up. */
void expr_explain(const expr *x, expr_lookup_fn fn, void *ctx, char *buf, size_t n);

#endif
