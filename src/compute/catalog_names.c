/* catalog_names — see catalog_names.h. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/catalog_get.h"
#include "compute/catalog_names.h"

/* ---- growable text ------------------------------------------------------- */

void cat_sb_add(cat_sb *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->nomem = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void cat_sb_puts(cat_sb *b, const char *s)
{
    cat_sb_add(b, s, strlen(s));
}

const char *cat_sb_str(cat_sb *b)
{
    return b->p ? b->p : "";
}

void cat_sb_reset(cat_sb *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

/* ---- domains, names, patterns --------------------------------------------- */

const cat_dom *cat_names_domain(char letter)
{
    for (size_t i = 0; i < cat_decl_ndomains; i++)
        if (cat_decl_domains[i].letter == letter)
            return &cat_decl_domains[i];
    return NULL;
}

int cat_names_parse_index(const char *s, size_t len, size_t min, size_t max, size_t *out)
{
    if (len == 0 || (s[0] == '0' && len > 1))
        return -1;
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (SIZE_MAX - 9) / 10)
            return -1;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* How element i of a domain is spelled in names and shown in tables. */
void cat_names_spell(const ex_model *m, const cat_dom *dom, size_t i, cat_val *o)
{
    if (dom->show) {
        dom->show(m, i, o);
        return;
    }
    o->v = (double)(dom->first + (long long)i);
    snprintf(o->text, sizeof o->text, "%lld", dom->first + (long long)i);
}

static int S_parse_elem(const ex_model *m, const cat_dom *dom, const char *s, size_t len,
                        size_t *out)
{
    size_t n = dom->count(m);
    if (n == 0)
        return -1;
    if (dom->letter == 'K') {
        /* positions by what they are: the first that counts, the one with
         * the highest and the one with the lowest p_target */
        static const struct { const char *w; size_t off; } alias[] = {
            {"first", offsetof(ex_model, k_first)},
            {"best", offsetof(ex_model, k_best)},
            {"worst", offsetof(ex_model, k_worst)}};
        for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
            if (strlen(alias[i].w) == len && memcmp(alias[i].w, s, len) == 0) {
                memcpy(out, (const char *)m + alias[i].off, sizeof *out);
                return 0;
            }
    }
    if (!dom->show) {
        size_t v, first = (size_t)dom->first;
        if (cat_names_parse_index(s, len, first, first + n - 1, &v) != 0)
            return -1;
        *out = v - first;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        cat_val o;
        cat_names_spell(m, dom, i, &o);
        if (strlen(o.text) == len && memcmp(o.text, s, len) == 0) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

/* The slot letters of a pattern, in order: their count, or -1 when a slot
 * is malformed or names no domain. */
int cat_names_slots(const char *pattern, char *letters)
{
    int k = 0;
    for (const char *p = pattern; *p; p++) {
        if (*p != '{')
            continue;
        if (!cat_names_domain(p[1]) || p[2] != '}' || k >= CAT_MAX_SLOTS)
            return -1;
        letters[k++] = p[1];
        p += 2;
    }
    return k;
}

/* Does `name` spell `pattern`?  Fills arg with the slots' elements. */
int cat_names_match(const ex_model *m, const char *p, const char *s, size_t *arg)
{
    size_t k = 0;
    while (*p) {
        if (*p == '{') {
            const cat_dom *dom = cat_names_domain(p[1]);
            if (!dom || p[2] != '}' || k >= CAT_MAX_SLOTS)
                return 0;
            p += 3;
            const char *end = *p ? strchr(s, *p) : s + strlen(s);
            if (!end || S_parse_elem(m, dom, s, (size_t)(end - s), &arg[k++]) != 0)
                return 0;
            s = end;
        } else if (*p++ != *s++) {
            return 0;
        }
    }
    return *s == '\0';
}

/* The value declared with exactly this pattern, or NULL. */
const cat_value_decl *cat_names_decl(const char *pattern)
{
    for (size_t i = 0; i < cat_decl_nvalues; i++)
        if (strcmp(cat_decl_values[i].name, pattern) == 0)
            return &cat_decl_values[i];
    return NULL;
}

const cat_value_decl *cat_names_value(const ex_model *m, const char *name, size_t *arg,
                                      cat_val *o)
{
    for (size_t i = 0; i < cat_decl_nvalues; i++) {
        const cat_value_decl *d = &cat_decl_values[i];
        if (!cat_names_match(m, d->name, name, arg))
            continue;
        o->v = 0.0;
        o->text[0] = '\0';
        if (d->get(m, d, arg, o) == 0)
            return d;
    }
    return NULL;
}

int cat_names_format(const cat_value_decl *d, const cat_val *v, int digits,
                     char *buf, size_t n)
{
    switch (d->fmt) {
    case CAT_FMT_TEXT:
        return snprintf(buf, n, "%s", v->text);
    case CAT_FMT_INT:   /* ?digits=N on an integer: N zero decimals ("6.00") */
        return digits > 0 ? tbl_fmt_num(v->v, digits, buf, n)
                          : snprintf(buf, n, "%lld", (long long)v->v);
    case CAT_FMT_G15:
        return digits >= 0 ? tbl_fmt_num(v->v, digits, buf, n)
                           : tbl_snprintf_c(buf, n, "%.15g", v->v);
    case CAT_FMT_INPUT:
        return tbl_fmt_fixed(v->v, digits >= 0 ? digits : cat_get_input_digits(v->v), buf, n);
    default:
        if (digits < 0) {
            /* a small number that the default digits would show as 0.0000
             * gets two significant digits instead (p = 0.000013) */
            digits = d->fmt;
            double a = fabs(v->v), half = 0.5 * pow(10.0, -digits);
            if (a > 0 && a < half && isfinite(a)) {
                /* below 10^-6 in scientific notation, two digits:
                 * "0.000000000000000014" is unreadable */
                if (a < 1e-6)
                    return tbl_fmt_sci(v->v, 1, buf, n);
                digits = (int)ceil(-log10(a)) + 1;
            }
        }
        return tbl_fmt_num(v->v, digits, buf, n);
    }
}

/* Render a pattern: slots as element `at` (at != NULL) or as their ranges
 * ("1..6", "{high,moderate,low}"). */
void cat_names_render(cat_sb *b, const ex_model *m, const char *pattern, const size_t *at)
{
    size_t k = 0;
    for (const char *p = pattern; *p; p++) {
        const cat_dom *dom = *p == '{' ? cat_names_domain(p[1]) : NULL;
        if (!dom) {
            cat_sb_add(b, p, 1);
            continue;
        }
        p += 2;
        cat_val o;
        size_t n = dom->count(m);
        if (at) {
            cat_names_spell(m, dom, at[k++], &o);
            cat_sb_puts(b, o.text);
        } else if (!dom->show) {
            char r[64];
            snprintf(r, sizeof r, "%lld..%lld", dom->first, dom->first + (long long)n - 1);
            cat_sb_puts(b, r);
        } else {
            cat_sb_puts(b, "{");
            for (size_t i = 0; i < n; i++) {
                cat_names_spell(m, dom, i, &o);
                cat_sb_puts(b, i ? "," : "");
                cat_sb_puts(b, o.text);
            }
            cat_sb_puts(b, "}");
        }
    }
}

char *cat_names_known_values(const ex_model *m)
{
    cat_sb b = {0};
    for (size_t i = 0; i < cat_decl_nvalues; i++) {
        cat_sb_puts(&b, i ? ", " : "");
        cat_names_render(&b, m, cat_decl_values[i].name, NULL);
    }
    if (b.nomem || !b.p) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* Does some element evaluate?  The first slot is walked until one does:
 * a value of an ignored position (nll/{K} where target K is ignore_index)
 * names nothing, and position 1 may be ignored. */
static int S_some_element_evaluates(const ex_model *m, const cat_value_decl *d, char letter,
                                    size_t *arg, cat_val *o)
{
    const cat_dom *dom = letter ? cat_names_domain(letter) : NULL;
    size_t n = dom ? dom->count(m) : 1;
    if (n == 0)
        return 1; /* an empty domain: nothing to evaluate */
    for (size_t i = 0; i < n; i++) {
        arg[0] = i;
        if (d->get(m, d, arg, o) == 0)
            return 1;
    }
    return 0;
}

int cat_names_check(const ex_model *m, lb_err *e)
{
    for (size_t i = 0; i < cat_decl_nvalues; i++) {
        const cat_value_decl *d = &cat_decl_values[i];
        char letters[CAT_MAX_SLOTS];
        size_t arg[CAT_MAX_SLOTS] = {0};
        cat_val o;
        const char *why = NULL;
        int ns = d->name ? cat_names_slots(d->name, letters) : -1;
        if (ns < 0)
            why = "its pattern's slots must be {X} with X a declared domain";
        else if (d->rec != CAT_REC_MODEL && ns < 1)
            why = "it reads a field of a record but has no slot to pick the record";
        else if (!d->get || !d->doc || !d->doc[0])
            why = "it needs a getter and a doc line";
        else if (d->fmt < CAT_FMT_G15 || d->fmt > 17)
            why = "its format must be 0..17 digits or a CAT_FMT_*";
        else if (!S_some_element_evaluates(m, d, ns > 0 ? letters[0] : 0, arg, &o))
            why = "none of its elements evaluates";
        for (size_t j = 0; !why && j < i; j++)
            if (strcmp(cat_decl_values[j].name, d->name) == 0)
                why = "it is declared twice";
        if (why)
            return err_set(e, LB_EXIT_RUNTIME, "catalog declaration: value '%s': %s",
                           d->name ? d->name : "(null)", why);
    }
    return 0;
}
