//! Rule 10 (exclusive pairs, required alternatives, numeric bounds, Heartbeat < Timeout) and the parts
//! of rule 11 (state-type matrix) that the parser cannot enforce: Resource form and Distributed-only
//! Map fields.

use serde_json::Value;

use super::super::dynamic::NumberOrExpr;
use super::super::item_processor::ProcessorMode;
use super::super::machine::StateMachine;
use super::super::state::State;
use super::super::walk::{ScopePath, WalkEntry};
use super::retry::MAX_SECONDS;
use super::timestamp::is_timestamp;
use super::{Ctx, Rule, integer};

const MAX_BATCH_BYTES: i128 = 262_144;
const MAX_READER_ITEMS: i128 = 100_000_000;
const MAX_LABEL_CHARS: usize = 40;

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    let root = ScopePath::default();
    if let Some(v) = &machine.version
        && v != "1.0"
    {
        ctx.scope_error(
            &root,
            Rule::FieldConstraints,
            format!("Version is {v:?}; the only version is \"1.0\""),
        );
    }
    if machine.timeout_seconds == Some(0) {
        ctx.scope_error(
            &root,
            Rule::FieldConstraints,
            "TimeoutSeconds must be a positive integer",
        );
    }
    for at in machine.walk() {
        match at.state {
            State::Task(t) => {
                exclusive(
                    &at,
                    "TimeoutSeconds",
                    t.timeout_seconds.is_some(),
                    t.timeout_seconds_path.is_some(),
                    ctx,
                );
                exclusive(
                    &at,
                    "HeartbeatSeconds",
                    t.heartbeat_seconds.is_some(),
                    t.heartbeat_seconds_path.is_some(),
                    ctx,
                );
                let timeout = bounded(
                    &at,
                    "TimeoutSeconds",
                    t.timeout_seconds.as_ref(),
                    1,
                    MAX_SECONDS as i128 - 1,
                    ctx,
                );
                let heartbeat = bounded(
                    &at,
                    "HeartbeatSeconds",
                    t.heartbeat_seconds.as_ref(),
                    1,
                    MAX_SECONDS as i128 - 1,
                    ctx,
                );
                if let (Some(h), Some(t)) = (heartbeat, timeout)
                    && h >= t
                {
                    ctx.error(
                        &at,
                        Rule::FieldConstraints,
                        format!("HeartbeatSeconds ({h}) must be less than TimeoutSeconds ({t})"),
                    );
                }
                if !t.resource.starts_with("arn:") {
                    ctx.error(
                        &at,
                        Rule::FieldMatrix,
                        format!("Resource {:?} is not an ARN (arn:...)", t.resource),
                    );
                }
            }
            State::Wait(w) => {
                let timing: Vec<&str> = [
                    ("Seconds", w.seconds.is_some()),
                    ("Timestamp", w.timestamp.is_some()),
                    ("SecondsPath", w.seconds_path.is_some()),
                    ("TimestampPath", w.timestamp_path.is_some()),
                ]
                .into_iter()
                .filter_map(|(n, p)| p.then_some(n))
                .collect();
                match timing.len() {
                    1 => {}
                    0 => ctx.error(
                        &at,
                        Rule::FieldConstraints,
                        "needs one of Seconds, Timestamp, SecondsPath, TimestampPath",
                    ),
                    _ => ctx.error(
                        &at,
                        Rule::FieldConstraints,
                        format!(
                            "has {}; a Wait has exactly one timing field",
                            timing.join(" and ")
                        ),
                    ),
                }
                bounded(&at, "Seconds", w.seconds.as_ref(), 0, i128::MAX, ctx);
                if let Some(ts) = &w.timestamp
                    && !super::super::is_jsonata(ts)
                    && !is_timestamp(ts)
                {
                    ctx.error(&at, Rule::FieldConstraints, format!("Timestamp {ts:?} is not an RFC 3339 timestamp (e.g. \"2026-03-14T01:59:00Z\")"));
                }
            }
            State::Fail(f) => {
                exclusive(&at, "Error", f.error.is_some(), f.error_path.is_some(), ctx);
                exclusive(&at, "Cause", f.cause.is_some(), f.cause_path.is_some(), ctx);
            }
            State::Parallel(p) => {
                if p.branches.is_empty() {
                    ctx.error(&at, Rule::FieldConstraints, "Branches is empty");
                }
            }
            State::Map(m) => check_map(&at, m, ctx),
            State::Pass(_) | State::Choice(_) | State::Succeed(_) => {}
        }
    }
}

fn check_map(at: &WalkEntry<'_>, m: &super::super::map::MapState, ctx: &mut Ctx) {
    match (m.item_processor.is_some(), m.iterator.is_some()) {
        (true, true) => ctx.error(
            at,
            Rule::FieldConstraints,
            "has both ItemProcessor and Iterator (deprecated); use ItemProcessor only",
        ),
        (false, false) => ctx.error(at, Rule::FieldConstraints, "has no ItemProcessor"),
        _ => {}
    }
    if m.item_selector.is_some() && m.parameters.is_some() {
        ctx.error(
            at,
            Rule::FieldConstraints,
            "has both ItemSelector and Parameters (deprecated); use ItemSelector only",
        );
    }
    exclusive(
        at,
        "MaxConcurrency",
        m.max_concurrency.is_some(),
        m.max_concurrency_path.is_some(),
        ctx,
    );
    exclusive(
        at,
        "ToleratedFailurePercentage",
        m.tolerated_failure_percentage.is_some(),
        m.tolerated_failure_percentage_path.is_some(),
        ctx,
    );
    exclusive(
        at,
        "ToleratedFailureCount",
        m.tolerated_failure_count.is_some(),
        m.tolerated_failure_count_path.is_some(),
        ctx,
    );
    bounded(
        at,
        "MaxConcurrency",
        m.max_concurrency.as_ref(),
        0,
        i128::MAX,
        ctx,
    );
    bounded(
        at,
        "ToleratedFailureCount",
        m.tolerated_failure_count.as_ref(),
        0,
        i128::MAX,
        ctx,
    );
    if let Some(NumberOrExpr::Number(n)) = &m.tolerated_failure_percentage
        && n.as_f64().is_none_or(|p| !(0.0..=100.0).contains(&p))
    {
        ctx.error(
            at,
            Rule::FieldConstraints,
            format!("ToleratedFailurePercentage is {n}; it must be between 0 and 100"),
        );
    }
    if let Some(items) = &m.items
        && !matches!(items.as_value(), Value::Array(_) | Value::String(_))
    {
        ctx.error(
            at,
            Rule::FieldConstraints,
            "Items must be an array or a {% %} expression",
        );
    }
    if let Some(b) = &m.item_batcher {
        let fields = [
            b.max_items_per_batch.is_some(),
            b.max_items_per_batch_path.is_some(),
            b.max_input_bytes_per_batch.is_some(),
            b.max_input_bytes_per_batch_path.is_some(),
        ];
        if !fields.contains(&true) {
            ctx.error(
                at,
                Rule::FieldConstraints,
                "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or a …Path)",
            );
        }
        exclusive(
            at,
            "ItemBatcher.MaxItemsPerBatch",
            fields[0],
            fields[1],
            ctx,
        );
        exclusive(
            at,
            "ItemBatcher.MaxInputBytesPerBatch",
            fields[2],
            fields[3],
            ctx,
        );
        bounded(
            at,
            "ItemBatcher.MaxItemsPerBatch",
            b.max_items_per_batch.as_ref(),
            1,
            i128::MAX,
            ctx,
        );
        bounded(
            at,
            "ItemBatcher.MaxInputBytesPerBatch",
            b.max_input_bytes_per_batch.as_ref(),
            1,
            MAX_BATCH_BYTES,
            ctx,
        );
    }
    if let Some(r) = &m.item_reader {
        if let Some(c) = &r.reader_config {
            exclusive(
                at,
                "ItemReader.ReaderConfig.MaxItems",
                c.max_items.is_some(),
                c.max_items_path.is_some(),
                ctx,
            );
            bounded(
                at,
                "ItemReader.ReaderConfig.MaxItems",
                c.max_items.as_ref(),
                0,
                MAX_READER_ITEMS,
                ctx,
            );
        }
        if r.parameters.is_some() && r.arguments.is_some() {
            ctx.error(
                at,
                Rule::FieldConstraints,
                "ItemReader has both Parameters and Arguments",
            );
        }
    }
    if let Some(label) = &m.label
        && label.chars().count() > MAX_LABEL_CHARS
    {
        ctx.error(
            at,
            Rule::FieldConstraints,
            format!("Label is longer than {MAX_LABEL_CHARS} characters"),
        );
    }
    // Rule 11, Distributed-only fields. AWS's exact enforcement is unconfirmed, hence warnings.
    let mode = m.processor().map(|p| p.mode()).unwrap_or_default();
    if mode == ProcessorMode::Inline {
        for (field, present) in [
            ("ItemReader", m.item_reader.is_some()),
            ("ItemBatcher", m.item_batcher.is_some()),
            ("ResultWriter", m.result_writer.is_some()),
            ("Label", m.label.is_some()),
            (
                "ToleratedFailurePercentage",
                m.tolerated_failure_percentage.is_some()
                    || m.tolerated_failure_percentage_path.is_some(),
            ),
            (
                "ToleratedFailureCount",
                m.tolerated_failure_count.is_some() || m.tolerated_failure_count_path.is_some(),
            ),
        ] {
            if present {
                ctx.warn(
                    at,
                    Rule::FieldMatrix,
                    format!("{field} is a Distributed Map field, but the processor Mode is INLINE"),
                );
            }
        }
        if m.processor()
            .and_then(|p| p.processor_config.as_ref())
            .is_some_and(|c| c.execution_type.is_some())
        {
            ctx.warn(
                at,
                Rule::FieldMatrix,
                "ProcessorConfig.ExecutionType applies to DISTRIBUTED mode only",
            );
        }
    }
}

/// Reports `X` together with `XPath`.
fn exclusive(at: &WalkEntry<'_>, field: &str, literal: bool, path: bool, ctx: &mut Ctx) {
    if literal && path {
        ctx.error(
            at,
            Rule::FieldConstraints,
            format!("has both {field} and {field}Path; use one"),
        );
    }
}

/// Checks a literal integer field against `min..=max`; returns its value when it is a valid literal.
fn bounded(
    at: &WalkEntry<'_>,
    field: &str,
    value: Option<&NumberOrExpr>,
    min: i128,
    max: i128,
    ctx: &mut Ctx,
) -> Option<i128> {
    let NumberOrExpr::Number(n) = value? else {
        return None;
    };
    match integer(n) {
        Some(v) if (min..=max).contains(&v) => Some(v),
        Some(v) if max == i128::MAX => {
            ctx.error(
                at,
                Rule::FieldConstraints,
                format!("{field} is {v}; it must be ≥ {min}"),
            );
            None
        }
        Some(v) => {
            ctx.error(
                at,
                Rule::FieldConstraints,
                format!("{field} is {v}; it must be between {min} and {max}"),
            );
            None
        }
        None => {
            ctx.error(
                at,
                Rule::FieldConstraints,
                format!("{field} is {n}; it must be an integer"),
            );
            None
        }
    }
}
