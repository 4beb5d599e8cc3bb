//! Reading the asl-check `MOCKS.json` format into [`Mocks`], so the same mock files drive the
//! embedded interpreter and the independent interpreters of `shared/tools/asl-check`.
//!
//! ```json
//! {
//!   "chargeCard": [
//!     {"throw": {"error": "PaymentError.Transient", "cause": "gateway timeout"}},
//!     {"return": {"chargeId": "ch-9", "ok": true}}
//!   ],
//!   "notify:live": {"return": {"sent": true}},
//!   "priceItem":   {"jsonata": "{'sku': sku, 'line': qty * 10}"},
//!   "reserve":     {"jsonata": "sku = 'b' ? {'throw': {'error': 'OutOfStock', 'cause': 'b'}} : {'return': {'ok': true}}", "as": "response"},
//!   "arn:aws:states:::sqs:sendMessage": {"return": {"MessageId": "m-1"}}
//! }
//! ```
//!
//! * A list is consumed one entry per call, shared by every Task that resolves to the key; past
//!   its end a call fails with `Harness.MockExhausted`. A single object answers every call.
//! * `{"return": V}` returns V; `{"throw": {"error", "cause"}}` fails with exactly that
//!   Error/Cause; `{"jsonata": expr}` evaluates `expr` with the task input as `$`; with
//!   `"as": "response"` its value is itself a `{"return"}`/`{"throw"}` object.
//! * `py` and `js` handlers belong to the Python and JavaScript engines and are rejected here.
//! * Key lookup order (exact, `name:qualifier`, bare name, `"*"`; service resources with and
//!   without `.sync`/`.waitForTaskToken`) is the interpreter's, see
//!   [`Mocks::lookup`](crate::mock::Mocks::lookup).

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;

use jsonata_core::evaluator::Evaluator;
use jsonata_core::value::JValue;
use serde_json::Value;

use crate::Failure;
use crate::mock::{Mocks, Response};

/// A mock file that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockFileError {
    /// The mock key the problem is in (empty for the file as a whole).
    pub key: String,
    pub message: String,
}

impl fmt::Display for MockFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "invalid mocks file: {}", self.message)
        } else {
            write!(f, "invalid mock {:?}: {}", self.key, self.message)
        }
    }
}

impl std::error::Error for MockFileError {}

/// One answer of a mock.
#[derive(Clone, Debug)]
enum Entry {
    Fixed(Response),
    Jsonata { expr: String, as_response: bool },
}

/// Parses MOCKS.json text.
pub fn from_json(text: &str) -> Result<Mocks, MockFileError> {
    let v: Value = serde_json::from_str(text).map_err(|e| MockFileError {
        key: String::new(),
        message: e.to_string(),
    })?;
    from_value(&v)
}

/// Reads a MOCKS.json file.
pub fn load(path: impl AsRef<std::path::Path>) -> Result<Mocks, MockFileError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| MockFileError {
        key: String::new(),
        message: format!("{}: {e}", path.display()),
    })?;
    from_json(&text)
}

/// Builds mocks from a parsed MOCKS.json value.
pub fn from_value(v: &Value) -> Result<Mocks, MockFileError> {
    let Value::Object(map) = v else {
        return Err(MockFileError {
            key: String::new(),
            message: "MOCKS.json must be a JSON object".to_owned(),
        });
    };
    let mut mocks = Mocks::new();
    for (key, spec) in map {
        let err = |message: String| MockFileError {
            key: key.clone(),
            message,
        };
        mocks = match spec {
            Value::Array(list) => {
                let entries = list
                    .iter()
                    .map(parse_entry)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(err)?;
                if entries.iter().all(|e| matches!(e, Entry::Fixed(_))) {
                    let responses = entries.into_iter().map(|e| match e {
                        Entry::Fixed(r) => r,
                        Entry::Jsonata { .. } => unreachable!("checked above"),
                    });
                    mocks.sequence(key, responses)
                } else {
                    let queue = Mutex::new(entries.into_iter().collect::<VecDeque<_>>());
                    let name = key.clone();
                    mocks.handler(key, move |input| {
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                        match next {
                            Some(e) => answer(&e, input),
                            None => Err(Failure::new(
                                "Harness.MockExhausted",
                                format!("the canned answers for `{name}` are used up"),
                            )),
                        }
                    })
                }
            }
            other => match parse_entry(other).map_err(err)? {
                Entry::Fixed(r) => mocks.always(key, r),
                e => mocks.handler(key, move |input| answer(&e, input)),
            },
        };
    }
    Ok(mocks)
}

fn parse_entry(v: &Value) -> Result<Entry, String> {
    let Value::Object(o) = v else {
        return Err(format!("a mock response must be an object, found {v}"));
    };
    if let Some(r) = o.get("return") {
        return Ok(Entry::Fixed(Response::Return(r.clone())));
    }
    if let Some(t) = o.get("throw") {
        return Ok(Entry::Fixed(Response::Throw(throw(t))));
    }
    if let Some(expr) = o.get("jsonata") {
        let expr = expr.as_str().ok_or("\"jsonata\" must be a string")?;
        jsonata_core::parser::parse(expr).map_err(|e| format!("invalid JSONata {expr:?}: {e}"))?;
        let as_response = match o.get("as") {
            None => false,
            Some(Value::String(s)) if s == "response" => true,
            Some(other) => return Err(format!("\"as\" must be \"response\", found {other}")),
        };
        return Ok(Entry::Jsonata {
            expr: expr.to_owned(),
            as_response,
        });
    }
    if o.contains_key("py") || o.contains_key("js") {
        return Err("\"py\" and \"js\" handlers only run in asl-check's Python/JavaScript engines; use \"jsonata\"".to_owned());
    }
    Err(format!(
        "a mock response needs one of return/throw/jsonata, found {v}"
    ))
}

fn throw(t: &Value) -> Failure {
    let error = t
        .get("error")
        .and_then(Value::as_str)
        .unwrap_or("Error")
        .to_owned();
    let cause = match t.get("cause") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    Failure::new(error, cause)
}

fn answer(e: &Entry, input: Value) -> Result<Value, Failure> {
    match e {
        Entry::Fixed(Response::Return(v)) => Ok(v.clone()),
        Entry::Fixed(Response::Throw(f)) => Err(f.clone()),
        Entry::Jsonata { expr, as_response } => {
            let value = eval_jsonata(expr, input)?;
            if !*as_response {
                return Ok(value);
            }
            match parse_entry(&value) {
                Ok(Entry::Fixed(Response::Return(v))) => Ok(v),
                Ok(Entry::Fixed(Response::Throw(f))) => Err(f),
                _ => Err(Failure::new(
                    "Harness.BadMock",
                    format!("the handler's response must be a return/throw object, got {value}"),
                )),
            }
        }
    }
}

fn eval_jsonata(expr: &str, input: Value) -> Result<Value, Failure> {
    let bad = |m: String| {
        Failure::new(
            "Harness.HandlerError",
            format!("mock handler {expr:?} failed: {m}"),
        )
    };
    let ast = jsonata_core::parser::parse(expr).map_err(|e| bad(e.to_string()))?;
    let out = Evaluator::new()
        .evaluate(&ast, &JValue::from(input))
        .map_err(|e| bad(e.to_string()))?;
    if out.is_undefined() {
        return Ok(Value::Null);
    }
    serde_json::to_value(&out).map_err(|e| bad(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn all_response_kinds() {
        let mocks = from_json(
            r#"{
              "seq": [{"throw": {"error": "E.T", "cause": "c"}}, {"return": 1}],
              "one": {"return": {"ok": true}},
              "calc": {"jsonata": "{'n': n * 2}"},
              "resp": {"jsonata": "n = 1 ? {'throw': {'error': 'Odd', 'cause': 'one'}} : {'return': n}", "as": "response"},
              "mixed": [{"return": 0}, {"jsonata": "n + 1"}]
            }"#,
        )
        .unwrap();
        block_on(async {
            assert_eq!(
                mocks.call("seq", json!({})).await,
                Err(Failure::new("E.T", "c"))
            );
            assert_eq!(mocks.call("seq", json!({})).await, Ok(json!(1)));
            assert_eq!(
                mocks.call("seq", json!({})).await.unwrap_err().error,
                "Harness.MockExhausted"
            );
            assert_eq!(mocks.call("one", json!({})).await, Ok(json!({"ok": true})));
            assert_eq!(mocks.call("one", json!({})).await, Ok(json!({"ok": true})));
            assert_eq!(
                mocks.call("calc", json!({"n": 4})).await,
                Ok(json!({"n": 8}))
            );
            assert_eq!(
                mocks.call("resp", json!({"n": 1})).await,
                Err(Failure::new("Odd", "one"))
            );
            assert_eq!(mocks.call("resp", json!({"n": 2})).await, Ok(json!(2)));
            assert_eq!(mocks.call("mixed", json!({"n": 5})).await, Ok(json!(0)));
            assert_eq!(mocks.call("mixed", json!({"n": 5})).await, Ok(json!(6)));
            assert_eq!(
                mocks
                    .call("mixed", json!({"n": 5}))
                    .await
                    .unwrap_err()
                    .error,
                "Harness.MockExhausted"
            );
        });
    }

    #[test]
    fn rejects_what_it_cannot_run() {
        assert!(from_json("[]").is_err());
        assert_eq!(
            from_json(r#"{"f": {"py": "1"}}"#).err().map(|e| e.key),
            Some("f".to_owned())
        );
        assert!(from_json(r#"{"f": {"jsonata": "1 +"}}"#).is_err());
        assert!(from_json(r#"{"f": {"nothing": 1}}"#).is_err());
        assert!(from_json(r#"{"f": [1]}"#).is_err());
    }
}
