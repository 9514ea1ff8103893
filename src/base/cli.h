/* cli — command-line options of build/lossbook (getopt_long).
 *
 * cli_parse fills a cli_opts whose string fields point into argv (or at
 * static defaults): the caller owns argv, so cli_opts needs no cleanup.
 */
#ifndef LB_CLI_H
#define LB_CLI_H

#include <stdio.h>
#include "base/err.h"

#define LB_VERSION "0.1.0"

typedef enum { CLI_PAPER_A4 = 0, CLI_PAPER_LETTER = 1 } cli_paper;
typedef enum { CLI_MD_MATH_GITHUB = 0, CLI_MD_MATH_DOLLARS = 1 } cli_md_math;

/* --template may be given this many times: one report per template, each
 * in its own language (report.pdf, report.zh.pdf, ...). */
#define CLI_MAX_TEMPLATES 8

typedef struct cli_opts {
    const char *out_dir;       /* --out DIR, default "out" */
    const char *example_path;  /* --example FILE */
    const char *template_path; /* --template FILE (the first one) */
    const char *templates[CLI_MAX_TEMPLATES]; /* every --template, in order;
                                  templates[0] == template_path */
    int n_templates;           /* >= 1 */
    cli_paper paper;           /* --paper a4|letter */
    int timeout_s;             /* --timeout SECONDS per gnuplot figure, default 30 */
    int no_wait;               /* --no-wait: fail when the output folder is locked */
    int threads;               /* --threads N for compute/kernel; 0 = every online processor */
    cli_md_math md_math;       /* --md-math github|dollars (report.md), default github */
    int quiet;                 /* --quiet: no progress lines */
    int verbose;               /* --verbose: extra detail per stage */
    int show_help;             /* --help: print usage, exit 0 */
    int show_version;          /* --version: print version, exit 0 */
    /* worksheets (issue 11) */
    int worksheet;             /* --worksheet: also worksheet.pdf, its key, claims CSV */
    int seeded;                /* --seed N given */
    unsigned long long seed;   /* --seed N: a new example of the same shape */
    const char *blank;         /* --blank COLS, NULL: the default columns */

    /* NumPy input instead of --example: --logits and --targets together
     * (strings point into argv; NULL when not given). */
    const char *logits_path;   /* --logits FILE.npy  [N, V] or [B, T, V] */
    const char *targets_path;  /* --targets FILE.npy [N] or [B, T] */
    const char *vocab_path;    /* --vocab FILE.txt   one token per line */
    const char *weight_path;   /* --weight FILE.npy  [V] class weights */
    const char *reduction;     /* --reduction mean|sum|none (NULL: mean) */
    long long ignore_index;    /* --ignore-index N (default -100) */
    double label_smoothing;    /* --label-smoothing X in [0, 1] (default 0) */
    double learning_rate;      /* --learning-rate X > 0 (default 1) */
    int example_given;         /* --example was on the command line */
    /* Step tables (any input): --top-k K lists the K most probable tokens;
     * 0 = automatic (every token when V <= 10, else 5). */
    int top_k;
} cli_opts;

/* Parse argv.  Returns 0, or -1 with `e` set (code LB_EXIT_INPUT) naming the
 * offending argument and what was expected. */
int cli_parse(int argc, char **argv, cli_opts *o, lb_err *e);

/* Write the usage text to `f`. */
void cli_usage(FILE *f);

/* "a4"/"A4" or "letter"/"Letter" into *p: 0, or -1 for anything else. */
int cli_paper_parse(const char *arg, cli_paper *p);

#endif
