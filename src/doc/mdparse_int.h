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
enum { MDP_DIR_FIGURE = 1, MDP_DIR_TABLE, MDP_DIR_VALUE, MDP_DIR_REF };

/* n->url holds the whole destination ("figure:softmax3?width=0.8"); fill
 * n->name (and n->spec, n->digits, n->width), then free n->url.  Errors
 * (LB_EXIT_INPUT) are located at n's line:column in path. */
int mdp_directive(const char *path, doc_node *n, int kind, lb_err *e);

/* Is url (an image destination) a local file (a picture when alone in its
 * paragraph): not a URL (no scheme:, //host or #anchor)?  The extension
 * is checked later (resolve): .gif or none is an error, not inline text. */
int mdp_is_image_file(const char *url);

/* n (a DOC_IMAGE whose url is a local picture) becomes a DOC_FIGURE with
 * fig_src DOC_FIG_IMAGE: options ?width=W&name=N are taken off the url,
 * src = the path relative to the template's folder, name = N or the
 * file's stem. */
int mdp_image_figure(const char *path, doc_node *n, lb_err *e);

/* A fenced code block whose info string is "gnuplot KEY=VALUE ..." becomes
 * a DOC_FIGURE with fig_src DOC_FIG_GNUPLOT (keys: name (required),
 * caption, width).  A plain "gnuplot" info string stays a code listing.
 * info_col: column of the info string in the template (for the caption's
 * positions).  Returns 1 when converted (*caption: the caption's Markdown
 * text, malloc'd, or NULL; *cap_col its column on the fence line: the
 * caller parses it into inlines), 0 when left alone, -1 on error. */
int mdp_gnuplot_block(const char *path, doc_node *n, int info_col, char **caption,
                      int *cap_col, lb_err *e);

#endif
