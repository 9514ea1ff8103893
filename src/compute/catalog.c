/* catalog — see catalog.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/catalog.h"
#include "compute/numerics.h"

/* Per-position tables list at most this many positions (the CSV of
 * points.dat in datafiles has all of them); a note says so. */
#define CAT_MAX_ROWS 1000u
/* Tables with a column per token show at most this many token columns. */
#define CAT_MAX_TOKEN_COLS 12u
/* step/K tables list at most this many tokens (plus the target row). */
#define CAT_MAX_STEP_ROWS 40u

enum { T_LOGITS, T_RESHAPE, T_SUMMARY, T_CONFIDENCE, T_LOGP, T_BCE,
       T_MULTICLASS, T_GRAD, T_GDSTEP, T_NFIXED };
static const char *const S_fixed_names[T_NFIXED] = {
    "logits", "reshape", "summary", "confidence", "logp", "bce",
    "multiclass", "grad", "gdstep"};


struct cat {
    const ex_model *m;
    tbl **slots;          /* T_NFIXED + N lazily built tables (NULL until used) */
    size_t nslots;
    char *known_tables;
    char *known_values;
};

/* ---- small helpers ---------------------------------------------------------- */

/* Strict decimal index: digits only, no sign, no leading zero, <= max. */
static int S_parse_index(const char *s, size_t min, size_t max, size_t *out)
{
    if (!s || !*s || (s[0] == '0' && s[1]) )
        return -1;
    size_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (v > (SIZE_MAX - 9) / 10)
            return -1;
        v = v * 10 + (size_t)(*p - '0');
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Fewest digits (<= 4) that show v exactly, e.g. 2.0 -> 1, 0.25 -> 2, for
 * displaying input logits as they were typed (still rounded from v). */
static int S_input_digits(double v)
{
    double scale = 10.0;
    for (int d = 1; d <= 4; d++, scale *= 10.0) {
        double x = v * scale;
        if (fabs(x - nearbyint(x)) <= 1e-9 * fmax(1.0, fabs(x)))
            return d;
    }
    return 4;
}

static int S_row_digits(const double *z, size_t n)
{
    int d = 1;
    for (size_t i = 0; i < n; i++) {
        int k = S_input_digits(z[i]);
        if (k > d)
            d = k;
    }
    return d;
}

/* Display name of token j: its JSON name, or its index. */
static void S_token(const ex_model *m, size_t j, char *buf, size_t n)
{
    const char *nm = ex_token_name(m, j);
    if (nm)
        snprintf(buf, n, "%s", nm);
    else
        snprintf(buf, n, "%zu", j);
}

/* "$[5, 1, 0.1, 0, -1]$" from a short vector. */
static void S_vec_text(const double *z, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    used += (size_t)snprintf(buf + used, cap - used, "$[");
    for (size_t i = 0; i < n && used < cap; i++) {
        char num[64];
        tbl_fmt_fixed(z[i], S_input_digits(z[i]), num, sizeof num);
        /* trim trailing zeros of the input-style number: 5.0 -> 5 */
        char *dot = strchr(num, '.');
        if (dot) {
            char *end = num + strlen(num) - 1;
            while (end > dot && *end == '0')
                *end-- = '\0';
            if (end == dot)
                *end = '\0';
        }
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", num);
    }
    if (used < cap)
        snprintf(buf + used, cap - used, "]$");
}

static size_t S_rows_shown(const ex_model *m)
{
    return m->N < CAT_MAX_ROWS ? m->N : CAT_MAX_ROWS;
}

static size_t S_token_cols(const ex_model *m)
{
    return m->V < CAT_MAX_TOKEN_COLS ? m->V : CAT_MAX_TOKEN_COLS;
}

/* Append the "only the first ... shown" remark to a note. */
static int S_note_limits(tbl *t, const ex_model *m, int token_cols, lb_err *e)
{
    char note[512];
    size_t used = 0;
    note[0] = '\0';
    if (m->N > CAT_MAX_ROWS)
        used += (size_t)snprintf(note + used, sizeof note - used,
                                 "The first %u of %zu positions are shown.", CAT_MAX_ROWS, m->N);
    if (token_cols && m->V > CAT_MAX_TOKEN_COLS && used < sizeof note)
        snprintf(note + used, sizeof note - used, "%sThe first %u of %zu tokens are shown.",
                 used ? " " : "", CAT_MAX_TOKEN_COLS, m->V);
    if (!note[0])
        return 0;
    if (t->note[0]) {
        char both[1024];
        snprintf(both, sizeof both, "%s %s", t->note, note);
        return tbl_set_note(t, both, e);
    }
    return tbl_set_note(t, note, e);
}

#define CK(x) do { if ((x) != 0) goto fail; } while (0)

/* ---- table builders -------------------------------------------------------------- */

static tbl *S_build_logits(const ex_model *m, lb_err *e)
{
    size_t vc = S_token_cols(m);
    tbl *t = tbl_new("logits", 3 + vc + 1, e);
    char h[64];
    if (!t)
        return NULL;
    double *zb = malloc(m->V * sizeof *zb);
    if (!zb) {
        tbl_free(t);
        err_nomem(e);
        return NULL;
    }
    int zd = 1;
    for (size_t n = 0; n < S_rows_shown(m) && n * m->V < 100000; n++) {
        int d = S_row_digits(ex_row(m, n, zb), m->V);
        if (d > zd)
            zd = d;
    }
    CK(tbl_set_caption(t, "Logits reshaped to $[B \\cdot T, V]$, one row per position, with the target token $y_n$", e));
    CK(tbl_set_header(t, 0, "$n$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 1, "$b$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 2, "$t$", TBL_RIGHT, e));
    for (size_t j = 0; j < vc; j++) {
        snprintf(h, sizeof h, "$z_{%zu}$", j);
        CK(tbl_set_header(t, 3 + j, h, TBL_DECIMAL, e));
    }
    CK(tbl_set_header(t, 3 + vc, "$y_n$", TBL_RIGHT, e));
    for (size_t n = 0; n < S_rows_shown(m); n++) {
        const double *z = ex_row(m, n, zb);
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        CK(tbl_set_int(t, (size_t)r, 0, (long long)n + 1, e));
        CK(tbl_set_int(t, (size_t)r, 1, (long long)(n / m->T) + 1, e));
        CK(tbl_set_int(t, (size_t)r, 2, (long long)(n % m->T) + 1, e));
        for (size_t j = 0; j < vc; j++)
            CK(tbl_set_num(t, (size_t)r, 3 + j, z[j], zd, e));
        CK(tbl_set_int(t, (size_t)r, 3 + vc, (long long)m->targets[n], e));
        if ((size_t)m->targets[n] < vc)
            tbl_mark_cell(t, (size_t)r, 3 + (size_t)m->targets[n], 1);
    }
    CK(tbl_set_note(t, "Row $n = (b-1)\\,T + t$; the target's logit is marked.", e));
    CK(S_note_limits(t, m, 1, e));
    free(zb);
    return t;
fail:
    free(zb);
    tbl_free(t);
    return NULL;
}

static tbl *S_build_reshape(const ex_model *m, lb_err *e)
{
    tbl *t = tbl_new("reshape", 6, e);
    char tok[80];
    if (!t)
        return NULL;
    CK(tbl_set_caption(t, "Reshape $[B, T, V] \\to [B \\cdot T, V]$: where each position $(b, t)$ lands", e));
    CK(tbl_set_header(t, 0, "$b$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 1, "$t$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 2, "$n = (b-1)T + t$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 3, "index $n - 1$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 4, "$y_n$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 5, "token", TBL_LEFT, e));
    for (size_t n = 0; n < S_rows_shown(m); n++) {
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        CK(tbl_set_int(t, (size_t)r, 0, (long long)(n / m->T) + 1, e));
        CK(tbl_set_int(t, (size_t)r, 1, (long long)(n % m->T) + 1, e));
        CK(tbl_set_int(t, (size_t)r, 2, (long long)n + 1, e));
        CK(tbl_set_int(t, (size_t)r, 3, (long long)n, e));
        CK(tbl_set_int(t, (size_t)r, 4, (long long)m->targets[n], e));
        S_token(m, (size_t)m->targets[n], tok, sizeof tok);
        CK(tbl_set_text(t, (size_t)r, 5, tok, e));
    }
    CK(tbl_set_note(t, "logits.view(-1, V) and targets.view(-1) keep the order: row index $n - 1 = (b-1)\\,T + (t-1)$ counted from 0.", e));
    CK(S_note_limits(t, m, 0, e));
    return t;
fail:
    tbl_free(t);
    return NULL;
}

static tbl *S_build_step(const ex_model *m, size_t n, lb_err *e)
{
    char name[48], buf[768], tok[80], a[64], b[64], c[64];
    double *row = NULL;
    tbl *t = NULL;
    snprintf(name, sizeof name, "step/%zu", n + 1);
    t = tbl_new(name, 7, e);
    row = malloc(4 * m->V * sizeof *row);
    if (!t || !row) {
        if (t)
            err_nomem(e);
        goto fail;
    }
    double *expz = row, *exps = row + m->V, *p = row + 2 * m->V;
    const ex_step *s = &m->steps[n];
    const double *z = ex_row(m, n, row + 3 * m->V);
    ex_step_row(m, n, expz, exps, p, NULL, row + 3 * m->V);
    int zd = S_row_digits(z, m->V);
    S_token(m, (size_t)s->target, tok, sizeof tok);
    tbl_fmt_fixed(s->loss, 4, a, sizeof a);
    snprintf(buf, sizeof buf,
             "Position %zu ($b = %zu$, $t = %zu$): target token %lld (%s), $-\\log p_{\\text{target}} = %s$",
             n + 1, s->b + 1, s->t + 1, (long long)s->target, tok, a);
    CK(tbl_set_caption(t, buf, e));
    CK(tbl_set_header(t, 0, "$j$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 1, "token", TBL_LEFT, e));
    CK(tbl_set_header(t, 2, "$z_j$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 3, "$z_j - m$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 4, "$e^{z_j}$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 5, "$e^{z_j - m}$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 6, "$p_j$", TBL_DECIMAL, e));
    double psum = 0.0;
    for (size_t j = 0; j < m->V; j++)
        psum += p[j];
    for (size_t j = 0; j < m->V; j++) {
        if (j >= CAT_MAX_STEP_ROWS && (int64_t)j != s->target)
            continue;
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        S_token(m, j, tok, sizeof tok);
        CK(tbl_set_int(t, (size_t)r, 0, (long long)j, e));
        CK(tbl_set_text(t, (size_t)r, 1, tok, e));
        CK(tbl_set_num(t, (size_t)r, 2, z[j], zd, e));
        CK(tbl_set_num(t, (size_t)r, 3, z[j] - s->maxz, zd, e));
        CK(tbl_set_num(t, (size_t)r, 4, expz[j], 4, e));
        CK(tbl_set_num(t, (size_t)r, 5, exps[j], 4, e));
        CK(tbl_set_num(t, (size_t)r, 6, p[j], 4, e));
        if ((int64_t)j == s->target) {
            tbl_mark_row(t, (size_t)r, 1);
            tbl_mark_cell(t, (size_t)r, 6, 1);
        }
    }
    long r = tbl_add_row(t, e);
    if (r < 0)
        goto fail;
    CK(tbl_set_text(t, (size_t)r, 0, "$\\sum$", e));
    CK(tbl_set_num(t, (size_t)r, 4, s->sumexp, 4, e));
    CK(tbl_set_num(t, (size_t)r, 5, s->sumexp_shift, 4, e));
    CK(tbl_set_num(t, (size_t)r, 6, psum, 4, e));
    tbl_total_row(t, (size_t)r, 1);
    tbl_fmt_fixed(s->maxz, zd, a, sizeof a);
    tbl_fmt_fixed(s->lse, 4, b, sizeof b);
    tbl_fmt_fixed(s->p_target, 4, c, sizeof c);
    snprintf(buf, sizeof buf,
             "$m = \\max_j z_j = %s$; $\\log \\sum_j e^{z_j} = m + \\log \\sum_j e^{z_j - m} = %s$; "
             "$p_{\\text{target}} = %s$.%s",
             a, b, c, m->V > CAT_MAX_STEP_ROWS ? " Only the first tokens and the target are listed; the sums run over all." : "");
    CK(tbl_set_note(t, buf, e));
    free(row);
    return t;
fail:
    free(row);
    tbl_free(t);
    return NULL;
}

static tbl *S_build_summary(const ex_model *m, lb_err *e)
{
    tbl *t = tbl_new("summary", 8, e);
    char tok[80];
    if (!t)
        return NULL;
    CK(tbl_set_caption(t, "Every position of the batch: the sum of exponentials, the target's probability and its loss", e));
    CK(tbl_set_header(t, 0, "$n$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 1, "$b$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 2, "$t$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 3, "$y_n$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 4, "token", TBL_LEFT, e));
    CK(tbl_set_header(t, 5, "$\\sum_j e^{z_j}$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 6, "$p_{\\text{target}}$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 7, "$-\\log p_{\\text{target}}$", TBL_DECIMAL, e));
    for (size_t n = 0; n < S_rows_shown(m); n++) {
        const ex_step *s = &m->steps[n];
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        CK(tbl_set_int(t, (size_t)r, 0, (long long)n + 1, e));
        CK(tbl_set_int(t, (size_t)r, 1, (long long)s->b + 1, e));
        CK(tbl_set_int(t, (size_t)r, 2, (long long)s->t + 1, e));
        CK(tbl_set_int(t, (size_t)r, 3, (long long)s->target, e));
        S_token(m, (size_t)s->target, tok, sizeof tok);
        CK(tbl_set_text(t, (size_t)r, 4, tok, e));
        CK(tbl_set_num(t, (size_t)r, 5, s->sumexp, 4, e));
        CK(tbl_set_num(t, (size_t)r, 6, s->p_target, 4, e));
        CK(tbl_set_num(t, (size_t)r, 7, s->loss, 4, e));
    }
    long r = tbl_add_row(t, e);
    if (r < 0)
        goto fail;
    CK(tbl_set_text(t, (size_t)r, 0, "mean", e));
    CK(tbl_set_num(t, (size_t)r, 7, m->loss_mean, 4, e));
    tbl_total_row(t, (size_t)r, 1);
    tbl_mark_cell(t, (size_t)r, 7, 1);
    CK(tbl_set_note(t, "The mean is over all positions: $\\mathcal{L} = \\frac{1}{N} \\sum_n -\\log p_{\\text{target}}$.", e));
    CK(S_note_limits(t, m, 0, e));
    return t;
fail:
    tbl_free(t);
    return NULL;
}

static tbl *S_build_confidence(const ex_model *m, lb_err *e)
{
    tbl *t = tbl_new("confidence", 4, e);
    char v[256];
    if (!t)
        return NULL;
    CK(tbl_set_caption(t, "How the loss reacts to the model's confidence in the correct token (target 0)", e));
    CK(tbl_set_header(t, 0, "confidence", TBL_LEFT, e));
    CK(tbl_set_header(t, 1, "logits $z$", TBL_LEFT, e));
    CK(tbl_set_header(t, 2, "$p_0$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 3, "$-\\log p_0$", TBL_DECIMAL, e));
    for (int i = 0; i < EX_NCONF; i++) {
        const ex_conf *c = &m->conf[i];
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        CK(tbl_set_text(t, (size_t)r, 0, c->name, e));
        S_vec_text(c->z, c->V, v, sizeof v);
        CK(tbl_set_text(t, (size_t)r, 1, v, e));
        CK(tbl_set_num(t, (size_t)r, 2, c->p_target, 4, e));
        CK(tbl_set_num(t, (size_t)r, 3, c->loss, 4, e));
    }
    return t;
fail:
    tbl_free(t);
    return NULL;
}

static tbl *S_build_logp(const ex_model *m, lb_err *e)
{
    tbl *t = tbl_new("logp", 3, e);
    if (!t)
        return NULL;
    CK(tbl_set_caption(t, "$\\log p$ and $-\\log p$ at a few probabilities", e));
    CK(tbl_set_header(t, 0, "$p$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 1, "$\\log p$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 2, "$-\\log p$", TBL_DECIMAL, e));
    for (int i = 0; i < EX_NLOGP; i++) {
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        CK(tbl_set_num(t, (size_t)r, 0, m->logp[i].p, 2, e));
        CK(tbl_set_num(t, (size_t)r, 1, m->logp[i].logp, 4, e));
        CK(tbl_set_num(t, (size_t)r, 2, m->logp[i].neglogp, 4, e));
    }
    return t;
fail:
    tbl_free(t);
    return NULL;
}

static tbl *S_build_bce(const ex_model *m, lb_err *e)
{
    tbl *t = tbl_new("bce", 3, e);
    if (!t)
        return NULL;
    CK(tbl_set_caption(t, "Binary cross-entropy $-[y \\log Q + (1 - y) \\log(1 - Q)]$ for the true label $y = 1$", e));
    CK(tbl_set_header(t, 0, "$Q$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 1, "$y$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 2, "$\\mathcal{L}_{\\text{BCE}}$", TBL_DECIMAL, e));
    for (int i = 0; i < EX_NBCE; i++) {
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        CK(tbl_set_num(t, (size_t)r, 0, m->bce[i].q, 1, e));
        CK(tbl_set_int(t, (size_t)r, 1, (long long)m->bce[i].y, e));
        CK(tbl_set_num(t, (size_t)r, 2, m->bce[i].loss, 4, e));
    }
    return t;
fail:
    tbl_free(t);
    return NULL;
}

static tbl *S_build_multiclass(const ex_model *m, lb_err *e)
{
    tbl *t = tbl_new("multiclass", 4, e);
    char v[256];
    if (!t)
        return NULL;
    CK(tbl_set_caption(t, "Three classes, one prediction $Q$, two possible true classes", e));
    CK(tbl_set_header(t, 0, "$Q$", TBL_LEFT, e));
    CK(tbl_set_header(t, 1, "true class $y$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 2, "$Q(y)$", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 3, "$-\\log Q(y)$", TBL_DECIMAL, e));
    for (int i = 0; i < EX_NMULTI; i++) {
        const ex_multi *x = &m->multi[i];
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        S_vec_text(x->q, 3, v, sizeof v);
        CK(tbl_set_text(t, (size_t)r, 0, v, e));
        CK(tbl_set_int(t, (size_t)r, 1, (long long)x->true_class, e));
        CK(tbl_set_num(t, (size_t)r, 2, x->q_true, 1, e));
        CK(tbl_set_num(t, (size_t)r, 3, x->loss, 4, e));
    }
    return t;
fail:
    tbl_free(t);
    return NULL;
}

static tbl *S_build_grad(const ex_model *m, lb_err *e)
{
    size_t vc = S_token_cols(m);
    tbl *t = tbl_new("grad", 2 + vc + 1, e);
    double *g = malloc(2 * m->V * sizeof *g);
    char h[256];
    if (!t || !g) {
        if (t)
            err_nomem(e);
        goto fail;
    }
    snprintf(h, sizeof h,
             "Gradient rows $p - y$ of the loss with respect to the logits; with the mean reduction "
             "$\\partial L / \\partial z_n = (p_n - y_n) / N$, $N = %zu$", m->N);
    CK(tbl_set_caption(t, h, e));
    CK(tbl_set_header(t, 0, "$n$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 1, "$y_n$", TBL_RIGHT, e));
    for (size_t j = 0; j < vc; j++) {
        snprintf(h, sizeof h, "$j = %zu$", j);
        CK(tbl_set_header(t, 2 + j, h, TBL_DECIMAL, e));
    }
    CK(tbl_set_header(t, 2 + vc, "$\\sum_j$", TBL_DECIMAL, e));
    for (size_t n = 0; n < S_rows_shown(m); n++) {
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        ex_step_row(m, n, NULL, NULL, NULL, g, g + m->V);
        double sum = 0.0;
        for (size_t j = 0; j < m->V; j++)
            sum += g[j];
        CK(tbl_set_int(t, (size_t)r, 0, (long long)n + 1, e));
        CK(tbl_set_int(t, (size_t)r, 1, (long long)m->targets[n], e));
        for (size_t j = 0; j < vc; j++)
            CK(tbl_set_num(t, (size_t)r, 2 + j, g[j], 4, e));
        CK(tbl_set_num(t, (size_t)r, 2 + vc, sum, 4, e));
        if ((size_t)m->targets[n] < vc)
            tbl_mark_cell(t, (size_t)r, 2 + (size_t)m->targets[n], 1);
    }
    snprintf(h, sizeof h,
             "Entry $j$ of row $n$ is $p_{n,j} - [j = y_n]$: negative only at the target, and each row sums to 0. "
             "The mean reduction divides by $N = %zu$.", m->N);
    CK(tbl_set_note(t, h, e));
    CK(S_note_limits(t, m, 1, e));
    free(g);
    return t;
fail:
    free(g);
    tbl_free(t);
    return NULL;
}

static tbl *S_build_gdstep(const ex_model *m, lb_err *e)
{
    tbl *t = tbl_new("gdstep", 5, e);
    char h[256], lr[64];
    if (!t)
        return NULL;
    tbl_snprintf_c(lr, sizeof lr, "%.15g", m->lr);
    snprintf(h, sizeof h,
             "One gradient-descent step on the logits, $z \\leftarrow z - \\eta\\, \\partial L / \\partial z$ "
             "with $\\eta = %s$: the loss at every position before and after", lr);
    CK(tbl_set_caption(t, h, e));
    CK(tbl_set_header(t, 0, "$n$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 1, "$y_n$", TBL_RIGHT, e));
    CK(tbl_set_header(t, 2, "loss before", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 3, "loss after", TBL_DECIMAL, e));
    CK(tbl_set_header(t, 4, "change", TBL_DECIMAL, e));
    for (size_t n = 0; n < S_rows_shown(m); n++) {
        const ex_step *s = &m->steps[n];
        long r = tbl_add_row(t, e);
        if (r < 0)
            goto fail;
        CK(tbl_set_int(t, (size_t)r, 0, (long long)n + 1, e));
        CK(tbl_set_int(t, (size_t)r, 1, (long long)s->target, e));
        CK(tbl_set_num(t, (size_t)r, 2, s->loss, 4, e));
        CK(tbl_set_num(t, (size_t)r, 3, s->loss_after, 4, e));
        CK(tbl_set_num(t, (size_t)r, 4, s->loss_after - s->loss, 4, e));
    }
    long r = tbl_add_row(t, e);
    if (r < 0)
        goto fail;
    CK(tbl_set_text(t, (size_t)r, 0, "mean", e));
    CK(tbl_set_num(t, (size_t)r, 2, m->gd_loss_before, 4, e));
    CK(tbl_set_num(t, (size_t)r, 3, m->gd_loss_after, 4, e));
    CK(tbl_set_num(t, (size_t)r, 4, m->gd_loss_after - m->gd_loss_before, 4, e));
    tbl_total_row(t, (size_t)r, 1);
    CK(S_note_limits(t, m, 0, e));
    return t;
fail:
    tbl_free(t);
    return NULL;
}

/* ---- names ------------------------------------------------------------------------- */

/* Slot index of a table name, or -1. */
static long S_slot(const cat *c, const char *name)
{
    for (int i = 0; i < T_NFIXED; i++)
        if (strcmp(name, S_fixed_names[i]) == 0)
            return i;
    size_t k;
    if (strncmp(name, "step/", 5) == 0 && S_parse_index(name + 5, 1, c->m->N, &k) == 0)
        return (long)(T_NFIXED + k - 1);
    return -1;
}

static tbl *S_build_slot(const cat *c, long slot, lb_err *e)
{
    const ex_model *m = c->m;
    switch (slot) {
    case T_LOGITS: return S_build_logits(m, e);
    case T_RESHAPE: return S_build_reshape(m, e);
    case T_SUMMARY: return S_build_summary(m, e);
    case T_CONFIDENCE: return S_build_confidence(m, e);
    case T_LOGP: return S_build_logp(m, e);
    case T_BCE: return S_build_bce(m, e);
    case T_MULTICLASS: return S_build_multiclass(m, e);
    case T_GRAD: return S_build_grad(m, e);
    case T_GDSTEP: return S_build_gdstep(m, e);
    default: return S_build_step(m, (size_t)(slot - T_NFIXED), e);
    }
}

static char *S_known_tables(const ex_model *m)
{
    char buf[512];
    snprintf(buf, sizeof buf,
             "logits, reshape, step/1..step/%zu, summary, confidence, logp, bce, multiclass, grad, gdstep",
             m->N);
    return strdup(buf);
}

static char *S_known_values(const ex_model *m)
{
    char buf[1024];
    size_t N = m->N, V = m->V;
    snprintf(buf, sizeof buf,
             "shape.B, shape.T, shape.V, shape.N, loss.mean, loss.sum, loss/1..%zu, loss.after/1..%zu, "
             "sumexp/K, sumexp.shift/K, maxlogit/K, lse/K, ptarget/K, target/K, token/K (K = 1..%zu), "
             "tokenname/J, z/K/J, expz/K/J, p/K/J, grad/K/J (J = 0..%zu), gd.lr, gd.loss.before, "
             "gd.loss.after, gd.loss.drop, conf.{high,moderate,low}.{p,loss}, conf.{high,moderate,low}.z/J, "
             "logp.p/I, logp/I, neglogp/I (I = 1..8), bce/I, bce.q/I (I = 1..3), multiclass/2, multiclass/0, "
             "multiclass.q/2, multiclass.q/0",
             N, N, N, V - 1);
    return strdup(buf);
}

/* ---- public ----------------------------------------------------------------------- */

cat *cat_new(const ex_model *m, lb_err *e)
{
    cat *c = NULL;
    if (!m || !m->computed) {
        err_set(e, LB_EXIT_RUNTIME, "catalog: the example has not been computed");
        return NULL;
    }
    c = calloc(1, sizeof *c);
    if (!c)
        goto nomem;
    c->m = m;
    c->nslots = T_NFIXED + m->N;
    c->slots = calloc(c->nslots, sizeof *c->slots);
    c->known_tables = S_known_tables(m);
    c->known_values = S_known_values(m);
    if (!c->slots || !c->known_tables || !c->known_values)
        goto nomem;
    /* Build the fixed tables now so that errors surface here, not later
     * in the renderers; step tables come on demand. */
    for (long i = 0; i < T_NFIXED; i++)
        if (!(c->slots[i] = S_build_slot(c, i, e)))
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
    free(c->known_tables);
    free(c->known_values);
    free(c);
}

const tbl *cat_table(const cat *c, const char *name)
{
    long s = S_slot(c, name);
    if (s < 0)
        return NULL;
    if (!c->slots[s]) {
        lb_err tmp;
        err_clear(&tmp);
        c->slots[s] = S_build_slot(c, s, &tmp);   /* cache: slots is not const */
    }
    return c->slots[s];
}

tbl *cat_table_build(const cat *c, const char *name, lb_err *e)
{
    long s = S_slot(c, name);
    if (s < 0) {
        err_set(e, LB_EXIT_INPUT, "unknown table '%s' (known: %s)", name, c->known_tables);
        return NULL;
    }
    return S_build_slot(c, s, e);
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
    if (i >= c->nslots)
        return -1;
    int r;
    if (i < T_NFIXED)
        r = snprintf(buf, n, "%s", S_fixed_names[i]);
    else
        r = snprintf(buf, n, "step/%zu", i - T_NFIXED + 1);
    return r < 0 || (size_t)r >= n ? -1 : 0;
}

const char *cat_known_tables(const cat *c)
{
    return c->known_tables;
}

const char *cat_known_values(const cat *c)
{
    return c->known_values;
}

/* ---- values ------------------------------------------------------------------------- */

enum { V_REAL, V_INT, V_TEXT, V_SHORT };

typedef struct S_val {
    int kind;
    double v;          /* V_REAL, V_SHORT, V_INT (as double) */
    long long i;       /* V_INT */
    char text[96];     /* V_TEXT */
    int digits;        /* default digits of V_REAL */
} S_val;

static void S_real(S_val *o, double v, int digits)
{
    o->kind = V_REAL;
    o->v = v;
    o->digits = digits;
}

static void S_int(S_val *o, long long i)
{
    o->kind = V_INT;
    o->i = i;
    o->v = (double)i;
}

/* name = prefix + "/" + index -> index (checked against [min, max]). */
static int S_suffix(const char *name, const char *prefix, size_t min, size_t max,
                    size_t *k)
{
    size_t l = strlen(prefix);
    if (strncmp(name, prefix, l) != 0 || name[l] != '/')
        return 0;
    return S_parse_index(name + l + 1, min, max, k) == 0;
}

/* name = prefix + "/K/J" -> (K, J). */
static int S_suffix2(const char *name, const char *prefix, size_t kmax, size_t jmax,
                     size_t *k, size_t *j)
{
    size_t l = strlen(prefix);
    if (strncmp(name, prefix, l) != 0 || name[l] != '/')
        return 0;
    const char *a = name + l + 1;
    const char *slash = strchr(a, '/');
    if (!slash || slash - a > 20)
        return 0;
    char kb[24];
    memcpy(kb, a, (size_t)(slash - a));
    kb[slash - a] = '\0';
    return S_parse_index(kb, 1, kmax, k) == 0 && S_parse_index(slash + 1, 0, jmax, j) == 0;
}

/* One logit without a row buffer. */
static double S_logit(const ex_model *m, size_t n, size_t j)
{
    if (m->dtype == EX_F64) {
        double z;
        memcpy(&z, (const unsigned char *)m->lraw + (n * m->V + j) * sizeof z, sizeof z);
        return z;
    }
    float z;
    memcpy(&z, (const unsigned char *)m->lraw + (n * m->V + j) * sizeof z, sizeof z);
    return z;
}

static int S_lookup(const cat *c, const char *name, S_val *o)
{
    const ex_model *m = c->m;
    size_t N = m->N, V = m->V, k, j;
    memset(o, 0, sizeof *o);
    if (!strcmp(name, "shape.B")) { S_int(o, (long long)m->B); return 0; }
    if (!strcmp(name, "shape.T")) { S_int(o, (long long)m->T); return 0; }
    if (!strcmp(name, "shape.V")) { S_int(o, (long long)m->V); return 0; }
    if (!strcmp(name, "shape.N")) { S_int(o, (long long)m->N); return 0; }
    if (!strcmp(name, "loss.mean")) { S_real(o, m->loss_mean, 4); return 0; }
    if (!strcmp(name, "loss.sum")) { S_real(o, m->loss_sum, 4); return 0; }
    if (!strcmp(name, "gd.lr")) { o->kind = V_SHORT; o->v = m->lr; o->digits = 4; return 0; }
    if (!strcmp(name, "gd.loss.before")) { S_real(o, m->gd_loss_before, 4); return 0; }
    if (!strcmp(name, "gd.loss.after")) { S_real(o, m->gd_loss_after, 4); return 0; }
    if (!strcmp(name, "gd.loss.drop")) {
        S_real(o, m->gd_loss_before - m->gd_loss_after, 4);
        return 0;
    }
    if (S_suffix(name, "loss", 1, N, &k)) { S_real(o, m->steps[k - 1].loss, 4); return 0; }
    if (S_suffix(name, "loss.after", 1, N, &k)) { S_real(o, m->steps[k - 1].loss_after, 4); return 0; }
    if (S_suffix(name, "sumexp", 1, N, &k)) { S_real(o, m->steps[k - 1].sumexp, 4); return 0; }
    if (S_suffix(name, "sumexp.shift", 1, N, &k)) { S_real(o, m->steps[k - 1].sumexp_shift, 4); return 0; }
    if (S_suffix(name, "maxlogit", 1, N, &k)) {
        S_real(o, m->steps[k - 1].maxz, S_input_digits(m->steps[k - 1].maxz));
        return 0;
    }
    if (S_suffix(name, "lse", 1, N, &k)) { S_real(o, m->steps[k - 1].lse, 4); return 0; }
    if (S_suffix(name, "ptarget", 1, N, &k)) { S_real(o, m->steps[k - 1].p_target, 4); return 0; }
    if (S_suffix(name, "target", 1, N, &k)) { S_int(o, (long long)m->steps[k - 1].target); return 0; }
    if (S_suffix(name, "token", 1, N, &k)) {
        o->kind = V_TEXT;
        S_token(m, (size_t)m->steps[k - 1].target, o->text, sizeof o->text);
        return 0;
    }
    if (S_suffix(name, "tokenname", 0, V - 1, &j)) {
        o->kind = V_TEXT;
        S_token(m, j, o->text, sizeof o->text);
        return 0;
    }
    if (S_suffix2(name, "z", N, V - 1, &k, &j)) {
        double z = S_logit(m, k - 1, j);
        S_real(o, z, S_input_digits(z));
        return 0;
    }
    int is_expz = S_suffix2(name, "expz", N, V - 1, &k, &j);
    int is_p = !is_expz && S_suffix2(name, "p", N, V - 1, &k, &j);
    int is_g = !is_expz && !is_p && S_suffix2(name, "grad", N, V - 1, &k, &j);
    if (is_expz || is_p || is_g) {
        /* One element, computed like ex_step_row does (no V-sized buffer). */
        const ex_step *st = &m->steps[k - 1];
        double z = S_logit(m, k - 1, j);
        double p = exp(z - st->maxz) / st->sumexp_shift;
        double x = is_expz ? exp(z) : is_p ? p : p - ((int64_t)j == st->target ? 1.0 : 0.0);
        S_real(o, x, 4);
        return 0;
    }
    for (int i = 0; i < EX_NCONF; i++) {
        const ex_conf *cf = &m->conf[i];
        char pre[48];
        snprintf(pre, sizeof pre, "conf.%s.", cf->name);
        size_t pl = strlen(pre);
        if (strncmp(name, pre, pl) != 0)
            continue;
        if (!strcmp(name + pl, "p")) { S_real(o, cf->p_target, 4); return 0; }
        if (!strcmp(name + pl, "loss")) { S_real(o, cf->loss, 4); return 0; }
        snprintf(pre, sizeof pre, "conf.%s.z", cf->name);
        if (S_suffix(name, pre, 0, cf->V - 1, &j)) {
            S_real(o, cf->z[j], S_input_digits(cf->z[j]));
            return 0;
        }
    }
    if (S_suffix(name, "logp.p", 1, EX_NLOGP, &k)) { S_real(o, m->logp[k - 1].p, 2); return 0; }
    if (S_suffix(name, "logp", 1, EX_NLOGP, &k)) { S_real(o, m->logp[k - 1].logp, 4); return 0; }
    if (S_suffix(name, "neglogp", 1, EX_NLOGP, &k)) { S_real(o, m->logp[k - 1].neglogp, 4); return 0; }
    if (S_suffix(name, "bce", 1, EX_NBCE, &k)) { S_real(o, m->bce[k - 1].loss, 4); return 0; }
    if (S_suffix(name, "bce.q", 1, EX_NBCE, &k)) { S_real(o, m->bce[k - 1].q, 1); return 0; }
    for (int i = 0; i < EX_NMULTI; i++) {
        const ex_multi *x = &m->multi[i];
        char nm[40];
        snprintf(nm, sizeof nm, "multiclass/%lld", (long long)x->true_class);
        if (!strcmp(name, nm)) { S_real(o, x->loss, 4); return 0; }
        snprintf(nm, sizeof nm, "multiclass.q/%lld", (long long)x->true_class);
        if (!strcmp(name, nm)) { S_real(o, x->q_true, 1); return 0; }
    }
    return -1;
}

int cat_has_value(const cat *c, const char *name)
{
    S_val v;
    return S_lookup(c, name, &v) == 0;
}

int cat_value_get(const cat *c, const char *name, double *v)
{
    S_val x;
    if (S_lookup(c, name, &x) != 0 || x.kind == V_TEXT)
        return -1;
    *v = x.v;
    return 0;
}

int cat_value_format(const cat *c, const char *spec, char *buf, size_t n,
                     lb_err *e)
{
    char name[256];
    const char *q = strchr(spec, '?');
    size_t nl = q ? (size_t)(q - spec) : strlen(spec);
    int digits = -1;
    S_val v;
    if (nl >= sizeof name)
        return err_set(e, LB_EXIT_INPUT, "unknown value '%.40s...' (name too long)", spec);
    memcpy(name, spec, nl);
    name[nl] = '\0';
    if (S_lookup(c, name, &v) != 0)
        return err_set(e, LB_EXIT_INPUT, "unknown value '%s' (known: %s)", name,
                       c->known_values);
    if (q) {
        size_t d;
        if (strncmp(q + 1, "digits=", 7) != 0 || S_parse_index(q + 8, 0, 17, &d) != 0)
            return err_set(e, LB_EXIT_INPUT,
                           "bad query '%s' in value '%s' (expected ?digits=N with N = 0..17)",
                           q + 1, spec);
        if (v.kind == V_TEXT)
            return err_set(e, LB_EXIT_INPUT, "value '%s' is text and takes no ?digits", name);
        digits = (int)d;
    }
    int r;
    switch (v.kind) {
    case V_INT:   /* ?digits=N on an integer: N zero decimals ("6.00") */
        r = digits > 0 ? tbl_fmt_fixed(v.v, digits, buf, n) : snprintf(buf, n, "%lld", v.i);
        break;
    case V_TEXT:
        r = snprintf(buf, n, "%s", v.text);
        break;
    case V_SHORT:
        if (digits >= 0)
            r = tbl_fmt_fixed(v.v, digits, buf, n);
        else
            r = tbl_snprintf_c(buf, n, "%.15g", v.v);
        break;
    default:
        r = tbl_fmt_fixed(v.v, digits >= 0 ? digits : v.digits, buf, n);
        break;
    }
    if (r < 0 || (size_t)r >= n)
        return err_set(e, LB_EXIT_RUNTIME, "value '%s' does not fit its buffer", name);
    return 0;
}
