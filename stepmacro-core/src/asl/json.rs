//! [`Json`]: a free-form JSON payload that always serialises its object keys in sorted order.
//!
//! ASL payload fields (`Parameters`, `Arguments`, `Output`, `Result`, `ItemSelector`, ...) hold arbitrary
//! JSON, so the model keeps them as [`serde_json::Value`]. A bare `Value` serialises its objects in the
//! order of `serde_json::Map`, which is sorted *unless some crate in the build enables serde_json's
//! `preserve_order` feature* (features are unified across the whole build). The compiler's output must be
//! byte-identical in both cases, so payloads are wrapped in this newtype, whose `Serialize` sorts every
//! object's keys (recursively) itself.

use std::ops::{Deref, DerefMut};

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A JSON value whose serialised form does not depend on serde_json's `preserve_order` feature:
/// object keys are always written in byte-wise sorted order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Json(pub Value);

impl Json {
    /// Wraps a value.
    pub fn new(value: impl Into<Value>) -> Self {
        Json(value.into())
    }

    /// The wrapped value.
    pub fn as_value(&self) -> &Value {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> Value {
        self.0
    }
}

impl Deref for Json {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.0
    }
}

impl DerefMut for Json {
    fn deref_mut(&mut self) -> &mut Value {
        &mut self.0
    }
}

impl From<Value> for Json {
    fn from(value: Value) -> Self {
        Json(value)
    }
}

impl From<Json> for Value {
    fn from(json: Json) -> Self {
        json.0
    }
}

impl PartialEq<Value> for Json {
    fn eq(&self, other: &Value) -> bool {
        &self.0 == other
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Sorted(&self.0).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Json)
    }
}

/// Serialises a borrowed [`Value`] with sorted object keys, recursively.
///
/// Public so that other crates (the CLI, the interpreter's history output) can print arbitrary values
/// deterministically too: `serde_json::to_string(&Sorted(&value))`.
#[derive(Debug, Clone, Copy)]
pub struct Sorted<'a>(pub &'a Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let mut out = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    out.serialize_entry(key, &Sorted(value))?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&Sorted(item))?;
                }
                out.end()
            }
            scalar => scalar.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_recursively() {
        let mut inner = serde_json::Map::new();
        inner.insert("z".into(), json!(1));
        inner.insert("a".into(), json!([{"y": 1, "b": 2}]));
        let value = Json(Value::Object(inner));
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"a":[{"b":2,"y":1}],"z":1}"#
        );
    }
}
