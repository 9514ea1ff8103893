#!/usr/bin/env bash
# make bench: lossbook against the tools its users would otherwise run, on
# this machine, in one run; prints ONE table (each case: the two medians,
# their ratio, the issue's goal, met or not) and the kernel's scaling table.
#
#   size      the handout PDF (goal: at most 300 KB)
#   run       a whole `lossbook` run into an empty folder, against a
#             matplotlib script drawing the same eight figures (PNG, SVG and
#             dark PNG) from the same data (bench/mpl_figures.py)
#   pdf       a run whose figures are all in the figure cache: the PDF and
#             the tables alone, against the same matplotlib script
#   make      `make report` with nothing changed (goal: under 50 ms)
#   ce f64/f32  the streaming cross-entropy kernel on [2048, 50257] against
#             numpy in place (and plain); GB/s, and % of the streaming read
#             bandwidth measured on the same array with the same threads
#   npy       the whole handout from that float32 file (--logits/--targets):
#             peak RSS (goal: file + 64 MiB) and time, against numpy loading
#             it and computing the mean loss (bench/npy_np.py)
# Every time is a median of REPS runs (A and B in turn, pairwise ratios).
# usage: bench/run.sh [BIN] [REPS]      (make bench runs it)
set -euo pipefail
BIN=${1:-build/lossbook}
REPS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
PY=/usr/bin/python3            # Debian's, where python3-numpy/matplotlib live
tmp=$(mktemp -d /tmp/lb-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$ROOT"

gcc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -iquote "$ROOT/src" \
    -o "$tmp/kernel_bench" "$ROOT/bench/kernel_bench.c" "$(dirname "$BIN")/liblossbook.a" -lm -lpthread

row() {  # case lossbook other ratio goal met notes
  printf "| %-22s | %12s | %14s | %7s | %-12s | %-4s | %s\n" "$@"
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "yes" : "NO" }'; }
load=$(cut -d' ' -f1-3 /proc/loadavg)

echo "lossbook bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $load, $REPS runs each"
echo
row "case" "lossbook" "other tool" "ratio" "goal" "met" "notes"
row "----" "--------" "----------" "-----" "----" "---" "-----"

# --- the handout: size, whole run, PDF alone --------------------------------
"$BIN" --quiet --out "$tmp/ref"
size=$(stat -L -c %s "$tmp/ref/report.pdf")   # report.pdf is a link into .lossbook/
row "PDF size" "$((size / 1024)) KB" "-" "-" "<= 300 KB" "$(le "$size" $((300 * 1024)))" \
    "$(pdfinfo "$tmp/ref/report.pdf" 2>/dev/null | awk '/^Pages/ {print $2}') pages"

mpl="$PY $ROOT/bench/mpl_figures.py $tmp/ref/data $tmp/mpl"
read -r a b r _ < <($PY bench/pair.py "$REPS" "$BIN --quiet --out $tmp/cold" "$mpl" \
                      --prep "rm -rf $tmp/cold")
row "whole run (cold)" "$a ms" "$b ms" "$r" "<= 0.20" "$(le "$r" 0.20)" "matplotlib: 8 figures x (PNG, SVG, dark PNG)"
read -r a b r _ < <($PY bench/pair.py "$REPS" "$BIN --quiet --out $tmp/ref" "$mpl")
row "PDF alone (figs cached)" "$a ms" "$b ms" "$r" "<= 0.05" "$(le "$r" 0.05)" "same output folder again"

# --- make report with nothing changed --------------------------------------
make -s --no-print-directory report OUT="$tmp/mk" >/dev/null 2>&1
read -r a _ _ _ < <($PY bench/pair.py "$REPS" "make -s --no-print-directory report OUT=$tmp/mk")
row "make report, no change" "$a ms" "-" "-" "< 50 ms" "$(le "$a" 50)" "second run onwards"

# --- the cross-entropy kernel -----------------------------------------------
N=2048 V=50257
$PY bench/kernel_np.py gen "$tmp" $N $V 15
for dt in float64 float32; do
  f=$tmp/logits_$([ $dt = float64 ] && echo f64 || echo f32).npy
  read -r _ _ _ _ km kg kmean krel < <("$tmp/kernel_bench" npy "$f" "$tmp/targets.npy" "$REPS" | grep '^kernel')
  read -r _ _ bg < <("$tmp/kernel_bench" npy "$f" "$tmp/targets.npy" "$REPS" | grep '^stream')
  npo=$($PY bench/kernel_np.py time "$tmp" $dt "$REPS")
  ni=$(echo "$npo" | awk '$3 == "inplace" {print $4}'); nmean=$(echo "$npo" | awk '$3 == "inplace" {print $5}')
  np=$(echo "$npo" | awk '$3 == "plain" {print $4}')
  r=$(awk -v a="$km" -v b="$ni" 'BEGIN { printf "%.3f", a / b }')
  agree=$(awk -v a="$kmean" -v b="$nmean" 'BEGIN { d = (a - b) / b; printf "%.1e", d < 0 ? -d : d }')
  pct=$(awk -v a="$kg" -v b="$bg" 'BEGIN { printf "%.0f", 100 * a / b }')
  row "CE kernel $dt" "$km ms" "$ni ms" "$r" "<= 0.333" "$(le "$r" 0.3334)" \
      "[${N}x${V}] ${kg} GB/s = ${pct}% of ${bg} GB/s read; numpy plain ${np} ms; max rel err ${krel} (long double); means agree to ${agree}"
done

# --- a real model's output through the whole program (issue 17) --------------
# The [2048, 50257] float32 file (412 MB) above: lossbook maps it (peak RSS
# goal: the file size + 64 MiB) and writes the whole handout; numpy loads it
# and computes the mean loss only.  Time and peak RSS are medians of 3.
f=$tmp/logits_f32.npy
fmib=$(( $(stat -c %s "$f") / 1048576 ))
med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for i in 1 2 3; do /usr/bin/time -f "%e %M" "$BIN" --quiet --logits "$f" --targets "$tmp/targets.npy" \
                     --out "$tmp/big" 2>&1 >/dev/null | tail -1; done > "$tmp/lb.t"
for i in 1 2 3; do /usr/bin/time -f "%e %M" $PY bench/npy_np.py "$f" "$tmp/targets.npy" 2>&1 >/dev/null \
                     | tail -1; done > "$tmp/np.t"
la=$(awk '{ print $1 * 1000 }' "$tmp/lb.t" | med); lm=$(awk '{ print int($2 / 1024) }' "$tmp/lb.t" | med)
na=$(awk '{ print $1 * 1000 }' "$tmp/np.t" | med); nm=$(awk '{ print int($2 / 1024) }' "$tmp/np.t" | med)
row "npy ${N}x${V} f32, RSS" "$lm MiB" "$nm MiB" "$(awk -v a="$lm" -v b="$nm" 'BEGIN { printf "%.2f", a / b }')" \
    "<= $((fmib + 64)) MiB" "$(le "$lm" $((fmib + 64)))" "file $fmib MiB, mapped; numpy loads it (mean loss only)"
row "npy ${N}x${V} f32, time" "$la ms" "$na ms" "$(awk -v a="$la" -v b="$na" 'BEGIN { printf "%.2f", a / b }')" \
    "-" "-" "lossbook: the whole handout ($(pdfinfo "$tmp/big/report.pdf" 2>/dev/null | awk '/^Pages/ {print $2}') pages); numpy: the mean"

# --- scaling ------------------------------------------------------------------
echo
echo "Kernel scaling (float32 in memory, all threads; median of 3):"
printf "| %8s | %8s | %10s | %8s | %10s | %10s |\n" N V "time ms" "GB/s" "ns/elem" "peak MiB"
printf "| %8s | %8s | %10s | %8s | %10s | %10s |\n" --- --- --- --- --- ---
for nv in "2048 5" "2048 1000" "2048 50257" "2048 262144" "6 50257" "16384 50257"; do
  set -- $nv
  read -r _ n v ms gb peak < <("$tmp/kernel_bench" scale "$1" "$2" 3)
  printf "| %8s | %8s | %10s | %8s | %10s | %10s |\n" "$n" "$v" "$ms" "$gb" \
    "$(awk -v t="$ms" -v n="$n" -v v="$v" 'BEGIN { printf "%.3f", t * 1e6 / (n * v) }')" "$peak"
done
