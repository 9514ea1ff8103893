/* example — the worked examples of the handout: the LLM batch read from JSON,
 * and the small fixed examples of the source material.
 *
 * cJSON is used only here (and in jsonpos.c).
 *
 * Ownership: ex_load/ex_load_buf return a model the caller frees with
 * ex_free; every pointer inside it is owned by the model and lives until
 * ex_free.  Nothing here keeps a pointer to the caller's buffers.
 *
 * JSON format (templates/examples/llm-batch.json):
 *   {
 *     "logits":  [[[z, ...V], ...T], ...B],        required, numbers
 *     "targets": [[y, ...T], ...B],                required, integers 0..V-1
 *     "tokens":  ["name", ...V],                   optional token names
 *     "learning_rate": 1.0,                         optional, > 0 (default 1)
 *     "batch_size": 2, "seq_length": 3, "vocab_size": 5   optional, checked
 *     "description": "..."                         optional, ignored
 *     F.cross_entropy's options, named and defaulted as PyTorch does:
 *     "ignore_index": -100,       integer; targets equal to it are allowed
 *                                 and excluded (loss 0, not in the mean)
 *     "label_smoothing": 0.0,     number in [0, 1]
 *     "weight": [w, ...V],        one number >= 0 per class
 *     "reduction": "mean"         "mean" | "sum" | "none"
 *   }
 * An unknown key is an error naming it, the known keys and the nearest one.
 * At least one target must not be ignored, and the weights of the targets
 * that are not must not sum to 0 (else the mean is 0/0, NaN in PyTorch).
 * Every error is one message
 *   "FILE:LINE:COL: what was expected"
 * pointing at the offending value (syntax errors at cJSON's error position),
 * exit code LB_EXIT_INPUT.  A missing file is bad input too (LB_EXIT_INPUT,
 * "FILE: cannot open: No such file or directory"); other read failures are
 * LB_EXIT_RUNTIME.
 *
 * Limits (bad input must not exhaust memory): file <= EX_MAX_FILE_BYTES,
 * at most EX_MAX_JSON_VALUES values in the file,
 * V in 2..EX_MAX_V, N = B*T <= EX_MAX_N, N*V <= EX_MAX_LOGITS, |z| <= EX_MAX_ABS_LOGIT,
 * token names 1..EX_MAX_TOKEN_LEN bytes of UTF-8 without control characters,
 * '$' or '\\' (names go into TeX-math-aware tables and gnuplot labels).
 */
#ifndef LB_EXAMPLE_H
#define LB_EXAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "compute/npy.h"
#include "compute/numerics.h"

#define EX_MAX_FILE_BYTES (64u * 1024u * 1024u)
#define EX_MAX_V 1000000u
#define EX_MAX_N 1000000u
#define EX_MAX_LOGITS 2000000u
/* Values (commas) in the whole file, counted before cJSON builds its tree
 * (~80 bytes per node): bounds the parser's memory to a few hundred MB. */
#define EX_MAX_JSON_VALUES 3000000u
#define EX_MAX_ABS_LOGIT 1e9
#define EX_MAX_TOKEN_LEN 64u
/* ex_compute spreads the rows of a large example over this many threads at
 * most (one per online CPU); results do not depend on it. */
#define EX_MAX_THREADS 8

/* Per position n = b*T + t of the reshaped [N, V] view.  Scalars only: the
 * per-token vectors (e^z, p, p - y) are recomputed on demand by ex_step_row so
 * that 100 000 positions stay cheap.  For an ignored position (target ==
 * ignore_index) nll, p_target, rank and margin are NaN / 0 and loss is 0. */
typedef struct ex_step {
    size_t n, b, t;        /* position and its (b, t) before the reshape */
    int64_t target;        /* y_n, token index (or ignore_index) */
    int ignored;           /* target == ignore_index */
    double maxz;           /* m = max_j z_j */
    double sumexp;         /* sum_j e^{z_j}  (may be +inf for huge logits) */
    double sumexp_shift;   /* sum_j e^{z_j - m}  (in [1, V]) */
    double lse;            /* m + log sum_j e^{z_j - m} */
    double p_target;       /* p_y = e^{z_y - m} / sumexp_shift */
    double nll;            /* -log p_y = lse - z_y (exact, finite for finite z) */
    double loss;           /* l_n: F.cross_entropy(reduction='none')[n] with the
                              example's weight and label smoothing (== nll
                              without them); 0 when ignored */
    double weight;         /* w[y_n] (1 without weights); 0 when ignored */
    int64_t argmax;        /* the model's favourite: first j with z_j == m */
    double pmax;           /* its probability */
    size_t nmax;           /* how many tokens share the largest logit */
    size_t rank;           /* 1 + #{j : z_j > z_y} (1 = the target leads or ties) */
    double margin;         /* z_y - max_{j != y} z_j (> 0: the target leads) */
    int64_t rival;         /* the strongest other token: first j != y with the
                              largest z_j (-1 when ignored) */
    double p_rival;        /* its probability */
    double loss_after;     /* l_n after the gradient-descent step */
} ex_step;
typedef struct ex_logp {
    double p, logp, neglogp;   /* neglogp = +inf at p = 0, 0 at p = 1 */
} ex_logp;

typedef struct ex_bce {
    double q;              /* predicted probability of the true label */
    double y;              /* true label (1) */
    double loss;           /* -[y log q + (1-y) log(1-q)] */
} ex_bce;

typedef struct ex_multi {
    double q[3];           /* [0.1, 0.2, 0.7] */
    int64_t true_class;    /* 2 or 0 */
    double q_true, loss;   /* Q(c), -log Q(c) */
} ex_multi;

/* How confidence changes the loss, on the example's own first position
 * that counts (ex_model.k_first): only the target's logit z_y changes, set
 * relative to the strongest other logit z_r = max_{j != y} z_j. */
typedef enum { EX_SCEN_GIVEN = 0, EX_SCEN_LEAD, EX_SCEN_LEVEL, EX_SCEN_TRAIL, EX_NSCEN } ex_scen_kind;

typedef struct ex_scen {
    const char *name;      /* "given", "lead", "level", "trail" (static) */
    double z_target;       /* as given; z_r + 3; z_r; z_r - 1 */
    double z_rival;        /* z_r (unchanged) */
    double p_target;       /* softmax of the changed row at the target */
    double loss;           /* -log p_target (no weight, no smoothing) */
} ex_scen;

#define EX_SCEN_LEAD_BY 3.0
#define EX_SCEN_TRAIL_BY 1.0

/* The random-logit estimates of the "toy to real size" section
 * (randce.h): for each vocabulary size of EX_RAND_V plus the example's own
 * V (inserted in order unless already there), sigma = 1 and 2. */
#define EX_NRAND_V 6
#define EX_RAND_BIG_V 50257u   /* GPT-2's vocabulary */
#define EX_NRAND_SIGMA 2

#define EX_NLOGP 8
#define EX_NBCE 3
#define EX_NMULTI 2

/* Element type of the logits in memory: JSON examples hold doubles, a .npy
 * file float32 or float64 as stored. */
typedef enum { EX_F64 = 0, EX_F32 } ex_dtype;

/* Options of a .npy run (the JSON example carries its own): */
typedef struct ex_npy_opts {
    const char *vocab_path;    /* one token name per line, or NULL */
    const char *weight_path;   /* .npy of V weights, or NULL */
    int64_t ignore_index;      /* -100 */
    double label_smoothing;    /* 0 */
    num_reduction reduction;   /* mean */
    double lr;                 /* 1 */
} ex_npy_opts;

/* {NULL, NULL, -100, 0, mean, 1} */
ex_npy_opts ex_npy_opts_default(void);

typedef struct ex_model {
    char *path;            /* as given to ex_load (for messages); the logits
                              file for .npy input */
    size_t B, T, V, N;     /* N = B*T; B = 1, T = N for [N, V] .npy logits */
    const void *lraw;      /* [N, V] row-major logits (row n = b*T + t) of
                              element type dtype: read them with ex_row */
    ex_dtype dtype;
    double *logits;        /* JSON: the owned doubles (== lraw); NULL for .npy */
    npy *lnpy;             /* .npy: the mapped logits file (owned) */
    int64_t *targets;      /* [N] */
    char **tokens;         /* V names, or NULL when the input names none */
    double lr;             /* learning rate of the one gradient-descent step */

    int flat_input;        /* the logits came as [N, V] (.npy), not [B, T, V] */
    int top_k;             /* presentation: how many tokens a step table lists
                              when V is large (0: automatic, catalog.h) */
    int threads;           /* for the .npy path's kernel (kernel.h): 0 = all */

    /* F.cross_entropy options (PyTorch's names and defaults) */
    num_ce_opts ce;        /* reduction, ignore_index, label_smoothing, weight
                              (ce.weight == weight) */
    double *weight;        /* [V] owned, or NULL */

    /* Filled by ex_compute (computed == 1). */
    int computed;
    ex_step *steps;        /* [N] */
    size_t n_active;       /* positions not ignored (>= 1) */
    size_t n_correct;      /* active positions whose favourite is the target */
    size_t k_best, k_worst;/* 0-based active positions of the highest / lowest
                              p_target, i.e. lowest / highest -log p_target
                              (the first one on ties; with weights or label
                              smoothing l_n may rank them otherwise) */
    double weight_sum;     /* the mean's denominator: sum of w[y_n] over
                              active positions (n_active without weights) */
    size_t k_first;        /* the first active position (0-based) */
    size_t n_half;         /* active positions with p_target >= 1/2 */
    size_t n_tied;         /* active positions where several tokens share the
                              largest logit (argmax takes the first) */
    double loss_mean;      /* F.cross_entropy(..., reduction='mean') */
    double loss_sum;       /* same with reduction='sum' */
    double gd_loss_before; /* the reduced loss (mean, or sum for 'sum'/'none') */
    double gd_loss_after;  /* same after z <- z - lr * d(reduced loss)/dz */
    ex_scen scen[EX_NSCEN];    /* confidence scenarios at k_first */
    size_t n_rand;             /* rows of rand (EX_NRAND_V or one more) */
    size_t rand_v[EX_NRAND_V + 1];
    double rand_loss[EX_NRAND_V + 1][EX_NRAND_SIGMA];   /* sigma = 1, 2 */
    ex_logp logp[EX_NLOGP];    /* p = 0.01 0.1 0.2 0.3 0.5 0.7 0.9 1.0 */
    ex_bce bce[EX_NBCE];       /* q = 0.7, 0.9, 0.2; y = 1 */
    ex_multi multi[EX_NMULTI]; /* true class 2, then true class 0 */
} ex_model;

/* Read and validate a JSON example.  NULL on error (e set). */
ex_model *ex_load(const char *path, lb_err *e);

/* Same from a buffer (need not be NUL-terminated); `name` is used in
 * messages and copied. */
ex_model *ex_load_buf(const char *buf, size_t len, const char *name, lb_err *e);

/* Logits [N, V] or [B, T, V] (float32 / float64) and targets [N] or [B, T]
 * (int32 / int64) from .npy files, mapped, not read (npy.h).  Every logit
 * must be finite with |z| <= EX_MAX_ABS_LOGIT and every target in 0..V-1 or
 * ignore_index: errors name the element ("FILE: element [i, j] (index k):
 * ...").  o may be NULL (defaults).  NULL on error. */
ex_model *ex_load_npy(const char *logits_path, const char *targets_path,
                      const ex_npy_opts *o, lb_err *e);

void ex_free(ex_model *m);

/* Compute every step record, the means, the gradient-descent step and the
 * fixed examples.  Idempotent.  Returns 0 or -1. */
int ex_compute(ex_model *m, lb_err *e);

/* One logit, z_j of row n, as a double. */
double ex_logit(const ex_model *m, size_t n, size_t j);

/* Row n's logits as doubles: a pointer into the model for double storage,
 * else converted into buf (V doubles, the caller's) and buf returned. */
const double *ex_row(const ex_model *m, size_t n, double *buf);

/* Per-token vectors of position n (caller's arrays of V doubles, any may be
 * NULL): e^{z_j}, e^{z_j - m}, p_j, and the gradient row d l_n / d z_n
 * (p - onehot(y) without weight and smoothing; with them PyTorch's
 * per-row gradient, numerics.h; 0 for an ignored row).  Requires
 * ex_compute.  rowbuf: V doubles of scratch (NULL when dtype is EX_F64). */
void ex_step_row(const ex_model *m, size_t n, double *expz, double *expz_shift,
                 double *p, double *grad, double *rowbuf);

/* Logits of position n after the gradient-descent step (V doubles);
 * rowbuf as above. */
void ex_step_after(const ex_model *m, size_t n, double *z_after, double *rowbuf);

/* The k tokens with the largest logits at position n (so the largest
 * probabilities), in decreasing order, ties by smaller index, into idx[k];
 * returns min(k, V).  rowbuf as above. */
size_t ex_topk(const ex_model *m, size_t n, size_t k, size_t *idx, double *rowbuf);

/* The k positions (0-based) with the highest -log p_target among those not
 * ignored, highest first, ties by the earlier position, into out[k];
 * returns min(k, n_active).  Requires ex_compute; allocates nothing (a
 * k-element insertion, O(N k): k is a handful of tables). */
size_t ex_worst(const ex_model *m, size_t k, size_t *out);

/* The positions the points figure draws (0-based, increasing, active
 * only): every one when there are at most EX_MAX_POINTS, else the first
 * EX_POINTS_LABELLED, the EX_POINTS_LABELLED with the highest -log
 * p_target, and evenly spaced others up to EX_MAX_POINTS.  idx needs room
 * for EX_MAX_POINTS; returns how many. */
#define EX_MAX_POINTS 1000u
#define EX_POINTS_LABELLED 12u
size_t ex_points(const ex_model *m, size_t *idx);

/* Token j's display name: the input's name, or NULL when none was given. */
const char *ex_token_name(const ex_model *m, size_t j);

/* Why a token name is unusable ("is empty", "contains '$' ..."), or NULL
 * when it is fine (rules above).  Static strings. */
const char *ex_token_problem(const char *s);

/* 1 when the example is the source material's worked example (its logits
 * and targets, to the typed digits, with default options): the handout
 * keeps its remarks on the source's hand calculation only then. */
int ex_is_source(const ex_model *m);

#endif
