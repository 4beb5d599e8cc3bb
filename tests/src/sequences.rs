//! Straight-line workflows: task calls with `?`, pure `let`s folded into `Assign`, several parameters;
//! task calls nested in expressions (hoisted before their statement, in Rust's evaluation order): in
//! `push` arguments, method receivers and arguments, compound assignments, a `match` scrutinee, a `for`
//! iterable, an `else if` condition (called only when the earlier conditions fail), a `Failure`'s cause.

use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, Case, ret, throw};

/// What `seq_fetch` returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stock {
    pub sku: String,
    pub count: i64,
}

/// Errors of the sequence tasks.
#[derive(Debug, TaskError)]
pub enum SeqError {
    Missing,
    Broken,
}

impl std::fmt::Display for SeqError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SeqError::Missing => "no such item",
            SeqError::Broken => "the store is broken",
        })
    }
}

/// Looks an item up. Mocked in the tests; the body is a stand-in.
#[task]
pub async fn seq_fetch(sku: String) -> Result<Stock, SeqError> {
    Ok(Stock { sku, count: 1 })
}

/// Adds to a count.
#[task]
pub async fn seq_add(a: i64, b: i64) -> Result<i64, SeqError> {
    Ok(a + b)
}

workflow! {
    /// Fetch, compute, add: three states' worth of Rust in two Task states.
    pub async fn seq_basic(sku: String) -> Result<i64, Failure> {
        let stock = seq_fetch(sku).await?;
        let doubled = stock.count * 2;
        let offset = doubled - 1;
        let total = seq_add(offset, stock.count).await?;
        Ok(total + 100)
    }
}

workflow! {
    /// Two parameters (the input is an object keyed by their names) and a struct literal output.
    pub async fn seq_two(sku: String, extra: i64) -> Result<Stock, Failure> {
        let stock = seq_fetch(sku.clone()).await?;
        let sum = seq_add(stock.count, extra).await?;
        Ok(Stock { sku: format!("{}/{}", sku, stock.sku), count: sum })
    }
}

/// Lists the skus under a prefix (mocked in the tests).
#[task]
pub async fn seq_list(prefix: String) -> Result<Vec<String>, SeqError> {
    Ok(vec![format!("{prefix}-1")])
}

workflow! {
    /// Task calls inside `push` arguments, method receivers and arguments, and compound assignments.
    /// Receivers run before arguments, left to right: the mocks answer in call order, so another order
    /// gives another result.
    pub async fn seq_nested_calls(skus: Vec<String>) -> Result<Vec<i64>, Failure> {
        let mut counts = Vec::new();
        counts.push(seq_fetch(skus[0].clone()).await?.count);
        #[state("Add the second")]
        counts.push(seq_add(seq_fetch(skus[1].clone()).await?.count, counts.len() as i64).await?);
        let n = counts.len() as i64 + seq_add(1, 2).await?;
        counts.push(n);
        let mut total = 0;
        total += seq_add(counts[0], counts[1]).await?;
        total -= seq_fetch(skus[0].clone()).await?.count;
        counts.push(total);
        let same = seq_fetch(skus[0].clone()).await?.sku.contains(&seq_fetch(skus[1].clone()).await?.sku);
        counts.push(if same { 1 } else { 0 });
        Ok(counts)
    }
}

workflow! {
    /// Task calls in a `match` scrutinee, a `for` iterable, an `else if` condition and a Fail's cause.
    pub async fn seq_nested_positions(prefix: String, n: i64) -> Result<String, Failure> {
        let mut seen = Vec::new();
        for sku in seq_list(prefix.clone()).await? {
            seen.push(sku);
        }
        let size = match seq_fetch(prefix.clone()).await?.count {
            0 => "none".to_string(),
            c if c > 10 => format!("many ({})", c),
            c => format!("{}", c),
        };
        let level = if n > 5 {
            "high"
        } else if seq_add(n, 0).await? > 2 {
            "middle"
        } else {
            "low"
        };
        if n < 0 {
            return Err(Failure::new("Seq.Negative", seq_fetch(prefix).await?.sku));
        }
        Ok(format!("{} / {} / {}", seen.len(), size, level))
    }
}

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let fetch4 = || Behaviour::always(ret(json!({"sku": "a-1", "count": 4})));
    let add = || Behaviour::jsonata("a + b");
    let mut cases = vec![
        Case::new::<seq_basic>(
            "basic",
            json!("a-1"),
            Behaviours::new()
                .on::<seq_fetch>(fetch4())
                .on::<seq_add>(add()),
        )
        .returns(json!(111)),
        Case::new::<seq_basic>(
            "basic, fetch fails",
            json!("a-1"),
            Behaviours::new()
                .always::<seq_fetch>(throw("SeqError.Missing", "no a-1"))
                .on::<seq_add>(add()),
        )
        .fails("SeqError.Missing"),
        Case::new::<seq_basic>(
            "basic, add fails",
            json!("a-1"),
            Behaviours::new()
                .on::<seq_fetch>(fetch4())
                .always::<seq_add>(throw("SeqError.Broken", "down")),
        )
        .fails("SeqError.Broken"),
        Case::new::<seq_basic>(
            "basic, closures",
            json!("héllo"),
            Behaviours::new()
                .closure::<seq_fetch>(|v| {
                    Ok(json!({"sku": v, "count": v.as_str().map_or(0, str::len)}))
                })
                .closure::<seq_add>(|v| {
                    Ok(json!(
                        v["a"].as_i64().unwrap_or(0) - v["b"].as_i64().unwrap_or(0)
                    ))
                }),
        )
        .returns(json!(105)),
        Case::new::<seq_basic>("basic, real tasks", json!("z"), Behaviours::new())
            .returns(json!(102)),
        Case::new::<seq_two>(
            "two params",
            json!({"sku": "b-2", "extra": -3}),
            Behaviours::new()
                .on::<seq_fetch>(fetch4())
                .on::<seq_add>(add()),
        )
        .returns(json!({"sku": "b-2/a-1", "count": 1})),
        Case::new::<seq_two>(
            "two params, canned adds",
            json!({"sku": "", "extra": 10}),
            Behaviours::new()
                .on::<seq_fetch>(fetch4())
                .responses::<seq_add>([ret(99)]),
        )
        .returns(json!({"sku": "/a-1", "count": 99})),
        Case::new::<seq_two>(
            "two params, second task fails",
            json!({"sku": "c", "extra": 1}),
            Behaviours::new()
                .on::<seq_fetch>(fetch4())
                .responses::<seq_add>([throw("SeqError.Broken", "x")]),
        )
        .fails("SeqError.Broken"),
    ];
    cases.extend(nested_cases());
    cases
}

/// The cases of the hoisted task calls.
fn nested_cases() -> Vec<Case> {
    let stock = |sku: &str, count: i64| ret(json!({"sku": sku, "count": count}));
    let add = || Behaviour::jsonata("a + b");
    let skus = || json!(["a", "b"]);
    let mut cases = vec![
        Case::new::<seq_nested_calls>(
            "nested calls",
            skus(),
            Behaviours::new()
                .responses::<seq_fetch>([
                    stock("abc", 3),
                    stock("x", 5),
                    stock("abc", 3),
                    stock("abcd", 1),
                    stock("b", 0),
                ])
                .on::<seq_add>(add()),
        )
        // 3; 5 + 1 = 6; 2 + 3 = 5; (3 + 6) - 3 = 6; "abcd".contains("b") = 1.
        .returns(json!([3, 6, 5, 6, 1])),
        Case::new::<seq_nested_calls>(
            "nested calls, receiver before argument",
            skus(),
            Behaviours::new()
                .responses::<seq_fetch>([
                    stock("a", 1),
                    stock("b", 1),
                    stock("a", 1),
                    stock("b", 0),
                    stock("abcd", 0),
                ])
                .on::<seq_add>(add()),
        )
        .returns(json!([1, 2, 5, 2, 0])),
        Case::new::<seq_nested_calls>(
            "nested calls, a pushed call fails",
            skus(),
            Behaviours::new()
                .responses::<seq_fetch>([stock("a", 1), throw("SeqError.Missing", "no b")])
                .on::<seq_add>(add()),
        )
        .fails("SeqError.Missing"),
        Case::new::<seq_nested_calls>(
            "nested calls, a compound assignment's call fails",
            skus(),
            Behaviours::new()
                .always::<seq_fetch>(stock("a", 2))
                .responses::<seq_add>([ret(1), ret(2), throw("SeqError.Broken", "down")]),
        )
        .fails("SeqError.Broken"),
    ];
    for (name, input, count, listed, expected) in [
        (
            "positions, high",
            json!({"prefix": "p", "n": 9}),
            0,
            2,
            Ok(json!("2 / none / high")),
        ),
        (
            "positions, middle",
            json!({"prefix": "p", "n": 3}),
            12,
            1,
            Ok(json!("1 / many (12) / middle")),
        ),
        (
            "positions, low",
            json!({"prefix": "p", "n": 1}),
            4,
            0,
            Ok(json!("0 / 4 / low")),
        ),
        (
            "positions, negative",
            json!({"prefix": "p", "n": -1}),
            4,
            0,
            Err("Seq.Negative"),
        ),
    ] {
        let list: Vec<String> = (0..listed).map(|i| format!("p-{i}")).collect();
        // The `else if` calls `seq_add` only when `n <= 5`; a failing add shows a call too many.
        let adds = if name.ends_with("high") {
            Behaviour::always(throw("SeqError.Broken", "must not be called"))
        } else {
            add()
        };
        let case = Case::new::<seq_nested_positions>(
            name,
            input,
            Behaviours::new()
                .always::<seq_list>(ret(list))
                .always::<seq_fetch>(stock("p-0", count))
                .on::<seq_add>(adds),
        );
        cases.push(match expected {
            Ok(v) => case.returns(v),
            Err(e) => case.fails(e),
        });
    }
    cases.push(
        Case::new::<seq_nested_positions>(
            "positions, the iterable's call fails",
            json!({"prefix": "p", "n": 1}),
            Behaviours::new()
                .always::<seq_list>(throw("SeqError.Missing", "nothing"))
                .always::<seq_fetch>(stock("p-0", 1))
                .on::<seq_add>(add()),
        )
        .fails("SeqError.Missing"),
    );
    cases
}
