//! Workload (b): 20 sequential tasks, an `if`, and a Map over 100 items with one task per item.
//!
//! This twin predates `map!` (see [`crate::compiled`] for the `workflow!` version), so both halves
//! are written by hand, the same way: the definition (`workflows/sequence_if_map.asl.json`) in the JSONata style
//! the compiler emits (variables in `Assign`, `lambda:invoke` with `Arguments`, the Lambda
//! transient-error retrier on every task), and [`sequence_if_map`] as the native code `workflow!`
//! would generate (every task call through [`run_task`], the Map as concurrent futures).
//! [`SequenceIfMap`] ties them together as a [`Workflow`], like a compiled one.

use std::convert::Infallible;

use futures::future::try_join_all;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use stepmacro::prelude::*;
use stepmacro::{__private::BoxFuture, TaskHandle, Workflow, run_task};

/// The definition, written by hand.
pub const DEFINITION: &str = include_str!("../workflows/sequence_if_map.asl.json");

/// How many items the benchmark input has.
pub const ITEMS: i64 = 100;

/// The workflow's input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub n: i64,
    pub items: Vec<i64>,
}

/// The workflow's output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub n: i64,
    pub label: String,
    pub squares: Vec<i64>,
}

/// The benchmark input: `n = 0`, items `0..100`.
pub fn input() -> Value {
    serde_json::to_value(Input {
        n: 0,
        items: (0..ITEMS).collect(),
    })
    .expect("the input serialises")
}

/// One step of the sequence.
#[task]
pub async fn add_one(n: i64) -> Result<i64, Infallible> {
    Ok(n + 1)
}

/// The Map's task, once per item.
#[task]
pub async fn square(x: i64) -> Result<i64, Infallible> {
    Ok(x * x)
}

/// The native run: what `workflow!` makes of this body.
pub async fn sequence_if_map(input: Input) -> Result<Output, Failure> {
    let mut n = input.n;
    for _ in 0..20 {
        n = run_task::<add_one>((n,)).await?;
    }
    let label = if n > 10 { "many" } else { "few" };
    let squares = try_join_all(input.items.into_iter().map(|x| run_task::<square>((x,)))).await?;
    Ok(Output {
        n,
        label: label.to_owned(),
        squares,
    })
}

/// [`sequence_if_map`] and [`DEFINITION`] as one [`Workflow`].
pub struct SequenceIfMap;

impl Workflow for SequenceIfMap {
    const NAME: &'static str = "sequence_if_map";
    const DEFINITION: &'static str = DEFINITION;

    fn tasks() -> Vec<TaskHandle> {
        vec![<add_one as Task>::handle(), <square as Task>::handle()]
    }

    fn run_native(input: Value) -> BoxFuture<'static, Result<Value, Failure>> {
        Box::pin(async move {
            let input: Input = stepmacro::__private::decode_payload(input)?;
            let output = sequence_if_map(input).await?;
            serde_json::to_value(output)
                .map_err(|e| Failure::new("stepmacro.InvalidOutput", e.to_string()))
        })
    }
}
