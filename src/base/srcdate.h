/* srcdate — the document's reproducible date.
 *
 * $SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else
 * the template's modification time; never "now".  A PDF date holds years
 * 0000..9999 and lossbook prints dates from 1970 on, so the value must lie
 * in 0 .. 253402300799 (1970-01-01 00:00:00 to 9999-12-31 23:59:59 UTC).
 * Anything else is an error that names its source:
 *   "SOURCE_DATE_EPOCH=253402300800: after 9999-12-31 23:59:59 UTC (...)"
 *   "templates/handout.md: modification time is before 1970-01-01 (...)"
 *
 * Ownership: nothing is allocated.
 */
#ifndef LB_SRCDATE_H
#define LB_SRCDATE_H

#include "base/err.h"

#define SRCDATE_MAX 253402300799LL /* 9999-12-31T23:59:59Z */

/* Seconds since the epoch (UTC), or -1 with `e` set (exit 2 for a bad
 * value, 1 when the template's time cannot be read). */
long long srcdate_get(const char *template_path, lb_err *e);

#endif
