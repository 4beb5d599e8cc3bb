//! The build.rs driver: a crate's whole source in, its workflows' definitions out.
//!
//! A user's `build.rs` is one line:
//!
//! ```ignore
//! fn main() { stepmacro_core::build::run(); }
//! ```
//!
//! It reads every `.rs` file under `src/` (sorted), collects the `#[task]` fns, `#[derive(TaskError)]`
//! enums and serde types (the [`CrateContext`](crate::CrateContext), now complete), compiles every
//! `workflow! { .. }` found at item level (inline modules included), and writes each definition twice:
//!
//! * `$OUT_DIR/stepmacro/<workflow>.asl.json`, which the `workflow!` macro `include_str!`s, so the
//!   program embeds exactly the bytes the build wrote;
//! * a stable copy for deploy tooling, `<target dir>/stepmacro/<package>/state_machine.json` (one
//!   workflow) or `<workflow>.asl.json` each (several), configurable (see [`Builder`]), with a Mermaid
//!   rendering beside it and a `stepmacro-summary.txt`.
//!
//! Files are written only when their bytes change; files an earlier build wrote and this one does not
//! (a renamed or deleted workflow) are removed. Errors are printed as `src/file.rs:LINE:COL: error: ..`
//! (as `cargo:warning`s and on stderr) and fail the build.
//!
//! Why a build script and not the macro: only a build script can write files reliably (a cached macro
//! expansion is not re-run, so a deleted workflow's file would stay), and it sees the whole crate (task
//! attributes in other files, serde renames).

mod builder;
mod collect;
mod diagnostic;
mod output;
pub mod paths;

pub use builder::{BuildError, BuildReport, Builder, WrittenWorkflow};
pub use collect::{CrateSource, FoundWorkflow, rust_files};
pub use diagnostic::{Diagnostic, Level};
pub use output::{OwnedFiles, target_dir, write_if_changed};

/// Runs the driver with the defaults, as a build script's `main`: on errors, prints them and exits
/// with status 1 (a clean failure, without a panic's backtrace noise).
pub fn run() {
    if let Err(e) = Builder::new().run() {
        eprintln!("{e}");
        if let BuildError::Compile(d) = &e {
            eprintln!(
                "stepmacro: {} error{} in the crate's workflows (see above)",
                d.len(),
                if d.len() == 1 { "" } else { "s" }
            );
        }
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;
