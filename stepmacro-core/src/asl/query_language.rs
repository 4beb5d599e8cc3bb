//! [`QueryLanguage`]: JSONPath (the default) or JSONata, per machine and per state.

use serde::{Deserialize, Serialize};

/// The query language of a state. A state uses its own `QueryLanguage`, else the top-level one, else
/// JSONPath; states inside Parallel branches and Map processors default to the *top-level* language, not
/// the enclosing state's (ASL spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum QueryLanguage {
    /// `"JSONPath"`: paths, `.$` payload templates, intrinsic functions.
    #[default]
    #[serde(rename = "JSONPath")]
    JsonPath,
    /// `"JSONata"`: `{% %}` expressions, `Arguments`/`Output`/`Condition`/`Items`.
    #[serde(rename = "JSONata")]
    Jsonata,
}

impl QueryLanguage {
    /// The name as written in ASL.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

impl std::fmt::Display for QueryLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
