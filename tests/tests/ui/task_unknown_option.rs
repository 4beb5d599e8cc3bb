use stepmacro::prelude::*;

#[task(retries = 3)]
async fn fetch(id: u64) -> u64 {
    id
}

fn main() {}
