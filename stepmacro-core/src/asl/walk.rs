//! Recursive traversal: every scope (`States` object) and every state, with its [`ScopePath`].

use std::fmt;

use super::machine::StateMachine;
use super::query_language::QueryLanguage;
use super::state::{ChildField, State};
use super::states::States;

/// One step into a nested machine: the Parallel/Map state's name and which child.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScopeSegment {
    pub state: String,
    pub field: ChildField,
}

/// Where a `States` object sits: empty for the top level, else the chain of nested machines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ScopePath(pub Vec<ScopeSegment>);

impl ScopePath {
    /// Whether this is the top-level scope.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The path one level deeper.
    pub fn child(&self, state: &str, field: ChildField) -> ScopePath {
        let mut segments = self.0.clone();
        segments.push(ScopeSegment {
            state: state.to_owned(),
            field,
        });
        ScopePath(segments)
    }
}

impl fmt::Display for ScopePath {
    /// `top level`, or e.g. `Enrich.ItemProcessor > Lookups.Branches[0]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("top level");
        }
        for (i, seg) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" > ")?;
            }
            write!(f, "{}.{}", seg.state, seg.field)?;
        }
        Ok(())
    }
}

/// One `States` object of the machine.
#[derive(Debug, Clone)]
pub struct ScopeRef<'a> {
    pub path: ScopePath,
    pub start_at: &'a str,
    pub states: &'a States,
}

/// One state of the machine, with where it is and the language it is written in.
#[derive(Debug, Clone)]
pub struct WalkEntry<'a> {
    pub scope: ScopePath,
    pub name: &'a str,
    pub state: &'a State,
    /// The state's effective query language.
    pub query_language: QueryLanguage,
}

impl StateMachine {
    /// Every scope, depth-first in document order, the top level first.
    pub fn scopes(&self) -> Vec<ScopeRef<'_>> {
        let mut out = Vec::new();
        collect_scopes(ScopePath::default(), &self.start_at, &self.states, &mut out);
        out
    }

    /// Every state (recursively), depth-first pre-order in document order: a Parallel/Map comes right
    /// before the states of its branches/processor.
    pub fn walk(&self) -> impl Iterator<Item = WalkEntry<'_>> {
        let default = self.query_language();
        let mut out = Vec::new();
        walk_states(&ScopePath::default(), &self.states, default, &mut out);
        out.into_iter()
    }
}

fn collect_scopes<'a>(
    path: ScopePath,
    start_at: &'a str,
    states: &'a States,
    out: &mut Vec<ScopeRef<'a>>,
) {
    out.push(ScopeRef {
        path: path.clone(),
        start_at,
        states,
    });
    for (name, state) in states.iter() {
        for child in state.children() {
            collect_scopes(
                path.child(name, child.field),
                child.start_at,
                child.states,
                out,
            );
        }
    }
}

fn walk_states<'a>(
    path: &ScopePath,
    states: &'a States,
    default: QueryLanguage,
    out: &mut Vec<WalkEntry<'a>>,
) {
    for (name, state) in states.iter() {
        out.push(WalkEntry {
            scope: path.clone(),
            name,
            state,
            query_language: state.effective_query_language(default),
        });
        for child in state.children() {
            walk_states(&path.child(name, child.field), child.states, default, out);
        }
    }
}
