/* mdparse_build — the tree builder's state: frames that mirror md4c's open
 * blocks and spans, source positions for nodes, text and directive helpers.
 * Called by the md4c callbacks in mdparse.c; calls mdparse_text.c and
 * mdparse_dir.c.  See mdparse_build.h for the parser state.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/mdparse_build.h"
int mdp_in_buf(const mdp_parser *P, const char *p, size_t *off)
{
    uintptr_t b = (uintptr_t)P->buf, q = (uintptr_t)p;
    if (!p || q < b || q >= b + P->len)
        return 0;
    *off = (size_t)(q - b);
    return 1;
}


int mdp_error(mdp_parser *P, size_t off, const char *fmt, ...)
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

int mdp_error_node(mdp_parser *P, const doc_node *n, const char *fmt,
                        const char *a, const char *b)
{
    char msg[768];
    snprintf(msg, sizeof msg, fmt, a, b);
    return err_at(P->e, LB_EXIT_INPUT, P->path, n->line, n->col, "%s", msg);
}

/* ---- positions ----------------------------------------------------------- */

int mdp_isdelim(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

/* Step back from the first content byte over the opening delimiter of a
 * node of this kind; never before the body start. */
static size_t S_back(const mdp_parser *P, int kind, size_t off)
{
    const char *b = P->buf;
    size_t lo = P->body, j = off;
    switch (kind) {
    case MDP_K_HEADING: {
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
    case MDP_K_CODEBLOCK: {
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
    case MDP_K_EM:
        return (j > lo && mdp_isdelim(b[j - 1], "*_")) ? j - 1 : off;
    case MDP_K_STRONG:
    case MDP_K_DEL: {
        const char *set = kind == MDP_K_DEL ? "~" : "*_";
        for (int k = 0; k < 2 && j > lo && mdp_isdelim(b[j - 1], set); k++)
            j--;
        return j;
    }
    case MDP_K_CODE:
        if (j > lo + 1 && b[j - 1] == ' ' && b[j - 2] == '`')
            j--;
        while (j > lo && b[j - 1] == '`')
            j--;
        return j;
    case MDP_K_LINK:
        return (j > lo && (b[j - 1] == '[' || b[j - 1] == '<')) ? j - 1 : off;
    case MDP_K_IMG:
        return (j > lo + 1 && b[j - 1] == '[' && b[j - 2] == '!') ? j - 2
                                                                  : off;
    case MDP_K_MATH:
    case MDP_K_DMATH: {
        /* the content may start on the line after the opening dollars */
        while (j > lo && mdp_isdelim(b[j - 1], " \t\r\n"))
            j--;
        size_t k = j, nd = kind == MDP_K_MATH ? 1 : 2;
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
void mdp_position(mdp_parser *P, int i, size_t off, int skip_back)
{
    for (; i >= 0; i--) {
        mdp_frame *f = &P->st[i];
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
        if ((f->kind == MDP_K_EM || f->kind == MDP_K_STRONG) && off < P->len &&
            (P->buf[off] == '*' || P->buf[off] == '_'))
            f->node->mark = P->buf[off];
        f->positioned = 1;
    }
}

size_t mdp_fallback_off(const mdp_parser *P)
{
    return P->seen_text ? P->last_end : P->body;
}

/* A thematic break has no text: find its line, starting after the last
 * text (and after the previous rule, so runs of rules stay linear). */
size_t mdp_find_hr(mdp_parser *P)
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
        while (k < P->len && mdp_isdelim(b[k], " \t>"))
            k++;
        size_t start = k;
        char c = k < P->len ? b[k] : '\0';
        int n = 0, ok = mdp_isdelim(c, "-*_");
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
    return mdp_fallback_off(P);
}

/* A setext heading's underline ("===" / "---") follows its text: make the
 * thematic-break search start after it, so a later rule is not placed on
 * the underline. */
void mdp_skip_setext(mdp_parser *P)
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

mdp_frame *mdp_top(mdp_parser *P)
{
    return P->nframes > 0 ? &P->st[P->nframes - 1] : NULL;
}

doc_node *mdp_top_node(mdp_parser *P)
{
    for (int i = P->nframes - 1; i >= 0; i--)
        if (P->st[i].node)
            return P->st[i].node;
    return P->d->root;
}

int mdp_count_node(mdp_parser *P)
{
    if (++P->nnodes <= DOC_MAX_NODES)
        return 0;
    return mdp_error(P, mdp_fallback_off(P),
                     "more than %d elements (paragraphs, list items, table cells, text "
                     "runs, ...): the limit that keeps typesetting within bounded memory; "
                     "split the template", DOC_MAX_NODES);
}

/* Create a node, attach it under the innermost open node and push it. */
doc_node *mdp_push(mdp_parser *P, doc_type type, int kind)
{
    if (P->nframes >= MDP_MAX_FRAMES || P->ndepth >= DOC_MAX_DEPTH) {
        mdp_error(P, mdp_fallback_off(P),
                "nesting deeper than %d levels (blocks and inline spans "
                "together)", DOC_MAX_DEPTH);
        return NULL;
    }
    if (mdp_count_node(P) != 0)
        return NULL;
    doc_node *n = doc_node_new(type, 0, 0, P->e);
    if (!n)
        return NULL;
    doc_node_append(mdp_top_node(P), n);
    mdp_frame *f = &P->st[P->nframes++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->kind = kind;
    f->href_off = SIZE_MAX;
    P->ndepth++;
    return n;
}

int mdp_push_empty(mdp_parser *P)
{
    if (P->nframes >= MDP_MAX_FRAMES)
        return mdp_error(P, mdp_fallback_off(P), "nesting too deep");
    mdp_frame *f = &P->st[P->nframes++];
    memset(f, 0, sizeof *f);
    f->href_off = SIZE_MAX;
    return 0;
}

/* Pop the top frame; give its node a fallback position if it has none. */
void mdp_pop(mdp_parser *P)
{
    mdp_frame *f = mdp_top(P);
    if (!f)
        return;
    if (f->node) {
        if (!f->positioned)
            mdp_position(P, P->nframes - 1, mdp_fallback_off(P), 1);
        P->ndepth--;
    }
    P->nframes--;
}

/* ---- attribute and text helpers ----------------------------------------- */

/* Decode an md4c attribute (NORMAL / ENTITY / NULLCHAR pieces) into a new
 * string. */
char *mdp_attr(mdp_parser *P, const MD_ATTRIBUTE *a)
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
int mdp_add_text(mdp_parser *P, doc_node *parent, const char *s, size_t n,
                      size_t off)
{
    doc_node *t = parent->last_child;
    if (!t || t->type != DOC_TEXT) {
        if (mdp_count_node(P) != 0)
            return -1;
        t = doc_node_new(DOC_TEXT, 0, 0, P->e);
        if (!t)
            return -1;
        mdp_cursor_pos(&P->cur, off, &t->line, &t->col);
        doc_node_append(parent, t);
    }
    return doc_node_append_text(t, s, n, P->e);
}

/* Is the byte at off preceded by an odd number of backslashes? */
static int S_escaped(const mdp_parser *P, size_t off)
{
    size_t k = 0;
    while (off > k + P->body && P->buf[off - k - 1] == '\\')
        k++;
    return (int)(k & 1);
}

/* md4c hands an unclosed `$$` over as plain text: that is always a
 * template mistake (a literal dollar is written `\$`). */
int mdp_check_dollars(mdp_parser *P, size_t off, size_t n)
{
    const char *b = P->buf;
    for (size_t i = off; i < off + n; i++) {
        if (b[i] == '$' && i + 1 < P->len && b[i + 1] == '$' &&
            !S_escaped(P, i))
            return mdp_error(P, i, "unterminated display math: '$$' without "
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
int mdp_check_math(mdp_parser *P, const doc_node *n)
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
const doc_node *mdp_find_block_directive(const doc_node *n)
{
    for (const doc_node *c = doc_next(n, n); c; c = doc_next(n, c))
        if (c->type == DOC_FIGURE || c->type == DOC_GENTABLE)
            return c;
    return NULL;
}

int mdp_not_alone(mdp_parser *P, const doc_node *x, const char *where)
{
    return mdp_error_node(P, x, "%s directive must stand alone in its own "
                        "paragraph%s",
                        x->type == DOC_FIGURE ? "figure" : "table", where);
}

void mdp_trim(doc_node *n)
{
    if (!n->text)
        return;
    size_t a = 0, z = n->text_len;
    while (a < z && mdp_isdelim(n->text[a], " \t\r\n"))
        a++;
    while (z > a && mdp_isdelim(n->text[z - 1], " \t\r\n"))
        z--;
    /* the map follows the text: offsets move back by what was cut; a
     * chunk that began in the cut part now begins at 0 further on */
    for (size_t k = 0; k < n->n_tex_map; k++) {
        int *m = &n->tex_map[3 * k];
        if ((size_t)m[0] >= a) {
            m[0] -= (int)a;
            continue;
        }
        for (size_t i = (size_t)m[0]; i < a; i++)
            if (n->text[i] == '\n') {
                m[1]++;
                m[2] = 1;
            } else if (((unsigned char)n->text[i] & 0xC0) != 0x80) {
                m[2]++;
            }
        m[0] = 0;
    }
    memmove(n->text, n->text + a, z - a);
    n->text[z - a] = '\0';
    n->text_len = z - a;
}

/* A paragraph closes: a lone figure / table directive replaces it, a lone
 * $$...$$ turns it into a math block; any other directive placement is an
 * error. */
void mdp_revert_images(doc_node *root)
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

int mdp_close_paragraph(mdp_parser *P, doc_node *p)
{
    doc_node *c = p->first_child;
    if (!(c && c == p->last_child && c->type == DOC_FIGURE &&
          c->fig_src == DOC_FIG_IMAGE))
        mdp_revert_images(p);
    else
        mdp_revert_images(c);
    if (c && c == p->last_child &&
        (c->type == DOC_FIGURE || c->type == DOC_GENTABLE)) {
        const doc_node *x = mdp_find_block_directive(c);
        if (x)
            return mdp_not_alone(P, x, " (not inside a caption)");
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
        p->tex_map = c->tex_map;
        p->n_tex_map = c->n_tex_map;
        c->text = NULL;
        c->tex_map = NULL;
        doc_node_free(c);
        return 0;
    }
    const doc_node *x = mdp_find_block_directive(p);
    if (x)
        return mdp_not_alone(P, x, " (blank lines before and after it)");
    return 0;
}
