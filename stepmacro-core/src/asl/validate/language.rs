//! Rule 12: fields follow the state's query language, and every `{% %}` expression parses.
//!
//! JSONata expressions are parsed with jsonata-core's parser (no evaluation), so syntax errors are
//! reported at build time with the field they are in.

use serde_json::Value;

use super::super::dynamic::{BoolOrExpr, NumberOrExpr};
use super::super::expression::jsonata_body;
use super::super::machine::StateMachine;
use super::super::query_language::QueryLanguage;
use super::super::state::State;
use super::super::walk::WalkEntry;
use super::intrinsic_syntax::{looks_like_intrinsic, parse_intrinsic};
use super::inventory::{PayloadKind, assigns, choice_rules, dynamic_numbers, paths, payloads};
use super::jsonata_scope::implicit_input_reads;
use super::path_syntax::parse_path;
use super::{Ctx, Rule};

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    let top = machine.query_language();
    for at in machine.walk() {
        if top == QueryLanguage::Jsonata
            && at.state.query_language() == Some(QueryLanguage::JsonPath)
        {
            ctx.error(
                &at,
                Rule::QueryLanguage,
                "QueryLanguage is JSONPath but the machine's is JSONata; states may switch from JSONPath to JSONata, not back",
            );
        }
        match at.query_language {
            QueryLanguage::Jsonata => jsonata_state(&at, ctx),
            QueryLanguage::JsonPath => jsonpath_state(&at, ctx),
        }
    }
}

fn jsonata_state(at: &WalkEntry<'_>, ctx: &mut Ctx) {
    let state = at.state;
    for (label, _, _) in paths(state) {
        ctx.error(at, Rule::QueryLanguage, format!("{label} is a JSONPath field; a JSONata state uses Arguments/Output/Assign and {{% %}} expressions"));
    }
    for (label, json, kind) in payloads(state) {
        match kind {
            PayloadKind::Template | PayloadKind::Literal => ctx.error(
                at,
                Rule::QueryLanguage,
                format!(
                    "{label} is a JSONPath field; a JSONata state uses {}",
                    jsonata_alternative(&label)
                ),
            ),
            PayloadKind::Jsonata | PayloadKind::Dual => check_json(at, &label, json, ctx),
        }
    }
    for (label, assign) in assigns(state) {
        for (key, value) in assign {
            if key.ends_with(".$") {
                ctx.error(at, Rule::QueryLanguage, format!("{label}: key {key:?} is a JSONPath `.$` key; in JSONata write the value as a {{% %}} expression"));
            }
            check_json(at, &format!("{label}.{key}"), value, ctx);
        }
    }
    for (label, value) in dynamic_numbers(state) {
        if let NumberOrExpr::Expression(text) = value {
            match jsonata_body(text) {
                Some(body) => check_expression(at, label, text, body, ctx),
                None => ctx.error(at, Rule::QueryLanguage, format!("{label} is the string {text:?}; it must be a number or a {{% %}} expression")),
            }
        }
    }
    match state {
        State::Choice(choice) => {
            for (label, rule) in choice_rules(&choice.choices) {
                let jsonpath_fields = rule.variable.is_some()
                    || !rule.operators().is_empty()
                    || rule.and.is_some()
                    || rule.or.is_some()
                    || rule.not.is_some();
                if jsonpath_fields {
                    ctx.error(at, Rule::QueryLanguage, format!("{label} uses JSONPath rule fields (Variable, comparison operators, And/Or/Not); a JSONata rule is Condition + Next"));
                }
                if let Some(BoolOrExpr::Expression(text)) = &rule.condition {
                    let label = format!("{label}.Condition");
                    match jsonata_body(text) {
                        Some(body) => check_expression(at, &label, text, body, ctx),
                        None => ctx.error(at, Rule::QueryLanguage, format!("{label} is the string {text:?}; it must be true, false or a {{% %}} expression")),
                    }
                }
            }
        }
        State::Fail(fail) => {
            for (label, value) in [("Error", &fail.error), ("Cause", &fail.cause)] {
                if let Some(text) = value {
                    check_string(at, label, text, ctx);
                }
            }
        }
        State::Wait(wait) => {
            if let Some(text) = &wait.timestamp {
                check_string(at, "Timestamp", text, ctx);
            }
        }
        _ => {}
    }
}

fn jsonpath_state(at: &WalkEntry<'_>, ctx: &mut Ctx) {
    let state = at.state;
    for (label, json, kind) in payloads(state) {
        if kind == PayloadKind::Jsonata {
            ctx.error(at, Rule::QueryLanguage, format!("{label} is a JSONata field but the state uses JSONPath (set \"QueryLanguage\": \"JSONata\" or use the JSONPath fields)"));
        } else {
            warn_jsonata_lookalikes(at, &label, json, ctx);
        }
    }
    for (label, assign) in assigns(state) {
        for (key, value) in assign {
            warn_jsonata_lookalikes(at, &format!("{label}.{key}"), value, ctx);
        }
    }
    for (label, value) in dynamic_numbers(state) {
        if let NumberOrExpr::Expression(text) = value {
            ctx.error(at, Rule::QueryLanguage, format!("{label} is the string {text:?}; in a JSONPath state it must be a number (use {label}Path for a computed value)"));
        }
    }
    if let State::Choice(choice) = state {
        for (label, rule) in choice_rules(&choice.choices) {
            if rule.condition.is_some() {
                ctx.error(
                    at,
                    Rule::QueryLanguage,
                    format!("{label}.Condition is a JSONata field but the state uses JSONPath"),
                );
            }
        }
    }
    if let State::Wait(wait) = state
        && wait
            .timestamp
            .as_deref()
            .is_some_and(|t| jsonata_body(t).is_some())
    {
        ctx.error(
            at,
            Rule::QueryLanguage,
            "Timestamp holds a {% %} expression but the state uses JSONPath (use TimestampPath)",
        );
    }
}

/// The JSONata way to do what a JSONPath-only payload field does.
fn jsonata_alternative(label: &str) -> &'static str {
    if label.ends_with("Parameters") {
        "Arguments"
    } else {
        "Output"
    }
}

/// Checks every string of a JSONata-capable JSON value, and rejects `.$` keys.
fn check_json(at: &WalkEntry<'_>, label: &str, value: &Value, ctx: &mut Ctx) {
    match value {
        Value::String(text) => check_string(at, label, text, ctx),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_json(at, &format!("{label}[{i}]"), item, ctx);
            }
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                if key.ends_with(".$") {
                    ctx.error(at, Rule::QueryLanguage, format!("{label}: key {key:?} is a JSONPath `.$` key; in JSONata write the value as a {{% %}} expression"));
                }
                check_json(at, &format!("{label}.{key}"), &map[key], ctx);
            }
        }
        _ => {}
    }
}

/// A string in a JSONata field: if it is an expression, it must parse; if it looks like JSONPath
/// (an intrinsic call or a `$.` path), it is a literal here, which is probably not what was meant.
fn check_string(at: &WalkEntry<'_>, label: &str, text: &str, ctx: &mut Ctx) {
    if let Some(body) = jsonata_body(text) {
        check_expression(at, label, text, body, ctx);
    } else if looks_like_intrinsic(text) && parse_intrinsic(text).is_ok() {
        ctx.warn(at, Rule::QueryLanguage, format!("{label}: {text:?} is a literal string in a JSONata state (intrinsic functions are JSONPath-only; use a {{% %}} expression)"));
    } else if (text.starts_with("$.") || text.starts_with("$$.")) && parse_path(text).is_ok() {
        ctx.warn(at, Rule::QueryLanguage, format!("{label}: {text:?} is a literal string in a JSONata state (paths are JSONPath-only; use a {{% %}} expression)"));
    }
}

/// Warns about `{% %}` strings in a JSONPath state's payloads, where they are literal text.
fn warn_jsonata_lookalikes(at: &WalkEntry<'_>, label: &str, value: &Value, ctx: &mut Ctx) {
    match value {
        Value::String(text) if jsonata_body(text).is_some() => ctx.warn(
            at,
            Rule::QueryLanguage,
            format!("{label}: {text:?} is a literal string in a JSONPath state ({{% %}} expressions need \"QueryLanguage\": \"JSONata\")"),
        ),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                warn_jsonata_lookalikes(at, &format!("{label}[{i}]"), item, ctx);
            }
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                warn_jsonata_lookalikes(at, &format!("{label}.{key}"), &map[key], ctx);
            }
        }
        _ => {}
    }
}

fn check_expression(at: &WalkEntry<'_>, label: &str, text: &str, body: &str, ctx: &mut Ctx) {
    if body.trim().is_empty() {
        ctx.error(
            at,
            Rule::QueryLanguage,
            format!("{label}: {text:?} is an empty JSONata expression"),
        );
        return;
    }
    let ast = match jsonata_core::parser::parse(body) {
        Ok(ast) => ast,
        Err(err) => {
            ctx.error(
                at,
                Rule::QueryLanguage,
                format!("{label}: JSONata expression {text:?} does not parse: {err}"),
            );
            return;
        }
    };
    for read in implicit_input_reads(&ast) {
        ctx.warn(
            at,
            Rule::QueryLanguage,
            format!("{label}: {text:?} reads {read}; JSONata states have no input document"),
        );
    }
}
