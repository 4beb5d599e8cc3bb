//! The crate's serde types as the expression translator sees them (placeholder; being written).

/// A Rust type, as far as JSONata translation needs it.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Unknown,
}

/// Serde-visible shapes of the crate's own types.
#[derive(Clone, Debug, Default)]
pub struct TypeRegistry {}
