/* pdf_deflate — the compression libharu does while it saves, done before
 * on two threads (issue 15: a tenth of a PDF-alone run was zlib on the
 * main thread).
 *
 * At save time libharu deflates each stream with FlateDecode as it writes
 * it.  pdf_deflate_streams deflates, beforehand and on two threads
 * (base/par.h), the streams whose bytes are final by then: every page's
 * content stream (when the page has no open text or path object and no
 * unbalanced q, which libharu would close at save time), and the /FontFile
 * and /ToUnicode streams of the Type 1 fonts.  It uses libharu's zlib
 * settings (level Z_DEFAULT_COMPRESSION, default window, memory and
 * strategy), so the bytes written are the same as libharu's.  Each such
 * stream then holds its compressed bytes and a write hook makes libharu
 * write them as they are, still under /Filter /FlateDecode.
 *
 * Call it once, just before HPDF_SaveToStream, after every change to those
 * streams (pdf_t1sub_apply); the document can be saved only once after it.
 * Any other stream is left to libharu.  Encrypted documents are left alone.
 *
 * Ownership: works in place on `doc` (the caller's); scratch memory only.
 */
#ifndef LB_PDF_DEFLATE_H
#define LB_PDF_DEFLATE_H

#include <hpdf.h>
#include "base/err.h"

/* 0, or -1 + error (out of memory, zlib or libharu failure). */
int pdf_deflate_streams(HPDF_Doc doc, lb_err *e);

#endif
