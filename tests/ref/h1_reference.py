#!/usr/bin/env python3
"""Independent reference values for tests/test_numerics.c, test_example.c,
test_catalog.c (h1-compute).  Standard library only: decimal at 40 digits.

Run:  python3 tests/ref/h1_reference.py
Every number asserted in those tests is printed here; the C tests quote the
line they use.  Nothing here reads the program's output.
"""
from decimal import Decimal as D, getcontext
getcontext().prec = 40

def d(x):  # the exact value of the double literal x
    return D(x) if isinstance(x, str) else D(float(x))

Z = [[2.0, 1.0, 0.1, 0.0, -1.0], [0.5, 2.1, -1.2, 0.3, 0.0],
     [1.2, 0.7, 0.3, 2.2, -0.5], [1.5, -0.5, 2.3, 0.0, 0.1],
     [0.3, 0.8, 1.5, -1.0, 2.0], [2.2, 1.0, 0.5, 0.3, 0.0]]
Y = [0, 1, 3, 2, 4, 1]

def softmax(z):
    e = [d(x).exp() for x in z]
    s = sum(e)
    return [x / s for x in e], e, s

def logsoftmax(z):
    p, e, s = softmax(z)
    return [d(x) - s.ln() for x in z]

print("== per-position (sumexp, p_target, loss)")
L = []
for n, (z, y) in enumerate(zip(Z, Y)):
    p, e, s = softmax(z)
    L.append(-p[y].ln())
    print(n + 1, "sumexp", s, "p_target", p[y], "loss", L[-1], "lse", s.ln())
print("mean", sum(L) / 6, "sum", sum(L))

print("== gradient-descent step, lr = 2: z' = z - lr (p - y)/6")
lr = D(2)
La = []
for z, y in zip(Z, Y):
    p, _, _ = softmax(z)
    za = [d(z[j]) - lr * (p[j] - (1 if j == y else 0)) / 6 for j in range(5)]
    pa, _, _ = softmax(za)
    La.append(-pa[y].ln())
print("after per position", La)
print("after mean", sum(La) / 6)
p6, _, _ = softmax(Z[5])
print("grad row 6 (p - y)", [p6[j] - (1 if j == Y[5] else 0) for j in range(5)])

print("== PyTorch F.cross_entropy formulas on rows 1..3, targets [0, -100, 3]")
# l_n = (1-eps) w[y] (-logp[y]) + eps/C sum_c w[c] (-logp[c]);  mean divides
# by sum of w[y_n] over non-ignored rows (count when no weight).
rows = Z[:3]
T3 = [0, -100, 3]
W = [d("0.5"), d("1.0"), d("2.0"), d("1.5"), d("0.25")]
def ce(rows, T, eps, w):
    C = len(rows[0]); ls = []; den = D(0)
    for z, y in zip(rows, T):
        if y == -100:
            ls.append(D(0)); continue
        lp = logsoftmax(z)
        wy = w[y] if w else D(1)
        sm = sum((w[c] if w else D(1)) * -lp[c] for c in range(C))
        ls.append((1 - eps) * wy * -lp[y] + eps / C * sm)
        den += wy
    return ls, sum(ls), sum(ls) / den
for eps, w, tag in [(D(0), None, "plain"), (D("0.1"), None, "eps0.1"),
                    (D(0), W, "weight"), (D("0.1"), W, "eps0.1+weight")]:
    ls, s, m = ce(rows, T3, eps, w)
    print(tag, "none", ls, "sum", s, "mean", m)

print("== extreme logits (exact)")
ln2 = D(2).ln()
print("lse([1e4,1e4]) =", D(10000) + ln2)
print("lse([-1e4,-1e4]) =", D(-10000) + ln2)
print("CE([1e4, 1e4-1], target 1) =", 1 + (1 + D(-1).exp()).ln())
print("CE([0, -1e4], target 1) = 1e4 + ln(1+e^-1e4) -> 10000 in double")

print("== fixed examples")
for name, z0 in [("high", 5.0), ("moderate", 2.0), ("low", 0.5)]:
    p, _, _ = softmax([z0, 1.0, 0.1, 0.0, -1.0])
    print("conf", name, "p", p[0], "loss", -p[0].ln())
for p in ["0.01", "0.1", "0.2", "0.3", "0.5", "0.7", "0.9", "1.0"]:
    print("logp", p, d(float(p)).ln())
for q in ["0.7", "0.9", "0.2"]:
    print("bce q", q, -d(float(q)).ln())
print("multiclass c=2", -d(0.7).ln(), "c=0", -d(0.1).ln())
