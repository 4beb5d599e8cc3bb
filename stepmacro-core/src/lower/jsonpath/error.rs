//! [`Unsupported`]: a part of the JSONata definition that has no exact JSONPath form.

use std::fmt;

/// One construct the conversion cannot express, and where it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unsupported {
    /// The state (its name in the definition, which the lowering derives from the Rust code).
    pub state: String,
    /// The field of the state (`Arguments.Payload`, `Choices[0].Condition`, `Assign.total`, ...).
    pub field: String,
    /// What it is, in words (`multiplication (`*`)`, `the length of a string`, ...).
    pub construct: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "state `{}` ({}): {} has no exact JSONPath equivalent",
            self.state, self.field, self.construct
        )
    }
}
