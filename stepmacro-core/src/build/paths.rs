//! Names shared by the build driver, which writes the files, and the `workflow!` macro, which embeds
//! them: one definition of each, so the two cannot drift apart.

/// The file a workflow's definition is written to, in `$OUT_DIR/stepmacro/` (what `workflow!`
/// `include_str!`s) and, when a crate has several workflows, in the stable output directory.
pub fn definition_file_name(workflow: &str) -> String {
    format!("{workflow}.asl.json")
}

/// The `rustc-env` variable through which the build driver tells the crate where the stable copy of a
/// workflow's definition is (`<Workflow>::DEFINITION_FILE`).
pub fn definition_env_var(workflow: &str) -> String {
    format!("STEPMACRO_DEFINITION_FILE_{workflow}")
}

/// Subdirectory of `OUT_DIR` the driver writes into.
pub const OUT_SUBDIR: &str = "stepmacro";

/// In `$OUT_DIR/stepmacro/`: the source files the driver compiled the crate from, one absolute path a
/// line, so that `workflow!` compiles against the same crate context.
pub const SOURCES_LIST: &str = "sources.list";

/// The stable file name when a crate has exactly one workflow.
pub const SINGLE_WORKFLOW_FILE: &str = "state_machine.json";

/// Environment variables the driver and the macros read.
pub mod env {
    /// Overrides the stable output directory.
    pub const OUT_DIR: &str = "STEPMACRO_OUT_DIR";
    /// Prefix of every derived Lambda function name.
    pub const FUNCTION_PREFIX: &str = "STEPMACRO_FUNCTION_PREFIX";
    /// `0` silences the one line per workflow (states, bytes of 1 MB) the driver prints on each build.
    pub const VERBOSE: &str = "STEPMACRO_VERBOSE";
}
