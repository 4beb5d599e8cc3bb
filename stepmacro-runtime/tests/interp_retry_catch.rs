//! Retry (back-off math on the virtual clock, jitter with seeds, counters) and Catch (both
//! languages), and which errors neither may handle.

#![cfg(feature = "interpreter")]

mod interp_common;

use interp_common::{failure, interp, output, run, single};
use serde_json::{Value, json};
use stepmacro_runtime::interpreter::{EventType, Execution};
use stepmacro_runtime::mock::{Mocks, Response};
use stepmacro_runtime::{Failure, lambda_cause};

fn throw(e: &str) -> Response {
    Response::Throw(Failure::new(e, "boom"))
}

/// Seconds (virtual) between the attempts of the task: the gaps between its `TaskScheduled`s.
fn gaps(e: &Execution) -> Vec<f64> {
    let times: Vec<_> = e
        .history
        .iter()
        .filter(|ev| ev.event_type == EventType::TaskScheduled)
        .map(|ev| ev.timestamp)
        .collect();
    times
        .windows(2)
        .map(|w| (w[1] - w[0]).num_milliseconds() as f64 / 1000.0)
        .collect()
}

fn flaky_task(retry: Value) -> Value {
    single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "f", "Payload": {}}, "OutputPath": "$.Payload", "Retry": retry}),
    )
}

#[test]
fn backoff_and_max_delay_on_the_virtual_clock() {
    let def = flaky_task(
        json!([{"ErrorEquals": ["E"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3, "MaxDelaySeconds": 5}]),
    );
    let mocks = Mocks::new().sequence(
        "f",
        [
            throw("E"),
            throw("E"),
            throw("E"),
            Response::Return(json!("ok")),
        ],
    );
    let e = run(def, json!({}), mocks);
    assert_eq!(output(&e), json!("ok"));
    // 2 × 3^0 = 2, 2 × 3^1 = 6 → capped at 5, then 5.
    assert_eq!(gaps(&e), vec![2.0, 5.0, 5.0]);
}

#[test]
fn defaults_interval_1_backoff_2_attempts_3() {
    let def = flaky_task(json!([{"ErrorEquals": ["States.ALL"]}]));
    let mocks = Mocks::new().always("f", throw("E"));
    let e = run(def, json!({}), mocks);
    assert_eq!(failure(&e).0, "E");
    assert_eq!(gaps(&e), vec![1.0, 2.0, 4.0]);
}

#[test]
fn full_jitter_is_bounded_and_repeatable_with_a_seed() {
    let def = flaky_task(
        json!([{"ErrorEquals": ["E"], "IntervalSeconds": 10, "MaxAttempts": 4, "JitterStrategy": "FULL"}]),
    );
    let runs: Vec<Vec<f64>> = [1u64, 1, 2]
        .iter()
        .map(|seed| {
            let mocks = Mocks::new().always("f", throw("E"));
            gaps(
                &interp(def.clone(), mocks)
                    .seed(*seed)
                    .run_blocking(json!({})),
            )
        })
        .collect();
    assert_eq!(runs[0], runs[1], "same seed, same delays");
    assert_ne!(runs[0], runs[2], "another seed, other delays");
    for (n, d) in runs[0].iter().enumerate() {
        let cap = 10.0 * 2f64.powi(n as i32);
        assert!((0.0..=cap).contains(d), "retry {n}: {d} not in [0, {cap}]");
    }
    assert!(
        runs[0]
            .iter()
            .enumerate()
            .any(|(n, d)| *d < 10.0 * 2f64.powi(n as i32))
    );
}

#[test]
fn max_attempts_zero_never_retries() {
    let def = flaky_task(json!([{"ErrorEquals": ["E"], "MaxAttempts": 0}]));
    let e = run(def, json!({}), Mocks::new().always("f", throw("E")));
    assert_eq!(e.calls.len(), 1);
}

#[test]
fn counters_are_per_retrier_and_first_match_decides() {
    // One retrier for two errors shares its 2 attempts.
    let def = flaky_task(json!([{"ErrorEquals": ["A", "B"], "MaxAttempts": 2}]));
    let mocks = Mocks::new().sequence(
        "f",
        [
            throw("A"),
            throw("B"),
            throw("A"),
            Response::Return(json!(1)),
        ],
    );
    let e = run(def, json!({}), mocks);
    assert_eq!(failure(&e).0, "A");
    assert_eq!(e.calls.len(), 3);

    // The first matching retrier decides; a later States.ALL is not consulted once it is spent.
    let def = flaky_task(
        json!([{"ErrorEquals": ["A"], "MaxAttempts": 1}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]),
    );
    let mocks = Mocks::new().sequence("f", [throw("A"), throw("A"), Response::Return(json!(1))]);
    let e = run(def, json!({}), mocks);
    assert_eq!(failure(&e).0, "A");
    assert_eq!(e.calls.len(), 2);

    // Separate retriers keep separate counts.
    let def = flaky_task(
        json!([{"ErrorEquals": ["A"], "MaxAttempts": 1}, {"ErrorEquals": ["B"], "MaxAttempts": 1}]),
    );
    let mocks = Mocks::new().sequence("f", [throw("A"), throw("B"), Response::Return(json!(1))]);
    assert_eq!(output(&run(def, json!({}), mocks)), json!(1));
}

#[test]
fn task_failed_matches_everything_but_timeouts() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow", "TimeoutSeconds": 5,
              "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "TF"}, {"ErrorEquals": ["States.Timeout"], "Next": "TO"}],
              "End": true},
        "TF": {"Type": "Pass", "Result": "task-failed", "End": true},
        "TO": {"Type": "Pass", "Result": "timeout", "End": true}}});
    let slow = Mocks::new().handler_async_sleep();
    assert_eq!(output(&run(def.clone(), json!({}), slow)), json!("timeout"));
    let failing = Mocks::new().always("slow", throw("Whatever"));
    assert_eq!(output(&run(def, json!({}), failing)), json!("task-failed"));
}

trait SlowMock {
    fn handler_async_sleep(self) -> Self;
}

impl SlowMock for Mocks {
    /// `slow`: takes an hour of (virtual) time.
    fn handler_async_sleep(mut self) -> Self {
        self.insert(
            "slow",
            stepmacro_runtime::mock::Behaviour::Handler(std::sync::Arc::new(|v| {
                Box::pin(async move {
                    stepmacro_runtime::interpreter::sleep(std::time::Duration::from_secs(3600))
                        .await;
                    Ok(v)
                })
            })),
        );
        self
    }
}

#[test]
fn catch_jsonpath_result_paths_and_assign() {
    let machine = |catcher: Value| {
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Catch": [catcher], "End": true},
            "H": {"Type": "Pass", "Parameters": {"in.$": "$", "err.$": "$err"}, "End": true}}})
    };
    let mocks = || Mocks::new().always("f", Response::Throw(Failure::new("Oops", "why")));
    let eo = json!({"Error": "Oops", "Cause": "why"});
    // Default ResultPath: the Error Output replaces the input.
    let out = output(&run(
        machine(json!({"ErrorEquals": ["Oops"], "Assign": {"err.$": "$"}, "Next": "H"})),
        json!({"a": 1}),
        mocks(),
    ));
    assert_eq!(out, json!({"in": eo, "err": eo}));
    // ResultPath into the input.
    let out = output(&run(
        machine(
            json!({"ErrorEquals": ["Oops"], "ResultPath": "$.e", "Assign": {"err.$": "$.Cause"}, "Next": "H"}),
        ),
        json!({"a": 1}),
        mocks(),
    ));
    assert_eq!(out, json!({"in": {"a": 1, "e": eo}, "err": "why"}));
    // null keeps the input.
    let out = output(&run(
        machine(
            json!({"ErrorEquals": ["States.ALL"], "ResultPath": null, "Assign": {"err": 0}, "Next": "H"}),
        ),
        json!({"a": 1}),
        mocks(),
    ));
    assert_eq!(out, json!({"in": {"a": 1}, "err": 0}));
    // No matching catcher: the execution fails with the task's Error and Cause.
    let e = run(
        machine(json!({"ErrorEquals": ["Other"], "Next": "H"})),
        json!({}),
        mocks(),
    );
    assert_eq!(failure(&e), ("Oops".to_owned(), "why".to_owned()));
}

#[test]
fn catch_jsonata_output_and_assign() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
              "Assign": {"never": "{% 'top-level Assign is skipped on error' %}"},
              "Output": "{% 'skipped too' %}",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err": "{% $states.errorOutput.Error %}"},
                         "Output": "{% {'input': $states.input, 'cause': $states.errorOutput.Cause} %}", "Next": "H"}],
              "End": true},
        "H": {"Type": "Pass", "Output": "{% {'out': $states.input, 'err': $err, 'never': $exists($never)} %}", "End": true}}});
    let mocks = Mocks::new().always("f", Response::Throw(Failure::new("Oops", "why")));
    assert_eq!(
        output(&run(def, json!({"a": 1}), mocks)),
        json!({"out": {"input": {"a": 1}, "cause": "why"}, "err": "Oops", "never": false})
    );

    let def = json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}], "End": true},
        "H": {"Type": "Succeed"}}});
    let mocks = Mocks::new().always("f", Response::Throw(Failure::new("Oops", "why")));
    assert_eq!(
        output(&run(def, json!({}), mocks)),
        json!({"Error": "Oops", "Cause": "why"})
    );
}

#[test]
fn task_errors_keep_the_failure_text() {
    let cause = lambda_cause("Payment.Declined", "card expired");
    let def = single(
        json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "pay"}}),
    );
    let mocks = Mocks::new().always(
        "pay",
        Response::Throw(Failure::new("Payment.Declined", cause.clone())),
    );
    assert_eq!(
        failure(&run(def, json!({}), mocks)),
        ("Payment.Declined".to_owned(), cause)
    );
}

#[test]
fn terminal_errors_are_neither_retried_nor_caught() {
    let all = |state: Value| {
        let mut state = state;
        state["Retry"] = json!([{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}]);
        state["Catch"] = json!([{"ErrorEquals": ["States.Runtime", "Harness.NoMock"], "Next": "C"}, {"ErrorEquals": ["States.ALL"], "Next": "C"}]);
        state["End"] = json!(true);
        json!({"StartAt": "S", "States": {"S": state, "C": {"Type": "Succeed"}}})
    };
    // States.Runtime from a bad path.
    let e = run(
        all(
            json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "InputPath": "$.nope"}),
        ),
        json!({}),
        Mocks::new().always("f", Response::Return(json!(1))),
    );
    assert_eq!(failure(&e).0, "States.Runtime");
    // A missing mock is a harness error, not something a Catch may hide.
    let e = run(
        all(
            json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:absent"}),
        ),
        json!({}),
        Mocks::new(),
    );
    assert_eq!(failure(&e).0, "Harness.NoMock");
    assert_eq!(e.calls.len(), 1, "not retried");
    // An exhausted list too.
    let e = run(
        all(
            json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f"}),
        ),
        json!({}),
        Mocks::new().sequence("f", []),
    );
    assert_eq!(failure(&e).0, "Harness.MockExhausted");
}

#[test]
fn query_evaluation_errors_are_catchable_on_tasks() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
              "Arguments": "{% $states.input.missing %}",
              "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "C"}], "End": true},
        "C": {"Type": "Pass", "Output": "{% $states.input.Error %}", "End": true}}});
    let e = run(
        def,
        json!({}),
        Mocks::new().always("f", Response::Return(json!(1))),
    );
    assert_eq!(output(&e), json!("States.QueryEvaluationError"));
    assert!(e.calls.is_empty());
}
