#!/usr/bin/env bash
# cargo-lambda-check.sh — serve an example's tasks with the real cargo-lambda toolchain, offline.
#
#     scripts/cargo-lambda-check.sh [EXAMPLE_DIR]      (default: examples/call-external-api)
#
# Not part of every CI run: installing cargo-lambda from crates.io takes about 20 minutes on 2 cores.
# Steps:
#   1. installs cargo-lambda $CARGO_LAMBDA_VERSION if `cargo lambda` is missing or another version
#      (`cargo install cargo-lambda --version $CARGO_LAMBDA_VERSION --locked`);
#   2. `cargo lambda build --release --compiler cargo` in the example (no zig needed), and prints each
#      target/lambda/<binary>/bootstrap with its size;
#   3. starts `cargo lambda watch` on a free 127.0.0.1 port (its own process group, stopped on exit);
#   4. `cargo lambda invoke <function> --data-ascii '<json>'` for each case below, success and error
#      cases, checking the answer: `ok:<JSON>` (exit 0 and that exact JSON value), `ok~<text>` (exit 0
#      and the response contains the text), or `error:<ErrorType>~<text>` (non-zero exit, and
#      cargo-lambda's report names that Lambda errorType and contains the text);
#   5. prints a summary; exits non-zero if any case failed.
#
# How binaries map to function names: ONE BINARY PER FUNCTION NAME, the binary named exactly like the
# `FunctionName` the definition invokes (`callExternalApi`, `logError`). That is what cargo-lambda
# expects everywhere: `cargo lambda build` writes target/lambda/<binary>/bootstrap, `cargo lambda watch`
# serves `invoke <name>` by running `cargo run --bin <name>` with AWS_LAMBDA_FUNCTION_NAME=<name>,
# `cargo lambda deploy <name>` deploys binary <name> as function <name>, and the SAM template that
# stepmacro writes (stepmacro_core::deploy) points each function's CodeUri at target/lambda/<name>/.
# Each binary is a three-line src/bin/<FunctionName>.rs calling
# `stepmacro::serve::serve_task::<Task>()`, or, for a crate that keeps everything in main.rs, one
# `[[bin]]` per function name with `path = "src/main.rs"` whose main calls
# `stepmacro::serve::run(&[..every task handle..])`, which picks the task by AWS_LAMBDA_FUNCTION_NAME.
#
# The cases are those of examples/call-external-api (its simulated API fails for request ids ending
# in 3, 7, 9 and for endpoints outside /stations/). Task functions must be deployed without a
# STEPMACRO_FUNCTION_PREFIX here, since binary names are fixed in Cargo.toml.
#
# Environment: CARGO_LAMBDA_VERSION (default 1.9.2), CARGO_LAMBDA_CHECK_PORT (default: a free port),
# CARGO_LAMBDA_CHECK_INVOKE_TIMEOUT (seconds per invocation, default 300).
set -euo pipefail

CARGO_LAMBDA_VERSION="${CARGO_LAMBDA_VERSION:-1.9.2}"
INVOKE_TIMEOUT="${CARGO_LAMBDA_CHECK_INVOKE_TIMEOUT:-300}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE="$(cd "${1:-$ROOT/examples/call-external-api}" && pwd)"
LOG_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/cargo-lambda-check"
mkdir -p "$LOG_DIR"
started=$SECONDS

# --- 1. cargo-lambda ---------------------------------------------------------------------------
if ! cargo lambda --version 2>/dev/null | grep -q " $CARGO_LAMBDA_VERSION\b"; then
    echo "== installing cargo-lambda $CARGO_LAMBDA_VERSION (about 20 minutes)"
    cargo install cargo-lambda --version "$CARGO_LAMBDA_VERSION" --locked
fi
echo "== $(cargo lambda --version)"

# --- 2. build ----------------------------------------------------------------------------------
echo "== cargo lambda build --release --compiler cargo  ($EXAMPLE)"
(cd "$EXAMPLE" && cargo lambda build --release --compiler cargo)
target_dir="$(cd "$EXAMPLE" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bins="$(cd "$EXAMPLE" && cargo metadata --format-version 1 --no-deps | python3 -c '
import json, os, sys
meta = json.load(sys.stdin)
here = os.path.realpath("Cargo.toml")
for p in meta["packages"]:
    if os.path.realpath(p["manifest_path"]) == here:
        for t in p["targets"]:
            if "bin" in t["kind"]:
                print(t["name"])')"
echo "== bootstraps"
for bin in $bins; do
    bootstrap="$target_dir/lambda/$bin/bootstrap"
    if [ -f "$bootstrap" ]; then
        printf '   %-24s %8s bytes  (%s)\n' "$bin" "$(stat -c %s "$bootstrap")" "$(du -h "$bootstrap" | cut -f1)"
    else
        echo "   $bin: MISSING $bootstrap"
        exit 1
    fi
done

# --- 3. watch ----------------------------------------------------------------------------------
# `cargo lambda watch` runs each function with `cargo run --bin <name>` on its first invocation; build
# those binaries first, so a compile error shows here instead of as a hanging invocation.
echo "== cargo build --bins (what cargo lambda watch runs)"
(cd "$EXAMPLE" && cargo build --bins)
port="${CARGO_LAMBDA_CHECK_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
watch_log="$LOG_DIR/watch.log"
echo "== cargo lambda watch on 127.0.0.1:$port (log: $watch_log)"
(cd "$EXAMPLE" && exec setsid cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$port" --ignore-changes) \
    >"$watch_log" 2>&1 &
watch_pid=$!
stop_watch() {
    # The process group setsid created: cargo-lambda and the function processes it started.
    kill -TERM -- "-$watch_pid" 2>/dev/null || true
    wait "$watch_pid" 2>/dev/null || true
}
trap stop_watch EXIT
for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    if ! kill -0 "$watch_pid" 2>/dev/null; then
        echo "cargo lambda watch exited:"; cat "$watch_log"; exit 1
    fi
    sleep 0.5
done

# --- 4. invocations ----------------------------------------------------------------------------
pass=0
fail=0
results=()
# check FUNCTION PAYLOAD EXPECTATION
check() {
    local function="$1" payload="$2" expect="$3" out status=0
    out="$(timeout "$INVOKE_TIMEOUT" cargo lambda invoke --invoke-address 127.0.0.1 --invoke-port "$port" "$function" \
        --data-ascii "$payload" 2>&1)" || status=$?
    local verdict="FAIL"
    case "$expect" in
        ok:*)
            if [ "$status" -eq 0 ] && python3 -c '
import json, sys
sys.exit(0 if json.loads(sys.argv[1]) == json.loads(sys.argv[2]) else 1)' "$out" "${expect#ok:}" 2>/dev/null; then
                verdict="ok"
            fi ;;
        ok~*) [ "$status" -eq 0 ] && grep -qF -- "${expect#ok~}" <<<"$out" && verdict="ok" ;;
        error:*)
            local spec="${expect#error:}"
            local error_type="${spec%%~*}" text=""
            [ "$spec" != "$error_type" ] && text="${spec#*~}"
            [ "$status" -ne 0 ] && grep -qF -- "Error: $error_type" <<<"$out" && grep -qF -- "$text" <<<"$out" \
                && verdict="ok" ;;
    esac
    if [ "$verdict" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
    results+=("$(printf '%-4s %-16s %-40.40s expect %-32s got (exit %s) %s' "$verdict" "$function" "$payload" \
        "$expect" "$status" "$(tr '\n' ' ' <<<"$out" | cut -c1-160)")")
    echo "${results[-1]}"
}

req() { printf '{"endpoint":"%s","request_id":%s}' "$1" "$2"; }
cause='{\"errorType\":\"ApiError.Unavailable\",\"errorMessage\":\"the API answered HTTP 503\"}'
echo "== invocations"
# callExternalApi: a success, each named error of the simulated API, malformed payloads.
check callExternalApi "$(req /stations/42/readings 1)" 'ok~"status":200,"request_id":1,'
check callExternalApi "$(req /stations/42/readings 3)" 'error:ApiError.Timeout~did not answer within 10 seconds'
check callExternalApi "$(req /stations/42/readings 7)" 'error:ApiError.RateLimited~retry after 30 s'
check callExternalApi "$(req /stations/42/readings 9)" 'error:ApiError.Unavailable~the API answered HTTP 503'
check callExternalApi "$(req /weather 1)" 'error:ApiError.BadRequest~unknown endpoint `/weather`'
check callExternalApi '{"endpoint":"/stations/1","request_id":"one"}' 'error:stepmacro.InvalidInput~`request_id`'
check callExternalApi 'not JSON at all' 'error:stepmacro.InvalidInput~not JSON'
# logError: what a Step Functions Catch hands over (Cause: the Lambda error payload, as a string).
check logError "{\"Error\":\"ApiError.Unavailable\",\"Cause\":\"$cause\"}" \
    'ok:{"error":"ApiError.Unavailable","message":"external API call failed: ApiError.Unavailable: the API answered HTTP 503"}'
check logError '{"Error":"States.Timeout"}' \
    'ok:{"error":"States.Timeout","message":"external API call failed: States.Timeout: "}'
check logError '{"Cause":"no Error field"}' 'error:stepmacro.InvalidInput~missing field `Error`'

# --- 5. summary --------------------------------------------------------------------------------
echo "== summary: $pass passed, $fail failed ($((SECONDS - started)) s)"
[ "$fail" -eq 0 ]
