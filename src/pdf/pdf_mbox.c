/* pdf_mbox — see pdf_mbox.h. */
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_math.h"
#include "pdf/pdf_mbox.h"
#include "doc/resolve.h"

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
    math_box *b = math_layout(c->mf, m->src, m->display ? MATH_DISPLAY
                                                        : MATH_TEXT,
                              size, &ecol, &le);
    if (!b) {
        /* The same mapping res_check_math reported with, if it ran. */
        return res_math_error(c->path, m->line, m->col, m->src, m->display,
                              ecol, &le, c->e);
    }
    if (S_register_box(c, b) < 0)
        return -1;
    m->box = b;
    m->w = b->width;
    m->h = b->height;
    m->d = b->depth;
    return 0;
}

int pdf_mbox_make(pdf_ctx *c, const char *tex, int display, double size,
                  int line, int col, pdf_mbox **out)
{
    pdf_mbox *m = pdf_arena_alloc(c, sizeof *m);
    if (!m)
        return -1;
    m->src = pdf_arena_strndup(c, tex, strlen(tex));
    if (!m->src)
        return -1;
    m->display = display;
    m->line = line;
    m->col = col;
    if (S_mbox_layout(c, m, size) < 0)
        return -1;
    *out = m;
    return 0;
}

/* Lay the formula out again at a size that fits `measure`. */
int pdf_mbox_fit(pdf_ctx *c, pdf_mbox *m, double measure)
{
    for (int tries = 0; tries < 4 && m->w > measure; tries++) {
        double s = m->size * measure / m->w * 0.98;
        if (s < 4.0)
            s = 4.0;
        if (S_mbox_layout(c, m, s) < 0)
            return -1;
        if (s == 4.0)
            break;
    }
    return 0;
}

int pdf_mbox_draw(pdf_ctx *c, const pdf_mbox *m, double x, double y)
{
    if (m->box)
        return pdf_math_draw(c->pf, c->page, m->box, x, y, c->e);
    return 0;
}
