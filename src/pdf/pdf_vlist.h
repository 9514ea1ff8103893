/* pdf_vlist — the render's vertical list (c->vl): the whole document as
 * boxes, glue and penalties (pdf_layout.h's vl_item), appended in reading
 * order by the block builders and broken into pages by vl_paginate
 * (pdf_pagebreak.c).  Boxes get TeX's interline glue from \baselineskip and
 * \prevdepth (c->baselineskip, c->prev_depth); vertical skips combine like
 * LaTeX's \addvspace.
 *
 * Ownership: c->vl is malloc'ed and grown here, freed by pdf_ctx_release.
 * The pdf_vbox a box item refers to comes from the arena (pdf_vbox_new);
 * the vertical list only borrows it.
 */
#ifndef LB_PDF_VLIST_H
#define LB_PDF_VLIST_H

#include "pdf/pdf_ctx.h"

/* A box h above and d below its baseline drawing `ref`, preceded by the
 * interline glue (\baselineskip, or \lineskip 1pt when the boxes would come
 * closer).  flags: VL_FLOAT / VL_HEADER; hdr: header box index or -1.
 * 0, or -1 + error (out of memory). */
int pdf_vl_box(pdf_ctx *c, double h, double d, pdf_vbox *ref, int flags,
               long hdr);
int pdf_vl_glue(pdf_ctx *c, double w, double st, double sh);
int pdf_vl_penalty(pdf_ctx *c, double pen);
/* LaTeX's \addvspace: the larger of this and the preceding skip (looking
 * back over penalties); nothing at the very top of the document. */
int pdf_vl_addvspace(pdf_ctx *c, double w, double st, double sh);
/* The same for the space around a float (\intextsep), remembering what the
 * surrounding text asked for in case the float moves away (VL_FLOATSKIP). */
int pdf_vl_float_skip(pdf_ctx *c, double w, double st, double sh);
/* A new vertical-list box of `kind` (VB_*) in the arena, placed at the
 * current indentation and inside the currently open frames.  NULL + error
 * (out of memory). */
pdf_vbox *pdf_vbox_new(pdf_ctx *c, int kind);

#endif
