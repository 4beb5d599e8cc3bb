//! Payload-shaped fields: [`Assign`] (variables).
//!
//! Payload templates themselves (`Parameters`, `Arguments`, `Output`, ...) are free-form [`Json`].

use std::collections::BTreeMap;

use super::json::Json;

/// An `Assign` block: variable name (JSONPath: `name.$` for a computed value) → value.
///
/// A `BTreeMap` so the serialised order is sorted and independent of serde_json features.
pub type Assign = BTreeMap<String, Json>;

/// The variable name an `Assign` key assigns: the key without a JSONPath `.$` suffix.
pub fn assigned_name(key: &str) -> &str {
    key.strip_suffix(".$").unwrap_or(key)
}
