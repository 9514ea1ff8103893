#!/usr/bin/env python3
"""The worksheet filled in by hand (issue 11's "done when"), for
tests/test_check.c and tests/fixtures/check/seed42-answers.csv.

Run in a folder holding what `lossbook --worksheet --seed 42` wrote
(worksheet-example.json, worksheet-claims.csv): it fills the blanks of the
CSV in place.  Nothing here reads the program's values: only the logits and
targets printed on the sheet (the example file), and the names of the blanks.
"""
# My own hand calculation of the seed-42 worksheet (math module, like a
# calculator), four decimals written, full precision carried.  One
# deliberate slip: at position 3 I copy e^0.4 = 1.4918 as 1.4198, and carry
# on consistently from what I wrote.
import json, math
ex = json.load(open("worksheet-example.json"))
Z = [row for seq in ex["logits"] for row in seq]
Y = [y for seq in ex["targets"] for y in seq]
ans = {}
losses = []
for k, (z, y) in enumerate(zip(Z, Y), 1):
    e = [math.exp(v) for v in z]
    if k == 3:
        e[0] = 1.4198          # the slip: digits swapped when copying
    s = sum(e)
    p = [x / s for x in e]
    loss = -math.log(p[y])
    for j, x in enumerate(e): ans[f"expz/{k}/{j}"] = f"{x:.4f}"
    ans[f"sumexp/{k}"] = f"{s:.4f}"
    for j, x in enumerate(p): ans[f"p/{k}/{j}"] = f"{x:.4f}"
    ans[f"ptarget/{k}"] = f"{p[y]:.4f}"
    ans[f"loss/{k}"] = f"{loss:.4f}"
    losses.append(loss)
ans["loss.mean"] = f"{sum(losses) / len(losses):.4f}"
out = []
for line in open("worksheet-claims.csv"):
    line = line.rstrip("\n")
    if line.endswith(",") and not line.startswith("#") and line != "name,value":
        name = line[:-1]
        line = f"{name},{ans[name]}"
    out.append(line)
open("worksheet-claims.csv", "w").write("\n".join(out) + "\n")
print(ans["expz/3/0"], ans["sumexp/3"], ans["loss/3"], ans["loss.mean"])
