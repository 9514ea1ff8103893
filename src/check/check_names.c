/* check_names — nearest known names; see check_names.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/check_names.h"

#define S_MAXLEN 255

size_t chk_names_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > S_MAXLEN || lb > S_MAXLEN)
        return S_MAXLEN + 1;
    size_t row[S_MAXLEN + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The numbers a name holds, in order ("p/4/7" -> 4, 7). */
static size_t S_numbers(const char *s, long long *v, size_t max)
{
    size_t k = 0;
    while (*s && k < max) {
        if (*s >= '0' && *s <= '9') {
            long long x = 0;
            while (*s >= '0' && *s <= '9') {
                if (x < 100000000000LL)
                    x = x * 10 + (*s - '0');
                s++;
            }
            v[k++] = x;
        } else {
            s++;
        }
    }
    return k;
}

/* Fill the pattern p[0..len) (ranges "a..b", sets "{x,y}"): the k-th range
 * takes the k-th number of the name, clamped; a set its element `pick`
 * (or the last).  Returns 0, or -1 when it does not fit. */
static int S_fill(const char *p, size_t len, const long long *num, size_t nnum, size_t pick,
                  char *out, size_t n)
{
    size_t o = 0, k = 0;
    for (size_t i = 0; i < len;) {
        char piece[64];
        size_t pl = 0;
        if (p[i] == '{') {
            size_t close = i;
            while (close < len && p[close] != '}')
                close++;
            size_t el = 0, s = i + 1;
            for (size_t j = i + 1; j <= close && j < len; j++)
                if (p[j] == ',' || p[j] == '}') {
                    if (el == pick || p[j] == '}') {
                        pl = j - s < sizeof piece - 1 ? j - s : sizeof piece - 1;
                        memcpy(piece, p + s, pl);
                        if (el == pick)
                            break;
                    }
                    el++;
                    s = j + 1;
                }
            i = close + 1;
        } else if (p[i] >= '0' && p[i] <= '9') {
            size_t j = i;
            long long a = 0, b;
            while (j < len && p[j] >= '0' && p[j] <= '9')
                a = a * 10 + (p[j++] - '0');
            if (j + 1 < len && p[j] == '.' && p[j + 1] == '.' && j + 2 < len && p[j + 2] >= '0' &&
                p[j + 2] <= '9') {
                b = 0;
                for (j += 2; j < len && p[j] >= '0' && p[j] <= '9'; j++)
                    b = b * 10 + (p[j] - '0');
                long long x = k < nnum ? num[k] : a;
                k++;
                if (x < a)
                    x = a;
                if (x > b)
                    x = b;
                pl = (size_t)snprintf(piece, sizeof piece, "%lld", x);
            } else {
                pl = j - i < sizeof piece - 1 ? j - i : sizeof piece - 1;
                memcpy(piece, p + i, pl);
            }
            i = j;
        } else {
            piece[0] = p[i++];
            pl = 1;
        }
        if (o + pl + 1 > n)
            return -1;
        memcpy(out + o, piece, pl);
        o += pl;
    }
    out[o] = '\0';
    return 0;
}

typedef struct S_cand {
    char name[128];
    size_t dist;
} S_cand;

void chk_names_nearest(const cat *c, const char *name, char *buf, size_t n)
{
    S_cand best[3];
    size_t nbest = 0;
    long long num[8];
    size_t nnum = S_numbers(name, num, 8);
    const char *list = cat_known_values(c);
    buf[0] = '\0';
    if (!list)
        return;
    /* entries are separated by ", " outside braces */
    for (const char *p = list; *p;) {
        const char *q = p;
        int depth = 0;
        while (*q && !(depth == 0 && q[0] == ',' && q[1] == ' ')) {
            depth += *q == '{' ? 1 : *q == '}' ? -1 : 0;
            q++;
        }
        for (size_t pick = 0; pick < 8; pick++) {
            S_cand cd;
            if (S_fill(p, (size_t)(q - p), num, nnum, pick, cd.name, sizeof cd.name) != 0)
                break;
            cd.dist = chk_names_distance(name, cd.name);
            int dup = 0;
            for (size_t i = 0; i < nbest; i++)
                dup |= strcmp(best[i].name, cd.name) == 0;
            if (!dup) {
                size_t at = nbest < 3 ? nbest++ : 3;
                while (at > 0 && best[at - 1].dist > cd.dist) {
                    if (at < 3)
                        best[at] = best[at - 1];
                    at--;
                }
                if (at < 3)
                    best[at] = cd;
            }
            if (!memchr(p, '{', (size_t)(q - p)))
                break;   /* no set in this pattern: one candidate */
        }
        p = *q ? q + 2 : q;
    }
    size_t o = 0;
    for (size_t i = 0; i < nbest && o < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? ", " : "", best[i].name);
}
