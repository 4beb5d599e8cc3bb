//! What a workflow body (and a task file) imports: `use stepmacro::prelude::*;`.

pub use crate::concurrency::{join_all, try_join_all};
pub use crate::{Failure, Task, TaskError, Workflow, join, map, try_join};
pub use std::convert::Infallible;
pub use std::time::Duration;

/// Pauses the workflow (a `Wait` state with `Seconds`). Native runs do not wait: like the interpreter's
/// virtual clock, a one-year sleep finishes at once, so tests of long-running flows stay fast.
pub async fn sleep(duration: Duration) {
    let _ = duration;
}

/// Pauses until a timestamp (a `Wait` state with `Timestamp`, RFC 3339). Native runs do not wait.
pub async fn sleep_until(timestamp: impl AsRef<str>) {
    let _ = timestamp.as_ref();
}

/// `sleep_until` as a workflow body runs it natively: a timestamp the Wait state would reject fails
/// the same way (`States.QueryEvaluationError`), then the (virtual) wait.
#[doc(hidden)]
pub async fn sleep_until_checked(timestamp: impl AsRef<str>) -> Result<(), Failure> {
    let ts = timestamp.as_ref();
    if !crate::asl::is_timestamp(ts) {
        return Err(Failure::new(
            "States.QueryEvaluationError",
            format!("The Timestamp expression returned \"{ts}\", not an RFC 3339 timestamp"),
        ));
    }
    sleep_until(ts).await;
    Ok(())
}
