//! The local ASL interpreter.

pub mod clock;
pub(crate) mod error;
pub(crate) mod jsonpath;
pub(crate) mod rng;
pub(crate) mod value;
pub(crate) mod intrinsics;
pub(crate) mod jsonata;
pub(crate) mod choice;
pub(crate) mod template;
pub mod history;
pub(crate) mod retry;
pub(crate) mod plan;
