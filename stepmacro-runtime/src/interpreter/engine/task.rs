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

use std::time::Duration;

use serde_json::{Value, json};

use crate::Failure;
use crate::asl::QueryLanguage;

use super::super::error::{StateError, names};
use super::super::execution::TaskCall;
use super::super::history::{
    ActivityStartedDetails, ErrorDetails, EventDetails, EventType, OutputDetails, PayloadDetails,
    ScheduledDetails, TaskErrorDetails, TaskOutputDetails, TaskResourceDetails,
    TaskScheduledDetails,
};
use super::super::jsonata::States;
use super::super::plan::{Resource, StatePlan, TaskPlan};
use super::super::value::to_json;
use super::flow::Exit;
use super::io::{self, Extra, StateInfo};
use super::vars::Vars;
use super::{Cursor, Run, lock};

/// How the events of a resource are named.
enum Style {
    /// `TaskScheduled`/`TaskStarted`/`TaskSucceeded`... with a resource type and name.
    Task {
        resource_type: String,
        resource: String,
    },
    /// `LambdaFunctionScheduled`... (legacy direct function ARN).
    Lambda,
    /// `ActivityScheduled`...
    Activity,
}

/// Why an attempt did not return a value.
enum Stop {
    Failed(Failure),
    TimedOut(StateError),
}

/// The suffixes a service integration's resource may carry.
const SUFFIXES: [&str; 3] = [".sync:2", ".sync", ".waitForTaskToken"];

impl Run<'_> {
    pub(super) async fn task<'p>(
        &self,
        st: &'p StatePlan,
        t: &TaskPlan,
        raw: &Value,
        vars: &Vars,
        cur: &mut Cursor,
        info: &StateInfo<'_>,
    ) -> Result<Exit<'p>, StateError> {
        let extra = if t.resource.wants_token() {
            Extra::Token(lock(&self.rng).uuid_v4())
        } else {
            Extra::None
        };
        let states = States::input(raw);
        let (input, timeout, heartbeat) =
            self.eval(info, &extra, vars, |ctx| -> Result<_, StateError> {
                let (eff, input) = match st.lang {
                    QueryLanguage::JsonPath => {
                        let eff = io::input_path(&st.input_path, raw, ctx)?;
                        let input = match &st.parameters {
                            Some(p) => p.eval(&eff, ctx)?,
                            None => eff.clone(),
                        };
                        (eff, input)
                    }
                    QueryLanguage::Jsonata => {
                        let input = match &st.arguments {
                            Some(a) => a.eval(&states, "Arguments", ctx)?,
                            None => raw.clone(),
                        };
                        (raw.clone(), input)
                    }
                };
                let timeout =
                    io::dyn_int(&t.timeout_seconds, "TimeoutSeconds", &eff, &states, ctx)?;
                let heartbeat =
                    io::dyn_int(&t.heartbeat_seconds, "HeartbeatSeconds", &eff, &states, ctx)?;
                Ok((input, timeout, heartbeat))
            })?;
        self.check_size(&input, "task input")?;
        let result = self
            .invoke(
                &st.name,
                &t.resource,
                input,
                timeout.filter(|s| *s > 0),
                heartbeat.filter(|s| *s > 0),
                cur,
            )
            .await?;
        self.check_size(&result, "task result")?;
        self.finish_work(st, raw, vars, info, result)
    }

    /// The mock key for a non-Lambda resource: as written, without a suffix, then `"*"`.
    fn service_key(&self, arn: &str) -> Option<String> {
        let base = SUFFIXES
            .iter()
            .find_map(|s| arn.strip_suffix(s))
            .unwrap_or(arn);
        [arn, base, "*"]
            .into_iter()
            .find(|k| self.mocks.contains(k))
            .map(str::to_owned)
    }

    /// Calls the task once (one attempt), recording its events.
    async fn invoke(
        &self,
        state: &str,
        res: &Resource,
        input: Value,
        timeout: Option<u64>,
        heartbeat: Option<u64>,
        cur: &mut Cursor,
    ) -> Result<Value, StateError> {
        let (key, mock, call_input, style, tried) = match res {
            Resource::LambdaInvoke { arn, .. } => {
                let function = input.get("FunctionName").and_then(Value::as_str).ok_or_else(|| {
                    StateError::runtime(format!(
                        "The field 'FunctionName' is required for '{arn}' and must be a string (state '{state}')"
                    ))
                })?;
                let payload = match input.get("Payload") {
                    None | Some(Value::Null) => json!({}),
                    Some(Value::String(s)) => {
                        serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
                    }
                    Some(v) => v.clone(),
                };
                let action = arn
                    .rsplit_once(":lambda:")
                    .map(|(_, a)| a)
                    .unwrap_or("invoke");
                (
                    function.to_owned(),
                    self.mocks.lookup_key(function).map(str::to_owned),
                    payload,
                    Style::Task {
                        resource_type: "lambda".to_owned(),
                        resource: action.to_owned(),
                    },
                    format!("{function} (and its bare name, or \"*\")"),
                )
            }
            Resource::LambdaFunction { arn } => (
                arn.clone(),
                self.mocks.lookup_key(arn).map(str::to_owned),
                input.clone(),
                Style::Lambda,
                format!("{arn} (and its function name, or \"*\")"),
            ),
            Resource::Activity { arn } => (
                arn.clone(),
                self.service_key(arn),
                input.clone(),
                Style::Activity,
                format!("{arn} or \"*\""),
            ),
            Resource::Service {
                arn,
                service,
                action,
                ..
            } => (
                arn.clone(),
                self.service_key(arn),
                input.clone(),
                Style::Task {
                    resource_type: service.clone(),
                    resource: action.clone(),
                },
                format!("{arn} (with and without its suffix) or \"*\""),
            ),
        };
        let input_text = to_json(&input);
        match &style {
            Style::Task {
                resource_type,
                resource,
            } => {
                self.event(
                    cur,
                    EventType::TaskScheduled,
                    Some(EventDetails::TaskScheduled(TaskScheduledDetails {
                        resource_type: resource_type.clone(),
                        resource: resource.clone(),
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
                        resource_type: resource_type.clone(),
                        resource: resource.clone(),
                    })),
                )?;
            }
            Style::Lambda => {
                self.event(
                    cur,
                    EventType::LambdaFunctionScheduled,
                    Some(EventDetails::LambdaFunctionScheduled(ScheduledDetails {
                        resource: res.arn().to_owned(),
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
                        resource: res.arn().to_owned(),
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
                        worker_name: "stepmacro-interpreter".to_owned(),
                    })),
                )?;
            }
        }
        self.record_call(TaskCall {
            state: state.to_owned(),
            resource: res.arn().to_owned(),
            key: key.clone(),
            mock: mock.clone(),
            input: call_input.clone(),
        });

        let outcome = self
            .call_with_deadline(mock.as_deref(), &tried, call_input, timeout, heartbeat)
            .await;
        let outcome = outcome.map(|v| match res {
            Resource::LambdaInvoke {
                wait_for_token: false,
                ..
            } => {
                let event = input.get("InvocationType").and_then(Value::as_str) == Some("Event");
                if event {
                    json!({"ExecutedVersion": "$LATEST", "Payload": "", "StatusCode": 202})
                } else {
                    json!({"ExecutedVersion": "$LATEST", "Payload": v, "StatusCode": 200})
                }
            }
            _ => v,
        });
        match outcome {
            Ok(result) => {
                let output = to_json(&result);
                let (ty, details) = match &style {
                    Style::Task {
                        resource_type,
                        resource,
                    } => (
                        EventType::TaskSucceeded,
                        EventDetails::TaskSucceeded(TaskOutputDetails {
                            resource_type: resource_type.clone(),
                            resource: resource.clone(),
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
                Ok(result)
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
                let (ty, details) = match (&style, timed_out) {
                    (
                        Style::Task {
                            resource_type,
                            resource,
                        },
                        t,
                    ) => {
                        let d = TaskErrorDetails {
                            resource_type: resource_type.clone(),
                            resource: resource.clone(),
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
    async fn call_with_deadline(
        &self,
        mock: Option<&str>,
        tried: &str,
        input: Value,
        timeout: Option<u64>,
        heartbeat: Option<u64>,
    ) -> Result<Value, Stop> {
        let Some(key) = mock else {
            return Err(Stop::Failed(Failure::new(
                names::HARNESS_PREFIX.to_owned() + "NoMock",
                format!("no mock for {tried}"),
            )));
        };
        let call = self.clock.attempt(self.mocks.call(key, input));
        let deadline = match (timeout, heartbeat) {
            (None, None) => None,
            (Some(t), None) => Some((t, false)),
            (None, Some(h)) => Some((h, true)),
            (Some(t), Some(h)) => Some(if h < t { (h, true) } else { (t, false) }),
        };
        let Some((secs, is_heartbeat)) = deadline else {
            return call.await.map_err(Stop::Failed);
        };
        let timer = self.clock.sleep(Duration::from_secs(secs));
        futures::pin_mut!(call);
        futures::pin_mut!(timer);
        match futures::future::select(call, timer).await {
            futures::future::Either::Left((r, _)) => r.map_err(Stop::Failed),
            futures::future::Either::Right(_) => Err(Stop::TimedOut(if is_heartbeat {
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
        }
    }
}
