/* catalog — see catalog.h.  The tables and values are declared in
 * catalog_decl.c and built by catalog_build.c; this file names them, caches
 * the built tables and formats values for directives. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/catalog.h"
#include "compute/catalog_build.h"
#include "compute/catalog_names.h"
#include "compute/catalog_pick.h"

/* A table built with options other than the defaults, cached by spec. */
typedef struct S_optab {
    char *spec;
    tbl *t;
} S_optab;

struct cat {
    const ex_model *m;
    tbl **slots;          /* one per concrete table, NULL until built */
    size_t nslots;
    S_optab *optab;       /* tables with options (few: one per directive) */
    size_t noptab;
    size_t *base;         /* per declared table: its first slot */
    char *known_tables;
    char *known_values;
    cat_extra extra;      /* values of another stage (prefix NULL: none) */
};

/* Slots: the tables without an argument first (in declaration order), then
 * each table with one, element by element (step/1..step/N). */
static size_t S_count(const cat *c, const cat_table_decl *d)
{
    const cat_dom *dom = cat_build_table_domain(d);
    return dom ? dom->count(c->m) : 1;
}

static void S_layout(cat *c)
{
    size_t s = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < cat_decl_ntables; i++) {
            const cat_table_decl *d = &cat_decl_tables[i];
            if ((cat_build_table_domain(d) != NULL) != pass)
                continue;
            c->base[i] = s;
            s += S_count(c, d);
        }
    c->nslots = s;
}

/* Slot of a table name, or -1. */
static long S_slot(const cat *c, const char *name)
{
    size_t arg;
    const cat_table_decl *d = cat_build_find_table(c->m, name, &arg);
    return d ? (long)(c->base[d - cat_decl_tables] + arg) : -1;
}

/* The declaration and argument of slot s. */
static const cat_table_decl *S_decl_of(const cat *c, size_t s, size_t *arg)
{
    for (size_t i = 0; i < cat_decl_ntables; i++) {
        const cat_table_decl *d = &cat_decl_tables[i];
        if (s >= c->base[i] && s < c->base[i] + S_count(c, d)) {
            *arg = s - c->base[i];
            return d;
        }
    }
    return NULL;
}

static tbl *S_build_slot(const cat *c, size_t s, const cat_topts *o, lb_err *e)
{
    size_t arg;
    const cat_table_decl *d = S_decl_of(c, s, &arg);
    if (!d) {
        err_set(e, LB_EXIT_RUNTIME, "catalog: no table slot %zu", s);
        return NULL;
    }
    return cat_build_table(c->m, d, arg, o, e);
}

/* Split "name?first=K&worst=W" into the name (buf) and options; 0, or -1
 * with an LB_EXIT_INPUT message (without position). */
static int S_parse_spec(const cat *c, const char *spec, char *name, size_t n, cat_topts *o,
                        long *slot, lb_err *e)
{
    const char *q = strchr(spec, '?');
    size_t nl = q ? (size_t)(q - spec) : strlen(spec);
    o->first = o->worst = -1;
    if (nl >= n)
        return err_set(e, LB_EXIT_INPUT, "unknown table '%.40s...' (name too long)", spec);
    memcpy(name, spec, nl);
    name[nl] = '\0';
    *slot = S_slot(c, name);
    if (*slot < 0)
        return err_set(e, LB_EXIT_INPUT, "unknown table '%s' (known: %s)", name, c->known_tables);
    while (q) {
        const char *opt = q + 1;
        q = strchr(opt, '&');
        size_t ol = q ? (size_t)(q - opt) : strlen(opt);
        int *dst = ol > 6 && !strncmp(opt, "first=", 6) ? &o->first
                 : ol > 6 && !strncmp(opt, "worst=", 6) ? &o->worst : NULL;
        size_t v;
        if (!dst || cat_names_parse_index(opt + 6, ol - 6, 0, CAT_MAX_ROWS, &v) != 0)
            return err_set(e, LB_EXIT_INPUT, "bad option '%.*s' for table '%s' (expected first=K "
                           "and worst=W, whole numbers up to %u)", (int)(ol > 40 ? 40 : ol), opt,
                           name, CAT_MAX_ROWS);
        *dst = (int)v;
    }
    if (o->first >= 0 || o->worst >= 0) {
        size_t arg;
        const cat_table_decl *d = S_decl_of(c, (size_t)*slot, &arg);
        if (!d || d->pick != cat_pick_positions)
            return err_set(e, LB_EXIT_INPUT, "table '%s' takes no options (first= and worst= "
                           "are for the tables with a row per position)", name);
    }
    return 0;
}

cat *cat_new(const ex_model *m, lb_err *e)
{
    cat *c = NULL;
    if (!m || !m->computed) {
        err_set(e, LB_EXIT_RUNTIME, "catalog: the example has not been computed");
        return NULL;
    }
    if (cat_build_check(m, cat_decl_tables, cat_decl_ntables, e) != 0)
        return NULL;
    c = calloc(1, sizeof *c);
    if (!c || !(c->base = calloc(cat_decl_ntables, sizeof *c->base)))
        goto nomem;
    c->m = m;
    S_layout(c);
    c->slots = calloc(c->nslots, sizeof *c->slots);
    c->known_tables = cat_build_known_tables(m, cat_decl_tables, cat_decl_ntables);
    c->known_values = cat_names_known_values(m);
    if (!c->slots || !c->known_tables || !c->known_values)
        goto nomem;
    {   /* and the widths of the tables (S_width_value) */
        static const char more[] = ", width/{table}";
        size_t l = strlen(c->known_values);
        char *kv = realloc(c->known_values, l + sizeof more);
        if (!kv)
            goto nomem;
        memcpy(kv + l, more, sizeof more);
        c->known_values = kv;
    }
    /* Build the tables without an argument now so that errors surface here,
     * not later in the renderers; step tables come on demand. */
    for (size_t i = 0; i < cat_decl_ntables; i++)
        if (!cat_build_table_domain(&cat_decl_tables[i]) &&
            !(c->slots[c->base[i]] = S_build_slot(c, c->base[i], NULL, e)))
            goto fail;
    return c;
nomem:
    err_nomem(e);
fail:
    cat_free(c);
    return NULL;
}

void cat_free(cat *c)
{
    if (!c)
        return;
    if (c->slots)
        for (size_t i = 0; i < c->nslots; i++)
            tbl_free(c->slots[i]);
    free(c->slots);
    for (size_t i = 0; i < c->noptab; i++) {
        free(c->optab[i].spec);
        tbl_free(c->optab[i].t);
    }
    free(c->optab);
    free(c->base);
    free(c->known_tables);
    free(c->known_values);
    free(c);
}

const tbl *cat_table(const cat *c, const char *spec)
{
    char name[256];
    cat_topts o;
    long s;
    lb_err tmp;
    err_clear(&tmp);
    if (S_parse_spec(c, spec, name, sizeof name, &o, &s, &tmp) != 0)
        return NULL;
    if (o.first < 0 && o.worst < 0) {
        if (!c->slots[s])
            c->slots[s] = S_build_slot(c, (size_t)s, NULL, &tmp);   /* cache: slots is not const */
        return c->slots[s];
    }
    cat *mc = (cat *)c;   /* the cache is the catalog's own memory */
    for (size_t i = 0; i < c->noptab; i++)
        if (!strcmp(c->optab[i].spec, spec))
            return c->optab[i].t;
    S_optab *x = realloc(mc->optab, (c->noptab + 1) * sizeof *x);
    if (!x)
        return NULL;
    mc->optab = x;
    tbl *t = S_build_slot(c, (size_t)s, &o, &tmp);
    char *sp = t ? strdup(spec) : NULL;
    if (!sp) {
        tbl_free(t);
        return NULL;
    }
    mc->optab[mc->noptab++] = (S_optab){sp, t};
    return t;
}

tbl *cat_table_build(const cat *c, const char *spec, lb_err *e)
{
    char name[256];
    cat_topts o;
    long s;
    if (S_parse_spec(c, spec, name, sizeof name, &o, &s, e) != 0)
        return NULL;
    return S_build_slot(c, (size_t)s, &o, e);
}

int cat_table_check(const cat *c, const char *spec, lb_err *e)
{
    char name[256];
    cat_topts o;
    long s;
    return S_parse_spec(c, spec, name, sizeof name, &o, &s, e);
}

int cat_has_table(const cat *c, const char *name)
{
    return S_slot(c, name) >= 0;
}

size_t cat_table_count(const cat *c)
{
    return c->nslots;
}

int cat_table_name(const cat *c, size_t i, char *buf, size_t n)
{
    size_t arg;
    const cat_table_decl *d = i < c->nslots ? S_decl_of(c, i, &arg) : NULL;
    return d ? cat_build_table_name(c->m, d, arg, buf, n) : -1;
}

const char *cat_known_tables(const cat *c)
{
    return c->known_tables;
}

const char *cat_known_values(const cat *c)
{
    return c->known_values;
}

/* ---- values ------------------------------------------------------------------ */

int cat_set_extra(cat *c, const cat_extra *x, lb_err *e)
{
    if (c->extra.prefix)
        return err_set(e, LB_EXIT_RUNTIME, "catalog: a second provider of values ('%s')", x->prefix);
    c->extra = *x;
    return 0;
}

/* 1 when `name` is the provider's (then *o and *found), 0 when it is not. */
static int S_extra(const cat *c, const char *name, cat_extra_val *o, int *found)
{
    *found = 0;
    if (!c->extra.prefix || strncmp(name, c->extra.prefix, strlen(c->extra.prefix)) != 0)
        return 0;
    memset(o, 0, sizeof *o);
    *found = c->extra.get(c->extra.ctx, name, o) == 0;
    return 1;
}

/* The characters a cell shows: markup ($ { } ^ _ *) counts nothing, a
 * command one character (\sum is one sign), except \text-like wrappers
 * (nothing) and operator names (log: three); UTF-8 continuation bytes
 * nothing. */
static double S_cell_chars(const char *s)
{
    double n = 0;
    while (*s) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\\' && isalpha((unsigned char)s[1])) {
            const char *b = ++s;
            while (isalpha((unsigned char)*s))
                s++;
            size_t l = (size_t)(s - b);
            if ((l == 4 && !strncmp(b, "text", 4)) || (l == 6 && !strncmp(b, "mathrm", 6)) ||
                (l == 6 && !strncmp(b, "mathbf", 6)) || (l == 4 && !strncmp(b, "left", 4)) ||
                (l == 5 && !strncmp(b, "right", 5)))
                continue;
            n += (l == 3 && (!strncmp(b, "log", 3) || !strncmp(b, "exp", 3) ||
                             !strncmp(b, "max", 3) || !strncmp(b, "min", 3))) ? 3.0
                 : l == 2 && !strncmp(b, "ln", 2) ? 2.0 : 1.0;
            continue;
        }
        if (ch == '\\') {            /* \, \; \{ ...: a space or a brace */
            s += s[1] ? 2 : 1;
            continue;
        }
        if (ch != '$' && ch != '{' && ch != '}' && ch != '^' && ch != '_' && ch != '*' &&
            (ch & 0xC0) != 0x80)
            n += 1;
        s++;
    }
    return n;
}

/* The width of a table as typeset, in characters: each column's widest
 * cell (its header included; a marked, bold cell counts 15% wider), summed,
 * plus 3 per column for the space on either side.  At a type size of s
 * points a character (a digit) is about s/2 points wide, so a table fits
 * a text block of w points in s-point type up to about 2w/s: 80 at 9 pt in
 * the default 360 pt block, 120 at 6 pt, the smallest type a table is set
 * in. */
static double S_table_width(const tbl *t)
{
    double w = 0;
    for (size_t j = 0; j < t->ncols; j++) {
        double m = S_cell_chars(t->header[j]);
        for (size_t i = 0; i < t->nrows; i++) {
            const tbl_cell *x = &t->rows[i].cells[j];
            double k = S_cell_chars(x->text) * (x->mark || t->rows[i].mark ? 1.15 : 1.0);
            if (k > m)
                m = k;
        }
        w += m + 3.0;
    }
    return w;
}

/* "width/NAME", the width of table NAME (S_table_width): 1 when name has
 * that form, then *found and *v. */
static int S_width_value(const cat *c, const char *name, double *v, int *found)
{
    if (strncmp(name, "width/", 6) != 0)
        return 0;
    const tbl *t = cat_has_table(c, name + 6) ? cat_table(c, name + 6) : NULL;
    *found = t != NULL;
    if (t)
        *v = S_table_width(t);
    return 1;
}

int cat_has_value(const cat *c, const char *name)
{
    size_t arg[CAT_MAX_SLOTS];
    cat_val v;
    cat_extra_val x;
    int found;
    double w;
    if (S_extra(c, name, &x, &found) || S_width_value(c, name, &w, &found))
        return found;
    return cat_names_value(c->m, name, arg, &v) != NULL;
}

int cat_value_get(const cat *c, const char *name, double *v)
{
    cat_extra_val ex;
    int found;
    if (S_extra(c, name, &ex, &found)) {
        if (!found || ex.is_text)
            return -1;
        *v = ex.v;
        return 0;
    }
    if (S_width_value(c, name, v, &found))
        return found ? 0 : -1;
    size_t arg[CAT_MAX_SLOTS];
    cat_val x;
    const cat_value_decl *d = cat_names_value(c->m, name, arg, &x);
    if (!d || d->fmt == CAT_FMT_TEXT)
        return -1;
    *v = x.v;
    return 0;
}

/* Why a name that matches a declared pattern has no value: a quantity an
 * ignored position does not have.  NULL when that is not the reason. */
static const char *S_why_missing(const cat *c, const char *name, char *buf, size_t n)
{
    for (size_t i = 0; i < cat_decl_nvalues; i++) {
        const cat_value_decl *d = &cat_decl_values[i];
        size_t arg[CAT_MAX_SLOTS];
        char letters[CAT_MAX_SLOTS];
        int ns = cat_names_slots(d->name, letters);
        if (ns < 1 || letters[0] != 'K' || !cat_names_match(c->m, d->name, name, arg))
            continue;
        const ex_step *st = &c->m->steps[arg[0]];
        if (st->ignored) {
            snprintf(buf, n, "value '%s' does not exist: position %zu is ignored (its target is "
                     "the ignore index %lld)", name, arg[0] + 1, (long long)st->target);
            return buf;
        }
    }
    return NULL;
}

/* "?unit=position,positions": the number followed by the singular for 1,
 * else the plural.  0, or -1 when q is no unit query. */
static int S_unit(const char *q, const char **sing, size_t *sl, const char **plur, size_t *pl)
{
    if (strncmp(q, "unit=", 5) != 0)
        return -1;
    const char *a = q + 5, *comma = strchr(a, ','), *end = a + strcspn(a, "&");
    if (!comma || comma > end || comma == a || comma + 1 == end)
        return -1;
    *sing = a;
    *sl = (size_t)(comma - a);
    *plur = comma + 1;
    *pl = (size_t)(end - comma - 1);
    return 0;
}

/* A provider's value for a directive: its text, or its number with its
 * default decimals or ?digits=N. */
static int S_extra_format(const cat *c, const cat_extra_val *x, int found, const char *name,
                          const char *q, char *buf, size_t n, lb_err *e)
{
    size_t dg;
    int digits = x->digits;
    if (!found)
        return err_set(e, LB_EXIT_INPUT, "unknown value '%s' (known: %s)", name,
                       c->extra.known ? c->extra.known : "none");
    if (q && (strncmp(q + 1, "digits=", 7) != 0 ||
              cat_names_parse_index(q + 8, strlen(q + 8), 0, 17, &dg) != 0))
        return err_set(e, LB_EXIT_INPUT,
                       "bad query '%s' in value '%s' (expected ?digits=N with N = 0..17)", q + 1, name);
    if (q && x->is_text)
        return err_set(e, LB_EXIT_INPUT, "value '%s' is text and takes no ?digits", name);
    if (q)
        digits = (int)dg;
    int r = x->is_text ? snprintf(buf, n, "%s", x->text) : tbl_fmt_num(x->v, digits, buf, n);
    if (r < 0 || (size_t)r >= n)
        return err_set(e, LB_EXIT_RUNTIME, "value '%s' does not fit its buffer", name);
    return 0;
}

int cat_value_format(const cat *c, const char *spec, char *buf, size_t n,
                     lb_err *e)
{
    char name[256], why[384];
    const char *q = strchr(spec, '?');
    size_t nl = q ? (size_t)(q - spec) : strlen(spec);
    size_t arg[CAT_MAX_SLOTS];
    int digits = -1;
    cat_val v;
    const char *sing = NULL, *plur = NULL;
    size_t sl = 0, pl = 0;
    if (nl >= sizeof name)
        return err_set(e, LB_EXIT_INPUT, "unknown value '%.40s...' (name too long)", spec);
    memcpy(name, spec, nl);
    name[nl] = '\0';
    cat_extra_val ex;
    int found;
    if (S_extra(c, name, &ex, &found))
        return S_extra_format(c, &ex, found, name, q, buf, n, e);
    double w;
    if (S_width_value(c, name, &w, &found)) {
        if (!found)
            return err_set(e, LB_EXIT_INPUT, "unknown value '%s': no table '%s' (known: %s)",
                           name, name + 6, c->known_tables);
        if (q)
            return err_set(e, LB_EXIT_INPUT, "value '%s' takes no options", name);
        snprintf(buf, n, "%.0f", w);
        return 0;
    }
    if (!c->extra.prefix && strncmp(name, "check.", 6) == 0)
        return err_set(e, LB_EXIT_INPUT, "unknown value '%s': check.* values need a hand "
                       "calculation to check (front matter key claims: FILE)", name);
    const cat_value_decl *d = cat_names_value(c->m, name, arg, &v);
    if (!d) {
        if (S_why_missing(c, name, why, sizeof why))
            return err_set(e, LB_EXIT_INPUT, "%s", why);
        return err_set(e, LB_EXIT_INPUT, "unknown value '%s' (known: %s)", name,
                       c->known_values);
    }
    while (q) {
        const char *opt = q + 1;
        q = strchr(opt, '&');
        size_t dg;
        size_t ol = q ? (size_t)(q - opt) : strlen(opt);
        if (ol > 7 && strncmp(opt, "digits=", 7) == 0 &&
            cat_names_parse_index(opt + 7, ol - 7, 0, 17, &dg) == 0 && digits < 0) {
            if (d->fmt == CAT_FMT_TEXT)
                return err_set(e, LB_EXIT_INPUT, "value '%s' is text and takes no ?digits", name);
            digits = (int)dg;
        } else if (S_unit(opt, &sing, &sl, &plur, &pl) == 0) {
            if (d->fmt == CAT_FMT_TEXT)
                return err_set(e, LB_EXIT_INPUT, "value '%s' is text and takes no ?unit", name);
        } else {
            return err_set(e, LB_EXIT_INPUT,
                           "bad query '%.*s' in value '%s' (expected digits=N with N = 0..17, or "
                           "unit=SINGULAR,PLURAL as in unit=position,positions)",
                           (int)(ol > 60 ? 60 : ol), opt, spec);
        }
    }
    int r = cat_names_format(d, &v, digits, buf, n);
    if (r >= 0 && (size_t)r < n && sing) {
        /* the singular only for exactly one as printed ("1", not "1.00") */
        int one = strcmp(buf, "1") == 0;
        r += snprintf(buf + r, n - (size_t)r, " %.*s", (int)(one ? sl : pl), one ? sing : plur);
    }
    if (r < 0 || (size_t)r >= n)
        return err_set(e, LB_EXIT_RUNTIME, "value '%s' does not fit its buffer", name);
    return 0;
}
