//! [`Val`]: a value as JSONPath can compute it, and its spellings in the places that hold values.
//!
//! JSONPath has three ways to produce a value, and each field accepts some of them:
//!
//! | value | payload template (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`) | intrinsic argument |
//! |---|---|---|
//! | literal JSON | `"k": v` | `'text'`, `12`, `null` |
//! | Path (`$.a`, `$x[0]`, `$$.Execution.Input`) | `"k.$": "$.a"` | `$.a` |
//! | intrinsic call | `"k.$": "States.Format(..)"` | nested call |
//! | object of those | `"k": {..}` (templates nest) | — |
//! | array of those | literal array, else `"k.$": "States.Array(..)"` | `States.Array(..)` |
//!
//! Templates are not expanded inside arrays on AWS (only objects nest), hence `States.Array` for an
//! array holding computed items; an array holding computed *objects* has no spelling and is refused.

use serde_json::{Map, Value};

use super::intrinsic;

/// A value JSONPath can compute.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// Literal JSON.
    Lit(Value),
    /// A Path: `$…` on the data at hand, `$$…` on the context object, `$name…` on a variable.
    Path(String),
    /// An intrinsic call, `States.X(..)`.
    Call(String),
    /// An object whose members are values (a nested template).
    Object(Vec<(String, Val)>),
    /// An array of values.
    Array(Vec<Val>),
}

impl Val {
    /// The literal, if this value is one (objects and arrays of literals included).
    pub fn literal(&self) -> Option<Value> {
        match self {
            Val::Lit(v) => Some(v.clone()),
            Val::Path(_) | Val::Call(_) => None,
            Val::Object(fields) => fields
                .iter()
                .map(|(k, v)| v.literal().map(|v| (k.clone(), v)))
                .collect::<Option<Map<_, _>>>()
                .map(Value::Object),
            Val::Array(items) => items
                .iter()
                .map(Val::literal)
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
        }
    }

    /// The value as the text of a `.$` template key, a `…Path` field or a Choice `Variable`: a Path or
    /// an intrinsic call (`None` for literals and objects).
    pub fn dynamic(&self) -> Result<Option<String>, String> {
        match self {
            Val::Path(p) | Val::Call(p) => Ok(Some(p.clone())),
            Val::Array(_) if self.literal().is_none() => self.arg().map(Some),
            _ => Ok(None),
        }
    }

    /// One member of a payload template: the key (with `.$` when the value is computed) and its JSON.
    pub fn entry(&self, key: &str) -> Result<(String, Value), String> {
        if key.ends_with(".$") {
            return Err(format!(
                "an object key ending in `.$` (`{key}`, which a JSONPath template reads as a path)"
            ));
        }
        if let Some(lit) = self.literal() {
            return Ok((key.to_owned(), lit));
        }
        match self {
            Val::Object(fields) => Ok((key.to_owned(), template(fields)?)),
            other => match other.dynamic()? {
                Some(text) => Ok((format!("{key}.$"), Value::String(text))),
                None => unreachable!("literals and objects are handled above"),
            },
        }
    }

    /// The value as an argument of an intrinsic function.
    pub fn arg(&self) -> Result<String, String> {
        match self {
            Val::Path(p) | Val::Call(p) => Ok(p.clone()),
            Val::Lit(Value::String(s)) => intrinsic::string_literal(s),
            // asl-validator's intrinsic grammar takes integer literals only.
            Val::Lit(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
            Val::Lit(Value::Number(_)) => {
                Err("a non-integer number literal among computed values".to_owned())
            }
            Val::Lit(Value::Null) => Ok("null".to_owned()),
            Val::Lit(Value::Bool(_)) => Err(
                "a boolean literal among computed values (intrinsic functions take no boolean literals)"
                    .to_owned(),
            ),
            Val::Array(items) => {
                let args = items.iter().map(Val::arg).collect::<Result<Vec<_>, _>>()?;
                Ok(intrinsic::call("Array", &args))
            }
            Val::Object(_) | Val::Lit(Value::Object(_)) => {
                Err("an object inside a computed list (intrinsic functions take no objects)".to_owned())
            }
            Val::Lit(Value::Array(items)) => Val::Array(items.iter().cloned().map(Val::Lit).collect()).arg(),
        }
    }
}

/// A payload template from an object's members.
pub fn template(fields: &[(String, Val)]) -> Result<Value, String> {
    let mut out = Map::new();
    for (k, v) in fields {
        let (key, json) = v.entry(k)?;
        let plain = key.strip_suffix(".$").unwrap_or(&key).to_owned();
        if out.contains_key(&plain) || out.contains_key(&format!("{plain}.$")) {
            return Err(format!("the object key `{plain}` twice"));
        }
        out.insert(key, json);
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries() {
        assert_eq!(
            Val::Lit(json!(1)).entry("a").unwrap(),
            ("a".into(), json!(1))
        );
        assert_eq!(
            Val::Path("$x.a".into()).entry("a").unwrap(),
            ("a.$".into(), json!("$x.a"))
        );
        let obj = Val::Object(vec![
            ("n".into(), Val::Path("$.n".into())),
            ("k".into(), Val::Lit(json!("$.literal"))),
        ]);
        assert_eq!(
            obj.entry("o").unwrap(),
            ("o".into(), json!({"n.$": "$.n", "k": "$.literal"}))
        );
        let arr = Val::Array(vec![Val::Path("$a".into()), Val::Lit(json!("it's {x}"))]);
        assert!(
            Val::Array(vec![Val::Path("$a".into()), Val::Lit(json!("a\\b"))])
                .entry("l")
                .is_err()
        );
        assert_eq!(
            arr.entry("l").unwrap(),
            ("l.$".into(), json!(r"States.Array($a, 'it\'s \{x\}')"))
        );
        let lits = Val::Array(vec![
            Val::Lit(json!(1)),
            Val::Object(vec![("a".into(), Val::Lit(json!(2)))]),
        ]);
        assert_eq!(lits.entry("l").unwrap(), ("l".into(), json!([1, {"a": 2}])));
        assert!(Val::Lit(json!(1)).entry("x.$").is_err());
    }

    #[test]
    fn arguments() {
        assert_eq!(Val::Lit(json!(-2)).arg().unwrap(), "-2");
        assert!(Val::Lit(json!(2.5)).arg().is_err());
        assert_eq!(Val::Lit(json!(null)).arg().unwrap(), "null");
        assert!(Val::Lit(json!(true)).arg().is_err());
        assert!(Val::Object(vec![]).arg().is_err());
        assert_eq!(
            Val::Array(vec![
                Val::Path("$a".into()),
                Val::Array(vec![Val::Lit(json!(1))])
            ])
            .arg()
            .unwrap(),
            "States.Array($a, States.Array(1))"
        );
    }

    #[test]
    fn templates_refuse_duplicates() {
        let t = template(&[
            ("a".into(), Val::Lit(json!(1))),
            ("b".into(), Val::Path("$.b".into())),
        ])
        .unwrap();
        assert_eq!(t, json!({"a": 1, "b.$": "$.b"}));
        assert!(
            template(&[
                ("a".into(), Val::Lit(json!(1))),
                ("a".into(), Val::Lit(json!(2)))
            ])
            .is_err()
        );
    }
}
