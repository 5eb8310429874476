#!/usr/bin/env bash
# A/B benchmark of two revisions of portnn on the suite, for "did this change slow anything
# down?": builds the base revision (a detached git worktree under build/ab/) and the working tree,
# then runs portnn alone (no peers) on every shape of bench/suite.json, alternating base and head
# round by round (ABBA...) so that load from other processes hits both alike, and prints per shape
# the medians, the ratio head/base and, per section and over the suite, the geometric mean of the
# ratios (scripts/bench_ab_compare.py). Parts:
#   native  portnn-bench --impls portnn at the best level, 1 thread;
#   node    bench/js/node.mjs --variants simd --no-peers (the .wasm files of each revision, each
#           revision's own harness), 1 thread; and the .wasm sizes of both.
# Usage: scripts/bench-ab.sh [--base REV] [--rounds N] [--only native,node] [--filter REGEX]
#   --base REV     revision to compare against (default: main's first parent, HEAD~1)
#   --rounds N     alternations per part (default 6 native, 4 node)
#   --only PARTS   native, node or both (default both)
#   --filter REGEX only shapes whose section/shape matches
# Exits 0 after printing; the verdict lines say whether each geometric mean is within 3 % and
# whether any shape is more than 5 % slower (the thresholds of the foundations work).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BASE=HEAD~1
ROUNDS_NATIVE=6
ROUNDS_NODE=4
PARTS=native,node
FILTER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE=$2; shift 2 ;;
    --rounds) ROUNDS_NATIVE=$2; ROUNDS_NODE=$2; shift 2 ;;
    --only) PARTS=$2; shift 2 ;;
    --filter) FILTER=$2; shift 2 ;;
    --help|-h) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench-ab: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
JOBS=${JOBS:-$(nproc)}
AB=$ROOT/build/ab
mkdir -p "$AB"
BASE_SHA=$(git rev-parse --verify "$BASE^{commit}")
BASE_SRC=$AB/base-src
# The base checkout: a detached worktree, moved to the requested revision when it exists.
if [ -d "$BASE_SRC/.git" ] || [ -f "$BASE_SRC/.git" ]; then
  git -C "$BASE_SRC" checkout -q --detach "$BASE_SHA"
else
  git worktree add -q --detach "$BASE_SRC" "$BASE_SHA"
fi
[ -e "$BASE_SRC/node_modules" ] || [ -L "$BASE_SRC/node_modules" ] || ln -s "$ROOT/node_modules" "$BASE_SRC/node_modules"
echo "bench-ab: base $(git log -1 --format='%h %s' "$BASE_SHA")"
echo "bench-ab: head $(git log -1 --format='%h %s') (+ uncommitted changes, if any)"
want() { [[ ",$PARTS," == *",$1,"* ]]; }

if want native; then
  for side in base head; do
    src=$ROOT; [ $side = base ] && src=$BASE_SRC
    echo "== native ($side): build"
    cmake -S "$src" -B "$AB/native-$side" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPORTNN_BUILD_TESTS=OFF -DPORTNN_BUILD_BENCHMARKS=ON >/dev/null
    cmake --build "$AB/native-$side" -j "$JOBS" --target portnn-bench >/dev/null
  done
  rm -f "$AB"/native-*-round*.json
  for ((r = 0; r < ROUNDS_NATIVE; r++)); do
    order="base head"; [ $((r % 2)) -eq 1 ] && order="head base"
    for side in $order; do
      echo "== native: round $((r + 1))/$ROUNDS_NATIVE $side"
      args=(--suite "$ROOT/bench/suite.json" --impls portnn --benchmark_repetitions=1
            --benchmark_min_time=0.1 --benchmark_format=json
            --benchmark_out="$AB/native-$side-round$r.json" --benchmark_out_format=json)
      [ -n "$FILTER" ] && args+=(--benchmark_filter="$FILTER")
      "$AB/native-$side/bench/portnn-bench" "${args[@]}" >/dev/null
    done
  done
fi

if want node; then
  for side in base head; do
    src=$ROOT; [ $side = base ] && src=$BASE_SRC
    echo "== node ($side): build the .wasm files"
    PORTNN_WASM_BUILD_PREFIX=$AB/wasm-$side "$src/scripts/build-wasm.sh" | sed 's/^/  /'
  done
  # Both sides read the same weights: the one-operator models of bench/models/make_models.py
  # (Debian's python3 has python3-onnx), made once under build/ab/.
  echo "== node: one-operator models ($AB/models)"
  /usr/bin/python3 "$ROOT/bench/models/make_models.py" --suite "$ROOT/bench/suite.json" \
    --out "$AB/models" | sed 's/^/  /'
  rm -f "$AB"/node-*-round*.json
  for ((r = 0; r < ROUNDS_NODE; r++)); do
    order="base head"; [ $((r % 2)) -eq 1 ] && order="head base"
    for side in $order; do
      src=$ROOT; [ $side = base ] && src=$BASE_SRC
      echo "== node: round $((r + 1))/$ROUNDS_NODE $side"
      echo '[]' > "$AB/node-$side-round$r.json"
      args=(--suite "$ROOT/bench/suite.json" --models "$AB/models" --variants simd --no-peers --no-wait-idle
            --json "$AB/node-$side-round$r.json")
      [ -n "$FILTER" ] && args+=(--filter "$FILTER")
      (cd "$src" && node bench/js/node.mjs "${args[@]}" >/dev/null)
    done
  done
  for side in base head; do
    src=$ROOT; [ $side = base ] && src=$BASE_SRC
    for f in "$src"/wasm/dist/*.wasm; do
      printf '%s %s %s %s\n' "$side" "$(basename "$f")" "$(stat -c %s "$f")" \
        "$(gzip -9 -c "$f" | wc -c)"
    done
  done > "$AB/wasm-sizes.txt"
fi

python3 "$ROOT/scripts/bench_ab_compare.py" "$AB"
