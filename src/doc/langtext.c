/* langtext — see langtext.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc/langtext.h"

/* sub: the entry may also translate a captured part (a phrase the
 * catalogue inserts into a sentence), never a token name or a number. */
typedef struct { const char *en, *zh; int sub; } S_entry;

/* Chinese.  Order matters where one English text begins like another: the
 * longer entry first. */
static const S_entry S_zh[] = {
    /* captions */
    { "$\\log p$ and $-\\log p$ at a few probabilities",
      "若干概率处的 $\\log p$ 与 $-\\log p$", 0 },
    { "Binary cross-entropy $-[y \\log Q + (1 - y) \\log(1 - Q)]$ for the true "
      "label $y = 1$",
      "真实标签 $y = 1$ 时的二元交叉熵 $-[y \\log Q + (1 - y) \\log(1 - Q)]$", 0 },
    { "How the loss at position {} reacts to the target's logit, all others kept",
      "其余 logits 不变时，位置 {1} 的损失如何随目标的 logit 变化", 0 },
    { "Logits reshaped to $[B \\cdot T, V]$, one row per position, with the "
      "target token $y_n$",
      "变形为 $[B \\cdot T, V]$ 的 logits，每个位置一行，附目标词元 $y_n$", 0 },
    { "Loss of random logits $z_j \\sim \\mathcal{N}(0, \\sigma^2)$ against "
      "$\\ln V$",
      "随机 logits $z_j \\sim \\mathcal{N}(0, \\sigma^2)$ 的损失与 $\\ln V$ 的比较", 0 },
    { "One gradient-descent step on the logits, $z \\leftarrow z - \\eta\\, "
      "\\partial L / \\partial z$ with $\\eta = {}$: the loss at every position "
      "before and after",
      "在 logits 上走一步梯度下降 $z \\leftarrow z - \\eta\\, \\partial L / "
      "\\partial z$，$\\eta = {1}$：每个位置在这一步前后的损失", 0 },
    { "Position {} ($b = {}$, $t = {}$): target token {} ({}), $-\\log "
      "p_{\\text{target}} = {}$, loss $\\ell_n = {}$",
      "位置 {1}（$b = {2}$，$t = {3}$）：目标词元 {4}（{5}），$-\\log "
      "p_{\\text{target}} = {6}$，损失 $\\ell_n = {7}$", 0 },
    { "Position {} ($b = {}$, $t = {}$): target token {}, $-\\log "
      "p_{\\text{target}} = {}$, loss $\\ell_n = {}$",
      "位置 {1}（$b = {2}$，$t = {3}$）：目标词元 {4}，$-\\log "
      "p_{\\text{target}} = {5}$，损失 $\\ell_n = {6}$", 0 },
    { "Position {} ($b = {}$, $t = {}$): target token {} ({}), $-\\log "
      "p_{\\text{target}} = {}$",
      "位置 {1}（$b = {2}$，$t = {3}$）：目标词元 {4}（{5}），$-\\log "
      "p_{\\text{target}} = {6}$", 0 },
    { "Position {} ($b = {}$, $t = {}$): target token {}, $-\\log "
      "p_{\\text{target}} = {}$",
      "位置 {1}（$b = {2}$，$t = {3}$）：目标词元 {4}，$-\\log "
      "p_{\\text{target}} = {5}$", 0 },
    { "Position {} ($b = {}$, $t = {}$): target {}, the ignore index: no loss",
      "位置 {1}（$b = {2}$，$t = {3}$）：目标 {4} 为忽略下标，没有损失", 0 },
    { "Reshape $[B, T, V] \\to [B \\cdot T, V]$: where each position $(b, t)$ "
      "lands",
      "形状变换 $[B, T, V] \\to [B \\cdot T, V]$：每个位置 $(b, t)$ 落在哪一行", 0 },
    { "The gradient of each position's loss with respect to its logits",
      "每个位置的损失对其 logits 的梯度", 0 },
    { "The positions of the batch: the sum of exponentials, the target's "
      "probability and its loss",
      "批次中的各位置：指数之和、目标的概率及其损失", 0 },
    { "Three classes, one prediction $Q$, two possible true classes",
      "三个类别、一个预测 $Q$、两种可能的真实类别", 0 },
    { "Every position of the batch: the sum of exponentials, the target's "
      "probability and its loss",
      "批次中的每个位置：指数之和、目标的概率及其损失", 0 },
    { "Gradient rows $p - y$ of the loss with respect to the logits; with the "
      "mean reduction $\\partial L / \\partial z_n = (p_n - y_n) / N$, $N = {}$",
      "损失对 logits 的梯度行 $p - y$；均值归约下 $\\partial L / \\partial z_n = "
      "(p_n - y_n) / N$，$N = {1}$", 0 },
    { "How the loss reacts to the model's confidence in the correct token "
      "(target {})",
      "损失如何随模型对正确词元的置信度变化（目标为 {1}）", 0 },
    /* notes */
    { "logits.view(-1, V) and targets.view(-1) keep the order: row index "
      "$n - 1 = (b-1)\\,T + (t-1)$ counted from 0.",
      "logits.view(-1, V) 与 targets.view(-1) 保持顺序：从 0 开始的行下标为 "
      "$n - 1 = (b-1)\\,T + (t-1)$。", 0 },
    { "The mean is over all positions: $\\mathcal{L} = \\frac{1}{N} \\sum_n "
      "-\\log p_{\\text{target}}$.",
      "均值对所有位置求：$\\mathcal{L} = \\frac{1}{N} \\sum_n -\\log "
      "p_{\\text{target}}$。", 0 },
    { "$\\ell_n$ is the loss of position $n$ with the example's options (0 "
      "where the target is ignored); the mean divides $\\sum_n \\ell_n$ by {}.",
      "$\\ell_n$ 是位置 $n$ 在本例选项下的损失（目标被忽略处为 0）；均值把 "
      "$\\sum_n \\ell_n$ 除以{1}。", 0 },
    { "the sum of the target weights $\\sum_n w_{y_n}$",
      "目标权重之和 $\\sum_n w_{y_n}$", 1 },
    { "the number of positions that count", "计入的位置数", 1 },
    { "Row $n = (b-1)\\,T + t$; the target's logit is marked.",
      "第 $n = (b-1)\\,T + t$ 行；目标的 logit 加粗标出。", 0 },
    { "The expected loss, computed as two one-dimensional integrals; every digit shown is correct.",
      "期望损失，由两个一维积分算出；所示的每一位数字都是准确的。", 0 },
    { "Entry $j$ of row $n$ is $p_{n,j} - [j = y_n]$: negative only at the "
      "target, and each row sums to 0. The mean reduction divides by $N = {}$.",
      "第 $n$ 行第 $j$ 个元素为 $p_{n,j} - [j = y_n]$：只有目标处为负，每行之和"
      "为 0。均值归约除以 $N = {1}$。", 0 },
    { "Entry $j$ of row $n$ is $\\partial \\ell_n / \\partial z_{n,j}$, the "
      "softmax times a constant minus the smoothed, weighted target; each row "
      "sums to 0, and ignored rows are 0. The mean reduction divides by the "
      "same sum as the loss.",
      "第 $n$ 行第 $j$ 个元素为 $\\partial \\ell_n / \\partial z_{n,j}$，即 "
      "softmax 乘以一个常数再减去平滑、加权后的目标；每行之和为 0，被忽略的行为 "
      "0。均值归约除以与损失相同的和。", 0 },
    { "Entry $j$ of row $n$ is $\\partial \\ell_n / \\partial z_{n,j}$, the "
      "softmax times a constant minus the smoothed, weighted target; each row "
      "sums to 0, and ignored rows are 0.",
      "第 $n$ 行第 $j$ 个元素为 $\\partial \\ell_n / \\partial z_{n,j}$，即 "
      "softmax 乘以一个常数再减去平滑、加权后的目标；每行之和为 0，被忽略的行为 "
      "0。", 0 },
    { "$m = \\max_j z_j = {}$; $\\log \\sum_j e^{z_j} = m + \\log \\sum_j "
      "e^{z_j - m} = {}$.",
      "$m = \\max_j z_j = {1}$；$\\log \\sum_j e^{z_j} = m + \\log \\sum_j "
      "e^{z_j - m} = {2}$。", 0 },
    { "Positions {} to {} are left out; data/positions.csv lists every "
      "position.",
      "位置 {1} 到 {2} 未列出；data/positions.csv 列出了每个位置。", 0 },
    { "Positions {} to {} are left out (the {} with the highest $-\\log "
      "p_{\\text{target}}$ are among the first {}); data/positions.csv lists "
      "every position.",
      "位置 {1} 到 {2} 未列出（$-\\log p_{\\text{target}}$ 最高的 {3} 个都在前 {4} "
      "个之中）；data/positions.csv 列出了每个位置。", 0 },
    { "Positions {} to {} are left out except {} among the {} with the highest "
      "$-\\log p_{\\text{target}}$; data/positions.csv lists every position.",
      "位置 {1} 到 {2} 未列出，只有 $-\\log p_{\\text{target}}$ 最高的 {4} 个中"
      "位于其中的{3}除外；data/positions.csv 列出了每个位置。", 0 },
    { "the one", "那一个", 1 },
    { "those", "那些", 1 },
    { "The {} most probable tokens and the target are listed; the row "
      "\"others\" adds up the other {}; the sums run over all {}.",
      "列出概率最高的 {1} 个词元和目标；“其余”一行合计另外 {2} 个；各个和取遍"
      "全部 {3} 个。", 0 },
    { "The {} most probable tokens are listed; the row \"others\" adds up the "
      "other {}; the sums run over all {}.",
      "列出概率最高的 {1} 个词元；“其余”一行合计另外 {2} 个；各个和取遍全部 {3} "
      "个。", 0 },
    { "The first {} of {} positions are shown.", "只列出 {2} 个位置中的前 {1} 个。", 0 },
    { "The first {} of {} tokens are shown.", "只列出 {2} 个词元中的前 {1} 个。", 0 },
    { "The first {} of {} scenarios are shown.", "只列出 {2} 种情形中的前 {1} 种。", 0 },
    /* headers and text cells */
    { "token", "词元", 0 },
    { "index $n - 1$", "下标 $n - 1$", 0 },
    { "true class $y$", "真实类别 $y$", 0 },
    { "target's logit", "目标的 logit", 0 },
    { "strongest other $z$", "最强竞争者的 $z$", 0 },
    { "loss before", "之前的损失", 0 },
    { "loss after", "之后的损失", 0 },
    { "change", "变化", 0 },
    { "confidence", "置信度", 0 },
    { "high", "高", 0 },
    { "moderate", "中", 0 },
    { "low", "低", 0 },
    { "mean", "均值", 0 },
    { "sum", "和", 0 },
    { "others", "其余", 0 },
    { "as given", "原值", 0 },
    { "leads by {}", "领先 {1}", 0 },
    { "level", "持平", 0 },
    { "trails by {}", "落后 {1}", 0 },
};

/* Match `s` against pattern `p` ("{}" captures); on success cap[i] /
 * caplen[i] hold the captures.  Captures are shortest-first, the last one
 * runs to the end. */
static int S_match(const char *p, const char *s, const char **cap,
                   size_t *caplen, int *ncap)
{
    *ncap = 0;
    for (;;) {
        const char *q = strstr(p, "{}");
        size_t lit = q ? (size_t)(q - p) : strlen(p);
        if (strncmp(s, p, lit) != 0)
            return 0;
        s += lit;
        if (!q)
            return *s == '\0';
        p = q + 2;
        if (*ncap == 9)
            return 0;
        const char *nq = strstr(p, "{}");
        size_t nlit = nq ? (size_t)(nq - p) : strlen(p);
        const char *end;
        if (!nq) {                       /* the last capture: to the end */
            size_t sl = strlen(s);
            if (sl < nlit || strcmp(s + sl - nlit, p) != 0)
                return 0;
            end = s + sl - nlit;
        } else if (nlit == 0) {
            return 0;                    /* two captures in a row */
        } else {
            char *lit2 = strndup(p, nlit);
            end = lit2 ? strstr(s, lit2) : NULL;
            free(lit2);
            if (!end)
                return 0;
        }
        if (end == s)
            return 0;                    /* captures are never empty */
        cap[*ncap] = s;
        caplen[(*ncap)++] = (size_t)(end - s);
        s = end;
    }
}

static const S_entry *S_table(const lang_info *lg, size_t *n)
{
    if (lg && strcmp(lg->code, "zh") == 0) {
        *n = sizeof S_zh / sizeof S_zh[0];
        return S_zh;
    }
    *n = 0;
    return NULL;
}

static char *S_tr_sub(const lang_info *lg, const char *en, int sub_only)
{
    size_t n;
    const S_entry *tab = S_table(lg, &n);
    if (!en || !*en)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (sub_only && !tab[i].sub)
            continue;
        const char *cap[9];
        size_t caplen[9];
        int nc;
        if (!S_match(tab[i].en, en, cap, caplen, &nc))
            continue;
        /* Fill the translation; each capture translated when it can be. */
        size_t cap_out = strlen(tab[i].zh) + strlen(en) * 4 + 64, k = 0;
        char *out = malloc(cap_out);
        if (!out)
            return NULL;
        for (const char *z = tab[i].zh; *z;) {
            if (z[0] == '{' && z[1] >= '1' && z[1] <= '9' && z[2] == '}' &&
                z[1] - '1' < nc) {
                int c = z[1] - '1';
                char *piece = strndup(cap[c], caplen[c]);
                char *tr = piece ? S_tr_sub(lg, piece, 1) : NULL;
                const char *use = tr ? tr : piece ? piece : "";
                size_t ul = strlen(use);
                if (k + ul + 1 > cap_out) {
                    char *bigger = realloc(out, k + ul + strlen(z) + 64);
                    if (!bigger) {
                        free(tr);
                        free(piece);
                        free(out);
                        return NULL;
                    }
                    out = bigger;
                    cap_out = k + ul + strlen(z) + 64;
                }
                memcpy(out + k, use, ul);
                k += ul;
                free(tr);
                free(piece);
                z += 3;
            } else {
                if (k + 2 > cap_out) {
                    char *bigger = realloc(out, cap_out * 2);
                    if (!bigger) {
                        free(out);
                        return NULL;
                    }
                    out = bigger;
                    cap_out *= 2;
                }
                out[k++] = *z++;
            }
        }
        out[k] = '\0';
        return out;
    }
    return NULL;
}

char *langtext_tr(const lang_info *lg, const char *en)
{
    return S_tr_sub(lg, en, 0);
}

/* s translated (or a copy); NULL only when out of memory. */
static char *S_tr(const lang_info *lg, const char *s)
{
    char *t = langtext_tr(lg, s);
    return t ? t : strdup(s ? s : "");
}

tbl *langtext_table(const lang_info *lg, const tbl *t, lb_err *e)
{
    tbl *o = tbl_new(t->name, t->ncols, e);
    char *s = NULL;
    if (!o)
        return NULL;
#define TR(x) (free(s), (s = S_tr(lg, (x))) != NULL)
    if (!TR(t->caption) || tbl_set_caption(o, s, e) != 0 ||
        !TR(t->note) || tbl_set_note(o, s, e) != 0)
        goto fail;
    for (size_t j = 0; j < t->ncols; j++)
        if (!TR(t->header[j]) || tbl_set_header(o, j, s, t->align[j], e) != 0)
            goto fail;
    for (size_t r = 0; r < t->nrows; r++) {
        if (tbl_add_row(o, e) < 0)
            goto fail;
        for (size_t j = 0; j < t->ncols; j++) {
            const tbl_cell *c = &t->rows[r].cells[j];
            /* Token names are names ("mean" may be a token): a "token"
             * cell is translated only in a total row or in the row that
             * adds up the others (no index in its first column). */
            int names = t->header[j] && strcmp(t->header[j], "token") == 0 &&
                        !t->rows[r].total && t->rows[r].cells[0].has_value;
            if (c->has_value || names ? tbl_set_text(o, r, j, c->text, e) != 0
                             : (!TR(c->text) || tbl_set_text(o, r, j, s, e) != 0))
                goto fail;
            tbl_cell *d = &o->rows[r].cells[j];
            d->value = c->value;
            d->has_value = c->has_value;
            d->is_int = c->is_int;
            d->mark = c->mark;
        }
        o->rows[r].mark = t->rows[r].mark;
        o->rows[r].total = t->rows[r].total;
    }
#undef TR
    free(s);
    return o;
fail:
    if (!e->code)
        err_nomem(e);
    free(s);
    tbl_free(o);
    return NULL;
}
