//! `#[task(..)]`: what the compiler and the macro need to know about a task.
//!
//! Parsed from the attribute and the `async fn` signature by [`TaskDef::parse`] (one parser for the proc
//! macro, which generates the `Task` impl, and for the build driver, which lowers calls to Task states).

/// An error named in `retry(errors = [..])`: a path to a `TaskError` variant, or a literal ASL name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorRef {
    /// `ApiError::Timeout` (segments as written).
    Path(Vec<String>),
    /// `"States.Timeout"`.
    Name(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    Full,
    None,
}

/// One `retry(..)` of a task or a `retry!` block. `None` fields take the ASL defaults.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetryDef {
    /// Empty = every error (`States.ALL`).
    pub errors: Vec<ErrorRef>,
    pub interval_seconds: Option<u64>,
    pub max_attempts: Option<u32>,
    pub backoff_rate: Option<f64>,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Option<Jitter>,
}

/// A `#[task]` function as the compiler sees it.
#[derive(Clone, Debug)]
pub struct TaskDef {
    /// The Rust function name.
    pub ident: String,
    /// `name = ".."`: the Task state's name.
    pub state_name: Option<String>,
    /// `function = ".."`: Lambda function name or ARN (default: the fn name with the crate-wide prefix).
    pub function: Option<String>,
    pub retry: Vec<RetryDef>,
    pub timeout_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u64>,
    /// Add AWS's recommended Retry for Lambda's transient service errors (default true;
    /// `#[task(no_lambda_retry)]` opts out).
    pub lambda_retry: bool,
    /// Parameter names and types, in order.
    pub params: Vec<(String, syn::Type)>,
    /// The success type (`T` of `Result<T, E>`, or the plain return type).
    pub output: syn::Type,
    /// The error type, `None` for an infallible task.
    pub error: Option<syn::Type>,
}
