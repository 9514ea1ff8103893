/* pdf_mbox — see pdf_mbox.h. */
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_math.h"
#include "pdf/pdf_mbox.h"
#include "doc/resolve.h"
#include "doc/xref.h"

static int S_register_box(pdf_ctx *c, math_box *b)
{
    if (c->nmboxes == c->capmboxes) {
        size_t ncap = c->capmboxes ? c->capmboxes * 2 : 64;
        math_box **t = realloc(c->mboxes, ncap * sizeof *t);
        if (!t) {
            math_box_free(b);
            return err_nomem(c->e);
        }
        c->mboxes = t;
        c->capmboxes = ncap;
    }
    c->mboxes[c->nmboxes++] = b;
    return 0;
}

static int S_mbox_layout(pdf_ctx *c, pdf_mbox *m, double size)
{
    m->size = size;
    lb_err le;
    int ecol = 0;
    err_clear(&le);
    /* \eqref and \ref read the document's equation numbers */
    math_refs refs = xref_math_refs(c->doc);
    math_box *b = math_layout_refs(c->mf, m->src, m->display ? MATH_DISPLAY : MATH_TEXT, size,
                                   &refs, &ecol, &le);
    if (!b) {
        /* The same mapping res_check_math reported with, if it ran. */
        return res_math_error(c->path, m->node, m->line, m->col, m->src, m->display, ecol,
                              &le, c->e);
    }
    if (S_register_box(c, b) < 0)
        return -1;
    m->box = b;
    m->w = b->width;
    m->h = b->height;
    m->d = b->depth;
    /* the whole formula; an /ActualText span only over drawn glyphs */
    int actual = b->text && *b->text && b->nglyphs > 0;
    m->part = (pdf_math_part){ 0, b->nglyphs, 0, b->nrules, 0, b->width, size,
                               actual ? b->text : NULL, actual };
    m->ecol = 0;
    return 0;
}

static int S_make(pdf_ctx *c, const doc_node *n, const char *tex, int display, double size,
                  int line, int col, pdf_mbox **out)
{
    pdf_mbox *m = pdf_arena_alloc(c, sizeof *m);
    if (!m)
        return -1;
    memset(m, 0, sizeof *m);
    m->src = pdf_arena_strndup(c, tex, strlen(tex));
    if (!m->src)
        return -1;
    m->node = n;
    m->display = display;
    m->line = line;
    m->col = col;
    if (S_mbox_layout(c, m, size) < 0)
        return -1;
    *out = m;
    return 0;
}

int pdf_mbox_make(pdf_ctx *c, const char *tex, int display, double size,
                  int line, int col, pdf_mbox **out)
{
    return S_make(c, NULL, tex, display, size, line, col, out);
}

int pdf_mbox_make_node(pdf_ctx *c, const doc_node *n, int display,
                       double size, pdf_mbox **out)
{
    return S_make(c, n, n->text ? n->text : "", display, size, n->line, n->col, out);
}

int pdf_mbox_resize(pdf_ctx *c, pdf_mbox *m, double size)
{
    return S_mbox_layout(c, m, size);
}

int pdf_mbox_piece(pdf_ctx *c, const pdf_mbox *m, size_t k, pdf_mbox **out)
{
    const math_box *b = m->box;
    const math_item *it = &b->items[k];
    pdf_mbox *p = pdf_arena_alloc(c, sizeof *p);
    if (!p)
        return -1;
    *p = *m;
    p->w = it->w;
    p->h = it->h;
    p->d = it->d;
    p->ecol = it->col;
    /* last box before the next breakpoint (or the end): close the span */
    int close = 1;
    for (size_t j = k + 1; j < b->nitems; j++) {
        if (b->items[j].kind == MATH_I_PENALTY && b->items[j].penalty < 10000)
            break;
        if (b->items[j].kind == MATH_I_BOX) {
            close = 0;
            break;
        }
    }
    /* a span opens on the first box after a breakpoint (it->text); a run
     * whose text is empty gets no span */
    int open = it->text && *it->text;
    size_t j = k;   /* the run's first box: the one with the text */
    while (j > 0 && !(b->items[j].kind == MATH_I_BOX && b->items[j].text))
        j--;
    close = close && b->items[j].text && *b->items[j].text;
    p->part = (pdf_math_part){ it->g0, it->ng, it->r0, it->nr, it->x, it->w, m->size,
                               open ? it->text : NULL, close };
    *out = p;
    return 0;
}

void pdf_mbox_pos(const pdf_mbox *m, int *line, int *col)
{
    res_math_pos(m->node, m->line, m->col, m->src, m->display, m->ecol, line, col);
}

int pdf_mbox_draw(pdf_ctx *c, const pdf_mbox *m, double x, double y)
{
    if (m->box)
        return pdf_math_draw_part(c->pf, c->page, c->o->hpdf_content ? NULL : &c->cs, m->box,
                                  &m->part, x, y, c->e);
    return 0;
}
