/* Fuzz target: the template path — mdp_parse (md4c + document model,
 * front matter, $math$, directives), directive resolution against the
 * catalog of the default example (res_check), and the Markdown renderer
 * (mdr_render, which formats every resolved value).  Inputs are templates.
 *
 * md4c 0.4.8 predates upstream's fuzzing fixes: a finding whose stack is
 * inside md4c is recorded as an md4c bug (see tests/fuzz/README.md). */
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

/* The default example of the handout, so that every directive name of the
 * real template resolves (kept here so the target runs from any folder;
 * same content as templates/examples/llm-batch.json). */
static const char S_example[] =
    "{\"batch_size\": 2, \"seq_length\": 3, \"vocab_size\": 5,"
    " \"tokens\": [\"the\", \"cat\", \"sat\", \"on\", \"mat\"],"
    " \"logits\": [[[2.0, 1.0, 0.1, 0.0, -1.0], [0.5, 2.1, -1.2, 0.3, 0.0],"
    "               [1.2, 0.7, 0.3, 2.2, -0.5]],"
    "              [[1.5, -0.5, 2.3, 0.0, 0.1], [0.3, 0.8, 1.5, -1.0, 2.0],"
    "               [2.2, 1.0, 0.5, 0.3, 0.0]]],"
    " \"targets\": [[0, 1, 3], [2, 4, 1]], \"learning_rate\": 2.0}";

int fz_template_init(void)
{
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

int fz_template_one(const uint8_t *data, size_t size)
{
    lb_err e;
    err_clear(&e);
    doc *d = mdp_parse("fuzz.md", (const char *)data, size, &e);
    if (!d) {
        fz_check_err(&e);
        return 0;
    }
    if (res_check(d, S_cat, &e) != 0)
        fz_check_err(&e);
    else if (mdr_render(d, S_cat, S_null, &e) != 0)
        fz_check_err(&e);
    doc_free(d);
    return 0;
}

FZ_TARGET(template)
