//! Workflows used by the cross-crate tests.
