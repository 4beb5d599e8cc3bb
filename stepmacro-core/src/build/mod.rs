//! The build.rs driver (being written).

pub mod paths;
