use std::fmt;

use stepmacro::prelude::*;

#[derive(Debug, TaskError)]
enum ApiError {
    Timeout,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

#[task]
async fn call(id: u64) -> Result<u64, ApiError> {
    Ok(id)
}

workflow! {
    async fn caller(id: u64) -> Result<u64, Failure> {
        match call(id).await {
            Ok(v) => Ok(v),
            Err(ApiError::Timout) => Ok(0),
            Err(e) => Err(e),
        }
    }
}

fn main() {}
