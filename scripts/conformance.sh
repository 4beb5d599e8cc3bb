#!/usr/bin/env bash
# Runs every conformance case of the repo on an independent ASL engine (moto's, through
# ../shared/tools/asl-check/execute) and compares with the expected result stored beside it.
#
# A case is a directory `conformance/<case>/` (under examples/* or tests/) holding input.json,
# mocks.json (asl-check's MOCKS format), expected.json (keys that must match execute's output:
# status, output, error, states, ...) and `definition` (one line: the emitted definition's path,
# relative to the repo root, e.g. target/stepmacro/call-external-api/state_machine.json).
set -euo pipefail
ASL_CHECK=${1:?usage: conformance.sh ASL_CHECK_DIR}
cd "$(dirname "$0")/.."
fail=0
count=0
while IFS= read -r case_dir; do
  def=$(head -n1 "$case_dir/definition")
  count=$((count + 1))
  actual=$(mktemp)
  set +e
  "$ASL_CHECK/execute" --engine "${ENGINE:-moto}" "$def" "$case_dir/input.json" "$case_dir/mocks.json" >"$actual"
  rc=$?
  set -e
  if [ "$rc" -ge 2 ]; then
    echo "FAIL $case_dir: execute exit $rc"; cat "$actual"; fail=1; continue
  fi
  if diffs=$(python3 "$ASL_CHECK/lib/compare.py" expect "$case_dir/expected.json" "$actual"); then
    echo "PASS $case_dir"
  else
    echo "FAIL $case_dir"; echo "$diffs"; fail=1
  fi
  rm -f "$actual"
done < <(find examples tests -path '*/conformance/*' -name definition -printf '%h\n' | sort)
echo "conformance: $count case(s)"
[ "$count" -gt 0 ] || { echo "no conformance cases found"; exit 1; }
exit $fail
