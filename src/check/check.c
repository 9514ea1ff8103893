/* check — see check.h.  Every claim's step is evaluated twice: on the true
 * values (does the declared step hold for this example?) and on what was
 * written (an interval per value: the numbers that round to it).  Values
 * nobody wrote are derived from the values before them, so a claim is
 * always compared with what the written values before it give. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/check.h"
#include "check/check_names.h"

int chk_is_wrong(chk_status s)
{
    return s == CHK_SLIP || s == CHK_FURTHER || s == CHK_FOLLOWS;
}

int chk_is_slip(chk_status s)
{
    return s == CHK_SLIP || s == CHK_FURTHER;
}

/* A value as the check sees it: its true value, and what the written
 * values give for it (an interval and the value from the written digits). */
typedef struct S_val {
    double truth;
    double lo, hi, mid;
    long taint;        /* the last wrong written value it comes from, or -1 */
    int informed;      /* some written value goes into it */
    int written;       /* it is itself a (non-blank) claim */
    int dec;           /* its written decimals, -1 when not written */
} S_val;

typedef struct S_node {
    char *name;
    long item;         /* its claim (index in items), or -1 */
    int state;         /* 0 new, 1 being evaluated, 2 done */
    S_val v;
} S_node;

typedef struct S_ctx {
    const cat *c;
    chk_result *r;
    lb_err *e;
    S_node *tab;       /* open addressing, cap a power of two */
    size_t cap, used;
    unsigned char *posflag;   /* [N + 1]: the position has claims */
} S_ctx;

/* ---- the name table --------------------------------------------------------- */

static size_t S_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static int S_grow(S_ctx *x)
{
    size_t cap = x->cap ? x->cap * 2 : 256;
    S_node *t = calloc(cap, sizeof *t);
    if (!t)
        return err_nomem(x->e);
    for (size_t i = 0; i < x->cap; i++) {
        if (!x->tab[i].name)
            continue;
        size_t h = S_hash(x->tab[i].name) & (cap - 1);
        while (t[h].name)
            h = (h + 1) & (cap - 1);
        t[h] = x->tab[i];
    }
    free(x->tab);
    x->tab = t;
    x->cap = cap;
    return 0;
}

/* Index of name's node, created when missing; -1 when out of memory. */
static long S_node_of(S_ctx *x, const char *name)
{
    if ((x->used + 1) * 10 > x->cap * 7 && S_grow(x) != 0)
        return -1;
    size_t h = S_hash(name) & (x->cap - 1);
    while (x->tab[h].name) {
        if (strcmp(x->tab[h].name, name) == 0)
            return (long)h;
        h = (h + 1) & (x->cap - 1);
    }
    size_t l = strlen(name);
    if (!(x->tab[h].name = malloc(l + 1))) {
        err_nomem(x->e);
        return -1;
    }
    memcpy(x->tab[h].name, name, l + 1);
    x->tab[h].item = -1;
    x->used++;
    return (long)h;
}

/* ---- patterns ---------------------------------------------------------------- */

/* Digits at s as an index in [lo, hi] (no sign, no leading zero); the
 * characters used, or 0. */
static size_t S_index(const char *s, size_t lo, size_t hi, size_t *v)
{
    size_t k = 0, x = 0;
    while (s[k] >= '0' && s[k] <= '9') {
        if (k && s[0] == '0')
            return 0;
        if (x > (SIZE_MAX - 9) / 10)
            return 0;
        x = x * 10 + (size_t)(s[k] - '0');
        k++;
    }
    if (!k || x < lo || x > hi)
        return 0;
    *v = x;
    return k;
}

/* Does name spell pattern p ({K} and {J} slots)?  Sets *K (0 when the
 * pattern has none) and *J (-1 when none). */
static int S_match(const chk_result *r, const char *p, const char *s, size_t *K, long *J)
{
    *K = 0;
    *J = -1;
    while (*p) {
        if (p[0] == '{' && (p[1] == 'K' || p[1] == 'J') && p[2] == '}') {
            size_t v, k = p[1] == 'K' ? S_index(s, 1, r->N, &v) : S_index(s, 0, r->V - 1, &v);
            if (!k)
                return 0;
            if (p[1] == 'K')
                *K = v;
            else
                *J = (long)v;
            s += k;
            p += 3;
        } else if (*p++ != *s++) {
            return 0;
        }
    }
    return *s == '\0';
}

static const chk_rel *S_rel_of(const chk_result *r, const char *name, size_t *K, long *J)
{
    for (size_t i = 0; i < chk_decl_nrels; i++)
        if (S_match(r, chk_decl_rels[i].name, name, K, J))
            return &chk_decl_rels[i];
    *K = 0;
    *J = -1;
    return NULL;
}

/* Instantiate pattern p with K, J, the target y and the element `star` of
 * the starred slot.  0, or -1 when it does not fit. */
static int S_inst(const char *p, size_t K, long J, long y, size_t star, char *out, size_t n)
{
    size_t o = 0;
    while (*p) {
        char num[32];
        const char *piece = num;
        size_t pl;
        if (!strncmp(p, "{K}", 3))
            pl = (size_t)snprintf(num, sizeof num, "%zu", K), p += 3;
        else if (!strncmp(p, "{J}", 3))
            pl = (size_t)snprintf(num, sizeof num, "%ld", J), p += 3;
        else if (!strncmp(p, "{Y}", 3))
            pl = (size_t)snprintf(num, sizeof num, "%ld", y), p += 3;
        else if (!strncmp(p, "{*J}", 4) || !strncmp(p, "{*K}", 4))
            pl = (size_t)snprintf(num, sizeof num, "%zu", star), p += 4;
        else
            piece = p++, pl = 1;
        if (o + pl + 1 > n)
            return -1;
        memcpy(out + o, piece, pl);
        o += pl;
    }
    out[o] = '\0';
    return 0;
}

/* ---- evaluation ---------------------------------------------------------------- */

static int S_eval(S_ctx *x, const char *name, S_val *out);

static void S_point(S_val *v, double t)
{
    memset(v, 0, sizeof *v);
    v->truth = v->lo = v->hi = v->mid = t;
    v->taint = -1;
    v->dec = -1;
}

/* The step of rel at (K, J) applied to its inputs: the true result in
 * f->truth, the written one in f->lo/hi/mid.  *ok = 0 when an input does
 * not exist for this example. */
typedef struct S_acc {
    S_val f;
    int n_in, n_written;
    S_val in[2];
} S_acc;

static void S_combine(S_acc *a, const chk_rel *rel, const S_val *v)
{
    S_val *f = &a->f;
    if (a->n_in < 2)
        a->in[a->n_in] = *v;
    if (a->n_in == 0) {
        *f = *v;
        f->written = 0;
        f->dec = -1;
    } else if (rel->op == CHK_OP_SUM) {
        f->truth += v->truth, f->lo += v->lo, f->hi += v->hi, f->mid += v->mid;
    } else if (rel->op == CHK_OP_MAX) {
        f->truth = fmax(f->truth, v->truth), f->lo = fmax(f->lo, v->lo);
        f->hi = fmax(f->hi, v->hi), f->mid = fmax(f->mid, v->mid);
    }
    if (v->taint > f->taint)
        f->taint = v->taint;
    f->informed |= v->informed;
    a->n_in++;
    a->n_written += v->written;
}

/* Unary and binary steps, once every input is in. */
static void S_finish(S_acc *a, const chk_rel *rel, long J, long y, double N)
{
    S_val *f = &a->f;
    const S_val *p = &a->in[0], *q = &a->in[1];
    double d;
    switch (rel->op) {
    case CHK_OP_EXP:
        f->truth = exp(p->truth), f->lo = exp(p->lo), f->hi = exp(p->hi), f->mid = exp(p->mid);
        break;
    case CHK_OP_LN:
        f->truth = log(p->truth), f->lo = log(p->lo), f->hi = log(p->hi), f->mid = log(p->mid);
        break;
    case CHK_OP_NEGLN:
        f->truth = -log(p->truth), f->lo = -log(p->hi), f->hi = -log(p->lo), f->mid = -log(p->mid);
        break;
    case CHK_OP_DIV:
        f->truth = p->truth / q->truth;
        f->mid = p->mid / q->mid;
        if (q->lo > 0.0 && p->lo >= 0.0)
            f->lo = p->lo / q->hi, f->hi = p->hi / q->lo;
        else
            f->lo = -INFINITY, f->hi = INFINITY;   /* no sign assumed: anything follows */
        break;
    case CHK_OP_SUB:
        f->truth = p->truth - q->truth, f->mid = p->mid - q->mid;
        f->lo = p->lo - q->hi, f->hi = p->hi - q->lo;
        break;
    case CHK_OP_MEANN:
        f->truth = p->truth / N, f->lo = p->lo / N, f->hi = p->hi / N, f->mid = p->mid / N;
        break;
    case CHK_OP_ADDLN:
        f->truth = p->truth + log(q->truth), f->mid = p->mid + log(q->mid);
        f->lo = p->lo + log(q->lo), f->hi = p->hi + log(q->hi);
        break;
    case CHK_OP_ONEHOT:
        d = J == y ? 1.0 : 0.0;
        f->truth = p->truth - d, f->lo = p->lo - d, f->hi = p->hi - d, f->mid = p->mid - d;
        break;
    default:   /* COPY, SUM, MAX: already combined */
        break;
    }
}

/* Evaluate rel's step at (K, J) into *a.  1 when it holds on the true
 * values of this example, 0 when it does not (or an input is missing),
 * -1 on error. */
static int S_step(S_ctx *x, const chk_rel *rel, size_t K, long J, double truth, S_acc *a)
{
    chk_result *r = x->r;
    memset(a, 0, sizeof *a);
    a->f.taint = -1;
    double yv = -1.0;
    long y = -1;
    char name[256];
    if (K > 0) {
        snprintf(name, sizeof name, "target/%zu", K);
        if (cat_value_get(x->c, name, &yv) == 0)
            y = (long)yv;
    }
    for (int k = 0; k < 2 && rel->in[k]; k++) {
        const char *p = rel->in[k];
        size_t count = strstr(p, "{*J}") ? r->V : strstr(p, "{*K}") ? r->N : 1;
        size_t first = strstr(p, "{*K}") ? 1 : 0;
        if (strstr(p, "{Y}") && y < 0)
            return 0;
        for (size_t s = first; s < first + count; s++) {
            S_val v;
            if (S_inst(p, K, J, y, s, name, sizeof name) != 0)
                return 0;
            int rc = S_eval(x, name, &v);
            if (rc != 1)
                return rc;
            S_combine(a, rel, &v);
        }
    }
    S_finish(a, rel, J, y, (double)r->N);
    /* Does the declared step give the true value here?  Two double
     * computations of one quantity: they agree to rounding error, or the
     * step is not the example's definition (label smoothing, weights). */
    if (isinf(truth) || isinf(a->f.truth))
        return truth == a->f.truth;
    return fabs(a->f.truth - truth) <= 1e-9 * fmax(1.0, fabs(truth));
}

/* Is c within one unit of its last written decimal of t (exactly t for a
 * value that is an integer by nature)?  Compared in units: the written
 * mantissa is an exact integer. */
static int S_holds(const chk_item *it, int integer)
{
    long long m;
    int d;
    if (claims_decimal(it->claim->text, &m, &d) != 0)
        return 0;
    if (isinf(it->truth) || isnan(it->truth))
        return 0;
    double scaled = it->truth * pow(10.0, d);
    return integer ? (double)m == scaled : fabs((double)m - scaled) <= 1.0;
}

static void S_classify(S_ctx *x, chk_item *it, int integer, int valid, const S_acc *a)
{
    double u = pow(10.0, -it->decimals);
    it->n_in = a->n_in;
    it->n_in_written = a->n_written;
    for (int k = 0; k < 2 && k < a->n_in; k++) {
        it->in[k] = a->in[k].mid;
        it->in_dec[k] = a->in[k].dec;
    }
    it->has_from = valid && a->f.informed;
    it->has_step = valid;
    if (valid)
        it->from = a->f.mid;
    if (it->has_from) {
        it->from_lo = a->f.lo;
        it->from_hi = a->f.hi;
    }
    (void)x;
    int follows = it->has_from && it->claimed >= a->f.lo - u && it->claimed <= a->f.hi + u;
    if (S_holds(it, integer)) {
        it->status = CHK_RIGHT;
        /* right, though a wrong value goes into it and does not give it:
         * not computed from that value (the report says so) */
        if (it->has_from && a->f.taint >= 0 && !follows)
            it->cause = a->f.taint;
        return;
    }
    if (!it->has_from) {
        it->status = CHK_SLIP;
        return;
    }
    if (a->f.taint >= 0) {
        it->status = follows ? CHK_FOLLOWS : CHK_FURTHER;
        it->cause = a->f.taint;
    } else {
        it->status = follows ? CHK_ROUNDED : CHK_SLIP;
    }
}

/* Is the value shown as an integer by default (a count, an index)? */
static int S_integer(const cat *c, const char *name)
{
    char buf[64];
    lb_err e;
    err_clear(&e);
    return cat_value_format(c, name, buf, sizeof buf, &e) == 0 && !strchr(buf, '.') &&
           !strchr(buf, 'e') && !strchr(buf, 'n');
}

/* 1 and *out, or -1 on error. */
static int S_eval(S_ctx *x, const char *name, S_val *out)
{
    size_t K;
    long J;
    const chk_rel *rel = S_rel_of(x->r, name, &K, &J);
    double truth;
    if (cat_value_get(x->c, name, &truth) != 0)
        return 0;   /* not a value of this example: the step cannot be used */
    if (rel && K > 0 && !x->posflag[K]) {
        S_point(out, truth);   /* nothing written at this position */
        return 1;
    }
    long h = S_node_of(x, name);
    if (h < 0)
        return -1;
    if (x->tab[h].state == 2) {
        *out = x->tab[h].v;
        return 1;
    }
    if (x->tab[h].state == 1)
        return err_set(x->e, LB_EXIT_RUNTIME, "check declaration: '%s' depends on itself", name);
    x->tab[h].state = 1;
    long item = x->tab[h].item;
    S_acc a;
    int valid = 0;
    const chk_rel *route = NULL;
    /* every row of this step that holds for the example; the one with the
     * most written inputs (then the first) is the route it was worked by */
    for (size_t i = rel ? (size_t)(rel - chk_decl_rels) : chk_decl_nrels;
         rel && rel->op != CHK_OP_INPUT && i < chk_decl_nrels; i++) {
        const chk_rel *alt = &chk_decl_rels[i];
        size_t K2;
        long J2;
        S_acc b;
        if (alt != rel && !S_match(x->r, alt->name, name, &K2, &J2))
            continue;
        int ok = S_step(x, alt, K, J, truth, &b);
        if (ok < 0)
            return -1;
        if (ok && (!valid || b.n_written > a.n_written ||
                   (b.n_written == a.n_written && b.f.informed > a.f.informed))) {
            a = b;
            valid = 1;
            route = alt;
        }
    }
    if (!valid) {
        memset(&a, 0, sizeof a);
        S_point(&a.f, truth);
    }
    h = S_node_of(x, name);   /* the table may have grown meanwhile */
    if (h < 0)
        return -1;
    S_val v = a.f;
    v.truth = truth;
    if (item >= 0) {
        chk_item *it = &x->r->items[item];
        it->route = route;
        S_classify(x, it, S_integer(x->c, name), valid, &a);
        double u = pow(10.0, -it->decimals);
        v.lo = it->claimed - u / 2;
        v.hi = it->claimed + u / 2;
        /* a value written exactly (a logit's z - m = -1.3, e^0 = 1.0000)
         * stands for itself, not for everything that rounds to it */
        if (fabs(it->claimed - truth) <= 1e-9 * fmax(1.0, fabs(truth)))
            v.lo = v.hi = truth;
        v.mid = it->claimed;
        v.taint = chk_is_wrong(it->status) ? item : -1;
        v.informed = 1;
        v.written = 1;
        v.dec = it->decimals;
    } else if (!valid) {
        S_point(&v, truth);
    }
    x->tab[h].v = v;
    x->tab[h].state = 2;
    *out = v;
    return 1;
}

/* ---- running ------------------------------------------------------------------ */

void chk_free(chk_result *r)
{
    if (!r)
        return;
    free(r->items);
    free(r);
}

size_t chk_wrong(const chk_result *r)
{
    return r->n_slip + r->n_further + r->n_follows;
}

long chk_find(const chk_result *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].claim->name, name) == 0)
            return (long)i;
    return -1;
}

static int S_cmp_item(const void *pa, const void *pb)
{
    const chk_item *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    if (a->rel != b->rel && a->group != 2)
        return a->rel < b->rel ? -1 : 1;
    if (a->tok != b->tok)
        return a->tok < b->tok ? -1 : 1;
    return a->claim < b->claim ? -1 : a->claim > b->claim;
}

/* Resolve every claim's name: its step, position and token. */
static int S_resolve(chk_result *r, lb_err *e)
{
    const claims *cl = r->cl;
    for (size_t i = 0; i < cl->n; i++) {
        const claims_item *ci = &cl->items[i];
        chk_item *it = &r->items[i];
        double v;
        it->claim = ci;
        it->cause = it->root = -1;
        if (!cat_has_value(r->c, ci->name)) {
            char near[512];
            chk_names_nearest(r->c, ci->name, near, sizeof near);
            return err_at(e, LB_EXIT_INPUT, cl->path, ci->line, ci->col,
                          "unknown value '%s' (nearest known names: %s)", ci->name, near);
        }
        if (cat_value_get(r->c, ci->name, &v) != 0)
            return err_at(e, LB_EXIT_INPUT, cl->path, ci->line, ci->col,
                          "'%s' is text, not a number: only numbers can be claimed", ci->name);
        it->truth = v;
        it->rel = S_rel_of(r, ci->name, &it->pos, &it->tok);
        it->group = !it->rel ? 2 : it->pos > 0 ? 0 : 1;
        if (!it->rel)
            it->tok = -1;
        if (ci->text[0]) {
            long long m;
            claims_decimal(ci->text, &m, &it->decimals);
            it->claimed = (double)m / pow(10.0, it->decimals);
            it->status = CHK_RIGHT;   /* until classified */
        } else {
            it->status = CHK_BLANK;
        }
    }
    return 0;
}

chk_result *chk_run(const cat *c, const claims *cl, lb_err *e)
{
    S_ctx x = {.c = c, .e = e};
    chk_result *r = calloc(1, sizeof *r);
    double N, V;
    if (!r) {
        err_nomem(e);
        return NULL;
    }
    r->c = c;
    r->cl = cl;
    r->sum = r->mean = -1;
    x.r = r;
    if (cat_value_get(c, "shape.N", &N) != 0 || cat_value_get(c, "shape.V", &V) != 0 || N < 1 || V < 1) {
        err_set(e, LB_EXIT_RUNTIME, "check: the catalogue has no shape.N / shape.V");
        goto fail;
    }
    r->N = (size_t)N;
    r->V = (size_t)V;
    r->n = cl->n;
    if ((cl->n && !(r->items = calloc(cl->n, sizeof *r->items))) ||
        !(x.posflag = calloc(r->N + 1, 1))) {
        err_nomem(e);
        goto fail;
    }
    if (S_resolve(r, e) != 0)
        goto fail;
    if (r->n)   /* qsort(NULL, 0, ...) is undefined: an empty claims file */
        qsort(r->items, r->n, sizeof *r->items, S_cmp_item);
    /* Written values are nodes that know their claim; report order is
     * item order, so "the last wrong value" is the highest index. */
    for (size_t i = 0; i < r->n; i++) {
        chk_item *it = &r->items[i];
        if (it->status == CHK_BLANK)
            continue;
        x.posflag[it->pos] = 1;
        long h = S_node_of(&x, it->claim->name);
        if (h < 0)
            goto fail;
        x.tab[h].item = (long)i;
    }
    for (size_t i = 0; i < r->n; i++) {
        S_val v;
        if (r->items[i].status != CHK_BLANK && S_eval(&x, r->items[i].claim->name, &v) < 0)
            goto fail;
    }
    int all_losses = r->N <= CLAIMS_MAX_ITEMS;
    double losses = 0.0;
    for (size_t i = 0; i < r->n; i++) {
        chk_item *it = &r->items[i];
        if (it->cause >= 0 && it->status == CHK_FOLLOWS) {
            long k = it->cause;
            for (size_t guard = 0; guard < r->n && r->items[k].status == CHK_FOLLOWS &&
                                   r->items[k].cause >= 0; guard++)
                k = r->items[k].cause;
            it->root = k;
        } else if (chk_is_slip(it->status)) {
            it->root = (long)i;
        }
        switch (it->status) {
        case CHK_BLANK: r->n_blank++; break;
        case CHK_RIGHT: r->n_right++; break;
        case CHK_ROUNDED: r->n_rounded++; break;
        case CHK_SLIP: r->n_slip++; break;
        case CHK_FURTHER: r->n_further++; break;
        case CHK_FOLLOWS: r->n_follows++; break;
        }
        if (!strcmp(it->claim->name, "loss.sum"))
            r->sum = (long)i;
        if (!strcmp(it->claim->name, "loss.mean"))
            r->mean = (long)i;
    }
    r->n_claims = r->n - r->n_blank;
    /* The losses as written, when every position's loss is claimed and the
     * sum and mean relations hold for this example. */
    for (size_t k = 1; all_losses && k <= r->N; k++) {
        char name[64];
        snprintf(name, sizeof name, "loss/%zu", k);
        long h = S_node_of(&x, name);
        if (h < 0)
            goto fail;
        long item = x.tab[h].item;
        all_losses = item >= 0;
        if (all_losses)
            losses += r->items[item].claimed;
    }
    if (all_losses) {
        S_val sum, mean;
        S_acc a;
        if (S_eval(&x, "loss.sum", &sum) < 0 || S_eval(&x, "loss.mean", &mean) < 0)
            goto fail;
        int ok = S_step(&x, &chk_decl_rels[chk_decl_nrels - 1], 0, -1, mean.truth, &a);
        if (ok < 0)
            goto fail;
        int ok2 = S_step(&x, &chk_decl_rels[chk_decl_nrels - 2], 0, -1, sum.truth, &a);
        if (ok2 < 0)
            goto fail;
        r->have_losses = ok && ok2;
        r->losses_sum = losses;
        r->losses_mean = losses / (double)r->N;
    }
    for (size_t i = 0; i < x.cap; i++)
        free(x.tab[i].name);
    free(x.tab);
    free(x.posflag);
    return r;
fail:
    for (size_t i = 0; i < x.cap; i++)
        free(x.tab[i].name);
    free(x.tab);
    free(x.posflag);
    chk_free(r);
    return NULL;
}
