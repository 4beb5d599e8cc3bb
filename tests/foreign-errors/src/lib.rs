//! Error enums of *another* crate, for stepmacro-tests' driver ui cases (`tests/driver_ui.rs`): the
//! build driver of a crate that catches them cannot read these attributes, so it assumes the default
//! `Type.Variant` names, and `workflow!` checks that assumption at compile time.

use std::fmt;

use stepmacro::TaskError;

/// Default names only (`DefaultNames.Timeout`, ..): what the driver assumes is right.
#[derive(Debug, TaskError)]
pub enum DefaultNames {
    Timeout,
    Unavailable,
}

/// One variant renamed: the driver's assumption `Renamed.Throttled` is wrong.
#[derive(Debug, TaskError)]
pub enum Renamed {
    Timeout,
    #[task_error(name = "Remote.Throttled")]
    Throttled,
}

impl fmt::Display for DefaultNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl fmt::Display for Renamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}
