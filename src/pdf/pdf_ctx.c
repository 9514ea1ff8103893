/* pdf_ctx — set up and release the render context (pdf_ctx.h).
 *
 * Page geometry (LaTeX article, 10pt, centred text block):
 *   A4      595.28 x 841.89  text 360 x 598 (49 lines + topskip), left 117.6
 *   Letter  612 x 792        text 360 x 550 (45 lines + topskip), left 126
 *   top margin such that the block sits a little above centre (LaTeX's
 *   bottom margin is larger than its top margin); page number 30pt below
 *   the text block (\footskip), centred (\pagestyle{plain}).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/pdf_arena.h"
#include "pdf/pdf_picture.h"

void pdf_ctx_init(pdf_ctx *c, const doc *d, const cat *ct,
                  const pdf_opts *opts, lb_err *e)
{
    memset(c, 0, sizeof *c);
    c->doc = d;
    c->cat = ct;
    c->o = opts;
    c->e = e;
    c->path = d->path ? d->path : "template";
    c->prev_depth = -1000.0;
    c->baselineskip = 12;
    /* Checked when the front matter was read; English when absent. */
    c->lang = lang_get(d->meta.lang);
    if (!c->lang)
        c->lang = lang_get(NULL);
    c->leading = c->lang->leading;
    if (opts->paper == PDF_PAPER_LETTER) {
        c->pw = 612.0; c->ph = 792.0;
        c->th = 550.0;
    } else {
        c->pw = 595.276; c->ph = 841.890;
        c->th = 598.0;
    }
    c->tw = 360.0;
    c->left = (c->pw - c->tw) / 2.0;
    /* Bottom margin = 1.35 x top margin, as in LaTeX's default layout. */
    double vm = c->ph - c->th;
    c->top = c->ph - vm / 2.35;
    c->footskip = 30.0;
}

void pdf_ctx_release(pdf_ctx *c)
{
    free(c->vl);
    c->vl = NULL;
    c->nvl = c->capvl = 0;
    free(c->grps);
    c->grps = NULL;
    c->ngrps = c->capgrps = 0;
    for (size_t i = 0; i < c->nmboxes; i++)
        math_box_free(c->mboxes[i]);
    free(c->mboxes);
    c->mboxes = NULL;
    c->nmboxes = c->capmboxes = 0;
    pdf_picture_prefetch_free(c->prefetch);
    c->prefetch = NULL;
    for (size_t i = 0; i < c->npics; i++)
        pdf_picture_free(c->pics[i]);
    free(c->pics);
    c->pics = NULL;
    c->npics = c->cappics = 0;
    pdf_arena_free(c);
}

void pdf_ctx_warn(pdf_ctx *c, int line, int col, const char *fmt, ...)
{
    if (!c->o || !c->o->warn)
        return;
    char msg[1024], where[600];
    if (line > 0 && col > 0)
        snprintf(where, sizeof where, "%.500s:%d:%d: ", c->path, line, col);
    else if (line > 0)
        snprintf(where, sizeof where, "%.500s:%d: ", c->path, line);
    else
        snprintf(where, sizeof where, "%.500s: ", c->path);
    va_list ap;
    va_start(ap, fmt);
    int k = snprintf(msg, sizeof msg, "%swarning: ", where);
    vsnprintf(msg + k, sizeof msg - (size_t)k, fmt, ap);
    va_end(ap);
    c->o->warn(c->o->warn_ctx, msg);
}
