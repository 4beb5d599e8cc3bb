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
async fn call(id: String) -> Result<String, ApiError> {
    Ok(id)
}

workflow! {
    async fn caller(id: String) -> Result<String, Failure> {
        match call(id).await {
            Ok(v) => Ok(v),
            Err(e) if e.error == "ApiError.Timeout" => Ok(e.cause),
            Err(Failure { error, .. }) => Ok(error),
        }
    }
}

fn main() {}
