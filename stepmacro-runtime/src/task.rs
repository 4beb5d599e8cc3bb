//! The contract between `#[task]` and everything that runs a task.

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Failure;
use crate::mock;

/// A boxed, sendable future, as task entry points return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One `Retry` entry of a task, as `#[task(retry(..))]` states it. The same values go into the ASL
/// `Retry` field and drive native retries, so a mocked task fails and recovers identically in both runs.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Error names this retrier matches; empty means all (`States.ALL`).
    pub errors: Vec<&'static str>,
    pub interval_seconds: u64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter_full: bool,
}

impl RetryPolicy {
    /// Does this retrier match `error` (exact name, `States.ALL`, or `States.TaskFailed` for anything but
    /// a timeout)?
    pub fn matches(&self, error: &str) -> bool {
        self.errors.is_empty()
            || self.errors.iter().any(|e| {
                *e == error
                    || *e == "States.ALL"
                    || (*e == "States.TaskFailed" && error != "States.Timeout")
            })
    }
}

/// A `#[task]`: the macro implements this on a type named like the task function (the function keeps its
/// name in the value namespace; the type lives in the type namespace).
pub trait Task: Send + Sync + 'static {
    /// The Rust function name (`callExternalApi`).
    const NAME: &'static str;
    /// The Lambda function name (or ARN) the definition invokes.
    const FUNCTION_NAME: &'static str;
    /// Retriers declared on the task, in order (the Lambda transient-error retrier is not listed here:
    /// it only matches `Lambda.*` errors, which a native run never produces).
    fn retry_policies() -> Vec<RetryPolicy> {
        Vec::new()
    }
    /// The parameters as a tuple, `(A,)` or `(A, B, ..)`.
    type Args: Serialize + DeserializeOwned + Send + 'static;
    /// The success value.
    type Output: Serialize + DeserializeOwned + Send + 'static;
    /// What a call expression evaluates to in a workflow body after `?`-adaptation: `Result<Output,
    /// Failure>` for a task returning `Result`, `Output` for an infallible one (whose errors, which only
    /// the platform can raise, propagate like an uncaught `?`).
    type Returned;

    /// Calls the task function itself, turning its error into a [`Failure`].
    fn call(args: Self::Args) -> BoxFuture<'static, Result<Self::Output, Failure>>;

    /// The Lambda payload for these arguments: the value for one parameter, an object keyed by parameter
    /// names for several.
    fn payload(args: &Self::Args) -> Result<Value, Failure>;

    /// The arguments from a Lambda payload; a malformed payload is `stepmacro.InvalidInput`.
    fn args_from_payload(payload: Value) -> Result<Self::Args, Failure>;

    /// See [`Task::Returned`].
    fn adapt(result: Result<Self::Output, Failure>) -> Result<Self::Returned, Failure>;

    /// The task behind a JSON interface, as the interpreter and the Lambda server call it.
    fn handle() -> TaskHandle {
        TaskHandle {
            name: Self::NAME,
            function_name: Self::FUNCTION_NAME,
            invoke: |payload| {
                Box::pin(async move {
                    let args = Self::args_from_payload(payload)?;
                    let out = Self::call(args).await?;
                    serde_json::to_value(out)
                        .map_err(|e| Failure::new("stepmacro.InvalidOutput", e.to_string()))
                })
            },
        }
    }
}

/// A task behind a JSON interface: payload in, result or [`Failure`] out.
#[derive(Clone, Copy)]
pub struct TaskHandle {
    pub name: &'static str,
    pub function_name: &'static str,
    pub invoke: fn(Value) -> BoxFuture<'static, Result<Value, Failure>>,
}

impl std::fmt::Debug for TaskHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskHandle")
            .field("name", &self.name)
            .field("function_name", &self.function_name)
            .finish()
    }
}

/// Decodes a payload into `T`, naming the field and type that were wrong (`stepmacro.InvalidInput`).
pub fn decode_payload<T: DeserializeOwned>(payload: Value) -> Result<T, Failure> {
    serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = if path == "." || path.is_empty() {
            inner.to_string()
        } else {
            format!("at `{path}`: {inner}")
        };
        Failure::new("stepmacro.InvalidInput", msg)
    })
}

/// How a workflow body calls a task natively (the `workflow!` macro rewrites `task(a, b).await` into this):
/// a mocked behaviour when the current run has one for the task's function name, the real function
/// otherwise; then the task's `Retry` policies, applied as Step Functions applies them (no real sleeping:
/// native runs, like the interpreter's virtual clock, do not wait).
pub async fn run_task<T: Task>(args: T::Args) -> Result<T::Output, Failure> {
    run_task_with::<T>(args, Vec::new()).await
}

/// [`run_task`] under extra retriers tried before the task's own (`retry!(.. => task(a))`: the Task's
/// `Retry` is the `retry!` policies followed by the task's).
pub async fn run_task_with<T: Task>(
    args: T::Args,
    first: Vec<RetryPolicy>,
) -> Result<T::Output, Failure> {
    let mut retry = first;
    retry.extend(T::retry_policies());
    let mut attempts = vec![0u32; retry.len()];
    loop {
        let result = match mock::current() {
            Some(mocks) if mocks.has(T::FUNCTION_NAME) => {
                let payload = T::payload(&args)?;
                match mocks.call(T::FUNCTION_NAME, payload).await {
                    Ok(v) => serde_json::from_value::<T::Output>(v)
                        .map_err(|e| Failure::new("stepmacro.InvalidOutput", e.to_string())),
                    Err(f) => Err(f),
                }
            }
            _ => {
                // Arguments are re-used across retries: round-trip through JSON, as a re-invoked Lambda
                // re-reads its payload.
                let copy = serde_json::to_value(&args)
                    .and_then(serde_json::from_value)
                    .map_err(|e| Failure::new("stepmacro.InvalidInput", e.to_string()))?;
                T::call(copy).await
            }
        };
        match result {
            Ok(v) => return Ok(v),
            // Retried as the Task's Retry would; its attempts are counted per state visit.
            Err(f) if crate::concurrency::retry_decision(&retry, &mut attempts, &f) => {}
            Err(f) => return Err(f),
        }
    }
}
