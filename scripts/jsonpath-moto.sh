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

# run_engine: scripts/asl-engine.sh; compare: scripts/compare-outcome.py (causes must match too).
source "$root/scripts/asl-engine.sh"

pass=0
fail=0
fallbacks=0
for dir in "$out"/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  used=$(run_engine "$engine" "$dir/definition.asl.json" "$dir" "$dir/result.json")
  [[ $used != "$engine" ]] && fallbacks=$((fallbacks + 1))
  verdict=$(python3 "$root/scripts/compare-outcome.py" "$dir/expected.json" "$dir/result.json")
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
