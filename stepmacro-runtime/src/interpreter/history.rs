//! Execution history in the shape of Step Functions' `GetExecutionHistory`: numbered events with
//! `previousEventId`, a timestamp, a `type` and one `*EventDetails` object, whose inputs and outputs
//! are JSON *text* as AWS returns them. [`trace`] renders a history one line per event.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// Step Functions' hard limit of events per execution history.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

/// One history event.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    #[serde(serialize_with = "ser_time")]
    pub timestamp: DateTime<Utc>,
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// 1-based, in recording order.
    pub id: u64,
    /// The event this one follows from (0 for the first).
    pub previous_event_id: u64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub details: Option<EventDetails>,
}

fn ser_time<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

macro_rules! event_types {
    ($($name:ident),* $(,)?) => {
        /// The `type` of a history event (the names AWS uses).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum EventType { $($name),* }

        impl EventType {
            pub fn as_str(self) -> &'static str {
                match self { $(EventType::$name => stringify!($name)),* }
            }
        }
    };
}

event_types!(
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    TaskStateEntered,
    TaskStateExited,
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    TaskStateAborted,
    LambdaFunctionScheduled,
    LambdaFunctionStarted,
    LambdaFunctionSucceeded,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ActivityScheduled,
    ActivityStarted,
    ActivitySucceeded,
    ActivityFailed,
    ActivityTimedOut,
    PassStateEntered,
    PassStateExited,
    ChoiceStateEntered,
    ChoiceStateExited,
    WaitStateEntered,
    WaitStateExited,
    WaitStateAborted,
    SucceedStateEntered,
    SucceedStateExited,
    FailStateEntered,
    ParallelStateEntered,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    ParallelStateExited,
    ParallelStateAborted,
    MapStateEntered,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapStateExited,
    MapStateAborted,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapIterationAborted,
);

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `{"truncated": false}`, as AWS attaches to every payload.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PayloadDetails {
    pub truncated: bool,
}

/// The `*EventDetails` member of an event; the serde name is the member's name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum EventDetails {
    #[serde(rename = "executionStartedEventDetails")]
    ExecutionStarted(ExecutionStartedDetails),
    #[serde(rename = "executionSucceededEventDetails")]
    ExecutionSucceeded(OutputDetails),
    #[serde(rename = "executionFailedEventDetails")]
    ExecutionFailed(ErrorDetails),
    #[serde(rename = "executionTimedOutEventDetails")]
    ExecutionTimedOut(ErrorDetails),
    #[serde(rename = "stateEnteredEventDetails")]
    StateEntered(StateEnteredDetails),
    #[serde(rename = "stateExitedEventDetails")]
    StateExited(StateExitedDetails),
    #[serde(rename = "taskScheduledEventDetails")]
    TaskScheduled(TaskScheduledDetails),
    #[serde(rename = "taskStartedEventDetails")]
    TaskStarted(TaskResourceDetails),
    #[serde(rename = "taskSucceededEventDetails")]
    TaskSucceeded(TaskOutputDetails),
    #[serde(rename = "taskFailedEventDetails")]
    TaskFailed(TaskErrorDetails),
    #[serde(rename = "taskTimedOutEventDetails")]
    TaskTimedOut(TaskErrorDetails),
    #[serde(rename = "lambdaFunctionScheduledEventDetails")]
    LambdaFunctionScheduled(ScheduledDetails),
    #[serde(rename = "lambdaFunctionSucceededEventDetails")]
    LambdaFunctionSucceeded(OutputDetails),
    #[serde(rename = "lambdaFunctionFailedEventDetails")]
    LambdaFunctionFailed(ErrorDetails),
    #[serde(rename = "lambdaFunctionTimedOutEventDetails")]
    LambdaFunctionTimedOut(ErrorDetails),
    #[serde(rename = "activityScheduledEventDetails")]
    ActivityScheduled(ScheduledDetails),
    #[serde(rename = "activityStartedEventDetails")]
    ActivityStarted(ActivityStartedDetails),
    #[serde(rename = "activitySucceededEventDetails")]
    ActivitySucceeded(OutputDetails),
    #[serde(rename = "activityFailedEventDetails")]
    ActivityFailed(ErrorDetails),
    #[serde(rename = "activityTimedOutEventDetails")]
    ActivityTimedOut(ErrorDetails),
    #[serde(rename = "mapStateStartedEventDetails")]
    MapStateStarted(MapStateStartedDetails),
    #[serde(rename = "mapIterationStartedEventDetails")]
    MapIterationStarted(MapIterationDetails),
    #[serde(rename = "mapIterationSucceededEventDetails")]
    MapIterationSucceeded(MapIterationDetails),
    #[serde(rename = "mapIterationFailedEventDetails")]
    MapIterationFailed(MapIterationDetails),
    #[serde(rename = "mapIterationAbortedEventDetails")]
    MapIterationAborted(MapIterationDetails),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionStartedDetails {
    pub input: String,
    pub input_details: PayloadDetails,
    pub role_arn: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputDetails {
    pub output: String,
    pub output_details: PayloadDetails,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorDetails {
    pub error: String,
    pub cause: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateEnteredDetails {
    pub name: Arc<str>,
    pub input: String,
    pub input_details: PayloadDetails,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateExitedDetails {
    pub name: Arc<str>,
    pub output: String,
    pub output_details: PayloadDetails,
    /// Variables the state assigned, each as JSON text (sorted by name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_variables: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_variables_details: Option<PayloadDetails>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskScheduledDetails {
    pub resource_type: Arc<str>,
    pub resource: Arc<str>,
    pub region: Arc<str>,
    /// The task input (JSON text).
    pub parameters: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskResourceDetails {
    pub resource_type: Arc<str>,
    pub resource: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskOutputDetails {
    pub resource_type: Arc<str>,
    pub resource: Arc<str>,
    pub output: String,
    pub output_details: PayloadDetails,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskErrorDetails {
    pub resource_type: Arc<str>,
    pub resource: Arc<str>,
    pub error: String,
    pub cause: String,
}

/// `lambdaFunctionScheduledEventDetails` / `activityScheduledEventDetails`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledDetails {
    pub resource: Arc<str>,
    pub input: String,
    pub input_details: PayloadDetails,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityStartedDetails {
    pub worker_name: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MapStateStartedDetails {
    pub length: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MapIterationDetails {
    /// The Map state's name.
    pub name: Arc<str>,
    pub index: u64,
}

/// Collects the events of one execution and enforces the 25,000-event limit.
#[derive(Debug)]
pub(crate) struct Recorder {
    pub events: Vec<HistoryEvent>,
    limit: usize,
    /// Set once the limit was hit: the last event is the `ExecutionFailed` that says so.
    pub overflowed: bool,
}

/// The history is full; the execution must stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HistoryFull;

/// Error and cause of an execution that ran out of history.
pub(crate) const HISTORY_LIMIT_ERROR: &str = "States.Runtime";

impl Recorder {
    #[cfg(test)]
    pub fn new(limit: usize) -> Self {
        Self::with_capacity(limit, 0)
    }

    /// A recorder with room for `capacity` events (at most `limit`) before it reallocates.
    pub fn with_capacity(limit: usize, capacity: usize) -> Self {
        let limit = limit.max(2);
        Recorder {
            events: Vec::with_capacity(capacity.min(limit)),
            limit,
            overflowed: false,
        }
    }

    pub fn last_id(&self) -> u64 {
        self.events.len() as u64
    }

    /// Appends an event and returns its id. Like AWS: when the history holds `limit - 1` events,
    /// only `ExecutionSucceeded` (or another execution-closing event) may still be recorded; any
    /// other event is replaced by an `ExecutionFailed` and the execution stops.
    pub fn push(
        &mut self,
        timestamp: DateTime<Utc>,
        event_type: EventType,
        previous_event_id: u64,
        details: Option<EventDetails>,
    ) -> Result<u64, HistoryFull> {
        if self.overflowed {
            return Err(HistoryFull);
        }
        let closing = matches!(
            event_type,
            EventType::ExecutionSucceeded
                | EventType::ExecutionFailed
                | EventType::ExecutionTimedOut
        );
        let id = self.events.len() as u64 + 1;
        if self.events.len() + 1 >= self.limit && !closing {
            self.overflowed = true;
            self.events.push(HistoryEvent {
                timestamp,
                event_type: EventType::ExecutionFailed,
                id,
                previous_event_id: id - 1,
                details: Some(EventDetails::ExecutionFailed(ErrorDetails {
                    error: HISTORY_LIMIT_ERROR.to_owned(),
                    cause: history_limit_cause(self.limit),
                })),
            });
            return Err(HistoryFull);
        }
        self.events.push(HistoryEvent {
            timestamp,
            event_type,
            id,
            previous_event_id,
            details,
        });
        Ok(id)
    }
}

pub(crate) fn history_limit_cause(limit: usize) -> String {
    format!("The execution reached the maximum number of history events ({limit}).")
}

/// One line per event: id, time since the execution started, type and the essentials
/// (state name, input/output, error, resource).
///
/// ```text
///    1     +0.000s ExecutionStarted            input={"orderId":"o-1"}
///    2     +0.000s TaskStateEntered            ChargeCard input={"orderId":"o-1"}
/// ```
pub fn trace(history: &[HistoryEvent]) -> String {
    let start = history.first().map(|e| e.timestamp);
    let mut out = String::new();
    for e in history {
        let elapsed = start
            .map(|s| (e.timestamp - s).num_milliseconds())
            .unwrap_or(0) as f64
            / 1000.0;
        let summary = e.details.as_ref().map(summarize).unwrap_or_default();
        let line = format!(
            "{:>4} {:>+11.3}s {:<27} {}",
            e.id,
            elapsed,
            e.event_type.as_str(),
            summary
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

const TRACE_VALUE_CHARS: usize = 120;

fn short(s: &str) -> String {
    if s.chars().count() <= TRACE_VALUE_CHARS {
        s.to_owned()
    } else {
        format!(
            "{}...",
            s.chars().take(TRACE_VALUE_CHARS).collect::<String>()
        )
    }
}

fn summarize(d: &EventDetails) -> String {
    use EventDetails as D;
    match d {
        D::ExecutionStarted(x) => format!("input={}", short(&x.input)),
        D::ExecutionSucceeded(x) | D::LambdaFunctionSucceeded(x) | D::ActivitySucceeded(x) => {
            format!("output={}", short(&x.output))
        }
        D::ExecutionFailed(x)
        | D::ExecutionTimedOut(x)
        | D::LambdaFunctionFailed(x)
        | D::LambdaFunctionTimedOut(x)
        | D::ActivityFailed(x)
        | D::ActivityTimedOut(x) => format!("error={} cause={}", x.error, short(&x.cause)),
        D::StateEntered(x) => format!("{} input={}", x.name, short(&x.input)),
        D::StateExited(x) => {
            let mut s = format!("{} output={}", x.name, short(&x.output));
            if let Some(vars) = &x.assigned_variables {
                let list: Vec<String> = vars
                    .iter()
                    .map(|(k, v)| format!("${k}={}", short(v)))
                    .collect();
                s.push_str(&format!(" assigned {}", list.join(" ")));
            }
            s
        }
        D::TaskScheduled(x) => format!(
            "{}:{} parameters={}",
            x.resource_type,
            x.resource,
            short(&x.parameters)
        ),
        D::TaskStarted(x) => format!("{}:{}", x.resource_type, x.resource),
        D::TaskSucceeded(x) => format!(
            "{}:{} output={}",
            x.resource_type,
            x.resource,
            short(&x.output)
        ),
        D::TaskFailed(x) | D::TaskTimedOut(x) => {
            format!(
                "{}:{} error={} cause={}",
                x.resource_type,
                x.resource,
                x.error,
                short(&x.cause)
            )
        }
        D::LambdaFunctionScheduled(x) | D::ActivityScheduled(x) => {
            format!("{} input={}", x.resource, short(&x.input))
        }
        D::ActivityStarted(x) => format!("worker={}", x.worker_name),
        D::MapStateStarted(x) => format!("length={}", x.length),
        D::MapIterationStarted(x)
        | D::MapIterationSucceeded(x)
        | D::MapIterationFailed(x)
        | D::MapIterationAborted(x) => {
            format!("{}[{}]", x.name, x.index)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap()
    }

    #[test]
    fn serializes_like_get_execution_history() {
        let mut r = Recorder::new(100);
        r.push(
            t(0),
            EventType::PassStateEntered,
            0,
            Some(EventDetails::StateEntered(StateEnteredDetails {
                name: "P".into(),
                input: "{}".into(),
                input_details: PayloadDetails::default(),
            })),
        )
        .unwrap();
        r.push(t(1), EventType::ParallelStateStarted, 1, None)
            .unwrap();
        let json = serde_json::to_value(&r.events).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"timestamp": "2023-11-14T22:13:20.000Z", "type": "PassStateEntered", "id": 1, "previousEventId": 0,
                 "stateEnteredEventDetails": {"name": "P", "input": "{}", "inputDetails": {"truncated": false}}},
                {"timestamp": "2023-11-14T22:13:21.000Z", "type": "ParallelStateStarted", "id": 2, "previousEventId": 1}
            ])
        );
        let tr = trace(&r.events);
        assert_eq!(tr.lines().count(), 2);
        assert!(
            tr.lines()
                .nth(1)
                .unwrap()
                .contains("+1.000s ParallelStateStarted"),
            "{tr}"
        );
    }

    #[test]
    fn the_limit_fails_the_execution_unless_it_is_closing() {
        let mut r = Recorder::new(3);
        assert_eq!(r.push(t(0), EventType::ExecutionStarted, 0, None), Ok(1));
        assert_eq!(r.push(t(0), EventType::PassStateEntered, 1, None), Ok(2));
        assert_eq!(
            r.push(t(0), EventType::PassStateExited, 2, None),
            Err(HistoryFull)
        );
        assert_eq!(r.events.len(), 3);
        assert_eq!(r.events[2].event_type, EventType::ExecutionFailed);
        assert!(
            r.push(t(0), EventType::ExecutionSucceeded, 2, None)
                .is_err()
        );

        let mut r = Recorder::new(3);
        r.push(t(0), EventType::ExecutionStarted, 0, None).unwrap();
        r.push(t(0), EventType::PassStateEntered, 1, None).unwrap();
        assert_eq!(r.push(t(0), EventType::ExecutionSucceeded, 2, None), Ok(3));
    }
}
