//! The typed ASL model (in progress).
