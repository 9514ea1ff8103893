/* pdf_hpdf — the libharu document of one render: created with an error
 * handler that records every libharu failure in the context, the status
 * check each drawing step ends with, the document info, saving and freeing.
 * (libharu itself is called only in src/pdf/; this file owns the document's
 * life, the other files draw on its pages.)
 *
 * Ownership: pdf_hpdf_new makes c->pdf, c->pf (the fonts loaded into
 * it, pdf_fonts.h) and c->cjk (the CJK faces, pdf_cjkfont.h); all belong to the context until pdf_hpdf_free.  c->mf
 * is borrowed and must outlive them.
 */
#ifndef LB_PDF_HPDF_H
#define LB_PDF_HPDF_H

#include "pdf/pdf_ctx.h"

/* Create the document (compressed streams) and its font loader; c->mf must
 * be set.  0, or -1 + error (LB_EXIT_RUNTIME). */
int pdf_hpdf_new(pdf_ctx *c);
/* 0 while neither libharu nor anything else has reported an error into the
 * context, else -1 (the error is already set). */
int pdf_hpdf_ok(pdf_ctx *c);
/* Title, author, subject, keywords from the front matter (as UTF-16BE with
 * a byte order mark, so any script survives), Creator, and the creation/modification dates
 * from opts->date when >= 0.  0, or -1 + error. */
int pdf_hpdf_info(pdf_ctx *c);
/* -1 + error (exit 2) when UTF-8 `s` holds a character above U+FFFF, which
 * libharu cannot write into an outline or info string; `where` names the
 * place ("the front matter", "a heading").  s starts at (line, col) of the
 * template; step = 1 when s is the template's text as written (the error
 * then points at the character itself), 0 when it is derived from it. */
int pdf_hpdf_bmp_check(pdf_ctx *c, const char *s, const char *where,
                       int line, int col, int step);
/* Open with the outline shown, and write the document to `path`.  0, or
 * -1 + error (LB_EXIT_RUNTIME naming the path). */
int pdf_hpdf_save(pdf_ctx *c, const char *path);
/* Free the fonts and the document (NULL after).  `failed`: the render
 * failed, clear libharu's error state first. */
void pdf_hpdf_free(pdf_ctx *c, int failed);

#endif
