//! Error handling fields of Task, Parallel and Map: [`Retrier`] (`Retry`) and [`Catcher`] (`Catch`).

use serde::{Deserialize, Serialize};

use super::json::Json;
use super::payload::Assign;
use super::serde_util::present;

/// The reserved error name that matches every (catchable) error; alone and last when used.
pub const STATES_ALL: &str = "States.ALL";

/// One entry of a `Retry` array.
///
/// Numbers are kept as written (integers as `i64`, so a negative value still parses and the validator
/// can name the rule it breaks); the accessors apply the ASL defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Retrier {
    /// Error names this retrier matches (non-empty; `States.ALL` alone).
    pub error_equals: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Seconds before the first retry; default 1, must be ≥ 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<i64>,
    /// Retries allowed; default 3, 0 means never retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<i64>,
    /// Multiplier per retry; default 2.0, must be ≥ 1.0. Kept as written (`2` vs `2.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_rate: Option<serde_json::Number>,
    /// Upper bound of one delay, 1..=31,622,400 seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<i64>,
    /// `FULL` or `NONE` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<JitterStrategy>,
}

impl Retrier {
    /// `IntervalSeconds` or its default, 1.
    pub fn interval_seconds(&self) -> i64 {
        self.interval_seconds.unwrap_or(1)
    }

    /// `MaxAttempts` or its default, 3.
    pub fn max_attempts(&self) -> i64 {
        self.max_attempts.unwrap_or(3)
    }

    /// `BackoffRate` or its default, 2.0.
    pub fn backoff_rate(&self) -> f64 {
        self.backoff_rate
            .as_ref()
            .and_then(serde_json::Number::as_f64)
            .unwrap_or(2.0)
    }

    /// `JitterStrategy` or its default, `NONE`.
    pub fn jitter_strategy(&self) -> JitterStrategy {
        self.jitter_strategy.unwrap_or_default()
    }
}

/// How a retry delay is randomised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum JitterStrategy {
    /// Wait a uniformly random time in [0, computed delay].
    Full,
    /// Wait exactly the computed delay.
    #[default]
    None,
}

impl<'de> Deserialize<'de> for JitterStrategy {
    /// Hand-written so that the error names the field (serde's "unknown variant" does not).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.as_str() {
            "FULL" => Ok(JitterStrategy::Full),
            "NONE" => Ok(JitterStrategy::None),
            other => Err(serde::de::Error::custom(format!(
                "JitterStrategy must be \"FULL\" or \"NONE\", found {other:?}"
            ))),
        }
    }
}

/// One entry of a `Catch` array.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Catcher {
    /// Error names this catcher matches (non-empty; `States.ALL` alone).
    pub error_equals: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// JSONPath: where the Error Output goes in the raw input; `Some(None)` is `null` (keep the input).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_path: Option<Option<String>>,
    /// JSONata: the state output (default: the Error Output).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<Json>,
    /// Variables assigned when this catcher matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Assign>,
    /// The state to continue with (same `States` object).
    pub next: String,
}

/// Whether `name` matches `error_equals` by the ASL rules: exact name, `States.ALL`, or
/// `States.TaskFailed` for anything except `States.Timeout`. (Uncatchable errors such as
/// `States.Runtime` are the caller's concern.)
pub fn error_matches(error_equals: &[String], name: &str) -> bool {
    error_equals.iter().any(|e| {
        e == name || e == STATES_ALL || (e == "States.TaskFailed" && name != "States.Timeout")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let r: Retrier = serde_json::from_str(r#"{"ErrorEquals": ["X"]}"#).unwrap();
        assert_eq!((r.interval_seconds(), r.max_attempts()), (1, 3));
        assert_eq!(r.backoff_rate(), 2.0);
        assert_eq!(r.jitter_strategy(), JitterStrategy::None);
    }

    #[test]
    fn jitter_errors_name_the_field() {
        let err = serde_json::from_str::<Retrier>(
            r#"{"ErrorEquals": ["X"], "JitterStrategy": "SOMETIMES"}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("JitterStrategy must be \"FULL\" or \"NONE\", found \"SOMETIMES\""),
            "{err}"
        );
    }

    #[test]
    fn matching() {
        let eq = vec!["States.TaskFailed".to_owned()];
        assert!(error_matches(&eq, "Lambda.Unknown"));
        assert!(!error_matches(&eq, "States.Timeout"));
        assert!(error_matches(&[STATES_ALL.to_owned()], "States.Timeout"));
    }
}
