/* example_json — the JSON example reader (see example.h for the format).
 * cJSON is used only here (and in jsonpos.c). */
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
            if ((v < 0 || v >= (double)m->V) && v != (double)m->ce.ignore_index)
                return S_fail_at(cx, p, 3,
                                 "targets[%zu][%zu]: token index %.0f out of range (expected 0..%zu), "
                                 "and not ignore_index (%lld)",
                                 b, t, v, m->V - 1, (long long)m->ce.ignore_index);
            m->targets[k++] = (int64_t)v;
        }
    }
    return 0;
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
        const char *why = ex_token_problem(s->valuestring);
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
    /* "description" is not used, but like every known key it is checked */
    const cJSON *ds = cJSON_GetObjectItemCaseSensitive(root, "description");
    if (ds && !cJSON_IsString(ds)) {
        p[0].key = "description";
        return S_fail_at(cx, p, 1, "\"description\": expected a string");
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

/* The keys a JSON example may hold, in the order the messages list them. */
static const char *const S_known_keys[] = {
    "logits", "targets", "tokens", "learning_rate", "ignore_index", "label_smoothing",
    "weight", "reduction", "batch_size", "seq_length", "vocab_size", "description"};
#define S_NKEYS (sizeof S_known_keys / sizeof S_known_keys[0])

/* Levenshtein distance, capped (keys are short). */
static size_t S_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* Offset of the key (its opening quote) whose value starts at `voff`: scan
 * back over white space and ':' to the key's closing quote, then to its
 * opening quote. */
static size_t S_key_offset(const char *buf, size_t voff)
{
    size_t i = voff;
    while (i > 0 && strchr(" \t\r\n:", buf[i - 1]))
        i--;
    if (i == 0 || buf[i - 1] != '"')
        return voff;
    i--;   /* the closing quote */
    while (i > 0) {
        i--;
        if (buf[i] == '"' && (i == 0 || buf[i - 1] != '\\'))
            return i;
    }
    return voff;
}

static int S_check_keys(S_ctx *cx, const cJSON *root)
{
    for (const cJSON *it = root->child; it; it = it->next) {
        const char *k = it->string ? it->string : "";
        size_t i = 0;
        while (i < S_NKEYS && strcmp(k, S_known_keys[i]) != 0)
            i++;
        if (i < S_NKEYS)
            continue;
        char known[512], hint[96] = "";
        size_t u = 0, best = 99, bi = 0;
        for (size_t j = 0; j < S_NKEYS; j++) {
            u += (size_t)snprintf(known + u, sizeof known - u, "%s%s", j ? ", " : "", S_known_keys[j]);
            size_t dd = S_edit_distance(k, S_known_keys[j]);
            if (dd < best) {
                best = dd;
                bi = j;
            }
        }
        if (best <= 3 && best < strlen(k))
            snprintf(hint, sizeof hint, "; did you mean \"%s\"?", S_known_keys[bi]);
        jpos_step p[1] = {{k, 0}};
        size_t off = S_key_offset(cx->buf, jpos_find(cx->buf, cx->len, p, 1));
        int line, col;
        err_linecol(cx->buf, cx->len, off, &line, &col);
        return err_at(cx->e, LB_EXIT_INPUT, cx->name, line, col,
                      "unknown key \"%.60s\" (known keys: %s%s)", k, known, hint);
    }
    return 0;
}

/* F.cross_entropy's options; read before the targets (ignore_index decides
 * which targets are allowed). */
static int S_load_options(S_ctx *cx, const cJSON *root, ex_model *m)
{
    jpos_step p[2] = {{NULL, 0}, {NULL, 0}};
    m->ce = num_ce_opts_default();
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(root, "ignore_index");
    if (x) {
        p[0].key = "ignore_index";
        double v = cJSON_IsNumber(x) ? x->valuedouble : NAN;
        if (!isfinite(v) || v != floor(v) || fabs(v) > 9007199254740992.0)
            return S_fail_at(cx, p, 1, "\"ignore_index\": expected an integer (PyTorch's default is -100)");
        m->ce.ignore_index = (int64_t)v;
    }
    x = cJSON_GetObjectItemCaseSensitive(root, "label_smoothing");
    if (x) {
        p[0].key = "label_smoothing";
        double v = cJSON_IsNumber(x) ? x->valuedouble : NAN;
        if (!(v >= 0.0 && v <= 1.0))
            return S_fail_at(cx, p, 1, "\"label_smoothing\": expected a number in [0, 1]");
        m->ce.label_smoothing = v;
    }
    x = cJSON_GetObjectItemCaseSensitive(root, "reduction");
    if (x) {
        p[0].key = "reduction";
        const char *r = cJSON_IsString(x) ? x->valuestring : NULL;
        if (r && !strcmp(r, "mean"))
            m->ce.reduction = NUM_REDUCTION_MEAN;
        else if (r && !strcmp(r, "sum"))
            m->ce.reduction = NUM_REDUCTION_SUM;
        else if (r && !strcmp(r, "none"))
            m->ce.reduction = NUM_REDUCTION_NONE;
        else
            return S_fail_at(cx, p, 1, "\"reduction\": expected \"mean\", \"sum\" or \"none\"");
    }
    x = cJSON_GetObjectItemCaseSensitive(root, "weight");
    if (x && !cJSON_IsNull(x)) {
        p[0].key = "weight";
        if (!cJSON_IsArray(x) || S_count(x) != m->V)
            return S_fail_at(cx, p, 1, "\"weight\": expected an array of %zu numbers (one per "
                             "class, the vocabulary size V of \"logits\")", m->V);
        m->weight = malloc(m->V * sizeof *m->weight);
        if (!m->weight)
            return err_nomem(cx->e);
        size_t j = 0;
        for (const cJSON *w = x->child; w; w = w->next, j++) {
            p[1].index = j;
            double v = cJSON_IsNumber(w) ? w->valuedouble : NAN;
            if (!(v >= 0.0 && v <= 1e9))
                return S_fail_at(cx, p, 2, "weight[%zu]: expected a number in [0, 1e9]", j);
            m->weight[j] = v;
        }
        m->ce.weight = m->weight;
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
    if (S_check_keys(&cx, root) != 0 || S_load_logits(&cx, root, m) != 0 ||
        S_load_options(&cx, root, m) != 0 || S_load_targets(&cx, root, m) != 0 ||
        S_load_tokens(&cx, root, m) != 0 || S_load_scalars(&cx, root, m) != 0)
        goto fail;
    m->lraw = m->logits;
    m->dtype = EX_F64;
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

