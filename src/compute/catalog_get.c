/* catalog_get — see catalog_get.h.  Getters are pure functions of the
 * model; they return -1 when their arguments name nothing (for instance a
 * target probability at an ignored position). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/catalog_get.h"
#include "compute/catalog_pick.h"

/* The fewest digits (1..4) that show v as typed (2.0 -> 1, 0.25 -> 2). */
int cat_get_input_digits(double v)
{
    double scale = 10.0;
    for (int d = 1; d <= 4; d++, scale *= 10.0) {
        double x = v * scale;
        if (fabs(x - nearbyint(x)) <= 1e-9 * fmax(1.0, fabs(x)))
            return d;
    }
    return 4;
}

/* ---- fields ------------------------------------------------------------------ */

static const char *S_field(const ex_model *m, const cat_value_decl *d, const size_t *a)
{
    const void *r;
    switch (d->rec) {
    case CAT_REC_STEP:
    case CAT_REC_ASTEP: r = &m->steps[a[0]]; break;
    case CAT_REC_SCEN: r = &m->scen[a[0]]; break;
    case CAT_REC_LOGP: r = &m->logp[a[0]]; break;
    case CAT_REC_BCE: r = &m->bce[a[0]]; break;
    case CAT_REC_MULTI: r = &m->multi[a[0]]; break;
    default: r = m; break;
    }
    return (const char *)r + d->off;
}

static int S_undefined(const ex_model *m, const cat_value_decl *d, const size_t *a)
{
    return d->rec == CAT_REC_ASTEP && m->steps[a[0]].ignored;
}

int cat_get_dbl(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    if (S_undefined(m, d, a))
        return -1;
    memcpy(&o->v, S_field(m, d, a), sizeof o->v);
    return 0;
}

int cat_get_size(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    size_t x;
    if (S_undefined(m, d, a))
        return -1;
    memcpy(&x, S_field(m, d, a), sizeof x);
    o->v = (double)x;
    return 0;
}

int cat_get_size1(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    if (cat_get_size(m, d, a, o) != 0)
        return -1;
    o->v += 1.0;
    return 0;
}

int cat_get_i64(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    int64_t x;
    if (S_undefined(m, d, a))
        return -1;
    memcpy(&x, S_field(m, d, a), sizeof x);
    o->v = (double)x;
    return 0;
}

int cat_get_int(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    int x;
    if (S_undefined(m, d, a))
        return -1;
    memcpy(&x, S_field(m, d, a), sizeof x);
    o->v = (double)x;
    return 0;
}

/* ---- text -------------------------------------------------------------------- */

static void S_token_text(const ex_model *m, size_t j, char *buf, size_t n)
{
    const char *nm = ex_token_name(m, j);
    if (nm)
        snprintf(buf, n, "%s", nm);
    else
        snprintf(buf, n, "%zu", j);
}

int cat_get_shape_text(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)a;
    switch (d->off) {
    case CAT_SHAPE_BTV:
        snprintf(o->text, sizeof o->text, "[%zu, %zu, %zu]", m->B, m->T, m->V);
        break;
    case CAT_SHAPE_NV:
        snprintf(o->text, sizeof o->text, "[%zu, %zu]", m->N, m->V);
        break;
    case CAT_SHAPE_BT:
        snprintf(o->text, sizeof o->text, "[%zu, %zu]", m->B, m->T);
        break;
    default:
        snprintf(o->text, sizeof o->text, "[%zu]", m->N);
        break;
    }
    return 0;
}

int cat_get_token(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    int64_t j;
    switch (d->off) {
    case CAT_TOKEN_J:
        j = (int64_t)a[0];
        break;
    case CAT_TOKEN_TARGET:
        j = m->steps[a[0]].ignored ? -1 : m->steps[a[0]].target;
        break;
    case CAT_TOKEN_ARGMAX:
        j = m->steps[a[0]].argmax;
        break;
    default:
        j = m->steps[a[0]].rival;
        break;
    }
    if (j < 0)
        return -1;
    S_token_text(m, (size_t)j, o->text, sizeof o->text);
    return 0;
}

int cat_get_tokens(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)a;
    if (d->off == CAT_TOKENS_NAMED) {
        o->v = m->tokens != NULL;
        return 0;
    }
    /* "0 = the, 1 = cat, ..." for the first twelve */
    size_t u = 0, cap = sizeof o->text;
    o->text[0] = '\0';
    for (size_t j = 0; j < m->V && j < 12 && u < cap; j++) {
        char nm[80];
        S_token_text(m, j, nm, sizeof nm);
        int w = snprintf(o->text + u, cap - u, "%s%zu = %s", j ? ", " : "", j, nm);
        if (w < 0 || (size_t)w >= cap - u) {
            o->text[u] = '\0';
            break;
        }
        u += (size_t)w;
    }
    if (m->V > 12 && u + 8 < cap)
        snprintf(o->text + u, cap - u, ", \xe2\x80\xa6");
    return 0;
}

/* ---- positions ----------------------------------------------------------------- */

int cat_get_pos(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    switch (d->off) {
    case CAT_POS_FIRST: o->v = (double)m->k_first + 1; break;
    case CAT_POS_BEST: o->v = (double)m->k_best + 1; break;
    case CAT_POS_WORST: o->v = (double)m->k_worst + 1; break;
    case CAT_POS_INDEX: o->v = (double)a[0]; break;
    default: {   /* the position whose loss the step lowers most */
        size_t best = m->k_first;
        for (size_t n = 0; n < m->N; n++) {
            const ex_step *s = &m->steps[n];
            if (!s->ignored && s->loss - s->loss_after >
                                   m->steps[best].loss - m->steps[best].loss_after)
                best = n;
        }
        o->v = (double)best + 1;
        break;
    }
    }
    return 0;
}

/* The caption of step table K. */
static void S_step_caption(const ex_model *m, size_t k, char *buf, size_t n)
{
    const ex_step *s = &m->steps[k];
    int u = snprintf(buf, n, "Position %zu ($b = %zu$, $t = %zu$): ", k + 1, s->b + 1, s->t + 1);
    if (u < 0 || (size_t)u >= n)
        return;
    if (s->ignored) {
        snprintf(buf + u, n - (size_t)u, "target %lld, the ignore index: no loss",
                 (long long)s->target);
        return;
    }
    char nll[64], loss[64], tok[80];
    tbl_fmt_fixed(s->nll, 4, nll, sizeof nll);
    tbl_fmt_fixed(s->loss, 4, loss, sizeof loss);
    const char *nm = ex_token_name(m, (size_t)s->target);
    if (nm)
        snprintf(tok, sizeof tok, " (%s)", nm);
    else
        tok[0] = '\0';
    int plain = !m->weight && m->ce.label_smoothing == 0.0;
    snprintf(buf + u, n - (size_t)u, "target token %lld%s, $-\\log p_{\\text{target}} = %s$%s%s%s",
             (long long)s->target, tok, nll, plain ? "" : ", loss $\\ell_n = ", plain ? "" : loss,
             plain ? "" : "$");
}

int cat_get_step(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    const ex_step *s = &m->steps[a[0]];
    switch (d->off) {
    case CAT_STEP_TIED:
        o->v = (double)s->nmax - 1;
        return 0;
    case CAT_STEP_AHEAD:
        if (s->ignored)
            return -1;
        o->v = (double)s->rank - 1;
        return 0;
    case CAT_STEP_CORRECT:
        if (s->ignored)
            return -1;
        o->v = s->argmax == s->target;
        return 0;
    case CAT_STEP_CHANGE:
        o->v = s->loss_after - s->loss;
        return 0;
    case CAT_STEP_PSUM:
    case CAT_STEP_GRADSUM: {
        /* exactly 1 and 0, as the mathematics says, where adding the
         * rounded entries is off by an ulp or two (num_softmax_total); the
         * gradient row with options is p * scale - q, and q sums to scale */
        double *buf = malloc(m->V * sizeof *buf);
        if (!buf)
            return -1;
        double tot = num_softmax_total(ex_row(m, a[0], buf), m->V);
        free(buf);
        if (d->off == CAT_STEP_PSUM) {
            o->v = tot;
        } else if (s->ignored) {
            o->v = 0.0;
        } else {
            double eps = m->ce.label_smoothing, V = (double)m->V, wall = V;
            if (m->weight) {
                wall = 0.0;
                for (size_t c = 0; c < m->V; c++)
                    wall += m->weight[c];
            }
            double wy = m->weight ? m->weight[s->target] : 1.0;
            o->v = ((1.0 - eps) * wy + eps / V * wall) * (tot - 1.0);
        }
        return 0;
    }
    default:
        S_step_caption(m, a[0], o->text, sizeof o->text);
        return 0;
    }
}

/* Per-token quantities of position K, one element at a time with the same
 * arithmetic as ex_step_row (so a value and its table cell agree). */
int cat_get_tok(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    const ex_step *s = &m->steps[a[0]];
    double z = ex_logit(m, a[0], a[1]);
    if (d->off <= CAT_TOK_EXPZ) {
        o->v = d->off == CAT_TOK_Z ? z : d->off == CAT_TOK_ZSHIFT ? z - s->maxz : exp(z);
        return 0;
    }
    double es = exp(z - s->maxz), p = es / s->sumexp_shift;
    if (d->off == CAT_TOK_EXPZSHIFT) {
        o->v = es;
    } else if (d->off == CAT_TOK_P) {
        o->v = p;
    } else if (s->ignored) {
        o->v = 0.0;
    } else {
        /* d l_n / d z_j = p_j ((1-eps) w_y + eps/V W) - ((1-eps) w_y [j=y] + eps/V w_j) */
        double eps = m->ce.label_smoothing, V = (double)m->V, wall = V;
        double wy = m->weight ? m->weight[s->target] : 1.0;
        if (m->weight) {
            wall = 0.0;
            for (size_t c = 0; c < m->V; c++)
                wall += m->weight[c];
        }
        double q = eps / V * (m->weight ? m->weight[a[1]] : 1.0) +
                   ((int64_t)a[1] == s->target ? (1.0 - eps) * wy : 0.0);
        o->v = p * ((1.0 - eps) * wy + eps / V * wall) - q;
    }
    return 0;
}

/* ---- the model ---------------------------------------------------------------- */

int cat_get_is_plain(const ex_model *m)
{
    return !m->weight && m->ce.label_smoothing == 0.0 && m->n_active == m->N;
}

int cat_get_not_plain(const ex_model *m)
{
    return !cat_get_is_plain(m);
}

int cat_get_named(const ex_model *m)
{
    return m->tokens != NULL;
}

int cat_get_model(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)a;
    static const char *const red[] = {"mean", "sum", "none"};
    switch (d->off) {
    case CAT_M_LNV: o->v = log((double)m->V); break;
    case CAT_M_PLAIN: o->v = cat_get_is_plain(m); break;
    case CAT_M_WEIGHTED: o->v = m->weight != NULL; break;
    case CAT_M_REDUCTION:
        snprintf(o->text, sizeof o->text, "%s", red[m->ce.reduction % 3]);
        break;
    case CAT_M_REDUCED_NAME:
        snprintf(o->text, sizeof o->text, "%s",
                 m->ce.reduction == NUM_REDUCTION_MEAN ? "mean" : "sum");
        break;
    case CAT_M_SOURCE: o->v = ex_is_source(m); break;
    case CAT_M_TOPK: o->v = (double)cat_pick_topk(m); break;
    case CAT_M_ALLTOK: o->v = cat_pick_all_tokens(m); break;
    case CAT_M_POINTS:
    case CAT_M_POINTS_SUB: {
        size_t idx[EX_MAX_POINTS];
        size_t k = ex_points(m, idx);
        o->v = d->off == CAT_M_POINTS ? (double)k : k < m->n_active;
        break;
    }
    case CAT_M_IGNORED: o->v = (double)(m->N - m->n_active); break;
    case CAT_M_GD_CHANGE: o->v = m->gd_loss_after - m->gd_loss_before; break;
    case CAT_M_GD_DROP: o->v = m->gd_loss_before - m->gd_loss_after; break;
    case CAT_M_MAXDROP: {
        double best = -INFINITY;
        for (size_t n = 0; n < m->N; n++)
            if (!m->steps[n].ignored && m->steps[n].loss - m->steps[n].loss_after > best)
                best = m->steps[n].loss - m->steps[n].loss_after;
        o->v = best;
        break;
    }
    case CAT_M_OTHERS:
        snprintf(o->text, sizeof o->text, "%s", m->tokens ? "" : "others");
        break;
    case CAT_M_LEAD_BY: o->v = EX_SCEN_LEAD_BY; break;
    case CAT_M_SCEN_RIVAL: o->v = m->scen[0].z_rival; break;   /* the same in every scenario */
    case CAT_M_TRAIL_BY: o->v = EX_SCEN_TRAIL_BY; break;
    case CAT_M_SUMMARY_NOTE:
        if (cat_get_is_plain(m))
            snprintf(o->text, sizeof o->text, "The mean is over all positions: "
                     "$\\mathcal{L} = \\frac{1}{N} \\sum_n -\\log p_{\\text{target}}$.");
        else
            snprintf(o->text, sizeof o->text, "$\\ell_n$ is the loss of position $n$ with the "
                     "example's options (0 where the target is ignored); the mean divides "
                     "$\\sum_n \\ell_n$ by %s.",
                     m->weight ? "the sum of the target weights $\\sum_n w_{y_n}$"
                               : "the number of positions that count");
        break;
    default:   /* CAT_M_GRAD_NOTE */
        if (cat_get_is_plain(m))
            snprintf(o->text, sizeof o->text, "Entry $j$ of row $n$ is $p_{n,j} - [j = y_n]$: "
                     "negative only at the target, and each row sums to 0. The mean reduction "
                     "divides by $N = %zu$.", m->N);
        else
            snprintf(o->text, sizeof o->text, "Entry $j$ of row $n$ is $\\partial \\ell_n / "
                     "\\partial z_{n,j}$, the softmax times a constant minus the smoothed, "
                     "weighted target; each row sums to 0, and ignored rows are 0.%s",
                     m->ce.reduction == NUM_REDUCTION_MEAN
                         ? " The mean reduction divides by the same sum as the loss." : "");
        break;
    }
    return 0;
}

/* ---- random logits ---------------------------------------------------------------- */

size_t cat_get_nrand(const ex_model *m)
{
    return m->n_rand;
}

static size_t S_rand_row(const ex_model *m, size_t V)
{
    for (size_t i = 0; i < m->n_rand; i++)
        if (m->rand_v[i] == V)
            return i;
    return 0;   /* unreachable: both are always in the list */
}

int cat_get_rand(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    size_t i = d->off >= CAT_RAND_BIG_V && d->off < CAT_RAND_EX_S1 ? S_rand_row(m, EX_RAND_BIG_V)
             : d->off >= CAT_RAND_EX_S1 ? S_rand_row(m, m->V) : a[0];
    switch (d->off) {
    case CAT_RAND_V:
    case CAT_RAND_BIG_V: o->v = (double)m->rand_v[i]; break;
    case CAT_RAND_LNV:
    case CAT_RAND_BIG_LNV: o->v = log((double)m->rand_v[i]); break;
    case CAT_RAND_S1:
    case CAT_RAND_BIG_S1:
    case CAT_RAND_EX_S1: o->v = m->rand_loss[i][0]; break;
    case CAT_RAND_S2:
    case CAT_RAND_BIG_S2:
    default: o->v = m->rand_loss[i][1]; break;   /* CAT_RAND_EX_S2 */
    }
    return 0;
}

/* ---- small vectors and domains ---------------------------------------------------- */

/* "$[0.1, 0.2, 0.7]$": a short vector as typed, trailing zeros trimmed. */
int cat_get_vec(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)d;
    const double *z = m->multi[a[0]].q;
    size_t n = sizeof m->multi[a[0]].q / sizeof z[0], cap = sizeof o->text, used = 0;
    used += (size_t)snprintf(o->text, cap, "$[");
    for (size_t i = 0; i < n && used < cap; i++) {
        char num[64];
        tbl_fmt_fixed(z[i], cat_get_input_digits(z[i]), num, sizeof num);
        used += (size_t)snprintf(o->text + used, cap - used, "%s%s", i ? ", " : "", num);
    }
    if (used < cap)
        snprintf(o->text + used, cap - used, "]$");
    return 0;
}

void cat_get_show_scen(const ex_model *m, size_t i, cat_val *o)
{
    snprintf(o->text, sizeof o->text, "%s", m->scen[i].name);
}

void cat_get_show_class(const ex_model *m, size_t i, cat_val *o)
{
    o->v = (double)m->multi[i].true_class;
    snprintf(o->text, sizeof o->text, "%lld", (long long)m->multi[i].true_class);
}

int cat_get_scen_label(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)m;
    (void)d;
    static const char *const lab[EX_NSCEN] = {"as given", "leads by 3", "level", "trails by 1"};
    snprintf(o->text, sizeof o->text, "%s", lab[a[0] % EX_NSCEN]);
    return 0;
}
