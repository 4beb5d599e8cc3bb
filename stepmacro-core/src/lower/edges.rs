//! Open transitions of the state graph under construction.
//!
//! The lowering never emits a Pass per `let`: a pure assignment is folded into the `Assign` of the
//! transition that reaches the next state (a Task's success, a Choice rule, a Choice default, a
//! Catcher). Each open [`Edge`] carries that `Assign` as a *simultaneous* assignment whose values are
//! JSONata over the source state's entry-time variables (and `$states.result` / `$states.errorOutput`),
//! exactly ASL's evaluation rule; a later `let y = f(x)` is composed into it by substituting `x`'s
//! pending value.

use std::collections::BTreeMap;

/// Where an edge leaves its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// `Next` of a Task/Pass/Wait/Parallel/Map.
    Next,
    /// `Choices[i].Next`.
    Rule(usize),
    /// A Choice's `Default`.
    Default,
    /// `Catch[i].Next`.
    Catch(usize),
    /// The execution's start: no state yet. Its assignments can be absorbed by the first state, whose
    /// `$states.input` is the execution input.
    Start,
}

/// A dangling transition.
#[derive(Clone, Debug)]
pub struct Edge {
    /// Source state name (empty for [`Slot::Start`]).
    pub from: String,
    pub slot: Slot,
    /// Pending assignments: ASL variable → JSONata code.
    pub assign: BTreeMap<String, String>,
}

impl Edge {
    pub fn new(from: &str, slot: Slot) -> Self {
        Edge {
            from: from.to_owned(),
            slot,
            assign: BTreeMap::new(),
        }
    }

    pub fn start() -> Self {
        Edge::new("", Slot::Start)
    }

    /// The code for variable `var` after this edge: its pending value, or the variable itself.
    pub fn value_of(&self, var: &str) -> String {
        match self.assign.get(var) {
            Some(code) if is_atom(code) => code.clone(),
            Some(code) => format!("({code})"),
            None => format!("${var}"),
        }
    }
}

/// A variable path like `$states.result.Payload` needs no parentheses.
fn is_atom(code: &str) -> bool {
    code.starts_with('$')
        && code[1..]
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}
