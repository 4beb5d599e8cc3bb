//! Task behaviours stated once and used by both kinds of run: a native run (through
//! [`crate::run_task`], which consults the mocks of the current scope) and an interpreted run (the
//! interpreter resolves a Task's function name to the same behaviour).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::Failure;
use crate::task::{BoxFuture, TaskHandle};

/// One canned answer of a task.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// The task returns this value.
    Return(Value),
    /// The task fails with this error.
    Throw(Failure),
}

type Handler = Arc<dyn Fn(Value) -> BoxFuture<'static, Result<Value, Failure>> + Send + Sync>;

/// How one task behaves in a run.
#[derive(Clone)]
pub enum Behaviour {
    /// Canned answers in call order; once used up, a call fails with `Harness.MockExhausted`.
    Sequence(Arc<Mutex<VecDeque<Response>>>),
    /// The same answer every time.
    Always(Response),
    /// A function of the payload.
    Handler(Handler),
}

/// A set of task behaviours keyed by function name (`FunctionName`, or a bare name, or `"*"`).
#[derive(Clone, Default)]
pub struct Mocks {
    /// Keys are shared with the interpreter's task-call records (no copy per call).
    by_name: BTreeMap<Arc<str>, Behaviour>,
}

impl Mocks {
    pub fn new() -> Self {
        Self::default()
    }

    /// Canned answers, consumed one per call in order.
    pub fn sequence(
        mut self,
        function: &str,
        responses: impl IntoIterator<Item = Response>,
    ) -> Self {
        self.by_name.insert(
            function.into(),
            Behaviour::Sequence(Arc::new(Mutex::new(responses.into_iter().collect()))),
        );
        self
    }

    /// The same answer for every call.
    pub fn always(mut self, function: &str, response: Response) -> Self {
        self.by_name
            .insert(function.into(), Behaviour::Always(response));
        self
    }

    /// A closure of the payload.
    pub fn handler<F>(mut self, function: &str, f: F) -> Self
    where
        F: Fn(Value) -> Result<Value, Failure> + Send + Sync + 'static,
    {
        let f = Arc::new(f);
        self.by_name.insert(
            function.into(),
            Behaviour::Handler(Arc::new(move |v| {
                let f = f.clone();
                Box::pin(async move { f(v) })
            })),
        );
        self
    }

    /// A real task, called in process.
    pub fn task(mut self, handle: TaskHandle) -> Self {
        let invoke = handle.invoke;
        self.by_name.insert(
            handle.function_name.into(),
            Behaviour::Handler(Arc::new(invoke)),
        );
        self
    }

    /// Adds or replaces one behaviour.
    pub fn insert(&mut self, function: &str, behaviour: Behaviour) {
        self.by_name.insert(function.into(), behaviour);
    }

    /// The behaviour for a function name: exact, then the bare name of an ARN or `name:qualifier`,
    /// then `"*"`.
    pub fn lookup(&self, function: &str) -> Option<&Behaviour> {
        self.entry(function).map(|(_, b)| b)
    }

    pub fn has(&self, function: &str) -> bool {
        self.lookup(function).is_some()
    }

    /// The key whose behaviour [`Mocks::lookup`] picks for `function`. The interpreter records it
    /// in its task calls, so a test can see which mock answered.
    pub fn lookup_key(&self, function: &str) -> Option<&Arc<str>> {
        self.entry(function).map(|(k, _)| k)
    }

    /// The entry answering `function`: exact, then the bare name or `name:qualifier` of an ARN,
    /// then the unqualified name, then `"*"`. The exact key is tried before any splitting, as it
    /// is the common case.
    fn entry(&self, function: &str) -> Option<(&Arc<str>, &Behaviour)> {
        if let Some(e) = self.by_name.get_key_value(function) {
            return Some(e);
        }
        let bare = function
            .rsplit_once(":function:")
            .map(|(_, n)| n)
            .unwrap_or(function);
        let unqualified = bare.split(':').next().unwrap_or(bare);
        [bare, unqualified, "*"]
            .into_iter()
            .find_map(|k| self.by_name.get_key_value(k))
    }

    /// Whether a behaviour is registered under exactly this key (no name resolution).
    pub fn contains(&self, key: &str) -> bool {
        self.by_name.contains_key(key)
    }

    /// The stored key equal to `key` (no name resolution), to share rather than copy.
    pub fn exact_key(&self, key: &str) -> Option<&Arc<str>> {
        self.by_name.get_key_value(key).map(|(k, _)| k)
    }

    /// Calls the behaviour for `function` with `payload`.
    pub async fn call(&self, function: &str, payload: Value) -> Result<Value, Failure> {
        let Some(b) = self.lookup(function) else {
            return Err(Failure::new(
                "Harness.NoMock",
                format!("no mock for task function `{function}`"),
            ));
        };
        match b {
            Behaviour::Always(r) => respond(r.clone()),
            Behaviour::Sequence(q) => {
                let next = q.lock().expect("mock queue poisoned").pop_front();
                match next {
                    Some(r) => respond(r),
                    None => Err(Failure::new(
                        "Harness.MockExhausted",
                        format!("the canned answers for `{function}` are used up"),
                    )),
                }
            }
            Behaviour::Handler(h) => h(payload).await,
        }
    }

    /// Runs `fut` with these mocks in scope for [`crate::run_task`] (native runs).
    pub async fn scope<F: std::future::Future>(self, fut: F) -> F::Output {
        CURRENT.scope(Arc::new(self), fut).await
    }
}

fn respond(r: Response) -> Result<Value, Failure> {
    match r {
        Response::Return(v) => Ok(v),
        Response::Throw(f) => Err(f),
    }
}

tokio::task_local! {
    static CURRENT: Arc<Mocks>;
}

/// The mocks of the current native run, if any.
pub fn current() -> Option<Arc<Mocks>> {
    CURRENT.try_with(|m| m.clone()).ok()
}
