//! `$states.result`: what a Task, Parallel or Map state's work produced.
//!
//! A `lambda:invoke` Task's result is `{"ExecutedVersion": "$LATEST", "Payload": p,
//! "StatusCode": 200}`. Building that object costs six allocations and three SipHash inserts per
//! call, yet the definitions the compiler writes (and most hand-written ones) only read
//! `$states.result.Payload`. So the response is kept as its payload and status, and the object is
//! built only when something reads the result as a whole (no `Output`, a full JSONata
//! expression, a JSONPath state); its JSON text for the history is written without building it.

use std::sync::OnceLock;

use serde_json::Value;

use super::json_text;
use super::value::field;

/// `ExecutedVersion` of every response (in-process tasks have no versions).
const EXECUTED_VERSION: &str = "$LATEST";

/// The result of a state's work.
#[derive(Debug)]
pub enum StateResult {
    /// Any result, as a value.
    Value(Value),
    /// A `lambda:invoke` response, kept apart (see the module documentation).
    Lambda {
        payload: Value,
        status: u16,
        /// The response object, once something needed it.
        whole: OnceLock<Value>,
    },
}

impl StateResult {
    /// A `lambda:invoke` response with this payload and status code.
    pub fn lambda(payload: Value, status: u16) -> Self {
        StateResult::Lambda {
            payload,
            status,
            whole: OnceLock::new(),
        }
    }

    /// The result as a value (built, by copying the payload, the first time for a response).
    pub fn value(&self) -> &Value {
        match self {
            StateResult::Value(v) => v,
            StateResult::Lambda {
                payload,
                status,
                whole,
            } => whole.get_or_init(|| response(payload.clone(), *status)),
        }
    }

    /// The result as a value, moving the payload into the response object.
    pub fn into_value(self) -> Value {
        match self {
            StateResult::Value(v) => v,
            StateResult::Lambda {
                payload,
                status,
                whole,
            } => whole
                .into_inner()
                .unwrap_or_else(|| response(payload, status)),
        }
    }

    /// The value at `result.f1.f2...` when every step is an object field, without building a
    /// response object for `Payload...`.
    pub fn at(&self, fields: &[String]) -> Option<&Value> {
        let (mut cur, rest) = match (self, fields.split_first()) {
            (StateResult::Lambda { payload, .. }, Some((first, rest))) if first == "Payload" => {
                (payload, rest)
            }
            _ => (self.value(), fields),
        };
        for f in rest {
            cur = field(cur.as_object()?, f)?;
        }
        Some(cur)
    }

    /// The compact JSON text, byte for byte that of [`StateResult::value`].
    pub fn text(&self) -> String {
        match self {
            StateResult::Value(v) => json_text::write(v),
            StateResult::Lambda {
                payload, status, ..
            } => {
                let mut out = String::with_capacity(64);
                out.push_str("{\"ExecutedVersion\":\"");
                out.push_str(EXECUTED_VERSION);
                out.push_str("\",\"Payload\":");
                json_text::write_into(payload, &mut out);
                out.push_str(",\"StatusCode\":");
                out.push_str(itoa::Buffer::new().format(*status));
                out.push('}');
                out
            }
        }
    }
}

/// What `lambda:invoke` returns: `{ExecutedVersion, Payload, StatusCode}`.
fn response(payload: Value, status: u16) -> Value {
    let mut m = serde_json::Map::with_capacity(3);
    m.insert("ExecutedVersion".to_owned(), Value::from(EXECUTED_VERSION));
    m.insert("Payload".to_owned(), payload);
    m.insert("StatusCode".to_owned(), Value::from(status));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_response_reads_and_prints_like_the_object() {
        for (payload, status) in [
            (json!({"a": [1, "x\n"]}), 200),
            (json!(""), 202),
            (json!(null), 200),
        ] {
            let r = StateResult::lambda(payload.clone(), status);
            let whole =
                json!({"ExecutedVersion": "$LATEST", "Payload": payload, "StatusCode": status});
            assert_eq!(r.text(), serde_json::to_string(&whole).unwrap());
            assert_eq!(r.at(&["Payload".to_owned()]), Some(&payload));
            assert_eq!(r.at(&["StatusCode".to_owned()]), Some(&json!(status)));
            assert_eq!(r.value(), &whole);
            assert_eq!(r.into_value(), whole);
        }
        let r = StateResult::lambda(json!({"a": {"b": 2}}), 200);
        assert_eq!(
            r.at(&["Payload".to_owned(), "a".to_owned(), "b".to_owned()]),
            Some(&json!(2))
        );
        assert_eq!(r.at(&["Payload".to_owned(), "zz".to_owned()]), None);
        assert_eq!(
            StateResult::lambda(json!(1), 200).into_value(),
            json!({"ExecutedVersion": "$LATEST", "Payload": 1, "StatusCode": 200})
        );
    }
}
