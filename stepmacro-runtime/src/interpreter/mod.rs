//! The local ASL interpreter (in progress).
