/* xref — labels and cross-references (see xref.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/lang.h"
#include "doc/xref.h"
#include "plot/figures.h"

typedef struct S_target {
    doc_node *n;
    const char *label;   /* explicit label (borrowed) */
    char *slug;          /* headings: GitHub slug (owned) */
} S_target;

void xref_slug(const char *text, char *buf, size_t n)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && k + 1 < n; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            buf[k++] = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                 c >= 0x80)
            buf[k++] = (char)c;
        else if (c == ' ')
            buf[k++] = '-';
    }
    buf[k] = '\0';
}

static const char *S_label(const doc_node *n)
{
    if (n->label)
        return n->label;
    return n->type == DOC_HEADING || n->type == DOC_TABLE ? NULL : n->name;
}

static void S_pos(const doc_node *n, char *buf, size_t k)
{
    snprintf(buf, k, "%d:%d", n->line, n->col);
}

/* Gnuplot figures become files figures/NAME.{gp,svg,png,dark.png}: their
 * names must differ from each other and from the built-in figures.
 * Pictures are copied as figures/pic-NAME.EXT: two pictures may share a
 * name only when they are the same file. */
static int S_check_files(doc *d, lb_err *e)
{
    for (doc_node *a = d->root; a; a = (doc_node *)doc_next(d->root, a)) {
        if (a->type != DOC_FIGURE || a->fig_src == DOC_FIG_CATALOG)
            continue;
        if (a->fig_src == DOC_FIG_GNUPLOT && fig_find(a->name))
            return err_at(e, LB_EXIT_INPUT, d->path, a->line, a->col,
                          "figure name '%s' is taken by a built-in figure (choose another "
                          "name=; built-in: %s)", a->name, fig_known_names());
        for (const doc_node *b = d->root; b != a; b = doc_next(d->root, b))
            if (b->type == DOC_FIGURE && b->fig_src == a->fig_src &&
                strcmp(a->name, b->name) == 0 &&
                !(a->fig_src == DOC_FIG_IMAGE && strcmp(a->src, b->src) == 0)) {
                char where[32];
                S_pos(b, where, sizeof where);
                return err_at(e, LB_EXIT_INPUT, d->path, a->line, a->col,
                              "figure name '%s' is already used at line %s (give this one "
                              "another name=)", a->name, where);
            }
    }
    return 0;
}

static int S_find(const doc *d, S_target *t, size_t nt, const doc_node *ref, lb_err *e)
{
    for (int pass = 0; pass < 2; pass++) {
        size_t hit = nt;
        for (size_t i = 0; i < nt; i++) {
            const char *l = pass == 0 ? t[i].label : t[i].slug;
            if (!l || strcmp(l, ref->name) != 0)
                continue;
            if (hit != nt) {
                char a[32], b[32];
                S_pos(t[hit].n, a, sizeof a);
                S_pos(t[i].n, b, sizeof b);
                return err_at(e, LB_EXIT_INPUT, d->path, ref->line, ref->col,
                              "ambiguous reference '%s': both the %s at %s and the %s at %s "
                              "have that name (give one a name=LABEL or {#LABEL})",
                              ref->name, doc_type_name(t[hit].n->type), a,
                              doc_type_name(t[i].n->type), b);
            }
            hit = i;
        }
        if (hit != nt)
            return (int)hit;
    }
    char known[512];
    size_t k = 0;
    known[0] = '\0';
    for (size_t i = 0; i < nt && k + 40 < sizeof known; i++) {
        const char *l = t[i].label ? t[i].label : t[i].slug;
        if (l && l[0])
            k += (size_t)snprintf(known + k, sizeof known - k, "%s%.32s", k ? ", " : "", l);
    }
    return err_at(e, LB_EXIT_INPUT, d->path, ref->line, ref->col,
                  "unknown reference '%s' (expected the name of a figure, table or heading%s%s)",
                  ref->name, known[0] ? ": " : "", known);
}

int xref_resolve(doc *d, lb_err *e)
{
    if (S_check_files(d, e) < 0)
        return -1;
    size_t nref = 0, nt = 0;
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
        nref += n->type == DOC_REF;
        nt += n->type == DOC_FIGURE || n->type == DOC_GENTABLE || n->type == DOC_HEADING ||
              (n->type == DOC_TABLE && n->number > 0);
    }
    if (nref == 0)
        return 0;
    S_target *t = calloc(nt ? nt : 1, sizeof *t);
    if (!t)
        return err_nomem(e);
    int rc = -1;
    size_t k = 0;
    for (doc_node *n = d->root; n; n = (doc_node *)doc_next(d->root, n)) {
        if (n->type != DOC_FIGURE && n->type != DOC_GENTABLE && n->type != DOC_HEADING &&
            !(n->type == DOC_TABLE && n->number > 0))
            continue;
        t[k].n = n;
        t[k].label = S_label(n);
        if (n->type == DOC_HEADING) {
            char *txt = doc_plain_text(n, e);
            if (!txt)
                goto out;
            size_t sl = strlen(txt) + 1;
            t[k].slug = malloc(sl);
            if (!t[k].slug) {
                free(txt);
                err_nomem(e);
                goto out;
            }
            xref_slug(txt, t[k].slug, sl);
            free(txt);
        }
        k++;
    }
    for (doc_node *n = d->root; n; n = (doc_node *)doc_next(d->root, n)) {
        if (n->type != DOC_REF)
            continue;
        int i = S_find(d, t, nt, n, e);
        if (i < 0)
            goto out;
        doc_node *tg = t[i].n;
        if (tg->type == DOC_HEADING && !tg->secnum) {
            err_at(e, LB_EXIT_INPUT, d->path, n->line, n->col,
                   "reference '%s' names a heading without a number (levels 1 to 3 are "
                   "numbered, unless marked {-})", n->name);
            goto out;
        }
        n->target = tg;
        tg->referenced = 1;
    }
    rc = 0;
out:
    for (size_t i = 0; i < nt; i++)
        free(t[i].slug);
    free(t);
    return rc;
}

void xref_text(const doc_node *ref, const lang_info *lg, char *buf, size_t n)
{
    if (!lg)
        lg = lang_get(NULL);
    const doc_node *t = ref->target;
    if (!t) {
        snprintf(buf, n, "??");
        return;
    }
    char num[64];
    if (t->type == DOC_HEADING)
        snprintf(num, sizeof num, "%s", t->secnum ? t->secnum : "?");
    else
        snprintf(num, sizeof num, "%d", t->number);
    if (ref->form == 1) {
        snprintf(buf, n, "%s", num);
        return;
    }
    const char *fmt = t->type == DOC_FIGURE ? lg->figure_ref
                    : t->type == DOC_GENTABLE || t->type == DOC_TABLE ? lg->table_ref
                    : (t->appendix && t->level == 1) ? lg->appendix_ref
                    : lg->section_ref;
    snprintf(buf, n, fmt, num);
}

void xref_anchor(const doc_node *t, char *buf, size_t n)
{
    const char *pre = t->type == DOC_FIGURE ? "fig-"
                    : t->type == DOC_GENTABLE || t->type == DOC_TABLE ? "tab-" : "sec-";
    const char *src = t->type == DOC_HEADING ? (t->secnum ? t->secnum : "") : S_label(t);
    size_t k = 0;
    for (const char *p = pre; *p && k + 1 < n; p++)
        buf[k++] = *p;
    for (const char *p = src ? src : ""; *p && k + 1 < n; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        buf[k++] = ok ? c : '-';
    }
    buf[k] = '\0';
}
