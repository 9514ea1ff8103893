/* pdf_t1out — write a parsed Type 1 program (pdf_t1font.h) cut down to its
 * kept glyphs: step 4 of pdf_t1font.h's method.  Subrs are renumbered
 * (0..3 stay, kept ones follow from 4 in their old order, each charstring's
 * subr-number literals rewritten and the charstring re-encrypted) when every
 * callsubr operand could be traced to one literal used for nothing else;
 * otherwise unkept Subrs become a 1-byte `return` and keep their numbers.
 *
 * Ownership: the caller frees *out; `f` is only read (its kept marks are
 * completed by the closure).
 */
#ifndef LB_PDF_T1OUT_H
#define LB_PDF_T1OUT_H

#include <stddef.h>
#include "base/err.h"
#include "pdf/pdf_t1font.h"

/* The subset program.  `tag` (6 capital letters) prefixes /FontName as
 * "TAG+Name"; NULL keeps the name.  lens[0..2] receive PDF's Length1 (clear
 * text), Length2 (binary eexec part) and Length3 (trailer).  Returns 0 and
 * *out (malloc'd, *out_len bytes), or -1. */
int pdf_t1out_write(pdf_t1font *f, const char *tag, unsigned char **out, size_t *out_len,
                    size_t lens[3], lb_err *e);
/* The same, and where the tag's 6 letters are in *out (SIZE_MAX when not
 * written, as with a NULL tag): the rest of the program does not depend
 * on the tag, so another tag can be put there in place. */
int pdf_t1out_write_at(pdf_t1font *f, const char *tag, unsigned char **out, size_t *out_len,
                       size_t lens[3], size_t *tag_at, lb_err *e);

#endif
