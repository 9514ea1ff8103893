/* test_langtext — the catalogue's tables in Chinese (doc/langtext.h).
 *
 * The matcher on crafted strings (captures, word order, phrases translated
 * inside a sentence, token names never translated), and every table of
 * the worked example translated with no English word left: when the
 * catalogue's English changes, this test names the string to translate in
 * src/doc/langtext.c.  Expected Chinese strings are written here by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testkit.h"
#include "compute/catalog.h"
#include "compute/example.h"
#include "doc/langtext.h"

static void t_matcher(void **st)
{
    (void)st;
    const lang_info *zh = lang_get("zh"), *en = lang_get("en");
    char *t = langtext_tr(zh, "token");
    assert_string_equal(t, "\xE8\xAF\x8D\xE5\x85\x83");                 /* 词元 */
    free(t);
    assert_null(langtext_tr(en, "token"));                  /* English: as is */
    assert_null(langtext_tr(zh, "no such text"));
    assert_null(langtext_tr(zh, ""));
    /* captures, in another order */
    t = langtext_tr(zh, "The first 12 of 50257 tokens are shown.");
    assert_string_equal(t, "\xE5\x8F\xAA\xE5\x88\x97\xE5\x87\xBA 50257 "
                        "\xE4\xB8\xAA\xE8\xAF\x8D\xE5\x85\x83\xE4\xB8\xAD\xE7\x9A\x84"
                        "\xE5\x89\x8D 12 \xE4\xB8\xAA\xE3\x80\x82");   /* 只列出 50257 个词元中的前 12 个。 */
    free(t);
    /* a phrase inside a sentence is translated too */
    t = langtext_tr(zh, "$\\ell_n$ is the loss of position $n$ with the example's "
                        "options (0 where the target is ignored); the mean divides "
                        "$\\sum_n \\ell_n$ by the number of positions that count.");
    assert_non_null(t);
    assert_non_null(strstr(t, "\xE8\xAE\xA1\xE5\x85\xA5\xE7\x9A\x84\xE4\xBD\x8D"
                              "\xE7\xBD\xAE\xE6\x95\xB0"));           /* 计入的位置数 */
    assert_null(strstr(t, "number"));
    free(t);
    /* a token name inside a caption is a name, even when it is a word with
     * an entry of its own ("mean") */
    t = langtext_tr(zh, "Position 2 ($b = 1$, $t = 2$): target token 1 (mean), "
                        "$-\\log p_{\\text{target}} = 0.4230$");
    assert_non_null(t);
    assert_non_null(strstr(t, "\xEF\xBC\x88mean\xEF\xBC\x89"));        /* （mean） */
    assert_non_null(strstr(t, "0.4230"));
    free(t);
    /* the longer entry wins over its prefix */
    t = langtext_tr(zh, "Position 2 ($b = 1$, $t = 2$): target token 1, $-\\log "
                        "p_{\\text{target}} = 0.4$, loss $\\ell_n = 0.5$");
    assert_non_null(t);
    assert_non_null(strstr(t, "\\ell_n = 0.5$"));
    assert_null(strstr(t, "loss"));
    free(t);
}

/* A table whose token column holds a token named "mean": the name stays,
 * the total row's "mean" is translated, numbers are kept exactly. */
static void t_table_copy(void **st)
{
    (void)st;
    lb_err e;
    err_clear(&e);
    tbl *t = tbl_new("x", 2, &e);
    assert_non_null(t);
    assert_int_equal(tbl_set_caption(t, "Three classes, one prediction $Q$, two "
                                        "possible true classes", &e), 0);
    assert_int_equal(tbl_set_header(t, 0, "$n$", TBL_RIGHT, &e), 0);
    assert_int_equal(tbl_set_header(t, 1, "token", TBL_LEFT, &e), 0);
    assert_int_equal(tbl_add_row(t, &e), 0);
    assert_int_equal(tbl_set_int(t, 0, 0, 7, &e), 0);
    assert_int_equal(tbl_set_text(t, 0, 1, "mean", &e), 0);
    assert_int_equal(tbl_add_row(t, &e), 1);
    assert_int_equal(tbl_set_text(t, 1, 0, "", &e), 0);
    assert_int_equal(tbl_set_text(t, 1, 1, "mean", &e), 0);
    t->rows[1].total = 1;
    tbl_mark_row(t, 0, 1);
    tbl *z = langtext_table(lang_get("zh"), t, &e);
    assert_non_null(z);
    assert_non_null(strstr(z->caption, "\xE4\xB8\x89\xE4\xB8\xAA"));  /* 三个 */
    assert_string_equal(z->header[1], "\xE8\xAF\x8D\xE5\x85\x83");     /* 词元 */
    assert_string_equal(z->rows[0].cells[1].text, "mean");            /* a name */
    assert_string_equal(z->rows[1].cells[1].text, "\xE5\x9D\x87\xE5\x80\xBC"); /* 均值 */
    assert_true(z->rows[0].cells[0].has_value && z->rows[0].cells[0].value == 7);
    assert_int_equal(z->rows[0].mark, 1);
    assert_int_equal(z->rows[1].total, 1);
    tbl_free(z);
    tbl_free(t);
}

/* The first English word of s outside $...$ (formulas are no language). */
static int S_word(const char *s0, char *w, size_t wn)
{
    char s[2048];
    size_t k = 0;
    int in = 0;
    for (const char *p = s0; *p && k + 1 < sizeof s; p++) {
        if (*p == '$') {
            in = !in;
            s[k++] = ' ';
        } else {
            s[k++] = in ? ' ' : *p;
        }
    }
    s[k] = '\0';
    static const char *const ok[] = { "log", "logits", "logit", "view", "targets",
        "data", "positions", "csv", "text", "target", "sum", "max", "partial",
        "frac", "mathcal", "cdot", "leftarrow", "eta", "sim", "sigma", "ell",
        "the", "cat", "sat", "mat", "ln", NULL };
    for (const char *p = s; *p;) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            p++;
        const char *q = p;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
            q++;
        size_t n = (size_t)(q - p);
        int fine = n < 3 || (p > s && p[-1] == '\\');     /* \TeX commands */
        for (int i = 0; !fine && ok[i]; i++)
            fine = strlen(ok[i]) == n && !strncmp(ok[i], p, n);
        if (!fine) {
            snprintf(w, wn, "%.*s", (int)n, p);
            return 1;
        }
        p = q;
    }
    return 0;
}

/* Every table of the worked example, in Chinese, has no English word left
 * (formulas, file names and the example's token names aside). */
static void t_every_table_translated(void **st)
{
    (void)st;
    lb_err e;
    err_clear(&e);
    ex_model *m = ex_load(tk_src("templates/examples/llm-batch.json"), &e);
    if (!m || ex_compute(m, &e) != 0)
        fail_msg("%s", e.msg);
    cat *c = cat_new(m, &e);
    assert_non_null(c);
    char name[128], w[64];
    for (size_t i = 0; i < cat_table_count(c); i++) {
        assert_int_equal(cat_table_name(c, i, name, sizeof name), 0);
        const tbl *t = cat_table(c, name);
        assert_non_null(t);
        tbl *z = langtext_table(lang_get("zh"), t, &e);
        assert_non_null(z);
        const char *what[3] = { z->caption, z->note, NULL };
        for (int k = 0; what[k]; k++)
            if (S_word(what[k], w, sizeof w))
                fail_msg("table %s: '%s' still has the English word '%s': add it "
                         "to src/doc/langtext.c", name, what[k], w);
        for (size_t j = 0; j < z->ncols; j++)
            if (S_word(z->header[j], w, sizeof w))
                fail_msg("table %s: header '%s' is still English ('%s')", name,
                         z->header[j], w);
        for (size_t r = 0; r < z->nrows; r++)
            for (size_t j = 0; j < z->ncols; j++)
                if (!z->rows[r].cells[j].has_value &&
                    S_word(z->rows[r].cells[j].text, w, sizeof w))
                    fail_msg("table %s: cell '%s' is still English", name,
                             z->rows[r].cells[j].text);
        tbl_free(z);
    }
    cat_free(c);
    ex_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_matcher),
        cmocka_unit_test(t_table_copy),
        cmocka_unit_test(t_every_table_translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
