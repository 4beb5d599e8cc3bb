//! Edge cases where Rust and ASL/JSONata semantics are easy to get subtly wrong: block scoping and
//! shadowing (ASL variables are flat), names that collide with JSONata's own (`states`), inline
//! `format!` arguments and float formatting, floats in outputs, `skip_serializing_if`/`default` serde
//! attributes, data-carrying enums, unit and tuple outputs, `if let Some`, and the error names that
//! ASL treats specially (`States.TaskFailed`, `States.Runtime`).

// `workflow!`'s generated `run_native` binds the `()` output of `ed_unit` with `let`.
#![allow(clippy::let_unit_value)]

use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, Case, ret, throw};

/// Errors of the edge tasks.
#[derive(Debug, TaskError)]
pub enum EdgeError {
    Bad,
}

impl std::fmt::Display for EdgeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bad")
    }
}

/// An identity task (mocked in the tests).
#[task]
pub async fn ed_id(n: i64) -> Result<i64, EdgeError> {
    Ok(n)
}

/// Retried once on `States.TaskFailed` (every error but a timeout).
#[task(retry(errors = ["States.TaskFailed"], max_attempts = 1))]
pub async fn ed_task_failed_retry(n: i64) -> Result<i64, EdgeError> {
    Ok(n)
}

workflow! {
    /// A `let` in a loop body shadows an outer one: each iteration starts from the outer value.
    pub async fn ed_shadow_loop(n: i64) -> Result<Vec<i64>, Failure> {
        let t = n;
        let mut acc = 0;
        let mut i = 0;
        while i < 3 {
            i += 1;
            let t = t + 1;
            acc += t;
        }
        let x = 1;
        if n > 0 {
            let x = 2;
            acc += x;
        }
        let y = ed_id(n).await?;
        if y > 5 {
            let y = y * 100;
            acc += y;
        }
        Ok(vec![t, acc, x, y])
    }
}

workflow! {
    /// Variables named like JSONata's own: `states` (ASL's `$states`), `input`, `result`.
    pub async fn ed_names(states: i64) -> Result<Vec<i64>, Failure> {
        let input = states + 1;
        let result = ed_id(input).await?;
        let error_output = result * 2;
        Ok(vec![states, input, result, error_output])
    }
}

workflow! {
    /// `format!` with inline arguments, integers (large ones too) and booleans.
    pub async fn ed_format(n: i64) -> Result<Vec<String>, Failure> {
        let quarter = n / 4;
        let big = n > 10;
        let a = format!("{n} items");
        let b = format!("{} / 4 = {} (no float Display: the compiler rejects it)", n, quarter);
        let c = format!("{big}-{}", n * 1_000_000_000);
        Ok(vec![a, b, c])
    }
}

/// Floats in an output struct.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    pub value: f64,
    pub whole: f64,
}

workflow! {
    /// A float that happens to be whole (`3.0`), and one that is not.
    pub async fn ed_floats(n: i64) -> Result<Ratio, Failure> {
        let value = n as f64 / 8.0;
        let whole = (n * 2) as f64;
        Ok(Ratio { value, whole })
    }
}

/// Serde attributes that change the JSON shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shaped {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub count: i64,
    pub tags: Vec<String>,
}

workflow! {
    /// Reads a `#[serde(default)]` field that may be missing; builds a struct whose `None` field is
    /// skipped.
    pub async fn ed_serde(s: Shaped) -> Result<Shaped, Failure> {
        let note = if s.count > 2 { Some(format!("{} tags", s.tags.len())) } else { None };
        Ok(Shaped { note, count: s.count + 1, tags: s.tags })
    }
}

/// An enum with data, externally tagged (serde's default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Verdict {
    Accepted(i64),
    Rejected { reason: String },
    Pending,
}

workflow! {
    /// Data-carrying enum variants in the output.
    pub async fn ed_enum_out(n: i64) -> Result<Verdict, Failure> {
        if n > 10 {
            Ok(Verdict::Accepted(n))
        } else if n < 0 {
            Ok(Verdict::Rejected { reason: format!("{} is negative", n) })
        } else {
            Ok(Verdict::Pending)
        }
    }
}

workflow! {
    /// Unit and tuple outputs.
    pub async fn ed_tuple(n: i64) -> Result<(i64, String, bool), Failure> {
        let v = ed_id(n).await?;
        Ok((v, format!("{}", v), v % 2 == 0))
    }
}

workflow! {
    /// `()` as the output.
    pub async fn ed_unit(n: i64) -> Result<(), Failure> {
        ed_id(n).await?;
        Ok(())
    }
}

workflow! {
    /// `if let Some(x) = ..` on an `Option` parameter.
    pub async fn ed_if_let_some(o: Option<i64>) -> Result<i64, Failure> {
        if let Some(x) = o {
            let y = ed_id(x).await?;
            Ok(y + 1)
        } else {
            Ok(-1)
        }
    }
}

workflow! {
    /// A retrier on `States.TaskFailed`, and a catch-all that sees every error name.
    pub async fn ed_special_errors(n: i64) -> Result<String, Failure> {
        let v = ed_task_failed_retry(n).await?;
        match ed_id(v).await {
            Ok(w) => Ok(format!("ok {}", w)),
            Err(e) => Ok(format!("caught {}", e.error)),
        }
    }
}

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let id = || Behaviours::new().on::<ed_id>(Behaviour::jsonata("$"));
    let mut cases = Vec::new();
    for n in [-3, 0, 1, 5, 6, 10] {
        cases.push(Case::new::<ed_shadow_loop>(
            &format!("shadow {n}"),
            json!(n),
            id(),
        ));
    }
    cases.push(
        Case::new::<ed_shadow_loop>("shadow 6, pinned", json!(6), id())
            .returns(json!([6, 623, 1, 6])),
    );
    for n in [0, 7] {
        cases.push(Case::new::<ed_names>(&format!("names {n}"), json!(n), id()));
    }
    for n in [0, 3, 4, 11, 12, -5] {
        cases.push(Case::new::<ed_format>(
            &format!("format {n}"),
            json!(n),
            Behaviours::new(),
        ));
    }
    for n in [0, 1, 4, 8, 12, -3] {
        cases.push(Case::new::<ed_floats>(
            &format!("floats {n}"),
            json!(n),
            Behaviours::new(),
        ));
    }
    for (name, input) in [
        ("few tags", json!({"tags": ["a"], "count": 1})),
        (
            "many",
            json!({"tags": ["a", "b"], "count": 3, "note": "old"}),
        ),
        ("count missing", json!({"tags": []})),
    ] {
        cases.push(Case::new::<ed_serde>(
            &format!("serde {name}"),
            input,
            Behaviours::new(),
        ));
    }
    for n in [-1, 0, 11] {
        cases.push(Case::new::<ed_enum_out>(
            &format!("enum out {n}"),
            json!(n),
            Behaviours::new(),
        ));
    }
    for n in [2, 3] {
        cases.push(Case::new::<ed_tuple>(&format!("tuple {n}"), json!(n), id()));
        cases.push(Case::new::<ed_unit>(&format!("unit {n}"), json!(n), id()));
    }
    for o in [json!(null), json!(4)] {
        cases.push(Case::new::<ed_if_let_some>(
            &format!("if let some {o}"),
            o,
            id(),
        ));
    }
    for (name, first, second) in [
        (
            "TaskFailed retried",
            vec![throw("Custom.Error", "x"), ret(5)],
            throw("EdgeError.Bad", "b"),
        ),
        (
            "timeout not retried by TaskFailed",
            vec![throw("States.Timeout", ""), ret(5)],
            ret(1),
        ),
        (
            "catch-all sees States.Timeout",
            vec![ret(5)],
            throw("States.Timeout", "t"),
        ),
        (
            "catch-all sees States.TaskFailed",
            vec![ret(5)],
            throw("States.TaskFailed", "f"),
        ),
    ] {
        cases.push(Case::new::<ed_special_errors>(
            &format!("special errors, {name}"),
            json!(1),
            Behaviours::new()
                .responses::<ed_task_failed_retry>(first)
                .always::<ed_id>(second),
        ));
    }
    cases
}
