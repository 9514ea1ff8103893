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
#include "doc/lang.h"
#include "doc/langtext.h"
#include "doc/render_md.h"
#include "doc/resolve.h"
#include "doc/xref.h"
#include "compute/table.h"
#include "doc/mdwrite.h"

/* ---- inlines ------------------------------------------------------------- */

static int S_inlines(mdw *w, const doc_node *parent);

static int S_value(mdw *w, const doc_node *n)
{
    char buf[512];
    lb_err tmp;
    err_clear(&tmp);
    if (!w->c || cat_value_format(w->c, n->spec, buf, sizeof buf, &tmp) < 0)
        return res_error_at(w->d, n, &tmp, w->e);
    if (n->blank) {   /* a fill-in blank: room to write, never the value */
        mdw_esc_str(w, "________", 1);
        return 0;
    }
    mdw_esc_str(w, buf, 1);
    return 0;
}

/* Where a reference's link points: a heading's GitHub id (computed from
 * the heading line as exported), or the anchor written before a figure's
 * or table's caption. */
static int S_ref_target(mdw *w, const doc_node *t, char *buf, size_t n)
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

static int S_ref(mdw *w, const doc_node *n)
{
    char text[96], href[512];
    xref_text(n, lang_get(w->d->meta.lang), text, sizeof text);
    if (!n->target)
        return res_error_at(w->d, n, &(lb_err){LB_EXIT_INPUT, "unresolved reference"}, w->e);
    if (S_ref_target(w, n->target, href, sizeof href) < 0)
        return -1;
    mdw_put(w, "[", 1);
    mdw_esc_str(w, text, 0);
    mdw_put(w, "]", 1);
    mdw_url(w, href, NULL);
    return 0;
}

/* An anchor for a referenced figure or table (GitHub and pandoc keep it). */
static void S_anchor(mdw *w, const doc_node *t)
{
    if (!t->referenced)
        return;
    char id[256];
    xref_anchor(t, id, sizeof id);
    mdw_puts(w, "<a id=\"");
    mdw_puts(w, id);
    mdw_puts(w, "\"></a>");
}

static void S_inline_math(mdw *w, const doc_node *n, const char *text, size_t len)
{
    if (n->type == DOC_MATH) {
        if (len == 0) {
            /* "$$" would read back as display math; dropping the span
             * would let its neighbours pair differently */
            mdw_put(w, "$ $", 3);
            return;
        }
        if (w->math == MDR_MATH_GITHUB && mdw_needs_code_math(text, len)) {
            mdw_code_math(w, NULL, text, len);
            return;
        }
        mdw_put(w, "$", 1);
        mdw_math_body(w, text, len);
        mdw_put(w, "$", 1);
        return;
    }
    if (len == 0) {
        mdw_put(w, "$$ $$", 5);
        return;
    }
    /* display math sharing a paragraph with text stays on one line:
     * line layout inside a paragraph is where md4c 0.4.8 is least
     * consistent (a math block of its own keeps its lines) */
    S_anchor(w, n);
    if (w->math == MDR_MATH_GITHUB && !memchr(text, '`', len)) {
        mdw_code_math(w, "\\displaystyle ", text, len);
        return;
    }
    mdw_put(w, "$$", 2);
    mdw_math_body(w, text, len);
    mdw_put(w, "$$", 2);
}

static int S_inline(mdw *w, const doc_node *n)
{
    switch (n->type) {
    case DOC_TEXT:
        mdw_esc(w, n->text, n->text_len, 0);
        return 0;
    case DOC_EMPH:
    case DOC_STRONG:
    case DOC_STRIKE: {
        int us = n->mark == '_';   /* the author's delimiter */
        const char *d = n->type == DOC_EMPH ? (us ? "_" : "*")
                      : n->type == DOC_STRONG ? (us ? "__" : "**") : "~~";
        mdw_puts(w, d);
        int rc = S_inlines(w, n);
        mdw_puts(w, d);
        return rc;
    }
    case DOC_CODE:
        mdw_code_span(w, n->text, n->text_len);
        return 0;
    case DOC_LINK:
    case DOC_IMAGE: {
        mdw_puts(w, n->type == DOC_IMAGE ? "![" : "[");
        int rc = S_inlines(w, n);
        mdw_put(w, "]", 1);
        mdw_url(w, n->url ? n->url : "", n->title);
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
        mdw_put(w, w->in_line ? " " : "\n", 1);
        return 0;
    case DOC_LINEBREAK:
        mdw_puts(w, w->in_line ? " " : "\\\n");
        return 0;
    case DOC_VALUE:
        return S_value(w, n);
    case DOC_REF:
        return S_ref(w, n);
    case DOC_COMMENT:
        /* only when cond_apply did not run (it removes every comment) */
        mdw_puts(w, "<!--");
        mdw_put(w, n->text, n->text_len);
        mdw_puts(w, "-->");
        return 0;
    default:
        /* a block inside inlines cannot come from the parser */
        return 0;
    }
}

static int S_inlines(mdw *w, const doc_node *parent)
{
    for (const doc_node *c = parent->first_child; c; c = c->next)
        if (S_inline(w, c) < 0)
            return -1;
    return 0;
}

/* ---- blocks -------------------------------------------------------------- */

static int S_blocks(mdw *w, const doc_node *parent, int tight);

static const char *S_delim(int right, int left, int center)
{
    return right ? " ---: |" : left ? " :--- |" : center ? " :---: |"
                                                        : " --- |";
}

static int S_gfm_table(mdw *w, const doc_node *t)
{
    int rc = 0;
    const doc_node *cap = doc_table_caption(t);
    if (cap) {   /* numbered like a generated table */
        char num[64], lab[48];
        const lang_info *lg = lang_get(w->d->meta.lang);
        snprintf(lab, sizeof lab, lg ? lg->table_fmt : "Table %d.", t->number);
        snprintf(num, sizeof num, "**%s**", lab);
        S_anchor(w, t);
        mdw_puts(w, num);
        w->in_line = 1;
        if (cap->first_child) {
            mdw_put(w, " ", 1);
            if (S_inlines(w, cap) < 0)
                return -1;
        }
        w->in_line = 0;
        mdw_put(w, "\n\n", 2);
    }
    w->in_table = w->in_line = 1;
    for (const doc_node *r = t->first_child; r && rc == 0; r = r->next) {
        if (r->type != DOC_TABLE_ROW)
            continue;
        mdw_put(w, "|", 1);
        for (const doc_node *c = r->first_child; c && rc == 0; c = c->next) {
            mdw_put(w, " ", 1);
            w->lstart = 0;
            rc = S_inlines(w, c);
            mdw_put(w, " |", 2);
        }
        mdw_put(w, "\n", 1);
        if (r->header) {
            mdw_put(w, "|", 1);
            for (int i = 0; i < t->n_cols; i++)
                mdw_puts(w, S_delim(t->aligns[i] == DOC_ALIGN_RIGHT,
                                  t->aligns[i] == DOC_ALIGN_LEFT,
                                  t->aligns[i] == DOC_ALIGN_CENTER));
            mdw_put(w, "\n", 1);
        }
    }
    w->in_table = w->in_line = 0;
    return rc;
}

static int S_gentable_of(mdw *w, const doc_node *n, const tbl *t);

static int S_gentable(mdw *w, const doc_node *n)
{
    const char *tspec = n->spec ? n->spec : n->name;
    const tbl *t = w->c ? cat_table(w->c, tspec) : NULL;
    if (!t && w->c && cat_has_table(w->c, n->name))
        return err_nomem(w->e);   /* a known table whose build ran out of memory */
    if (!t)
        return err_at(w->e, LB_EXIT_INPUT, w->d->path, n->line, n->col,
                      "unknown table '%s' (known: %s)", n->name,
                      w->c ? cat_known_tables(w->c) : "");
    /* other languages: the catalogue's English translated (langtext.h) */
    const lang_info *lg = lang_get(w->d->meta.lang);
    if (!lg || strcmp(lg->code, "en") == 0)
        return S_gentable_of(w, n, t);
    tbl *tr = langtext_table(lg, t, w->e);
    int rc = tr ? S_gentable_of(w, n, tr) : -1;
    tbl_free(tr);
    return rc;
}

static int S_gentable_of(mdw *w, const doc_node *n, const tbl *t)
{
    char num[64];
    const lang_info *lg = lang_get(w->d->meta.lang);
    char lab[48];
    snprintf(lab, sizeof lab, lg ? lg->table_fmt : "Table %d.", n->number);
    snprintf(num, sizeof num, "**%s**", lab);
    S_anchor(w, n);
    mdw_puts(w, num);
    w->in_line = 1;
    if (n->first_child) {
        mdw_put(w, " ", 1);
        if (S_inlines(w, n) < 0)
            return -1;
    } else if (t->caption && t->caption[0]) {
        mdw_put(w, " ", 1);
        mdw_esc_str(w, t->caption, 1);
    }
    w->in_line = 0;
    mdw_put(w, "\n\n", 2);
    w->in_table = 1;
    mdw_put(w, "|", 1);
    for (size_t j = 0; j < t->ncols; j++) {
        mdw_put(w, " ", 1);
        w->lstart = 0;
        mdw_esc_str(w, t->header[j], 1);
        mdw_put(w, " |", 2);
    }
    mdw_put(w, "\n|", 2);
    for (size_t j = 0; j < t->ncols; j++)
        mdw_puts(w, S_delim(t->align[j] == TBL_RIGHT ||
                              t->align[j] == TBL_DECIMAL,
                          t->align[j] == TBL_LEFT,
                          t->align[j] == TBL_CENTER));
    mdw_put(w, "\n", 1);
    for (size_t i = 0; i < t->nrows; i++) {
        const tbl_row *r = &t->rows[i];
        mdw_put(w, "|", 1);
        for (size_t j = 0; j < t->ncols; j++) {
            const tbl_cell *c = &r->cells[j];
            int bold = (c->mark || r->mark) && c->text && c->text[0];
            mdw_put(w, " ", 1);
            w->lstart = 0;
            if (bold)
                mdw_put(w, "**", 2);
            mdw_esc_str(w, c->text, 1);
            if (bold)
                mdw_put(w, "**", 2);
            mdw_put(w, " |", 2);
        }
        mdw_put(w, "\n", 1);
    }
    w->in_table = 0;
    if (t->note && t->note[0]) {
        mdw_put(w, "\n", 1);
        mdw_esc_str(w, t->note, 1);
        mdw_put(w, "\n", 1);
    }
    return 0;
}

/* The caption: the template's, else the figure catalogue's default. */
static int S_fig_caption(mdw *w, const doc_node *n)
{
    if (n->first_child) {
        mdw_put(w, " ", 1);
        return S_inlines(w, n);
    }
    const fig_info *fi = n->fig_src == DOC_FIG_CATALOG ? fig_find(n->name) : NULL;
    if (fi && fi->caption && fi->caption[0]) {
        mdw_put(w, " ", 1);
        mdw_esc_str(w, fi->caption, 1);
    }
    return 0;
}

/* The caption's text with its values printed (doc_plain_text shows a
 * value as its name, "[shape.N]"): text, math as $tex$, breaks as spaces. */
static int S_plain_values(mdw *w, const doc_node *root, char **out)
{
    size_t len = 0, cap = 256;
    char *b = malloc(cap), val[256];
    if (!b)
        return err_nomem(w->e);
    b[0] = '\0';
    for (const doc_node *x = root->first_child ? root->first_child : NULL; x;
         x = doc_next(root, x)) {
        const char *piece = "", *pre = "", *post = "";
        size_t pl;
        switch (x->type) {
        case DOC_TEXT:
        case DOC_CODE:
            piece = x->text;
            break;
        case DOC_MATH:
        case DOC_DMATH:
            pre = post = "$";
            piece = x->text;
            break;
        case DOC_SOFTBREAK:
        case DOC_LINEBREAK:
            piece = " ";
            break;
        case DOC_VALUE: {
            lb_err tmp;
            err_clear(&tmp);
            piece = w->c && cat_value_format(w->c, x->spec, val, sizeof val, &tmp) == 0 ? val : "";
            break;
        }
        default:
            continue;
        }
        pl = strlen(pre) + strlen(piece) + strlen(post);
        if (len + pl + 1 > cap) {
            while (len + pl + 1 > cap)
                cap *= 2;
            char *nb = realloc(b, cap);
            if (!nb) {
                free(b);
                return err_nomem(w->e);
            }
            b = nb;
        }
        len += (size_t)snprintf(b + len, cap - len, "%s%s%s", pre, piece, post);
    }
    *out = b;
    return 0;
}

/* Alt text: the caption as plain text (no TeX, no markup), escaped so it
 * reads back as those characters. */
static int S_fig_alt(mdw *w, const doc_node *n, const char *num)
{
    char *raw = NULL;
    const char *src = "";
    if (n->first_child) {
        if (S_plain_values(w, n, &raw) != 0)
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
    mdw_puts(w, num);
    if (txt[0]) {
        mdw_put(w, " ", 1);
        mdw_esc_str(w, txt, 0);
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

static int S_figure(mdw *w, const doc_node *n)
{
    char num[48], file[160];
    const lang_info *lg = lang_get(w->d->meta.lang);
    snprintf(num, sizeof num, lg ? lg->figure_fmt : "Figure %d.", n->number);
    /* The file stem: NAME, or NAME.zh when drawn in the document's
     * language (plot/figlang.h). */
    char stem[96];
    if (n->fig_src == DOC_FIG_CATALOG && n->fig_lang && lg)
        snprintf(stem, sizeof stem, "%s.%s", n->name, lg->code);
    else
        snprintf(stem, sizeof stem, "%s", n->name);
    if (n->fig_src == DOC_FIG_IMAGE)
        mdr_picture_file(n, file, sizeof file);
    else
        snprintf(file, sizeof file, "%s.svg", stem);   /* [A-Za-z0-9_./-] only */
    w->in_line = 1;
    mdw_puts(w, "![");
    if (S_fig_alt(w, n, num) < 0)
        return -1;
    mdw_puts(w, "](figures/");
    mdw_puts(w, file);
    mdw_puts(w, ")\n\n");
    S_anchor(w, n);
    mdw_puts(w, "**");
    mdw_puts(w, num);
    mdw_puts(w, "**");
    if (S_fig_caption(w, n) < 0)
        return -1;
    if (n->fig_src != DOC_FIG_IMAGE) {
        mdw_puts(w, " ([PNG](figures/");
        mdw_puts(w, stem);
        mdw_puts(w, ".png), [");
        mdw_puts(w, lg && lg->dark_png ? lg->dark_png : "PNG for dark pages");
        mdw_puts(w, "](figures/");
        mdw_puts(w, stem);
        mdw_puts(w, ".dark.png)");
        if (n->fig_src == DOC_FIG_GNUPLOT) {
            mdw_puts(w, ", [");
            mdw_puts(w, lg && lg->gp_script ? lg->gp_script : "gnuplot script");
            mdw_puts(w, "](figures/");
            mdw_puts(w, n->name);
            mdw_puts(w, ".gp)");
        }
        mdw_puts(w, ")");
    }
    mdw_puts(w, "\n");
    w->in_line = 0;
    return 0;
}

static void S_fenced(mdw *w, const doc_node *n)
{
    const char *info = n->info ? n->info : "";
    char fch = strchr(info, '`') ? '~' : '`';
    size_t k = mdw_run(n->text, n->text_len, fch) + 1;
    if (k < 3)
        k = 3;
    mdw_repeat(w, fch, k);
    mdw_puts(w, info);
    mdw_put(w, "\n", 1);
    if (n->text_len) {
        mdw_put(w, n->text, n->text_len);
        mdw_put(w, "\n", 1);
    }
    mdw_repeat(w, fch, k);
    mdw_put(w, "\n", 1);
}

static int S_list(mdw *w, const doc_node *l)
{
    unsigned num = l->start;
    for (const doc_node *it = l->first_child; it; it = it->next) {
        if (it != l->first_child && !l->tight)
            mdw_put(w, "\n", 1);
        char mk[32];
        if (l->ordered)
            snprintf(mk, sizeof mk, "%u%c ", num++,
                     l->mark == ')' ? ')' : '.');
        else
            snprintf(mk, sizeof mk, "%c ", l->mark ? l->mark : '-');
        mdw_puts(w, mk);
        w->lstart = 1;
        size_t saved = w->pre_len;
        char sp[32];
        size_t ml = strlen(mk);
        memset(sp, ' ', ml);
        if (mdw_push_prefix(w, sp, ml) < 0)
            return -1;
        int rc = S_blocks(w, it, l->tight);
        mdw_eol(w);
        w->pre_len = saved;
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int S_block(mdw *w, const doc_node *n)
{
    switch (n->type) {
    case DOC_HEADING: {
        int lv = n->level + w->shift;
        mdw_repeat(w, '#', (size_t)(lv > 6 ? 6 : lv));
        mdw_put(w, " ", 1);
        if (n->secnum) {
            mdw_puts(w, n->secnum);
            mdw_put(w, " ", 1);
        }
        w->in_line = 1;
        w->lstart = 0;
        int rc = S_inlines(w, n);
        w->in_line = 0;
        mdw_eol(w);
        return rc;
    }
    case DOC_PARAGRAPH: {
        int rc = S_inlines(w, n);
        mdw_eol(w);
        return rc;
    }
    case DOC_LIST:
        return S_list(w, n);
    case DOC_QUOTE: {
        size_t saved = w->pre_len;
        if (!w->bol) {
            /* quote right after a list marker: the marker line holds it */
            mdw_put(w, "> ", 2);
        }
        if (mdw_push_prefix(w, "> ", 2) < 0)
            return -1;
        int rc = S_blocks(w, n, 0);
        mdw_eol(w);
        w->pre_len = saved;
        return rc;
    }
    case DOC_CODE_BLOCK:
        S_fenced(w, n);
        return 0;
    case DOC_HRULE:
        mdw_puts(w, "***\n");
        return 0;
    case DOC_TABLE:
        return S_gfm_table(w, n);
    case DOC_MATH_BLOCK: {
        char *t = xref_md_math(w->d, n, w->e);
        if (!t)
            return -1;
        S_anchor(w, n);
        if (n->referenced)
            mdw_put(w, "\n", 1);
        mdw_display_math(w, t, strlen(t));
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
        mdw_eol(w);
        return 0;
    }
}

/* Children of a container, separated by blank lines unless tight. */
static int S_blocks(mdw *w, const doc_node *parent, int tight)
{
    for (const doc_node *c = parent->first_child; c; c = c->next) {
        if (c != parent->first_child && !tight)
            mdw_put(w, "\n", 1);
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
    mdw w;
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
        mdw_puts(&w, "# ");
        mdw_esc_str(&w, m->title, 1);
        mdw_put(&w, "\n\n", 2);
        w.shift = 1;
    }
    if (m->author || m->date) {
        mdw_put(&w, "*", 1);
        mdw_esc_str(&w, m->author, 1);
        if (m->author && m->date)
            mdw_puts(&w, " \xE2\x80\x94 ");   /* em dash */
        mdw_esc_str(&w, m->date, 1);
        mdw_put(&w, "*\n\n", 3);
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
    /* A failed write is reported with the file's name (mdr_render only
     * sees a FILE *). */
    lb_err in;
    err_clear(&in);
    int rc = mdr_render(d, c, f, &in);
    int werr = errno;
    if (rc != 0 && ferror(f))
        err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", path, strerror(werr));
    else if (rc != 0)
        err_set(e, in.code, "%s", in.msg);
    if (fclose(f) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", path,
                     strerror(errno));
    return rc;
}
