/* xref — labels and cross-references (see xref.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/lang.h"
#include "doc/xref.h"
#include "math/math.h"
#include "plot/figures.h"

static int S_is_eq(const doc_node *n)
{
    return (n->type == DOC_DMATH || n->type == DOC_MATH_BLOCK) && n->eqtag;
}

static int S_is_target(const doc_node *n)
{
    return n->type == DOC_FIGURE || n->type == DOC_GENTABLE || n->type == DOC_HEADING
           || (n->type == DOC_TABLE && n->number > 0) || (S_is_eq(n) && n->label);
}

/* Equation numbers and labels from each display's own \tag, \label,
 * \notag and equation environment (math_meta_get). */
static int S_number_equations(doc *d, lb_err *e)
{
    int k = 0;
    for (doc_node *n = d->root; n; n = (doc_node *)doc_next(d->root, n)) {
        if (n->type != DOC_DMATH && n->type != DOC_MATH_BLOCK)
            continue;
        math_meta m;
        lb_err le;
        err_clear(&le);
        int col = 0;
        if (math_meta_get(n->text ? n->text : "", &m, &col, &le) < 0) {
            if (le.code == LB_EXIT_INPUT)
                continue;   /* res_check_math says where */
            return err_set(e, le.code, "%s", le.msg);
        }
        free(n->eqtag);
        free(n->label);
        n->eqtag = NULL;
        n->label = m.label;
        m.label = NULL;
        if (m.numbered) {
            char buf[24];   /* a \tag takes no number (amsmath) */
            snprintf(buf, sizeof buf, "%d", m.tag ? k : ++k);
            n->eqtag = m.tag ? m.tag : strdup(buf);
            m.tag = NULL;
            n->eqtag_star = m.tag_star;
            if (!n->eqtag) {
                math_meta_clear(&m);
                return err_nomem(e);
            }
        }
        math_meta_clear(&m);
    }
    return 0;
}

static const char *S_eq_number(void *ctx, const char *label)
{
    return xref_eq_number(ctx, label);
}

math_refs xref_math_refs(const doc *d)
{
    return (math_refs){ S_eq_number, (void *)d };
}

const char *xref_eq_number(const doc *d, const char *label)
{
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n))
        if (S_is_eq(n) && n->label && strcmp(n->label, label) == 0)
            return n->eqtag;
    return NULL;
}

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
        if (!l || !l[0])
            continue;
        /* at most 32 bytes of a name, never half a UTF-8 character (a
         * Chinese heading's id) */
        int cut = (int)strlen(l);
        if (cut > 32)
            for (cut = 32; ((unsigned char)l[cut] & 0xC0) == 0x80; cut--)
                ;
        k += (size_t)snprintf(known + k, sizeof known - k, "%s%.*s", k ? ", " : "", cut, l);
    }
    return err_at(e, LB_EXIT_INPUT, d->path, ref->line, ref->col,
                  "unknown reference '%s' (expected the name of a figure, table or heading, or the \\label of a numbered display%s%s)",
                  ref->name, known[0] ? ": " : "", known);
}

int xref_resolve(doc *d, lb_err *e)
{
    if (S_check_files(d, e) < 0 || S_number_equations(d, e) < 0)
        return -1;
    size_t nref = 0, nt = 0;
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n)) {
        nref += n->type == DOC_REF;
        nt += S_is_target(n);
    }
    if (nref == 0)
        return 0;
    S_target *t = calloc(nt ? nt : 1, sizeof *t);
    if (!t)
        return err_nomem(e);
    int rc = -1;
    size_t k = 0;
    for (doc_node *n = d->root; n; n = (doc_node *)doc_next(d->root, n)) {
        if (!S_is_target(n))
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
    else if (S_is_eq(t))
        snprintf(num, sizeof num, "%.60s", t->eqtag);
    else
        snprintf(num, sizeof num, "%d", t->number);
    if (ref->form == 1) {
        snprintf(buf, n, "%s", num);
        return;
    }
    if (S_is_eq(t)) {   /* amsmath's \eqref */
        snprintf(buf, n, "(%s)", num);
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
                    : t->type == DOC_GENTABLE || t->type == DOC_TABLE ? "tab-"
                    : S_is_eq(t) ? "eq-" : "sec-";
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

/* The argument {..} of a command at s (after its name): its extent in
 * *a..*z (braces excluded) and the end; NULL when there is none. */
static const char *S_brace_arg(const char *s, const char **a, const char **z)
{
    while (*s == ' ' || *s == '\n')
        s++;
    if (*s != '{')
        return NULL;
    int lvl = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '{')
            lvl++;
        else if (*p == '}' && --lvl == 0) {
            *a = s + 1;
            *z = p;
            return p + 1;
        }
    }
    return NULL;
}

static int S_cat(char **buf, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n + len + 1 > *cap) {
        size_t nc = (*n + len + 1) * 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *n, s, len);
    *n += len;
    (*buf)[*n] = '\0';
    return 0;
}

char *xref_md_math(const doc *d, const doc_node *n, lb_err *e)
{
    const char *s = n->text ? n->text : "";
    char *out = NULL;
    size_t k = 0, cap = 0;
    int has_tag = 0, bad = S_cat(&out, &k, &cap, "", 0);
    while (*s && !bad) {
        if (*s != '\\') {
            bad = S_cat(&out, &k, &cap, s++, 1);
            continue;
        }
        const char *c = s + 1, *e2 = c;
        while ((*e2 >= 'a' && *e2 <= 'z') || (*e2 >= 'A' && *e2 <= 'Z'))
            e2++;
        size_t cl = (size_t)(e2 - c);
        const char *a, *z, *after;
#define S_IS(x) (cl == sizeof(x) - 1 && !memcmp(c, x, cl))
        if ((S_IS("eqref") || S_IS("ref")) && (after = S_brace_arg(e2, &a, &z))) {
            char lab[128];
            snprintf(lab, sizeof lab, "%.*s", (int)(z - a), a);
            const char *num = xref_eq_number(d, lab);
            if (num) {
                char t[160];
                snprintf(t, sizeof t, S_IS("eqref") ? "\\text{(%.60s)}" : "\\text{%.60s}", num);
                bad = S_cat(&out, &k, &cap, t, strlen(t));
                s = after;
                continue;
            }
        } else if (S_IS("label") && (after = S_brace_arg(e2, &a, &z))) {
            s = after;
            continue;
        } else if (S_IS("notag") || S_IS("nonumber")) {
            s = e2;
            continue;
        } else if ((S_IS("begin") || S_IS("end")) && (after = S_brace_arg(e2, &a, &z))
                   && ((z - a == 8 && !memcmp(a, "equation", 8))
                       || (z - a == 9 && !memcmp(a, "equation*", 9)))) {
            s = after;
            continue;
        } else if (S_IS("tag")) {
            has_tag = 1;
        }
#undef S_IS
        /* the command as written (a control symbol: both characters) */
        size_t len = cl ? cl + 1 : (s[1] ? 2 : 1);
        bad = S_cat(&out, &k, &cap, s, len);
        s += len;
    }
    /* no blank line left where the environment was */
    while (!bad && k > 0 && (out[k - 1] == '\n' || out[k - 1] == ' '))
        out[--k] = '\0';
    if (!bad && S_is_eq(n) && !has_tag) {
        char t[96];
        snprintf(t, sizeof t, " \\tag%s{%.60s}", n->eqtag_star ? "*" : "", n->eqtag);
        bad = S_cat(&out, &k, &cap, t, strlen(t));
    }
    if (bad) {
        free(out);
        err_nomem(e);
        return NULL;
    }
    size_t lead = 0;
    while (out[lead] == '\n' || out[lead] == ' ')
        lead++;
    memmove(out, out + lead, k - lead + 1);
    return out;
}
