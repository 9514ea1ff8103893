/* cond — conditional blocks and claims (see cond.h).  One walk over the
 * tree: each container's children are read in order with a stack of open
 * `if`s; kept children are walked in turn, dropped ones freed unread. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "doc/cond.h"
#include "doc/expr.h"

typedef enum { K_PLAIN = 0, K_IF, K_ELIF, K_ELSE, K_END, K_CLAIM } S_kind;

#define S_MAX_NEST 64

typedef struct S_ctx {
    const doc *d;
    const cat *c;
    lb_err *e;
} S_ctx;

typedef struct S_frame {
    int line, col;          /* where the `if` comment starts, for messages
                               (the comment itself is freed at once) */
    int active;             /* the current branch is kept */
    int taken;              /* some branch of this chain was (or cannot be) taken */
    int parent_active;
    int seen_else;
} S_frame;

static const char *S_kind_name(S_kind k)
{
    switch (k) {
    case K_IF: return "if";
    case K_ELIF: return "elif";
    case K_ELSE: return "else";
    case K_END: return "end";
    case K_CLAIM: return "claim";
    default: return "comment";
    }
}

/* What a comment's text says, and where its expression starts. */
static S_kind S_classify(const char *t, size_t *expr_at)
{
    size_t i = 0;
    while (t[i] && isspace((unsigned char)t[i]))
        i++;
    size_t w = i;
    while (isalpha((unsigned char)t[i]))
        i++;
    size_t wl = i - w;
    S_kind k = K_PLAIN;
    if (wl == 2 && !strncmp(t + w, "if", 2))
        k = K_IF;
    else if (wl == 4 && !strncmp(t + w, "elif", 4))
        k = K_ELIF;
    else if (wl == 4 && !strncmp(t + w, "else", 4)) {
        /* "else if" is elif */
        size_t j = i;
        while (t[j] == ' ' || t[j] == '\t')
            j++;
        if (!strncmp(t + j, "if", 2) && !isalnum((unsigned char)t[j + 2]) && t[j + 2] != '_') {
            k = K_ELIF;
            i = j + 2;
        } else {
            k = K_ELSE;
        }
    } else if (wl == 3 && !strncmp(t + w, "end", 3))
        k = K_END;
    else if (wl == 5 && !strncmp(t + w, "claim", 5))
        k = K_CLAIM;
    if (k == K_PLAIN)
        return K_PLAIN;
    /* a keyword is a whole word: "ifx" or "end_" is an ordinary comment */
    if (t[i] && !isspace((unsigned char)t[i]) && t[i] != ':')
        return K_PLAIN;
    if (t[i] == ':')
        i++;
    *expr_at = i;
    return k;
}

static int S_blank_text(const doc_node *n)
{
    if (n->type == DOC_SOFTBREAK || n->type == DOC_LINEBREAK)
        return 1;
    if (n->type != DOC_TEXT)
        return 0;
    for (size_t i = 0; i < n->text_len; i++)
        if (!isspace((unsigned char)n->text[i]))
            return 0;
    return 1;
}

/* Is n a marker?  An inline DOC_COMMENT, or a paragraph holding one comment
 * and nothing but white space (block level).  *cm = the comment. */
static int S_marker(const doc_node *n, const doc_node **cm)
{
    if (n->type == DOC_COMMENT) {
        *cm = n;
        return 1;
    }
    if (n->type != DOC_PARAGRAPH)
        return 0;
    const doc_node *found = NULL;
    for (const doc_node *k = n->first_child; k; k = k->next) {
        if (k->type == DOC_COMMENT) {
            if (found)
                return 0;
            found = k;
        } else if (!S_blank_text(k)) {
            return 0;
        }
    }
    if (!found)
        return 0;
    *cm = found;
    return 1;
}

/* The comment's '<' itself, for errors about the marker as a whole. */
#define S_AT_MARKER ((size_t)-1)

/* line:col of byte `off` of a comment's text (its '<' is at n->line:col). */
static void S_pos(const doc_node *cm, size_t off, int *line, int *col)
{
    int l = cm->line, c = cm->col + 4;
    if (off == S_AT_MARKER) {
        *line = cm->line;
        *col = cm->col;
        return;
    }
    for (size_t i = 0; i < off && cm->text[i]; i++) {
        if (cm->text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)cm->text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static int S_fail(S_ctx *C, const doc_node *cm, size_t off, const char *fmt, const char *a,
                  const char *b)
{
    int line, col;
    S_pos(cm, off, &line, &col);
    char msg[900];
    snprintf(msg, sizeof msg, fmt, a, b);
    return err_at(C->e, LB_EXIT_INPUT, C->d->path, line, col, "%s", msg);
}

static int S_lookup(void *ctx, const char *name, expr_val *out, lb_err *e)
{
    const cat *c = ctx;
    double v;
    memset(out, 0, sizeof *out);
    if (cat_value_get(c, name, &v) == 0) {
        out->kind = EXPR_NUM;
        out->num = v;
        return 0;
    }
    if (cat_value_format(c, name, out->text, sizeof out->text, e) == 0) {
        out->kind = EXPR_TEXT;
        return 0;
    }
    return -1;
}

/* The expression of a marker, parsed; NULL + error when it is bad. */
static expr *S_parse(S_ctx *C, const doc_node *cm, size_t at)
{
    const char *src = cm->text + at;
    size_t len = strlen(src), err_off = 0;
    lb_err tmp;
    err_clear(&tmp);
    expr *x = expr_parse(src, len, &err_off, &tmp);
    if (!x)
        S_fail(C, cm, at + err_off, "%s%s", tmp.msg, "");
    return x;
}

/* The expression as one line, for messages. */
static void S_shown(const char *s, char *buf, size_t n)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t k = 0;
    for (; *s && k + 4 < n; s++)
        buf[k++] = (*s == '\n' || *s == '\t') ? ' ' : *s;
    while (k > 0 && isspace((unsigned char)buf[k - 1]))
        k--;
    if (*s)
        memcpy(buf + k, "...", 3), k += 3;
    buf[k] = '\0';
}

/* Evaluate a marker's expression: *truth, or an error at the marker. */
static int S_eval(S_ctx *C, const doc_node *cm, size_t at, int *truth, expr **keep)
{
    expr *x = S_parse(C, cm, at);
    if (!x)
        return -1;
    expr_val v;
    size_t err_off = 0;
    lb_err tmp;
    err_clear(&tmp);
    int bad = expr_eval(x, S_lookup, (void *)C->c, &v, &err_off, &tmp) != 0;
    if (!bad && expr_truth(&v, truth, &tmp) != 0) {
        bad = 1;   /* about the whole expression: point at its start */
        err_off = 0;
        while (isspace((unsigned char)cm->text[at + err_off]))
            err_off++;
    }
    if (bad) {
        expr_free(x);
        if (tmp.code == LB_EXIT_RUNTIME)
            return err_set(C->e, LB_EXIT_RUNTIME, "%s", tmp.msg);
        return S_fail(C, cm, at + err_off, "%s%s", tmp.msg, "");
    }
    if (keep)
        *keep = x;
    else
        expr_free(x);
    return 0;
}

static int S_claim(S_ctx *C, const doc_node *cm, size_t at)
{
    int truth = 0;
    expr *x = NULL;
    if (S_eval(C, cm, at, &truth, &x) != 0)
        return -1;
    if (!truth) {
        char shown[160], why[600];
        S_shown(cm->text + at, shown, sizeof shown);
        expr_explain(x, S_lookup, (void *)C->c, why, sizeof why);
        expr_free(x);
        size_t lead = 0;
        while (isspace((unsigned char)cm->text[at + lead]))
            lead++;
        return S_fail(C, cm, at + lead, "claim '%s' is false: %s", shown,
                      why[0] ? why : "(it names no value)");
    }
    expr_free(x);
    return 0;
}

/* Only check the syntax of a marker in a branch that is not taken. */
static int S_syntax(S_ctx *C, const doc_node *cm, size_t at)
{
    expr *x = S_parse(C, cm, at);
    if (!x)
        return -1;
    expr_free(x);
    return 0;
}

/* Drop soft breaks and white space at the edges of an inline container that
 * a condition changed. */
static void S_trim_edges(doc_node *p)
{
    while (p->first_child && (p->first_child->type == DOC_SOFTBREAK ||
                              p->first_child->type == DOC_LINEBREAK))
        doc_node_free(p->first_child);
    while (p->last_child && (p->last_child->type == DOC_SOFTBREAK ||
                             p->last_child->type == DOC_LINEBREAK))
        doc_node_free(p->last_child);
    doc_node *f = p->first_child;
    if (f && f->type == DOC_TEXT) {
        size_t k = 0;
        while (k < f->text_len && (f->text[k] == ' ' || f->text[k] == '\t'))
            k++;
        if (k) {
            memmove(f->text, f->text + k, f->text_len - k + 1);
            f->text_len -= k;
            f->col += (int)k;
        }
        if (!f->text_len)
            doc_node_free(f);
    }
    doc_node *l = p->last_child;
    if (l && l->type == DOC_TEXT) {
        while (l->text_len && (l->text[l->text_len - 1] == ' ' || l->text[l->text_len - 1] == '\t'))
            l->text[--l->text_len] = '\0';
        if (!l->text_len)
            doc_node_free(l);
    }
}

/* After markers were cut out of an inline container: join adjacent text
 * runs (the model keeps them merged) without doubling the space at the
 * joint, and drop spaces next to a line break. */
static int S_tidy(S_ctx *C, doc_node *p)
{
    doc_node *next;
    for (doc_node *n = p->first_child; n; n = next) {
        next = n->next;
        if (n->type != DOC_TEXT)
            continue;
        if (next && next->type == DOC_TEXT) {
            size_t a = 0;
            if (n->text_len && n->text[n->text_len - 1] == ' ')
                while (a < next->text_len && next->text[a] == ' ')
                    a++;
            if (doc_node_append_text(n, next->text + a, next->text_len - a, C->e) < 0)
                return -1;
            doc_node_free(next);
            next = n;   /* look at the joined node again */
            continue;
        }
        if (!next || next->type == DOC_SOFTBREAK || next->type == DOC_LINEBREAK)
            while (n->text_len && n->text[n->text_len - 1] == ' ')
                n->text[--n->text_len] = '\0';
        if (n->prev && (n->prev->type == DOC_SOFTBREAK || n->prev->type == DOC_LINEBREAK)) {
            size_t k = 0;
            while (k < n->text_len && n->text[k] == ' ')
                k++;
            memmove(n->text, n->text + k, n->text_len - k + 1);
            n->text_len -= k;
        }
        if (!n->text_len)
            doc_node_free(n);
    }
    return 0;
}

/* Containers that vanish when a condition leaves them empty. */
static int S_removable(doc_type t)
{
    return t == DOC_PARAGRAPH || t == DOC_ITEM || t == DOC_QUOTE || t == DOC_LIST ||
           t == DOC_EMPH || t == DOC_STRONG || t == DOC_STRIKE;
}

/* Process parent's children.  *changed = 1 when something was removed
 * (then an emptied container may go). */
static int S_process(S_ctx *C, doc_node *parent, int *changed)
{
    S_frame fr[S_MAX_NEST];
    int nf = 0;
    int inline_level = !doc_is_block(parent->type) || parent->type == DOC_PARAGRAPH ||
                       parent->type == DOC_HEADING || parent->type == DOC_TABLE_CELL ||
                       parent->type == DOC_FIGURE || parent->type == DOC_GENTABLE;
    doc_node *next;
    for (doc_node *n = parent->first_child; n; n = next) {
        next = n->next;
        int cur = nf ? fr[nf - 1].active : 1;
        const doc_node *cm = NULL;
        if (S_marker(n, &cm)) {
            size_t at = 0;
            S_kind k = S_classify(cm->text, &at);
            switch (k) {
            case K_IF: {
                if (nf == S_MAX_NEST)
                    return S_fail(C, cm, S_AT_MARKER, "conditions nested more than 64 deep%s%s", "", "");
                S_frame *f = &fr[nf++];
                f->line = cm->line;
                f->col = cm->col;
                f->parent_active = cur;
                f->seen_else = 0;
                if (cur) {
                    int t;
                    if (S_eval(C, cm, at, &t, NULL) != 0)
                        return -1;
                    f->active = f->taken = t;
                } else {
                    if (S_syntax(C, cm, at) != 0)
                        return -1;
                    f->active = 0;
                    f->taken = 1;
                }
                break;
            }
            case K_ELIF:
            case K_ELSE: {
                if (!nf)
                    return S_fail(C, cm, S_AT_MARKER, "'<!-- %s -->' without an '<!-- if ... -->' before it in the same %s",
                                  S_kind_name(k), inline_level ? "paragraph" : "block");
                S_frame *f = &fr[nf - 1];
                if (f->seen_else)
                    return S_fail(C, cm, S_AT_MARKER, "'<!-- %s -->' after the '<!-- else -->' of this condition%s",
                                  S_kind_name(k), "");
                if (k == K_ELSE) {
                    f->seen_else = 1;
                    f->active = f->parent_active && !f->taken;
                    f->taken = 1;
                } else if (f->parent_active && !f->taken) {
                    int t;
                    if (S_eval(C, cm, at, &t, NULL) != 0)
                        return -1;
                    f->active = f->taken = t;
                } else {
                    if (S_syntax(C, cm, at) != 0)
                        return -1;
                    f->active = 0;
                }
                break;
            }
            case K_END:
                if (!nf)
                    return S_fail(C, cm, S_AT_MARKER, "'<!-- end -->' without an '<!-- if ... -->' before it in the same %s%s",
                                  inline_level ? "paragraph" : "block",
                                  inline_level ? " (a line right after a quote or list continues it: "
                                                 "leave a blank line before a block-level marker)" : "");
                nf--;
                break;
            case K_CLAIM:
                if ((cur ? S_claim(C, cm, at) : S_syntax(C, cm, at)) != 0)
                    return -1;
                break;
            default:
                break;   /* an ordinary comment */
            }
            doc_node_free(n);
            *changed = 1;
            continue;
        }
        if (!cur) {
            /* dropped unread: directives in it are never resolved, so a
             * branch may name values the example lacks (loss/6 when N < 6) */
            doc_node_free(n);
            *changed = 1;
            continue;
        }
        if (n->first_child) {
            int ch = 0;
            if (S_process(C, n, &ch) != 0)
                return -1;
            if (ch) {
                *changed = 1;
                if (n->type == DOC_PARAGRAPH || n->type == DOC_HEADING ||
                    n->type == DOC_TABLE_CELL)
                    S_trim_edges(n);
                if (!doc_is_block(n->type) || n->type == DOC_PARAGRAPH ||
                    n->type == DOC_HEADING || n->type == DOC_TABLE_CELL) {
                    if (S_tidy(C, n) != 0)
                        return -1;
                }
                if (!n->first_child && S_removable(n->type))
                    doc_node_free(n);
            }
        }
    }
    if (nf) {
        doc_node at = {0};
        at.line = fr[nf - 1].line;
        at.col = fr[nf - 1].col;
        at.text = (char *)"";
        return S_fail(C, &at, S_AT_MARKER, "'<!-- if ... -->' without its '<!-- end -->' in the same %s%s",
                      inline_level ? "paragraph (an inline condition ends in the paragraph "
                                     "where it starts; put block-level markers in paragraphs of "
                                     "their own)"
                                   : "block (the markers of a block-level condition are siblings: "
                                     "they cannot end inside a quote or list that started after them)",
                      "");
    }
    return 0;
}

int cond_apply(doc *d, const cat *c, lb_err *e)
{
    if (!d || !c)
        return err_set(e, LB_EXIT_RUNTIME, "cond_apply: no document or catalog");
    S_ctx C = {d, c, e};
    int changed = 0;
    return S_process(&C, d->root, &changed);
}
