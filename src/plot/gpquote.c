/* gpquote — see gpquote.h.  Split from gnuplot.c: quoting is pure text
 * work and needs nothing of the process handle. */
#include <stdlib.h>
#include <string.h>

#include "plot/gpquote.h"

/* Length of a valid UTF-8 sequence at s (1..4), or 0 if invalid/truncated.
 * Overlong forms and surrogates are invalid. */
static size_t S_utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    unsigned cp = c & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    /* C1 controls U+0080..U+009F are controls too */
    if (cp >= 0x80 && cp <= 0x9f)
        return 0;
    return n;
}

/* A single quote inside a quoted literal, as an expression that holds
 * only single-quoted text. */
static const char S_APOS[] = "'.sprintf('%c',39).'";

char *gpquote_string(const char *s, int flags)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    /* worst case: every byte becomes S_APOS, plus quotes, NUL */
    if (n > ((size_t)-1 - 3) / (sizeof S_APOS))
        return NULL;
    char *q = malloc((sizeof S_APOS) * n + 3);
    if (!q)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    q[k++] = '\'';
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c < 0x20 || c == 0x7f) {
            q[k++] = ' ';
            i++;
        } else if (c == '\'') {
            /* Close the literal, append the quote character, reopen.  Not
             * '' (gnuplot 5.4 mis-scans it at a string's start and when
             * doubled twice) and not "'" (the macro/backquote pre-scan
             * then loses track of which text is quoted). */
            memcpy(q + k, S_APOS, sizeof S_APOS - 1);
            k += sizeof S_APOS - 1;
            i++;
        } else if (c >= 0x80) {
            size_t m = S_utf8_len(u + i);
            if (m == 0) {
                /* invalid byte or C1 control */
                if (c == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 &&
                    u[i + 1] <= 0x9f) {
                    q[k++] = ' ';
                    i += 2;
                } else {
                    q[k++] = '?';
                    i++;
                }
            } else {
                memcpy(q + k, u + i, m);
                k += m;
                i += m;
            }
        } else if ((flags & GPQUOTE_ENHANCED) && c == '&') {
            /* gnuplot 5.4's svg terminal writes an escaped \& as a raw '&'
             * (not well-formed XML), so it cannot be shown as itself. */
            q[k++] = '+';
            i++;
        } else if ((flags & GPQUOTE_ENHANCED) &&
                   strchr("^_@~{}\\", c) != NULL) {
            q[k++] = '\\';
            q[k++] = (char)c;
            i++;
        } else {
            q[k++] = (char)c;
            i++;
        }
    }
    q[k++] = '\'';
    q[k] = '\0';
    return q;
}
