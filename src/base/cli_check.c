/* cli_check — see cli_check.h. */
#include <getopt.h>
#include <string.h>
#include "base/cli_check.h"

void cli_check_usage(FILE *f)
{
    fputs("usage: lossbook check CLAIMS [--example FILE] [--pdf FILE] [--paper a4|letter] [--quiet]\n"
          "Compare the values of a hand calculation with the computed ones, step by step.\n\n"
          "  CLAIMS               JSON {\"example\": FILE, \"claims\": {\"loss/4\": \"0.4796\", ...}}\n"
          "                       or CSV rows name,value ('# example: FILE' names the example)\n"
          "  -e, --example FILE   the example the claims are about (default: the one they name)\n"
          "      --pdf FILE       also write the report as an errata sheet (PDF)\n"
          "  -p, --paper SIZE     a4 or letter, for --pdf (default: a4)\n"
          "  -q, --quiet          no report on stdout; only the exit status\n"
          "  -h, --help           this text\n\n"
          "A claim with d decimals holds when it is within one unit of its d-th decimal.\n"
          "Exit status: 0 every claim holds, 3 some claim is wrong, 2 bad input, 1 runtime failure.\n",
          f);
}

int cli_check_parse(int argc, char **argv, cli_check_opts *o, lb_err *e)
{
    static const struct option longopts[] = {
        {"example", required_argument, NULL, 'e'},
        {"pdf", required_argument, NULL, 'P'},
        {"paper", required_argument, NULL, 'p'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};

    memset(o, 0, sizeof *o);
    o->paper = CLI_PAPER_A4;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":e:p:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'e': o->example_path = optarg; break;
        case 'P': o->pdf_path = optarg; break;
        case 'p':
            if (cli_paper_parse(optarg, &o->paper) != 0)
                return err_set(e, LB_EXIT_INPUT,
                               "check: --paper: unknown paper size '%s' (expected a4 or letter)", optarg);
            break;
        case 'q': o->quiet = 1; break;
        case 'h': o->show_help = 1; break;
        case ':':
            return err_set(e, LB_EXIT_INPUT, "check: option '%s' needs an argument (see lossbook check --help)",
                           argv[optind - 1]);
        default:
            return err_set(e, LB_EXIT_INPUT, "check: unknown option '%s' (see lossbook check --help)",
                           argv[optind - 1]);
        }
    }
    if (o->show_help)
        return 0;
    if (optind >= argc)
        return err_set(e, LB_EXIT_INPUT,
                       "check: expected a claims file (lossbook check CLAIMS [--example FILE])");
    o->claims_path = argv[optind++];
    if (optind < argc)
        return err_set(e, LB_EXIT_INPUT, "check: unexpected argument '%s' (one claims file; see --help)",
                       argv[optind]);
    if (!*o->claims_path)
        return err_set(e, LB_EXIT_INPUT, "check: expected a claims file name, got an empty string");
    if (o->pdf_path && !*o->pdf_path)
        return err_set(e, LB_EXIT_INPUT, "check: --pdf: expected a file name, got an empty string");
    return 0;
}
