#!/usr/bin/python3
"""numpy's side of the cross-entropy kernel benchmark.

  kernel_np.py gen DIR N V SEED    write DIR/logits_f64.npy, logits_f32.npy
                                   (standard normal logits), targets.npy
  kernel_np.py time DIR DTYPE REPS time per-row loss over [N, V] two ways;
                                   prints "numpy DTYPE inplace MS MEAN" and
                                   "numpy DTYPE plain MS MEAN" (medians)

"plain" is what one writes first (max, exp of a shifted copy, sum, log);
"in place" reuses the array (z -= max; exp(z, out=z)) and is numpy's best
single-pass-ish form.  Only the computation is timed: the array is loaded
(and, for in place, copied) before the clock starts.
"""
import statistics
import sys
import time

import numpy as np


def gen(d, n, v, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, v))
    np.save(d + "/logits_f64.npy", z)
    np.save(d + "/logits_f32.npy", z.astype(np.float32))
    np.save(d + "/targets.npy", rng.integers(0, v, n, dtype=np.int64))


def timed(d, dtype, reps):
    z0 = np.load(d + "/logits_%s.npy" % ("f64" if dtype == "float64" else "f32"))
    t = np.load(d + "/targets.npy")
    n = z0.shape[0]
    rows = np.arange(n)
    ti, tp = [], []
    for _ in range(reps):
        z = z0.copy()
        t0 = time.perf_counter()
        m = z.max(axis=1, keepdims=True)
        np.subtract(z, m, out=z)
        zt = z[rows, t].copy()
        np.exp(z, out=z)
        loss_i = np.log(z.sum(axis=1)) - zt
        ti.append(time.perf_counter() - t0)
        del z
        t0 = time.perf_counter()
        m = z0.max(axis=1, keepdims=True)
        e = np.exp(z0 - m)
        loss_p = np.log(e.sum(axis=1)) + m[:, 0] - z0[rows, t]
        tp.append(time.perf_counter() - t0)
        del e
    print("numpy %s inplace %.2f %.17g" % (dtype, statistics.median(ti) * 1e3,
                                            float(np.mean(loss_i, dtype=np.float64))))
    print("numpy %s plain %.2f %.17g" % (dtype, statistics.median(tp) * 1e3,
                                          float(np.mean(loss_p, dtype=np.float64))))


def main():
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        timed(sys.argv[2], sys.argv[3], int(sys.argv[4]))


if __name__ == "__main__":
    main()
