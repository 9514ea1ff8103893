/* pdf_t1font — a Type 1 font program (PFB or PFA bytes) cut down to the
 * glyphs a document shows.  Bytes in, bytes out: no libharu, no files.
 *
 * How (the method pdfTeX's writet1.c follows; no code taken from it):
 *  1. split the program into its cleartext part, its eexec-encrypted part
 *     and its trailer (PFB segments, or a PFA's "currentfile eexec");
 *  2. decrypt the eexec part (r = 55665) and cut it into the Private
 *     dictionary's head, the Subrs entries, the CharStrings entries and the
 *     tail, keeping every byte between entries as it was;
 *  3. close the set of kept glyphs: .notdef, every glyph asked for, and the
 *     base and accent of every `seac` (StandardEncoding codes); each kept
 *     charstring is decrypted (r = 4330, lenIV bytes skipped) and walked
 *     with a small operand stack to find the Subrs it calls (`callsubr`,
 *     also through othersubr 3's hint replacement `pop`), recursively;
 *     Subrs 0..3 (flex and hint replacement) are always kept;
 *  4. write the cleartext with the subset tag in /FontName and only the kept
 *     glyphs in a built-in /Encoding, the Subrs array up to the last kept
 *     entry (unkept entries become a 1-byte `return`), the kept charstrings
 *     in their original order and bytes, re-encrypt with eexec (the
 *     original's four leading bytes: the output is deterministic), and the
 *     original trailer.
 *
 * Ownership: pdf_t1font_parse copies what it needs; the caller keeps its
 * input.  Writing the subset is pdf_t1out.h's job (step 4).
 */
#ifndef LB_PDF_T1FONT_H
#define LB_PDF_T1FONT_H

#include <stddef.h>
#include "base/err.h"

typedef struct pdf_t1font pdf_t1font;

/* Parse a PFB (segments 0x80 0x01/0x02/0x03) or PFA program.  Errors
 * (LB_EXIT_RUNTIME) name `what` (e.g. the font name) and what was expected. */
pdf_t1font *pdf_t1font_parse(const unsigned char *data, size_t len, const char *what,
                             lb_err *e);
void pdf_t1font_free(pdf_t1font *f);

/* The glyph name at `code` (0..255) in the program's built-in /Encoding, or
 * NULL (.notdef or no such code).  StandardEncoding fonts answer from it. */
const char *pdf_t1font_code_name(const pdf_t1font *f, int code);

/* Keep glyph `name` (and what it needs).  Returns 1 if the font has it, 0
 * if not (nothing kept: a viewer shows .notdef for it either way). */
int pdf_t1font_keep(pdf_t1font *f, const char *name);

/* Number of charstrings in the program, and of those kept so far (before
 * the seac closure, which pdf_t1out_write adds). */
size_t pdf_t1font_glyphs(const pdf_t1font *f);
size_t pdf_t1font_kept(const pdf_t1font *f);

/* The PostScript name of the program (its /FontName), "" if none. */
const char *pdf_t1font_name(const pdf_t1font *f);

/* Glyph names of the standard single-byte encodings: PDF's
 * WinAnsiEncoding and the Type 1 StandardEncoding (PDF 1.7 Appendix D).
 * NULL for an unassigned code. */
typedef enum { PDF_T1ENC_STANDARD, PDF_T1ENC_WINANSI } pdf_t1enc;
const char *pdf_t1font_std_name(pdf_t1enc enc, int code);

#endif
