/* srcdate — see srcdate.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/srcdate.h"

#define S_RANGE "expected whole seconds from 0 (1970-01-01) to 253402300799 (9999-12-31 23:59:59 UTC)"

/* The variable's value for a message: at most 40 bytes, controls as '?'. */
static void S_shown(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 4 < n && k < 40; s++)
        out[k++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    if (*s)
        out[k++] = '.', out[k++] = '.', out[k++] = '.';
    out[k] = '\0';
}

long long srcdate_get(const char *template_path, lb_err *e)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char shown[64], *end;
        S_shown(s, shown, sizeof shown);
        errno = 0;
        long long v = strtoll(s, &end, 10);
        /* strtoll skips leading spaces and takes '+': a value only digits
         * (or a minus, refused below) names a second */
        if (end == s || *end || !((*s >= '0' && *s <= '9') || *s == '-')) {
            err_set(e, LB_EXIT_INPUT, "SOURCE_DATE_EPOCH='%s': not a whole number (%s)", shown,
                    S_RANGE);
            return -1;
        }
        if (errno == ERANGE || v < 0 || v > SRCDATE_MAX) {
            err_set(e, LB_EXIT_INPUT, "SOURCE_DATE_EPOCH=%s: %s (%s)", shown,
                    v < 0 ? "before 1970-01-01" : "after 9999-12-31 23:59:59 UTC", S_RANGE);
            return -1;
        }
        return v;
    }
    struct stat st;
    if (!template_path || stat(template_path, &st) != 0) {
        err_set(e, LB_EXIT_RUNTIME, "%s: cannot read modification time: %s",
                template_path ? template_path : "(no template)", strerror(errno));
        return -1;
    }
    long long v = (long long)st.st_mtime;
    if (v < 0 || v > SRCDATE_MAX) {
        err_set(e, LB_EXIT_INPUT,
                "%s: modification time is %s, which a handout date cannot show (touch the "
                "file, or set SOURCE_DATE_EPOCH to the date to print)",
                template_path, v < 0 ? "before 1970-01-01" : "after the year 9999");
        return -1;
    }
    return v;
}
