/* mdparse_dir — the destination of a directive ("figure:NAME?width=W",
 * "table:NAME?first=K&worst=W", "value:NAME?digits=N&unit=S,P") parsed into
 * the node's fields.
 * Internal to mdparse (mdparse_int.h); no md4c here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/mdparse_int.h"

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

/* Parse "NAME?key=val&key=val" of a directive node (its url holds the
 * whole destination) into name / width / digits / spec. */
int mdp_directive(const char *path, doc_node *n, int dir, lb_err *e)
{
    const char *what = dir == MDP_DIR_FIGURE ? "figure"
                     : dir == MDP_DIR_TABLE ? "table" : "value";
    const char *syn = dir == MDP_DIR_FIGURE ? "![caption](figure:NAME)"
                    : dir == MDP_DIR_TABLE ? "[caption](table:NAME)"
                                       : "[text](value:NAME)";
    const char *spec = strchr(n->url, ':') + 1;
    const char *q = strchr(spec, '?');
    size_t nl = q ? (size_t)(q - spec) : strlen(spec);
    char bad = 0;
    char tmp[96];
    if (nl == 0)
        return S_err(path, n, e, "empty %s name (expected %s)", what, syn);
    if (!S_name_ok(spec, nl, dir == MDP_DIR_TABLE, &bad)) {
        snprintf(tmp, sizeof tmp, "%c", bad);
        return S_err(path, n, e, "bad character '%s' in %s name (allowed: "
                            "letters, digits, '_', '.', '-', '/')", tmp,
                            what);
    }
    if (doc_set_str(&n->name, spec, nl, e) < 0)
        return -1;
    if (dir == MDP_DIR_VALUE && doc_set_str(&n->spec, spec, strlen(spec),
                                        e) < 0)
        return -1;
    if (dir == MDP_DIR_TABLE && doc_set_str(&n->spec, spec, strlen(spec), e) < 0)
        return -1;
    int have_width = 0, have_digits = 0, have_unit = 0;
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
                                    "number >= 1, e.g. %s)", tmp, "table:step/*?first=6");
            *slot = (int)v;
        } else {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)(kl > 60 ? 60 : kl), opt);
            int dup = (kl == 5 && memcmp(opt, "width", 5) == 0 &&
                       have_width) ||
                      (kl == 6 && memcmp(opt, "digits", 6) == 0 &&
                       have_digits) ||
                      (kl == 4 && memcmp(opt, "unit", 4) == 0 && have_unit);
            if (dup)
                return S_err(path, n, e, "option '%s' given twice in %s "
                                    "directive", key, what);
            return S_err(path, n, e, "unknown option '%s' in %s", key,
                                dir == MDP_DIR_FIGURE
                                    ? "figure directive (expected width=W)"
                                : dir == MDP_DIR_TABLE
                                    ? "table directive (expected first=K or worst=W)"
                                    : "value directive (expected digits=N or unit=S,P)");
        }
    }
    free(n->url);
    n->url = NULL;
    return 0;
}
