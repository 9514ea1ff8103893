#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "base/cli.h"

/* Relative defaults: `make report` runs from the repository root; main
 * looks for them elsewhere too (datadir.h: an installed binary finds them
 * under PREFIX/share/lossbook). */
#define S_DEFAULT_EXAMPLE "templates/examples/llm-batch.json"
#define S_DEFAULT_TEMPLATE "templates/handout.md"

void cli_usage(FILE *f)
{
    fputs("usage: lossbook [options]\n"
          "Compute the softmax / cross-entropy worked examples, write data tables,\n"
          "gnuplot scripts and figures, and typeset the handout PDF.\n\n"
          "  -o, --out DIR        output folder (default: out)\n"
          "  -e, --example FILE   worked example JSON (default: " S_DEFAULT_EXAMPLE ")\n"
          "  -t, --template FILE  handout template, Markdown + $math$ (default: " S_DEFAULT_TEMPLATE ");\n"
          "                       repeat it for one report per language (report.pdf,\n"
          "                       report.zh.pdf for a template with `lang: zh`)\n"
          "      --logits FILE    NumPy logits, float32/float64 [N, V] or [B, T, V],\n"
          "                       instead of --example (mapped, not read into memory)\n"
          "      --targets FILE   NumPy targets, int32/int64 [N] or [B, T] (with --logits)\n"
          "      --vocab FILE     token names, one per line (with --logits)\n"
          "      --weight FILE    NumPy class weights [V] (with --logits)\n"
          "      --ignore-index N, --label-smoothing X, --reduction mean|sum|none,\n"
          "      --learning-rate X   F.cross_entropy's options (with --logits; a JSON\n"
          "                       example sets them itself)\n"
          "      --top-k K        step tables list the K most probable tokens (1..1000;\n"
          "                       default: every token when V <= 10, else 5)\n"
          "  -p, --paper SIZE     a4 or letter (default: a4)\n"
          "      --timeout SEC    give up on a figure gnuplot has not finished\n"
          "                       after SEC seconds (1..3600, default: 30)\n"
          "      --no-wait        fail at once when another run is writing the\n"
          "                       output folder (default: wait for it)\n"
          "      --threads N      threads for the loss over large inputs (1..256;\n"
          "                       default: every online processor)\n"
          "      --md-math STYLE  math in report.md: github ($`...`$ where GitHub\n"
          "                       would eat a backslash, ```math blocks; default)\n"
          "                       or dollars ($...$ and $$...$$, for pandoc)\n"
          "      --worksheet      also write worksheet.pdf (blanks to fill in), its key\n"
          "                       worksheet-key.pdf, worksheet-claims.csv and\n"
          "                       worksheet-example.json (see lossbook check --help)\n"
          "      --seed N         the worksheet's example: a new one of the same shape\n"
          "                       (logits with one decimal), the same for the same N\n"
          "      --blank COLS     the worksheet's blanks (default: expz,sum,p,loss,mean;\n"
          "                       also ptarget)\n"
          "  -q, --quiet          no progress lines\n"
          "  -v, --verbose        more detail on stderr\n"
          "  -h, --help           this text\n"
          "  -V, --version        print the version\n\n"
          "       lossbook check CLAIMS [...]   check a hand calculation (check --help)\n\n"
          "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n",
          f);
}

int cli_paper_parse(const char *arg, cli_paper *p)
{
    if (strcmp(arg, "a4") == 0 || strcmp(arg, "A4") == 0)
        *p = CLI_PAPER_A4;
    else if (strcmp(arg, "letter") == 0 || strcmp(arg, "Letter") == 0)
        *p = CLI_PAPER_LETTER;
    else
        return -1;
    return 0;
}

/* getopt_long prints its own diagnostics unless opterr = 0; we want exactly
 * one message in our own format, so we silence it and report ourselves. */
int cli_parse(int argc, char **argv, cli_opts *o, lb_err *e)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"example", required_argument, NULL, 'e'},
        {"template", required_argument, NULL, 't'},
        {"paper", required_argument, NULL, 'p'},
        {"timeout", required_argument, NULL, 'T'},
        {"no-wait", no_argument, NULL, 'N'},
        {"threads", required_argument, NULL, 'J'},
        {"md-math", required_argument, NULL, 'M'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"logits", required_argument, NULL, 1001},
        {"targets", required_argument, NULL, 1002},
        {"vocab", required_argument, NULL, 1003},
        {"weight", required_argument, NULL, 1004},
        {"ignore-index", required_argument, NULL, 1005},
        {"label-smoothing", required_argument, NULL, 1006},
        {"reduction", required_argument, NULL, 1007},
        {"learning-rate", required_argument, NULL, 1008},
        {"top-k", required_argument, NULL, 1009},
        {"worksheet", no_argument, NULL, 'W'},
        {"seed", required_argument, NULL, 'S'},
        {"blank", required_argument, NULL, 'B'},
        {NULL, 0, NULL, 0}};
    int has_npy_opt = 0;
    const char *npy_opt = NULL;

    memset(o, 0, sizeof *o);
    o->out_dir = "out";
    o->example_path = S_DEFAULT_EXAMPLE;
    o->template_path = S_DEFAULT_TEMPLATE;
    o->templates[0] = S_DEFAULT_TEMPLATE;
    o->n_templates = 1;
    int given = 0;
    o->paper = CLI_PAPER_A4;
    o->timeout_s = 30;
    o->ignore_index = -100;
    o->learning_rate = 1.0;

    opterr = 0;
    optind = 1; /* allow repeated calls (tests) */
    int c;
    while ((c = getopt_long(argc, argv, ":o:e:t:p:qvhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o->out_dir = optarg; break;
        case 'e': o->example_path = optarg; o->example_given = 1; break;
        case 1001: o->logits_path = optarg; break;
        case 1002: o->targets_path = optarg; break;
        case 1003: o->vocab_path = optarg; has_npy_opt = 1; npy_opt = "--vocab"; break;
        case 1004: o->weight_path = optarg; has_npy_opt = 1; npy_opt = "--weight"; break;
        case 1005: {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (end == optarg || *end || errno)
                return err_set(e, LB_EXIT_INPUT, "--ignore-index: expected an integer, got '%s'", optarg);
            o->ignore_index = v;
            has_npy_opt = 1;
            npy_opt = "--ignore-index";
            break;
        }
        case 1006:
        case 1008: {
            char *end;
            double v = strtod(optarg, &end);
            int ok = end != optarg && !*end && (c == 1006 ? (v >= 0.0 && v <= 1.0) : (v > 0.0 && v <= 1e6));
            if (!ok)
                return err_set(e, LB_EXIT_INPUT, c == 1006
                                   ? "--label-smoothing: expected a number in [0, 1], got '%s'"
                                   : "--learning-rate: expected a number in (0, 1e6], got '%s'",
                               optarg);
            if (c == 1006)
                o->label_smoothing = v;
            else
                o->learning_rate = v;
            has_npy_opt = 1;
            npy_opt = c == 1006 ? "--label-smoothing" : "--learning-rate";
            break;
        }
        case 1007:
            if (strcmp(optarg, "mean") && strcmp(optarg, "sum") && strcmp(optarg, "none"))
                return err_set(e, LB_EXIT_INPUT, "--reduction: expected mean, sum or none, got '%s'",
                               optarg);
            o->reduction = optarg;
            has_npy_opt = 1;
            npy_opt = "--reduction";
            break;
        case 1009: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 1000)
                return err_set(e, LB_EXIT_INPUT, "--top-k: expected a whole number 1..1000, got '%s'",
                               optarg);
            o->top_k = (int)v;
            break;
        }
        case 't':
            if (given == CLI_MAX_TEMPLATES)
                return err_set(e, LB_EXIT_INPUT, "--template: at most %d "
                               "templates in one run", CLI_MAX_TEMPLATES);
            o->templates[given++] = optarg;
            o->n_templates = given;
            o->template_path = o->templates[0];
            break;
        case 'p':
            if (cli_paper_parse(optarg, &o->paper) != 0)
                return err_set(e, LB_EXIT_INPUT,
                               "--paper: unknown paper size '%s' (expected a4 or letter)",
                               optarg);
            break;
        case 'T': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 3600)
                return err_set(e, LB_EXIT_INPUT,
                               "--timeout: expected whole seconds 1..3600, got '%s'", optarg);
            o->timeout_s = (int)v;
            break;
        }
        case 'N': o->no_wait = 1; break;
        case 'J': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 256)
                return err_set(e, LB_EXIT_INPUT,
                               "--threads: expected a whole number 1..256, got '%s'", optarg);
            o->threads = (int)v;
            break;
        }
        case 'M':
            if (strcmp(optarg, "github") == 0)
                o->md_math = CLI_MD_MATH_GITHUB;
            else if (strcmp(optarg, "dollars") == 0)
                o->md_math = CLI_MD_MATH_DOLLARS;
            else
                return err_set(e, LB_EXIT_INPUT,
                               "--md-math: unknown style '%s' (expected github or dollars)",
                               optarg);
            break;
        case 'W': o->worksheet = 1; break;
        case 'S': {
            char *end;
            if (optarg[0] < '0' || optarg[0] > '9')
                end = optarg;
            else
                o->seed = strtoull(optarg, &end, 10);
            if (end == optarg || *end || strlen(optarg) > 19)
                return err_set(e, LB_EXIT_INPUT,
                               "--seed: expected a whole number 0..9999999999999999999, got '%s'",
                               optarg);
            o->seeded = 1;
            break;
        }
        case 'B': o->blank = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'v': o->verbose = 1; break;
        case 'h': o->show_help = 1; break;
        case 'V': o->show_version = 1; break;
        case ':':
            return err_set(e, LB_EXIT_INPUT, "option '%s' needs an argument (see --help)",
                           argv[optind - 1]);
        default:
            return err_set(e, LB_EXIT_INPUT, "unknown option '%s' (see --help)",
                           argv[optind - 1]);
        }
    }
    if (optind < argc)
        return err_set(e, LB_EXIT_INPUT,
                       "unexpected argument '%s' (options only; see --help)", argv[optind]);
    if ((o->seeded || o->blank) && !o->worksheet)
        return err_set(e, LB_EXIT_INPUT, "%s makes sense only with --worksheet",
                       o->seeded ? "--seed" : "--blank");
    if (o->quiet && o->verbose)
        return err_set(e, LB_EXIT_INPUT, "--quiet and --verbose exclude each other");
    if (!*o->out_dir)
        return err_set(e, LB_EXIT_INPUT, "--out: expected a folder name, got an empty string");
    if (!*o->example_path)
        return err_set(e, LB_EXIT_INPUT, "--example: expected a file name, got an empty string");
    if (!*o->template_path)
        return err_set(e, LB_EXIT_INPUT, "--template: expected a file name, got an empty string");
    if ((o->logits_path != NULL) != (o->targets_path != NULL))
        return err_set(e, LB_EXIT_INPUT, "%s needs %s too (NumPy input is logits and targets)",
                       o->logits_path ? "--logits" : "--targets",
                       o->logits_path ? "--targets" : "--logits");
    if (o->logits_path && o->example_given)
        return err_set(e, LB_EXIT_INPUT, "--example and --logits exclude each other (one input)");
    if (has_npy_opt && !o->logits_path)
        return err_set(e, LB_EXIT_INPUT, "%s goes with --logits (a JSON example sets its options "
                       "itself, e.g. \"ignore_index\": -100)", npy_opt);
    return 0;
}
