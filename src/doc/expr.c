/* expr — see expr.h.  A recursive-descent parser into a small tree and a
 * tree-walking evaluator; depth is bounded (EXPR_MAX_DEPTH) so a hostile
 * condition cannot exhaust the stack. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/expr.h"

typedef enum {
    S_NUM, S_STR, S_NAME, S_NEG, S_NOT, S_AND, S_OR,
    S_EQ, S_NE, S_LT, S_LE, S_GT, S_GE, S_ADD, S_SUB, S_MUL, S_DIV, S_CALL
} S_op;

typedef enum { F_ABS, F_MIN, F_MAX, F_LN, F_EXP, F_SQRT, F_ROUND, F_FLOOR, F_CEIL } S_fn;

typedef struct S_node S_node;
struct S_node {
    S_op op;
    size_t off;           /* where it starts in the source (for messages) */
    double num;           /* S_NUM */
    char *text;           /* S_STR, S_NAME (owned) */
    S_fn fn;              /* S_CALL */
    S_node **kids;        /* operands / arguments (owned) */
    size_t nkids;
};

struct expr {
    S_node *root;
};

typedef struct S_parser {
    const char *s;
    size_t len, pos;
    int depth;
    size_t err_off;
    lb_err *e;
} S_parser;

static const struct { const char *name; S_fn fn; int min, max; } S_funcs[] = {
    {"abs", F_ABS, 1, 1},   {"min", F_MIN, 1, 16},   {"max", F_MAX, 1, 16},
    {"ln", F_LN, 1, 1},     {"exp", F_EXP, 1, 1},    {"sqrt", F_SQRT, 1, 1},
    {"round", F_ROUND, 1, 2}, {"floor", F_FLOOR, 1, 1}, {"ceil", F_CEIL, 1, 1},
};

static void S_node_free(S_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        S_node_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

void expr_free(expr *x)
{
    if (!x)
        return;
    S_node_free(x->root);
    free(x);
}

static S_node *S_fail(S_parser *P, size_t off, const char *msg)
{
    if (!P->e->code) {
        P->err_off = off;
        err_set(P->e, LB_EXIT_INPUT, "%s", msg);
    }
    return NULL;
}

static S_node *S_new(S_parser *P, S_op op, size_t off)
{
    S_node *n = calloc(1, sizeof *n);
    if (!n) {
        P->err_off = off;
        err_nomem(P->e);
    }
    if (n) {
        n->op = op;
        n->off = off;
    }
    return n;
}

static int S_add_kid(S_parser *P, S_node *n, S_node *k)
{
    S_node **kids = realloc(n->kids, (n->nkids + 1) * sizeof *kids);
    if (!kids) {
        S_node_free(k);
        return err_nomem(P->e);
    }
    n->kids = kids;
    n->kids[n->nkids++] = k;
    return 0;
}

/* A binary node over a and b (both consumed, even on failure). */
static S_node *S_bin(S_parser *P, S_op op, size_t off, S_node *a, S_node *b)
{
    S_node *n = S_new(P, op, off);
    if (!n || S_add_kid(P, n, a) != 0) {
        if (!n)
            S_node_free(a);
        S_node_free(b);
        S_node_free(n);
        return NULL;
    }
    if (S_add_kid(P, n, b) != 0) {
        S_node_free(n);
        return NULL;
    }
    return n;
}

static void S_ws(S_parser *P)
{
    while (P->pos < P->len && strchr(" \t\r\n", P->s[P->pos]) && P->s[P->pos])
        P->pos++;
}

/* Consume `tok` when it comes next (after white space). */
static int S_accept(S_parser *P, const char *tok)
{
    S_ws(P);
    size_t l = strlen(tok);
    if (P->pos + l <= P->len && memcmp(P->s + P->pos, tok, l) == 0) {
        P->pos += l;
        return 1;
    }
    return 0;
}

static int S_namech(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static S_node *S_expr(S_parser *P);

static S_node *S_atom(S_parser *P)
{
    S_ws(P);
    size_t at = P->pos;
    if (at >= P->len)
        return S_fail(P, at, "expected a value name, a number, a string or '(' but the condition ends here");
    char c = P->s[at];
    if (c == '(') {
        P->pos++;
        S_node *n = S_expr(P);
        if (!n)
            return NULL;
        if (!S_accept(P, ")")) {
            S_node_free(n);
            return S_fail(P, P->pos, "expected ')'");
        }
        return n;
    }
    if (isdigit((unsigned char)c) || (c == '.' && at + 1 < P->len && isdigit((unsigned char)P->s[at + 1]))) {
        char buf[64];
        size_t k = 0;
        while (P->pos < P->len && k + 1 < sizeof buf &&
               (isalnum((unsigned char)P->s[P->pos]) || P->s[P->pos] == '.' ||
                ((P->s[P->pos] == '+' || P->s[P->pos] == '-') &&
                 (P->s[P->pos - 1] == 'e' || P->s[P->pos - 1] == 'E'))))
            buf[k++] = P->s[P->pos++];
        buf[k] = '\0';
        char *end;
        errno = 0;
        double v = strtod(buf, &end);
        if (*end || errno == ERANGE || !isfinite(v))
            return S_fail(P, at, "bad number (expected a decimal such as 2, 0.5 or 1e-3)");
        S_node *n = S_new(P, S_NUM, at);
        if (n)
            n->num = v;
        return n;
    }
    if (c == '"') {
        size_t b = ++P->pos;
        while (P->pos < P->len && P->s[P->pos] != '"' && P->s[P->pos] != '\n')
            P->pos++;
        if (P->pos >= P->len || P->s[P->pos] != '"')
            return S_fail(P, at, "unterminated string (expected a closing '\"' on the same line)");
        if (P->pos - b >= EXPR_MAX_TEXT)
            return S_fail(P, at, "string too long (at most 127 bytes)");
        S_node *n = S_new(P, S_STR, at);
        if (n && !(n->text = strndup(P->s + b, P->pos - b))) {
            S_node_free(n);
            n = NULL;
            err_nomem(P->e);
        }
        P->pos++;
        return n;
    }
    if (isalpha((unsigned char)c)) {
        size_t b = P->pos;
        while (P->pos < P->len &&
               (S_namech(P->s[P->pos]) ||
                (P->s[P->pos] == '/' && P->pos + 1 < P->len &&
                 (isalnum((unsigned char)P->s[P->pos + 1]) || P->s[P->pos + 1] == '_'))))
            P->pos++;
        size_t l = P->pos - b;
        if (l == 4 && !memcmp(P->s + b, "true", 4)) {
            S_node *n = S_new(P, S_NUM, at);
            if (n)
                n->num = 1;
            return n;
        }
        if (l == 5 && !memcmp(P->s + b, "false", 5)) {
            S_node *n = S_new(P, S_NUM, at);
            if (n)
                n->num = 0;
            return n;
        }
        S_ws(P);
        if (P->pos < P->len && P->s[P->pos] == '(') {
            size_t fi = 0, nf = sizeof S_funcs / sizeof S_funcs[0];
            for (; fi < nf; fi++)
                if (strlen(S_funcs[fi].name) == l && !memcmp(S_funcs[fi].name, P->s + b, l))
                    break;
            if (fi == nf) {
                char msg[160];
                snprintf(msg, sizeof msg, "unknown function '%.*s' (known: abs, min, max, ln, "
                         "exp, sqrt, round, floor, ceil)", (int)(l > 40 ? 40 : l), P->s + b);
                return S_fail(P, at, msg);
            }
            P->pos++;
            S_node *n = S_new(P, S_CALL, at);
            if (!n)
                return NULL;
            n->fn = S_funcs[fi].fn;
            do {
                S_node *a = S_expr(P);
                if (!a || S_add_kid(P, n, a) != 0) {
                    S_node_free(n);
                    return NULL;
                }
            } while (S_accept(P, ","));
            if (!S_accept(P, ")")) {
                S_node_free(n);
                return S_fail(P, P->pos, "expected ',' or ')' in the arguments of a function");
            }
            if ((int)n->nkids < S_funcs[fi].min || (int)n->nkids > S_funcs[fi].max) {
                char msg[128];
                if (S_funcs[fi].min == S_funcs[fi].max)
                    snprintf(msg, sizeof msg, "%s() takes %d argument%s, not %zu", S_funcs[fi].name,
                             S_funcs[fi].min, S_funcs[fi].min == 1 ? "" : "s", n->nkids);
                else
                    snprintf(msg, sizeof msg, "%s() takes %d to %d arguments, not %zu",
                             S_funcs[fi].name, S_funcs[fi].min, S_funcs[fi].max, n->nkids);
                S_node_free(n);
                return S_fail(P, at, msg);
            }
            return n;
        }
        if (l >= EXPR_MAX_TEXT)
            return S_fail(P, at, "value name too long");
        S_node *n = S_new(P, S_NAME, at);
        if (n && !(n->text = strndup(P->s + b, l))) {
            S_node_free(n);
            n = NULL;
            err_nomem(P->e);
        }
        return n;
    }
    char msg[128];
    if ((unsigned char)c >= 0x21 && (unsigned char)c < 0x7f)
        snprintf(msg, sizeof msg, "expected a value name, a number, a string or '(', found '%c'", c);
    else
        snprintf(msg, sizeof msg, "expected a value name, a number, a string or '(', found byte 0x%02X",
                 (unsigned char)c);
    return S_fail(P, at, msg);
}

/* Prefix operator `op` (at offset `at`) applied to what `operand` parses
 * next: unary minus and logical not, nesting bounded like parentheses. */
static S_node *S_prefix(S_parser *P, S_op op, size_t at, S_node *(*operand)(S_parser *))
{
    if (++P->depth > EXPR_MAX_DEPTH)
        return S_fail(P, at, "condition nested too deeply");
    S_node *k = operand(P);
    P->depth--;
    if (!k)
        return NULL;
    S_node *n = S_new(P, op, at);
    if (!n || S_add_kid(P, n, k) != 0) {
        if (!n)
            S_node_free(k);
        S_node_free(n);
        return NULL;
    }
    return n;
}

static S_node *S_unary(S_parser *P)
{
    S_ws(P);
    size_t at = P->pos;
    if (S_accept(P, "-"))
        return S_prefix(P, S_NEG, at, S_unary);
    return S_atom(P);
}

static S_node *S_prod(S_parser *P)
{
    S_node *a = S_unary(P);
    while (a) {
        S_ws(P);
        size_t at = P->pos;
        S_op op;
        if (S_accept(P, "*"))
            op = S_MUL;
        else if (S_accept(P, "/")) {
            /* loss/6 is a name: a division is spelled with spaces around '/' */
            if (P->pos < P->len && !strchr(" \t\r\n", P->s[P->pos])) {
                S_node_free(a);
                return S_fail(P, at, "unexpected '/' (a name like loss/6 has no spaces; "
                                     "division needs spaces on both sides)");
            }
            op = S_DIV;
        }
        else
            break;
        S_node *b = S_unary(P);
        if (!b) {
            S_node_free(a);
            return NULL;
        }
        a = S_bin(P, op, at, a, b);
    }
    return a;
}

static S_node *S_sum(S_parser *P)
{
    S_node *a = S_prod(P);
    while (a) {
        S_ws(P);
        size_t at = P->pos;
        S_op op;
        if (S_accept(P, "+"))
            op = S_ADD;
        else if (S_accept(P, "-"))
            op = S_SUB;
        else
            break;
        S_node *b = S_prod(P);
        if (!b) {
            S_node_free(a);
            return NULL;
        }
        a = S_bin(P, op, at, a, b);
    }
    return a;
}

static S_node *S_cmp(S_parser *P)
{
    S_node *a = S_sum(P);
    if (!a)
        return NULL;
    S_ws(P);
    size_t at = P->pos;
    static const struct { const char *t; S_op op; } ops[] = {
        {"==", S_EQ}, {"!=", S_NE}, {"<=", S_LE}, {">=", S_GE}, {"<", S_LT}, {">", S_GT}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (!S_accept(P, ops[i].t))
            continue;
        S_node *b = S_sum(P);
        if (!b) {
            S_node_free(a);
            return NULL;
        }
        S_node *n = S_bin(P, ops[i].op, at, a, b);
        if (!n)
            return NULL;
        S_ws(P);
        for (size_t j = 0; j < sizeof ops / sizeof ops[0]; j++)
            if (P->pos + strlen(ops[j].t) <= P->len &&
                !memcmp(P->s + P->pos, ops[j].t, strlen(ops[j].t))) {
                S_node_free(n);
                return S_fail(P, P->pos, "comparisons do not chain (write a < b && b < c)");
            }
        return n;
    }
    if (S_accept(P, "=")) {
        S_node_free(a);
        return S_fail(P, at, "'=' is not an operator (write '==' to compare)");
    }
    return a;
}

static S_node *S_not(S_parser *P)
{
    S_ws(P);
    size_t at = P->pos;
    if (P->pos < P->len && P->s[P->pos] == '!' &&
        !(P->pos + 1 < P->len && P->s[P->pos + 1] == '=')) {
        P->pos++;
        return S_prefix(P, S_NOT, at, S_not);
    }
    return S_cmp(P);
}

static S_node *S_and(S_parser *P)
{
    S_node *a = S_not(P);
    while (a) {
        S_ws(P);
        size_t at = P->pos;
        if (!S_accept(P, "&&"))
            break;
        S_node *b = S_not(P);
        if (!b) {
            S_node_free(a);
            return NULL;
        }
        a = S_bin(P, S_AND, at, a, b);
    }
    return a;
}

static S_node *S_expr(S_parser *P)
{
    if (++P->depth > EXPR_MAX_DEPTH)
        return S_fail(P, P->pos, "condition nested too deeply");
    S_node *a = S_and(P);
    while (a) {
        S_ws(P);
        size_t at = P->pos;
        if (!S_accept(P, "||"))
            break;
        S_node *b = S_and(P);
        if (!b) {
            S_node_free(a);
            return NULL;
        }
        a = S_bin(P, S_OR, at, a, b);
    }
    P->depth--;
    return a;
}

expr *expr_parse(const char *src, size_t len, size_t *err_off, lb_err *e)
{
    lb_err tmp;
    err_clear(&tmp);
    S_parser P = {src, len, 0, 0, 0, e ? e : &tmp};
    if (len > EXPR_MAX_LEN) {
        if (err_off)
            *err_off = 0;
        err_set(P.e, LB_EXIT_INPUT, "condition too long (at most %d bytes)", EXPR_MAX_LEN);
        return NULL;
    }
    if (memchr(src, '\0', len)) {
        if (err_off)
            *err_off = (size_t)((const char *)memchr(src, '\0', len) - src);
        err_set(P.e, LB_EXIT_INPUT, "NUL byte in a condition");
        return NULL;
    }
    S_ws(&P);
    if (P.pos >= len) {
        if (err_off)
            *err_off = P.pos;
        err_set(P.e, LB_EXIT_INPUT, "empty condition (expected an expression such as loss/1 > 0.5)");
        return NULL;
    }
    S_node *root = S_expr(&P);
    if (root) {
        S_ws(&P);
        if (P.pos < len) {
            S_node_free(root);
            root = NULL;
            char c = src[P.pos];
            if (c == '&' || c == '|')
                S_fail(&P, P.pos, "expected '&&' or '||'");
            else if (c == '/')
                S_fail(&P, P.pos, "unexpected '/' (a name like loss/6 has no spaces; division needs spaces on both sides)");
            else
                S_fail(&P, P.pos, "expected an operator or the end of the condition");
        }
    }
    if (!root) {
        if (err_off)
            *err_off = P.err_off;
        return NULL;
    }
    expr *x = malloc(sizeof *x);
    if (!x) {
        S_node_free(root);
        if (err_off)
            *err_off = 0;
        err_nomem(P.e);
        return NULL;
    }
    x->root = root;
    return x;
}

/* ---- evaluation ---------------------------------------------------------- */

typedef struct S_ev {
    expr_lookup_fn fn;
    void *ctx;
    size_t err_off;
    lb_err *e;
} S_ev;

static int S_efail(S_ev *E, const S_node *n, const char *msg)
{
    E->err_off = n->off;
    return err_set(E->e, LB_EXIT_INPUT, "%s", msg);
}

static const char *S_opname(S_op op)
{
    switch (op) {
    case S_EQ: return "==";
    case S_NE: return "!=";
    case S_LT: return "<";
    case S_LE: return "<=";
    case S_GT: return ">";
    case S_GE: return ">=";
    case S_ADD: return "+";
    case S_SUB: return "-";
    case S_MUL: return "*";
    case S_DIV: return "/";
    case S_NEG: return "unary -";
    case S_NOT: return "!";
    case S_AND: return "&&";
    case S_OR: return "||";
    default: return "?";
    }
}

static int S_eval(S_ev *E, const S_node *n, expr_val *out);

static int S_num(S_ev *E, const S_node *n, double *v)
{
    expr_val x;
    if (S_eval(E, n, &x) != 0)
        return -1;
    if (x.kind != EXPR_NUM)
        return S_efail(E, n, "expected a number here, found text");
    *v = x.num;
    return 0;
}

static int S_truth_of(S_ev *E, const S_node *n, int *t)
{
    expr_val x;
    if (S_eval(E, n, &x) != 0)
        return -1;
    if (x.kind != EXPR_NUM)
        return S_efail(E, n, "a condition must be a number or a comparison, not text");
    *t = x.num != 0 && !isnan(x.num);
    return 0;
}

static double S_round(double x, int d)
{
    double s = pow(10.0, d);
    double r = round(x * s) / s;
    return isfinite(r) ? r : x;
}

static int S_eval(S_ev *E, const S_node *n, expr_val *out)
{
    memset(out, 0, sizeof *out);
    out->kind = EXPR_NUM;
    switch (n->op) {
    case S_NUM:
        out->num = n->num;
        return 0;
    case S_STR:
        out->kind = EXPR_TEXT;
        snprintf(out->text, sizeof out->text, "%s", n->text);
        return 0;
    case S_NAME:
        if (E->fn(E->ctx, n->text, out, E->e) != 0) {
            E->err_off = n->off;
            return -1;
        }
        return 0;
    case S_NEG: {
        double a = 0;
        if (S_num(E, n->kids[0], &a) != 0)
            return -1;
        out->num = -a;
        return 0;
    }
    case S_NOT: {
        int t;
        if (S_truth_of(E, n->kids[0], &t) != 0)
            return -1;
        out->num = !t;
        return 0;
    }
    case S_AND:
    case S_OR: {
        int t;
        if (S_truth_of(E, n->kids[0], &t) != 0)
            return -1;
        if ((n->op == S_AND && !t) || (n->op == S_OR && t)) {
            out->num = t;
            return 0;
        }
        if (S_truth_of(E, n->kids[1], &t) != 0)
            return -1;
        out->num = t;
        return 0;
    }
    case S_EQ:
    case S_NE:
    case S_LT:
    case S_LE:
    case S_GT:
    case S_GE: {
        expr_val a, b;
        if (S_eval(E, n->kids[0], &a) != 0 || S_eval(E, n->kids[1], &b) != 0)
            return -1;
        if (a.kind != b.kind || (a.kind == EXPR_TEXT && n->op != S_EQ && n->op != S_NE)) {
            char msg[128];
            snprintf(msg, sizeof msg, "'%s' cannot compare %s with %s", S_opname(n->op),
                     a.kind == EXPR_TEXT ? "text" : "a number",
                     b.kind == EXPR_TEXT ? "text" : "a number");
            return S_efail(E, n, msg);
        }
        int r;
        if (a.kind == EXPR_TEXT) {
            r = strcmp(a.text, b.text) == 0;
            if (n->op == S_NE)
                r = !r;
        } else {
            double x = a.num, y = b.num;
            switch (n->op) {
            case S_EQ: r = x == y; break;
            case S_NE: r = x != y; break;
            case S_LT: r = x < y; break;
            case S_LE: r = x <= y; break;
            case S_GT: r = x > y; break;
            default: r = x >= y; break;
            }
        }
        out->num = r;
        return 0;
    }
    case S_ADD:
    case S_SUB:
    case S_MUL:
    case S_DIV: {
        double a = 0, b = 0;
        if (S_num(E, n->kids[0], &a) != 0 || S_num(E, n->kids[1], &b) != 0)
            return -1;
        out->num = n->op == S_ADD ? a + b : n->op == S_SUB ? a - b : n->op == S_MUL ? a * b : a / b;
        return 0;
    }
    case S_CALL: {
        double a[16] = {0};
        for (size_t i = 0; i < n->nkids; i++)
            if (S_num(E, n->kids[i], &a[i]) != 0)
                return -1;
        double r = a[0];
        switch (n->fn) {
        case F_ABS: r = fabs(a[0]); break;
        case F_MIN: for (size_t i = 1; i < n->nkids; i++) r = fmin(r, a[i]); break;
        case F_MAX: for (size_t i = 1; i < n->nkids; i++) r = fmax(r, a[i]); break;
        case F_LN: r = log(a[0]); break;
        case F_EXP: r = exp(a[0]); break;
        case F_SQRT: r = sqrt(a[0]); break;
        case F_FLOOR: r = floor(a[0]); break;
        case F_CEIL: r = ceil(a[0]); break;
        case F_ROUND: {
            double d = n->nkids > 1 ? a[1] : 0;
            if (!(d >= 0 && d <= 17 && d == floor(d)))
                return S_efail(E, n->kids[1], "round(x, d) needs d = 0..17 decimals");
            r = S_round(a[0], (int)d);
            break;
        }
        }
        out->num = r;
        return 0;
    }
    }
    return S_efail(E, n, "internal: bad expression node");
}

int expr_eval(const expr *x, expr_lookup_fn fn, void *ctx, expr_val *out,
              size_t *err_off, lb_err *e)
{
    S_ev E = {fn, ctx, 0, e};
    int rc = S_eval(&E, x->root, out);
    if (rc != 0 && err_off)
        *err_off = E.err_off;
    return rc;
}

int expr_truth(const expr_val *v, int *truth, lb_err *e)
{
    if (v->kind != EXPR_NUM)
        return err_set(e, LB_EXIT_INPUT, "a condition must be a number or a comparison, not text");
    *truth = v->num != 0 && !isnan(v->num);
    return 0;
}

static int S_each(const S_node *n, int (*fn)(void *, const char *, size_t), void *ctx)
{
    if (n->op == S_NAME)
        return fn(ctx, n->text, n->off);
    for (size_t i = 0; i < n->nkids; i++) {
        int r = S_each(n->kids[i], fn, ctx);
        if (r)
            return r;
    }
    return 0;
}

int expr_each_name(const expr *x, int (*fn)(void *ctx, const char *name, size_t off),
                   void *ctx)
{
    return S_each(x->root, fn, ctx);
}

/* ---- explanation ----------------------------------------------------------- */

typedef struct S_ex {
    expr_lookup_fn fn;
    void *ctx;
    char *buf;
    size_t n, used;
    const char *seen[32];
    size_t nseen;
} S_ex;

static int S_explain_one(void *vctx, const char *name, size_t off)
{
    S_ex *X = vctx;
    (void)off;
    for (size_t i = 0; i < X->nseen; i++)
        if (!strcmp(X->seen[i], name))
            return 0;
    if (X->nseen < sizeof X->seen / sizeof X->seen[0])
        X->seen[X->nseen++] = name;
    expr_val v;
    lb_err tmp;
    err_clear(&tmp);
    if (X->fn(X->ctx, name, &v, &tmp) != 0)
        return 0;
    if (X->used >= X->n)
        return 1;
    int w;
    if (v.kind == EXPR_TEXT)
        w = snprintf(X->buf + X->used, X->n - X->used, "%s%s = \"%s\"", X->used ? ", " : "", name, v.text);
    else
        w = snprintf(X->buf + X->used, X->n - X->used, "%s%s = %.10g", X->used ? ", " : "", name, v.num);
    if (w < 0)
        return 1;
    X->used += (size_t)w;
    if (X->used >= X->n)
        X->used = X->n;
    return 0;
}

void expr_explain(const expr *x, expr_lookup_fn fn, void *ctx, char *buf, size_t n)
{
    if (!n)
        return;
    buf[0] = '\0';
    S_ex X = {fn, ctx, buf, n, 0, {0}, 0};
    expr_each_name(x, S_explain_one, &X);
}
