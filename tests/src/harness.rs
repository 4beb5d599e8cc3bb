//! The equivalence harness: one workflow, one input, task behaviours stated once; the workflow runs
//! natively (its Rust body, tasks answered by the behaviours through [`Mocks::scope`]) and as ASL on
//! the embedded interpreter (its embedded definition, tasks answered by the same behaviours), and the
//! two results are compared.
//!
//! ```ignore
//! let behaviours = Behaviours::new()
//!     .responses::<fetch>([ret(json!({"price": 3})), throw("FetchError.NotFound", "gone")])
//!     .closure::<double>(|v| Ok(json!(v.as_i64().unwrap() * 2)));
//! harness::check::<my_workflow>(json!("id-1"), &behaviours); // panics with a full report on a mismatch
//! ```
//!
//! Why a behaviour is *data* ([`Behaviour`]) rather than a ready [`Mocks`]: canned lists are consumed
//! as calls are made, so each run needs its own fresh copy of the same lists. And data in asl-check's
//! `MOCKS.json` shape can also be handed to an independent interpreter ([`Behaviours::mocks_json`]),
//! which is how `scripts/equivalence-moto.sh` reuses these cases.
//!
//! What "the same" means (design §3): the same output JSON (numbers: see [`same_json`]), or the same
//! error name. Causes are compared too
//! whenever the failure's cause is not one that only a native run can compute: a `Failure::new` in a
//! Fail state and a task's error (the behaviour's own cause) carry identical causes in both runs; the
//! exception is `Err(E::Variant)?`, whose native cause is the error's `Display` text, which the
//! definition cannot know (see [`CauseRule`]). Beyond the contract, the harness also compares the
//! sequence of task invocations (function and payload): a task called with other arguments, or once
//! more, is a side effect the two runs do not share even when the final results happen to agree.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::{Map, Value};
use stepmacro::interpreter::{Execution, Interpreter, Status};
use stepmacro::mock::{Behaviour as MockBehaviour, Mocks, Response};
use stepmacro::{Failure, Task, TaskHandle, Workflow, mock_file};

/// The future a native run returns.
pub type NativeFuture = Pin<Box<dyn Future<Output = Result<Value, Failure>> + Send + 'static>>;

/// A workflow seen through its `Workflow` impl, as a value (so generated registries can list many).
#[derive(Clone, Copy)]
pub struct WorkflowRef {
    pub name: &'static str,
    pub definition: &'static str,
    pub run_native: fn(Value) -> NativeFuture,
    pub tasks: fn() -> Vec<TaskHandle>,
}

impl WorkflowRef {
    /// The workflow type `W` (the type `workflow!` emits next to the function).
    pub fn of<W: Workflow>() -> Self {
        WorkflowRef {
            name: W::NAME,
            definition: W::DEFINITION,
            run_native: W::run_native,
            tasks: W::tasks,
        }
    }
}

impl fmt::Debug for WorkflowRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkflowRef")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A pure function of the task's payload.
pub type Closure = Arc<dyn Fn(&Value) -> Result<Value, Failure> + Send + Sync>;

/// How one task function behaves in a case.
#[derive(Clone)]
pub enum Behaviour {
    /// An entry of asl-check's `MOCKS.json`: a list consumed one per call, a single response for every
    /// call, or a `{"jsonata": ..}` handler. Runs here through [`mock_file`], and unchanged on moto.
    Json(Value),
    /// A Rust closure of the payload. Must be pure: each run calls it afresh. Not expressible in
    /// `MOCKS.json`, so such cases cannot go to the independent interpreters.
    Closure(Closure),
}

impl Behaviour {
    /// Canned responses in call order; past the end a call fails with `Harness.MockExhausted`.
    pub fn responses(responses: impl IntoIterator<Item = Response>) -> Self {
        Behaviour::Json(Value::Array(
            responses.into_iter().map(|r| response_json(&r)).collect(),
        ))
    }

    /// The same response to every call.
    pub fn always(response: Response) -> Self {
        Behaviour::Json(response_json(&response))
    }

    /// A JSONata expression of the payload (`$`), whose value the task returns.
    pub fn jsonata(expr: &str) -> Self {
        Behaviour::Json(object([("jsonata", Value::String(expr.to_owned()))]))
    }

    /// A JSONata expression of the payload whose value is itself a response object,
    /// `{"return": V}` or `{"throw": {"error": .., "cause": ..}}`.
    pub fn jsonata_response(expr: &str) -> Self {
        Behaviour::Json(object([
            ("jsonata", Value::String(expr.to_owned())),
            ("as", Value::String("response".to_owned())),
        ]))
    }

    /// A Rust function of the payload.
    pub fn closure(f: impl Fn(&Value) -> Result<Value, Failure> + Send + Sync + 'static) -> Self {
        Behaviour::Closure(Arc::new(f))
    }
}

impl fmt::Debug for Behaviour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Behaviour::Json(v) => write!(f, "{v}"),
            Behaviour::Closure(_) => f.write_str("<closure>"),
        }
    }
}

/// `Response::Return` of any serialisable value.
pub fn ret(value: impl Serialize) -> Response {
    Response::Return(serde_json::to_value(value).expect("a mock value serialises"))
}

/// `Response::Throw` of a named error.
pub fn throw(error: &str, cause: &str) -> Response {
    Response::Throw(Failure::new(error, cause))
}

/// A response in `MOCKS.json` form.
pub fn response_json(r: &Response) -> Value {
    match r {
        Response::Return(v) => object([("return", v.clone())]),
        Response::Throw(f) => object([(
            "throw",
            object([
                ("error", Value::String(f.error.clone())),
                ("cause", Value::String(f.cause.clone())),
            ]),
        )]),
    }
}

fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Map<_, _>>(),
    )
}

/// The task behaviours of one case, keyed by Lambda function name. Tasks without a behaviour run
/// their real `#[task]` function, in both runs.
#[derive(Clone, Debug, Default)]
pub struct Behaviours {
    by_function: BTreeMap<String, Behaviour>,
}

impl Behaviours {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the behaviour of task `T` (by its function name).
    pub fn on<T: Task>(self, behaviour: Behaviour) -> Self {
        self.on_function(T::FUNCTION_NAME, behaviour)
    }

    /// Sets the behaviour of a task by its Lambda function name.
    pub fn on_function(mut self, function: &str, behaviour: Behaviour) -> Self {
        self.by_function.insert(function.to_owned(), behaviour);
        self
    }

    /// Canned responses for task `T`, in call order.
    pub fn responses<T: Task>(self, responses: impl IntoIterator<Item = Response>) -> Self {
        self.on::<T>(Behaviour::responses(responses))
    }

    /// One response for every call of task `T`.
    pub fn always<T: Task>(self, response: Response) -> Self {
        self.on::<T>(Behaviour::always(response))
    }

    /// A pure Rust function of the payload for task `T`.
    pub fn closure<T: Task>(
        self,
        f: impl Fn(&Value) -> Result<Value, Failure> + Send + Sync + 'static,
    ) -> Self {
        self.on::<T>(Behaviour::closure(f))
    }

    /// The behaviours as asl-check's `MOCKS.json`, or `None` when one of them is a Rust closure.
    pub fn mocks_json(&self) -> Option<Value> {
        let mut map = Map::new();
        for (function, b) in &self.by_function {
            match b {
                Behaviour::Json(v) => map.insert(function.clone(), v.clone()),
                Behaviour::Closure(_) => return None,
            };
        }
        Some(Value::Object(map))
    }

    /// A fresh set of mocks for one run: every canned list starts from its beginning. `real` tasks
    /// answer for functions without a behaviour. Every call is recorded in `log`.
    pub fn instantiate(&self, real: &[TaskHandle], log: &CallLog) -> Result<Mocks, String> {
        let mut inner = Mocks::new();
        let mut keys: Vec<String> = Vec::new();
        for h in real {
            if !self.by_function.contains_key(h.function_name) {
                inner = inner.task(*h);
                keys.push(h.function_name.to_owned());
            }
        }
        for (function, b) in &self.by_function {
            let one = match b {
                Behaviour::Json(spec) => {
                    let file = Value::Object(Map::from_iter([(function.clone(), spec.clone())]));
                    mock_file::from_value(&file).map_err(|e| e.to_string())?
                }
                Behaviour::Closure(f) => {
                    let f = f.clone();
                    Mocks::new().handler(function, move |v| f(&v))
                }
            };
            inner.insert(function, wrap(Arc::new(one), function, None));
            keys.push(function.clone());
        }
        let inner = Arc::new(inner);
        let mut outer = Mocks::new();
        for key in keys {
            outer.insert(&key, wrap(inner.clone(), &key, Some(log.clone())));
        }
        Ok(outer)
    }
}

/// A behaviour that asks `inner` for `function`, recording the call in `log` first.
fn wrap(inner: Arc<Mocks>, function: &str, log: Option<CallLog>) -> MockBehaviour {
    let function = function.to_owned();
    MockBehaviour::Handler(Arc::new(move |payload: Value| {
        let inner = inner.clone();
        let function = function.clone();
        let log = log.clone();
        Box::pin(async move {
            if let Some(log) = &log {
                log.push(&function, &payload);
            }
            inner.call(&function, payload).await
        })
    }))
}

/// Task invocations of one run, in order: function name and payload.
#[derive(Clone, Debug, Default)]
pub struct CallLog(Arc<Mutex<Vec<(String, Value)>>>);

impl CallLog {
    fn push(&self, function: &str, payload: &Value) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((function.to_owned(), payload.clone()));
    }

    pub fn calls(&self) -> Vec<(String, Value)> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// How a native run ended: a result, or a panic (which a definition cannot reproduce).
#[derive(Clone, Debug, PartialEq)]
pub enum NativeResult {
    Returned(Result<Value, Failure>),
    Panicked(String),
}

/// When causes are compared (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CauseRule {
    /// Always, except a native cause that a `From<E> for Failure` conversion built (the Lambda
    /// error-payload JSON) where the interpreter's came from a Fail state: that is `Err(E::V)?`.
    Strict,
    /// Error names only.
    NamesOnly,
}

/// Both runs of one case and how they differ.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub workflow: &'static str,
    pub definition: &'static str,
    pub input: Value,
    pub behaviours: String,
    pub native: NativeResult,
    pub native_calls: Vec<(String, Value)>,
    pub interpreted: Result<Value, Failure>,
    pub interpreted_calls: Vec<(String, Value)>,
    pub execution: Option<Execution>,
    /// Empty when the runs agree.
    pub differences: Vec<String>,
}

impl Comparison {
    pub fn is_match(&self) -> bool {
        self.differences.is_empty()
    }

    /// The native result (a panic is an error here).
    pub fn native_result(&self) -> Result<&Value, String> {
        match &self.native {
            NativeResult::Returned(Ok(v)) => Ok(v),
            NativeResult::Returned(Err(f)) => Err(f.error.clone()),
            NativeResult::Panicked(m) => Err(format!("panic: {m}")),
        }
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.is_match() { "agree" } else { "MISMATCH" };
        writeln!(
            f,
            "== workflow `{}`: native and interpreted runs {verdict}",
            self.workflow
        )?;
        for d in &self.differences {
            writeln!(f, "  - {d}")?;
        }
        writeln!(f, "input:      {}", self.input)?;
        writeln!(f, "behaviours: {}", self.behaviours)?;
        writeln!(f, "native:     {}", show_native(&self.native))?;
        writeln!(f, "interpreted: {}", show_result(&self.interpreted))?;
        writeln!(f, "native calls:")?;
        for (func, payload) in &self.native_calls {
            writeln!(f, "  {func}({payload})")?;
        }
        writeln!(f, "interpreted calls:")?;
        for (func, payload) in &self.interpreted_calls {
            writeln!(f, "  {func}({payload})")?;
        }
        if let Some(e) = &self.execution {
            writeln!(f, "interpreter trace:\n{}", e.trace())?;
        }
        writeln!(f, "definition:\n{}", self.definition)
    }
}

fn show_result(r: &Result<Value, Failure>) -> String {
    match r {
        Ok(v) => format!("Ok({v})"),
        Err(e) => format!("Err({} / cause {:?})", e.error, e.cause),
    }
}

fn show_native(r: &NativeResult) -> String {
    match r {
        NativeResult::Returned(r) => show_result(r),
        NativeResult::Panicked(m) => format!("PANIC {m}"),
    }
}

/// A loaded workflow: its interpreter is built once and reused for every case.
#[derive(Clone)]
pub struct Subject {
    pub workflow: WorkflowRef,
    interpreter: Result<Interpreter, String>,
    real: Vec<TaskHandle>,
}

impl Subject {
    pub fn new(workflow: WorkflowRef) -> Self {
        let interpreter = Interpreter::new(workflow.definition)
            .map(|i| i.seed(0x5eed))
            .map_err(|e| format!("the definition does not load: {e}"));
        Subject {
            workflow,
            interpreter,
            real: (workflow.tasks)(),
        }
    }

    pub fn of<W: Workflow>() -> Self {
        Self::new(WorkflowRef::of::<W>())
    }

    /// Runs the case both ways and compares.
    pub async fn compare(
        &self,
        input: &Value,
        behaviours: &Behaviours,
        rule: CauseRule,
    ) -> Comparison {
        let native_log = CallLog::default();
        let interpreted_log = CallLog::default();
        let mut differences = Vec::new();
        let native = match behaviours.instantiate(&self.real, &native_log) {
            Ok(mocks) => run_native(self.workflow.run_native, mocks, input.clone()).await,
            Err(e) => NativeResult::Panicked(format!("bad behaviours: {e}")),
        };
        let (interpreted, execution) = match (
            &self.interpreter,
            behaviours.instantiate(&self.real, &interpreted_log),
        ) {
            (Ok(interpreter), Ok(mocks)) => {
                let execution = interpreter.clone().tasks(mocks).run(input.clone()).await;
                (execution.clone().into_result(), Some(execution))
            }
            (Err(e), _) => (Err(Failure::new("Harness.Definition", e.clone())), None),
            (_, Err(e)) => (Err(Failure::new("Harness.Behaviours", e)), None),
        };
        compare_results(
            &native,
            &interpreted,
            execution.as_ref(),
            rule,
            &mut differences,
        );
        let native_calls = native_log.calls();
        let interpreted_calls = interpreted_log.calls();
        if native_calls != interpreted_calls {
            let at = native_calls
                .iter()
                .zip(&interpreted_calls)
                .position(|(a, b)| a != b)
                .unwrap_or(native_calls.len().min(interpreted_calls.len()));
            differences.push(format!(
                "task calls differ from call #{} on ({} native calls, {} interpreted)",
                at + 1,
                native_calls.len(),
                interpreted_calls.len()
            ));
        }
        Comparison {
            workflow: self.workflow.name,
            definition: self.workflow.definition,
            input: input.clone(),
            behaviours: format!("{:?}", behaviours.by_function),
            native,
            native_calls,
            interpreted,
            interpreted_calls,
            execution,
            differences,
        }
    }
}

/// Runs the native body in a spawned task, so a panic is reported rather than aborting the test.
async fn run_native(run: fn(Value) -> NativeFuture, mocks: Mocks, input: Value) -> NativeResult {
    match tokio::spawn(mocks.scope(run(input))).await {
        Ok(r) => NativeResult::Returned(r),
        Err(e) if e.is_panic() => {
            let p = e.into_panic();
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "<non-string panic>".to_owned());
            NativeResult::Panicked(msg)
        }
        Err(e) => NativeResult::Panicked(format!("native run cancelled: {e}")),
    }
}

fn compare_results(
    native: &NativeResult,
    interpreted: &Result<Value, Failure>,
    execution: Option<&Execution>,
    rule: CauseRule,
    differences: &mut Vec<String>,
) {
    let native = match native {
        NativeResult::Returned(r) => r,
        NativeResult::Panicked(m) => {
            differences.push(format!("the native run panicked: {m}"));
            return;
        }
    };
    match (native, interpreted) {
        (Ok(a), Ok(b)) if same_json(a, b) => {}
        (Ok(a), Ok(b)) => differences.push(format!("outputs differ: native {a}, interpreted {b}")),
        (Ok(a), Err(b)) => differences.push(format!(
            "native returned {a}, interpreted failed with {}",
            b.error
        )),
        (Err(a), Ok(b)) => differences.push(format!(
            "native failed with {}, interpreted returned {b}",
            a.error
        )),
        (Err(a), Err(b)) if a.error != b.error => differences.push(format!(
            "error names differ: native {}, interpreted {}",
            a.error, b.error
        )),
        (Err(a), Err(b)) => {
            if rule == CauseRule::Strict
                && a.cause != b.cause
                && !is_native_only_cause(a, execution)
            {
                differences.push(format!(
                    "causes differ: native {:?}, interpreted {:?}",
                    a.cause, b.cause
                ));
            }
        }
    }
}

/// Whether the interpreted output `b` is the native output `a`: the same JSON, where a number the
/// native run wrote as a float (`2.0`, from an `f64`) equals the same number written as an integer
/// (`2`: JSONata, like AWS, writes whole doubles so), since a Rust caller reading that `f64` accepts
/// both. The converse is a mismatch: a native integer (`i64`) that comes back as `2.0` would not
/// deserialize.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if x.is_f64() {
                x.as_f64() == y.as_f64()
            } else {
                !y.is_f64() && x == y
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// `Err(E::Variant)?` natively carries the error's Display text in a Lambda-style cause
/// (`{"errorType":..,"errorMessage":..}`, built by `From<E> for Failure`); the definition's Fail state
/// cannot compute that text. Such a cause is exempt when the interpreter's failure came from a Fail state.
fn is_native_only_cause(native: &Failure, execution: Option<&Execution>) -> bool {
    let from_fail_state = execution.is_some_and(|e| {
        matches!(e.status, Status::Failed { .. })
            && e.history
                .iter()
                .rev()
                .find_map(|ev| match ev.event_type.as_str() {
                    t if t.ends_with("StateEntered") => Some(t == "FailStateEntered"),
                    _ => None,
                })
                == Some(true)
    });
    let lambda_shaped = serde_json::from_str::<Value>(&native.cause)
        .ok()
        .is_some_and(|v| {
            v.get("errorType").and_then(Value::as_str) == Some(native.error.as_str())
                && v.get("errorMessage").is_some()
        });
    from_fail_state && lambda_shaped
}

/// Runs one case on a fresh current-thread runtime and returns the comparison.
pub fn compare_blocking(
    subject: &Subject,
    input: &Value,
    behaviours: &Behaviours,
    rule: CauseRule,
) -> Comparison {
    runtime().block_on(subject.compare(input, behaviours, rule))
}

/// A current-thread tokio runtime with time enabled, as the runs need.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime builds")
}

/// Asserts that workflow `W` behaves the same natively and interpreted on this case; panics with the
/// full report otherwise. Returns the (agreed) native result, so a test can also pin the expected value.
#[track_caller]
pub fn check<W: Workflow>(input: Value, behaviours: &Behaviours) -> Result<Value, Failure> {
    let c = compare_blocking(&Subject::of::<W>(), &input, behaviours, CauseRule::Strict);
    assert!(c.is_match(), "{c}");
    match c.native {
        NativeResult::Returned(r) => r,
        NativeResult::Panicked(m) => panic!("native run panicked: {m}"),
    }
}

/// One hand-written case: a workflow, an input, behaviours, and optionally the result Rust gives
/// (pinned so that a test also notices when a behaviour silently stops being used).
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub workflow: WorkflowRef,
    pub input: Value,
    pub behaviours: Behaviours,
    pub expected: Option<Result<Value, String>>,
}

impl Case {
    pub fn new<W: Workflow>(name: &str, input: Value, behaviours: Behaviours) -> Self {
        Case {
            name: name.to_owned(),
            workflow: WorkflowRef::of::<W>(),
            input,
            behaviours,
            expected: None,
        }
    }

    /// The native run must return this value.
    pub fn returns(mut self, output: Value) -> Self {
        self.expected = Some(Ok(output));
        self
    }

    /// The native run must fail with this error name.
    pub fn fails(mut self, error: &str) -> Self {
        self.expected = Some(Err(error.to_owned()));
        self
    }
}

/// What running a list of cases found.
#[derive(Debug, Default)]
pub struct Summary {
    pub cases: usize,
    /// One report per failing case (a mismatch, or a native result other than the pinned one).
    pub failures: Vec<String>,
}

/// Runs every case both ways (one interpreter per workflow, loaded once).
pub fn run_cases(cases: &[Case]) -> Summary {
    let rt = runtime();
    let mut subjects: BTreeMap<&'static str, Subject> = BTreeMap::new();
    let mut summary = Summary::default();
    for case in cases {
        let subject = subjects
            .entry(case.workflow.name)
            .or_insert_with(|| Subject::new(case.workflow));
        let c = rt.block_on(subject.compare(&case.input, &case.behaviours, CauseRule::Strict));
        summary.cases += 1;
        let mut problems = c.differences.clone();
        if let Some(expected) = &case.expected {
            let got = c.native_result().cloned();
            if got.as_ref().map_err(String::as_str) != expected.as_ref().map_err(String::as_str) {
                problems.push(format!(
                    "native result {got:?} is not the expected {expected:?}"
                ));
            }
        }
        if !problems.is_empty() {
            summary.failures.push(format!(
                "case `{}`:\n  - {}\n{c}",
                case.name,
                problems.join("\n  - ")
            ));
        }
    }
    summary
}

/// Runs the cases and panics with every failing case's report.
#[track_caller]
pub fn assert_cases(theme: &str, cases: &[Case]) {
    let s = run_cases(cases);
    println!("{theme}: {} cases, {} failing", s.cases, s.failures.len());
    assert!(
        s.failures.is_empty(),
        "{theme}: {} of {} cases fail\n\n{}",
        s.failures.len(),
        s.cases,
        s.failures.join("\n\n")
    );
}
