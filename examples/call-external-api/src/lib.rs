//! The Serverless Framework docs' "call an external API" workflow, in Rust.
//!
//! `callExternalApi` is retried on every error (2 s, ×2 backoff, 4 attempts); if it still fails, the
//! failure goes to `logError` and the workflow ends with what was logged. `cargo build` writes the
//! definition (two Task states) to `target/stepmacro/call-external-api/state_machine.json`.

use std::convert::Infallible;

use serde::{Deserialize, Serialize};
use stepmacro::prelude::*;

mod api;

pub use api::{ApiError, ApiRequest, ApiResponse, simulate};

/// What `logError` recorded about a failed call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorLogged {
    /// The ASL error name (`ApiError.Timeout`, `States.Timeout`, ...).
    pub error: String,
    /// A one-line, human-readable log entry.
    pub message: String,
}

/// How a run ended: the API's response, or the logged failure. Externally tagged:
/// `{"Response": {..}}` / `{"Logged": {..}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Response(ApiResponse),
    Logged(ErrorLogged),
}

/// Calls the external API. Retried on every error: 2 s, then 4 s, 8 s, 16 s (4 attempts).
#[allow(non_snake_case)]
#[task(retry(interval_seconds = 2, max_attempts = 4, backoff_rate = 2.0))]
pub async fn callExternalApi(req: ApiRequest) -> Result<ApiResponse, ApiError> {
    simulate(&req)
}

/// Logs a failure that survived the retries. Never fails itself.
#[allow(non_snake_case)]
#[task]
pub async fn logError(failure: Failure) -> Result<ErrorLogged, Infallible> {
    // The cause of a Lambda error is its `{"errorType", "errorMessage"}` payload as a string; log the
    // message when it is one, the raw cause otherwise.
    let message = serde_json::from_str::<serde_json::Value>(&failure.cause)
        .ok()
        .and_then(|v| {
            v.get("errorMessage")
                .and_then(|m| m.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| failure.cause.clone());
    let line = format!("external API call failed: {}: {message}", failure.error);
    eprintln!("{line}");
    Ok(ErrorLogged {
        error: failure.error,
        message: line,
    })
}

workflow! {
    /// Calls the external API; on any failure (after retries) logs the error.
    pub async fn call_external_api(req: ApiRequest) -> Result<Outcome, Failure> {
        match callExternalApi(req).await {
            Ok(resp) => Ok(Outcome::Response(resp)),
            Err(failure) => Ok(Outcome::Logged(logError(failure).await?)),
        }
    }
}
