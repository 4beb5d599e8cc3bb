//! Workflows used by the cross-crate tests, and the equivalence harness that runs each one natively and
//! on the embedded interpreter with the same task behaviours (design §3, "One source, one behaviour").
//!
//! One file per theme of hand-written workflows; `generated` holds the property-test corpus that
//! `build.rs` writes (from `gen/`) and the stepmacro build driver compiles alongside these.
//!
//! `WORKAROUND(macro-value)`: the compiler rejects a bare `format!(..)`/`vec![..]` as a `let` value or
//! a `match`-arm value ("the macro `format!` cannot run in a state machine", from the concurrency-macro
//! dispatch in `front/body/concurrency.rs::macro_value`), though both are supported expressions; the
//! same macro behind a no-op `.clone()` goes through the expression translator. Drop the `.clone()`s
//! once that is fixed.

pub mod harness;
// Themes of hand-written workflows, each with its equivalence cases (`cases()`).
pub mod branching;
pub mod catches;
pub mod edges;
pub mod expressions;
pub mod fails;
pub mod generated;
pub mod loops;
#[path = "../gen/rng.rs"]
pub mod rng;
pub mod sequences;
pub mod waits;
