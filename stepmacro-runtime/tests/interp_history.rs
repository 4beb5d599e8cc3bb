//! The execution history: event types, ids, previousEventId chains, details, the trace, and the
//! 25,000-event limit.

#![cfg(feature = "interpreter")]

mod interp_common;

use interp_common::{failure, interp, output, run, single};
use serde_json::{Value, json};
use stepmacro_runtime::Failure;
use stepmacro_runtime::interpreter::{EventType, Execution, trace};
use stepmacro_runtime::mock::{Mocks, Response};

fn types(e: &Execution) -> Vec<&'static str> {
    e.history.iter().map(|ev| ev.event_type.as_str()).collect()
}

fn event_json(e: &Execution, ty: EventType) -> Value {
    serde_json::to_value(e.history.iter().find(|ev| ev.event_type == ty).unwrap()).unwrap()
}

#[test]
fn lambda_invoke_task_events() {
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"FunctionName": "f", "Payload": {"a.$": "$.a"}}, "TimeoutSeconds": 30}),
    );
    let e = run(
        def,
        json!({"a": 1}),
        Mocks::new().always("f", Response::Return(json!({"r": 2}))),
    );
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    for (i, ev) in e.history.iter().enumerate() {
        assert_eq!(ev.id, i as u64 + 1);
        assert_eq!(ev.previous_event_id, i as u64);
    }
    let scheduled = event_json(&e, EventType::TaskScheduled);
    assert_eq!(
        scheduled["taskScheduledEventDetails"],
        json!({"resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
               "parameters": "{\"FunctionName\":\"f\",\"Payload\":{\"a\":1}}", "timeoutInSeconds": 30})
    );
    let succeeded = event_json(&e, EventType::TaskSucceeded);
    let out: Value = serde_json::from_str(
        succeeded["taskSucceededEventDetails"]["output"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"ExecutedVersion": "$LATEST", "Payload": {"r": 2}, "StatusCode": 200})
    );
    let started = event_json(&e, EventType::ExecutionStarted);
    assert_eq!(
        started["executionStartedEventDetails"]["input"],
        "{\"a\":1}"
    );
    assert_eq!(started["timestamp"], "2024-01-01T00:00:00.000Z");
    assert_eq!(started["id"], 1);
    assert_eq!(started["previousEventId"], 0);
}

#[test]
fn direct_lambda_events_and_failure() {
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f"}),
    );
    let e = run(
        def,
        json!({}),
        Mocks::new().always("f", Response::Throw(Failure::new("E", "c"))),
    );
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "ExecutionFailed"
        ]
    );
    assert_eq!(
        event_json(&e, EventType::LambdaFunctionFailed)["lambdaFunctionFailedEventDetails"],
        json!({"error": "E", "cause": "c"})
    );
    assert_eq!(
        event_json(&e, EventType::ExecutionFailed)["executionFailedEventDetails"],
        json!({"error": "E", "cause": "c"})
    );
    assert_eq!(
        event_json(&e, EventType::LambdaFunctionScheduled)["lambdaFunctionScheduledEventDetails"]["resource"],
        "arn:aws:lambda:us-east-1:123456789012:function:f"
    );
}

#[test]
fn parallel_and_map_events() {
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "Next": "M"},
        "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}});
    let e = run(def, json!([1, 2]), Mocks::new());
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    // Each branch's first event follows ParallelStateStarted (id 3).
    assert_eq!(e.history[3].previous_event_id, 3);
    assert_eq!(e.history[5].previous_event_id, 3);
    assert_eq!(e.history[4].previous_event_id, 4);
    assert_eq!(
        event_json(&e, EventType::MapStateStarted)["mapStateStartedEventDetails"],
        json!({"length": 2})
    );
    let iterations: Vec<Value> = e
        .history
        .iter()
        .filter(|ev| ev.event_type == EventType::MapIterationStarted)
        .map(|ev| serde_json::to_value(ev).unwrap()["mapIterationStartedEventDetails"].clone())
        .collect();
    assert_eq!(
        iterations,
        [
            json!({"name": "M", "index": 0}),
            json!({"name": "M", "index": 1})
        ]
    );
    // The Parallel gives [input, input]; the Map passes each item through.
    assert_eq!(output(&e), json!([[1, 2], [1, 2]]));
}

#[test]
fn choice_wait_succeed_fail_events() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "W"}], "Default": "F"},
        "W": {"Type": "Wait", "Seconds": 5, "Next": "S"},
        "S": {"Type": "Succeed"},
        "F": {"Type": "Fail", "Error": "No", "Cause": "not ok"}}});
    let e = run(def.clone(), json!({"ok": true}), Mocks::new());
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
    let e = run(def, json!({"ok": false}), Mocks::new());
    assert_eq!(
        types(&e),
        [
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "FailStateEntered",
            "ExecutionFailed"
        ]
    );
    assert_eq!(failure(&e), ("No".to_owned(), "not ok".to_owned()));
}

#[test]
fn trace_is_one_line_per_event() {
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 90, "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}});
    let e = run(
        def,
        json!({"a": 1}),
        Mocks::new().always("f", Response::Return(json!("done"))),
    );
    let text = trace(&e.history);
    assert_eq!(text, e.trace());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), e.history.len());
    assert!(
        lines[0].contains("ExecutionStarted") && lines[0].contains(r#"input={"a":1}"#),
        "{text}"
    );
    assert!(
        lines[1].contains("WaitStateEntered") && lines[1].contains("W input="),
        "{text}"
    );
    assert!(
        lines[2].contains("+90.000s") && lines[2].contains("WaitStateExited"),
        "{text}"
    );
    assert!(lines.last().unwrap().contains(r#"output="done""#), "{text}");
}

#[test]
fn history_limit_fails_the_execution() {
    // A loop whose exit the input never takes (a machine needs a terminal state).
    let looping = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "A"},
        "Done": {"Type": "Succeed"}}});
    let e = interp(looping.clone(), Mocks::new())
        .max_history_events(50)
        .run_blocking(json!({}));
    let (error, cause) = failure(&e);
    assert_eq!(error, "States.Runtime");
    assert!(
        cause.contains("maximum number of history events (50)"),
        "{cause}"
    );
    assert_eq!(e.history.len(), 50);
    assert_eq!(
        e.history.last().unwrap().event_type,
        EventType::ExecutionFailed
    );

    // The real limit: 25,000 events.
    let e = run(looping, json!({}), Mocks::new());
    assert_eq!(failure(&e).0, "States.Runtime");
    assert_eq!(e.history.len(), 25_000);

    // A run that ends with exactly the 25,000th event (ExecutionSucceeded) succeeds.
    let mut states = serde_json::Map::new();
    let n = (25_000 - 2) / 2;
    for i in 0..n {
        let next = if i + 1 == n {
            json!({"Type": "Pass", "End": true})
        } else {
            json!({"Type": "Pass", "Next": format!("S{}", i + 1)})
        };
        states.insert(format!("S{i}"), next);
    }
    let e = run(
        json!({"StartAt": "S0", "States": states}),
        json!({}),
        Mocks::new(),
    );
    assert_eq!(output(&e), json!({}));
    assert_eq!(e.history.len(), 25_000);
}

#[test]
fn states_cut_off_by_a_failing_branch_are_aborted() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Long", "States": {"Long": {"Type": "Wait", "Seconds": 100, "End": true}}},
        {"StartAt": "Short", "States": {
            "Short": {"Type": "Wait", "Seconds": 1, "Next": "Boom"},
            "Boom": {"Type": "Fail", "Error": "E", "Cause": "c"}}}]}}});
    let e = run(def, json!({}), Mocks::new());
    let t = types(&e);
    let aborted = t
        .iter()
        .position(|ty| *ty == "WaitStateAborted")
        .expect("the long wait is aborted");
    let failed = t
        .iter()
        .position(|ty| *ty == "ParallelStateFailed")
        .unwrap();
    assert!(aborted < failed, "{t:?}");
    assert_eq!(t.iter().filter(|ty| ty.ends_with("Aborted")).count(), 1);

    // An execution timeout closes the execution without per-state aborts.
    let def = json!({"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100, "End": true}}});
    let e = run(def, json!({}), Mocks::new());
    assert_eq!(
        types(&e),
        ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    );
}
