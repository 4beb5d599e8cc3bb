//! The proc-macro shim of stepmacro. It reads the environment, calls `stepmacro-core`, and returns the
//! tokens; all logic (parsing, validation, code generation) lives in `stepmacro_core::{front, native}`,
//! where unit tests drive it (the sqlx-macros / sqlx-macros-core split).

use proc_macro::TokenStream;
use stepmacro_core::CompileOptions;
use stepmacro_core::native::{self, WorkflowEnv};

/// Marks an `async fn` as a task: a Lambda function and, where a workflow calls it, a `Task` state.
///
/// ```ignore
/// #[task(retry(errors = [ApiError::Timeout], interval_seconds = 2, max_attempts = 4, backoff_rate = 2.0))]
/// async fn callExternalApi(req: ApiRequest) -> Result<ApiResponse, ApiError> { .. }
/// ```
///
/// Options: `name = ".."` (state name), `function = ".."` (Lambda function name or ARN; default: the fn
/// name after the crate-wide `STEPMACRO_FUNCTION_PREFIX`), `timeout_seconds = N`,
/// `heartbeat_seconds = N`, `no_lambda_retry`, and any number of `retry(errors = [..],
/// interval_seconds, max_attempts, backoff_rate, max_delay_seconds, jitter = "FULL" | "NONE")`.
///
/// The function is kept as written; a type of the same name (`struct callExternalApi {}`, which lives in
/// the type namespace only) implements `stepmacro::Task`.
#[proc_macro_attribute]
pub fn task(attr: TokenStream, item: TokenStream) -> TokenStream {
    native::expand_task(attr.into(), item.into(), &CompileOptions::from_env()).into()
}

/// Compiles an `async fn` workflow to ASL and keeps it as a native async fn.
///
/// Emits the function (task calls go through `stepmacro::run_task`, so mocks and retries apply) and a
/// type of the same name implementing `stepmacro::Workflow`, whose `DEFINITION` is the file the build
/// driver (`build.rs`: `fn main() { stepmacro_core::build::run(); }`) wrote.
#[proc_macro]
pub fn workflow(item: TokenStream) -> TokenStream {
    let env = WorkflowEnv {
        out_dir: std::env::var("OUT_DIR").ok(),
    };
    native::expand_workflow(item.into(), &env).into()
}

/// Implements `stepmacro::TaskError` for an enum: error names `Type.Variant`, unless the enum says
/// `#[task_error(prefix = "..")]` (replaces `Type.`) or a variant says `#[task_error(name = "..")]`.
/// Also implements `From<Type> for stepmacro::Failure`. `Display` stays the user's (thiserror or manual).
#[proc_macro_derive(TaskError, attributes(task_error))]
pub fn derive_task_error(item: TokenStream) -> TokenStream {
    native::expand_task_error(item.into()).into()
}
