use stepmacro::prelude::*;

#[derive(Debug, TaskError)]
struct Timeout {
    seconds: u64,
}

fn main() {}
