/* render_md — the document model written back as Markdown (out/report.md)
 * with every directive expanded, for documentation sites and GitHub.
 *
 * Output rules
 * - Front matter: "# TITLE" then an italic line "*AUTHOR — DATE*" (the parts
 *   present).  When there is a title, every heading moves one level down
 *   (capped at 6) so the page has a single top-level heading.
 * - Headings: "## 1.2 Text" (secnum, a space, the text); unnumbered ones as
 *   they are.
 * - Generated tables: a caption line "**Table N.** caption" (the template's
 *   caption, or the catalog table's own one when the directive has none),
 *   a blank line, then a GFM table: right / decimal columns `---:`, left
 *   `:---`, centred `:---:`; marked cells (or cells of a marked row)
 *   **bold**; the table's note, if any, as a paragraph below.
 * - Figures: "![Figure N. caption](figures/NAME.svg)", a blank line, then
 *   "**Figure N.** caption ([PNG](...), [PNG for dark pages](...))" (alt
 *   text is not shown by most viewers, so the caption is repeated as text;
 *   a gnuplot figure also links its script).  A picture figure shows its
 *   copy figures/pic-NAME.EXT (mdr_picture_file).  An empty caption takes the
 *   figure catalogue's default (figures.h fig_find).
 * - References: "[Figure 3](#fig-NAME)"; a referenced figure or table gets
 *   <a id="fig-NAME"></a> before its caption; a heading is linked by the
 *   id GitHub and pandoc derive from its exported line ("#62-the-batch-loss").
 * - Values: their formatted text (cat_value_format).
 * - Math, MDR_MATH_DOLLARS (pandoc's tex_math_dollars; what md4c reads
 *   back): kept as $...$; a display-math paragraph as "$$" / TeX / "$$" on
 *   lines of their own (on one line "$$...$$" when a TeX line could read as
 *   a block start); $$...$$ inside a paragraph with text stays on one line.
 * - Math, MDR_MATH_GITHUB (report.md's default): GitHub applies Markdown's
 *   backslash escapes inside $...$ (\{ \, \| lose their backslash), so
 *   inline math holding a backslash before ASCII punctuation is written
 *   $`...`$ (GitHub's code-span math), other inline math $...$; display
 *   math as a ```math fenced block; $$...$$ inside a paragraph with text as
 *   $`\displaystyle ...`$.
 * - Figure alt text is the caption as plain text (tbl_tex_plain: no TeX).
 *   Lists (markers, start numbers, tight/loose), block quotes, code
 *   blocks (fence longer than any backtick run inside), GFM tables, links,
 *   images, emphasis and breaks are preserved.
 * - Text is escaped: \ ` * _ [ ] < > | ~ $ & # always, and - + = and "N."
 *   at the start of a line, so generated strings cannot turn into markup.
 *   Catalog text (captions, cells, values) keeps its $...$ math verbatim.
 * Output is deterministic (same doc + catalog -> same bytes).
 *
 * Ownership: reads d and c; writes to f (not closed).  Errors: an unknown
 * table / value (LB_EXIT_INPUT, with the directive's FILE:LINE:COL), a write
 * failure (LB_EXIT_RUNTIME).
 */
#ifndef LB_RENDER_MD_H
#define LB_RENDER_MD_H

#include <stdio.h>
#include "compute/catalog.h"
#include "doc/doc.h"
#include "base/err.h"

typedef enum mdr_math {
    MDR_MATH_DOLLARS = 0,   /* $...$ / $$...$$ (pandoc; md4c reads it back) */
    MDR_MATH_GITHUB         /* $`...`$ where needed, ```math blocks */
} mdr_math;

typedef struct mdr_opts {
    mdr_math math;
} mdr_opts;

/* mdr_render_opts with MDR_MATH_DOLLARS (round-trips through mdparse). */
int mdr_render(const doc *d, const cat *c, FILE *f, lb_err *e);

/* opts NULL: MDR_MATH_DOLLARS. */
int mdr_render_opts(const doc *d, const cat *c, const mdr_opts *opts, FILE *f, lb_err *e);

/* The file name a picture figure (fig_src DOC_FIG_IMAGE) has in
 * figures/ of the output: "pic-NAME.png", ".jpg" or ".svg" (the
 * caller copies the picture there; report.md links to it). */
void mdr_picture_file(const doc_node *n, char *buf, size_t len);

/* Create / truncate path and render into it; the file is complete and
 * closed when this returns 0. */
int mdr_write(const doc *d, const cat *c, const char *path, lb_err *e);

#endif
