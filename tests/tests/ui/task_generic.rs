use stepmacro::prelude::*;

#[task]
async fn echo<T: Send>(value: T) -> T {
    value
}

fn main() {}
