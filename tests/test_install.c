/* test_install — `make install PREFIX=... DESTDIR=...` after an ordinary
 * build installs a lossbook that runs from any folder (here: from "/"),
 * finds its templates under PREFIX without anything compiled in, and, when
 * a default input is nowhere, says which paths it tried; the PNG encoder
 * (lossbook-pngshim.so) goes to PREFIX/lib/lossbook and is found there; `make uninstall`
 * removes what install put there.  (Before: the data folder was fixed at
 * the first build from the default PREFIX, and the message was only
 * "cannot open".)  Runs make in $LB_ROOT with the build tree of $LB_BIN. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testkit.h"

static char *S_dir;

static int S_exists(const char *path)
{
    return tk_file_size(path) > 0;
}

static void test_install_run_from_root(void **state)
{
    (void)state;
    tk_result r = {0};
    char prefix[1024], dest[1024], lone[1024];
    snprintf(dest, sizeof dest, "DESTDIR=%s/dest", S_dir);
    snprintf(prefix, sizeof prefix, "%s/dest/opt/lossbook-test", S_dir);
    /* the same build tree as the binary under test (build/ or build-asan/) */
    const char *san = tk_sanitized() ? "SANITIZE=1" : "SANITIZE=";
    tk_cmd(&r, NULL, "make", "--no-print-directory", "-C", tk_root(), "install", san,
           "PREFIX=/opt/lossbook-test", dest, NULL);
    tk_assert_exit(&r, 0);
    assert_true(S_exists(tk_path("%s/bin/lossbook", prefix)));
    assert_true(S_exists(tk_path("%s/share/lossbook/templates/handout.md", prefix)));
    assert_true(S_exists(tk_path("%s/share/lossbook/templates/examples/llm-batch.json", prefix)));
    assert_true(S_exists(tk_path("%s/lib/lossbook/lossbook-pngshim.so", prefix)));

    /* from "/", no template or example named: found under PREFIX, and the
     * PNG encoder in PREFIX/lib/lossbook (plot/pngenc.h) */
    static const char *const unset[] = {"LOSSBOOK_DATADIR", "LOSSBOOK_PNGSHIM", NULL};
    tk_opts at_root = {.cwd = "/", .env = unset};
    tk_cmd(&r, &at_root, tk_path("%s/bin/lossbook", prefix), "--verbose", "--out",
           tk_path("%s/out", S_dir), NULL);
    tk_assert_exit(&r, 0);
    assert_non_null(strstr(r.err, tk_path("PNG encoder: libpng row filter None, deflate by libdeflate (%s/lib/lossbook/"
                                          "lossbook-pngshim.so)", prefix)));
    assert_true(S_exists(tk_path("%s/out/report.pdf", S_dir)));
    assert_true(S_exists(tk_path("%s/out/report.md", S_dir)));
    assert_true(S_exists(tk_path("%s/out/figures/softmax3.png", S_dir)));

    /* a binary alone (no share/ next to it): one line listing every path */
    snprintf(lone, sizeof lone, "%s/lone/bin", S_dir);
    assert_int_equal(tk_mkdirs(lone), 0);
    assert_int_equal(tk_copy(tk_path("%s/bin/lossbook", prefix), tk_path("%s/lossbook", lone)), 0);
    tk_cmd(&r, &at_root, tk_path("%s/lossbook", lone), "--quiet", "--out",
           tk_path("%s/out2", S_dir), NULL);
    tk_assert_exit(&r, 2);
    assert_true(tk_one_line(r.err));
    assert_non_null(strstr(r.err, "cannot find the default example 'templates/examples/llm-batch.json'"));
    assert_non_null(strstr(r.err, "tried: templates/examples/llm-batch.json, "));
    assert_non_null(strstr(r.err, tk_path("%s/../share/lossbook/templates/examples/llm-batch.json",
                                          lone)));
    assert_false(S_exists(tk_path("%s/out2/report.pdf", S_dir)));

    /* LOSSBOOK_DATADIR points it at the data */
    char env[1200];
    snprintf(env, sizeof env, "LOSSBOOK_DATADIR=%s/share/lossbook", prefix);
    const char *const set[] = {env, NULL};
    tk_opts with_env = {.cwd = "/", .env = set};
    tk_cmd(&r, &with_env, tk_path("%s/lossbook", lone), "--quiet", "--out",
           tk_path("%s/out3", S_dir), NULL);
    tk_assert_exit(&r, 0);

    tk_cmd(&r, NULL, "make", "--no-print-directory", "-C", tk_root(), "uninstall",
           "PREFIX=/opt/lossbook-test", dest, NULL);
    tk_assert_exit(&r, 0);
    assert_false(S_exists(tk_path("%s/bin/lossbook", prefix)));
    assert_false(S_exists(tk_path("%s/share/lossbook/templates/handout.md", prefix)));
    assert_false(S_exists(tk_path("%s/lib/lossbook/lossbook-pngshim.so", prefix)));
    tk_result_free(&r);
}

static int S_setup(void **state)
{
    (void)state;
    if (tk_need_bin("test_install") != 0)
        return -1;
    S_dir = tk_tmpdir_new("install");
    return S_dir ? 0 : -1;
}

static int S_teardown(void **state)
{
    (void)state;
    tk_tmpdir_free(S_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_run_from_root),
    };
    return cmocka_run_group_tests(tests, S_setup, S_teardown);
}
