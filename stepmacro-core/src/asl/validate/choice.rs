//! Rule 8: Choice states and the shape of their rules.
//!
//! Language mix-ups (a `Condition` in a JSONPath state, `Variable` in a JSONata one) are rule 12's;
//! this file checks the shape within the state's own language.

use serde_json::Value;

use super::super::choice_rule::{ChoiceRule, OperandKind};
use super::super::machine::StateMachine;
use super::super::query_language::QueryLanguage;
use super::super::state::State;
use super::super::walk::WalkEntry;
use super::inventory::choice_rules;
use super::timestamp::is_timestamp;
use super::{Ctx, Rule};

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    for at in machine.walk() {
        let State::Choice(choice) = at.state else {
            continue;
        };
        if choice.choices.is_empty() {
            ctx.error(&at, Rule::ChoiceRules, "Choices is empty");
        }
        for (i, rule) in choice.choices.iter().enumerate() {
            if rule.next.is_none() {
                ctx.error(&at, Rule::ChoiceRules, format!("Choices[{i}] has no Next"));
            }
            if at.query_language == QueryLanguage::Jsonata && rule.condition.is_none() {
                ctx.error(
                    &at,
                    Rule::ChoiceRules,
                    format!("Choices[{i}] has no Condition (a JSONata rule is Condition + Next)"),
                );
            }
        }
        for (label, rule) in choice_rules(&choice.choices) {
            let nested = label.contains('.');
            if nested {
                for (field, present) in [
                    ("Next", rule.next.is_some()),
                    ("Assign", rule.assign.is_some()),
                    ("Output", rule.output.is_some()),
                ] {
                    if present {
                        ctx.error(
                            &at,
                            Rule::ChoiceRules,
                            format!("{label} has {field}; only top-level rules may"),
                        );
                    }
                }
            }
            if at.query_language == QueryLanguage::JsonPath {
                check_jsonpath_rule(&at, &label, rule, ctx);
            }
        }
    }
}

fn check_jsonpath_rule(at: &WalkEntry<'_>, label: &str, rule: &ChoiceRule, ctx: &mut Ctx) {
    let ops = rule.operators();
    let is_test = rule.variable.is_some() || !ops.is_empty();
    let shapes: Vec<&str> = [
        ("And", rule.and.is_some()),
        ("Or", rule.or.is_some()),
        ("Not", rule.not.is_some()),
        ("a data test (Variable + operator)", is_test),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
    .collect();
    match shapes.len() {
        0 if rule.condition.is_some() => {} // rule 12 reports the JSONata-only Condition
        0 => ctx.error(
            at,
            Rule::ChoiceRules,
            format!("{label} is neither a Boolean rule (And/Or/Not) nor a data test (Variable + one operator)"),
        ),
        1 => {}
        _ => ctx.error(at, Rule::ChoiceRules, format!("{label} mixes {}; use exactly one", shapes.join(" and "))),
    }
    for (name, list) in [("And", &rule.and), ("Or", &rule.or)] {
        if list.as_ref().is_some_and(Vec::is_empty) {
            ctx.error(
                at,
                Rule::ChoiceRules,
                format!("{label}.{name} must be a non-empty array"),
            );
        }
    }
    if !is_test {
        return;
    }
    if rule.variable.is_none() {
        ctx.error(
            at,
            Rule::ChoiceRules,
            format!("{label} has a comparison operator but no Variable"),
        );
    }
    match ops.as_slice() {
        [] => ctx.error(
            at,
            Rule::ChoiceRules,
            format!("{label} has Variable but no comparison operator"),
        ),
        [(op, operand)] => {
            if let Some(problem) = operand_problem(op.operand_kind(), operand) {
                ctx.error(
                    at,
                    Rule::ChoiceRules,
                    format!("{label}.{}: {problem}", op.name()),
                );
            }
        }
        many => {
            let names: Vec<&str> = many.iter().map(|(op, _)| op.name()).collect();
            ctx.error(
                at,
                Rule::ChoiceRules,
                format!(
                    "{label} has {} comparison operators ({}); a data test has exactly one",
                    many.len(),
                    names.join(", ")
                ),
            );
        }
    }
}

/// Why an operand does not fit its operator, if it does not.
fn operand_problem(kind: OperandKind, operand: &Value) -> Option<String> {
    let ok = match kind {
        OperandKind::String | OperandKind::Path => operand.is_string(),
        OperandKind::Number => operand.is_number(),
        OperandKind::Boolean | OperandKind::TypeTest => operand.is_boolean(),
        OperandKind::Timestamp => {
            return match operand.as_str() {
                Some(s) if is_timestamp(s) => None,
                Some(s) => Some(format!(
                    "{s:?} is not an RFC 3339 timestamp (e.g. \"2026-03-14T01:59:00Z\")"
                )),
                None => Some("must be a timestamp string".to_owned()),
            };
        }
        OperandKind::Pattern => {
            return match operand.as_str() {
                Some(p) => pattern_problem(p),
                None => Some("must be a pattern string".to_owned()),
            };
        }
    };
    let want = match kind {
        OperandKind::String => "a string",
        OperandKind::Path => "a path string",
        OperandKind::Number => "a number",
        OperandKind::Boolean | OperandKind::TypeTest => "a boolean",
        OperandKind::Timestamp | OperandKind::Pattern => unreachable!("returned above"),
    };
    (!ok).then(|| format!("must be {want}, found {operand}"))
}

/// `StringMatches`: `\` may only escape `*` or `\`.
fn pattern_problem(pattern: &str) -> Option<String> {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('*' | '\\') => {}
                Some(other) => {
                    return Some(format!(
                        "`\\{other}` is not a valid escape (only \\* and \\\\)"
                    ));
                }
                None => return Some("pattern ends with a dangling backslash".to_owned()),
            }
        }
    }
    None
}
