#!/usr/bin/env bash
# make bench: lossbook side by side with what users would otherwise run.
#  1. cross-entropy loss + gradient: lossbook's C numerics vs pure Python
#     (same data, same loss printed, best of several runs);
#  2. figures: lossbook's one gnuplot process for all figures vs one gnuplot
#     process per script (running the .gp files by hand);
#  3. the whole `lossbook` run (example → data → figures → PDF + Markdown).
# Wall-clock times on this machine; run it twice to see the noise.
set -euo pipefail
BIN=${1:-build/lossbook}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(dirname "$BIN")
tmp=$(mktemp -d /tmp/lb-bench-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

echo "== 1. cross-entropy, loss + gradient (mean reduction)"
gcc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -I"$ROOT/src" -o "$tmp/bench_ce" \
    "$ROOT/bench/bench_ce.c" "$BUILD/liblossbook.a" -lhpdf -lmd4c -lcjson -lexpat -lm
for size in "6 5" "100000 5" "100000 50"; do
  set -- $size
  "$tmp/bench_ce" "$1" "$2" 5
  python3 "$ROOT/bench/ce.py" "$1" "$2" 2
done

echo "== 2. figures: one gnuplot process (lossbook) vs one process per script"
"$BIN" --quiet --out "$tmp/out"
cd "$tmp/out/figures"
scripts=$(ls *.gp)
t0=$(now)
for s in $scripts; do gnuplot "$s"; done
t1=$(now)
echo "one process per script ($(echo $scripts | wc -w) scripts): $(ms "$t0" "$t1") ms"
t0=$(now)
for s in $scripts; do printf "reset session\nload '%s'\n" "$s"; done | gnuplot
t1=$(now)
echo "one gnuplot process, all scripts:      $(ms "$t0" "$t1") ms"
cd "$ROOT"

echo "== 3. whole run"
for i in 1 2 3; do
  t0=$(now); "$BIN" --quiet --out "$tmp/out$i"; t1=$(now)
  echo "lossbook run $i: $(ms "$t0" "$t1") ms"
done
[ -x "$ROOT/bench/figures.sh" ] && { echo "== 4. figure paths (PNG vs vector)"; "$ROOT/bench/figures.sh" 5; }
exit 0
