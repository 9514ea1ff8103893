/* gpcheck — the commands a template's gnuplot code may not use (see
 * gpcheck.h). */
#include <stdio.h>
#include <string.h>
#include "plot/gpcheck.h"

/* A token of one statement: a word, a string ('...' or "..."), or one
 * punctuation character. */
typedef struct S_tok {
    const char *s;
    size_t n;
    char kind;   /* 'w' word, 's' string (s/n: the content), 'p' punctuation */
    int line, col;
} S_tok;

#define S_MAXTOK 512

typedef struct S_scan {
    S_tok t[S_MAXTOK];
    int nt;
    int line;               /* 0-based, of the next character */
    const char *line_start;
    int bad;                /* a refusal is recorded */
    int bline, bcol;
    char *what;
    size_t what_size;
} S_scan;

static void S_refuse(S_scan *sc, int line, int col, const char *word, size_t wn,
                     const char *why)
{
    if (sc->bad)
        return;
    sc->bad = 1;
    sc->bline = line;
    sc->bcol = col;
    snprintf(sc->what, sc->what_size, "'%.*s' is not allowed in a gnuplot figure: it %s",
             (int)(wn > 40 ? 40 : wn), word, why);
}

/* Does the word w (n bytes) name `spec` by gnuplot's rule: "se$t" is
 * matched by "se" and "set"; without '$' only the full name. */
static int S_abbrev(const char *w, size_t n, const char *spec)
{
    const char *dollar = strchr(spec, '$');
    size_t min = dollar ? (size_t)(dollar - spec) : strlen(spec);
    char full[40];
    size_t fl = 0;
    for (const char *p = spec; *p && fl + 1 < sizeof full; p++)
        if (*p != '$')
            full[fl++] = *p;
    full[fl] = '\0';
    return n >= min && n <= fl && memcmp(w, full, n) == 0;
}

static int S_is(const S_tok *t, char kind, const char *text)
{
    return t->kind == kind && t->n == strlen(text) && memcmp(t->s, text, t->n) == 0;
}

/* Index of the token closing the bracket opened at t[i], or nt. */
static int S_close(const S_scan *sc, int i)
{
    char open = *sc->t[i].s, close = open == '(' ? ')' : ']';
    int depth = 0;
    for (int k = i; k < sc->nt; k++) {
        if (sc->t[k].kind != 'p')
            continue;
        if (*sc->t[k].s == open)
            depth++;
        else if (*sc->t[k].s == close && --depth == 0)
            return k;
    }
    return sc->nt;
}

static const struct {
    const char *spec, *why;
} S_CMDS[] = {
    {"cd", "changes the folder gnuplot writes into"},
    {"ca$ll", "runs another file"},
    {"l$oad", "runs another file"},
    {"eval$uate", "runs text as commands"},
    {"sy$stem", "runs a shell command"},
    {"she$ll", "runs a shell"},
    {"sa$ve", "writes a file"},
    {"up$date", "writes a file"},
    {"hi$story", "writes a file"},
    {"re$read", "runs a file again"},
    {"import", "loads a plugin (a shared library)"},
    {"ex$it", "would stop gnuplot"},
    {"q$uit", "would stop gnuplot"},
    {"pa$use", "would wait"},
};

static const struct {
    const char *spec, *why;
} S_SETS[] = {
    {"o$utput", "changes where the picture goes: lossbook sets the outputs (PNG, SVG, dark PNG) around the code"},
    {"t$erminal", "changes the terminal: lossbook sets the terminals (PNG, SVG, dark PNG) around the code"},
    {"pr$int", "writes a file"},
    {"tab$le", "writes a file"},
    {"his$tory", "writes a file"},
};

static void S_statement(S_scan *sc)
{
    S_tok *t = sc->t;
    int n = sc->nt, i = 0;
    while (i < n && !sc->bad) {
        S_tok *w = &t[i];
        if (S_is(w, 'p', "!")) {
            S_refuse(sc, w->line, w->col, "!", 1, "runs a shell command");
            return;
        }
        if (w->kind != 'w')
            return;
        /* definitions: name = ..., name[i] = ..., f(x) = ... */
        if (i + 1 < n && S_is(&t[i + 1], 'p', "=") && !(i + 2 < n && S_is(&t[i + 2], 'p', "=")))
            return;
        if (i + 1 < n && (S_is(&t[i + 1], 'p', "(") || S_is(&t[i + 1], 'p', "["))) {
            int j = S_close(sc, i + 1);
            if (j + 1 < n && S_is(&t[j + 1], 'p', "=") &&
                !(j + 2 < n && S_is(&t[j + 2], 'p', "=")))
                return;
        }
        /* control words: the command after their header is checked too */
        if (S_is(w, 'w', "if") || S_is(w, 'w', "while")) {
            if (i + 1 < n && S_is(&t[i + 1], 'p', "(")) {
                i = S_close(sc, i + 1) + 1;
                continue;
            }
            return;
        }
        if (S_is(w, 'w', "else")) {
            i++;
            continue;
        }
        if (S_is(w, 'w', "do")) {
            i++;
            if (i < n && S_is(&t[i], 'w', "for") && i + 1 < n && S_is(&t[i + 1], 'p', "["))
                i = S_close(sc, i + 1) + 1;
            continue;
        }
        for (size_t k = 0; k < sizeof S_CMDS / sizeof S_CMDS[0]; k++)
            if (S_abbrev(w->s, w->n, S_CMDS[k].spec)) {
                S_refuse(sc, w->line, w->col, w->s, w->n, S_CMDS[k].why);
                return;
            }
        int set = S_abbrev(w->s, w->n, "se$t"), unset = S_abbrev(w->s, w->n, "uns$et");
        if (set || unset) {
            int k = i + 1;
            if (k < n && S_is(&t[k], 'w', "for") && k + 1 < n && S_is(&t[k + 1], 'p', "["))
                k = S_close(sc, k + 1) + 1;
            if (k >= n || t[k].kind != 'w')
                return;
            for (size_t s = 0; s < sizeof S_SETS / sizeof S_SETS[0]; s++)
                if (S_abbrev(t[k].s, t[k].n, S_SETS[s].spec)) {
                    char both[80];
                    snprintf(both, sizeof both, "%.*s %.*s", (int)(w->n > 10 ? 10 : w->n),
                             w->s, (int)(t[k].n > 40 ? 40 : t[k].n), t[k].s);
                    S_refuse(sc, w->line, w->col, both, strlen(both),
                             S_SETS[s].why);
                    return;
                }
            if (S_is(&t[k], 'w', "fit"))
                for (int m = k + 1; m < n; m++)
                    if (t[m].kind == 'w' && S_abbrev(t[m].s, t[m].n, "lo$gfile")) {
                        char both[80];
                        snprintf(both, sizeof both, "set fit %.*s",
                                 (int)(t[m].n > 40 ? 40 : t[m].n), t[m].s);
                        S_refuse(sc, w->line, w->col, both, strlen(both),
                                 "moves fit's log file (fit.log stays in the figures folder)");
                        return;
                    }
            return;
        }
        if (S_abbrev(w->s, w->n, "res$et")) {
            for (int m = i + 1; m < n; m++)
                if (t[m].kind == 'w' && S_abbrev(t[m].s, t[m].n, "s$ession")) {
                    char both[80];
                    snprintf(both, sizeof both, "%.*s %.*s", (int)(w->n > 10 ? 10 : w->n), w->s,
                             (int)(t[m].n > 40 ? 40 : t[m].n), t[m].s);
                    S_refuse(sc, w->line, w->col, both, strlen(both),
                             "would forget the figure settings and `datadir`");
                    return;
                }
            return;
        }
        if (S_abbrev(w->s, w->n, "p$lot") || S_abbrev(w->s, w->n, "sp$lot") ||
            S_abbrev(w->s, w->n, "rep$lot") || S_abbrev(w->s, w->n, "st$ats") ||
            S_abbrev(w->s, w->n, "f$it")) {
            /* a data source: a string right after the command, a range or
             * `for [...]`, or a ',' (not a title, a format, ...) */
            int depth = 0;
            for (int m = i + 1; m < n; m++) {
                const S_tok *pv = &t[m - 1];
                if (t[m].kind == 'p' && (*t[m].s == '(' || *t[m].s == '['))
                    depth++;
                else if (t[m].kind == 'p' && (*t[m].s == ')' || *t[m].s == ']'))
                    depth--;
                if (t[m].kind != 's' || depth != 0 ||
                    !(m == i + 1 || S_is(pv, 'p', ",") || S_is(pv, 'p', "]")))
                    continue;
                size_t a = 0;
                while (a < t[m].n && (t[m].s[a] == ' ' || t[m].s[a] == '\t'))
                    a++;
                if (a < t[m].n && t[m].s[a] == '<') {
                    S_refuse(sc, t[m].line, t[m].col, t[m].s, t[m].n,
                             "reads a data file from a shell command");
                    return;
                }
            }
        }
        return;
    }
}

static void S_push(S_scan *sc, const char *s, size_t n, char kind, const char *at)
{
    /* system(...) anywhere: the token before this '(' */
    if (kind == 'p' && *s == '(' && sc->nt > 0 && S_is(&sc->t[sc->nt - 1], 'w', "system")) {
        const S_tok *p = &sc->t[sc->nt - 1];
        S_refuse(sc, p->line, p->col, "system", 6, "runs a shell command");
    }
    if (sc->nt >= S_MAXTOK) {
        /* a very long statement: its head was checked; keep the last
         * token for the system( test */
        sc->t[S_MAXTOK - 1] = (S_tok){s, n, kind, sc->line, (int)(at - sc->line_start) + 1};
        return;
    }
    sc->t[sc->nt++] = (S_tok){s, n, kind, sc->line, (int)(at - sc->line_start) + 1};
}

static void S_end(S_scan *sc)
{
    if (sc->nt > 0)
        S_statement(sc);
    sc->nt = 0;
}

/* At the start of a line: "$name << WORD" opens a data block whose lines
 * are data, not commands, up to a line "WORD".  Returns where scanning
 * goes on (p unchanged when it is no data block). */
static const char *S_datablock(S_scan *sc, const char *p)
{
    const char *q = p;
    while (*q == ' ' || *q == '\t')
        q++;
    if (*q != '$')
        return p;
    q++;
    while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
           *q == '_')
        q++;
    while (*q == ' ' || *q == '\t')
        q++;
    if (q[0] != '<' || q[1] != '<')
        return p;
    q += 2;
    while (*q == ' ' || *q == '\t')
        q++;
    const char *w = q;
    while (*q && *q != '\n' && *q != ' ' && *q != '\t' && *q != '\r')
        q++;
    size_t wl = (size_t)(q - w);
    if (wl == 0)
        return p;
    q = strchr(q, '\n');
    while (q) {
        q++;
        sc->line++;
        sc->line_start = q;
        const char *e = strchr(q, '\n');
        size_t ll = e ? (size_t)(e - q) : strlen(q);
        while (ll > 0 && (q[ll - 1] == '\r' || q[ll - 1] == ' ' || q[ll - 1] == '\t'))
            ll--;
        if (ll == wl && memcmp(q, w, wl) == 0)
            return e ? e : q + strlen(q);
        q = e;
    }
    return p + strlen(p);
}

int gpc_check(const char *code, int *line, int *col, char *what, size_t what_size)
{
    S_scan sc0;
    S_scan *sc = &sc0;
    sc->nt = 0;
    sc->line = 0;
    sc->line_start = code;
    sc->bad = 0;
    sc->what = what;
    sc->what_size = what_size;
    int at_line_start = 1;
    for (const char *p = code; *p && !sc->bad;) {
        if (at_line_start && sc->nt == 0) {
            const char *q = S_datablock(sc, p);
            at_line_start = 0;
            if (q != p) {
                p = q;
                continue;
            }
        }
        char c = *p;
        if (c == '`') {
            S_refuse(sc, sc->line, (int)(p - sc->line_start) + 1, "`", 1,
                     "runs a shell command (backquotes)");
            break;
        }
        if (c == '\\' && (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n'))) {
            p += p[1] == '\n' ? 2 : 3;   /* continuation: the statement goes on */
            sc->line++;
            sc->line_start = p;
            continue;
        }
        if (c == '\n') {
            S_end(sc);
            p++;
            sc->line++;
            sc->line_start = p;
            at_line_start = 1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            p++;
            continue;
        }
        if (c == '#') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (c == ';' || c == '{' || c == '}') {
            S_end(sc);
            p++;
            continue;
        }
        if (c == '@') {
            S_refuse(sc, sc->line, (int)(p - sc->line_start) + 1, "@", 1,
                     "runs text as commands (a macro)");
            break;
        }
        if (c == '\'' || c == '"') {
            const char *s = p + 1, *e = s;
            while (*e && *e != '\n') {
                if (c == '"' && *e == '\\' && e[1] && e[1] != '\n') {
                    e += 2;
                    continue;
                }
                if (*e == c) {
                    if (c == '\'' && e[1] == '\'') {
                        e += 2;
                        continue;
                    }
                    break;
                }
                if (*e == '`') {
                    S_refuse(sc, sc->line, (int)(e - sc->line_start) + 1, "`", 1,
                             "runs a shell command (backquotes)");
                    break;
                }
                e++;
            }
            S_push(sc, s, (size_t)(e - s), 's', p);
            p = *e == c ? e + 1 : e;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            const char *s = p;
            while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '_')
                p++;
            S_push(sc, s, (size_t)(p - s), 'w', s);
            continue;
        }
        S_push(sc, p, 1, 'p', p);
        p++;
    }
    if (!sc->bad)
        S_end(sc);
    if (!sc->bad)
        return 0;
    *line = sc->bline;
    *col = sc->bcol;
    return -1;
}
