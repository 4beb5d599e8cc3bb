//! Choice states in both query languages.

#![cfg(feature = "interpreter")]

mod interp_common;

use interp_common::{failure, output, run};
use serde_json::{Value, json};
use stepmacro_runtime::mock::Mocks;

/// A Choice `C` with one rule leading to `Yes` and `Default` to `No`; returns which was taken.
fn decide(rule: Value, input: Value) -> &'static str {
    let mut rule = rule;
    rule["Next"] = json!("Yes");
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [rule], "Default": "No"},
        "Yes": {"Type": "Pass", "Result": "yes", "End": true},
        "No": {"Type": "Pass", "Result": "no", "End": true}}});
    match output(&run(def, input, Mocks::new())).as_str() {
        Some("yes") => "yes",
        Some("no") => "no",
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_operator() {
    let input = json!({
        "s": "banana", "n": 10, "f": 1.5, "b": true, "z": null, "t": "2024-03-14T01:59:00Z",
        "other": {"s": "apple", "n": 10, "b": true, "t": "2024-03-15T00:00:00Z"}
    });
    let cases: Vec<(Value, &str)> = vec![
        (json!({"Variable": "$.s", "StringEquals": "banana"}), "yes"),
        (json!({"Variable": "$.s", "StringEquals": "Banana"}), "no"),
        (
            json!({"Variable": "$.s", "StringLessThan": "cherry"}),
            "yes",
        ),
        (
            json!({"Variable": "$.s", "StringGreaterThan": "cherry"}),
            "no",
        ),
        (
            json!({"Variable": "$.s", "StringLessThanEquals": "banana"}),
            "yes",
        ),
        (
            json!({"Variable": "$.s", "StringGreaterThanEquals": "banana"}),
            "yes",
        ),
        (
            json!({"Variable": "$.s", "StringEqualsPath": "$.other.s"}),
            "no",
        ),
        (
            json!({"Variable": "$.s", "StringGreaterThanPath": "$.other.s"}),
            "yes",
        ),
        (
            json!({"Variable": "$.s", "StringLessThanEqualsPath": "$.other.s"}),
            "no",
        ),
        (
            json!({"Variable": "$.s", "StringGreaterThanEqualsPath": "$.other.s"}),
            "yes",
        ),
        (
            json!({"Variable": "$.s", "StringLessThanPath": "$.other.s"}),
            "no",
        ),
        (json!({"Variable": "$.s", "StringMatches": "ban*"}), "yes"),
        (json!({"Variable": "$.s", "StringMatches": "*nan*"}), "yes"),
        (json!({"Variable": "$.s", "StringMatches": "b*x"}), "no"),
        (json!({"Variable": "$.n", "NumericEquals": 10}), "yes"),
        (json!({"Variable": "$.n", "NumericEquals": 10.0}), "yes"),
        (json!({"Variable": "$.f", "NumericLessThan": 2}), "yes"),
        (json!({"Variable": "$.f", "NumericGreaterThan": 1.5}), "no"),
        (
            json!({"Variable": "$.f", "NumericLessThanEquals": 1.5}),
            "yes",
        ),
        (
            json!({"Variable": "$.f", "NumericGreaterThanEquals": 1.5}),
            "yes",
        ),
        (
            json!({"Variable": "$.n", "NumericEqualsPath": "$.other.n"}),
            "yes",
        ),
        (
            json!({"Variable": "$.f", "NumericLessThanPath": "$.other.n"}),
            "yes",
        ),
        (
            json!({"Variable": "$.f", "NumericGreaterThanPath": "$.other.n"}),
            "no",
        ),
        (
            json!({"Variable": "$.n", "NumericLessThanEqualsPath": "$.other.n"}),
            "yes",
        ),
        (
            json!({"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.other.n"}),
            "yes",
        ),
        (json!({"Variable": "$.b", "BooleanEquals": true}), "yes"),
        (
            json!({"Variable": "$.b", "BooleanEqualsPath": "$.other.b"}),
            "yes",
        ),
        (
            json!({"Variable": "$.t", "TimestampEquals": "2024-03-14T01:59:00Z"}),
            "yes",
        ),
        (
            json!({"Variable": "$.t", "TimestampLessThan": "2024-03-14T02:00:00Z"}),
            "yes",
        ),
        (
            json!({"Variable": "$.t", "TimestampGreaterThan": "2024-03-14T02:00:00Z"}),
            "no",
        ),
        (
            json!({"Variable": "$.t", "TimestampLessThanEquals": "2024-03-14T01:59:00Z"}),
            "yes",
        ),
        (
            json!({"Variable": "$.t", "TimestampGreaterThanEquals": "2024-03-14T01:59:01Z"}),
            "no",
        ),
        (
            json!({"Variable": "$.t", "TimestampLessThanPath": "$.other.t"}),
            "yes",
        ),
        (
            json!({"Variable": "$.t", "TimestampEqualsPath": "$.other.t"}),
            "no",
        ),
        (
            json!({"Variable": "$.t", "TimestampGreaterThanPath": "$.other.t"}),
            "no",
        ),
        (
            json!({"Variable": "$.t", "TimestampLessThanEqualsPath": "$.other.t"}),
            "yes",
        ),
        (
            json!({"Variable": "$.t", "TimestampGreaterThanEqualsPath": "$.other.t"}),
            "no",
        ),
        (json!({"Variable": "$.z", "IsNull": true}), "yes"),
        (json!({"Variable": "$.s", "IsNull": true}), "no"),
        (json!({"Variable": "$.n", "IsNumeric": true}), "yes"),
        (json!({"Variable": "$.s", "IsNumeric": false}), "yes"),
        (json!({"Variable": "$.s", "IsString": true}), "yes"),
        (json!({"Variable": "$.b", "IsBoolean": true}), "yes"),
        (json!({"Variable": "$.t", "IsTimestamp": true}), "yes"),
        (json!({"Variable": "$.s", "IsTimestamp": true}), "no"),
        (json!({"Variable": "$.missing", "IsPresent": true}), "no"),
        (json!({"Variable": "$.missing", "IsPresent": false}), "yes"),
        (json!({"Variable": "$.z", "IsPresent": true}), "yes"),
        // Wrong operand types are false, not errors.
        (json!({"Variable": "$.s", "NumericEquals": 1}), "no"),
        (json!({"Variable": "$.n", "StringEquals": "10"}), "no"),
        (
            json!({"Variable": "$.s", "TimestampEquals": "2024-03-14T01:59:00Z"}),
            "no",
        ),
        (json!({"Variable": "$.n", "BooleanEquals": true}), "no"),
        // Boolean combinators.
        (
            json!({"And": [{"Variable": "$.n", "NumericEquals": 10}, {"Variable": "$.b", "BooleanEquals": true}]}),
            "yes",
        ),
        (
            json!({"And": [{"Variable": "$.n", "NumericEquals": 10}, {"Variable": "$.b", "BooleanEquals": false}]}),
            "no",
        ),
        (
            json!({"Or": [{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.b", "BooleanEquals": true}]}),
            "yes",
        ),
        (
            json!({"Not": {"Variable": "$.n", "NumericEquals": 1}}),
            "yes",
        ),
        (
            json!({"Not": {"And": [{"Variable": "$.missing", "IsPresent": true}, {"Variable": "$.missing", "StringEquals": "x"}]}}),
            "yes",
        ),
        // Context object and variables as the Variable.
        (
            json!({"Variable": "$$.State.Name", "StringEquals": "C"}),
            "yes",
        ),
    ];
    for (rule, want) in cases {
        assert_eq!(decide(rule.clone(), input.clone()), want, "{rule}");
    }
}

#[test]
fn string_matches_escapes() {
    assert_eq!(
        decide(
            json!({"Variable": "$.s", "StringMatches": "a\\*b"}),
            json!({"s": "a*b"})
        ),
        "yes"
    );
    assert_eq!(
        decide(
            json!({"Variable": "$.s", "StringMatches": "a\\*b"}),
            json!({"s": "axb"})
        ),
        "no"
    );
    assert_eq!(
        decide(
            json!({"Variable": "$.s", "StringMatches": "c:\\\\*"}),
            json!({"s": "c:\\dir"})
        ),
        "yes"
    );
    assert_eq!(
        decide(
            json!({"Variable": "$.s", "StringMatches": "foo*.log"}),
            json!({"s": "foo23.log"})
        ),
        "yes"
    );
}

#[test]
fn missing_variable_fails_with_runtime() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.missing", "StringEquals": "x", "Next": "Y"}], "Default": "Y"},
        "Y": {"Type": "Succeed"}}});
    let (error, cause) = failure(&run(def, json!({}), Mocks::new()));
    assert_eq!(error, "States.Runtime");
    assert_eq!(
        cause,
        "Invalid path '$.missing': The choice state's condition path references an invalid value."
    );
}

#[test]
fn no_match_and_no_default_is_runtime() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Y"}]},
        "Y": {"Type": "Succeed"}}});
    let (error, _) = failure(&run(def, json!({"n": 2}), Mocks::new()));
    assert_eq!(error, "States.Runtime");
}

#[test]
fn jsonpath_choice_paths_and_assign() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "InputPath": "$.in", "OutputPath": "$.keep",
              "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Assign": {"picked": "big", "n.$": "$.n"}, "Next": "Y"}],
              "Assign": {"picked": "default"}, "Default": "Y"},
        "Y": {"Type": "Pass", "Parameters": {"out.$": "$", "picked.$": "$picked"}, "End": true}}});
    assert_eq!(
        output(&run(
            def.clone(),
            json!({"in": {"n": 9, "keep": 1}}),
            Mocks::new()
        )),
        json!({"out": 1, "picked": "big"})
    );
    assert_eq!(
        output(&run(def, json!({"in": {"n": 1, "keep": 2}}), Mocks::new())),
        json!({"out": 2, "picked": "default"})
    );
}

#[test]
fn jsonata_choice_rules() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice",
              "Choices": [
                  {"Condition": "{% $states.input.n > 5 %}", "Assign": {"size": "big"}, "Output": {"n": "{% $states.input.n * 2 %}"}, "Next": "Y"},
                  {"Condition": false, "Next": "Y"}],
              "Default": "Y", "Assign": {"size": "small"}, "Output": "{% {'default': true} %}"},
        "Y": {"Type": "Pass", "Output": "{% $merge([$states.input, {'size': $size}]) %}", "End": true}}});
    assert_eq!(
        output(&run(def.clone(), json!({"n": 6}), Mocks::new())),
        json!({"n": 12, "size": "big"})
    );
    assert_eq!(
        output(&run(def, json!({"n": 1}), Mocks::new())),
        json!({"default": true, "size": "small"})
    );
}

#[test]
fn jsonata_condition_must_be_boolean() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n %}", "Next": "Y"}], "Default": "Y"},
        "Y": {"Type": "Succeed"}}});
    let (error, _) = failure(&run(def, json!({"n": 1}), Mocks::new()));
    assert_eq!(error, "States.QueryEvaluationError");
}
