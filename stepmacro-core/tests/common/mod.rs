//! Builds a `CrateContext` from a source file exactly as the build driver does (its `CrateSource`), for
//! compiler tests.

use stepmacro_core::CrateContext;
use stepmacro_core::build::CrateSource;
use stepmacro_core::front::workflow::WorkflowItem;

pub fn ctx_from(src: &str) -> (CrateContext, Vec<WorkflowItem>) {
    let mut source = CrateSource::default();
    source.context.complete = true;
    source.add_source(std::path::Path::new("src/lib.rs"), src);
    let errors: Vec<String> = source.errors.iter().map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let workflows = source.workflows.into_iter().map(|w| w.item).collect();
    (source.context, workflows)
}
