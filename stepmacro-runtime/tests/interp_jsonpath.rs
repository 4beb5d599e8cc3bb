//! The JSONPath input/output pipeline: InputPath, Parameters, ResultSelector, ResultPath,
//! OutputPath, the context object, intrinsics and Jayway definiteness inside real machines.

#![cfg(feature = "interpreter")]

mod interp_common;

use interp_common::{failure, output, run, single};
use serde_json::json;
use stepmacro_runtime::mock::{Mocks, Response};

#[test]
fn pass_pipeline_in_order() {
    let def = single(json!({
        "Type": "Pass",
        "InputPath": "$.order",
        "Parameters": {"id.$": "$.id", "total.$": "States.MathAdd($.a, $.b)", "static": [1, {"x": "$.not-a-path"}]},
        "ResultPath": "$.shaped",
        "OutputPath": "$.shaped"
    }));
    let out = output(&run(
        def,
        json!({"order": {"id": "o-1", "a": 2, "b": 40}, "other": true}),
        Mocks::new(),
    ));
    assert_eq!(
        out,
        json!({"id": "o-1", "total": 42, "static": [1, {"x": "$.not-a-path"}]})
    );
}

#[test]
fn task_pipeline_with_result_selector_and_result_path() {
    let def = single(json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "InputPath": "$.req",
        "Parameters": {"FunctionName": "f", "Payload": {"n.$": "$.n"}},
        "ResultSelector": {"doubled.$": "$.Payload.n", "code.$": "$.StatusCode"},
        "ResultPath": "$.res.inner",
        "OutputPath": "$.res"
    }));
    let mocks = Mocks::new().handler("f", |p| Ok(json!({"n": p["n"].as_i64().unwrap() * 2})));
    let out = output(&run(def, json!({"req": {"n": 21}}), mocks));
    assert_eq!(out, json!({"inner": {"doubled": 42, "code": 200}}));
}

#[test]
fn result_path_edge_cases() {
    let pass = |result_path: serde_json::Value, input: serde_json::Value| {
        let mut state = json!({"Type": "Pass", "Result": {"r": 1}});
        state["ResultPath"] = result_path;
        run(single(state), input, Mocks::new())
    };
    // Default: the result replaces the input.
    assert_eq!(output(&pass(json!("$"), json!({"a": 1}))), json!({"r": 1}));
    // null: the input passes through unchanged.
    assert_eq!(output(&pass(json!(null), json!({"a": 1}))), json!({"a": 1}));
    // Missing parents are created, siblings kept, existing targets overwritten.
    assert_eq!(
        output(&pass(json!("$.x.y.z"), json!({"a": 1}))),
        json!({"a": 1, "x": {"y": {"z": {"r": 1}}}})
    );
    assert_eq!(
        output(&pass(json!("$.a"), json!({"a": 1}))),
        json!({"a": {"r": 1}})
    );
    assert_eq!(
        output(&pass(json!("$.l[1]"), json!({"l": [0, 0]}))),
        json!({"l": [0, {"r": 1}]})
    );
    // Impossible placements.
    let (error, _) = failure(&pass(json!("$.x"), json!("a string")));
    assert_eq!(error, "States.ResultPathMatchFailure");
    let (error, _) = failure(&pass(json!("$.a.b"), json!({"a": 3})));
    assert_eq!(error, "States.ResultPathMatchFailure");
}

#[test]
fn result_path_match_failure_is_catchable_on_a_task() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "ResultPath": "$.a.b",
              "Catch": [{"ErrorEquals": ["States.ResultPathMatchFailure"], "ResultPath": "$.err", "Next": "Done"}], "End": true},
        "Done": {"Type": "Succeed"}}});
    let out = output(&run(
        def,
        json!({"a": "x"}),
        Mocks::new().always("f", Response::Return(json!(1))),
    ));
    assert_eq!(out["err"]["Error"], "States.ResultPathMatchFailure");
}

#[test]
fn null_input_and_output_paths_give_empty_objects() {
    let def =
        single(json!({"Type": "Pass", "InputPath": null, "Parameters": {"k.$": "$"}, "Next": "B"}));
    let mut def = def;
    def["States"]["B"] = json!({"Type": "Pass", "OutputPath": null, "End": true});
    def["States"]["S"].as_object_mut().unwrap().remove("End");
    let e = run(def, json!({"a": 1}), Mocks::new());
    assert_eq!(output(&e), json!({}));
    let exited = e
        .history
        .iter()
        .find(|ev| ev.event_type.as_str() == "PassStateExited")
        .unwrap();
    assert_eq!(
        serde_json::to_value(exited).unwrap()["stateExitedEventDetails"]["output"],
        json!("{\"k\":{}}")
    );
}

#[test]
fn missing_paths_are_runtime_errors_and_uncatchable() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
              "Parameters": {"x.$": "$.missing"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
        "Caught": {"Type": "Succeed"}}});
    let e = run(
        def,
        json!({}),
        Mocks::new().always("f", Response::Return(json!(1))),
    );
    let (error, cause) = failure(&e);
    assert_eq!(error, "States.Runtime");
    assert!(
        cause.contains("'$.missing'") && cause.contains("'x.$'"),
        "{cause}"
    );
    assert!(e.calls.is_empty());

    for field in ["InputPath", "OutputPath"] {
        let mut state = json!({"Type": "Pass"});
        state[field] = json!("$.nope");
        let (error, _) = failure(&run(single(state), json!({}), Mocks::new()));
        assert_eq!(error, "States.Runtime", "{field}");
    }
}

#[test]
fn jayway_definiteness() {
    let def = single(json!({"Type": "Pass", "Parameters": {
        "first.$": "$.items[0].sku",
        "all.$": "$.items[*].sku",
        "cheap.$": "$.items[?(@.price < 10)].sku",
        "none.$": "$.items[?(@.price > 1000)].sku",
        "deep.$": "$..price",
        "slice.$": "$.items[1:].sku",
        "count.$": "$.items.length()"
    }}));
    let input = json!({"items": [{"sku": "a", "price": 5}, {"sku": "b", "price": 50}]});
    assert_eq!(
        output(&run(def, input, Mocks::new())),
        json!({"first": "a", "all": ["a", "b"], "cheap": ["a"], "none": [], "deep": [5, 50], "slice": ["b"], "count": 2})
    );
}

#[test]
fn context_object() {
    let def = json!({"StartAt": "First", "States": {
        "First": {"Type": "Pass", "Next": "S"},
        "S": {"Type": "Pass", "Parameters": {
            "name.$": "$$.Execution.Name",
            "id.$": "$$.Execution.Id",
            "input.$": "$$.Execution.Input",
            "start.$": "$$.Execution.StartTime",
            "role.$": "$$.Execution.RoleArn",
            "state.$": "$$.State.Name",
            "entered.$": "$$.State.EnteredTime",
            "retries.$": "$$.State.RetryCount",
            "sm.$": "$$.StateMachine.Name",
            "smId.$": "$$.StateMachine.Id"
        }, "End": true}}});
    let out = output(
        &interp_common::interp(def, Mocks::new())
            .state_machine_name("orders")
            .run_blocking(json!({"k": 1})),
    );
    assert_eq!(out["name"], "exec-1");
    assert_eq!(
        out["id"],
        "arn:aws:states:us-east-1:123456789012:execution:orders:exec-1"
    );
    assert_eq!(out["input"], json!({"k": 1}));
    assert_eq!(out["start"], "2024-01-01T00:00:00.000Z");
    assert!(out["role"].as_str().unwrap().starts_with("arn:aws:iam::"));
    assert_eq!(out["state"], "S");
    assert_eq!(out["entered"], "2024-01-01T00:00:00.000Z");
    assert_eq!(out["retries"], 0);
    assert_eq!(out["sm"], "orders");
    assert_eq!(
        out["smId"],
        "arn:aws:states:us-east-1:123456789012:stateMachine:orders"
    );
}

#[test]
fn retry_count_in_context_counts_retries() {
    let def = single(json!({
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload": {"try.$": "$$.State.RetryCount"}},
        "OutputPath": "$.Payload",
        "Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 5}]
    }));
    let mocks = Mocks::new().handler("f", |p| {
        if p["try"].as_i64() < Some(2) {
            Err(stepmacro_runtime::Failure::new("Flaky", ""))
        } else {
            Ok(p)
        }
    });
    assert_eq!(output(&run(def, json!({}), mocks)), json!({"try": 2}));
}

#[test]
fn intrinsics_in_a_machine_and_their_failures() {
    let def = single(json!({"Type": "Pass", "Parameters": {
        "uuid.$": "States.UUID()",
        "hash.$": "States.Hash($.s, 'SHA-1')",
        "parts.$": "States.ArrayPartition(States.ArrayRange(1, 5, 1), 2)",
        "json.$": "States.StringToJson(States.JsonToString($.o))",
        "fmt.$": "States.Format('{} has {} items', $.s, States.ArrayLength($.o.l))"
    }}));
    let out = output(&run(
        def.clone(),
        json!({"s": "abc", "o": {"l": [1, 2]}}),
        Mocks::new(),
    ));
    assert_eq!(out["hash"], "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_eq!(out["parts"], json!([[1, 2], [3, 4], [5]]));
    assert_eq!(out["json"], json!({"l": [1, 2]}));
    assert_eq!(out["fmt"], "abc has 2 items");
    // Seeded runs repeat their UUIDs.
    let again = output(&run(
        def,
        json!({"s": "abc", "o": {"l": [1, 2]}}),
        Mocks::new(),
    ));
    assert_eq!(out["uuid"], again["uuid"]);

    let bad = single(json!({"Type": "Pass", "Parameters": {"x.$": "States.ArrayGetItem($.l, 5)"}}));
    let (error, cause) = failure(&run(bad, json!({"l": []}), Mocks::new()));
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("States.ArrayGetItem"), "{cause}");
}

#[test]
fn variables_in_jsonpath_states() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"limit": 3, "tags": ["x"]}, "Assign": {"cfg.$": "$", "fixed": "lit", "n.$": "States.ArrayLength($.tags)"}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"limit.$": "$cfg.limit", "fixed.$": "$fixed", "n.$": "$n", "tag.$": "States.ArrayGetItem($cfg.tags, 0)"}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$cfg.limit", "NumericEquals": 3, "Next": "D"}]},
        "D": {"Type": "Succeed"}}});
    assert_eq!(
        output(&run(def, json!({}), Mocks::new())),
        json!({"limit": 3, "fixed": "lit", "n": 1, "tag": "x"})
    );
    let def = single(json!({"Type": "Pass", "Parameters": {"x.$": "$nope"}}));
    let (error, cause) = failure(&run(def, json!({}), Mocks::new()));
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("$nope"), "{cause}");
}

#[test]
fn payload_limit() {
    let big = "x".repeat(262_144);
    let def = single(json!({"Type": "Pass"}));
    let (error, _) = failure(&run(def.clone(), json!({"s": big}), Mocks::new()));
    assert_eq!(error, "States.DataLimitExceeded");

    // A task result over the limit cannot be caught, not even by States.ALL.
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:big",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
        "C": {"Type": "Succeed"}}});
    let mocks = Mocks::new().always("big", Response::Return(json!("y".repeat(300_000))));
    let e = run(def, json!({}), mocks);
    let (error, _) = failure(&e);
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(!e.states_entered().contains(&"C"));
    // Just under the limit is fine.
    let ok = "z".repeat(262_144 - 10);
    assert_eq!(
        output(&run(
            single(json!({"Type": "Pass"})),
            json!({"s": ok.clone()}),
            Mocks::new()
        )),
        json!({"s": ok})
    );
}
