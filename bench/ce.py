#!/usr/bin/env python3
"""Reference cross-entropy (mean) + gradient in pure Python, the way a user
without PyTorch would compute it: same LCG data as bench_ce.c."""
import math, sys, time

def main():
    N, C, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    state = 12345
    def step():
        nonlocal state
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        return state
    z = [step() / 4294967296.0 * 8.0 - 4.0 for _ in range(N * C)]
    y = [step() % C for _ in range(N)]
    best = 1e30
    for _ in range(reps):
        t0 = time.perf_counter()
        total = 0.0
        grad = [0.0] * (N * C)
        for n in range(N):
            row = z[n * C:(n + 1) * C]
            m = max(row)
            ex = [math.exp(v - m) for v in row]
            s = sum(ex)
            lse = m + math.log(s)
            total += lse - row[y[n]]
            for j in range(C):
                grad[n * C + j] = (ex[j] / s - (1.0 if j == y[n] else 0.0)) / N
        loss = total / N
        best = min(best, time.perf_counter() - t0)
    print(f"python3     N={N} C={C} loss={loss:.12f}  best of {reps}: {best * 1e3:.2f} ms")

main()
