//! Branching: `if`/`else if`/`else`, `match` on literals, ranges, or-patterns, unit enum variants with
//! serde renames, guards, and `Option`.

// The workflows spell some things the long way on purpose: `!(n > -10)` exercises `!`, and a
// `return` at the end of a branch exercises an early return.
#![allow(clippy::nonminimal_bool, clippy::needless_return)]

use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, Case, ret, throw};

/// A plan tier; its serde names are what the definition compares against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Free,
    #[serde(rename = "pro-plan")]
    ProPlan,
    BigEnterprise,
}

/// An account as `br_load` returns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub account_id: String,
    pub tier: Tier,
    pub seat_count: i64,
    pub discount_code: Option<String>,
}

/// Errors of the branching tasks.
#[derive(Debug, TaskError)]
pub enum BrError {
    NoAccount,
}

impl std::fmt::Display for BrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no such account")
    }
}

/// Loads an account (mocked in the tests).
#[task]
pub async fn br_load(id: String) -> Result<Account, BrError> {
    Ok(Account {
        account_id: id,
        tier: Tier::Free,
        seat_count: 1,
        discount_code: None,
    })
}

/// Charges an amount; returns a receipt id (mocked in the tests).
#[task]
pub async fn br_bill(amount: i64) -> Result<String, BrError> {
    Ok(format!("r-{amount}"))
}

workflow! {
    /// An `if` chain whose branches call a task or not, and an `if` used as a value.
    pub async fn br_if_chain(n: i64) -> Result<String, Failure> {
        let sign = if n < 0 { "negative" } else if n == 0 { "zero" } else { "positive" };
        if n > 100 {
            let receipt = br_bill(n).await?;
            return Ok(format!("{sign}, billed {receipt}"));
        } else if n >= 50 && n % 2 == 0 {
            let receipt = br_bill(n / 2).await?;
            Ok(format!("{sign}, half billed {receipt}"))
        } else if !(n > -10) || n == 7 {
            Ok(format!("{sign}, special"))
        } else {
            Ok(sign.to_string())
        }
    }
}

workflow! {
    /// `match` on integer literals, inclusive and exclusive ranges, or-patterns and guards.
    pub async fn br_match_ranges(n: i64) -> Result<String, Failure> {
        let size = match n {
            ..=-1 => "negative",
            0 => "zero",
            1..=9 => "small",
            10 | 20 | 30 => "round",
            11..100 => "medium",
            x if x % 2 == 0 => "big even",
            _ => "big odd",
        };
        Ok(size.to_string())
    }
}

workflow! {
    /// `match` on an enum with serde renames (with a guard reading another field), then on an `Option`.
    pub async fn br_match_enum(id: String) -> Result<String, Failure> {
        let account = br_load(id).await?;
        let price = match account.tier {
            Tier::Free => 0,
            Tier::ProPlan if account.seat_count > 10 => 8 * account.seat_count,
            Tier::ProPlan => 10 * account.seat_count,
            Tier::BigEnterprise => 500,
        };
        let label = match account.discount_code {
            Some(code) => format!("{} with {}", price, code),
            None => format!("{}", price),
        };
        if price > 0 {
            let receipt = br_bill(price).await?;
            Ok(format!("{}: {} ({})", account.account_id, label, receipt))
        } else {
            Ok(format!("{}: free", account.account_id))
        }
    }
}

workflow! {
    /// `match` on string literals.
    pub async fn br_match_str(command: String) -> Result<i64, Failure> {
        match command.as_str() {
            "start" | "resume" => Ok(1),
            "stop" => Ok(0),
            "" => Err(Failure::new("Command.Empty", "no command")),
            _ => Ok(-1),
        }
    }
}

/// Input of `br_option`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaybeLimit {
    pub limit: Option<i64>,
    pub fallback: i64,
}

workflow! {
    /// `Option`: `match` with `Some(x) if ..`, `is_some`, `unwrap_or`.
    pub async fn br_option(req: MaybeLimit) -> Result<i64, Failure> {
        let effective = req.limit.unwrap_or(req.fallback);
        let bonus = if req.limit.is_some() { 1 } else { 0 };
        match req.limit {
            Some(l) if l > 1000 => Err(Failure::new("Limit.TooHigh", format!("limit {} is above 1000", l))),
            Some(0) => Ok(bonus),
            Some(l) => Ok(l + effective + bonus),
            None => Ok(effective * 2),
        }
    }
}

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let bill = || Behaviours::new().on::<br_bill>(Behaviour::jsonata("'r' & $string($)"));
    let mut cases = Vec::new();
    for n in [-20, -10, -9, -5, 0, 7, 8, 49, 50, 51, 60, 100, 101, 1000] {
        cases.push(Case::new::<br_if_chain>(
            &format!("if chain {n}"),
            json!(n),
            bill(),
        ));
    }
    cases.push(
        Case::new::<br_if_chain>("if chain 101", json!(101), bill())
            .returns(json!("positive, billed r101")),
    );
    cases.push(
        Case::new::<br_if_chain>(
            "if chain, bill fails",
            json!(200),
            Behaviours::new().always::<br_bill>(throw("BrError.NoAccount", "gone")),
        )
        .fails("BrError.NoAccount"),
    );
    for n in [
        -1000, -5, -1, 0, 1, 9, 10, 11, 20, 30, 31, 99, 100, 101, 102, 1001,
    ] {
        cases.push(Case::new::<br_match_ranges>(
            &format!("ranges {n}"),
            json!(n),
            Behaviours::new(),
        ));
    }
    cases.push(
        Case::new::<br_match_ranges>("ranges 30", json!(30), Behaviours::new())
            .returns(json!("round")),
    );
    let account = |tier: &str, seats: i64, code: Option<&str>| {
        let mut a = json!({"accountId": "acc-1", "tier": tier, "seatCount": seats});
        if let Some(c) = code {
            a["discountCode"] = json!(c);
        }
        a
    };
    let accounts = [
        ("free", account("free", 3, None)),
        ("pro small", account("pro-plan", 5, Some("SPRING"))),
        ("pro big", account("pro-plan", 11, None)),
        ("enterprise", account("big_enterprise", 1, Some("VIP"))),
        (
            "explicit null code",
            json!({"accountId": "acc-2", "tier": "pro-plan", "seatCount": 2, "discountCode": null}),
        ),
    ];
    for (name, a) in accounts {
        cases.push(Case::new::<br_match_enum>(
            &format!("enum {name}"),
            json!("acc-1"),
            bill().always::<br_load>(ret(a)),
        ));
    }
    cases.push(
        Case::new::<br_match_enum>(
            "enum pro big, pinned",
            json!("x"),
            bill().always::<br_load>(ret(account("pro-plan", 11, None))),
        )
        .returns(json!("acc-1: 88 (r88)")),
    );
    cases.push(
        Case::new::<br_match_enum>(
            "enum, load fails",
            json!("acc-9"),
            bill().always::<br_load>(throw("BrError.NoAccount", "acc-9")),
        )
        .fails("BrError.NoAccount"),
    );
    for cmd in ["start", "resume", "stop", "", "STOP", "other"] {
        cases.push(Case::new::<br_match_str>(
            &format!("str {cmd:?}"),
            json!(cmd),
            Behaviours::new(),
        ));
    }
    cases.push(
        Case::new::<br_match_str>("str empty, pinned", json!(""), Behaviours::new())
            .fails("Command.Empty"),
    );
    for (name, input) in [
        ("none", json!({"limit": null, "fallback": 3})),
        ("missing", json!({"fallback": 4})),
        ("zero", json!({"limit": 0, "fallback": 3})),
        ("some", json!({"limit": 5, "fallback": 3})),
        ("negative", json!({"limit": -7, "fallback": 3})),
        ("too high", json!({"limit": 2000, "fallback": 3})),
    ] {
        cases.push(Case::new::<br_option>(
            &format!("option {name}"),
            input,
            Behaviours::new(),
        ));
    }
    cases.push(
        Case::new::<br_option>(
            "option some, pinned",
            json!({"limit": 5, "fallback": 3}),
            Behaviours::new(),
        )
        .returns(json!(11)),
    );
    cases
}
