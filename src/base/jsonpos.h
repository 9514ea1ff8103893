/* jsonpos — where in the JSON text is the value at a given path?
 *
 * cJSON keeps no source positions, so semantic errors
 * (wrong shape, bad number, bad target) re-scan the text along the path
 * that led to the offending value.  The text must be JSON that cJSON has
 * already accepted; the scanner is iterative (no recursion) so any nesting
 * that cJSON accepted is fine.  Object keys are compared byte for byte with
 * the raw (unescaped) key text, first match wins (as cJSON's lookup).
 *
 * Ownership: nothing is allocated; `buf` and `path` are borrowed.
 */
#ifndef LB_JSONPOS_H
#define LB_JSONPOS_H

#include <stddef.h>

typedef struct jpos_step {
    const char *key;   /* object member name, or NULL for an array index */
    size_t index;      /* array index when key == NULL */
} jpos_step;

/* Byte offset of the first character of the value at `path` (depth steps;
 * depth 0 = the root value).  When a step cannot be followed, returns the
 * offset of the deepest value that was found (so the message still points
 * near the problem).  Never fails: 0 in the worst case. */
size_t jpos_find(const char *buf, size_t len, const jpos_step *path,
                 size_t depth);

/* Number of ',' outside strings: an upper bound on values minus containers,
 * used to refuse huge inputs before cJSON builds its tree.  Stops counting
 * past `limit` and reports the offset where the limit was crossed. */
size_t jpos_count_commas(const char *buf, size_t len, size_t limit,
                         size_t *where);

/* What the JSON grammar expected at byte `off` (where a parser stopped),
 * found by re-scanning the tokens before it: e.g. "expected ':' after the
 * member name".  When `off` lies inside a string that never closes, *where
 * is moved to its opening quote and the text says "unterminated string";
 * otherwise *where = off.  Returns a static string. */
const char *jpos_expect(const char *buf, size_t len, size_t off, size_t *where);

/* ---- strictness (issue 16) ------------------------------------------------
 * cJSON accepts more than RFC 8259: leading zeros (02), a bare fraction dot
 * (2.), any byte <= 32 as whitespace, raw control characters in strings,
 * "\u0000" (which then cuts the C string short), unpaired surrogates and
 * duplicate member names (the first wins silently), and it stops at depth
 * 1000 with a misleading message.  jpos_strict finds the first of these in
 * document order.  It scans only buf[0, stop) (stop: where cJSON stopped,
 * or the end of the value it accepted), where the structure is known to be
 * valid, and is iterative.  Member names are compared after decoding their
 * escapes ("a" and "\u0061" are the same key).
 *
 * Returns 0 when nothing is wrong, else -1 with *where the offset of the
 * offending byte or token and `msg` (one line, no trailing period, e.g.
 * "leading zero in a number (write 2, not 02)") filled.  Out of memory is
 * reported as -2 (msg "out of memory"). */
#define JPOS_MAX_DEPTH 64

int jpos_strict(const char *buf, size_t stop, size_t max_depth, size_t *where, char *msg,
                size_t msgcap);

#endif
