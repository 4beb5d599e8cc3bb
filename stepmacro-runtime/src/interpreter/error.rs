//! Errors: the one a definition can have ([`DefinitionError`]) and the ones a run raises
//! ([`StateError`], ASL's Error/Cause pair plus how Retry/Catch may treat it).

use std::fmt;

use crate::Failure;

/// ASL error names the interpreter raises itself.
pub mod names {
    pub const ALL: &str = "States.ALL";
    pub const TASK_FAILED: &str = "States.TaskFailed";
    pub const TIMEOUT: &str = "States.Timeout";
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    pub const RUNTIME: &str = "States.Runtime";
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
    /// Prefix of the errors a test harness raises (missing or exhausted mock): never retried or
    /// caught, so a mistake in the test setup cannot hide behind a `Catch`.
    pub const HARNESS_PREFIX: &str = "Harness.";
}

/// A definition the interpreter cannot run: invalid JSON, a missing field, a path or JSONata
/// expression that does not parse, a transition to an unknown state...
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionError {
    /// Where in the definition, as a JSON-pointer-like location (`/States/Charge/Retry/0`).
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl DefinitionError {
    pub(crate) fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        DefinitionError {
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "invalid state machine definition: {}", self.message)
        } else {
            write!(
                f,
                "invalid state machine definition at {}: {}",
                self.location, self.message
            )
        }
    }
}

impl std::error::Error for DefinitionError {}

/// An error raised while running a state: what `Retry`/`Catch` see as `{"Error", "Cause"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateError {
    pub error: String,
    pub cause: String,
}

impl StateError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        StateError {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// `States.Runtime`: an unprocessable condition (bad path, bad intrinsic call...).
    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(names::RUNTIME, cause)
    }

    /// `States.QueryEvaluationError`: a JSONata expression failed or gave no value.
    pub fn query(cause: impl Into<String>) -> Self {
        Self::new(names::QUERY_EVALUATION_ERROR, cause)
    }

    /// `States.DataLimitExceeded`: a payload above 256 KiB.
    pub fn data_limit(cause: impl Into<String>) -> Self {
        Self::new(names::DATA_LIMIT_EXCEEDED, cause)
    }

    /// Errors that no `Retry` or `Catch` may handle, not even `States.ALL` or an explicit name:
    /// `States.Runtime` and `States.DataLimitExceeded` (AWS), plus harness errors.
    pub fn is_terminal(&self) -> bool {
        self.error == names::RUNTIME
            || self.error == names::DATA_LIMIT_EXCEEDED
            || self.error.starts_with(names::HARNESS_PREFIX)
    }

    /// The Error Output a `Catch` passes on.
    pub fn to_failure(&self) -> Failure {
        Failure::new(self.error.clone(), self.cause.clone())
    }

    /// The Error Output as JSON, `{"Error": .., "Cause": ..}`.
    pub fn error_output(&self) -> serde_json::Value {
        serde_json::to_value(self.to_failure()).unwrap_or(serde_json::Value::Null)
    }
}

impl From<Failure> for StateError {
    fn from(f: Failure) -> Self {
        StateError {
            error: f.error,
            cause: f.cause,
        }
    }
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

/// Does one `ErrorEquals` name match `error`? Exact name; `States.ALL` for anything;
/// `States.TaskFailed` for anything but a timeout; `States.Timeout` also for a heartbeat timeout.
/// Terminal errors (`States.Runtime`, `States.DataLimitExceeded`, `Harness.*`) match nothing:
/// no Retry or Catch handles them.
pub fn error_matches(pattern: &str, error: &str) -> bool {
    let terminal = error == names::RUNTIME
        || error == names::DATA_LIMIT_EXCEEDED
        || error.starts_with(names::HARNESS_PREFIX);
    if terminal {
        return false;
    }
    let timeout = error == names::TIMEOUT || error == names::HEARTBEAT_TIMEOUT;
    pattern == error
        || pattern == names::ALL
        || (pattern == names::TASK_FAILED && !timeout)
        || (pattern == names::TIMEOUT && error == names::HEARTBEAT_TIMEOUT)
}

/// Does any name of an `ErrorEquals` list match?
pub fn any_matches(patterns: &[String], error: &str) -> bool {
    patterns.iter().any(|p| error_matches(p, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_rules() {
        assert!(error_matches("A.B", "A.B"));
        assert!(!error_matches("A.B", "A.C"));
        assert!(error_matches(names::ALL, "A.B"));
        assert!(error_matches(names::TASK_FAILED, "A.B"));
        assert!(!error_matches(names::TASK_FAILED, names::TIMEOUT));
        assert!(!error_matches(names::TASK_FAILED, names::HEARTBEAT_TIMEOUT));
        assert!(error_matches(names::TIMEOUT, names::HEARTBEAT_TIMEOUT));
        assert!(!error_matches(names::HEARTBEAT_TIMEOUT, names::TIMEOUT));
        for terminal in [names::RUNTIME, names::DATA_LIMIT_EXCEEDED, "Harness.NoMock"] {
            assert!(!error_matches(names::ALL, terminal));
            assert!(!error_matches(terminal, terminal));
        }
    }
}
