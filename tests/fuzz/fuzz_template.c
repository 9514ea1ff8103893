/* libFuzzer target for the template path (issue 7): Markdown template ->
 * document model (mdparse.c, doc.c) -> directive check against a catalog
 * (resolve.c) -> Markdown export (render_md.c) -> the export parsed again.
 *
 * Invariants checked beyond "no crash / no sanitizer report":
 *   - a failed parse always leaves an error message with a code;
 *   - doc_dump and doc_plain_text work on every parsed doc;
 *   - the Markdown export of a template that passed res_check parses again
 *     without error (generated text is escaped correctly), unless md4c's
 *     event stream had to be repaired (mdp_stats: md4c 0.4.8 bugs) or
 *     math holds a backtick (see S_math_backtick).
 * Build (see tests/fuzz/README.md):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -iquote src \
 *     tests/fuzz/fuzz_template.c SRC_LIB_FILES \
 *     -lmd4c -lcjson -lhpdf -lexpat -lm -o build-fuzz/fuzz_template
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/catalog.h"
#include "doc/doc.h"
#include "compute/example.h"
#include "doc/mdparse.h"
#include "doc/render_md.h"
#include "doc/resolve.h"

static cat *S_cat;
static ex_model *S_model;

static const char S_example[] =
    "{\"logits\": [[[2.0, 1.0, 0.1], [0.5, 2.1, -1.2]]],"
    " \"targets\": [[0, 1]], \"tokens\": [\"a\", \"b*\", \"c_\"]}";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    lb_err e;
    err_clear(&e);
    S_model = ex_load_buf(S_example, sizeof S_example - 1, "fuzz.json", &e);
    if (!S_model || ex_compute(S_model, &e) < 0 ||
        !(S_cat = cat_new(S_model, &e))) {
        fprintf(stderr, "fuzz setup: %s\n", e.msg);
        abort();
    }
    return 0;
}

/* Math holding a backtick: a later backtick (even an escaped one) can pair
 * with it into a code span when the export is read back (CommonMark gives
 * code spans precedence); a documented limit of the export, not checked. */
static int S_inside(const doc_node *n, doc_type a, doc_type b)
{
    for (; n; n = n->parent)
        if (n->type == a || n->type == b)
            return 1;
    return 0;
}

/* Also: md4c 0.4.8 resolves emphasis / strikethrough delimiters across math
 * spans, so math holding '*' or '_' inside emphasis, or '~' inside ~~...~~,
 * may pair differently when read back: not round-trip checked either. */
static int S_math_backtick(const doc *d)
{
    for (const doc_node *n = d->root; n; n = doc_next(d->root, n))
        if ((n->type == DOC_MATH || n->type == DOC_DMATH ||
             n->type == DOC_MATH_BLOCK) &&
            (strchr(n->text, '`') ||
             (strchr(n->text, '~') && S_inside(n, DOC_STRIKE, DOC_STRIKE)) ||
             (strpbrk(n->text, "*_") &&
              S_inside(n, DOC_EMPH, DOC_STRONG))))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lb_err e;
    err_clear(&e);
    mdp_stats st = {0};
    doc *d = mdp_parse_ex("fuzz.md", (const char *)data, size, &st, &e);
    if (!d) {
        if (e.code == 0 || e.msg[0] == '\0')
            __builtin_trap();
        return 0;
    }
    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
        doc_dump(d, sink);
        fclose(sink);
    }
    char *pt = doc_plain_text(d->root, &e);
    free(pt);
    if (res_check(d, S_cat, &e) == 0) {
        char *out = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&out, &n);
        if (f) {
            int rc = mdr_render(d, S_cat, f, &e);
            fclose(f);
            if (rc == 0) {
                lb_err e2;
                err_clear(&e2);
                mdp_stats st2 = {0};
                doc *d2 = mdp_parse_ex("export.md", out, n, &st2, &e2);
                /* md4c 0.4.8 mis-parses some malformed links (repaired
                 * events): the round trip is only meaningful without */
                if (!d2 && st.md4c_anomalies == 0 &&
                    st2.md4c_anomalies == 0 && !S_math_backtick(d)) {
                    fprintf(stderr, "export does not re-parse: %s\n",
                            e2.msg);
                    __builtin_trap();
                }
                doc_free(d2);
            }
            free(out);
        }
    }
    doc_free(d);
    return 0;
}
