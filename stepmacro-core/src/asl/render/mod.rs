//! Diagrams of a state machine: [`mermaid`] (flowchart) and [`dot`] (Graphviz).
//!
//! Both render the same layout, built once by [`layout`]: one box per state, one subgraph/cluster per
//! Parallel branch or Map processor (nested as the scopes nest), a start marker per scope, an end
//! marker for `"End": true` states, solid edges for `Next`, labelled edges for Choice rules and
//! `Default`, dotted edges labelled with the error names for `Catch`, dashed edges from a
//! Parallel/Map to the start of each of its children. Node ids are assigned in document order, so
//! the output is deterministic. Transitions to states that do not exist in the scope (an invalid
//! machine) are left out.

mod condition;
mod dot;
mod layout;
mod mermaid;

pub use condition::condition_text;
pub use dot::dot;
pub use mermaid::mermaid;
