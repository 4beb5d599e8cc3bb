//! Control flow: walking a `States` object, the events every state records, and Retry/Catch
//! around the states that do work (Task, Parallel, Map).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use super::super::error::{StateError, any_matches};
use super::super::history::{
    EventDetails, EventType, PayloadDetails, StateEnteredDetails, StateExitedDetails,
};
use super::super::jsonata::States;
use super::super::plan::{Kind, Scope, StatePlan};
use super::super::retry::RetryCounters;
use super::super::state_result::StateResult;
use super::super::value::to_json;
use super::io::{self, Extra, StateInfo};
use super::vars::Vars;
use super::{Cursor, Run};
use crate::asl::QueryLanguage;

/// How a state ends successfully: where to go (`None` ends the scope), its output, and the
/// variables it assigns (applied when it exits).
#[derive(Debug)]
pub(crate) struct Exit<'p> {
    pub next: Option<&'p str>,
    pub output: Value,
    pub assigned: BTreeMap<String, Value>,
}

pub(crate) type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

fn event_types(kind: &Kind) -> (EventType, Option<EventType>) {
    use EventType as E;
    match kind {
        Kind::Task(_) => (E::TaskStateEntered, Some(E::TaskStateExited)),
        Kind::Pass { .. } => (E::PassStateEntered, Some(E::PassStateExited)),
        Kind::Choice { .. } => (E::ChoiceStateEntered, Some(E::ChoiceStateExited)),
        Kind::Wait(_) => (E::WaitStateEntered, Some(E::WaitStateExited)),
        Kind::Succeed => (E::SucceedStateEntered, Some(E::SucceedStateExited)),
        Kind::Fail { .. } => (E::FailStateEntered, None),
        Kind::Parallel { .. } => (E::ParallelStateEntered, Some(E::ParallelStateExited)),
        Kind::Map(_) => (E::MapStateEntered, Some(E::MapStateExited)),
    }
}

impl Run<'_> {
    /// Runs a `States` object from its `StartAt` to its end; the output of the last state.
    pub fn run_scope<'s>(
        &'s self,
        scope: &'s Scope,
        input: Value,
        vars: &'s Vars,
        cur: &'s mut Cursor,
    ) -> BoxFut<'s, Result<Value, StateError>> {
        Box::pin(async move {
            let mut state = scope.states.get(&scope.start_at).ok_or_else(|| {
                StateError::runtime(format!("unknown state {:?}", scope.start_at))
            })?;
            let mut input = input;
            loop {
                let exit = self.run_state(state, input, vars, cur).await?;
                match exit.next {
                    None => return Ok(exit.output),
                    Some(next) => {
                        state = scope.states.get(next).ok_or_else(|| {
                            StateError::runtime(format!("unknown state {next:?}"))
                        })?;
                        input = exit.output;
                    }
                }
            }
        })
    }

    /// One visit of a state: entered event, the work, exited event, variable assignment.
    async fn run_state<'p>(
        &self,
        st: &'p StatePlan,
        raw: Value,
        vars: &Vars,
        cur: &mut Cursor,
    ) -> Result<Exit<'p>, StateError> {
        let (entered, exited) = event_types(&st.kind);
        // One serialisation serves the event and the size check.
        let input_text = to_json(&raw);
        let input_len = input_text.len();
        let entered_id = self.event(
            cur,
            entered,
            Some(EventDetails::StateEntered(StateEnteredDetails {
                name: st.name.clone(),
                input: input_text,
                input_details: PayloadDetails::default(),
            })),
        )?;
        // Records `*StateAborted` if this future is dropped mid-state (a sibling branch failed).
        let mut guard = AbortGuard {
            run: self,
            state: st,
            entered_id,
            armed: true,
        };
        // The work of the state, between its entered and exited events (inline rather than an
        // `async fn` of its own: each such layer adds its locals to every state's future).
        let exit = async {
            self.check_len(input_len, "state input")?;
            let info = self.state_info(&st.name);
            match &st.kind {
                Kind::Pass { result } => self.pass(st, result.as_ref(), &raw, vars, &info),
                Kind::Choice { rules, default } => {
                    self.choice(st, rules, default.as_deref(), &raw, vars, &info)
                }
                Kind::Wait(w) => self.wait(st, w, &raw, vars, &info).await,
                Kind::Succeed => self.succeed(st, &raw, vars, &info),
                Kind::Fail { error, cause } => Err(self.fail(st, error, cause, &raw, vars, &info)),
                Kind::Task(_) | Kind::Parallel { .. } | Kind::Map(_) => {
                    self.run_work(st, &raw, vars, cur, &info).await
                }
            }
        }
        .await;
        guard.armed = false;
        let mut exit = exit?;
        let output_text = to_json(&exit.output);
        self.check_len(output_text.len(), "state output")?;
        let assigned_text = (!exit.assigned.is_empty()).then(|| {
            exit.assigned
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect::<BTreeMap<_, _>>()
        });
        // The caller only reads `next` and `output`: the values move into the scope.
        if !exit.assigned.is_empty() {
            vars.assign(std::mem::take(&mut exit.assigned));
        }
        if let Some(exited) = exited {
            self.event(
                cur,
                exited,
                Some(EventDetails::StateExited(StateExitedDetails {
                    name: st.name.clone(),
                    output: output_text,
                    output_details: PayloadDetails::default(),
                    assigned_variables_details: assigned_text
                        .as_ref()
                        .map(|_| PayloadDetails::default()),
                    assigned_variables: assigned_text,
                })),
            )?;
        }
        Ok(exit)
    }

    /// Task, Parallel or Map with their Retry and Catch.
    async fn run_work<'p>(
        &self,
        st: &'p StatePlan,
        raw: &Value,
        vars: &Vars,
        cur: &mut Cursor,
        info: &StateInfo<'_>,
    ) -> Result<Exit<'p>, StateError> {
        let mut counters = RetryCounters::new(st.retry.len());
        loop {
            let mut info = info.clone();
            info.retry_count = counters.total;
            let attempt = match &st.kind {
                Kind::Task(t) => match self.begin_task(st, t, raw, vars, cur, &info) {
                    Err(e) => Err(e),
                    Ok(scheduled) => {
                        let outcome = self.call_task(scheduled.call).await;
                        self.end_task(st, raw, vars, &info, (scheduled.end, outcome), cur)
                    }
                },
                // Boxed: their futures are large, and every state's future is as large as the
                // largest it may become, so inline they would make each Task visit (and every
                // Map iteration's scope) carry kilobytes of unused space.
                Kind::Parallel { branches } => {
                    Box::pin(self.parallel(st, branches, raw, vars, cur, &info)).await
                }
                Kind::Map(m) => Box::pin(self.map(st, m, raw, vars, cur, &info)).await,
                _ => unreachable!("run_work is only called for Task, Parallel and Map"),
            };
            // The error is settled before the back-off: nothing of the attempt is held across
            // the sleep (or widens this future).
            let delay = match attempt {
                Ok(exit) => return Ok(exit),
                Err(err) => match self.rng.with(|r| counters.next(&st.retry, &err, r)) {
                    Some(d) => d,
                    None => return self.catch(st, raw, vars, &info, err),
                },
            };
            self.clock.sleep(delay).await;
        }
    }

    /// The first matching catcher turns the error into an output and a transition.
    fn catch<'p>(
        &self,
        st: &'p StatePlan,
        raw: &Value,
        vars: &Vars,
        info: &StateInfo<'_>,
        err: StateError,
    ) -> Result<Exit<'p>, StateError> {
        if err.is_terminal() {
            return Err(err);
        }
        let Some(c) = st
            .catch
            .iter()
            .find(|c| any_matches(&c.error_equals, &err.error))
        else {
            return Err(err);
        };
        let error_output = err.error_output();
        let states = States {
            input: raw,
            result: None,
            error_output: Some(&error_output),
        };
        self.eval(info, &Extra::None, vars, |ctx| {
            let output = match st.lang {
                QueryLanguage::JsonPath => {
                    io::result_path(&c.result_path, raw, error_output.clone())?
                }
                QueryLanguage::Jsonata => match &c.output {
                    Some(t) => t.eval(&states, "Output", ctx)?,
                    None => error_output.clone(),
                },
            };
            let assigned = match &c.assign {
                Some(a) => io::assign(a, &error_output, &states, ctx)?,
                None => BTreeMap::new(),
            };
            Ok(Exit {
                next: Some(c.next.as_str()),
                output,
                assigned,
            })
        })
    }

    /// The result half of the pipeline of Task, Parallel and Map, once their work produced
    /// `result`: `ResultSelector` → `Assign` → `ResultPath` → `OutputPath` (JSONPath), or
    /// `Output` and `Assign` over `$states.result` (JSONata).
    pub(crate) fn finish_work<'p>(
        &self,
        st: &'p StatePlan,
        raw: &Value,
        vars: &Vars,
        info: &StateInfo<'_>,
        result: StateResult,
    ) -> Result<Exit<'p>, StateError> {
        self.eval(info, &Extra::None, vars, |ctx| match st.lang {
            QueryLanguage::JsonPath => {
                let result = result.into_value();
                let selected = match &st.result_selector {
                    Some(t) => t.eval(&result, ctx)?,
                    None => result.clone(),
                };
                // `$` in a JSONPath Assign is the state's result before ResultSelector (as
                // LocalStack does; AWS leaves this unstated).
                let assigned = match &st.assign {
                    Some(a) => io::assign(a, &result, &States::input(&Value::Null), ctx)?,
                    None => BTreeMap::new(),
                };
                let out = io::result_path(&st.result_path, raw, selected)?;
                let out = io::output_path(&st.output_path, out, ctx)?;
                Ok(Exit {
                    next: st.next.as_deref(),
                    output: out,
                    assigned,
                })
            }
            QueryLanguage::Jsonata => {
                let states = States {
                    input: raw,
                    result: Some(&result),
                    error_output: None,
                };
                let output = match &st.output {
                    Some(t) => Some(t.eval(&states, "Output", ctx)?),
                    None => None,
                };
                let assigned = match &st.assign {
                    Some(a) => io::assign(a, &Value::Null, &states, ctx)?,
                    None => BTreeMap::new(),
                };
                // Without `Output`, the output is the result itself: moved once `Assign` has
                // read it, not copied.
                let output = match output {
                    Some(o) => o,
                    None => result.into_value(),
                };
                Ok(Exit {
                    next: st.next.as_deref(),
                    output,
                    assigned,
                })
            }
        })
    }
}

/// See [`Run::run_state`]: on drop while armed, the state was cut off by a failing sibling.
struct AbortGuard<'r, 'a> {
    run: &'r Run<'a>,
    state: &'r StatePlan,
    entered_id: u64,
    armed: bool,
}

impl Drop for AbortGuard<'_, '_> {
    fn drop(&mut self) {
        if !self.armed || self.run.closing.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let ty = match &self.state.kind {
            Kind::Task(_) => EventType::TaskStateAborted,
            Kind::Wait(_) => EventType::WaitStateAborted,
            Kind::Parallel { .. } => EventType::ParallelStateAborted,
            Kind::Map(_) => EventType::MapStateAborted,
            _ => return,
        };
        let mut cur = Cursor {
            last: self.entered_id,
        };
        let _ = self.run.event(&mut cur, ty, None);
    }
}
