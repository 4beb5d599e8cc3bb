#!/usr/bin/env bash
# Runs a sample of the hand-written equivalence cases, compiled with query_language = "JSONPath", on an
# independent ASL interpreter (asl-check's moto engine; `ENGINE=localstack` for LocalStack's) and
# compares each result with the native Rust run's.
#
#   scripts/jsonpath-moto.sh [SAMPLE_SIZE]        # default 16 (at most two cases per workflow)
#
# 1. `cargo test -p stepmacro-tests --test jsonpath export_jsonpath_sample_for_moto` writes each case
#    (already checked: the JSONPath definition on the embedded interpreter agrees with the native run)
#    to target/jsonpath-moto/<case>/: definition.asl.json, input.json, mocks.json, expected.json.
# 2. `../shared/tools/asl-check/execute --engine moto` runs each definition with those mocks.
# 3. status, output and error must match the native result, and the cause too (these cases raise no
#    `Err(E::Variant)?`-style cause that only a native run can know).
#
# Environment: ASL_CHECK (default ../shared/tools/asl-check from the repo root), OUT (default
# target/jsonpath-moto), ENGINE (default moto). Exit status: 0 all agree, 1 a mismatch, 2 could not run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
asl_check=${ASL_CHECK:-$root/../shared/tools/asl-check}
out=${OUT:-$root/target/jsonpath-moto}
engine=${ENGINE:-moto}
sample=${1:-16}

if [[ ! -x "$asl_check/execute" ]]; then
  echo "jsonpath-moto: asl-check not found at $asl_check (set ASL_CHECK)" >&2
  exit 2
fi

rm -rf "$out"
mkdir -p "$out"
(cd "$root" && STEPMACRO_JSONPATH_MOTO_DIR="$out" STEPMACRO_JSONPATH_MOTO_SAMPLE="$sample" \
  cargo test -q -p stepmacro-tests --test jsonpath export_jsonpath_sample_for_moto -- --nocapture) \
  >"$out/export.log" 2>&1 || {
  cat "$out/export.log" >&2
  echo "jsonpath-moto: exporting the cases failed" >&2
  exit 2
}

# compare EXPECTED RESULT: prints "ok" or "MISMATCH <what differs>".
compare_py=$(cat <<'PY'
import json, sys

expected = json.load(open(sys.argv[1]))
try:
    got = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
except Exception as e:
    print(f"MISMATCH execute printed no result: {e}")
    sys.exit()

def same(native, other):
    """JSON equality where a native float (2.0) equals the whole number an engine writes (2)."""
    if isinstance(native, bool) or isinstance(other, bool):
        return isinstance(native, bool) and isinstance(other, bool) and native == other
    if isinstance(native, float) and isinstance(other, (int, float)):
        return float(other) == native
    if isinstance(native, int) and isinstance(other, (int, float)):
        return isinstance(other, int) and native == other
    if isinstance(native, list) and isinstance(other, list):
        return len(native) == len(other) and all(same(a, b) for a, b in zip(native, other))
    if isinstance(native, dict) and isinstance(other, dict):
        return native.keys() == other.keys() and all(same(native[k], other[k]) for k in native)
    return native == other

problems = []
if got.get("status") != expected["status"]:
    problems.append(f"status: native {expected['status']}, engine {got.get('status')} "
                    f"({got.get('error')}: {got.get('cause')})")
elif expected["status"] == "SUCCEEDED":
    if not same(expected["output"], got.get("output")):
        problems.append(f"output: native {json.dumps(expected['output'])}, engine {json.dumps(got.get('output'))}")
else:
    if got.get("error") != expected["error"]:
        problems.append(f"error: native {expected['error']}, engine {got.get('error')}")
    if (expected.get("cause") or "") != (got.get("cause") or ""):
        problems.append(f"cause: native {expected.get('cause')!r}, engine {got.get('cause')!r}")
print("MISMATCH " + "; ".join(problems) if problems else "ok")
PY
)

pass=0
fail=0
fallbacks=0
for dir in "$out"/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  used=$engine
  "$asl_check/execute" --engine "$engine" "$dir/definition.asl.json" "$dir/input.json" "$dir/mocks.json" \
    >"$dir/result.json" 2>"$dir/result.stderr" || true
  # asl-check's moto glue cannot decode a bare JSON string output (see equivalence-moto.sh): such a
  # case runs on LocalStack's engine instead.
  if [[ $engine == moto && ! -s "$dir/result.json" ]] && grep -q JSONDecodeError "$dir/result.stderr"; then
    used=localstack
    fallbacks=$((fallbacks + 1))
    "$asl_check/execute" --engine localstack "$dir/definition.asl.json" "$dir/input.json" "$dir/mocks.json" \
      >"$dir/result.json" 2>"$dir/result.stderr" || true
  fi
  verdict=$(python3 -c "$compare_py" "$dir/expected.json" "$dir/result.json")
  if [[ $verdict == ok ]]; then
    pass=$((pass + 1))
    printf '  ok        %s (%s)\n' "$name" "$used"
  else
    fail=$((fail + 1))
    printf '  MISMATCH  %s (%s): %s\n' "$name" "$used" "${verdict#MISMATCH }"
  fi
done
echo "jsonpath-moto ($engine): $((pass + fail)) JSONPath cases: $pass agree with the native run, $fail mismatch;" \
  "$fallbacks ran on localstack (bare-string output)"
((pass + fail > 0)) || { echo "jsonpath-moto: no cases exported" >&2; exit 2; }
((fail == 0))
