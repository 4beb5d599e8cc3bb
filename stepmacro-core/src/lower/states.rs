//! The state graph under construction, and constructors for the states the lowering emits.

use std::collections::BTreeMap;

use serde_json::Value;

use super::edges::{Edge, Slot};
use super::jsonata::embed;
use crate::asl::{
    Assign, BoolOrExpr, Catcher, ChoiceRule, ChoiceState, FailState, Json, NumberOrExpr, PassState,
    QueryLanguage, State, StateMachine, States, SucceedState, WaitState,
};

/// States of one `States` object, in creation (= source) order, and its `StartAt`.
#[derive(Clone, Default)]
pub struct StateGraph {
    states: Vec<(String, State)>,
    start_at: Option<String>,
}

impl StateGraph {
    pub fn add(&mut self, name: &str, state: State) {
        self.states.push((name.to_owned(), state));
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    pub fn name_at(&self, i: usize) -> Option<&str> {
        self.states.get(i).map(|(n, _)| n.as_str())
    }

    pub fn get_mut(&mut self, name: &str) -> &mut State {
        &mut self
            .states
            .iter_mut()
            .find(|(n, _)| n == name)
            .expect("state exists")
            .1
    }

    /// Points `edge` at `target`, writing the edge's pending assignments into its slot.
    pub fn connect(&mut self, edge: &Edge, target: &str) {
        let assign = to_assign(&edge.assign);
        if edge.slot == Slot::Start {
            debug_assert!(
                edge.assign.is_empty(),
                "the start edge's assignments are absorbed or materialised first"
            );
            self.start_at = Some(target.to_owned());
            return;
        }
        let target = target.to_owned();
        match (self.get_mut(&edge.from), edge.slot) {
            (State::Task(s), Slot::Next) => (s.next, s.assign) = (Some(target), assign),
            (State::Pass(s), Slot::Next) => (s.next, s.assign) = (Some(target), assign),
            (State::Wait(s), Slot::Next) => (s.next, s.assign) = (Some(target), assign),
            (State::Parallel(s), Slot::Next) => (s.next, s.assign) = (Some(target), assign),
            (State::Map(s), Slot::Next) => (s.next, s.assign) = (Some(target), assign),
            (State::Choice(s), Slot::Rule(i)) => {
                (s.choices[i].next, s.choices[i].assign) = (Some(target), assign)
            }
            (State::Choice(s), Slot::Default) => (s.default, s.assign) = (Some(target), assign),
            (State::Task(s), Slot::Catch(i)) => {
                (s.catch[i].next, s.catch[i].assign) = (target, assign)
            }
            (State::Parallel(s), Slot::Catch(i)) => {
                (s.catch[i].next, s.catch[i].assign) = (target, assign)
            }
            (State::Map(s), Slot::Catch(i)) => {
                (s.catch[i].next, s.catch[i].assign) = (target, assign)
            }
            (state, slot) => unreachable!("edge {slot:?} from a {} state", state.type_name()),
        }
    }

    /// Can the state behind a `Next` edge end the machine itself (`End` + `Output`)?
    pub fn can_end(&self, name: &str) -> bool {
        self.states.iter().any(|(n, s)| {
            n == name
                && matches!(
                    s,
                    State::Task(_)
                        | State::Pass(_)
                        | State::Wait(_)
                        | State::Parallel(_)
                        | State::Map(_)
                )
        })
    }

    /// Ends the machine at `name` with this `Output` (a `{% %}` string).
    pub fn end_with_output(&mut self, name: &str, output: &str) {
        let out = Some(Json(Value::String(output.to_owned())));
        match self.get_mut(name) {
            State::Task(s) => (s.end, s.output) = (Some(true), out),
            State::Pass(s) => (s.end, s.output) = (Some(true), out),
            State::Wait(s) => (s.end, s.output) = (Some(true), out),
            State::Parallel(s) => (s.end, s.output) = (Some(true), out),
            State::Map(s) => (s.end, s.output) = (Some(true), out),
            other => unreachable!("cannot end at a {} state", other.type_name()),
        }
    }

    /// The finished machine (JSONata throughout).
    pub fn into_machine(
        self,
        comment: Option<String>,
        timeout_seconds: Option<u64>,
    ) -> StateMachine {
        let mut states = States::new();
        let start_at = self
            .start_at
            .clone()
            .or_else(|| self.states.first().map(|(n, _)| n.clone()))
            .unwrap_or_default();
        for (name, state) in self.states {
            states.insert(name, state);
        }
        let mut machine = StateMachine::new(start_at, states);
        machine.comment = comment;
        machine.timeout_seconds = timeout_seconds;
        machine.query_language = Some(QueryLanguage::Jsonata);
        machine
    }
}

fn to_assign(pending: &BTreeMap<String, String>) -> Option<Assign> {
    if pending.is_empty() {
        return None;
    }
    Some(
        pending
            .iter()
            .map(|(k, code)| (k.clone(), Json(Value::String(embed(code)))))
            .collect(),
    )
}

pub fn pass() -> State {
    State::Pass(PassState::default())
}

/// A Choice with one rule per condition (JSONata code); `Next`s are filled in by `connect`.
pub fn choice(conditions: Vec<String>) -> State {
    State::Choice(ChoiceState {
        choices: conditions
            .into_iter()
            .map(|c| ChoiceRule {
                condition: Some(BoolOrExpr::Expression(embed(&c))),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

pub fn succeed(output: &str) -> State {
    State::Succeed(SucceedState {
        output: Some(Json(Value::String(output.to_owned()))),
        ..Default::default()
    })
}

pub fn fail(error: String, cause: Option<String>) -> State {
    State::Fail(FailState {
        error: Some(error),
        cause,
        ..Default::default()
    })
}

pub fn wait_seconds_literal(n: u64) -> State {
    State::Wait(WaitState {
        seconds: Some(NumberOrExpr::Number(n.into())),
        ..Default::default()
    })
}

pub fn wait_seconds_expr(expr: &str) -> State {
    State::Wait(WaitState {
        seconds: Some(NumberOrExpr::Expression(expr.to_owned())),
        ..Default::default()
    })
}

pub fn wait_timestamp(expr: &str) -> State {
    State::Wait(WaitState {
        timestamp: Some(expr.to_owned()),
        ..Default::default()
    })
}

/// Adds one Catcher per `ErrorEquals` list (targets filled in by `connect`).
pub fn set_catchers(state: &mut State, catchers: &[Vec<String>]) {
    let list: Vec<Catcher> = catchers
        .iter()
        .map(|eq| Catcher {
            error_equals: eq.clone(),
            ..Default::default()
        })
        .collect();
    match state {
        State::Task(s) => s.catch = list,
        State::Parallel(s) => s.catch = list,
        State::Map(s) => s.catch = list,
        other => unreachable!("no Catch on a {} state", other.type_name()),
    }
}

/// Sets the `Output` of Catcher `index` (a `{% %}` string): what the state hands on when it catches.
pub fn set_catch_output(state: &mut State, index: usize, output: &str) {
    let out = Some(Json(Value::String(output.to_owned())));
    match state {
        State::Task(s) => s.catch[index].output = out,
        State::Parallel(s) => s.catch[index].output = out,
        State::Map(s) => s.catch[index].output = out,
        other => unreachable!("no Catch on a {} state", other.type_name()),
    }
}
