//! The harness itself: it must notice a definition that behaves differently from the Rust body (an
//! output, an error name, a cause, a task call), and it must give every run fresh canned answers.
//! Each test tampers with one workflow's embedded definition and expects the mismatch it causes.

use serde_json::{Value, json};
use stepmacro::Workflow;
use stepmacro_tests::branching::{br_bill, br_if_chain};
use stepmacro_tests::fails::{fl_paths, fl_validate};
use stepmacro_tests::harness::{
    Behaviour, Behaviours, CauseRule, Subject, WorkflowRef, compare_blocking, ret, same_json, throw,
};
use stepmacro_tests::sequences::{seq_add, seq_basic, seq_fetch};

/// `W` with `from` replaced by `to` in its definition (which must contain `from`).
fn tampered<W: Workflow>(from: &str, to: &str) -> Subject {
    assert!(
        W::DEFINITION.contains(from),
        "{from:?} is not in the definition of {}:\n{}",
        W::NAME,
        W::DEFINITION
    );
    let definition: &'static str = Box::leak(W::DEFINITION.replace(from, to).into_boxed_str());
    Subject::new(WorkflowRef {
        definition,
        ..WorkflowRef::of::<W>()
    })
}

fn bill() -> Behaviours {
    Behaviours::new().on::<br_bill>(Behaviour::jsonata("'r' & $string($)"))
}

#[test]
fn untampered_definitions_agree() {
    let c = compare_blocking(
        &Subject::of::<br_if_chain>(),
        &json!(5),
        &bill(),
        CauseRule::Strict,
    );
    assert!(c.is_match(), "{c}");
}

#[test]
fn a_different_output_is_a_mismatch() {
    let c = compare_blocking(
        &tampered::<br_if_chain>("'positive'", "'positiv'"),
        &json!(5),
        &bill(),
        CauseRule::Strict,
    );
    assert!(!c.is_match());
    assert!(c.differences[0].starts_with("outputs differ"), "{c}");
    let report = c.to_string();
    for part in [
        "MISMATCH",
        "interpreter trace:",
        "definition:",
        "ExecutionSucceeded",
    ] {
        assert!(
            report.contains(part),
            "the report lacks {part:?}:\n{report}"
        );
    }
}

#[test]
fn a_different_task_argument_is_a_mismatch() {
    // The half-billing branch bills `n / 2`; make every `br_bill` state bill `$n` instead.
    let mut def: Value = serde_json::from_str(br_if_chain::DEFINITION).expect("JSON");
    let mut changed = 0;
    for state in def["States"].as_object_mut().expect("States").values_mut() {
        if state["Arguments"]["FunctionName"] == "br_bill"
            && state["Arguments"]["Payload"] != "{% $n %}"
        {
            state["Arguments"]["Payload"] = json!("{% $n %}");
            changed += 1;
        }
    }
    assert_eq!(
        changed, 1,
        "one br_bill state bills something else than $n:\n{def:#}"
    );
    let definition: &'static str = Box::leak(def.to_string().into_boxed_str());
    let tampered = Subject::new(WorkflowRef {
        definition,
        ..WorkflowRef::of::<br_if_chain>()
    });
    let c = compare_blocking(&tampered, &json!(60), &bill(), CauseRule::Strict);
    assert_eq!(c.native_calls, vec![("br_bill".to_owned(), json!(30))]);
    assert_eq!(c.interpreted_calls, vec![("br_bill".to_owned(), json!(60))]);
    assert!(
        c.differences
            .iter()
            .any(|d| d.starts_with("task calls differ from call #1")),
        "{c}"
    );
}

#[test]
fn a_different_error_name_or_cause_is_a_mismatch() {
    let echo = Behaviours::new().on::<fl_validate>(Behaviour::jsonata("$"));
    let c = compare_blocking(
        &tampered::<fl_paths>("\"Error\": \"Input.Negative\"", "\"Error\": \"Input.Neg\""),
        &json!(-500),
        &echo,
        CauseRule::Strict,
    );
    assert!(
        c.differences
            .iter()
            .any(|d| d.starts_with("error names differ")),
        "{c}"
    );
    let c = compare_blocking(
        &tampered::<fl_paths>("\"far below zero\"", "\"below\""),
        &json!(-500),
        &echo,
        CauseRule::Strict,
    );
    assert!(
        c.differences.iter().any(|d| d.starts_with("causes differ")),
        "{c}"
    );
    let c = compare_blocking(
        &tampered::<fl_paths>("\"far below zero\"", "\"below\""),
        &json!(-500),
        &echo,
        CauseRule::NamesOnly,
    );
    assert!(c.is_match(), "{c}");
}

#[test]
fn err_variant_question_mark_keeps_its_native_cause() {
    // `Err(CheckError::Odd)?`: natively the cause is the Display text in a Lambda error payload, which
    // a Fail state cannot know; the names are compared, the causes are not.
    let echo = Behaviours::new().on::<fl_validate>(Behaviour::jsonata("$"));
    let c = compare_blocking(
        &Subject::of::<fl_paths>(),
        &json!(13),
        &echo,
        CauseRule::Strict,
    );
    assert!(c.is_match(), "{c}");
    assert_eq!(c.interpreted.as_ref().unwrap_err().error, "Check.Odd");
}

#[test]
fn canned_answers_restart_for_every_run() {
    let b = Behaviours::new()
        .responses::<seq_fetch>([ret(json!({"sku": "s", "count": 1}))])
        .responses::<seq_add>([ret(5)]);
    let subject = Subject::of::<seq_basic>();
    for _ in 0..3 {
        let c = compare_blocking(&subject, &json!("s"), &b, CauseRule::Strict);
        assert!(c.is_match(), "{c}");
        assert_eq!(c.interpreted, Ok(json!(105)));
        assert_eq!(c.native_calls.len(), 2);
    }
    // A list that runs out fails both runs alike.
    let short = Behaviours::new()
        .responses::<seq_fetch>([])
        .responses::<seq_add>([ret(5)]);
    let c = compare_blocking(&subject, &json!("s"), &short, CauseRule::Strict);
    assert!(c.is_match(), "{c}");
    assert_eq!(c.interpreted.unwrap_err().error, "Harness.MockExhausted");
}

#[test]
fn behaviours_export_to_mocks_json_unless_a_closure() {
    let b = Behaviours::new()
        .responses::<seq_fetch>([ret(1), throw("E.X", "c")])
        .on::<seq_add>(Behaviour::jsonata_response("{'return': a}"));
    assert_eq!(
        b.mocks_json(),
        Some(json!({
            "seq_fetch": [{"return": 1}, {"throw": {"error": "E.X", "cause": "c"}}],
            "seq_add": {"jsonata": "{'return': a}", "as": "response"}
        }))
    );
    assert_eq!(b.closure::<seq_add>(|v| Ok(v.clone())).mocks_json(), None);
}

#[test]
fn numbers_compare_as_the_native_type_reads_them() {
    let f = |v: f64| Value::from(v);
    assert!(
        same_json(&f(2.0), &json!(2)),
        "a native f64 accepts a whole number"
    );
    assert!(
        !same_json(&json!(2), &f(2.0)),
        "a native i64 does not accept 2.0"
    );
    assert!(same_json(
        &json!({"a": [f(0.5), 1]}),
        &json!({"a": [0.5, 1]})
    ));
    assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": null})));
    assert!(!same_json(&json!([1, 2]), &json!([2, 1])));
}
