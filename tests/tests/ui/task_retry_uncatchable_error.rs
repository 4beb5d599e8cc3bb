use stepmacro::prelude::*;

#[task(retry(errors = ["States.Runtime", "States.ALL"]))]
async fn fetch(id: u64) -> u64 {
    id
}

fn main() {}
