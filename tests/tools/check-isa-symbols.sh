#!/usr/bin/env bash
# One-definition check for the per-file ISA flags: the kernels of kernels/x86/*-avx2.cc and
# *-avx512.cc are compiled with -mavx2 / -mavx512f, everything else at the x86-64 baseline. An
# inline or template function emitted (as a weak, COMDAT symbol) by files of two different flag
# classes is one symbol to the linker, which keeps one copy, maybe the AVX-512 one, for every
# caller; a CPU without AVX-512 would then fault in baseline code. This fails when any weak
# symbol is defined by objects of more than one class.
#
# Usage: check-isa-symbols.sh <directory holding the library's object files>
set -euo pipefail
dir=${1:?usage: check-isa-symbols.sh <object dir>}
command -v nm >/dev/null || { echo "check-isa-symbols: nm not found"; exit 1; }
mapfile -t objects < <(find "$dir" -name '*.o' | sort)
[ ${#objects[@]} -gt 0 ] || { echo "check-isa-symbols: no object files under $dir"; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
classes=()
for o in "${objects[@]}"; do
  case "$o" in
    *-avx512.cc.o) class=avx512 ;;
    *-avx2.cc.o) class=avx2 ;;
    *) class=baseline ;;
  esac
  classes+=("$class")
  # Weak code (nm type W), demangled. Weak objects (V: typeinfo, constant tables) are data, the
  # same whatever the flags.
  nm --defined-only -C "$o" | awk -v c="$class" '$2 == "W" {
    $1 = ""; $2 = ""; sub(/^  /, ""); print c "\t" $0 }' >>"$tmp"
done
echo "check-isa-symbols: ${#objects[@]} objects, $(printf '%s\n' "${classes[@]}" | sort | uniq -c | tr -s ' ' | tr '\n' ',' | sed 's/,$//')"
conflicts=$(sort -u "$tmp" | awk -F'\t' '{ n[$2]++; c[$2] = c[$2] " " $1 } END {
  for (s in n) if (n[s] > 1) print s " :" c[s] }')
if [ -n "$conflicts" ]; then
  echo "check-isa-symbols: weak symbols defined under more than one ISA flag class:"
  echo "$conflicts"
  exit 1
fi
echo "check-isa-symbols: no weak symbol shared between ISA flag classes"
