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
 *   }
 * Unknown keys are ignored.  Every error is one message
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

#define EX_MAX_FILE_BYTES (64u * 1024u * 1024u)
#define EX_MAX_V 1000000u
#define EX_MAX_N 1000000u
#define EX_MAX_LOGITS 2000000u
/* Values (commas) in the whole file, counted before cJSON builds its tree
 * (~80 bytes per node): bounds the parser's memory to a few hundred MB. */
#define EX_MAX_JSON_VALUES 3000000u
#define EX_MAX_ABS_LOGIT 1e9
#define EX_MAX_TOKEN_LEN 64u

/* Per position n = b*T + t of the reshaped [N, V] view.  Scalars only: the
 * per-token vectors (e^z, p, p - y) are recomputed on demand by ex_step_row so
 * that 100 000 positions stay cheap. */
typedef struct ex_step {
    size_t n, b, t;        /* position and its (b, t) before the reshape */
    int64_t target;        /* y_n, token index */
    double maxz;           /* m = max_j z_j */
    double sumexp;         /* sum_j e^{z_j}  (may be +inf for huge logits) */
    double sumexp_shift;   /* sum_j e^{z_j - m}  (in [1, V]) */
    double lse;            /* m + log sum_j e^{z_j - m} */
    double p_target;       /* p_y = e^{z_y - lse} */
    double loss;           /* -log p_y = lse - z_y (exact, finite for finite z) */
    double loss_after;     /* same after the gradient-descent step */
} ex_step;

/* One softmax + cross-entropy example on a short logit vector. */
typedef struct ex_conf {
    const char *name;      /* "high", "moderate", "low" (static string) */
    double z[5];
    size_t V;              /* 5 */
    int64_t target;        /* 0 */
    double p[5];           /* softmax */
    double p_target, loss;
} ex_conf;

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

#define EX_NCONF 3
#define EX_NLOGP 8
#define EX_NBCE 3
#define EX_NMULTI 2

typedef struct ex_model {
    char *path;            /* as given to ex_load (for messages) */
    size_t B, T, V, N;     /* N = B*T */
    double *logits;        /* [N, V] row-major: row n = b*T + t */
    int64_t *targets;      /* [N] */
    char **tokens;         /* V names, or NULL when the JSON names none */
    double lr;             /* learning rate of the one gradient-descent step */

    /* Filled by ex_compute (computed == 1). */
    int computed;
    ex_step *steps;        /* [N] */
    double loss_mean;      /* F.cross_entropy(logits.view(-1,V), targets.view(-1)) */
    double loss_sum;
    double gd_loss_before; /* == loss_mean */
    double gd_loss_after;  /* mean loss after z <- z - lr * dL_mean/dz */
    ex_conf conf[EX_NCONF];    /* high, moderate, low */
    ex_logp logp[EX_NLOGP];    /* p = 0.01 0.1 0.2 0.3 0.5 0.7 0.9 1.0 */
    ex_bce bce[EX_NBCE];       /* q = 0.7, 0.9, 0.2; y = 1 */
    ex_multi multi[EX_NMULTI]; /* true class 2, then true class 0 */
} ex_model;

/* Read and validate a JSON example.  NULL on error (e set). */
ex_model *ex_load(const char *path, lb_err *e);

/* Same from a buffer (need not be NUL-terminated); `name` is used in
 * messages and copied. */
ex_model *ex_load_buf(const char *buf, size_t len, const char *name, lb_err *e);

void ex_free(ex_model *m);

/* Compute every step record, the means, the gradient-descent step and the
 * fixed examples.  Idempotent.  Returns 0 or -1. */
int ex_compute(ex_model *m, lb_err *e);

/* Per-token vectors of position n (caller's arrays of V doubles, any may be
 * NULL): e^{z_j}, e^{z_j - m}, p_j, and the gradient row p_j - y_j (the
 * un-normalised p - onehot; dL_mean/dz = that / N).  Requires ex_compute. */
void ex_step_row(const ex_model *m, size_t n, double *expz, double *expz_shift,
                 double *p, double *grad);

/* Logits of position n after the gradient-descent step (V doubles). */
void ex_step_after(const ex_model *m, size_t n, double *z_after);

/* Row n's logits (borrowed pointer into m->logits). */
const double *ex_logits_row(const ex_model *m, size_t n);

/* Token j's display name: the JSON name, or NULL when none was given. */
const char *ex_token_name(const ex_model *m, size_t j);

#endif
