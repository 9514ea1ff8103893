#!/usr/bin/env bash
# check_layers.sh OBJDIR — the source tree's rules, checked on the object
# files (what the linker sees, so a call hidden behind a macro still counts):
#
#   1. every .c file lives in a stage folder declared below (or is main.c);
#   2. a folder calls only the folders it is allowed to (the layers of
#      src/README.md), never one above it;
#   3. no circle between files: the graph "a.c calls a function defined in
#      b.c" has no cycle of any length, inside a folder or across folders;
#   4. libharu (HPDF_*) is called only from src/pdf/;
#   5. only main.c ends the process (exit, abort, ...); the one exception
#      is _exit in the gnuplot child after fork, before exec.
#
# Run by `make test`; prints every violation and exits 1 if there is any.
set -u
objdir=${1:?usage: check_layers.sh OBJDIR  (run from the source root)}

# Layer table: folder -> the folders it may call.  Keep in step with
# src/README.md.  A new folder must be added here, with its place.
declare -A may=(
  [base]=""
  [compute]="base"
  [plot]="base"
  [math]="base"
  [svg]="base"
  [doc]="base compute plot math"
  [pdf]="base compute math svg doc"
  [check]="base compute"
  [.]="base compute plot math svg doc pdf check"
  # shared objects for gnuplot's LD_PRELOAD (src/preload/README.md): built
  # apart from the library; they call no folder and no folder calls them
  [preload]=""
)

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "check_layers: $*"; fail=1; }

cd "$objdir" || { echo "check_layers: no $objdir"; exit 1; }
# Only objects that still have a source: a build folder keeps the objects of
# files that were moved or deleted, and those must not count.
objs=$(find . -name '*.o' | sed 's|^\./||' | sort | while read -r o; do
  [ -f "$OLDPWD/src/${o%.o}.c" ] && echo "$o"; done)
[ -n "$objs" ] || { echo "check_layers: no object files under $objdir"; exit 1; }

for o in $objs; do
  f=${o%.o}
  dir=$(dirname "$f")
  [ -n "${may[$dir]+x}" ] || bad "src/$f.c: folder '$dir' is not a declared layer (add it to tests/check_layers.sh and src/README.md)"
  # src/preload/ objects are never linked with the program (each is a shared
  # object of its own for gnuplot's LD_PRELOAD): the library names they
  # define (png_write_info, deflate, ...) are not edges into them; what they
  # call is still checked like everyone's
  [ "$dir" = preload ] ||
    nm --defined-only "$o" | awk -v f="$f" '$2 ~ /^[TDBRC]$/ {print $3, f}' >> "$tmp/defs"
  nm -u "$o" | awk -v f="$f" '{print f, $2}' >> "$tmp/uses"
done

# Edges file -> file through the symbols each defines and uses.
awk 'NR==FNR {def[$1]=$2; next} ($2 in def) && def[$2] != $1 {print $1, def[$2], $2}' \
    "$tmp/defs" "$tmp/uses" | sort -u > "$tmp/edges"

# 2. folder layers
while read -r from to sym; do
  fd=$(dirname "$from"); td=$(dirname "$to")
  [ "$fd" = "$td" ] && continue
  case " ${may[$fd]:-} " in
    *" $td "*) ;;
    *) bad "src/$from.c calls $sym() in src/$to.c: folder $fd may not call $td (allowed: ${may[$fd]:-nothing})" ;;
  esac
done < "$tmp/edges"

# 3. no circles between files (tsort names the files of each loop)
awk '{print $1, $2}' "$tmp/edges" | sort -u > "$tmp/pairs"
if ! tsort "$tmp/pairs" > /dev/null 2> "$tmp/loops"; then
  bad "circle between files:" $(grep -v 'input contains a loop' "$tmp/loops" | sed 's/^tsort: //' | sort -u | tr '\n' ' ')
fi

# 4. libharu only in src/pdf/
awk '$2 ~ /^HPDF_/ {print $1}' "$tmp/uses" | sort -u | while read -r f; do
  case "$f" in pdf/*) ;; *) echo "check_layers: src/$f.c calls libharu; only src/pdf/ may" ;; esac
done > "$tmp/hpdf"
[ -s "$tmp/hpdf" ] && { cat "$tmp/hpdf"; fail=1; }

# 5. only main.c exits
awk '$2 ~ /^(exit|abort|_Exit|quick_exit|_exit)$/ && $1 != "main" && !($1 == "plot/gnuplot" && $2 == "_exit") {print $1, $2}' \
    "$tmp/uses" | while read -r f s; do
  echo "check_layers: src/$f.c calls $s(); only main.c ends the process"
done > "$tmp/exits"
[ -s "$tmp/exits" ] && { cat "$tmp/exits"; fail=1; }

if [ $fail -eq 0 ]; then
  echo "check_layers: $(echo "$objs" | wc -l) files, $(wc -l < "$tmp/pairs") file-to-file call edges: layers respected, no circle, libharu only in pdf/, only main.c exits"
fi
exit $fail
