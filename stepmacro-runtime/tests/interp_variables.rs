//! Workflow variables: entry-time evaluation, scopes of Parallel branches and Map iterations,
//! Catchers writing the outer scope, unassigned reads.

#![cfg(feature = "interpreter")]

mod interp_common;

use interp_common::{failure, output, run};
use serde_json::json;
use stepmacro_runtime::interpreter::EventDetails;
use stepmacro_runtime::mock::Mocks;

fn jsonata(states: serde_json::Value, start: &str) -> serde_json::Value {
    json!({"QueryLanguage": "JSONata", "StartAt": start, "States": states})
}

#[test]
fn assign_uses_entry_time_values_and_output_does_not_see_them() {
    let def = jsonata(
        json!({
            "Init": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
            "Swap": {"Type": "Pass", "Assign": {"x": "{% $y %}", "y": "{% $x %}"}, "Output": "{% [$x, $y] %}", "Next": "Show"},
            "Show": {"Type": "Pass", "Output": "{% {'before': $states.input, 'after': [$x, $y]} %}", "End": true}
        }),
        "Init",
    );
    assert_eq!(
        output(&run(def, json!({}), Mocks::new())),
        json!({"before": [1, 2], "after": [2, 1]})
    );
}

#[test]
fn task_arguments_and_assign_read_entry_time_values() {
    let def = jsonata(
        json!({
            "Init": {"Type": "Pass", "Assign": {"n": 1}, "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:echo",
                  "Arguments": {"n": "{% $n %}"}, "Assign": {"n": "{% $n + $states.result.n %}", "seen": "{% $n %}"},
                  "Output": "{% $n %}", "Next": "Show"},
            "Show": {"Type": "Pass", "Output": "{% {'out': $states.input, 'n': $n, 'seen': $seen} %}", "End": true}
        }),
        "Init",
    );
    let e = run(def, json!({}), Mocks::new().handler("echo", Ok));
    assert_eq!(output(&e), json!({"out": 1, "n": 2, "seen": 1}));
    assert_eq!(e.calls[0].input, json!({"n": 1}));
    let exited = e
        .history
        .iter()
        .find_map(|ev| match &ev.details {
            Some(EventDetails::StateExited(d)) if &*d.name == "T" => Some(d.clone()),
            _ => None,
        })
        .unwrap();
    let vars = exited.assigned_variables.unwrap();
    assert_eq!(vars["n"], "2");
    assert_eq!(vars["seen"], "1");
}

#[test]
fn unassigned_variables_are_query_errors_unless_guarded() {
    let def = jsonata(
        json!({"P": {"Type": "Pass", "Output": "{% $missing %}", "End": true}}),
        "P",
    );
    let (error, cause) = failure(&run(def, json!({}), Mocks::new()));
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(cause.contains("$missing"), "{cause}");
    let def = jsonata(
        json!({"P": {"Type": "Pass", "Output": "{% $exists($missing) ? $missing : 'fallback' %}", "End": true}}),
        "P",
    );
    assert_eq!(
        output(&run(def, json!({}), Mocks::new())),
        json!("fallback")
    );
}

#[test]
fn parallel_branches_read_outer_and_keep_their_own() {
    let def = jsonata(
        json!({
            "Init": {"Type": "Pass", "Assign": {"outer": "o"}, "Next": "Par"},
            "Par": {"Type": "Parallel", "Branches": [
                {"StartAt": "A1", "States": {
                    "A1": {"Type": "Pass", "Assign": {"mine": "a"}, "Next": "A2"},
                    "A2": {"Type": "Pass", "Output": "{% [$outer, $mine] %}", "End": true}}},
                {"StartAt": "B1", "States": {
                    "B1": {"Type": "Wait", "Seconds": 5, "Next": "B2"},
                    "B2": {"Type": "Pass", "Output": "{% [$outer, $exists($mine)] %}", "End": true}}}],
             "Assign": {"results": "{% $states.result %}"}, "Next": "Show"},
            "Show": {"Type": "Pass", "Output": "{% {'results': $results, 'leaked': $exists($mine)} %}", "End": true}
        }),
        "Init",
    );
    assert_eq!(
        output(&run(def, json!({}), Mocks::new())),
        json!({"results": [["o", "a"], ["o", false]], "leaked": false})
    );
}

#[test]
fn catcher_on_parallel_assigns_in_the_outer_scope() {
    let def = jsonata(
        json!({
            "Par": {"Type": "Parallel", "Branches": [
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Bad", "Cause": "inner"}}}],
             "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err": "{% $states.errorOutput %}"}, "Next": "Show"}],
             "End": true},
            "Show": {"Type": "Pass", "Output": "{% $err %}", "End": true}
        }),
        "Par",
    );
    assert_eq!(
        output(&run(def, json!({}), Mocks::new())),
        json!({"Error": "Bad", "Cause": "inner"})
    );
}

#[test]
fn map_iterations_are_isolated() {
    let def = jsonata(
        json!({
            "Init": {"Type": "Pass", "Assign": {"base": 100}, "Next": "M"},
            "M": {"Type": "Map", "Items": "{% [1, 2, 3] %}", "MaxConcurrency": 0,
                  "ItemProcessor": {"StartAt": "Set", "States": {
                      "Set": {"Type": "Pass", "Assign": {"mine": "{% $states.input %}"}, "Next": "Pause"},
                      "Pause": {"Type": "Wait", "Seconds": "{% 10 - $mine %}", "Next": "Get"},
                      "Get": {"Type": "Pass", "Output": "{% $base + $mine %}", "End": true}}},
                  "Next": "Show"},
            "Show": {"Type": "Pass", "Output": "{% {'r': $states.input, 'leaked': $exists($mine)} %}", "End": true}
        }),
        "Init",
    );
    assert_eq!(
        output(&run(def, json!({}), Mocks::new())),
        json!({"r": [101, 102, 103], "leaked": false})
    );
}

#[test]
fn distributed_map_children_see_no_outer_variables() {
    let def = jsonata(
        json!({
            "Init": {"Type": "Pass", "Assign": {"outer": 1}, "Next": "M"},
            "M": {"Type": "Map", "Items": "{% [1] %}",
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Get", "States": {
                      "Get": {"Type": "Pass", "Output": "{% $exists($outer) %}", "End": true}}},
                  "End": true}
        }),
        "Init",
    );
    assert_eq!(output(&run(def, json!({}), Mocks::new())), json!([false]));
}

#[test]
fn variable_size_limit() {
    let def = jsonata(
        json!({"P": {"Type": "Pass", "Assign": {"big": "{% $pad('', 300000, 'x') %}"}, "End": true}}),
        "P",
    );
    assert_eq!(
        failure(&run(def, json!({}), Mocks::new())).0,
        "States.DataLimitExceeded"
    );
}
