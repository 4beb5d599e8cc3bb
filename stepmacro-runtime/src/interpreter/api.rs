//! [`Interpreter`]: load a definition once, run it many times.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::asl::StateMachine;
use crate::mock::Mocks;
use crate::task::TaskHandle;

use super::clock::{Clock, ClockHandle};
use super::engine::{Identity, Limits, Run};
use super::error::DefinitionError;
use super::execution::Execution;
use super::plan::{self, Plan};
use super::rng::Rng;

/// Something a definition can be read from: JSON text, a JSON value or the typed model.
pub trait Definition {
    /// The typed model of the definition.
    fn to_machine(&self) -> Result<Cow<'_, StateMachine>, DefinitionError>;
}

impl Definition for str {
    fn to_machine(&self) -> Result<Cow<'_, StateMachine>, DefinitionError> {
        StateMachine::from_json(self).map(Cow::Owned).map_err(|e| {
            let location = if e.states.is_empty() {
                String::new()
            } else {
                format!("/States/{}", e.states.join("/…/"))
            };
            let message = if e.line > 0 {
                format!("{} (line {}, column {})", e.message, e.line, e.column)
            } else {
                e.message
            };
            DefinitionError::new(location, message)
        })
    }
}

impl Definition for String {
    fn to_machine(&self) -> Result<Cow<'_, StateMachine>, DefinitionError> {
        self.as_str().to_machine()
    }
}

impl Definition for Value {
    fn to_machine(&self) -> Result<Cow<'_, StateMachine>, DefinitionError> {
        self.to_string()
            .to_machine()
            .map(|m| Cow::Owned(m.into_owned()))
    }
}

impl Definition for StateMachine {
    fn to_machine(&self) -> Result<Cow<'_, StateMachine>, DefinitionError> {
        Ok(Cow::Borrowed(self))
    }
}

impl<T: Definition + ?Sized> Definition for &T {
    fn to_machine(&self) -> Result<Cow<'_, StateMachine>, DefinitionError> {
        (**self).to_machine()
    }
}

/// Runs the model's static validator (the rules of asl-reference §10, as AWS checks them when a
/// state machine is created); its errors reject the definition, its warnings do not.
fn validate(machine: &StateMachine) -> Result<(), DefinitionError> {
    let errors: Vec<crate::asl::Diagnostic> = crate::asl::validate(machine)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    // Each diagnostic names its state and scope itself.
    let message = errors
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    Err(DefinitionError::new("", message))
}

/// A local ASL interpreter for one state machine definition.
///
/// ```
/// use serde_json::json;
/// use stepmacro_runtime::interpreter::Interpreter;
/// use stepmacro_runtime::mock::{Mocks, Response};
///
/// let def = r#"{
///   "StartAt": "Charge",
///   "States": {
///     "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
///                "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
///                "OutputPath": "$.Payload", "Next": "Pause"},
///     "Pause": {"Type": "Wait", "Seconds": 86400, "End": true}
///   }
/// }"#;
/// let interpreter = Interpreter::new(def)
///     .unwrap()
///     .tasks(Mocks::new().always("charge", Response::Return(json!({"ok": true}))));
/// let execution = interpreter.run_blocking(json!({"amount": 3}));
/// assert_eq!(execution.output(), Some(&json!({"ok": true})));
/// // The day-long Wait took no real time, but shows in the history.
/// let (start, stop) = execution.start_and_stop().unwrap();
/// assert_eq!((stop - start).num_seconds(), 86400);
/// ```
///
/// Runs are independent except for the mocks, whose canned answer lists are shared (as with one
/// table of mocks in a test harness).
#[derive(Clone)]
pub struct Interpreter {
    plan: Arc<Plan>,
    mocks: Mocks,
    clock: Clock,
    seed: Option<u64>,
    start_time: Option<DateTime<Utc>>,
    state_machine_name: String,
    execution_name: Option<String>,
    limits: Limits,
}

impl std::fmt::Debug for Interpreter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interpreter")
            .field("clock", &self.clock)
            .field("seed", &self.seed)
            .field("state_machine_name", &self.state_machine_name)
            .finish_non_exhaustive()
    }
}

impl Interpreter {
    /// Loads a definition (JSON text, a `serde_json::Value` or an [`asl::StateMachine`](crate::asl::StateMachine)),
    /// validates it like AWS does on creation, and checks that it can run: every path, template, intrinsic call and JSONata expression
    /// parses, every transition has a target, fields match the query language.
    pub fn new<D: Definition + ?Sized>(definition: &D) -> Result<Interpreter, DefinitionError> {
        let machine = definition.to_machine()?;
        validate(&machine)?;
        let plan = plan::compile(&machine)?;
        Ok(Interpreter {
            plan: Arc::new(plan),
            mocks: Mocks::new(),
            clock: Clock::Virtual,
            seed: None,
            start_time: None,
            state_machine_name: "stepmacro".to_owned(),
            execution_name: None,
            limits: Limits::default(),
        })
    }

    /// The interpreter for a `workflow!`: its definition (the bytes `cargo build` writes), named
    /// after the workflow, with every `#[task]` it calls registered in process. Add or override
    /// behaviours with [`Interpreter::map_tasks`].
    pub fn for_workflow<W: crate::Workflow>() -> Result<Interpreter, DefinitionError> {
        let mut interpreter = Interpreter::new(W::DEFINITION)?.state_machine_name(W::NAME);
        for handle in W::tasks() {
            interpreter = interpreter.task(handle);
        }
        Ok(interpreter)
    }

    /// The task behaviours (mocks and in-process `#[task]` handles). Replaces earlier ones.
    pub fn tasks(mut self, mocks: Mocks) -> Self {
        self.mocks = mocks;
        self
    }

    /// Changes the current behaviours, e.g. mocks one task of a workflow whose other tasks run in
    /// process: `.map_tasks(|m| m.always("charge", Response::Throw(..)))`.
    pub fn map_tasks(mut self, f: impl FnOnce(Mocks) -> Mocks) -> Self {
        self.mocks = f(std::mem::take(&mut self.mocks));
        self
    }

    /// Adds one in-process task, found by its function name.
    pub fn task(mut self, handle: TaskHandle) -> Self {
        self.mocks = self.mocks.task(handle);
        self
    }

    /// Virtual (default) or real time.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Seeds the run's random numbers (retry jitter, `States.UUID`, `$random()`, execution name),
    /// so a run is repeatable. Without a seed every run differs.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Where the virtual clock starts (default: the real time when the run starts).
    pub fn start_time(mut self, t: impl Into<DateTime<Utc>>) -> Self {
        self.start_time = Some(t.into());
        self
    }

    /// The state machine name in ARNs and `$$.StateMachine.Name` (default `stepmacro`).
    pub fn state_machine_name(mut self, name: impl Into<String>) -> Self {
        self.state_machine_name = name.into();
        self
    }

    /// The execution name (`$$.Execution.Name`; default: a random UUID from the run's generator).
    pub fn execution_name(mut self, name: impl Into<String>) -> Self {
        self.execution_name = Some(name.into());
        self
    }

    /// Overrides the history limit (AWS: 25,000 events), e.g. to test that limit quickly.
    pub fn max_history_events(mut self, n: usize) -> Self {
        self.limits.history_events = n;
        self
    }

    /// Runs one execution with `input`.
    ///
    /// The future does not need a particular executor with the virtual clock; with
    /// [`Clock::Real`] it needs a tokio runtime with the time driver enabled.
    pub async fn run(&self, input: Value) -> Execution {
        let mut rng = match self.seed {
            Some(s) => Rng::new(s),
            None => Rng::from_entropy(),
        };
        let execution_name = self.execution_name.clone().unwrap_or_else(|| rng.uuid_v4());
        let start = match self.clock {
            Clock::Virtual => self.start_time.unwrap_or_else(Utc::now),
            Clock::Real => Utc::now(),
        };
        let clock = ClockHandle::new(self.clock, start);
        let id = Identity {
            region: "us-east-1".into(),
            account: "123456789012".to_owned(),
            state_machine_name: self.state_machine_name.clone(),
            execution_name,
            role_arn: "arn:aws:iam::123456789012:role/stepmacro-interpreter".into(),
        };
        let run = Run::new(
            &self.plan,
            &self.mocks,
            clock.clone(),
            rng,
            id,
            self.limits.clone(),
            input,
        );
        let (status, history, calls) = clock.drive(run.execute()).await;
        Execution {
            status,
            history,
            calls,
        }
    }

    /// [`Interpreter::run`] on a fresh single-threaded tokio runtime (time enabled). Must not be
    /// called from inside an async runtime; use `run(..).await` there.
    pub fn run_blocking(&self, input: Value) -> Execution {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread tokio runtime builds")
            .block_on(self.run(input))
    }
}
