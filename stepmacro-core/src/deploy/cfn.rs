//! CloudFormation building blocks: intrinsic values, logical ids, an ordered `Resources` map.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A string property that may need CloudFormation to fill in pseudo parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CfnString {
    /// Written as is.
    Literal(String),
    /// `{"Fn::Sub": ".."}`: `${AWS::Region}` and friends are substituted at deploy time.
    Sub(String),
    /// `{"Fn::GetAtt": [logical_id, attribute]}`.
    GetAtt(String, &'static str),
    /// `{"Ref": logical_id}`.
    Ref(String),
}

impl CfnString {
    /// `Sub` when the text holds a `${..}` placeholder, `Literal` otherwise (cfn-lint flags a `Fn::Sub`
    /// without variables).
    pub fn sub_if_needed(text: &str) -> CfnString {
        if text.contains("${") {
            CfnString::Sub(text.to_owned())
        } else {
            CfnString::Literal(text.to_owned())
        }
    }
}

impl Serialize for CfnString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Pair<'a>(&'a str, &'static str);
        impl Serialize for Pair<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(2))?;
                seq.serialize_element(self.0)?;
                seq.serialize_element(self.1)?;
                seq.end()
            }
        }
        match self {
            CfnString::Literal(s) => serializer.serialize_str(s),
            CfnString::Sub(s) => single_entry(serializer, "Fn::Sub", s),
            CfnString::GetAtt(id, attribute) => {
                single_entry(serializer, "Fn::GetAtt", &Pair(id, attribute))
            }
            CfnString::Ref(id) => single_entry(serializer, "Ref", id),
        }
    }
}

fn single_entry<S: Serializer, V: Serialize + ?Sized>(
    serializer: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// A JSON object whose entries keep the order they were pushed in, whatever serde_json's features
/// (a `serde_json::Map` would sort them, or not, depending on `preserve_order`).
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<V> Ordered<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A logical id from a name and a suffix: `call-external_api` + `Function` → `CallExternalApiFunction`
/// (CloudFormation allows only `A-Z a-z 0-9`). `taken` ids get a numeric suffix, so distinct names
/// that collapse to the same id (`log-error`, `log_error`) stay distinct, deterministically.
pub fn logical_id(name: &str, suffix: &str, taken: &[String]) -> String {
    let mut base = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            base.push(first.to_ascii_uppercase());
            base.extend(chars);
        }
    }
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base.insert_str(0, "Task");
    }
    base.truncate(200);
    let candidate = format!("{base}{suffix}");
    if !taken.contains(&candidate) {
        return candidate;
    }
    (2..)
        .map(|n| format!("{base}{n}{suffix}"))
        .find(|c| !taken.contains(c))
        .expect("unbounded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsics_serialise_as_cloudformation_expects() {
        let v = serde_json::to_string(&[
            CfnString::Literal("a".into()),
            CfnString::sub_if_needed("arn:${AWS::Partition}:x"),
            CfnString::sub_if_needed("plain"),
            CfnString::GetAtt("Role".into(), "Arn"),
            CfnString::Ref("Machine".into()),
        ])
        .unwrap();
        assert_eq!(
            v,
            r#"["a",{"Fn::Sub":"arn:${AWS::Partition}:x"},"plain",{"Fn::GetAtt":["Role","Arn"]},{"Ref":"Machine"}]"#
        );
    }

    #[test]
    fn ordered_keeps_push_order() {
        let o = Ordered(vec![("z".to_owned(), 1), ("a".to_owned(), 2)]);
        assert_eq!(serde_json::to_string(&o).unwrap(), r#"{"z":1,"a":2}"#);
        assert_eq!(o.get("a"), Some(&2));
    }

    #[test]
    fn logical_ids_are_alphanumeric_and_unique() {
        assert_eq!(
            logical_id("callExternalApi", "Function", &[]),
            "CallExternalApiFunction"
        );
        assert_eq!(
            logical_id("create_order", "StateMachine", &[]),
            "CreateOrderStateMachine"
        );
        let taken = vec!["LogErrorFunction".to_owned()];
        assert_eq!(
            logical_id("log_error", "Function", &taken),
            "LogError2Function"
        );
        assert_eq!(logical_id("9lives", "Function", &[]), "Task9livesFunction");
        assert_eq!(logical_id("--", "Function", &[]), "TaskFunction");
    }
}
