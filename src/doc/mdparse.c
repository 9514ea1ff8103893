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
#include "doc/mdparse_build.h"
#include "doc/xref.h"
#include "base/fileio.h"

/* ---- md4c callbacks ------------------------------------------------------ */

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
static int S_gnuplot_figure(mdp_parser *P, doc_node *n)
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

static int S_finish_span(mdp_parser *P);

static int S_close_implicit(mdp_parser *P)
{
    mdp_frame *f = mdp_top(P);
    while (f && f->implicit) {
        doc_node *p = f->node;
        mdp_pop(P);
        if (mdp_close_paragraph(P, p) < 0)
            return -1;
        f = mdp_top(P);
    }
    return 0;
}

/* The node inline content goes into; opens an implicit paragraph inside a
 * tight list item (md4c sends no MD_BLOCK_P there). */
static doc_node *S_inline_parent(mdp_parser *P)
{
    doc_node *top = mdp_top_node(P);
    if (top->type != DOC_ITEM)
        return top;
    doc_node *p = mdp_push(P, DOC_PARAGRAPH, MDP_K_BLOCK);
    if (p)
        mdp_top(P)->implicit = 1;
    return p;
}

static int S_enter_block(MD_BLOCKTYPE type, void *det, void *ud)
{
    mdp_parser *P = ud;
    doc_node *n = NULL;
    if (S_close_implicit(P) < 0)
        return -1;
    switch (type) {
    case MD_BLOCK_DOC: {
        mdp_frame *f = &P->st[P->nframes++];
        memset(f, 0, sizeof *f);
        f->node = P->d->root;
        f->positioned = 1;
        f->href_off = SIZE_MAX;
        return 0;
    }
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        if (++P->containers > MDP_MAX_CONTAINERS)
            return mdp_error(P, mdp_fallback_off(P),
                           "lists and block quotes nested deeper than %d "
                           "levels", MDP_MAX_CONTAINERS);
        n = mdp_push(P, type == MD_BLOCK_QUOTE ? DOC_QUOTE : DOC_LIST,
                   MDP_K_BLOCK);
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
        return mdp_push(P, DOC_ITEM, MDP_K_BLOCK) ? 0 : -1;
    case MD_BLOCK_HR:
        return mdp_push(P, DOC_HRULE, MDP_K_BLOCK) ? 0 : -1;
    case MD_BLOCK_H:
        n = mdp_push(P, DOC_HEADING, MDP_K_HEADING);
        if (!n)
            return -1;
        n->level = (int)((const MD_BLOCK_H_DETAIL *)det)->level;
        if (n->level < 1 || n->level > 6)
            n->level = n->level < 1 ? 1 : 6;
        return 0;
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
        n = mdp_push(P, DOC_CODE_BLOCK, MDP_K_CODEBLOCK);
        if (!n)
            return -1;
        if (type == MD_BLOCK_CODE)
            n->info = mdp_attr(P, &((const MD_BLOCK_CODE_DETAIL *)det)->info);
        else
            n->info = strdup("");
        if (!n->info)
            return err_nomem(P->e);
        return doc_node_append_text(n, "", 0, P->e);
    case MD_BLOCK_P:
        return mdp_push(P, DOC_PARAGRAPH, MDP_K_BLOCK) ? 0 : -1;
    case MD_BLOCK_TABLE: {
        const MD_BLOCK_TABLE_DETAIL *t = det;
        n = mdp_push(P, DOC_TABLE, MDP_K_BLOCK);
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
        return mdp_push_empty(P);
    case MD_BLOCK_TR:
        n = mdp_push(P, DOC_TABLE_ROW, MDP_K_BLOCK);
        if (!n)
            return -1;
        n->header = P->in_thead;
        P->col_index = 0;
        return 0;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        const MD_BLOCK_TD_DETAIL *td = det;
        n = mdp_push(P, DOC_TABLE_CELL, MDP_K_BLOCK);
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
    mdp_parser *P = ud;
    (void)det;
    /* close what md4c left open inside the block: an implicit paragraph,
     * and spans whose leave never came (robustness against md4c bugs) */
    for (;;) {
        if (S_close_implicit(P) < 0)
            return -1;
        mdp_frame *t = mdp_top(P);
        if (!t || !t->is_span)
            break;
        P->anomalies++;
        if (S_finish_span(P) < 0)
            return -1;
    }
    mdp_frame *f = mdp_top(P);
    if (!f)
        return mdp_error(P, mdp_fallback_off(P), "internal: unbalanced blocks");
    doc_node *n = f->node;
    if (type == MD_BLOCK_DOC) {
        P->nframes--;
        return 0;
    }
    if (type == MD_BLOCK_HR && !f->positioned)
        mdp_position(P, P->nframes - 1, mdp_find_hr(P), 1);
    mdp_pop(P);
    switch (type) {
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        P->containers--;
        break;
    case MD_BLOCK_P:
        return mdp_close_paragraph(P, n);
    case MD_BLOCK_H:
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        if (type == MD_BLOCK_H)
            mdp_skip_setext(P);
        mdp_revert_images(n);
        const doc_node *x = mdp_find_block_directive(n);
        if (x)
            return mdp_not_alone(P, x, type == MD_BLOCK_H
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
    mdp_parser *P = ud;
    doc_node *parent = S_inline_parent(P);
    if (!parent)
        return -1;
    doc_node *n = NULL;
    switch (type) {
    case MD_SPAN_EM:
        return mdp_push(P, DOC_EMPH, MDP_K_EM) ? 0 : -1;
    case MD_SPAN_STRONG:
        return mdp_push(P, DOC_STRONG, MDP_K_STRONG) ? 0 : -1;
    case MD_SPAN_DEL:
        return mdp_push(P, DOC_STRIKE, MDP_K_DEL) ? 0 : -1;
    case MD_SPAN_CODE:
        n = mdp_push(P, DOC_CODE, MDP_K_CODE);
        return n ? doc_node_append_text(n, "", 0, P->e) : -1;
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
        n = mdp_push(P, type == MD_SPAN_LATEXMATH ? DOC_MATH : DOC_DMATH,
                   type == MD_SPAN_LATEXMATH ? MDP_K_MATH : MDP_K_DMATH);
        return n ? doc_node_append_text(n, "", 0, P->e) : -1;
    case MD_SPAN_A:
    case MD_SPAN_IMG: {
        /* MD_SPAN_IMG_DETAIL has the same layout (src, title) */
        const MD_SPAN_A_DETAIL *a = det;
        int img = type == MD_SPAN_IMG;
        n = mdp_push(P, img ? DOC_IMAGE : DOC_LINK, img ? MDP_K_IMG : MDP_K_LINK);
        if (!n)
            return -1;
        mdp_frame *f = mdp_top(P);
        size_t ho;
        if (mdp_in_buf(P, a->href.text, &ho))
            f->href_off = ho;
        n->url = mdp_attr(P, &a->href);
        if (!n->url)
            return -1;
        if (a->title.size > 0 && !(n->title = mdp_attr(P, &a->title)))
            return -1;
        const char *u = n->url;
        if (strncmp(u, "figure:", 7) == 0)
            f->directive = img ? MDP_D_FIGURE : MDP_D_FIG_AS_LINK;
        else if (strncmp(u, "table:", 6) == 0)
            f->directive = img ? MDP_D_TABLE_AS_IMG : MDP_D_TABLE;
        else if (strncmp(u, "value:", 6) == 0)
            f->directive = img ? MDP_D_VALUE_AS_IMG : MDP_D_VALUE;
        else if (strncmp(u, "ref:", 4) == 0)
            f->directive = img ? MDP_D_REF_AS_IMG : MDP_D_REF;
        else if (img && mdp_is_image_file(u))
            f->directive = MDP_D_IMGFILE;
        if (f->directive == MDP_D_REF)
            n->type = DOC_REF;
        if (f->directive == MDP_D_FIGURE)
            n->type = DOC_FIGURE;
        else if (f->directive == MDP_D_TABLE)
            n->type = DOC_GENTABLE;
        else if (f->directive == MDP_D_VALUE)
            n->type = DOC_VALUE;
        return 0;
    }
    default:
        /* underline / wiki links are not enabled: keep the content */
        return mdp_push(P, DOC_EMPH, MDP_K_BLOCK) ? 0 : -1;
    }
}

static int S_enter_span(MD_SPANTYPE type, void *det, void *ud)
{
    mdp_parser *P = ud;
    int before = P->nframes;
    int rc = S_enter_span0(type, det, ud);
    mdp_frame *f = mdp_top(P);
    if (rc == 0 && f && P->nframes > before)
        f->is_span = 1;
    return rc;
}

/* Position of a link / image from its destination when it had no text:
 * step back over "](" to the '[' (and '!'). */
static size_t S_href_start(const mdp_parser *P, const mdp_frame *f)
{
    const char *b = P->buf;
    size_t j = f->href_off, lo = P->body;
    if (j > lo && b[j - 1] == '<')
        j--;
    while (j > lo && mdp_isdelim(b[j - 1], " \t\r\n"))
        j--;
    if (j > lo && b[j - 1] == '(')
        j--;
    if (j > lo && b[j - 1] == ']')
        j--;
    if (j > lo && b[j - 1] == '[')
        j--;
    if (f->kind == MDP_K_IMG && j > lo && b[j - 1] == '!')
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
static int S_finish_span(mdp_parser *P)
{
    mdp_frame *f = mdp_top(P);
    doc_node *n = f->node;
    int dir = f->directive;
    if (!f->positioned && f->href_off != SIZE_MAX)
        mdp_position(P, P->nframes - 1, S_href_start(P, f), 1);
    mdp_pop(P);
    switch (dir) {
    case MDP_D_FIGURE:
    case MDP_D_TABLE:
    case MDP_D_VALUE:
    case MDP_D_REF:
        if (mdp_directive(P->path, n, dir == MDP_D_FIGURE ? MDP_DIR_FIGURE
                          : dir == MDP_D_TABLE ? MDP_DIR_TABLE
                          : dir == MDP_D_REF ? MDP_DIR_REF : MDP_DIR_VALUE,
                          P->e) < 0)
            return -1;
        if (dir == MDP_D_VALUE || dir == MDP_D_REF) {
            /* the link text is only a placeholder for previews */
            while (n->first_child)
                doc_node_free(n->first_child);
        }
        return 0;
    case MDP_D_FIG_AS_LINK:
        return mdp_error_node(P, n, "figure directive must use image syntax: "
                            "%s%s", "![caption](figure:NAME)", "");
    case MDP_D_TABLE_AS_IMG:
        return mdp_error_node(P, n, "table directive must use link syntax "
                            "(no '!'): %s%s", "[caption](table:NAME)", "");
    case MDP_D_VALUE_AS_IMG:
        return mdp_error_node(P, n, "value directive must use link syntax "
                            "(no '!'): %s%s", "[text](value:NAME)", "");
    case MDP_D_REF_AS_IMG:
        return mdp_error_node(P, n, "reference must use link syntax "
                              "(no '!'): %s%s", "[text](ref:NAME)", "");
    case MDP_D_IMGFILE:
        return mdp_image_figure(P->path, n, P->e);
    default:
        if (n->type == DOC_DMATH || n->type == DOC_MATH_BLOCK)
            mdp_trim(n);
        if (n->type == DOC_MATH || n->type == DOC_DMATH)
            return mdp_check_math(P, n);
        return 0;
    }
}

static int S_leave_span(MD_SPANTYPE type, void *det, void *ud)
{
    mdp_parser *P = ud;
    (void)det;
    mdp_frame *f = mdp_top(P);
    /* md4c 0.4.8 can emit a leave without its enter on broken link
     * destinations: ignore a leave that matches no open span */
    if (!f || !f->is_span || !S_span_matches(type, f->node->type)) {
        P->anomalies++;
        return 0;
    }
    return S_finish_span(P);
}

/* Remember where the formula's next chunk (buffer offset `off`) starts in
 * the template, so an error inside a formula that spans lines points at
 * its own line and column (doc.h, tex_map). */
static int S_map_math(mdp_parser *P, doc_node *n, size_t off)
{
    if (n->text_len > (size_t)0x7fffffff)
        return 0;
    int *m = realloc(n->tex_map, (n->n_tex_map + 1) * 3 * sizeof *m);
    if (!m)
        return err_nomem(P->e);
    n->tex_map = m;
    m += 3 * n->n_tex_map++;
    m[0] = (int)n->text_len;
    mdp_cursor_pos(&P->cur, off, &m[1], &m[2]);
    return 0;
}

/* Inline raw HTML (HTML blocks are off: a line of HTML is a paragraph).  A
 * comment becomes a DOC_COMMENT holding what is between its delimiters
 * (template control, cond.h); md4c delivers a comment that spans lines in
 * several chunks, joined here.  Any other tag stays text, as it was with
 * all raw HTML off, its line breaks soft breaks. */
static int S_html(mdp_parser *P, doc_node *parent, const char *text, size_t size,
                  int inbuf, size_t off)
{
    doc_node *c = P->comment;
    if (c && c->parent == parent) {
        if (inbuf && c->text_len && c->text[c->text_len - 1] == '\n') {
            /* md4c drops a continuation line's indentation: put it back, so
             * that columns inside the comment match the source (cond.h) */
            int line, col;
            mdp_cursor_pos(&P->cur, off, &line, &col);
            for (int k = 1; k < col; k++)
                if (doc_node_append_text(c, " ", 1, P->e) < 0)
                    return -1;
        }
        if (doc_node_append_text(c, inbuf ? text : "\n", inbuf ? size : 1, P->e) < 0)
            return -1;
    } else if (size >= 4 && memcmp(text, "<!--", 4) == 0) {
        c = doc_node_new(DOC_COMMENT, 0, 0, P->e);
        if (!c)
            return -1;
        mdp_cursor_pos(&P->cur, inbuf ? off : mdp_fallback_off(P), &c->line, &c->col);
        doc_node_append(parent, c);
        if (doc_node_append_text(c, text, size, P->e) < 0)
            return -1;
    } else {
        P->comment = NULL;
        if (!inbuf || (size == 1 && text[0] == '\n')) {
            doc_node *b = doc_node_new(DOC_SOFTBREAK, 0, 0, P->e);
            if (!b)
                return -1;
            mdp_cursor_pos(&P->cur, mdp_fallback_off(P), &b->line, &b->col);
            doc_node_append(parent, b);
            return 0;
        }
        return mdp_add_text(P, parent, text, size, off);
    }
    P->comment = c;
    if (c->text_len >= 7 && memcmp(c->text + c->text_len - 3, "-->", 3) == 0) {
        /* complete: keep the inside, as written */
        memmove(c->text, c->text + 4, c->text_len - 7);
        c->text_len -= 7;
        c->text[c->text_len] = '\0';
        P->comment = NULL;
    }
    return 0;
}

static int S_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size,
                  void *ud)
{
    mdp_parser *P = ud;
    size_t off = 0;
    int inbuf = mdp_in_buf(P, text, &off);
    if (type != MD_TEXT_HTML)
        P->comment = NULL;   /* a comment's chunks come one after another */
    /* md4c 0.4.8 has known memory bugs (fixed upstream in 0.5.x): never
     * trust a chunk that runs past the input, or a "static" chunk (line
     * breaks, math newlines, code indentation: at most 16 spaces at a time
     * in 0.4.8) longer than that. */
    if ((inbuf && size > P->len - off) || (!inbuf && size > 16))
        return mdp_error(P, inbuf ? off : mdp_fallback_off(P),
                       "the Markdown parser (md4c) returned a broken text "
                       "span here; please simplify the markup around it");
    /* open the implicit paragraph of a tight list item first, so that it
     * takes this text's position */
    doc_type tt = mdp_top_node(P)->type;
    if (tt != DOC_CODE_BLOCK && tt != DOC_CODE && tt != DOC_MATH &&
        tt != DOC_DMATH && tt != DOC_VALUE && tt != DOC_REF && !S_inline_parent(P))
        return -1;
    if (inbuf) {
        mdp_position(P, P->nframes - 1, off, 0);
        P->last_end = off + size;
        P->seen_text = 1;
    } else {
        off = mdp_fallback_off(P);
    }
    doc_node *top = mdp_top_node(P);
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
        if (S_map_math(P, top, off) < 0)
            return -1;
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
        if (mdp_count_node(P) != 0)
            return -1;
        doc_node *b = doc_node_new(type == MD_TEXT_BR ? DOC_LINEBREAK
                                                      : DOC_SOFTBREAK,
                                   0, 0, P->e);
        if (!b)
            return -1;
        mdp_cursor_pos(&P->cur, mdp_fallback_off(P), &b->line, &b->col);
        doc_node_append(parent, b);
        return 0;
    }
    case MD_TEXT_ENTITY: {
        char u[8];
        size_t k = mdp_entity_decode(text, size, u);
        if (k > 0)
            return mdp_add_text(P, parent, u, k, off);
        return mdp_add_text(P, parent, text, size, off);
    }
    case MD_TEXT_NULLCHAR:
        return mdp_add_text(P, parent, "\xEF\xBF\xBD", 3, off);
    case MD_TEXT_HTML:
        return S_html(P, parent, text, size, inbuf, off);
    case MD_TEXT_NORMAL:
        if (inbuf && mdp_check_dollars(P, off, size) < 0)
            return -1;
        return mdp_add_text(P, parent, text, size, off);
    default:
        return mdp_add_text(P, parent, text, size, off);
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
    mdp_parser *P = NULL;
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
    copy = malloc(len + MDP_PAD);
    if (!copy) {
        err_nomem(e);
        goto fail;
    }
    memcpy(copy, buf, len);
    memset(copy + len, 0, MDP_PAD);
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
                   MD_FLAG_NOHTMLBLOCKS;
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

/* ---- file entry point ---------------------------------------------------- */

doc *mdp_parse_file(const char *path, lb_err *e)
{
    size_t len = 0;
    char *buf = fio_read(path, MDP_MAX_BYTES, "template", LB_EXIT_INPUT, &len, e);
    if (!buf)
        return NULL;
    doc *d = mdp_parse(path, buf, len, e);
    free(buf);
    return d;
}
