use stepmacro::prelude::*;

#[task]
fn double(x: u64) -> u64 {
    x * 2
}

fn main() {}
