use stepmacro::prelude::*;

#[task(
    timeout_seconds = 0,
    retry(interval_seconds = 0, max_attempts = 3, backoff_rate = 0.5, max_delay_seconds = 40000000, jitter = "HALF")
)]
async fn fetch(id: u64) -> u64 {
    id
}

fn main() {}
