#!/usr/bin/env bash
# The model zoo through the ONNX importer, natively: every model of bench/models/export_zoo.py
# (six torchvision models, fixed-seed weights) loaded with portnn-run at every compiled x86-64
# level (PORTNN_ISA forced; a level the CPU lacks is skipped with a note) and its outputs compared
# with ONNX Runtime's (bench/models/reference.mjs): max |portnn - ort| / max |ort| <= 1e-4, the
# issue's tolerance, on fixed-seed inputs. Exports and references are cached in build/models.
#
# Usage: tests/models/run.sh BUILD_DIR [MODEL...]   (BUILD_DIR holds portnn-run)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:?usage: tests/models/run.sh BUILD_DIR [MODEL...]}
shift
MODELS_DIR=${MODELS_DIR:-build/models}
RUN="$BUILD/portnn-run"
[ -x "$RUN" ] || { echo "models: $RUN not built"; exit 1; }

echo "== models: exporting the zoo into $MODELS_DIR (cached)"
ONLY=()
[ $# -gt 0 ] && ONLY=(--only "$(IFS=,; echo "$*")")
/usr/bin/python3 bench/models/export_zoo.py --out "$MODELS_DIR" "${ONLY[@]}"
echo "== models: ONNX Runtime references (cached)"
node bench/models/reference.mjs --models "$MODELS_DIR" "${ONLY[@]}"

# name, then each input and output name, from the index.
mapfile -t ENTRIES < <(/usr/bin/python3 - "$MODELS_DIR/index.json" "$@" <<'PY'
import json, sys
index = json.load(open(sys.argv[1]))["models"]
only = set(sys.argv[2:])
for name, m in index.items():
    if only and name not in only:
        continue
    print(name, ",".join(m["inputs"]), ",".join(m["key"]["outputs"]))
PY
)

LEVELS=(avx512 avx2 sse2 scalar)
case "$(uname -m)" in x86_64|amd64) ;; *) LEVELS=(default scalar) ;; esac
failed=0
printf '%-30s %-8s %s\n' model level result
for entry in "${ENTRIES[@]}"; do
  read -r name inputs outputs <<<"$entry"
  args=("$MODELS_DIR/$name.onnx" --iterations 1 --warmup 0)
  IFS=, read -ra ins <<<"$inputs"
  IFS=, read -ra outs <<<"$outputs"
  for i in "${ins[@]}"; do args+=(--input "$i=$MODELS_DIR/$name.$i.npy"); done
  for o in "${outs[@]}"; do args+=(--reference "$o=$MODELS_DIR/$name.$o.npy"); done
  for level in "${LEVELS[@]}"; do
    env=()
    [ "$level" != default ] && env=(PORTNN_ISA="$level")
    if out=$(env "${env[@]}" "$RUN" "${args[@]}" 2>&1); then
      worst=$(grep -oE '= [0-9.e+-]+ \(tolerance' <<<"$out" | awk '{print $2}' | sort -g | tail -1)
      printf '%-30s %-8s ok (max rel diff %s)\n' "$name" "$level" "$worst"
    elif grep -qE "PORTNN_ISA environment variable is not" <<<"$out"; then
      printf '%-30s %-8s skipped (CPU lacks it)\n' "$name" "$level"
    else
      printf '%-30s %-8s FAILED\n' "$name" "$level"
      echo "$out" | sed 's/^/    /'
      failed=1
    fi
  done
done
[ $failed -eq 0 ] && echo "models: all passed" || echo "models: FAILURES above"
exit $failed
