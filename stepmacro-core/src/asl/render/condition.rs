//! Short, human-readable text of a Choice rule, for edge labels.

use super::super::choice_rule::{ChoiceRule, ComparisonOperator, RuleKind};
use super::super::dynamic::BoolOrExpr;
use super::super::expression::jsonata_body;

/// Maximum characters of a rendered condition before it is cut with `…`.
const MAX_CHARS: usize = 48;

/// A short text for a rule: `$.x == "a"`, `not ($.n < 3)`, `$status = 'DONE'` (JSONata body), cut to
/// 48 characters.
pub fn condition_text(rule: &ChoiceRule) -> String {
    let text = full_text(rule);
    if text.chars().count() <= MAX_CHARS {
        text
    } else {
        let cut: String = text.chars().take(MAX_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn full_text(rule: &ChoiceRule) -> String {
    match rule.kind() {
        RuleKind::Condition(BoolOrExpr::Bool(b)) => b.to_string(),
        RuleKind::Condition(BoolOrExpr::Expression(e)) => {
            jsonata_body(e).unwrap_or(e).trim().to_owned()
        }
        RuleKind::And(rules) => join(rules, " and "),
        RuleKind::Or(rules) => join(rules, " or "),
        RuleKind::Not(inner) => format!("not {}", grouped(inner)),
        RuleKind::Test {
            variable,
            operator,
            operand,
        } => {
            let flag = operand.as_bool().unwrap_or(true);
            match test_verb(operator, flag) {
                Some(verb) => format!("{variable} {verb}"),
                None => format!(
                    "{variable} {} {}",
                    symbol(operator),
                    operand_text(operator, operand)
                ),
            }
        }
        RuleKind::Malformed => "(malformed rule)".to_owned(),
    }
}

fn join(rules: &[ChoiceRule], sep: &str) -> String {
    rules.iter().map(grouped).collect::<Vec<_>>().join(sep)
}

/// A sub-rule, in parentheses when it is itself compound.
fn grouped(rule: &ChoiceRule) -> String {
    match rule.kind() {
        RuleKind::And(_) | RuleKind::Or(_) => format!("({})", full_text(rule)),
        _ => full_text(rule),
    }
}

fn test_verb(op: ComparisonOperator, flag: bool) -> Option<&'static str> {
    use ComparisonOperator::*;
    Some(match (op, flag) {
        (IsNull, true) => "is null",
        (IsNull, false) => "is not null",
        (IsPresent, true) => "is present",
        (IsPresent, false) => "is absent",
        (IsNumeric, true) => "is numeric",
        (IsNumeric, false) => "is not numeric",
        (IsString, true) => "is a string",
        (IsString, false) => "is not a string",
        (IsBoolean, true) => "is a boolean",
        (IsBoolean, false) => "is not a boolean",
        (IsTimestamp, true) => "is a timestamp",
        (IsTimestamp, false) => "is not a timestamp",
        _ => return None,
    })
}

fn symbol(op: ComparisonOperator) -> &'static str {
    let name = op.name().trim_end_matches("Path");
    if name == "StringMatches" {
        "matches"
    } else if name.ends_with("GreaterThanEquals") {
        ">="
    } else if name.ends_with("LessThanEquals") {
        "<="
    } else if name.ends_with("GreaterThan") {
        ">"
    } else if name.ends_with("LessThan") {
        "<"
    } else {
        "=="
    }
}

fn operand_text(op: ComparisonOperator, operand: &serde_json::Value) -> String {
    // Path twins compare with another path: show it bare.
    match operand.as_str() {
        Some(path) if op.name().ends_with("Path") => path.to_owned(),
        _ => operand.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(json: &str) -> String {
        condition_text(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn renders_rules() {
        assert_eq!(
            text(r#"{"Variable": "$.x", "StringEquals": "a"}"#),
            r#"$.x == "a""#
        );
        assert_eq!(
            text(r#"{"Variable": "$.n", "NumericLessThanEqualsPath": "$.m"}"#),
            "$.n <= $.m"
        );
        assert_eq!(
            text(r#"{"Variable": "$.x", "IsPresent": false}"#),
            "$.x is absent"
        );
        assert_eq!(
            text(
                r#"{"Not": {"Or": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.b", "BooleanEquals": true}]}}"#
            ),
            "not ($.a is null or $.b == true)"
        );
        assert_eq!(text(r#"{"Condition": "{% $x = 1 %}"}"#), "$x = 1");
        assert_eq!(text(r#"{"Condition": true}"#), "true");
        let long = text(&format!(
            r#"{{"Condition": "{{% {} %}}"}}"#,
            "a".repeat(100)
        ));
        assert_eq!(long.chars().count(), 48);
        assert!(long.ends_with('…'));
    }
}
