/* worksheet — see worksheet.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/check_buf.h"
#include "check/worksheet.h"

/* ---- the blanks ------------------------------------------------------------ */

static const struct {
    const char *name;
    unsigned bit;
} S_cols[] = {
    {"expz", WS_EXPZ}, {"sum", WS_SUM},       {"sumexp", WS_SUM}, {"p", WS_P},
    {"ptarget", WS_PTARGET}, {"loss", WS_LOSS}, {"mean", WS_MEAN}, {"loss.mean", WS_MEAN},
};

int ws_blank_parse(const char *cols, unsigned *mask, lb_err *e)
{
    if (!cols) {
        *mask = WS_BLANK_DEFAULT;
        return 0;
    }
    unsigned m = 0;
    const char *s = cols;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        unsigned bit = 0;
        for (size_t i = 0; i < sizeof S_cols / sizeof S_cols[0] && !bit; i++)
            if (strlen(S_cols[i].name) == n && memcmp(S_cols[i].name, s, n) == 0)
                bit = S_cols[i].bit;
        if (!bit)
            return err_set(e, LB_EXIT_INPUT,
                           "--blank: unknown column '%.*s' (expected a comma-separated list of "
                           "expz, sum, p, ptarget, loss, mean; default expz,sum,p,loss,mean)",
                           (int)(n > 40 ? 40 : n), s);
        m |= bit;
        if (!end)
            break;
        s = end + 1;
    }
    if (m & WS_P)   /* p_target is one of the p_j: shown, it would give one away */
        m |= WS_PTARGET;
    *mask = m;
    return 0;
}

/* ---- the example -------------------------------------------------------------- */

static double S_get(const cat *c, const char *fmt, size_t a, size_t b)
{
    char name[64];
    double v = 0.0;
    snprintf(name, sizeof name, fmt, a, b);
    cat_value_get(c, name, &v);
    return v;
}

static size_t S_shape(const cat *c, const char *name)
{
    double v = 0.0;
    cat_value_get(c, name, &v);
    return (size_t)v;
}

int ws_check_size(const cat *c, int seeded, lb_err *e)
{
    size_t N = S_shape(c, "shape.N"), V = S_shape(c, "shape.V");
    if (N > WS_MAX_N || V > WS_MAX_V)
        return err_set(e, LB_EXIT_INPUT,
                       "--worksheet: a worksheet is worked by hand, so its example has at most "
                       "%u positions of at most %u tokens; this one has %zu positions of %zu tokens",
                       WS_MAX_N, WS_MAX_V, N, V);
    /* the sheet's formulas are the plain cross-entropy: every position
     * needs its target (a seeded example draws new ones) */
    for (size_t k = 1; k <= N && !seeded; k++) {
        double y = S_get(c, "target/%zu", k, 0);
        if (y < 0 || y >= (double)V)
            return err_set(e, LB_EXIT_INPUT,
                           "--worksheet: position %zu has no target to work with (it is ignored); "
                           "give --seed N for a new example of the same shape", k);
    }
    return 0;
}

/* splitmix64 (Steele, Lea, Flood 2014): the same numbers on every machine. */
static uint64_t S_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A JSON string. */
static void S_json_str(chk_buf *b, const char *s)
{
    chk_buf_add(b, "\"");
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            chk_buf_add(b, "\\%c", ch);
        else if (ch < 32)
            chk_buf_add(b, "\\u%04x", ch);
        else
            chk_buf_add(b, "%c", ch);
    }
    chk_buf_add(b, "\"");
}

char *ws_example_json(const cat *c, int seeded, unsigned long long seed, lb_err *e)
{
    size_t B = S_shape(c, "shape.B"), T = S_shape(c, "shape.T"), V = S_shape(c, "shape.V");
    uint64_t st = (uint64_t)seed;
    chk_buf b = {0};
    char tok[300];
    lb_err tmp;
    if (seeded)
        chk_buf_add(&b, "{\n  \"description\": \"Worksheet example of seed %llu: logits with one "
                        "decimal, %zu x %zu positions, %zu tokens.\",\n", seed, B, T, V);
    else
        chk_buf_add(&b, "{\n  \"description\": \"Worksheet example: the logits and targets of the "
                        "handout's example.\",\n");
    double named = 1.0;   /* catalogues without tokens.named: names assumed */
    cat_value_get(c, "tokens.named", &named);
    if (named != 0.0) {
        chk_buf_add(&b, "  \"tokens\": [");
        for (size_t j = 0; j < V; j++) {
            char name[64];
            err_clear(&tmp);
            snprintf(name, sizeof name, "tokenname/%zu", j);
            if (cat_value_format(c, name, tok, sizeof tok, &tmp) != 0)
                snprintf(tok, sizeof tok, "%zu", j);
            chk_buf_add(&b, "%s", j ? ", " : "");
            S_json_str(&b, tok);
        }
        chk_buf_add(&b, "],\n");
    }
    chk_buf_add(&b, "  \"logits\": [");
    for (size_t bi = 0; bi < B; bi++) {
        chk_buf_add(&b, "%s\n    [", bi ? "," : "");
        for (size_t t = 0; t < T; t++) {
            chk_buf_add(&b, "%s\n      [", t ? "," : "");
            for (size_t j = 0; j < V; j++) {
                double z;
                if (seeded) {
                    long k = 0;
                    for (int r = 0; r < 3; r++)
                        k += (long)(S_next(&st) % 21u) - 10;
                    z = (double)k / 10.0;
                    chk_buf_add(&b, "%s%.1f", j ? ", " : "", z);
                } else {
                    char num[40];
                    z = S_get(c, "z/%zu/%zu", bi * T + t + 1, j);
                    for (int p = 15; p <= 17; p++) {   /* the shortest that reads back */
                        snprintf(num, sizeof num, "%.*g", p, z);
                        if (strtod(num, NULL) == z)
                            break;
                    }
                    chk_buf_add(&b, "%s%s", j ? ", " : "", num);
                }
            }
            chk_buf_add(&b, "]");
        }
        chk_buf_add(&b, "\n    ]");
    }
    chk_buf_add(&b, "\n  ],\n  \"targets\": [");
    for (size_t bi = 0; bi < B; bi++) {
        chk_buf_add(&b, "%s[", bi ? ", " : "");
        for (size_t t = 0; t < T; t++) {
            size_t y = seeded ? (size_t)(S_next(&st) % V)
                              : (size_t)S_get(c, "target/%zu", bi * T + t + 1, 0);
            chk_buf_add(&b, "%s%zu", t ? ", " : "", y);
        }
        chk_buf_add(&b, "]");
    }
    chk_buf_add(&b, "]\n}\n");
    return chk_buf_take(&b, e);
}

/* ---- the worksheet ------------------------------------------------------------ */

/* A value directive, blank when its column is. */
static void S_val(chk_buf *b, const char *name, int blank)
{
    chk_buf_add(b, "[](value:%s%s)", name, blank ? "?blank" : "");
}

char *ws_markdown(const cat *c, unsigned mask, int seeded, unsigned long long seed,
                  const char *source, int key, lb_err *e)
{
    size_t N = S_shape(c, "shape.N"), V = S_shape(c, "shape.V");
    chk_buf b = {0};
    char name[64];
    chk_buf_add(&b, "---\ntitle: \"%s: the cross-entropy by hand\"\nsubject: \"Softmax and "
                    "cross-entropy of a small language-model batch, worked by hand\"\nkeywords: "
                    "\"softmax, cross-entropy, worksheet\"\n---\n\n",
                key ? "Key" : "Worksheet");
    if (seeded)
        chk_buf_add(&b, "**Example of seed %llu.** Name: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_"
                        "\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\n\n", seed);
    else {
        chk_buf_add(&b, "**The example of `");
        for (const char *s = source; *s; s++)   /* a file name in a code span */
            chk_buf_add(&b, "%c", *s == '`' ? '\'' : *s);
        chk_buf_add(&b, "`.** Name: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\n\n");
    }
    chk_buf_add(&b, "A language model has read [B](value:shape.B) %s of [T](value:shape.T) tokens. "
                    "At each of the [N](value:shape.N) positions it gives every one of the "
                    "[V](value:shape.V) tokens of its vocabulary a score, its logit $z_j$, and the "
                    "true next token $y$ is known. Turn each position's logits into probabilities "
                    "with softmax, find the loss of the true token, and average the losses over "
                    "the batch. Fill in every blank with four decimals, and keep more decimals than "
                    "that in the steps in between.\n\n",
                S_shape(c, "shape.B") == 1 ? "sequence" : "sequences");
    chk_buf_add(&b, "$$\ne^{z_j}, \\qquad S = \\sum_{j} e^{z_j}, \\qquad p_j = \\frac{e^{z_j}}{S}, "
                    "\\qquad \\ell = -\\ln p_y, \\qquad \\mathcal{L} = \\frac{1}{N} \\sum_{n=1}^{N} "
                    "\\ell_n\n$$\n\n");
    chk_buf_add(&b, "[The logits of every position and the true next token $y_n$.](table:logits)\n\n");
    /* tokens without names are their numbers: no "(2)" after token 2, no
     * column repeating j */
    double named = 1.0;
    cat_value_get(c, "tokens.named", &named);
    for (size_t k = 1; k <= N; k++) {
        /* the heading says it all, so that it stays with its table */
        chk_buf_add(&b, "## Position %zu: sequence [b](value:pos.b/%zu), step [t](value:pos.t/%zu), "
                        "true next token [y](value:target/%zu)", k, k, k, k);
        if (named != 0.0)
            chk_buf_add(&b, " ([w](value:token/%zu))", k);
        chk_buf_add(&b, " {-}\n\n| $j$ | %s | $z_j$ | $e^{z_j}$ | $p_j$ |\n|--:|:--|--:|--:|--:|\n",
                    named != 0.0 ? "token" : "");
        for (size_t j = 0; j < V; j++) {
            if (named != 0.0)
                chk_buf_add(&b, "| %zu | [](value:tokenname/%zu) | [](value:z/%zu/%zu) | ", j, j, k, j);
            else
                chk_buf_add(&b, "| %zu | | [](value:z/%zu/%zu) | ", j, k, j);
            snprintf(name, sizeof name, "expz/%zu/%zu", k, j);
            S_val(&b, name, (mask & WS_EXPZ) != 0);
            chk_buf_add(&b, " | ");
            snprintf(name, sizeof name, "p/%zu/%zu", k, j);
            S_val(&b, name, (mask & WS_P) != 0);
            chk_buf_add(&b, " |\n");
        }
        chk_buf_add(&b, "| $\\sum$ | | | ");
        snprintf(name, sizeof name, "sumexp/%zu", k);
        S_val(&b, name, (mask & WS_SUM) != 0);
        /* p_y and the loss as rows of the table: one block, never split */
        chk_buf_add(&b, " | 1 |\n| | $p_y$ | | | ");
        snprintf(name, sizeof name, "ptarget/%zu", k);
        S_val(&b, name, (mask & WS_PTARGET) != 0);
        chk_buf_add(&b, " |\n| | $\\ell_{%zu} = -\\ln p_y$ | | | ", k);
        snprintf(name, sizeof name, "loss/%zu", k);
        S_val(&b, name, (mask & WS_LOSS) != 0);
        chk_buf_add(&b, " |\n\n");
    }
    chk_buf_add(&b, "## The batch {-}\n\nThe mean loss $\\mathcal{L} = \\frac{1}{N} \\sum_n \\ell_n =$ ");
    S_val(&b, "loss.mean", (mask & WS_MEAN) != 0);
    chk_buf_add(&b, "\n\nType your answers into `worksheet-claims.csv` and run `lossbook check "
                    "worksheet-claims.csv`: it names every slip, and what follows from it.\n");
    return chk_buf_take(&b, e);
}

char *ws_claims_csv(const cat *c, unsigned mask, int seeded, unsigned long long seed,
                    const char *example_file, lb_err *e)
{
    size_t N = S_shape(c, "shape.N"), V = S_shape(c, "shape.V");
    chk_buf b = {0};
    if (seeded)
        chk_buf_add(&b, "# worksheet of seed %llu: ", seed);
    else
        chk_buf_add(&b, "# worksheet: ");
    chk_buf_add(&b, "write each answer after its comma, as on the sheet, then run\n"
                    "#   lossbook check worksheet-claims.csv\n# example: %s\nname,value\n",
                example_file);
    for (size_t k = 1; k <= N; k++) {
        for (size_t j = 0; j < V; j++)
            if (mask & WS_EXPZ)
                chk_buf_add(&b, "expz/%zu/%zu,\n", k, j);
        if (mask & WS_SUM)
            chk_buf_add(&b, "sumexp/%zu,\n", k);
        for (size_t j = 0; j < V; j++)
            if (mask & WS_P)
                chk_buf_add(&b, "p/%zu/%zu,\n", k, j);
        if (mask & WS_PTARGET)
            chk_buf_add(&b, "ptarget/%zu,\n", k);
        if (mask & WS_LOSS)
            chk_buf_add(&b, "loss/%zu,\n", k);
    }
    if (mask & WS_MEAN)
        chk_buf_add(&b, "loss.mean,\n");
    return chk_buf_take(&b, e);
}
