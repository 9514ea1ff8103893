/* catalog_pick — see catalog_pick.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/catalog_pick.h"

static int S_cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static void S_counts(const ex_model *m, const cat_topts *o, size_t *first, size_t *worst)
{
    *first = o && o->first >= 0 ? (size_t)o->first : CAT_FIRST_ROWS;
    *worst = o && o->worst >= 0 ? (size_t)o->worst : CAT_WORST_ROWS;
    if (*first > CAT_MAX_ROWS)
        *first = CAT_MAX_ROWS;
    if (*first + *worst > CAT_MAX_ROWS)
        *worst = CAT_MAX_ROWS - *first;
    (void)m;
}

size_t cat_pick_positions(const ex_model *m, size_t arg, const cat_topts *o, size_t *out,
                          size_t cap, size_t *gap)
{
    size_t first, worst;
    (void)arg;
    S_counts(m, o, &first, &worst);
    if (m->N <= first + worst + 3 && m->N <= cap) {
        for (size_t n = 0; n < m->N; n++)
            out[n] = n;
        *gap = m->N;
        return m->N;
    }
    if (first > cap)
        first = cap;
    for (size_t n = 0; n < first; n++)
        out[n] = n;
    *gap = first;
    if (worst > cap - first)
        worst = cap - first;
    if (!worst)
        return first;
    /* the W with the highest -log p_target, less those among the first F */
    size_t *w = malloc(worst * sizeof *w), k = 0;
    if (!w)
        return first;   /* the note still says the rest was left out */
    size_t got = ex_worst(m, worst, w);
    for (size_t i = 0; i < got; i++)
        if (w[i] >= first)
            out[first + k++] = w[i];
    free(w);
    qsort(out + first, k, sizeof *out, S_cmp_size);
    return first + k;
}

const char *cat_pick_positions_note(const ex_model *m, size_t arg, const cat_topts *o,
                                    size_t count, size_t shown, char *buf, size_t n)
{
    size_t first, worst;
    (void)arg;
    S_counts(m, o, &first, &worst);
    if (shown >= count)
        return NULL;
    size_t extra = shown > first ? shown - first : 0;
    if (worst == 0)
        snprintf(buf, n, "Positions %zu to %zu are left out; data/positions.csv lists every "
                 "position.", first + 1, count);
    else if (extra == 0)
        snprintf(buf, n, "Positions %zu to %zu are left out (the %zu with the highest "
                 "$-\\log p_{\\text{target}}$ are among the first %zu); data/positions.csv lists "
                 "every position.", first + 1, count, worst, first);
    else
        snprintf(buf, n, "Positions %zu to %zu are left out except %s among the %zu with the "
                 "highest $-\\log p_{\\text{target}}$; data/positions.csv lists every position.",
                 first + 1, count, extra == 1 ? "the one" : "those", worst);
    return buf;
}

int cat_pick_all_tokens(const ex_model *m)
{
    return m->top_k > 0 ? (size_t)m->top_k >= m->V : m->V <= CAT_STEP_ALL_V;
}

size_t cat_pick_topk(const ex_model *m)
{
    size_t k = m->top_k > 0 ? (size_t)m->top_k : CAT_STEP_TOPK;
    return k < m->V ? k : m->V;
}

size_t cat_pick_tokens(const ex_model *m, size_t arg, const cat_topts *o, size_t *out,
                       size_t cap, size_t *gap)
{
    (void)o;
    if (cat_pick_all_tokens(m) && m->V <= cap) {
        for (size_t j = 0; j < m->V; j++)
            out[j] = j;
        *gap = m->V;
        return m->V;
    }
    size_t k = cat_pick_topk(m);
    if (k + 1 > cap)
        k = cap - 1;
    double *buf = malloc(m->V * sizeof *buf);
    if (!buf) {
        *gap = 0;
        return 0;
    }
    size_t got = ex_topk(m, arg, k, out, buf);
    free(buf);
    const ex_step *s = &m->steps[arg];
    if (!s->ignored) {
        size_t i = 0;
        while (i < got && out[i] != (size_t)s->target)
            i++;
        if (i == got)
            out[got++] = (size_t)s->target;   /* less probable than all of them */
    }
    *gap = got;
    return got;
}

const char *cat_pick_tokens_note(const ex_model *m, size_t arg, const cat_topts *o,
                                 size_t count, size_t shown, char *buf, size_t n)
{
    (void)o;
    if (shown >= count)
        return NULL;
    const ex_step *s = &m->steps[arg];
    size_t k = cat_pick_topk(m);
    int extra = shown > k && !s->ignored;
    snprintf(buf, n, "The %zu most probable tokens%s are listed; the row \"others\" adds up the "
             "other %zu; the sums run over all %zu.", k, extra ? " and the target" : "",
             count - shown, count);
    return buf;
}
