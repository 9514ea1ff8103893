/* test_figlang — figure labels in Chinese (plot/figlang.h).
 *
 * Every built-in figure's script, rewritten for "zh", must keep no English
 * word in a label (the test names the string to add to figlang.c's table
 * when figures.c changes), must write NAME.zh.* instead of NAME.*, and must
 * set its Chinese in the font fontconfig resolves to the body font's file.
 * Then gnuplot really draws one (the PNG differs from the English one and
 * the SVG carries the Chinese text).
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
#include "plot/figlang.h"
#include "plot/figures.h"

/* Words that may stay in a Chinese figure: notation, function names, and
 * what is not text at all (fonts, files, colours, gnuplot markup). */
static const char *const S_allowed[] = {
    "log", "exp", "softmax", "logit", "logits", "target", "Italic", "Bold",
    "Latin", "Modern", "Roman", "UMing", "png", "svg", "dat", "data", "dark",
    "mean", NULL
};

static int S_english_word(const char *lit, char *word, size_t wn)
{
    const char *p = lit;
    while (*p) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            p++;
        const char *q = p;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
            q++;
        size_t n = (size_t)(q - p);
        if (n >= 3) {
            int ok = 0;
            for (int i = 0; S_allowed[i]; i++)
                ok |= strlen(S_allowed[i]) == n && !strncmp(S_allowed[i], p, n);
            if (!ok) {
                snprintf(word, wn, "%.*s", (int)n, p);
                return 1;
            }
        }
        p = q;
    }
    return 0;
}

static void t_every_label_translated(void **st)
{
    (void)st;
    char *dir = tk_tmpdir_new("figlang");
    assert_non_null(dir);
    fig_opts fo = { .seq_len = 3 };
    for (size_t i = 0; i < fig_count(); i++) {
        const fig_info *fi = fig_at(i);
        lb_err e;
        err_clear(&e);
        if (fig_write_script(dir, "../data", fi, &fo, &e) < 0)
            fail_msg("%s", e.msg);
        size_t len;
        char *src = tk_read_file(tk_path("%s/%s.gp", dir, fi->name), &len);
        assert_non_null(src);
        char *out = NULL;
        size_t olen = 0;
        int changed = 0;
        assert_int_equal(figlang_rewrite(src, len, fi->name, "zh", &out, &olen,
                                         &changed, &e), 0);
        assert_true(changed > 0);
        /* outputs renamed, the English ones never written */
        char want[96];
        snprintf(want, sizeof want, "'%s.zh.png'", fi->name);
        assert_non_null(strstr(out, want));
        snprintf(want, sizeof want, "'%s.zh.svg'", fi->name);
        assert_non_null(strstr(out, want));
        snprintf(want, sizeof want, "'%s.png'", fi->name);
        assert_null(strstr(out, want));
        /* no English word left in any string outside comments */
        for (char *p = out; *p; p++) {
            if (*p == '#') {
                while (*p && *p != '\n') p++;
                if (!*p) break;
                continue;
            }
            if (*p != '\'')
                continue;
            char *q = p + 1;
            while (*q && *q != '\n' && !(*q == '\'' && q[1] != '\''))
                q += (*q == '\'' && q[1] == '\'') ? 2 : 1;
            char lit[1024], w[64];
            snprintf(lit, sizeof lit, "%.*s", (int)(q - p - 1), p + 1);
            int notext = lit[0] == '#' ||                 /* a colour */
                         (!strchr(lit, ' ') && strchr(lit, '.')) || /* a file */
                         !strncmp(lit, "Latin Modern Roman,", 19); /* a font */
            if (!notext && S_english_word(lit, w, sizeof w))
                fail_msg("figure '%s': the string '%s' is still English ('%s'): "
                         "add its translation to src/plot/figlang.c",
                         fi->name, lit, w);
            p = *q ? q : q - 1;
        }
        /* Chinese text in the body font */
        assert_non_null(strstr(out, "{/\"AR PL UMing CN\" "));
        free(out);
        free(src);
    }
    tk_tmpdir_free(dir);
}

/* A script without any translatable string changes nothing (the figure is
 * not drawn twice); an unknown language is an error. */
static void t_nothing_to_translate(void **st)
{
    (void)st;
    const char *s = "# 'probability' in a comment stays\n"
                    "set xlabel '{/:Italic x}'\nset output 'exp.png'\n";
    char *out = NULL;
    size_t n = 0;
    int changed = -1;
    lb_err e;
    err_clear(&e);
    assert_int_equal(figlang_rewrite(s, strlen(s), "exp", "zh", &out, &n,
                                     &changed, &e), 0);
    assert_int_equal(changed, 0);
    assert_non_null(strstr(out, "'probability' in a comment"));
    assert_non_null(strstr(out, "'exp.zh.png'"));
    free(out);
    err_clear(&e);
    assert_int_equal(figlang_rewrite(s, strlen(s), "exp", "xx", &out, &n,
                                     &changed, &e), -1);
    /* quotes inside a translated label are doubled */
    const char *q = "set ylabel 'probability'\n";
    assert_int_equal(figlang_rewrite(q, strlen(q), "exp", "zh", &out, &n,
                                     &changed, &e), 0);
    assert_int_equal(changed, 1);
    assert_string_equal(out, "set ylabel '{/\"AR PL UMing CN\" \xE6\xA6\x82"
                        "\xE7\x8E\x87}'\n");
    free(out);
}

/* The font named in the labels is the file the PDF embeds (fc-match). */
static void t_font_is_the_body_font(void **st)
{
    (void)st;
    char *m = tk_capture("fc-match", "-f", "%{file}", figlang_font("zh"), NULL);
    assert_non_null(m);
    assert_non_null(strstr(m, "uming.ttc"));
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_every_label_translated),
        cmocka_unit_test(t_nothing_to_translate),
        cmocka_unit_test(t_font_is_the_body_font),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
