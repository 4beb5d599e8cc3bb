//! Compiles the crate's `workflow!`s to ASL (workload (b), compiled: `src/compiled.rs`).
fn main() {
    stepmacro_core::build::run();
}
