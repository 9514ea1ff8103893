/* check_values — see check_values.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/check_report.h"
#include "check/check_values.h"

const char *chk_values_known(void)
{
    return "check.claims, check.right, check.rounded, check.wrong, check.slips, "
           "check.slips.new, check.slips.further, check.follows, check.main, check.main.pos, "
           "check.main.step, check.mean, check.losses.sum, check.losses.mean, check.psum/K, "
           "check.claim/NAME, "
           "check.true/NAME, check.error/NAME, check.from/NAME, check.status/NAME";
}

static int S_int(cat_extra_val *o, double v)
{
    o->is_text = 0;
    o->digits = 0;
    o->v = v;
    return 0;
}

static int S_text(cat_extra_val *o, const char *s)
{
    o->is_text = 1;
    snprintf(o->text, sizeof o->text, "%s", s);
    return 0;
}

/* The slip that adds the largest error of its own, relative to the true
 * value: what it adds to the values before it when those give something
 * (has_step), else its whole error.  -1 when there is no slip. */
static long S_main(const chk_result *r)
{
    long best = -1;
    double size = -1.0;
    for (size_t i = 0; i < r->n; i++) {
        const chk_item *it = &r->items[i];
        if (!chk_is_slip(it->status))
            continue;
        double ref = it->has_step ? it->from : it->truth;
        double s = fabs(it->claimed - ref) / fmax(fabs(it->truth), 1e-300);
        if (s > size) {
            size = s;
            best = (long)i;
        }
    }
    return best;
}

static const char *S_status(chk_status s)
{
    switch (s) {
    case CHK_RIGHT: return "right";
    case CHK_ROUNDED: return "rounded";
    case CHK_SLIP: return "slip";
    case CHK_FURTHER: return "further";
    case CHK_FOLLOWS: return "follows";
    default: return "blank";
    }
}

/* check.psum/K: the written probabilities of position K added up. */
static int S_psum(const chk_result *r, const char *k, cat_extra_val *o)
{
    char *end;
    unsigned long K = strtoul(k, &end, 10);
    if (end == k || *end || K < 1 || K > r->N || r->V > 100000)
        return -1;
    double sum = 0.0;
    int d = 0;
    for (size_t j = 0; j < r->V; j++) {
        char name[64];
        snprintf(name, sizeof name, "p/%lu/%zu", K, j);
        long i = chk_find(r, name);
        if (i < 0 || r->items[i].status == CHK_BLANK)
            return -1;
        sum += r->items[i].claimed;
        if (r->items[i].decimals > d)
            d = r->items[i].decimals;
    }
    o->is_text = 0;
    o->digits = d;
    o->v = sum;
    return 0;
}

/* check.KIND/NAME: a claim's own values. */
static int S_claim(const chk_result *r, const char *kind, size_t kl, const char *name, cat_extra_val *o)
{
    long i = chk_find(r, name);
    if (i < 0)
        return -1;
    const chk_item *it = &r->items[i];
    if (kl == 6 && !memcmp(kind, "status", 6))
        return S_text(o, S_status(it->status));
    if (it->status == CHK_BLANK)
        return -1;
    o->is_text = 0;
    o->digits = it->decimals;
    if (kl == 5 && !memcmp(kind, "claim", 5))
        return S_text(o, it->claim->text);
    if (kl == 4 && !memcmp(kind, "true", 4))
        o->v = it->truth;
    else if (kl == 5 && !memcmp(kind, "error", 5))
        o->v = it->claimed - it->truth;
    else if (kl == 4 && !memcmp(kind, "from", 4) && it->has_step)
        o->v = it->from;
    else
        return -1;
    return 0;
}

int chk_values_get(const void *ctx, const char *name, cat_extra_val *o)
{
    const chk_result *r = ctx;
    memset(o, 0, sizeof *o);
    if (strncmp(name, "check.", 6) != 0)
        return -1;
    const char *n = name + 6;
    const char *slash = strchr(n, '/');
    if (slash && slash - n == 4 && !memcmp(n, "psum", 4))
        return S_psum(r, slash + 1, o);
    if (slash)
        return S_claim(r, n, (size_t)(slash - n), slash + 1, o);
    if (!strcmp(n, "claims"))
        return S_int(o, (double)r->n_claims);
    if (!strcmp(n, "right"))
        return S_int(o, (double)(r->n_right + r->n_rounded));
    if (!strcmp(n, "rounded"))
        return S_int(o, (double)r->n_rounded);
    if (!strcmp(n, "wrong"))
        return S_int(o, (double)chk_wrong(r));
    if (!strcmp(n, "slips"))
        return S_int(o, (double)(r->n_slip + r->n_further));
    if (!strcmp(n, "slips.new"))
        return S_int(o, (double)r->n_slip);
    if (!strcmp(n, "slips.further"))
        return S_int(o, (double)r->n_further);
    if (!strcmp(n, "follows"))
        return S_int(o, (double)r->n_follows);
    if (!strcmp(n, "main") || !strcmp(n, "main.pos") || !strcmp(n, "main.step")) {
        long m = S_main(r);
        if (!strcmp(n, "main"))
            return S_text(o, m < 0 ? "" : r->items[m].claim->name);
        if (!strcmp(n, "main.pos"))
            return S_int(o, m < 0 ? 0.0 : (double)r->items[m].pos);
        if (m < 0)
            return S_text(o, "");
        chk_report_step(&r->items[m], CHK_TEXT, o->text, sizeof o->text);
        o->is_text = 1;
        return 0;
    }
    if (!strcmp(n, "mean")) {
        const chk_item *m = r->mean >= 0 ? &r->items[r->mean] : NULL;
        if (!m || m->status == CHK_BLANK)
            return S_text(o, "none");
        return S_text(o, !chk_is_wrong(m->status) ? "right"
                         : m->status == CHK_FOLLOWS ? "follows" : "own");
    }
    if ((!strcmp(n, "losses.sum") || !strcmp(n, "losses.mean")) && r->have_losses) {
        o->digits = 4;
        o->v = n[7] == 's' ? r->losses_sum : r->losses_mean;
        return 0;
    }
    return -1;
}
