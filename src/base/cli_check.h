/* cli_check — options of the subcommand `lossbook check CLAIMS ...`
 * (getopt_long, like cli.h for the report).
 *
 * cli_check_parse gets argv from the subcommand's name on (argv[0] ==
 * "check"); the string fields point into argv (or at static defaults), so
 * cli_check_opts needs no cleanup.
 */
#ifndef LB_CLI_CHECK_H
#define LB_CLI_CHECK_H

#include <stdio.h>
#include "base/cli.h"
#include "base/err.h"

typedef struct cli_check_opts {
    const char *claims_path;   /* CLAIMS (required) */
    const char *example_path;  /* --example FILE; NULL: the one the claims name */
    const char *pdf_path;      /* --pdf FILE: also write the errata sheet; NULL: none */
    cli_paper paper;           /* --paper a4|letter (errata sheet) */
    int quiet;                 /* --quiet: no report on stdout, only the exit status */
    int show_help;             /* --help */
} cli_check_opts;

/* Parse `check CLAIMS [options]`.  0, or -1 with e set (LB_EXIT_INPUT)
 * naming the offending argument. */
int cli_check_parse(int argc, char **argv, cli_check_opts *o, lb_err *e);

void cli_check_usage(FILE *f);

#endif
