//! The `stepmacro` command (in progress).
fn main() {}
