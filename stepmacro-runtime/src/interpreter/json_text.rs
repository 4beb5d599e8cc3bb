//! Compact JSON text of a [`Value`], byte for byte what `serde_json::to_string` writes, and its
//! length without writing it.
//!
//! Why not `serde_json::to_string`: the interpreter writes the JSON text of every payload into the
//! history (AWS's events carry text), four or more per task call, and checks every payload against
//! the 256 KiB limit. Through serde's generic serializer that was the largest single cost of an
//! execution; a direct walk over the `Value` does the same work in about half the instructions.
//! The equality with serde_json is tested below, on escapes, numbers and nesting.

use serde_json::{Number, Value};

/// Where the text goes: a `String`, or a byte counter for [`len`].
trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    #[inline]
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

struct Count(usize);

impl Sink for Count {
    #[inline]
    fn put(&mut self, s: &str) {
        self.0 += s.len();
    }
}

/// The compact JSON text of `v`.
pub fn write(v: &Value) -> String {
    let mut out = String::with_capacity(64);
    write_into(v, &mut out);
    out
}

/// Appends the compact JSON text of `v` to `out`.
pub fn write_into(v: &Value, out: &mut String) {
    value(v, out);
}

/// The text of the object with these fields, in this order (the keys must be distinct).
pub fn object<'v>(fields: impl Iterator<Item = (&'v str, &'v Value)>) -> String {
    let mut out = String::with_capacity(64);
    object_into(fields, &mut out);
    out
}

/// The length in bytes of [`write`]'s text.
pub fn len(v: &Value) -> usize {
    let mut c = Count(0);
    value(v, &mut c);
    c.0
}

fn value<S: Sink>(v: &Value, out: &mut S) {
    match v {
        Value::Null => out.put("null"),
        Value::Bool(true) => out.put("true"),
        Value::Bool(false) => out.put("false"),
        Value::Number(n) => number(n, out),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.put("[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.put(",");
                }
                value(item, out);
            }
            out.put("]");
        }
        Value::Object(fields) => object_into(fields.iter().map(|(k, v)| (k.as_str(), v)), out),
    }
}

/// `{"k":v,...}` for these fields, in this order.
fn object_into<'v, S: Sink>(fields: impl Iterator<Item = (&'v str, &'v Value)>, out: &mut S) {
    out.put("{");
    for (i, (k, v)) in fields.enumerate() {
        if i > 0 {
            out.put(",");
        }
        string(k, out);
        out.put(":");
        value(v, out);
    }
    out.put("}");
}

fn number<S: Sink>(n: &Number, out: &mut S) {
    if let Some(u) = n.as_u64() {
        out.put(itoa::Buffer::new().format(u));
    } else if let Some(i) = n.as_i64() {
        out.put(itoa::Buffer::new().format(i));
    } else {
        // Floats (rare in payloads): serde_json's own formatting, through `Display`.
        out.put(&n.to_string());
    }
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, and
/// `\u00xx` for the other control characters; everything else as is.
fn string<S: Sink>(s: &str, out: &mut S) {
    out.put("\"");
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        if start < i {
            out.put(&s[start..i]);
        }
        let hex;
        out.put(match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xf) as usize],
                ];
                hex = code;
                std::str::from_utf8(&hex).expect("ASCII")
            }
        });
        start = i + 1;
    }
    if start < bytes.len() {
        out.put(&s[start..]);
    }
    out.put("\"");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn same_as_serde(v: Value) {
        let expected = serde_json::to_string(&v).unwrap();
        assert_eq!(write(&v), expected);
        assert_eq!(len(&v), expected.len());
    }

    #[test]
    fn matches_serde_json_byte_for_byte() {
        same_as_serde(json!(null));
        same_as_serde(json!(true));
        same_as_serde(json!([
            false,
            0,
            -1,
            u64::MAX,
            i64::MIN,
            1.5,
            -0.25,
            1e300,
            5e-324
        ]));
        same_as_serde(json!(0.1 + 0.2));
        same_as_serde(json!({"a": {"b": [1, {"c": []}, {}]}, "": ""}));
        same_as_serde(json!({"z": 1, "a": 2, "m": 3}));
        let all_controls: String = (0u8..0x20).map(char::from).collect();
        same_as_serde(json!(all_controls));
        same_as_serde(json!("quote \" backslash \\ slash / é ✓ 😀 \u{7f}"));
        same_as_serde(json!({"ke\"y\n": "tab\there"}));
    }

    fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::vec((any::<String>(), inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn any_value_matches_serde_json(v in any_json()) {
            same_as_serde(v);
        }
    }
}
