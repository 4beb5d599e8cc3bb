//! [`StateMachine`]: a whole ASL definition, with parsing and deterministic printing.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::doc::Doc;
use super::error::AslError;
use super::query_language::QueryLanguage;
use super::state::State;
use super::states::States;

/// A state machine definition (the top-level JSON object).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StateMachine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Default language of every state (JSONPath when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// Only `"1.0"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Whole-execution limit, positive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    pub start_at: String,
    pub states: States,
}

impl StateMachine {
    /// A machine with the given start state and states, everything else absent.
    pub fn new(start_at: impl Into<String>, states: States) -> Self {
        StateMachine {
            start_at: start_at.into(),
            states,
            ..StateMachine::default()
        }
    }

    /// Parses a definition. Syntax errors carry line/column; shape errors (unknown field, wrong type,
    /// unknown `Type`, duplicate state) name the state, including the enclosing states of nested ones.
    ///
    /// The document order of every `States` object is kept.
    pub fn from_json(text: &str) -> Result<StateMachine, AslError> {
        let doc: Doc = serde_json::from_str(text).map_err(|e| AslError::from_syntax(&e))?;
        StateMachine::deserialize(doc).map_err(|e| AslError::from_shape(&e.to_string()))
    }

    /// The definition as 2-space-indented JSON with a trailing newline.
    ///
    /// Deterministic: typed fields come in declaration order (`Type` first), `States` in their map
    /// order, and free-form payloads with sorted keys, whatever serde_json features are enabled.
    pub fn to_json_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect(
            "the ASL model serialises infallibly: all map keys are strings, all numbers finite",
        );
        text.push('\n');
        text
    }

    /// The definition as compact JSON (same ordering guarantees as [`StateMachine::to_json_pretty`]).
    pub fn to_json_compact(&self) -> String {
        serde_json::to_string(self).expect(
            "the ASL model serialises infallibly: all map keys are strings, all numbers finite",
        )
    }

    /// The top-level `QueryLanguage`, defaulting to JSONPath.
    pub fn query_language(&self) -> QueryLanguage {
        self.query_language.unwrap_or_default()
    }

    /// The language `state`'s fields are in: its own `QueryLanguage`, else the top-level one, else
    /// JSONPath (nested states do not inherit from their Parallel/Map).
    pub fn effective_query_language(&self, state: &State) -> QueryLanguage {
        state.effective_query_language(self.query_language())
    }
}

impl FromStr for StateMachine {
    type Err = AslError;

    fn from_str(s: &str) -> Result<Self, AslError> {
        StateMachine::from_json(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_state_order_and_prints_type_first() {
        let text = r#"{"States": {"Z": {"End": true, "Type": "Pass"}, "A": {"Type": "Succeed"}}, "StartAt": "Z"}"#;
        let m = StateMachine::from_json(text).unwrap();
        assert_eq!(m.states.names().collect::<Vec<_>>(), ["Z", "A"]);
        assert_eq!(
            m.to_json_compact(),
            r#"{"StartAt":"Z","States":{"Z":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}"#
        );
        assert!(m.to_json_pretty().ends_with("}\n"));
    }

    #[test]
    fn unknown_field_names_the_state() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Foo": 1, "End": true}}}"#;
        let err = StateMachine::from_json(text).unwrap_err();
        assert_eq!(err.states, ["A"]);
        assert!(err.message.contains("unknown field `Foo`"), "{err}");
    }

    #[test]
    fn nested_errors_carry_the_path() {
        let text = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Wait", "Secs": 1, "End": true}}}]}}}"#;
        let err = StateMachine::from_json(text).unwrap_err();
        assert_eq!(err.states, ["P", "B"]);
        assert!(
            err.message.starts_with("Wait state: unknown field `Secs`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_top_level_field_and_type() {
        let err = StateMachine::from_json(r#"{"StartAt": "A", "States": {}, "X": 1}"#).unwrap_err();
        assert!(err.states.is_empty() && err.message.contains("unknown field `X`"));
        let err = StateMachine::from_json(r#"{"StartAt": "A", "States": {"A": {"Type": "Nope"}}}"#)
            .unwrap_err();
        assert_eq!(err.states, ["A"]);
        assert!(err.message.contains("unknown `Type` \"Nope\""));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = StateMachine::from_json("{\n  \"StartAt\": }").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.starts_with("invalid JSON"));
    }

    #[test]
    fn duplicate_state_names_are_rejected() {
        let text =
            r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"}}}"#;
        let err = StateMachine::from_json(text).unwrap_err();
        assert_eq!(err.states, ["A"]);
        assert!(err.message.contains("duplicate state name"));
    }

    #[test]
    fn null_paths_and_results_round_trip() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":null,"ResultPath":null,"End":true}}}"#;
        let m = StateMachine::from_json(text).unwrap();
        let State::Pass(p) = m.states.get("A").unwrap() else {
            panic!()
        };
        assert_eq!(p.result_path, Some(None));
        assert_eq!(p.result.as_ref().map(|j| j.is_null()), Some(true));
        assert_eq!(m.to_json_compact(), text);
    }
}
