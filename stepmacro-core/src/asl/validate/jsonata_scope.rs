//! JSONata expressions in Step Functions have no input document: `$`, `$$` and bare field names at
//! the top of an expression read nothing (asl-reference §3.5, "Restrictions"). Inside predicates,
//! `.(...)` maps, group-by/sort terms and transforms they address the current item, which is fine.
//!
//! The check walks jsonata-core's AST in its serde form, which keeps this file independent of the
//! AST's Rust shape (variants added upstream are walked generically).

use serde_json::Value;

/// The top-level reads of the implicit input in a parsed expression, as human-readable items.
pub(crate) fn implicit_input_reads(ast: &jsonata_core::ast::AstNode) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(tree) = serde_json::to_value(ast) {
        scan(&tree, true, &mut out);
    }
    out.dedup();
    out
}

/// `top`: whether `node` is evaluated against the (absent) expression input.
fn scan(node: &Value, top: bool, out: &mut Vec<String>) {
    let Value::Object(map) = node else {
        if let Value::Array(items) = node {
            for item in items {
                scan(item, top, out);
            }
        }
        return;
    };
    let single = (map.len() == 1).then(|| map.iter().next()).flatten();
    let Some((variant, payload)) = single else {
        for value in map.values() {
            scan(value, top, out);
        }
        return;
    };
    match variant.as_str() {
        "Variable" if top && payload.as_str() == Some("") => {
            out.push("`$` (the input; use $states.input)".to_owned());
        }
        "ParentVariable" => out.push("`$$` (use $states.input or $states.context)".to_owned()),
        "Name" if top => {
            let name = payload.as_str().unwrap_or_default();
            out.push(format!(
                "field `{name}` of the input (use $states.input.{name} or a variable)"
            ));
        }
        "String" | "Name" | "Number" | "Boolean" | "Regex" | "Variable" => {}
        "Path" => {
            let steps = payload
                .get("steps")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for (i, step) in steps.iter().enumerate() {
                if let Some(node) = step.get("node") {
                    scan(node, top && i == 0, out);
                }
                if let Some(stages) = step.get("stages") {
                    scan(stages, false, out);
                }
            }
        }
        "FunctionApplication" | "Transform" => scan(payload, false, out),
        "Sort" => {
            if let Some(input) = payload.get("input") {
                scan(input, top, out);
            }
            if let Some(terms) = payload.get("terms") {
                scan(terms, false, out);
            }
        }
        "ObjectTransform" => {
            if let Some(input) = payload.get("input") {
                scan(input, top, out);
            }
            if let Some(pattern) = payload.get("pattern") {
                scan(pattern, false, out);
            }
        }
        _ => scan(payload, top, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(expr: &str) -> Vec<String> {
        implicit_input_reads(&jsonata_core::parser::parse(expr).unwrap())
    }

    #[test]
    fn finds_top_level_input_reads() {
        assert_eq!(reads("$").len(), 1);
        assert_eq!(reads("$.x").len(), 1);
        assert_eq!(reads("$$.x").len(), 1);
        assert!(reads("foo.bar")[0].contains("field `foo`"));
        assert!(reads("{'a': b}")[0].contains("field `b`"));
        assert!(reads("$map($states.input, function($v){ name })")[0].contains("field `name`"));
    }

    #[test]
    fn item_contexts_are_fine() {
        for ok in [
            "$states.input.items[price > 10].sku",
            "$x.(a + 1)",
            "$states.input ~> |a|{'b': c}|",
            "$states.input.items^(price)",
            "$string($x) & 'a'",
            "$count($states.result[reserved])",
            "($y := 1; $y + $states.input.n)",
        ] {
            assert!(reads(ok).is_empty(), "{ok}: {:?}", reads(ok));
        }
    }
}
