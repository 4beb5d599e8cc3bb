//! The event type handed to lambda_runtime: any body, JSON or not.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// An invocation payload as lambda_runtime decodes it.
///
/// lambda_runtime deserialises the body itself and answers a body that does not parse with an error
/// whose `errorType` is a Rust type name. This type never fails to deserialise: a body that is not JSON
/// is kept as [`Payload::NotJson`] with the parser's message, so [`invoke`](super::invoke) can answer
/// `stepmacro.InvalidInput` like any other malformed payload.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// The body, parsed.
    Json(Value),
    /// The body is not JSON; the parser's message (`expected value at line 1 column 1`).
    NotJson(String),
}

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // lambda_runtime 1.5 runs `T::deserialize` on a `serde_json::Deserializer` without checking for
        // trailing input afterwards, so recovering from the parse error here is enough.
        match Value::deserialize(deserializer) {
            Ok(value) => Ok(Payload::Json(value)),
            Err(err) => Ok(Payload::NotJson(err.to_string())),
        }
    }
}

impl From<Value> for Payload {
    fn from(value: Value) -> Self {
        Payload::Json(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deserialises as lambda_runtime 1.5's `deserializer::deserialize` does.
    fn as_lambda_runtime(body: &[u8]) -> Payload {
        let jd = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(jd).expect("Payload never fails")
    }

    #[test]
    fn json_bodies_parse() {
        assert_eq!(
            as_lambda_runtime(br#"{"a":[1,2]}"#),
            Payload::Json(serde_json::json!({"a": [1, 2]}))
        );
        assert_eq!(
            as_lambda_runtime(b"\"text\""),
            Payload::Json(Value::String("text".into()))
        );
    }

    #[test]
    fn non_json_bodies_are_kept_with_the_parser_message() {
        match as_lambda_runtime(b"not json") {
            Payload::NotJson(msg) => assert!(msg.contains("expected"), "{msg}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(as_lambda_runtime(b""), Payload::NotJson(_)));
        assert!(matches!(
            as_lambda_runtime(br#"{"a":"#),
            Payload::NotJson(_)
        ));
    }
}
