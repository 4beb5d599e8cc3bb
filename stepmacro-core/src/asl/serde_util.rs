//! Small serde helpers shared by the model's structs.

use serde::{Deserialize, Deserializer};

/// `deserialize_with` for `Option<T>` fields where a present `null` must not collapse into "absent".
///
/// `"ResultPath": null` (discard the result) differs from no `ResultPath` (replace the input), and
/// `"Result": null` is a legal Pass result. With `#[serde(default)]` an absent field is `None`; with this
/// helper a present one is always `Some(..)`, so `Option<Option<String>>` and `Option<Json>` round-trip.
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}
