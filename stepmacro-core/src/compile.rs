//! The compiler's entry point: one workflow in, one ASL definition out.

use crate::context::CrateContext;
use crate::front::workflow::WorkflowItem;

/// A compiled workflow.
#[derive(Clone, Debug)]
pub struct CompiledWorkflow {
    /// The workflow function's name.
    pub name: String,
    /// The definition as rendered into `json` (pretty, deterministic).
    pub json: String,
    /// Lambda function names of the tasks it calls, sorted, deduplicated.
    pub task_functions: Vec<String>,
    /// Rust names of the tasks it calls, sorted, deduplicated.
    pub task_idents: Vec<String>,
    /// Number of states, nested ones included.
    pub state_count: usize,
}

/// Compiles a workflow against what is known about its crate. All errors of the workflow come back
/// together in one `syn::Error` (iterate it for each span).
pub fn compile_workflow(item: &WorkflowItem, ctx: &CrateContext) -> Result<CompiledWorkflow, syn::Error> {
    let _ = ctx;
    Err(syn::Error::new(item.ident().span(), "the stepmacro compiler is being written"))
}
