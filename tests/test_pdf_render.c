/* test_pdf_render — end to end: the fixture template tests/fixtures/pdf/
 * rich.md (every construct: front matter, three heading levels, nested
 * lists, a quote, code with an over-long line, generated and GFM tables,
 * inline and display math, values, a figure PNG) is parsed with mdparse,
 * resolved against the catalog of templates/examples/llm-batch.json and
 * rendered; poppler's pdfinfo / pdftotext (tests/testkit.h) check the result.
 * Expected strings come from the fixture's own text and the independently
 * checked values of the example (mean loss 0.7679..., sum of exponentials
 * of position 4 = 17.1676, see ARCHITECTURE.md and issue 5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"
#include "pdf/pdf.h"
#include "doc/mdparse.h"
#include "compute/example.h"
#include "compute/catalog.h"
#include "doc/resolve.h"

typedef struct S_fix {
    ex_model *m;
    cat *c;
    doc *d;
} S_fix;

static void S_load(S_fix *fx, const char *tmpl_rel)
{
    lb_err e;
    err_clear(&e);
    fx->m = ex_load(tk_src("templates/examples/llm-batch.json"), &e);
    assert_non_null(fx->m);
    assert_int_equal(ex_compute(fx->m, &e), 0);
    fx->c = cat_new(fx->m, &e);
    assert_non_null(fx->c);
    fx->d = mdp_parse_file(tk_src(tmpl_rel), &e);
    if (!fx->d)
        fail_msg("%s", e.msg);
    assert_int_equal(res_check(fx->d, fx->c, &e), 0);
}

static void S_unload(S_fix *fx)
{
    doc_free(fx->d);
    cat_free(fx->c);
    ex_free(fx->m);
}

static int S_render(S_fix *fx, pdf_paper paper, const char *out, lb_err *e)
{
    char figs[1200];
    pdf_opts o;
    pdf_opts_default(&o);
    o.paper = paper;
    snprintf(figs, sizeof figs, "%s", tk_src("tests/fixtures/pdf/figures"));
    o.figures_dir = figs;
    o.date = 1700000000;   /* 2023-11-14 22:13:20 UTC */
    return pdf_render(fx->d, fx->c, &o, out, e);
}

/* Each needle occurs after the previous one. */
static void S_in_order(const char *text, const char *const *needles)
{
    const char *at = text;
    for (size_t i = 0; needles[i]; i++) {
        const char *f = strstr(at, needles[i]);
        if (!f)
            fail_msg("'%s' missing (or out of order)", needles[i]);
        at = f + strlen(needles[i]);
    }
}

static void t_render_rich(void **state)
{
    (void)state;
    S_fix fx;
    lb_err e;
    err_clear(&e);
    S_load(&fx, "tests/fixtures/pdf/rich.md");
    char a[1200], b[1200];
    snprintf(a, sizeof a, "%s/a.pdf", tk_scratch());
    snprintf(b, sizeof b, "%s/b.pdf", tk_scratch());
    if (S_render(&fx, PDF_PAPER_A4, a, &e) < 0)
        fail_msg("%s", e.msg);
    assert_int_equal(S_render(&fx, PDF_PAPER_A4, b, &e), 0);

    /* Byte-identical output for identical input. */
    tk_assert_same(a, b);
    size_t la;
    char *da = tk_pdf_read(a, &la);
    assert_non_null(da);
    /* An outline with an entry per heading: 7 headings in the fixture
     * (Introduction, The softmax function, Properties, The worked example,
     * Cross-entropy, The confidence scenarios) -> /Outlines root present. */
    assert_true(tk_contains(da, la, "/Outlines"));
    assert_true(tk_contains(da, la, "/UseOutlines"));
    /* A Markdown link is clickable. */
    /* libharu writes "/" inside strings as \057 */
    assert_true(tk_contains(da, la, "/URI (https:\\057\\057pytorch.org\\057"));
    free(da);

    char *info = tk_pdfinfo(a);
    assert_non_null(info);
    assert_non_null(strstr(info, "Title:           Softmax, Cross-Entropy "
                                  "and the Loss of a Language Model"));
    assert_non_null(strstr(info, "Author:          The lossbook team"));
    /* Non-ASCII info text survives (UTF-16 strings, not PDFDocEncoding). */
    assert_non_null(strstr(info, "Subject:         Fixture for the PDF "
                                  "renderer \xE2\x80\x93 \xE2\x80\x9C"
                                  "caf\xC3\xA9\xE2\x80\x9D"));
    assert_non_null(strstr(info, "Keywords:        softmax, cross-entropy"));
    assert_non_null(strstr(info, "Page size:       595.276 x 841.89 pts (A4)"));
    assert_non_null(strstr(info, "CreationDate:    Tue Nov 14 22:13:20 2023"));
    const char *pg = strstr(info, "Pages:");
    assert_non_null(pg);
    int pages = atoi(pg + 6);
    assert_true(pages >= 3 && pages <= 6);
    free(info);

    char *txt = tk_pdftotext(a, 0, 0);
    assert_non_null(txt);
    /* Page numbers in the footer: "1" alone on a line at least. */
    assert_non_null(strstr(txt, "\n1\n"));
    tk_squeeze(txt); /* pdftotext's line and block breaks depend on layout */
    static const char *const heads[] = {
        "Softmax, Cross-Entropy and the Loss of a", "The lossbook team",
        "1 Introduction", "1.1 The softmax function", "1.1.1 Properties",
        "2 The worked example", "2.1 Cross-entropy",
        "A The confidence scenarios", NULL
    };
    static const char *const caps[] = {
        "Figure 1. The three class probabilities", "Table 1. Position four",
        "Table 2. The positions of the batch", "Table 3.", "Table 4.", NULL
    };
    S_in_order(txt, heads);
    S_in_order(txt, caps);
    /* Values from the catalog, smart punctuation, the hyphenated word. */
    assert_non_null(strstr(txt, "0.7679"));
    assert_non_null(strstr(txt, "17.1676"));
    assert_non_null(strstr(txt, "\xE2\x80\x9C" "double quotes" "\xE2\x80\x9D"));
    assert_non_null(strstr(txt, "caf\xC3\xA9"));
    assert_non_null(strstr(txt, "Pneumonoultramicroscopic"));
    /* A character outside cp1252 in code is shown, not dropped. */
    assert_non_null(strstr(txt, "# [U+03B1] is the learning rate"));
    /* Nothing was silently dropped: Greek typed in prose reached the page
     * (as math, or visibly in the math fallback). */
    assert_null(strstr(txt, "?"));
    free(txt);
    S_unload(&fx);
}

static void t_letter(void **state)
{
    (void)state;
    S_fix fx;
    lb_err e;
    err_clear(&e);
    S_load(&fx, "tests/fixtures/pdf/rich.md");
    char a[1200];
    snprintf(a, sizeof a, "%s/letter.pdf", tk_scratch());
    assert_int_equal(S_render(&fx, PDF_PAPER_LETTER, a, &e), 0);
    char *info = tk_pdfinfo(a);
    assert_non_null(info);
    assert_non_null(strstr(info, "Page size:       612 x 792 pts (letter)"));
    free(info);
    S_unload(&fx);
}

/* A table taller than a page is split between rows and its header row is
 * repeated on every page it continues on. */
static void t_long_table(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    size_t cap = 1 << 16, n = 0;
    char *md = malloc(cap);
    assert_non_null(md);
    n += (size_t)snprintf(md + n, cap - n, "# Long\n\nText before.\n\n"
                          "| Quantity | Value |\n|:--|--:|\n");
    for (int i = 1; i <= 120; i++)
        n += (size_t)snprintf(md + n, cap - n, "| row %d | %d.5 |\n", i, i);
    n += (size_t)snprintf(md + n, cap - n, "\nText after.\n");
    doc *d = mdp_parse("long.md", md, n, &e);
    assert_non_null(d);
    char out[1200];
    snprintf(out, sizeof out, "%s/long.pdf", tk_scratch());
    pdf_opts o;
    pdf_opts_default(&o);
    o.date = 0;
    assert_int_equal(pdf_render(d, NULL, &o, out, &e), 0);
    int pages = tk_pdf_pages(out);
    /* 120 rows of 11pt = 1320pt > 2 pages of 598pt. */
    assert_true(pages >= 3);
    char *txt = tk_pdftotext(out, 0, 0);
    assert_non_null(txt);
    tk_squeeze(txt); /* pdftotext's line and block breaks depend on layout */
    int heads = 0;
    for (const char *p = txt; (p = strstr(p, "Quantity")); p++)
        heads++;
    assert_int_equal(heads, pages);   /* once per page: repeated header */
    for (int i = 1; i <= 120; i++) {
        char row[32];
        snprintf(row, sizeof row, "row %d ", i);
        if (!strstr(txt, row))
            fail_msg("%s missing", row);
    }
    S_in_order(txt, (const char *const[]){ "Text before.", "row 1 ",
                                          "row 120 ", "Text after.", NULL });
    free(txt);
    free(md);
    doc_free(d);
}

/* A short boxed note (block quote) is never split across pages: for every
 * amount of text before it, its first and last words land on one page
 * (pdftotext -f/-l per page). */
static void t_quote_kept_whole(void **state)
{
    (void)state;
    for (int before = 36; before < 52; before += 3) {
        lb_err e;
        err_clear(&e);
        char md[16384];
        size_t n = 0;
        for (int i = 0; i < before; i++)
            n += (size_t)snprintf(md + n, sizeof md - n,
                                  "Line %d of filler text that fills exactly one line.\n\n", i);
        n += (size_t)snprintf(md + n, sizeof md - n,
                              "> **QUOTESTART** a boxed note of several lines, long enough "
                              "to be set on six or seven lines of the text block, with words "
                              "and more words and still more words so that it wraps, and "
                              "wraps again, and keeps wrapping until it is a real paragraph "
                              "of the kind a handout puts in a box for students to read "
                              "carefully, ending with QUOTEEND.\n");
        doc *d = mdp_parse("quote.md", md, n, &e);
        assert_non_null(d);
        char out[1200];
        snprintf(out, sizeof out, "%s/quote.pdf", tk_scratch());
        assert_int_equal(pdf_render(d, NULL, NULL, out, &e), 0);
        doc_free(d);
        int start_page = 0, end_page = 0;
        for (int pg = 1; pg <= 3; pg++) {
            char *t = tk_pdftotext(out, pg, pg); /* NULL past the last page */
            if (t && strstr(t, "QUOTESTART"))
                start_page = pg;
            if (t && strstr(t, "QUOTEEND"))
                end_page = pg;
            free(t);
        }
        assert_true(start_page > 0);
        assert_int_equal(start_page, end_page);
    }
}

static void t_missing_figure(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    const char *md = "![A figure](figure:softmax3)\n";
    doc *d = mdp_parse("fig.md", md, strlen(md), &e);
    assert_non_null(d);
    pdf_opts o;
    pdf_opts_default(&o);
    o.figures_dir = "/nonexistent-lossbook-dir";
    char out[1200];
    snprintf(out, sizeof out, "%s/fig.pdf", tk_scratch());
    assert_int_equal(pdf_render(d, NULL, &o, out, &e), -1);
    assert_int_equal(e.code, LB_EXIT_RUNTIME);
    assert_non_null(strstr(e.msg, "softmax3"));
    doc_free(d);
}

/* A bad formula is an input error at its template line:column: inline
 * "$" at column 6 -> "\nosuchcommand" at column 7; in a multi-line display
 * the error's own line (the TeX starts on the line after "$$"). */
static void t_math_error(void **state)
{
    (void)state;
    lb_err e;
    char out[1200];
    snprintf(out, sizeof out, "%s/bad.pdf", tk_scratch());
    static const struct { const char *md, *where; } cases[] = {
        { "Text $\\nosuchcommand x$.\n", "bad.md:1:7: " },
        { "Para.\n\n$$\na = b\n= \\bogus\n$$\n", "bad.md:5:3: " },
    };
    for (size_t i = 0; i < 2; i++) {
        err_clear(&e);
        doc *d = mdp_parse("bad.md", cases[i].md, strlen(cases[i].md), &e);
        assert_non_null(d);
        assert_int_equal(pdf_render(d, NULL, NULL, out, &e), -1);
        assert_int_equal(e.code, LB_EXIT_INPUT);
        if (strncmp(e.msg, cases[i].where, strlen(cases[i].where)) != 0)
            fail_msg("got '%s', want prefix '%s'", e.msg, cases[i].where);
        assert_null(strchr(e.msg, '\n'));
        doc_free(d);
    }
}

/* An empty template still gives a valid one-page PDF. */
static void t_empty(void **state)
{
    (void)state;
    lb_err e;
    err_clear(&e);
    doc *d = mdp_parse("empty.md", "", 0, &e);
    assert_non_null(d);
    char out[1200];
    snprintf(out, sizeof out, "%s/empty.pdf", tk_scratch());
    assert_int_equal(pdf_render(d, NULL, NULL, out, &e), 0);
    assert_int_equal(tk_pdf_pages(out), 1);
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_render_rich),
        cmocka_unit_test(t_letter),
        cmocka_unit_test(t_long_table),
        cmocka_unit_test(t_missing_figure),
        cmocka_unit_test(t_quote_kept_whole),
        cmocka_unit_test(t_math_error),
        cmocka_unit_test(t_empty),
    };
    return cmocka_run_group_tests(tests, tk_scratch_setup, tk_scratch_teardown);
}
