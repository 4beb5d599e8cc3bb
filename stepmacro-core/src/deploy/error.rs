//! Why deploy artifacts could not be derived from a definition.

use std::fmt;

/// A definition the deploy artifacts cannot describe exactly. Each names the state, so the message
/// points at the task in the workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployError {
    /// `FunctionName` is computed (`{% .. %}`, `FunctionName.$`), so the functions the role may invoke
    /// are unknown: a policy allowing "exactly these functions" cannot be written.
    DynamicFunctionName { state: String },
    /// A `lambda:invoke` Task without a `FunctionName`.
    MissingFunctionName { state: String },
    /// A `FunctionName` that is not a Lambda function name, partial ARN or ARN.
    InvalidFunctionName {
        state: String,
        function_name: String,
        reason: String,
    },
    /// A Task calling something other than Lambda: the role would need more than
    /// `lambda:InvokeFunction`, which these artifacts do not grant.
    UnsupportedResource { state: String, resource: String },
    /// The workflow name cannot name a state machine (1–80 of `A-Z a-z 0-9 - _`).
    InvalidWorkflowName { name: String },
}

impl fmt::Display for DeployError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeployError::DynamicFunctionName { state } => write!(
                f,
                "state `{state}`: the Lambda FunctionName is computed at run time, so the IAM policy cannot \
                 list the functions the state machine may invoke; use a literal function name"
            ),
            DeployError::MissingFunctionName { state } => {
                write!(
                    f,
                    "state `{state}`: a lambda:invoke Task without a FunctionName"
                )
            }
            DeployError::InvalidFunctionName {
                state,
                function_name,
                reason,
            } => {
                write!(
                    f,
                    "state `{state}`: FunctionName `{function_name}` {reason}"
                )
            }
            DeployError::UnsupportedResource { state, resource } => write!(
                f,
                "state `{state}`: Resource `{resource}` is not AWS Lambda; the generated role only allows \
                 lambda:InvokeFunction"
            ),
            DeployError::InvalidWorkflowName { name } => write!(
                f,
                "workflow name `{name}` cannot name a state machine: use 1 to 80 characters of A-Z, a-z, \
                 0-9, `-` and `_`"
            ),
        }
    }
}

impl std::error::Error for DeployError {}
