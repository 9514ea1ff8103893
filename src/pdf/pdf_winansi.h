/* pdf_winansi — the text fonts' encoding: UTF-8 decoding and conversion to
 * WinAnsi (cp1252), the encoding every text font of the handout is embedded
 * with (so pdftotext extracts the text).  Characters cp1252 lacks are the
 * callers' business: pdf_hlist.c sets them as math or shows their code
 * point.
 *
 * Ownership: pure functions; output goes into the caller's buffers.
 */
#ifndef LB_PDF_WINANSI_H
#define LB_PDF_WINANSI_H

#include <stddef.h>

/* Decode one UTF-8 character of s[*i..n) and advance *i past it (at least
 * one byte).  A malformed byte gives U+FFFD. */
unsigned pdf_winansi_decode_utf8(const char *s, size_t n, size_t *i);
/* The WinAnsi byte of code point `u` (tab and newlines become a space,
 * U+2212 minus a hyphen), 0 when cp1252 has none. */
int pdf_winansi_byte(unsigned u);
/* s[0..n) (UTF-8) -> WinAnsi into out[0..cap) (NUL-terminated when cap >
 * 0).  A character outside cp1252 becomes '?' and is counted in *unmapped
 * (may be NULL).  Returns the length written. */
size_t pdf_winansi_from_utf8(const char *s, size_t n, char *out, size_t cap,
                             int *unmapped);
/* Same, but a character outside cp1252 becomes the visible text "[U+XXXX]"
 * (code blocks: never drop a character silently). */
size_t pdf_winansi_from_utf8_visible(const char *s, size_t n, char *out,
                                     size_t cap);

#endif
