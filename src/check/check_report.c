/* check_report — see check_report.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/check_buf.h"
#include "check/check_report.h"
#include "compute/table.h"

/* ---- pieces ------------------------------------------------------------------ */

void chk_report_num(double v, int d, int sign, chk_flavour fl, char *buf, size_t n)
{
    if (isinf(v)) {
        snprintf(buf, n, "%s", fl == CHK_MD ? (v > 0 ? "$\\infty$" : "$-\\infty$") : (v > 0 ? "inf" : "-inf"));
        return;
    }
    char t[128];
    tbl_fmt_fixed(v, d, t, sizeof t);
    int neg = t[0] == '-';
    if (fl == CHK_MD && (neg || sign))   /* a true minus sign, set as math */
        snprintf(buf, n, "$%s%s$", neg ? "" : "+", t);
    else
        snprintf(buf, n, "%s%s", sign && !neg ? "+" : "", t);
}

/* The fewest decimals (1..6) that show v as an input logit is typed. */
static int S_short(double v)
{
    for (int d = 1; d < 6; d++) {
        double s = pow(10.0, d);
        if (fabs(v * s - nearbyint(v * s)) <= 1e-9 * fmax(1.0, fabs(v * s)))
            return d;
    }
    return 6;
}

void chk_report_step(const chk_item *it, chk_flavour fl, char *buf, size_t n)
{
    if (!it->rel) {
        snprintf(buf, n, fl == CHK_MD ? "`%s`" : "%s", it->claim->name);
        return;
    }
    const char *p = fl == CHK_MD ? it->rel->math : it->rel->text;
    size_t o = 0;
    for (; *p && o + 24 < n; p++) {
        if (p[0] == '%' && (p[1] == 'J' || p[1] == 'K')) {
            o += (size_t)snprintf(buf + o, n - o, "%ld", p[1] == 'J' ? it->tok : (long)it->pos);
            p++;
        } else {
            buf[o++] = *p;
        }
    }
    buf[o] = '\0';
}

/* Step names start lower case ("the loss", "p_2"); a sentence starts with
 * a capital when it starts with a word. */
static void S_cap(char *s)
{
    if (s[0] >= 'a' && s[0] <= 'z' && s[1] == 'h' && s[2] == 'e')
        s[0] = (char)(s[0] - 'a' + 'A');
}

/* An input of a step as used: written (its decimals) or derived (shown
 * with the result's decimals). */
static void S_in(const chk_item *it, int k, chk_flavour fl, char *buf, size_t n)
{
    /* a derived input: at least four decimals, so that a claim written with
     * one decimal is not shown a formula on 0.2 for 0.16 */
    int d = it->in_dec[k] >= 0 ? it->in_dec[k] : it->decimals > 4 ? it->decimals : 4;
    chk_report_num(it->in[k], d, 0, fl, buf, n);
    if (fl == CHK_MD && buf[0] == '$') {   /* inside a formula already */
        size_t l = strlen(buf);
        memmove(buf, buf + 1, l - 2);
        buf[l - 2] = '\0';
    }
}

static const char *S_count_word(size_t n)
{
    static const char *w[] = {"no", "one", "two", "three", "four", "five", "six",
                              "seven", "eight", "nine", "ten", "eleven", "twelve"};
    return n < sizeof w / sizeof w[0] ? w[n] : NULL;
}

/* "six losses", "27 losses" */
static void S_counted(char *buf, size_t n, size_t k, const char *one, const char *many)
{
    const char *w = S_count_word(k);
    if (w)
        snprintf(buf, n, "%s %s", w, k == 1 ? one : many);
    else
        snprintf(buf, n, "%zu %s", k, k == 1 ? one : many);
}

/* What the written values give for the step, as a clause: "they give
 * 7.3891 / 12.5805 = 0.5873", "your five exponentials add up to 16.3153".
 * The result has the claim's decimals, one more when the claim follows
 * but its rounding shows otherwise (4.5855 / 6 = 0.76425). */
static void S_from(const chk_item *it, const chk_result *r, chk_flavour fl, int subject, char *buf,
                   size_t n)
{
    const char *g = subject ? "they give " : "";
    char a[64], b[64], x[64], w[96];
    int md = fl == CHK_MD;
    int d = it->decimals;
    chk_report_num(it->from, d, 0, CHK_TEXT, x, sizeof x);
    if ((it->status == CHK_FOLLOWS || it->status == CHK_ROUNDED) && strcmp(x, it->claim->text) != 0)
        chk_report_num(it->from, ++d, 0, CHK_TEXT, x, sizeof x);
    S_in(it, 0, fl, a, sizeof a);
    if (it->n_in > 1)
        S_in(it, 1, fl, b, sizeof b);
    const char *o = md ? "$" : "";
    const chk_rel *rt = it->route ? it->route : it->rel;
    switch (rt->op) {
    case CHK_OP_EXP:
        snprintf(a, sizeof a, "%.*f", S_short(it->in[0]), it->in[0]);
        snprintf(buf, n, md ? "%s$e^{%s} = %s$" : "%se^%s = %s", g, a, x);
        break;
    case CHK_OP_LN:
        snprintf(buf, n, md ? "%s$\\ln %s = %s$" : "%sln %s = %s", g, a, x);
        break;
    case CHK_OP_NEGLN:
        snprintf(buf, n, md ? "%s$-\\ln %s = %s$" : "%s-ln %s = %s", g, a, x);
        break;
    case CHK_OP_DIV:
        snprintf(buf, n, "%s%s%s / %s = %s%s", g, o, a, b, x, o);
        break;
    case CHK_OP_SUB:
        snprintf(buf, n, "%s%s%s - %s = %s%s", g, o, a, b, x, o);
        break;
    case CHK_OP_MEANN:
        snprintf(buf, n, "%s%s%s / %zu = %s%s", g, o, a, r->N, x, o);
        break;
    case CHK_OP_ADDLN:
        snprintf(buf, n, md ? "%s$%s + \\ln %s = %s$" : "%s%s + ln %s = %s", g, a, b, x);
        break;
    case CHK_OP_ONEHOT:
        snprintf(buf, n, "%s%s%s - %d = %s%s", g, o, a, it->in[0] - it->from > 0.5 ? 1 : 0, x, o);
        break;
    case CHK_OP_COPY:
        snprintf(buf, n, "%s%s%s%s", g, md ? "$p_{y} = " : "p_y = ", x, o);
        break;
    case CHK_OP_SUM:
        S_counted(w, sizeof w, (size_t)it->n_in, rt->noun, rt->noun);
        if (it->n_in_written == it->n_in)
            snprintf(buf, n, "your %s add up to %s", w, x);
        else if (it->n_in_written == 0)
            snprintf(buf, n, "the %s add up to %s", w, x);
        else
            snprintf(buf, n, "the %s (%d of them yours) add up to %s", w, it->n_in_written, x);
        break;
    case CHK_OP_MAX:
        snprintf(buf, n, "the largest of the %s is %s", rt->noun, x);
        break;
    default:
        snprintf(buf, n, "%s%s", g, x);
        break;
    }
}

/* "p_2 0.5810, not 0.6179" */
static void S_pair(chk_buf *b, const chk_item *it, chk_flavour fl)
{
    char st[160], t[64];
    chk_report_step(it, fl, st, sizeof st);
    chk_report_num(it->truth, it->decimals, 0, fl, t, sizeof t);
    if (fl == CHK_MD)
        chk_buf_add(b, "%s %s, not **%s**", st, t, it->claim->text);
    else
        chk_buf_add(b, "%s %s, not %s", st, t, it->claim->text);
}

/* One slip: its true value, the error, what the written values give. */
static void S_slip(chk_buf *b, const chk_result *r, const chk_item *it, chk_flavour fl)
{
    char st[160], t[64], err[64], from[256];
    chk_report_step(it, fl, st, sizeof st);
    S_cap(st);
    chk_report_num(it->truth, it->decimals, 0, fl, t, sizeof t);
    chk_report_num(it->claimed - it->truth, it->decimals, 1, fl, err, sizeof err);
    if (fl == CHK_MD)
        chk_buf_add(b, "%s is %s, not **%s** (off by %s)", st, t, it->claim->text, err);
    else
        chk_buf_add(b, "%s is %s, not %s (off by %s)", st, t, it->claim->text, err);
    int list = it->rel && (it->rel->op == CHK_OP_SUM || it->rel->op == CHK_OP_MAX);
    if (!it->has_from) {
        if (it->has_step) {   /* nothing written goes into it: the step itself */
            S_from(it, r, fl, 0, from, sizeof from);
            chk_buf_add(b, ": a new slip; %s.", from);
        } else if (it->rel && it->rel->op == CHK_OP_INPUT) {
            chk_buf_add(b, ": a slip in copying the example's logits.");
        } else {
            chk_buf_add(b, ": a slip.");
        }
        return;
    }
    S_from(it, r, fl, 0, from, sizeof from);
    if (it->status == CHK_SLIP)
        chk_buf_add(b, ": a new slip, as the values before it hold%s %s.", list ? ":" : " and give", from);
    else
        chk_buf_add(b, ": a further slip, as %s%s.", list ? "" : "your own values give ", from);
}

/* ", " or " and " before the k-th of n list elements. */
static const char *S_sep(size_t k, size_t n)
{
    return k == 0 ? "" : k + 1 == n ? " and " : ", ";
}

/* Several slips of one step at one position, in one sentence:
 * "p_0, p_1 and p_3 are ..., not ... (off by ...): further slips, as your
 * own values give ...". */
static void S_slips(chk_buf *b, const chk_result *r, const size_t *ix, size_t n, chk_flavour fl)
{
    char st[160], t[64];
    const char *bo = fl == CHK_MD ? "**" : "";
    for (size_t k = 0; k < n; k++) {
        chk_report_step(&r->items[ix[k]], fl, st, sizeof st);
        chk_buf_add(b, "%s%s", S_sep(k, n), st);
    }
    chk_buf_add(b, " are ");
    for (size_t k = 0; k < n; k++) {
        const chk_item *it = &r->items[ix[k]];
        chk_report_num(it->truth, it->decimals, 0, fl, t, sizeof t);
        chk_buf_add(b, "%s%s", S_sep(k, n), t);
    }
    chk_buf_add(b, ", not ");
    for (size_t k = 0; k < n; k++)
        chk_buf_add(b, "%s%s%s%s", S_sep(k, n), bo, r->items[ix[k]].claim->text, bo);
    chk_buf_add(b, " (off by ");
    for (size_t k = 0; k < n; k++) {
        const chk_item *it = &r->items[ix[k]];
        chk_report_num(it->claimed - it->truth, it->decimals, 1, fl, t, sizeof t);
        chk_buf_add(b, "%s%s", S_sep(k, n), t);
    }
    const chk_item *first = &r->items[ix[0]];
    if (!first->has_from) {   /* nothing written goes into them */
        chk_buf_add(b, first->has_step ? "): new slips." : "): slips.");
        return;
    }
    chk_buf_add(b, first->status == CHK_SLIP ? "): new slips, as the values before them hold and give "
                                       : "): further slips, as your own values give ");
    for (size_t k = 0; k < n; k++) {
        const chk_item *it = &r->items[ix[k]];
        chk_report_num(it->from, it->decimals, 0, fl, t, sizeof t);
        chk_buf_add(b, "%s%s", S_sep(k, n), t);
    }
    chk_buf_add(b, ".");
}

/* The values that follow from slip `root` within items [from, to). */
static void S_consequences(chk_buf *b, const chk_result *r, long root, size_t from, size_t to,
                           chk_flavour fl, const char *lead)
{
    int any = 0;
    for (size_t i = from; i < to; i++) {
        const chk_item *it = &r->items[i];
        if (it->status != CHK_FOLLOWS || it->root != root || (long)i == r->mean)
            continue;   /* the mean has its own verdict */
        chk_buf_add(b, "%s", any ? "; " : lead);
        S_pair(b, it, fl);
        any = 1;
    }
    if (any)
        chk_buf_add(b, ".");
}

/* ---- the report ------------------------------------------------------------------ */

char *chk_report_counts(const chk_result *r, chk_flavour fl, lb_err *e)
{
    chk_buf b = {0};
    char w[64];
    (void)fl;
    size_t slips = r->n_slip + r->n_further;
    S_counted(w, sizeof w, r->n_claims, "value", "values");
    if (r->n_claims == 0) {   /* a worksheet's claims file not filled in yet */
        S_counted(w, sizeof w, r->n_blank, "value is", "values are");
        chk_buf_add(&b, "Nothing to check: %s%s left blank.", r->n_blank > 2 ? "all " : "",
                    r->n_blank == 1 ? "the one value is" : r->n_blank == 2 ? "both values are" : w);
        return chk_buf_take(&b, e);
    }
    chk_buf_add(&b, "%s%s checked: %zu right", w[0] >= 'a' && w[0] <= 'z' ? "" : "", w,
          r->n_right + r->n_rounded);
    if (r->n_rounded)
        chk_buf_add(&b, " (%zu of them only by rounding)", r->n_rounded);
    if (slips || r->n_follows) {
        S_counted(w, sizeof w, slips, "slip", "slips");
        chk_buf_add(&b, ", %s", w);
        if (r->n_follows)
            chk_buf_add(&b, " and %zu %s that follow%s from %s", r->n_follows,
                  r->n_follows == 1 ? "value" : "values", r->n_follows == 1 ? "s" : "",
                  slips == 1 ? "it" : "them");
    }
    chk_buf_add(&b, ".");
    if (r->n_blank) {
        S_counted(w, sizeof w, r->n_blank, "value", "values");
        chk_buf_add(&b, " %c%s left blank.", w[0] >= 'a' && w[0] <= 'z' ? w[0] - 'a' + 'A' : w[0],
                    w + 1);
    }
    if (b.p && b.p[0] >= 'a' && b.p[0] <= 'z')
        b.p[0] = (char)(b.p[0] - 'a' + 'A');
    return chk_buf_take(&b, e);
}

/* Header of a position: "Position 4 (sequence 2, step 1; target 2, "sat")" */
static void S_pos_head(chk_buf *b, const chk_result *r, size_t K, chk_flavour fl)
{
    char nb[32], nt[32], ny[32], tok[300], name[64];
    lb_err e;
    err_clear(&e);
    snprintf(name, sizeof name, "pos.b/%zu", K);
    if (cat_value_format(r->c, name, nb, sizeof nb, &e) != 0)
        snprintf(nb, sizeof nb, "?");
    snprintf(name, sizeof name, "pos.t/%zu", K);
    if (cat_value_format(r->c, name, nt, sizeof nt, &e) != 0)
        snprintf(nt, sizeof nt, "?");
    snprintf(name, sizeof name, "target/%zu", K);
    if (cat_value_format(r->c, name, ny, sizeof ny, &e) != 0)
        snprintf(ny, sizeof ny, "?");
    snprintf(name, sizeof name, "token/%zu", K);
    if (cat_value_format(r->c, name, tok, sizeof tok, &e) != 0)
        tok[0] = '\0';
    if (fl == CHK_MD) {
        chk_buf_add(b, "**Position %zu** (sequence %s, step %s; target %s", K, nb, nt, ny);
        if (tok[0] && strcmp(tok, ny) != 0) {
            chk_buf_add(b, ", “");
            for (const char *s = tok; *s; s++)   /* a token name is the user's text */
                chk_buf_add(b, "%s%c", strchr("\\`*_{}[]()#+-.!|<>$~&", *s) ? "\\" : "", *s);
            chk_buf_add(b, "”");
        }
        chk_buf_add(b, ").");
    } else {
        chk_buf_add(b, "Position %zu (sequence %s, step %s; target %s", K, nb, nt, ny);
        if (tok[0] && strcmp(tok, ny) != 0)
            chk_buf_add(b, ", \"%s\"", tok);
        chk_buf_add(b, "):");
    }
}

/* Right values a wrong one goes into without giving them: "p_0 and p_2
 * hold, although your values give 0.6103 and 0.2481: they were not
 * computed from the sum of exponentials 5.4403." */
static void S_right_anyway(chk_buf *b, const chk_result *r, const size_t *ix, size_t n,
                           chk_flavour fl)
{
    char st[160], t[64];
    for (size_t k = 0; k < n; k++) {
        chk_report_step(&r->items[ix[k]], fl, st, sizeof st);
        if (k == 0)
            S_cap(st);
        chk_buf_add(b, "%s%s", S_sep(k, n), st);
    }
    if (n == 1)
        chk_buf_add(b, " %s", r->items[ix[0]].claim->text);
    chk_buf_add(b, n == 1 ? " holds, although your values give " : " hold, although your values give ");
    for (size_t k = 0; k < n; k++) {
        const chk_item *it = &r->items[ix[k]];
        chk_report_num(it->from, it->decimals, 0, fl, t, sizeof t);
        chk_buf_add(b, "%s%s", S_sep(k, n), t);
    }
    const chk_item *c = &r->items[r->items[ix[0]].cause];
    chk_report_step(c, fl, st, sizeof st);
    chk_buf_add(b, ": %s not computed from %s %s%s%s", n == 1 ? "it was" : "they were", st,
                fl == CHK_MD ? "**" : "", c->claim->text, fl == CHK_MD ? "**" : "");
    if (c->pos && c->pos != r->items[ix[0]].pos)
        chk_buf_add(b, " at position %zu", c->pos);
    chk_buf_add(b, ".");
}

/* Rounding notes: values that hold only because the inputs were rounded. */
static void S_rounded(chk_buf *b, const chk_result *r, const chk_item *it, chk_flavour fl,
                      const char *lead)
{
    char st[160], t[64], from[256];
    chk_report_step(it, fl, st, sizeof st);
    S_cap(st);
    chk_report_num(it->truth, it->decimals + 1, 0, fl, t, sizeof t);
    S_from(it, r, fl, 0, from, sizeof from);
    const chk_rel *rt = it->route ? it->route : it->rel;
    int list = rt && (rt->op == CHK_OP_SUM || rt->op == CHK_OP_MAX);
    chk_buf_add(b, "%s%s %s holds by rounding: %s%s (the exact value is %s).", lead, st,
                it->claim->text, list ? "" : "your values give ", from, t);
}

/* Items [from, to) of one position or of the batch. */
static void S_group(chk_buf *b, const chk_result *r, size_t from, size_t to, chk_flavour fl)
{
    const char *item = fl == CHK_MD ? "\n- " : "\n  - ";
    const char *sub = fl == CHK_MD ? " " : "\n    ";
    size_t wrong = 0, n = 0;
    for (size_t i = from; i < to; i++) {
        const chk_item *it = &r->items[i];
        if ((long)i == r->mean)
            continue;   /* the verdict on the mean comes last */
        n += it->status != CHK_BLANK;
        wrong += chk_is_wrong(it->status);
        if (chk_is_slip(it->status)) {
            /* slips of the same step go into one sentence, led by the first */
            size_t ix[64], k = 0;
            int led = 1;
            for (size_t j = from; j < to; j++) {
                const chk_item *o = &r->items[j];
                if (o->rel != it->rel || o->status != it->status || o->has_from != it->has_from)
                    continue;
                if (j < i)
                    led = 0;
                if (k < 64)
                    ix[k++] = j;
            }
            if (!led)
                continue;
            chk_buf_add(b, "%s", item);
            if (k > 1)
                S_slips(b, r, ix, k, fl);
            else
                S_slip(b, r, it, fl);
            const char *lead = fl == CHK_MD ? " From there: " : "\n    From there: ";
            for (size_t j = 0; j < k; j++) {
                size_t before = b->len;
                S_consequences(b, r, (long)ix[j], ix[j] + 1, to, fl, lead);
                if (b->len != before)
                    lead = fl == CHK_MD ? " " : "\n    ";
            }
        } else if (it->status == CHK_FOLLOWS && (it->root < (long)from || it->root >= (long)to)) {
            /* follows from a slip listed earlier, at another position */
            const chk_item *root = &r->items[it->root];
            char st[160], t[64];
            chk_report_step(it, fl, st, sizeof st);
            S_cap(st);
            chk_report_num(it->truth, it->decimals, 0, fl, t, sizeof t);
            chk_buf_add(b, "%s%s is %s, not %s%s%s: it follows from the slip in ", item, st, t,
                  fl == CHK_MD ? "**" : "", it->claim->text, fl == CHK_MD ? "**" : "");
            chk_report_step(root, fl, st, sizeof st);
            if (root->pos)
                chk_buf_add(b, "%s at position %zu.", st, root->pos);
            else
                chk_buf_add(b, "%s.", st);
        } else if (it->status == CHK_ROUNDED) {
            chk_buf_add(b, "%s", item);
            S_rounded(b, r, it, fl, "");
        } else if (it->status == CHK_RIGHT && it->cause >= 0) {
            /* right of the same step and cause, in one sentence */
            size_t ix[64], k = 0;
            int led = 1;
            for (size_t j = from; j < to; j++) {
                const chk_item *o = &r->items[j];
                if (o->status != CHK_RIGHT || o->cause != it->cause || o->rel != it->rel ||
                    (long)j == r->mean)
                    continue;
                if (j < i)
                    led = 0;
                if (k < 64)
                    ix[k++] = j;
            }
            if (led) {
                chk_buf_add(b, "%s", item);
                S_right_anyway(b, r, ix, k, fl);
            }
        }
    }
    (void)sub;
    (void)wrong;
    (void)n;
}

/* "all 31 values hold", "both values hold", "its one value holds"; a new
 * sentence in the errata sheet (its headers end with a full stop). */
static void S_all_hold(chk_buf *b, size_t n, chk_flavour fl)
{
    char w[64];
    int cap = fl == CHK_MD;
    if (n == 1)
        chk_buf_add(b, "%s one value holds.", cap ? "Its" : "its");
    else if (n == 2)
        chk_buf_add(b, "%s values hold.", cap ? "Both" : "both");
    else {
        S_counted(w, sizeof w, n, "value", "values");
        chk_buf_add(b, "%s %s hold.", cap ? "All" : "all", w);
    }
}

/* The verdict on the mean. */
static void S_mean(chk_buf *b, const chk_result *r, chk_flavour fl)
{
    char t[64], x[64], from[256], w[64];
    if (r->mean < 0)
        return;
    const chk_item *m = &r->items[r->mean];
    if (m->status == CHK_BLANK)
        return;
    const char *bo = fl == CHK_MD ? "**" : "";
    chk_report_num(m->truth, m->decimals, 0, fl, t, sizeof t);
    chk_buf_add(b, "%s", fl == CHK_MD ? "\n\n**The mean.** " : "\n\nThe mean: ");
    switch (m->status) {
    case CHK_RIGHT:
        chk_buf_add(b, "%s is right", m->claim->text);
        if (m->cause >= 0) {   /* not from the wrong values above */
            chk_report_num(m->from, m->decimals, 0, fl, x, sizeof x);
            chk_buf_add(b, ", although your values give %s: it was not computed from them", x);
        }
        chk_buf_add(b, ".");
        break;
    case CHK_ROUNDED:
        S_from(m, r, fl, 0, from, sizeof from);
        chk_buf_add(b, "%s holds: it is what your values give, %s; the unrounded mean is %s.",
              m->claim->text, from, t);
        break;
    case CHK_FOLLOWS:
        chk_buf_add(b, "%s%s%s is wrong because of the slip%s above: ", bo, m->claim->text, bo,
                    r->n_slip + r->n_further == 1 ? "" : "s");
        if (m->rel && m->rel->op == CHK_OP_MEANN && m->in_dec[0] < 0) {
            /* no sum written: the mean of the written losses */
            chk_report_num(m->from, m->decimals, 0, fl, x, sizeof x);
            chk_buf_add(b, r->have_losses ? "it is the mean of your losses, %s"
                                          : "it is what your values give, %s", x);
        } else {
            S_from(m, r, fl, 0, from, sizeof from);
            chk_buf_add(b, "it is what your values give, %s", from);
        }
        chk_buf_add(b, "; the true mean is %s.", t);
        break;
    default:
        chk_buf_add(b, "%s%s%s is wrong on its own", bo, m->claim->text, bo);
        if (m->has_from && m->rel && m->rel->op == CHK_OP_MEANN && m->in_dec[0] < 0) {
            chk_report_num(m->from, m->decimals, 0, fl, x, sizeof x);
            chk_buf_add(b, ": %s %s, not %s", r->have_losses ? "the mean of your losses is"
                                                             : "your values give", x, m->claim->text);
        } else if (m->has_from) {
            S_from(m, r, fl, 0, from, sizeof from);
            chk_buf_add(b, ": your values give %s, not %s", from, m->claim->text);
        }
        chk_report_num(m->from, m->decimals, 0, fl, x, sizeof x);
        if (m->has_from && !strcmp(x, t))   /* the slip is only in the last step */
            chk_buf_add(b, "; %s is also the true mean.", x);
        else
            chk_buf_add(b, "; the true mean is %s.", t);
        break;
    }
    /* The losses as written, when they tell something new: the written sum
     * is not theirs (the mean's verdict above already used the sum or the
     * losses themselves). */
    if (r->have_losses && chk_is_wrong(m->status) && r->sum >= 0 &&
        chk_is_slip(r->items[r->sum].status)) {
        chk_report_num(r->losses_mean, m->decimals, 0, fl, x, sizeof x);
        S_counted(w, sizeof w, r->N, "loss", "losses");
        char s[64];
        chk_report_num(r->losses_sum, m->decimals, 0, fl, s, sizeof s);
        chk_buf_add(b, " The %s as written add up to %s, whose mean is %s", w, s, x);
        if (r->sum >= 0 && chk_is_slip(r->items[r->sum].status))
            chk_buf_add(b, ": the sum %s%s%s is itself a slip.", bo, r->items[r->sum].claim->text, bo);
        else
            chk_buf_add(b, ".");
    }
}

/* The items [i, *end) of the group (a position, the batch, the rest)
 * starting at i: how many are claims and how many need a note. */
static void S_group_of(const chk_result *r, size_t i, size_t *end, size_t *any, size_t *notes)
{
    const chk_item *it = &r->items[i];
    size_t j = i;
    while (j < r->n && r->items[j].group == it->group &&
           (it->group == 2 || r->items[j].pos == it->pos))
        j++;
    *any = *notes = 0;
    for (size_t k = i; k < j; k++) {
        if ((long)k == r->mean)
            continue;
        *any += r->items[k].status != CHK_BLANK;
        *notes += r->items[k].status != CHK_BLANK &&
                  (r->items[k].status != CHK_RIGHT || r->items[k].cause >= 0);
    }
    *end = j;
}

/* Consecutive positions in which every value holds, from item i: one
 * line "Positions 1 to 6: all 13 values hold." instead of one each.
 * Returns the item after the run (i when the run is shorter than two). */
static size_t S_holding_run(chk_buf *b, const chk_result *r, size_t i, chk_flavour fl,
                            const char *sep)
{
    size_t k = i, npos = 0, nval = 0, first = 0, last = 0, gaps = 0;
    size_t pos[8];
    while (k < r->n && r->items[k].group == 0) {
        size_t end, any, notes;
        S_group_of(r, k, &end, &any, &notes);
        if (notes)
            break;
        if (any) {
            if (npos && r->items[k].pos != last + 1)
                gaps = 1;
            if (!npos)
                first = r->items[k].pos;
            if (npos < 8)
                pos[npos] = r->items[k].pos;
            last = r->items[k].pos;
            npos++;
            nval += any;
        }
        k = end;
    }
    if (npos < 2 || (gaps && npos > 8))
        return i;
    const char *bo = fl == CHK_MD ? "**" : "";
    chk_buf_add(b, "%s", sep);
    if (!gaps) {
        chk_buf_add(b, "%sPositions %zu %s %zu%s%s ", bo, first, npos == 2 ? "and" : "to", last,
                    fl == CHK_MD ? "." : ":", bo);
    } else {
        chk_buf_add(b, "%sPositions ", bo);
        for (size_t q = 0; q < npos; q++)
            chk_buf_add(b, "%s%zu", S_sep(q, npos), pos[q]);
        chk_buf_add(b, "%s%s ", fl == CHK_MD ? "." : ":", bo);
    }
    S_all_hold(b, nval, fl);
    return k;
}

char *chk_report_body(const chk_result *r, chk_flavour fl, lb_err *e)
{
    chk_buf b = {0};
    size_t i = 0;
    int first = 1, prev_notes = 0;
    while (i < r->n) {
        const chk_item *it = &r->items[i];
        size_t j, any, notes;
        S_group_of(r, i, &j, &any, &notes);
        if (any && !notes && it->group == 0) {
            size_t k = S_holding_run(&b, r, i, fl,
                                     first ? "" : fl == CHK_MD || prev_notes ? "\n\n" : "\n");
            if (k != i) {
                first = 0;
                prev_notes = 0;
                i = k;
                continue;
            }
        }
        if (any) {
            chk_buf_add(&b, "%s", first ? "" : fl == CHK_MD || notes || prev_notes ? "\n\n" : "\n");
            first = 0;
            prev_notes = notes > 0;
            if (it->group == 0)
                S_pos_head(&b, r, it->pos, fl);
            else
                chk_buf_add(&b, "%s", it->group == 1 ? (fl == CHK_MD ? "**The batch.**" : "The batch:")
                                               : (fl == CHK_MD ? "**Other values.**" : "Other values:"));
            if (notes == 0) {
                chk_buf_add(&b, " ");
                S_all_hold(&b, any, fl);
            } else {
                if (fl == CHK_MD)
                    chk_buf_add(&b, "\n");
                S_group(&b, r, i, j, fl);
            }
        }
        i = j;
    }
    S_mean(&b, r, fl);
    chk_buf_add(&b, "\n");
    return chk_buf_take(&b, e);
}

int chk_report_text(const chk_result *r, const char *example_path, FILE *f, lb_err *e)
{
    char *counts = chk_report_counts(r, CHK_TEXT, e);
    char *body = counts ? chk_report_body(r, CHK_TEXT, e) : NULL;
    int rc = -1;
    if (counts && body) {
        fprintf(f, "lossbook check: %s against %s (%zu positions, %zu tokens)\n", r->cl->path,
                example_path, r->N, r->V);
        fprintf(f, "A value holds when it is within one unit of its last written decimal.\n\n");
        fprintf(f, "%s\n", counts);
        if (strcmp(body, "\n") != 0)   /* nothing checked: no body */
            fprintf(f, "\n%s", body);
        rc = fflush(f) == 0 && !ferror(f) ? 0 : err_set(e, LB_EXIT_RUNTIME, "cannot write the report");
    }
    free(counts);
    free(body);
    return rc;
}
