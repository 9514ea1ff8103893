/* check_errata — see check_errata.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/check_errata.h"
#include "check/check_buf.h"
#include "check/check_report.h"

/* A file's name (no folder) for running text, quotes and backticks made
 * harmless for front matter and code spans. */
static void S_base(const char *path, char *buf, size_t n)
{
    const char *s = strrchr(path, '/');
    snprintf(buf, n, "%s", s ? s + 1 : path);
    for (char *p = buf; *p; p++)
        if (*p == '"' || *p == '`' || (unsigned char)*p < 32)
            *p = '\'';
}

/* Is rel a step of a position without a token (one value per position)? */
static int S_scalar(const chk_rel *rel)
{
    return rel && strstr(rel->name, "{K}") && !strstr(rel->name, "{J}");
}

/* The written and the true value of a cell: "**0.5871**" when wrong. */
static void S_cell(chk_buf *b, const chk_item *it)
{
    char t[64];
    chk_report_num(it->truth, it->decimals, 0, CHK_MD, t, sizeof t);
    if (it->status == CHK_BLANK)
        chk_buf_add(b, " (blank) | %s |", t);
    else if (chk_is_wrong(it->status))
        chk_buf_add(b, " **%s** | %s |", it->claim->text, t);
    else
        chk_buf_add(b, " %s | %s |", it->claim->text, t);
}

/* Table of the one-per-position steps: a row per position, a written and
 * a true column per step that has a claim; the batch below it. */
static void S_positions(chk_buf *b, const chk_result *r)
{
    const chk_rel *cols[16];
    size_t nc = 0;
    for (size_t k = 0; k < chk_decl_nrels && nc < 16; k++) {
        const chk_rel *rel = &chk_decl_rels[k];
        int used = 0;
        for (size_t i = 0; i < r->n && !used; i++)
            used = r->items[i].rel == rel;
        if (S_scalar(rel) && used)
            cols[nc++] = rel;
    }
    long batch[2] = {r->sum, r->mean};
    int has_batch = (r->sum >= 0) || (r->mean >= 0);
    if (nc == 0)
        return;
    chk_buf_add(b, "\n\n| $n$ |");
    for (size_t c = 0; c < nc; c++)
        chk_buf_add(b, " %s | true |", cols[c]->head);
    chk_buf_add(b, "\n|--:|");
    for (size_t c = 0; c < nc; c++)
        chk_buf_add(b, "--:|--:|");
    size_t i = 0;
    while (i < r->n) {
        if (r->items[i].group != 0) {
            i++;
            continue;
        }
        size_t K = r->items[i].pos, j = i;
        while (j < r->n && r->items[j].group == 0 && r->items[j].pos == K)
            j++;
        int any = 0;
        for (size_t k = i; k < j; k++)
            any |= S_scalar(r->items[k].rel);
        if (any) {
            chk_buf_add(b, "\n| %zu |", K);
            for (size_t c = 0; c < nc; c++) {
                const chk_item *hit = NULL;
                for (size_t k = i; k < j && !hit; k++)
                    if (r->items[k].rel == cols[c])
                        hit = &r->items[k];
                if (hit)
                    S_cell(b, hit);
                else
                    chk_buf_add(b, " | |");
            }
        }
        i = j;
    }
    /* the batch: under the last column when it is the loss, else alone */
    int under = has_batch && !strcmp(cols[nc - 1]->name, "loss/{K}");
    for (int k = 0; k < 2 && under; k++) {
        if (batch[k] < 0)
            continue;
        chk_buf_add(b, "\n| %s |", k ? "mean" : "sum");
        for (size_t c = 0; c + 1 < nc; c++)
            chk_buf_add(b, " | |");
        S_cell(b, &r->items[batch[k]]);
    }
    if (has_batch && !under) {
        chk_buf_add(b, "\n\n| batch | written | true |\n|:--|--:|--:|");
        for (int k = 0; k < 2; k++)
            if (batch[k] >= 0) {
                chk_buf_add(b, "\n| %s |", k ? "mean" : "sum");
                S_cell(b, &r->items[batch[k]]);
            }
    }
}

/* Rows of the per-token table at most (with the position table and the
 * corrections, the sheet stays within two pages for the usual shapes). */
#define S_MAX_ROWS 20

/* Table of the per-token steps that are wrong (all of them when few). */
static void S_tokens(chk_buf *b, const chk_result *r)
{
    size_t n = 0, wrong = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].tok >= 0 && r->items[i].status != CHK_BLANK) {
            n++;
            wrong += chk_is_wrong(r->items[i].status);
        }
    if (n == 0)
        return;
    if (wrong == 0) {
        chk_buf_add(b, "\n\n**Token by token.** %s %zu per-token %s (like $e^{z_j}$ and $p_j$) %s.",
                    n == 1 ? "The" : "All", n, n == 1 ? "value" : "values", n == 1 ? "holds" : "hold");
        return;
    }
    /* a sheet of one or two pages: when many are wrong, the slips only
     * (what follows from them is in the corrections), at most S_MAX_ROWS */
    size_t slips = 0, shown = 0;
    for (size_t i = 0; i < r->n; i++)
        slips += r->items[i].tok >= 0 && chk_is_slip(r->items[i].status);
    int only_slips = wrong > S_MAX_ROWS;
    size_t listed = only_slips ? slips : wrong;
    if (only_slips)
        chk_buf_add(b, "\n\n**Token by token.** %zu per-token values are wrong; the table lists "
                    "%s%zu slips (what follows from them is in the corrections).", wrong,
                    listed > S_MAX_ROWS ? "the first " : "the ",
                    listed > S_MAX_ROWS ? (size_t)S_MAX_ROWS : listed);
    chk_buf_add(b, "\n\n| $n$ | $j$ | step | written | true | your values give |\n"
             "|--:|--:|:--|--:|--:|--:|");
    for (size_t i = 0; i < r->n && shown < S_MAX_ROWS; i++) {
        const chk_item *it = &r->items[i];
        if (it->tok < 0 || !chk_is_wrong(it->status) || (only_slips && !chk_is_slip(it->status)))
            continue;
        shown++;
        char from[64] = "";
        if (it->has_from)
            chk_report_num(it->from, it->decimals, 0, CHK_MD, from, sizeof from);
        chk_buf_add(b, "\n| %zu | %ld | %s |", it->pos, it->tok, it->rel->head);
        S_cell(b, it);
        chk_buf_add(b, " %s |", from);
    }
}

/* Values outside the chain. */
static void S_others(chk_buf *b, const chk_result *r)
{
    int any = 0;
    for (size_t i = 0; i < r->n; i++) {
        const chk_item *it = &r->items[i];
        if (it->group != 2 || it->status == CHK_BLANK)
            continue;
        if (!any)
            chk_buf_add(b, "\n\n**Other values.**\n\n| value | written | true |\n|:--|--:|--:|");
        any = 1;
        chk_buf_add(b, "\n| `%s` |", it->claim->name);
        S_cell(b, it);
    }
}

char *chk_errata_markdown(const chk_result *r, const char *example_path, lb_err *e)
{
    chk_buf b = {0};
    char cl[256], ex[256];
    S_base(r->cl->path, cl, sizeof cl);
    S_base(example_path, ex, sizeof ex);
    char *counts = chk_report_counts(r, CHK_MD, e);
    char *body = counts ? chk_report_body(r, CHK_MD, e) : NULL;
    if (!counts || !body) {
        free(counts);
        free(body);
        return NULL;
    }
    chk_buf_add(&b, "---\ntitle: \"Errata: %s\"\nsubject: \"A hand calculation of the cross-entropy "
              "checked step by step by lossbook check\"\nkeywords: \"cross-entropy, softmax, "
              "errata\"\n---\n\n",
          cl);
    chk_buf_add(&b, "The values written in `%s`, checked against the example `%s` (%zu %s, a vocabulary "
              "of %zu tokens). A written value holds when it is within one unit of its last "
              "decimal of the true value, or when it is what the written values before it give "
              "and those hold (an error carried by rounding). The tables set the written values "
              "beside the true ones, wrong ones in bold.\n\n> **Verdict.** %s",
          cl, ex, r->N, r->N == 1 ? "position" : "positions", r->V, counts);
    S_positions(&b, r);
    S_tokens(&b, r);
    S_others(&b, r);
    chk_buf_add(&b, "\n\n# Corrections {-}\n\n%s", body);
    free(counts);
    free(body);
    return chk_buf_take(&b, e);
}
