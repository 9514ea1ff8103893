/* doc — document model: node lifetime, numbering, walking, dump.
 * See doc.h for the tree shape and the numbering rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/doc.h"
#include "doc/lang.h"

static const char *const S_type_names[DOC_TYPE_COUNT] = {
    "document", "heading", "paragraph", "list", "item", "quote",
    "code_block", "hrule", "table", "row", "cell", "math_block", "figure",
    "gentable", "text", "emph", "strong", "strike", "code", "link", "image",
    "math", "dmath", "softbreak", "linebreak", "value", "ref", "comment",
};

const doc_node *doc_table_caption(const doc_node *t)
{
    const doc_node *c = t && t->type == DOC_TABLE ? t->last_child : NULL;
    return c && c->type == DOC_PARAGRAPH ? c : NULL;
}

const char *doc_type_name(doc_type t)
{
    if ((int)t < 0 || t >= DOC_TYPE_COUNT)
        return "?";
    return S_type_names[t];
}

int doc_is_block(doc_type t)
{
    return t >= DOC_DOCUMENT && t <= DOC_GENTABLE;
}

doc_node *doc_node_new(doc_type type, int line, int col, lb_err *e)
{
    doc_node *n = calloc(1, sizeof *n);
    if (!n) {
        err_nomem(e);
        return NULL;
    }
    n->type = type;
    n->line = line;
    n->col = col;
    n->width = 1.0;
    n->digits = -1;
    n->opt_first = n->opt_worst = -1;
    return n;
}

static void S_free_fields(doc_node *n)
{
    free(n->text);
    free(n->secnum);
    free(n->info);
    free(n->aligns);
    free(n->url);
    free(n->title);
    free(n->name);
    free(n->spec);
    free(n->src);
    free(n->label);
    free(n->eqtag);
    free(n->tex_map);
    free(n);
}

void doc_text_pos(const doc_node *n, size_t off, int *line, int *col)
{
    *line = n->line;
    *col = n->col;
    size_t k = n->n_tex_map;
    while (k > 0 && (size_t)n->tex_map[3 * (k - 1)] > off)
        k--;
    if (k == 0 || !n->text)
        return;
    const int *m = &n->tex_map[3 * (k - 1)];
    *line = m[1];
    *col = m[2];
    for (size_t i = (size_t)m[0]; i < off && i < n->text_len; i++)
        *col += ((unsigned char)n->text[i] & 0xC0) != 0x80;
}

void doc_node_unlink(doc_node *n)
{
    if (!n)
        return;
    if (n->prev)
        n->prev->next = n->next;
    else if (n->parent)
        n->parent->first_child = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else if (n->parent)
        n->parent->last_child = n->prev;
    n->parent = n->prev = n->next = NULL;
}

/* Iterative subtree free (cmark's trick): splice each node's children onto
 * the end of a work list so arbitrarily deep trees need no stack. */
void doc_node_free(doc_node *n)
{
    if (!n)
        return;
    doc_node_unlink(n);
    doc_node *cur = n, *tail = n;
    while (cur) {
        if (cur->first_child) {
            /* append children after tail, linked through ->next */
            tail->next = cur->first_child;
            tail = cur->last_child;
            cur->first_child = cur->last_child = NULL;
        }
        doc_node *nx = cur->next;
        S_free_fields(cur);
        cur = nx;
    }
}

void doc_node_append(doc_node *parent, doc_node *child)
{
    child->parent = parent;
    child->next = NULL;
    child->prev = parent->last_child;
    if (parent->last_child)
        parent->last_child->next = child;
    else
        parent->first_child = child;
    parent->last_child = child;
}

void doc_node_insert_after(doc_node *ref, doc_node *n)
{
    n->parent = ref->parent;
    n->prev = ref;
    n->next = ref->next;
    if (ref->next)
        ref->next->prev = n;
    else if (ref->parent)
        ref->parent->last_child = n;
    ref->next = n;
}

/* Smallest power of two >= x (x >= 1). */
static size_t S_pow2(size_t x)
{
    size_t c = 16;
    while (c < x)
        c *= 2;
    return c;
}

/* Text buffers grow geometrically so a paragraph assembled from a million
 * md4c chunks costs linear time.  Invariant: a non-NULL text has at least
 * S_pow2(text_len + 1) bytes allocated (shrinking text_len keeps it). */
int doc_node_append_text(doc_node *n, const char *s, size_t len, lb_err *e)
{
    size_t old = n->text ? n->text_len : 0;
    if (len > (size_t)-1 / 4 - old)
        return err_nomem(e);
    char *p = n->text;
    size_t need = S_pow2(old + len + 1);
    if (!p || need > S_pow2(old + 1)) {
        p = realloc(n->text, need);
        if (!p)
            return err_nomem(e);
    }
    if (len)
        memcpy(p + old, s, len);
    p[old + len] = '\0';
    n->text = p;
    n->text_len = old + len;
    return 0;
}

int doc_set_str(char **field, const char *s, size_t len, lb_err *e)
{
    char *p = malloc(len + 1);
    if (!p)
        return err_nomem(e);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    free(*field);
    *field = p;
    return 0;
}

doc *doc_new(const char *path, lb_err *e)
{
    doc *d = calloc(1, sizeof *d);
    if (!d) {
        err_nomem(e);
        return NULL;
    }
    const char *p = path ? path : "";
    if (doc_set_str(&d->path, p, strlen(p), e) < 0)
        goto fail;
    d->root = doc_node_new(DOC_DOCUMENT, 1, 1, e);
    if (!d->root)
        goto fail;
    return d;
fail:
    doc_free(d);
    return NULL;
}

void doc_free(doc *d)
{
    if (!d)
        return;
    doc_node_free(d->root);
    free(d->meta.title);
    free(d->meta.author);
    free(d->meta.subject);
    free(d->meta.keywords);
    free(d->meta.date);
    free(d->meta.lang);
    free(d->meta.claims);
    free(d->path);
    free(d);
}

const doc_node *doc_next(const doc_node *root, const doc_node *n)
{
    if (!n)
        return NULL;
    if (n->first_child)
        return n->first_child;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

/* ---- numbering --------------------------------------------------------- */

/* Append the appendix letters for k >= 1: 1->A, 26->Z, 27->AA (bijective
 * base 26, so it never overflows into odd symbols). */
static size_t S_letters(char *buf, size_t cap, long k)
{
    char tmp[32];
    size_t n = 0;
    while (k > 0 && n < sizeof tmp) {
        k--;
        tmp[n++] = (char)('A' + k % 26);
        k /= 26;
    }
    size_t w = 0;
    while (n > 0 && w + 1 < cap)
        buf[w++] = tmp[--n];
    buf[w] = '\0';
    return w;
}

/* Length of a separator after the appendix word at s: ' ', ':', '.',
 * '-' or the full-width colon and comma of Chinese text; 0 if none. */
static size_t S_appendix_sep(const char *s)
{
    if (*s == ' ' || *s == ':' || *s == '.' || *s == '-')
        return 1;
    if (strncmp(s, "\xEF\xBC\x9A", 3) == 0 || strncmp(s, "\xEF\xBC\x8C", 3) == 0 ||
        strncmp(s, "\xE3\x80\x80", 3) == 0)      /* ： ， ideographic space */
        return 3;
    return 0;
}

/* Is the heading's text the language's appendix word ("Appendix", "附录")
 * followed by end or a separator?  Looks at the first child only (a text
 * node). */
static int S_is_appendix(const doc_node *h, const char *word)
{
    const doc_node *t = h->first_child;
    size_t wl = strlen(word);
    if (!t || t->type != DOC_TEXT || !t->text)
        return 0;
    if (strncmp(t->text, word, wl) != 0)
        return 0;
    if (t->text[wl] == '\0')
        return t->next == NULL || t->next->type != DOC_TEXT;
    return S_appendix_sep(t->text + wl) > 0;
}

/* Remove the appendix word and its separator from the first text node when
 * something follows it. */
static int S_strip_appendix(doc_node *h, const char *word, lb_err *e)
{
    doc_node *t = h->first_child;
    const char *s = t->text + strlen(word);
    for (size_t k; (k = S_appendix_sep(s)) > 0;)
        s += k;
    if (*s == '\0' && t->next == NULL)
        return 0;   /* just "Appendix": keep it */
    if (*s == '\0') {
        /* the title continues in the next inline (e.g. emphasis) */
        doc_node_free(t);
        return 0;
    }
    size_t skip = (size_t)(s - t->text);
    for (size_t k = 0; k < skip; k++)   /* columns count characters */
        t->col += ((unsigned char)t->text[k] & 0xC0) != 0x80;
    memmove(t->text, s, t->text_len - skip + 1);
    t->text_len -= skip;
    (void)e;
    return 0;
}

/* Strip a trailing " {-}" from the last text node; returns 1 if found. */
static int S_strip_unnumbered(doc_node *h)
{
    doc_node *t = h->last_child;
    if (!t || t->type != DOC_TEXT || !t->text || t->text_len < 3)
        return 0;
    if (strcmp(t->text + t->text_len - 3, "{-}") != 0)
        return 0;
    size_t k = t->text_len - 3;
    while (k > 0 && (t->text[k - 1] == ' ' || t->text[k - 1] == '\t'))
        k--;
    t->text[k] = '\0';
    t->text_len = k;
    if (k == 0)
        doc_node_free(t);
    return 1;
}

/* Strip a trailing " {#LABEL}" from h's last text node into *field. */
static int S_strip_label_to(doc_node *h, char **field, lb_err *e)
{
    doc_node *t = h->last_child;
    if (!t || t->type != DOC_TEXT || !t->text || t->text_len < 4 ||
        t->text[t->text_len - 1] != '}')
        return 0;
    char *open = strrchr(t->text, '{');
    if (!open || open[1] != '#' || open + 3 > t->text + t->text_len)
        return 0;
    for (const char *q = open + 2; q < t->text + t->text_len - 1; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
              *q == '_' || *q == '-' || *q == '.' || *q == '/' || *q == ':'))
            return 0;
    if (doc_set_str(field, open + 2, (size_t)(t->text + t->text_len - 1 - (open + 2)), e) < 0)
        return -1;
    size_t k = (size_t)(open - t->text);
    while (k > 0 && (t->text[k - 1] == ' ' || t->text[k - 1] == '\t'))
        k--;
    t->text[k] = '\0';
    t->text_len = k;
    if (k == 0)
        doc_node_free(t);
    return 0;
}

/* A "Table: caption" paragraph right after (or else right before) a GFM
 * table becomes that table's caption: its last child, the "Table:" prefix
 * and a trailing " {#label}" removed (the label kept on the table). */
static int S_table_caption(doc *d, doc_node *t, lb_err *e)
{
    doc_node *cands[2] = {t->next, t->prev};
    for (int k = 0; k < 2; k++) {
        doc_node *p = cands[k];
        if (!p || p->type != DOC_PARAGRAPH || !p->first_child ||
            p->first_child->type != DOC_TEXT || strncmp(p->first_child->text, "Table:", 6) != 0)
            continue;
        if (k == 1 && p->prev && p->prev->type == DOC_TABLE && p->prev != t)
            continue;   /* it already follows another table */
        doc_node *x = p->first_child;
        size_t skip = 6;
        while (skip < x->text_len && (x->text[skip] == ' ' || x->text[skip] == '\t'))
            skip++;
        memmove(x->text, x->text + skip, x->text_len - skip + 1);
        x->text_len -= skip;
        x->col += (int)skip;
        if (x->text_len == 0 && x->next)
            doc_node_free(x);
        if (S_strip_label_to(p, &t->label, e) < 0)
            return -1;
        doc_node_unlink(p);
        doc_node_append(t, p);
        (void)d;
        return 1;
    }
    return 0;
}

static int S_strip_label(doc_node *h, lb_err *e)
{
    return S_strip_label_to(h, &h->label, e);
}

int doc_number(doc *d, lb_err *e)
{
    long cnt[3] = {0, 0, 0};
    int appendix = 0;
    const lang_info *lg = lang_get(d->meta.lang);
    const char *word = lg ? lg->appendix : "Appendix";
    int nfig = 0, ntab = 0;
    for (doc_node *n = d->root; n; n = (doc_node *)doc_next(d->root, n)) {
        if (n->type == DOC_FIGURE) {
            n->number = ++nfig;
        } else if (n->type == DOC_GENTABLE) {
            n->number = ++ntab;
        } else if (n->type == DOC_TABLE) {
            int r = S_table_caption(d, n, e);
            if (r < 0)
                return -1;
            /* numbering again (after conditions, resolve.h) finds the
             * caption already moved into the table: it keeps a number */
            if (r > 0 || n->number > 0)
                n->number = ++ntab;
        } else if (n->type == DOC_HEADING) {
            if (S_strip_label(n, e) < 0)
                return -1;
            /* nonum and appendix remember what an earlier call stripped
             * from the text, so numbering again after the tree changed
             * (cond.h, resolve.h) gives the same marks */
            if (n->nonum || S_strip_unnumbered(n)) {
                n->nonum = 1;
                continue;
            }
            if (!n->label && S_strip_label(n, e) < 0)   /* "{-} {#x}" order too */
                return -1;
            if (n->level > 3)
                continue;
            if (n->level == 1 && !appendix && (n->appendix || S_is_appendix(n, word))) {
                appendix = 1;
                cnt[0] = 0;
            }
            if (n->level == 1 && appendix && S_is_appendix(n, word)) {
                if (S_strip_appendix(n, word, e) < 0)
                    return -1;
            }
            int lv = n->level - 1;
            cnt[lv]++;
            for (int i = lv + 1; i < 3; i++)
                cnt[i] = 0;
            char buf[128];
            size_t w = 0;
            for (int i = 0; i <= lv; i++) {
                if (i > 0)
                    buf[w++] = '.';
                if (i == 0 && appendix)
                    w += S_letters(buf + w, sizeof buf - w, cnt[0]);
                else
                    w += (size_t)snprintf(buf + w, sizeof buf - w, "%ld",
                                          cnt[i]);
            }
            buf[w] = '\0';
            if (appendix && lv == 0 && lg) {    /* "A", "附录 A" */
                char tmp[128];
                int k = snprintf(tmp, sizeof tmp, lg->appendix_fmt, buf);
                if (k > 0 && (size_t)k < sizeof buf) {
                    memcpy(buf, tmp, (size_t)k + 1);
                    w = (size_t)k;
                }
            }
            if (doc_set_str(&n->secnum, buf, w, e) < 0)
                return -1;
            n->appendix = appendix;
        }
    }
    d->n_figures = nfig;
    d->n_gentables = ntab;
    return 0;
}

/* ---- plain text -------------------------------------------------------- */

typedef struct S_buf {
    char *p;
    size_t len, cap;
} S_buf;

static int S_put(S_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1) {
            if (cap > (size_t)-1 / 2)
                return -1;
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

char *doc_plain_text(const doc_node *root, lb_err *e)
{
    S_buf b = {0};
    int rc = 0;
    if (S_put(&b, "", 0) < 0)
        goto nomem;
    for (const doc_node *n = root; n && rc == 0; n = doc_next(root, n)) {
        switch (n->type) {
        case DOC_TEXT:
        case DOC_CODE:
            rc = S_put(&b, n->text, n->text_len);
            break;
        case DOC_MATH:
        case DOC_DMATH:
            rc = S_put(&b, "$", 1);
            if (!rc)
                rc = S_put(&b, n->text, n->text_len);
            if (!rc)
                rc = S_put(&b, "$", 1);
            break;
        case DOC_SOFTBREAK:
        case DOC_LINEBREAK:
            rc = S_put(&b, " ", 1);
            break;
        case DOC_VALUE:
            rc = S_put(&b, "[", 1);
            if (!rc)
                rc = S_put(&b, n->name, strlen(n->name));
            if (!rc)
                rc = S_put(&b, "]", 1);
            break;
        default:
            break;
        }
    }
    if (rc)
        goto nomem;
    return b.p;
nomem:
    free(b.p);
    err_nomem(e);
    return NULL;
}

/* ---- dump -------------------------------------------------------------- */

static void S_qstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02X", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static char S_align_char(doc_align a)
{
    switch (a) {
    case DOC_ALIGN_LEFT: return 'l';
    case DOC_ALIGN_CENTER: return 'c';
    case DOC_ALIGN_RIGHT: return 'r';
    default: return '-';
    }
}

static void S_dump_meta(FILE *f, const char *key, const char *v)
{
    if (!v)
        return;
    fprintf(f, "meta %s=", key);
    S_qstr(f, v);
    fputc('\n', f);
}

static void S_dump_node(FILE *f, const doc_node *n, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", f);
    fprintf(f, "%s@%d:%d", doc_type_name(n->type), n->line, n->col);
    switch (n->type) {
    case DOC_HEADING:
        fprintf(f, " level=%d secnum=", n->level);
        if (n->secnum)
            S_qstr(f, n->secnum);
        else
            fputc('-', f);
        if (n->appendix)
            fputs(" appendix", f);
        if (n->label) {
            fputs(" label=", f);
            S_qstr(f, n->label);
        }
        break;
    case DOC_LIST:
        fprintf(f, " ordered=%d start=%u tight=%d mark='%c'", n->ordered,
                n->start, n->tight, n->mark ? n->mark : '?');
        break;
    case DOC_CODE_BLOCK:
        fputs(" info=", f);
        S_qstr(f, n->info);
        fputs(" text=", f);
        S_qstr(f, n->text);
        break;
    case DOC_TABLE:
        fprintf(f, " cols=%d aligns=", n->n_cols);
        for (int i = 0; i < n->n_cols; i++)
            fputc(S_align_char(n->aligns[i]), f);
        if (n->number > 0)
            fprintf(f, " number=%d", n->number);
        if (n->label) {
            fputs(" label=", f);
            S_qstr(f, n->label);
        }
        break;
    case DOC_TABLE_ROW:
        if (n->header)
            fputs(" header", f);
        break;
    case DOC_TABLE_CELL:
        fprintf(f, " align=%c", S_align_char(n->align));
        break;
    case DOC_LINK:
    case DOC_IMAGE:
        fputs(" url=", f);
        S_qstr(f, n->url);
        if (n->title) {
            fputs(" title=", f);
            S_qstr(f, n->title);
        }
        break;
    case DOC_FIGURE:
        fputs(" name=", f);
        S_qstr(f, n->name);
        fprintf(f, " width=%g number=%d", n->width, n->number);
        if (n->fig_src == DOC_FIG_GNUPLOT)
            fprintf(f, " gnuplot code_line=%d", n->code_line);
        if (n->fig_src == DOC_FIG_IMAGE) {
            fputs(" image src=", f);
            S_qstr(f, n->src);
        }
        if (n->label) {
            fputs(" label=", f);
            S_qstr(f, n->label);
        }
        break;
    case DOC_GENTABLE:
        fputs(" name=", f);
        S_qstr(f, n->name);
        fprintf(f, " number=%d", n->number);
        if (n->opt_first >= 0)
            fprintf(f, " first=%d", n->opt_first);
        if (n->opt_worst >= 0)
            fprintf(f, " worst=%d", n->opt_worst);
        if (n->label) {
            fputs(" label=", f);
            S_qstr(f, n->label);
        }
        break;
    case DOC_REF:
        fputs(" name=", f);
        S_qstr(f, n->name);
        fprintf(f, " form=%d -> %s@%d:%d", n->form,
                n->target ? doc_type_name(n->target->type) : "?",
                n->target ? n->target->line : 0, n->target ? n->target->col : 0);
        break;
    case DOC_VALUE:
        fputs(" name=", f);
        S_qstr(f, n->name);
        fputs(" spec=", f);
        S_qstr(f, n->spec);
        fprintf(f, " digits=%d", n->digits);
        break;
    case DOC_TEXT:
    case DOC_CODE:
    case DOC_MATH:
    case DOC_DMATH:
    case DOC_MATH_BLOCK:
    case DOC_COMMENT:
        fputs(" text=", f);
        S_qstr(f, n->text);
        break;
    default:
        break;
    }
    fputc('\n', f);
}

void doc_dump(const doc *d, FILE *f)
{
    if (!d || !f)
        return;
    S_dump_meta(f, "title", d->meta.title);
    S_dump_meta(f, "author", d->meta.author);
    S_dump_meta(f, "subject", d->meta.subject);
    S_dump_meta(f, "keywords", d->meta.keywords);
    S_dump_meta(f, "date", d->meta.date);
    S_dump_meta(f, "lang", d->meta.lang);
    S_dump_meta(f, "claims", d->meta.claims);
    int depth = 0;
    const doc_node *n = d->root;
    while (n) {
        S_dump_node(f, n, depth);
        /* iterative pre-order with depth tracking */
        if (n->first_child) {
            n = n->first_child;
            depth++;
            continue;
        }
        while (n && n != d->root && !n->next) {
            n = n->parent;
            depth--;
        }
        if (!n || n == d->root)
            break;
        n = n->next;
    }
}
