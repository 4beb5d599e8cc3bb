//! Rule 14: variable names (identifiers ≤ 80 characters, not `states`, whole variables only) and scopes
//! (an inner scope may read but not assign a name an enclosing scope assigns).
//!
//! Not checked: whether every `$name` read was assigned upstream (AWS's enforcement is unconfirmed,
//! asl-reference §12).

use std::collections::{BTreeMap, BTreeSet};

use super::super::item_processor::ProcessorMode;
use super::super::machine::StateMachine;
use super::super::payload::assigned_name;
use super::super::state::State;
use super::super::walk::{ScopePath, WalkEntry};
use super::inventory::assigns;
use super::{Ctx, Rule};

const MAX_VARIABLE_CHARS: usize = 80;

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    // Names assigned per scope: (name → first assigning state). A Parallel/Map's own Assign and its
    // Catchers run in the scope the Parallel/Map is in, which is where `walk` puts them.
    let mut by_scope: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    // Scopes whose states cannot see outer variables (Distributed Map children).
    let mut isolated: BTreeSet<String> = BTreeSet::new();
    let entries: Vec<WalkEntry<'_>> = machine.walk().collect();
    for at in &entries {
        if let State::Map(m) = at.state
            && m.processor().map(|p| p.mode()) == Some(ProcessorMode::Distributed)
        {
            for child in at.state.children() {
                isolated.insert(at.scope.child(at.name, child.field).to_string());
            }
        }
        for (label, assign) in assigns(at.state) {
            for key in assign.keys() {
                let name = assigned_name(key);
                if let Some(problem) = name_problem(name) {
                    ctx.error(
                        at,
                        Rule::Variables,
                        format!("{label}: variable name {name:?} {problem}"),
                    );
                }
                by_scope
                    .entry(at.scope.to_string())
                    .or_default()
                    .entry(name.to_owned())
                    .or_insert_with(|| at.name.to_owned());
            }
        }
    }
    for at in &entries {
        let mut reported = BTreeSet::new();
        for (label, assign) in assigns(at.state) {
            for key in assign.keys() {
                let name = assigned_name(key);
                if let Some((scope, owner)) =
                    outer_assignment(&at.scope, name, &by_scope, &isolated)
                    && reported.insert(name.to_owned())
                {
                    ctx.error(
                            at,
                            Rule::Variables,
                            format!("{label} assigns {name:?}, which state {owner:?} in the enclosing scope ({scope}) also assigns; inner scopes may read outer variables but not assign them"),
                        );
                }
            }
        }
    }
}

/// The nearest enclosing scope (not crossing a Distributed Map boundary) that assigns `name`.
fn outer_assignment(
    scope: &ScopePath,
    name: &str,
    by_scope: &BTreeMap<String, BTreeMap<String, String>>,
    isolated: &BTreeSet<String>,
) -> Option<(String, String)> {
    let mut path = scope.0.clone();
    while !path.is_empty() {
        if isolated.contains(&ScopePath(path.clone()).to_string()) {
            return None;
        }
        path.pop();
        let outer = ScopePath(path.clone());
        if let Some(owner) = by_scope
            .get(&outer.to_string())
            .and_then(|names| names.get(name))
        {
            return Some((outer.to_string(), owner.clone()));
        }
    }
    None
}

/// Why `name` is not a valid variable name, if it is not.
fn name_problem(name: &str) -> Option<String> {
    if name == "states" {
        return Some("is reserved ($states)".to_owned());
    }
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some("is empty".to_owned());
    };
    if !(first.is_alphabetic() || first == '_') || !chars.all(|c| c.is_alphanumeric() || c == '_') {
        return Some("is not an identifier (a letter or _ followed by letters, digits or _; no paths like x.y or x[0])".to_owned());
    }
    let count = name.chars().count();
    (count > MAX_VARIABLE_CHARS)
        .then(|| format!("has {count} characters (at most {MAX_VARIABLE_CHARS})"))
}
