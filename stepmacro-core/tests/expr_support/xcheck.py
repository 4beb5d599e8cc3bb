"""Replays recorded evaluations (JSON lines: {code, bindings, result}) on jsonata-python, the engine of
the independent checker (moto / LocalStack), binding variables the way those engines do: as
`($name:=<json>;...<expression>)`, evaluated with no input.
usage: python xcheck.py RECORD.jsonl"""
import json
import sys

import jsonata


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


UNDEFINED = object()


def run(code, bindings):
    decls = "".join(f"${k}:={json.dumps(v, ensure_ascii=False)};" for k, v in bindings.items())
    expr = jsonata.Jsonata("(" + decls + code + ")")
    v = expr.evaluate(None)
    if v is None:
        return UNDEFINED
    return json.loads(json.dumps(v))


def main():
    lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    bad = 0
    for line in lines:
        rec = json.loads(line)
        code, bindings, result = rec["code"], rec["bindings"], rec["result"]
        try:
            v = run(code, bindings)
            got = {"undefined": True} if v is UNDEFINED else {"value": v}
        except Exception as ex:  # noqa: BLE001 - any engine failure is a result
            got = {"error": str(ex)}
        if "error" in result:
            ok = "error" in got
        elif got.get("undefined"):
            # jsonata-python returns None for a top-level null and for undefined alike.
            ok = result.get("undefined") is True or result.get("value", 0) is None
        elif result.get("undefined"):
            ok = got.get("undefined") is True
        else:
            ok = "value" in got and same(got["value"], result["value"])
        if not ok:
            bad += 1
            print(json.dumps({"engine": "jsonata-python", "code": code, "bindings": bindings, "core": result, "py": got}, ensure_ascii=False))
    print(f"jsonata-python: {len(lines) - bad}/{len(lines)} agree", file=sys.stderr)
    sys.exit(1 if bad else 0)


main()
