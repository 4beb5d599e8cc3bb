//! The result of an interpreted run: [`Execution`].

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::Failure;

use super::error::names;
use super::history::{EventDetails, HistoryEvent, trace};

/// How an execution ended (`DescribeExecution`'s status).
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// `SUCCEEDED`, with the execution output.
    Succeeded { output: Value },
    /// `FAILED`, with the error that ended it (a Fail state's, or an unhandled one).
    Failed { error: String, cause: String },
    /// `TIMED_OUT`: the machine's `TimeoutSeconds` passed (error `States.Timeout`).
    TimedOut,
}

impl Status {
    /// `SUCCEEDED`, `FAILED` or `TIMED_OUT`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Succeeded { .. } => "SUCCEEDED",
            Status::Failed { .. } => "FAILED",
            Status::TimedOut => "TIMED_OUT",
        }
    }
}

/// One task invocation, as the task saw it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskCall {
    /// The Task state (or Map state, for ItemReader/ResultWriter) that made the call.
    pub state: Arc<str>,
    /// The state's `Resource`.
    pub resource: Arc<str>,
    /// What the task was looked up by: `FunctionName` for `lambda:invoke`, else the resource.
    pub key: Arc<str>,
    /// The mock entry that answered, `None` when there was none.
    pub mock: Option<Arc<str>>,
    /// What the task received (the `Payload` for `lambda:invoke`).
    pub input: Value,
}

/// A finished execution: its status, its history and the task calls it made.
#[derive(Clone, Debug, PartialEq)]
pub struct Execution {
    pub status: Status,
    /// `GetExecutionHistory`-shaped events, in order.
    pub history: Vec<HistoryEvent>,
    /// Every task invocation, in the order they started.
    pub calls: Vec<TaskCall>,
}

impl Execution {
    /// The output of a successful execution.
    pub fn output(&self) -> Option<&Value> {
        match &self.status {
            Status::Succeeded { output } => Some(output),
            _ => None,
        }
    }

    /// The error of a failed or timed-out execution.
    pub fn failure(&self) -> Option<Failure> {
        match &self.status {
            Status::Succeeded { .. } => None,
            Status::Failed { error, cause } => Some(Failure::new(error.clone(), cause.clone())),
            Status::TimedOut => {
                let cause = self
                    .history
                    .last()
                    .and_then(|e| match &e.details {
                        Some(EventDetails::ExecutionTimedOut(d)) => Some(d.cause.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                Some(Failure::new(names::TIMEOUT, cause))
            }
        }
    }

    /// The output, or the error as a [`Failure`] (a timeout is `States.Timeout`): what a native
    /// run of the same workflow returns.
    pub fn into_result(self) -> Result<Value, Failure> {
        match self.status {
            Status::Succeeded { output } => Ok(output),
            _ => Err(self.failure().expect("not succeeded")),
        }
    }

    /// The history, one line per event (see [`trace`]).
    pub fn trace(&self) -> String {
        trace(&self.history)
    }

    /// The names of the states entered, in history order (including those inside Parallel
    /// branches and Map iterations).
    pub fn states_entered(&self) -> Vec<&str> {
        self.history
            .iter()
            .filter_map(|e| match &e.details {
                Some(EventDetails::StateEntered(d)) => Some(&*d.name),
                _ => None,
            })
            .collect()
    }

    /// When the execution started and stopped, on the run's clock.
    pub fn start_and_stop(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        Some((
            self.history.first()?.timestamp,
            self.history.last()?.timestamp,
        ))
    }
}
