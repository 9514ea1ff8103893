/* Helpers shared by test_mdparse.c, test_directives.c, test_render_md.c
 * (header-only so the Makefile's tests/test_*.c rule needs no change). */
#ifndef LB_MDTEST_UTIL_H
#define LB_MDTEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/doc.h"
#include "doc/mdparse.h"

/* Fixture path under $LB_ROOT/tests/fixtures/md/ (static buffer). */
static inline const char *T_fixture(const char *name)
{
    static char buf[4096];
    const char *root = getenv("LB_ROOT");
    snprintf(buf, sizeof buf, "%s/tests/fixtures/md/%s", root ? root : ".",
             name);
    return buf;
}

/* Whole file into a NUL-terminated heap buffer (NULL if unreadable). */
static inline char *T_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *b = malloc(cap);
    size_t k;
    while (b && (k = fread(b + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len < 2) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b)
        b[len] = '\0';
    return b;
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

#endif
