/* catalog_build — see catalog_build.h.  One builder for every declared
 * table: bind the table's argument, then for each row the row's element and
 * for each repeated column the column's element, and evaluate each cell's
 * declared source with those bindings. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/catalog_build.h"
#include "compute/catalog_get.h"
#include "compute/catalog_names.h"
#include "compute/catalog_pick.h"

/* ---- tables: names ---------------------------------------------------------- */

const cat_dom *cat_build_table_domain(const cat_table_decl *d)
{
    const char *p = strchr(d->name, '{');
    return p ? cat_names_domain(p[1]) : NULL;
}

int cat_build_table_name(const ex_model *m, const cat_table_decl *d, size_t arg,
                         char *buf, size_t n)
{
    cat_sb b = {0};
    cat_names_render(&b, m, d->name, &arg);
    int r = b.nomem ? -1 : snprintf(buf, n, "%s", cat_sb_str(&b));
    free(b.p);
    return r < 0 || (size_t)r >= n ? -1 : 0;
}

const cat_table_decl *cat_build_find_table(const ex_model *m, const char *name, size_t *arg)
{
    size_t a[CAT_MAX_SLOTS] = {0};
    for (size_t i = 0; i < cat_decl_ntables; i++)
        if (cat_names_match(m, cat_decl_tables[i].name, name, a)) {
            *arg = a[0];
            return &cat_decl_tables[i];
        }
    return NULL;
}

char *cat_build_known_tables(const ex_model *m, const cat_table_decl *t, size_t nt)
{
    cat_sb b = {0};
    for (size_t i = 0; i < nt; i++) {
        const cat_dom *dom = cat_build_table_domain(&t[i]);
        cat_sb_puts(&b, i ? ", " : "");
        if (dom && !dom->show) {   /* "step/1..step/6" */
            size_t last = dom->count(m) - 1, first = 0;
            cat_names_render(&b, m, t[i].name, &first);
            cat_sb_puts(&b, "..");
            cat_names_render(&b, m, t[i].name, &last);
        } else {
            cat_names_render(&b, m, t[i].name, NULL);
        }
    }
    if (b.nomem || !b.p) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---- evaluation in a table's bindings -------------------------------------- */

typedef struct S_ctx {
    const ex_model *m;
    const char *table;     /* declared name, for messages */
    char param;            /* the table's argument letter, or 0 */
    unsigned bound;        /* bit letter - 'A' */
    size_t at[26];
    int zd;                /* CAT_CELL_LOGITS digits; -1 until needed */
    const size_t *picked;  /* the rows a pick listed (for rest cells) */
    size_t npicked;
    lb_err *e;
} S_ctx;

#define S_BIT(l) (1u << ((l) - 'A'))

static int S_is_letter(char l)
{
    return l >= 'A' && l <= 'Z';
}

static void S_bind(S_ctx *x, char l, size_t i)
{
    if (!S_is_letter(l))   /* cat_build_check refuses such declarations */
        return;
    x->bound |= S_BIT(l);
    x->at[l - 'A'] = i;
}

static void S_unbind(S_ctx *x, char l)
{
    if (S_is_letter(l))
        x->bound &= ~S_BIT(l);
}

static int S_has(const S_ctx *x, char l)
{
    return S_is_letter(l) && (x->bound & S_BIT(l));
}

static int S_fail(S_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int S_fail(S_ctx *x, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(x->e, LB_EXIT_RUNTIME, "catalog declaration: table '%s': %s", x->table, msg);
}

static int S_zd(S_ctx *x)
{
    if (x->zd < 0) {
        const ex_model *m = x->m;
        size_t n = m->N * m->V < CAT_MAX_DIGIT_SCAN ? m->N * m->V : CAT_MAX_DIGIT_SCAN;
        size_t row0 = 0;
        if (x->param == 'K') {
            row0 = x->at['K' - 'A'];
            n = m->V < CAT_MAX_DIGIT_SCAN ? m->V : CAT_MAX_DIGIT_SCAN;
        }
        x->zd = 1;
        for (size_t i = 0; i < n && x->zd < 4; i++) {
            int k = cat_get_input_digits(ex_logit(m, row0 + i / m->V, i % m->V));
            if (k > x->zd)
                x->zd = k;
        }
    }
    return x->zd;
}

/* Is the bound token J position K's target? */
static int S_is_target(const S_ctx *x)
{
    return S_has(x, 'K') && S_has(x, 'J') &&
           (int64_t)x->at['J' - 'A'] == x->m->steps[x->at['K' - 'A']].target;
}

/* Value `pattern` (declared as d) with its slots taken from the bindings,
 * summed over the domain of `sum` when sum != 0 (over the elements the
 * table did not list when rest != 0).  0; 1 when the value does not exist
 * at the bound position because it is ignored; -1 on error. */
static int S_value(S_ctx *x, const cat_value_decl *d, char sum, int rest, cat_val *o)
{
    char letters[CAT_MAX_SLOTS];
    size_t arg[CAT_MAX_SLOTS];
    int ns = cat_names_slots(d->name, letters), si = -1;
    for (int k = 0; k < ns; k++) {
        if (letters[k] == sum)
            si = k;
        else if (S_has(x, letters[k]))
            arg[k] = x->at[letters[k] - 'A'];
        else
            return S_fail(x, "slot {%c} of '%s' is not bound", letters[k], d->name);
    }
    o->v = 0.0;
    o->text[0] = '\0';
    if (!sum) {
        if (d->get(x->m, d, arg, o) == 0)
            return 0;
        /* a quantity an ignored position does not have: the cell says so */
        if (S_has(x, 'K') && x->m->steps[x->at['K' - 'A']].ignored)
            return 1;
        return S_fail(x, "'%s' has no such element", d->name);
    }
    if (si < 0)
        return S_fail(x, "'%s' has no slot {%c} to sum over", d->name, sum);
    double total = 0.0;
    size_t n = cat_names_domain(sum)->count(x->m);
    for (size_t i = 0; i < n; i++) {
        if (rest) {
            size_t k = 0;
            while (k < x->npicked && x->picked[k] != i)
                k++;
            if (k < x->npicked)
                continue;   /* listed: not part of the rest */
        }
        arg[si] = i;
        if (d->get(x->m, d, arg, o) != 0)
            return S_fail(x, "'%s' has no such element", d->name);
        total += o->v;
    }
    o->v = total;
    return 0;
}

/* One "%{...}" placeholder: s[0..len) is its content. */
static int S_placeholder(S_ctx *x, const char *s, size_t len, cat_sb *out)
{
    char spec[256], buf[512];
    int digits = -1;
    if (len >= sizeof spec)
        return S_fail(x, "placeholder too long");
    memcpy(spec, s, len);
    spec[len] = '\0';
    char *colon = strchr(spec, ':');
    if (colon) {
        size_t d;
        *colon++ = '\0';
        if (strcmp(colon, "logits") == 0)
            digits = S_zd(x);
        else if (cat_names_parse_index(colon, strlen(colon), 0, 17, &d) == 0)
            digits = (int)d;
        else
            return S_fail(x, "bad format ':%s' in %%{%s} (expected :logits or :0..17)", colon, spec);
    }
    if (S_is_letter(spec[0]) && spec[1] == '\0') {
        if (!S_has(x, spec[0]))
            return S_fail(x, "%%{%s}: argument %s is not bound here", spec, spec);
        cat_val o;
        cat_names_spell(x->m, cat_names_domain(spec[0]), x->at[spec[0] - 'A'], &o);
        if (digits >= 0 && !cat_names_domain(spec[0])->show)
            tbl_fmt_num(o.v, digits, o.text, sizeof o.text);
        cat_sb_puts(out, o.text);
        return 0;
    }
    cat_val o;
    size_t arg[CAT_MAX_SLOTS];
    const cat_value_decl *d = cat_names_decl(spec);
    if (d) {
        if (S_value(x, d, 0, 0, &o) != 0)
            return -1;
    } else if (!(d = cat_names_value(x->m, spec, arg, &o))) {
        return S_fail(x, "%%{%s}: no such value", spec);
    }
    int r = cat_names_format(d, &o, digits, buf, sizeof buf);
    if (r < 0 || (size_t)r >= sizeof buf)
        return S_fail(x, "%%{%s}: value too long", spec);
    cat_sb_puts(out, buf);
    return 0;
}

/* Expand a text template into out (appending). */
static int S_expand(S_ctx *x, const char *tpl, cat_sb *out)
{
    const char *p = tpl;
    while (*p) {
        const char *q = strstr(p, "%{");
        if (!q) {
            cat_sb_puts(out, p);
            break;
        }
        cat_sb_add(out, p, (size_t)(q - p));
        const char *a = q + 2, *z = a;
        int depth = 1;
        for (; *z && depth; z++)
            depth += *z == '{' ? 1 : *z == '}' ? -1 : 0;
        if (depth)
            return S_fail(x, "unclosed %%{ in '%s'", tpl);
        if (S_placeholder(x, a, (size_t)(z - 1 - a), out) != 0)
            return -1;
        p = z;
    }
    return out->nomem ? err_nomem(x->e) : 0;
}

/* Digits of a numeric cell. */
static int S_digits(S_ctx *x, const cat_cell *cl, const cat_value_decl *d, double v)
{
    if (cl->fmt == CAT_CELL_LOGITS)
        return S_zd(x);
    if (cl->fmt >= CAT_CELL_DIGITS(0))
        return cl->fmt - CAT_CELL_DIGITS(0);
    return d->fmt >= 0 ? d->fmt : cat_get_input_digits(v);
}

static int S_cell(S_ctx *x, tbl *t, size_t r, size_t c, const cat_cell *cl)
{
    lb_err *e = x->e;
    int rc = 0;
    if (cl->text) {
        cat_sb b = {0};
        rc = S_expand(x, cl->text, &b);
        if (rc == 0)
            rc = tbl_set_text(t, r, c, cat_sb_str(&b), e);
        free(b.p);
    } else if (cl->arg) {
        if (!S_has(x, cl->arg))
            return S_fail(x, "column %zu: argument %c is not bound", c + 1, cl->arg);
        const cat_dom *dom = cat_names_domain(cl->arg);
        cat_val o;
        cat_names_spell(x->m, dom, x->at[cl->arg - 'A'], &o);
        rc = dom->is_int ? tbl_set_int(t, r, c, (long long)o.v, e) : tbl_set_text(t, r, c, o.text, e);
    } else if (cl->value) {
        const cat_value_decl *d = cat_names_decl(cl->value);
        cat_val o;
        if (!d)
            return S_fail(x, "column %zu: value '%s' is not declared", c + 1, cl->value);
        int got = S_value(x, d, cl->sum ? cl->sum : cl->rest, cl->rest != 0, &o);
        if (got < 0)
            return -1;
        if (got > 0)
            rc = tbl_set_text(t, r, c, "\xe2\x80\x93", e);   /* en dash: none here */
        else if (d->fmt == CAT_FMT_TEXT)
            rc = tbl_set_text(t, r, c, o.text, e);
        else if (d->fmt == CAT_FMT_INT && !cl->fmt)
            rc = tbl_set_int(t, r, c, (long long)o.v, e);
        else
            rc = tbl_set_num(t, r, c, o.v, S_digits(x, cl, d, o.v), e);
    }
    if (cl->mark == CAT_MARK_ALWAYS || (cl->mark == CAT_MARK_TARGET && S_is_target(x)))
        tbl_mark_cell(t, r, c, 1);
    return rc;
}

static size_t S_each_count(const ex_model *m, char l)
{
    size_t n = cat_names_domain(l)->count(m);
    return n < CAT_MAX_EACH ? n : CAT_MAX_EACH;
}

/* Fill row r (body, total = 1, rest = 2) or, with r == (size_t)-1, the
 * headers; columns whose `when` says no are left out. */
static int S_fill(S_ctx *x, const cat_table_decl *d, tbl *t, size_t r, int total)
{
    size_t c = 0;
    for (size_t i = 0; i < d->ncols; i++) {
        const cat_col *col = &d->cols[i];
        if (col->when && !col->when(x->m))
            continue;
        size_t reps = col->each ? S_each_count(x->m, col->each) : 1;
        for (size_t k = 0; k < reps; k++, c++) {
            if (col->each)
                S_bind(x, col->each, k);
            if (r == (size_t)-1) {
                cat_sb b = {0};
                int rc = S_expand(x, col->head, &b);
                if (rc == 0)
                    rc = tbl_set_header(t, c, cat_sb_str(&b), col->align, x->e);
                free(b.p);
                if (rc != 0)
                    return -1;
            } else if (S_cell(x, t, r, c, total == 2 ? &col->rest : total ? &col->total
                                                                      : &col->cell) != 0) {
                return -1;
            }
        }
        if (col->each)
            S_unbind(x, col->each);
    }
    return 0;
}

static int S_row(S_ctx *x, const cat_table_decl *d, tbl *t, size_t i)
{
    S_bind(x, d->rows, i);
    long r = tbl_add_row(t, x->e);
    if (r < 0 || S_fill(x, d, t, (size_t)r, 0) != 0)
        return -1;
    if (d->mark_row == CAT_MARK_TARGET && S_is_target(x))
        tbl_mark_row(t, (size_t)r, 1);
    return 0;
}

/* The note: the declared text, then the remarks about what was cut. */
static int S_note(S_ctx *x, const cat_table_decl *d, const cat_topts *o, size_t arg,
                  size_t count, size_t shown, cat_sb *b)
{
    char rm[256];
    unsigned said = 0;
    if (S_expand(x, d->note, b) != 0)
        return -1;
    if (d->pick_note) {
        const char *nt = d->pick_note(x->m, arg, o, count, shown, rm, sizeof rm);
        if (nt) {
            cat_sb_puts(b, b->len ? " " : "");
            cat_sb_puts(b, nt);
        }
    } else if (shown < count) {
        if (d->rows_cut)
            snprintf(rm, sizeof rm, "%s", d->rows_cut);
        else
            snprintf(rm, sizeof rm, "The first %zu of %zu %s are shown.", shown, count,
                     cat_names_domain(d->rows)->noun);
        cat_sb_puts(b, b->len ? " " : "");
        cat_sb_puts(b, rm);
    }
    for (size_t i = 0; i < d->ncols; i++) {
        char l = d->cols[i].each;
        if (!l || (said & S_BIT(l)))
            continue;
        const cat_dom *dom = cat_names_domain(l);
        size_t n = dom->count(x->m);
        said |= S_BIT(l);
        if (n <= CAT_MAX_EACH)
            continue;
        snprintf(rm, sizeof rm, "The first %u of %zu %s are shown.", CAT_MAX_EACH, n, dom->noun);
        cat_sb_puts(b, b->len ? " " : "");
        cat_sb_puts(b, rm);
    }
    return b->nomem ? err_nomem(x->e) : 0;
}

tbl *cat_build_table(const ex_model *m, const cat_table_decl *d, size_t arg,
                     const cat_topts *o, lb_err *e)
{
    S_ctx x = {.m = m, .table = d->name, .zd = -1, .e = e};
    size_t *picked = NULL;
    const cat_dom *pd = cat_build_table_domain(d), *rd = cat_names_domain(d->rows);
    char name[128];
    cat_sb b = {0};
    tbl *t = NULL;
    if (!rd || cat_build_table_name(m, d, arg, name, sizeof name) != 0) {
        S_fail(&x, "bad name or row domain");
        return NULL;
    }
    if (pd) {
        x.param = pd->letter;
        S_bind(&x, pd->letter, arg);
    }
    size_t nc = 0;
    for (size_t i = 0; i < d->ncols; i++)
        if (!d->cols[i].when || d->cols[i].when(m))
            nc += d->cols[i].each ? S_each_count(m, d->cols[i].each) : 1;
    if (!(t = tbl_new(name, nc, e)) || S_expand(&x, d->caption, &b) != 0 ||
        tbl_set_caption(t, cat_sb_str(&b), e) != 0 || S_fill(&x, d, t, (size_t)-1, 0) != 0)
        goto fail;
    size_t count = rd->count(m), shown;
    if (d->pick) {
        size_t cap = d->rows_max ? d->rows_max : CAT_MAX_ROWS, gap = 0;
        if (!(picked = malloc(cap * sizeof *picked))) {
            err_nomem(e);
            goto fail;
        }
        shown = d->pick(m, arg, o, picked, cap, &gap);
        x.picked = picked;
        x.npicked = shown;
        for (size_t i = 0; i < shown; i++) {
            if (i == gap && i > 0) {   /* a cut: a row that says so */
                long r = tbl_add_row(t, e);
                if (r < 0 || tbl_set_text(t, (size_t)r, 0, "\xe2\x80\xa6", e) != 0)
                    goto fail;
            }
            if (S_row(&x, d, t, picked[i]) != 0)
                goto fail;
        }
    } else {
        shown = d->rows_max && count > d->rows_max ? d->rows_max : count;
        for (size_t i = 0; i < shown; i++)
            if (S_row(&x, d, t, i) != 0)
                goto fail;
        if (d->rows_keep_target && shown < count && S_has(&x, 'K')) {
            size_t target = (size_t)m->steps[x.at['K' - 'A']].target;
            if (target >= shown && S_row(&x, d, t, target) != 0)
                goto fail;
        }
    }
    S_unbind(&x, d->rows);
    if (d->rest && d->pick && shown < count) {
        long r = tbl_add_row(t, e);
        if (r < 0 || S_fill(&x, d, t, (size_t)r, 2) != 0)
            goto fail;
        tbl_total_row(t, (size_t)r, 1);
    }
    if (d->total) {
        long r = tbl_add_row(t, e);
        if (r < 0 || S_fill(&x, d, t, (size_t)r, 1) != 0)
            goto fail;
        tbl_total_row(t, (size_t)r, 1);
    }
    cat_sb_reset(&b);
    if (S_note(&x, d, o, arg, count, shown, &b) != 0 || tbl_set_note(t, cat_sb_str(&b), e) != 0)
        goto fail;
    free(b.p);
    free(picked);
    return t;
fail:
    free(b.p);
    free(picked);
    tbl_free(t);
    return NULL;
}

/* ---- checking the declarations ---------------------------------------------- */

/* Bind every letter of `letters` to element 0 (a dry run on the model). */
static void S_bind_all(S_ctx *x, const char *letters)
{
    x->bound = 0;
    for (const char *l = letters; *l; l++)
        S_bind(x, *l, 0);
}

/* One cell: its static rules, then a dry run into a scratch table. */
static int S_check_cell(S_ctx *x, const cat_cell *cl, size_t col, const char *what)
{
    int sources = !!cl->value + !!cl->arg + !!cl->text;
    if (sources > 1)
        return S_fail(x, "column %zu: the %s names %d sources (value, arg, text: one at most)",
                      col, what, sources);
    if (cl->sum && (!cl->value || S_has(x, cl->sum) || !cat_names_domain(cl->sum)))
        return S_fail(x, "column %zu: the %s sums over {%c}, which must be a free slot of its value",
                      col, what, cl->sum);
    if (cl->mark == CAT_MARK_TARGET && !(S_has(x, 'K') && S_has(x, 'J')))
        return S_fail(x, "column %zu: the %s is marked at the target but K and J are not both bound",
                      col, what);
    if (cl->fmt && cl->fmt != CAT_CELL_LOGITS &&
        (cl->fmt < CAT_CELL_DIGITS(0) || cl->fmt > CAT_CELL_DIGITS(17)))
        return S_fail(x, "column %zu: the %s has a bad format %d", col, what, cl->fmt);
    if (!sources)
        return 0;
    lb_err tmp;
    err_clear(&tmp);
    tbl *t = tbl_new("check", col, &tmp);   /* col columns: messages name column col */
    int rc = !t || tbl_add_row(t, &tmp) < 0 ? err_nomem(x->e) : S_cell(x, t, 0, col - 1, cl);
    tbl_free(t);
    return rc;
}

static int S_check_table(const ex_model *m, const cat_table_decl *d, lb_err *e)
{
    S_ctx x = {.m = m, .table = d->name ? d->name : "(null)", .zd = -1, .e = e};
    char letters[CAT_MAX_SLOTS + 3] = {0}, body[CAT_MAX_SLOTS + 3] = {0};
    int ns = d->name ? cat_names_slots(d->name, letters) : -1;
    if (ns < 0 || ns > 1)
        return S_fail(&x, "the name must have at most one slot {X} of a declared domain");
    if (!cat_names_domain(d->rows))
        return S_fail(&x, "rows run over '%c', which is no declared domain", d->rows ? d->rows : '?');
    if (!d->caption || !d->caption[0] || !d->note || !d->cols || !d->ncols)
        return S_fail(&x, "a table needs a caption, a note (\"\" for none) and columns");
    x.param = letters[0];
    memcpy(body, letters, sizeof letters);
    body[ns] = d->rows;
    if ((d->rows_keep_target || d->mark_row == CAT_MARK_TARGET) && !(d->rows == 'J' && x.param == 'K'))
        return S_fail(&x, "marking or keeping the target row needs rows over J and the argument K");
    S_bind_all(&x, letters);
    cat_sb b = {0};
    int rc = S_expand(&x, d->caption, &b) || S_expand(&x, d->note, &b);
    free(b.p);
    if (rc)
        return -1;
    b = (cat_sb){0};
    for (size_t i = 0; i < d->ncols; i++) {
        const cat_col *col = &d->cols[i];
        char each[2] = {col->each, 0};
        if (col->each && (!cat_names_domain(col->each) || strchr(body, col->each)))
            return S_fail(&x, "column %zu repeats over '%c': no declared domain, or already bound",
                          i + 1, col->each);
        if (!col->head)
            return S_fail(&x, "column %zu has no header", i + 1);
        S_bind_all(&x, letters);
        if (col->each)
            S_bind(&x, col->each, 0);
        rc = S_expand(&x, col->head, &b);
        free(b.p);
        b = (cat_sb){0};
        if (rc || S_check_cell(&x, &col->total, i + 1, "total cell") != 0)
            return -1;
        if (!d->total && (col->total.value || col->total.arg || col->total.text))
            return S_fail(&x, "column %zu has a total cell but the table no total row", i + 1);
        S_bind_all(&x, body);
        if (each[0])
            S_bind(&x, each[0], 0);
        if (S_check_cell(&x, &col->cell, i + 1, "cell") != 0)
            return -1;
    }
    return 0;
}

int cat_build_check(const ex_model *m, const cat_table_decl *t, size_t nt, lb_err *e)
{
    if (cat_names_check(m, e) != 0)
        return -1;
    for (size_t i = 0; i < nt; i++) {
        if (S_check_table(m, &t[i], e) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(t[i].name, t[j].name) == 0)
                return err_set(e, LB_EXIT_RUNTIME, "catalog declaration: table '%s' is declared twice",
                               t[i].name);
    }
    return 0;
}
