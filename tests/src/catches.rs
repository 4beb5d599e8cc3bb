//! Catching task errors: by variant (renamed ones included), or-patterns of variants, a catch-all,
//! `if let Err(e)`, a binding `e @ Variant`; and `#[task(retry(..))]` policies that recover from or
//! exhaust canned failures.

use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro::prelude::*;

use stepmacro::mock::Response;

use crate::harness::{Behaviour, Behaviours, Case, ret, throw};

/// How a payment fails.
#[derive(Debug, TaskError)]
pub enum PayError {
    Declined,
    Busy,
    #[task_error(name = "Pay.Fraud")]
    Fraud,
}

impl std::fmt::Display for PayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PayError::Declined => "card declined",
            PayError::Busy => "gateway busy",
            PayError::Fraud => "suspected fraud",
        })
    }
}

/// Charges an amount (mocked in the tests).
#[task]
pub async fn ct_charge(amount: i64) -> Result<String, PayError> {
    Ok(format!("ch-{amount}"))
}

/// Same, retried on `PayError::Busy` only: 2 more attempts.
#[task(retry(errors = [PayError::Busy], interval_seconds = 1, max_attempts = 2))]
pub async fn ct_charge_busy_retry(amount: i64) -> Result<String, PayError> {
    Ok(format!("ch-{amount}"))
}

/// Retried on every error: 3 more attempts, with backoff; and a second retrier that a first one
/// shadows for `Busy` (the first matching retrier decides).
#[task(
    retry(errors = [PayError::Busy], interval_seconds = 2, max_attempts = 3, backoff_rate = 2.0),
    retry(errors = [PayError::Declined, "States.Timeout"], max_attempts = 1)
)]
pub async fn ct_flaky(amount: i64) -> Result<i64, PayError> {
    Ok(amount)
}

/// What `ct_log` recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Logged {
    pub line: String,
}

/// Logs a failure (mocked in the tests).
#[task]
pub async fn ct_log(failure: Failure) -> Result<Logged, Infallible> {
    Ok(Logged {
        line: failure.to_string(),
    })
}

workflow! {
    /// Catch by variant, by an or-pattern of variants, and a catch-all that re-raises.
    pub async fn ct_by_variant(amount: i64) -> Result<String, Failure> {
        match ct_charge(amount).await {
            Ok(id) => Ok(format!("charged {}", id)),
            Err(PayError::Declined) => Ok("declined".to_string()),
            Err(PayError::Busy | PayError::Fraud) => Err(Failure::new("Charge.GaveUp", "busy or fraud")),
            Err(e) => Err(e),
        }
    }
}

workflow! {
    /// A catch-all that hands the failure to another task, then carries on.
    pub async fn ct_catch_all(amount: i64) -> Result<String, Failure> {
        let first = match ct_charge(amount).await {
            Ok(id) => id,
            Err(e) => {
                let logged = ct_log(e.clone()).await?;
                format!("{} / {}", e.error, logged.line)
            }
        };
        let second = ct_charge(amount + 1).await?;
        Ok(format!("{} then {}", first, second))
    }
}

workflow! {
    /// `if let Err(e)`: a side path on failure, then an early return with the caught failure.
    pub async fn ct_if_let(amount: i64) -> Result<String, Failure> {
        if let Err(e) = ct_charge(amount).await {
            ct_log(e.clone()).await?;
            return Err(e);
        }
        Ok("ok".to_string())
    }
}

workflow! {
    /// Retries by error name; what survives the retries is caught.
    pub async fn ct_retries(amount: i64) -> Result<String, Failure> {
        let id = match ct_charge_busy_retry(amount).await {
            Ok(id) => id,
            Err(PayError::Busy) => "busy after retries".to_string(),
            Err(e) => return Err(e),
        };
        let n = ct_flaky(amount).await?;
        Ok(format!("{} / {}", id, n))
    }
}

/// A retry case: its name, `ct_charge_busy_retry`'s answers, `ct_flaky`'s answers, the expected result.
type RetryCase = (
    &'static str,
    Vec<Response>,
    Vec<Response>,
    Option<Result<serde_json::Value, &'static str>>,
);

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let log = || Behaviour::jsonata("{'line': Error & ': ' & Cause}");
    let mut cases = Vec::new();
    for (name, charge) in [
        ("ok", ret("ch-1")),
        ("declined", throw("PayError.Declined", "card")),
        ("busy", throw("PayError.Busy", "gw")),
        ("fraud (renamed)", throw("Pay.Fraud", "flagged")),
        (
            "foreign error",
            throw("Other.Thing", "re-raised with its cause"),
        ),
        ("States.Timeout", throw("States.Timeout", "")),
    ] {
        cases.push(Case::new::<ct_by_variant>(
            &format!("by variant, {name}"),
            json!(10),
            Behaviours::new().always::<ct_charge>(charge),
        ));
    }
    cases.push(
        Case::new::<ct_by_variant>(
            "by variant, fraud, pinned",
            json!(1),
            Behaviours::new().always::<ct_charge>(throw("Pay.Fraud", "x")),
        )
        .fails("Charge.GaveUp"),
    );
    for (name, charges) in [
        ("both ok", vec![ret("a"), ret("b")]),
        (
            "first fails",
            vec![throw("PayError.Busy", "gw busy"), ret("b")],
        ),
        (
            "second fails",
            vec![ret("a"), throw("PayError.Declined", "no")],
        ),
        (
            "both fail",
            vec![throw("Pay.Fraud", "1"), throw("PayError.Busy", "2")],
        ),
    ] {
        cases.push(Case::new::<ct_catch_all>(
            &format!("catch-all, {name}"),
            json!(5),
            Behaviours::new()
                .responses::<ct_charge>(charges)
                .on::<ct_log>(log()),
        ));
    }
    cases.push(
        Case::new::<ct_catch_all>(
            "catch-all, first fails, pinned",
            json!(5),
            Behaviours::new()
                .responses::<ct_charge>([throw("PayError.Busy", "gw busy"), ret("b")])
                .on::<ct_log>(log()),
        )
        .returns(json!("PayError.Busy / PayError.Busy: gw busy then b")),
    );
    cases.push(Case::new::<ct_catch_all>(
        "catch-all, the logger fails too",
        json!(5),
        Behaviours::new()
            .responses::<ct_charge>([throw("PayError.Busy", "gw busy"), ret("b")])
            .always::<ct_log>(throw("Log.Down", "disk full")),
    ));
    for (name, charge) in [
        ("ok", ret("x")),
        ("fails", throw("PayError.Declined", "with a cause")),
    ] {
        cases.push(Case::new::<ct_if_let>(
            &format!("if let, {name}"),
            json!(3),
            Behaviours::new()
                .always::<ct_charge>(charge)
                .on::<ct_log>(log()),
        ));
    }
    let busy = || throw("PayError.Busy", "busy");
    let retry_cases: Vec<RetryCase> = vec![
        (
            "no failures",
            vec![ret("a")],
            vec![ret(7)],
            Some(Ok(json!("a / 7"))),
        ),
        (
            "busy twice, then ok",
            vec![busy(), busy(), ret("a")],
            vec![ret(7)],
            Some(Ok(json!("a / 7"))),
        ),
        (
            "busy three times: retries exhausted, caught",
            vec![busy(), busy(), busy()],
            vec![ret(7)],
            Some(Ok(json!("busy after retries / 7"))),
        ),
        (
            "declined is not retried",
            vec![throw("PayError.Declined", "no"), ret("a")],
            vec![ret(7)],
            Some(Err("PayError.Declined")),
        ),
        (
            "flaky: busy three times, then ok",
            vec![ret("a")],
            vec![busy(), busy(), busy(), ret(8)],
            Some(Ok(json!("a / 8"))),
        ),
        (
            "flaky: busy four times, exhausted",
            vec![ret("a")],
            vec![busy(), busy(), busy(), busy(), ret(8)],
            Some(Err("PayError.Busy")),
        ),
        (
            "flaky: declined once, then ok",
            vec![ret("a")],
            vec![throw("PayError.Declined", "d"), ret(9)],
            Some(Ok(json!("a / 9"))),
        ),
        (
            "flaky: declined twice, exhausted",
            vec![ret("a")],
            vec![
                throw("PayError.Declined", "d"),
                throw("PayError.Declined", "d2"),
            ],
            Some(Err("PayError.Declined")),
        ),
        (
            "flaky: timeout retried by name",
            vec![ret("a")],
            vec![throw("States.Timeout", ""), ret(10)],
            Some(Ok(json!("a / 10"))),
        ),
        (
            "flaky: busy then declined, then ok",
            vec![ret("a")],
            vec![busy(), throw("PayError.Declined", "d"), ret(11)],
            Some(Ok(json!("a / 11"))),
        ),
        (
            "flaky: fraud is not retried",
            vec![ret("a")],
            vec![throw("Pay.Fraud", "f"), ret(12)],
            Some(Err("Pay.Fraud")),
        ),
    ];
    for (name, charges, flaky, expected) in retry_cases {
        let mut case = Case::new::<ct_retries>(
            &format!("retries, {name}"),
            json!(4),
            Behaviours::new()
                .responses::<ct_charge_busy_retry>(charges)
                .responses::<ct_flaky>(flaky),
        );
        case = match expected {
            Some(Ok(v)) => case.returns(v),
            Some(Err(e)) => case.fails(e),
            None => case,
        };
        cases.push(case);
    }
    cases
}
