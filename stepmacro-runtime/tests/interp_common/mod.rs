//! Helpers shared by the interpreter tests (`tests/interp_*.rs`).
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use serde_json::Value;
use stepmacro_runtime::interpreter::{Execution, Interpreter, Status};
use stepmacro_runtime::mock::Mocks;

/// 2024-01-01T00:00:00Z: where the virtual clock starts in tests.
pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// An interpreter for `def` with a fixed seed, start time and execution name.
pub fn interp(def: Value, mocks: Mocks) -> Interpreter {
    Interpreter::new(&def)
        .unwrap_or_else(|e| panic!("{e}"))
        .tasks(mocks)
        .seed(1)
        .start_time(t0())
        .execution_name("exec-1")
}

pub fn run(def: Value, input: Value, mocks: Mocks) -> Execution {
    interp(def, mocks).run_blocking(input)
}

/// The output of a successful run (panics with the trace otherwise).
pub fn output(e: &Execution) -> Value {
    match &e.status {
        Status::Succeeded { output } => output.clone(),
        other => panic!("expected success, got {other:?}\n{}", e.trace()),
    }
}

/// Error and cause of a failed run (panics with the trace otherwise).
pub fn failure(e: &Execution) -> (String, String) {
    match &e.status {
        Status::Failed { error, cause } => (error.clone(), cause.clone()),
        other => panic!("expected failure, got {other:?}\n{}", e.trace()),
    }
}

/// A one-state machine around `state` (named `S`, `"End": true` added for states that need it).
pub fn single(mut state: Value) -> Value {
    let ty = state["Type"].as_str().unwrap_or_default().to_owned();
    if matches!(ty.as_str(), "Task" | "Pass" | "Wait" | "Parallel" | "Map")
        && state.get("Next").is_none()
    {
        state["End"] = Value::Bool(true);
    }
    serde_json::json!({"StartAt": "S", "States": {"S": state}})
}

/// Seconds of virtual time the execution took.
pub fn elapsed(e: &Execution) -> f64 {
    let (a, b) = e.start_and_stop().unwrap();
    (b - a).num_milliseconds() as f64 / 1000.0
}
