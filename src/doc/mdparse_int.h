/* mdparse_int — helpers shared by mdparse.c and mdparse_text.c only.
 * Not part of the public API; no md4c types here. */
#ifndef LB_MDPARSE_INT_H
#define LB_MDPARSE_INT_H

#include <stddef.h>
#include "doc/doc.h"
#include "base/err.h"

/* Incremental byte offset -> 1-based line:column (columns count UTF-8
 * characters, like err_linecol).  Borrows buf. */
typedef struct mdp_cursor {
    const char *buf;
    size_t len;
    size_t off;          /* offset of the last answer */
    size_t line_start;   /* offset where that answer's line starts */
    size_t skip_end;     /* 3 when the buffer starts with a UTF-8 byte order
                            mark (not counted as a column), else 0 */
    int line, col;
} mdp_cursor;

void mdp_cursor_init(mdp_cursor *c, const char *buf, size_t len);
void mdp_cursor_pos(mdp_cursor *c, size_t off, int *line, int *col);

/* Offset of the first invalid UTF-8 sequence or NUL byte (*is_nul = 1), or
 * len when the buffer is valid. */
size_t mdp_utf8_check(const char *buf, size_t len, int *is_nul);

/* Encode cp (invalid -> U+FFFD) into out[0..4); returns the byte count. */
size_t mdp_utf8_put(char *out, unsigned long cp);

/* Decode one entity "&name;" / "&#N;" / "&#xH;" of n bytes into out (at
 * least 4 bytes).  Returns the byte count, or 0 for a name not in our table
 * (the caller keeps the entity as written). */
size_t mdp_entity_decode(const char *s, size_t n, char *out);

/* If the line at `start` is "---", read the front matter into meta (fields
 * newly allocated; meta owns them) and set *body to the offset after the
 * closing line; otherwise *body = start.  -1 + e on a malformed block. */
int mdp_front_matter(const char *path, const char *buf, size_t len,
                     size_t start, mdp_cursor *cur, doc_meta *meta,
                     size_t *body, lb_err *e);

/* Directive kinds for mdp_directive. */
enum { MDP_DIR_FIGURE = 1, MDP_DIR_TABLE, MDP_DIR_VALUE };

/* n->url holds the whole destination ("figure:softmax3?width=0.8"); fill
 * n->name (and n->spec, n->digits, n->width), then free n->url.  Errors
 * (LB_EXIT_INPUT) are located at n's line:column in path. */
int mdp_directive(const char *path, doc_node *n, int kind, lb_err *e);

#endif
