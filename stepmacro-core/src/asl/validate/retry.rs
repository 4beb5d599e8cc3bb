//! Rule 9: Retry and Catch entries: non-empty `ErrorEquals`, `States.ALL` alone and last, retrier bounds
//! (asl-reference §6.2). `JitterStrategy` values are enforced while parsing.

use super::super::machine::StateMachine;
use super::super::retry::STATES_ALL;
use super::super::walk::WalkEntry;
use super::{Ctx, Rule};

/// Error names the service defines (`States.` is reserved).
const STATES_ERRORS: &[&str] = &[
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.IntrinsicFailure",
    "States.NoChoiceMatched",
    "States.BranchFailed",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.QueryEvaluationError",
    "States.DataLimitExceeded",
    "States.Runtime",
    "States.Http.Socket",
];

/// Exclusive upper bound of `IntervalSeconds`/`MaxAttempts` (and task timeouts).
pub(crate) const MAX_SECONDS: i64 = 99_999_999;
const MAX_DELAY_SECONDS: i64 = 31_622_400;

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    for at in machine.walk() {
        let retriers = at.state.retry();
        for (i, r) in retriers.iter().enumerate() {
            let label = format!("Retry[{i}]");
            check_error_equals(
                &at,
                &label,
                &r.error_equals,
                i + 1 == retriers.len(),
                "retrier",
                ctx,
            );
            if let Some(v) = r.interval_seconds
                && !(1..MAX_SECONDS).contains(&v)
            {
                ctx.error(&at, Rule::RetryCatch, format!("{label}.IntervalSeconds is {v}; it must be an integer ≥ 1 and < {MAX_SECONDS}"));
            }
            if let Some(v) = r.max_attempts
                && !(0..MAX_SECONDS).contains(&v)
            {
                ctx.error(
                    &at,
                    Rule::RetryCatch,
                    format!(
                        "{label}.MaxAttempts is {v}; it must be an integer ≥ 0 and < {MAX_SECONDS}"
                    ),
                );
            }
            if let Some(n) = &r.backoff_rate
                && n.as_f64().is_none_or(|f| f < 1.0)
            {
                ctx.error(
                    &at,
                    Rule::RetryCatch,
                    format!("{label}.BackoffRate is {n}; it must be ≥ 1.0"),
                );
            }
            if let Some(v) = r.max_delay_seconds
                && !(1..=MAX_DELAY_SECONDS).contains(&v)
            {
                ctx.error(&at, Rule::RetryCatch, format!("{label}.MaxDelaySeconds is {v}; it must be between 1 and {MAX_DELAY_SECONDS}"));
            }
        }
        let catchers = at.state.catch();
        for (i, c) in catchers.iter().enumerate() {
            let label = format!("Catch[{i}]");
            check_error_equals(
                &at,
                &label,
                &c.error_equals,
                i + 1 == catchers.len(),
                "catcher",
                ctx,
            );
        }
    }
}

fn check_error_equals(
    at: &WalkEntry<'_>,
    label: &str,
    names: &[String],
    last: bool,
    what: &str,
    ctx: &mut Ctx,
) {
    if names.is_empty() {
        ctx.error(
            at,
            Rule::RetryCatch,
            format!("{label}.ErrorEquals is empty"),
        );
        return;
    }
    for name in names {
        if name.is_empty() {
            ctx.error(
                at,
                Rule::RetryCatch,
                format!("{label}.ErrorEquals contains an empty error name"),
            );
        } else if name.starts_with("States.") && !STATES_ERRORS.contains(&name.as_str()) {
            ctx.warn(at, Rule::RetryCatch, format!("{label}.ErrorEquals: {name:?} is not an error the service defines (the States. prefix is reserved)"));
        }
    }
    if names.iter().any(|n| n == STATES_ALL) {
        if names.len() > 1 {
            ctx.error(
                at,
                Rule::RetryCatch,
                format!("{label}.ErrorEquals: States.ALL must appear alone"),
            );
        }
        if !last {
            ctx.error(
                at,
                Rule::RetryCatch,
                format!("{label}: a {what} matching States.ALL must be the last one"),
            );
        }
    }
}
