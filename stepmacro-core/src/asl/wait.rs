//! [`WaitState`]: `"Type": "Wait"`, pauses for a duration or until a timestamp.

use serde::{Deserialize, Serialize};

use super::dynamic::NumberOrExpr;
use super::json::Json;
use super::payload::Assign;
use super::query_language::QueryLanguage;
use super::serde_util::present;

/// A Wait state: exactly one of `Seconds`, `Timestamp`, `SecondsPath`, `TimestampPath`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WaitState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub input_path: Option<Option<String>>,
    /// Non-negative integer, or `{% %}` in JSONata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<NumberOrExpr>,
    /// JSONPath only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_path: Option<String>,
    /// RFC 3339 timestamp, or `{% %}` in JSONata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// JSONPath only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_path: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_path: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Assign>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}
