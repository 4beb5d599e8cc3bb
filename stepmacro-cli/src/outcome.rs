//! The JSON `stepmacro run` prints on stdout: a typed struct, so the key order is fixed
//! (`status`, then `output` or `error`/`cause`) whatever serde_json's map features are.

use serde::Serialize;
use serde_json::Value;
use stepmacro_runtime::interpreter::{Execution, Status};

/// `{"status": "SUCCEEDED", "output": ..}`, `{"status": "FAILED", "error": .., "cause": ..}` or
/// `{"status": "TIMED_OUT", "error": "States.Timeout", "cause": ..}`: the fields of
/// DescribeExecution (and of asl-check's `execute`) that say how a run ended.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Outcome {
    pub fn of(execution: &Execution) -> Outcome {
        let status = execution.status.as_str();
        match &execution.status {
            Status::Succeeded { output } => Outcome {
                status,
                output: Some(output.clone()),
                error: None,
                cause: None,
            },
            _ => {
                let (error, cause) = match execution.failure() {
                    Some(f) => (f.error, f.cause),
                    None => (String::new(), String::new()),
                };
                Outcome {
                    status,
                    output: None,
                    error: Some(error),
                    cause: Some(cause),
                }
            }
        }
    }

    /// The error of a run the test harness itself stopped (no mock, mock list used up, a mock
    /// handler that failed): the mocks, not the workflow, are at fault.
    pub fn harness_error(&self) -> Option<(&str, &str)> {
        match (&self.error, &self.cause) {
            (Some(e), Some(c)) if e.starts_with("Harness.") => Some((e, c)),
            _ => None,
        }
    }
}
