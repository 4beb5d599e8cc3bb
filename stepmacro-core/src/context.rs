//! What the compiler knows about the crate around a workflow.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::front::task::TaskDef;
use crate::front::task_error::ErrorTypeDef;
use crate::front::types::TypeRegistry;

/// Crate-wide settings of the build driver.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// Prepended to every derived Lambda function name (`STEPMACRO_FUNCTION_PREFIX`).
    pub function_prefix: String,
}

impl CompileOptions {
    /// The options as the environment of a build script or a macro expansion sets them, so that the
    /// `#[task]` and `workflow!` macros derive the names the build driver derives.
    pub fn from_env() -> Self {
        CompileOptions {
            function_prefix: std::env::var(crate::build::paths::env::FUNCTION_PREFIX)
                .unwrap_or_default(),
        }
    }
}

/// Everything the compiler may consult beyond the workflow itself: the crate's tasks, error enums and
/// serde types. The build driver fills it from the whole crate; the proc macro, which sees only the
/// workflow, compiles against an empty context to report errors with spans (its definition output is
/// not used).
#[derive(Clone, Debug, Default)]
pub struct CrateContext {
    pub tasks: BTreeMap<String, TaskDef>,
    pub errors: BTreeMap<String, ErrorTypeDef>,
    pub types: TypeRegistry,
    pub options: CompileOptions,
    /// When false (the macro's view), unknown tasks and types are assumed well-formed instead of
    /// reported: the build driver, which sees the crate, reports them.
    pub complete: bool,
    /// The error names the compiler assumed (`Type.Variant`) for error types not among `errors` (an
    /// enum of another crate), in the order it met them: `workflow!` checks them at compile time
    /// against `TaskError::ERROR_NAMES`, since a renamed variant would otherwise be caught under the
    /// wrong name in ASL only.
    pub assumed_error_names: RefCell<Vec<AssumedErrorName>>,
}

/// One `Type::Variant` whose ASL name the compiler assumed rather than read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumedErrorName {
    /// The path as written (`other::ApiError::Timeout`): the type is all but the last segment.
    pub path: Vec<String>,
    /// The name written into the definition: `Type.Variant`.
    pub name: String,
}
