#!/usr/bin/env python3
"""compare-outcome.py EXPECTED RESULT [--native-display-cause]

Compares an engine's result (the last line of asl-check `execute`'s output) with the native Rust
run's outcome (EXPECTED: {"status", "output"} or {"status", "error", "cause"}). Prints "ok" or
"MISMATCH <what differs>". Shared by scripts/equivalence-moto.sh and scripts/jsonpath-moto.sh.

Status, output and error must match, and the cause too. With --native-display-cause, a native cause
that is a Lambda error payload ({"errorType": ...}) may face an empty engine cause: that is the
Display text of `Err(E::Variant)?`, which a Fail state cannot know (see tests/src/harness.rs).
"""
import json
import sys

expected = json.load(open(sys.argv[1]))
allow_display_cause = "--native-display-cause" in sys.argv[3:]
try:
    got = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
except Exception as e:  # no JSON line: the harness itself failed
    print(f"MISMATCH execute printed no result: {e}")
    sys.exit()


def same(native, other):
    """JSON equality where a native float (2.0) equals the whole number an engine writes (2), as in
    the Rust harness; a native integer must come back as an integer."""
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
    native_cause, other_cause = expected.get("cause") or "", got.get("cause") or ""
    display_cause = allow_display_cause and native_cause.startswith('{"errorType":') and other_cause == ""
    if native_cause != other_cause and not display_cause:
        problems.append(f"cause: native {native_cause!r}, engine {other_cause!r}")
print("MISMATCH " + "; ".join(problems) if problems else "ok")
