/* catalog_decl — the catalog's domains, values and tables, declared; see
 * catalog_decl.h.  Getters are pure functions of the model. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "compute/catalog_decl.h"
#include "compute/catalog_get.h"
#include "compute/catalog_pick.h"

#define S_N(a) (sizeof (a) / sizeof (a)[0])
#define S_COLS(a) (a), S_N(a)

/* ---- domains ------------------------------------------------------------- */

static size_t S_npos(const ex_model *m) { return m->N; }
static size_t S_ntok(const ex_model *m) { return m->V; }
static size_t S_nscen(const ex_model *m) { (void)m; return EX_NSCEN; }
static size_t S_nlogp(const ex_model *m) { (void)m; return EX_NLOGP; }
static size_t S_nbce(const ex_model *m) { (void)m; return EX_NBCE; }
static size_t S_nmulti(const ex_model *m) { (void)m; return EX_NMULTI; }

const cat_dom cat_decl_domains[] = {
    {'K', "positions", S_npos, 1, NULL, 1,
     "position n = (b-1)T + t, 1..N; also first, best, worst (catalog_names.c)"},
    {'J', "tokens", S_ntok, 0, NULL, 1, "token index, 0..V-1 (as in the targets)"},
    {'S', "scenarios", S_nscen, 0, cat_get_show_scen, 0,
     "confidence scenario: given, lead, level, trail"},
    {'L', "rows", S_nlogp, 1, NULL, 1, "row of the log p table, 1..8"},
    {'Q', "rows", S_nbce, 1, NULL, 1, "row of the binary cross-entropy table, 1..3"},
    {'C', "classes", S_nmulti, 0, cat_get_show_class, 1, "true class of the multiclass example: 2, 0"},
    {'R', "rows", cat_get_nrand, 1, NULL, 1, "row of the random-logits table"},
};
const size_t cat_decl_ndomains = S_N(cat_decl_domains);

/* ---- values -------------------------------------------------------------- */

#define S_MODEL(f) CAT_REC_MODEL, offsetof(ex_model, f)
#define S_STEP(f) CAT_REC_STEP, offsetof(ex_step, f)
#define S_ASTEP(f) CAT_REC_ASTEP, offsetof(ex_step, f)
#define S_CALC(k) 0, (k)

const cat_value_decl cat_decl_values[] = {
    /* shape and input */
    {"shape.B", cat_get_size, S_MODEL(B), CAT_FMT_INT, "batch size B"},
    {"shape.T", cat_get_size, S_MODEL(T), CAT_FMT_INT, "sequence length T"},
    {"shape.V", cat_get_size, S_MODEL(V), CAT_FMT_INT, "vocabulary size V"},
    {"shape.N", cat_get_size, S_MODEL(N), CAT_FMT_INT, "positions N = B T"},
    {"shape.btv", cat_get_shape_text, S_CALC(CAT_SHAPE_BTV), CAT_FMT_TEXT, "\"[B, T, V]\""},
    {"shape.nv", cat_get_shape_text, S_CALC(CAT_SHAPE_NV), CAT_FMT_TEXT, "\"[N, V]\""},
    {"shape.bt", cat_get_shape_text, S_CALC(CAT_SHAPE_BT), CAT_FMT_TEXT, "\"[B, T]\""},
    {"shape.n", cat_get_shape_text, S_CALC(CAT_SHAPE_N), CAT_FMT_TEXT, "\"[N]\""},
    {"input.flat", cat_get_int, S_MODEL(flat_input), CAT_FMT_INT, "1 when the logits came as [N, V]"},
    {"tokens.named", cat_get_tokens, S_CALC(CAT_TOKENS_NAMED), CAT_FMT_INT, "1 when tokens have names"},
    {"tokens.list", cat_get_tokens, S_CALC(CAT_TOKENS_LIST), CAT_FMT_TEXT,
     "\"0 = the, 1 = cat, ...\" (the first 12)"},
    {"tokenname/{J}", cat_get_token, S_CALC(CAT_TOKEN_J), CAT_FMT_TEXT, "name of token J (its index if unnamed)"},
    /* the batch */
    {"loss.mean", cat_get_dbl, S_MODEL(loss_mean), 4, "F.cross_entropy, reduction 'mean'"},
    {"loss.sum", cat_get_dbl, S_MODEL(loss_sum), 4, "F.cross_entropy, reduction 'sum'"},
    {"lnv", cat_get_model, S_CALC(CAT_M_LNV), 4, "ln V, the loss of a uniform guess"},
    {"count.active", cat_get_size, S_MODEL(n_active), CAT_FMT_INT, "positions that are not ignored"},
    {"count.ignored", cat_get_model, S_CALC(CAT_M_IGNORED), CAT_FMT_INT, "positions whose target is ignore_index"},
    {"count.correct", cat_get_size, S_MODEL(n_correct), CAT_FMT_INT,
     "positions whose favourite (argmax) is the target"},
    {"count.half", cat_get_size, S_MODEL(n_half), CAT_FMT_INT, "positions with p_target >= 1/2"},
    {"count.tied", cat_get_size, S_MODEL(n_tied), CAT_FMT_INT,
     "positions where several tokens share the largest logit"},
    {"pos.first", cat_get_pos, S_CALC(CAT_POS_FIRST), CAT_FMT_INT, "the first position that counts"},
    {"pos.best", cat_get_pos, S_CALC(CAT_POS_BEST), CAT_FMT_INT, "the position with the highest p_target"},
    {"pos.worst", cat_get_pos, S_CALC(CAT_POS_WORST), CAT_FMT_INT, "the position with the lowest p_target"},
    {"weight.sum", cat_get_dbl, S_MODEL(weight_sum), CAT_FMT_G15, "the mean's denominator, sum of w[y_n]"},
    /* options */
    {"opt.ignore_index", cat_get_i64, S_MODEL(ce.ignore_index), CAT_FMT_INT, "ignore_index"},
    {"opt.label_smoothing", cat_get_dbl, S_MODEL(ce.label_smoothing), CAT_FMT_G15, "label_smoothing"},
    {"opt.weighted", cat_get_model, S_CALC(CAT_M_WEIGHTED), CAT_FMT_INT, "1 when class weights are given"},
    {"opt.plain", cat_get_model, S_CALC(CAT_M_PLAIN), CAT_FMT_INT,
     "1 without weights, smoothing or ignored positions"},
    {"opt.reduction", cat_get_model, S_CALC(CAT_M_REDUCTION), CAT_FMT_TEXT, "\"mean\", \"sum\" or \"none\""},
    {"example.source", cat_get_model, S_CALC(CAT_M_SOURCE), CAT_FMT_INT,
     "1 when the example is the source material's"},
    /* per position */
    {"loss/{K}", cat_get_dbl, S_STEP(loss), 4, "loss l_n (F.cross_entropy 'none'; 0 if ignored)"},
    {"nll/{K}", cat_get_dbl, S_ASTEP(nll), 4, "-log p_target"},
    {"loss.after/{K}", cat_get_dbl, S_STEP(loss_after), 4, "l_n after the gradient-descent step"},
    {"loss.change/{K}", cat_get_step, S_CALC(CAT_STEP_CHANGE), 4, "loss after minus loss before the step"},
    {"sumexp/{K}", cat_get_dbl, S_STEP(sumexp), 4, "sum_j e^{z_j}"},
    {"psum/{K}", cat_get_step, S_CALC(CAT_STEP_PSUM), 4, "sum_j p_j (exactly 1)"},
    {"gradsum/{K}", cat_get_step, S_CALC(CAT_STEP_GRADSUM), 4, "sum_j of the gradient row (exactly 0)"},
    {"sumexp.shift/{K}", cat_get_dbl, S_STEP(sumexp_shift), 4, "sum_j e^{z_j - m}"},
    {"maxlogit/{K}", cat_get_dbl, S_STEP(maxz), CAT_FMT_INPUT, "m = max_j z_j"},
    {"lse/{K}", cat_get_dbl, S_STEP(lse), 4, "log-sum-exp m + log sum_j e^{z_j - m}"},
    {"ptarget/{K}", cat_get_dbl, S_ASTEP(p_target), 4, "p_target"},
    {"target/{K}", cat_get_i64, S_STEP(target), CAT_FMT_INT, "target token index y_n (ignore_index if ignored)"},
    {"token/{K}", cat_get_token, S_CALC(CAT_TOKEN_TARGET), CAT_FMT_TEXT, "target token's name (its index if unnamed)"},
    {"ignored/{K}", cat_get_int, S_STEP(ignored), CAT_FMT_INT, "1 when the target is ignore_index"},
    {"weight/{K}", cat_get_dbl, S_ASTEP(weight), CAT_FMT_G15, "w[y_n] (1 without weights)"},
    {"argmax/{K}", cat_get_i64, S_STEP(argmax), CAT_FMT_INT, "the model's favourite token (first largest logit)"},
    {"favtoken/{K}", cat_get_token, S_CALC(CAT_TOKEN_ARGMAX), CAT_FMT_TEXT, "its name"},
    {"pmax/{K}", cat_get_dbl, S_STEP(pmax), 4, "its probability"},
    {"nmax/{K}", cat_get_size, S_STEP(nmax), CAT_FMT_INT, "tokens sharing the largest logit"},
    {"tied/{K}", cat_get_step, S_CALC(CAT_STEP_TIED), CAT_FMT_INT, "nmax - 1"},
    {"rank/{K}", cat_get_size, S_ASTEP(rank), CAT_FMT_INT, "1 + tokens with a larger logit than the target's"},
    {"ahead/{K}", cat_get_step, S_CALC(CAT_STEP_AHEAD), CAT_FMT_INT, "tokens with a larger logit than the target's"},
    {"correct/{K}", cat_get_step, S_CALC(CAT_STEP_CORRECT), CAT_FMT_INT, "1 when argmax is the target"},
    {"margin/{K}", cat_get_dbl, S_ASTEP(margin), CAT_FMT_INPUT, "z_target - the largest other logit"},
    {"rival/{K}", cat_get_i64, S_ASTEP(rival), CAT_FMT_INT, "the strongest other token"},
    {"rivaltoken/{K}", cat_get_token, S_CALC(CAT_TOKEN_RIVAL), CAT_FMT_TEXT, "its name"},
    {"prival/{K}", cat_get_dbl, S_ASTEP(p_rival), 4, "its probability"},
    {"pos.b/{K}", cat_get_size1, S_STEP(b), CAT_FMT_INT, "sequence b of position K (1..B)"},
    {"pos.t/{K}", cat_get_size1, S_STEP(t), CAT_FMT_INT, "step t of position K (1..T)"},
    {"pos.index/{K}", cat_get_pos, S_CALC(CAT_POS_INDEX), CAT_FMT_INT, "0-based row K - 1 of logits.view(-1, V)"},
    {"step.caption/{K}", cat_get_step, S_CALC(CAT_STEP_CAPTION), CAT_FMT_TEXT, "caption of table step/K"},
    /* per position and token */
    {"z/{K}/{J}", cat_get_tok, S_CALC(CAT_TOK_Z), CAT_FMT_INPUT, "logit z_J at position K"},
    {"z.shift/{K}/{J}", cat_get_tok, S_CALC(CAT_TOK_ZSHIFT), CAT_FMT_INPUT, "z_J - m"},
    {"expz/{K}/{J}", cat_get_tok, S_CALC(CAT_TOK_EXPZ), 4, "e^{z_J}"},
    {"expz.shift/{K}/{J}", cat_get_tok, S_CALC(CAT_TOK_EXPZSHIFT), 4, "e^{z_J - m}"},
    {"p/{K}/{J}", cat_get_tok, S_CALC(CAT_TOK_P), 4, "softmax p_J"},
    {"grad/{K}/{J}", cat_get_tok, S_CALC(CAT_TOK_GRAD), 4,
     "d l_K / d z_J (p_J - y_J without options; the mean divides by N)"},
    /* tables and figures */
    {"steps.topk", cat_get_model, S_CALC(CAT_M_TOPK), CAT_FMT_INT, "tokens a large step table lists"},
    {"steps.all", cat_get_model, S_CALC(CAT_M_ALLTOK), CAT_FMT_INT, "1 when step tables list every token"},
    {"points.shown", cat_get_model, S_CALC(CAT_M_POINTS), CAT_FMT_INT, "positions the points figure draws"},
    {"points.sub", cat_get_model, S_CALC(CAT_M_POINTS_SUB), CAT_FMT_INT, "1 when it draws a sample"},
    {"note.summary", cat_get_model, S_CALC(CAT_M_SUMMARY_NOTE), CAT_FMT_TEXT, "the summary table's note"},
    {"note.grad", cat_get_model, S_CALC(CAT_M_GRAD_NOTE), CAT_FMT_TEXT, "the gradient table's note"},
    {"step.others", cat_get_model, S_CALC(CAT_M_OTHERS), CAT_FMT_TEXT,
     "\"others\" for a step table's rest row, when no token column shows it"},
    {"reduced", cat_get_model, S_CALC(CAT_M_REDUCED_NAME), CAT_FMT_TEXT, "\"mean\", or \"sum\" for sum and none"},
    /* the gradient-descent step */
    {"gd.lr", cat_get_dbl, S_MODEL(lr), CAT_FMT_G15, "learning rate eta"},
    {"gd.loss.before", cat_get_dbl, S_MODEL(gd_loss_before), 4, "reduced loss before the step"},
    {"gd.loss.after", cat_get_dbl, S_MODEL(gd_loss_after), 4, "reduced loss after the step"},
    {"gd.loss.drop", cat_get_model, S_CALC(CAT_M_GD_DROP), 4, "before - after"},
    {"gd.loss.change", cat_get_model, S_CALC(CAT_M_GD_CHANGE), 4, "after - before"},
    {"gd.maxdrop", cat_get_model, S_CALC(CAT_M_MAXDROP), 4, "the largest drop of one position's loss"},
    {"gd.pos.maxdrop", cat_get_pos, S_CALC(CAT_POS_MAXDROP), CAT_FMT_INT, "the position of that drop"},
    /* confidence scenarios at the first position that counts */
    {"scen.pos", cat_get_pos, S_CALC(CAT_POS_FIRST), CAT_FMT_INT, "the position the scenarios change"},
    {"scen.rival.z", cat_get_model, S_CALC(CAT_M_SCEN_RIVAL), CAT_FMT_INPUT,
     "the strongest other logit there"},
    {"scen.lead.by", cat_get_model, S_CALC(CAT_M_LEAD_BY), CAT_FMT_G15, "lead of scenario lead (3)"},
    {"scen.trail.by", cat_get_model, S_CALC(CAT_M_TRAIL_BY), CAT_FMT_G15, "gap of scenario trail (1)"},
    {"scen.{S}.z", cat_get_dbl, CAT_REC_SCEN, offsetof(ex_scen, z_target), CAT_FMT_INPUT, "the target's logit"},
    {"scen.{S}.p", cat_get_dbl, CAT_REC_SCEN, offsetof(ex_scen, p_target), 4, "p_target"},
    {"scen.{S}.loss", cat_get_dbl, CAT_REC_SCEN, offsetof(ex_scen, loss), 4, "-log p_target"},
    {"scen.{S}.label", cat_get_scen_label, S_CALC(0), CAT_FMT_TEXT, "\"as given\", \"leads by 3\", ..."},
    /* random logits */
    {"rand.V/{R}", cat_get_rand, S_CALC(CAT_RAND_V), CAT_FMT_INT, "vocabulary size of row R"},
    {"rand.lnv/{R}", cat_get_rand, S_CALC(CAT_RAND_LNV), 3, "ln V"},
    {"rand.s1/{R}", cat_get_rand, S_CALC(CAT_RAND_S1), 3, "loss of random logits, sigma = 1"},
    {"rand.s2/{R}", cat_get_rand, S_CALC(CAT_RAND_S2), 3, "loss of random logits, sigma = 2"},
    {"rand.big.V", cat_get_rand, S_CALC(CAT_RAND_BIG_V), CAT_FMT_INT, "50257 (GPT-2's vocabulary)"},
    {"rand.big.lnv", cat_get_rand, S_CALC(CAT_RAND_BIG_LNV), 4, "its ln V"},
    {"rand.big.s1", cat_get_rand, S_CALC(CAT_RAND_BIG_S1), 3, "its random-logit loss, sigma = 1"},
    {"rand.big.s2", cat_get_rand, S_CALC(CAT_RAND_BIG_S2), 3, "its random-logit loss, sigma = 2"},
    {"rand.example.s1", cat_get_rand, S_CALC(CAT_RAND_EX_S1), 3, "the example's V, sigma = 1"},
    {"rand.example.s2", cat_get_rand, S_CALC(CAT_RAND_EX_S2), 3, "the example's V, sigma = 2"},
    /* the fixed examples */
    {"logp.p/{L}", cat_get_dbl, CAT_REC_LOGP, offsetof(ex_logp, p), 2, "p of row L of the log p table"},
    {"logp/{L}", cat_get_dbl, CAT_REC_LOGP, offsetof(ex_logp, logp), 4, "log p"},
    {"neglogp/{L}", cat_get_dbl, CAT_REC_LOGP, offsetof(ex_logp, neglogp), 4, "-log p"},
    {"bce/{Q}", cat_get_dbl, CAT_REC_BCE, offsetof(ex_bce, loss), 4, "binary cross-entropy of row Q"},
    {"bce.q/{Q}", cat_get_dbl, CAT_REC_BCE, offsetof(ex_bce, q), 1, "its Q (0.7, 0.9, 0.2)"},
    {"bce.y/{Q}", cat_get_dbl, CAT_REC_BCE, offsetof(ex_bce, y), CAT_FMT_INT, "its true label y"},
    {"multiclass/{C}", cat_get_dbl, CAT_REC_MULTI, offsetof(ex_multi, loss), 4, "-log Q(C)"},
    {"multiclass.q/{C}", cat_get_dbl, CAT_REC_MULTI, offsetof(ex_multi, q_true), 1, "Q(C)"},
    {"multiclass.dist/{C}", cat_get_vec, S_CALC(0), CAT_FMT_TEXT, "the prediction Q as $[...]$"},
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
#define S_COL_TOKEN {S_H("token", TBL_LEFT), .cell = S_V("token/{K}"), .when = cat_get_named}

/* Tables with a row per position list the first ones and the ones with the
 * highest -log p_target (catalog_pick.h). */
#define S_PICK_POSITIONS .pick = cat_pick_positions, .pick_note = cat_pick_positions_note

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
    {S_H("$j$", TBL_RIGHT), .cell = S_ARG('J'), .rest = S_TEXT("%{step.others}"), .total = S_TEXT("$\\sum$")},
    {S_H("token", TBL_LEFT), .cell = S_V("tokenname/{J}"), .rest = S_TEXT("others"),
     .when = cat_get_named},
    {S_H("$z_j$", TBL_DECIMAL), .cell = {.value = "z/{K}/{J}", .fmt = CAT_CELL_LOGITS}},
    {S_H("$z_j - m$", TBL_DECIMAL), .cell = {.value = "z.shift/{K}/{J}", .fmt = CAT_CELL_LOGITS}},
    {S_H("$e^{z_j}$", TBL_DECIMAL), .cell = S_V("expz/{K}/{J}"),
     .rest = {.value = "expz/{K}/{J}", .rest = 'J'}, .total = S_V("sumexp/{K}")},
    {S_H("$e^{z_j - m}$", TBL_DECIMAL), .cell = S_V("expz.shift/{K}/{J}"),
     .rest = {.value = "expz.shift/{K}/{J}", .rest = 'J'}, .total = S_V("sumexp.shift/{K}")},
    {S_H("$p_j$", TBL_DECIMAL), .cell = {.value = "p/{K}/{J}", .mark = CAT_MARK_TARGET},
     .rest = {.value = "p/{K}/{J}", .rest = 'J'}, .total = S_V("psum/{K}")},
};

static const cat_col S_summary[] = {
    {S_H("$n$", TBL_RIGHT), .cell = S_ARG('K'), .total = S_TEXT("mean")},
    S_COL_B, S_COL_T,
    S_COL_Y,
    S_COL_TOKEN,
    {S_H("$\\sum_j e^{z_j}$", TBL_DECIMAL), .cell = S_V("sumexp/{K}")},
    {S_H("$p_{\\text{target}}$", TBL_DECIMAL), .cell = S_V("ptarget/{K}")},
    /* without options the loss is -log p_target and the mean sits under it */
    {S_H("$-\\log p_{\\text{target}}$", TBL_DECIMAL), .cell = S_V("nll/{K}"),
     .total = {.value = "loss.mean", .mark = CAT_MARK_ALWAYS}, .when = cat_get_is_plain},
    {S_H("$-\\log p_{\\text{target}}$", TBL_DECIMAL), .cell = S_V("nll/{K}"),
     .when = cat_get_not_plain},
    {S_H("$\\ell_n$", TBL_DECIMAL), .cell = S_V("loss/{K}"),
     .total = {.value = "loss.mean", .mark = CAT_MARK_ALWAYS}, .when = cat_get_not_plain},
};

static const cat_col S_confidence[] = {
    {S_H("target's logit", TBL_LEFT), .cell = S_V("scen.{S}.label")},
    {S_H("$z_{\\text{target}}$", TBL_DECIMAL), .cell = S_V("scen.{S}.z")},
    {S_H("strongest other $z$", TBL_DECIMAL), .cell = S_V("scen.rival.z")},
    {S_H("$p_{\\text{target}}$", TBL_DECIMAL), .cell = S_V("scen.{S}.p")},
    {S_H("$-\\log p_{\\text{target}}$", TBL_DECIMAL), .cell = S_V("scen.{S}.loss")},
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
    {S_H("$\\sum_j$", TBL_DECIMAL), .cell = S_V("gradsum/{K}")},
};

static const cat_col S_gdstep[] = {
    {S_H("$n$", TBL_RIGHT), .cell = S_ARG('K'), .total = S_TEXT("%{reduced}")},
    S_COL_Y,
    {S_H("loss before", TBL_DECIMAL), .cell = S_V("loss/{K}"), .total = S_V("gd.loss.before")},
    {S_H("loss after", TBL_DECIMAL), .cell = S_V("loss.after/{K}"), .total = S_V("gd.loss.after")},
    {S_H("change", TBL_DECIMAL), .cell = S_V("loss.change/{K}"), .total = S_V("gd.loss.change")},
};

static const cat_col S_randce[] = {
    {S_H("$V$", TBL_RIGHT), .cell = S_V("rand.V/{R}")},
    {S_H("$\\ln V$", TBL_DECIMAL), .cell = S_V("rand.lnv/{R}")},
    {S_H("$\\sigma = 1$", TBL_DECIMAL), .cell = S_V("rand.s1/{R}")},
    {S_H("$\\sigma = 2$", TBL_DECIMAL), .cell = S_V("rand.s2/{R}")},
};

/* The order is the order of cat_known_tables; cat_table_name lists the
 * tables without an argument first, then step/1..step/N. */
const cat_table_decl cat_decl_tables[] = {
    {.name = "logits",
     .caption = "Logits reshaped to $[B \\cdot T, V]$, one row per position, with the target token $y_n$",
     .note = "Row $n = (b-1)\\,T + t$; the target's logit is marked.",
     .rows = 'K', S_PICK_POSITIONS, .cols = S_COLS(S_logits)},
    {.name = "reshape",
     .caption = "Reshape $[B, T, V] \\to [B \\cdot T, V]$: where each position $(b, t)$ lands",
     .note = "logits.view(-1, V) and targets.view(-1) keep the order: row index "
             "$n - 1 = (b-1)\\,T + (t-1)$ counted from 0.",
     .rows = 'K', S_PICK_POSITIONS, .cols = S_COLS(S_reshape)},
    {.name = "step/{K}",
     .caption = "%{step.caption/{K}}",
     .note = "$m = \\max_j z_j = %{maxlogit/{K}:logits}$; "
             "$\\log \\sum_j e^{z_j} = m + \\log \\sum_j e^{z_j - m} = %{lse/{K}}$.",
     .rows = 'J', .rows_max = CAT_MAX_STEP_ROWS, .pick = cat_pick_tokens,
     .pick_note = cat_pick_tokens_note, .rest = 1,
     .mark_row = CAT_MARK_TARGET, .total = 1, .cols = S_COLS(S_step)},
    {.name = "summary",
     .caption = "The positions of the batch: the sum of exponentials, the target's probability and "
                "its loss",
     .note = "%{note.summary}",
     .rows = 'K', S_PICK_POSITIONS, .total = 1, .cols = S_COLS(S_summary)},
    {.name = "confidence",
     .caption = "How the loss at position %{scen.pos} reacts to the target's logit, all others kept",
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
     .caption = "The gradient of each position's loss with respect to its logits",
     .note = "%{note.grad}",
     .rows = 'K', S_PICK_POSITIONS, .cols = S_COLS(S_grad)},
    {.name = "gdstep",
     .caption = "One gradient-descent step on the logits, $z \\leftarrow z - \\eta\\, \\partial L / \\partial z$ "
                "with $\\eta = %{gd.lr}$: the loss at every position before and after",
     .note = "", .rows = 'K', S_PICK_POSITIONS, .total = 1, .cols = S_COLS(S_gdstep)},
    {.name = "randce",
     .caption = "Loss of random logits $z_j \\sim \\mathcal{N}(0, \\sigma^2)$ against $\\ln V$",
     .note = "The expected loss, computed as two one-dimensional integrals; every digit shown is correct.",
     .rows = 'R', .cols = S_COLS(S_randce)},
};
const size_t cat_decl_ntables = S_N(cat_decl_tables);
