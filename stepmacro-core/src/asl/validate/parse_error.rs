//! Turning an [`AslError`] (the definition did not fit the typed model) into a [`Diagnostic`].
//!
//! The typed model rejects unknown fields per state type, so a field that ASL knows but this state
//! type may not have (`Assign` on Succeed, `Retry` on Pass) arrives as serde's "unknown field". It is
//! reported as the field-matrix rule (11) rather than the generic shape rule (2).

use super::super::error::AslError;
use super::diagnostic::{Diagnostic, Rule, Severity};

/// Every field name a state may have in some state type.
const STATE_FIELDS: &[&str] = &[
    "Comment",
    "QueryLanguage",
    "Resource",
    "InputPath",
    "Parameters",
    "Arguments",
    "Credentials",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "ResultSelector",
    "ResultPath",
    "OutputPath",
    "Output",
    "Assign",
    "Retry",
    "Catch",
    "Next",
    "End",
    "Result",
    "Choices",
    "Default",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Error",
    "ErrorPath",
    "Cause",
    "CausePath",
    "Branches",
    "ItemsPath",
    "Items",
    "ItemReader",
    "ItemSelector",
    "ItemBatcher",
    "ItemProcessor",
    "Iterator",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
    "ResultWriter",
];

pub(super) fn diagnostic(err: &AslError) -> Diagnostic {
    let (rule, message) = classify(&err.message);
    let (state, outer) = match err.states.split_last() {
        Some((last, outer)) => (Some(last.clone()), outer),
        None => (None, &[][..]),
    };
    let scope = if outer.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = outer.iter().map(|s| format!("{s:?}")).collect();
        format!("inside {}", names.join(" > "))
    };
    let message = if err.line > 0 {
        format!("{message} at line {} column {}", err.line, err.column)
    } else {
        message
    };
    Diagnostic {
        rule,
        severity: Severity::Error,
        state,
        scope,
        message,
    }
}

fn classify(message: &str) -> (Rule, String) {
    // "<Type> state: unknown field `F`, expected one of `Comment`, `QueryLanguage`, ..." comes from a
    // state struct (every state struct starts with Comment, QueryLanguage; nested structs do not).
    if let Some((type_name, rest)) = message.split_once(" state: unknown field `")
        && let Some((field, tail)) = rest.split_once('`')
        && STATE_FIELDS.contains(&field)
        && tail.contains("expected one of `Comment`, `QueryLanguage`")
    {
        return (
            Rule::FieldMatrix,
            format!("field `{field}` is not allowed in a {type_name} state"),
        );
    }
    if message.contains("JitterStrategy") {
        return (Rule::RetryCatch, message.to_owned());
    }
    if message.contains("duplicate state name") {
        return (Rule::StateNames, message.to_owned());
    }
    (Rule::Shape, message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_fields_are_told_apart_from_unknown_ones() {
        let (rule, msg) = classify(
            "Succeed state: unknown field `Assign`, expected one of `Comment`, `QueryLanguage`, `InputPath`",
        );
        assert_eq!(rule, Rule::FieldMatrix);
        assert_eq!(msg, "field `Assign` is not allowed in a Succeed state");
        let (rule, _) =
            classify("Pass state: unknown field `Foo`, expected one of `Comment`, `QueryLanguage`");
        assert_eq!(rule, Rule::Shape);
        // A retrier's unknown field is not a state-matrix problem even if the name is a state field.
        let (rule, _) =
            classify("Task state: unknown field `Next`, expected one of `ErrorEquals`, `Comment`");
        assert_eq!(rule, Rule::Shape);
    }
}
