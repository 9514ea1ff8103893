/* Helpers shared by test_mdparse.c, test_directives.c, test_render_md.c:
 * Markdown fixtures, parsing, dumps, the tiny.json catalog (header-only;
 * the general test helpers are in testkit.h). */
#ifndef LB_MDTEST_UTIL_H
#define LB_MDTEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testkit.h"
#include "compute/catalog.h"
#include "compute/example.h"
#include "doc/doc.h"
#include "doc/mdparse.h"

/* Fixture path under $LB_ROOT/tests/fixtures/md/ (a tk_path buffer). */
static inline const char *T_fixture(const char *name)
{
    return tk_path("%s/tests/fixtures/md/%s", tk_root(), name);
}

/* doc_dump into a heap string. */
static inline char *T_dump(const doc *d)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    if (!f)
        return NULL;
    doc_dump(d, f);
    fclose(f);
    return s;
}

/* Parse a C string as template "t.md". */
static inline doc *T_parse(const char *src, lb_err *e)
{
    err_clear(e);
    return mdp_parse("t.md", src, strlen(src), e);
}

/* Group state of test_directives / test_render_md: the model and catalog
 * of tests/fixtures/md/tiny.json (T_env_setup / T_env_teardown). */
typedef struct T_env {
    ex_model *m;
    cat *c;
} T_env;

static inline int T_env_setup(void **state)
{
    static T_env env;
    lb_err e;
    err_clear(&e);
    env.m = ex_load(T_fixture("tiny.json"), &e);
    if (env.m && ex_compute(env.m, &e) == 0)
        env.c = cat_new(env.m, &e);
    if (!env.c) {
        fprintf(stderr, "setup: %s\n", e.msg);
        ex_free(env.m);
        return -1;
    }
    *state = &env;
    return 0;
}

static inline int T_env_teardown(void **state)
{
    T_env *env = *state;
    cat_free(env->c);
    ex_free(env->m);
    return 0;
}

#endif
