//! Drops assignments nobody reads.
//!
//! Folding `let`s into transitions carries every binding forward, including the workflow parameters
//! that the first state absorbed and values only a finished branch used. A variable that no expression
//! of the definition mentions is dead; removing it keeps the definition lean and variable payloads
//! small (ASL caps them at 256 KiB per `Assign`). Repeats until nothing changes, since removing one
//! assignment can make another dead.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::asl::{Assign, State, StateMachine};

pub fn prune_dead_assignments(machine: &mut StateMachine) {
    loop {
        let used = referenced_variables(machine);
        if !prune_states(&mut machine.states, &used) {
            return;
        }
    }
}

/// Removes unread assignments in `states` and the machines nested in them; true if any was removed.
fn prune_states(states: &mut crate::asl::States, used: &BTreeSet<String>) -> bool {
    let mut changed = false;
    for (_, state) in states.iter_mut() {
        match state {
            State::Parallel(p) => {
                for b in p.branches.iter_mut() {
                    changed |= prune_states(&mut b.states, used);
                }
            }
            State::Map(m) => {
                if let Some(ip) = m.item_processor.as_mut() {
                    changed |= prune_states(&mut ip.states, used);
                }
            }
            _ => {}
        }
        for assign in assigns_mut(state) {
            if let Some(map) = assign {
                let before = map.len();
                map.retain(|k, _| used.contains(k.as_str()));
                changed |= map.len() != before;
                if map.is_empty() {
                    *assign = None;
                }
            }
        }
    }
    changed
}

/// Every `$name` read by a string of the definition, outside the Assign keys themselves.
fn referenced_variables(machine: &StateMachine) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let value = serde_json::to_value(machine).expect("a machine serialises");
    collect(&value, &mut out);
    out
}

fn collect(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => scan(s, out),
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        Value::Object(m) => m.values().for_each(|x| collect(x, out)),
        _ => {}
    }
}

/// `$ident` occurrences (an over-approximation: a `$x` inside a string literal also counts, which only
/// keeps a variable alive).
fn scan(s: &str, out: &mut BTreeSet<String>) {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while let Some(&(j, d)) = chars.peek() {
            if d.is_alphanumeric() || d == '_' {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        if end > start {
            out.insert(s[start..end].to_owned());
        }
    }
}

fn assigns_mut(state: &mut State) -> Vec<&mut Option<Assign>> {
    match state {
        State::Task(s) => std::iter::once(&mut s.assign)
            .chain(s.catch.iter_mut().map(|c| &mut c.assign))
            .collect(),
        State::Parallel(s) => std::iter::once(&mut s.assign)
            .chain(s.catch.iter_mut().map(|c| &mut c.assign))
            .collect(),
        State::Map(s) => std::iter::once(&mut s.assign)
            .chain(s.catch.iter_mut().map(|c| &mut c.assign))
            .collect(),
        State::Choice(s) => std::iter::once(&mut s.assign)
            .chain(s.choices.iter_mut().map(|r| &mut r.assign))
            .collect(),
        State::Pass(s) => vec![&mut s.assign],
        State::Wait(s) => vec![&mut s.assign],
        State::Succeed(_) | State::Fail(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_variable_references() {
        let mut out = BTreeSet::new();
        scan("{% $a + $states.input.b & $c_1 %}", &mut out);
        assert_eq!(
            out.into_iter().collect::<Vec<_>>(),
            vec!["a", "c_1", "states"]
        );
    }
}
