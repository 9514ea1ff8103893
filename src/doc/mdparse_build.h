/* mdparse_build — the state of the md4c tree builder, shared by
 * mdparse_build.c (frames, positions, text and directive helpers) and
 * mdparse.c (the md4c callbacks and the entry points).  Internal to src/doc/.
 *
 * The parser owns nothing it points to: nodes are attached to the document
 * as soon as they are created (doc_free cleans up after any error); buf,
 * path and e are borrowed from the caller of mdp_parse.
 */
#ifndef LB_MDPARSE_BUILD_H
#define LB_MDPARSE_BUILD_H

#include <stddef.h>
#include <md4c.h>
#include "doc/mdparse_int.h"

/* Opening-delimiter kinds for the step back from the first text. */
enum {
    MDP_K_BLOCK = 0, MDP_K_HEADING, MDP_K_CODEBLOCK, MDP_K_EM, MDP_K_STRONG, MDP_K_DEL,
    MDP_K_CODE, MDP_K_LINK, MDP_K_IMG, MDP_K_MATH, MDP_K_DMATH
};

/* What a link / image destination turned out to be. */
enum {
    MDP_D_NONE = 0, MDP_D_FIGURE, MDP_D_TABLE, MDP_D_VALUE,
    MDP_D_FIG_AS_LINK, MDP_D_TABLE_AS_IMG, MDP_D_VALUE_AS_IMG,
    MDP_D_REF, MDP_D_REF_AS_IMG, MDP_D_IMGFILE
};

#define MDP_MAX_FRAMES (DOC_MAX_DEPTH + 4)
#define MDP_MAX_CONTAINERS 64   /* nested lists + block quotes */
#define MDP_PAD 64              /* zero bytes after the parser's input copy */

typedef struct mdp_frame {
    doc_node *node;      /* NULL for THEAD / TBODY (no node of their own) */
    int kind;            /* MDP_K_* */
    int positioned;
    int implicit;        /* paragraph we opened for a tight list item */
    int directive;       /* MDP_D_* for links / images */
    int is_span;         /* opened by enter_span (figure / table directive
                            nodes are block types but start as spans) */
    size_t href_off;     /* offset of the destination, SIZE_MAX if unknown */
} mdp_frame;

typedef struct mdp_parser {
    const char *path;
    const char *buf;
    size_t len;
    size_t body;         /* where md4c's input starts (after front matter) */
    mdp_cursor cur;
    doc *d;
    lb_err *e;
    mdp_frame st[MDP_MAX_FRAMES];
    int nframes;
    int ndepth;          /* frames with a node, below the document */
    int containers;
    size_t last_end;     /* end of the last in-buffer text */
    int seen_text;
    size_t hr_scan;      /* thematic-break search resumes here */
    int in_thead;
    doc_node *table;     /* innermost open table */
    int col_index;
    unsigned anomalies;  /* unbalanced md4c span events repaired */
    doc_node *comment;   /* an HTML comment whose chunks are still arriving
                            (md4c splits one spanning lines) */
    size_t nnodes;       /* nodes made so far (DOC_MAX_NODES) */
} mdp_parser;

/* Count one more node; past DOC_MAX_NODES an error at the parser's current
 * position, -1 (issue 16: memory bounded before layout, not after). */
int mdp_count_node(mdp_parser *P);

/* Positions and errors (an error is located at a buffer offset or a node). */
int mdp_in_buf(const mdp_parser *P, const char *p, size_t *off);
int mdp_error(mdp_parser *P, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int mdp_error_node(mdp_parser *P, const doc_node *n, const char *fmt,
                   const char *a, const char *b);
int mdp_isdelim(char c, const char *set);
void mdp_position(mdp_parser *P, int i, size_t off, int skip_back);
size_t mdp_fallback_off(const mdp_parser *P);
size_t mdp_find_hr(mdp_parser *P);
void mdp_skip_setext(mdp_parser *P);
/* The frame stack; mdp_push attaches the new node to its parent at once. */
mdp_frame *mdp_top(mdp_parser *P);
doc_node *mdp_top_node(mdp_parser *P);
doc_node *mdp_push(mdp_parser *P, doc_type type, int kind);
int mdp_push_empty(mdp_parser *P);
void mdp_pop(mdp_parser *P);
/* A picture file not alone in its paragraph (or in a heading, cell, link
 * or caption) turns back into an ordinary inline image. */
void mdp_revert_images(doc_node *root);
/* Text: mdp_attr returns a newly allocated string (the caller owns it). */
char *mdp_attr(mdp_parser *P, const MD_ATTRIBUTE *a);
int mdp_add_text(mdp_parser *P, doc_node *parent, const char *s, size_t n,
                 size_t off);
int mdp_check_dollars(mdp_parser *P, size_t off, size_t n);
int mdp_check_math(mdp_parser *P, const doc_node *n);
/* Directives that must stand alone in their paragraph. */
const doc_node *mdp_find_block_directive(const doc_node *n);
int mdp_not_alone(mdp_parser *P, const doc_node *x, const char *where);
void mdp_trim(doc_node *n);
int mdp_close_paragraph(mdp_parser *P, doc_node *p);

#endif
