//! A workflow catching a variant that another crate's enum renames (`#[task_error(name =
//! "Remote.Throttled")]`): the build driver cannot read that attribute and would write
//! `Renamed.Throttled` into `ErrorEquals`, so workflow! stops the build. `Renamed::Timeout` keeps its
//! default name and passes.

use stepmacro::prelude::*;
use stepmacro_foreign_errors::Renamed;

#[task]
async fn poll(id: u64) -> Result<u64, Renamed> {
    Ok(id)
}

workflow! {
    async fn poll_or_zero(id: u64) -> Result<u64, Failure> {
        match poll(id).await {
            Ok(v) => Ok(v),
            Err(Renamed::Timeout) => Ok(0),
            Err(Renamed::Throttled) => Ok(1),
            Err(e) => Err(e),
        }
    }
}

fn main() {}
