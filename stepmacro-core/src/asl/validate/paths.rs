//! Rule 13 (JSONPath states): Paths and reference paths, payload templates (`.$` keys hold a Path or an
//! intrinsic call; no duplicate keys after stripping `.$`), `ResultPath` neither `$$` nor a variable.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::choice_rule::OperandKind;
use super::super::machine::StateMachine;
use super::super::query_language::QueryLanguage;
use super::super::state::State;
use super::super::walk::WalkEntry;
use super::intrinsic_syntax::{STRING_INTRINSICS, looks_like_intrinsic, parse_intrinsic};
use super::inventory::{PathKind, PayloadKind, assigns, choice_rules, paths, payloads};
use super::path_syntax::{Root, parse_path};
use super::{Ctx, Rule};

pub(super) fn check(machine: &StateMachine, ctx: &mut Ctx) {
    for at in machine.walk() {
        if at.query_language != QueryLanguage::JsonPath {
            continue; // rule 12 reports JSONPath fields in JSONata states
        }
        for (label, value, kind) in paths(at.state) {
            if let Some(text) = value {
                check_path_field(&at, &label, text, kind, ctx);
            }
        }
        for (label, json, kind) in payloads(at.state) {
            if matches!(kind, PayloadKind::Template | PayloadKind::Dual) {
                check_template(&at, &label, json, ctx);
            }
        }
        for (label, assign) in assigns(at.state) {
            let object: serde_json::Map<String, Value> = assign
                .iter()
                .map(|(k, v)| (k.clone(), v.as_value().clone()))
                .collect();
            check_template(&at, &label, &Value::Object(object), ctx);
        }
        if let State::Choice(choice) = at.state {
            for (label, rule) in choice_rules(&choice.choices) {
                if let Some(variable) = &rule.variable
                    && let Err(e) = parse_path(variable)
                {
                    ctx.error(
                        &at,
                        Rule::Paths,
                        format!("{label}.Variable {variable:?} is not a valid path: {e}"),
                    );
                }
                for (op, operand) in rule.operators() {
                    if op.operand_kind() == OperandKind::Path
                        && let Some(text) = operand.as_str()
                    {
                        check_path_field(
                            &at,
                            &format!("{label}.{}", op.name()),
                            text,
                            PathKind::Reference,
                            ctx,
                        );
                    }
                }
            }
        }
    }
}

fn check_path_field(at: &WalkEntry<'_>, label: &str, text: &str, kind: PathKind, ctx: &mut Ctx) {
    if kind == PathKind::ReferenceOrIntrinsic && looks_like_intrinsic(text) {
        match parse_intrinsic(text) {
            Ok(name) if STRING_INTRINSICS.contains(&name.as_str()) => {}
            Ok(name) => ctx.error(
                at,
                Rule::Paths,
                format!(
                    "{label}: {name} does not return a string; use one of {}",
                    STRING_INTRINSICS.join(", ")
                ),
            ),
            Err(e) => ctx.error(
                at,
                Rule::Paths,
                format!("{label}: {text:?} is not a valid intrinsic call: {e}"),
            ),
        }
        return;
    }
    let parsed = match parse_path(text) {
        Ok(p) => p,
        Err(e) => {
            ctx.error(
                at,
                Rule::Paths,
                format!("{label} {text:?} is not a valid path: {e}"),
            );
            return;
        }
    };
    if kind != PathKind::Path && !parsed.reference {
        ctx.error(
            at,
            Rule::Paths,
            format!(
                "{label} {text:?} must be a reference path (only .name, ['name'] and [index] steps)"
            ),
        );
    }
    if kind == PathKind::ResultPath {
        match parsed.root {
            Root::Context => ctx.error(
                at,
                Rule::Paths,
                format!("{label} {text:?} cannot write into the context object ($$)"),
            ),
            Root::Variable(name) => ctx.error(
                at,
                Rule::Paths,
                format!("{label} {text:?} cannot target variable ${name}; use Assign"),
            ),
            Root::Input => {}
        }
    }
}

/// Checks a payload template recursively.
fn check_template(at: &WalkEntry<'_>, label: &str, value: &Value, ctx: &mut Ctx) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_template(at, &format!("{label}[{i}]"), item, ctx);
            }
        }
        Value::Object(map) => {
            let mut stripped: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                let value = &map[key];
                match key.strip_suffix(".$") {
                    Some(base) => {
                        stripped.entry(base).or_default().push(key);
                        check_dynamic_value(at, &format!("{label}.{key}"), value, ctx);
                    }
                    None => {
                        stripped.entry(key).or_default().push(key);
                        check_template(at, &format!("{label}.{key}"), value, ctx);
                    }
                }
            }
            for (base, originals) in stripped {
                if originals.len() > 1 {
                    ctx.error(
                        at,
                        Rule::Paths,
                        format!(
                            "{label}: keys {} both become {base:?} after stripping `.$`",
                            originals.join(" and ")
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The value of a `.$` key: a Path (`$...`, `$$...`, `$var`) or an intrinsic call.
fn check_dynamic_value(at: &WalkEntry<'_>, label: &str, value: &Value, ctx: &mut Ctx) {
    let Some(text) = value.as_str() else {
        ctx.error(
            at,
            Rule::Paths,
            format!("{label} must be a string (a path or an intrinsic call), found {value}"),
        );
        return;
    };
    if text.starts_with('$') {
        if let Err(e) = parse_path(text) {
            ctx.error(
                at,
                Rule::Paths,
                format!("{label} {text:?} is not a valid path: {e}"),
            );
        }
    } else if looks_like_intrinsic(text) {
        if let Err(e) = parse_intrinsic(text) {
            ctx.error(
                at,
                Rule::Paths,
                format!("{label}: {text:?} is not a valid intrinsic call: {e}"),
            );
        }
    } else {
        ctx.error(
            at,
            Rule::Paths,
            format!(
                "{label} {text:?} is neither a path ($...) nor an intrinsic call (States.X(...))"
            ),
        );
    }
}
