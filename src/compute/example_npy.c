/* example_npy — an example from NumPy files: logits and targets mapped with
 * npy.c, token names from a text file (see example.h, ex_load_npy). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/example.h"
#include "base/fileio.h"

/* Vocabulary files: one name per line; bounded like a JSON example. */
#define S_MAX_VOCAB_BYTES (64u * 1024u * 1024u)

/* Every logit finite and within EX_MAX_ABS_LOGIT: one pass over the mapped
 * data (the rows are read again by ex_compute; the page cache keeps them). */
static int S_check_logits(const npy *f, lb_err *e)
{
    if (f->dtype == NPY_F32) {
        for (size_t k = 0; k < f->count; k++) {
            float x;
            memcpy(&x, f->data + 4 * k, 4);
            if (!(fabsf(x) <= (float)EX_MAX_ABS_LOGIT))
                return npy_elem_error(f, k, e, "logit %s (expected a finite number with |z| <= 1e9)",
                                      isnan(x) ? "NaN" : isinf(x) ? "infinite" : "too large");
        }
    } else {
        for (size_t k = 0; k < f->count; k++) {
            double x;
            memcpy(&x, f->data + 8 * k, 8);
            if (!(fabs(x) <= EX_MAX_ABS_LOGIT))
                return npy_elem_error(f, k, e, "logit %s (expected a finite number with |z| <= 1e9)",
                                      isnan(x) ? "NaN" : isinf(x) ? "infinite" : "too large");
        }
    }
    return 0;
}

static int S_load_vocab(ex_model *m, const char *path, lb_err *e)
{
    size_t len = 0;
    char *buf = fio_read(path, S_MAX_VOCAB_BYTES, "vocabulary", LB_EXIT_INPUT, &len, e);
    if (!buf)
        return -1;
    int rc = -1;
    m->tokens = calloc(m->V, sizeof *m->tokens);
    if (!m->tokens) {
        err_nomem(e);
        goto out;
    }
    size_t j = 0, i = 0;
    int line = 1;
    while (i < len) {
        size_t b = i;
        while (i < len && buf[i] != '\n')
            i++;
        size_t l = i - b;
        if (l > 0 && buf[b + l - 1] == '\r')
            l--;
        if (j >= m->V) {
            err_at(e, LB_EXIT_INPUT, path, line, 1, "more names than the vocabulary size V = %zu of "
                   "the logits (expected one name per line)", m->V);
            goto out;
        }
        char name[EX_MAX_TOKEN_LEN + 2];
        if (l > EX_MAX_TOKEN_LEN) {
            err_at(e, LB_EXIT_INPUT, path, line, 1, "token name is longer than %u bytes", EX_MAX_TOKEN_LEN);
            goto out;
        }
        if (memchr(buf + b, '\0', l)) {
            err_at(e, LB_EXIT_INPUT, path, line, 1 + (int)((const char *)memchr(buf + b, '\0', l) - (buf + b)),
                   "NUL byte (expected UTF-8 text)");
            goto out;
        }
        memcpy(name, buf + b, l);
        name[l] = '\0';
        const char *why = ex_token_problem(name);
        if (why) {
            err_at(e, LB_EXIT_INPUT, path, line, 1, "token %zu: token name %s", j, why);
            goto out;
        }
        if (!(m->tokens[j] = strdup(name))) {
            err_nomem(e);
            goto out;
        }
        j++;
        line++;
        if (i < len)
            i++;   /* the newline */
    }
    if (j != m->V) {
        err_at(e, LB_EXIT_INPUT, path, line, 1, "%zu names, expected %zu (the vocabulary size V of "
               "the logits, one name per line)", j, m->V);
        goto out;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

static int S_load_weight(ex_model *m, const char *path, lb_err *e)
{
    npy *w = npy_open(path, e);
    if (!w)
        return -1;
    int rc = -1;
    if (w->dtype != NPY_F32 && w->dtype != NPY_F64) {
        err_set(e, LB_EXIT_INPUT, "%s: weights of type %s (expected '<f4' or '<f8')", path,
                npy_dtype_name(w->dtype));
        goto out;
    }
    if (w->ndim != 1 || w->shape[0] != m->V) {
        char sh[128];
        npy_shape_text(w, sh, sizeof sh);
        err_set(e, LB_EXIT_INPUT, "%s: shape %s, expected [%zu] (one weight per class)", path, sh, m->V);
        goto out;
    }
    if (!(m->weight = malloc(m->V * sizeof *m->weight))) {
        err_nomem(e);
        goto out;
    }
    for (size_t j = 0; j < m->V; j++) {
        double v = npy_get_f(w, j);
        if (!(v >= 0.0 && v <= 1e9)) {
            npy_elem_error(w, j, e, "weight %g (expected a number in [0, 1e9])", v);
            goto out;
        }
        m->weight[j] = v;
    }
    m->ce.weight = m->weight;
    rc = 0;
out:
    npy_free(w);
    return rc;
}

ex_model *ex_load_npy(const char *logits_path, const char *targets_path,
                      const ex_npy_opts *opts, lb_err *e)
{
    ex_npy_opts def = ex_npy_opts_default();
    const ex_npy_opts *o = opts ? opts : &def;
    npy *tg = NULL;
    char sh[128], sh2[128];
    ex_model *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(logits_path))) {
        err_nomem(e);
        goto fail;
    }
    if (!(m->lnpy = npy_open(logits_path, e)))
        goto fail;
    const npy *lg = m->lnpy;
    npy_shape_text(lg, sh, sizeof sh);
    if (lg->dtype != NPY_F32 && lg->dtype != NPY_F64) {
        err_set(e, LB_EXIT_INPUT, "%s: logits of type %s (expected '<f4' float32 or '<f8' float64)",
                logits_path, npy_dtype_name(lg->dtype));
        goto fail;
    }
    if (lg->ndim != 2 && lg->ndim != 3) {
        err_set(e, LB_EXIT_INPUT, "%s: logits of shape %s (expected [N, V] or [B, T, V])",
                logits_path, sh);
        goto fail;
    }
    m->V = lg->shape[lg->ndim - 1];
    m->B = lg->ndim == 3 ? lg->shape[0] : 1;
    m->T = lg->ndim == 3 ? lg->shape[1] : lg->shape[0];
    m->N = m->B * m->T;
    m->flat_input = lg->ndim == 2;
    if (m->N > EX_MAX_N) {
        err_set(e, LB_EXIT_INPUT, "%s: logits of shape %s: %zu positions (at most %u)",
                logits_path, sh, m->N, EX_MAX_N);
        goto fail;
    }
    if (m->V < 2 || m->V > EX_MAX_V) {
        err_set(e, LB_EXIT_INPUT, "%s: logits of shape %s: vocabulary size V = %zu (expected "
                "2..%u)", logits_path, sh, m->V, EX_MAX_V);
        goto fail;
    }
    m->lraw = lg->data;
    m->dtype = lg->dtype == NPY_F32 ? EX_F32 : EX_F64;
    if (S_check_logits(lg, e) != 0)
        goto fail;

    m->lr = o->lr;
    m->ce = num_ce_opts_default();
    m->ce.ignore_index = o->ignore_index;
    m->ce.label_smoothing = o->label_smoothing;
    m->ce.reduction = o->reduction;
    if (o->weight_path && S_load_weight(m, o->weight_path, e) != 0)
        goto fail;

    if (!(tg = npy_open(targets_path, e)))
        goto fail;
    npy_shape_text(tg, sh2, sizeof sh2);
    if (tg->dtype != NPY_I32 && tg->dtype != NPY_I64) {
        err_set(e, LB_EXIT_INPUT, "%s: targets of type %s (expected '<i4' int32 or '<i8' int64 "
                "class indices)", targets_path, npy_dtype_name(tg->dtype));
        goto fail;
    }
    int shape_ok = lg->ndim == 3 ? (tg->ndim == 2 && tg->shape[0] == m->B && tg->shape[1] == m->T)
                                 : (tg->ndim == 1 && tg->shape[0] == m->N);
    if (!shape_ok) {
        if (lg->ndim == 3)
            err_set(e, LB_EXIT_INPUT, "%s: targets of shape %s do not match the logits %s "
                    "(expected [%zu, %zu])", targets_path, sh2, sh, m->B, m->T);
        else
            err_set(e, LB_EXIT_INPUT, "%s: targets of shape %s do not match the logits %s "
                    "(expected [%zu])", targets_path, sh2, sh, m->N);
        goto fail;
    }
    if (!(m->targets = malloc(m->N * sizeof *m->targets))) {
        err_nomem(e);
        goto fail;
    }
    for (size_t k = 0; k < m->N; k++) {
        int64_t y = npy_get_i(tg, k);
        if ((y < 0 || (uint64_t)y >= m->V) && y != m->ce.ignore_index) {
            npy_elem_error(tg, k, e, "target %lld out of range (expected 0..%zu), and not ignore_index (%lld)",
                           (long long)y, m->V - 1, (long long)m->ce.ignore_index);
            goto fail;
        }
        m->targets[k] = y;
    }
    npy_free(tg);
    tg = NULL;
    if (o->vocab_path && S_load_vocab(m, o->vocab_path, e) != 0)
        goto fail;
    return m;
fail:
    npy_free(tg);
    ex_free(m);
    return NULL;
}
