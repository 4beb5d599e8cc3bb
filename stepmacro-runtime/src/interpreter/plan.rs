//! The executable form of a definition: the typed ASL model ([`crate::asl`]) with every path,
//! template, intrinsic call and JSONata expression parsed once, transitions checked, and each
//! field read in the state's query language.
//!
//! Building a plan is also the interpreter's definition check: anything it cannot run is a
//! [`DefinitionError`] naming the state and field, before the first event is recorded.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use crate::asl::{
    self, Catcher, ChoiceRule, Json, NumberOrExpr, ProcessorMode, QueryLanguage, State,
    StateMachine, States,
};

use super::choice::{Cond, parse_timestamp};
use super::error::DefinitionError;
use std::sync::atomic::AtomicUsize;

use super::intrinsics::{self, Call};
use super::jsonata;
use super::jsonpath::{Path, Root};
use super::retry::RetryPolicy;
use super::template::{JTemplate, Template};

/// A whole definition.
#[derive(Debug)]
pub struct Plan {
    pub root: Scope,
    pub timeout_seconds: Option<u64>,
    /// How many events the latest run of this plan recorded: the next run reserves that much
    /// history up front instead of regrowing (and copying) a vector of large events as it goes.
    /// Only a capacity hint; it never changes what a run does.
    pub history_hint: AtomicUsize,
    /// How many task calls the last run of this plan made: the next run's call list starts
    /// with that capacity (a list that grows by doubling copies itself several times).
    pub calls_hint: AtomicUsize,
}

/// One `States` object: the machine, a Parallel branch or a Map processor.
#[derive(Debug)]
pub struct Scope {
    pub start_at: String,
    pub states: HashMap<String, StatePlan>,
    /// Whether a state of this scope (or a Catcher or Choice rule of one) has an `Assign`. A Map
    /// iteration of a processor without one needs no variable scope of its own.
    pub assigns: bool,
}

/// `InputPath` / `OutputPath` / `ResultPath`: absent (`$`), `null`, or a path.
#[derive(Debug, Clone)]
pub enum PathSpec {
    Default,
    Null,
    Path(Path),
}

/// An `Assign` block in the state's language.
#[derive(Debug, Clone)]
pub enum AssignPlan {
    /// `"name.$"` keys allowed; compiled as a payload template over the state's `$`.
    JsonPath(Template),
    /// `{% %}` values allowed.
    Jsonata(JTemplate),
}

/// A per-language payload (ItemSelector, ItemReader/ResultWriter parameters, BatchInput).
#[derive(Debug, Clone)]
pub enum Payload {
    JsonPath(Template),
    Jsonata(JTemplate),
}

/// A number field that may be literal, read from a path (JSONPath `...Path`) or computed (JSONata).
#[derive(Debug, Clone)]
pub enum Dyn {
    Absent,
    Literal(Value),
    Path(Path),
    Expr(String),
}

/// One state.
#[derive(Debug)]
pub struct StatePlan {
    /// Shared with every history event and task call that names the state.
    pub name: Arc<str>,
    pub lang: QueryLanguage,
    pub kind: Kind,
    /// `Next`; `None` is `"End": true` (irrelevant for Choice, Succeed and Fail).
    pub next: Option<String>,
    pub input_path: PathSpec,
    pub output_path: PathSpec,
    pub result_path: PathSpec,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub arguments: Option<JTemplate>,
    pub output: Option<JTemplate>,
    pub assign: Option<AssignPlan>,
    pub retry: Vec<RetryPolicy>,
    pub catch: Vec<CatchPlan>,
}

/// One `Catch` entry.
#[derive(Debug)]
pub struct CatchPlan {
    pub error_equals: Vec<String>,
    pub next: String,
    pub result_path: PathSpec,
    pub output: Option<JTemplate>,
    pub assign: Option<AssignPlan>,
}

#[derive(Debug)]
pub enum Kind {
    Task(TaskPlan),
    Pass {
        result: Option<Value>,
    },
    Choice {
        rules: Vec<RulePlan>,
        default: Option<String>,
    },
    Wait(WaitPlan),
    Succeed,
    Fail {
        error: FailField,
        cause: FailField,
    },
    Parallel {
        branches: Vec<Scope>,
    },
    Map(Box<MapPlan>),
}

/// A Task's resource, classified by integration.
#[derive(Debug, Clone, PartialEq)]
pub enum Resource {
    /// `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: `FunctionName` + `Payload` in the input;
    /// the result is wrapped in `{ExecutedVersion, Payload, StatusCode}`.
    LambdaInvoke {
        arn: Arc<str>,
        wait_for_token: bool,
        /// `"lambda"` and `invoke` / `invoke.waitForTaskToken`: the events' resource type and
        /// resource, kept here so that recording them allocates nothing.
        service: Arc<str>,
        action: Arc<str>,
    },
    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`: the input is the event, the
    /// result is the function's return value.
    LambdaFunction { arn: Arc<str> },
    /// `arn:aws:states:REGION:ACCOUNT:activity:NAME`.
    Activity { arn: Arc<str> },
    /// `arn:aws:states:::SERVICE:ACTION[.sync|.sync:2|.waitForTaskToken]` and anything else.
    Service {
        arn: Arc<str>,
        service: Arc<str>,
        action: Arc<str>,
        wait_for_token: bool,
    },
}

impl Resource {
    pub fn parse(arn: &str) -> Resource {
        let parts: Vec<&str> = arn.split(':').collect();
        if parts.len() >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" {
            return Resource::LambdaFunction { arn: arn.into() };
        }
        if parts.len() >= 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity" {
            return Resource::Activity { arn: arn.into() };
        }
        if let Some(rest) = arn
            .strip_prefix("arn:")
            .and_then(|r| r.split_once(":states:::"))
            .map(|(_, r)| r)
        {
            let (service, action) = rest.split_once(':').unwrap_or((rest, ""));
            let wait_for_token = action.ends_with(".waitForTaskToken");
            if service == "lambda" && (action == "invoke" || action == "invoke.waitForTaskToken") {
                return Resource::LambdaInvoke {
                    arn: arn.into(),
                    wait_for_token,
                    service: service.into(),
                    action: action.into(),
                };
            }
            return Resource::Service {
                arn: arn.into(),
                service: service.into(),
                action: action.into(),
                wait_for_token,
            };
        }
        Resource::Service {
            arn: arn.into(),
            service: "unknown".into(),
            action: arn.into(),
            wait_for_token: false,
        }
    }

    pub fn arn(&self) -> &Arc<str> {
        match self {
            Resource::LambdaInvoke { arn, .. }
            | Resource::LambdaFunction { arn }
            | Resource::Activity { arn }
            | Resource::Service { arn, .. } => arn,
        }
    }

    /// Whether the context object carries a `Task.Token` while the input is built.
    pub fn wants_token(&self) -> bool {
        matches!(
            self,
            Resource::LambdaInvoke {
                wait_for_token: true,
                ..
            } | Resource::Service {
                wait_for_token: true,
                ..
            }
        )
    }
}

#[derive(Debug)]
pub struct TaskPlan {
    pub resource: Resource,
    pub timeout_seconds: Dyn,
    pub heartbeat_seconds: Dyn,
}

#[derive(Debug)]
pub struct RulePlan {
    pub cond: Cond,
    pub next: String,
    pub assign: Option<AssignPlan>,
    pub output: Option<JTemplate>,
}

#[derive(Debug)]
pub enum WaitPlan {
    Seconds(Dyn),
    Timestamp(TimestampField),
}

#[derive(Debug)]
pub enum TimestampField {
    Literal(DateTime<FixedOffset>),
    Path(Path),
    Expr(String),
}

/// `Error`/`Cause` of a Fail state.
#[derive(Debug)]
pub enum FailField {
    Absent,
    Literal(String),
    Path(Path),
    Call(Call),
    Expr(String),
}

#[derive(Debug)]
pub struct MapPlan {
    /// JSONPath `ItemsPath` (default `$`).
    pub items_path: Option<Path>,
    /// JSONata `Items` (default: the state input).
    pub items: Option<JTemplate>,
    pub selector: Option<Payload>,
    pub processor: Scope,
    pub distributed: bool,
    pub max_concurrency: Dyn,
    pub tolerated_failure_percentage: Dyn,
    pub tolerated_failure_count: Dyn,
    pub item_reader: Option<ReaderPlan>,
    pub item_batcher: Option<BatcherPlan>,
    pub result_writer: Option<WriterPlan>,
}

#[derive(Debug)]
pub struct ReaderPlan {
    pub resource: String,
    pub input_type: String,
    pub csv_header_location: String,
    pub csv_headers: Vec<String>,
    pub csv_delimiter: char,
    pub max_items: Dyn,
    pub parameters: Option<Payload>,
}

#[derive(Debug)]
pub struct BatcherPlan {
    pub max_items_per_batch: Dyn,
    pub max_input_bytes_per_batch: Dyn,
    pub batch_input: Option<Payload>,
}

#[derive(Debug)]
pub struct WriterPlan {
    pub resource: Option<String>,
    pub parameters: Option<Payload>,
}

/// Compiles a machine.
pub fn compile(machine: &StateMachine) -> Result<Plan, DefinitionError> {
    let lang = machine.query_language();
    let mut seen = HashMap::new();
    let root = compile_scope(&machine.start_at, &machine.states, lang, "", &mut seen)?;
    if machine.timeout_seconds == Some(0) {
        return Err(DefinitionError::new(
            "/TimeoutSeconds",
            "TimeoutSeconds must be positive",
        ));
    }
    Ok(Plan {
        root,
        timeout_seconds: machine.timeout_seconds,
        history_hint: AtomicUsize::new(0),
        calls_hint: AtomicUsize::new(0),
    })
}

fn compile_scope(
    start_at: &str,
    states: &States,
    default_lang: QueryLanguage,
    loc: &str,
    seen: &mut HashMap<String, String>,
) -> Result<Scope, DefinitionError> {
    if states.is_empty() {
        return Err(DefinitionError::new(
            format!("{loc}/States"),
            "States must not be empty",
        ));
    }
    if !states.contains(start_at) {
        return Err(DefinitionError::new(
            format!("{loc}/StartAt"),
            format!("StartAt names no state: {start_at:?}"),
        ));
    }
    let mut out = HashMap::new();
    for (name, state) in states.iter() {
        let sloc = format!("{loc}/States/{name}");
        if let Some(prev) = seen.insert(name.to_owned(), sloc.clone()) {
            return Err(DefinitionError::new(
                sloc,
                format!("state name {name:?} is already used at {prev}"),
            ));
        }
        let plan = compile_state(name, state, default_lang, &sloc, seen)?;
        for target in targets(&plan) {
            if !states.contains(target) {
                return Err(DefinitionError::new(
                    sloc.clone(),
                    format!("transition to unknown state {target:?}"),
                ));
            }
        }
        out.insert(name.to_owned(), plan);
    }
    let assigns = out.values().any(|p| {
        p.assign.is_some()
            || p.catch.iter().any(|c| c.assign.is_some())
            || matches!(&p.kind, Kind::Choice { rules, .. } if rules.iter().any(|r| r.assign.is_some()))
    });
    Ok(Scope {
        start_at: start_at.to_owned(),
        states: out,
        assigns,
    })
}

fn targets(p: &StatePlan) -> Vec<&str> {
    let mut t: Vec<&str> = Vec::new();
    if let Some(n) = &p.next {
        t.push(n);
    }
    if let Kind::Choice { rules, default } = &p.kind {
        t.extend(rules.iter().map(|r| r.next.as_str()));
        t.extend(default.as_deref());
    }
    t.extend(p.catch.iter().map(|c| c.next.as_str()));
    t
}

/// Field-level compile errors, located.
struct Ctx<'a> {
    loc: &'a str,
    lang: QueryLanguage,
}

impl Ctx<'_> {
    fn err(&self, field: &str, msg: impl Into<String>) -> DefinitionError {
        DefinitionError::new(format!("{}/{field}", self.loc), msg)
    }

    fn jsonpath_only<T>(&self, field: &str, v: &Option<T>) -> Result<(), DefinitionError> {
        if v.is_some() && self.lang == QueryLanguage::Jsonata {
            return Err(self.err(
                field,
                format!(
                    "{field} is a JSONPath field; use Arguments/Output/Assign in JSONata states"
                ),
            ));
        }
        Ok(())
    }

    fn jsonata_only<T>(&self, field: &str, v: &Option<T>) -> Result<(), DefinitionError> {
        if v.is_some() && self.lang == QueryLanguage::JsonPath {
            return Err(self.err(
                field,
                format!("{field} is a JSONata field; set \"QueryLanguage\": \"JSONata\" to use it"),
            ));
        }
        Ok(())
    }

    fn path_spec(
        &self,
        field: &str,
        v: &Option<Option<String>>,
    ) -> Result<PathSpec, DefinitionError> {
        self.jsonpath_only(field, v)?;
        match v {
            None => Ok(PathSpec::Default),
            Some(None) => Ok(PathSpec::Null),
            Some(Some(s)) => Path::parse(s)
                .map(PathSpec::Path)
                .map_err(|e| self.err(field, e)),
        }
    }

    fn result_path(
        &self,
        field: &str,
        v: &Option<Option<String>>,
    ) -> Result<PathSpec, DefinitionError> {
        let spec = self.path_spec(field, v)?;
        if let PathSpec::Path(p) = &spec
            && (!p.is_reference() || *p.root() != Root::Input)
        {
            return Err(self.err(
                field,
                format!(
                    "{field} must be a reference path on the input ($...), found {:?}",
                    p.as_str()
                ),
            ));
        }
        Ok(spec)
    }

    fn template(&self, field: &str, v: &Option<Json>) -> Result<Option<Template>, DefinitionError> {
        self.jsonpath_only(field, v)?;
        v.as_ref()
            .map(|j| Template::compile(j).map_err(|e| self.err(field, e)))
            .transpose()
    }

    fn jtemplate(
        &self,
        field: &str,
        v: &Option<Json>,
    ) -> Result<Option<JTemplate>, DefinitionError> {
        self.jsonata_only(field, v)?;
        v.as_ref()
            .map(|j| JTemplate::compile(j).map_err(|e| self.err(field, e)))
            .transpose()
    }

    fn payload(&self, field: &str, v: &Option<Json>) -> Result<Option<Payload>, DefinitionError> {
        let Some(j) = v else { return Ok(None) };
        Ok(Some(match self.lang {
            QueryLanguage::JsonPath => {
                Payload::JsonPath(Template::compile(j).map_err(|e| self.err(field, e))?)
            }
            QueryLanguage::Jsonata => {
                Payload::Jsonata(JTemplate::compile(j).map_err(|e| self.err(field, e))?)
            }
        }))
    }

    fn assign(
        &self,
        field: &str,
        v: &Option<asl::Assign>,
    ) -> Result<Option<AssignPlan>, DefinitionError> {
        let Some(a) = v else { return Ok(None) };
        for key in a.keys() {
            let name = asl::assigned_name(key);
            let mut chars = name.chars();
            let valid = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
                && name.chars().count() <= 80;
            if !valid || name == "states" {
                return Err(self.err(field, format!("invalid variable name {name:?}")));
            }
            if self.lang == QueryLanguage::Jsonata && key.ends_with(".$") {
                return Err(self.err(
                    field,
                    format!(
                        "\"{key}\": .$ keys are JSONPath syntax; use {{% %}} in JSONata states"
                    ),
                ));
            }
        }
        let obj: Value = Value::Object(a.iter().map(|(k, v)| (k.clone(), v.0.clone())).collect());
        Ok(Some(match self.lang {
            QueryLanguage::JsonPath => {
                AssignPlan::JsonPath(Template::compile(&obj).map_err(|e| self.err(field, e))?)
            }
            QueryLanguage::Jsonata => {
                AssignPlan::Jsonata(JTemplate::compile(&obj).map_err(|e| self.err(field, e))?)
            }
        }))
    }

    /// A field with its JSONPath `...Path` twin (`Seconds`/`SecondsPath`, `Error`/`ErrorPath`):
    /// at most one of them, and the twin only in JSONPath states.
    fn field_or_path<'v, L>(
        &self,
        field: &str,
        literal: &'v Option<L>,
        path: &'v Option<String>,
    ) -> Result<FieldOrPath<'v, L>, DefinitionError> {
        let path_field = format!("{field}Path");
        self.jsonpath_only(&path_field, path)?;
        match (literal, path) {
            (Some(_), Some(_)) => Err(self.err(
                field,
                format!("{field} and {path_field} are mutually exclusive"),
            )),
            (None, None) => Ok(FieldOrPath::Absent),
            (Some(l), None) => Ok(FieldOrPath::Literal(l)),
            (None, Some(p)) => Ok(FieldOrPath::Path(path_field, p)),
        }
    }

    /// A `{% %}` expression of `field`, checked to parse.
    fn jsonata_field(&self, field: &str, expr: &str) -> Result<String, DefinitionError> {
        jsonata::check(expr).map_err(|m| self.err(field, format!("invalid JSONata: {m}")))?;
        Ok(expr.to_owned())
    }

    /// A number field with its JSONPath `...Path` twin.
    fn dyn_number(
        &self,
        field: &str,
        v: &Option<NumberOrExpr>,
        path: &Option<String>,
    ) -> Result<Dyn, DefinitionError> {
        match self.field_or_path(field, v, path)? {
            FieldOrPath::Absent => Ok(Dyn::Absent),
            FieldOrPath::Path(path_field, p) => Path::parse(p)
                .map(Dyn::Path)
                .map_err(|e| self.err(&path_field, e)),
            FieldOrPath::Literal(NumberOrExpr::Number(n)) => {
                Ok(Dyn::Literal(Value::Number(n.clone())))
            }
            FieldOrPath::Literal(e @ NumberOrExpr::Expression(s)) => {
                match (self.lang, e.expression()) {
                    (QueryLanguage::Jsonata, Some(expr)) => {
                        Ok(Dyn::Expr(self.jsonata_field(field, expr)?))
                    }
                    _ => Err(self.err(field, format!("{field} must be a number, found {s:?}"))),
                }
            }
        }
    }

    fn retry(&self, retry: &[asl::Retrier]) -> Result<Vec<RetryPolicy>, DefinitionError> {
        retry
            .iter()
            .enumerate()
            .map(|(i, r)| RetryPolicy::compile(r).map_err(|e| self.err(&format!("Retry/{i}"), e)))
            .collect()
    }

    fn catch(&self, catch: &[Catcher]) -> Result<Vec<CatchPlan>, DefinitionError> {
        catch
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let f = format!("Catch/{i}");
                if c.error_equals.is_empty() {
                    return Err(self.err(&f, "ErrorEquals must not be empty"));
                }
                Ok(CatchPlan {
                    error_equals: c.error_equals.clone(),
                    next: c.next.clone(),
                    result_path: self.result_path(&format!("{f}/ResultPath"), &c.result_path)?,
                    output: self.jtemplate(&format!("{f}/Output"), &c.output)?,
                    assign: self.assign(&format!("{f}/Assign"), &c.assign)?,
                })
            })
            .collect()
    }

    fn transition(
        &self,
        next: &Option<String>,
        end: Option<bool>,
    ) -> Result<Option<String>, DefinitionError> {
        match (next, end) {
            (Some(n), None | Some(false)) => Ok(Some(n.clone())),
            (None, Some(true)) => Ok(None),
            (Some(_), Some(true)) => {
                Err(self.err("Next", "Next and \"End\": true are mutually exclusive"))
            }
            (None, _) => Err(self.err("Next", "the state needs Next or \"End\": true")),
        }
    }

    fn fail_field(
        &self,
        field: &str,
        literal: &Option<String>,
        path: &Option<String>,
    ) -> Result<FailField, DefinitionError> {
        match self.field_or_path(field, literal, path)? {
            FieldOrPath::Absent => Ok(FailField::Absent),
            FieldOrPath::Literal(s) => match (self.lang, jsonata::expression_text(s)) {
                (QueryLanguage::Jsonata, Some(expr)) => {
                    Ok(FailField::Expr(self.jsonata_field(field, expr)?))
                }
                _ => Ok(FailField::Literal(s.clone())),
            },
            FieldOrPath::Path(path_field, p) => {
                if intrinsics::looks_like_call(p) {
                    Call::parse(p)
                        .map(FailField::Call)
                        .map_err(|e| self.err(&path_field, e))
                } else {
                    Path::parse(p)
                        .map(FailField::Path)
                        .map_err(|e| self.err(&path_field, e))
                }
            }
        }
    }
}

/// See [`Ctx::field_or_path`]: neither, the field, or the `...Path` twin (with its name).
enum FieldOrPath<'v, L> {
    Absent,
    Literal(&'v L),
    Path(String, &'v str),
}

/// The fields Task, Parallel and Map share: the input/output pipeline of both query languages,
/// Retry, Catch and the transition. (Their ASL structs are distinct types with these same fields.)
macro_rules! work_state_fields {
    ($p:ident, $c:ident, $s:ident) => {
        $p.input_path = $c.path_spec("InputPath", &$s.input_path)?;
        $p.output_path = $c.path_spec("OutputPath", &$s.output_path)?;
        $p.result_path = $c.result_path("ResultPath", &$s.result_path)?;
        $p.result_selector = $c.template("ResultSelector", &$s.result_selector)?;
        $p.output = $c.jtemplate("Output", &$s.output)?;
        $p.assign = $c.assign("Assign", &$s.assign)?;
        $p.retry = $c.retry(&$s.retry)?;
        $p.catch = $c.catch(&$s.catch)?;
        $p.next = $c.transition(&$s.next, $s.end)?;
    };
}

fn compile_state(
    name: &str,
    state: &State,
    default_lang: QueryLanguage,
    loc: &str,
    seen: &mut HashMap<String, String>,
) -> Result<StatePlan, DefinitionError> {
    let lang = state.effective_query_language(default_lang);
    let c = Ctx { loc, lang };
    if name.chars().count() > 80 {
        return Err(c.err("", "state names are at most 80 characters"));
    }
    if default_lang == QueryLanguage::Jsonata && lang == QueryLanguage::JsonPath {
        return Err(c.err(
            "QueryLanguage",
            "a state cannot switch back to JSONPath in a JSONata state machine",
        ));
    }
    let mut p = StatePlan {
        name: name.into(),
        lang,
        kind: Kind::Succeed,
        next: None,
        input_path: PathSpec::Default,
        output_path: PathSpec::Default,
        result_path: PathSpec::Default,
        parameters: None,
        result_selector: None,
        arguments: None,
        output: None,
        assign: None,
        retry: Vec::new(),
        catch: Vec::new(),
    };
    match state {
        State::Task(s) => {
            work_state_fields!(p, c, s);
            p.parameters = c.template("Parameters", &s.parameters)?;
            p.arguments = c.jtemplate("Arguments", &s.arguments)?;
            if s.resource.is_empty() {
                return Err(c.err("Resource", "Resource must not be empty"));
            }
            p.kind = Kind::Task(TaskPlan {
                resource: Resource::parse(&s.resource),
                timeout_seconds: c.dyn_number(
                    "TimeoutSeconds",
                    &s.timeout_seconds,
                    &s.timeout_seconds_path,
                )?,
                heartbeat_seconds: c.dyn_number(
                    "HeartbeatSeconds",
                    &s.heartbeat_seconds,
                    &s.heartbeat_seconds_path,
                )?,
            });
        }
        State::Pass(s) => {
            p.input_path = c.path_spec("InputPath", &s.input_path)?;
            p.output_path = c.path_spec("OutputPath", &s.output_path)?;
            p.result_path = c.result_path("ResultPath", &s.result_path)?;
            p.parameters = c.template("Parameters", &s.parameters)?;
            c.jsonpath_only("Result", &s.result)?;
            p.output = c.jtemplate("Output", &s.output)?;
            p.assign = c.assign("Assign", &s.assign)?;
            p.next = c.transition(&s.next, s.end)?;
            p.kind = Kind::Pass {
                result: s.result.as_ref().map(|j| j.0.clone()),
            };
        }
        State::Choice(s) => {
            p.input_path = c.path_spec("InputPath", &s.input_path)?;
            p.output_path = c.path_spec("OutputPath", &s.output_path)?;
            p.output = c.jtemplate("Output", &s.output)?;
            p.assign = c.assign("Assign", &s.assign)?;
            if s.choices.is_empty() {
                return Err(c.err("Choices", "Choices must not be empty"));
            }
            let rules = s
                .choices
                .iter()
                .enumerate()
                .map(|(i, r)| compile_rule(&c, i, r))
                .collect::<Result<Vec<_>, _>>()?;
            p.kind = Kind::Choice {
                rules,
                default: s.default.clone(),
            };
        }
        State::Wait(s) => {
            p.input_path = c.path_spec("InputPath", &s.input_path)?;
            p.output_path = c.path_spec("OutputPath", &s.output_path)?;
            p.output = c.jtemplate("Output", &s.output)?;
            p.assign = c.assign("Assign", &s.assign)?;
            p.next = c.transition(&s.next, s.end)?;
            c.jsonpath_only("TimestampPath", &s.timestamp_path)?;
            let timing = usize::from(s.seconds.is_some())
                + usize::from(s.seconds_path.is_some())
                + usize::from(s.timestamp.is_some())
                + usize::from(s.timestamp_path.is_some());
            if timing != 1 {
                return Err(c.err("Seconds", "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath"));
            }
            let plan = if s.seconds.is_some() || s.seconds_path.is_some() {
                let d = c.dyn_number("Seconds", &s.seconds, &s.seconds_path)?;
                if let Dyn::Literal(v) = &d
                    && v.as_u64().is_none()
                {
                    return Err(c.err("Seconds", "Seconds must be a non-negative integer"));
                }
                WaitPlan::Seconds(d)
            } else if let Some(ts) = &s.timestamp {
                match (lang, jsonata::expression_text(ts)) {
                    (QueryLanguage::Jsonata, Some(expr)) => {
                        jsonata::check(expr)
                            .map_err(|m| c.err("Timestamp", format!("invalid JSONata: {m}")))?;
                        WaitPlan::Timestamp(TimestampField::Expr(expr.to_owned()))
                    }
                    _ => WaitPlan::Timestamp(TimestampField::Literal(
                        parse_timestamp(ts).ok_or_else(|| {
                            c.err("Timestamp", format!("{ts:?} is not an RFC 3339 timestamp"))
                        })?,
                    )),
                }
            } else {
                let tp = s.timestamp_path.as_deref().unwrap_or("$");
                WaitPlan::Timestamp(TimestampField::Path(
                    Path::parse(tp).map_err(|e| c.err("TimestampPath", e))?,
                ))
            };
            p.kind = Kind::Wait(plan);
        }
        State::Succeed(s) => {
            p.input_path = c.path_spec("InputPath", &s.input_path)?;
            p.output_path = c.path_spec("OutputPath", &s.output_path)?;
            p.output = c.jtemplate("Output", &s.output)?;
        }
        State::Fail(s) => {
            p.kind = Kind::Fail {
                error: c.fail_field("Error", &s.error, &s.error_path)?,
                cause: c.fail_field("Cause", &s.cause, &s.cause_path)?,
            };
        }
        State::Parallel(s) => {
            work_state_fields!(p, c, s);
            p.parameters = c.template("Parameters", &s.parameters)?;
            p.arguments = c.jtemplate("Arguments", &s.arguments)?;
            if s.branches.is_empty() {
                return Err(c.err("Branches", "Branches must not be empty"));
            }
            let branches = s
                .branches
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    compile_scope(
                        &b.start_at,
                        &b.states,
                        default_lang,
                        &format!("{loc}/Branches/{i}"),
                        seen,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            p.kind = Kind::Parallel { branches };
        }
        State::Map(s) => {
            // (A Map's Parameters is the deprecated form of its ItemSelector: see compile_map.)
            work_state_fields!(p, c, s);
            p.kind = Kind::Map(Box::new(compile_map(&c, s, default_lang, loc, seen)?));
        }
    }
    Ok(p)
}

fn compile_rule(c: &Ctx<'_>, i: usize, r: &ChoiceRule) -> Result<RulePlan, DefinitionError> {
    let f = format!("Choices/{i}");
    let cond = Cond::compile(r).map_err(|e| c.err(&f, e))?;
    let is_jsonata_rule = matches!(cond, Cond::Literal(_) | Cond::Expr(_));
    if is_jsonata_rule != (c.lang == QueryLanguage::Jsonata) {
        return Err(c.err(
            &f,
            format!(
                "{} rules use {}",
                c.lang,
                if c.lang == QueryLanguage::Jsonata {
                    "Condition"
                } else {
                    "Variable and an operator, or And/Or/Not"
                }
            ),
        ));
    }
    let next = r
        .next
        .clone()
        .ok_or_else(|| c.err(&f, "a top-level Choice rule needs Next"))?;
    Ok(RulePlan {
        cond,
        next,
        assign: c.assign(&format!("{f}/Assign"), &r.assign)?,
        output: c.jtemplate(&format!("{f}/Output"), &r.output)?,
    })
}

fn compile_map(
    c: &Ctx<'_>,
    s: &asl::MapState,
    default_lang: QueryLanguage,
    loc: &str,
    seen: &mut HashMap<String, String>,
) -> Result<MapPlan, DefinitionError> {
    c.jsonpath_only("ItemsPath", &s.items_path)?;
    c.jsonpath_only("Parameters", &s.parameters)?;
    c.jsonata_only("Items", &s.items)?;
    if s.item_selector.is_some() && s.parameters.is_some() {
        return Err(c.err(
            "ItemSelector",
            "ItemSelector and Parameters are mutually exclusive",
        ));
    }
    let processor = match (&s.item_processor, &s.iterator) {
        (Some(p), None) => (p, "ItemProcessor"),
        (None, Some(p)) => (p, "Iterator"),
        (Some(_), Some(_)) => {
            return Err(c.err(
                "ItemProcessor",
                "ItemProcessor and Iterator are mutually exclusive",
            ));
        }
        (None, None) => return Err(c.err("ItemProcessor", "a Map state needs an ItemProcessor")),
    };
    let items_path = s
        .items_path
        .as_deref()
        .map(|ip| {
            let p = Path::parse(ip).map_err(|e| c.err("ItemsPath", e))?;
            if !p.is_reference() {
                return Err(c.err("ItemsPath", "ItemsPath must be a reference path"));
            }
            Ok(p)
        })
        .transpose()?;
    let item_reader = s
        .item_reader
        .as_ref()
        .map(|r| -> Result<ReaderPlan, DefinitionError> {
            let cfg = r.reader_config.clone().unwrap_or_default();
            let delimiter = match cfg.csv_delimiter.as_deref().unwrap_or("COMMA") {
                "COMMA" => ',',
                "PIPE" => '|',
                "SEMICOLON" => ';',
                "SPACE" => ' ',
                "TAB" => '\t',
                other => {
                    return Err(c.err(
                        "ItemReader/ReaderConfig/CSVDelimiter",
                        format!("unknown delimiter {other:?}"),
                    ));
                }
            };
            c.jsonpath_only("ItemReader/Parameters", &r.parameters)?;
            c.jsonata_only("ItemReader/Arguments", &r.arguments)?;
            Ok(ReaderPlan {
                resource: r.resource.clone(),
                input_type: cfg.input_type.clone().unwrap_or_else(|| "JSON".to_owned()),
                csv_header_location: cfg
                    .csv_header_location
                    .clone()
                    .unwrap_or_else(|| "FIRST_ROW".to_owned()),
                csv_headers: cfg.csv_headers.clone().unwrap_or_default(),
                csv_delimiter: delimiter,
                max_items: c.dyn_number(
                    "ItemReader/ReaderConfig/MaxItems",
                    &cfg.max_items,
                    &cfg.max_items_path,
                )?,
                parameters: c.payload(
                    "ItemReader/Parameters",
                    &r.parameters.clone().or(r.arguments.clone()),
                )?,
            })
        })
        .transpose()?;
    let item_batcher = s
        .item_batcher
        .as_ref()
        .map(|b| -> Result<BatcherPlan, DefinitionError> {
            Ok(BatcherPlan {
                max_items_per_batch: c.dyn_number(
                    "ItemBatcher/MaxItemsPerBatch",
                    &b.max_items_per_batch,
                    &b.max_items_per_batch_path,
                )?,
                max_input_bytes_per_batch: c.dyn_number(
                    "ItemBatcher/MaxInputBytesPerBatch",
                    &b.max_input_bytes_per_batch,
                    &b.max_input_bytes_per_batch_path,
                )?,
                batch_input: c.payload("ItemBatcher/BatchInput", &b.batch_input)?,
            })
        })
        .transpose()?;
    let result_writer = s
        .result_writer
        .as_ref()
        .map(|w| -> Result<WriterPlan, DefinitionError> {
            c.jsonpath_only("ResultWriter/Parameters", &w.parameters)?;
            c.jsonata_only("ResultWriter/Arguments", &w.arguments)?;
            Ok(WriterPlan {
                resource: w.resource.clone(),
                parameters: c.payload(
                    "ResultWriter/Parameters",
                    &w.parameters.clone().or(w.arguments.clone()),
                )?,
            })
        })
        .transpose()?;
    Ok(MapPlan {
        items_path,
        items: c.jtemplate("Items", &s.items)?,
        selector: c.payload("ItemSelector", &s.selector().cloned())?,
        processor: compile_scope(
            &processor.0.start_at,
            &processor.0.states,
            default_lang,
            &format!("{loc}/{}", processor.1),
            seen,
        )?,
        distributed: processor.0.mode() == ProcessorMode::Distributed,
        max_concurrency: c.dyn_number(
            "MaxConcurrency",
            &s.max_concurrency,
            &s.max_concurrency_path,
        )?,
        tolerated_failure_percentage: c.dyn_number(
            "ToleratedFailurePercentage",
            &s.tolerated_failure_percentage,
            &s.tolerated_failure_percentage_path,
        )?,
        tolerated_failure_count: c.dyn_number(
            "ToleratedFailureCount",
            &s.tolerated_failure_count,
            &s.tolerated_failure_count_path,
        )?,
        item_reader,
        item_batcher,
        result_writer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(def: &str) -> Result<Plan, DefinitionError> {
        compile(&StateMachine::from_json(def).unwrap())
    }

    #[test]
    fn resources() {
        assert!(matches!(
            Resource::parse("arn:aws:states:::lambda:invoke"),
            Resource::LambdaInvoke {
                wait_for_token: false,
                ..
            }
        ));
        assert!(matches!(
            Resource::parse("arn:aws:states:::lambda:invoke.waitForTaskToken"),
            Resource::LambdaInvoke {
                wait_for_token: true,
                ..
            }
        ));
        assert!(matches!(
            Resource::parse("arn:aws:lambda:us-east-1:123:function:f:live"),
            Resource::LambdaFunction { .. }
        ));
        assert!(matches!(
            Resource::parse("arn:aws:states:us-east-1:123:activity:a"),
            Resource::Activity { .. }
        ));
        let Resource::Service {
            service, action, ..
        } = Resource::parse("arn:aws:states:::sqs:sendMessage.waitForTaskToken")
        else {
            panic!()
        };
        assert_eq!(
            (&*service, &*action),
            ("sqs", "sendMessage.waitForTaskToken")
        );
    }

    #[test]
    fn definition_errors_are_located() {
        let e = plan(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}"#)
            .unwrap_err();
        assert_eq!(e.location, "/States/A");
        let e = plan(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "x", "End": true}}}"#,
        )
        .unwrap_err();
        assert_eq!(e.location, "/States/A/InputPath");
        let e = plan(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": 1, "End": true}}}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("JSONata field"), "{e}");
        let e = plan(r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% 1 + %}", "End": true}}}"#)
            .unwrap_err();
        assert_eq!(e.location, "/States/A/Output");
        let e = plan(r#"{"StartAt": "B", "States": {"A": {"Type": "Succeed"}}}"#).unwrap_err();
        assert_eq!(e.location, "/StartAt");
        let e = plan(
            r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}]}}}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("already used"), "{e}");
        let e = plan(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$$.x", "End": true}}}"#).unwrap_err();
        assert_eq!(e.location, "/States/A/ResultPath");
    }
}
