//! Fields that hold a literal in JSONPath states but may hold a `{% %}` expression in JSONata states.
//!
//! `TimeoutSeconds`, `HeartbeatSeconds`, `Seconds`, `MaxConcurrency`, `ToleratedFailure*`, ItemBatcher and
//! ItemReader sizes are numbers, but a JSONata state may write `"TimeoutSeconds": "{% $t %}"`; a Choice
//! rule's `Condition` is a boolean or an expression. The model keeps the literal form exactly (a
//! [`serde_json::Number`], so `2` and `2.0` round-trip unchanged) and leaves range and language checks to
//! the validator.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::expression::jsonata_body;

/// A number, or a string that should be a JSONata expression (`"{% ... %}"`).
#[derive(Debug, Clone, PartialEq)]
pub enum NumberOrExpr {
    /// A literal number, kept exactly as written.
    Number(serde_json::Number),
    /// Any string. Valid only as a `{% %}` expression in a JSONata state (the validator checks that).
    Expression(String),
}

impl NumberOrExpr {
    /// The literal as a non-negative integer, if it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            NumberOrExpr::Number(n) => n.as_u64(),
            NumberOrExpr::Expression(_) => None,
        }
    }

    /// The literal as a float, if it is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            NumberOrExpr::Number(n) => n.as_f64(),
            NumberOrExpr::Expression(_) => None,
        }
    }

    /// The JSONata body, if this is a `{% %}` string.
    pub fn expression(&self) -> Option<&str> {
        match self {
            NumberOrExpr::Number(_) => None,
            NumberOrExpr::Expression(s) => jsonata_body(s),
        }
    }
}

impl From<u64> for NumberOrExpr {
    fn from(n: u64) -> Self {
        NumberOrExpr::Number(n.into())
    }
}

impl Serialize for NumberOrExpr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            NumberOrExpr::Number(n) => n.serialize(serializer),
            NumberOrExpr::Expression(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for NumberOrExpr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NumberOrExpr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a \"{% ... %}\" JSONata expression string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumberOrExpr, E> {
                Ok(NumberOrExpr::Number(v.into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumberOrExpr, E> {
                Ok(NumberOrExpr::Number(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumberOrExpr, E> {
                serde_json::Number::from_f64(v)
                    .map(NumberOrExpr::Number)
                    .ok_or_else(|| E::custom("numbers must be finite"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumberOrExpr, E> {
                Ok(NumberOrExpr::Expression(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<NumberOrExpr, E> {
                Ok(NumberOrExpr::Expression(v))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A boolean, or a string that should be a JSONata expression (a JSONata Choice rule's `Condition`).
#[derive(Debug, Clone, PartialEq)]
pub enum BoolOrExpr {
    /// A literal `true`/`false`.
    Bool(bool),
    /// Any string. Valid only as a `{% %}` expression (the validator checks that).
    Expression(String),
}

impl BoolOrExpr {
    /// The JSONata body, if this is a `{% %}` string.
    pub fn expression(&self) -> Option<&str> {
        match self {
            BoolOrExpr::Bool(_) => None,
            BoolOrExpr::Expression(s) => jsonata_body(s),
        }
    }
}

impl Serialize for BoolOrExpr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            BoolOrExpr::Bool(b) => serializer.serialize_bool(*b),
            BoolOrExpr::Expression(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for BoolOrExpr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = BoolOrExpr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean or a \"{% ... %}\" JSONata expression string")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<BoolOrExpr, E> {
                Ok(BoolOrExpr::Bool(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BoolOrExpr, E> {
                Ok(BoolOrExpr::Expression(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<BoolOrExpr, E> {
                Ok(BoolOrExpr::Expression(v))
            }
        }
        deserializer.deserialize_any(V)
    }
}
