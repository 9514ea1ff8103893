#!/usr/bin/python3
"""Time two commands in turn (A B A B ...), each REPS times after one
warm-up run each; print "MEDIAN_A_MS MEDIAN_B_MS RATIO PEAK_A_MIB" where
RATIO is the median of the per-pair ratios A/B (pairing keeps the ratio
meaningful while the machine's load drifts).

usage: pair.py REPS 'COMMAND_A' ['COMMAND_B'] [--prep 'COMMAND']
Commands run through /bin/sh from the current folder, output discarded;
--prep runs (untimed) before every run of A.  Without B, RATIO is 0.
"""
import os
import statistics
import subprocess
import sys
import time


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(["/bin/sh", "-c", cmd], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("pair.py: command failed: " + cmd)
    return dt, ru.ru_maxrss / 1024.0


def main():
    args = sys.argv[1:]
    prep = None
    if "--prep" in args:
        k = args.index("--prep")
        prep = args[k + 1]
        del args[k:k + 2]
    reps, a = int(args[0]), args[1]
    b = args[2] if len(args) > 2 else None
    ta, tb, peak = [], [], 0.0
    for i in range(reps + 1):
        if prep:
            subprocess.run(["/bin/sh", "-c", prep], check=True)
        da, pa = run(a)
        db = run(b)[0] if b else 0.0
        if i == 0:
            continue   # warm-up pair: caches, page cache, fontconfig
        ta.append(da)
        tb.append(db)
        peak = max(peak, pa)
    ratio = statistics.median([x / y for x, y in zip(ta, tb)]) if b else 0.0
    print("%.1f %.1f %.4f %.1f" % (statistics.median(ta) * 1e3,
                                   statistics.median(tb) * 1e3, ratio, peak))


if __name__ == "__main__":
    main()
