//! stepmacro's compiler and ASL model.
//!
//! The pipeline, one module per stage:
//!
//! * [`asl`]: the typed Amazon States Language model (serde), static validation, rendering.
//! * [`deploy`]: deploy artifacts derived from a definition (the role's IAM policy, a SAM template).
//! * `front`: syn items → workflow IR, with spanned, accumulated diagnostics.
//! * `ir`: the workflow IR.
//! * `lower`: IR → ASL state graph (JSONata), expression translation, naming.
//! * `build`: the build.rs driver that compiles every workflow of a crate and writes the files.
//!
//! Everything but [`asl`] sits behind the `compiler` feature, so the runtime's interpreter can use the
//! model without syn.

pub mod asl;
pub mod deploy;

#[cfg(feature = "compiler")]
mod context;
#[cfg(feature = "compiler")]
pub mod front;
#[cfg(feature = "compiler")]
pub mod ir;
#[cfg(feature = "compiler")]
pub use context::{CompileOptions, CrateContext};
#[cfg(feature = "compiler")]
mod compile;
#[cfg(feature = "compiler")]
pub use compile::{CompiledWorkflow, compile_workflow};
#[cfg(feature = "compiler")]
pub mod build;
#[cfg(feature = "compiler")]
pub mod lower;
#[cfg(feature = "compiler")]
pub mod native;
