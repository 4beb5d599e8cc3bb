#!/usr/bin/env bash
# Runs a sample of the equivalence cases (hand-written and generated) on an independent ASL interpreter,
# asl-check's moto engine, and compares each result with the native Rust run's.
#
#   scripts/equivalence-moto.sh [SAMPLE_SIZE]        # default 20 (half hand-written, half generated)
#
# 1. `cargo test -p stepmacro-tests --test equivalence_moto` writes each case (already checked native vs
#    the embedded interpreter) to target/equivalence-moto/<case>/: definition.asl.json, input.json,
#    mocks.json (asl-check's MOCKS.json), expected.json (the native result).
# 2. `../shared/tools/asl-check/execute --engine moto` runs each definition with those mocks.
# 3. status, output and error must match the native result (the cause too, except where the native cause
#    is the Display text of `Err(E::Variant)?`, which a Fail state cannot know; see tests/src/harness.rs).
#
# Environment: ASL_CHECK (default ../shared/tools/asl-check from the repo root), OUT (default
# target/equivalence-moto). The first run installs moto into ~/.cache/asl-check (about a minute).
# A case whose output is a bare JSON string crashes asl-check's moto glue (it cannot decode what moto
# stores); such a case is run on the localstack engine instead, and the summary says how many were.
# Exit status: 0 all agree, 1 a mismatch, 2 could not run.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
asl_check=${ASL_CHECK:-$root/../shared/tools/asl-check}
out=${OUT:-$root/target/equivalence-moto}
sample=${1:-20}

if [[ ! -x "$asl_check/execute" ]]; then
  echo "equivalence-moto: asl-check not found at $asl_check (set ASL_CHECK)" >&2
  exit 2
fi

rm -rf "$out"
mkdir -p "$out"
(cd "$root" && STEPMACRO_EQUIVALENCE_MOTO_DIR="$out" STEPMACRO_EQUIVALENCE_MOTO_SAMPLE="$sample" \
  cargo test -q -p stepmacro-tests --test equivalence_moto -- --nocapture) >"$out/export.log" 2>&1 || {
  cat "$out/export.log" >&2
  echo "equivalence-moto: exporting the cases failed" >&2
  exit 2
}

pass=0
fail=0
fallbacks=0
failed_cases=()
for dir in "$out"/*/; do
  case_name=$(basename "$dir")
  engine=moto
  set +e
  "$asl_check/execute" --engine moto "$dir/definition.asl.json" "$dir/input.json" "$dir/mocks.json" \
    >"$dir/moto.json" 2>"$dir/moto.stderr"
  code=$?
  if [[ ! -s "$dir/moto.json" ]] && grep -q JSONDecodeError "$dir/moto.stderr"; then
    # asl-check's moto glue cannot read back an execution output that is a bare JSON string (moto keeps
    # it unencoded); LocalStack's interpreter, which moto's is a port of, can: use it for this case.
    engine=localstack
    "$asl_check/execute" --engine localstack "$dir/definition.asl.json" "$dir/input.json" "$dir/mocks.json" \
      >"$dir/moto.json" 2>"$dir/moto.stderr"
    code=$?
  fi
  set -e
  verdict=$(python3 - "$dir/expected.json" "$dir/moto.json" "$code" <<'PY'
import json, sys

expected = json.load(open(sys.argv[1]))
try:
    got = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
except Exception as e:  # no JSON line: the harness itself failed
    print(f"MISMATCH execute printed no result (exit {sys.argv[3]}): {e}")
    sys.exit()

def same(native, other):
    """JSON equality where a native float (2.0) equals the whole number moto writes (2), as in the
    Rust harness; a native integer must come back as an integer."""
    if isinstance(native, bool) or isinstance(other, bool):
        return native is other if isinstance(native, bool) and isinstance(other, bool) else False
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
    problems.append(f"status: native {expected['status']}, moto {got.get('status')} "
                    f"({got.get('error')}: {got.get('cause')})")
elif expected["status"] == "SUCCEEDED":
    if not same(expected["output"], got.get("output")):
        problems.append(f"output: native {json.dumps(expected['output'])}, moto {json.dumps(got.get('output'))}")
else:
    if got.get("error") != expected["error"]:
        problems.append(f"error: native {expected['error']}, moto {got.get('error')}")
    native_cause, moto_cause = expected.get("cause") or "", got.get("cause") or ""
    display_cause = native_cause.startswith('{"errorType":') and moto_cause == ""
    if native_cause != moto_cause and not display_cause:
        problems.append(f"cause: native {native_cause!r}, moto {moto_cause!r}")
print("MISMATCH " + "; ".join(problems) if problems else "ok")
PY
)
  [[ $engine == localstack ]] && fallbacks=$((fallbacks + 1))
  if [[ "$verdict" == ok ]]; then
    pass=$((pass + 1))
    printf '  ok        %s (%s)\n' "$case_name" "$engine"
  else
    fail=$((fail + 1))
    failed_cases+=("$case_name")
    printf '  MISMATCH  %s (%s): %s\n' "$case_name" "$engine" "${verdict#MISMATCH }"
  fi
done

echo "equivalence-moto: $((pass + fail)) cases, $pass agree with the native run, $fail mismatch ($fallbacks run on localstack)"
if ((fail > 0)); then
  echo "equivalence-moto: files of the mismatching cases: ${failed_cases[*]/#/$out/}" >&2
  exit 1
fi
