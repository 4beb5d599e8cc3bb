//! The state graph of each scope: rules 1 (StartAt), 4 (transitions stay in scope), 5 (Next xor End),
//! 6 (a terminal state exists) and 7 (reachability).

use std::collections::{BTreeSet, VecDeque};

use super::super::machine::StateMachine;
use super::super::state::{Edge, EdgeKind, State};
use super::super::walk::{ScopeRef, WalkEntry};
use super::{Ctx, Rule};

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    let scopes = machine.scopes();
    let default_ql = machine.query_language();
    for scope in &scopes {
        check_start(scope, &scopes, ctx);
        let mut any_terminal = false;
        for (name, state) in scope.states.iter() {
            let at = WalkEntry {
                scope: scope.path.clone(),
                name,
                state,
                query_language: state.effective_query_language(default_ql),
            };
            check_next_or_end(&at, ctx);
            for edge in state.edges() {
                if !scope.states.contains(edge.target) {
                    let mut message = format!(
                        "{} {:?} does not name a state in this scope",
                        describe(&edge),
                        edge.target
                    );
                    if let Some(other) = scopes.iter().find(|s| s.states.contains(edge.target)) {
                        let place = if other.path.is_root() {
                            "the top level".to_owned()
                        } else {
                            other.path.to_string()
                        };
                        message.push_str(&format!(
                            " (it is in {place}; transitions cannot cross scope boundaries)"
                        ));
                    }
                    ctx.error(&at, Rule::TransitionScope, message);
                }
            }
            any_terminal |= state.is_terminal();
        }
        if !scope.states.is_empty() && !any_terminal {
            ctx.scope_error(
                &scope.path,
                Rule::Terminal,
                "no terminal state (a state with \"End\": true, a Succeed or a Fail state)",
            );
        }
        check_reachability(scope, default_ql, ctx);
    }
}

/// How an edge is written, for messages: `Next`, `Choices[0].Next`, `Default`, `Catch[1].Next`.
pub(crate) fn describe(edge: &Edge<'_>) -> String {
    match edge.kind {
        EdgeKind::Next => "Next".to_owned(),
        EdgeKind::Rule(i, _) => format!("Choices[{i}].Next"),
        EdgeKind::Default => "Default".to_owned(),
        EdgeKind::Catch(i, _) => format!("Catch[{i}].Next"),
    }
}

fn check_start(scope: &ScopeRef<'_>, all: &[ScopeRef<'_>], ctx: &mut Ctx) {
    if scope.states.is_empty() {
        ctx.scope_error(&scope.path, Rule::StartAt, "States is empty");
    } else if !scope.states.contains(scope.start_at) {
        let mut message = format!(
            "StartAt {:?} does not name a state of this States object",
            scope.start_at
        );
        if all.iter().any(|s| s.states.contains(scope.start_at)) {
            message.push_str(" (a state of that name exists in another scope)");
        }
        ctx.scope_error(&scope.path, Rule::StartAt, message);
    }
}

fn check_next_or_end(at: &WalkEntry<'_>, ctx: &mut Ctx) {
    let state = at.state;
    if matches!(state, State::Choice(_) | State::Succeed(_) | State::Fail(_)) {
        return; // the model has no Next/End fields for these: the parser already rejected them
    }
    match (state.next(), state.end_field()) {
        (Some(_), Some(true)) => ctx.error(at, Rule::NextOrEnd, "has both Next and \"End\": true"),
        (_, Some(false)) => ctx.error(
            at,
            Rule::NextOrEnd,
            "\"End\" must be true when present (use Next to continue)",
        ),
        (None, None) => ctx.error(at, Rule::NextOrEnd, "has neither Next nor \"End\": true"),
        _ => {}
    }
}

fn check_reachability(
    scope: &ScopeRef<'_>,
    default_ql: super::super::QueryLanguage,
    ctx: &mut Ctx,
) {
    if !scope.states.contains(scope.start_at) {
        return; // rule 1 already reported; everything would be "unreachable"
    }
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([scope.start_at]);
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name) {
            continue;
        }
        if let Some(state) = scope.states.get(name) {
            for edge in state.edges() {
                if scope.states.contains(edge.target) && !seen.contains(edge.target) {
                    queue.push_back(edge.target);
                }
            }
        }
    }
    for (name, state) in scope.states.iter() {
        if !seen.contains(name) {
            let at = WalkEntry {
                scope: scope.path.clone(),
                name,
                state,
                query_language: state.effective_query_language(default_ql),
            };
            ctx.error(
                &at,
                Rule::Reachable,
                format!("is not reachable from StartAt {:?}", scope.start_at),
            );
        }
    }
}
