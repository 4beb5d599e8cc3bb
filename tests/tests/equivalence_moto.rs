//! Writes a sample of the equivalence cases for `scripts/equivalence-moto.sh`, which runs them on
//! asl-check's moto engine (an independent ASL interpreter) and compares with the native result.
//!
//! Only when `STEPMACRO_EQUIVALENCE_MOTO_DIR` is set (the script sets it); otherwise the test only
//! checks that enough cases are expressible in `MOCKS.json`. Each case becomes
//! `<dir>/<case>/{definition.asl.json, input.json, mocks.json, expected.json}`, where `expected.json`
//! is the native run's result (`{"status": "SUCCEEDED", "output": ..}` or
//! `{"status": "FAILED", "error": .., "cause": ..}`), exported only after the embedded interpreter has
//! agreed with it.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use stepmacro_tests::generated::{self, draw_behaviours, draw_input};
use stepmacro_tests::harness::{
    Behaviours, CauseRule, NativeResult, Subject, WorkflowRef, runtime,
};
use stepmacro_tests::rng::Rng;
use stepmacro_tests::{branching, catches, expressions, fails, loops, sequences, waits};

/// One exported case.
struct Exported {
    name: String,
    workflow: WorkflowRef,
    input: Value,
    behaviours: Behaviours,
}

#[derive(Serialize)]
struct Expected<'a> {
    workflow: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<&'a str>,
}

/// Every `step`-th hand-written case whose behaviours are `MOCKS.json`-expressible (and raise no
/// `States.*` error, see [`moto_can_raise`]), across the themes, and
/// generated cases drawn as the property test draws them.
fn sample(hand_written: usize, generated_cases: usize) -> Vec<Exported> {
    let themes = [
        ("sequences", sequences::cases()),
        ("branching", branching::cases()),
        ("loops", loops::cases()),
        ("catches", catches::cases()),
        ("waits", waits::cases()),
        ("fails", fails::cases()),
        ("expressions", expressions::cases()),
    ];
    let expressible: Vec<(String, _)> = themes
        .into_iter()
        .flat_map(|(theme, cases)| {
            cases
                .into_iter()
                .enumerate()
                .filter(|(_, c)| {
                    c.behaviours
                        .mocks_json()
                        .is_some_and(|m| moto_can_raise(&m))
                })
                .map(move |(i, c)| (format!("{theme}-{i:02}"), c))
        })
        .collect();
    let step = (expressible.len() / hand_written.max(1)).max(1);
    let mut out: Vec<Exported> = expressible
        .into_iter()
        .step_by(step)
        .take(hand_written)
        .map(|(name, c)| Exported {
            name,
            workflow: c.workflow,
            input: c.input,
            behaviours: c.behaviours,
        })
        .collect();
    let workflows = generated::all();
    let root = Rng::new(0x0070_7070);
    for k in 0..if workflows.is_empty() {
        0
    } else {
        generated_cases
    } {
        let i = (k * 37 + 11) % workflows.len();
        let w = &workflows[i];
        let mut rng = root.fork(k as u64);
        let input = draw_input(&mut rng, w);
        let behaviours = draw_behaviours(&mut rng);
        out.push(Exported {
            name: format!("{}-{k:02}", w.workflow.name),
            workflow: w.workflow,
            input,
            behaviours,
        });
    }
    out
}

/// Whether every error these mocks throw is one a Lambda function can raise on moto: moto (like AWS
/// for Lambda errors) refuses custom error names in the reserved `States.` namespace, so a mock that
/// stands in for a `States.Timeout` with a thrown error only runs in process.
fn moto_can_raise(mocks: &Value) -> bool {
    match mocks {
        Value::Object(m) => {
            m.get("error")
                .and_then(Value::as_str)
                .is_none_or(|e| !e.starts_with("States."))
                && m.values().all(moto_can_raise)
        }
        Value::Array(items) => items.iter().all(moto_can_raise),
        _ => true,
    }
}

fn write_json(path: &Path, v: &impl Serialize) {
    let text = serde_json::to_string_pretty(v).expect("serialises") + "\n";
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn export_sample_for_moto() {
    let size: usize = std::env::var("STEPMACRO_EQUIVALENCE_MOTO_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let hand = size / 2;
    let cases = sample(hand, size - hand);
    if cfg!(feature = "generated") {
        assert_eq!(
            cases.len(),
            size,
            "not enough MOCKS.json-expressible cases for the sample"
        );
    }
    let Some(dir) = std::env::var_os("STEPMACRO_EQUIVALENCE_MOTO_DIR") else {
        println!(
            "STEPMACRO_EQUIVALENCE_MOTO_DIR is not set: nothing written ({size} cases would be)"
        );
        return;
    };
    let dir = Path::new(&dir);
    let rt = runtime();
    for case in &cases {
        let c = rt.block_on(Subject::new(case.workflow).compare(
            &case.input,
            &case.behaviours,
            CauseRule::Strict,
        ));
        assert!(
            c.is_match(),
            "case {} does not agree with the embedded interpreter:\n{c}",
            case.name
        );
        let d = dir.join(&case.name);
        std::fs::create_dir_all(&d).expect("create the case directory");
        std::fs::write(d.join("definition.asl.json"), case.workflow.definition)
            .expect("write the definition");
        write_json(&d.join("input.json"), &case.input);
        write_json(
            &d.join("mocks.json"),
            &case.behaviours.mocks_json().expect("expressible"),
        );
        let expected = match &c.native {
            NativeResult::Returned(Ok(v)) => Expected {
                workflow: case.workflow.name,
                status: "SUCCEEDED",
                output: Some(v),
                error: None,
                cause: None,
            },
            NativeResult::Returned(Err(f)) => Expected {
                workflow: case.workflow.name,
                status: "FAILED",
                output: None,
                error: Some(&f.error),
                cause: Some(&f.cause),
            },
            NativeResult::Panicked(m) => panic!("case {}: the native run panicked: {m}", case.name),
        };
        write_json(&d.join("expected.json"), &expected);
    }
    println!("wrote {} cases to {}", cases.len(), dir.display());
}
