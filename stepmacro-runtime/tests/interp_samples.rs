//! Runs every asl-check sample (`shared/tools/asl-check/samples/NN-*/`) on the embedded
//! interpreter and compares with its `expected.json`: status, output, error, cause, and `states` /
//! `calls` where the sample lists them. Skips (passes) when `shared/` is not next to the repo.
//! `STEPMACRO_SAMPLES_DIR` points it at another directory of samples in the same layout.

#![cfg(feature = "interpreter")]

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use stepmacro_runtime::interpreter::{Execution, Interpreter, Status};
use stepmacro_runtime::mock_file;

/// `$STEPMACRO_SAMPLES_DIR`, else asl-check's samples next to the repository.
fn samples_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("STEPMACRO_SAMPLES_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/asl-check/samples"),
    };
    dir.is_dir().then_some(dir)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Numeric-aware JSON equality (`42` equals `42.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The execution in asl-check's result shape.
fn as_result(e: &Execution) -> Value {
    let (status, output, error, cause) = match &e.status {
        Status::Succeeded { output } => ("SUCCEEDED", output.clone(), Value::Null, Value::Null),
        Status::Failed { error, cause } => ("FAILED", Value::Null, json!(error), json!(cause)),
        Status::TimedOut => (
            "TIMED_OUT",
            Value::Null,
            json!("States.Timeout"),
            Value::Null,
        ),
    };
    let calls: Vec<Value> = e
        .calls
        .iter()
        .map(|c| json!({"key": c.key, "mock": c.mock, "state": c.state, "input": c.input}))
        .collect();
    json!({
        "status": status, "output": output, "error": error, "cause": cause,
        "states": e.states_entered(), "calls": calls,
    })
}

/// Differences between `expected` (only the keys it has) and the actual result.
fn compare(expected: &Value, actual: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    for (k, want) in expected.as_object().expect("expected.json is an object") {
        let got = actual.get(k).unwrap_or(&Value::Null);
        if !same(want, got) {
            diffs.push(format!("{k}: expected {want}, got {got}"));
        }
    }
    diffs
}

fn run_sample(dir: &Path) -> Result<Execution, String> {
    let definition = read(&dir.join("definition.asl.json"));
    let input: Value =
        serde_json::from_str(&read(&dir.join("input.json"))).map_err(|e| e.to_string())?;
    let mocks = mock_file::from_json(&read(&dir.join("mocks.json"))).map_err(|e| e.to_string())?;
    let interpreter = Interpreter::new(definition.as_str())
        .map_err(|e| e.to_string())?
        .tasks(mocks)
        .seed(7);
    Ok(interpreter.run_blocking(input))
}

#[test]
fn asl_check_samples() {
    let Some(root) = samples_dir() else {
        eprintln!("skipped: ../shared/tools/asl-check/samples not found");
        return;
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("definition.asl.json").is_file() && p.join("expected.json").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no samples in {}", root.display());
    let mut failed = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expected: Value = serde_json::from_str(&read(&dir.join("expected.json"))).unwrap();
        match run_sample(dir) {
            Err(e) => failed.push(format!("{name}: could not run: {e}")),
            Ok(execution) => {
                let diffs = compare(&expected, &as_result(&execution));
                if diffs.is_empty() {
                    eprintln!("ok   {name}");
                } else {
                    failed.push(format!(
                        "{name}:\n  {}\n{}",
                        diffs.join("\n  "),
                        execution.trace()
                    ));
                }
            }
        }
    }
    eprintln!(
        "samples: {} passed, {} failed",
        dirs.len() - failed.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// Every sample also runs on a real tokio runtime through `run().await` and yields the same.
#[tokio::test]
async fn samples_run_inside_a_runtime() {
    let Some(root) = samples_dir() else { return };
    let dir = root.join("06-map-inline");
    if !dir.is_dir() {
        return;
    }
    let definition = read(&dir.join("definition.asl.json"));
    let mocks = mock_file::from_json(&read(&dir.join("mocks.json"))).unwrap();
    let input: Value = serde_json::from_str(&read(&dir.join("input.json"))).unwrap();
    let e = Interpreter::new(definition.as_str())
        .unwrap()
        .tasks(mocks)
        .run(input)
        .await;
    assert_eq!(e.status.as_str(), "SUCCEEDED", "{}", e.trace());
}
