/* check_util.h — what test_check.c and test_check_cases.c share: run
 * `lossbook check`'s engine on a claims text against an example, and assert
 * which items got which status.  Header-only (static inline), like
 * mdtest_util.h; include after cmocka.h and testkit.h.
 *
 * Ownership: a CU_run owns its example, catalogue, claims and result;
 * cu_done frees them.
 */
#ifndef LB_TESTS_CHECK_UTIL_H
#define LB_TESTS_CHECK_UTIL_H

#include <stdio.h>
#include <string.h>
#include "check/check.h"
#include "check/check_report.h"
#include "check/claims.h"
#include "compute/catalog.h"
#include "compute/example.h"
#include "testkit.h"

typedef struct CU_run {
    ex_model *ex;
    cat *c;
    claims *cl;
    chk_result *r;
    lb_err e;
} CU_run;

/* Check `text` (a claims file's content) against the example `expath`
 * (relative to the source root).  0, or -1 when the claims do not load or
 * the check fails (message in s->e); the example must load. */
static inline int cu_check(CU_run *s, const char *expath, const char *text)
{
    memset(s, 0, sizeof *s);
    err_clear(&s->e);
    s->ex = ex_load(tk_src(expath), &s->e);
    assert_non_null(s->ex);
    assert_int_equal(ex_compute(s->ex, &s->e), 0);
    s->c = cat_new(s->ex, &s->e);
    assert_non_null(s->c);
    s->cl = claims_load_buf(text, strlen(text), "t.json", &s->e);
    if (!s->cl)
        return -1;
    s->r = chk_run(s->c, s->cl, &s->e);
    return s->r ? 0 : -1;
}

static inline void cu_done(CU_run *s)
{
    chk_free(s->r);
    claims_free(s->cl);
    cat_free(s->c);
    ex_free(s->ex);
}

static inline chk_status cu_status(const CU_run *s, const char *name)
{
    long i = chk_find(s->r, name);
    if (i < 0)
        fail_msg("no item '%s'", name);
    return s->r->items[i].status;
}

/* Every item of status st is in the space-separated list `names`, and every
 * name of the list has that status. */
static inline void cu_exactly(const CU_run *s, chk_status st, const char *names)
{
    char buf[2048];
    size_t count = 0;
    snprintf(buf, sizeof buf, "%s", names);
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
        if (cu_status(s, t) != st)
            fail_msg("'%s': status %d, expected %d", t, (int)cu_status(s, t), (int)st);
        count++;
    }
    size_t have = 0;
    for (size_t i = 0; i < s->r->n; i++)
        have += s->r->items[i].status == st;
    if (have != count) {
        for (size_t i = 0; i < s->r->n; i++)
            if (s->r->items[i].status == st && !strstr(names, s->r->items[i].claim->name))
                print_error("unexpected: %s\n", s->r->items[i].claim->name);
        fail_msg("%zu items with status %d, expected %zu", have, (int)st, count);
    }
}

/* The teacher's report as plain text (caller frees). */
static inline char *cu_body(const CU_run *s)
{
    lb_err e;
    err_clear(&e);
    char *b = chk_report_body(s->r, CHK_TEXT, &e);
    assert_non_null(b);
    return b;
}

#endif
