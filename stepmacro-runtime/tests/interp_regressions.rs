//! Behaviour pinned across the interpreter's performance work (after 84dd2c8): lambda:invoke
//! responses kept as payload + status (`$states.result` read in part, then whole), the JSONata
//! `Arguments` object kept as a list of fields (`FunctionName`/`Payload`/`InvocationType` picked
//! out of it, its history text written from the fields), hand-written history JSON text, the
//! lock-free generator and clock, and Map iterations that share the outer variable scope.
//!
//! Every expected value here was produced by the interpreter at 84dd2c8 (before those changes)
//! with the same seed, start time and execution name, so a failure means the history, output or
//! calls of a run changed, not that a detail of the new code did. `history_digests` pins whole
//! histories (ids, types, timestamps and every text field) byte for byte.

#![cfg(feature = "interpreter")]

mod interp_common;

use std::sync::Arc;
use std::time::Duration;

use interp_common::{failure, interp, output};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use stepmacro_runtime::interpreter::{Execution, sleep};
use stepmacro_runtime::mock::{Behaviour, Mocks};
use stepmacro_runtime::mock_file;

const INVOKE: &str = "arn:aws:states:::lambda:invoke";

/// Mocks in asl-check's MOCKS.json form.
fn mocks(v: Value) -> Mocks {
    mock_file::from_value(&v).unwrap_or_else(|e| panic!("{e}"))
}

/// One run: seed 1, virtual clock from 2024-01-01T00:00:00Z, execution `exec-1`.
fn run(def: &Value, input: Value, m: Value) -> Execution {
    interp(def.clone(), mocks(m)).run_blocking(input)
}

/// A JSONata machine.
fn jsonata(start: &str, states: Value) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": start, "States": states})
}

/// A JSONPath machine whose states are JSONata unless marked `"QueryLanguage": "JSONPath"` (a
/// JSONata machine may not switch states back to JSONPath).
fn mixed(start: &str, mut states: Value) -> Value {
    for st in states.as_object_mut().expect("states object").values_mut() {
        let st = st.as_object_mut().expect("state object");
        if st.get("QueryLanguage") == Some(&json!("JSONPath")) {
            st.remove("QueryLanguage");
        } else {
            st.insert("QueryLanguage".into(), json!("JSONata"));
        }
    }
    json!({"StartAt": start, "States": states})
}

/// The history as AWS would print it (what the digests and text checks read).
fn events(e: &Execution) -> Vec<Value> {
    match serde_json::to_value(&e.history).expect("the history serialises") {
        Value::Array(v) => v,
        other => panic!("history is not an array: {other}"),
    }
}

/// The `...EventDetails` object of an event.
fn details(ev: &Value) -> &Value {
    ev.as_object()
        .and_then(|o| o.iter().find(|(k, _)| k.ends_with("EventDetails")))
        .map(|(_, v)| v)
        .unwrap_or(&Value::Null)
}

/// `field` of the details of every event of type `ty`, in order.
fn texts(e: &Execution, ty: &str, field: &str) -> Vec<String> {
    events(e)
        .iter()
        .filter(|ev| ev["type"] == ty)
        .map(|ev| details(ev)[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// `type@timestamp` for every event (on the virtual clock).
fn timeline(e: &Execution) -> Vec<String> {
    events(e)
        .iter()
        .map(|ev| {
            let ts = ev["timestamp"].as_str().unwrap_or_default();
            format!("{}@{ts}", ev["type"].as_str().unwrap_or_default())
        })
        .collect()
}

/// The timestamps of the events of type `ty`.
fn times_of(e: &Execution, ty: &str) -> Vec<String> {
    events(e)
        .iter()
        .filter(|ev| ev["type"] == ty)
        .map(|ev| ev["timestamp"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn event_types(e: &Execution) -> Vec<String> {
    events(e)
        .iter()
        .map(|ev| ev["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// SHA-256 of the compact JSON of the whole history plus the calls (hex).
fn digest(e: &Execution) -> String {
    let calls: Vec<Value> = e
        .calls
        .iter()
        .map(|c| {
            json!({"state": &*c.state, "resource": &*c.resource, "key": &*c.key,
                   "mock": c.mock.as_deref(), "input": c.input})
        })
        .collect();
    let text = serde_json::to_string(&json!({"history": events(e), "calls": calls}))
        .expect("the history serialises");
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every JSON text in the history (inputs, outputs, parameters, assigned variables) is what
/// `serde_json::to_string` writes for the value it denotes: the hand-written writer must stay
/// byte-identical to serde_json.
fn assert_texts_are_serde_json(e: &Execution) {
    for ev in events(e) {
        let d = details(&ev);
        let mut found: Vec<(String, &str)> = ["input", "output", "parameters"]
            .iter()
            .filter_map(|f| d[*f].as_str().map(|t| ((*f).to_owned(), t)))
            .collect();
        if let Some(vars) = d["assignedVariables"].as_object() {
            found.extend(
                vars.iter()
                    .filter_map(|(k, v)| v.as_str().map(|t| (format!("${k}"), t))),
            );
        }
        for (field, text) in found {
            let v: Value = serde_json::from_str(text)
                .unwrap_or_else(|err| panic!("{field} of {ev} is not JSON: {err}"));
            assert_eq!(
                serde_json::to_string(&v).unwrap(),
                text,
                "{field} of event {} is not serde_json's text",
                ev["id"]
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Definitions (shared by the focused tests and the digests)
// ---------------------------------------------------------------------------------------------

/// The response read in part (`Payload...`, `StatusCode`, `ExecutedVersion`) by `Assign`, then
/// whole and in part by `Output`, then the variables read by the next state.
fn part_then_whole() -> (Value, Value, Value) {
    let def = jsonata(
        "T",
        json!({
            "T": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                  "Assign": {"p": "{% $states.result.Payload %}",
                             "pv": "{% $states.result.Payload.got.v %}",
                             "sc": "{% $states.result.StatusCode %}",
                             "ev": "{% $states.result.ExecutedVersion %}"},
                  "Output": "{% {'part': $states.result.Payload.got, 'whole': $states.result, 'sc': $states.result.StatusCode} %}",
                  "Next": "P"},
            "P": {"Type": "Pass",
                  "Output": "{% {'in': $states.input, 'p': $p, 'pv': $pv, 'sc': $sc, 'ev': $ev} %}",
                  "End": true}
        }),
    );
    (
        def,
        json!({"v": [1, 2.25, "x"]}),
        json!({"f": {"jsonata": "{'got': $}"}}),
    )
}

/// No `Output`: the state's output is the whole response, whatever `Assign` read of it.
fn no_output() -> (Value, Value, Value) {
    let def = jsonata(
        "T",
        json!({
            "T": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"FunctionName": "f", "Payload": {"a": "{% $states.input.a %}", "lit": [1, {"b": null}]}},
                  "Assign": {"x": "{% $states.result.Payload %}"}, "Next": "U"},
            "U": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"FunctionName": "f", "Payload": "{% $x %}"},
                  "Assign": {"w": "{% $states.result %}", "y": "{% $states.result.Payload.a %}"}, "Next": "V"},
            "V": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"FunctionName": "f", "Payload": "{% [$w.StatusCode, $y] %}"}, "End": true}
        }),
    );
    (def, json!({"a": "A"}), json!({"f": {"jsonata": "$"}}))
}

/// `InvocationType: Event` (literal, from an expression, and in JSONPath `Parameters`): 202 and
/// an empty payload; `RequestResponse` answers normally.
fn event_invocations() -> (Value, Value, Value) {
    let def = mixed(
        "T",
        json!({
            "T": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"FunctionName": "f", "InvocationType": "Event", "Payload": "{% $states.input %}"}, "Next": "U"},
            "U": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"InvocationType": "Event", "FunctionName": "f", "Payload": {"k": 1}},
                  "Output": "{% {'p': $states.result.Payload, 'sc': $states.result.StatusCode, 'len': $length($states.result.Payload)} %}",
                  "Next": "V"},
            "V": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"InvocationType": "{% 'Ev' & 'ent' %}", "FunctionName": "f"}, "Next": "J"},
            "J": {"Type": "Task", "QueryLanguage": "JSONPath", "Resource": INVOKE,
                  "Parameters": {"FunctionName": "f", "InvocationType": "Event", "Payload.$": "$"},
                  "ResultSelector": {"p.$": "$.Payload", "c.$": "$.StatusCode"}, "Next": "W"},
            "W": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"InvocationType": "RequestResponse", "FunctionName": "f", "Payload": "{% $states.input %}"}, "End": true}
        }),
    );
    (
        def,
        json!({"a": 1}),
        json!({"f": {"jsonata": "{'got': $}"}}),
    )
}

/// `Payload` as JSON text (parsed), as other text (kept), `null` (`{}`), text from an
/// expression, an array, and absent.
fn payload_forms() -> (Value, Value, Value) {
    let def = jsonata(
        "T",
        json!({
            "T": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": "{\"a\": [1, 2]}"}, "Next": "U"},
            "U": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": "not json"}, "Next": "V"},
            "V": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": null}, "Next": "W"},
            "W": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": "{% $string({'z': 1}) %}"}, "Next": "X"},
            "X": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": "{% [1, 2] %}"}, "Next": "Y"},
            "Y": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f"}, "Output": "{% $states.result.Payload %}", "End": true}
        }),
    );
    (def, json!({}), json!({"f": {"jsonata": "{'got': $}"}}))
}

/// `FunctionName` last of six keys, computed, with keys the interpreter ignores; the history's
/// `parameters` text keeps the `Arguments` order. Then JSONPath `Parameters` in its own order.
fn argument_order() -> (Value, Value, Value) {
    let def = mixed(
        "T",
        json!({
            "T": {"Type": "Task", "Resource": INVOKE,
                  "Arguments": {"Payload": "{% $states.input %}", "Qualifier": "live", "ClientContext": "e30=",
                                "InvocationType": "RequestResponse", "LogType": "None", "FunctionName": "{% 'f' %}"},
                  "Output": "{% $states.input %}", "Next": "J"},
            "J": {"Type": "Task", "QueryLanguage": "JSONPath", "Resource": INVOKE,
                  "Parameters": {"Qualifier": "q", "Payload.$": "$", "FunctionName": "g:live", "InvocationType": "RequestResponse"},
                  "ResultPath": "$.r", "End": true}
        }),
    );
    (
        def,
        json!({"x": "\u{7}", "n": 1.0}),
        json!({"f": {"jsonata": "{'got': $}"}, "g": {"jsonata": "{'g': $}"}}),
    )
}

/// Text and numbers that stress the JSON writer: every escape, control characters, non-ASCII,
/// U+2028, floats, integers beyond 2^53, in state outputs, task parameters and variables.
fn escapes_and_floats() -> (Value, Value, Value) {
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Pass",
              "Result": {"s": "q \" b \\ / \n \t \r \u{8} \u{c} \u{0} \u{1f} \u{7f} é ✓ 😀 \u{2028}",
                         "f": [0.1, 1e300, 5e-324, -0.0, 1.5, 123_456_789_012_345_678_u64, -9_007_199_254_740_993_i64, 1e21, 1e-7],
                         "k": {"ke\"y\n": "\u{1}"}},
              "ResultPath": "$.lit", "Next": "A"},
        "A": {"Type": "Pass", "QueryLanguage": "JSONata",
              "Assign": {"calc": "{% 0.1 + 0.2 %}", "s": "{% $states.input.lit.s %}", "third": "{% 1/3 %}"},
              "Output": "{% {'lit': $states.input.lit, 'in': $states.input.in, 'big': 1e21} %}", "Next": "T"},
        "T": {"Type": "Task", "QueryLanguage": "JSONata", "Resource": INVOKE,
              "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}", "Extra\u{2}": "é\"\\", "calc": "{% $calc %}"},
              "Next": "S"},
        "S": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
              "Parameters": {"Message.$": "States.JsonToString($.Payload.got.lit)", "Subject": "\u{7}", "f.$": "States.Array($.Payload.got.lit.f[1], 2.5e-3)"},
              "End": true}
    }});
    (
        def,
        json!({"in": "\u{3}\u{2029}"}),
        json!({"f": {"jsonata": "{'got': $, 'n': 1.5}"},
               "arn:aws:states:::sns:publish": {"jsonata": "{'MessageId': 'm\u{1}', 'echo': $}"}}),
    )
}

/// FULL jitter retries under a seed, then `$uuid()`/`$random()` draws: the generator must give
/// the same numbers in the same order as before.
fn jitter_jsonata() -> (Value, Value, Value) {
    let def = jsonata(
        "T",
        json!({
            "T": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                  "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 3, "BackoffRate": 2.0, "MaxAttempts": 5, "MaxDelaySeconds": 10, "JitterStrategy": "FULL"}],
                  "Output": "{% {'r': $states.result.Payload, 'u': $uuid(), 'x': $random(), 'c': $states.context.State.RetryCount, 'now': $now()} %}",
                  "Next": "P"},
            "P": {"Type": "Pass", "Output": "{% {'u': $uuid(), 'r': $random(), 'prev': $states.input, 'entered': $states.context.State.EnteredTime} %}", "End": true}
        }),
    );
    let fails = |c: &str| json!({"throw": {"error": "E", "cause": c}});
    (
        def,
        json!({"a": 1}),
        json!({"f": [fails("c1"), fails("c2"), fails("c3"), {"return": {"ok": true}}]}),
    )
}

/// The same in JSONPath, with `States.UUID` and `States.MathRandom`.
fn jitter_jsonpath() -> (Value, Value, Value) {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "f", "Payload.$": "$"},
              "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 4, "JitterStrategy": "FULL"}],
              "Next": "P"},
        "P": {"Type": "Pass", "Parameters": {"u.$": "States.UUID()", "r.$": "States.MathRandom(1, 1000000)", "t.$": "$$.State.EnteredTime"}, "End": true}
    }});
    let fails = |e: &str| json!({"throw": {"error": e, "cause": "x"}});
    (
        def,
        json!({"a": 1}),
        json!({"f": [fails("E"), fails("E2"), fails("E"), {"return": {"ok": true}}]}),
    )
}

/// Concurrent Map iterations that wait, retry with jitter and draw `$uuid()`/`$random()`: the
/// draws interleave across iterations in a fixed order.
fn map_jitter() -> (Value, Value, Value) {
    let def = jsonata(
        "M",
        json!({
            "M": {"Type": "Map", "Items": "{% [1, 2, 3, 4, 5] %}", "MaxConcurrency": 3,
                  "ItemProcessor": {"StartAt": "W", "States": {
                      "W": {"Type": "Wait", "Seconds": "{% $states.input %}", "Next": "T"},
                      "T": {"Type": "Task", "Resource": INVOKE,
                            "Arguments": {"FunctionName": "f", "Payload": {"i": "{% $states.input %}", "u": "{% $uuid() %}"}},
                            "Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 2, "BackoffRate": 1.5, "MaxAttempts": 4, "MaxDelaySeconds": 7, "JitterStrategy": "FULL"}],
                            "Output": "{% {'p': $states.result.Payload, 'r': $random(), 'at': $now()} %}", "End": true}}},
                  "End": true}
        }),
    );
    let answers: Vec<Value> = (0..30)
        .map(|i| {
            if i % 3 == 2 {
                json!({"jsonata": "$"})
            } else {
                json!({"throw": {"error": "E", "cause": i.to_string()}})
            }
        })
        .collect();
    (def, json!({}), json!({ "f": answers }))
}

/// Wait by seconds, by timestamp (future, past, and one ~474 years on, past what an i64 of
/// nanoseconds holds), then `$now()`, `$millis()` and the context's times.
fn waits() -> (Value, Value, Value) {
    let def = jsonata(
        "W1",
        json!({
            "W1": {"Type": "Wait", "Seconds": 3600, "Next": "P1"},
            "P1": {"Type": "Pass", "Assign": {"t1": "{% $now() %}", "e1": "{% $states.context.State.EnteredTime %}"}, "Next": "W2"},
            "W2": {"Type": "Wait", "Timestamp": "2024-06-01T00:00:00.123Z", "Next": "W3"},
            "W3": {"Type": "Wait", "Timestamp": "2020-01-01T00:00:00Z", "Next": "W4"},
            "W4": {"Type": "Wait", "Seconds": "{% 1 %}", "Next": "P2"},
            "P2": {"Type": "Pass", "Assign": {"t2": "{% $now() %}", "m2": "{% $millis() %}"}, "Next": "W5"},
            "W5": {"Type": "Wait", "Timestamp": "2500-01-01T00:00:00Z", "Next": "P3"},
            "P3": {"Type": "Pass", "Output": "{% {'t1': $t1, 'e1': $e1, 't2': $t2, 'm2': $m2, 'now': $now(), 'millis': $millis(), 'entered': $states.context.State.EnteredTime, 'start': $states.context.Execution.StartTime} %}", "Next": "W6"},
            "W6": {"Type": "Wait", "Seconds": 5, "Next": "P4"},
            "P4": {"Type": "Pass", "Output": "{% {'prev': $states.input, 'now': $now()} %}", "End": true}
        }),
    );
    (def, json!({}), json!({}))
}

/// A Map processor whose Catcher assigns: each iteration needs its own scope. Run one at a time
/// (a leak shows in the next iteration's `Check`) and all at once (the waits interleave them,
/// so a leak shows in a later `After`).
fn map_catcher_assign(max_concurrency: u64) -> (Value, Value, Value) {
    let def = jsonata(
        "A",
        json!({
            "A": {"Type": "Pass", "Assign": {"o": "outer"}, "Next": "M"},
            "M": {"Type": "Map", "Items": "{% $states.input.items %}", "MaxConcurrency": max_concurrency,
                  "ItemProcessor": {"StartAt": "Check", "States": {
                      "Check": {"Type": "Pass", "Output": "{% {'item': $states.input, 'seen': $exists($v) ? $v : 'none'} %}", "Next": "T"},
                      "T": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "m", "Payload": "{% $states.input %}"},
                            "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"v": "{% $states.input.item %}"}, "Output": "{% $states.input %}", "Next": "Pause"}],
                            "Output": "{% $states.result.Payload %}", "Next": "Pause"},
                      "Pause": {"Type": "Wait", "Seconds": "{% 5 - $states.input.item %}", "Next": "After"},
                      "After": {"Type": "Pass", "Output": "{% {'in': $states.input, 'v': $exists($v) ? $v : 'none', 'outer': $o} %}", "End": true}}},
                  "Next": "Z"},
            "Z": {"Type": "Pass", "Output": "{% {'r': $states.input, 'v': $exists($v) ? $v : 'none'} %}", "End": true}
        }),
    );
    (
        def,
        json!({"items": [0, 1, 2, 3, 4]}),
        json!({"m": {"jsonata": "item % 2 = 0 ? {'throw': {'error': 'Even', 'cause': $string(item)}} : {'return': $}", "as": "response"}}),
    )
}

/// A Map processor whose only `Assign` is on a Choice rule.
fn map_choice_rule_assign() -> (Value, Value, Value) {
    let def = jsonata(
        "M",
        json!({
            "M": {"Type": "Map", "Items": "{% [1, 2, 3, 4] %}", "MaxConcurrency": 1,
                  "ItemProcessor": {"StartAt": "C", "States": {
                      "C": {"Type": "Choice", "Choices": [
                              {"Condition": "{% $exists($seen) %}", "Output": "{% 'leaked:' & $string($seen) %}", "Next": "Done"},
                              {"Condition": "{% $states.input > 1 %}", "Assign": {"seen": "{% $states.input %}"}, "Next": "Mark"}],
                            "Default": "Done"},
                      "Mark": {"Type": "Pass", "Output": "{% {'x': $states.input, 'seen': $seen} %}", "Next": "Done"},
                      "Done": {"Type": "Succeed"}}},
                  "Next": "After"},
            "After": {"Type": "Pass", "Output": "{% {'r': $states.input, 'seen': $exists($seen)} %}", "End": true}
        }),
    );
    (def, json!({}), json!({}))
}

/// Map in Map: the outer processor assigns (`row`), the inner one assigns (`inner`) after
/// reading; plus a Map in Map that assigns nothing and reads an outer variable.
fn nested_maps() -> (Value, Value, Value) {
    let def = jsonata(
        "A",
        json!({
            "A": {"Type": "Pass", "Assign": {"o": "O"}, "Next": "M"},
            "M": {"Type": "Map", "Items": "{% $states.input %}", "MaxConcurrency": 2,
                  "ItemProcessor": {"StartAt": "S", "States": {
                      "S": {"Type": "Pass", "Assign": {"row": "{% $states.input.row %}"}, "Next": "Inner"},
                      "Inner": {"Type": "Map", "Items": "{% $states.input.cols %}",
                                "ItemProcessor": {"StartAt": "X", "States": {
                                    "X": {"Type": "Pass", "Output": "{% $o & ':' & $string($row) & ':' & $string($states.input) & ':' & ($exists($inner) ? 'leak' : 'ok') %}", "Next": "Y"},
                                    "Y": {"Type": "Pass", "Assign": {"inner": "{% $states.input %}"}, "End": true}}},
                                "End": true}}},
                  "Next": "N"},
            "N": {"Type": "Map", "Items": "{% [[1, 2], [3]] %}",
                  "ItemProcessor": {"StartAt": "NI", "States": {
                      "NI": {"Type": "Map", "Items": "{% $states.input %}",
                             "ItemProcessor": {"StartAt": "NX", "States": {
                                 "NX": {"Type": "Pass", "Output": "{% $o & $string($states.input) %}", "End": true}}},
                             "End": true}}},
                  "Assign": {"n": "{% $states.result %}"},
                  "Output": "{% $states.input %}", "Next": "Z"},
            "Z": {"Type": "Pass", "Output": "{% {'r': $states.input, 'n': $n, 'row': $exists($row), 'inner': $exists($inner)} %}", "End": true}
        }),
    );
    (
        def,
        json!([{"row": 1, "cols": [1, 2]}, {"row": 2, "cols": [3]}, {"row": 3, "cols": []}]),
        json!({}),
    )
}

/// A Map processor with no `Assign` anywhere reads outer variables (and the iteration's Task
/// reads the response's payload); the Map's own `Assign` writes the outer scope.
fn map_reads_outer() -> (Value, Value, Value) {
    let def = jsonata(
        "A",
        json!({
            "A": {"Type": "Pass", "Assign": {"o": {"k": [1, 2]}, "n": 10}, "Next": "M"},
            "M": {"Type": "Map", "Items": "{% $states.input %}",
                  "ItemSelector": {"i": "{% $states.context.Map.Item.Index %}", "v": "{% $states.context.Map.Item.Value %}"},
                  "ItemProcessor": {"StartAt": "P", "States": {
                      "P": {"Type": "Pass", "Output": "{% {'v': $states.input.v * $n, 'o': $o.k[1], 'i': $states.input.i} %}", "Next": "T"},
                      "T": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                            "Output": "{% $states.result.Payload %}", "End": true}}},
                  "Assign": {"after": "{% $count($states.result) %}"}, "Next": "Z"},
            "Z": {"Type": "Pass", "Output": "{% {'r': $states.input, 'after': $after, 'n': $n} %}", "End": true}
        }),
    );
    (
        def,
        json!([1, 2, 3]),
        json!({"f": {"jsonata": "{'got': $}"}}),
    )
}

/// Parallel branches (child scopes) holding Maps that assign nothing.
fn parallel_maps() -> (Value, Value, Value) {
    let def = jsonata(
        "A",
        json!({
            "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [
                     {"StartAt": "B1", "States": {
                         "B1": {"Type": "Pass", "Assign": {"w": 2, "y": "{% $x %}"}, "Next": "B1M"},
                         "B1M": {"Type": "Map", "Items": "{% [1, 2] %}", "ItemProcessor": {"StartAt": "I", "States": {
                             "I": {"Type": "Pass", "Output": "{% [$x, $y, $w, $states.input] %}", "End": true}}}, "End": true}}},
                     {"StartAt": "B2", "States": {
                         "B2": {"Type": "Map", "Items": "{% [1, 2] %}", "ItemProcessor": {"StartAt": "I2", "States": {
                             "I2": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": "{% [$x, $exists($y), $states.input] %}"}, "End": true}}}, "End": true}}}],
                  "Assign": {"z": "{% $states.result %}"}, "Next": "Z"},
            "Z": {"Type": "Pass", "Output": "{% {'x': $x, 'z': $z, 'y': $exists($y), 'w': $exists($w)} %}", "End": true}
        }),
    );
    (def, json!({}), json!({"f": {"jsonata": "$"}}))
}

/// Direct Lambda ARNs (JSONata and JSONPath), qualified, and callbacks with task tokens.
fn direct_and_token() -> (Value, Value, Value) {
    let def = mixed(
        "D",
        json!({
            "D": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                  "Arguments": {"z": "{% $states.input %}", "a": 1}, "Output": "{% {'r': $states.result} %}", "Next": "Q"},
            "Q": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:g:live",
                  "Output": "{% {'q': $states.result} %}", "Next": "J"},
            "J": {"Type": "Task", "QueryLanguage": "JSONPath", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                  "Parameters": {"z.$": "$", "a": 1}, "ResultPath": "$.j", "Next": "K"},
            "K": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Arguments": {"FunctionName": "f", "Payload": {"token": "{% $states.context.Task.Token %}"}},
                  "Assign": {"k": "{% $states.result %}"}, "Next": "S"},
            "S": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                  "Arguments": {"MessageBody": {"t": "{% $states.context.Task.Token %}"}},
                  "Output": "{% {'k': $k, 's': $states.result} %}", "End": true}
        }),
    );
    (
        def,
        json!({"x": 1}),
        json!({"f": {"jsonata": "$"}, "g:live": {"return": [1]}, "arn:aws:states:::sqs:sendMessage": {"jsonata": "$"}}),
    )
}

/// `$states.result.Payload...` where the fast path must hand over to the full evaluator: an
/// array on the way, a missing field (an error the Catcher sees), a scalar payload.
fn payload_fallbacks() -> (Value, Value, Value) {
    let def = jsonata(
        "T",
        json!({
            "T": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "f", "Payload": {"x": [1, 2], "y": 2.0}},
                  "Output": "{% {'a': $states.result.Payload.x, 'b': $states.result.Payload.x[1], 'y': $states.result.Payload.y, 'c': $states.result.Payload} %}",
                  "Next": "U"},
            "U": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "g"},
                  "Assign": {"a": "{% $states.result.Payload %}"}, "Output": "{% $states.result.Payload.nope %}",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% {'err': $states.errorOutput} %}", "Next": "Z"}], "End": true},
            "Z": {"Type": "Pass", "Output": "{% {'in': $states.input, 'a': $exists($a)} %}", "End": true}
        }),
    );
    (
        def,
        json!({}),
        json!({"f": {"jsonata": "$"}, "g": {"return": 7}}),
    )
}

/// Everything above, for the digests.
fn all_definitions() -> Vec<(&'static str, (Value, Value, Value))> {
    vec![
        ("part_then_whole", part_then_whole()),
        ("no_output", no_output()),
        ("event_invocations", event_invocations()),
        ("payload_forms", payload_forms()),
        ("argument_order", argument_order()),
        ("escapes_and_floats", escapes_and_floats()),
        ("jitter_jsonata", jitter_jsonata()),
        ("jitter_jsonpath", jitter_jsonpath()),
        ("map_jitter", map_jitter()),
        ("waits", waits()),
        ("map_catcher_assign_1", map_catcher_assign(1)),
        ("map_catcher_assign_0", map_catcher_assign(0)),
        ("map_choice_rule_assign", map_choice_rule_assign()),
        ("nested_maps", nested_maps()),
        ("map_reads_outer", map_reads_outer()),
        ("parallel_maps", parallel_maps()),
        ("direct_and_token", direct_and_token()),
        ("payload_fallbacks", payload_fallbacks()),
    ]
}

fn run_case((def, input, m): &(Value, Value, Value)) -> Execution {
    run(def, input.clone(), m.clone())
}

// ---------------------------------------------------------------------------------------------
// lambda:invoke responses (StateResult)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_response_read_in_part_then_whole_is_the_full_object() {
    let e = run_case(&part_then_whole());
    let whole = json!({"ExecutedVersion": "$LATEST", "Payload": {"got": {"v": [1, 2.25, "x"]}}, "StatusCode": 200});
    assert_eq!(
        output(&e),
        json!({"in": {"part": {"v": [1, 2.25, "x"]}, "whole": whole, "sc": 200},
               "p": {"got": {"v": [1, 2.25, "x"]}}, "pv": [1, 2.25, "x"], "sc": 200, "ev": "$LATEST"})
    );
    assert_eq!(
        texts(&e, "TaskSucceeded", "output"),
        [r#"{"ExecutedVersion":"$LATEST","Payload":{"got":{"v":[1,2.25,"x"]}},"StatusCode":200}"#]
    );
    let exited = events(&e)
        .into_iter()
        .find(|ev| ev["type"] == "TaskStateExited")
        .unwrap();
    assert_eq!(
        details(&exited)["assignedVariables"],
        json!({"ev": "\"$LATEST\"", "p": r#"{"got":{"v":[1,2.25,"x"]}}"#, "pv": r#"[1,2.25,"x"]"#, "sc": "200"})
    );
    assert_texts_are_serde_json(&e);
}

#[test]
fn without_output_the_state_output_is_the_whole_response() {
    let e = run_case(&no_output());
    let response =
        |p: Value| json!({"ExecutedVersion": "$LATEST", "Payload": p, "StatusCode": 200});
    assert_eq!(output(&e), response(json!([200, "A"])));
    assert_eq!(
        texts(&e, "TaskStateExited", "output"),
        [
            r#"{"ExecutedVersion":"$LATEST","Payload":{"a":"A","lit":[1,{"b":null}]},"StatusCode":200}"#,
            r#"{"ExecutedVersion":"$LATEST","Payload":{"a":"A","lit":[1,{"b":null}]},"StatusCode":200}"#,
            r#"{"ExecutedVersion":"$LATEST","Payload":[200,"A"],"StatusCode":200}"#,
        ]
    );
    let inputs: Vec<&Value> = e.calls.iter().map(|c| &c.input).collect();
    assert_eq!(
        inputs,
        [
            &json!({"a": "A", "lit": [1, {"b": null}]}),
            &json!({"a": "A", "lit": [1, {"b": null}]}),
            &json!([200, "A"]),
        ]
    );
}

#[test]
fn event_invocations_answer_202_with_an_empty_payload() {
    let e = run_case(&event_invocations());
    let event = r#"{"ExecutedVersion":"$LATEST","Payload":"","StatusCode":202}"#;
    assert_eq!(
        texts(&e, "TaskSucceeded", "output"),
        [
            event,
            event,
            event,
            event,
            r#"{"ExecutedVersion":"$LATEST","Payload":{"got":{"p":"","c":202}},"StatusCode":200}"#,
        ]
    );
    assert_eq!(
        texts(&e, "TaskStateExited", "output")[1],
        r#"{"p":"","sc":202,"len":0}"#
    );
    assert_eq!(
        texts(&e, "TaskScheduled", "parameters"),
        [
            r#"{"FunctionName":"f","InvocationType":"Event","Payload":{"a":1}}"#,
            r#"{"InvocationType":"Event","FunctionName":"f","Payload":{"k":1}}"#,
            r#"{"InvocationType":"Event","FunctionName":"f"}"#,
            r#"{"FunctionName":"f","InvocationType":"Event","Payload":{"ExecutedVersion":"$LATEST","Payload":"","StatusCode":202}}"#,
            r#"{"InvocationType":"RequestResponse","FunctionName":"f","Payload":{"p":"","c":202}}"#,
        ]
    );
    // The function still runs (and gets its payload) on an asynchronous invocation.
    assert_eq!(e.calls.len(), 5);
    assert_eq!(e.calls[0].input, json!({"a": 1}));
    assert_eq!(e.calls[2].input, json!({}));
    assert_eq!(
        output(&e),
        json!({"ExecutedVersion": "$LATEST", "Payload": {"got": {"p": "", "c": 202}}, "StatusCode": 200})
    );
}

#[test]
fn payload_text_is_parsed_when_it_is_json_and_kept_otherwise() {
    let e = run_case(&payload_forms());
    let inputs: Vec<Value> = e.calls.iter().map(|c| c.input.clone()).collect();
    assert_eq!(
        inputs,
        [
            json!({"a": [1, 2]}),
            json!("not json"),
            json!({}),
            json!({"z": 1}),
            json!([1, 2]),
            json!({}),
        ]
    );
    assert_eq!(
        texts(&e, "TaskScheduled", "parameters"),
        [
            r#"{"FunctionName":"f","Payload":"{\"a\": [1, 2]}"}"#,
            r#"{"FunctionName":"f","Payload":"not json"}"#,
            r#"{"FunctionName":"f","Payload":null}"#,
            r#"{"FunctionName":"f","Payload":"{\"z\":1}"}"#,
            r#"{"FunctionName":"f","Payload":[1,2]}"#,
            r#"{"FunctionName":"f"}"#,
        ]
    );
    assert_eq!(output(&e), json!({"got": {}}));
}

// ---------------------------------------------------------------------------------------------
// lambda:invoke input (TaskInput::Fields)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_function_name_that_is_not_a_string_fails_with_states_runtime() {
    let message = "The field 'FunctionName' is required for 'arn:aws:states:::lambda:invoke' and must be a string (state 'T')";
    let jsonata_task = |args: Value| {
        jsonata(
            "T",
            json!({"T": {"Type": "Task", "Resource": INVOKE, "Arguments": args, "End": true}}),
        )
    };
    let mut defs: Vec<(String, Value, Value)> = [
        json!(5),
        json!({"a": 1}),
        json!(null),
        json!(["f"]),
        json!(true),
        json!("{% 1 + 1 %}"),
        json!("{% ['f'] %}"),
    ]
    .into_iter()
    .map(|f| {
        (
            format!("FunctionName {f}"),
            jsonata_task(json!({"Payload": {}, "FunctionName": f})),
            json!({}),
        )
    })
    .collect();
    defs.push((
        "no FunctionName".into(),
        jsonata_task(json!({"Payload": {"x": "{% 1 %}"}})),
        json!({}),
    ));
    defs.push((
        "no Arguments, input without FunctionName".into(),
        jsonata(
            "T",
            json!({"T": {"Type": "Task", "Resource": INVOKE, "End": true}}),
        ),
        json!({"Payload": 1}),
    ));
    defs.push((
        "Arguments not an object".into(),
        jsonata_task(json!("{% 'f' %}")),
        json!({}),
    ));
    defs.push((
        "JSONPath without FunctionName".into(),
        json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"Payload.$": "$"}, "End": true}}}),
        json!({}),
    ));
    defs.push((
        "JSONPath FunctionName from a number".into(),
        json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName.$": "$.n"}, "End": true}}}),
        json!({"n": 3}),
    ));
    defs.push((
        "Retry and Catch do not see it".into(),
        jsonata(
            "T",
            json!({"T": {"Type": "Task", "Resource": INVOKE, "Arguments": {"Payload": "{% $states.input %}"},
                         "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                         "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "D"}], "End": true},
                   "D": {"Type": "Succeed"}}),
        ),
        json!({}),
    ));
    for (what, def, input) in defs {
        let e = run(&def, input, json!({"*": {"jsonata": "$"}}));
        assert_eq!(
            failure(&e),
            ("States.Runtime".to_owned(), message.to_owned()),
            "{what}"
        );
        assert_eq!(
            event_types(&e),
            ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"],
            "{what}"
        );
        assert!(e.calls.is_empty(), "{what}");
    }
}

#[test]
fn scheduled_parameters_keep_the_arguments_order_and_extra_keys() {
    let e = run_case(&argument_order());
    assert_eq!(
        texts(&e, "TaskScheduled", "parameters"),
        [
            r#"{"Payload":{"x":"\u0007","n":1},"Qualifier":"live","ClientContext":"e30=","InvocationType":"RequestResponse","LogType":"None","FunctionName":"f"}"#,
            r#"{"Qualifier":"q","Payload":{"x":"\u0007","n":1},"FunctionName":"g:live","InvocationType":"RequestResponse"}"#,
        ]
    );
    let calls: Vec<(&str, Option<&str>, &Value)> = e
        .calls
        .iter()
        .map(|c| (&*c.key, c.mock.as_deref(), &c.input))
        .collect();
    assert_eq!(
        calls,
        [
            ("f", Some("f"), &json!({"x": "\u{7}", "n": 1})),
            ("g:live", Some("g"), &json!({"x": "\u{7}", "n": 1})),
        ]
    );
    assert_eq!(
        output(&e),
        json!({"x": "\u{7}", "n": 1, "r": {"ExecutedVersion": "$LATEST", "Payload": {"g": {"x": "\u{7}", "n": 1}}, "StatusCode": 200}})
    );
}

#[test]
fn direct_arns_and_task_tokens() {
    let e = run_case(&direct_and_token());
    assert_eq!(
        texts(&e, "LambdaFunctionScheduled", "input"),
        [
            r#"{"z":{"x":1},"a":1}"#,
            r#"{"r":{"z":{"x":1},"a":1}}"#,
            r#"{"z":{"q":[1]},"a":1}"#
        ]
    );
    assert_eq!(
        texts(&e, "LambdaFunctionSucceeded", "output"),
        [r#"{"z":{"x":1},"a":1}"#, "[1]", r#"{"z":{"q":[1]},"a":1}"#]
    );
    // The tokens come from the seeded generator: same seed, same tokens.
    let token_calls: Vec<&Value> = e.calls[3..].iter().map(|c| &c.input).collect();
    assert_eq!(
        token_calls,
        [
            &json!({"token": "910a2dec-8902-4cc1-beeb-8da1658eec67"}),
            &json!({"MessageBody": {"t": "f893a2ee-fb32-455e-b1c1-8690ee42c90b"}}),
        ]
    );
    assert_eq!(
        output(&e),
        json!({"k": {"token": "910a2dec-8902-4cc1-beeb-8da1658eec67"}, "s": {"MessageBody": {"t": "f893a2ee-fb32-455e-b1c1-8690ee42c90b"}}})
    );
}

#[test]
fn payload_reads_the_fast_path_cannot_answer() {
    let e = run_case(&payload_fallbacks());
    assert_eq!(
        output(&e),
        json!({"in": {"err": {"Error": "States.QueryEvaluationError",
                              "Cause": "The JSONata expression '$states.result.Payload.nope' specified for the field 'Output' returned nothing (undefined)."}},
               "a": false})
    );
    assert_eq!(
        texts(&e, "TaskStateExited", "output")[0],
        r#"{"a":[1,2],"b":2,"y":2,"c":{"x":[1,2],"y":2}}"#
    );
}

// ---------------------------------------------------------------------------------------------
// History JSON text
// ---------------------------------------------------------------------------------------------

#[test]
fn history_text_escapes_and_numbers_are_serde_jsons() {
    let e = run_case(&escapes_and_floats());
    assert_texts_are_serde_json(&e);
    let exited = texts(&e, "PassStateExited", "output");
    assert_eq!(
        exited[0],
        "{\"in\":\"\\u0003\u{2029}\",\"lit\":{\"s\":\"q \\\" b \\\\ / \\n \\t \\r \\b \\f \\u0000 \\u001f \u{7f} é ✓ 😀 \u{2028}\",\"f\":[0.1,1e+300,5e-324,-0.0,1.5,123456789012345678,-9007199254740993,1e+21,1e-7],\"k\":{\"ke\\\"y\\n\":\"\\u0001\"}}}"
    );
    assert_eq!(
        texts(&e, "TaskScheduled", "parameters"),
        [
            "{\"FunctionName\":\"f\",\"Payload\":{\"lit\":{\"s\":\"q \\\" b \\\\ / \\n \\t \\r \\b \\f \\u0000 \\u001f \u{7f} é ✓ 😀 \u{2028}\",\"f\":[0.1,1e+300,5e-324,0,1.5,123456789012345680,-9007199254740992,1e+21,1e-7],\"k\":{\"ke\\\"y\\n\":\"\\u0001\"}},\"in\":\"\\u0003\u{2029}\",\"big\":1e+21},\"Extra\\u0002\":\"é\\\"\\\\\",\"calc\":0.30000000000000004}",
            "{\"Message\":\"{\\\"s\\\":\\\"q \\\\\\\" b \\\\\\\\ / \\\\n \\\\t \\\\r \\\\b \\\\f \\\\u0000 \\\\u001f \u{7f} é ✓ 😀 \u{2028}\\\",\\\"f\\\":[0.1,1e+300,5e-324,0,1.5,123456789012345680,-9007199254740992,1e+21,1e-7],\\\"k\\\":{\\\"ke\\\\\\\"y\\\\n\\\":\\\"\\\\u0001\\\"}}\",\"Subject\":\"\\u0007\",\"f\":[1e+300,0.0025]}",
        ]
    );
    for case in all_definitions() {
        assert_texts_are_serde_json(&run_case(&case.1));
    }
}

// ---------------------------------------------------------------------------------------------
// The seeded generator and the virtual clock
// ---------------------------------------------------------------------------------------------

#[test]
fn seeded_jitter_and_random_draws_are_unchanged() {
    let e = run_case(&jitter_jsonata());
    assert_eq!(
        times_of(&e, "TaskScheduled"),
        [
            "2024-01-01T00:00:00.000Z",
            "2024-01-01T00:00:01.700Z",
            "2024-01-01T00:00:06.175Z",
            "2024-01-01T00:00:15.885Z",
        ]
    );
    assert_eq!(
        output(&e),
        json!({"u": "e099ec6c-d736-4ca5-85e7-bb0f12278575", "r": 0.28550868439696664, "prev": {"r": {"ok": true}, "u": "71c18690-ee42-490b-b1bb-54d8d101b5b9", "x": 0.762894391911761, "c": 3, "now": "2024-01-01T00:00:15.885Z"}, "entered": "2024-01-01T00:00:15.885Z"})
    );

    let e = run_case(&jitter_jsonpath());
    assert_eq!(
        times_of(&e, "TaskScheduled"),
        [
            "2024-01-01T00:00:00.000Z",
            "2024-01-01T00:00:01.133Z",
            "2024-01-01T00:00:05.608Z",
            "2024-01-01T00:00:23.086Z",
        ]
    );
    assert_eq!(
        output(&e),
        json!({"u": "71c18690-ee42-490b-b1bb-54d8d101b5b9", "r": 530049, "t": "2024-01-01T00:00:23.086Z"})
    );
}

#[test]
fn concurrent_map_iterations_draw_in_a_fixed_order() {
    let e = run_case(&map_jitter());
    assert_eq!(
        output(&e),
        json!([{"p": {"i": 1, "u": "e099ec6c-d736-4ca5-85e7-bb0f12278575"}, "r": 0.28550868439696664, "at": "2024-01-01T00:00:02.942Z"}, {"p": {"i": 2, "u": "497305c5-d1aa-499f-8c43-407dc177b6f7"}, "r": 0.5155198964114704, "at": "2024-01-01T00:00:05.962Z"}, {"p": {"i": 3, "u": "2ac2ce17-a579-4a3b-a534-a6a6b7fd0b63"}, "r": 0.8153505833680997, "at": "2024-01-01T00:00:04.211Z"}, {"p": {"i": 4, "u": "3c821fbf-5910-4163-a7ff-0d388687ffb2"}, "r": 0.8689089421239031, "at": "2024-01-01T00:00:18.590Z"}, {"p": {"i": 5, "u": "70616f2f-48dc-401c-80d6-824e2ef3fc17"}, "r": 0.5297573884808989, "at": "2024-01-01T00:00:09.211Z"}])
    );
    assert_eq!(
        times_of(&e, "TaskScheduled"),
        [
            "2024-01-01T00:00:01.000Z",
            "2024-01-01T00:00:02.000Z",
            "2024-01-01T00:00:02.942Z",
            "2024-01-01T00:00:03.000Z",
            "2024-01-01T00:00:03.526Z",
            "2024-01-01T00:00:04.211Z",
            "2024-01-01T00:00:04.834Z",
            "2024-01-01T00:00:05.131Z",
            "2024-01-01T00:00:05.962Z",
            "2024-01-01T00:00:06.942Z",
            "2024-01-01T00:00:08.937Z",
            "2024-01-01T00:00:09.211Z",
            "2024-01-01T00:00:10.129Z",
            "2024-01-01T00:00:13.810Z",
            "2024-01-01T00:00:18.590Z",
        ]
    );
}

#[test]
fn waits_move_the_virtual_clock_and_the_history_times() {
    let e = run_case(&waits());
    assert_eq!(
        output(&e),
        json!({"prev": {"t1": "2024-01-01T01:00:00.000Z", "e1": "2024-01-01T01:00:00.000Z", "t2": "2024-06-01T00:00:01.123Z", "m2": 1_717_200_001_123_u64, "now": "2500-01-01T00:00:00.000Z", "millis": 16_725_225_600_000_u64, "entered": "2500-01-01T00:00:00.000Z", "start": "2024-01-01T00:00:00.000Z"}, "now": "2500-01-01T00:00:05.000Z"})
    );
    assert_eq!(
        timeline(&e),
        [
            "ExecutionStarted@2024-01-01T00:00:00.000Z",
            "WaitStateEntered@2024-01-01T00:00:00.000Z",
            "WaitStateExited@2024-01-01T01:00:00.000Z",
            "PassStateEntered@2024-01-01T01:00:00.000Z",
            "PassStateExited@2024-01-01T01:00:00.000Z",
            "WaitStateEntered@2024-01-01T01:00:00.000Z",
            "WaitStateExited@2024-06-01T00:00:00.123Z",
            "WaitStateEntered@2024-06-01T00:00:00.123Z",
            "WaitStateExited@2024-06-01T00:00:00.123Z",
            "WaitStateEntered@2024-06-01T00:00:00.123Z",
            "WaitStateExited@2024-06-01T00:00:01.123Z",
            "PassStateEntered@2024-06-01T00:00:01.123Z",
            "PassStateExited@2024-06-01T00:00:01.123Z",
            "WaitStateEntered@2024-06-01T00:00:01.123Z",
            "WaitStateExited@2500-01-01T00:00:00.000Z",
            "PassStateEntered@2500-01-01T00:00:00.000Z",
            "PassStateExited@2500-01-01T00:00:00.000Z",
            "WaitStateEntered@2500-01-01T00:00:00.000Z",
            "WaitStateExited@2500-01-01T00:00:05.000Z",
            "PassStateEntered@2500-01-01T00:00:05.000Z",
            "PassStateExited@2500-01-01T00:00:05.000Z",
            "ExecutionSucceeded@2500-01-01T00:00:05.000Z",
        ]
    );
    assert_eq!(
        times_of(&e, "ExecutionSucceeded"),
        ["2500-01-01T00:00:05.000Z"]
    );
}

#[test]
fn a_lambda_invoke_timeout_is_retried_on_the_virtual_clock() {
    let def = jsonata(
        "T",
        json!({"T": {"Type": "Task", "Resource": INVOKE, "TimeoutSeconds": 30,
                     "Arguments": {"Payload": "{% $states.input %}", "FunctionName": "slow"},
                     "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 4, "MaxAttempts": 2, "JitterStrategy": "FULL"}],
                     "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "D"}],
                     "Output": "{% $states.result.Payload %}", "End": true},
               "D": {"Type": "Pass", "End": true}}),
    );
    let mut m = Mocks::new();
    m.insert(
        "slow",
        Behaviour::Handler(Arc::new(|v: Value| {
            Box::pin(async move {
                sleep(Duration::from_secs(45)).await;
                Ok(v)
            })
        })),
    );
    let e = interp(def, m).run_blocking(json!({"a": 1}));
    assert_eq!(
        output(&e),
        json!({"Error": "States.Timeout", "Cause": "The task did not finish within TimeoutSeconds (30 s)."})
    );
    assert_eq!(
        timeline(&e),
        [
            "ExecutionStarted@2024-01-01T00:00:00.000Z",
            "TaskStateEntered@2024-01-01T00:00:00.000Z",
            "TaskScheduled@2024-01-01T00:00:00.000Z",
            "TaskStarted@2024-01-01T00:00:00.000Z",
            "TaskTimedOut@2024-01-01T00:00:30.000Z",
            "TaskScheduled@2024-01-01T00:00:32.266Z",
            "TaskStarted@2024-01-01T00:00:32.266Z",
            "TaskTimedOut@2024-01-01T00:01:02.266Z",
            "TaskScheduled@2024-01-01T00:01:08.232Z",
            "TaskStarted@2024-01-01T00:01:08.232Z",
            "TaskTimedOut@2024-01-01T00:01:38.232Z",
            "TaskStateExited@2024-01-01T00:01:38.232Z",
            "PassStateEntered@2024-01-01T00:01:38.232Z",
            "PassStateExited@2024-01-01T00:01:38.232Z",
            "ExecutionSucceeded@2024-01-01T00:01:38.232Z",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Map iteration scopes
// ---------------------------------------------------------------------------------------------

#[test]
fn a_map_iteration_with_a_catcher_assign_has_its_own_scope() {
    for concurrency in [1, 0] {
        let e = run_case(&map_catcher_assign(concurrency));
        let row =
            |i: u64, v: Value| json!({"in": {"item": i, "seen": "none"}, "v": v, "outer": "outer"});
        assert_eq!(
            output(&e),
            json!({"r": [row(0, json!(0)), row(1, json!("none")), row(2, json!(2)), row(3, json!("none")), row(4, json!(4))],
                   "v": "none"}),
            "MaxConcurrency {concurrency}"
        );
    }
}

#[test]
fn a_choice_rule_assign_in_a_map_iteration_does_not_leak() {
    let e = run_case(&map_choice_rule_assign());
    assert_eq!(
        output(&e),
        json!({"r": [1, {"x": 2, "seen": 2}, {"x": 3, "seen": 3}, {"x": 4, "seen": 4}], "seen": false})
    );
}

#[test]
fn nested_maps_read_outer_variables_and_keep_their_own() {
    let e = run_case(&nested_maps());
    assert_eq!(
        output(&e),
        json!({"r": [["O:1:1:ok", "O:1:2:ok"], ["O:2:3:ok"], []],
               "n": [["O1", "O2"], ["O3"]], "row": false, "inner": false})
    );
}

#[test]
fn a_map_without_assign_reads_the_outer_scope() {
    let e = run_case(&map_reads_outer());
    let got = |v: u64, i: u64| json!({"got": {"v": v, "o": 2, "i": i}});
    assert_eq!(
        output(&e),
        json!({"r": [got(10, 0), got(20, 1), got(30, 2)], "after": 3, "n": 10})
    );

    let e = run_case(&parallel_maps());
    assert_eq!(
        output(&e),
        json!({"x": 1, "y": false, "w": false,
               "z": [[[1, 1, 2, 1], [1, 1, 2, 2]],
                     [{"ExecutedVersion": "$LATEST", "Payload": [1, false, 1], "StatusCode": 200},
                      {"ExecutedVersion": "$LATEST", "Payload": [1, false, 2], "StatusCode": 200}]]})
    );
}

// ---------------------------------------------------------------------------------------------
// Whole histories
// ---------------------------------------------------------------------------------------------

/// SHA-256 of each definition's history and calls as 84dd2c8 recorded them. To see what
/// changed, print `events(&e)` for the failing definition at both commits and diff them.
const DIGESTS: &[(&str, &str)] = &[
    (
        "part_then_whole",
        "3e3fcd00859c94fa8a1609281fe34503c14919f968d25642bfd91c6def358ba5",
    ),
    (
        "no_output",
        "9ed4d5ed3288882e35cd16bcf925d33f29bd1845aad520bb6143e9d9c97dcd10",
    ),
    (
        "event_invocations",
        "0f35e955803f720a67f4efc00d8567b30cf1a99b5bfd8cec4c8cff27694443bb",
    ),
    (
        "payload_forms",
        "4576294d4ff8c15ae3e52b3cd74402cbac1b51fa9161466bc7453a140e64f3de",
    ),
    (
        "argument_order",
        "1d3dc20448d1e69cf2b458d277bc8e9ae4183c95863bfe2a14f110fd4b6c5805",
    ),
    (
        "escapes_and_floats",
        "c435c596fd630256da6b171b3eb3d886df68f666a81321a9a8d3446ec01170cd",
    ),
    (
        "jitter_jsonata",
        "b6d63f1deb15dce9ce7896776059fdbca845eefe469f8f7559469c5ce0fbbccb",
    ),
    (
        "jitter_jsonpath",
        "6765177bb81457594a3a2166715e873f19129246bd1a336a86d67de2f70b11d0",
    ),
    (
        "map_jitter",
        "d53171fe394ca629c6106081f93796cb0160014b8c111e1e59c165386c8290c5",
    ),
    (
        "waits",
        "acb9b9798a3be428de4e603eef3c62ad07e38e9b2caebbfe6789aef6f2a40821",
    ),
    (
        "map_catcher_assign_1",
        "7db78da098e1f2cf1eac8c1154a30649963b6ba8f824a189a3b042a5f55b3574",
    ),
    (
        "map_catcher_assign_0",
        "a54be5af998032c4d2c93fc052a40ba4949a4bfb1ca79ca959af631e57b76358",
    ),
    (
        "map_choice_rule_assign",
        "cdfdd0aee8d74657f9e4672a86448362d899a1bc1a3e6a23209ecf83d61b5c3f",
    ),
    (
        "nested_maps",
        "1e9fc0ae2861169bd9c4dc57ab91a9b9338a947c8d0f2b27d8594ee001769d15",
    ),
    (
        "map_reads_outer",
        "e09c431e7041312c3d4ea1680875eee9e597769099a696266428b2055c26f992",
    ),
    (
        "parallel_maps",
        "535c2bc7c71c530b2ce8239805f1161a21d1c8a89e07b85a587b4d4b5b5e0722",
    ),
    (
        "direct_and_token",
        "667ea281947fa6d6ddbcb253d238bcc06ad6948696d94330021c2bc91481e34b",
    ),
    (
        "payload_fallbacks",
        "279cc2c970a2651c36500ab52a8e5bc80634f6723f9b6cfdff62a89982b06457",
    ),
];

#[test]
fn history_digests() {
    let mut got = Vec::new();
    for (name, case) in all_definitions() {
        got.push((name, digest(&run_case(&case))));
    }
    let listing: String = got
        .iter()
        .map(|(n, d)| format!("    (\"{n}\", \"{d}\"),\n"))
        .collect();
    let expected: Vec<(&str, String)> = DIGESTS.iter().map(|(n, d)| (*n, d.to_string())).collect();
    assert_eq!(got, expected, "\n{listing}");
}
