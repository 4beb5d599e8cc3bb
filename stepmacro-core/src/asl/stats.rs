//! [`stats`]: size figures of a definition (for the CLI and for the 1 MB definition limit).

use super::machine::StateMachine;

/// Size figures of a state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// States in every scope, nested ones included.
    pub states: usize,
    /// `States` objects: the top level plus one per Parallel branch and Map processor.
    pub scopes: usize,
    /// Bytes of [`StateMachine::to_json_pretty`] (what the compiler writes to disk).
    pub definition_bytes: usize,
    /// Bytes of the compact form (closest to what the AWS API measures against its 1 MB limit).
    pub compact_bytes: usize,
}

/// Counts the states and measures the serialised definition.
pub fn stats(machine: &StateMachine) -> Stats {
    Stats {
        states: machine.walk().count(),
        scopes: machine.scopes().len(),
        definition_bytes: machine.to_json_pretty().len(),
        compact_bytes: machine.to_json_compact().len(),
    }
}
