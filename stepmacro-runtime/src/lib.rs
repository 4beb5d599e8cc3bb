//! stepmacro's runtime: what generated code and users call at run time.
//!
//! * [`Failure`], [`TaskError`], [`Task`], [`Workflow`]: the contracts between `#[task]`, `workflow!`
//!   and everything that runs them (natively, on the local interpreter, or on AWS Lambda).
//! * [`prelude`]: the names a workflow body uses (`sleep`, `join!`, `map!`, `retry!`, ...), with real
//!   native behaviour.
//! * [`mock`]: task behaviours stated once, used by native runs and by the interpreter alike.
//! * `interpreter` (feature `interpreter`): a local ASL interpreter with a virtual clock and history.
//! * `serve` (feature `lambda`): serving tasks as AWS Lambda functions through lambda_runtime.

mod concurrency;
mod error_names;
mod failure;
pub mod mock;
pub mod prelude;
mod task;
mod workflow;

#[cfg(feature = "interpreter")]
pub mod interpreter;
#[cfg(feature = "interpreter")]
pub mod mock_file;
#[cfg(feature = "lambda")]
pub mod serve;

pub use failure::{Failure, TaskError, lambda_cause};
pub use stepmacro_core::asl;
pub use task::{RetryPolicy, Task, TaskHandle, run_task};
pub use workflow::Workflow;

/// Re-exports for generated code. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use futures;
    pub use serde;
    pub use serde_json;
    pub use tokio;

    pub use crate::concurrency::{map_items, retry_decision};
    pub use crate::error_names::error_name_is;
    pub use crate::prelude::sleep_until_checked;
    pub use crate::task::{BoxFuture, decode_payload, run_task_with};

    /// Stands in for a construct whose compile errors the macro already reported, with a type that
    /// fits anywhere a `Result<T, Failure>` is expected, so rustc adds no errors of its own. The
    /// crate does not compile, so it never runs.
    pub fn reported_error<T>() -> Result<T, crate::Failure> {
        Err(crate::Failure::new(
            "stepmacro.CompileError",
            "this construct did not compile",
        ))
    }
}
