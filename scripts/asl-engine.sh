# Sourced by scripts/equivalence-moto.sh and scripts/jsonpath-moto.sh (needs $asl_check).
#
# run_engine ENGINE DEFINITION DIR RESULT: asl-check execute with DIR/input.json and DIR/mocks.json,
# the result in RESULT (stderr in RESULT.stderr); prints the engine used. asl-check's moto glue
# cannot decode a bare JSON string output: such a case falls back to LocalStack's engine.
run_engine() {
  local engine=$1 def=$2 dir=$3 result=$4
  "$asl_check/execute" --engine "$engine" "$def" "$dir/input.json" "$dir/mocks.json" \
    >"$result" 2>"$result.stderr" || true
  if [[ $engine == moto && ! -s "$result" ]] && grep -q JSONDecodeError "$result.stderr"; then
    engine=localstack
    "$asl_check/execute" --engine localstack "$def" "$dir/input.json" "$dir/mocks.json" \
      >"$result" 2>"$result.stderr" || true
  fi
  echo "$engine"
}
