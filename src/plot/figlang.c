#define _GNU_SOURCE   /* memmem */
/* figlang — see figlang.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "plot/figcache.h"
#include "plot/figlang.h"
#include "plot/figures.h"
#include "plot/gnuplot.h"
#include "plot/pngenc.h"

/* The Chinese labels, keyed by the exact English string of figures.c.
 * Terms as in the Chinese handout: 概率, 损失, 目标, 类别, 算例. */
static const struct { const char *en, *zh; } S_zh[] = {
    { "The exponential function {/:Italic y} = e^{/:Italic x}",
      "指数函数 {/:Italic y} = e^{/:Italic x}" },
    { "asymptote {/:Italic y} = 0:  e^{/:Italic x} > 0 for every "
      "{/:Italic x},  e^{/:Italic x} \xE2\x86\x92 0 as {/:Italic x} "
      "\xE2\x86\x92 \xE2\x88\x92\xE2\x88\x9E",
      "渐近线 {/:Italic y} = 0：对每个 {/:Italic x} 都有 e^{/:Italic x} > 0，"
      "{/:Italic x} \xE2\x86\x92 \xE2\x88\x92\xE2\x88\x9E 时 e^{/:Italic x} "
      "\xE2\x86\x92 0" },
    { "softmax([2, 1, {/:Italic z}]): three classes share probability 1",
      "softmax([2, 1, {/:Italic z}])：三个类别分享总概率 1" },
    { "{/:Italic z}   (logit of class 3; the logits are [2, 1, "
      "{/:Italic z}])",
      "{/:Italic z}（类别 3 的 logit；logits 为 [2, 1, {/:Italic z}]）" },
    { "probability", "概率" },
    { "{/:Italic p}_2 = {/:Italic p}_3 at {/:Italic z} = 1",
      "{/:Italic z} = 1 时 {/:Italic p}_2 = {/:Italic p}_3" },
    { "{/:Italic p}_1 = {/:Italic p}_3 at {/:Italic z} = 2",
      "{/:Italic z} = 2 时 {/:Italic p}_1 = {/:Italic p}_3" },
    { "{/:Italic p}_1 + {/:Italic p}_2 + {/:Italic p}_3 = 1 for every "
      "{/:Italic z}",
      "对每个 {/:Italic z}：{/:Italic p}_1 + {/:Italic p}_2 + {/:Italic p}_3 "
      "= 1" },
    { "softmax([2, 1, {/:Italic z}, {/:Italic z}]): equal logits, equal "
      "probabilities",
      "softmax([2, 1, {/:Italic z}, {/:Italic z}])：logit 相等，概率相等" },
    { "{/:Italic z}   (logit of classes 3 and 4; the logits are [2, 1, "
      "{/:Italic z}, {/:Italic z}])",
      "{/:Italic z}（类别 3 和 4 的 logit；logits 为 [2, 1, {/:Italic z}, "
      "{/:Italic z}]）" },
    { "{/:Italic p}_2 = {/:Italic p}_3 = {/:Italic p}_4 at {/:Italic z} = 1",
      "{/:Italic z} = 1 时 {/:Italic p}_2 = {/:Italic p}_3 = {/:Italic p}_4" },
    { "{/:Italic z}_3 = {/:Italic z}_4, so {/:Italic p}_3 = {/:Italic p}_4: "
      "the two curves coincide",
      "{/:Italic z}_3 = {/:Italic z}_4，故 {/:Italic p}_3 = {/:Italic p}_4："
      "两条曲线重合" },
    { "log {/:Italic p} and \xE2\x88\x92log {/:Italic p} on (0, 1]",
      "(0, 1] 上的 log {/:Italic p} 与 \xE2\x88\x92log {/:Italic p}" },
    { "value", "函数值" },
    { "log {/:Italic p} < 0 for {/:Italic p} < 1",
      "{/:Italic p} < 1 时 log {/:Italic p} < 0" },
    { "\xE2\x88\x92log {/:Italic p} > 0: the loss",
      "\xE2\x88\x92log {/:Italic p} > 0：损失" },
    { "\xE2\x88\x92log {/:Italic p}: the loss grows without bound as "
      "{/:Italic p} \xE2\x86\x92 0",
      "\xE2\x88\x92log {/:Italic p}：{/:Italic p} \xE2\x86\x92 0 时损失无界增长" },
    { "{/:Italic p}   (probability of the target)",
      "{/:Italic p}（目标的概率）" },
    { "steep near {/:Italic p} = 0:", "在 {/:Italic p} = 0 附近很陡：" },
    { "a confident wrong prediction costs a lot", "自信的错误预测代价很大" },
    { "Worked example: the loss of each position on \xE2\x88\x92log "
      "{/:Italic p}",
      "算例：每个位置的损失都在 \xE2\x88\x92log {/:Italic p} 上" },
    { "positions", "各位置" },
    { "ylabel:positions", "位置数" },
    { "mean %.4f", "均值 %.4f" },
    { "mean +\xE2\x88\x9E", "均值 +\xE2\x88\x9E" },
    { "Worked example: how the losses are spread", "算例：损失如何分布" },
    { "loss (nats)", "损失（奈特）" },
    { "Random logits against the uniform guess ln {/:Italic V}",
      "随机 logits 与均匀猜测 ln {/:Italic V} 的比较" },
    { "vocabulary size {/:Italic V}", "词表大小 {/:Italic V}" },
    { "ln {/:Italic V} (uniform guess)", "ln {/:Italic V}（均匀猜测）" },
    { "random logits, {/:Italic \xCF\x83} = 1",
      "随机 logits，{/:Italic \xCF\x83} = 1" },
    { "random logits, {/:Italic \xCF\x83} = 2",
      "随机 logits，{/:Italic \xCF\x83} = 2" },
};

int figlang_known(const char *lang)
{
    return lang && strcmp(lang, "zh") == 0;
}

const char *figlang_font(const char *lang)
{
    return figlang_known(lang) ? "AR PL UMing CN" : "Latin Modern Roman";
}

typedef struct S_buf {
    char *p;
    size_t n, cap;
    int oom;
} S_buf;

static void S_put(S_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void S_puts(S_buf *b, const char *s)
{
    S_put(b, s, strlen(s));
}

/* The code point at s (valid UTF-8: our own table) and its length. */
static unsigned S_cp(const unsigned char *s, size_t *len)
{
    if (s[0] < 0x80) { *len = 1; return s[0]; }
    if (s[0] < 0xE0) { *len = 2; return (s[0] & 31u) << 6 | (s[1] & 63u); }
    if (s[0] < 0xF0) {
        *len = 3;
        return (s[0] & 15u) << 12 | (s[1] & 63u) << 6 | (s[2] & 63u);
    }
    *len = 4;
    return (s[0] & 7u) << 18 | (s[1] & 63u) << 12 | (s[2] & 63u) << 6 |
           (s[3] & 63u);
}

/* Set in the CJK font: ideographs, CJK and full-width punctuation. */
static int S_wide(unsigned u)
{
    return (u >= 0x2E80 && u <= 0x9FFF) || (u >= 0xF900 && u <= 0xFAFF) ||
           (u >= 0xFE30 && u <= 0xFE4F) || (u >= 0xFF00 && u <= 0xFFEF);
}

/* Append `text` as the body of a single-quoted gnuplot string: CJK runs
 * wrapped in {/"FONT" ...}, quotes doubled. */
static void S_label(S_buf *b, const char *text, const char *font)
{
    const unsigned char *s = (const unsigned char *)text;
    int in = 0;
    while (*s) {
        size_t l;
        unsigned u = S_cp(s, &l);
        int w = S_wide(u);
        if (w && !in) {
            S_puts(b, "{/\"");
            S_puts(b, font);
            S_puts(b, "\" ");
            in = 1;
        } else if (!w && in) {
            S_puts(b, "}");
            in = 0;
        }
        if (*s == '\'')
            S_puts(b, "''");
        else
            S_put(b, (const char *)s, l);
        s += l;
    }
    if (in)
        S_puts(b, "}");
}

int figlang_rewrite(const char *s, size_t n, const char *name,
                    const char *lang, char **out, size_t *outlen,
                    int *changed, lb_err *e)
{
    S_buf b = { 0 };
    char *lit = NULL;
    *out = NULL;
    *outlen = 0;
    *changed = 0;
    if (!figlang_known(lang))
        return err_set(e, LB_EXIT_RUNTIME, "no figure labels in language "
                       "'%s'", lang ? lang : "(none)");
    const char *font = figlang_font(lang);
    lit = malloc(n + 1);
    if (!lit)
        return err_nomem(e);
    size_t nl = strlen(name);
    for (size_t i = 0; i < n;) {
        char ch = s[i];
        if (ch == '#') {                     /* a comment: to the line's end */
            size_t j = i;
            while (j < n && s[j] != '\n')
                j++;
            S_put(&b, s + i, j - i);
            i = j;
        } else if (ch == '"') {              /* kept as written */
            size_t j = i + 1;
            while (j < n && s[j] != '"' && s[j] != '\n')
                j += s[j] == '\\' && j + 1 < n ? 2 : 1;
            j = j < n ? j + 1 : n;
            S_put(&b, s + i, j - i);
            i = j;
        } else if (ch == '\'') {             /* '...' with '' for a quote */
            size_t j = i + 1, k = 0;
            while (j < n && s[j] != '\n') {
                if (s[j] == '\'' && j + 1 < n && s[j + 1] == '\'') {
                    lit[k++] = '\'';
                    j += 2;
                } else if (s[j] == '\'') {
                    break;
                } else {
                    lit[k++] = s[j++];
                }
            }
            lit[k] = '\0';
            size_t end = j < n && s[j] == '\'' ? j + 1 : j;
            /* An axis label may need other words than the same English
             * elsewhere: "ylabel:TEXT" entries win in a `set ylabel` line. */
            size_t ls = i;
            while (ls > 0 && s[ls - 1] != '\n')
                ls--;
            int ylabel = i - ls >= 10 && memmem(s + ls, i - ls, "set ylabel", 10);
            const char *zh = NULL;
            for (size_t t = 0; t < sizeof S_zh / sizeof S_zh[0]; t++) {
                const char *en = S_zh[t].en;
                if (!strncmp(en, "ylabel:", 7)) {
                    if (ylabel && strcmp(en + 7, lit) == 0) {
                        zh = S_zh[t].zh;
                        break;
                    }
                } else if (!zh && strcmp(en, lit) == 0) {
                    zh = S_zh[t].zh;
                }
            }
            if (zh) {
                S_puts(&b, "'");
                S_label(&b, zh, font);
                S_puts(&b, "'");
                (*changed)++;
            } else if (k > nl && strncmp(lit, name, nl) == 0 &&
                       (!strcmp(lit + nl, ".png") || !strcmp(lit + nl, ".svg") ||
                        !strcmp(lit + nl, ".dark.png"))) {
                /* the outputs: NAME.png -> NAME.zh.png */
                S_puts(&b, "'");
                S_put(&b, name, nl);
                S_puts(&b, ".");
                S_puts(&b, lang);
                S_puts(&b, lit + nl);
                S_puts(&b, "'");
            } else {
                S_put(&b, s + i, end - i);
            }
            i = end;
        } else {
            size_t j = i;
            while (j < n && s[j] != '#' && s[j] != '"' && s[j] != '\'')
                j++;
            S_put(&b, s + i, j - i);
            i = j;
        }
    }
    free(lit);
    if (b.oom || !b.p) {
        free(b.p);
        return err_nomem(e);
    }
    *out = b.p;
    *outlen = b.n;
    return 0;
}

static char *S_cat(const char *a, const char *b, const char *c, const char *d)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + strlen(d) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s%s", a, b, c, d);
    return s;
}

static int S_read(const char *path, char **buf, size_t *len, lb_err *e)
{
    FILE *f = fopen(path, "rb");
    *buf = NULL;
    if (!f)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot open: %s", path,
                       strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap);
    while (p) {
        size_t r = fread(p + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
        if (n == cap) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                p = NULL;
                break;
            }
            p = q;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!p)
        return err_nomem(e);
    if (bad) {
        free(p);
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot read", path);
    }
    *buf = p;
    *len = n;
    return 0;
}

static int S_write(const char *path, const char *s, size_t n, lb_err *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                  0644);
    if (fd < 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s: cannot write: %s", path,
                       strerror(errno));
    size_t at = 0;
    while (at < n) {
        ssize_t w = write(fd, s + at, n - at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int er = errno;
            close(fd);
            return err_set(e, LB_EXIT_RUNTIME, "%s: write error: %s", path,
                           strerror(er));
        }
        at += (size_t)w;
    }
    if (close(fd) != 0)
        return err_set(e, LB_EXIT_RUNTIME, "%s: write error: %s", path,
                       strerror(errno));
    return 0;
}

int figlang_render(const char *figdir, const char *datadir_rel, const char *cache_dir,
                   const char *const *names, size_t n, const char *lang, int timeout_ms,
                   int quiet, unsigned char *made, lb_err *e)
{
    gp *g = NULL;
    int rc = -1, have_env = 0;
    pngenc enc;              /* the run's PNG encoder (pngenc.h): it draws PNGs too */
    figcache_key env;
    char *src = NULL, *out = NULL, *path = NULL, *stem = NULL, *script = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0, olen = 0;
        int changed = 0;
        made[i] = 0;
        free(path);
        free(src);
        free(out);
        src = out = NULL;
        path = S_cat(figdir, "/", names[i], ".gp");
        if (!path) {
            err_nomem(e);
            goto done;
        }
        if (S_read(path, &src, &len, e) < 0 ||
            figlang_rewrite(src, len, names[i], lang, &out, &olen, &changed,
                            e) < 0)
            goto done;
        if (!changed)
            continue;                 /* nothing to translate: NAME.svg */
        free(stem);
        free(script);
        free(path);
        script = NULL;
        stem = S_cat(names[i], ".", lang, "");
        path = stem ? S_cat(figdir, "/", stem, ".gp") : NULL;
        script = stem ? S_cat(stem, ".gp", "", "") : NULL;
        if (!path || !script) {
            err_nomem(e);
            goto done;
        }
        if (S_write(path, out, olen, e) < 0)
            goto done;
        if (!have_env) {
            pngenc_find(&enc);
            figcache_env(enc.path, enc.deflater, &env);
            have_env = 1;
        }
        /* unchanged since the previous run: its outputs, not gnuplot's */
        figcache_key key;
        lb_err ke;
        err_clear(&ke);
        int keyed = figcache_key_of(figdir, datadir_rel, stem, names[i], &env, &key, &ke) == 0;
        if (keyed && figcache_reuse(cache_dir, figdir, stem, &key)) {
            made[i] = 1;
            if (!quiet)
                fprintf(stderr, "lossbook: figure %-8s -> %s/%s.png, %s.svg (unchanged: reused)\n",
                        stem, figdir, stem, stem);
            continue;
        }
        if (!g) {
            g = gp_new_preload(figdir, enc.path[0] ? enc.path : NULL, e);
            if (!g)
                goto done;
            if (timeout_ms > 0)
                gp_set_timeout(g, timeout_ms);
        }
        if (gp_load(g, script, stem, e) < 0)
            goto done;
        if (fig_check_output(figdir, stem, ".png", NULL, e) != 0 ||
            fig_check_output(figdir, stem, ".svg", NULL, e) != 0 ||
            fig_check_output(figdir, stem, ".dark.png", NULL, e) != 0 ||
            (keyed && figcache_record(figdir, stem, &key, e) < 0))
            goto done;
        made[i] = 1;
        if (!quiet)
            fprintf(stderr, "lossbook: figure %-8s -> %s/%s.png, %s.svg\n",
                    stem, figdir, stem, stem);
    }
    rc = 0;
done:
    gp_free(g);
    free(path);
    free(src);
    free(out);
    free(stem);
    free(script);
    return rc;
}
