//! Write AWS Step Functions workflows as async Rust.
//!
//! ```ignore
//! use stepmacro::prelude::*;
//!
//! #[task(retry(max_attempts = 4, interval_seconds = 2, backoff_rate = 2.0))]
//! async fn callExternalApi(req: ApiRequest) -> Result<ApiResponse, ApiError> { /* runs in Lambda */ }
//!
//! workflow! {
//!     pub async fn call_api(req: ApiRequest) -> Result<ApiResponse, Failure> {
//!         Ok(callExternalApi(req).await?)
//!     }
//! }
//! ```
//!
//! `cargo build` (with a one-line `build.rs`) writes the ASL definition; the workflow runs natively, on
//! the embedded interpreter, and on AWS Step Functions with the same result.

pub use stepmacro_macros::{TaskError, task, workflow};
pub use stepmacro_runtime::*;

/// Everything a workflow or task file needs.
pub mod prelude {
    pub use stepmacro_macros::{TaskError, task, workflow};
    pub use stepmacro_runtime::prelude::*;
}
