/* table — see table.h. */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compute/table.h"

/* ---- locale-independent formatting ------------------------------------ */

/* A "C" LC_NUMERIC locale object, created once.  uselocale() switches only
 * this thread, so formatting never depends on (or disturbs) whatever the
 * program or a library set with setlocale. */
static locale_t S_c_locale(void)
{
    static locale_t loc = (locale_t)0;
    static int tried = 0;
    if (!tried) {
        tried = 1;
        loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    }
    return loc;
}

/* If we could not get a C locale object, repair the text instead: replace
 * the current locale's decimal point by '.'.  (%f/%g never group digits.) */
static void S_fix_point(char *buf)
{
    const char *dp = localeconv()->decimal_point;
    if (!dp || !dp[0] || strcmp(dp, ".") == 0)
        return;
    size_t dl = strlen(dp);
    char *p;
    while ((p = strstr(buf, dp)) != NULL) {
        *p = '.';
        memmove(p + 1, p + dl, strlen(p + dl) + 1);
    }
}

static int S_vsnprintf_c(char *buf, size_t n, const char *fmt, va_list ap)
{
    locale_t c = S_c_locale();
    int r;
    if (c != (locale_t)0) {
        locale_t old = uselocale(c);
        r = vsnprintf(buf, n, fmt, ap);
        uselocale(old);
    } else {
        r = vsnprintf(buf, n, fmt, ap);
        if (n > 0)
            S_fix_point(buf);
    }
    return r;
}

int tbl_snprintf_c(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = S_vsnprintf_c(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int tbl_fmt_fixed(double v, int decimals, char *buf, size_t n)
{
    if (isnan(v))
        return snprintf(buf, n, "NaN");
    if (isinf(v))
        return snprintf(buf, n, "%s", v > 0 ? "$+\\infty$" : "$-\\infty$");
    if (decimals < 0)
        decimals = 0;
    if (decimals > 17)
        decimals = 17;
    char tmp[512];   /* %.17f of 1e308 needs ~330 bytes */
    int r = tbl_snprintf_c(tmp, sizeof tmp, "%.*f", decimals, v);
    if (r < 0 || (size_t)r >= sizeof tmp)
        return snprintf(buf, n, "NaN");
    /* Negative zero, or a negative value that rounds to zero, shows as 0. */
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == strlen(tmp + 1))
        return snprintf(buf, n, "%s", tmp + 1);
    return snprintf(buf, n, "%s", tmp);
}

int tbl_fmt_sci(double v, int decimals, char *buf, size_t n)
{
    if (!isfinite(v) || v == 0.0)
        return tbl_fmt_fixed(v, decimals, buf, n);
    /* m x 10^k with 1 <= |m| < 10: the exponent is the rounded mantissa's
     * ("9.99996e9" at 4 decimals is 1.0000 x 10^10) */
    int d = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
    char e[48];
    tbl_snprintf_c(e, sizeof e, "%.*e", d, v);
    char *x = strchr(e, 'e');
    if (!x)
        return snprintf(buf, n, "%s", e);
    *x = '\0';
    return snprintf(buf, n, "$%s \\times 10^{%d}$", e, atoi(x + 1));
}

int tbl_fmt_num(double v, int decimals, char *buf, size_t n)
{
    if (!isfinite(v) || fabs(v) < TBL_SCI_FROM)
        return tbl_fmt_fixed(v, decimals, buf, n);
    return tbl_fmt_sci(v, decimals < 1 ? 1 : decimals, buf, n);
}

int tbl_fmt_g17(double v, char *buf, size_t n)
{
    if (isnan(v))
        return snprintf(buf, n, "nan");
    if (isinf(v))
        return snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
    return tbl_snprintf_c(buf, n, "%.17g", v);
}

/* The powers of ten a double holds exactly. */
static const double S_POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* a = |v| (positive, normal) rounded to p significant digits (15..17) the
 * way printf's "%.*e" rounds it (to nearest, ties to even): *d in
 * [10^(p-1), 10^p) and the decimal exponent *x, so a ~ d 10^(x-p+1).
 * Exact, without printf: with j = p-1-x in 0..22, 10^j is a double and
 * s = a 10^j is exactly hi + lo (the product and its FMA error).  s is at
 * least 10^14, so hi's ulp is at least 2^-6 and its fraction f = hi - n a
 * multiple of it; f - 1/2 and f + 1/2 are then exact, and comparing them
 * with -lo compares the exact fraction of s with +-1/2 (below 2^53, where
 * |lo| <= 1/2; above, n is even and s rounds to n + rint(lo)).  0 when j is out
 * of range (the caller then uses printf). */
static int S_round_digits(double a, int p, int x0, uint64_t *d, int *x)
{
    double lim_lo = S_POW10[p - 1], lim_hi = S_POW10[p];
    int xe = x0;
    for (int tries = 0; tries < 3; tries++) {
        int j = p - 1 - xe;
        if (j < 0 || j > 22)
            return 0;
        double hi = a * S_POW10[j], lo = fma(a, S_POW10[j], -hi);
        /* s = hi + lo within [10^(p-1), 10^p)?  (both limits are doubles) */
        if (hi < lim_lo || (hi == lim_lo && lo < 0)) {
            xe--;
            continue;
        }
        if (hi > lim_hi || (hi == lim_hi && lo >= 0)) {
            xe++;
            continue;
        }
        double n = floor(hi), f = hi - n;   /* exact: f < 1, a multiple of ulp(hi) */
        uint64_t k = (uint64_t)n;
        if (hi >= 9007199254740992.0) {
            /* hi >= 2^53: an even integer, f = 0, |lo| <= ulp(hi)/2 may pass
             * 1: s rounds to n + lo rounded (ties to even: n is even) */
            k = (uint64_t)((int64_t)k + (int64_t)rint(lo));
        } else if (lo > -(f - 0.5) || (lo == -(f - 0.5) && (k & 1))) {
            k++;                            /* s - n > 1/2, or = 1/2 with n odd */
        } else if (lo < -(f + 0.5) || (lo == -(f + 0.5) && (k & 1))) {
            k--;                            /* s - n < -1/2 (lo < 0, f = 0) */
        }
        if (k >= (uint64_t)lim_hi) {        /* 99..9.5 -> 10..0 */
            k /= 10;
            xe++;
        }
        *d = k;
        *x = xe;
        return 1;
    }
    return 0;
}

/* Does the decimal d 10^(x-p+1) (d < 2^53) read back as a?  Clinger's fast
 * path: d and 10^|j| are exact doubles, so one correctly rounded division
 * (or product) is what strtod gives.  -1 when it does not apply. */
static int S_reads_back(double a, uint64_t d, int p, int x)
{
    int j = p - 1 - x;
    if (d > (uint64_t)1 << 53 || j < -22 || j > 22)
        return -1;
    double r = j >= 0 ? (double)d / S_POW10[j] : (double)d * S_POW10[-j];
    return r == a;
}

/* The digits of the shortest of "%.14e", "%.15e", "%.16e" of a (> 0,
 * normal) that reads back as a (the third always does), as S_repr_slow
 * finds them: 1 with dig (NUL-terminated, no trailing zeros cut) and *x;
 * 0 where printf and strtod are needed. */
static int S_repr_fast(double a, char dig[20], size_t *nd, int *x)
{
    int x0 = (int)floor(log10(a));
    for (int p = 15; p <= 17; p++) {
        uint64_t d;
        int xe;
        if (!S_round_digits(a, p, x0, &d, &xe))
            return 0;
        int back = p == 17 ? 1 : S_reads_back(a, d, p, xe);
        if (back < 0)
            return 0;
        if (back) {
            for (int i = p - 1; i >= 0; i--, d /= 10)
                dig[i] = (char)('0' + d % 10);
            dig[p] = '\0';
            *nd = (size_t)p;
            *x = xe;
            return 1;
        }
        x0 = xe;
    }
    return 0;
}

/* The digits and exponent through printf and strtod: the shortest
 * correctly rounded "%.*e" that reads back. */
static void S_repr_slow(double v, char dig[20], size_t *ndp, int *xp)
{
    char e[40];
    locale_t c = S_c_locale(), old = (locale_t)0;
    if (c != (locale_t)0)
        old = uselocale(c);
    /* The shortest correctly rounded string that round-trips, found from 15
     * digits up (issue 15: trying 1, 2, ... 17 digits cost up to 17 printf
     * and strtod calls per number).  If some p <= 15 digits round-trip, the
     * 15-digit rounding is that p-digit string padded with zeros (15-digit
     * decimals are at least 1e-15 |v| apart, a double's half ulp is at most
     * 1.2e-16 |v|, so the p-digit string is the 15-digit decimal nearest to
     * v), and the zeros are cut below; if 15 fail, 16 or else 17 digits.
     * Subnormals have a coarser ulp: all p from 1 as before. */
    for (int p = fabs(v) < DBL_MIN ? 1 : 15; p <= 17; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, v);
        if (c == (locale_t)0)
            S_fix_point(e);
        if (p == 17 || strtod(e, NULL) == v)
            break;
    }
    if (c != (locale_t)0)
        uselocale(old);
    /* e = "[-]D[.DDD]e[+-]XX": collect the digits and the exponent */
    size_t nd = 0;
    const char *q = e;
    if (*q == '-')
        q++;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd < 19)
            dig[nd++] = *q;
    int x = *q == 'e' ? atoi(q + 1) : 0;
    dig[nd] = '\0';
    *ndp = nd;
    *xp = x;
}

/* Python's repr(float): the fewest significant digits (1..17) that read
 * back to the same double, fixed notation for decimal exponents -4..15
 * ("0.1", "100.0", "0.0001") and scientific otherwise ("1e-05", "1e+16").
 * The digits of the shortest correctly rounded "%.*e" that round-trips;
 * Python picks the nearest of the shortest strings, which is the same
 * string except in rare cases next to a power of two, where this may give
 * one digit more (still exact on reading back). */
int tbl_fmt_repr(double v, char *buf, size_t n)
{
    if (isnan(v))
        return snprintf(buf, n, "nan");
    if (isinf(v))
        return snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
    if (v == 0.0)
        return snprintf(buf, n, "%s", signbit(v) ? "-0.0" : "0.0");
    char dig[20];
    size_t nd;
    int x, neg = v < 0;
    /* issue 15: exact digits without printf/strtod where they can be had */
    if (fabs(v) < DBL_MIN || !S_repr_fast(fabs(v), dig, &nd, &x))
        S_repr_slow(v, dig, &nd, &x);
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    dig[nd] = '\0';
    char out[48];
    size_t k = 0;
    if (neg)
        out[k++] = '-';
    if (x >= -4 && x < 16) {
        if (x < 0) {
            out[k++] = '0';
            out[k++] = '.';
            for (int i = -1; i > x; i--)
                out[k++] = '0';
            memcpy(out + k, dig, nd);
            k += nd;
        } else {
            for (int i = 0; i <= x; i++)
                out[k++] = (size_t)i < nd ? dig[i] : '0';
            out[k++] = '.';
            if ((size_t)x + 1 < nd) {
                memcpy(out + k, dig + x + 1, nd - (size_t)x - 1);
                k += nd - (size_t)x - 1;
            } else {
                out[k++] = '0';
            }
        }
        out[k] = '\0';
    } else {
        out[k++] = dig[0];
        if (nd > 1) {
            out[k++] = '.';
            memcpy(out + k, dig + 1, nd - 1);
            k += nd - 1;
        }
        snprintf(out + k, sizeof out - k, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    }
    return snprintf(buf, n, "%s", out);
}

/* ---- model -------------------------------------------------------------- */

static char *S_strdup(const char *s)
{
    size_t l = strlen(s ? s : "");
    char *d = malloc(l + 1);
    if (d)
        memcpy(d, s ? s : "", l + 1);
    return d;
}

tbl *tbl_new(const char *name, size_t ncols, lb_err *e)
{
    tbl *t = NULL;
    if (ncols == 0) {
        err_set(e, LB_EXIT_RUNTIME, "table '%s' needs at least one column",
                name ? name : "");
        return NULL;
    }
    t = calloc(1, sizeof *t);
    if (!t)
        goto nomem;
    t->ncols = ncols;
    t->name = S_strdup(name);
    t->caption = S_strdup("");
    t->note = S_strdup("");
    t->header = calloc(ncols, sizeof *t->header);
    t->align = calloc(ncols, sizeof *t->align);
    if (!t->name || !t->caption || !t->note || !t->header || !t->align)
        goto nomem;
    for (size_t i = 0; i < ncols; i++) {
        t->align[i] = TBL_RIGHT;
        if (!(t->header[i] = S_strdup("")))
            goto nomem;
    }
    return t;
nomem:
    tbl_free(t);
    err_nomem(e);
    return NULL;
}

void tbl_free(tbl *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            free(t->rows[r].cells[c].text);
        free(t->rows[r].cells);
    }
    free(t->rows);
    if (t->header)
        for (size_t c = 0; c < t->ncols; c++)
            free(t->header[c]);
    free(t->header);
    free(t->align);
    free(t->name);
    free(t->caption);
    free(t->note);
    free(t);
}

static int S_replace(char **slot, const char *s, lb_err *e)
{
    char *d = S_strdup(s);
    if (!d)
        return err_nomem(e);
    free(*slot);
    *slot = d;
    return 0;
}

int tbl_set_caption(tbl *t, const char *caption, lb_err *e)
{
    return S_replace(&t->caption, caption, e);
}

int tbl_set_note(tbl *t, const char *note, lb_err *e)
{
    return S_replace(&t->note, note, e);
}

int tbl_set_header(tbl *t, size_t col, const char *text, tbl_align align,
                   lb_err *e)
{
    if (col >= t->ncols)
        return err_set(e, LB_EXIT_RUNTIME, "table '%s': no column %zu", t->name, col);
    t->align[col] = align;
    return S_replace(&t->header[col], text, e);
}

long tbl_add_row(tbl *t, lb_err *e)
{
    if (t->nrows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 8;
        tbl_row *nr = realloc(t->rows, cap * sizeof *nr);
        if (!nr) {
            err_nomem(e);
            return -1;
        }
        t->rows = nr;
        t->cap_rows = cap;
    }
    tbl_row *row = &t->rows[t->nrows];
    memset(row, 0, sizeof *row);
    row->cells = calloc(t->ncols, sizeof *row->cells);
    if (!row->cells) {
        err_nomem(e);
        return -1;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        if (!(row->cells[c].text = S_strdup(""))) {
            for (size_t k = 0; k < c; k++)
                free(row->cells[k].text);
            free(row->cells);
            err_nomem(e);
            return -1;
        }
    }
    return (long)t->nrows++;
}

static tbl_cell *S_cell(tbl *t, size_t row, size_t col, lb_err *e)
{
    if (row >= t->nrows || col >= t->ncols) {
        err_set(e, LB_EXIT_RUNTIME, "table '%s': no cell (%zu, %zu)", t->name, row, col);
        return NULL;
    }
    return &t->rows[row].cells[col];
}

int tbl_set_text(tbl *t, size_t row, size_t col, const char *text, lb_err *e)
{
    tbl_cell *c = S_cell(t, row, col, e);
    if (!c || S_replace(&c->text, text, e) != 0)
        return -1;
    c->has_value = 0;
    c->is_int = 0;
    return 0;
}

int tbl_set_num(tbl *t, size_t row, size_t col, double v, int decimals,
                lb_err *e)
{
    char buf[512];
    tbl_fmt_num(v, decimals, buf, sizeof buf);
    if (tbl_set_text(t, row, col, buf, e) != 0)
        return -1;
    tbl_cell *c = &t->rows[row].cells[col];
    c->value = v;
    c->has_value = 1;
    return 0;
}

int tbl_set_int(tbl *t, size_t row, size_t col, long long v, lb_err *e)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    if (tbl_set_text(t, row, col, buf, e) != 0)
        return -1;
    tbl_cell *c = &t->rows[row].cells[col];
    c->value = (double)v;
    c->has_value = 1;
    c->is_int = 1;
    return 0;
}

void tbl_mark_cell(tbl *t, size_t row, size_t col, int on)
{
    if (row < t->nrows && col < t->ncols)
        t->rows[row].cells[col].mark = on;
}

void tbl_mark_row(tbl *t, size_t row, int on)
{
    if (row < t->nrows)
        t->rows[row].mark = on;
}

void tbl_total_row(tbl *t, size_t row, int on)
{
    if (row < t->nrows)
        t->rows[row].total = on;
}

const tbl_cell *tbl_cell_at(const tbl *t, size_t row, size_t col)
{
    if (!t || row >= t->nrows || col >= t->ncols)
        return NULL;
    return &t->rows[row].cells[col];
}

/* ---- CSV ------------------------------------------------------------------ */

static int S_put_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL)
        return fputs(s, fp) < 0 ? -1 : 0;
    if (fputc('"', fp) == EOF)
        return -1;
    for (const char *p = s; *p; p++) {
        if (*p == '"' && fputc('"', fp) == EOF)
            return -1;
        if (fputc(*p, fp) == EOF)
            return -1;
    }
    return fputc('"', fp) == EOF ? -1 : 0;
}

/* TeX commands with a plain-text spelling; style commands (empty
 * spelling) vanish and keep their argument ("\mathcal{L}" -> "L"). */
static const struct { const char *cmd, *txt; } S_TEX_PLAIN[] = {
    {"infty", "inf"}, {"cdot", "*"}, {"times", "x"}, {"to", "->"},
    {"rightarrow", "->"}, {"leftarrow", "<-"}, {"leq", "<="}, {"le", "<="},
    {"geq", ">="}, {"ge", ">="}, {"neq", "!="}, {"ne", "!="}, {"pm", "+-"},
    {"approx", "~"}, {"ldots", "..."}, {"cdots", "..."}, {"dots", "..."},
    {"mid", "|"}, {"partial", "d"}, {"nabla", "grad "}, {"in", "in"},
    {"quad", " "}, {"qquad", " "}, {"text", ""}, {"mathrm", ""},
    {"mathcal", ""}, {"mathbf", ""}, {"mathit", ""}, {"mathbb", ""},
    {"mathsf", ""}, {"mathtt", ""}, {"boldsymbol", ""}, {"bm", ""},
    {"operatorname", ""}, {"textbf", ""}, {"textit", ""}, {"emph", ""},
    {"left", ""}, {"right", ""}, {"big", ""}, {"Big", ""}, {"bigg", ""},
    {"Bigg", ""}, {"bigl", ""}, {"bigr", ""}, {"Bigl", ""}, {"Bigr", ""},
    {"displaystyle", ""}, {"textstyle", ""}, {"limits", ""},
};

/* Plain text of a string that may hold $math$ (see table.h). */
const char *tbl_tex_plain(const char *in, char *out, size_t n)
{
    if (!strchr(in, '$'))
        return in;
    /* per open brace: 0 plain, 1 superscript group kept as "(...)",
     * 2 numerator, 3 denominator of \frac */
    unsigned char kind[64];
    size_t depth = 0, k = 0;
    int pend = 0;   /* kind the next '{' opens (\frac), 0 none */
    int math = 0;   /* inside $...$: text outside is copied as it is */
    for (const char *p = in; *p && k + 8 < n; p++) {
        if (*p == '$') {
            math = !math;
            continue;
        }
        if (!math) {
            out[k++] = *p;
            continue;
        }
        if (*p == '\\') {
            const char *q = p + 1;
            while (isalpha((unsigned char)*q))
                q++;
            size_t len = (size_t)(q - p - 1);
            if (len == 0) { /* \, \; \{ ...: a space or the character */
                if (p[1] && strchr("{}|%#&_$", p[1]))
                    out[k++] = p[1];
                else if (p[1])
                    out[k++] = ' ';
                p += p[1] ? 1 : 0;
                continue;
            }
            const char *txt = NULL;
            for (size_t i = 0; i < sizeof S_TEX_PLAIN / sizeof S_TEX_PLAIN[0]; i++)
                if (strlen(S_TEX_PLAIN[i].cmd) == len &&
                    memcmp(S_TEX_PLAIN[i].cmd, p + 1, len) == 0) {
                    txt = S_TEX_PLAIN[i].txt;
                    break;
                }
            if ((len == 4 && memcmp(p + 1, "frac", 4) == 0) ||
                (len == 5 && (memcmp(p + 1, "tfrac", 5) == 0 ||
                              memcmp(p + 1, "dfrac", 5) == 0))) {
                pend = 2;
                txt = "";
            }
            if (txt) {
                for (const char *t = txt; *t && k + 8 < n; t++)
                    out[k++] = *t;
            } else {
                for (size_t i = 0; i < len && k + 8 < n; i++)
                    out[k++] = p[1 + i];
            }
            /* "\log p": the space ending a command name is its own */
            p = q - 1;
            continue;
        }
        if (*p == '{') {
            unsigned char kd = pend ? (unsigned char)pend
                             : (k > 0 && out[k - 1] == '^') ? 1 : 0;
            pend = 0;
            if (depth < sizeof kind)
                kind[depth] = kd;
            depth++;
            if (kd)
                out[k++] = '(';
            continue;
        }
        if (*p == '}') {
            if (depth > 0) {
                depth--;
                unsigned char kd = depth < sizeof kind ? kind[depth] : 0;
                if (kd)
                    out[k++] = ')';
                if (kd == 2) {
                    out[k++] = '/';
                    pend = 3;
                }
            }
            continue;
        }
        out[k++] = *p;
    }
    out[k] = '\0';
    return out;
}

int tbl_write_csv_fp(const tbl *t, FILE *fp, const char *path, lb_err *e)
{
    char num[64], plain[512];
    for (size_t c = 0; c < t->ncols; c++) {
        if ((c && fputc(',', fp) == EOF) ||
            S_put_field(fp, tbl_tex_plain(t->header[c], plain, sizeof plain)) != 0)
            goto fail;
    }
    if (fputc('\n', fp) == EOF)
        goto fail;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const tbl_cell *cell = &t->rows[r].cells[c];
            const char *s = tbl_tex_plain(cell->text, plain, sizeof plain);
            if (cell->has_value && cell->is_int) {
                snprintf(num, sizeof num, "%lld", (long long)cell->value);
                s = num;
            } else if (cell->has_value) {
                tbl_fmt_repr(cell->value, num, sizeof num);
                s = num;
            }
            if ((c && fputc(',', fp) == EOF) || S_put_field(fp, s) != 0)
                goto fail;
        }
        if (fputc('\n', fp) == EOF)
            goto fail;
    }
    return 0;
fail:
    return err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s",
                   path ? path : "(stream)", strerror(errno));
}

int tbl_write_csv(const tbl *t, const char *path, lb_err *e)
{
    int rc = -1;
    FILE *fp = fopen(path, "w");
    if (!fp)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot create: %s", path,
                       strerror(errno));
    if (tbl_write_csv_fp(t, fp, path, e) != 0)
        goto out;
    if (fflush(fp) != 0 || ferror(fp)) {
        err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fclose(fp) != 0 && rc == 0)
        rc = err_set(e, LB_EXIT_RUNTIME, "%s: write failed: %s", path,
                     strerror(errno));
    return rc;
}
