/* check_buf — growable text for the reports and templates check/ writes.
 *
 * Ownership: a chk_buf owns its text; chk_buf_take hands it to the caller
 * (malloc'd) and leaves the buffer empty.  After an allocation failure
 * every add is ignored and chk_buf_take returns NULL with the error set.
 */
#ifndef LB_CHECK_BUF_H
#define LB_CHECK_BUF_H

#include <stddef.h>
#include "base/err.h"

typedef struct chk_buf {
    char *p;
    size_t len, cap;
    int nomem;
} chk_buf;

/* Append printf-formatted text. */
void chk_buf_add(chk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The text (malloc'd, "" when nothing was added), or NULL + out of memory. */
char *chk_buf_take(chk_buf *b, lb_err *e);

/* Drop the text. */
void chk_buf_free(chk_buf *b);

#endif
