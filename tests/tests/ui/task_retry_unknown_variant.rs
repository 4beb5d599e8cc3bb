use std::fmt;

use stepmacro::prelude::*;

#[derive(Debug, TaskError)]
enum ApiError {
    Timeout,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timeout")
    }
}

#[task(retry(errors = [ApiError::Timout]))]
async fn fetch(id: u64) -> Result<u64, ApiError> {
    Ok(id)
}

fn main() {}
