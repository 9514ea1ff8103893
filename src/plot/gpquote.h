/* gpquote — any text as a gnuplot string expression: the one way user or
 * example text (titles, labels, token names, file names) gets into a
 * command sent to gnuplot (gnuplot.h's gp_cmd, figures.c's scripts).
 *
 * Ownership: gpquote_string returns a malloc'd string the caller frees; the
 * argument is only read during the call.
 */
#ifndef LB_GPQUOTE_H
#define LB_GPQUOTE_H

/* Flags for gpquote_string. */
enum {
    GPQUOTE_PLAIN = 0,    /* file names, terminal fonts: no enhanced escapes */
    GPQUOTE_ENHANCED = 1  /* label text shown by an `enhanced` terminal:
                              also escape ^ _ @ ~ { } \ so they print as
                              themselves instead of being markup; & becomes
                              '+' because gnuplot 5.4's svg terminal writes an
                              escaped & raw (not well-formed XML).  Prefer
                              GPQUOTE_PLAIN with `noenhanced` for user text. */
};

/* Return `s` as a gnuplot string expression made of single-quoted literals,
 * e.g.  abc -> 'abc'  and  it's -> 'it'.sprintf('%c',39).'s'.
 * Facts checked with gnuplot 5.4.4: inside single quotes there are no
 * backslash escapes, no backquote command substitution and no @macro
 * expansion.  The documented '' doubling is NOT used: 5.4 mis-scans it at a
 * string's start ('''a') and when repeated ('x''''y'), and a "'" piece makes
 * the macro pre-scan lose track of quoting; sprintf('%c',39) keeps every '
 * in the line a real delimiter.  The result is an expression: use it where
 * gnuplot takes a string expression (set title/label/xlabel/output, plot
 * ... title, load, array initialisers: all checked).
 * Control characters (bytes < 0x20, 0x7f, C1 U+0080..U+009F) become a
 * space and invalid UTF-8 bytes become '?', so the text stays on one line
 * and the SVG stays well-formed.  Returns a malloc'd string (caller frees)
 * or NULL on out of memory. */
char *gpquote_string(const char *s, int flags);

#endif
