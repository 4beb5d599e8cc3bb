//! Task states: `arn:aws:states:::lambda:invoke` with a `FunctionName`, the task's retriers, timeouts.

use proc_macro2::Span;
use serde_json::{Value, json};

use crate::asl::{JitterStrategy, Json, NumberOrExpr, Retrier, State, TaskState};
use crate::context::{CompileOptions, CrateContext};
use crate::front::diagnostics::Diagnostics;
use crate::front::task::{ErrorRef, Jitter, RetryDef, TaskDef};

/// The optimized Lambda integration: the definition names functions, not account ARNs, so it deploys to
/// any account.
pub const LAMBDA_INVOKE: &str = "arn:aws:states:::lambda:invoke";

/// Lambda's transient service errors, retried as AWS recommends for `lambda:invoke`.
pub const LAMBDA_TRANSIENT: [&str; 4] = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

/// The Lambda function name the definition calls for this task.
pub fn function_name(def: &TaskDef, options: &CompileOptions) -> String {
    def.function_name(options)
}

/// The ASL error name of `Type::Variant`: the `#[derive(TaskError)]` of this crate says, else the
/// default `Type.Variant`, recorded in `ctx.assumed_error_names` for `workflow!` to check.
pub fn error_name(path: &[String], span: Span, ctx: &CrateContext, diag: &Diagnostics) -> String {
    let n = path.len();
    if n < 2 {
        diag.error(span, "name the error with its type: `Error::Variant`");
        return String::new();
    }
    let (ty, variant) = (&path[n - 2], &path[n - 1]);
    if let Some(def) = ctx.errors.get(ty) {
        if let Some((_, name)) = def.variants.iter().find(|(v, _)| v == variant) {
            return name.clone();
        }
        diag.error(span, format!("`{ty}` has no variant `{variant}`"));
        return format!("{ty}.{variant}");
    }
    let name = format!("{ty}.{variant}");
    ctx.assumed_error_names
        .borrow_mut()
        .push(crate::context::AssumedErrorName {
            path: path.to_vec(),
            name: name.clone(),
        });
    name
}

/// The Task state (no `Next`/`End` yet).
pub fn task_state(
    def: Option<&TaskDef>,
    function: &str,
    payload: &str,
    ctx: &CrateContext,
    diag: &Diagnostics,
) -> State {
    let arguments = json!({ "FunctionName": function, "Payload": payload });
    let mut state = TaskState {
        resource: LAMBDA_INVOKE.to_owned(),
        arguments: Some(Json(arguments)),
        ..Default::default()
    };
    if let Some(def) = def {
        state.retry = retriers(def, ctx, diag);
        state.timeout_seconds = def.timeout_seconds.map(|t| NumberOrExpr::Number(t.into()));
        state.heartbeat_seconds = def
            .heartbeat_seconds
            .map(|t| NumberOrExpr::Number(t.into()));
    }
    State::Task(state)
}

/// The task's retriers in force, in order: AWS's recommended retrier for Lambda's transient errors
/// first (unless the task opts out, or one of its own retriers already covers every error, which would
/// otherwise lose attempts to it), then the task's own. The one list both the definition's `Retry` and
/// the native `Task::retry_policies` are made from.
pub fn effective_retry(def: &TaskDef) -> Vec<RetryDef> {
    let covers_all = def.retry.iter().any(|r| {
        r.errors.is_empty()
            || r.errors.iter().any(|e| matches!(e, ErrorRef::Name(n) if n == crate::asl::STATES_ALL || n == "States.TaskFailed"))
    });
    let mut out = Vec::new();
    if def.lambda_retry && !covers_all {
        out.push(RetryDef {
            errors: LAMBDA_TRANSIENT
                .iter()
                .map(|s| ErrorRef::Name(s.to_string()))
                .collect(),
            interval_seconds: Some(1),
            max_attempts: Some(3),
            backoff_rate: Some(2.0),
            max_delay_seconds: None,
            jitter: Some(Jitter::Full),
        });
    }
    out.extend(def.retry.iter().cloned());
    out
}

/// The task's `Retry` field (see [`effective_retry`]).
pub fn retriers(def: &TaskDef, ctx: &CrateContext, diag: &Diagnostics) -> Vec<Retrier> {
    effective_retry(def)
        .iter()
        .map(|r| retrier(r, ctx, diag))
        .collect()
}

/// One `retry(..)` as an ASL retrier.
pub fn retrier(r: &RetryDef, ctx: &CrateContext, diag: &Diagnostics) -> Retrier {
    let error_equals = if r.errors.is_empty() {
        vec![crate::asl::STATES_ALL.to_owned()]
    } else {
        r.errors
            .iter()
            .map(|e| match e {
                ErrorRef::Name(n) => n.clone(),
                ErrorRef::Path(p) => error_name(p, Span::call_site(), ctx, diag),
            })
            .collect()
    };
    Retrier {
        error_equals,
        interval_seconds: r.interval_seconds.map(|v| v as i64),
        max_attempts: r.max_attempts.map(i64::from),
        backoff_rate: r.backoff_rate.and_then(|b| match Value::from(b) {
            Value::Number(n) => Some(n),
            _ => None,
        }),
        max_delay_seconds: r.max_delay_seconds.map(|v| v as i64),
        jitter_strategy: r.jitter.map(|j| match j {
            Jitter::Full => JitterStrategy::Full,
            Jitter::None => JitterStrategy::None,
        }),
        ..Default::default()
    }
}
