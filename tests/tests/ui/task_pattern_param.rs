use stepmacro::prelude::*;

#[task]
async fn add((a, b): (u64, u64), _: bool) -> u64 {
    a + b
}

fn main() {}
