#!/usr/bin/env python3
"""Independent reference for tests/test_check.c (lossbook check).
Standard library only: decimal at 50 digits.  Nothing here reads the
program's output.

Run:  python3 tests/ref/check_reference.py [--write-fixtures]

1. The true values of the default example (templates/examples/llm-batch.json,
   the logits typed below) at 50 digits, and every step of the chain
   (expz, sumexp, p, ptarget, loss, lse, maxlogit, z.shift, expz.shift,
   sumexp.shift, grad, loss.sum, loss.mean) rounded to 4 decimals:
   --write-fixtures writes them to tests/fixtures/check/true4.json (JSON) and
   true4.csv (CSV), the "right claims" of the tests.
2. The verdict on every claim of templates/examples/source-claims.json by
   the rule README.md states, implemented here on its own:
     holds      |c - t| <= 10^-d  (d = written decimals)
     from       the step applied to the written inputs, each standing for
                [c - u/2, c + u/2] (u = 10^-d), unwritten values derived from
                the values before them; a claim "follows" when it lies within
                one unit of that interval
     rounded    not holding, follows, no wrong value upstream
     slip       not holding, nothing wrong upstream, does not follow
     further    not holding, something wrong upstream, does not follow
     follows    not holding, something wrong upstream, follows
   The lists printed at the end are the expected sets in test_check.c.
"""
import json, os, sys
from decimal import Decimal as D, getcontext, ROUND_HALF_EVEN
getcontext().prec = 50

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
Z = [[2.0, 1.0, 0.1, 0.0, -1.0], [0.5, 2.1, -1.2, 0.3, 0.0],
     [1.2, 0.7, 0.3, 2.2, -0.5], [1.5, -0.5, 2.3, 0.0, 0.1],
     [0.3, 0.8, 1.5, -1.0, 2.0], [2.2, 1.0, 0.5, 0.3, 0.0]]
Y = [0, 1, 3, 2, 4, 1]
N, V = 6, 5

# ---- 1. true values -------------------------------------------------------
T = {}
for k in range(1, N + 1):
    z = [D(repr(x)) for x in Z[k - 1]]    # the decimal the JSON holds
    m = max(z)
    e = [x.exp() for x in z]
    s = sum(e)
    es = [(x - m).exp() for x in z]
    for j in range(V):
        T[f"z/{k}/{j}"] = z[j]
        T[f"z.shift/{k}/{j}"] = z[j] - m
        T[f"expz/{k}/{j}"] = e[j]
        T[f"expz.shift/{k}/{j}"] = es[j]
        T[f"p/{k}/{j}"] = e[j] / s
        T[f"grad/{k}/{j}"] = e[j] / s - (1 if j == Y[k - 1] else 0)
    T[f"maxlogit/{k}"] = m
    T[f"sumexp/{k}"] = s
    T[f"sumexp.shift/{k}"] = sum(es)
    T[f"lse/{k}"] = s.ln()
    T[f"ptarget/{k}"] = e[Y[k - 1]] / s
    T[f"loss/{k}"] = -(e[Y[k - 1]] / s).ln()
T["loss.sum"] = sum(T[f"loss/{k}"] for k in range(1, N + 1))
T["loss.mean"] = T["loss.sum"] / N

def r4(x):
    return str(x.quantize(D("0.0001"), rounding=ROUND_HALF_EVEN))

CHAIN = ["expz", "sumexp", "p", "ptarget", "loss", "lse", "maxlogit", "z.shift",
         "expz.shift", "sumexp.shift", "grad"]
true4 = {}
for k in range(1, N + 1):
    for stem in CHAIN:
        if f"{stem}/{k}" in T:
            true4[f"{stem}/{k}"] = r4(T[f"{stem}/{k}"])
        for j in range(V):
            if f"{stem}/{k}/{j}" in T:
                true4[f"{stem}/{k}/{j}"] = r4(T[f"{stem}/{k}/{j}"])
true4["loss.sum"] = r4(T["loss.sum"])
true4["loss.mean"] = r4(T["loss.mean"])

print("== true values (4 decimals) used by the tests")
for n in ["sumexp/4", "ptarget/4", "loss/4", "p/1/0", "loss/1", "loss.sum", "loss.mean",
          "sumexp/1", "loss/6"]:
    print(f"{n:12s} {T[n]:.10f}  -> {r4(T[n])}")

if "--write-fixtures" in sys.argv:
    d = os.path.join(ROOT, "tests", "fixtures", "check")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "true4.json"), "w") as f:
        f.write('{\n  "description": "Every step of the default example, true values rounded to '
                '4 decimals by tests/ref/check_reference.py (decimal, 50 digits)",\n'
                '  "example": "../../../templates/examples/llm-batch.json",\n  "claims": {\n')
        f.write(",\n".join(f'    "{k}": "{v}"' for k, v in true4.items()))
        f.write("\n  }\n}\n")
    with open(os.path.join(d, "true4.csv"), "w") as f:
        f.write("# every step of the default example, true values rounded to 4 decimals\n")
        f.write("# example: ../../../templates/examples/llm-batch.json\nname,value\n")
        for k, v in true4.items():
            f.write(f"{k},{v}\n")
    print(f"wrote {len(true4)} claims to {d}/true4.json and true4.csv")

# ---- 2. verdicts ------------------------------------------------------------

def unit(s):
    return D(10) ** -(len(s.split(".")[1]) if "." in s else 0)

def routes(n):
    """The ways n is computed: (operation, inputs), the usual one first."""
    p = n.split("/")
    if p[0] == "expz": return [("exp", [f"z/{p[1]}/{p[2]}"])]
    if p[0] == "sumexp": return [("sum", [f"expz/{p[1]}/{j}" for j in range(V)])]
    if p[0] == "maxlogit": return [("max", [f"z/{p[1]}/{j}" for j in range(V)])]
    if p[0] == "z.shift": return [("sub", [f"z/{p[1]}/{p[2]}", f"maxlogit/{p[1]}"])]
    if p[0] == "expz.shift": return [("exp", [f"z.shift/{p[1]}/{p[2]}"])]
    if p[0] == "sumexp.shift": return [("sum", [f"expz.shift/{p[1]}/{j}" for j in range(V)])]
    if p[0] == "lse": return [("ln", [f"sumexp/{p[1]}"]),
                              ("addln", [f"maxlogit/{p[1]}", f"sumexp.shift/{p[1]}"])]
    if p[0] == "p": return [("div", [f"expz/{p[1]}/{p[2]}", f"sumexp/{p[1]}"]),
                            ("div", [f"expz.shift/{p[1]}/{p[2]}", f"sumexp.shift/{p[1]}"])]
    if p[0] == "ptarget": return [("copy", [f"p/{p[1]}/{Y[int(p[1]) - 1]}"])]
    if p[0] == "loss": return [("negln", [f"ptarget/{p[1]}"]),
                               ("sub", [f"lse/{p[1]}", f"z/{p[1]}/{Y[int(p[1]) - 1]}"])]
    if n == "loss.sum": return [("sum", [f"loss/{k}" for k in range(1, N + 1)])]
    if n == "loss.mean": return [("mean", ["loss.sum"])]
    return []

def route(n, C):
    """The route n was worked by: the one with the most written inputs
    (the usual one on a tie)."""
    rs = routes(n)
    if not rs: return None, []
    return max(rs, key=lambda r: (sum(1 for i in r[1] if i in C), -rs.index(r)))

def step(op, iv):
    """The operation applied to intervals iv (list of (lo, hi))."""
    if op == "exp": return (iv[0][0].exp(), iv[0][1].exp())
    if op == "ln": return (iv[0][0].ln(), iv[0][1].ln())
    if op == "addln": return (iv[0][0] + iv[1][0].ln(), iv[0][1] + iv[1][1].ln())
    if op == "sum": return (sum(x[0] for x in iv), sum(x[1] for x in iv))
    if op == "max": return (max(x[0] for x in iv), max(x[1] for x in iv))
    if op == "sub": return (iv[0][0] - iv[1][1], iv[0][1] - iv[1][0])
    if op == "div": return (iv[0][0] / iv[1][1], iv[0][1] / iv[1][0])
    if op == "copy": return iv[0]
    if op == "negln": return (-iv[0][1].ln(), -iv[0][0].ln())
    if op == "mean": return (iv[0][0] / N, iv[0][1] / N)

def verdicts(C):
    memo = {}
    def inputs(n):
        return route(n, C)[1]
    def written(n):
        """What the written values give for n, as an interval.  A value
        written exactly (z - m = -1.3, e^0 = 1.0000) is that number."""
        if n in memo: return memo[n]
        if n in C:
            c, u = D(C[n]), unit(C[n])
            memo[n] = (c, c) if c == T[n] else (c - u / 2, c + u / 2)
        elif not inputs(n):
            memo[n] = (T[n], T[n])
        else:
            op, ins = route(n, C)
            memo[n] = step(op, [written(i) for i in ins])
        return memo[n]
    def holds(n):
        return abs(D(C[n]) - T[n]) <= unit(C[n])
    out = {}
    def verdict(n):
        """right, rounded (both hold), slip, further or follows."""
        if n in out: return out[n]
        if holds(n):
            out[n] = "right"
        elif not inputs(n):
            out[n] = "slip"
        else:
            op, ins = route(n, C)
            lo, hi = step(op, [written(i) for i in ins])
            u = unit(C[n])
            follows = lo - u <= D(C[n]) <= hi + u
            if wrong_upstream(n):
                out[n] = "follows" if follows else "further"
            else:
                out[n] = "rounded" if follows else "slip"
        return out[n]
    def wrong_upstream(n):
        # a written input that is wrong (a rounded one holds), or an
        # unwritten one computed from something wrong
        for i in inputs(n):
            if i in C:
                if verdict(i) in ("slip", "further", "follows"):
                    return True
            elif wrong_upstream(i):
                return True
        return False
    for n in C:
        verdict(n)
    # right values a wrong one goes into without giving them (the report:
    # "hold, although your values give ...: not computed from ...")
    for n in C:
        op, ins = route(n, C)
        if out[n] == "right" and ins and wrong_upstream(n):
            lo, hi = step(op, [written(i) for i in ins])
            u = unit(C[n])
            if not (lo - u <= D(C[n]) <= hi + u):
                out[n] = "right anyway"
    return out

def show(title, C):
    v = verdicts(C)
    print(f"== {title}")
    for kind in ["slip", "further", "follows", "rounded", "right anyway"]:
        names = [n for n in C if v[n] == kind]
        print(f"   {kind} ({len(names)}): " + " ".join(names))
    print(f"   right ({sum(1 for x in v.values() if x.startswith('right'))})")

C = json.load(open(os.path.join(ROOT, "templates", "examples", "source-claims.json")))["claims"]
show("source-claims.json", C)
ls = sum(D(C[f"loss/{k}"]) for k in range(1, N + 1))
print(f"   the source's six losses add up to {ls}, mean {(ls / N):.6f}")

# Case A (test_check.c): position 4's sum off by one, everything after it
# computed correctly from it (4 decimals), the mean from those losses.
A = {f"expz/4/{j}": true4[f"expz/4/{j}"] for j in range(V)}
A["sumexp/4"] = "16.1676"
A["p/4/2"] = r4(D(A["expz/4/2"]) / D("16.1676"))
A["ptarget/4"] = A["p/4/2"]
A["loss/4"] = r4(-D(A["ptarget/4"]).ln())
A["loss.mean"] = r4((sum(D(true4[f"loss/{k}"]) for k in (1, 2, 3, 5, 6)) + D(A["loss/4"])) / N)
print("   case A:", A)
show("case A", A)
# Case B: every loss right, the mean typed wrong.
B = {f"loss/{k}": true4[f"loss/{k}"] for k in range(1, N + 1)}
B["loss.mean"] = "0.7643"
show("case B", B)
# Case C: the sum off, and p_2 not even what the wrong sum gives.
Cc = {"sumexp/4": "16.1676", "p/4/2": "0.6179"}
show("case C", Cc)

# Case D: the max-subtracted route at position 3 (m = 2.2), e^(z_1 - m) =
# e^-1.5 = 0.2231 written 0.2213; everything after it computed from the
# written values by that route (4 decimals).  z - m written with one
# decimal is exact, so it does not excuse the slip.
Dd = {"maxlogit/3": "2.2"}
for j in range(V):
    Dd[f"z.shift/3/{j}"] = str((T[f"z/3/{j}"] - T["maxlogit/3"]).quantize(D("0.1")))
    Dd[f"expz.shift/3/{j}"] = true4[f"expz.shift/3/{j}"]
Dd["expz.shift/3/1"] = "0.2213"
Dd["sumexp.shift/3"] = r4(sum(D(Dd[f"expz.shift/3/{j}"]) for j in range(V)))
Dd["p/3/1"] = r4(D(Dd["expz.shift/3/1"]) / D(Dd["sumexp.shift/3"]))
Dd["p/3/3"] = r4(D(Dd["expz.shift/3/3"]) / D(Dd["sumexp.shift/3"]))
Dd["ptarget/3"] = Dd["p/3/3"]
Dd["loss/3"] = r4(-D(Dd["ptarget/3"]).ln())
print("   case D:", Dd)
show("case D", Dd)
# Case E: the log-sum-exp route at position 4: lse = ln 17.1676 = 2.8430
# written 2.8340, the loss as lse - z_y = 2.8340 - 2.3 from it.
Ee = {"lse/4": "2.8340", "loss/4": str(D("2.8340") - T["z/4/2"])}
print("   case E:", Ee, "lse/4 true", r4(T["lse/4"]))
show("case E", Ee)

# Case I: the log-sum-exp by the max-subtracted route at position 3 (as in
# case D: e^-1.5 = 0.2231 written 0.2213, so the sum 1.8060), lse written
# as m + ln 1.8060 and the loss as lse - z_y (z_y = z_3 = 2.2).
Ii = {k: Dd[k] for k in ["maxlogit/3"] + [f"expz.shift/3/{j}" for j in range(V)] + ["sumexp.shift/3"]}
Ii["lse/3"] = r4(D("2.2") + D(Ii["sumexp.shift/3"]).ln())
Ii["loss/3"] = str(D(Ii["lse/3"]) - T["z/3/3"])
print("   case I:", Ii, "lse/3 true", r4(T["lse/3"]), "loss/3 true", r4(T["loss/3"]))
show("case I", Ii)

# Case F: another example (tests/fixtures/check/exa-4x3.json: 1 x 4
# positions x 3 tokens, no token names), every step written to 4 decimals,
# one slip in the middle: e^1.9 at position 3 written 6.8859 (true 6.6859),
# everything after it computed from the written values, the mean too.
Z = [[1.2, -0.4, 0.3], [0.0, 2.5, -1.1], [-0.7, 0.6, 1.9], [0.8, 0.8, -0.2]]
Y = [2, 1, 0, 1]
N, V = 4, 3
T = {}
for k in range(1, N + 1):
    z = [D(repr(x)) for x in Z[k - 1]]
    e = [x.exp() for x in z]
    s = sum(e)
    for j in range(V):
        T[f"z/{k}/{j}"] = z[j]
        T[f"expz/{k}/{j}"] = e[j]
        T[f"p/{k}/{j}"] = e[j] / s
    T[f"sumexp/{k}"] = s
    T[f"ptarget/{k}"] = e[Y[k - 1]] / s
    T[f"loss/{k}"] = -(e[Y[k - 1]] / s).ln()
T["loss.sum"] = sum(T[f"loss/{k}"] for k in range(1, N + 1))
T["loss.mean"] = T["loss.sum"] / N
F = {}
for k in range(1, N + 1):
    ex = [r4(T[f"expz/{k}/{j}"]) for j in range(V)]
    if k == 3:
        ex[2] = "6.8859"
    for j in range(V):
        F[f"expz/{k}/{j}"] = ex[j]
    F[f"sumexp/{k}"] = r4(sum(D(x) for x in ex))
    for j in range(V):
        F[f"p/{k}/{j}"] = r4(D(ex[j]) / D(F[f"sumexp/{k}"]))
    F[f"ptarget/{k}"] = F[f"p/{k}/{Y[k - 1]}"]
    F[f"loss/{k}"] = r4(-D(F[f"ptarget/{k}"]).ln())
F["loss.sum"] = str(sum(D(F[f"loss/{k}"]) for k in range(1, N + 1)))
F["loss.mean"] = r4(D(F["loss.sum"]) / N)
print("   case F true:", {n: r4(T[n]) for n in ["sumexp/3", "p/3/0", "loss/3", "loss.sum", "loss.mean"]})
print("   case F:", F)
show("case F", F)
if "--write-fixtures" in sys.argv:
    d = os.path.join(ROOT, "tests", "fixtures", "check")
    with open(os.path.join(d, "exa-4x3.json"), "w") as f:
        f.write('{\n  "description": "A second shape for the check tests: 1 x 4 positions x 3 tokens, '
                'no token names (tests/ref/check_reference.py, case F)",\n'
                '  "batch_size": 1,\n  "seq_length": 4,\n  "vocab_size": 3,\n'
                f'  "logits": [{json.dumps(Z)}],\n  "targets": [{json.dumps(Y)}]\n}}\n')
    with open(os.path.join(d, "slip-middle.json"), "w") as f:
        f.write('{\n  "description": "Case F of tests/ref/check_reference.py: every step by hand to '
                '4 decimals, e^1.9 at position 3 written 6.8859, the rest computed from it",\n'
                '  "example": "exa-4x3.json",\n  "claims": {\n')
        f.write(",\n".join(f'    "{k}": "{v}"' for k, v in F.items()))
        f.write("\n  }\n}\n")
    print(f"wrote exa-4x3.json and slip-middle.json to {d}")

# Case G (same example): the sum at position 1 written 5.4403 (true 5.3403),
# yet the p_j right: not computed from it.  What the written values give:
G = {f"expz/1/{j}": r4(T[f"expz/1/{j}"]) for j in range(V)}
G["sumexp/1"] = "5.4403"
for j in range(V):
    G[f"p/1/{j}"] = r4(T[f"p/1/{j}"])
print("   case G gives:", [r4(D(G[f"expz/1/{j}"]) / D("5.4403")) for j in range(V)])
show("case G", G)
# Case H: the losses to 4 decimals, the loss at position 3 off (2.9188),
# the sum and the mean right all the same.
H = {f"loss/{k}": r4(T[f"loss/{k}"]) for k in range(1, N + 1)}
H["loss/3"] = "2.9188"
H["loss.sum"] = r4(T["loss.sum"])
H["loss.mean"] = r4(T["loss.mean"])
print("   case H:", H, "written losses add up to", sum(D(H[f"loss/{k}"]) for k in range(1, N + 1)))
show("case H", H)
