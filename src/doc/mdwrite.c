/* mdwrite — the Markdown writer under render_md.c: the writer state (one
 * struct passed down the walk, as md4c's HTML renderer does), output with
 * the line prefix of open containers, escaping, code spans, URLs and the
 * two ways of writing math (render_md.h: MDR_MATH_DOLLARS / _GITHUB).
 * Internal to src/doc/; it calls nothing of render_md.c. */
#include <stdlib.h>
#include <string.h>
#include "doc/mdwrite.h"

/* ---- low-level output ---------------------------------------------------- */

static void S_prefix_out(mdw *w, int blank)
{
    size_t n = w->pre_len;
    if (blank)
        while (n > 0 && w->pre[n - 1] == ' ')
            n--;
    if (n)
        fwrite(w->pre, 1, n, w->f);
}

/* Write n bytes; '\n' ends a line and the next line gets the prefix. */
void mdw_put(mdw *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\n') {
            if (w->bol)
                S_prefix_out(w, 1);
            fputc('\n', w->f);
            w->bol = 1;
            w->lstart = 1;
            continue;
        }
        if (w->bol) {
            S_prefix_out(w, 0);
            w->bol = 0;
        }
        fputc(ch, w->f);
        w->lstart = 0;
    }
}

void mdw_puts(mdw *w, const char *s)
{
    mdw_put(w, s, strlen(s));
}

/* Finish the current line if something is on it. */
void mdw_eol(mdw *w)
{
    if (!w->bol)
        mdw_put(w, "\n", 1);
}

int mdw_push_prefix(mdw *w, const char *s, size_t n)
{
    if (w->pre_len + n + 1 > w->pre_cap) {
        size_t cap = (w->pre_len + n + 1) * 2;
        char *p = realloc(w->pre, cap);
        if (!p)
            return err_nomem(w->e);
        w->pre = p;
        w->pre_cap = cap;
    }
    memcpy(w->pre + w->pre_len, s, n);
    w->pre_len += n;
    return 0;
}

/* ---- escaping ------------------------------------------------------------ */

/* Escape text so that it reads back as the same characters.  keep_math: a
 * closed $...$ (catalog text: captions, cells, values) is copied verbatim. */
void mdw_esc(mdw *w, const char *s, size_t n, int keep_math)
{
    size_t i = 0;
    while (i < n) {
        char ch = s[i];
        if (keep_math && ch == '$') {
            /* a well-formed $...$ only: non-empty, not touching another
             * '$' (that would read back as $$ display math), no backslash
             * before the closing '$' (it would escape it) and no backtick
             * (it could pair into a code span when read back) */
            const char *z = memchr(s + i + 1, '$', n - i - 1);
            size_t zi = z ? (size_t)(z - s) : 0;
            if (z && zi > i + 1 && (i == 0 || s[i - 1] != '$') &&
                (zi + 1 >= n || s[zi + 1] != '$') && s[zi - 1] != '\\' &&
                !memchr(s + i, '`', zi - i)) {
                size_t k = (size_t)(z - (s + i)) + 1;
                if (w->math == MDR_MATH_GITHUB && mdw_needs_code_math(s + i + 1, k - 2)) {
                    mdw_code_math(w, NULL, s + i + 1, k - 2);
                    i += k;
                    continue;
                }
                for (size_t j = 0; j < k; j++) {
                    if (w->in_table && s[i + j] == '|')
                        mdw_put(w, "\\", 1);
                    mdw_put(w, s + i + j, 1);
                }
                i += k;
                continue;
            }
        }
        if ((w->lstart || w->bol) && ch >= '0' && ch <= '9') {
            size_t j = i;
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
            mdw_put(w, s + i, j - i);
            /* "1. " / "1) " would start an ordered list */
            if (j < n && (s[j] == '.' || s[j] == ')') &&
                (j + 1 == n || s[j + 1] == ' ' || s[j + 1] == '\t')) {
                mdw_put(w, "\\", 1);
                mdw_put(w, s + j, 1);
                j++;
            }
            i = j;
            continue;
        }
        /* "- x", "+ x", "---", "===" at a line start are markup */
        int at0 = w->lstart || w->bol;
        int nx_blank = i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t';
        if (strchr("\\`*_[]<>|~$&#", ch) ||
            (at0 && ch == '=') ||
            (at0 && (ch == '-' || ch == '+') &&
             (nx_blank || s[i + 1] == ch)))
            mdw_put(w, "\\", 1);
        mdw_put(w, s + i, 1);
        i++;
    }
}

void mdw_esc_str(mdw *w, const char *s, int keep_math)
{
    if (s)
        mdw_esc(w, s, strlen(s), keep_math);
}

/* Longest run of ch in s. */
size_t mdw_run(const char *s, size_t n, char ch)
{
    size_t best = 0, cur = 0;
    for (size_t i = 0; i < n; i++) {
        cur = s[i] == ch ? cur + 1 : 0;
        if (cur > best)
            best = cur;
    }
    return best;
}

void mdw_repeat(mdw *w, char ch, size_t k)
{
    for (size_t i = 0; i < k; i++)
        mdw_put(w, &ch, 1);
}

/* Verbatim text (math, code) inside a table row: '|' needs a backslash
 * even there (GFM splits cells before parsing inlines). */
void mdw_verbatim(mdw *w, const char *s, size_t n, int newline_space)
{
    for (size_t i = 0; i < n; i++) {
        if (w->in_table && s[i] == '|')
            mdw_put(w, "\\", 1);
        if (newline_space && s[i] == '\n')
            mdw_put(w, " ", 1);
        else
            mdw_put(w, s + i, 1);
    }
}


/* Can this TeX line, at a line start, be read as the start of a block
 * ("+ b", "= c", "1. x", "> y", "```", ...)? */
static int S_risky_line(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k < n && (strchr("-+*>#=_|~`<[", s[k]) ||
                     (s[k] >= '0' && s[k] <= '9'));
}

/* Display math on lines of its own: "$$", the TeX, "$$" -- unless a TeX
 * line could end the paragraph when read back (see S_risky_line); then
 * the whole formula goes on one line "$$...$$" (TeX reads a newline as a
 * space, so the meaning is the same). */
void mdw_display_math(mdw *w, const char *s, size_t n)
{
    if (w->math == MDR_MATH_GITHUB) {
        /* a fence longer than any backtick run inside */
        size_t k = mdw_run(s, n, '`') + 1;
        if (k < 3)
            k = 3;
        mdw_repeat(w, '`', k);
        mdw_puts(w, "math\n");
        if (n > 0) {
            mdw_put(w, s, n);
            mdw_put(w, "\n", 1);
        }
        mdw_repeat(w, '`', k);
        mdw_put(w, "\n", 1);
        return;
    }
    int risky = 0;
    for (size_t i = 0; i < n && !risky;) {
        size_t j = i;
        while (j < n && s[j] != '\n')
            j++;
        risky = S_risky_line(s + i, j - i);
        i = j + 1;
    }
    if (risky) {
        mdw_put(w, "$$", 2);
        mdw_math_body(w, s, n);
        mdw_put(w, "$$\n", 3);
        return;
    }
    mdw_put(w, "$$\n", 3);
    if (n > 0) {   /* an empty formula must not leave a blank line */
        mdw_put(w, s, n);
        mdw_put(w, "\n", 1);
    }
    mdw_put(w, "$$\n", 3);
}

/* TeX between dollars on one line.  A trailing odd run of backslashes
 * would escape the closing '$' when read back: add a space (TeX ignores
 * it; "\\ " is a control space, the nearest valid reading). */
void mdw_math_body(mdw *w, const char *s, size_t n)
{
    mdw_verbatim(w, s, n, 1);
    size_t k = 0;
    while (k < n && s[n - 1 - k] == '\\')
        k++;
    if (k & 1)
        mdw_put(w, " ", 1);
}

/* GitHub mode: does this inline TeX need $`...`$?  GitHub runs Markdown's
 * backslash escapes inside $...$, so a backslash before ASCII punctuation
 * (\{ \} \, \; \| \\ ...) would be lost.  A backtick inside cannot go
 * in a one-backtick span: then $...$ it stays (no such TeX in practice). */
int mdw_needs_code_math(const char *s, size_t n)
{
    if (memchr(s, '`', n))
        return 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '\\' && s[i + 1] > ' ' && s[i + 1] < 0x7f &&
            !((s[i + 1] >= 'a' && s[i + 1] <= 'z') || (s[i + 1] >= 'A' && s[i + 1] <= 'Z') ||
              (s[i + 1] >= '0' && s[i + 1] <= '9')))
            return 1;
    return 0;
}

/* $`...`$ with the TeX on one line ('|' escaped inside tables). */
void mdw_code_math(mdw *w, const char *pre, const char *s, size_t n)
{
    mdw_put(w, "$`", 2);
    if (pre)
        mdw_puts(w, pre);
    mdw_verbatim(w, s, n, 1);
    mdw_put(w, "`$", 2);
}



void mdw_url(mdw *w, const char *url, const char *title)
{
    mdw_put(w, "(", 1);
    int pointy = url[0] == '\0' || strpbrk(url, " \t()<>") != NULL;
    if (pointy)
        mdw_put(w, "<", 1);
    for (const char *p = url; *p; p++) {
        if (*p == '\\' || (pointy && (*p == '<' || *p == '>')) ||
            (w->in_table && *p == '|'))
            mdw_put(w, "\\", 1);
        mdw_put(w, p, 1);
    }
    if (pointy)
        mdw_put(w, ">", 1);
    if (title) {
        mdw_put(w, " \"", 2);
        for (const char *p = title; *p; p++) {
            if (*p == '"' || *p == '\\')
                mdw_put(w, "\\", 1);
            mdw_put(w, p, 1);
        }
        mdw_put(w, "\"", 1);
    }
    mdw_put(w, ")", 1);
}

void mdw_code_span(mdw *w, const char *s, size_t n)
{
    if (n == 0) {
        /* An empty span (md4c makes one of "`\n`") cannot be written as
         * "``", which opens a two-backtick fence; "` `" reads back empty. */
        mdw_puts(w, "` `");
        return;
    }
    size_t k = mdw_run(s, n, '`') + 1;
    if (k > 32) {
        /* md4c 0.4.8 ignores code spans whose fence is longer than 32
         * backticks: keep the characters, lose the code style */
        mdw_esc(w, s, n, 0);
        return;
    }
    /* CommonMark strips one space from each end only when the content is
     * not all spaces, so only then does a space-bounded span need padding. */
    size_t sp = 0;
    while (sp < n && s[sp] == ' ')
        sp++;
    int pad = n > 0 && (s[0] == '`' || s[n - 1] == '`' ||
                        (s[0] == ' ' && s[n - 1] == ' ' && sp < n));
    mdw_repeat(w, '`', k);
    if (pad)
        mdw_put(w, " ", 1);
    mdw_verbatim(w, s, n, 0);
    if (pad)
        mdw_put(w, " ", 1);
    mdw_repeat(w, '`', k);
}

