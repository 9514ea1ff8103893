/* example — see example.h. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "compute/example.h"
#include "base/fileio.h"
#include "base/jsonpos.h"
#include "compute/numerics.h"

/* Loader state: the text is kept so semantic errors can be located. */
typedef struct S_ctx {
    const char *buf;
    size_t len;
    const char *name;
    lb_err *e;
} S_ctx;

/* "NAME:LINE:COL: <what>" for the value at `path`. */
static int S_fail_at(S_ctx *cx, const jpos_step *path, size_t depth,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int S_fail_at(S_ctx *cx, const jpos_step *path, size_t depth,
                     const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    size_t off = jpos_find(cx->buf, cx->len, path, depth);
    int line, col;
    err_linecol(cx->buf, cx->len, off, &line, &col);
    return err_at(cx->e, LB_EXIT_INPUT, cx->name, line, col, "%s", what);
}

/* ---- loading ------------------------------------------------------------ */

static char *S_strdup(const char *s)
{
    size_t l = strlen(s);
    char *d = malloc(l + 1);
    if (d)
        memcpy(d, s, l + 1);
    return d;
}

void ex_free(ex_model *m)
{
    if (!m)
        return;
    if (m->tokens)
        for (size_t j = 0; j < m->V; j++)
            free(m->tokens[j]);
    free(m->tokens);
    free(m->logits);
    free(m->targets);
    free(m->steps);
    free(m->path);
    free(m);
}

static size_t S_count(const cJSON *a)
{
    size_t k = 0;
    for (const cJSON *c = a ? a->child : NULL; c; c = c->next)
        k++;
    return k;
}

/* Describe a syntax error at byte `off` (where cJSON stopped): what the
 * grammar expected there and what was found. */
static int S_syntax_error(S_ctx *cx, size_t off)
{
    int line, col;
    char found[32];
    size_t where;
    if (off > cx->len)
        off = cx->len;
    const char *what = jpos_expect(cx->buf, cx->len, off, &where);
    if (where != off) {
        err_linecol(cx->buf, cx->len, where, &line, &col);
        return err_at(cx->e, LB_EXIT_INPUT, cx->name, line, col, "invalid JSON: %s", what);
    }
    if (off >= cx->len) {
        snprintf(found, sizeof found, "end of input");
    } else {
        unsigned char ch = (unsigned char)cx->buf[off];
        if (ch >= 0x21 && ch < 0x7f && ch != '\'')
            snprintf(found, sizeof found, "'%c'", ch);
        else if (ch == '\'')
            snprintf(found, sizeof found, "a quote (')");
        else
            snprintf(found, sizeof found, "byte 0x%02X", ch);
    }
    err_linecol(cx->buf, cx->len, off, &line, &col);
    return err_at(cx->e, LB_EXIT_INPUT, cx->name, line, col, "invalid JSON: %s, found %s",
                  what, found);
}

#define PATH_MAX_DEPTH 4

static int S_load_logits(S_ctx *cx, const cJSON *root, ex_model *m)
{
    jpos_step p[PATH_MAX_DEPTH] = {{"logits", 0}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    const cJSON *lg = cJSON_GetObjectItemCaseSensitive(root, "logits");
    if (!lg)
        return S_fail_at(cx, p, 0,
                         "missing key \"logits\" (expected \"logits\": [[[numbers]]] of shape [B, T, V])");
    if (!cJSON_IsArray(lg) || !lg->child)
        return S_fail_at(cx, p, 1,
                         "\"logits\" must be a non-empty array of sequences: [[[z, ...], ...], ...] of shape [B, T, V]");
    size_t B = S_count(lg), T = 0, V = 0;
    if (B > EX_MAX_N)
        return S_fail_at(cx, p, 1, "too many sequences in \"logits\": %zu (the limit is %u positions)",
                         B, EX_MAX_N);
    /* Shape pass: every sequence has T rows, every row V numbers. */
    size_t b = 0;
    for (const cJSON *seq = lg->child; seq; seq = seq->next, b++) {
        p[1].index = b;
        if (!cJSON_IsArray(seq) || !seq->child)
            return S_fail_at(cx, p, 2, "logits[%zu]: expected a non-empty array of logit rows", b);
        size_t t_here = S_count(seq);
        if (b == 0) {
            T = t_here;
            if (B * T > EX_MAX_N)
                return S_fail_at(cx, p, 2, "too many positions: B*T = %zu*%zu exceeds the limit of %u",
                                 B, T, EX_MAX_N);
        } else if (t_here != T) {
            return S_fail_at(cx, p, 2,
                             "logits[%zu] has %zu rows, expected %zu (the sequence length T, from logits[0])",
                             b, t_here, T);
        }
        size_t t = 0;
        for (const cJSON *row = seq->child; row; row = row->next, t++) {
            p[2].index = t;
            if (!cJSON_IsArray(row))
                return S_fail_at(cx, p, 3, "logits[%zu][%zu]: expected an array of %s numbers",
                                 b, t, V ? "V" : "at least 2");
            size_t v_here = S_count(row);
            if (b == 0 && t == 0) {
                V = v_here;
                if (V < 2)
                    return S_fail_at(cx, p, 3,
                                     "logits[0][0] has %zu value%s, expected at least 2 (one logit per vocabulary token)",
                                     V, V == 1 ? "" : "s");
                if (V > EX_MAX_V)
                    return S_fail_at(cx, p, 3, "vocabulary too large: V = %zu exceeds the limit of %u",
                                     V, EX_MAX_V);
                if (B * T > EX_MAX_LOGITS / V)
                    return S_fail_at(cx, p, 3,
                                     "too many logits: B*T*V = %zu*%zu*%zu exceeds the limit of %u",
                                     B, T, V, EX_MAX_LOGITS);
            } else if (v_here != V) {
                return S_fail_at(cx, p, 3,
                                 "logits[%zu][%zu] has %zu values, expected %zu (the vocabulary size V, from logits[0][0])",
                                 b, t, v_here, V);
            }
        }
    }
    m->B = B;
    m->T = T;
    m->V = V;
    m->N = B * T;
    m->logits = malloc(m->N * V * sizeof *m->logits);
    if (!m->logits)
        return err_nomem(cx->e);
    /* Value pass. */
    b = 0;
    size_t k = 0;
    for (const cJSON *seq = lg->child; seq; seq = seq->next, b++) {
        size_t t = 0;
        for (const cJSON *row = seq->child; row; row = row->next, t++) {
            size_t j = 0;
            for (const cJSON *x = row->child; x; x = x->next, j++) {
                p[1].index = b;
                p[2].index = t;
                p[3].index = j;
                if (!cJSON_IsNumber(x))
                    return S_fail_at(cx, p, 4, "logits[%zu][%zu][%zu]: expected a number", b, t, j);
                double z = x->valuedouble;
                if (!isfinite(z) || fabs(z) > EX_MAX_ABS_LOGIT)
                    return S_fail_at(cx, p, 4,
                                     "logits[%zu][%zu][%zu]: logit out of range (expected a finite number with |z| <= 1e9)",
                                     b, t, j);
                m->logits[k++] = z;
            }
        }
    }
    return 0;
}

static int S_load_targets(S_ctx *cx, const cJSON *root, ex_model *m)
{
    jpos_step p[3] = {{"targets", 0}, {NULL, 0}, {NULL, 0}};
    const cJSON *tg = cJSON_GetObjectItemCaseSensitive(root, "targets");
    if (!tg)
        return S_fail_at(cx, p, 0,
                         "missing key \"targets\" (expected \"targets\": [[token indices]] of shape [B, T] = [%zu, %zu])",
                         m->B, m->T);
    if (!cJSON_IsArray(tg))
        return S_fail_at(cx, p, 1, "\"targets\" must be an array of shape [B, T] = [%zu, %zu]",
                         m->B, m->T);
    size_t nb = S_count(tg);
    if (nb != m->B)
        return S_fail_at(cx, p, 1, "\"targets\" has %zu rows, expected %zu (the batch size B of \"logits\")",
                         nb, m->B);
    m->targets = malloc(m->N * sizeof *m->targets);
    if (!m->targets)
        return err_nomem(cx->e);
    size_t b = 0, k = 0;
    for (const cJSON *seq = tg->child; seq; seq = seq->next, b++) {
        p[1].index = b;
        if (!cJSON_IsArray(seq))
            return S_fail_at(cx, p, 2, "targets[%zu]: expected an array of %zu token indices", b, m->T);
        size_t nt = S_count(seq);
        if (nt != m->T)
            return S_fail_at(cx, p, 2,
                             "targets[%zu] has %zu entries, expected %zu (the sequence length T of \"logits\")",
                             b, nt, m->T);
        size_t t = 0;
        for (const cJSON *y = seq->child; y; y = y->next, t++) {
            p[2].index = t;
            if (!cJSON_IsNumber(y))
                return S_fail_at(cx, p, 3, "targets[%zu][%zu]: expected an integer token index in 0..%zu",
                                 b, t, m->V - 1);
            double v = y->valuedouble;
            if (!isfinite(v) || v != floor(v))
                return S_fail_at(cx, p, 3,
                                 "targets[%zu][%zu]: expected an integer token index in 0..%zu, got a non-integer",
                                 b, t, m->V - 1);
            if (v < 0 || v >= (double)m->V)
                return S_fail_at(cx, p, 3,
                                 "targets[%zu][%zu]: token index %.0f out of range (expected 0..%zu)",
                                 b, t, v, m->V - 1);
            m->targets[k++] = (int64_t)v;
        }
    }
    return 0;
}

/* Only spaces: ASCII blanks, no-break and Unicode spaces, zero-width
 * space and BOM (issue 16: such a name prints as nothing). */
static int S_blank(const char *s)
{
    static const char *const sp[] = {"\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80",
        "\xe2\x80\x81", "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85",
        "\xe2\x80\x86", "\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a",
        "\xe2\x80\x8b", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80", "\xef\xbb\xbf"};
    while (*s) {
        if (*s == ' ') {
            s++;
            continue;
        }
        size_t k = 0;
        while (k < sizeof sp / sizeof sp[0] && strncmp(s, sp[k], strlen(sp[k])) != 0)
            k++;
        if (k == sizeof sp / sizeof sp[0])
            return 0;
        s += strlen(sp[k]);
    }
    return 1;
}

/* A token name goes into TeX-aware tables and gnuplot labels: keep it to
 * printable text without '$' and '\\' (which would start math or an escape)
 * and valid UTF-8. */
static const char *S_bad_token(const char *s)
{
    size_t l = strlen(s);
    if (l == 0)
        return "is empty";
    if (S_blank(s))
        return "is blank (only spaces: it would print as nothing)";
    if (l > EX_MAX_TOKEN_LEN)
        return "is longer than 64 bytes";
    for (size_t i = 0; i < l;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return "contains a control character";
        if (c == '$' || c == '\\')
            return "contains '$' or '\\' (not allowed in token names)";
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3;
        else
            return "is not valid UTF-8";
        for (size_t k = 1; k <= need; k++)
            if (i + k >= l || ((unsigned char)s[i + k] & 0xC0) != 0x80)
                return "is not valid UTF-8";
        i += need + 1;
    }
    return NULL;
}

static int S_load_tokens(S_ctx *cx, const cJSON *root, ex_model *m)
{
    jpos_step p[2] = {{"tokens", 0}, {NULL, 0}};
    const cJSON *tk = cJSON_GetObjectItemCaseSensitive(root, "tokens");
    if (!tk || cJSON_IsNull(tk))
        return 0;
    if (!cJSON_IsArray(tk))
        return S_fail_at(cx, p, 1, "\"tokens\" must be an array of %zu strings (one name per vocabulary entry)",
                         m->V);
    size_t n = S_count(tk);
    if (n != m->V)
        return S_fail_at(cx, p, 1, "\"tokens\" has %zu names, expected %zu (the vocabulary size V of \"logits\")",
                         n, m->V);
    m->tokens = calloc(m->V, sizeof *m->tokens);
    if (!m->tokens)
        return err_nomem(cx->e);
    size_t j = 0;
    for (const cJSON *s = tk->child; s; s = s->next, j++) {
        p[1].index = j;
        if (!cJSON_IsString(s) || !s->valuestring)
            return S_fail_at(cx, p, 2, "tokens[%zu]: expected a string", j);
        const char *why = S_bad_token(s->valuestring);
        if (why)
            return S_fail_at(cx, p, 2, "tokens[%zu]: token name %s", j, why);
        if (!(m->tokens[j] = S_strdup(s->valuestring)))
            return err_nomem(cx->e);
    }
    return 0;
}

static int S_load_scalars(S_ctx *cx, const cJSON *root, ex_model *m)
{
    jpos_step p[1] = {{NULL, 0}};
    m->lr = 1.0;
    const cJSON *lr = cJSON_GetObjectItemCaseSensitive(root, "learning_rate");
    if (lr) {
        p[0].key = "learning_rate";
        if (!cJSON_IsNumber(lr) || !isfinite(lr->valuedouble) || lr->valuedouble <= 0 ||
            lr->valuedouble > 1e6)
            return S_fail_at(cx, p, 1, "\"learning_rate\": expected a number in (0, 1e6]");
        m->lr = lr->valuedouble;
    }
    static const char *const keys[3] = {"batch_size", "seq_length", "vocab_size"};
    size_t want[3] = {m->B, m->T, m->V};
    for (int i = 0; i < 3; i++) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(root, keys[i]);
        if (!k)
            continue;
        p[0].key = keys[i];
        if (!cJSON_IsNumber(k) || k->valuedouble != (double)want[i])
            return S_fail_at(cx, p, 1, "\"%s\": expected %zu (the size of \"logits\")", keys[i],
                             want[i]);
    }
    return 0;
}

/* ---- strict JSON (issue 16) ----------------------------------------------
 * What cJSON lets through (jpos_strict: NUL and \u0000, control bytes,
 * leading zeros, "2.", unpaired surrogates, duplicate keys, nesting deeper
 * than JPOS_MAX_DEPTH) is an error at its line:column.  Scanned up to where
 * cJSON stopped (`stop`); for a parsed text, a problem is reported only if
 * it comes before any trailing content (which has its own message). */
static int S_strict(S_ctx *cx, size_t stop, size_t trail)
{
    char why[256];
    size_t at = 0;
    int r = jpos_strict(cx->buf, stop, JPOS_MAX_DEPTH, &at, why, sizeof why);
    if (r == -2)
        return err_nomem(cx->e);
    if (r == 0 || at >= trail)
        return 0;
    int line, col;
    err_linecol(cx->buf, cx->len, at, &line, &col);
    return err_at(cx->e, LB_EXIT_INPUT, cx->name, line, col, "invalid JSON: %s", why);
}

/* cJSON reports an allocation failure exactly like a syntax error (NULL
 * and an error position): its allocator is wrapped so that the two can be
 * told apart, and out of memory is not blamed on the user's file. */
static int S_json_oom;

static void *S_json_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        S_json_oom = 1;
    return p;
}

ex_model *ex_load_buf(const char *buf, size_t len, const char *name, lb_err *e)
{
    S_ctx cx = {buf, len, name ? name : "(example)", e};
    ex_model *m = NULL;
    cJSON *root = NULL;
    size_t where = 0;
    /* Refuse huge inputs before cJSON allocates a node per value. */
    size_t limit = EX_MAX_JSON_VALUES;
    if (jpos_count_commas(buf, len, limit, &where) > limit) {
        int line, col;
        err_linecol(buf, len, where, &line, &col);
        err_at(e, LB_EXIT_INPUT, cx.name, line, col,
               "too many values (more than %u in the file; the example is limited to %u logits)",
               EX_MAX_JSON_VALUES, EX_MAX_LOGITS);
        goto fail;
    }
    const char *end = NULL;
    static cJSON_Hooks hooks = {S_json_malloc, free};
    cJSON_InitHooks(&hooks);
    S_json_oom = 0;
    root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!root && S_json_oom) {
        err_nomem(e);
        goto fail;
    }
    size_t stop = end && end >= buf ? (size_t)(end - buf) : 0;
    /* Parsed: trailing content (after the value and blanks) has its own
     * message.  Failed: a problem up to where cJSON stopped (the token it
     * stopped in included: "-", "1e", "\ud800") explains it better. */
    size_t trail = stop + 1;
    if (root)
        for (trail = stop; trail < len && buf[trail] && strchr(" \t\r\n", buf[trail]);)
            trail++;
    if (S_strict(&cx, len, trail) != 0)
        goto fail;
    if (!root) {
        /* cJSON reports "ran out of input" at the last byte, which then
         * reads as "expected ']', found ']'": parsing once more with a
         * blank appended tells the two apart (issue 16). */
        if (len > 0 && stop == len - 1) {
            char *more = malloc(len + 1);
            const char *end2 = NULL;
            if (more) {
                memcpy(more, buf, len);
                more[len] = ' ';
                cJSON *r2 = cJSON_ParseWithLengthOpts(more, len + 1, &end2, 0);
                if (!r2 && end2 && (size_t)(end2 - more) == len)
                    stop = len;
                cJSON_Delete(r2);
                free(more);
            }
        }
        S_syntax_error(&cx, stop);
        goto fail;
    }
    /* Trailing content after the value (cJSON stops at the value's end). */
    if (end && end >= buf) {
        size_t off = (size_t)(end - buf);
        while (off < len && buf[off] && strchr(" \t\r\n", buf[off]))
            off++;
        if (off < len) {
            int line, col;
            err_linecol(buf, len, off, &line, &col);
            err_at(e, LB_EXIT_INPUT, cx.name, line, col,
                   "invalid JSON: expected end of input after the top-level object");
            goto fail;
        }
    }
    if (!cJSON_IsObject(root)) {
        S_fail_at(&cx, NULL, 0,
                  "expected a JSON object at top level ({\"logits\": ..., \"targets\": ...})");
        goto fail;
    }
    m = calloc(1, sizeof *m);
    if (!m || !(m->path = S_strdup(cx.name))) {
        err_nomem(e);
        goto fail;
    }
    if (S_load_logits(&cx, root, m) != 0 || S_load_targets(&cx, root, m) != 0 ||
        S_load_tokens(&cx, root, m) != 0 || S_load_scalars(&cx, root, m) != 0)
        goto fail;
    cJSON_Delete(root);
    return m;
fail:
    cJSON_Delete(root);
    ex_free(m);
    return NULL;
}

ex_model *ex_load(const char *path, lb_err *e)
{
    size_t len = 0;
    char *buf = fio_read(path, EX_MAX_FILE_BYTES, "example", LB_EXIT_INPUT, &len, e);
    if (!buf)
        return NULL;
    ex_model *m = ex_load_buf(buf, len, path, e);
    free(buf);
    return m;
}

/* ---- computing ------------------------------------------------------------ */

const double *ex_logits_row(const ex_model *m, size_t n)
{
    return m->logits + n * m->V;
}

const char *ex_token_name(const ex_model *m, size_t j)
{
    return m->tokens && j < m->V ? m->tokens[j] : NULL;
}

void ex_step_row(const ex_model *m, size_t n, double *expz, double *expz_shift,
                 double *p, double *grad)
{
    const double *z = ex_logits_row(m, n);
    const ex_step *s = &m->steps[n];
    for (size_t j = 0; j < m->V; j++) {
        double es = exp(z[j] - s->maxz);
        double pj = es / s->sumexp_shift;
        if (expz)
            expz[j] = exp(z[j]);
        if (expz_shift)
            expz_shift[j] = es;
        if (p)
            p[j] = pj;
        if (grad)
            grad[j] = pj - ((int64_t)j == s->target ? 1.0 : 0.0);
    }
}

/* z' = z - lr * dL_mean/dz for one row; dL_mean/dz_n = (p_n - y_n) / N. */
void ex_step_after(const ex_model *m, size_t n, double *z_after)
{
    const double *z = ex_logits_row(m, n);
    const ex_step *s = &m->steps[n];
    double inv = 1.0 / (double)m->N;
    for (size_t j = 0; j < m->V; j++) {
        double pj = exp(z[j] - s->maxz) / s->sumexp_shift;
        double g = (pj - ((int64_t)j == s->target ? 1.0 : 0.0)) * inv;
        z_after[j] = z[j] - m->lr * g;
    }
}

/* Loss of one row from its logits: (m - z_y) + log sum e^{z - m}. */
static double S_row_loss(const double *z, size_t V, int64_t y)
{
    double mx = num_max(z, V), s = 0.0;
    for (size_t j = 0; j < V; j++)
        s += exp(z[j] - mx);
    return (mx - z[y]) + log(s);
}

/* Compensated (Neumaier) mean, as num_cross_entropy reduces. */
static double S_mean(const double *x, size_t n)
{
    double s = 0.0, c = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = s + x[i];
        c += fabs(s) >= fabs(x[i]) ? (s - t) + x[i] : (x[i] - t) + s;
        s = t;
    }
    return (s + c) / (double)n;
}

static void S_fixed_examples(ex_model *m)
{
    static const char *const cname[EX_NCONF] = {"high", "moderate", "low"};
    static const double cz0[EX_NCONF] = {5.0, 2.0, 0.5};
    for (int i = 0; i < EX_NCONF; i++) {
        ex_conf *c = &m->conf[i];
        double z[5] = {cz0[i], 1.0, 0.1, 0.0, -1.0};
        c->name = cname[i];
        c->V = 5;
        memcpy(c->z, z, sizeof z);
        c->target = 0;
        num_softmax(c->z, 5, c->p);
        c->p_target = c->p[0];
        c->loss = S_row_loss(c->z, 5, 0);
    }
    static const double lp[EX_NLOGP] = {0.01, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0};
    for (int i = 0; i < EX_NLOGP; i++) {
        m->logp[i].p = lp[i];
        m->logp[i].logp = num_log(lp[i]);
        m->logp[i].neglogp = num_neglog(lp[i]);
    }
    static const double bq[EX_NBCE] = {0.7, 0.9, 0.2};
    for (int i = 0; i < EX_NBCE; i++) {
        m->bce[i].q = bq[i];
        m->bce[i].y = 1.0;
        m->bce[i].loss = num_bce(bq[i], 1.0);
    }
    static const int64_t mc[EX_NMULTI] = {2, 0};
    for (int i = 0; i < EX_NMULTI; i++) {
        ex_multi *x = &m->multi[i];
        x->q[0] = 0.1;
        x->q[1] = 0.2;
        x->q[2] = 0.7;
        x->true_class = mc[i];
        x->q_true = x->q[mc[i]];
        x->loss = num_neglog(x->q_true);
    }
}

int ex_compute(ex_model *m, lb_err *e)
{
    int rc = -1;
    double *none = NULL, *zafter = NULL;
    if (m->computed)
        return 0;
    m->steps = calloc(m->N, sizeof *m->steps);
    none = malloc(m->N * sizeof *none);
    zafter = malloc(m->V * sizeof *zafter);
    if (!m->steps || !none || !zafter) {
        err_nomem(e);
        goto out;
    }
    num_ce_opts o = num_ce_opts_default();
    o.reduction = NUM_REDUCTION_NONE;
    if (num_cross_entropy(m->logits, m->N, m->V, m->targets, &o, none, e) != 0)
        goto out;
    o.reduction = NUM_REDUCTION_MEAN;
    if (num_cross_entropy(m->logits, m->N, m->V, m->targets, &o, &m->loss_mean, e) != 0)
        goto out;
    o.reduction = NUM_REDUCTION_SUM;
    if (num_cross_entropy(m->logits, m->N, m->V, m->targets, &o, &m->loss_sum, e) != 0)
        goto out;
    for (size_t n = 0; n < m->N; n++) {
        ex_step *s = &m->steps[n];
        const double *z = ex_logits_row(m, n);
        s->n = n;
        s->b = n / m->T;
        s->t = n % m->T;
        s->target = m->targets[n];
        s->maxz = num_max(z, m->V);
        s->sumexp = 0.0;
        s->sumexp_shift = 0.0;
        for (size_t j = 0; j < m->V; j++) {
            s->sumexp += exp(z[j]);
            s->sumexp_shift += exp(z[j] - s->maxz);
        }
        s->lse = s->maxz + log(s->sumexp_shift);
        s->loss = none[n];
        /* the same arithmetic as p_j in ex_step_row, so tables and values agree */
        s->p_target = exp(z[s->target] - s->maxz) / s->sumexp_shift;
    }
    /* One gradient-descent step on the logits, row by row (no [N, V] copy);
     * the mean uses num_cross_entropy's (compensated) reduction via "none"
     * losses of the stepped rows: reuse `none` for them. */
    for (size_t n = 0; n < m->N; n++) {
        ex_step_after(m, n, zafter);
        m->steps[n].loss_after = S_row_loss(zafter, m->V, m->targets[n]);
        none[n] = m->steps[n].loss_after;
    }
    m->gd_loss_before = m->loss_mean;
    m->gd_loss_after = S_mean(none, m->N);
    S_fixed_examples(m);
    m->computed = 1;
    rc = 0;
out:
    free(none);
    free(zafter);
    return rc;
}
