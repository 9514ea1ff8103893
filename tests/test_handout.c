/* test_handout — end-to-end test of the real handout template.
 *
 * Runs the lossbook binary on templates/handout.md with the worked example
 * templates/examples/llm-batch.json into a fresh temporary folder, then
 * inspects the PDF with poppler's pdftotext / pdfinfo and with a small parse
 * of the raw PDF (for the outline).  Environment:
 *   LB_BIN   path of the lossbook binary (required)
 *   LB_ROOT  repository root (default ".")
 * When the binary is missing or fails, every test fails with a message
 * (no crash, no hang: the run is killed after RUN_TIMEOUT_S seconds).
 *
 * Expected numbers are derived independently of the program, with python3's
 * `decimal` module at 50 significant digits from the logits and targets of
 * the source material (batch 2 x sequence 3 x vocabulary 5):
 *
 *   from decimal import Decimal as D, getcontext; getcontext().prec = 50
 *   L = [[2.0,1.0,0.1,0.0,-1.0], [0.5,2.1,-1.2,0.3,0.0], [1.2,0.7,0.3,2.2,-0.5],
 *        [1.5,-0.5,2.3,0.0,0.1], [0.3,0.8,1.5,-1.0,2.0], [2.2,1.0,0.5,0.3,0.0]]
 *   T = [0, 1, 3, 2, 4, 1]
 *   for z, t in zip(L, T):
 *       e = [D(str(v)).exp() for v in z]; s = sum(e); loss = -(e[t] / s).ln()
 *
 *   position  sum of e^z            -log p_target
 *   1         12.580388...          0.532139...   -> "0.5321"
 *   2         12.465944...          0.423000...   -> "0.4230"
 *   3         16.315273...          0.592102...   -> "0.5921"
 *   4         17.167573...          0.543022...   -> "0.5430"   sum "17.1676"
 *   5         15.814024...          0.760897...   -> "0.7609"
 *   6         15.741875...          1.756324...   -> "1.7563"
 *   mean = 4.60748508475052.../6 = 0.76791418079175... -> "0.7679"
 *   (the source's hand calculation says 0.7643 and 16.1676: both wrong.)
 *
 * The log table (p in {0.01, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0}), also with
 * decimal: -ln p = 4.60517.. 2.30258.. 1.60943.. 1.20397.. 0.69314..
 * 0.35667.. 0.10536.. 0 -> "4.6052" "2.3026" "1.6094" "1.2040" "0.6931"
 * "0.3567" "0.1054" "0.0000" (log p is the same with a minus sign, so only
 * the digits are searched: the minus may be extracted as '-' or U+2212).
 *
 * Outline: libharu 2.3.0 has no object streams; HPDF_COMP_ALL compresses
 * only stream contents (pages, images, fonts), so the outline item
 * dictionaries are plain objects and their "/Title (...)" or "/Title <...>"
 * strings can be read straight from the file.  The test decodes literal
 * strings (with escapes) and hex strings (UTF-16BE with a FEFF mark, or
 * single bytes) and requires the /Outlines key and one title per section
 * heading of the template.  (qpdf is not installed; pdftotext does not show
 * outlines.)
 *
 * Tables likewise: "Table N." captions, one per `](table:` directive.
 *
 * Figures: the number of distinct "Figure N." (or "Figure N:") captions at a
 * line start in the pdftotext output must equal the number of `](figure:`
 * directives in the template, numbered 1..k.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testkit.h"

#define RUN_TIMEOUT_S 300
#define MAX_HEADINGS 64

static struct {
    int ready;                 /* 1 when the PDF exists and was read */
    char why[4096];            /* why not ready */
    char *tmpdir;              /* tk_tmpdir_new */
    char *tmpl;                /* template text */
    char *text;                /* pdftotext output, raw */
    char *flat;                /* same, whitespace runs -> one space */
    char *raw;                 /* the PDF bytes */
    size_t rawlen;
    int pages;                 /* from pdfinfo, -1 unknown */
    char *headings[MAX_HEADINGS];  /* as rendered (see S_rendered_heading) */
    size_t nheadings;
    int last_is_appendix;      /* the template's last heading says "Appendix" */
    int nfigdirectives;
    int ntabdirectives;
} G;

static void S_why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void S_why(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(G.why, sizeof G.why, fmt, ap);
    va_end(ap);
}

/* The document model (src/doc/doc.h, appendix rule) numbers the first heading
 * "Appendix: X" (separators ": ", ". ", " - ", " ") as "A" with the text "X":
 * strip the word in place, as the PDF shows it.  Returns 1 when stripped or
 * when the heading is just "Appendix". */
static int S_rendered_heading(char *h)
{
    static const char *const seps[] = {": ", ". ", " - ", " "};
    /* a trailing " {#label}" (cross-reference label, doc.h) is not shown */
    char *lab = strstr(h, " {#");
    if (lab && h[strlen(h) - 1] == '}')
        *lab = '\0';
    if (strncmp(h, "Appendix", 8) != 0)
        return 0;
    if (h[8] == '\0')
        return 1;
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t l = strlen(seps[i]);
        if (strncmp(h + 8, seps[i], l) == 0 && h[8 + l] != '\0') {
            memmove(h, h + 8 + l, strlen(h + 8 + l) + 1);
            return 1;
        }
    }
    return 0;
}

/* Level-1 headings ("# text") of the template, outside fenced code and the
 * front matter.  Inline emphasis markers are dropped. */
static void S_collect_headings(const char *t)
{
    int in_fence = 0, line_no = 0, in_front = 0;
    const char *p = t;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line_no++;
        if (line_no == 1 && len >= 3 && strncmp(p, "---", 3) == 0)
            in_front = 1;
        else if (in_front && len >= 3 && strncmp(p, "---", 3) == 0)
            in_front = 0;
        else if (!in_front && len >= 3 && strncmp(p, "```", 3) == 0)
            in_fence = !in_fence;
        else if (!in_front && !in_fence && len > 2 && p[0] == '#' && p[1] == ' '
                 && G.nheadings < MAX_HEADINGS) {
            char *h = malloc(len);
            if (h) {
                size_t k = 0;
                for (size_t i = 2; i < len; i++)
                    if (p[i] != '*' && p[i] != '_' && p[i] != '\r')
                        h[k++] = p[i];
                while (k > 0 && h[k - 1] == ' ')
                    k--;
                h[k] = '\0';
                G.last_is_appendix = S_rendered_heading(h);
                G.headings[G.nheadings++] = h;
            }
        }
        p += len;
        if (*p == '\n')
            p++;
    }
}

/* S with every run of white space made one space (a copy; NULL if out of
 * memory). */
static char *S_flatten(const char *s)
{
    char *o = strdup(s);
    if (o)
        tk_squeeze(o);
    return o;
}

static int group_setup(void **state)
{
    (void)state;
    const char *bin = tk_bin();
    char tpath[1024], epath[1024], pdf[1024];

    G.pages = -1;
    snprintf(tpath, sizeof tpath, "%s", tk_src("templates/handout.md"));
    snprintf(epath, sizeof epath, "%s", tk_src("templates/examples/llm-batch.json"));

    G.tmpl = tk_read_file(tpath, NULL);
    if (!G.tmpl) {
        S_why("cannot read template %s: %s", tpath, strerror(errno));
        return 0;
    }
    S_collect_headings(G.tmpl);
    G.nfigdirectives = (int)tk_count(G.tmpl, "](figure:");
    G.ntabdirectives = (int)tk_count(G.tmpl, "](table:");

    if (!bin) {
        S_why("LB_BIN is not set (path of the lossbook binary)");
        return 0;
    }
    if (access(bin, X_OK) != 0) {
        S_why("lossbook binary %s is not executable: %s", bin, strerror(errno));
        return 0;
    }
    G.tmpdir = tk_tmpdir_new("test-handout");
    if (!G.tmpdir) {
        S_why("mkdtemp: %s", strerror(errno));
        return 0;
    }
    tk_result r = {0};
    tk_opts o = {.cwd = ".", .timeout = RUN_TIMEOUT_S};
    int rc = tk_lb(&r, &o, "--out", G.tmpdir, "--template", tpath, "--example", epath, NULL);
    if (rc != 0) {
        if (r.timed_out)
            S_why("%s: timed out after %d s", bin, RUN_TIMEOUT_S);
        else
            S_why("lossbook exited with status %d (signal %d); stderr: %.3000s", rc, r.signo,
                  r.err);
        tk_result_free(&r);
        return 0;
    }
    tk_result_free(&r);
    snprintf(pdf, sizeof pdf, "%s/report.pdf", G.tmpdir);
    G.raw = tk_pdf_read(pdf, &G.rawlen);
    if (!G.raw || G.rawlen < 5 || memcmp(G.raw, "%PDF-", 5) != 0) {
        S_why("%s is missing or not a PDF", pdf);
        return 0;
    }
    G.text = tk_pdftotext(pdf, 0, 0);
    if (!G.text) {
        S_why("pdftotext failed on %s", pdf);
        return 0;
    }
    G.flat = S_flatten(G.text);
    if (!G.flat) {
        S_why("out of memory");
        return 0;
    }
    G.pages = tk_pdf_pages(pdf);
    G.ready = 1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tk_tmpdir_free(G.tmpdir);
    free(G.tmpl);
    free(G.text);
    free(G.flat);
    free(G.raw);
    for (size_t i = 0; i < G.nheadings; i++)
        free(G.headings[i]);
    return 0;
}

#define REQUIRE_PDF()                                                        \
    do {                                                                     \
        if (!G.ready)                                                        \
            fail_msg("no PDF to check: %s", G.why);                          \
    } while (0)

static void S_expect_text(const char *s)
{
    if (!strstr(G.flat, s))
        fail_msg("pdftotext output lacks \"%s\"", s);
}

/* ------------------------------------------------------------------ */

static void test_binary_runs(void **state)
{
    (void)state;
    REQUIRE_PDF();
    assert_true(G.rawlen > 1000);
}

static void test_template_has_sections(void **state)
{
    (void)state;
    if (!G.tmpl)
        fail_msg("%s", G.why);
    /* Issue 5: sections 1-7 plus the appendix; issue 17: section 8, from
     * toy to real size. */
    if (G.nheadings != 9)
        fail_msg("template has %zu level-1 headings, expected 9", G.nheadings);
    assert_true(G.last_is_appendix);
    assert_int_equal(G.nfigdirectives, 8);
}

static void test_headings_in_text(void **state)
{
    (void)state;
    REQUIRE_PDF();
    assert_true(G.nheadings > 0);
    for (size_t i = 0; i < G.nheadings; i++)
        S_expect_text(G.headings[i]);
}

static void test_worked_example_numbers(void **state)
{
    (void)state;
    REQUIRE_PDF();
    /* Derived with python3 decimal (see the comment at the top). */
    static const char *const want[] = {
        "0.7679",                                             /* mean */
        "0.5321", "0.4230", "0.5921", "0.5430", "0.7609", "1.7563", /* losses */
        "17.1676",                                            /* sum, pos 4 */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        S_expect_text(want[i]);
    /* The boxed note quotes the historical wrong values next to the right. */
    S_expect_text("Checking your work");
    S_expect_text("0.7643");
    S_expect_text("16.1676");
}

static void test_log_table_values(void **state)
{
    (void)state;
    REQUIRE_PDF();
    static const char *const want[] = {
        "4.6052", "2.3026", "1.6094", "1.2040", "0.6931", "0.3567", "0.1054",
        "0.0000",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        S_expect_text(want[i]);
}

static void test_no_raw_tex(void **state)
{
    (void)state;
    REQUIRE_PDF();
    static const char *const bad[] = {
        "\\frac", "\\sum", "$$", "\\log", "\\mathcal", "](value:", "](table:",
        "](figure:",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strstr(G.text, bad[i]))
            fail_msg("pdftotext output contains raw \"%s\"", bad[i]);
}

static void test_page_count(void **state)
{
    (void)state;
    REQUIRE_PDF();
    if (G.pages < 0)
        fail_msg("pdfinfo did not report a page count");
    /* issue 17: about 20 pages at most for any example */
    if (G.pages < 10 || G.pages > 20)
        fail_msg("handout has %d pages, expected 10..20", G.pages);
}

/* Decode the PDF string starting at s (at '(' or '<') into out (ASCII/UTF-8
 * subset: non-ASCII code points become '?').  Returns 0 or -1. */
static int S_pdf_string(const char *s, const char *end, char *out, size_t outsz)
{
    unsigned char buf[1024];
    size_t n = 0;
    if (s >= end)
        return -1;
    if (*s == '(') {
        int depth = 1;
        s++;
        while (s < end && n < sizeof buf) {
            char c = *s++;
            if (c == '\\' && s < end) {
                char d = *s++;
                switch (d) {
                case 'n': buf[n++] = '\n'; break;
                case 'r': buf[n++] = '\r'; break;
                case 't': buf[n++] = '\t'; break;
                case 'b': buf[n++] = '\b'; break;
                case 'f': buf[n++] = '\f'; break;
                case '\n': break;
                case '\r': if (s < end && *s == '\n') s++; break;
                default:
                    if (d >= '0' && d <= '7') {
                        int v = d - '0';
                        for (int k = 0; k < 2 && s < end && *s >= '0' && *s <= '7'; k++)
                            v = v * 8 + (*s++ - '0');
                        buf[n++] = (unsigned char)v;
                    } else {
                        buf[n++] = (unsigned char)d;
                    }
                }
            } else if (c == '(') {
                depth++;
                buf[n++] = '(';
            } else if (c == ')') {
                if (--depth == 0)
                    break;
                buf[n++] = ')';
            } else {
                buf[n++] = (unsigned char)c;
            }
        }
    } else if (*s == '<') {
        int hi = -1;
        s++;
        while (s < end && *s != '>' && n < sizeof buf) {
            int c = (unsigned char)*s++, v;
            if (c >= '0' && c <= '9') v = c - '0';
            else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
            else continue;
            if (hi < 0) hi = v;
            else { buf[n++] = (unsigned char)(hi * 16 + v); hi = -1; }
        }
    } else {
        return -1;
    }
    size_t k = 0;
    if (n >= 2 && buf[0] == 0xFE && buf[1] == 0xFF) {
        for (size_t i = 2; i + 1 < n && k + 1 < outsz; i += 2) {
            unsigned cp = (unsigned)buf[i] << 8 | buf[i + 1];
            out[k++] = cp < 128 ? (char)cp : '?';
        }
    } else {
        for (size_t i = 0; i < n && k + 1 < outsz; i++)
            out[k++] = buf[i] < 128 ? (char)buf[i] : '?';
    }
    out[k] = '\0';
    return 0;
}

static void test_outline(void **state)
{
    (void)state;
    REQUIRE_PDF();
    const char *end = G.raw + G.rawlen;
    /* The PDF may contain NUL bytes (binary streams): search with memmem. */
    if (!memmem(G.raw, G.rawlen, "/Outlines", 9))
        fail_msg("the PDF has no /Outlines (no bookmarks)");
    char *titles = calloc(1, 1);
    size_t tlen = 0;
    assert_non_null(titles);
    for (const char *p = memmem(G.raw, G.rawlen, "/Title", 6); p;
         p = memmem(p + 6, (size_t)(end - (p + 6)), "/Title", 6)) {
        const char *s = p + 6;
        char t[1100];
        while (s < end && (*s == ' ' || *s == '\n' || *s == '\r'))
            s++;
        if (S_pdf_string(s, end, t, sizeof t) != 0)
            continue;
        char *f = S_flatten(t);
        assert_non_null(f);
        size_t fl = strlen(f);
        char *nt = realloc(titles, tlen + fl + 2);
        assert_non_null(nt);
        titles = nt;
        memcpy(titles + tlen, f, fl);
        tlen += fl;
        titles[tlen++] = '\n';
        titles[tlen] = '\0';
        free(f);
    }
    for (size_t i = 0; i < G.nheadings; i++) {
        if (!strstr(titles, G.headings[i])) {
            fail_msg("no outline entry for section \"%s\"; /Title strings:\n%s",
                     G.headings[i], titles);
        }
    }
    free(titles);
}

/* Distinct caption numbers N of lines starting "WORD N." or "WORD N:" in the
 * pdftotext output; *maxn_out gets the highest. */
static int S_caption_numbers(const char *word, int *maxn_out)
{
    int seen[100] = {0};
    int distinct = 0, maxn = 0;
    size_t wl = strlen(word);
    const char *p = G.text;
    while (*p) {
        const char *q = p;
        while (*q == ' ' || *q == '\t' || *q == '\f')
            q++;
        if (strncmp(q, word, wl) == 0 && q[wl] == ' ') {
            char *e;
            long n = strtol(q + wl + 1, &e, 10);
            if (e != q + wl + 1 && (*e == '.' || *e == ':') && n > 0 && n < 100) {
                if (!seen[n]) {
                    seen[n] = 1;
                    distinct++;
                }
                if (n > maxn)
                    maxn = (int)n;
            }
        }
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    *maxn_out = maxn;
    return distinct;
}

static void test_figure_count(void **state)
{
    (void)state;
    REQUIRE_PDF();
    int maxn = 0;
    int distinct = S_caption_numbers("Figure", &maxn);
    /* the default example has 6 positions: the histogram, kept for 30 or
     * more, is left out, so one figure directive of the template is not */
    if (distinct != G.nfigdirectives - 1 || maxn != G.nfigdirectives - 1)
        fail_msg("found %d distinct \"Figure N.\" captions (highest %d); the "
                 "template has %d figure directives, one for large examples only",
                 distinct, maxn, G.nfigdirectives);
}

/* Every generated table of the template is captioned "Table N." in order. */
static void test_table_count(void **state)
{
    (void)state;
    REQUIRE_PDF();
    int maxn = 0;
    int distinct = S_caption_numbers("Table", &maxn);
    /* the step table directive is one for the six positions of the default example */
    if (distinct != G.ntabdirectives + 5 || maxn != G.ntabdirectives + 5)
        fail_msg("found %d distinct \"Table N.\" captions (highest %d); the "
                 "template has %d table directives, step/* stands for six",
                 distinct, maxn, G.ntabdirectives);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_has_sections),
        cmocka_unit_test(test_binary_runs),
        cmocka_unit_test(test_headings_in_text),
        cmocka_unit_test(test_worked_example_numbers),
        cmocka_unit_test(test_log_table_values),
        cmocka_unit_test(test_no_raw_tex),
        cmocka_unit_test(test_page_count),
        cmocka_unit_test(test_outline),
        cmocka_unit_test(test_figure_count),
        cmocka_unit_test(test_table_count),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
