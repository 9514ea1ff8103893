/* catalog_decl — the catalog's domains, values and tables, declared; see
 * catalog_decl.h.  Getters are pure functions of the model. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "compute/catalog_decl.h"

#define S_N(a) (sizeof (a) / sizeof (a)[0])
#define S_COLS(a) (a), S_N(a)

int cat_decl_input_digits(double v)
{
    double scale = 10.0;
    for (int d = 1; d <= 4; d++, scale *= 10.0) {
        double x = v * scale;
        if (fabs(x - nearbyint(x)) <= 1e-9 * fmax(1.0, fabs(x)))
            return d;
    }
    return 4;
}

/* ---- domains ------------------------------------------------------------- */

static size_t S_npos(const ex_model *m) { return m->N; }
static size_t S_ntok(const ex_model *m) { return m->V; }
static size_t S_nconf(const ex_model *m) { (void)m; return EX_NCONF; }
static size_t S_nconfz(const ex_model *m) { return S_N(m->conf[0].z); }
static size_t S_nlogp(const ex_model *m) { (void)m; return EX_NLOGP; }
static size_t S_nbce(const ex_model *m) { (void)m; return EX_NBCE; }
static size_t S_nmulti(const ex_model *m) { (void)m; return EX_NMULTI; }

static void S_show_conf(const ex_model *m, size_t i, cat_val *o)
{
    snprintf(o->text, sizeof o->text, "%s", m->conf[i].name);
}

static void S_show_class(const ex_model *m, size_t i, cat_val *o)
{
    o->v = (double)m->multi[i].true_class;
    snprintf(o->text, sizeof o->text, "%lld", (long long)m->multi[i].true_class);
}

const cat_dom cat_decl_domains[] = {
    {'K', "positions", S_npos, 1, NULL, 1, "position n = (b-1)T + t, 1..N"},
    {'J', "tokens", S_ntok, 0, NULL, 1, "token index, 0..V-1 (as in the targets)"},
    {'S', "scenarios", S_nconf, 0, S_show_conf, 0, "confidence scenario: high, moderate, low"},
    {'E', "entries", S_nconfz, 0, NULL, 1, "entry of a scenario's logit vector, 0..4"},
    {'L', "rows", S_nlogp, 1, NULL, 1, "row of the log p table, 1..8"},
    {'Q', "rows", S_nbce, 1, NULL, 1, "row of the binary cross-entropy table, 1..3"},
    {'C', "classes", S_nmulti, 0, S_show_class, 1, "true class of the multiclass example: 2, 0"},
};
const size_t cat_decl_ndomains = S_N(cat_decl_domains);

/* ---- getters ------------------------------------------------------------- */

/* Records the field getters read; the first slot picks the element. */
enum { S_REC_MODEL, S_REC_STEP, S_REC_CONF, S_REC_LOGP, S_REC_BCE, S_REC_MULTI };

static const char *S_field(const ex_model *m, const cat_value_decl *d, const size_t *a)
{
    const void *r;
    switch (d->rec) {
    case S_REC_STEP: r = &m->steps[a[0]]; break;
    case S_REC_CONF: r = &m->conf[a[0]]; break;
    case S_REC_LOGP: r = &m->logp[a[0]]; break;
    case S_REC_BCE: r = &m->bce[a[0]]; break;
    case S_REC_MULTI: r = &m->multi[a[0]]; break;
    default: r = m; break;
    }
    return (const char *)r + d->off;
}

static int S_dbl(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    memcpy(&o->v, S_field(m, d, a), sizeof o->v);
    return 0;
}

static int S_size(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    size_t x;
    memcpy(&x, S_field(m, d, a), sizeof x);
    o->v = (double)x;
    return 0;
}

/* A 0-based size_t field shown 1-based (a position's b and t). */
static int S_size1(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    S_size(m, d, a, o);
    o->v += 1.0;
    return 0;
}

static int S_i64(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    int64_t x;
    memcpy(&x, S_field(m, d, a), sizeof x);
    o->v = (double)x;
    return 0;
}

/* Display name of token j: its JSON name, or its index. */
static void S_token_text(const ex_model *m, size_t j, cat_val *o)
{
    const char *nm = ex_token_name(m, j);
    if (nm)
        snprintf(o->text, sizeof o->text, "%s", nm);
    else
        snprintf(o->text, sizeof o->text, "%zu", j);
}

static int S_tokenname(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)d;
    S_token_text(m, a[0], o);
    return 0;
}

static int S_target_name(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)d;
    S_token_text(m, (size_t)m->steps[a[0]].target, o);
    return 0;
}

static int S_pos_index(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)m;
    (void)d;
    o->v = (double)a[0];
    return 0;
}

/* Changes made by the gradient-descent step (after - before; "drop" is
 * before - after, selected by off = 1). */
static int S_loss_change(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)d;
    o->v = m->steps[a[0]].loss_after - m->steps[a[0]].loss;
    return 0;
}

static int S_gd_change(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)a;
    o->v = d->off ? m->gd_loss_before - m->gd_loss_after : m->gd_loss_after - m->gd_loss_before;
    return 0;
}

/* Per-token quantities of position K, one element at a time with the same
 * arithmetic as ex_step_row (so a value and its table cell agree). */
enum { S_TOK_Z, S_TOK_ZSHIFT, S_TOK_EXPZ, S_TOK_EXPZSHIFT, S_TOK_P, S_TOK_GRAD };

static int S_tok(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    const ex_step *s = &m->steps[a[0]];
    double z = ex_logit(m, a[0], a[1]);
    if (d->off <= S_TOK_EXPZ) {
        o->v = d->off == S_TOK_Z ? z : d->off == S_TOK_ZSHIFT ? z - s->maxz : exp(z);
        return 0;
    }
    double es = exp(z - s->maxz), p = es / s->sumexp_shift;
    if (d->off == S_TOK_EXPZSHIFT)
        o->v = es;
    else if (d->off == S_TOK_P)
        o->v = p;
    else
        o->v = p - ((int64_t)a[1] == s->target ? 1.0 : 0.0);
    return 0;
}

/* "$[5, 1, 0.1, 0, -1]$": a short vector as typed, trailing zeros trimmed. */
static void S_vec_text(const double *z, size_t n, cat_val *o)
{
    size_t cap = sizeof o->text, used = 0;
    used += (size_t)snprintf(o->text, cap, "$[");
    for (size_t i = 0; i < n && used < cap; i++) {
        char num[64];
        tbl_fmt_fixed(z[i], cat_decl_input_digits(z[i]), num, sizeof num);
        char *dot = strchr(num, '.');
        if (dot) {
            char *end = num + strlen(num) - 1;
            while (end > dot && *end == '0')
                *end-- = '\0';
            if (end == dot)
                *end = '\0';
        }
        used += (size_t)snprintf(o->text + used, cap - used, "%s%s", i ? ", " : "", num);
    }
    if (used < cap)
        snprintf(o->text + used, cap - used, "]$");
}

static int S_conf_z(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)d;
    const ex_conf *c = &m->conf[a[0]];
    if (a[1] >= c->V)
        return -1;
    o->v = c->z[a[1]];
    return 0;
}

static int S_conf_vec(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)d;
    S_vec_text(m->conf[a[0]].z, m->conf[a[0]].V, o);
    return 0;
}

static int S_multi_vec(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o)
{
    (void)d;
    S_vec_text(m->multi[a[0]].q, S_N(m->multi[a[0]].q), o);
    return 0;
}

/* ---- values -------------------------------------------------------------- */

#define S_MODEL(f) S_REC_MODEL, offsetof(ex_model, f)
#define S_STEP(f) S_REC_STEP, offsetof(ex_step, f)
#define S_CALC(k) 0, (k)

const cat_value_decl cat_decl_values[] = {
    {"shape.B", S_size, S_MODEL(B), CAT_FMT_INT, "batch size B"},
    {"shape.T", S_size, S_MODEL(T), CAT_FMT_INT, "sequence length T"},
    {"shape.V", S_size, S_MODEL(V), CAT_FMT_INT, "vocabulary size V"},
    {"shape.N", S_size, S_MODEL(N), CAT_FMT_INT, "positions N = B T"},
    {"loss.mean", S_dbl, S_MODEL(loss_mean), 4, "mean cross-entropy over the positions"},
    {"loss.sum", S_dbl, S_MODEL(loss_sum), 4, "sum of the positions' losses"},
    {"loss/{K}", S_dbl, S_STEP(loss), 4, "-log p_target at position K"},
    {"loss.after/{K}", S_dbl, S_STEP(loss_after), 4, "the same after the gradient-descent step"},
    {"loss.change/{K}", S_loss_change, S_CALC(0), 4, "loss after minus loss before the step"},
    {"sumexp/{K}", S_dbl, S_STEP(sumexp), 4, "sum_j e^{z_j}"},
    {"sumexp.shift/{K}", S_dbl, S_STEP(sumexp_shift), 4, "sum_j e^{z_j - m}"},
    {"maxlogit/{K}", S_dbl, S_STEP(maxz), CAT_FMT_INPUT, "m = max_j z_j"},
    {"lse/{K}", S_dbl, S_STEP(lse), 4, "log-sum-exp m + log sum_j e^{z_j - m}"},
    {"ptarget/{K}", S_dbl, S_STEP(p_target), 4, "p_target"},
    {"target/{K}", S_i64, S_STEP(target), CAT_FMT_INT, "target token index y_n"},
    {"token/{K}", S_target_name, S_CALC(0), CAT_FMT_TEXT, "target token's name (its index if unnamed)"},
    {"pos.b/{K}", S_size1, S_STEP(b), CAT_FMT_INT, "sequence b of position K (1..B)"},
    {"pos.t/{K}", S_size1, S_STEP(t), CAT_FMT_INT, "step t of position K (1..T)"},
    {"pos.index/{K}", S_pos_index, S_CALC(0), CAT_FMT_INT, "0-based row K - 1 of logits.view(-1, V)"},
    {"tokenname/{J}", S_tokenname, S_CALC(0), CAT_FMT_TEXT, "name of token J (its index if unnamed)"},
    {"z/{K}/{J}", S_tok, S_CALC(S_TOK_Z), CAT_FMT_INPUT, "logit z_J at position K"},
    {"z.shift/{K}/{J}", S_tok, S_CALC(S_TOK_ZSHIFT), CAT_FMT_INPUT, "z_J - m"},
    {"expz/{K}/{J}", S_tok, S_CALC(S_TOK_EXPZ), 4, "e^{z_J}"},
    {"expz.shift/{K}/{J}", S_tok, S_CALC(S_TOK_EXPZSHIFT), 4, "e^{z_J - m}"},
    {"p/{K}/{J}", S_tok, S_CALC(S_TOK_P), 4, "softmax p_J"},
    {"grad/{K}/{J}", S_tok, S_CALC(S_TOK_GRAD), 4, "p_J - y_J (the mean reduction divides by N)"},
    {"gd.lr", S_dbl, S_MODEL(lr), CAT_FMT_G15, "learning rate eta"},
    {"gd.loss.before", S_dbl, S_MODEL(gd_loss_before), 4, "mean loss before the step"},
    {"gd.loss.after", S_dbl, S_MODEL(gd_loss_after), 4, "mean loss after the step"},
    {"gd.loss.drop", S_gd_change, S_CALC(1), 4, "before - after"},
    {"gd.loss.change", S_gd_change, S_CALC(0), 4, "after - before"},
    {"conf.{S}.p", S_dbl, S_REC_CONF, offsetof(ex_conf, p_target), 4, "p of the target (token 0)"},
    {"conf.{S}.loss", S_dbl, S_REC_CONF, offsetof(ex_conf, loss), 4, "-log p of the target"},
    {"conf.{S}.z/{E}", S_conf_z, S_CALC(0), CAT_FMT_INPUT, "entry E of the scenario's logits"},
    {"conf.{S}.z", S_conf_vec, S_CALC(0), CAT_FMT_TEXT, "the scenario's logits as $[...]$"},
    {"logp.p/{L}", S_dbl, S_REC_LOGP, offsetof(ex_logp, p), 2, "p of row L of the log p table"},
    {"logp/{L}", S_dbl, S_REC_LOGP, offsetof(ex_logp, logp), 4, "log p"},
    {"neglogp/{L}", S_dbl, S_REC_LOGP, offsetof(ex_logp, neglogp), 4, "-log p"},
    {"bce/{Q}", S_dbl, S_REC_BCE, offsetof(ex_bce, loss), 4, "binary cross-entropy of row Q"},
    {"bce.q/{Q}", S_dbl, S_REC_BCE, offsetof(ex_bce, q), 1, "its Q (0.7, 0.9, 0.2)"},
    {"bce.y/{Q}", S_dbl, S_REC_BCE, offsetof(ex_bce, y), CAT_FMT_INT, "its true label y"},
    {"multiclass/{C}", S_dbl, S_REC_MULTI, offsetof(ex_multi, loss), 4, "-log Q(C)"},
    {"multiclass.q/{C}", S_dbl, S_REC_MULTI, offsetof(ex_multi, q_true), 1, "Q(C)"},
    {"multiclass.dist/{C}", S_multi_vec, S_CALC(0), CAT_FMT_TEXT, "the prediction Q as $[...]$"},
};
const size_t cat_decl_nvalues = S_N(cat_decl_values);

/* ---- tables -------------------------------------------------------------- */

/* Column shorthands: header and alignment; a cell showing a value, the
 * argument itself, or literal text. */
#define S_H(h, a) .head = (h), .align = (a)
#define S_V(pattern) {.value = (pattern)}
#define S_ARG(letter) {.arg = (letter)}
#define S_TEXT(t) {.text = (t)}

/* Columns the per-position tables share. */
#define S_COL_N {S_H("$n$", TBL_RIGHT), .cell = S_ARG('K')}
#define S_COL_B {S_H("$b$", TBL_RIGHT), .cell = S_V("pos.b/{K}")}
#define S_COL_T {S_H("$t$", TBL_RIGHT), .cell = S_V("pos.t/{K}")}
#define S_COL_Y {S_H("$y_n$", TBL_RIGHT), .cell = S_V("target/{K}")}
#define S_COL_TOKEN {S_H("token", TBL_LEFT), .cell = S_V("token/{K}")}

static const cat_col S_logits[] = {
    S_COL_N, S_COL_B, S_COL_T,
    {S_H("$z_{%{J}}$", TBL_DECIMAL), .each = 'J',
     .cell = {.value = "z/{K}/{J}", .fmt = CAT_CELL_LOGITS, .mark = CAT_MARK_TARGET}},
    S_COL_Y,
};

static const cat_col S_reshape[] = {
    S_COL_B, S_COL_T,
    {S_H("$n = (b-1)T + t$", TBL_RIGHT), .cell = S_ARG('K')},
    {S_H("index $n - 1$", TBL_RIGHT), .cell = S_V("pos.index/{K}")},
    S_COL_Y,
    S_COL_TOKEN,
};

static const cat_col S_step[] = {
    {S_H("$j$", TBL_RIGHT), .cell = S_ARG('J'), .total = S_TEXT("$\\sum$")},
    {S_H("token", TBL_LEFT), .cell = S_V("tokenname/{J}")},
    {S_H("$z_j$", TBL_DECIMAL), .cell = {.value = "z/{K}/{J}", .fmt = CAT_CELL_LOGITS}},
    {S_H("$z_j - m$", TBL_DECIMAL), .cell = {.value = "z.shift/{K}/{J}", .fmt = CAT_CELL_LOGITS}},
    {S_H("$e^{z_j}$", TBL_DECIMAL), .cell = S_V("expz/{K}/{J}"), .total = S_V("sumexp/{K}")},
    {S_H("$e^{z_j - m}$", TBL_DECIMAL), .cell = S_V("expz.shift/{K}/{J}"),
     .total = S_V("sumexp.shift/{K}")},
    {S_H("$p_j$", TBL_DECIMAL), .cell = {.value = "p/{K}/{J}", .mark = CAT_MARK_TARGET},
     .total = {.value = "p/{K}/{J}", .sum = 'J'}},
};

static const cat_col S_summary[] = {
    {S_H("$n$", TBL_RIGHT), .cell = S_ARG('K'), .total = S_TEXT("mean")},
    S_COL_B, S_COL_T,
    S_COL_Y,
    S_COL_TOKEN,
    {S_H("$\\sum_j e^{z_j}$", TBL_DECIMAL), .cell = S_V("sumexp/{K}")},
    {S_H("$p_{\\text{target}}$", TBL_DECIMAL), .cell = S_V("ptarget/{K}")},
    {S_H("$-\\log p_{\\text{target}}$", TBL_DECIMAL), .cell = S_V("loss/{K}"),
     .total = {.value = "loss.mean", .mark = CAT_MARK_ALWAYS}},
};

static const cat_col S_confidence[] = {
    {S_H("confidence", TBL_LEFT), .cell = S_ARG('S')},
    {S_H("logits $z$", TBL_LEFT), .cell = S_V("conf.{S}.z")},
    {S_H("$p_0$", TBL_DECIMAL), .cell = S_V("conf.{S}.p")},
    {S_H("$-\\log p_0$", TBL_DECIMAL), .cell = S_V("conf.{S}.loss")},
};

static const cat_col S_logp[] = {
    {S_H("$p$", TBL_DECIMAL), .cell = S_V("logp.p/{L}")},
    {S_H("$\\log p$", TBL_DECIMAL), .cell = S_V("logp/{L}")},
    {S_H("$-\\log p$", TBL_DECIMAL), .cell = S_V("neglogp/{L}")},
};

static const cat_col S_bce[] = {
    {S_H("$Q$", TBL_DECIMAL), .cell = S_V("bce.q/{Q}")},
    {S_H("$y$", TBL_RIGHT), .cell = S_V("bce.y/{Q}")},
    {S_H("$\\mathcal{L}_{\\text{BCE}}$", TBL_DECIMAL), .cell = S_V("bce/{Q}")},
};

static const cat_col S_multiclass[] = {
    {S_H("$Q$", TBL_LEFT), .cell = S_V("multiclass.dist/{C}")},
    {S_H("true class $y$", TBL_RIGHT), .cell = S_ARG('C')},
    {S_H("$Q(y)$", TBL_DECIMAL), .cell = S_V("multiclass.q/{C}")},
    {S_H("$-\\log Q(y)$", TBL_DECIMAL), .cell = S_V("multiclass/{C}")},
};

static const cat_col S_grad[] = {
    S_COL_N, S_COL_Y,
    {S_H("$j = %{J}$", TBL_DECIMAL), .each = 'J',
     .cell = {.value = "grad/{K}/{J}", .mark = CAT_MARK_TARGET}},
    {S_H("$\\sum_j$", TBL_DECIMAL), .cell = {.value = "grad/{K}/{J}", .sum = 'J'}},
};

static const cat_col S_gdstep[] = {
    {S_H("$n$", TBL_RIGHT), .cell = S_ARG('K'), .total = S_TEXT("mean")},
    S_COL_Y,
    {S_H("loss before", TBL_DECIMAL), .cell = S_V("loss/{K}"), .total = S_V("gd.loss.before")},
    {S_H("loss after", TBL_DECIMAL), .cell = S_V("loss.after/{K}"), .total = S_V("gd.loss.after")},
    {S_H("change", TBL_DECIMAL), .cell = S_V("loss.change/{K}"), .total = S_V("gd.loss.change")},
};

/* The order is the order of cat_known_tables; cat_table_name lists the
 * tables without an argument first, then step/1..step/N. */
const cat_table_decl cat_decl_tables[] = {
    {.name = "logits",
     .caption = "Logits reshaped to $[B \\cdot T, V]$, one row per position, with the target token $y_n$",
     .note = "Row $n = (b-1)\\,T + t$; the target's logit is marked.",
     .rows = 'K', .rows_max = CAT_MAX_ROWS, .cols = S_COLS(S_logits)},
    {.name = "reshape",
     .caption = "Reshape $[B, T, V] \\to [B \\cdot T, V]$: where each position $(b, t)$ lands",
     .note = "logits.view(-1, V) and targets.view(-1) keep the order: row index "
             "$n - 1 = (b-1)\\,T + (t-1)$ counted from 0.",
     .rows = 'K', .rows_max = CAT_MAX_ROWS, .cols = S_COLS(S_reshape)},
    {.name = "step/{K}",
     .caption = "Position %{K} ($b = %{pos.b/{K}}$, $t = %{pos.t/{K}}$): target token %{target/{K}} "
                "(%{token/{K}}), $-\\log p_{\\text{target}} = %{loss/{K}}$",
     .note = "$m = \\max_j z_j = %{maxlogit/{K}:logits}$; "
             "$\\log \\sum_j e^{z_j} = m + \\log \\sum_j e^{z_j - m} = %{lse/{K}}$; "
             "$p_{\\text{target}} = %{ptarget/{K}}$.",
     .rows = 'J', .rows_max = CAT_MAX_STEP_ROWS, .rows_keep_target = 1,
     .rows_cut = "Only the first tokens and the target are listed; the sums run over all.",
     .mark_row = CAT_MARK_TARGET, .total = 1, .cols = S_COLS(S_step)},
    {.name = "summary",
     .caption = "Every position of the batch: the sum of exponentials, the target's probability and its loss",
     .note = "The mean is over all positions: "
             "$\\mathcal{L} = \\frac{1}{N} \\sum_n -\\log p_{\\text{target}}$.",
     .rows = 'K', .rows_max = CAT_MAX_ROWS, .total = 1, .cols = S_COLS(S_summary)},
    {.name = "confidence",
     .caption = "How the loss reacts to the model's confidence in the correct token (target 0)",
     .note = "", .rows = 'S', .cols = S_COLS(S_confidence)},
    {.name = "logp", .caption = "$\\log p$ and $-\\log p$ at a few probabilities",
     .note = "", .rows = 'L', .cols = S_COLS(S_logp)},
    {.name = "bce",
     .caption = "Binary cross-entropy $-[y \\log Q + (1 - y) \\log(1 - Q)]$ for the true label $y = 1$",
     .note = "", .rows = 'Q', .cols = S_COLS(S_bce)},
    {.name = "multiclass",
     .caption = "Three classes, one prediction $Q$, two possible true classes",
     .note = "", .rows = 'C', .cols = S_COLS(S_multiclass)},
    {.name = "grad",
     .caption = "Gradient rows $p - y$ of the loss with respect to the logits; with the mean reduction "
                "$\\partial L / \\partial z_n = (p_n - y_n) / N$, $N = %{shape.N}$",
     .note = "Entry $j$ of row $n$ is $p_{n,j} - [j = y_n]$: negative only at the target, and each "
             "row sums to 0. The mean reduction divides by $N = %{shape.N}$.",
     .rows = 'K', .rows_max = CAT_MAX_ROWS, .cols = S_COLS(S_grad)},
    {.name = "gdstep",
     .caption = "One gradient-descent step on the logits, $z \\leftarrow z - \\eta\\, \\partial L / \\partial z$ "
                "with $\\eta = %{gd.lr}$: the loss at every position before and after",
     .note = "", .rows = 'K', .rows_max = CAT_MAX_ROWS, .total = 1, .cols = S_COLS(S_gdstep)},
};
const size_t cat_decl_ntables = S_N(cat_decl_tables);
