#!/usr/bin/python3
"""What a user would otherwise run on a real model's output: load the .npy
files with numpy and compute F.cross_entropy's per-row loss and mean (the
stable log-sum-exp form), printing the mean.

  npy_np.py LOGITS.npy TARGETS.npy
"""
import sys

import numpy as np

z = np.load(sys.argv[1]).astype(np.float64)
t = np.load(sys.argv[2])
m = z.max(axis=1, keepdims=True)
lse = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
loss = lse - z[np.arange(z.shape[0]), t]
print("%.10f" % loss.mean())
