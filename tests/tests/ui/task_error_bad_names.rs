use std::fmt;

use stepmacro::prelude::*;

#[derive(Debug, TaskError)]
enum PayError {
    #[task_error(name = "States.Timeout")]
    Slow,
    #[task_error(name = "PayError.Declined")]
    Refused,
    Declined,
    #[task_error(title = "x")]
    Other,
}

impl fmt::Display for PayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

fn main() {}
