//! Parallel and Map: real concurrency, MaxConcurrency, order of results, failure semantics,
//! tolerated failures, batching and the mocked ItemReader.

#![cfg(feature = "interpreter")]

mod interp_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use interp_common::{elapsed, failure, output, run, single};
use serde_json::{Value, json};
use stepmacro_runtime::Failure;
use stepmacro_runtime::interpreter::{EventType, sleep};
use stepmacro_runtime::mock::{Behaviour, Mocks, Response};

/// A mock `work` that sleeps `secs` virtual seconds (from its input) and tracks how many calls
/// overlap. Returns the mocks and the highest overlap seen.
fn overlapping_work() -> (Mocks, Arc<AtomicUsize>) {
    let now = Arc::new(AtomicUsize::new(0));
    let max = Arc::new(AtomicUsize::new(0));
    let (n, m) = (now.clone(), max.clone());
    let mut mocks = Mocks::new();
    mocks.insert(
        "work",
        Behaviour::Handler(Arc::new(move |v: Value| {
            let (n, m) = (n.clone(), m.clone());
            Box::pin(async move {
                let running = n.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(running, Ordering::SeqCst);
                sleep(Duration::from_secs(v["secs"].as_u64().unwrap_or(10))).await;
                n.fetch_sub(1, Ordering::SeqCst);
                if v["fail"] == json!(true) {
                    return Err(Failure::new("Item.Failed", format!("item {}", v["i"])));
                }
                Ok(json!({"done": v["i"]}))
            })
        })),
    );
    (mocks, max)
}

fn map_of_work(max_concurrency: Value) -> Value {
    single(json!({
        "Type": "Map", "MaxConcurrency": max_concurrency,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "End": true}}}
    }))
}

fn items(n: usize) -> Value {
    Value::Array((0..n).map(|i| json!({"i": i, "secs": 10})).collect())
}

#[test]
fn map_max_concurrency_is_observed() {
    for (limit, want_max, want_secs) in [
        (json!(2), 2, 30.0),
        (json!(1), 1, 60.0),
        (json!(0), 6, 10.0),
    ] {
        let (mocks, max) = overlapping_work();
        let e = run(map_of_work(limit.clone()), items(6), mocks);
        let out = output(&e);
        assert_eq!(out.as_array().unwrap().len(), 6);
        assert_eq!(
            max.load(Ordering::SeqCst),
            want_max,
            "MaxConcurrency {limit}"
        );
        assert_eq!(
            elapsed(&e),
            want_secs,
            "MaxConcurrency {limit}: virtual duration"
        );
    }
}

#[test]
fn inline_map_runs_at_most_40_at_once() {
    let (mocks, max) = overlapping_work();
    let e = run(map_of_work(json!(100)), items(100), mocks);
    assert_eq!(output(&e).as_array().unwrap().len(), 100);
    assert_eq!(max.load(Ordering::SeqCst), 40);
    assert_eq!(elapsed(&e), 30.0);
}

#[test]
fn map_results_keep_item_order() {
    let (mocks, _) = overlapping_work();
    // Later items finish first.
    let input: Value = (0..5)
        .map(|i| json!({"i": i, "secs": 50 - i * 10}))
        .collect();
    let out = output(&run(map_of_work(json!(0)), input, mocks));
    assert_eq!(
        out,
        json!([{"done": 0}, {"done": 1}, {"done": 2}, {"done": 3}, {"done": 4}])
    );
}

#[test]
fn max_concurrency_one_runs_in_order() {
    let (mocks, _) = overlapping_work();
    let e = run(map_of_work(json!(1)), items(4), mocks);
    let order: Vec<i64> = e
        .calls
        .iter()
        .map(|c| c.input["i"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![0, 1, 2, 3]);
}

#[test]
fn a_failing_iteration_fails_the_map_and_stops_the_rest() {
    let (mocks, _) = overlapping_work();
    let mut input: Vec<Value> = (0..6).map(|i| json!({"i": i, "secs": 100})).collect();
    input[1] = json!({"i": 1, "secs": 5, "fail": true});
    let e = run(map_of_work(json!(3)), Value::Array(input), mocks);
    assert_eq!(failure(&e), ("Item.Failed".to_owned(), "item 1".to_owned()));
    // Only the first three started; the failure came at t=5 and stopped the others.
    assert_eq!(e.calls.len(), 3);
    assert_eq!(elapsed(&e), 5.0);
    let aborted = e
        .history
        .iter()
        .filter(|ev| ev.event_type == EventType::MapIterationAborted)
        .count();
    assert_eq!(aborted, 2);
    assert!(
        e.history
            .iter()
            .any(|ev| ev.event_type == EventType::MapStateFailed)
    );
}

#[test]
fn tolerated_failures() {
    let def = |tolerance: Value| {
        let mut m = map_of_work(json!(0));
        m["States"]["S"]["ItemProcessor"]["ProcessorConfig"] =
            json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
        for (k, v) in tolerance.as_object().unwrap() {
            m["States"]["S"][k] = v.clone();
        }
        m
    };
    let input = json!([{"i": 0}, {"i": 1, "fail": true}, {"i": 2}, {"i": 3, "fail": true}]);
    let (mocks, _) = overlapping_work();
    let out = output(&run(
        def(json!({"ToleratedFailureCount": 2})),
        input.clone(),
        mocks,
    ));
    assert_eq!(out[0], json!({"done": 0}));
    assert_eq!(out[1], json!({"Error": "Item.Failed", "Cause": "item 1"}));
    let (mocks, _) = overlapping_work();
    assert_eq!(
        failure(&run(
            def(json!({"ToleratedFailureCount": 1})),
            input.clone(),
            mocks
        ))
        .0,
        "States.ExceedToleratedFailureThreshold"
    );
    let (mocks, _) = overlapping_work();
    output(&run(
        def(json!({"ToleratedFailurePercentage": 50})),
        input.clone(),
        mocks,
    ));
    let (mocks, _) = overlapping_work();
    assert_eq!(
        failure(&run(
            def(json!({"ToleratedFailurePercentage": 25})),
            input.clone(),
            mocks
        ))
        .0,
        "States.ExceedToleratedFailureThreshold"
    );
    // An inline Map ignores the tolerance: the first failure fails it with the item's error.
    let mut inline = map_of_work(json!(0));
    inline["States"]["S"]["ToleratedFailureCount"] = json!(5);
    let (mocks, _) = overlapping_work();
    assert_eq!(failure(&run(inline, input, mocks)).0, "Item.Failed");
}

#[test]
fn map_item_selector_and_context() {
    let def = single(json!({
        "Type": "Map", "ItemsPath": "$.list",
        "ItemSelector": {"v.$": "$$.Map.Item.Value", "idx.$": "$$.Map.Item.Index", "tag.$": "$.tag"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "ResultPath": "$.out"
    }));
    let out = output(&run(
        def,
        json!({"list": ["a", "b"], "tag": "t"}),
        Mocks::new(),
    ));
    assert_eq!(
        out["out"],
        json!([{"v": "a", "idx": 0, "tag": "t"}, {"v": "b", "idx": 1, "tag": "t"}])
    );
}

#[test]
fn deprecated_iterator_and_parameters() {
    let def = single(json!({
        "Type": "Map", "Parameters": {"x.$": "$$.Map.Item.Value"},
        "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}
    }));
    assert_eq!(
        output(&run(def, json!([1, 2]), Mocks::new())),
        json!([{"x": 1}, {"x": 2}])
    );
}

#[test]
fn map_items_must_be_an_array() {
    let def = single(
        json!({"Type": "Map", "ItemsPath": "$.x", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}),
    );
    assert_eq!(
        failure(&run(def, json!({"x": 3}), Mocks::new())).0,
        "States.Runtime"
    );
}

#[test]
fn jsonata_map_with_batches() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {
        "Type": "Map", "Items": "{% $range(1, 5) %}",
        "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"tag": "{% $states.input.tag %}"}},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $sum($states.input.Items) & $states.input.BatchInput.tag %}", "End": true}}},
        "End": true}}});
    assert_eq!(
        output(&run(def, json!({"tag": "!"}), Mocks::new())),
        json!(["3!", "7!", "5!"])
    );
}

#[test]
fn distributed_map_reads_items_from_a_mocked_item_reader() {
    let def = single(json!({
        "Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                       "Parameters": {"Bucket": "b", "Key.$": "$.key"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}}
    }));
    let mocks = Mocks::new()
        .always(
            "arn:aws:states:::s3:getObject",
            Response::Return(json!("sku,qty\na,1\nb,2\n")),
        )
        .always("arn:aws:states:::s3:putObject", Response::Return(json!({})));
    let e = run(def, json!({"key": "items.csv"}), mocks);
    let out = output(&e);
    assert_eq!(out["ResultWriterDetails"]["Bucket"], "out");
    assert!(
        out["ResultWriterDetails"]["Key"]
            .as_str()
            .unwrap()
            .starts_with("runs/")
    );
    assert_eq!(e.calls[0].input, json!({"Bucket": "b", "Key": "items.csv"}));
    assert_eq!(
        e.calls[1].input["Results"],
        json!([{"sku": "a", "qty": "1"}, {"sku": "b", "qty": "2"}])
    );
}

#[test]
fn parallel_runs_branches_concurrently_and_keeps_order() {
    let branch = |secs: u64, result: &str| {
        let (w, r) = (format!("W{result}"), format!("R{result}"));
        json!({"StartAt": w, "States": {
            w.clone(): {"Type": "Wait", "Seconds": secs, "Next": r},
            r.clone(): {"Type": "Pass", "Result": result, "End": true}}})
    };
    let def = single(
        json!({"Type": "Parallel", "Branches": [branch(30, "a"), branch(10, "b"), branch(20, "c")]}),
    );
    let e = run(def, json!({}), Mocks::new());
    assert_eq!(output(&e), json!(["a", "b", "c"]));
    assert_eq!(elapsed(&e), 30.0, "branches overlap in time");
}

#[test]
fn parallel_failure_stops_the_other_branches() {
    let def = single(json!({"Type": "Parallel", "Branches": [
        {"StartAt": "Slow", "States": {
            "Slow": {"Type": "Wait", "Seconds": 100, "Next": "After"},
            "After": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:never", "End": true}}},
        {"StartAt": "Boom", "States": {
            "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Boom2"},
            "Boom": {"Type": "Pass", "Next": "Wait"},
            "Boom2": {"Type": "Fail", "Error": "Branch.Broke", "Cause": "on purpose"}}}
    ]}));
    let e = run(
        def,
        json!({}),
        Mocks::new().always("never", Response::Return(json!(0))),
    );
    assert_eq!(
        failure(&e),
        ("Branch.Broke".to_owned(), "on purpose".to_owned())
    );
    assert!(
        e.calls.is_empty(),
        "the slow branch was stopped before its task"
    );
    assert_eq!(elapsed(&e), 5.0);
    assert!(
        e.history
            .iter()
            .any(|ev| ev.event_type == EventType::ParallelStateFailed)
    );
}

#[test]
fn parallel_failure_is_caught_by_the_parallel_state() {
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Inner", "Cause": "c"}}}],
              "Retry": [{"ErrorEquals": ["Inner"], "MaxAttempts": 2, "IntervalSeconds": 1}],
              "Catch": [{"ErrorEquals": ["Inner"], "ResultPath": "$.error", "Next": "H"}], "End": true},
        "H": {"Type": "Succeed"}}});
    let e = run(def, json!({"x": 1}), Mocks::new());
    assert_eq!(
        output(&e),
        json!({"x": 1, "error": {"Error": "Inner", "Cause": "c"}})
    );
    let started = e
        .history
        .iter()
        .filter(|ev| ev.event_type == EventType::ParallelStateStarted)
        .count();
    assert_eq!(started, 3, "the whole Parallel is retried");
}

#[test]
fn parallel_result_selector_and_parameters() {
    let def = single(json!({"Type": "Parallel",
        "Parameters": {"v.$": "$.v"},
        "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"a.$": "$.v"}, "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 2, "End": true}}}],
        "ResultSelector": {"first.$": "$[0].a", "second.$": "$[1]"},
        "ResultPath": "$.r"}));
    assert_eq!(
        output(&run(def, json!({"v": 1, "keep": true}), Mocks::new())),
        json!({"v": 1, "keep": true, "r": {"first": 1, "second": 2}})
    );
}
