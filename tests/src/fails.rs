//! Failures: `return Err(Failure::new(..))` with literal and computed causes, `Err(E::Variant)?`,
//! a task error reaching `?` uncaught, and a Fail from inside a loop.

use serde_json::json;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, Case, throw};

/// A validation error.
#[derive(Debug, TaskError)]
pub enum CheckError {
    TooSmall,
    #[task_error(name = "Check.Odd")]
    Odd,
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CheckError::TooSmall => "value too small",
            CheckError::Odd => "value is odd",
        })
    }
}

/// Validates a value (mocked in the tests).
#[task]
pub async fn fl_validate(n: i64) -> Result<i64, CheckError> {
    Ok(n)
}

workflow! {
    /// Fails in several ways, depending on the input and on the task.
    pub async fn fl_paths(n: i64) -> Result<i64, Failure> {
        if n < -100 {
            return Err(Failure::new("Input.Negative", "far below zero"));
        }
        if n < 0 {
            return Err(Failure::new("Input.Negative", format!("{} is below zero", n)));
        }
        if n == 13 {
            Err(CheckError::Odd)?;
        }
        let v = fl_validate(n).await?;
        let mut i = 0;
        while i < 3 {
            i += 1;
            if v * i > 100 {
                return Err(Failure::new("Loop.Overflow", format!("{} at round {}", v * i, i)));
            }
        }
        Ok(v * i)
    }
}

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let echo = || Behaviours::new().on::<fl_validate>(Behaviour::jsonata("$"));
    let mut cases = vec![
        Case::new::<fl_paths>("far below zero", json!(-200), echo()).fails("Input.Negative"),
        Case::new::<fl_paths>("below zero, computed cause", json!(-5), echo())
            .fails("Input.Negative"),
        Case::new::<fl_paths>("Err(Variant)?", json!(13), echo()).fails("Check.Odd"),
        Case::new::<fl_paths>("ok", json!(10), echo()).returns(json!(30)),
        Case::new::<fl_paths>("fail in a loop", json!(40), echo()).fails("Loop.Overflow"),
        Case::new::<fl_paths>(
            "task error, uncaught",
            json!(7),
            Behaviours::new().always::<fl_validate>(throw("CheckError.TooSmall", "7 < 8")),
        )
        .fails("CheckError.TooSmall"),
        Case::new::<fl_paths>(
            "renamed task error, uncaught",
            json!(8),
            Behaviours::new().always::<fl_validate>(throw("Check.Odd", "")),
        )
        .fails("Check.Odd"),
    ];
    for n in [0, 1, 33, 34, 51, 100] {
        cases.push(Case::new::<fl_paths>(
            &format!("paths {n}"),
            json!(n),
            echo(),
        ));
    }
    cases
}
