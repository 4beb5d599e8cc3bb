//! The local ASL interpreter.

pub mod clock;
pub(crate) mod error;
pub(crate) mod jsonpath;
pub(crate) mod rng;
pub(crate) mod value;
pub(crate) mod intrinsics;
pub(crate) mod jsonata;
