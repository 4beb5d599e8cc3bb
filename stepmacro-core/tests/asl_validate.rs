//! The validator: the asl-check invalid samples are rejected with a message naming the state and the
//! rule; every valid sample and the asl-reference §11 examples pass; and one failing definition (at
//! least) per rule of asl-reference §10.
//!
//! The invalid samples are copied into `tests/fixtures/invalid/` so this runs without `../shared`;
//! the valid shared samples are skipped when `../shared` does not exist.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use stepmacro_core::asl::{
    Diagnostic, Rule, Severity, StateMachine, is_valid, validate, validate_json,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn errors(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn render(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| format!("  {d}\n")).collect()
}

/// Validates a JSON value and returns the diagnostics (the value is printed first, so the order of
/// keys does not matter).
fn check(def: Value) -> Vec<Diagnostic> {
    validate_json(&def.to_string())
}

/// Asserts that `def` yields an error for `rule` on `state` whose message contains `needle`.
#[track_caller]
fn assert_rejects(def: Value, rule: Rule, state: Option<&str>, needle: &str) {
    let diags = check(def);
    let hit = diags.iter().any(|d| {
        d.is_error() && d.rule == rule && d.state.as_deref() == state && d.message.contains(needle)
    });
    assert!(
        hit,
        "expected an error for {rule} on {state:?} containing {needle:?}, got:\n{}",
        render(&diags)
    );
}

#[track_caller]
fn assert_accepts(def: Value) {
    let diags = check(def);
    assert!(
        errors(&diags).is_empty(),
        "expected no errors, got:\n{}",
        render(&diags)
    );
}

/// A one-state JSONPath machine.
fn one(state: Value) -> Value {
    json!({"StartAt": "A", "States": {"A": state}})
}

/// A one-state JSONata machine.
fn one_jsonata(state: Value) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": state}})
}

// ----- the shared samples ---------------------------------------------------------------------------

#[test]
fn invalid_samples_are_rejected_naming_state_and_rule() {
    let expected: &[(&str, Rule, &str)] = &[
        ("bad-jitter.asl.json", Rule::RetryCatch, "JitterStrategy"),
        (
            "bad-jsonata-syntax.asl.json",
            Rule::QueryLanguage,
            "does not parse",
        ),
        (
            "choice-no-next.asl.json",
            Rule::ChoiceRules,
            "Choices[0] has no Next",
        ),
        (
            "jsonata-field-in-jsonpath.asl.json",
            Rule::QueryLanguage,
            "Output is a JSONata field",
        ),
        (
            "missing-next.asl.json",
            Rule::TransitionScope,
            "Next \"B\" does not name a state in this scope",
        ),
        ("unknown-field.asl.json", Rule::Shape, "unknown field `Foo`"),
    ];
    let dir = fixtures().join("invalid");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, expected.iter().map(|e| e.0).collect::<Vec<_>>());
    for (file, rule, needle) in expected {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let diags = validate_json(&text);
        assert!(!is_valid(&diags), "{file} should be invalid");
        let hit = diags
            .iter()
            .find(|d| d.rule == *rule && d.message.contains(needle));
        let Some(hit) = hit else {
            panic!(
                "{file}: no {rule} diagnostic containing {needle:?}:\n{}",
                render(&diags)
            )
        };
        let state = hit
            .state
            .as_deref()
            .unwrap_or_else(|| panic!("{file}: diagnostic names no state: {hit}"));
        let text = hit.to_string();
        assert!(
            text.contains(&format!("state \"{state}\"")),
            "{file}: {text}"
        );
        assert!(
            text.contains(&format!("(rule {}:", rule.number())),
            "{file}: {text}"
        );
    }
    // The shared copies (when present) are the same six files.
    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/asl-check/samples/invalid");
    if shared.is_dir() {
        for (file, ..) in expected {
            let ours = std::fs::read_to_string(dir.join(file)).unwrap();
            let theirs = std::fs::read_to_string(shared.join(file)).unwrap();
            assert_eq!(
                ours, theirs,
                "{file} differs from the shared sample; re-copy it"
            );
        }
    }
}

#[test]
fn valid_samples_and_reference_examples_pass() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    let samples =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/asl-check/samples");
    if samples.is_dir() {
        for entry in std::fs::read_dir(&samples).unwrap() {
            let def = entry.unwrap().path().join("definition.asl.json");
            if def.is_file() {
                files.push(def);
            }
        }
    } else {
        eprintln!("note: ../shared not found; asl-check samples skipped");
    }
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let diags = validate_json(&text);
        assert!(diags.is_empty(), "{}:\n{}", file.display(), render(&diags));
    }
}

// ----- one or more failing definitions per rule ----------------------------------------------------

#[test]
fn rule_1_start_at() {
    let def = json!({"StartAt": "Nope", "States": {"A": {"Type": "Succeed"}}});
    let diags = check(def);
    assert!(diags.iter().any(|d| d.rule == Rule::StartAt
        && d.state.is_none()
        && d.message.contains("StartAt \"Nope\"")));
    assert_rejects(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "X", "States": {"B": {"Type": "Succeed"}}}]}}}),
        Rule::StartAt,
        None,
        "StartAt \"X\"",
    );
    assert_rejects(
        json!({"StartAt": "A", "States": {}}),
        Rule::StartAt,
        None,
        "States is empty",
    );
    // The scope is named.
    let diags = check(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "X", "States": {"B": {"Type": "Succeed"}}}]}}}),
    );
    assert!(
        diags.iter().any(|d| d.scope == "P.Branches[0]"),
        "{}",
        render(&diags)
    );
}

#[test]
fn rule_2_shape() {
    assert_rejects(
        one(json!({"Type": "Pass", "Foo": 1, "End": true})),
        Rule::Shape,
        Some("A"),
        "unknown field `Foo`",
    );
    assert_rejects(
        one(json!({"Type": "Sleep", "End": true})),
        Rule::Shape,
        Some("A"),
        "unknown `Type` \"Sleep\"",
    );
    assert_rejects(
        one(json!({"End": true})),
        Rule::Shape,
        Some("A"),
        "missing field `Type`",
    );
    assert_rejects(
        one(json!({"Type": "Task", "End": true})),
        Rule::Shape,
        Some("A"),
        "missing field `Resource`",
    );
    assert_rejects(
        one(json!({"Type": "Wait", "Seconds": true, "End": true})),
        Rule::Shape,
        Some("A"),
        "Seconds",
    );
    let diags = validate_json("{\"StartAt\": ");
    assert!(
        diags[0].rule == Rule::Shape && diags[0].message.contains("invalid JSON"),
        "{}",
        render(&diags)
    );
    // Nested: the diagnostic names the inner state and its enclosing state.
    let diags = check(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Bogus": 1, "End": true}}}]}}}),
    );
    assert_eq!(diags[0].state.as_deref(), Some("B"));
    assert_eq!(diags[0].scope, "inside \"P\"");
}

#[test]
fn rule_3_state_names() {
    let long = "x".repeat(81);
    assert_rejects(
        json!({"StartAt": long, "States": {long.clone(): {"Type": "Succeed"}}}),
        Rule::StateNames,
        Some(&long),
        "81 characters",
    );
    assert_accepts(
        json!({"StartAt": "x".repeat(80), "States": {"x".repeat(80): {"Type": "Succeed"}}}),
    );
    assert_rejects(
        json!({"StartAt": "A", "States": {"A": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]}}}),
        Rule::StateNames,
        Some("A"),
        "already used in the top level",
    );
    let dup = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"}}}"#;
    let diags = validate_json(dup);
    assert!(
        diags
            .iter()
            .any(|d| d.rule == Rule::StateNames && d.message.contains("duplicate")),
        "{}",
        render(&diags)
    );
}

#[test]
fn rule_4_transitions_stay_in_scope() {
    assert_rejects(
        one(json!({"Type": "Pass", "Next": "B"})),
        Rule::TransitionScope,
        Some("A"),
        "Next \"B\" does not name a state in this scope",
    );
    // Cross-scope jump out of a branch.
    assert_rejects(
        json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "Done", "Branches": [
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Done"}}}]},
            "Done": {"Type": "Succeed"}}}),
        Rule::TransitionScope,
        Some("B"),
        "it is in the top level",
    );
    assert_rejects(
        one(
            json!({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "A"}], "Default": "Gone"}),
        ),
        Rule::TransitionScope,
        Some("A"),
        "Default \"Gone\"",
    );
    assert_rejects(
        one(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gone"}]}),
        ),
        Rule::TransitionScope,
        Some("A"),
        "Catch[0].Next \"Gone\"",
    );
}

#[test]
fn rule_5_next_or_end() {
    assert_rejects(
        one(json!({"Type": "Pass"})),
        Rule::NextOrEnd,
        Some("A"),
        "neither Next nor",
    );
    assert_rejects(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true}, "B": {"Type": "Succeed"}}}),
        Rule::NextOrEnd,
        Some("A"),
        "both Next and",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "End": false})),
        Rule::NextOrEnd,
        Some("A"),
        "must be true",
    );
    // Choice/Succeed/Fail with Next or End are rejected by the field matrix.
    assert_rejects(
        one(json!({"Type": "Succeed", "End": true})),
        Rule::FieldMatrix,
        Some("A"),
        "`End` is not allowed in a Succeed state",
    );
}

#[test]
fn rule_6_terminal_state() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}});
    let diags = check(def);
    assert!(
        diags
            .iter()
            .any(|d| d.rule == Rule::Terminal && d.is_error()),
        "{}",
        render(&diags)
    );
}

#[test]
fn rule_7_reachability() {
    assert_rejects(
        json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "Orphan": {"Type": "Succeed"}}}),
        Rule::Reachable,
        Some("Orphan"),
        "not reachable",
    );
    // Reachable only through a Catch or a Default is fine.
    assert_accepts(json!({"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": true,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
        "F": {"Type": "Fail"}}}));
}

#[test]
fn rule_8_choice_rules() {
    let choice = |rules: Value| json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": rules, "Default": "D"}, "D": {"Type": "Succeed"}}});
    assert_rejects(
        choice(json!([])),
        Rule::ChoiceRules,
        Some("C"),
        "Choices is empty",
    );
    assert_rejects(
        choice(json!([{"Variable": "$.x", "StringEquals": "a"}])),
        Rule::ChoiceRules,
        Some("C"),
        "Choices[0] has no Next",
    );
    assert_rejects(
        choice(json!([{"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "2 comparison operators",
    );
    assert_rejects(
        choice(json!([{"Variable": "$.x", "Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "no comparison operator",
    );
    assert_rejects(
        choice(json!([{"StringEquals": "a", "Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "no Variable",
    );
    assert_rejects(
        choice(json!([{"Variable": "$.x", "NumericEquals": "1", "Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "must be a number",
    );
    assert_rejects(
        choice(json!([{"Variable": "$.t", "TimestampEquals": "yesterday", "Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "not an RFC 3339 timestamp",
    );
    assert_rejects(
        choice(json!([{"And": [], "Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "And must be a non-empty array",
    );
    assert_rejects(
        choice(json!([{"Not": {"Variable": "$.x", "IsNull": true, "Next": "D"}, "Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "Choices[0].Not has Next",
    );
    assert_rejects(
        choice(json!([{"Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "neither a Boolean rule",
    );
    assert_rejects(
        choice(json!([{"Variable": "$.x", "StringMatches": "a\\b", "Next": "D"}])),
        Rule::ChoiceRules,
        Some("C"),
        "not a valid escape",
    );
    // JSONata rules need a Condition.
    assert_rejects(
        json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Next": "D"}], "Default": "D"}, "D": {"Type": "Succeed"}}}),
        Rule::ChoiceRules,
        Some("C"),
        "has no Condition",
    );
    // Well-formed nested Boolean rules pass.
    assert_accepts(choice(json!([{"Or": [
        {"Not": {"Variable": "$.a", "IsPresent": true}},
        {"And": [{"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.m"}, {"Variable": "$.s", "StringMatches": "log-*\\*"}]}
    ], "Next": "D"}])));
}

#[test]
fn rule_9_retry_and_catch() {
    let task = |retry: Value, catch: Value| {
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Retry": retry, "Catch": catch, "End": true},
            "F": {"Type": "Fail"}}})
    };
    let ok_catch = json!([{"ErrorEquals": ["States.ALL"], "Next": "F"}]);
    assert_rejects(
        task(json!([{"ErrorEquals": []}]), ok_catch.clone()),
        Rule::RetryCatch,
        Some("A"),
        "Retry[0].ErrorEquals is empty",
    );
    assert_rejects(
        task(
            json!([{"ErrorEquals": ["States.ALL", "X"]}]),
            ok_catch.clone(),
        ),
        Rule::RetryCatch,
        Some("A"),
        "must appear alone",
    );
    assert_rejects(
        task(
            json!([{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}]),
            ok_catch.clone(),
        ),
        Rule::RetryCatch,
        Some("A"),
        "must be the last one",
    );
    assert_rejects(
        task(
            json!([]),
            json!([{"ErrorEquals": ["States.ALL"], "Next": "F"}, {"ErrorEquals": ["X"], "Next": "F"}]),
        ),
        Rule::RetryCatch,
        Some("A"),
        "Catch[0]: a catcher matching States.ALL must be the last one",
    );
    for (field, value, needle) in [
        ("IntervalSeconds", json!(0), "IntervalSeconds is 0"),
        ("MaxAttempts", json!(-1), "MaxAttempts is -1"),
        ("BackoffRate", json!(0.5), "BackoffRate is 0.5"),
        ("MaxDelaySeconds", json!(0), "MaxDelaySeconds is 0"),
        (
            "MaxDelaySeconds",
            json!(31_622_401),
            "MaxDelaySeconds is 31622401",
        ),
    ] {
        let mut retrier = json!({"ErrorEquals": ["X"]});
        retrier[field] = value;
        assert_rejects(
            task(json!([retrier]), ok_catch.clone()),
            Rule::RetryCatch,
            Some("A"),
            needle,
        );
    }
    assert_rejects(
        task(
            json!([{"ErrorEquals": ["X"], "JitterStrategy": "HALF"}]),
            ok_catch.clone(),
        ),
        Rule::RetryCatch,
        Some("A"),
        "JitterStrategy must be \"FULL\" or \"NONE\"",
    );
    // Retry on a Pass state is a field-matrix error.
    assert_rejects(
        one(json!({"Type": "Pass", "Retry": [{"ErrorEquals": ["X"]}], "End": true})),
        Rule::FieldMatrix,
        Some("A"),
        "`Retry` is not allowed in a Pass state",
    );
    assert_accepts(task(
        json!([{"ErrorEquals": ["X"], "IntervalSeconds": 1, "MaxAttempts": 0, "BackoffRate": 1, "MaxDelaySeconds": 31_622_400, "JitterStrategy": "FULL"}]),
        ok_catch,
    ));
}

#[test]
fn rule_10_field_constraints() {
    let lambda = "arn:aws:lambda:us-east-1:1:function:f";
    assert_rejects(
        one(
            json!({"Type": "Task", "Resource": lambda, "TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t", "End": true}),
        ),
        Rule::FieldConstraints,
        Some("A"),
        "both TimeoutSeconds and TimeoutSecondsPath",
    );
    assert_rejects(
        one(
            json!({"Type": "Task", "Resource": lambda, "TimeoutSeconds": 5, "HeartbeatSeconds": 5, "End": true}),
        ),
        Rule::FieldConstraints,
        Some("A"),
        "HeartbeatSeconds (5) must be less than TimeoutSeconds (5)",
    );
    assert_rejects(
        one(json!({"Type": "Task", "Resource": lambda, "TimeoutSeconds": 0, "End": true})),
        Rule::FieldConstraints,
        Some("A"),
        "TimeoutSeconds is 0",
    );
    assert_rejects(
        one(json!({"Type": "Wait", "End": true})),
        Rule::FieldConstraints,
        Some("A"),
        "needs one of Seconds",
    );
    assert_rejects(
        one(json!({"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true})),
        Rule::FieldConstraints,
        Some("A"),
        "exactly one timing field",
    );
    assert_rejects(
        one(json!({"Type": "Wait", "Seconds": -1, "End": true})),
        Rule::FieldConstraints,
        Some("A"),
        "Seconds is -1",
    );
    assert_rejects(
        one(json!({"Type": "Wait", "Timestamp": "2026-03-14 01:59", "End": true})),
        Rule::FieldConstraints,
        Some("A"),
        "not an RFC 3339 timestamp",
    );
    assert_rejects(
        one(json!({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"})),
        Rule::FieldConstraints,
        Some("A"),
        "both Error and ErrorPath",
    );
    let processor = json!({"StartAt": "I", "States": {"I": {"Type": "Succeed"}}});
    let processor2 = json!({"StartAt": "J", "States": {"J": {"Type": "Succeed"}}});
    assert_rejects(
        one(
            json!({"Type": "Map", "ItemProcessor": processor, "Iterator": processor2, "End": true}),
        ),
        Rule::FieldConstraints,
        Some("A"),
        "both ItemProcessor and Iterator",
    );
    assert_rejects(
        one(json!({"Type": "Map", "End": true})),
        Rule::FieldConstraints,
        Some("A"),
        "has no ItemProcessor",
    );
    assert_rejects(
        one(
            json!({"Type": "Map", "ItemProcessor": processor, "ItemSelector": {}, "Parameters": {}, "End": true}),
        ),
        Rule::FieldConstraints,
        Some("A"),
        "both ItemSelector and Parameters",
    );
    assert_rejects(
        one(
            json!({"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                   "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "ItemBatcher": {"BatchInput": {}}, "End": true}),
        ),
        Rule::FieldConstraints,
        Some("A"),
        "ItemBatcher needs MaxItemsPerBatch",
    );
    assert_rejects(
        one(json!({"Type": "Map", "ItemProcessor": processor, "MaxConcurrency": -2, "End": true})),
        Rule::FieldConstraints,
        Some("A"),
        "MaxConcurrency is -2",
    );
    assert_rejects(
        one(
            json!({"Type": "Map", "ItemProcessor": processor, "ToleratedFailurePercentage": 101, "End": true}),
        ),
        Rule::FieldConstraints,
        Some("A"),
        "between 0 and 100",
    );
    assert_rejects(
        json!({"StartAt": "A", "Version": "2.0", "States": {"A": {"Type": "Succeed"}}}),
        Rule::FieldConstraints,
        None,
        "Version",
    );
    assert_rejects(
        one(json!({"Type": "Parallel", "Branches": [], "End": true})),
        Rule::FieldConstraints,
        Some("A"),
        "Branches is empty",
    );
}

#[test]
fn rule_11_field_matrix() {
    assert_rejects(
        one(json!({"Type": "Succeed", "Assign": {"x": 1}})),
        Rule::FieldMatrix,
        Some("A"),
        "`Assign` is not allowed in a Succeed state",
    );
    assert_rejects(
        one(json!({"Type": "Task", "Resource": "arn:x", "Result": 1, "End": true})),
        Rule::FieldMatrix,
        Some("A"),
        "`Result` is not allowed in a Task state",
    );
    assert_rejects(
        one(json!({"Type": "Fail", "InputPath": "$"})),
        Rule::FieldMatrix,
        Some("A"),
        "`InputPath` is not allowed in a Fail state",
    );
    assert_rejects(
        one(json!({"Type": "Map", "Arguments": {}, "End": true})),
        Rule::FieldMatrix,
        Some("A"),
        "`Arguments` is not allowed in a Map state",
    );
    assert_rejects(
        one(json!({"Type": "Task", "Resource": "my-function", "End": true})),
        Rule::FieldMatrix,
        Some("A"),
        "is not an ARN",
    );
    // Distributed-only fields in an inline Map are warnings.
    let diags = check(one(json!({"Type": "Map", "Label": "run", "End": true,
        "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}})));
    assert!(
        diags
            .iter()
            .any(|d| d.rule == Rule::FieldMatrix && d.severity == Severity::Warning),
        "{}",
        render(&diags)
    );
    assert!(is_valid(&diags));
}

#[test]
fn rule_12_query_language() {
    // JSONata fields in JSONPath states.
    assert_rejects(
        one(json!({"Type": "Pass", "Output": {"a": 1}, "End": true})),
        Rule::QueryLanguage,
        Some("A"),
        "Output is a JSONata field",
    );
    assert_rejects(
        one(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {}, "End": true}),
        ),
        Rule::QueryLanguage,
        Some("A"),
        "Arguments is a JSONata field",
    );
    assert_rejects(
        one(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": "{% 5 %}", "End": true}),
        ),
        Rule::QueryLanguage,
        Some("A"),
        "in a JSONPath state it must be a number",
    );
    // JSONPath fields in JSONata states.
    assert_rejects(
        one_jsonata(json!({"Type": "Pass", "InputPath": "$.x", "End": true})),
        Rule::QueryLanguage,
        Some("A"),
        "InputPath is a JSONPath field",
    );
    assert_rejects(
        one_jsonata(json!({"Type": "Pass", "Result": 1, "End": true})),
        Rule::QueryLanguage,
        Some("A"),
        "Result is a JSONPath field",
    );
    assert_rejects(
        one_jsonata(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"a.$": "$.x"}, "End": true}),
        ),
        Rule::QueryLanguage,
        Some("A"),
        "Parameters is a JSONPath field; a JSONata state uses Arguments",
    );
    assert_rejects(
        one_jsonata(
            json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"a.$": "$.x"}, "End": true}),
        ),
        Rule::QueryLanguage,
        Some("A"),
        "`.$` key",
    );
    assert_rejects(
        json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Condition": "{% true %}", "Variable": "$.x", "IsNull": true, "Next": "D"}], "Default": "D"},
            "D": {"Type": "Succeed"}}}),
        Rule::QueryLanguage,
        Some("C"),
        "uses JSONPath rule fields",
    );
    // Every {% %} must parse, wherever it is.
    assert_rejects(
        one_jsonata(json!({"Type": "Pass", "Output": {"deep": ["{% 1 + %}"]}, "End": true})),
        Rule::QueryLanguage,
        Some("A"),
        "Output.deep[0]: JSONata expression \"{% 1 + %}\" does not parse",
    );
    assert_rejects(
        one_jsonata(json!({"Type": "Wait", "Seconds": "{% ( %}", "End": true})),
        Rule::QueryLanguage,
        Some("A"),
        "Seconds",
    );
    assert_rejects(
        one_jsonata(json!({"Type": "Wait", "Seconds": "soon", "End": true})),
        Rule::QueryLanguage,
        Some("A"),
        "must be a number or a {% %} expression",
    );
    assert_rejects(
        one_jsonata(json!({"Type": "Fail", "Cause": "{% $x. %}"})),
        Rule::QueryLanguage,
        Some("A"),
        "Cause",
    );
    assert_rejects(
        one_jsonata(json!({"Type": "Pass", "Assign": {"x": "{% [ %}"}, "End": true})),
        Rule::QueryLanguage,
        Some("A"),
        "Assign.x",
    );
    // A JSONata machine cannot switch a state back to JSONPath.
    assert_rejects(
        one_jsonata(json!({"Type": "Pass", "QueryLanguage": "JSONPath", "End": true})),
        Rule::QueryLanguage,
        Some("A"),
        "not back",
    );
    // ...but a JSONPath machine may switch single states to JSONata.
    assert_accepts(one(
        json!({"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "End": true}),
    ));
    // Nested states default to the top-level language, not the enclosing state's.
    assert_rejects(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "QueryLanguage": "JSONata", "End": true, "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Output": "{% 1 %}", "End": true}}}]}}}),
        Rule::QueryLanguage,
        Some("B"),
        "Output is a JSONata field",
    );
}

#[test]
fn rule_12_lookalike_strings_are_warnings() {
    let warned = |def: Value, needle: &str| {
        let diags = check(def);
        assert!(is_valid(&diags), "{}", render(&diags));
        assert!(
            diags.iter().any(|d| d.rule == Rule::QueryLanguage
                && d.severity == Severity::Warning
                && d.message.contains(needle)),
            "expected a warning containing {needle:?}:\n{}",
            render(&diags)
        );
    };
    warned(
        one_jsonata(json!({"Type": "Pass", "Output": {"id": "States.UUID()"}, "End": true})),
        "intrinsic functions are JSONPath-only",
    );
    warned(
        one_jsonata(json!({"Type": "Pass", "Output": {"x": "$.x"}, "End": true})),
        "paths are JSONPath-only",
    );
    warned(
        one(json!({"Type": "Pass", "Parameters": {"x": "{% $states.input %}"}, "End": true})),
        "literal string in a JSONPath state",
    );
    warned(
        one_jsonata(json!({"Type": "Pass", "Output": "{% order.id %}", "End": true})),
        "reads field `order` of the input",
    );
    warned(
        one_jsonata(json!({"Type": "Pass", "Output": {"all": "{% $ %}"}, "End": true})),
        "JSONata states have no input document",
    );
}

#[test]
fn rule_13_paths_and_templates() {
    assert_rejects(
        one(json!({"Type": "Pass", "InputPath": "x", "End": true})),
        Rule::Paths,
        Some("A"),
        "InputPath \"x\" is not a valid path",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "ResultPath": "$$.x", "End": true})),
        Rule::Paths,
        Some("A"),
        "context object",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "ResultPath": "$v.x", "End": true})),
        Rule::Paths,
        Some("A"),
        "cannot target variable",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "ResultPath": "$.a[*]", "End": true})),
        Rule::Paths,
        Some("A"),
        "must be a reference path",
    );
    assert_rejects(
        one(
            json!({"Type": "Map", "ItemsPath": "$..items", "End": true, "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}),
        ),
        Rule::Paths,
        Some("A"),
        "ItemsPath \"$..items\" must be a reference path",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "Parameters": {"a.$": "x"}, "End": true})),
        Rule::Paths,
        Some("A"),
        "neither a path",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "Parameters": {"a.$": 1}, "End": true})),
        Rule::Paths,
        Some("A"),
        "must be a string",
    );
    assert_rejects(
        one(
            json!({"Type": "Pass", "Parameters": {"n": {"a.$": "States.Format('{}', $.x"}}, "End": true}),
        ),
        Rule::Paths,
        Some("A"),
        "Parameters.n.a.$",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "Parameters": {"a": 1, "a.$": "$.a"}, "End": true})),
        Rule::Paths,
        Some("A"),
        "both become \"a\"",
    );
    assert_rejects(
        one(json!({"Type": "Fail", "CausePath": "States.ArrayLength($.x)"})),
        Rule::Paths,
        Some("A"),
        "does not return a string",
    );
    assert_rejects(
        json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "x", "IsNull": true, "Next": "D"}]}, "D": {"Type": "Succeed"}}}),
        Rule::Paths,
        Some("C"),
        "Variable \"x\"",
    );
    assert_accepts(one(
        json!({"Type": "Pass", "InputPath": null, "ResultPath": null, "OutputPath": "$.a[?(@.x > 1)]",
        "Parameters": {"id.$": "$$.Execution.Id", "v.$": "$myVar.a", "f.$": "States.Format('{}', $.x)", "lit": "$.not-a-path"}, "End": true}),
    ));
}

#[test]
fn rule_14_variables() {
    assert_rejects(
        one(json!({"Type": "Pass", "Assign": {"states": 1}, "End": true})),
        Rule::Variables,
        Some("A"),
        "reserved",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "Assign": {"x.y": 1}, "End": true})),
        Rule::Variables,
        Some("A"),
        "not an identifier",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "Assign": {"1x": 1}, "End": true})),
        Rule::Variables,
        Some("A"),
        "not an identifier",
    );
    assert_rejects(
        one(json!({"Type": "Pass", "Assign": {"x".repeat(81): 1}, "End": true})),
        Rule::Variables,
        Some("A"),
        "81 characters",
    );
    // JSONPath `name.$` assigns `name`.
    assert_accepts(one(
        json!({"Type": "Pass", "Assign": {"total.$": "$.n"}, "End": true}),
    ));
    // Inner scopes must not assign outer names.
    assert_rejects(
        json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
            "Init": {"Type": "Pass", "Assign": {"count": 0}, "Next": "M"},
            "M": {"Type": "Map", "Items": "{% [1,2] %}", "End": true, "ItemProcessor": {"StartAt": "Inc", "States": {
                "Inc": {"Type": "Pass", "Assign": {"count": "{% $count + 1 %}"}, "End": true}}}}}}),
        Rule::Variables,
        Some("Inc"),
        "enclosing scope (top level) also assigns",
    );
    // The Map's own Assign and Catch run in the outer scope: no conflict.
    assert_accepts(
        json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"count": 0}, "Next": "M"},
        "M": {"Type": "Map", "Items": "{% [1,2] %}", "Assign": {"count": "{% $count + 1 %}"}, "End": true,
              "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Assign": {"local": 1}, "End": true}}}}}}),
    );
}

#[test]
fn rule_15_size() {
    let big = "x".repeat(300_000);
    assert_rejects(
        one(json!({"Type": "Pass", "Result": big, "End": true})),
        Rule::Size,
        Some("A"),
        "Result is 300002 bytes",
    );
    let states: serde_json::Map<String, Value> = (0..5)
        .map(|i| (format!("S{i}"), json!({"Type": "Pass", "Result": "y".repeat(250_000), "Next": format!("S{}", i + 1)})))
        .chain([("S5".to_owned(), json!({"Type": "Succeed"}))])
        .collect();
    let diags = check(json!({"StartAt": "S0", "States": states}));
    assert!(
        diags
            .iter()
            .any(|d| d.rule == Rule::Size && d.state.is_none() && d.message.contains("1 MB")),
        "{}",
        render(&diags)
    );
}

#[test]
fn diagnostics_format_names_state_scope_and_rule() {
    let diags = check(
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "Nowhere"}, "E": {"Type": "Succeed"}}}]}}}),
    );
    let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert!(
        text.contains(&"state \"B\" (in P.Branches[0]): Next \"Nowhere\" does not name a state in this scope (rule 4: transitions stay in their States object)".to_owned()),
        "{text:#?}"
    );
    // validate() on a model built in code gives the same findings as validate_json on its text.
    let machine = StateMachine::from_json(
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#,
    )
    .unwrap();
    assert_eq!(validate(&machine), validate_json(&machine.to_json_pretty()));
}
