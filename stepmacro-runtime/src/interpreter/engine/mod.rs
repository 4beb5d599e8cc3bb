//! Running a compiled [`Plan`]: one [`Run`] per execution, shared by all its branches.
//!
//! * `flow`: walking a `States` object, the generic per-state steps, Retry and Catch.
//! * `simple`: Pass, Choice, Wait, Succeed, Fail.
//! * `task`, `parallel`, `map`: the states that do work (and can be retried or caught).
//! * `io`: the JSONPath and JSONata input/output pipelines, payload limits, the context object.
//!
//! Concurrency: Parallel branches and Map iterations are futures polled together on the caller's
//! task (JSONata values are not `Send`, and nothing needs threads: tasks are async). A failing
//! branch drops its siblings, which stops them.

mod flow;
mod io;
mod items;
mod map;
mod parallel;
mod simple;
mod task;
pub(crate) mod vars;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::mock::Mocks;

use super::clock::ClockHandle;
use super::error::StateError;
use super::execution::{Status, TaskCall};
use super::history::{
    ErrorDetails, EventDetails, EventType, ExecutionStartedDetails, OutputDetails, PayloadDetails,
    Recorder, history_limit_cause,
};
use super::plan::Plan;
use super::rng::{Rng, RngCell};
use super::value::{MAX_PAYLOAD_BYTES, json_size, to_json};
use vars::Vars;

/// Names and ARNs that show in the context object and the history.
#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub region: Arc<str>,
    pub account: String,
    pub state_machine_name: String,
    pub execution_name: String,
    pub role_arn: Arc<str>,
}

impl Identity {
    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:stateMachine:{}",
            self.region, self.account, self.state_machine_name
        )
    }

    pub fn execution_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:execution:{}:{}",
            self.region, self.account, self.state_machine_name, self.execution_name
        )
    }
}

/// Tunables of a run.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    /// Payload limit in bytes (AWS: 256 KiB).
    pub payload_bytes: usize,
    /// History limit (AWS: 25,000 events).
    pub history_events: usize,
    /// Concurrent iterations of an inline Map (AWS: 40).
    pub inline_map_concurrency: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            payload_bytes: MAX_PAYLOAD_BYTES,
            history_events: super::history::MAX_HISTORY_EVENTS,
            inline_map_concurrency: 40,
        }
    }
}

/// The shared state of one execution.
pub(crate) struct Run<'a> {
    pub plan: &'a Plan,
    pub mocks: &'a Mocks,
    pub clock: ClockHandle,
    pub rng: RngCell,
    pub recorder: Mutex<Recorder>,
    pub calls: Mutex<Vec<TaskCall>>,
    pub id: Identity,
    pub limits: Limits,
    pub input: Value,
    pub start: DateTime<Utc>,
    /// Set when the execution is being closed as a whole (timeout): states dropped then are not
    /// recorded as aborted one by one.
    pub closing: AtomicBool,
}

/// The last event of one line of control (the execution, a branch, an iteration), so that each
/// new event's `previousEventId` points at its predecessor in that line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cursor {
    pub last: u64,
}

/// How an execution ended, before it is recorded.
enum End {
    Output(Value),
    Error(StateError),
    TimedOut,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl<'a> Run<'a> {
    pub fn new(
        plan: &'a Plan,
        mocks: &'a Mocks,
        clock: ClockHandle,
        rng: Rng,
        id: Identity,
        limits: Limits,
        input: Value,
    ) -> Self {
        let start = clock.now();
        Run {
            plan,
            mocks,
            recorder: Mutex::new(Recorder::with_capacity(
                limits.history_events,
                plan.history_hint.load(Ordering::Relaxed),
            )),
            clock,
            rng: RngCell::new(rng),
            calls: Mutex::new(Vec::with_capacity(plan.calls_hint.load(Ordering::Relaxed))),
            id,
            limits,
            input,
            start,
            closing: AtomicBool::new(false),
        }
    }

    /// Records an event after `cur`'s last one. A full history stops the execution with an
    /// uncatchable error.
    pub fn event(
        &self,
        cur: &mut Cursor,
        ty: EventType,
        details: Option<EventDetails>,
    ) -> Result<u64, StateError> {
        let now = self.clock.now();
        let id = lock(&self.recorder)
            .push(now, ty, cur.last, details)
            .map_err(|_| StateError::runtime(history_limit_cause(self.limits.history_events)))?;
        cur.last = id;
        Ok(id)
    }

    /// The id of the newest event of the whole execution.
    pub fn last_event_id(&self) -> u64 {
        lock(&self.recorder).last_id()
    }

    /// `States.DataLimitExceeded` when `v` is over the payload limit.
    pub fn check_size(&self, v: &Value, what: &str) -> Result<(), StateError> {
        self.check_len(json_size(v), what)
    }

    /// `States.DataLimitExceeded` when a payload of `size` bytes is over the limit.
    pub fn check_len(&self, size: usize, what: &str) -> Result<(), StateError> {
        if size > self.limits.payload_bytes {
            return Err(StateError::data_limit(format!(
                "The {what} has a size of {size} bytes, which exceeds the maximum size of {} bytes.",
                self.limits.payload_bytes
            )));
        }
        Ok(())
    }

    /// The execution part of the context object.
    pub fn execution_context(&self) -> Value {
        json!({
            "Id": self.id.execution_arn(),
            "Input": self.input,
            "Name": self.id.execution_name,
            "RoleArn": self.id.role_arn,
            "StartTime": iso(self.start),
            "RedriveCount": 0,
        })
    }

    pub fn record_call(&self, call: TaskCall) {
        lock(&self.calls).push(call);
    }

    /// Runs the whole execution and returns how it ended with its history and calls.
    pub async fn execute(self) -> (Status, Vec<super::history::HistoryEvent>, Vec<TaskCall>) {
        let mut cur = Cursor { last: 0 };
        let started = self.event(
            &mut cur,
            EventType::ExecutionStarted,
            Some(EventDetails::ExecutionStarted(ExecutionStartedDetails {
                input: to_json(&self.input),
                input_details: PayloadDetails::default(),
                role_arn: self.id.role_arn.clone(),
            })),
        );
        let end = match started {
            Err(e) => End::Error(e),
            Ok(_) => match self.check_size(&self.input, "execution input") {
                Err(e) => End::Error(e),
                Ok(()) => self.body(&mut cur).await,
            },
        };
        let overflowed = lock(&self.recorder).overflowed;
        let status = match end {
            _ if overflowed => Status::Failed {
                error: super::history::HISTORY_LIMIT_ERROR.to_owned(),
                cause: history_limit_cause(self.limits.history_events),
            },
            End::Output(out) => match self.check_size(&out, "execution output") {
                Ok(()) => Status::Succeeded { output: out },
                Err(e) => Status::Failed {
                    error: e.error,
                    cause: e.cause,
                },
            },
            End::Error(e) => Status::Failed {
                error: e.error,
                cause: e.cause,
            },
            End::TimedOut => Status::TimedOut,
        };
        // The closing event (unless the history limit already closed the execution).
        let mut last = Cursor {
            last: self.last_event_id(),
        };
        let closing = match &status {
            Status::Succeeded { output } => (
                EventType::ExecutionSucceeded,
                EventDetails::ExecutionSucceeded(OutputDetails {
                    output: to_json(output),
                    output_details: PayloadDetails::default(),
                }),
            ),
            Status::Failed { error, cause } => (
                EventType::ExecutionFailed,
                EventDetails::ExecutionFailed(ErrorDetails {
                    error: error.clone(),
                    cause: cause.clone(),
                }),
            ),
            Status::TimedOut => (
                EventType::ExecutionTimedOut,
                EventDetails::ExecutionTimedOut(ErrorDetails {
                    error: super::error::names::TIMEOUT.to_owned(),
                    cause: format!(
                        "The execution did not finish within TimeoutSeconds ({} s).",
                        self.plan.timeout_seconds.unwrap_or_default()
                    ),
                }),
            ),
        };
        if !overflowed {
            let _ = self.event(&mut last, closing.0, Some(closing.1));
        }
        let history = std::mem::take(&mut lock(&self.recorder).events);
        self.plan
            .history_hint
            .store(history.len(), Ordering::Relaxed);
        let calls = std::mem::take(&mut *lock(&self.calls));
        self.plan.calls_hint.store(calls.len(), Ordering::Relaxed);
        (status, history, calls)
    }

    async fn body(&self, cur: &mut Cursor) -> End {
        let vars = Vars::root();
        let run = self.run_scope(&self.plan.root, self.input.clone(), &vars, cur);
        match self.plan.timeout_seconds {
            None => match run.await {
                Ok(v) => End::Output(v),
                Err(e) => End::Error(e),
            },
            Some(secs) => {
                let timer = self.clock.sleep(std::time::Duration::from_secs(secs));
                futures::pin_mut!(timer);
                match futures::future::select(run, timer).await {
                    futures::future::Either::Left((Ok(v), _)) => End::Output(v),
                    futures::future::Either::Left((Err(e), _)) => End::Error(e),
                    futures::future::Either::Right((_, run)) => {
                        self.closing.store(true, Ordering::SeqCst);
                        drop(run);
                        End::TimedOut
                    }
                }
            }
        }
    }
}
