#!/bin/bash
# bench/figures.sh — time producing the handout's figures, same machine, same
# run: (a) the PNG path: one gnuplot process writes every figure with
# pngcairo (1600x1000, as a print-quality raster), libharu embeds the PNGs;
# (b) the vector path: one gnuplot process writes every figure as SVG, pdf_svg
# parses and draws them.  Each path runs REPS times; the median is reported.
# Until h2's real figure scripts land, six stand-ins with the handout's
# figure names and comparable content are used.
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

body() {  # $1 = figure name
  case $1 in
  exp)      echo 'set xlabel "z"; set ylabel "e^z"; set grid; plot [-4:3] exp(x) t "e^z" lw 2' ;;
  softmax3) echo 'set xlabel "z_1"; set ylabel "p_i"; set grid; set key left center; plot [-6:6] exp(x)/(exp(x)+exp(0)+exp(1)) t "p_1" lw 2, exp(0)/(exp(x)+1+exp(1)) t "p_2" lw 2 dt 2, exp(1)/(exp(x)+1+exp(1)) t "p_3" lw 2 dt 3' ;;
  softmax4) echo 'set style fill solid 0.6 border -1; set boxwidth 0.6; set xtics ("cat" 0, "dog" 1, "car" 2, "sky" 3); set ylabel "{/Symbol s}(z)_i"; set yrange [0:1]; plot "-" using 1:2 with boxes t "softmax", "-" using 1:2 w p pt 7 ps 1.5 t "target"
0 0.1
1 0.6
2 0.2
3 0.1
e
1 1
e' ;;
  logp)     echo 'set xlabel "p"; set ylabel "log p"; set grid; plot [0.01:1] log(x) t "log p" lw 2' ;;
  neglogp)  echo 'set xlabel "p_{target}"; set ylabel "-log p_{target}"; set grid; set style fill transparent solid 0.2 noborder; plot [0.01:1] -log(x) w filledcurves y1=0 t "", -log(x) lw 2 t "loss"' ;;
  points)   echo 'set xlabel "position"; set ylabel "loss"; set grid; set key top left; plot "-" w lp pt 7 ps 1.2 lw 1.5 t "loss per position", 0.767914180792 dt 2 lw 1.5 t "mean"
1 0.42
2 1.31
3 0.08
4 0.95
5 1.12
6 0.73
e' ;;
  esac
}
NAMES="exp softmax3 softmax4 logp neglogp points"
mkscript() {  # $1 = png|svg
  for n in $NAMES; do
    if [ "$1" = png ]; then
      echo "set terminal pngcairo size 1600,1000 font \"Latin Modern Roman,36\" enhanced"
      echo "set output \"$W/$n.png\""
    else
      echo "set terminal svg size 400,250 font \"Latin Modern Roman,9\" enhanced"
      echo "set output \"$W/$n.svg\""
    fi
    body "$n"
    echo "unset output"
    echo "reset session"
  done
}
mkscript png > "$W/png.gp"
mkscript svg > "$W/svg.gp"

ms() { date +%s%N | awk '{printf "%.1f", $1/1e6}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for r in $(seq "$REPS"); do
  t0=$(ms); gnuplot "$W/png.gp"; t1=$(ms)
  p=$("$W/figbench" png "$W/png.pdf" $(for n in $NAMES; do echo "$W/$n.png"; done))
  echo "$t0 $t1 $p" | awk '{printf "%.1f %.1f\n", $2-$1, $3}' >> "$W/png.times"
  t0=$(ms); gnuplot "$W/svg.gp"; t1=$(ms)
  s=$("$W/figbench" svg "$W/svg.pdf" $(for n in $NAMES; do echo "$W/$n.svg"; done))
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
