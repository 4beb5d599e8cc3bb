//! Straight-line workflows: task calls with `?`, pure `let`s folded into `Assign`, several parameters.

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

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let fetch4 = || Behaviour::always(ret(json!({"sku": "a-1", "count": 4})));
    let add = || Behaviour::jsonata("a + b");
    vec![
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
    ]
}
