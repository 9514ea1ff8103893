/* test_layers — tests/check_layers.sh, the source tree's rules, must catch
 * each kind of violation.  Each test builds a tiny fake tree (a src/ with
 * stage folders and the objects gcc makes of it) and runs the script on it:
 * a clean tree passes, and every rule broken once makes it fail with a
 * message naming the files.  Without these, a check that silently passes
 * everything would look the same as a tree that keeps the rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testkit.h"

typedef struct S_src {
    const char *path; /* under src/ */
    const char *code;
} S_src;

/* Writes the sources into DIR/src, compiles each into DIR/obj (same
 * layout), runs check_layers.sh from DIR; returns its result. */
static void S_check(tk_result *r, const char *dir, const S_src *srcs, size_t n)
{
    char path[1024], obj[1024];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/src/%s", dir, srcs[i].path);
        snprintf(obj, sizeof obj, "%s/obj/%s", dir, srcs[i].path);
        obj[strlen(obj) - 1] = 'o';
        char *slash = strrchr(path, '/');
        *slash = '\0';
        assert_int_equal(tk_mkdirs(path), 0);
        *slash = '/';
        slash = strrchr(obj, '/');
        *slash = '\0';
        assert_int_equal(tk_mkdirs(obj), 0);
        *slash = '/';
        assert_int_equal(tk_write_file(path, srcs[i].code), 0);
        tk_result cc = {0};
        tk_cmd(&cc, NULL, "gcc", "-c", "-o", obj, path, NULL);
        tk_assert_exit(&cc, 0);
        tk_result_free(&cc);
    }
    char script[1024];
    snprintf(script, sizeof script, "%s", tk_src("tests/check_layers.sh"));
    tk_opts o = {.cwd = dir};
    tk_cmd(r, &o, "bash", script, "obj", NULL);
}

static void S_expect(const S_src *srcs, size_t n, int status, const char *fragment)
{
    char *dir = tk_tmpdir_new("layers");
    assert_non_null(dir);
    tk_result r = {0};
    S_check(&r, dir, srcs, n);
    tk_assert_exit(&r, status);
    if (!r.out || !strstr(r.out, fragment))
        fail_msg("expected '%s' in:\n%s", fragment, r.out ? r.out : "(nothing)");
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

/* base <- compute <- doc <- pdf, main on top: every rule kept. */
static const S_src S_good[] = {
    {"base/err.c", "int err_set(void) { return 1; }\n"},
    {"compute/numerics.c", "int err_set(void);\nint num_lse(void) { return err_set(); }\n"},
    {"doc/doc.c", "int num_lse(void);\nint doc_new(void) { return num_lse(); }\n"},
    {"pdf/pdf.c", "int doc_new(void);\nvoid HPDF_New(void);\n"
                  "int pdf_render(void) { HPDF_New(); return doc_new(); }\n"},
    {"main.c", "#include <stdlib.h>\nint pdf_render(void);\n"
               "int main(void) { exit(pdf_render()); }\n"},
};

static void test_good_tree_passes(void **state)
{
    (void)state;
    S_expect(S_good, 5, 0, "layers respected, no circle");
}

static void test_upward_call_fails(void **state)
{
    (void)state;
    /* compute (layer 1) calling doc (layer 2) */
    S_src s[] = {
        {"compute/numerics.c", "int doc_new(void);\nint num_lse(void) { return doc_new(); }\n"},
        {"doc/doc.c", "int doc_new(void) { return 0; }\n"},
    };
    S_expect(s, 2, 1, "src/compute/numerics.c calls doc_new() in src/doc/doc.c: folder compute may not call doc");
}

static void test_sideways_call_fails(void **state)
{
    (void)state;
    /* two layer-1 folders: plot may not call math */
    S_src s[] = {
        {"plot/figures.c", "int math_layout(void);\nint fig_new(void) { return math_layout(); }\n"},
        {"math/math_layout.c", "int math_layout(void) { return 0; }\n"},
    };
    S_expect(s, 2, 1, "folder plot may not call math");
}

static void test_circle_in_folder_fails(void **state)
{
    (void)state;
    /* a -> b -> c -> a inside one folder: no 2-cycle, still a circle */
    S_src s[] = {
        {"svg/a.c", "int b(void);\nint a(void) { return b(); }\n"},
        {"svg/b.c", "int c(void);\nint b(void) { return c(); }\n"},
        {"svg/c.c", "int a(void);\nint c(int x) { return x ? a() : 0; }\n"},
    };
    S_expect(s, 3, 1, "circle between files:");
}

static void test_libharu_outside_pdf_fails(void **state)
{
    (void)state;
    S_src s[] = {{"doc/doc.c", "void HPDF_New(void);\nvoid doc_new(void) { HPDF_New(); }\n"}};
    S_expect(s, 1, 1, "src/doc/doc.c calls libharu; only src/pdf/ may");
}

static void test_exit_outside_main_fails(void **state)
{
    (void)state;
    S_src s[] = {{"base/err.c", "#include <stdlib.h>\nvoid err_die(void) { exit(1); }\n"}};
    S_expect(s, 1, 1, "src/base/err.c calls exit(); only main.c ends the process");
}

static void test_undeclared_folder_fails(void **state)
{
    (void)state;
    S_src s[] = {{"misc/x.c", "int x(void) { return 0; }\n"}};
    S_expect(s, 1, 1, "folder 'misc' is not a declared layer");
}

static void test_object_without_source_ignored(void **state)
{
    (void)state;
    /* A build folder keeps objects of moved files: they must not count. */
    char *dir = tk_tmpdir_new("layers-stale");
    assert_non_null(dir);
    tk_result r = {0};
    S_src s[] = {
        {"doc/doc.c", "int doc_new(void) { return 0; }\n"},
        {"compute/numerics.c", "int doc_new(void);\nint num_lse(void) { return doc_new(); }\n"},
    };
    S_check(&r, dir, s, 2);
    tk_assert_exit(&r, 1); /* the upward call is seen while its source exists */
    tk_result_free(&r);
    assert_int_equal(remove(tk_path("%s/src/compute/numerics.c", dir)), 0);
    tk_opts o = {.cwd = dir};
    char script[1024];
    snprintf(script, sizeof script, "%s", tk_src("tests/check_layers.sh"));
    tk_cmd(&r, &o, "bash", script, "obj", NULL);
    tk_assert_exit(&r, 0);
    tk_result_free(&r);
    tk_tmpdir_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_tree_passes),
        cmocka_unit_test(test_upward_call_fails),
        cmocka_unit_test(test_sideways_call_fails),
        cmocka_unit_test(test_circle_in_folder_fails),
        cmocka_unit_test(test_libharu_outside_pdf_fails),
        cmocka_unit_test(test_exit_outside_main_fails),
        cmocka_unit_test(test_undeclared_folder_fails),
        cmocka_unit_test(test_object_without_source_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
