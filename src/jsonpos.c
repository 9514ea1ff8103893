/* jsonpos — see jsonpos.h.  Owner: h1-compute. */
#include <string.h>
#include "jsonpos.h"

static size_t S_ws(const char *b, size_t n, size_t i)
{
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
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
    while (i < n && !strchr(",]} \t\r\n", b[i]))
        i++;
    return i;
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
