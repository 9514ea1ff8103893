/* pdf_hlist_inline — the document model's inline nodes (text, emphasis,
 * code, links, formulas, values, line breaks) appended to a horizontal list;
 * see pdf_hlist.h.  Split from pdf_hlist.c, whose item-level calls
 * (pdf_hl_text, pdf_hl_math_node, pdf_hl_slot, ...) it uses: it sits above
 * it and pdf_hlist.c never calls back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_hlist.h"
#include "pdf/pdf_mbox.h"
#include "pdf/pdf_text.h"
#include "compute/catalog.h"
#include "doc/xref.h"
static int S_font(const pdf_fam *f, int bold, int ital, int code)
{
    if (code) return f->tt;
    if (bold && ital) return f->bi;
    if (bold) return f->bf;
    if (ital) return f->it;
    return f->rm;
}

static int S_inl(pdf_ctx *c, pdf_hlist *hl, const doc_node *n,
                 const pdf_fam *fam, double size, int bold, int ital,
                 int strike, const doc_node **stop)
{
    for (; n; n = n->next) {
        switch (n->type) {
        case DOC_TEXT:
            if (pdf_hl_text(c, hl, n->text, n->text_len,
                            S_font(fam, bold, ital, 0), size, 0, strike,
                            n->line, n->col) < 0)
                return -1;
            break;
        case DOC_CODE:
            if (pdf_hl_text(c, hl, n->text, n->text_len,
                            S_font(fam, 0, 0, 1), size, 1, strike,
                            n->line, n->col) < 0)
                return -1;
            break;
        case DOC_EMPH:
            if (S_inl(c, hl, n->first_child, fam, size, bold, !ital, strike,
                      stop) < 0)
                return -1;
            break;
        case DOC_STRONG:
            if (S_inl(c, hl, n->first_child, fam, size, 1, ital, strike,
                      stop) < 0)
                return -1;
            break;
        case DOC_STRIKE:
            if (S_inl(c, hl, n->first_child, fam, size, bold, ital, 1,
                      stop) < 0)
                return -1;
            break;
        case DOC_LINK: {
            /* The words of a link become clickable (URI annotations). */
            const char *keep = c->cur_url;
            if (n->url && n->url[0])
                c->cur_url = n->url;
            int r = S_inl(c, hl, n->first_child, fam, size, bold, ital,
                          strike, stop);
            c->cur_url = keep;
            if (r < 0)
                return -1;
            break;
        }
        case DOC_IMAGE:
            if (pdf_hl_text(c, hl, "[", 1, S_font(fam, bold, 1, 0), size, 1,
                            0, n->line, n->col) < 0 ||
                S_inl(c, hl, n->first_child, fam, size, bold, 1, strike,
                      stop) < 0 ||
                pdf_hl_text(c, hl, "]", 1, S_font(fam, bold, 1, 0), size, 1,
                            0, n->line, n->col) < 0)
                return -1;
            break;
        case DOC_MATH:
            if (pdf_hl_math_node(c, hl, n, size) < 0)
                return -1;
            break;
        case DOC_DMATH:
            if (stop) {
                *stop = n;
                return 1;
            }
            if (pdf_hl_math_node(c, hl, n, size) < 0)
                return -1;
            break;
        case DOC_SOFTBREAK:
            if (pdf_hl_space(c, hl, S_font(fam, bold, ital, 0), size, 0) < 0)
                return -1;
            break;
        case DOC_LINEBREAK:
            if (pdf_hl_glue(c, hl, 0, 0, 0, 1) < 0 ||
                pdf_hl_penalty(c, hl, -PB_INF, 0, 0) < 0)
                return -1;
            break;
        case DOC_VALUE: {
            char buf[256];
            lb_err le;
            err_clear(&le);
            if (!c->cat)
                return err_at(c->e, LB_EXIT_INPUT, c->path, n->line, n->col,
                              "value '%s' needs the computed example",
                              n->name);
            if (cat_value_format(c->cat, n->spec, buf, sizeof buf, &le) < 0)
                return err_at(c->e, le.code ? le.code : LB_EXIT_INPUT,
                              c->path, n->line, n->col, "%s", le.msg);
            if (n->blank) {
                if (pdf_hl_slot(c, hl, buf, S_font(fam, bold, ital, 0), size) < 0)
                    return -1;
                break;
            }
            if (pdf_hl_rich(c, hl, buf, S_font(fam, bold, ital, 0), size,
                            n->line, n->col) < 0)
                return -1;
            break;
        }
        case DOC_REF: {   /* "Figure 3": the number of its target (xref.h) */
            char buf[96];
            xref_text(n, c->lang, buf, sizeof buf);
            /* TeX's "Figure~3": no line break between word and number (a
             * penalty before the space makes it no breakpoint) */
            int font = S_font(fam, bold, ital, 0);
            char *sp = strchr(buf, ' ');
            if (sp) {
                *sp = '\0';
                if (pdf_hl_text(c, hl, buf, strlen(buf), font, size, 0, 0, n->line, n->col) < 0 ||
                    pdf_hl_penalty(c, hl, PB_INF, 0, 0) < 0 || pdf_hl_space(c, hl, font, size, 0) < 0 ||
                    pdf_hl_text(c, hl, sp + 1, strlen(sp + 1), font, size, 0, 0, n->line,
                                n->col) < 0)
                    return -1;
            } else if (pdf_hl_text(c, hl, buf, strlen(buf), font, size, 0, 0, n->line,
                                   n->col) < 0) {
                return -1;
            }
            break;
        }
        default:
            break;
        }
        if (stop && *stop)
            return 1;
    }
    return 0;
}

int pdf_hl_inlines(pdf_ctx *c, pdf_hlist *hl, const doc_node *first,
                   const pdf_fam *fam, double size, const doc_node **stop)
{
    if (stop)
        *stop = NULL;
    int rc = S_inl(c, hl, first, fam, size, 0, 0, 0, stop);
    return rc < 0 ? -1 : 0;
}
