/* mdwrite — the Markdown writer used by render_md.c (see mdwrite.c):
 * state, output, escaping, math.  Internal to src/doc/.
 *
 * Ownership: an mdw is the caller's (on its stack); `pre` is malloc'd by
 * mdw_push_prefix and freed by the caller; d, c, e and f are borrowed. */
#ifndef LB_MDWRITE_H
#define LB_MDWRITE_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"
#include "compute/catalog.h"
#include "doc/doc.h"
#include "doc/render_md.h"

typedef struct mdw {
    FILE *f;
    const doc *d;
    const cat *c;
    lb_err *e;
    char *pre;          /* line prefix of the open containers */
    size_t pre_len, pre_cap;
    int bol;            /* at the beginning of a line, prefix not written */
    int lstart;         /* nothing but prefix / list marker on this line */
    int in_table;       /* inside a GFM table row: '|' must be escaped */
    int in_line;        /* heading or table cell: breaks become spaces */
    int shift;          /* heading level shift (1 when a title is shown) */
    mdr_math math;      /* how math is written (render_md.h) */
} mdw;

/* Write n bytes; '\n' ends a line and the next line gets the prefix. */
void mdw_put(mdw *w, const char *s, size_t n);
void mdw_puts(mdw *w, const char *s);
/* Finish the current line if something is on it. */
void mdw_eol(mdw *w);
/* Add s[0..n) to the line prefix (the caller restores pre_len). */
int mdw_push_prefix(mdw *w, const char *s, size_t n);
/* Text escaped so it reads back as the same characters; keep_math: a
 * closed $...$ is copied as math (in the writer's math style). */
void mdw_esc(mdw *w, const char *s, size_t n, int keep_math);
void mdw_esc_str(mdw *w, const char *s, int keep_math);
/* Longest run of ch in s[0..n); k copies of ch. */
size_t mdw_run(const char *s, size_t n, char ch);
void mdw_repeat(mdw *w, char ch, size_t k);
/* Verbatim text; '|' escaped inside a table row; newline_space: '\n' as ' '. */
void mdw_verbatim(mdw *w, const char *s, size_t n, int newline_space);
/* A display-math block / the TeX between dollars on one line. */
void mdw_display_math(mdw *w, const char *s, size_t n);
void mdw_math_body(mdw *w, const char *s, size_t n);
/* GitHub style: does inline TeX need $`...`$ (a backslash before ASCII
 * punctuation)?  Write $`PRE TEX`$. */
int mdw_needs_code_math(const char *s, size_t n);
void mdw_code_math(mdw *w, const char *pre, const char *s, size_t n);
/* "(url "title")" with the escapes a destination needs. */
void mdw_url(mdw *w, const char *url, const char *title);
/* A code span with a fence longer than any backtick run inside. */
void mdw_code_span(mdw *w, const char *s, size_t n);

#endif
