//! Time: the virtual clock (Wait, back-off, timestamps in the history), task and execution
//! timeouts, heartbeats, and the real clock.

#![cfg(feature = "interpreter")]

mod interp_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use interp_common::{elapsed, failure, interp, output, run, single};
use serde_json::{Value, json};
use stepmacro_runtime::interpreter::{Clock, EventType, Status, sleep};
use stepmacro_runtime::mock::{Behaviour, Mocks, Response};

/// A mock `slow` that takes `secs` seconds of the run's clock.
fn slow(secs: u64) -> Mocks {
    let mut m = Mocks::new();
    m.insert(
        "slow",
        Behaviour::Handler(Arc::new(move |v: Value| {
            Box::pin(async move {
                sleep(Duration::from_secs(secs)).await;
                Ok(v)
            })
        })),
    );
    m
}

#[test]
fn a_one_year_wait_is_instant_but_shows_in_the_history() {
    let def = single(json!({"Type": "Wait", "Seconds": 31_536_000}));
    let t = Instant::now();
    let e = run(def, json!({"a": 1}), Mocks::new());
    assert!(t.elapsed() < Duration::from_secs(2));
    assert_eq!(output(&e), json!({"a": 1}));
    assert_eq!(elapsed(&e), 31_536_000.0);
    let exited = e
        .history
        .iter()
        .find(|ev| ev.event_type == EventType::WaitStateExited)
        .unwrap();
    assert_eq!(exited.timestamp.to_rfc3339(), "2024-12-31T00:00:00+00:00");
}

#[test]
fn wait_forms() {
    let wait = |w: Value, input: Value| {
        let mut state = w;
        state["Type"] = json!("Wait");
        elapsed(&run(single(state), input, Mocks::new()))
    };
    assert_eq!(wait(json!({"SecondsPath": "$.d"}), json!({"d": 90})), 90.0);
    assert_eq!(
        wait(json!({"Timestamp": "2024-01-01T01:00:00Z"}), json!({})),
        3600.0
    );
    assert_eq!(
        wait(json!({"Timestamp": "2024-01-01T03:00:00+02:00"}), json!({})),
        3600.0
    );
    assert_eq!(
        wait(
            json!({"TimestampPath": "$.t"}),
            json!({"t": "2024-01-02T00:00:00Z"})
        ),
        86400.0
    );
    // A timestamp in the past does not wait.
    assert_eq!(
        wait(json!({"Timestamp": "2020-01-01T00:00:00Z"}), json!({})),
        0.0
    );
    let (error, _) = failure(&run(
        single(json!({"Type": "Wait", "SecondsPath": "$.d"})),
        json!({"d": "soon"}),
        Mocks::new(),
    ));
    assert_eq!(error, "States.Runtime");
    let (error, _) = failure(&run(
        single(json!({"Type": "Wait", "TimestampPath": "$.t"})),
        json!({"t": "tomorrow"}),
        Mocks::new(),
    ));
    assert_eq!(error, "States.Runtime");
}

#[test]
fn jsonata_waits_and_now() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": "{% $states.input.minutes * 60 %}", "Next": "T"},
        "T": {"Type": "Wait", "Timestamp": "{% $states.input.until %}", "Next": "N"},
        "N": {"Type": "Pass", "Output": "{% $now() %}", "End": true}}});
    let e = run(
        def,
        json!({"minutes": 2, "until": "2024-01-01T00:10:00Z"}),
        Mocks::new(),
    );
    assert_eq!(output(&e), json!("2024-01-01T00:10:00.000Z"));
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": "{% 'x' %}", "End": true}}});
    assert_eq!(
        failure(&run(def, json!({}), Mocks::new())).0,
        "States.QueryEvaluationError"
    );
}

#[test]
fn task_timeout_is_catchable_and_recorded() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "slow"}, "TimeoutSeconds": 30,
              "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.err", "Next": "Late"}], "End": true},
        "Late": {"Type": "Succeed"}}});
    let e = run(def.clone(), json!({}), slow(3600));
    assert_eq!(output(&e)["err"]["Error"], "States.Timeout");
    assert_eq!(elapsed(&e), 30.0);
    assert!(
        e.history
            .iter()
            .any(|ev| ev.event_type == EventType::TaskTimedOut)
    );
    // Fast enough: no timeout.
    let e = run(def, json!({}), slow(10));
    assert!(output(&e)["Payload"].is_object());
    assert_eq!(elapsed(&e), 10.0);
}

#[test]
fn timeout_from_a_path_and_from_jsonata() {
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow", "TimeoutSecondsPath": "$.t"}),
    );
    let e = run(def, json!({"t": 5}), slow(60));
    assert_eq!(failure(&e).0, "States.Timeout");
    assert_eq!(elapsed(&e), 5.0);
    assert!(
        e.history
            .iter()
            .any(|ev| ev.event_type == EventType::LambdaFunctionTimedOut)
    );
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow", "TimeoutSeconds": "{% $states.input.t * 2 %}", "End": true}}});
    let e = run(def, json!({"t": 5}), slow(60));
    assert_eq!(failure(&e).0, "States.Timeout");
    assert_eq!(elapsed(&e), 10.0);
}

#[test]
fn heartbeat_timeout() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "TimeoutSeconds": 600, "HeartbeatSeconds": 60,
              "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "C"}], "End": true},
        "C": {"Type": "Pass", "End": true}}});
    // An activity worker that takes an hour and never heartbeats.
    let mut m = Mocks::new();
    m.insert(
        "arn:aws:states:us-east-1:123456789012:activity:work",
        Behaviour::Handler(Arc::new(|v: Value| {
            Box::pin(async move {
                sleep(Duration::from_secs(3600)).await;
                Ok(v)
            })
        })),
    );
    let e = run(def, json!({}), m);
    assert_eq!(
        output(&e),
        json!({"Error": "States.HeartbeatTimeout", "Cause": "The task sent no heartbeat within HeartbeatSeconds (60 s)."})
    );
    assert_eq!(elapsed(&e), 60.0);
    assert!(
        e.history
            .iter()
            .any(|ev| ev.event_type == EventType::ActivityTimedOut)
    );
}

#[test]
fn execution_timeout_is_timed_out_and_uncatchable() {
    let def = json!({"TimeoutSeconds": 100, "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
        "C": {"Type": "Succeed"}}});
    let e = run(def, json!({}), slow(3600));
    assert_eq!(e.status, Status::TimedOut);
    assert_eq!(elapsed(&e), 100.0);
    let last = e.history.last().unwrap();
    assert_eq!(last.event_type, EventType::ExecutionTimedOut);
    assert_eq!(
        serde_json::to_value(last).unwrap()["executionTimedOutEventDetails"]["error"],
        "States.Timeout"
    );
    assert_eq!(e.failure().unwrap().error, "States.Timeout");
    assert!(!e.states_entered().contains(&"C"));

    // A polling loop that never ends is stopped by the execution timeout too.
    let def = json!({"TimeoutSeconds": 3600, "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 60, "Next": "W2"},
        "W2": {"Type": "Choice", "Choices": [{"Variable": "$.done", "IsPresent": true, "Next": "End"}], "Default": "W"},
        "End": {"Type": "Succeed"}}});
    let e = run(def, json!({}), Mocks::new());
    assert_eq!(e.status, Status::TimedOut);
    assert_eq!(elapsed(&e), 3600.0);
}

#[test]
fn retry_backoff_advances_the_clock() {
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3600, "MaxAttempts": 2, "BackoffRate": 24}]}),
    );
    let mocks = Mocks::new().sequence(
        "f",
        [
            Response::Throw(stepmacro_runtime::Failure::new("E", "")),
            Response::Throw(stepmacro_runtime::Failure::new("E", "")),
            Response::Return(json!(1)),
        ],
    );
    let e = run(def, json!({}), mocks);
    assert_eq!(output(&e), json!(1));
    assert_eq!(elapsed(&e), 3600.0 + 86400.0);
}

#[test]
fn real_clock_really_waits() {
    let def = single(json!({"Type": "Wait", "Seconds": 1}));
    let t = Instant::now();
    let e = interp(def, Mocks::new())
        .clock(Clock::Real)
        .run_blocking(json!({}));
    assert_eq!(output(&e), json!({}));
    assert!(
        t.elapsed() >= Duration::from_millis(990),
        "{:?}",
        t.elapsed()
    );
    assert!(elapsed(&e) >= 0.99);
}

#[test]
fn real_clock_task_timeout() {
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow", "TimeoutSeconds": 1}),
    );
    let t = Instant::now();
    let e = interp(def, slow(30))
        .clock(Clock::Real)
        .run_blocking(json!({}));
    assert_eq!(failure(&e).0, "States.Timeout");
    assert!(t.elapsed() < Duration::from_secs(10));
}

#[test]
fn real_async_work_holds_virtual_time() {
    // One branch waits an hour (virtual); the other runs a task that awaits real time (50 ms)
    // with a 1-second TimeoutSeconds. Virtual time must not jump past the busy task.
    let def = single(json!({"Type": "Parallel", "Branches": [
        {"StartAt": "Hour", "States": {"Hour": {"Type": "Wait", "Seconds": 3600, "End": true}}},
        {"StartAt": "Io", "States": {"Io": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:io",
                                             "TimeoutSeconds": 1, "End": true}}}]}));
    let mut m = Mocks::new();
    m.insert(
        "io",
        Behaviour::Handler(Arc::new(|v: Value| {
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok(v)
            })
        })),
    );
    let e = run(def, json!({"k": 1}), m);
    assert_eq!(output(&e), json!([{"k": 1}, {"k": 1}]));
    assert_eq!(elapsed(&e), 3600.0);
}
