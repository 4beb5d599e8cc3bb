//! Serving `#[task]`s as AWS Lambda functions through lambda_runtime.
//!
//! Two entry points, for the two ways of packaging:
//!
//! * [`run`]: one binary that knows several tasks and serves the one whose function name is the
//!   deployed function's (`AWS_LAMBDA_FUNCTION_NAME`). Build it under each function name (one `[[bin]]`
//!   per name, all pointing at the same `main.rs`), so `cargo lambda build` writes
//!   `target/lambda/<FunctionName>/bootstrap`, `cargo lambda watch`/`invoke <FunctionName>` find it, and
//!   `cargo lambda deploy <FunctionName>` creates the function the definition calls.
//! * [`serve_task`]: one binary per task (`src/bin/<FunctionName>.rs`), which links only that task.
//!
//! Both behave identically per invocation ([`invoke`]):
//!
//! * the payload is decoded as the contract says (one parameter: the value; several: an object keyed by
//!   parameter names), the task runs, its output is the response;
//! * a task error becomes a Lambda error whose `errorType` is the ASL error name (`Type.Variant`) and
//!   whose `errorMessage` is the error's `Display` text, so the `Cause` Step Functions records is
//!   byte-identical to what [`Failure::from_task_error`](crate::Failure::from_task_error) builds natively
//!   (one source, one behaviour);
//! * a panic becomes [`PANIC`] (`stepmacro.Panic`) with the panic message, a payload that does not
//!   decode becomes [`INVALID_INPUT`] (`stepmacro.InvalidInput`) naming the field and type; lambda_runtime
//!   would otherwise report a Rust type name as `errorType`, which no `Catch` can match;
//! * the process keeps serving after each of them.

mod diagnostic;
mod error;
mod event;
mod invoke;
mod select;

use lambda_runtime::{LambdaEvent, service_fn};

use crate::task::{Task, TaskHandle};

pub use diagnostic::{failure_to_diagnostic, lambda_error_message};
pub use error::ServeError;
pub use event::Payload;
pub use invoke::invoke;
pub use select::{bare_function_name, select_handle};

/// The error name of a task that panicked.
pub const PANIC: &str = "stepmacro.Panic";
/// The error name of a payload that does not decode into the task's parameters.
pub const INVALID_INPUT: &str = "stepmacro.InvalidInput";

/// Serves the task whose function name is the deployed function's name (`AWS_LAMBDA_FUNCTION_NAME`),
/// or the only task when `handles` has one. Runs until the Runtime API goes away.
///
/// # Errors
///
/// A [`ServeError`] at startup (no task for this function name, missing Lambda environment), or when
/// the Runtime API connection fails.
pub async fn run(handles: &[TaskHandle]) -> Result<(), ServeError> {
    let env = error::LambdaEnv::read()?;
    let handle = select_handle(handles, Some(&env.function_name))?;
    serve_handle(handle).await
}

/// Serves one task, for a binary per task: `serve_task::<callExternalApi>().await`.
///
/// # Errors
///
/// As [`run`].
pub async fn serve_task<T: Task>() -> Result<(), ServeError> {
    error::LambdaEnv::read()?;
    serve_handle(T::handle()).await
}

/// The lambda_runtime loop around one handle.
async fn serve_handle(handle: TaskHandle) -> Result<(), ServeError> {
    let service = service_fn(move |event: LambdaEvent<Payload>| invoke(handle, event.payload));
    lambda_runtime::run(service)
        .await
        .map_err(ServeError::Runtime)
}
