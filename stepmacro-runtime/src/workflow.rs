//! The contract between `workflow!` and the things that run a workflow.

use serde_json::Value;

use crate::Failure;
use crate::task::{BoxFuture, TaskHandle};

/// A compiled workflow. `workflow! { async fn create_order(..) }` implements it on a type named
/// `create_order` (type namespace; the function keeps the value namespace).
pub trait Workflow: 'static {
    /// The workflow function's name.
    const NAME: &'static str;
    /// The ASL definition, byte-identical to the file `cargo build` writes.
    const DEFINITION: &'static str;

    /// Every task the workflow calls, for in-process resolution by the interpreter.
    fn tasks() -> Vec<TaskHandle>;

    /// Runs the workflow natively: the input is decoded as the state machine's input would be (one
    /// parameter = the value, several = an object keyed by parameter names) and the output encoded.
    fn run_native(input: Value) -> BoxFuture<'static, Result<Value, Failure>>;
}
