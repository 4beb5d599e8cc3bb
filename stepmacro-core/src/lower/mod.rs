//! Lowering: IR → ASL (JSONata).
//!
//! * `lowerer`: statements → states, folding pure code into `Assign` on the transitions (`edges`).
//! * `states`: the state graph and the state constructors; `task`: Task states and retriers.
//! * `naming`: unique, readable, stable state and variable names.
//! * `expr`/`pattern`/`jsonata`: Rust expressions and patterns → JSONata with Rust semantics.
//! * `jsonpath`: the finished JSONata machine → JSONPath, for `query_language = "JSONPath"`.

pub mod edges;
pub mod expr;
pub mod jsonata;
pub mod jsonpath;
pub mod lowerer;
pub mod merge_choices;
pub mod naming;
pub mod pattern;
pub mod portable_choices;
pub mod prune;
pub mod states;
pub mod task;
