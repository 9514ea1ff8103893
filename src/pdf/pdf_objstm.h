/* pdf_objstm — libharu's finished PDF rewritten smaller (issue 15): every
 * object that is not a stream goes into compressed object streams, and the
 * cross-reference table becomes a compressed cross-reference stream (PDF
 * 1.5: ISO 32000-1, 7.5.7 and 7.5.8), as pdfTeX writes at
 * \pdfobjcompresslevel 2.  libharu 2.3.0 writes PDF 1.3 with every
 * dictionary (pages, fonts, outline, annotations) as plain text: a tenth of
 * the handout.  Streams are copied byte for byte; object numbers stay.
 *
 * No libharu: bytes in, bytes out (zlib).
 *
 * Ownership: *out is malloc'd and belongs to the caller.
 */
#ifndef LB_PDF_OBJSTM_H
#define LB_PDF_OBJSTM_H

#include <stddef.h>
#include "base/err.h"

/* Objects per object stream (pdfTeX packs 100; a viewer inflates the
 * whole stream to read one of them). */
#define PDF_OBJSTM_MAX 200

/* Pack `in` (n bytes, a complete PDF with one classic cross-reference
 * table, as libharu writes it).  0 with *out / *out_len set; 1 when `in` is
 * not such a file (an update section, an /Encrypt, a generation other than
 * 0, an object that does not start where the table says, more than 4 GiB):
 * the caller keeps `in` as it is; -1 out of memory (e set). */
int pdf_objstm_pack(const unsigned char *in, size_t n, unsigned char **out, size_t *out_len,
                    lb_err *e);

#endif
