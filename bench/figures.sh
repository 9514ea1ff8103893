#!/bin/bash
# bench/figures.sh — time producing the handout's figures, same machine, same
# run: (a) the PNG path: one gnuplot process writes every figure with
# pngcairo (1600x1000, as a print-quality raster), libharu embeds the PNGs;
# (b) the vector path: one gnuplot process writes every figure as SVG, pdf_svg
# parses and draws them.  Each path runs REPS times; the median is reported.
# The scripts are the handout's own (build/lossbook writes them first).
# usage: bench/figures.sh [REPS]   (from the repository root, after `make`)
set -euo pipefail
REPS=${1:-7}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/lb_figbench_XXXXXX)
[ -n "${LB_KEEP:-}" ] && echo "keeping $W" || trap 'rm -rf "$W"' EXIT
make -s -C "$ROOT" build/liblossbook.a >/dev/null
gcc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -iquote "$ROOT/src" \
    -o "$W/figbench" "$ROOT/bench/figbench.c" "$ROOT/build/liblossbook.a" \
    -lhpdf -lexpat -lm

# The handout's real figure scripts, as lossbook writes them.  Each renders
# PNG (pass 1) then SVG (pass 2); the two variants below keep one pass each.
"$ROOT/build/lossbook" --quiet --out "$W/out"
NAMES="exp softmax3 softmax4 logp neglogp points"
mkdir -p "$W/png" "$W/svg"
cp -r "$W/out/data" "$W/"
for n in $NAMES; do
  sed 's/do for \[pass = 1:2\]/do for [pass = 1:1]/' "$W/out/figures/$n.gp" > "$W/png/$n.gp"
  sed 's/do for \[pass = 1:2\]/do for [pass = 2:2]/' "$W/out/figures/$n.gp" > "$W/svg/$n.gp"
  grep -q 'pass = 1:1' "$W/png/$n.gp" || { echo "figures.sh: $n.gp has no render loop" >&2; exit 1; }
done
mkscript() {  # $1 = png|svg: one gnuplot session loading all six scripts
  for n in $NAMES; do printf "reset session\nload '%s.gp'\n" "$n"; done
}
mkscript png > "$W/png/all.gp"
mkscript svg > "$W/svg/all.gp"

ms() { date +%s%N | awk '{printf "%.1f", $1/1e6}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for r in $(seq "$REPS"); do
  t0=$(ms); (cd "$W/png" && gnuplot all.gp); t1=$(ms)
  p=$("$W/figbench" png "$W/png.pdf" $(for n in $NAMES; do echo "$W/png/$n.png"; done))
  echo "$t0 $t1 $p" | awk '{printf "%.1f %.1f\n", $2-$1, $3}' >> "$W/png.times"
  t0=$(ms); (cd "$W/svg" && gnuplot all.gp); t1=$(ms)
  s=$("$W/figbench" svg "$W/svg.pdf" $(for n in $NAMES; do echo "$W/svg/$n.svg"; done))
  echo "$t0 $t1 $s" | awk '{printf "%.1f %.1f\n", $2-$1, $3}' >> "$W/svg.times"
done
report() {  # $1 = label, $2 = times file
  g=$(cut -d' ' -f1 "$2" | median); p=$(cut -d' ' -f2 "$2" | median)
  t=$(awk '{print $1+$2}' "$2" | median)
  printf "%-26s gnuplot %7.1f ms   PDF %6.1f ms   total %7.1f ms\n" "$1" "$g" "$p" "$t"
}
echo "6 figures, median of $REPS runs, $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
report "PNG (pngcairo 1600x1000)" "$W/png.times"
report "SVG -> vector PDF" "$W/svg.times"
printf "PDF sizes: PNG path %s bytes, vector path %s bytes\n" \
  "$(stat -c %s "$W/png.pdf")" "$(stat -c %s "$W/svg.pdf")"
