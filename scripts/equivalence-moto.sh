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
# Two known defects of the emulators are handled, and counted in the summary:
# * A case whose output is a bare JSON string crashes asl-check's moto glue (it cannot decode what moto
#   stores); such a case runs on the localstack engine instead.
# * moto and LocalStack evaluate a Choice state's top-level `Assign` (and `Output`) whenever the next
#   state is the `Default`, even when a rule matched and names the same state; AWS evaluates it only
#   when no rule matches ("these two placements are mutually exclusive at runtime", state-choice docs).
#   When a case mismatches and its definition has such a Choice, the case is rerun with the equivalent
#   rewrite (the top-level fields moved into a last `Condition: true` rule); if that agrees with the
#   native run, the case is XFAIL (the emulator's defect), not a mismatch.
#
# Environment: ASL_CHECK (default ../shared/tools/asl-check from the repo root), OUT (default
# target/equivalence-moto). The first run installs moto into ~/.cache/asl-check (about a minute).
# Exit status: 0 all agree (XFAILs allowed), 1 a mismatch, 2 could not run.
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

# portable DEFINITION OUT: writes the AWS-equivalent rewrite of every Choice whose top-level
# Assign/Output an emulator may misapply; exits 1 when there is none.
portable_py=$(cat <<'PY'
import json, sys

definition = json.load(open(sys.argv[1]))
changed = 0

def rewrite(states):
    global changed
    for state in states.values():
        if state.get("Type") == "Choice" and "Default" in state and ("Assign" in state or "Output" in state):
            rule = {"Condition": "{% true %}", "Next": state["Default"]}
            for field in ("Assign", "Output"):
                if field in state:
                    rule[field] = state.pop(field)
            state["Choices"].append(rule)
            changed += 1
        for branch in state.get("Branches", []):
            rewrite(branch["States"])
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                rewrite(state[key]["States"])

rewrite(definition["States"])
json.dump(definition, open(sys.argv[2], "w"), indent=2)
sys.exit(0 if changed else 1)
PY
)

# run_engine: scripts/asl-engine.sh; compare: scripts/compare-outcome.py (the cause may be
# the Display text of `Err(E::Variant)?`, which a Fail state cannot know).
source "$root/scripts/asl-engine.sh"
compare() { python3 "$root/scripts/compare-outcome.py" "$1" "$2" --native-display-cause; }

pass=0
fail=0
xfail=0
fallbacks=0
failed_cases=()
for dir in "$out"/*/; do
  dir=${dir%/}
  case_name=$(basename "$dir")
  engine=$(run_engine moto "$dir/definition.asl.json" "$dir" "$dir/moto.json")
  [[ $engine == localstack ]] && fallbacks=$((fallbacks + 1))
  verdict=$(compare "$dir/expected.json" "$dir/moto.json")
  if [[ $verdict == ok ]]; then
    pass=$((pass + 1))
    printf '  ok        %s (%s)\n' "$case_name" "$engine"
    continue
  fi
  if python3 -c "$portable_py" "$dir/definition.asl.json" "$dir/portable.asl.json"; then
    run_engine "$engine" "$dir/portable.asl.json" "$dir" "$dir/portable.json" >/dev/null
    if [[ $(compare "$dir/expected.json" "$dir/portable.json") == ok ]]; then
      xfail=$((xfail + 1))
      printf '  XFAIL     %s (%s): %s; the AWS-equivalent rewrite of its Choice Assign agrees\n' \
        "$case_name" "$engine" "${verdict#MISMATCH }"
      continue
    fi
  fi
  fail=$((fail + 1))
  failed_cases+=("$dir")
  printf '  MISMATCH  %s (%s): %s\n' "$case_name" "$engine" "${verdict#MISMATCH }"
done

echo "equivalence-moto: $((pass + fail + xfail)) cases: $pass agree with the native run, $xfail XFAIL" \
  "(emulator Choice-Assign defect), $fail mismatch; $fallbacks ran on localstack (bare-string output)"
if ((fail > 0)); then
  echo "equivalence-moto: the mismatching cases: ${failed_cases[*]}" >&2
  exit 1
fi
