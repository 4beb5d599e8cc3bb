//! JSON helpers shared by the interpreter: numbers as ASL prints them, numeric-aware equality,
//! payload sizes.

use serde_json::Value;

/// The largest payload (state input/output, task input/result) Step Functions accepts: 256 KiB
/// of UTF-8 JSON.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// A JSON number from an f64, written as an integer when it is one (`42`, not `42.0`), as
/// JavaScript-based engines print it. Non-finite values become `null`.
pub fn number(f: f64) -> Value {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// Deep equality where numbers compare by value (`1` equals `1.0`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// `m[key]`. Payload objects are mostly small, and serde_json's map (an `IndexMap` here, as
/// jsonata-core turns on `preserve_order`) hashes every key with SipHash: for a few fields a scan
/// is several times cheaper than the hash alone.
pub fn field<'a>(m: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    if m.len() <= 8 {
        m.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        m.get(key)
    }
}

/// Compact JSON text (as `serde_json::to_string` writes it).
pub fn to_json(v: &Value) -> String {
    super::json_text::write(v)
}

/// Size in bytes of the compact JSON text.
pub fn json_size(v: &Value) -> usize {
    super::json_text::len(v)
}

/// A short, one-line rendering of a value for error causes and traces.
pub fn abbreviate(v: &Value, max: usize) -> String {
    let s = to_json(v);
    if s.chars().count() <= max {
        s
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}...")
    }
}

/// An integer from a JSON number that holds one exactly (`3` or `3.0`).
pub fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
                .map(|f| f as i64)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_like_javascript() {
        assert_eq!(number(42.0), json!(42));
        assert_eq!(number(-1.5), json!(-1.5));
        assert_eq!(number(f64::NAN), Value::Null);
    }

    #[test]
    fn numeric_equality() {
        assert!(json_eq(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!json_eq(&json!([1]), &json!([1, 1])));
        assert!(!json_eq(&json!("1"), &json!(1)));
    }

    #[test]
    fn sizes() {
        assert_eq!(json_size(&json!({"a": "é"})), r#"{"a":"é"}"#.len());
        assert_eq!(as_integer(&json!(3.0)), Some(3));
        assert_eq!(as_integer(&json!(3.5)), None);
    }
}
