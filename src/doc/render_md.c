/* render_md — Markdown export of the document model (see render_md.h).
 *
 * Like md4c's HTML renderer, all state lives in one writer struct passed
 * down the walk.  Container blocks (quotes, list items) are handled with a
 * line prefix: every new output line starts with the prefix of the open
 * containers ("> ", "   "), so nested content needs no special cases.
 * Recursion depth is bounded by DOC_MAX_DEPTH (the parser enforces it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "plot/figures.h"
#include "doc/render_md.h"
#include "doc/resolve.h"
#include "doc/xref.h"
#include "compute/table.h"

typedef struct S_w {
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
} S_w;

/* ---- low-level output ---------------------------------------------------- */

static void S_prefix_out(S_w *w, int blank)
{
    size_t n = w->pre_len;
    if (blank)
        while (n > 0 && w->pre[n - 1] == ' ')
            n--;
    if (n)
        fwrite(w->pre, 1, n, w->f);
}

/* Write n bytes; '\n' ends a line and the next line gets the prefix. */
static void S_put(S_w *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\n') {
            if (w->bol)
                S_prefix_out(w, 1);
            fputc('\n', w->f);
            w->bol = 1;
            w->lstart = 1;
            continue;
        }
        if (w->bol) {
            S_prefix_out(w, 0);
            w->bol = 0;
        }
        fputc(ch, w->f);
        w->lstart = 0;
    }
}

static void S_puts(S_w *w, const char *s)
{
    S_put(w, s, strlen(s));
}

/* Finish the current line if something is on it. */
static void S_eol(S_w *w)
{
    if (!w->bol)
        S_put(w, "\n", 1);
}

static int S_push_prefix(S_w *w, const char *s, size_t n)
{
    if (w->pre_len + n + 1 > w->pre_cap) {
        size_t cap = (w->pre_len + n + 1) * 2;
        char *p = realloc(w->pre, cap);
        if (!p)
            return err_nomem(w->e);
        w->pre = p;
        w->pre_cap = cap;
    }
    memcpy(w->pre + w->pre_len, s, n);
    w->pre_len += n;
    return 0;
}

/* ---- escaping ------------------------------------------------------------ */

static int S_needs_code_math(const char *s, size_t n);
static void S_code_math(S_w *w, const char *pre, const char *s, size_t n);

/* Escape text so that it reads back as the same characters.  keep_math: a
 * closed $...$ (catalog text: captions, cells, values) is copied verbatim. */
static void S_esc(S_w *w, const char *s, size_t n, int keep_math)
{
    size_t i = 0;
    while (i < n) {
        char ch = s[i];
        if (keep_math && ch == '$') {
            /* a well-formed $...$ only: non-empty, not touching another
             * '$' (that would read back as $$ display math), no backslash
             * before the closing '$' (it would escape it) and no backtick
             * (it could pair into a code span when read back) */
            const char *z = memchr(s + i + 1, '$', n - i - 1);
            size_t zi = z ? (size_t)(z - s) : 0;
            if (z && zi > i + 1 && (i == 0 || s[i - 1] != '$') &&
                (zi + 1 >= n || s[zi + 1] != '$') && s[zi - 1] != '\\' &&
                !memchr(s + i, '`', zi - i)) {
                size_t k = (size_t)(z - (s + i)) + 1;
                if (w->math == MDR_MATH_GITHUB && S_needs_code_math(s + i + 1, k - 2)) {
                    S_code_math(w, NULL, s + i + 1, k - 2);
                    i += k;
                    continue;
                }
                for (size_t j = 0; j < k; j++) {
                    if (w->in_table && s[i + j] == '|')
                        S_put(w, "\\", 1);
                    S_put(w, s + i + j, 1);
                }
                i += k;
                continue;
            }
        }
        if ((w->lstart || w->bol) && ch >= '0' && ch <= '9') {
            size_t j = i;
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
            S_put(w, s + i, j - i);
            /* "1. " / "1) " would start an ordered list */
            if (j < n && (s[j] == '.' || s[j] == ')') &&
                (j + 1 == n || s[j + 1] == ' ' || s[j + 1] == '\t')) {
                S_put(w, "\\", 1);
                S_put(w, s + j, 1);
                j++;
            }
            i = j;
            continue;
        }
        /* "- x", "+ x", "---", "===" at a line start are markup */
        int at0 = w->lstart || w->bol;
        int nx_blank = i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t';
        if (strchr("\\`*_[]<>|~$&#", ch) ||
            (at0 && ch == '=') ||
            (at0 && (ch == '-' || ch == '+') &&
             (nx_blank || s[i + 1] == ch)))
            S_put(w, "\\", 1);
        S_put(w, s + i, 1);
        i++;
    }
}

static void S_esc_str(S_w *w, const char *s, int keep_math)
{
    if (s)
        S_esc(w, s, strlen(s), keep_math);
}

/* Longest run of ch in s. */
static size_t S_run(const char *s, size_t n, char ch)
{
    size_t best = 0, cur = 0;
    for (size_t i = 0; i < n; i++) {
        cur = s[i] == ch ? cur + 1 : 0;
        if (cur > best)
            best = cur;
    }
    return best;
}

static void S_repeat(S_w *w, char ch, size_t k)
{
    for (size_t i = 0; i < k; i++)
        S_put(w, &ch, 1);
}

/* Verbatim text (math, code) inside a table row: '|' needs a backslash
 * even there (GFM splits cells before parsing inlines). */
static void S_verbatim(S_w *w, const char *s, size_t n, int newline_space)
{
    for (size_t i = 0; i < n; i++) {
        if (w->in_table && s[i] == '|')
            S_put(w, "\\", 1);
        if (newline_space && s[i] == '\n')
            S_put(w, " ", 1);
        else
            S_put(w, s + i, 1);
    }
}

static void S_math_body(S_w *w, const char *s, size_t n);

/* Can this TeX line, at a line start, be read as the start of a block
 * ("+ b", "= c", "1. x", "> y", "```", ...)? */
static int S_risky_line(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k < n && (strchr("-+*>#=_|~`<[", s[k]) ||
                     (s[k] >= '0' && s[k] <= '9'));
}

/* Display math on lines of its own: "$$", the TeX, "$$" -- unless a TeX
 * line could end the paragraph when read back (see S_risky_line); then
 * the whole formula goes on one line "$$...$$" (TeX reads a newline as a
 * space, so the meaning is the same). */
static void S_display_math(S_w *w, const char *s, size_t n)
{
    if (w->math == MDR_MATH_GITHUB) {
        /* a fence longer than any backtick run inside */
        size_t k = S_run(s, n, '`') + 1;
        if (k < 3)
            k = 3;
        S_repeat(w, '`', k);
        S_puts(w, "math\n");
        if (n > 0) {
            S_put(w, s, n);
            S_put(w, "\n", 1);
        }
        S_repeat(w, '`', k);
        S_put(w, "\n", 1);
        return;
    }
    int risky = 0;
    for (size_t i = 0; i < n && !risky;) {
        size_t j = i;
        while (j < n && s[j] != '\n')
            j++;
        risky = S_risky_line(s + i, j - i);
        i = j + 1;
    }
    if (risky) {
        S_put(w, "$$", 2);
        S_math_body(w, s, n);
        S_put(w, "$$\n", 3);
        return;
    }
    S_put(w, "$$\n", 3);
    if (n > 0) {   /* an empty formula must not leave a blank line */
        S_put(w, s, n);
        S_put(w, "\n", 1);
    }
    S_put(w, "$$\n", 3);
}

/* TeX between dollars on one line.  A trailing odd run of backslashes
 * would escape the closing '$' when read back: add a space (TeX ignores
 * it; "\\ " is a control space, the nearest valid reading). */
static void S_math_body(S_w *w, const char *s, size_t n)
{
    S_verbatim(w, s, n, 1);
    size_t k = 0;
    while (k < n && s[n - 1 - k] == '\\')
        k++;
    if (k & 1)
        S_put(w, " ", 1);
}

/* GitHub mode: does this inline TeX need $`...`$?  GitHub runs Markdown's
 * backslash escapes inside $...$, so a backslash before ASCII punctuation
 * (\{ \} \, \; \| \\ ...) would be lost.  A backtick inside cannot go
 * in a one-backtick span: then $...$ it stays (no such TeX in practice). */
static int S_needs_code_math(const char *s, size_t n)
{
    if (memchr(s, '`', n))
        return 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '\\' && s[i + 1] > ' ' && s[i + 1] < 0x7f &&
            !((s[i + 1] >= 'a' && s[i + 1] <= 'z') || (s[i + 1] >= 'A' && s[i + 1] <= 'Z') ||
              (s[i + 1] >= '0' && s[i + 1] <= '9')))
            return 1;
    return 0;
}

/* $`...`$ with the TeX on one line ('|' escaped inside tables). */
static void S_code_math(S_w *w, const char *pre, const char *s, size_t n)
{
    S_put(w, "$`", 2);
    if (pre)
        S_puts(w, pre);
    S_verbatim(w, s, n, 1);
    S_put(w, "`$", 2);
}

/* ---- inlines ------------------------------------------------------------- */

static int S_inlines(S_w *w, const doc_node *parent);

static void S_url(S_w *w, const char *url, const char *title)
{
    S_put(w, "(", 1);
    int pointy = url[0] == '\0' || strpbrk(url, " \t()<>") != NULL;
    if (pointy)
        S_put(w, "<", 1);
    for (const char *p = url; *p; p++) {
        if (*p == '\\' || (pointy && (*p == '<' || *p == '>')) ||
            (w->in_table && *p == '|'))
            S_put(w, "\\", 1);
        S_put(w, p, 1);
    }
    if (pointy)
        S_put(w, ">", 1);
    if (title) {
        S_put(w, " \"", 2);
        for (const char *p = title; *p; p++) {
            if (*p == '"' || *p == '\\')
                S_put(w, "\\", 1);
            S_put(w, p, 1);
        }
        S_put(w, "\"", 1);
    }
    S_put(w, ")", 1);
}

static void S_code_span(S_w *w, const char *s, size_t n)
{
    if (n == 0) {
        /* An empty span (md4c makes one of "`\n`") cannot be written as
         * "``", which opens a two-backtick fence; "` `" reads back empty. */
        S_puts(w, "` `");
        return;
    }
    size_t k = S_run(s, n, '`') + 1;
    if (k > 32) {
        /* md4c 0.4.8 ignores code spans whose fence is longer than 32
         * backticks: keep the characters, lose the code style */
        S_esc(w, s, n, 0);
        return;
    }
    /* CommonMark strips one space from each end only when the content is
     * not all spaces, so only then does a space-bounded span need padding. */
    size_t sp = 0;
    while (sp < n && s[sp] == ' ')
        sp++;
    int pad = n > 0 && (s[0] == '`' || s[n - 1] == '`' ||
                        (s[0] == ' ' && s[n - 1] == ' ' && sp < n));
    S_repeat(w, '`', k);
    if (pad)
        S_put(w, " ", 1);
    S_verbatim(w, s, n, 0);
    if (pad)
        S_put(w, " ", 1);
    S_repeat(w, '`', k);
}

static int S_value(S_w *w, const doc_node *n)
{
    char buf[512];
    lb_err tmp;
    err_clear(&tmp);
    if (!w->c || cat_value_format(w->c, n->spec, buf, sizeof buf, &tmp) < 0)
        return res_error_at(w->d, n, &tmp, w->e);
    S_esc_str(w, buf, 1);
    return 0;
}

/* Where a reference's link points: a heading's GitHub id (computed from
 * the heading line as exported), or the anchor written before a figure's
 * or table's caption. */
static int S_ref_target(S_w *w, const doc_node *t, char *buf, size_t n)
{
    if (t->type != DOC_HEADING) {
        buf[0] = '#';
        xref_anchor(t, buf + 1, n - 1);
        return 0;
    }
    char *txt = doc_plain_text(t, w->e);
    if (!txt)
        return -1;
    size_t cap = strlen(txt) * 2 + 64;
    char *plain = malloc(cap), *line = malloc(cap + 32);
    if (!plain || !line) {
        free(plain);
        free(line);
        free(txt);
        return err_nomem(w->e);
    }
    snprintf(line, cap + 32, "%s %s", t->secnum ? t->secnum : "", tbl_tex_plain(txt, plain, cap));
    buf[0] = '#';
    xref_slug(line, buf + 1, n - 1);
    free(plain);
    free(line);
    free(txt);
    return 0;
}

static int S_ref(S_w *w, const doc_node *n)
{
    char text[96], href[512];
    xref_text(n, text, sizeof text);
    if (!n->target)
        return res_error_at(w->d, n, &(lb_err){LB_EXIT_INPUT, "unresolved reference"}, w->e);
    if (S_ref_target(w, n->target, href, sizeof href) < 0)
        return -1;
    S_put(w, "[", 1);
    S_esc_str(w, text, 0);
    S_put(w, "]", 1);
    S_url(w, href, NULL);
    return 0;
}

/* An anchor for a referenced figure or table (GitHub and pandoc keep it). */
static void S_anchor(S_w *w, const doc_node *t)
{
    if (!t->referenced)
        return;
    char id[256];
    xref_anchor(t, id, sizeof id);
    S_puts(w, "<a id=\"");
    S_puts(w, id);
    S_puts(w, "\"></a>");
}

static void S_inline_math(S_w *w, const doc_node *n, const char *text, size_t len)
{
    if (n->type == DOC_MATH) {
        if (len == 0) {
            /* "$$" would read back as display math; dropping the span
             * would let its neighbours pair differently */
            S_put(w, "$ $", 3);
            return;
        }
        if (w->math == MDR_MATH_GITHUB && S_needs_code_math(text, len)) {
            S_code_math(w, NULL, text, len);
            return;
        }
        S_put(w, "$", 1);
        S_math_body(w, text, len);
        S_put(w, "$", 1);
        return;
    }
    if (len == 0) {
        S_put(w, "$$ $$", 5);
        return;
    }
    /* display math sharing a paragraph with text stays on one line:
     * line layout inside a paragraph is where md4c 0.4.8 is least
     * consistent (a math block of its own keeps its lines) */
    S_anchor(w, n);
    if (w->math == MDR_MATH_GITHUB && !memchr(text, '`', len)) {
        S_code_math(w, "\\displaystyle ", text, len);
        return;
    }
    S_put(w, "$$", 2);
    S_math_body(w, text, len);
    S_put(w, "$$", 2);
}

static int S_inline(S_w *w, const doc_node *n)
{
    switch (n->type) {
    case DOC_TEXT:
        S_esc(w, n->text, n->text_len, 0);
        return 0;
    case DOC_EMPH:
    case DOC_STRONG:
    case DOC_STRIKE: {
        int us = n->mark == '_';   /* the author's delimiter */
        const char *d = n->type == DOC_EMPH ? (us ? "_" : "*")
                      : n->type == DOC_STRONG ? (us ? "__" : "**") : "~~";
        S_puts(w, d);
        int rc = S_inlines(w, n);
        S_puts(w, d);
        return rc;
    }
    case DOC_CODE:
        S_code_span(w, n->text, n->text_len);
        return 0;
    case DOC_LINK:
    case DOC_IMAGE: {
        S_puts(w, n->type == DOC_IMAGE ? "![" : "[");
        int rc = S_inlines(w, n);
        S_put(w, "]", 1);
        S_url(w, n->url ? n->url : "", n->title);
        return rc;
    }
    case DOC_MATH:
    case DOC_DMATH: {
        /* equation numbers and \eqref as the PDF has them (xref.h) */
        char *t = xref_md_math(w->d, n, w->e);
        if (!t)
            return -1;
        S_inline_math(w, n, t, strlen(t));
        free(t);
        return 0;
    }
    case DOC_SOFTBREAK:
        S_put(w, w->in_line ? " " : "\n", 1);
        return 0;
    case DOC_LINEBREAK:
        S_puts(w, w->in_line ? " " : "\\\n");
        return 0;
    case DOC_VALUE:
        return S_value(w, n);
    case DOC_REF:
        return S_ref(w, n);
    default:
        /* a block inside inlines cannot come from the parser */
        return 0;
    }
}

static int S_inlines(S_w *w, const doc_node *parent)
{
    for (const doc_node *c = parent->first_child; c; c = c->next)
        if (S_inline(w, c) < 0)
            return -1;
    return 0;
}

/* ---- blocks -------------------------------------------------------------- */

static int S_blocks(S_w *w, const doc_node *parent, int tight);

static const char *S_delim(int right, int left, int center)
{
    return right ? " ---: |" : left ? " :--- |" : center ? " :---: |"
                                                        : " --- |";
}

static int S_gfm_table(S_w *w, const doc_node *t)
{
    int rc = 0;
    w->in_table = w->in_line = 1;
    for (const doc_node *r = t->first_child; r && rc == 0; r = r->next) {
        S_put(w, "|", 1);
        for (const doc_node *c = r->first_child; c && rc == 0; c = c->next) {
            S_put(w, " ", 1);
            w->lstart = 0;
            rc = S_inlines(w, c);
            S_put(w, " |", 2);
        }
        S_put(w, "\n", 1);
        if (r->header) {
            S_put(w, "|", 1);
            for (int i = 0; i < t->n_cols; i++)
                S_puts(w, S_delim(t->aligns[i] == DOC_ALIGN_RIGHT,
                                  t->aligns[i] == DOC_ALIGN_LEFT,
                                  t->aligns[i] == DOC_ALIGN_CENTER));
            S_put(w, "\n", 1);
        }
    }
    w->in_table = w->in_line = 0;
    return rc;
}

static int S_gentable(S_w *w, const doc_node *n)
{
    const tbl *t = w->c ? cat_table(w->c, n->name) : NULL;
    if (!t)
        return err_at(w->e, LB_EXIT_INPUT, w->d->path, n->line, n->col,
                      "unknown table '%s' (known: %s)", n->name,
                      w->c ? cat_known_tables(w->c) : "");
    char num[48];
    snprintf(num, sizeof num, "**Table %d.**", n->number);
    S_anchor(w, n);
    S_puts(w, num);
    w->in_line = 1;
    if (n->first_child) {
        S_put(w, " ", 1);
        if (S_inlines(w, n) < 0)
            return -1;
    } else if (t->caption && t->caption[0]) {
        S_put(w, " ", 1);
        S_esc_str(w, t->caption, 1);
    }
    w->in_line = 0;
    S_put(w, "\n\n", 2);
    w->in_table = 1;
    S_put(w, "|", 1);
    for (size_t j = 0; j < t->ncols; j++) {
        S_put(w, " ", 1);
        w->lstart = 0;
        S_esc_str(w, t->header[j], 1);
        S_put(w, " |", 2);
    }
    S_put(w, "\n|", 2);
    for (size_t j = 0; j < t->ncols; j++)
        S_puts(w, S_delim(t->align[j] == TBL_RIGHT ||
                              t->align[j] == TBL_DECIMAL,
                          t->align[j] == TBL_LEFT,
                          t->align[j] == TBL_CENTER));
    S_put(w, "\n", 1);
    for (size_t i = 0; i < t->nrows; i++) {
        const tbl_row *r = &t->rows[i];
        S_put(w, "|", 1);
        for (size_t j = 0; j < t->ncols; j++) {
            const tbl_cell *c = &r->cells[j];
            int bold = (c->mark || r->mark) && c->text && c->text[0];
            S_put(w, " ", 1);
            w->lstart = 0;
            if (bold)
                S_put(w, "**", 2);
            S_esc_str(w, c->text, 1);
            if (bold)
                S_put(w, "**", 2);
            S_put(w, " |", 2);
        }
        S_put(w, "\n", 1);
    }
    w->in_table = 0;
    if (t->note && t->note[0]) {
        S_put(w, "\n", 1);
        S_esc_str(w, t->note, 1);
        S_put(w, "\n", 1);
    }
    return 0;
}

/* The caption: the template's, else the figure catalogue's default. */
static int S_fig_caption(S_w *w, const doc_node *n)
{
    if (n->first_child) {
        S_put(w, " ", 1);
        return S_inlines(w, n);
    }
    const fig_info *fi = n->fig_src == DOC_FIG_CATALOG ? fig_find(n->name) : NULL;
    if (fi && fi->caption && fi->caption[0]) {
        S_put(w, " ", 1);
        S_esc_str(w, fi->caption, 1);
    }
    return 0;
}

/* Alt text: the caption as plain text (no TeX, no markup), escaped so it
 * reads back as those characters. */
static int S_fig_alt(S_w *w, const doc_node *n, const char *num)
{
    char *raw = NULL;
    const char *src = "";
    if (n->first_child) {
        if (!(raw = doc_plain_text(n, w->e)))
            return -1;
        src = raw;
    } else if (n->fig_src == DOC_FIG_CATALOG) {
        const fig_info *fi = fig_find(n->name);
        if (fi && fi->caption)
            src = fi->caption;
    }
    size_t cap = strlen(src) * 2 + 64;
    char *plain = malloc(cap);
    if (!plain) {
        free(raw);
        return err_nomem(w->e);
    }
    const char *txt = tbl_tex_plain(src, plain, cap);
    S_puts(w, num);
    if (txt[0]) {
        S_put(w, " ", 1);
        S_esc_str(w, txt, 0);
    }
    free(plain);
    free(raw);
    return 0;
}

/* A copied picture's file name in figures/: "pic-" NAME and the source's
 * extension, lower case ("pic-" keeps it apart from generated figures). */
void mdr_picture_file(const doc_node *n, char *buf, size_t len)
{
    const char *u = n->url ? n->url : "";
    const char *dot = strrchr(u, '.');
    char ext[8] = "";
    for (size_t i = 0; dot && dot[i] && i + 1 < sizeof ext; i++)
        ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] - 'A' + 'a' : dot[i]);
    if (strcmp(ext, ".jpeg") == 0)
        strcpy(ext, ".jpg");
    snprintf(buf, len, "pic-%s%s", n->name, ext);
}

static int S_figure(S_w *w, const doc_node *n)
{
    char num[48], file[160];
    snprintf(num, sizeof num, "Figure %d.", n->number);
    if (n->fig_src == DOC_FIG_IMAGE)
        mdr_picture_file(n, file, sizeof file);
    else
        snprintf(file, sizeof file, "%s.svg", n->name);   /* [A-Za-z0-9_./-] only */
    w->in_line = 1;
    S_puts(w, "![");
    if (S_fig_alt(w, n, num) < 0)
        return -1;
    S_puts(w, "](figures/");
    S_puts(w, file);
    S_puts(w, ")\n\n");
    S_anchor(w, n);
    S_puts(w, "**");
    S_puts(w, num);
    S_puts(w, "**");
    if (S_fig_caption(w, n) < 0)
        return -1;
    if (n->fig_src != DOC_FIG_IMAGE) {
        S_puts(w, " ([PNG](figures/");
        S_puts(w, n->name);
        S_puts(w, ".png), [PNG for dark pages](figures/");
        S_puts(w, n->name);
        S_puts(w, ".dark.png)");
        if (n->fig_src == DOC_FIG_GNUPLOT) {
            S_puts(w, ", [gnuplot script](figures/");
            S_puts(w, n->name);
            S_puts(w, ".gp)");
        }
        S_puts(w, ")");
    }
    S_puts(w, "\n");
    w->in_line = 0;
    return 0;
}

static void S_fenced(S_w *w, const doc_node *n)
{
    const char *info = n->info ? n->info : "";
    char fch = strchr(info, '`') ? '~' : '`';
    size_t k = S_run(n->text, n->text_len, fch) + 1;
    if (k < 3)
        k = 3;
    S_repeat(w, fch, k);
    S_puts(w, info);
    S_put(w, "\n", 1);
    if (n->text_len) {
        S_put(w, n->text, n->text_len);
        S_put(w, "\n", 1);
    }
    S_repeat(w, fch, k);
    S_put(w, "\n", 1);
}

static int S_list(S_w *w, const doc_node *l)
{
    unsigned num = l->start;
    for (const doc_node *it = l->first_child; it; it = it->next) {
        if (it != l->first_child && !l->tight)
            S_put(w, "\n", 1);
        char mk[32];
        if (l->ordered)
            snprintf(mk, sizeof mk, "%u%c ", num++,
                     l->mark == ')' ? ')' : '.');
        else
            snprintf(mk, sizeof mk, "%c ", l->mark ? l->mark : '-');
        S_puts(w, mk);
        w->lstart = 1;
        size_t saved = w->pre_len;
        char sp[32];
        size_t ml = strlen(mk);
        memset(sp, ' ', ml);
        if (S_push_prefix(w, sp, ml) < 0)
            return -1;
        int rc = S_blocks(w, it, l->tight);
        S_eol(w);
        w->pre_len = saved;
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int S_block(S_w *w, const doc_node *n)
{
    switch (n->type) {
    case DOC_HEADING: {
        int lv = n->level + w->shift;
        S_repeat(w, '#', (size_t)(lv > 6 ? 6 : lv));
        S_put(w, " ", 1);
        if (n->secnum) {
            S_puts(w, n->secnum);
            S_put(w, " ", 1);
        }
        w->in_line = 1;
        w->lstart = 0;
        int rc = S_inlines(w, n);
        w->in_line = 0;
        S_eol(w);
        return rc;
    }
    case DOC_PARAGRAPH: {
        int rc = S_inlines(w, n);
        S_eol(w);
        return rc;
    }
    case DOC_LIST:
        return S_list(w, n);
    case DOC_QUOTE: {
        size_t saved = w->pre_len;
        if (!w->bol) {
            /* quote right after a list marker: the marker line holds it */
            S_put(w, "> ", 2);
        }
        if (S_push_prefix(w, "> ", 2) < 0)
            return -1;
        int rc = S_blocks(w, n, 0);
        S_eol(w);
        w->pre_len = saved;
        return rc;
    }
    case DOC_CODE_BLOCK:
        S_fenced(w, n);
        return 0;
    case DOC_HRULE:
        S_puts(w, "***\n");
        return 0;
    case DOC_TABLE:
        return S_gfm_table(w, n);
    case DOC_MATH_BLOCK: {
        char *t = xref_md_math(w->d, n, w->e);
        if (!t)
            return -1;
        S_anchor(w, n);
        if (n->referenced)
            S_put(w, "\n", 1);
        S_display_math(w, t, strlen(t));
        free(t);
        return 0;
    }
    case DOC_FIGURE:
        return S_figure(w, n);
    case DOC_GENTABLE:
        return S_gentable(w, n);
    default:
        /* inline content directly in a container: write it as a line */
        if (S_inline(w, n) < 0)
            return -1;
        S_eol(w);
        return 0;
    }
}

/* Children of a container, separated by blank lines unless tight. */
static int S_blocks(S_w *w, const doc_node *parent, int tight)
{
    for (const doc_node *c = parent->first_child; c; c = c->next) {
        if (c != parent->first_child && !tight)
            S_put(w, "\n", 1);
        if (S_block(w, c) < 0)
            return -1;
    }
    return 0;
}

int mdr_render(const doc *d, const cat *c, FILE *f, lb_err *e)
{
    return mdr_render_opts(d, c, NULL, f, e);
}

int mdr_render_opts(const doc *d, const cat *c, const mdr_opts *opts, FILE *f, lb_err *e)
{
    int rc = -1;
    S_w w;
    memset(&w, 0, sizeof w);
    w.math = opts ? opts->math : MDR_MATH_DOLLARS;
    w.f = f;
    w.d = d;
    w.c = c;
    w.e = e;
    w.bol = w.lstart = 1;
    if (!d || !f) {
        err_set(e, LB_EXIT_RUNTIME, "mdr_render: no document or stream");
        goto out;
    }
    const doc_meta *m = &d->meta;
    if (m->title) {
        S_puts(&w, "# ");
        S_esc_str(&w, m->title, 1);
        S_put(&w, "\n\n", 2);
        w.shift = 1;
    }
    if (m->author || m->date) {
        S_put(&w, "*", 1);
        S_esc_str(&w, m->author, 1);
        if (m->author && m->date)
            S_puts(&w, " \xE2\x80\x94 ");   /* em dash */
        S_esc_str(&w, m->date, 1);
        S_put(&w, "*\n\n", 3);
    }
    if (S_blocks(&w, d->root, 0) < 0)
        goto out;
    if (fflush(f) != 0 || ferror(f)) {
        err_set(e, LB_EXIT_RUNTIME, "writing the Markdown report failed: %s",
                strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(w.pre);
    return rc;
}

int mdr_write(const doc *d, const cat *c, const char *path, lb_err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot create: %s", path,
                       strerror(errno));
    int rc = mdr_render(d, c, f, e);
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", path,
                     strerror(errno));
    return rc;
}
