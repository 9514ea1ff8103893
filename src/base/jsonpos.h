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

#endif
