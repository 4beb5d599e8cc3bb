use stepmacro::prelude::*;

#[task(retry(max_attempts = 2), retry(errors = ["States.Timeout"], max_attempts = 5))]
async fn fetch(id: u64) -> u64 {
    id
}

fn main() {}
