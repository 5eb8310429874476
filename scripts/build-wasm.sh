#!/usr/bin/env bash
# Builds the three WebAssembly variants (scalar, simd, simd-threads) with Emscripten and copies
# them into wasm/dist/, then prints each .wasm's size raw and gzipped. Idempotent: configures a
# build tree only once and copies only changed files, so it is quick when everything is up to date.
#
# Usage: scripts/build-wasm.sh
#   PORTNN_WASM_BUILD_PREFIX  build trees are <prefix>-<variant> (default build/wasm)
#   JOBS                      parallel compile jobs (default: nproc)
# Needs Debian's emscripten package (emcc 3.1.6), cmake and ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PREFIX=${PORTNN_WASM_BUILD_PREFIX:-$ROOT/build/wasm}
DIST=$ROOT/wasm/dist
JOBS=${JOBS:-$(nproc)}
# Emscripten's JS optimizer needs Debian's acorn, which a NodeSource node does not search.
export NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs

if ! command -v emcmake >/dev/null 2>&1; then
  echo "build-wasm: emcmake not found; install Debian's emscripten package" >&2
  exit 1
fi

mkdir -p "$DIST"
# dist/ holds ES modules (*.mjs) and the threaded build's worker script, which Node must load as
# CommonJS whatever the package's "type" says.
printf '{\n  "type": "commonjs"\n}\n' > "$DIST/package.json.tmp"
cmp -s "$DIST/package.json.tmp" "$DIST/package.json" 2>/dev/null && rm "$DIST/package.json.tmp" \
  || mv "$DIST/package.json.tmp" "$DIST/package.json"

copy_if_changed() {
  if ! cmp -s "$1" "$2" 2>/dev/null; then cp "$1" "$2"; fi
}

for variant in scalar simd simd-threads; do
  dir=$PREFIX-$variant
  case $variant in
    scalar) name=portnn ;;
    simd) name=portnn-simd ;;
    simd-threads) name=portnn-simd-threads ;;
  esac
  if [ ! -f "$dir/build.ninja" ]; then
    echo "== wasm ($variant): configure $dir"
    emcmake cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPORTNN_WASM_VARIANT=$variant >/dev/null
  fi
  echo "== wasm ($variant): build"
  cmake --build "$dir" -j "$JOBS"
  test -f "$dir/$name.wasm" || { echo "build-wasm: $dir/$name.wasm missing" >&2; exit 1; }
  copy_if_changed "$dir/$name.mjs" "$DIST/$name.mjs"
  copy_if_changed "$dir/$name.wasm" "$DIST/$name.wasm"
  if [ "$variant" = simd-threads ]; then
    copy_if_changed "$dir/$name.worker.js" "$DIST/$name.worker.js"
  fi
done

echo "== wasm sizes (budget: 400 KB raw, 150 KB gzip each)"
status=0
for name in portnn portnn-simd portnn-simd-threads; do
  raw=$(stat -c %s "$DIST/$name.wasm")
  gz=$(gzip -9 -c "$DIST/$name.wasm" | wc -c)
  awk -v n="$name.wasm" -v r="$raw" -v g="$gz" \
    'BEGIN { printf "  %-26s %8d bytes raw (%6.1f KB)  %8d bytes gzip (%6.1f KB)\n", n, r, r / 1024, g, g / 1024 }'
  if [ "$raw" -gt $((400 * 1024)) ] || [ "$gz" -gt $((150 * 1024)) ]; then
    echo "build-wasm: $name.wasm is over budget" >&2
    status=1
  fi
done
exit $status
