//! The property-test corpus: the tasks the generated workflows call, the workflows themselves
//! (`build.rs` writes them from `gen/` into `$OUT_DIR`; the build driver compiles them to ASL with the
//! rest of the crate), and random task behaviours for them.
//!
//! Behaviours are drawn in `MOCKS.json` form only (canned lists of `return`/`throw` entries and
//! `jsonata` handlers keyed on the payload), so any case can also run on asl-check's moto engine.

#![allow(
    unused_assignments,
    unused_mut,
    unused_variables,
    unused_labels,
    unused_parens,
    unreachable_code,
    unreachable_patterns,
    clippy::all
)]

use serde_json::Value;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, WorkflowRef};
use crate::rng::Rng;

/// The error of every generated task: one default name, one renamed.
#[derive(Debug, TaskError)]
pub enum GenError {
    A,
    #[task_error(name = "Gen.B")]
    B,
}

impl std::fmt::Display for GenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            GenError::A => "generated error A",
            GenError::B => "generated error B",
        })
    }
}

/// Adds one (the real body; the property test mocks it).
#[task]
pub async fn inc(n: i64) -> Result<i64, GenError> {
    Ok(n + 1)
}

/// Is `n` even?
#[task]
pub async fn check(n: i64) -> Result<bool, GenError> {
    Ok(n % 2 == 0)
}

/// Fails on multiples of 5.
#[task]
pub async fn fail_if(n: i64) -> Result<i64, GenError> {
    if n % 5 == 0 { Err(GenError::A) } else { Ok(n) }
}

/// Two parameters: the payload is an object.
#[task]
pub async fn combine(a: i64, b: i64) -> Result<i64, GenError> {
    Ok(a + b)
}

/// `inc`, retried twice on `GenError::A`.
#[task(retry(errors = [GenError::A], interval_seconds = 1, max_attempts = 2))]
pub async fn inc_retry(n: i64) -> Result<i64, GenError> {
    Ok(n + 1)
}

/// `check`, retried once on anything, with backoff.
#[task(retry(interval_seconds = 3, max_attempts = 1, backoff_rate = 1.5))]
pub async fn check_retry(n: i64) -> Result<bool, GenError> {
    Ok(n % 2 == 0)
}

/// One generated workflow and its parameter names (one: the input is the value; two: an object).
#[derive(Clone, Copy, Debug)]
pub struct GenWorkflow {
    pub workflow: WorkflowRef,
    pub params: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/generated_workflows.rs"));

/// Function names of the generated tasks, in a fixed order.
pub const TASKS: [&str; 6] = [
    "inc",
    "check",
    "fail_if",
    "combine",
    "inc_retry",
    "check_retry",
];

/// A random input for `w`: small integers, negatives included.
pub fn draw_input(rng: &mut Rng, w: &GenWorkflow) -> Value {
    if w.params.len() == 1 {
        Value::from(rng.range(-20, 60))
    } else {
        let mut m = serde_json::Map::new();
        for p in w.params {
            m.insert((*p).to_owned(), Value::from(rng.range(-20, 60)));
        }
        Value::Object(m)
    }
}

/// Random behaviours for every generated task, enough for every call a generated workflow makes.
///
/// Each task gets one of: a pure JSONata handler of the payload that fails on some inputs; a long
/// canned list mixing such handlers (as `return`s) with thrown errors, so retried tasks recover
/// after failures or exhaust their retries; or a list of constant returns and throws.
pub fn draw_behaviours(rng: &mut Rng) -> Behaviours {
    let mut b = Behaviours::new();
    for task in TASKS {
        b = b.on_function(task, draw_behaviour(rng, task));
    }
    b
}

fn error_entry(rng: &mut Rng) -> Value {
    let (name, cause) = if rng.chance(50) {
        ("GenError.A", "cause a")
    } else {
        ("Gen.B", "cause b")
    };
    serde_json::json!({"throw": {"error": name, "cause": format!("{cause} {}", rng.range(0, 9))}})
}

/// The JSONata value of a task for its payload: an integer or a bool (`check`), from `$`.
fn value_expr(rng: &mut Rng, task: &str) -> String {
    let k = rng.range(-3, 7);
    match task {
        "check" | "check_retry" => format!("$abs($) % {} = {}", rng.range(2, 4), rng.range(0, 1)),
        "combine" => format!("a - b + {k}"),
        "fail_if" => format!("$ * 2 - {}", k.abs()),
        _ => format!("$ + {k}"),
    }
}

fn draw_behaviour(rng: &mut Rng, task: &str) -> Behaviour {
    let input = if task == "combine" {
        "$abs(a + b)"
    } else {
        "$abs($)"
    };
    match rng.below(3) {
        0 => {
            // Pure: fails when the input is ≡ r (mod m).
            let m = rng.range(4, 12);
            let r = rng.range(0, m - 1);
            let (name, cause) = if rng.chance(50) {
                ("GenError.A", "by input a")
            } else {
                ("Gen.B", "by input b")
            };
            let value = value_expr(rng, task);
            Behaviour::jsonata_response(&format!(
                "{input} % {m} = {r} ? {{'throw': {{'error': '{name}', 'cause': '{cause}'}}}} : {{'return': {value}}}"
            ))
        }
        1 => {
            let percent = *rng.pick(&[3u64, 10, 25, 50]);
            let value = value_expr(rng, task);
            let entries: Vec<Value> = (0..64)
                .map(|_| {
                    if rng.chance(percent) {
                        error_entry(rng)
                    } else {
                        serde_json::json!({"jsonata": format!("{{'return': {value}}}"), "as": "response"})
                    }
                })
                .collect();
            Behaviour::Json(Value::Array(entries))
        }
        _ => {
            let percent = *rng.pick(&[0u64, 8, 20]);
            let entries: Vec<Value> = (0..64)
                .map(|_| {
                    if rng.chance(percent) {
                        error_entry(rng)
                    } else if task.starts_with("check") {
                        serde_json::json!({"return": rng.chance(50)})
                    } else {
                        serde_json::json!({"return": rng.range(-10, 40)})
                    }
                })
                .collect();
            Behaviour::Json(Value::Array(entries))
        }
    }
}
