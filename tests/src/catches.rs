//! Catching task errors: by variant (renamed ones included), or-patterns of variants, a catch-all,
//! `if let Err(e)`, a binding `e @ Variant`; guards on `Ok`/`Err`/`_` arms (a failing guard falls to
//! the next arm, as in Rust), refutable `Ok(..)` patterns, `Err(Failure { .. })`; and
//! `#[task(retry(..))]` policies that recover from or exhaust canned failures.

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

/// Scores an amount (mocked in the tests).
#[task]
pub async fn ct_score(amount: i64) -> Result<i64, PayError> {
    Ok(amount)
}

workflow! {
    /// Guards on both sides: a failing guard falls to the next arm; an error no earlier arm takes
    /// reaches the final `Err(e)`, which re-raises it.
    pub async fn ct_guards(amount: i64) -> Result<String, Failure> {
        match ct_charge(amount).await {
            Ok(id) if id.len() > 5 => Ok(format!("long {}", id)),
            Ok(id) => Ok(format!("short {}", id)),
            Err(e @ PayError::Declined) if e.cause.contains("soft") => Ok(format!("soft decline: {}", e.cause)),
            Err(e) if e.error == "Pay.Fraud" && amount > 100 => Err(Failure::new("Charge.Fraud", e.cause)),
            Err(PayError::Declined) => Ok("declined".to_string()),
            Err(e) => Err(e),
        }
    }
}

workflow! {
    /// A guarded or-pattern with a binding, an or-pattern of `Err`s, `_` arms (one guarded), and
    /// `Err(e @ Failure { .. })`.
    pub async fn ct_guard_forms(amount: i64) -> Result<String, Failure> {
        let first = match ct_charge(amount).await {
            Ok(id) => id,
            Err(e @ (PayError::Busy | PayError::Fraud)) if amount > 100 => format!("big {}", e.error),
            Err(PayError::Busy) | Err(PayError::Fraud) => "small".to_string(),
            _ if amount < 0 => "negative".to_string(),
            Err(e @ Failure { .. }) => format!("other {}", e.error),
        };
        let second = match ct_score(amount).await {
            Ok(0) => "zero".to_string(),
            Ok(n) if n < 0 => format!("minus {}", -n),
            Ok(n) => format!("plus {}", n),
            _ => "no score".to_string(),
        };
        Ok(format!("{} / {}", first, second))
    }
}

workflow! {
    /// A guard on a caught async block, and `if let Err(Variant)`, whose `else` takes success and
    /// every other error (as in Rust).
    pub async fn ct_guarded_block(amount: i64) -> Result<String, Failure> {
        let n = match async { let id = ct_charge(amount).await?; Ok(ct_score(amount).await? + id.len() as i64) }.await {
            Ok(n) if n > 10 => n,
            Ok(n) => -n,
            Err(e) if e.error == "PayError.Busy" => 0,
            Err(e) => return Err(e),
        };
        if let Err(PayError::Declined) = ct_charge(n).await {
            return Ok(format!("{} declined", n));
        } else {
            ct_log(Failure::new("Note", format!("{}", n))).await?;
        }
        // Not a bare number-like string: asl-check's moto glue reads an output `"16"` back as `16`.
        Ok(format!("n = {}", n))
    }
}

workflow! {
    /// A guarded catch in each iteration of a Map: the Choice and its Fail live in the iteration.
    pub async fn ct_guarded_map(amounts: Vec<i64>) -> Result<Vec<String>, Failure> {
        let out = map!(amounts, |a| async move {
            match ct_charge(a).await {
                Ok(id) if a > 10 => Ok(format!("big {}", id)),
                Ok(id) => Ok(id),
                Err(e) if e.error == "PayError.Busy" => Ok("busy".to_string()),
                Err(e) => Err(e),
            }
        })?;
        Ok(out)
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
    cases.extend(guard_cases());
    cases
}

/// The cases of the guarded catches.
fn guard_cases() -> Vec<Case> {
    let log = || Behaviour::jsonata("{'line': Error & ': ' & Cause}");
    let mut cases = Vec::new();
    for (name, amount, charge, expected) in [
        ("ok, long", 5, ret("charge-1"), Ok(json!("long charge-1"))),
        ("ok, short", 5, ret("c-1"), Ok(json!("short c-1"))),
        (
            "declined, guard true",
            5,
            throw("PayError.Declined", "soft limit"),
            Ok(json!("soft decline: soft limit")),
        ),
        (
            "declined, guard false: the next Declined arm",
            5,
            throw("PayError.Declined", "hard"),
            Ok(json!("declined")),
        ),
        (
            "fraud, big",
            500,
            throw("Pay.Fraud", "flagged"),
            Err("Charge.Fraud"),
        ),
        (
            "fraud, small: re-raised",
            5,
            throw("Pay.Fraud", "flagged"),
            Err("Pay.Fraud"),
        ),
        (
            "busy: re-raised",
            5,
            throw("PayError.Busy", "gw"),
            Err("PayError.Busy"),
        ),
        (
            "foreign: re-raised",
            5,
            throw("Other.Thing", "x"),
            Err("Other.Thing"),
        ),
        (
            "timeout: re-raised",
            5,
            throw("States.Timeout", ""),
            Err("States.Timeout"),
        ),
    ] {
        let case = Case::new::<ct_guards>(
            &format!("guards, {name}"),
            json!(amount),
            Behaviours::new().always::<ct_charge>(charge),
        );
        cases.push(match expected {
            Ok(v) => case.returns(v),
            Err(e) => case.fails(e),
        });
    }
    for (name, amount, charge, score, expected) in [
        ("ok, zero", 7, ret("id"), ret(0), json!("id / zero")),
        ("ok, minus", 7, ret("id"), ret(-3), json!("id / minus 3")),
        ("ok, plus", 7, ret("id"), ret(4), json!("id / plus 4")),
        (
            "busy, big",
            200,
            throw("PayError.Busy", ""),
            ret(1),
            json!("big PayError.Busy / plus 1"),
        ),
        (
            "fraud, small",
            20,
            throw("Pay.Fraud", ""),
            ret(1),
            json!("small / plus 1"),
        ),
        (
            "declined, negative",
            -1,
            throw("PayError.Declined", ""),
            ret(1),
            json!("negative / plus 1"),
        ),
        (
            "declined, positive",
            1,
            throw("PayError.Declined", ""),
            ret(1),
            json!("other PayError.Declined / plus 1"),
        ),
        (
            "score fails",
            1,
            ret("id"),
            throw("PayError.Busy", ""),
            json!("id / no score"),
        ),
    ] {
        cases.push(
            Case::new::<ct_guard_forms>(
                &format!("guard forms, {name}"),
                json!(amount),
                Behaviours::new()
                    .always::<ct_charge>(charge)
                    .always::<ct_score>(score),
            )
            .returns(expected),
        );
    }
    for (name, charges, score, expected) in [
        (
            "big",
            vec![ret("abcdef"), ret("x")],
            ret(10),
            Ok(json!("n = 16")),
        ),
        (
            "small",
            vec![ret("ab"), ret("x")],
            ret(1),
            Ok(json!("n = -3")),
        ),
        (
            "busy, then declined",
            vec![throw("PayError.Busy", ""), throw("PayError.Declined", "")],
            ret(1),
            Ok(json!("0 declined")),
        ),
        (
            "busy, then a swallowed error",
            vec![throw("PayError.Busy", ""), throw("Pay.Fraud", "")],
            ret(1),
            Ok(json!("n = 0")),
        ),
        (
            "fraud: re-raised from the block",
            vec![throw("Pay.Fraud", "f")],
            ret(1),
            Err("Pay.Fraud"),
        ),
        (
            "score fails in the block",
            vec![ret("ab")],
            throw("PayError.Declined", "d"),
            Err("PayError.Declined"),
        ),
    ] {
        let case = Case::new::<ct_guarded_block>(
            &format!("guarded block, {name}"),
            json!(3),
            Behaviours::new()
                .responses::<ct_charge>(charges)
                .always::<ct_score>(score)
                .on::<ct_log>(log()),
        );
        cases.push(match expected {
            Ok(v) => case.returns(v),
            Err(e) => case.fails(e),
        });
    }
    // Amounts below 0 are declined, 5 is busy, others succeed with their amount in the id.
    let charge = || {
        Behaviour::jsonata_response(
            "$ < 0 ? {'throw': {'error': 'PayError.Declined', 'cause': 'negative'}} \
             : $ = 5 ? {'throw': {'error': 'PayError.Busy', 'cause': 'busy'}} \
             : {'return': 'c' & $string($)}",
        )
    };
    for (name, amounts, expected) in [
        ("all ok", json!([1, 20]), Ok(json!(["c1", "big c20"]))),
        (
            "a busy one is caught",
            json!([5, 30]),
            Ok(json!(["busy", "big c30"])),
        ),
        (
            "a declined one fails the Map",
            json!([1, -1, 5]),
            Err("PayError.Declined"),
        ),
        ("none", json!([]), Ok(json!([]))),
    ] {
        let case = Case::new::<ct_guarded_map>(
            &format!("guarded map, {name}"),
            amounts,
            Behaviours::new().on::<ct_charge>(charge()),
        );
        cases.push(match expected {
            Ok(v) => case.returns(v),
            Err(e) => case.fails(e),
        });
    }
    cases
}
