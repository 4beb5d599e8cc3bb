//! [`ChoiceState`]: `"Type": "Choice"`, branches on the first matching rule.

use serde::{Deserialize, Serialize};

use super::choice_rule::ChoiceRule;
use super::json::Json;
use super::payload::Assign;
use super::query_language::QueryLanguage;
use super::serde_util::present;

/// A Choice state. No `Next`/`End`/`Retry`/`Catch`/`ResultPath`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ChoiceState {
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
    /// Rules in order; the first match wins. Must be non-empty.
    pub choices: Vec<ChoiceRule>,
    /// Where to go when no rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_path: Option<Option<String>>,
    /// JSONata output when falling through to `Default`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<Json>,
    /// Variables assigned when falling through to `Default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Assign>,
}
