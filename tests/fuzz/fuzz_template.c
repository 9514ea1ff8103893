/* Fuzz target: the template path — mdp_parse (md4c + document model, front
 * matter, $math$, directives), doc_dump / doc_plain_text, directive
 * resolution against the catalog of the default example (res_check), the
 * Markdown export (mdr_render, which formats every resolved value), and the
 * export parsed again.  Inputs are templates.
 *
 * Invariants beyond "no crash, no sanitizer report" (fuzz.h): a failure
 * leaves one well-formed error; the Markdown export of a template that
 * passed res_check parses again without error (generated text is escaped).
 *
 * md4c 0.4.8 predates upstream's fuzzing fixes: a finding whose stack is
 * inside md4c is recorded as an md4c bug (see tests/fuzz/README.md).
 * (Merged from h4-doc's and h7-reliab's versions of this target.) */
#include "fuzz.h"
#include "catalog.h"
#include "doc.h"
#include "example.h"
#include "mdparse.h"
#include "render_md.h"
#include "resolve.h"

int fz_template_init(void);
int fz_template_one(const uint8_t *data, size_t size);

static ex_model *S_ex;
static cat *S_cat;
static FILE *S_null;

/* The default example of the handout (templates/examples/llm-batch.json:
 * same shape and logits, so every directive of the real template resolves),
 * kept here so the target runs from any folder.  Token names carry Markdown
 * specials so the export's escaping is exercised ('$' and '\' are refused
 * by ex_load). */
static const char S_example[] =
    "{\"batch_size\": 2, \"seq_length\": 3, \"vocab_size\": 5,"
    " \"tokens\": [\"the\", \"c*t\", \"s_t\", \"[on]\", \"m`a|t\"],"
    " \"logits\": [[[2.0, 1.0, 0.1, 0.0, -1.0], [0.5, 2.1, -1.2, 0.3, 0.0],"
    "               [1.2, 0.7, 0.3, 2.2, -0.5]],"
    "              [[1.5, -0.5, 2.3, 0.0, 0.1], [0.3, 0.8, 1.5, -1.0, 2.0],"
    "               [2.2, 1.0, 0.5, 0.3, 0.0]]],"
    " \"targets\": [[0, 1, 3], [2, 4, 1]], \"learning_rate\": 2.0}";

int fz_template_init(void)
{
    if (S_cat)
        return 0;
    lb_err e;
    err_clear(&e);
    if (!(S_ex = ex_load_buf(S_example, sizeof S_example - 1, "default-example", &e)) ||
        ex_compute(S_ex, &e) != 0 || !(S_cat = cat_new(S_ex, &e))) {
        fprintf(stderr, "fuzz_template: %s\n", e.msg);
        return -1;
    }
    if (!(S_null = fopen("/dev/null", "wb"))) {
        perror("fuzz_template: /dev/null");
        return -1;
    }
    return 0;
}

/* Render the export into memory and parse it again. */
static void S_reparse_export(const doc *d)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    if (!f)
        return;
    lb_err e;
    err_clear(&e);
    int rc = mdr_render(d, S_cat, f, &e);
    fclose(f);
    if (rc != 0) {
        fz_check_err(&e);
    } else {
        lb_err e2;
        err_clear(&e2);
        doc *d2 = mdp_parse("export.md", out, n, &e2);
        if (!d2)
            fprintf(stderr, "export does not re-parse: %s\n", e2.msg);
        FZ_CHECK(d2 != NULL, "the Markdown export of a valid template does not parse again");
        doc_free(d2);
    }
    free(out);
}

int fz_template_one(const uint8_t *data, size_t size)
{
    lb_err e;
    err_clear(&e);
    doc *d = mdp_parse("fuzz.md", (const char *)data, size, &e);
    if (!d) {
        fz_check_err(&e);
        return 0;
    }
    doc_dump(d, S_null);
    char *pt = doc_plain_text(d->root, &e);
    free(pt);
    err_clear(&e);
    /* FZ_NO_REPARSE=1 skips the re-parse check while a known export bug
     * (tests/fuzz/pending/template/) is open, so fuzzing can go on looking
     * for crashes. */
    static int no_reparse = -1;
    if (no_reparse < 0)
        no_reparse = getenv("FZ_NO_REPARSE") != NULL;
    if (res_check(d, S_cat, &e) != 0)
        fz_check_err(&e);
    else if (!no_reparse)
        S_reparse_export(d);
    doc_free(d);
    return 0;
}

FZ_TARGET(template)
