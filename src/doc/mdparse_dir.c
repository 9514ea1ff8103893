/* mdparse_dir — the destination of a directive ("figure:NAME?width=W",
 * "table:NAME?first=K&worst=W", "value:NAME?digits=N&unit=S,P") parsed into
 * the node's fields.
 * Internal to mdparse (mdparse_int.h); no md4c here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/mdparse_int.h"
#include "plot/gpcheck.h"

/* An error located at the directive node; fmt takes two strings. */
static int S_err(const char *path, const doc_node *n, lb_err *e,
                 const char *fmt, const char *a, const char *b)
{
    char msg[768];
    snprintf(msg, sizeof msg, fmt, a, b);
    return err_at(e, LB_EXIT_INPUT, path, n->line, n->col, "%s", msg);
}

/* Names: letters, digits, '_', '.', '-', '/'; a table name may also hold
 * '*' (step/\*: one table per position, expanded by res_expand). */
static int S_name_ok(const char *s, size_t n, int star, char *bad)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
              c == '/' || (star && c == '*'))) {
            *bad = (char)c;
            return 0;
        }
    }
    return 1;
}

/* A value directive's bare option "blank" (a worksheet's fill-in blank):
 * taken out of the destination in place, so that the rest reads as
 * without it.  1 when it was there (once), 0 when not, -1 when twice. */
static int S_take_blank(char *url)
{
    int found = 0;
    char *q = strchr(url, '?');
    while (q) {
        char *opt = q + 1, *end = strchr(opt, '&');
        size_t ol = end ? (size_t)(end - opt) : strlen(opt);
        if (ol == 5 && memcmp(opt, "blank", 5) == 0) {
            if (found++)
                return -1;
            /* drop "?blank" or "&blank"; a following "&x" becomes "?x" */
            if (end) {
                memmove(opt, end + 1, strlen(end + 1) + 1);
                continue;   /* q still marks the option now at opt */
            }
            *q = '\0';
            break;
        }
        q = end;
    }
    return found;
}

/* Parse "NAME?key=val&key=val" of a directive node (its url holds the
 * whole destination) into name / width / digits / spec. */
int mdp_directive(const char *path, doc_node *n, int dir, lb_err *e)
{
    const char *what = dir == MDP_DIR_FIGURE ? "figure"
                     : dir == MDP_DIR_TABLE ? "table"
                     : dir == MDP_DIR_REF ? "reference" : "value";
    const char *syn = dir == MDP_DIR_FIGURE ? "![caption](figure:NAME)"
                    : dir == MDP_DIR_TABLE ? "[caption](table:NAME)"
                    : dir == MDP_DIR_REF ? "[text](ref:NAME)"
                                       : "[text](value:NAME)";
    if (dir == MDP_DIR_VALUE && (n->blank = S_take_blank(n->url)) < 0)
        return S_err(path, n, e, "option '%s' given twice in %s directive", "blank", "value");
    const char *spec = strchr(n->url, ':') + 1;
    const char *q = strchr(spec, '?');
    size_t nl = q ? (size_t)(q - spec) : strlen(spec);
    char bad = 0;
    char tmp[96];
    if (nl == 0)
        return S_err(path, n, e, "empty %s name (expected %s)", what, syn);
    /* a reference may name an equation's \label, which LaTeX habit
     * writes with a colon ("eq:loss") */
    /* ... and a heading's GitHub id keeps the letters of any script
     * ("[](ref:图片)", "ref:指数函数"): non-ASCII is fine in a reference */
    int ok = 1;
    size_t at = 0;
    for (size_t i = 0; i < nl && ok; i++) {
        at = i;
        ok = (dir == MDP_DIR_REF && (spec[i] == ':' || (unsigned char)spec[i] >= 0x80)) ||
             S_name_ok(spec + i, 1, dir == MDP_DIR_TABLE, &bad);
    }
    if (!ok) {
        /* the whole character, never one byte of it */
        size_t cl = 1;
        while ((unsigned char)spec[at] >= 0xC0 && cl < 4 && at + cl < nl &&
               ((unsigned char)spec[at + cl] & 0xC0) == 0x80)
            cl++;
        snprintf(tmp, sizeof tmp, "%.*s", (int)cl, spec + at);
        (void)bad;
        return S_err(path, n, e, dir == MDP_DIR_REF
                                 ? "bad character '%s' in %s name (allowed: letters, digits, "
                                   "'_', '.', '-', '/', ':')"
                                 : "bad character '%s' in %s name (allowed: "
                                   "letters, digits, '_', '.', '-', '/')", tmp, what);
    }
    if (doc_set_str(&n->name, spec, nl, e) < 0)
        return -1;
    if (dir == MDP_DIR_VALUE && doc_set_str(&n->spec, spec, strlen(spec),
                                        e) < 0)
        return -1;
    int have_width = 0, have_digits = 0, have_unit = 0, have_name = 0, have_form = 0;
    while (q) {
        const char *opt = q + 1;
        q = strchr(opt, '&');
        size_t ol = q ? (size_t)(q - opt) : strlen(opt);
        const char *eq = memchr(opt, '=', ol);
        size_t kl = eq ? (size_t)(eq - opt) : ol;
        const char *val = eq ? eq + 1 : opt + ol;
        size_t vl = eq ? ol - kl - 1 : 0;
        snprintf(tmp, sizeof tmp, "%.*s", (int)(vl > 60 ? 60 : vl), val);
        if (dir == MDP_DIR_FIGURE && kl == 5 && memcmp(opt, "width", 5) == 0 &&
            !have_width) {
            char *end = NULL;
            double w = vl ? strtod(tmp, &end) : 0.0;
            int lead = vl && ((tmp[0] >= '0' && tmp[0] <= '9') ||
                              tmp[0] == '.');
            if (!eq || !lead || vl > 60 || !end || *end != '\0' ||
                !isfinite(w) || w <= 0.0 || w > 1.0)
                return S_err(path, n, e, "bad width '%s' in figure "
                                    "directive (expected a number > 0 and "
                                    "<= 1, e.g. %s)", tmp,
                                    "figure:NAME?width=0.8");
            n->width = w;
            have_width = 1;
        } else if (dir == MDP_DIR_VALUE && kl == 6 &&
                   memcmp(opt, "digits", 6) == 0 && !have_digits) {
            int ok = eq && vl >= 1 && vl <= 2;
            int v = 0;
            for (size_t i = 0; ok && i < vl; i++) {
                if (val[i] < '0' || val[i] > '9')
                    ok = 0;
                else
                    v = v * 10 + (val[i] - '0');
            }
            if (!ok || v > 17)
                return S_err(path, n, e, "bad digits '%s' in value "
                                    "directive (expected an integer from 0 "
                                    "to 17, e.g. %s)", tmp,
                                    "value:NAME?digits=3");
            n->digits = v;
            have_digits = 1;
        } else if (dir == MDP_DIR_VALUE && kl == 4 && !memcmp(opt, "unit", 4) && !have_unit) {
            /* unit=SINGULAR,PLURAL: both non-empty (the catalog picks one) */
            const char *comma = eq ? memchr(val, ',', vl) : NULL;
            if (!comma || comma == val || comma == val + vl - 1 || memchr(comma + 1, ',', vl - (size_t)(comma + 1 - val)))
                return S_err(path, n, e, "bad unit '%s' in value directive (expected "
                                    "unit=SINGULAR,PLURAL, e.g. %s)", tmp,
                                    "value:shape.N?unit=position,positions");
            have_unit = 1;
        } else if (dir == MDP_DIR_TABLE && ((kl == 5 && !memcmp(opt, "first", 5)) ||
                                            (kl == 5 && !memcmp(opt, "worst", 5)))) {
            int *slot = opt[0] == 'f' ? &n->opt_first : &n->opt_worst;
            char key[8];
            snprintf(key, sizeof key, "%.*s", (int)kl, opt);
            if (*slot >= 0)
                return S_err(path, n, e, "option '%s' given twice in %s directive", key, what);
            int ok = eq && vl >= 1 && vl <= 7 && val[0] != '0';
            long v = 0;
            for (size_t i = 0; ok && i < vl; i++) {
                if (val[i] < '0' || val[i] > '9')
                    ok = 0;
                else
                    v = v * 10 + (val[i] - '0');
            }
            if (!ok)
                return S_err(path, n, e, "bad count '%s' in table directive (expected a whole "
                                    "number from 1 to 9999999, e.g. %s)", tmp,
                                    "table:step/*?first=6");
            *slot = (int)v;
        } else if ((dir == MDP_DIR_FIGURE || dir == MDP_DIR_TABLE) && kl == 4 &&
                   memcmp(opt, "name", 4) == 0 && !have_name) {
            if (!eq || vl == 0 || vl > 60 || !S_name_ok(val, vl, 0, &bad))
                return S_err(path, n, e, "bad name '%s' in %s directive (expected "
                                    "letters, digits, '_', '.', '-', '/')", tmp, what);
            if (doc_set_str(&n->label, val, vl, e) < 0)
                return -1;
            have_name = 1;
        } else if (dir == MDP_DIR_REF && kl == 4 && memcmp(opt, "form", 4) == 0 &&
                   !have_form) {
            if (eq && vl == 6 && memcmp(val, "number", 6) == 0)
                n->form = 1;
            else if (eq && vl == 4 && memcmp(val, "full", 4) == 0)
                n->form = 0;
            else
                return S_err(path, n, e, "bad form '%s' in reference (expected "
                                    "form=number or form=full%s)", tmp, "");
            have_form = 1;
        } else {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)(kl > 60 ? 60 : kl), opt);
            int dup = (kl == 5 && memcmp(opt, "width", 5) == 0 && have_width) ||
                      (kl == 6 && memcmp(opt, "digits", 6) == 0 && have_digits) ||
                      (kl == 4 && memcmp(opt, "unit", 4) == 0 && have_unit) ||
                      (kl == 4 && memcmp(opt, "name", 4) == 0 && have_name) ||
                      (kl == 4 && memcmp(opt, "form", 4) == 0 && have_form);
            if (dup)
                return S_err(path, n, e, "option '%s' given twice in %s "
                                    "directive", key, what);
            return S_err(path, n, e, "unknown option '%s' in %s", key,
                         dir == MDP_DIR_FIGURE ? "figure directive (expected width=W or name=LABEL)"
                         : dir == MDP_DIR_TABLE ? "table directive (expected first=K, worst=W or "
                                                  "name=LABEL)"
                         : dir == MDP_DIR_REF ? "reference (expected form=number)"
                                              : "value directive (expected digits=N or unit=S,P)");
        }
    }
    if (dir == MDP_DIR_TABLE) {
        /* what the catalog sees: the name and the options it serves
         * (name= is the document's label, not the catalog's) */
        char sp[160];
        int u = snprintf(sp, sizeof sp, "%.*s", (int)(nl > 100 ? 100 : nl), spec);
        if (n->opt_first >= 0)
            u += snprintf(sp + u, sizeof sp - (size_t)u, "?first=%d", n->opt_first);
        if (n->opt_worst >= 0)
            snprintf(sp + u, sizeof sp - (size_t)u, "%cworst=%d", n->opt_first >= 0 ? '&' : '?',
                     n->opt_worst);
        if (doc_set_str(&n->spec, sp, strlen(sp), e) < 0)
            return -1;
    }
    free(n->url);
    n->url = NULL;
    return 0;
}

/* ---- pictures and gnuplot blocks --------------------------------------- */

int mdp_is_image_file(const char *url)
{
    /* a URL (scheme:..., //host/..., #anchor) stays an inline image; any
     * other path names a local file, whatever its extension: a kind the
     * PDF cannot embed is then an error (resolve), never silently text */
    if (!url || !url[0] || url[0] == '#' || (url[0] == '/' && url[1] == '/'))
        return 0;
    if ((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')) {
        size_t i = 1;
        while ((url[i] >= 'a' && url[i] <= 'z') || (url[i] >= 'A' && url[i] <= 'Z') ||
               (url[i] >= '0' && url[i] <= '9') || url[i] == '+' || url[i] == '.' ||
               url[i] == '-')
            i++;
        if (url[i] == ':' && i >= 2)
            return 0;
    }
    return 1;
}

int mdp_image_figure(const char *path, doc_node *n, lb_err *e)
{
    const char *url = n->url;
    const char *q = strchr(url, '?');
    size_t pl = q ? (size_t)(q - url) : strlen(url);
    char tmp[96];
    int have_width = 0, have_name = 0;
    while (q) {
        const char *opt = q + 1;
        q = strchr(opt, '&');
        size_t ol = q ? (size_t)(q - opt) : strlen(opt);
        const char *eq = memchr(opt, '=', ol);
        size_t kl = eq ? (size_t)(eq - opt) : ol;
        const char *val = eq ? eq + 1 : opt + ol;
        size_t vl = eq ? ol - kl - 1 : 0;
        snprintf(tmp, sizeof tmp, "%.*s", (int)(vl > 60 ? 60 : vl), val);
        char bad = 0;
        if (kl == 5 && memcmp(opt, "width", 5) == 0 && !have_width) {
            char *end = NULL;
            double w = vl && vl <= 60 ? strtod(tmp, &end) : 0.0;
            if (!eq || !end || *end || !(w > 0.0 && w <= 1.0))
                return S_err(path, n, e, "bad width '%s' for a picture (expected a number "
                                         "> 0 and <= 1, e.g. %s)", tmp, "photo.png?width=0.5");
            n->width = w;
            have_width = 1;
        } else if (kl == 4 && memcmp(opt, "name", 4) == 0 && !have_name) {
            if (!eq || vl == 0 || vl > 60 || !S_name_ok(val, vl, 0, &bad) || memchr(val, '/', vl))
                return S_err(path, n, e, "bad name '%s' for a picture (expected letters, "
                                         "digits, '_', '.', '-'%s)", tmp, "");
            if (doc_set_str(&n->name, val, vl, e) < 0)
                return -1;
            have_name = 1;
        } else {
            snprintf(tmp, sizeof tmp, "%.*s", (int)(kl > 60 ? 60 : kl), opt);
            return S_err(path, n, e, "unknown option '%s' for a picture (expected width=W "
                                     "or name=NAME%s)", tmp, "");
        }
    }
    /* the file, relative to the template's folder */
    const char *slash = strrchr(path, '/');
    size_t dl = (url[0] == '/' || !slash) ? 0 : (size_t)(slash - path) + 1;
    char *src = malloc(dl + pl + 1);
    if (!src)
        return err_nomem(e);
    memcpy(src, path, dl);
    memcpy(src + dl, url, pl);
    src[dl + pl] = '\0';
    free(n->src);
    n->src = src;
    if (!have_name) {
        /* the stem: after the last '/', before the extension */
        const char *b = url + pl;
        while (b > url && b[-1] != '/')
            b--;
        const char *dot = url + pl;
        while (dot > b && *dot != '.')
            dot--;
        size_t sl = dot > b ? (size_t)(dot - b) : (size_t)(url + pl - b);
        if (sl == 0 || sl > 64)
            sl = sl ? 64 : 0;
        if (doc_set_str(&n->name, sl ? b : "image", sl ? sl : 5, e) < 0)
            return -1;
        for (char *c = n->name; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
                *c = '-';
    }
    char *u = n->url;   /* keep the path as written, without options */
    u[pl] = '\0';
    n->type = DOC_FIGURE;
    n->fig_src = DOC_FIG_IMAGE;
    return 0;
}

/* One KEY=VALUE of an info string; VALUE may be "double quoted" (\" and
 * \\ inside).  Advances *p; returns 0, 1 at the end, -1 on bad syntax. */
static int S_attr(const char **p, char *key, size_t kn, char *val, size_t vn,
                  size_t *val_off, const char *base)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return 1;
    size_t k = 0;
    while (*s && *s != '=' && *s != ' ' && *s != '\t' && k + 1 < kn)
        key[k++] = *s++;
    key[k] = '\0';
    if (*s != '=')
        return -1;
    s++;
    *val_off = (size_t)(s - base);
    size_t v = 0;
    if (*s == '"') {
        s++;
        while (*s && *s != '"') {
            if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
                s++;
            if (v + 1 < vn)
                val[v++] = *s;
            s++;
        }
        if (*s != '"')
            return -1;
        s++;
        (*val_off)++;
    } else {
        while (*s && *s != ' ' && *s != '\t') {
            if (v + 1 < vn)
                val[v++] = *s;
            s++;
        }
    }
    val[v] = '\0';
    *p = s;
    return 0;
}

int mdp_gnuplot_block(const char *path, doc_node *n, int info_col, char **caption,
                      int *cap_col, lb_err *e)
{
    *caption = NULL;
    const char *info = n->info ? n->info : "";
    if (strncmp(info, "gnuplot", 7) != 0 || (info[7] != ' ' && info[7] != '\t'))
        return 0;
    const char *p = info + 7;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return 0;   /* a plain listing */
    char key[32], val[1024], name[80] = "";
    char *cap = NULL;
    int rc = -1, have_w = 0;
    for (;;) {
        size_t voff = 0;
        int r = S_attr(&p, key, sizeof key, val, sizeof val, &voff, info);
        if (r == 1)
            break;
        if (r < 0) {
            err_at(e, LB_EXIT_INPUT, path, n->line, info_col + (int)(p - info),
                   "bad gnuplot figure attributes: expected KEY=VALUE or KEY=\"text\" (keys: "
                   "name, caption, width)");
            goto out;
        }
        int vcol = info_col + (int)voff;
        char bad = 0;
        if (strcmp(key, "name") == 0) {
            if (!val[0] || strlen(val) > 60 || !S_name_ok(val, strlen(val), 0, &bad) ||
                strchr(val, '/') || strchr(val, '.')) {
                err_at(e, LB_EXIT_INPUT, path, n->line, vcol,
                       "bad gnuplot figure name '%.60s' (expected letters, digits, '_', '-': "
                       "it names the files figures/NAME.gp, .svg, .png)", val);
                goto out;
            }
            snprintf(name, sizeof name, "%s", val);
        } else if (strcmp(key, "caption") == 0) {
            free(cap);
            if (!(cap = strdup(val))) {
                err_nomem(e);
                goto out;
            }
            *cap_col = vcol;
        } else if (strcmp(key, "width") == 0 && !have_w) {
            char *end = NULL;
            double w = strtod(val, &end);
            if (!val[0] || !end || *end || !(w > 0.0 && w <= 1.0)) {
                err_at(e, LB_EXIT_INPUT, path, n->line, vcol,
                       "bad width '%.60s' (expected a number > 0 and <= 1)", val);
                goto out;
            }
            n->width = w;
            have_w = 1;
        } else {
            err_at(e, LB_EXIT_INPUT, path, n->line, info_col + (int)voff - (int)strlen(key) - 1,
                   "unknown gnuplot figure attribute '%.30s' (expected name, caption or width)",
                   key);
            goto out;
        }
    }
    if (!name[0]) {
        err_at(e, LB_EXIT_INPUT, path, n->line, info_col,
               "a gnuplot figure needs name=NAME (it names figures/NAME.gp and its "
               "pictures)");
        goto out;
    }
    /* the code only draws: lossbook owns the terminals, outputs and the
     * process (plot/gpcheck.h) */
    const char *t = n->text ? n->text : "";
    int bl = 0, bc = 0;
    char why[200];
    if (gpc_check(t, &bl, &bc, why, sizeof why) != 0) {
        err_at(e, LB_EXIT_INPUT, path, n->line + 1 + bl, bc,
               "%s (expected code that only draws: plot, splot and settings)", why);
        goto out;
    }
    if (!t[0]) {
        err_at(e, LB_EXIT_INPUT, path, n->line, 1,
               "empty gnuplot figure '%s' (expected a plot command)", name);
        goto out;
    }
    if (doc_set_str(&n->name, name, strlen(name), e) < 0)
        goto out;
    n->type = DOC_FIGURE;
    n->fig_src = DOC_FIG_GNUPLOT;
    n->code_line = n->line + 1;
    *caption = cap;
    cap = NULL;
    rc = 1;
out:
    free(cap);
    return rc;
}
