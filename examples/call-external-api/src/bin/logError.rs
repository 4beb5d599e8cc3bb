//! The `logError` Lambda function: `cargo lambda build` names the bootstrap after this binary, which is
//! the `FunctionName` the definition invokes (`cargo lambda deploy logError`).
#![allow(non_snake_case)]

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), stepmacro::serve::ServeError> {
    stepmacro::serve::serve_task::<call_external_api::logError>().await
}
