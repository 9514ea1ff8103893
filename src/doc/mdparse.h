/* mdparse — Markdown template (CommonMark + GFM tables + $...$ math) to the
 * document model (doc.h).  The ONLY module that includes md4c.h.
 *
 * md4c 0.4.8 is a callback parser without source positions: every node's
 * line:column is derived from where md4c's text pointers fall inside the
 * input buffer (blocks take the position of their first text; spans step
 * back over their opening delimiter, so a link's column is its '[').
 *
 * Dialect: MD_FLAG_TABLES | MD_FLAG_LATEXMATHSPANS | MD_FLAG_STRIKETHROUGH |
 * MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_NOHTMLBLOCKS: raw HTML is shown
 * as text, never interpreted, except comments `<!-- ... -->`, which become
 * DOC_COMMENT nodes (template control, cond.h).  HTML blocks are off, so a
 * line that is only a comment is a paragraph holding one comment.
 *
 * Directives (see README / ARCHITECTURE.md):
 *   ![caption](figure:NAME)            alone in a paragraph -> DOC_FIGURE
 *   ![caption](figure:NAME?width=0.8)  0 < width <= 1
 *   [caption](table:NAME)              alone in a paragraph -> DOC_GENTABLE
 *   [placeholder](value:NAME)          inline -> DOC_VALUE (text dropped)
 *   [placeholder](value:NAME?digits=N) 0 <= N <= 17
 *   [placeholder](value:NAME?blank)    a fill-in blank (worksheets)
 * NAME: one or more of [A-Za-z0-9_./-].  Options: '?key=value', several
 * joined by '&'; each at most once.  Names are NOT checked against the
 * catalog here (resolve.h does that).
 * Front matter: see doc.h (doc_meta).  A template starting with a UTF-8 byte
 * order mark is fine.
 *
 * Positions: 1-based line:column, columns count UTF-8 characters (a
 * leading byte order mark counts none).  A block takes the position of its
 * first text, except a heading (its first '#') and a fenced code block (its
 * opening fence); a span steps back over its opening delimiter ('*', "**",
 * "~~", backticks, '$', "$$", '[' or "!["); a node that never gets text
 * (thematic break: its own line; empty cell or item, soft / hard break) takes
 * the end of the last text before it.
 *
 * Errors (LB_EXIT_INPUT, "PATH:LINE:COL: ..."): invalid UTF-8 or a NUL
 * byte, malformed front matter (unclosed, unknown or duplicate key, bad
 * quoting), a `$$` without closing `$$` in its paragraph, an unescaped '$'
 * inside math, a figure / table directive not alone in its paragraph (or
 * inside a heading / table cell / link / caption), wrong syntax for a
 * directive kind, an empty or badly spelled name, a bad or unknown option,
 * lists / quotes nested deeper than 64 levels or any nesting deeper than
 * DOC_MAX_DEPTH, a text chunk from md4c that cannot be right (md4c 0.4.8
 * bugs).  Out of memory -> LB_EXIT_RUNTIME.
 *
 * Ownership: buf is only read during the call (need not be NUL-terminated);
 * path is copied into the doc.  The returned doc belongs to the caller
 * (doc_free).  Headings and figures are already numbered (doc_number).
 */
#ifndef LB_MDPARSE_H
#define LB_MDPARSE_H

#include <stddef.h>
#include "doc/doc.h"
#include "base/err.h"

/* Parse a template held in memory.  NULL + e on error. */
doc *mdp_parse(const char *path, const char *buf, size_t len, lb_err *e);

/* What the parser had to repair in md4c 0.4.8's event stream (a leave
 * without its enter, spans never closed: upstream bugs on malformed
 * links).  Non-zero means the tree may not be what CommonMark specifies
 * for those lines; main may print a warning under --verbose. */
typedef struct mdp_stats {
    unsigned md4c_anomalies;
} mdp_stats;

/* mdp_parse that also reports mdp_stats (st may be NULL; it is filled on
 * success and, when parsing started, on failure). */
doc *mdp_parse_ex(const char *path, const char *buf, size_t len,
                  mdp_stats *st, lb_err *e);

/* Read the file at path (at most MDP_MAX_BYTES) and parse it. */
#define MDP_MAX_BYTES (64u * 1024u * 1024u)
doc *mdp_parse_file(const char *path, lb_err *e);

#endif
