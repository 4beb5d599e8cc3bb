//! Waits: `sleep` with literal and computed durations, `sleep_until` with literal and computed
//! timestamps. Both runs take no real time (native sleeps return at once; the interpreter's clock is
//! virtual), so only the values around the waits are compared.

use serde::{Deserialize, Serialize};
use serde_json::json;
use stepmacro::prelude::*;

use crate::harness::{Behaviour, Behaviours, Case, throw};

/// A reminder to schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    pub delay_seconds: u64,
    pub at: String,
    pub text: String,
}

/// Sends a reminder (mocked in the tests).
#[task]
pub async fn wt_send(text: String) -> Result<String, Infallible> {
    Ok(text)
}

workflow! {
    /// Waits between sends.
    pub async fn wt_remind(r: Reminder) -> Result<Vec<String>, Failure> {
        let mut sent = Vec::new();
        sleep(Duration::from_secs(60)).await;
        let first = wt_send(r.text.clone()).await?;
        sent.push(first);
        sleep(Duration::from_secs(r.delay_seconds)).await;
        let second = wt_send(format!("again: {}", r.text)).await?;
        sent.push(second);
        sleep_until("2030-01-01T00:00:00Z").await;
        sleep_until(r.at.clone()).await;
        let last = wt_send(format!("finally: {}", r.text)).await?;
        sent.push(last);
        Ok(sent)
    }
}

/// The equivalence cases of this theme.
pub fn cases() -> Vec<Case> {
    let echo = || Behaviours::new().on::<wt_send>(Behaviour::jsonata("$"));
    let reminder =
        |delay: u64, at: &str| json!({"delay_seconds": delay, "at": at, "text": "pay the rent"});
    vec![
        Case::new::<wt_remind>(
            "no delay, past timestamp",
            reminder(0, "2020-01-01T00:00:00Z"),
            echo(),
        )
        .returns(json!([
            "pay the rent",
            "again: pay the rent",
            "finally: pay the rent"
        ])),
        Case::new::<wt_remind>(
            "an hour, future timestamp",
            reminder(3600, "2031-06-01T12:30:00Z"),
            echo(),
        ),
        Case::new::<wt_remind>(
            "a year",
            reminder(31_536_000, "2030-01-01T00:00:01.5Z"),
            echo(),
        ),
        Case::new::<wt_remind>(
            "the second send fails",
            reminder(5, "2030-01-01T00:00:00Z"),
            Behaviours::new().on::<wt_send>(Behaviour::responses([
                crate::harness::ret("a"),
                throw("Send.Down", "smtp"),
            ])),
        )
        .fails("Send.Down"),
    ]
}
