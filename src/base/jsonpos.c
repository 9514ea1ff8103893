/* jsonpos — see jsonpos.h. */
#include <string.h>
#include "base/jsonpos.h"

/* Whitespace as cJSON 1.7 skips it: every byte <= 32 (so our offsets agree
 * with the parser's error position even for control characters). */
static size_t S_ws(const char *b, size_t n, size_t i)
{
    while (i < n && (unsigned char)b[i] <= 32)
        i++;
    return i;
}

/* b[i] == '"': index just after the closing quote. */
static size_t S_skip_string(const char *b, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (b[i] == '\\')
            i++;
        else if (b[i] == '"')
            return i + 1;
    }
    return n;
}

/* b[i] == '"': 1 and *end just after the closing quote, or 0 when the
 * string never closes. */
static int S_string_closed(const char *b, size_t n, size_t i, size_t *end)
{
    for (i++; i < n; i++) {
        if (b[i] == '\\')
            i++;
        else if (b[i] == '"') {
            *end = i + 1;
            return 1;
        }
    }
    *end = n;
    return 0;
}

/* Index just after the value starting at i; iterative bracket matching. */
static size_t S_skip_value(const char *b, size_t n, size_t i)
{
    if (i >= n)
        return n;
    if (b[i] == '"')
        return S_skip_string(b, n, i);
    if (b[i] == '[' || b[i] == '{') {
        size_t depth = 0;
        while (i < n) {
            char c = b[i];
            if (c == '"') {
                i = S_skip_string(b, n, i);
                continue;
            }
            if (c == '[' || c == '{')
                depth++;
            else if (c == ']' || c == '}') {
                if (--depth == 0)
                    return i + 1;
            }
            i++;
        }
        return n;
    }
    size_t start = i;
    /* strchr would match the terminator for a NUL byte: test it first */
    while (i < n && b[i] != '\0' && !strchr(",]} \t\r\n", b[i]))
        i++;
    return i == start ? i + 1 : i;   /* always advance (garbage bytes) */
}

size_t jpos_find(const char *buf, size_t len, const jpos_step *path,
                 size_t depth)
{
    size_t i = S_ws(buf, len, 0);
    if (i >= len)
        return len ? len - 1 : 0;
    for (size_t d = 0; d < depth; d++) {
        const jpos_step *st = &path[d];
        size_t found = (size_t)-1;
        if (st->key && buf[i] == '{') {
            size_t klen = strlen(st->key);
            size_t j = S_ws(buf, len, i + 1);
            while (j < len && buf[j] == '"') {
                size_t kend = S_skip_string(buf, len, j);
                int match = kend >= j + 2 && kend - j - 2 == klen &&
                            memcmp(buf + j + 1, st->key, klen) == 0;
                j = S_ws(buf, len, kend);
                if (j < len && buf[j] == ':')
                    j = S_ws(buf, len, j + 1);
                if (match) {
                    found = j;
                    break;
                }
                j = S_ws(buf, len, S_skip_value(buf, len, j));
                if (j < len && buf[j] == ',')
                    j = S_ws(buf, len, j + 1);
                else
                    break;
            }
        } else if (!st->key && buf[i] == '[') {
            size_t j = S_ws(buf, len, i + 1);
            size_t k = 0;
            while (j < len && buf[j] != ']') {
                if (k == st->index) {
                    found = j;
                    break;
                }
                j = S_ws(buf, len, S_skip_value(buf, len, j));
                if (j < len && buf[j] == ',')
                    j = S_ws(buf, len, j + 1);
                else
                    break;
                k++;
            }
        }
        if (found == (size_t)-1 || found >= len)
            return i;
        i = found;
    }
    return i;
}

size_t jpos_count_commas(const char *buf, size_t len, size_t limit,
                         size_t *where)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '"') {
            i = S_skip_string(buf, len, i) - 1;
        } else if (buf[i] == ',') {
            if (++count > limit) {
                if (where)
                    *where = i;
                return count;
            }
        }
    }
    if (where)
        *where = len;
    return count;
}

enum { X_VALUE, X_VALUE_OR_CLOSE, X_KEY, X_KEY_OR_CLOSE, X_COLON, X_AFTER };

const char *jpos_expect(const char *buf, size_t len, size_t off, size_t *where)
{
    /* Container stack as a bit string: 1 = object.  Deeper than 4096 levels
     * only matters for the wording, so the depth is clamped. */
    unsigned char stack[512];
    size_t depth = 0;
    int state = X_VALUE;
    size_t i = 0;
    *where = off;
    if (off > len)
        off = len;
    for (;;) {
        i = S_ws(buf, len, i);
        if (i >= off)
            break;
        char c = buf[i];
        if (c == '"') {
            size_t end;
            if (!S_string_closed(buf, len, i, &end)) {
                *where = i;
                return "unterminated string (expected a closing '\"')";
            }
            if (end > off) {
                /* the parser stopped inside this string (bad escape, ...) */
                *where = i;
                return "invalid string (expected a closing '\"' and valid escapes)";
            }
            state = (state == X_KEY || state == X_KEY_OR_CLOSE) ? X_COLON : X_AFTER;
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            size_t d = depth < 4096 ? depth : 4095;
            if (c == '{')
                stack[d / 8] |= (unsigned char)(1u << (d % 8));
            else
                stack[d / 8] &= (unsigned char)~(1u << (d % 8));
            depth++;
            state = c == '{' ? X_KEY_OR_CLOSE : X_VALUE_OR_CLOSE;
            i++;
            continue;
        }
        if (c == '}' || c == ']') {
            if (depth)
                depth--;
            state = X_AFTER;
            i++;
            continue;
        }
        if (c == ':') {
            state = X_VALUE;
            i++;
            continue;
        }
        if (c == ',') {
            size_t d = depth ? (depth - 1 < 4096 ? depth - 1 : 4095) : 0;
            int in_obj = depth && (stack[d / 8] >> (d % 8)) & 1u;
            state = in_obj ? X_KEY : X_VALUE;
            i++;
            continue;
        }
        i = S_skip_value(buf, len, i);
        state = X_AFTER;    /* a literal; if the parser stopped inside it, */
        if (i > off)        /* its valid prefix was a value */
            break;
    }
    switch (state) {
    case X_VALUE:
        return "expected a JSON value (number, string, array, object, true, false or null)";
    case X_VALUE_OR_CLOSE:
        return "expected a JSON value or ']'";
    case X_KEY:
        return "expected a quoted member name";
    case X_KEY_OR_CLOSE:
        return "expected a quoted member name or '}'";
    case X_COLON:
        return "expected ':' after the member name";
    default:
        break;
    }
    if (depth == 0)
        return "expected end of input";
    size_t d = depth - 1 < 4096 ? depth - 1 : 4095;
    return (stack[d / 8] >> (d % 8)) & 1u ? "expected ',' or '}'" : "expected ',' or ']'";
}
