/* doc — the document model: one tree of blocks and inlines built from the
 * Markdown template (mdparse.c) and walked by every renderer (pdf*.c,
 * render_md.c).  Modelled on cmark: a single node struct, a `type` tag,
 * parent / first_child / last_child / prev / next links, and per-type fields.
 * Every node keeps the 1-based line:column in the template where it starts,
 * so any later stage (directive resolution, math errors) can point the user
 * at the exact place (how positions are derived: mdparse.h).
 *
 * Tree shape (what may contain what)
 * ----------------------------------
 *   DOC_DOCUMENT      children: blocks
 *   blocks:
 *   DOC_HEADING       children: inlines.  level 1..6, secnum (see numbering)
 *   DOC_PARAGRAPH     children: inlines
 *   DOC_LIST          children: DOC_ITEM.  ordered, start, tight, mark
 *   DOC_ITEM          children: blocks (nested lists, paragraphs, ...)
 *   DOC_QUOTE         children: blocks
 *   DOC_CODE_BLOCK    no children.  info (may be ""), text = literal code,
 *                     lines separated by '\n' (the newline ending the last
 *                     line is removed)
 *   DOC_HRULE         no children
 *   DOC_TABLE         children: DOC_TABLE_ROW (first one has header = 1,
 *                     then the body rows), then, when the table has a
 *                     caption, one DOC_PARAGRAPH: its inlines (from a
 *                     paragraph "Table: caption {#label}" right after or
 *                     before the table, pandoc's syntax; the prefix and the
 *                     label are removed, the label kept in `label`).
 *                     n_cols, aligns[n_cols], number (0 without caption)
 *   DOC_TABLE_ROW     children: exactly n_cols DOC_TABLE_CELL (md4c fills
 *                     missing cells with empty ones, drops extra ones)
 *   DOC_TABLE_CELL    children: inlines.  align (copied from the column)
 *   DOC_MATH_BLOCK    no children.  text = TeX without the $$ delimiters,
 *                     trimmed; source newlines kept as '\n'.  Made from a
 *                     paragraph that consists of one $$...$$ span only.
 *   DOC_FIGURE        children: caption inlines (may be empty; may hold
 *                     DOC_MATH).  name, width, number, fig_src, label.
 *                     fig_src DOC_FIG_CATALOG: from
 *                     `![caption](figure:NAME?width=W&name=LABEL)` alone in
 *                     a paragraph; name = the catalogue figure.
 *                     DOC_FIG_GNUPLOT: from a fenced block
 *                     ```gnuplot name=NAME caption="..." width=W; text =
 *                     the code, code_line = its first line in the
 *                     template, name = NAME (file stem in figures/).
 *                     DOC_FIG_IMAGE: from `![caption](PATH?width=W&name=N)`
 *                     alone in a paragraph, PATH a local .png, .jpg, .jpeg
 *                     or .svg file; url = PATH as written, src = PATH
 *                     relative to the template's folder (what to open),
 *                     name = N or the file's stem (letters, digits, '_',
 *                     '-' kept, others as '-').
 *   DOC_GENTABLE      children: caption inlines (may be empty: then use the
 *                     catalog table's own caption).  name, spec, number,
 *                     label, opt_first, opt_worst.
 *                     From `[caption](table:NAME?OPTIONS)` alone in a
 *                     paragraph.
 *   inlines:
 *   DOC_TEXT          text (UTF-8, entities and backslash escapes already
 *                     decoded; adjacent text runs merged)
 *   DOC_EMPH, DOC_STRONG, DOC_STRIKE   children: inlines
 *   DOC_CODE          text = literal code span content
 *   DOC_LINK          children: inlines.  url, title (title may be NULL)
 *   DOC_IMAGE         children: alt-text inlines.  url, title (NULL ok).
 *                     An ordinary image (not a figure: directive).
 *   DOC_MATH          text = TeX of an inline $...$ span (no delimiters)
 *   DOC_DMATH         text = TeX of a $$...$$ span that shares its paragraph
 *                     with other content (render it displayed / centred)
 *   DOC_SOFTBREAK     a source newline inside a paragraph (a space)
 *   DOC_LINEBREAK     a hard break (two spaces or '\' before a newline)
 *   DOC_COMMENT       text = what an HTML comment `<!--...-->` holds between
 *                     its delimiters, as written (a comment spanning lines
 *                     keeps its newlines).  An inline: a comment alone in
 *                     its paragraph is still a paragraph's only child.
 *                     Template control (`<!-- if ... -->`, claims, cond.h)
 *                     is read from these; cond_apply removes every comment,
 *                     so renderers after it never see one.  Other raw HTML
 *                     stays text.
 *   DOC_VALUE         no children (the link text placeholder is dropped).
 *                     name, spec, digits, blank.  From `[x](value:NAME?digits=N)`;
 *                     `?blank` makes it a fill-in blank (dropped from spec).
 *   DOC_REF           no children (placeholder dropped).  name = the label
 *                     referred to, form (0 "Figure 3", 1 "3"), target (the
 *                     figure / generated table / heading; set by xref.h
 *                     during mdp_parse, never NULL in a parsed doc).  From
 *                     `[x](ref:NAME)` or `[x](ref:NAME?form=number)`.
 *
 * Numbering (doc_number(), called by mdp_parse; renderers only read)
 * -----------------------------------------------------------------------
 * - Headings of level 1..3 are numbered like LaTeX section / subsection /
 *   subsubsection: "1", "1.1", "1.1.1".  A deeper counter restarts when a
 *   shallower one advances.  As in LaTeX, a skipped level shows as 0 (a
 *   level-3 heading right after a level-1 heading "2" is "2.0.1").
 * - Levels 4..6 are not numbered (secnum == NULL), like LaTeX \paragraph.
 * - A heading whose text ends in " {-}" (pandoc's marker) is unnumbered; the
 *   marker is removed from its text and it does not advance the counters.
 * - A heading whose text ends in " {#LABEL}" gets that label for
 *   cross-references (removed from its text; may come before " {-}").
 * - Appendix rule: the first level-1 heading whose text starts with the word
 *   "Appendix" (followed by end of text, ' ', ':', '.' or '-') switches to
 *   appendix mode: it and every following level-1 heading get letters "A",
 *   "B", ..., their subsections "A.1", "A.1.1".  appendix = 1 on every
 *   heading numbered in that mode.  If there is text after the word, the
 *   word and its separator (": ", ". ", " - ", " ") are removed from the
 *   heading text, so "# Appendix: Derivations" becomes secnum "A", text "Derivations" (as
 *   LaTeX \appendix \section{Derivations} prints "A Derivations").  A heading
 *   that is just "Appendix" keeps its text.  After 26 appendices letters
 *   continue "AA", "AB", ... (never overflow).
 * - Figures (DOC_FIGURE) get number 1, 2, ... in document order; generated
 *   tables (DOC_GENTABLE) and GFM tables with a caption (DOC_TABLE) share
 *   a second counter 1, 2, ...  A GFM table without caption is not
 *   numbered.
 * Renderers print "SECNUM  text" for numbered headings, "Figure N. caption",
 * "Table N. caption".
 *
 * Ownership
 * ---------
 * A doc owns its whole tree and every string in it (all char * fields are
 * NUL-terminated heap copies, or NULL where documented).  doc_free frees
 * everything.  Nodes are never shared between docs.  Renderers receive a
 * `const doc *` and must not modify it.  Text fields are never NULL for the
 * types that document a text (empty string instead), except title / secnum
 * / meta fields which are NULL when absent.
 *
 * Depth: mdp_parse rejects templates nesting deeper than DOC_MAX_DEPTH nodes,
 * so recursive walkers over a parsed doc use bounded stack.  doc_free and
 * doc_dump themselves do not recurse.
 */
#ifndef LB_DOC_H
#define LB_DOC_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"

/* Maximum depth of the node tree below the document (blocks and inlines
 * together).  mdp_parse reports an error for deeper input. */
#define DOC_MAX_DEPTH 128

/* Maximum number of nodes in one document (issue 16).  A node costs about
 * 200 bytes here and 1-3 kB once typeset; 600 000 of them (200 000 list
 * items, or a 10 MB template of prose) stay well under 1 GB.  mdp_parse
 * reports an error at the first node past it. */
#define DOC_MAX_NODES 600000

typedef enum doc_type {
    DOC_DOCUMENT = 0,
    /* blocks */
    DOC_HEADING,
    DOC_PARAGRAPH,
    DOC_LIST,
    DOC_ITEM,
    DOC_QUOTE,
    DOC_CODE_BLOCK,
    DOC_HRULE,
    DOC_TABLE,
    DOC_TABLE_ROW,
    DOC_TABLE_CELL,
    DOC_MATH_BLOCK,
    DOC_FIGURE,
    DOC_GENTABLE,
    /* inlines */
    DOC_TEXT,
    DOC_EMPH,
    DOC_STRONG,
    DOC_STRIKE,
    DOC_CODE,
    DOC_LINK,
    DOC_IMAGE,
    DOC_MATH,
    DOC_DMATH,
    DOC_SOFTBREAK,
    DOC_LINEBREAK,
    DOC_VALUE,
    DOC_REF,
    DOC_COMMENT,
    DOC_TYPE_COUNT
} doc_type;

/* Column alignment of a GFM table (from the delimiter row `:--`, `:-:`,
 * `--:`; DOC_ALIGN_NONE for `---`). */
typedef enum doc_align {
    DOC_ALIGN_NONE = 0,
    DOC_ALIGN_LEFT,
    DOC_ALIGN_CENTER,
    DOC_ALIGN_RIGHT
} doc_align;

typedef struct doc_node doc_node;

struct doc_node {
    doc_type type;
    int line, col;          /* 1-based position in the template (columns count
                               UTF-8 characters, as err_linecol) */

    doc_node *parent;
    doc_node *first_child, *last_child;
    doc_node *prev, *next;

    /* DOC_TEXT, DOC_CODE, DOC_CODE_BLOCK, DOC_MATH, DOC_DMATH,
     * DOC_MATH_BLOCK, DOC_COMMENT: the content (owned; "" when empty).
     * NULL otherwise. */
    char *text;
    size_t text_len;        /* strlen(text) (text never holds a NUL) */

    /* DOC_HEADING */
    int level;              /* 1..6 */
    char *secnum;           /* "2.1", "A.1" or NULL when unnumbered (owned) */
    int appendix;           /* 1 when numbered in appendix (letter) mode */
    int nonum;              /* 1 when marked " {-}" (unnumbered) */

    /* DOC_LIST */
    int ordered;            /* 0 bullet, 1 ordered */
    unsigned start;         /* first number of an ordered list (0 if bullet) */
    int tight;              /* 1 tight (no blank lines between items) */
    char mark;              /* '-', '*', '+' (bullet) or '.', ')' (ordered);
                               DOC_EMPH / DOC_STRONG: '*' or '_' as in the
                               source (0 if unknown) */

    /* DOC_CODE_BLOCK */
    char *info;             /* fence info string ("" if none; owned) */

    /* DOC_TABLE */
    int n_cols;
    doc_align *aligns;      /* n_cols entries (owned) */
    /* DOC_TABLE_ROW */
    int header;             /* 1 for the header row */
    /* DOC_TABLE_CELL */
    doc_align align;

    /* DOC_LINK, DOC_IMAGE */
    char *url;              /* owned; "" if empty */
    char *title;            /* owned; NULL when the source has no title */

    /* DOC_FIGURE, DOC_GENTABLE, DOC_VALUE: the catalog name, e.g.
     * "softmax3", "step/4", "loss.mean" (owned; never empty). */
    char *name;
    /* DOC_VALUE: everything after "value:", e.g. "loss.mean?digits=3"
     * (owned) — the string handed to cat_value_format.  DOC_GENTABLE:
     * everything after "table:", e.g. "step/\*?first=6". */
    char *spec;
    /* DOC_GENTABLE options, -1 when not given: first=K and worst=W, which
     * positions step/\* expands to, or a table with a row per position
     * lists (also in spec, which renderers hand to the catalog). */
    int opt_first, opt_worst;
    int digits;             /* DOC_VALUE: ?digits=N, or -1 for the default */
    int blank;              /* DOC_VALUE: ?blank, a fill-in blank of a
                               worksheet (the value's room, no value) */
    double width;           /* DOC_FIGURE: fraction of the text width,
                               0 < width <= 1; 1.0 when not given */
    int number;             /* DOC_FIGURE / DOC_GENTABLE: 1-based number */

    /* DOC_FIGURE: where the picture comes from (see the tree shape) */
    int fig_src;            /* DOC_FIG_CATALOG, DOC_FIG_GNUPLOT, DOC_FIG_IMAGE */
    int fig_lang;           /* DOC_FIG_CATALOG: 1 when the figure was drawn
                               in the document's language, as
                               figures/NAME.<lang>.svg (plot/figlang.h; set
                               by main after the figures) */
    char *src;              /* DOC_FIG_IMAGE: file to open (owned) */
    int code_line;          /* DOC_FIG_GNUPLOT: template line of the code's
                               first line (script line 1 maps to it) */
    /* DOC_HEADING ({#LABEL}), DOC_FIGURE / DOC_GENTABLE (name=LABEL),
     * DOC_DMATH / DOC_MATH_BLOCK (\label{LABEL}): an explicit
     * cross-reference label (owned), NULL when none; figures and tables are
     * also known by `name`. */
    char *label;
    /* DOC_DMATH, DOC_MATH_BLOCK: the equation number ("3", or a \tag's
     * text), NULL when the display is not numbered (xref.h); owned.
     * eqtag_star: \tag*, printed without parentheses. */
    char *eqtag;
    int eqtag_star;
    /* DOC_REF */
    const doc_node *target; /* borrowed: a node of the same tree */
    int form;               /* 0 full ("Figure 3"), 1 the number only */
    /* targets: 1 when some DOC_REF points here (renderers add an anchor) */
    int referenced;
    /* DOC_MATH, DOC_DMATH, DOC_MATH_BLOCK: where `text` comes from in the
     * template, one entry per chunk md4c handed over (a formula's lines, in
     * order): tex_map[3k] = byte offset in text, tex_map[3k + 1] and
     * [3k + 2] = line and column of that byte in the template.  Owned;
     * NULL when unknown (then `line`, `col` are the best there is). */
    int *tex_map;
    size_t n_tex_map;
};

enum { DOC_FIG_CATALOG = 0, DOC_FIG_GNUPLOT, DOC_FIG_IMAGE };

/* Front matter: `---` on the first line, `key: value` lines, `---`.
 * Known keys title, author, subject, keywords, date, lang, claims; values may be in
 * single or double quotes (quotes removed).  Each field is owned, NULL when
 * absent. */
typedef struct doc_meta {
    char *title;
    char *author;
    char *subject;
    char *keywords;
    char *date;
    char *lang;             /* `lang:` ("zh"); NULL = English (doc/lang.h) */
    char *claims;           /* `claims:` a hand calculation the template
                               discusses (claims file, relative to the
                               template's folder): its check.* values
                               (check/check_values.h); NULL = none */
    int claims_line, claims_col;   /* where the claims file is named */
    /* Where the typeset values start in the template (for a character no
     * font has: its line:col is the value's plus the characters before
     * it); 0 when the key is absent. */
    int title_line, title_col;
    int author_line, author_col;
    int date_line, date_col;
    int subject_line, subject_col;
    int keywords_line, keywords_col;
} doc_meta;

typedef struct doc {
    doc_node *root;         /* DOC_DOCUMENT, never NULL for a doc from doc_new */
    doc_meta meta;
    char *path;             /* template path for messages (owned) */
    int n_figures;          /* after doc_number: count of DOC_FIGURE */
    int n_gentables;        /* after doc_number: count of DOC_GENTABLE */
} doc;

/* ---- lifetime ---------------------------------------------------------- */

/* New empty document whose root is a DOC_DOCUMENT node at 1:1.  path is
 * copied.  NULL (+ err) on allocation failure. */
doc *doc_new(const char *path, lb_err *e);

/* Free the document, its tree, meta and strings.  NULL is fine. */
void doc_free(doc *d);

/* ---- building (used by the parser; renderers never call these) -------- */

/* New detached node (all fields zero/NULL, width 1.0, digits -1). */
doc_node *doc_node_new(doc_type type, int line, int col, lb_err *e);

/* Free a node and its subtree (unlinks it from its parent first). */
void doc_node_free(doc_node *n);

/* Append child as the last child of parent (child must be detached). */
void doc_node_append(doc_node *parent, doc_node *child);

/* Insert the detached node n right after ref (same parent). */
void doc_node_insert_after(doc_node *ref, doc_node *n);

/* Unlink n from its parent and siblings (n keeps its children). */
void doc_node_unlink(doc_node *n);

/* Append len bytes to n->text (creating it); keeps text NUL-terminated. */
int doc_node_append_text(doc_node *n, const char *s, size_t len, lb_err *e);

/* Replace a char * field (*field) with a copy of s[0..len). */
int doc_set_str(char **field, const char *s, size_t len, lb_err *e);

/* A GFM table's caption paragraph (its last child), or NULL. */
const doc_node *doc_table_caption(const doc_node *table);

/* Compute heading secnums and figure / table numbers (rules above).
 * mdp_parse calls it (it strips the " {-}" and "Appendix" markers from
 * heading text and remembers them in nonum / appendix); call it again after
 * changing the tree (cond_apply, res_expand): the numbers follow the new
 * tree.  -1 only on allocation failure. */
int doc_number(doc *d, lb_err *e);

/* ---- reading ----------------------------------------------------------- */

/* "heading", "paragraph", ... (static; "?" for an out-of-range value). */
const char *doc_type_name(doc_type t);

/* Template line and column of byte `off` of a math node's text (tex_map;
 * the node's own position when it has no map).  Columns count UTF-8
 * characters. */
void doc_text_pos(const doc_node *n, size_t off, int *line, int *col);

/* 1 for DOC_HEADING..DOC_GENTABLE and DOC_DOCUMENT, 0 for inlines. */
int doc_is_block(doc_type t);

/* Pre-order walk without recursion: the node after n in document order
 * within the subtree of root (NULL at the end).  Start with n = root. */
const doc_node *doc_next(const doc_node *root, const doc_node *n);

/* Concatenate the plain text of an inline subtree (TEXT, CODE, MATH as
 * "$tex$", soft breaks as ' ', values as "[NAME]").  Newly allocated, caller
 * frees.  Used for PDF outline titles and messages. */
char *doc_plain_text(const doc_node *n, lb_err *e);

/* Stable indented text dump, one node per line (tests compare it whole):
 *   meta title="..." (one line per present field, first)
 *   then per node: 2 spaces per depth, "TYPE@LINE:COL", then fields:
 *     heading level=N secnum="1.2"|- appendix   list ordered=0/1 start=N
 *     tight=0/1 mark='-'   code_block info="..." text="..."   table cols=N
 *     aligns=lcr-   row header   cell align=l|c|r|-   link url="..."
 *     title="..."   figure name="..." width=W number=N   gentable
 *     name="..." number=N   value name="..." spec="..." digits=N
 *     text / code / math / dmath / math_block / comment text="..."
 *   Strings are printed in double quotes with \" \\ \n \t and \xHH (for
 *   bytes < 0x20) escaped; width printed with %g.  */
void doc_dump(const doc *d, FILE *f);

#endif
