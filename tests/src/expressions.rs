//! Pure expressions where Rust and JSONata differ unless translated carefully: integer division and
//! remainder with negative operands, `String::len` (UTF-8 bytes) on non-ASCII text, `format!`, struct
//! literals with serde `rename`/`rename_all`, vectors with `push`, `vec![..]` of vectors, `Option`s.

// `!(q > 0)` exercises `!` on purpose.
#![allow(clippy::nonminimal_bool)]

use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, Case};

/// Two integers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub a: i64,
    pub b: i64,
}

/// The arithmetic results, under serde names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arith {
    pub quotient: i64,
    pub remainder: i64,
    #[serde(rename = "euclid")]
    pub floor_like: i64,
    pub mixed_sum: i64,
    pub is_negative_result: bool,
}

workflow! {
    /// `/` and `%` truncate toward zero in Rust (JSONata's `/` is a float division).
    pub async fn ex_arith(p: Pair) -> Result<Arith, Failure> {
        // Annotated: the `workflow!` macro sees this file alone and cannot tell that `Pair`'s fields
        // are integers (the build driver can), so `p.a / p.b` would be rejected as ambiguous.
        let a: i64 = p.a;
        let b: i64 = p.b;
        let q = a / b;
        let r = a % b;
        let e = (a % b + b) % b;
        Ok(Arith {
            quotient: q,
            remainder: r,
            floor_like: e,
            mixed_sum: q * b + r - a + (a - 7) / 2 - -3 % 2,
            is_negative_result: q < 0 || (r < 0 && !(q > 0)),
        })
    }
}

/// Facts about a string, under serde names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct TextFacts {
    pub byte_len: usize,
    pub empty: bool,
    pub has_dash: bool,
    pub shout: String,
    pub label: String,
}

/// Normalises a word (mocked in the tests).
#[task]
pub async fn ex_normalise(word: String) -> Result<String, Infallible> {
    Ok(word.trim().to_string())
}

workflow! {
    /// `len()` counts UTF-8 bytes; `format!` with several arguments and literal braces.
    pub async fn ex_text(word: String) -> Result<TextFacts, Failure> {
        let w = ex_normalise(word).await?;
        let n = w.len();
        Ok(TextFacts {
            byte_len: n,
            empty: w.is_empty(),
            has_dash: w.contains("-"),
            shout: w.to_uppercase(),
            label: format!("{{{}}} has {} bytes, {}", w, n, n * 2),
        })
    }
}

/// A list summary with an optional field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSummary {
    pub values: Vec<i64>,
    pub nested: Vec<Vec<i64>>,
    pub count: usize,
    pub first_big: Option<i64>,
    #[serde(rename = "has-big")]
    pub has_big: bool,
}

/// Doubles a number (mocked in the tests).
#[task]
pub async fn ex_double(n: i64) -> Result<i64, Infallible> {
    Ok(n * 2)
}

workflow! {
    /// `Vec::new` + `push`, `vec![..]` of vectors, `len`, `contains`, `Option` fields.
    pub async fn ex_lists(xs: Vec<i64>) -> Result<ListSummary, Failure> {
        let mut values = Vec::new();
        let mut first_big = None;
        for x in xs.iter() {
            let d = ex_double(*x).await?;
            values.push(d);
            if d > 10 && first_big.is_none() {
                first_big = Some(d);
            }
        }
        let nested = vec![values.clone(), vec![values.len() as i64], Vec::new()];
        Ok(ListSummary {
            count: values.len(),
            has_big: first_big.is_some() || values.contains(&10),
            values,
            nested,
            first_big,
        })
    }
}

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (a, b) in [
        (7, 2),
        (-7, 2),
        (7, -2),
        (-7, -2),
        (0, 5),
        (5, 7),
        (-1, 3),
        (100, -7),
        (-9, 4),
        (1, 1),
        (-64, 8),
    ] {
        cases.push(Case::new::<ex_arith>(
            &format!("arith {a} {b}"),
            json!({"a": a, "b": b}),
            Behaviours::new(),
        ));
    }
    cases.push(
        Case::new::<ex_arith>(
            "arith -7 2, pinned",
            json!({"a": -7, "b": 2}),
            Behaviours::new(),
        )
        .returns(json!({
            "quotient": -3, "remainder": -1, "euclid": 1, "mixedSum": -6, "isNegativeResult": true
        })),
    );
    let same = || Behaviours::new().on::<ex_normalise>(Behaviour::jsonata("$"));
    for word in [
        "hello",
        "héllo",
        "日本語",
        "",
        "a-b",
        "straße",
        "emoji 🎉",
        "ǆ",
    ] {
        cases.push(Case::new::<ex_text>(
            &format!("text {word:?}"),
            json!(word),
            same(),
        ));
    }
    cases.push(
        Case::new::<ex_text>("text, trimmed by the task", json!("  é-x  "), Behaviours::new().on::<ex_normalise>(Behaviour::jsonata("$trim($)")))
            .returns(json!({"BYTE_LEN": 4, "EMPTY": false, "HAS_DASH": true, "SHOUT": "É-X", "LABEL": "{é-x} has 4 bytes, 8"})),
    );
    let double = || Behaviours::new().on::<ex_double>(Behaviour::jsonata("$ * 2"));
    for xs in [
        json!([]),
        json!([1, 2, 3]),
        json!([5, 6]),
        json!([0, -3, 20]),
        json!([6, 7]),
    ] {
        cases.push(Case::new::<ex_lists>(&format!("lists {xs}"), xs, double()));
    }
    cases.push(Case::new::<ex_lists>("lists, pinned", json!([5, 6]), double()).returns(json!({
        "values": [10, 12], "nested": [[10, 12], [2], []], "count": 2, "firstBig": 12, "has-big": true
    })));
    cases.push(
        Case::new::<ex_lists>("lists, none big", json!([1]), double()).returns(json!({
            "values": [2], "nested": [[2], [1], []], "count": 1, "firstBig": null, "has-big": false
        })),
    );
    cases
}
