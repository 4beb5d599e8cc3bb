//! `#[derive(TaskError)]`: the ASL error names of an error enum's variants.

/// An error enum's variants and their ASL names (`Type.Variant` unless `#[task_error(name = "..")]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorTypeDef {
    pub ident: String,
    /// (variant ident, ASL error name), in declaration order.
    pub variants: Vec<(String, String)>,
}
