#!/usr/bin/env python3
"""Independent reference values for tests/test_example_opts.c (issue 17):
F.cross_entropy's options (weight, label_smoothing, ignore_index, reduction)
as PyTorch documents them, evaluated with mpmath at 50 digits from the
logits as typed.  Nothing here reads the program's output.

PyTorch (torch.nn.CrossEntropyLoss docs, class-index targets):
  l_n = (1 - eps) * w[y_n] * (-log p_{n,y_n})
        + (eps / C) * sum_c w[c] * (-log p_{n,c})       (0 if y_n == ignore_index)
  mean = sum_n l_n / sum_{n not ignored} w[y_n]; sum = sum_n l_n.
The gradient of l_n w.r.t. z_n is p * ((1-eps) w[y] + eps/C sum_c w[c])
  - ((1-eps) w[y] [k == y] + eps/C w[k]); the mean's divides by sum w[y_n].

Run:  python3 tests/ref/examples_reference.py
"""
from mpmath import mp, mpf, exp, log
mp.dps = 50

def f(s):  # a typed decimal, rounded to the double the JSON reader makes
    return mpf(float(s))

# tests/fixtures/json/options.json
Z = [["1.5", "-0.5", "0.25", "2.0"],
     ["0.0", "3.0", "-1.0", "0.5"],
     ["-2.0", "1.0", "1.0", "0.0"],
     ["0.75", "0.75", "-0.25", "0.1"]]
Y = [3, -100, 2, 0]
W = ["1.0", "2.0", "0.5", "1.0"]
EPS = "0.1"
LR = "1.5"

def rows(Z):
    return [[f(x) if isinstance(x, str) else x for x in z] for z in Z]

def softmax(z):
    m = max(z)
    e = [exp(x - m) for x in z]
    s = sum(e)
    return [x / s for x in e], m + log(s)

def row_loss(z, y, w, eps):
    C = len(z)
    p, lse = softmax(z)
    nll = [lse - x for x in z]
    return (1 - eps) * w[y] * nll[y] + eps / C * sum(w[c] * nll[c] for c in range(C))

def run(Zr, Y, w, eps):
    ls, den = [], mpf(0)
    for z, y in zip(Zr, Y):
        if y == -100:
            ls.append(mpf(0))
            continue
        ls.append(row_loss(z, y, w, eps))
        den += w[y]
    return ls, den

Zr = rows(Z)
w = [f(x) for x in W]
eps = f(EPS)
lr = f(LR)
ls, den = run(Zr, Y, w, eps)
print("== per-row loss l_n (reduction='none')")
for n, l in enumerate(ls):
    print(n + 1, mp.nstr(l, 40))
print("sum", mp.nstr(sum(ls), 40))
print("den (sum of w[y] over active rows)", mp.nstr(den, 40))
print("mean", mp.nstr(sum(ls) / den, 40))

print("== per-row nll = -log p_target, p_target, rank, margin, argmax")
for n, (z, y) in enumerate(zip(Zr, Y)):
    p, lse = softmax(z)
    am = max(range(len(z)), key=lambda j: (z[j], -j))
    if y == -100:
        print(n + 1, "ignored", "argmax", am)
        continue
    rank = 1 + sum(1 for x in z if x > z[y])
    margin = z[y] - max(z[j] for j in range(len(z)) if j != y)
    print(n + 1, "nll", mp.nstr(lse - z[y], 40), "p", mp.nstr(p[y], 40), "rank", rank,
          "margin", mp.nstr(margin, 20), "argmax", am)

print("== one gradient-descent step on the mean, lr =", LR)
C = 4
wall = sum(w)
after = []
for z, y in zip(Zr, Y):
    if y == -100:
        after.append(mpf(0))
        continue
    p, _ = softmax(z)
    scale = (1 - eps) * w[y] + eps / C * wall
    g = [(p[k] * scale - ((1 - eps) * w[y] * (1 if k == y else 0) + eps / C * w[k])) / den
         for k in range(C)]
    za = [z[k] - lr * g[k] for k in range(C)]
    after.append(row_loss(za, y, w, eps))
for n, l in enumerate(after):
    print("after", n + 1, mp.nstr(l, 40))
print("after mean", mp.nstr(sum(after) / den, 40))

print("== confidence scenarios at position 1 of templates/examples/llm-batch.json")
# logits [2, 1, 0.1, 0, -1], target 0; the strongest other token is 1 (z = 1):
# the target's logit set to 1 + 3 (leads), 1 (level), 1 - 1 (trails).
base = [f("2.0"), f("1.0"), f("0.1"), f("0.0"), f("-1.0")]
for name, zt in [("given", f("2.0")), ("lead", f("4.0")), ("level", f("1.0")), ("trail", f("0.0"))]:
    z = [zt] + base[1:]
    p, lse = softmax(z)
    print(name, "p", mp.nstr(p[0], 40), "loss", mp.nstr(lse - zt, 40))
