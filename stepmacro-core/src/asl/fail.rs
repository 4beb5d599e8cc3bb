//! [`FailState`]: `"Type": "Fail"`, ends the execution (or the enclosing branch) with an error.

use serde::{Deserialize, Serialize};

use super::query_language::QueryLanguage;

/// A Fail state: `Error` xor `ErrorPath`, `Cause` xor `CausePath` (JSONata may use `{% %}` in `Error`
/// and `Cause`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct FailState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// JSONPath only: reference path or string-returning intrinsic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// JSONPath only: reference path or string-returning intrinsic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_path: Option<String>,
}
