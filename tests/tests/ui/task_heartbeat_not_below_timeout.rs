use stepmacro::prelude::*;

#[task(timeout_seconds = 60, heartbeat_seconds = 60)]
async fn long_job(id: u64) -> u64 {
    id
}

fn main() {}
