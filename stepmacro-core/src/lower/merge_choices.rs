//! Merges a Choice into the Choice whose `Default` is its only way in.
//!
//! `if a { return .. } if b { return .. } rest` lowers to two Choices, the first defaulting to the
//! second. One Choice with both rules behaves the same (rules are tried in order, and the first
//! Choice's default transition assigns nothing, so the second's conditions see the same variables) and
//! saves a state and a transition — what a hand-written definition does.

use std::collections::BTreeMap;

use crate::asl::{State, States};

/// Applies the merge everywhere, nested machines included.
pub fn merge_chained_choices(start_at: &str, states: &mut States) {
    for (_, state) in states.iter_mut() {
        match state {
            State::Parallel(p) => p
                .branches
                .iter_mut()
                .for_each(|b| merge_chained_choices(&b.start_at, &mut b.states)),
            State::Map(m) => {
                if let Some(ip) = m.item_processor.as_mut() {
                    merge_chained_choices(&ip.start_at, &mut ip.states);
                }
            }
            _ => {}
        }
    }
    while let Some((outer, inner)) = find_pair(start_at, states) {
        let Some(State::Choice(second)) = states.remove(&inner) else {
            unreachable!("found a Choice")
        };
        let Some(State::Choice(first)) = states.get_mut(&outer) else {
            unreachable!("found a Choice")
        };
        first.choices.extend(second.choices);
        first.default = second.default;
        first.assign = second.assign;
    }
}

/// A Choice `outer` whose `Default` (assigning nothing) leads to Choice `inner` that nothing else
/// enters.
fn find_pair(start_at: &str, states: &States) -> Option<(String, String)> {
    let mut incoming: BTreeMap<&str, usize> = BTreeMap::new();
    incoming.insert(start_at, 1);
    for (_, s) in states.iter() {
        for e in s.edges() {
            *incoming.entry(e.target).or_default() += 1;
        }
    }
    for (name, s) in states.iter() {
        let State::Choice(c) = s else { continue };
        let (Some(default), None) = (c.default.as_deref(), c.assign.as_ref()) else {
            continue;
        };
        if default == name || incoming.get(default) != Some(&1) {
            continue;
        }
        if let Some(State::Choice(next)) = states.get(default)
            && next.output.is_none()
            && c.output.is_none()
        {
            return Some((name.to_owned(), default.to_owned()));
        }
    }
    None
}
