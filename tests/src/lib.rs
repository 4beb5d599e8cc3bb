//! Workflows used by the cross-crate tests, and the equivalence harness that runs each one natively and
//! on the embedded interpreter with the same task behaviours (design §3, "One source, one behaviour").
//!
//! One file per theme of hand-written workflows; `generated` holds the property-test corpus that
//! `build.rs` writes (from `gen/`) and the stepmacro build driver compiles alongside these.

pub mod harness;
// Themes of hand-written workflows, each with its equivalence cases (`cases()`).
pub mod branching;
pub mod catches;
pub mod edges;
pub mod expressions;
pub mod fails;
pub mod generated;
// Workflows compiled with `query_language = "JSONPath"`.
pub mod jsonpath;
pub mod loops;
#[path = "../gen/rng.rs"]
pub mod rng;
pub mod sequences;
pub mod waits;
