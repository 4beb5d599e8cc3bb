//! Workflows written for `#[workflow(query_language = "JSONPath")]`, compiled by the real macro and
//! build driver like every other workflow of this crate: their embedded definitions are JSONPath.
//! `tests/jsonpath.rs` checks the emitted JSON and runs these cases natively and on the interpreter.

use std::convert::Infallible;

use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, Case, ret};

/// An order to check out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JpOrder {
    pub id: String,
    pub items: Vec<String>,
    pub coupon: Option<String>,
}

/// What checking out produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JpReceipt {
    pub id: String,
    pub units: i64,
    pub note: String,
}

/// What a fan-out produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JpFanout {
    pub lines: Vec<String>,
    pub total: i64,
}

#[derive(Debug, TaskError)]
pub enum JpError {
    OutOfStock,
    Busy,
}

impl std::fmt::Display for JpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JpError::OutOfStock => "out of stock",
            JpError::Busy => "busy",
        })
    }
}

/// Reserves one item; returns the units reserved (the item name's length, in the real body).
#[task]
pub async fn jp_reserve(item: String) -> Result<i64, JpError> {
    match item.as_str() {
        "busy" => Err(JpError::Busy),
        "gone" => Err(JpError::OutOfStock),
        _ => Ok(item.len() as i64),
    }
}

/// Sends a note.
#[task]
pub async fn jp_notify(message: String) -> Result<(), Infallible> {
    let _ = message;
    Ok(())
}

workflow! {
    /// Reserves every item of an order (skipping busy ones), notes the coupon, and tells someone
    /// about big orders: a loop over a list, a caught error, an `Option` match, integer sums and
    /// string formatting, all in JSONPath.
    #[workflow(query_language = "JSONPath")]
    pub async fn jp_checkout(order: JpOrder) -> Result<JpReceipt, Failure> {
        let mut units = 0;
        for item in order.items.clone() {
            match jp_reserve(item.clone()).await {
                Ok(n) => {
                    units += n;
                }
                Err(JpError::Busy) => {
                    jp_notify(format!("{} is busy, skipped", item)).await?;
                }
                Err(e) => return Err(e),
            }
        }
        let note = match order.coupon {
            Some(c) => format!("coupon {}", c),
            None => "no coupon".to_string(),
        };
        if units > 10 {
            jp_notify(format!("big order {}: {} units", order.id, units)).await?;
        }
        Ok(JpReceipt { id: order.id, units, note })
    }
}

workflow! {
    /// A Map over the items (each iteration keeps its item for later) and two reservations in
    /// parallel, summed.
    #[workflow(query_language = "JSONPath")]
    pub async fn jp_fanout(items: Vec<String>) -> Result<JpFanout, Failure> {
        let lines = map!(items, max_concurrency = 2, |item| async move {
            let n = jp_reserve(item.clone()).await?;
            Ok(format!("{}: {}", item, n))
        })?;
        let (a, b) = try_join!(jp_reserve("first".to_string()), jp_reserve("second".to_string()))?;
        Ok(JpFanout { lines, total: a + b })
    }
}

workflow! {
    /// Literal text with the characters an intrinsic string must escape (`'`, `{`, `}`, `\`).
    #[workflow(query_language = "JSONPath")]
    pub async fn jp_text(name: String) -> Result<String, Failure> {
        let n = jp_reserve(name.clone()).await?;
        Ok(format!("it's {{{}}}: {} / {} é", name, n, true))
    }
}

/// `jp_reserve` as a `MOCKS.json` handler: the length of the item, `JpError.Busy` for "busy",
/// `JpError.OutOfStock` for "gone".
fn reserve() -> Behaviour {
    Behaviour::jsonata_response(
        "$ = 'busy' ? {'throw': {'error': 'JpError.Busy', 'cause': 'try later'}} : \
         $ = 'gone' ? {'throw': {'error': 'JpError.OutOfStock', 'cause': 'none left'}} : \
         {'return': $length($)}",
    )
}

fn behaviours() -> Behaviours {
    Behaviours::new()
        .on::<jp_reserve>(reserve())
        .always::<jp_notify>(ret(json!(null)))
}

/// The equivalence cases of these workflows.
pub fn cases() -> Vec<Case> {
    let order = |items: &[&str], coupon: Option<&str>| json!({"id": "o-1", "items": items, "coupon": coupon});
    vec![
        Case::new::<jp_checkout>("small, no coupon", order(&["ab", "c"], None), behaviours())
            .returns(json!({"id": "o-1", "units": 3, "note": "no coupon"})),
        Case::new::<jp_checkout>(
            "coupon, a busy item",
            order(&["ab", "busy", "cd"], Some("SAVE5")),
            behaviours(),
        )
        .returns(json!({"id": "o-1", "units": 4, "note": "coupon SAVE5"})),
        Case::new::<jp_checkout>(
            "big order",
            order(&["apples", "pears", "plums"], None),
            behaviours(),
        )
        .returns(json!({"id": "o-1", "units": 16, "note": "no coupon"})),
        Case::new::<jp_checkout>(
            "an item out of stock",
            order(&["ab", "gone"], None),
            behaviours(),
        )
        .fails("JpError.OutOfStock"),
        Case::new::<jp_checkout>("no items", order(&[], Some("")), behaviours())
            .returns(json!({"id": "o-1", "units": 0, "note": "coupon "})),
        Case::new::<jp_fanout>("fan out", json!(["ab", "cde"]), behaviours())
            .returns(json!({"lines": ["ab: 2", "cde: 3"], "total": 11})),
        Case::new::<jp_fanout>("fan out, nothing", json!([]), behaviours())
            .returns(json!({"lines": [], "total": 11})),
        Case::new::<jp_fanout>("fan out, busy", json!(["ab", "busy"]), behaviours())
            .fails("JpError.Busy"),
        Case::new::<jp_text>("text", json!("o'k"), behaviours())
            .returns(json!("it's {o'k}: 3 / true é")),
    ]
}
