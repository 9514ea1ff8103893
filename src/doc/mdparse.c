/* mdparse — md4c callbacks that build the document model (see mdparse.h).
 *
 * md4c reports a stream of enter/leave/text events.  We keep a stack of
 * frames mirroring the open blocks and spans; each frame owns nothing (the
 * node is attached to the tree as soon as it is created, so doc_free cleans
 * up after any error).  Positions: a node is "unpositioned" until the first
 * text inside it arrives; that text's buffer offset, stepped back over the
 * node's opening delimiter, becomes its position and the position of every
 * still-unpositioned ancestor.  Nodes that never receive text (rules, empty
 * cells, `[](table:x)`) get a position from a fallback at leave time.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <md4c.h>
#include "doc/mdparse.h"
#include "doc/mdparse_int.h"
#include "doc/xref.h"

/* Opening-delimiter kinds for the step back from the first text. */
enum {
    S_K_BLOCK = 0, S_K_HEADING, S_K_CODEBLOCK, S_K_EM, S_K_STRONG, S_K_DEL,
    S_K_CODE, S_K_LINK, S_K_IMG, S_K_MATH, S_K_DMATH
};

/* What a link / image destination turned out to be. */
enum {
    S_D_NONE = 0, S_D_FIGURE, S_D_TABLE, S_D_VALUE,
    S_D_FIG_AS_LINK, S_D_TABLE_AS_IMG, S_D_VALUE_AS_IMG,
    S_D_REF, S_D_REF_AS_IMG, S_D_IMGFILE
};

#define S_MAX_FRAMES (DOC_MAX_DEPTH + 4)
#define S_MAX_CONTAINERS 64   /* nested lists + block quotes */
#define S_PAD 64              /* zero bytes after the parser's input copy */

typedef struct S_frame {
    doc_node *node;      /* NULL for THEAD / TBODY (no node of their own) */
    int kind;            /* S_K_* */
    int positioned;
    int implicit;        /* paragraph we opened for a tight list item */
    int directive;       /* S_D_* for links / images */
    int is_span;         /* opened by enter_span (figure / table directive
                            nodes are block types but start as spans) */
    size_t href_off;     /* offset of the destination, SIZE_MAX if unknown */
} S_frame;

typedef struct S_parser {
    const char *path;
    const char *buf;
    size_t len;
    size_t body;         /* where md4c's input starts (after front matter) */
    mdp_cursor cur;
    doc *d;
    lb_err *e;
    S_frame st[S_MAX_FRAMES];
    int nframes;
    int ndepth;          /* frames with a node, below the document */
    int containers;
    size_t last_end;     /* end of the last in-buffer text */
    int seen_text;
    size_t hr_scan;      /* thematic-break search resumes here */
    int in_thead;
    doc_node *table;     /* innermost open table */
    int col_index;
    unsigned anomalies;  /* unbalanced md4c span events repaired */
} S_parser;

static int S_in_buf(const S_parser *P, const char *p, size_t *off)
{
    uintptr_t b = (uintptr_t)P->buf, q = (uintptr_t)p;
    if (!p || q < b || q >= b + P->len)
        return 0;
    *off = (size_t)(q - b);
    return 1;
}

static int S_error(S_parser *P, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int S_error(S_parser *P, size_t off, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    mdp_cursor_pos(&P->cur, off, &line, &col);
    return err_at(P->e, LB_EXIT_INPUT, P->path, line, col, "%s", msg);
}

static int S_error_node(S_parser *P, const doc_node *n, const char *fmt,
                        const char *a, const char *b)
{
    char msg[768];
    snprintf(msg, sizeof msg, fmt, a, b);
    return err_at(P->e, LB_EXIT_INPUT, P->path, n->line, n->col, "%s", msg);
}

/* ---- positions ----------------------------------------------------------- */

static int S_isdelim(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

/* Step back from the first content byte over the opening delimiter of a
 * node of this kind; never before the body start. */
static size_t S_back(const S_parser *P, int kind, size_t off)
{
    const char *b = P->buf;
    size_t lo = P->body, j = off;
    switch (kind) {
    case S_K_HEADING: {
        while (j > lo && (b[j - 1] == ' ' || b[j - 1] == '\t'))
            j--;
        size_t h = j;
        while (h > lo && b[h - 1] == '#')
            h--;
        if (h == j)
            return off;
        size_t s = h;
        while (s > lo && b[s - 1] == ' ')
            s--;
        return (s == lo || b[s - 1] == '\n') ? h : off;
    }
    case S_K_CODEBLOCK: {
        size_t ls = j;
        while (ls > lo && b[ls - 1] != '\n')
            ls--;
        if (ls <= lo)
            return off;
        size_t ps = ls - 1;
        while (ps > lo && b[ps - 1] != '\n')
            ps--;
        size_t k = ps;
        while (k < ls && b[k] == ' ')
            k++;
        if (k + 3 <= ls && (memcmp(b + k, "```", 3) == 0 ||
                            memcmp(b + k, "~~~", 3) == 0))
            return k;
        return off;
    }
    case S_K_EM:
        return (j > lo && S_isdelim(b[j - 1], "*_")) ? j - 1 : off;
    case S_K_STRONG:
    case S_K_DEL: {
        const char *set = kind == S_K_DEL ? "~" : "*_";
        for (int k = 0; k < 2 && j > lo && S_isdelim(b[j - 1], set); k++)
            j--;
        return j;
    }
    case S_K_CODE:
        if (j > lo + 1 && b[j - 1] == ' ' && b[j - 2] == '`')
            j--;
        while (j > lo && b[j - 1] == '`')
            j--;
        return j;
    case S_K_LINK:
        return (j > lo && (b[j - 1] == '[' || b[j - 1] == '<')) ? j - 1 : off;
    case S_K_IMG:
        return (j > lo + 1 && b[j - 1] == '[' && b[j - 2] == '!') ? j - 2
                                                                  : off;
    case S_K_MATH:
    case S_K_DMATH: {
        /* the content may start on the line after the opening dollars */
        while (j > lo && S_isdelim(b[j - 1], " \t\r\n"))
            j--;
        size_t k = j, nd = kind == S_K_MATH ? 1 : 2;
        while (k > lo && j - k < nd && b[k - 1] == '$')
            k--;
        return k < j ? k : off;
    }
    default:
        return off;
    }
}

/* Give frame i (and every unpositioned ancestor) a position derived from
 * byte offset off.  skip_back: off is already the node's own start. */
static void S_position(S_parser *P, int i, size_t off, int skip_back)
{
    for (; i >= 0; i--) {
        S_frame *f = &P->st[i];
        if (!f->node)
            continue;
        if (f->positioned)
            break;
        if (!skip_back)
            off = S_back(P, f->kind, off);
        skip_back = 0;
        mdp_cursor_pos(&P->cur, off, &f->node->line, &f->node->col);
        /* remember '*' or '_': the export writes emphasis back with the
         * author's delimiter (md4c pairs them differently around math) */
        if ((f->kind == S_K_EM || f->kind == S_K_STRONG) && off < P->len &&
            (P->buf[off] == '*' || P->buf[off] == '_'))
            f->node->mark = P->buf[off];
        f->positioned = 1;
    }
}

static size_t S_fallback_off(const S_parser *P)
{
    return P->seen_text ? P->last_end : P->body;
}

/* A thematic break has no text: find its line, starting after the last
 * text (and after the previous rule, so runs of rules stay linear). */
static size_t S_find_hr(S_parser *P)
{
    const char *b = P->buf;
    size_t i = P->body;
    if (P->seen_text) {
        i = P->last_end;
        while (i < P->len && b[i] != '\n')
            i++;
        if (i < P->len)
            i++;
    }
    if (i < P->hr_scan)
        i = P->hr_scan;
    while (i < P->len) {
        size_t k = i;
        while (k < P->len && S_isdelim(b[k], " \t>"))
            k++;
        size_t start = k;
        char c = k < P->len ? b[k] : '\0';
        int n = 0, ok = S_isdelim(c, "-*_");
        while (ok && k < P->len && b[k] != '\n' && b[k] != '\r') {
            if (b[k] == c)
                n++;
            else if (b[k] != ' ' && b[k] != '\t')
                ok = 0;
            k++;
        }
        while (k < P->len && b[k] != '\n')
            k++;
        if (ok && n >= 3) {
            P->hr_scan = k < P->len ? k + 1 : P->len;
            return start;
        }
        i = k < P->len ? k + 1 : P->len;
    }
    return S_fallback_off(P);
}

/* A setext heading's underline ("===" / "---") follows its text: make the
 * thematic-break search start after it, so a later rule is not placed on
 * the underline. */
static void S_skip_setext(S_parser *P)
{
    const char *b = P->buf;
    if (!P->seen_text)
        return;
    size_t i = P->last_end;
    while (i < P->len && b[i] != '\n')
        i++;
    if (i >= P->len)
        return;
    size_t k = ++i;
    while (k < P->len && (b[k] == ' ' || b[k] == '\t'))
        k++;
    char c = k < P->len ? b[k] : '\0';
    if (c != '=' && c != '-')
        return;
    while (k < P->len && (b[k] == c || b[k] == ' ' || b[k] == '\t' ||
                          b[k] == '\r'))
        k++;
    if (k < P->len && b[k] != '\n')
        return;
    size_t after = k < P->len ? k + 1 : P->len;
    if (after > P->hr_scan)
        P->hr_scan = after;
}

/* ---- frames -------------------------------------------------------------- */

static S_frame *S_top(S_parser *P)
{
    return P->nframes > 0 ? &P->st[P->nframes - 1] : NULL;
}

static doc_node *S_top_node(S_parser *P)
{
    for (int i = P->nframes - 1; i >= 0; i--)
        if (P->st[i].node)
            return P->st[i].node;
    return P->d->root;
}

/* Create a node, attach it under the innermost open node and push it. */
static doc_node *S_push(S_parser *P, doc_type type, int kind)
{
    if (P->nframes >= S_MAX_FRAMES || P->ndepth >= DOC_MAX_DEPTH) {
        S_error(P, S_fallback_off(P),
                "nesting deeper than %d levels (blocks and inline spans "
                "together)", DOC_MAX_DEPTH);
        return NULL;
    }
    doc_node *n = doc_node_new(type, 0, 0, P->e);
    if (!n)
        return NULL;
    doc_node_append(S_top_node(P), n);
    S_frame *f = &P->st[P->nframes++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->kind = kind;
    f->href_off = SIZE_MAX;
    P->ndepth++;
    return n;
}

static int S_push_empty(S_parser *P)
{
    if (P->nframes >= S_MAX_FRAMES)
        return S_error(P, S_fallback_off(P), "nesting too deep");
    S_frame *f = &P->st[P->nframes++];
    memset(f, 0, sizeof *f);
    f->href_off = SIZE_MAX;
    return 0;
}

/* Pop the top frame; give its node a fallback position if it has none. */
static void S_pop(S_parser *P)
{
    S_frame *f = S_top(P);
    if (!f)
        return;
    if (f->node) {
        if (!f->positioned)
            S_position(P, P->nframes - 1, S_fallback_off(P), 1);
        P->ndepth--;
    }
    P->nframes--;
}

/* ---- attribute and text helpers ----------------------------------------- */

/* Decode an md4c attribute (NORMAL / ENTITY / NULLCHAR pieces) into a new
 * string. */
static char *S_attr(S_parser *P, const MD_ATTRIBUTE *a)
{
    size_t cap = (size_t)a->size * 4 + 1;
    char *out = malloc(cap);
    if (!out) {
        err_nomem(P->e);
        return NULL;
    }
    size_t w = 0;
    for (int k = 0; a->size > 0 && a->substr_offsets; k++) {
        MD_OFFSET o0 = a->substr_offsets[k];
        if (o0 >= a->size)
            break;
        MD_OFFSET o1 = a->substr_offsets[k + 1];
        if (o1 > a->size)
            o1 = a->size;
        const char *s = a->text + o0;
        size_t n = o1 - o0;
        size_t dn = 0;
        if (a->substr_types[k] == MD_TEXT_ENTITY)
            dn = mdp_entity_decode(s, n, out + w);
        else if (a->substr_types[k] == MD_TEXT_NULLCHAR)
            dn = mdp_utf8_put(out + w, 0xFFFD);
        if (dn == 0) {
            memcpy(out + w, s, n);
            dn = n;
        }
        w += dn;
    }
    out[w] = '\0';
    return out;
}

/* Append text to the inline container `parent`, merging with a preceding
 * text node. */
static int S_add_text(S_parser *P, doc_node *parent, const char *s, size_t n,
                      size_t off)
{
    doc_node *t = parent->last_child;
    if (!t || t->type != DOC_TEXT) {
        t = doc_node_new(DOC_TEXT, 0, 0, P->e);
        if (!t)
            return -1;
        mdp_cursor_pos(&P->cur, off, &t->line, &t->col);
        doc_node_append(parent, t);
    }
    return doc_node_append_text(t, s, n, P->e);
}

/* Is the byte at off preceded by an odd number of backslashes? */
static int S_escaped(const S_parser *P, size_t off)
{
    size_t k = 0;
    while (off > k + P->body && P->buf[off - k - 1] == '\\')
        k++;
    return (int)(k & 1);
}

/* md4c hands an unclosed `$$` over as plain text: that is always a
 * template mistake (a literal dollar is written `\$`). */
static int S_check_dollars(S_parser *P, size_t off, size_t n)
{
    const char *b = P->buf;
    for (size_t i = off; i < off + n; i++) {
        if (b[i] == '$' && i + 1 < P->len && b[i + 1] == '$' &&
            !S_escaped(P, i))
            return S_error(P, i, "unterminated display math: '$$' without "
                                 "a closing '$$' in the same paragraph "
                                 "(write \\$ for a literal dollar sign)");
        if (b[i] == '$' && i + 1 < P->len && b[i + 1] == '$')
            i++;
    }
    return 0;
}

/* md4c 0.4.8 lets odd runs of dollars end up inside a math span
 * ("$\n$$$ x\n$"); TeX cannot use an unescaped '$' there and the Markdown
 * export could not write it back, so it is a template error. */
static int S_check_math(S_parser *P, const doc_node *n)
{
    size_t bs = 0;
    for (size_t i = 0; i < n->text_len; i++) {
        char c = n->text[i];
        if (c == '$' && (bs & 1) == 0)
            return err_at(P->e, LB_EXIT_INPUT, P->path, n->line, n->col,
                          "unexpected '$' inside math (a formula cannot "
                          "contain an unescaped dollar sign; write \\$)");
        bs = c == '\\' ? bs + 1 : 0;
    }
    return 0;
}

/* ---- directives ---------------------------------------------------------- */

/* Does the subtree below n (excluding n) hold a figure / table directive?
 * Returns the first one. */
static const doc_node *S_find_block_directive(const doc_node *n)
{
    for (const doc_node *c = doc_next(n, n); c; c = doc_next(n, c))
        if (c->type == DOC_FIGURE || c->type == DOC_GENTABLE)
            return c;
    return NULL;
}

static int S_not_alone(S_parser *P, const doc_node *x, const char *where)
{
    return S_error_node(P, x, "%s directive must stand alone in its own "
                        "paragraph%s",
                        x->type == DOC_FIGURE ? "figure" : "table", where);
}

static void S_trim(doc_node *n)
{
    if (!n->text)
        return;
    size_t a = 0, z = n->text_len;
    while (a < z && S_isdelim(n->text[a], " \t\r\n"))
        a++;
    while (z > a && S_isdelim(n->text[z - 1], " \t\r\n"))
        z--;
    memmove(n->text, n->text + a, z - a);
    n->text[z - a] = '\0';
    n->text_len = z - a;
}

/* A picture file that is not alone in its paragraph (or sits in a heading,
 * cell, link or caption) stays an ordinary inline image. */
static void S_revert_images(doc_node *root)
{
    for (doc_node *c = (doc_node *)doc_next(root, root); c;
         c = (doc_node *)doc_next(root, c))
        if (c->type == DOC_FIGURE && c->fig_src == DOC_FIG_IMAGE) {
            c->type = DOC_IMAGE;
            c->fig_src = DOC_FIG_CATALOG;
            free(c->src);
            c->src = NULL;
            c->width = 1.0;
        }
}

/* A paragraph closes: a lone figure / table directive replaces it, a lone
 * $$...$$ turns it into a math block; any other directive placement is an
 * error. */
static int S_close_paragraph(S_parser *P, doc_node *p)
{
    doc_node *c = p->first_child;
    if (!(c && c == p->last_child && c->type == DOC_FIGURE &&
          c->fig_src == DOC_FIG_IMAGE))
        S_revert_images(p);
    else
        S_revert_images(c);
    if (c && c == p->last_child &&
        (c->type == DOC_FIGURE || c->type == DOC_GENTABLE)) {
        const doc_node *x = S_find_block_directive(c);
        if (x)
            return S_not_alone(P, x, " (not inside a caption)");
        doc_node *parent = p->parent;
        doc_node_unlink(c);
        doc_node_free(p);       /* p is parent's last child: order kept */
        doc_node_append(parent, c);
        return 0;
    }
    if (c && c == p->last_child && c->type == DOC_DMATH) {
        p->type = DOC_MATH_BLOCK;
        p->text = c->text;
        p->text_len = c->text_len;
        c->text = NULL;
        doc_node_free(c);
        return 0;
    }
    const doc_node *x = S_find_block_directive(p);
    if (x)
        return S_not_alone(P, x, " (blank lines before and after it)");
    return 0;
}

/* Parse the caption text as Markdown inlines and move them under fig;
 * positions: the caption sits on line `line` from column `col`. */
static int S_caption(const char *path, doc_node *fig, const char *cap, int line, int col,
                     lb_err *e)
{
    lb_err ce;
    err_clear(&ce);
    doc *cd = mdp_parse(path, cap, strlen(cap), &ce);
    if (!cd) {
        /* re-locate "PATH:1:C: msg" on the info line */
        const char *m = ce.msg, *pl = strstr(m, ":1:");
        int c = pl ? atoi(pl + 3) : 1;
        const char *msg = pl ? strchr(pl + 3, ':') : NULL;
        return err_at(e, ce.code ? ce.code : LB_EXIT_INPUT, path, line, col + c - 1,
                      "in the caption: %s", msg ? msg + 2 : m);
    }
    doc_node *para = cd->root->first_child;
    if (para && (para->type != DOC_PARAGRAPH || para->next)) {
        doc_free(cd);
        return err_at(e, LB_EXIT_INPUT, path, line, col,
                      "a gnuplot caption holds text and inline markup only (no "
                      "directives, blocks or line breaks)");
    }
    while (para && para->first_child) {
        doc_node *c = para->first_child;
        doc_node_unlink(c);
        for (doc_node *x = c; x; x = (doc_node *)doc_next(c, x)) {
            x->col = col + x->col - 1;
            x->line = line;
        }
        doc_node_append(fig, c);
    }
    for (const doc_node *x = fig->first_child; x; x = doc_next(fig, x))
        if (x->type == DOC_FIGURE || x->type == DOC_GENTABLE || x->type == DOC_REF) {
            doc_free(cd);
            return err_at(e, LB_EXIT_INPUT, path, x->line, x->col,
                          "a gnuplot caption cannot hold a directive or reference");
        }
    doc_free(cd);
    return 0;
}

/* A ```gnuplot block with attributes becomes a figure (mdparse_dir.c
 * reads the attributes; its caption is parsed here as Markdown). */
static int S_gnuplot_figure(S_parser *P, doc_node *n)
{
    /* the info string's column: after the fence on the fence's line */
    size_t off = P->body;
    for (int l = 1; l < n->line && off < P->len; off++)
        if (P->buf[off] == '\n')
            l++;
    int info_col = n->col;
    if (off < P->len) {
        size_t k = off;
        while (k < P->len && (P->buf[k] == ' ' || P->buf[k] == '>'))
            k++;
        char fc = k < P->len ? P->buf[k] : '`';
        size_t f = k;
        while (f < P->len && P->buf[f] == fc)
            f++;
        while (f < P->len && P->buf[f] == ' ')
            f++;
        int line;
        mdp_cursor_pos(&P->cur, f, &line, &info_col);
    }
    char *cap = NULL;
    int cap_col = info_col;
    int r = mdp_gnuplot_block(P->path, n, info_col, &cap, &cap_col, P->e);
    if (r <= 0)
        return r;
    r = cap ? S_caption(P->path, n, cap, n->line, cap_col, P->e) : 0;
    free(cap);
    return r;
}

/* ---- md4c callbacks ------------------------------------------------------ */

static int S_finish_span(S_parser *P);

static int S_close_implicit(S_parser *P)
{
    S_frame *f = S_top(P);
    while (f && f->implicit) {
        doc_node *p = f->node;
        S_pop(P);
        if (S_close_paragraph(P, p) < 0)
            return -1;
        f = S_top(P);
    }
    return 0;
}

/* The node inline content goes into; opens an implicit paragraph inside a
 * tight list item (md4c sends no MD_BLOCK_P there). */
static doc_node *S_inline_parent(S_parser *P)
{
    doc_node *top = S_top_node(P);
    if (top->type != DOC_ITEM)
        return top;
    doc_node *p = S_push(P, DOC_PARAGRAPH, S_K_BLOCK);
    if (p)
        S_top(P)->implicit = 1;
    return p;
}

static int S_enter_block(MD_BLOCKTYPE type, void *det, void *ud)
{
    S_parser *P = ud;
    doc_node *n = NULL;
    if (S_close_implicit(P) < 0)
        return -1;
    switch (type) {
    case MD_BLOCK_DOC: {
        S_frame *f = &P->st[P->nframes++];
        memset(f, 0, sizeof *f);
        f->node = P->d->root;
        f->positioned = 1;
        f->href_off = SIZE_MAX;
        return 0;
    }
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        if (++P->containers > S_MAX_CONTAINERS)
            return S_error(P, S_fallback_off(P),
                           "lists and block quotes nested deeper than %d "
                           "levels", S_MAX_CONTAINERS);
        n = S_push(P, type == MD_BLOCK_QUOTE ? DOC_QUOTE : DOC_LIST,
                   S_K_BLOCK);
        if (!n)
            return -1;
        if (type == MD_BLOCK_UL) {
            const MD_BLOCK_UL_DETAIL *u = det;
            n->tight = u->is_tight != 0;
            n->mark = u->mark;
        } else if (type == MD_BLOCK_OL) {
            const MD_BLOCK_OL_DETAIL *o = det;
            n->ordered = 1;
            n->start = o->start;
            n->tight = o->is_tight != 0;
            n->mark = o->mark_delimiter;
        }
        return 0;
    case MD_BLOCK_LI:
        return S_push(P, DOC_ITEM, S_K_BLOCK) ? 0 : -1;
    case MD_BLOCK_HR:
        return S_push(P, DOC_HRULE, S_K_BLOCK) ? 0 : -1;
    case MD_BLOCK_H:
        n = S_push(P, DOC_HEADING, S_K_HEADING);
        if (!n)
            return -1;
        n->level = (int)((const MD_BLOCK_H_DETAIL *)det)->level;
        if (n->level < 1 || n->level > 6)
            n->level = n->level < 1 ? 1 : 6;
        return 0;
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
        n = S_push(P, DOC_CODE_BLOCK, S_K_CODEBLOCK);
        if (!n)
            return -1;
        if (type == MD_BLOCK_CODE)
            n->info = S_attr(P, &((const MD_BLOCK_CODE_DETAIL *)det)->info);
        else
            n->info = strdup("");
        if (!n->info)
            return err_nomem(P->e);
        return doc_node_append_text(n, "", 0, P->e);
    case MD_BLOCK_P:
        return S_push(P, DOC_PARAGRAPH, S_K_BLOCK) ? 0 : -1;
    case MD_BLOCK_TABLE: {
        const MD_BLOCK_TABLE_DETAIL *t = det;
        n = S_push(P, DOC_TABLE, S_K_BLOCK);
        if (!n)
            return -1;
        n->n_cols = (int)t->col_count;
        n->aligns = calloc(t->col_count ? t->col_count : 1,
                           sizeof *n->aligns);
        if (!n->aligns)
            return err_nomem(P->e);
        P->table = n;
        return 0;
    }
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
        P->in_thead = type == MD_BLOCK_THEAD;
        return S_push_empty(P);
    case MD_BLOCK_TR:
        n = S_push(P, DOC_TABLE_ROW, S_K_BLOCK);
        if (!n)
            return -1;
        n->header = P->in_thead;
        P->col_index = 0;
        return 0;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        const MD_BLOCK_TD_DETAIL *td = det;
        n = S_push(P, DOC_TABLE_CELL, S_K_BLOCK);
        if (!n)
            return -1;
        switch (td->align) {
        case MD_ALIGN_LEFT: n->align = DOC_ALIGN_LEFT; break;
        case MD_ALIGN_CENTER: n->align = DOC_ALIGN_CENTER; break;
        case MD_ALIGN_RIGHT: n->align = DOC_ALIGN_RIGHT; break;
        default: n->align = DOC_ALIGN_NONE; break;
        }
        if (P->table && P->col_index < P->table->n_cols && P->in_thead)
            P->table->aligns[P->col_index] = n->align;
        P->col_index++;
        return 0;
    }
    }
    return 0;
}

static int S_leave_block(MD_BLOCKTYPE type, void *det, void *ud)
{
    S_parser *P = ud;
    (void)det;
    /* close what md4c left open inside the block: an implicit paragraph,
     * and spans whose leave never came (robustness against md4c bugs) */
    for (;;) {
        if (S_close_implicit(P) < 0)
            return -1;
        S_frame *t = S_top(P);
        if (!t || !t->is_span)
            break;
        P->anomalies++;
        if (S_finish_span(P) < 0)
            return -1;
    }
    S_frame *f = S_top(P);
    if (!f)
        return S_error(P, S_fallback_off(P), "internal: unbalanced blocks");
    doc_node *n = f->node;
    if (type == MD_BLOCK_DOC) {
        P->nframes--;
        return 0;
    }
    if (type == MD_BLOCK_HR && !f->positioned)
        S_position(P, P->nframes - 1, S_find_hr(P), 1);
    S_pop(P);
    switch (type) {
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        P->containers--;
        break;
    case MD_BLOCK_P:
        return S_close_paragraph(P, n);
    case MD_BLOCK_H:
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        if (type == MD_BLOCK_H)
            S_skip_setext(P);
        S_revert_images(n);
        const doc_node *x = S_find_block_directive(n);
        if (x)
            return S_not_alone(P, x, type == MD_BLOCK_H
                                         ? " (not inside a heading)"
                                         : " (not inside a table cell)");
        break;
    }
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
        /* every code line ends in '\n'; the model stores lines joined */
        if (n->text_len > 0 && n->text[n->text_len - 1] == '\n')
            n->text[--n->text_len] = '\0';
        if (type == MD_BLOCK_CODE)
            return S_gnuplot_figure(P, n);
        break;
    case MD_BLOCK_TABLE: {
        /* the enclosing table, if this one was nested in a list item */
        P->table = NULL;
        for (int i = P->nframes - 1; i >= 0; i--)
            if (P->st[i].node && P->st[i].node->type == DOC_TABLE) {
                P->table = P->st[i].node;
                break;
            }
        break;
    }
    default:
        break;
    }
    return 0;
}

static int S_enter_span0(MD_SPANTYPE type, void *det, void *ud)
{
    S_parser *P = ud;
    doc_node *parent = S_inline_parent(P);
    if (!parent)
        return -1;
    doc_node *n = NULL;
    switch (type) {
    case MD_SPAN_EM:
        return S_push(P, DOC_EMPH, S_K_EM) ? 0 : -1;
    case MD_SPAN_STRONG:
        return S_push(P, DOC_STRONG, S_K_STRONG) ? 0 : -1;
    case MD_SPAN_DEL:
        return S_push(P, DOC_STRIKE, S_K_DEL) ? 0 : -1;
    case MD_SPAN_CODE:
        n = S_push(P, DOC_CODE, S_K_CODE);
        return n ? doc_node_append_text(n, "", 0, P->e) : -1;
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
        n = S_push(P, type == MD_SPAN_LATEXMATH ? DOC_MATH : DOC_DMATH,
                   type == MD_SPAN_LATEXMATH ? S_K_MATH : S_K_DMATH);
        return n ? doc_node_append_text(n, "", 0, P->e) : -1;
    case MD_SPAN_A:
    case MD_SPAN_IMG: {
        /* MD_SPAN_IMG_DETAIL has the same layout (src, title) */
        const MD_SPAN_A_DETAIL *a = det;
        int img = type == MD_SPAN_IMG;
        n = S_push(P, img ? DOC_IMAGE : DOC_LINK, img ? S_K_IMG : S_K_LINK);
        if (!n)
            return -1;
        S_frame *f = S_top(P);
        size_t ho;
        if (S_in_buf(P, a->href.text, &ho))
            f->href_off = ho;
        n->url = S_attr(P, &a->href);
        if (!n->url)
            return -1;
        if (a->title.size > 0 && !(n->title = S_attr(P, &a->title)))
            return -1;
        const char *u = n->url;
        if (strncmp(u, "figure:", 7) == 0)
            f->directive = img ? S_D_FIGURE : S_D_FIG_AS_LINK;
        else if (strncmp(u, "table:", 6) == 0)
            f->directive = img ? S_D_TABLE_AS_IMG : S_D_TABLE;
        else if (strncmp(u, "value:", 6) == 0)
            f->directive = img ? S_D_VALUE_AS_IMG : S_D_VALUE;
        else if (strncmp(u, "ref:", 4) == 0)
            f->directive = img ? S_D_REF_AS_IMG : S_D_REF;
        else if (img && mdp_is_image_file(u))
            f->directive = S_D_IMGFILE;
        if (f->directive == S_D_REF)
            n->type = DOC_REF;
        if (f->directive == S_D_FIGURE)
            n->type = DOC_FIGURE;
        else if (f->directive == S_D_TABLE)
            n->type = DOC_GENTABLE;
        else if (f->directive == S_D_VALUE)
            n->type = DOC_VALUE;
        return 0;
    }
    default:
        /* underline / wiki links are not enabled: keep the content */
        return S_push(P, DOC_EMPH, S_K_BLOCK) ? 0 : -1;
    }
}

static int S_enter_span(MD_SPANTYPE type, void *det, void *ud)
{
    S_parser *P = ud;
    int before = P->nframes;
    int rc = S_enter_span0(type, det, ud);
    S_frame *f = S_top(P);
    if (rc == 0 && f && P->nframes > before)
        f->is_span = 1;
    return rc;
}

/* Position of a link / image from its destination when it had no text:
 * step back over "](" to the '[' (and '!'). */
static size_t S_href_start(const S_parser *P, const S_frame *f)
{
    const char *b = P->buf;
    size_t j = f->href_off, lo = P->body;
    if (j > lo && b[j - 1] == '<')
        j--;
    while (j > lo && S_isdelim(b[j - 1], " \t\r\n"))
        j--;
    if (j > lo && b[j - 1] == '(')
        j--;
    if (j > lo && b[j - 1] == ']')
        j--;
    if (j > lo && b[j - 1] == '[')
        j--;
    if (f->kind == S_K_IMG && j > lo && b[j - 1] == '!')
        j--;
    return j;
}

/* Does the open inline node belong to an md4c span of this type? */
static int S_span_matches(MD_SPANTYPE t, doc_type dt)
{
    switch (t) {
    case MD_SPAN_EM: return dt == DOC_EMPH;
    case MD_SPAN_STRONG: return dt == DOC_STRONG;
    case MD_SPAN_DEL: return dt == DOC_STRIKE;
    case MD_SPAN_CODE: return dt == DOC_CODE;
    case MD_SPAN_LATEXMATH: return dt == DOC_MATH;
    case MD_SPAN_LATEXMATH_DISPLAY: return dt == DOC_DMATH;
    case MD_SPAN_A:
        return dt == DOC_LINK || dt == DOC_GENTABLE || dt == DOC_VALUE || dt == DOC_REF;
    case MD_SPAN_IMG: return dt == DOC_IMAGE || dt == DOC_FIGURE;
    default: return dt == DOC_EMPH;
    }
}

/* Close the innermost open span (its node is the top frame's). */
static int S_finish_span(S_parser *P)
{
    S_frame *f = S_top(P);
    doc_node *n = f->node;
    int dir = f->directive;
    if (!f->positioned && f->href_off != SIZE_MAX)
        S_position(P, P->nframes - 1, S_href_start(P, f), 1);
    S_pop(P);
    switch (dir) {
    case S_D_FIGURE:
    case S_D_TABLE:
    case S_D_VALUE:
    case S_D_REF:
        if (mdp_directive(P->path, n, dir == S_D_FIGURE ? MDP_DIR_FIGURE
                          : dir == S_D_TABLE ? MDP_DIR_TABLE
                          : dir == S_D_REF ? MDP_DIR_REF : MDP_DIR_VALUE,
                          P->e) < 0)
            return -1;
        if (dir == S_D_VALUE || dir == S_D_REF) {
            /* the link text is only a placeholder for previews */
            while (n->first_child)
                doc_node_free(n->first_child);
        }
        return 0;
    case S_D_FIG_AS_LINK:
        return S_error_node(P, n, "figure directive must use image syntax: "
                            "%s%s", "![caption](figure:NAME)", "");
    case S_D_TABLE_AS_IMG:
        return S_error_node(P, n, "table directive must use link syntax "
                            "(no '!'): %s%s", "[caption](table:NAME)", "");
    case S_D_VALUE_AS_IMG:
        return S_error_node(P, n, "value directive must use link syntax "
                            "(no '!'): %s%s", "[text](value:NAME)", "");
    case S_D_REF_AS_IMG:
        return S_error_node(P, n, "reference must use link syntax "
                            "(no '!'): %s%s", "[text](ref:NAME)", "");
    case S_D_IMGFILE:
        return mdp_image_figure(P->path, n, P->e);
    default:
        if (n->type == DOC_DMATH || n->type == DOC_MATH_BLOCK)
            S_trim(n);
        if (n->type == DOC_MATH || n->type == DOC_DMATH)
            return S_check_math(P, n);
        return 0;
    }
}

static int S_leave_span(MD_SPANTYPE type, void *det, void *ud)
{
    S_parser *P = ud;
    (void)det;
    S_frame *f = S_top(P);
    /* md4c 0.4.8 can emit a leave without its enter on broken link
     * destinations: ignore a leave that matches no open span */
    if (!f || !f->is_span || !S_span_matches(type, f->node->type)) {
        P->anomalies++;
        return 0;
    }
    return S_finish_span(P);
}

static int S_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size,
                  void *ud)
{
    S_parser *P = ud;
    size_t off = 0;
    int inbuf = S_in_buf(P, text, &off);
    /* md4c 0.4.8 has known memory bugs (fixed upstream in 0.5.x): never
     * trust a chunk that runs past the input, or a "static" chunk (line
     * breaks, math newlines, code indentation: at most 16 spaces at a time
     * in 0.4.8) longer than that. */
    if ((inbuf && size > P->len - off) || (!inbuf && size > 16))
        return S_error(P, inbuf ? off : S_fallback_off(P),
                       "the Markdown parser (md4c) returned a broken text "
                       "span here; please simplify the markup around it");
    /* open the implicit paragraph of a tight list item first, so that it
     * takes this text's position */
    doc_type tt = S_top_node(P)->type;
    if (tt != DOC_CODE_BLOCK && tt != DOC_CODE && tt != DOC_MATH &&
        tt != DOC_DMATH && tt != DOC_VALUE && tt != DOC_REF && !S_inline_parent(P))
        return -1;
    if (inbuf) {
        S_position(P, P->nframes - 1, off, 0);
        P->last_end = off + size;
        P->seen_text = 1;
    } else {
        off = S_fallback_off(P);
    }
    doc_node *top = S_top_node(P);
    switch (top->type) {
    case DOC_CODE_BLOCK:
        return doc_node_append_text(top, text, size, P->e);
    case DOC_CODE:
        if (type == MD_TEXT_BR || type == MD_TEXT_SOFTBR)
            return doc_node_append_text(top, " ", 1, P->e);
        return doc_node_append_text(top, text, size, P->e);
    case DOC_MATH:
    case DOC_DMATH:
        /* md4c turns each source newline into a " " that is not in the
         * buffer: restore the newline in display math (Markdown export
         * keeps the author's line layout); a space in inline math. */
        if (!inbuf || type == MD_TEXT_BR || type == MD_TEXT_SOFTBR)
            return doc_node_append_text(top, top->type == DOC_DMATH ? "\n"
                                                                    : " ",
                                        1, P->e);
        return doc_node_append_text(top, text, size, P->e);
    case DOC_VALUE:
    case DOC_REF:
        return 0;   /* placeholder text is dropped */
    default:
        break;
    }
    doc_node *parent = S_inline_parent(P);
    if (!parent)
        return -1;
    switch (type) {
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR: {
        doc_node *b = doc_node_new(type == MD_TEXT_BR ? DOC_LINEBREAK
                                                      : DOC_SOFTBREAK,
                                   0, 0, P->e);
        if (!b)
            return -1;
        mdp_cursor_pos(&P->cur, S_fallback_off(P), &b->line, &b->col);
        doc_node_append(parent, b);
        return 0;
    }
    case MD_TEXT_ENTITY: {
        char u[8];
        size_t k = mdp_entity_decode(text, size, u);
        if (k > 0)
            return S_add_text(P, parent, u, k, off);
        return S_add_text(P, parent, text, size, off);
    }
    case MD_TEXT_NULLCHAR:
        return S_add_text(P, parent, "\xEF\xBF\xBD", 3, off);
    case MD_TEXT_NORMAL:
        if (inbuf && S_check_dollars(P, off, size) < 0)
            return -1;
        return S_add_text(P, parent, text, size, off);
    default:
        return S_add_text(P, parent, text, size, off);
    }
}

/* ---- entry points -------------------------------------------------------- */

doc *mdp_parse(const char *path, const char *buf, size_t len, lb_err *e)
{
    return mdp_parse_ex(path, buf, len, NULL, e);
}

doc *mdp_parse_ex(const char *path, const char *buf, size_t len,
                  mdp_stats *st, lb_err *e)
{
    S_parser *P = NULL;
    doc *d = NULL;
    char *copy = NULL;
    const char *pth = path ? path : "<template>";
    if (!buf && len > 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: no template text", pth);
        goto fail;
    }
    if (!buf)
        buf = "";
    if (len > MDP_MAX_BYTES) {
        err_at(e, LB_EXIT_INPUT, pth, 0, 0, "template is %zu bytes (at most "
               "%u allowed)", len, MDP_MAX_BYTES);
        goto fail;
    }
    d = doc_new(pth, e);
    P = calloc(1, sizeof *P);
    if (!d || !P) {
        err_nomem(e);
        goto fail;
    }
    /* md4c 0.4.8 may read a few bytes past the end of its input (an
     * upstream bug): parse a private copy followed by zero padding, so
     * what it reads there is defined and the result deterministic. */
    copy = malloc(len + S_PAD);
    if (!copy) {
        err_nomem(e);
        goto fail;
    }
    memcpy(copy, buf, len);
    memset(copy + len, 0, S_PAD);
    buf = copy;
    P->path = pth;
    P->buf = buf;
    P->len = len;
    P->d = d;
    P->e = e;
    mdp_cursor_init(&P->cur, buf, len);

    int is_nul = 0;
    size_t bad = mdp_utf8_check(buf, len, &is_nul);
    if (bad < len) {
        int line, col;
        mdp_cursor_pos(&P->cur, bad, &line, &col);
        if (is_nul)
            err_at(e, LB_EXIT_INPUT, pth, line, col, "NUL byte in the "
                   "template (expected UTF-8 text)");
        else
            err_at(e, LB_EXIT_INPUT, pth, line, col, "invalid UTF-8 byte "
                   "0x%02X (the template must be UTF-8 text)",
                   (unsigned char)buf[bad]);
        goto fail;
    }
    size_t start = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        start = 3;   /* a byte order mark some editors write */
    if (mdp_front_matter(pth, buf, len, start, &P->cur, &d->meta, &P->body,
                         e) < 0)
        goto fail;
    P->hr_scan = P->body;

    MD_PARSER parser;
    memset(&parser, 0, sizeof parser);
    parser.flags = MD_FLAG_TABLES | MD_FLAG_LATEXMATHSPANS |
                   MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEURLAUTOLINKS |
                   MD_FLAG_NOHTML;
    parser.enter_block = S_enter_block;
    parser.leave_block = S_leave_block;
    parser.enter_span = S_enter_span;
    parser.leave_span = S_leave_span;
    parser.text = S_text;
    int rc = md_parse(buf + P->body, (MD_SIZE)(len - P->body), &parser, P);
    if (rc != 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: the Markdown parser failed (md4c "
                "returned %d)", pth, rc);
        goto fail;
    }
    if (P->nframes != 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: internal: unbalanced md4c events",
                pth);
        goto fail;
    }
    if (doc_number(d, e) < 0 || xref_resolve(d, e) < 0)
        goto fail;
    if (st)
        st->md4c_anomalies = P->anomalies;
    free(P);
    free(copy);
    return d;
fail:
    if (st && P)
        st->md4c_anomalies = P->anomalies;
    free(P);
    free(copy);
    doc_free(d);
    return NULL;
}
