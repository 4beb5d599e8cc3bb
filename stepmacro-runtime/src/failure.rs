//! The error value a workflow sees: ASL's Error Output, `{"Error": .., "Cause": ..}`.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;

use serde::{Deserialize, Serialize};

/// An error as Step Functions hands it to a `Catch`: a name (`Type.Variant`, `States.Timeout`, ...) and a
/// cause string.
///
/// The serde form is exactly ASL's Error Output (`{"Error": "..", "Cause": ".."}`), so a `#[task]` taking a
/// `Failure` accepts what a `Catch` passes on AWS, and a workflow can hand a caught error to a task in both
/// runs alike. `Cause` defaults to `""` when absent, as AWS-parity emulators do.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Failure {
    #[serde(rename = "Error", alias = "error")]
    pub error: String,
    #[serde(rename = "Cause", alias = "cause", default)]
    pub cause: String,
}

impl Failure {
    /// A failure with this error name and cause, as `return Err(Failure::new("Name", "cause"))` (a Fail state).
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// The failure a task error becomes, identical to what Step Functions reports when the task runs on
    /// AWS Lambda: `Error` is the error's ASL name, `Cause` the Lambda error payload as a JSON string.
    pub fn from_task_error<E: TaskError + ?Sized>(err: &E) -> Self {
        let name = err.error_name();
        let cause = lambda_cause(&name, &err.to_string());
        Failure {
            error: name.into_owned(),
            cause,
        }
    }

    /// `States.Runtime` and `States.DataLimitExceeded`: errors no Retry or Catch takes, not even
    /// `States.ALL`.
    pub fn is_uncatchable(&self) -> bool {
        self.error == "States.Runtime" || self.error == "States.DataLimitExceeded"
    }

    /// True when this failure is the named error (`"Type.Variant"`).
    pub fn is(&self, name: &str) -> bool {
        self.error == name
    }
}

/// The `Cause` Step Functions records for a failed Lambda invocation: the function's error payload,
/// `{"errorType": .., "errorMessage": ..}`, as compact JSON text (lambda_runtime's `Diagnostic` shape).
pub fn lambda_cause(error_type: &str, message: &str) -> String {
    // Built by hand rather than through serde_json::Map so the key order never depends on
    // serde_json's `preserve_order` feature being switched on elsewhere in the build.
    format!(
        "{{\"errorType\":{},\"errorMessage\":{}}}",
        serde_json::Value::String(error_type.to_owned()),
        serde_json::Value::String(message.to_owned())
    )
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.cause.is_empty() {
            f.write_str(&self.error)
        } else {
            write!(f, "{}: {}", self.error, self.cause)
        }
    }
}

impl std::error::Error for Failure {}

/// An error a task can return: it has a name that Step Functions' `Retry`/`Catch` can match.
///
/// `#[derive(TaskError)]` implements it for enums: the name of `Type::Variant` is `"Type.Variant"` unless
/// the variant says `#[task_error(name = "...")]`. The `Display` text becomes the Lambda `errorMessage`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a task's error type: it does not implement `stepmacro::TaskError`",
    label = "not a `TaskError`",
    note = "a task's errors need names that Retry and Catch can match: use an enum with `#[derive(TaskError)]`, or `Failure`"
)]
pub trait TaskError: fmt::Display {
    /// The ASL error name of this value.
    fn error_name(&self) -> Cow<'static, str>;

    /// The ASL error name of the variant called `variant`, used to match `Err(Type::Variant)` arms
    /// against a [`Failure`] natively. `None` when there is no such variant.
    fn variant_error_name(variant: &str) -> Option<&'static str>
    where
        Self: Sized,
    {
        let _ = variant;
        None
    }

    /// Every variant's `(ident, ASL error name)`, in declaration order, for checks at compile time.
    ///
    /// The build driver reads only its own crate's sources, so for an enum defined in another crate it
    /// assumes the default `Type.Variant` names; `workflow!` checks that assumption against this list in
    /// a `const` (see `__private::error_name_is`), which turns a silent mismatch between the definition
    /// and the native run into a compile error. `#[derive(TaskError)]` fills it; empty (nothing to
    /// check) for hand-written impls.
    const ERROR_NAMES: &'static [(&'static str, &'static str)] = &[];
}

impl TaskError for Infallible {
    fn error_name(&self) -> Cow<'static, str> {
        match *self {}
    }
}

/// (`#[derive(TaskError)]` also writes `impl From<Type> for Failure`, so `Err(Type::Variant)?` works in a
/// workflow body.)
///
/// A task may return a `Failure` directly: its name is kept, so a `Catch` matches it unchanged.
impl TaskError for Failure {
    fn error_name(&self) -> Cow<'static, str> {
        Cow::Owned(self.error.clone())
    }
}

impl From<Infallible> for Failure {
    fn from(err: Infallible) -> Self {
        match err {}
    }
}
