//! Front end: syn items → the workflow IR, with spanned, accumulated diagnostics.

pub mod task;
pub mod task_error;
pub mod types;
pub mod workflow;
