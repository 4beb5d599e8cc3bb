//! Task states: building the task input, calling the task through [`Mocks`](crate::mock::Mocks),
//! timeouts, and the events AWS records for each kind of resource.
//!
//! Resolution (as the asl-check harness does it):
//! * `arn:aws:states:::lambda:invoke`: the mock named by `FunctionName` (exact, `name:qualifier`,
//!   bare name, `"*"`) receives `Payload`; the result is `{ExecutedVersion, Payload, StatusCode}`.
//! * `arn:aws:lambda:...:function:NAME[:QUALIFIER]`: the mock for the ARN (same name rules)
//!   receives the input; the result is its return value.
//! * anything else: the mock keyed by the resource as written, then without `.sync`/`.sync:2`/
//!   `.waitForTaskToken`, then `"*"`. Callback (`.waitForTaskToken`) tasks take the mock's value
//!   as the callback output.
//!
//! A task's error becomes the state's Error/Cause unchanged. A missing or exhausted mock is a
//! `Harness.*` error, which no Retry or Catch handles: a test must not pass because a Catch
//! swallowed a setup mistake.

use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures::future::{self, Either, FutureExt};
use serde_json::Value;

use crate::Failure;
use crate::asl::QueryLanguage;

use super::super::error::{StateError, names};
use super::super::execution::TaskCall;
use super::super::history::{
    ActivityStartedDetails, ErrorDetails, EventDetails, EventType, OutputDetails, PayloadDetails,
    ScheduledDetails, TaskErrorDetails, TaskOutputDetails, TaskResourceDetails,
    TaskScheduledDetails,
};
use super::super::json_text;
use super::super::jsonata::States;
use super::super::plan::{Resource, StatePlan, TaskPlan};
use super::super::state_result::StateResult;
use super::super::template::JTemplate;
use super::super::value::to_json;
use super::flow::Exit;
use super::io::{self, Extra, StateInfo};
use super::vars::Vars;
use super::{Cursor, Run};

/// How the events of a resource are named.
enum Style<'p> {
    /// `TaskScheduled`/`TaskStarted`/`TaskSucceeded`... with a resource type and name.
    Task {
        resource_type: &'p Arc<str>,
        resource: &'p Arc<str>,
    },
    /// `LambdaFunctionScheduled`... (legacy direct function ARN).
    Lambda,
    /// `ActivityScheduled`...
    Activity,
}

/// A scheduled task call (see [`Run::begin_task`]).
pub(super) struct Scheduled<'r> {
    pub call: Call<'r>,
    pub end: CallEnd<'r>,
}

/// What the call needs.
pub(super) struct Call<'r> {
    mock: Option<&'r Arc<str>>,
    /// The `Harness.NoMock` cause, when there is no mock.
    missing: Option<String>,
    /// What the task receives.
    input: Value,
    timeout: Option<u64>,
    heartbeat: Option<u64>,
}

/// What the end of the call records.
pub(super) struct CallEnd<'r> {
    res: &'r Resource,
    style: Style<'r>,
    /// `InvocationType: Event`: Lambda answers 202 with an empty payload.
    async_event: bool,
}

/// Why an attempt did not return a value.
pub(super) enum Stop {
    Failed(Failure),
    TimedOut(StateError),
}

/// The suffixes a service integration's resource may carry.
const SUFFIXES: [&str; 3] = [".sync:2", ".sync", ".waitForTaskToken"];

impl Run<'_> {
    /// A Task's attempt up to the call: its input (and `TimeoutSeconds`/`HeartbeatSeconds`)
    /// evaluated, the task resolved, its scheduled events and [`TaskCall`] recorded. Then
    /// [`Run::call_task`] makes the call and [`Run::end_task`] finishes the state.
    ///
    /// Why three plain functions and one future rather than one `async fn`: the future of every
    /// state visit (and every Map iteration's scope) is as large as everything its `async fn`s
    /// hold across their awaits, nested; kept to the call itself it stays under a kilobyte,
    /// which keeps each iteration's allocation small and cheap.
    pub(super) fn begin_task<'r>(
        &'r self,
        st: &StatePlan,
        t: &'r TaskPlan,
        raw: &Value,
        vars: &Vars,
        cur: &mut Cursor,
        info: &StateInfo<'_>,
    ) -> Result<Scheduled<'r>, StateError> {
        let extra = if t.resource.wants_token() {
            Extra::Token(self.rng.with(|r| r.uuid_v4()))
        } else {
            Extra::None
        };
        let states = States::input(raw);
        let (input, timeout, heartbeat) =
            self.eval(info, &extra, vars, |ctx| -> Result<_, StateError> {
                // `eff` is `$` of the JSONPath fields below; a JSONata state has only `raw`.
                let (eff, input) = match st.lang {
                    QueryLanguage::JsonPath => {
                        let eff = io::input_path(&st.input_path, raw, ctx)?;
                        let input = match &st.parameters {
                            Some(p) => p.eval(&eff, ctx)?,
                            None => eff.clone(),
                        };
                        (Cow::Owned(eff), TaskInput::Value(input))
                    }
                    QueryLanguage::Jsonata => {
                        let input = match &st.arguments {
                            Some(JTemplate::Object(fields))
                                if matches!(t.resource, Resource::LambdaInvoke { .. }) =>
                            {
                                TaskInput::Fields(
                                    fields
                                        .iter()
                                        .map(|(k, f)| {
                                            Ok((k.as_str(), f.eval_cow(&states, "Arguments", ctx)?))
                                        })
                                        .collect::<Result<_, StateError>>()?,
                                )
                            }
                            Some(a) => TaskInput::Value(a.eval(&states, "Arguments", ctx)?),
                            None => TaskInput::Value(raw.clone()),
                        };
                        (Cow::Borrowed(raw), input)
                    }
                };
                let timeout =
                    io::dyn_int(&t.timeout_seconds, "TimeoutSeconds", &eff, &states, ctx)?;
                let heartbeat =
                    io::dyn_int(&t.heartbeat_seconds, "HeartbeatSeconds", &eff, &states, ctx)?;
                Ok((input, timeout, heartbeat))
            })?;
        self.schedule(
            &st.name,
            &t.resource,
            input,
            timeout.filter(|s| *s > 0),
            heartbeat.filter(|s| *s > 0),
            cur,
        )
    }

    /// The rest of a Task's attempt once the call ended: its events, the payload limit, and the
    /// state's output pipeline.
    pub(super) fn end_task<'p>(
        &self,
        st: &'p StatePlan,
        raw: &Value,
        vars: &Vars,
        info: &StateInfo<'_>,
        (end, outcome): (CallEnd<'_>, Result<Value, Stop>),
        cur: &mut Cursor,
    ) -> Result<Exit<'p>, StateError> {
        let (result, result_len) = self.finish_call(end, outcome, cur)?;
        self.check_len(result_len, "task result")?;
        self.finish_work(st, raw, vars, info, result)
    }

    /// The mock key for a non-Lambda resource: as written, without a suffix, then `"*"`.
    fn service_key(&self, arn: &str) -> Option<&Arc<str>> {
        let base = SUFFIXES
            .iter()
            .find_map(|s| arn.strip_suffix(s))
            .unwrap_or(arn);
        [arn, base, "*"]
            .into_iter()
            .find_map(|k| self.mocks.exact_key(k))
    }

    /// Resolves the task and records its scheduled/started events and its [`TaskCall`]. Returns
    /// what the call needs and what its end records.
    ///
    /// This runs for every task call, so it allocates only what the history and the recorded
    /// [`TaskCall`] keep: names are shared with the plan and the mocks, the payload is moved out
    /// of the input rather than copied, and the "no mock" message is only written when there is
    /// no mock.
    fn schedule<'r>(
        &'r self,
        state: &Arc<str>,
        res: &'r Resource,
        input: TaskInput<'_>,
        timeout: Option<u64>,
        heartbeat: Option<u64>,
        cur: &mut Cursor,
    ) -> Result<Scheduled<'r>, StateError> {
        // One serialisation serves the payload limit and the scheduled event.
        let input_text = input.text();
        self.check_len(input_text.len(), "task input")?;
        let (key, mock, call_input, style, async_event) = match res {
            Resource::LambdaInvoke {
                arn,
                service,
                action,
                ..
            } => {
                // One pass over the (owned) fields, no key hashing: the payload is moved out.
                let (mut function, mut payload, mut async_event) = (None, None, false);
                match input {
                    TaskInput::Fields(fields) => {
                        for (k, v) in fields {
                            lambda_field(k, v, &mut function, &mut payload, &mut async_event);
                        }
                    }
                    TaskInput::Value(Value::Object(fields)) => {
                        for (k, v) in fields {
                            lambda_field(
                                &k,
                                Cow::Owned(v),
                                &mut function,
                                &mut payload,
                                &mut async_event,
                            );
                        }
                    }
                    TaskInput::Value(_) => {}
                }
                let Some(function) = function else {
                    return Err(function_name_required(arn, state));
                };
                let mock = self.mocks.lookup_key(&function);
                // The recorded key shares the mock's name when it is the `FunctionName` itself.
                let key = match mock {
                    Some(m) if **m == *function => m.clone(),
                    _ => Arc::from(&*function),
                };
                let payload = match payload {
                    None | Some(Value::Null) => Value::Object(serde_json::Map::new()),
                    Some(Value::String(s)) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
                    Some(v) => v,
                };
                (
                    key,
                    mock,
                    payload,
                    Style::Task {
                        resource_type: service,
                        resource: action,
                    },
                    async_event,
                )
            }
            Resource::LambdaFunction { arn } => (
                arn.clone(),
                self.mocks.lookup_key(arn),
                input.into_value(),
                Style::Lambda,
                false,
            ),
            Resource::Activity { arn } => (
                arn.clone(),
                self.service_key(arn),
                input.into_value(),
                Style::Activity,
                false,
            ),
            Resource::Service {
                arn,
                service,
                action,
                ..
            } => (
                arn.clone(),
                self.service_key(arn),
                input.into_value(),
                Style::Task {
                    resource_type: service,
                    resource: action,
                },
                false,
            ),
        };
        match &style {
            Style::Task {
                resource_type,
                resource,
            } => {
                self.event(
                    cur,
                    EventType::TaskScheduled,
                    Some(EventDetails::TaskScheduled(TaskScheduledDetails {
                        resource_type: Arc::clone(resource_type),
                        resource: Arc::clone(resource),
                        region: self.id.region.clone(),
                        parameters: input_text,
                        timeout_in_seconds: timeout,
                        heartbeat_in_seconds: heartbeat,
                    })),
                )?;
                self.event(
                    cur,
                    EventType::TaskStarted,
                    Some(EventDetails::TaskStarted(TaskResourceDetails {
                        resource_type: Arc::clone(resource_type),
                        resource: Arc::clone(resource),
                    })),
                )?;
            }
            Style::Lambda => {
                self.event(
                    cur,
                    EventType::LambdaFunctionScheduled,
                    Some(EventDetails::LambdaFunctionScheduled(ScheduledDetails {
                        resource: res.arn().clone(),
                        input: input_text,
                        input_details: PayloadDetails::default(),
                        timeout_in_seconds: timeout,
                        heartbeat_in_seconds: None,
                    })),
                )?;
                self.event(cur, EventType::LambdaFunctionStarted, None)?;
            }
            Style::Activity => {
                self.event(
                    cur,
                    EventType::ActivityScheduled,
                    Some(EventDetails::ActivityScheduled(ScheduledDetails {
                        resource: res.arn().clone(),
                        input: input_text,
                        input_details: PayloadDetails::default(),
                        timeout_in_seconds: timeout,
                        heartbeat_in_seconds: heartbeat,
                    })),
                )?;
                self.event(
                    cur,
                    EventType::ActivityStarted,
                    Some(EventDetails::ActivityStarted(ActivityStartedDetails {
                        worker_name: "stepmacro-interpreter".into(),
                    })),
                )?;
            }
        }
        let missing = mock.is_none().then(|| no_mock_message(res, &key));
        self.record_call(TaskCall {
            state: state.clone(),
            resource: res.arn().clone(),
            key,
            mock: mock.cloned(),
            input: call_input.clone(),
        });
        Ok(Scheduled {
            call: Call {
                mock,
                missing,
                input: call_input,
                timeout,
                heartbeat,
            },
            end: CallEnd {
                res,
                style,
                async_event,
            },
        })
    }

    /// Records how the call ended; the result and the length of its JSON text.
    fn finish_call(
        &self,
        end: CallEnd<'_>,
        outcome: Result<Value, Stop>,
        cur: &mut Cursor,
    ) -> Result<(StateResult, usize), StateError> {
        let CallEnd {
            res,
            style,
            async_event,
        } = end;
        let style = &style;
        let outcome = outcome.map(|v| match res {
            Resource::LambdaInvoke {
                wait_for_token: false,
                ..
            } => {
                if async_event {
                    StateResult::lambda(Value::String(String::new()), 202)
                } else {
                    StateResult::lambda(v, 200)
                }
            }
            _ => StateResult::Value(v),
        });
        match outcome {
            Ok(result) => {
                let output = result.text();
                let output_len = output.len();
                let (ty, details) = match style {
                    Style::Task {
                        resource_type,
                        resource,
                    } => (
                        EventType::TaskSucceeded,
                        EventDetails::TaskSucceeded(TaskOutputDetails {
                            resource_type: Arc::clone(resource_type),
                            resource: Arc::clone(resource),
                            output,
                            output_details: PayloadDetails::default(),
                        }),
                    ),
                    Style::Lambda => (
                        EventType::LambdaFunctionSucceeded,
                        EventDetails::LambdaFunctionSucceeded(OutputDetails {
                            output,
                            output_details: PayloadDetails::default(),
                        }),
                    ),
                    Style::Activity => (
                        EventType::ActivitySucceeded,
                        EventDetails::ActivitySucceeded(OutputDetails {
                            output,
                            output_details: PayloadDetails::default(),
                        }),
                    ),
                };
                self.event(cur, ty, Some(details))?;
                Ok((result, output_len))
            }
            Err(stop) => {
                let (err, timed_out) = match stop {
                    Stop::Failed(f) => (StateError::from(f), false),
                    Stop::TimedOut(e) => (e, true),
                };
                let plain = ErrorDetails {
                    error: err.error.clone(),
                    cause: err.cause.clone(),
                };
                let (ty, details) = match (style, timed_out) {
                    (
                        Style::Task {
                            resource_type,
                            resource,
                        },
                        t,
                    ) => {
                        let d = TaskErrorDetails {
                            resource_type: Arc::clone(resource_type),
                            resource: Arc::clone(resource),
                            error: err.error.clone(),
                            cause: err.cause.clone(),
                        };
                        if t {
                            (EventType::TaskTimedOut, EventDetails::TaskTimedOut(d))
                        } else {
                            (EventType::TaskFailed, EventDetails::TaskFailed(d))
                        }
                    }
                    (Style::Lambda, true) => (
                        EventType::LambdaFunctionTimedOut,
                        EventDetails::LambdaFunctionTimedOut(plain),
                    ),
                    (Style::Lambda, false) => (
                        EventType::LambdaFunctionFailed,
                        EventDetails::LambdaFunctionFailed(plain),
                    ),
                    (Style::Activity, true) => (
                        EventType::ActivityTimedOut,
                        EventDetails::ActivityTimedOut(plain),
                    ),
                    (Style::Activity, false) => (
                        EventType::ActivityFailed,
                        EventDetails::ActivityFailed(plain),
                    ),
                };
                self.event(cur, ty, Some(details))?;
                Err(err)
            }
        }
    }

    /// Calls the mock, bounded by `TimeoutSeconds` and `HeartbeatSeconds` on the run's clock.
    /// In-process tasks cannot send heartbeats, so an attempt longer than `HeartbeatSeconds`
    /// fails with `States.HeartbeatTimeout` (which `States.Timeout` matchers also catch).
    /// A plain function returning the future (no `async fn` layer of its own; see
    /// [`Run::begin_task`]).
    pub(super) fn call_task<'r>(
        &'r self,
        call: Call<'r>,
    ) -> impl Future<Output = Result<Value, Stop>> + Send + 'r {
        let Call {
            mock,
            missing,
            input,
            timeout,
            heartbeat,
        } = call;
        let Some(key) = mock else {
            return future::ready(Err(Stop::Failed(Failure::new(
                names::HARNESS_PREFIX.to_owned() + "NoMock",
                missing.unwrap_or_default(),
            ))))
            .left_future();
        };
        let attempt = self.clock.attempt(self.mocks.call(key, input));
        let deadline = match (timeout, heartbeat) {
            (None, None) => None,
            (Some(t), None) => Some((t, false)),
            (None, Some(h)) => Some((h, true)),
            (Some(t), Some(h)) => Some(if h < t { (h, true) } else { (t, false) }),
        };
        let Some((secs, is_heartbeat)) = deadline else {
            return attempt
                .map(|r| r.map_err(Stop::Failed))
                .left_future()
                .right_future();
        };
        let timer = self.clock.sleep(Duration::from_secs(secs));
        future::select(attempt, timer)
            .map(move |either| match either {
                Either::Left((r, _)) => r.map_err(Stop::Failed),
                Either::Right(_) => Err(Stop::TimedOut(if is_heartbeat {
                    StateError::new(
                        names::HEARTBEAT_TIMEOUT,
                        format!("The task sent no heartbeat within HeartbeatSeconds ({secs} s)."),
                    )
                } else {
                    StateError::new(
                        names::TIMEOUT,
                        format!("The task did not finish within TimeoutSeconds ({secs} s)."),
                    )
                })),
            })
            .right_future()
            .right_future()
    }
}

/// A Task's input. A `lambda:invoke` Task's JSONata `Arguments` object stays a list of its
/// evaluated fields (literals borrowed from the plan): the call only needs `FunctionName` and
/// `Payload` out of it and the history its text, so building a map of it, hashing its keys, and
/// taking it apart again would be wasted work on every call.
enum TaskInput<'p> {
    Value(Value),
    Fields(Vec<(&'p str, Cow<'p, Value>)>),
}

impl TaskInput<'_> {
    /// The JSON text of the input, as the object it stands for would print.
    fn text(&self) -> String {
        match self {
            TaskInput::Value(v) => to_json(v),
            TaskInput::Fields(fields) => {
                json_text::object(fields.iter().map(|(k, v)| (*k, v.as_ref())))
            }
        }
    }

    fn into_value(self) -> Value {
        match self {
            TaskInput::Value(v) => v,
            TaskInput::Fields(fields) => Value::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.into_owned()))
                    .collect(),
            ),
        }
    }
}

/// Picks `FunctionName`, `Payload` and `InvocationType` out of a `lambda:invoke` input.
fn lambda_field<'a>(
    key: &str,
    value: Cow<'a, Value>,
    function: &mut Option<Cow<'a, str>>,
    payload: &mut Option<Value>,
    async_event: &mut bool,
) {
    match (key, value) {
        ("FunctionName", Cow::Borrowed(Value::String(f))) => *function = Some(Cow::Borrowed(f)),
        ("FunctionName", Cow::Owned(Value::String(f))) => *function = Some(Cow::Owned(f)),
        ("Payload", v) => *payload = Some(v.into_owned()),
        ("InvocationType", v) => *async_event = v.as_str() == Some("Event"),
        _ => {}
    }
}

/// `States.Runtime`: a `lambda:invoke` input without a string `FunctionName`.
fn function_name_required(arn: &str, state: &str) -> StateError {
    StateError::runtime(format!(
        "The field 'FunctionName' is required for '{arn}' and must be a string (state '{state}')"
    ))
}

/// The cause of `Harness.NoMock`: which keys were tried for the call looked up by `key`.
fn no_mock_message(res: &Resource, key: &str) -> String {
    match res {
        Resource::LambdaInvoke { .. } => format!("no mock for {key} (and its bare name, or \"*\")"),
        Resource::LambdaFunction { arn } => {
            format!("no mock for {arn} (and its function name, or \"*\")")
        }
        Resource::Activity { arn } => format!("no mock for {arn} or \"*\""),
        Resource::Service { arn, .. } => {
            format!("no mock for {arn} (with and without its suffix) or \"*\"")
        }
    }
}
