//! Front end: syn items → the workflow IR, with spanned, accumulated diagnostics.

pub mod body;
pub mod diagnostics;
pub mod retry_macro;
pub mod signature;
pub mod syntax;
pub mod task;
pub mod task_error;
pub mod types;
pub mod workflow;

use crate::ir;
use diagnostics::Diagnostics;
use workflow::WorkflowItem;

/// The IR of a workflow; errors go to `diag` (the IR is still returned, minus the rejected parts,
/// so the lowering can report its own errors too).
pub fn parse_workflow(item: &WorkflowItem, diag: &Diagnostics) -> Option<ir::Workflow> {
    let (params, output) = signature::check(&item.func.sig, diag);
    let body = body::BodyParser::new(diag).block(&item.func.block, body::Tail::Return);
    Some(ir::Workflow {
        name: item.ident().clone(),
        params,
        output: output?,
        body,
    })
}
