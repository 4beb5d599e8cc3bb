#!/usr/bin/env bash
# Runs the expr_* tests, recording every JSONata evaluation, then replays the records on jsonata-js (AWS)
# and jsonata-python (moto / LocalStack, the independent checker) and lists where they disagree with
# jsonata-core. Uses the engines installed by ../shared/tools/asl-check (run its ./validate once).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${ASL_CHECK_CACHE:-$HOME/.cache/asl-check}"
record="${1:-$(mktemp -t stepmacro-jsonata.XXXXXX.jsonl)}"
: >"$record"
(cd "$here/../.." && STEPMACRO_JSONATA_RECORD="$record" cargo test -q -p stepmacro-core --test 'expr_*' >/dev/null)
echo "recorded $(wc -l <"$record") evaluations in $record" >&2
status=0
JSONATA_JS="$cache/node/node_modules/jsonata" node "$here/xcheck.js" "$record" || status=1
"$cache/moto-venv/bin/python" "$here/xcheck.py" "$record" || status=1
exit $status
