//! Six everyday flows written with stepmacro, each checked against the ASL an expert would write by
//! hand (`refs/*.asl.json`): the compiler must not emit more states, and must not take more state
//! transitions on any tested path (`tests/no_wasted_states.rs`).
//!
//! The tasks are small and deterministic so the flows run natively, on the interpreter and on moto.

#![allow(non_snake_case)]

use serde::{Deserialize, Serialize};
use stepmacro::prelude::*;

/// A batch job's status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobStatus {
    pub done: bool,
    pub failed: bool,
    pub result: i64,
}

/// An order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub order_id: String,
    pub total: i64,
    pub kind: OrderKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderKind {
    Digital,
    Physical,
    Gift,
}

#[derive(Debug, TaskError)]
pub enum JobError {
    NotFound,
}

#[derive(Debug, TaskError)]
pub enum PaymentError {
    Declined,
    Unavailable,
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("job not found")
    }
}

impl std::fmt::Display for PaymentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaymentError::Declined => f.write_str("card declined"),
            PaymentError::Unavailable => f.write_str("payment service unavailable"),
        }
    }
}

/// Starts a batch job; its id is the input.
#[task]
pub async fn startJob(size: i64) -> Result<String, JobError> {
    Ok(format!("job-{size}"))
}

/// Polls a job; done after a few polls in a real system (here: always done).
#[task]
pub async fn jobStatus(job: String) -> Result<JobStatus, JobError> {
    Ok(JobStatus {
        done: true,
        failed: false,
        result: job.len() as i64,
    })
}

#[task]
pub async fn chargeCard(order: Order) -> Result<String, PaymentError> {
    if order.total > 10_000 {
        Err(PaymentError::Declined)
    } else {
        Ok(format!("ch-{}", order.order_id))
    }
}

#[task]
pub async fn ship(order: Order) -> Result<String, std::convert::Infallible> {
    Ok(format!("parcel-{}", order.order_id))
}

#[task]
pub async fn emailCode(order: Order) -> Result<String, std::convert::Infallible> {
    Ok(format!("code-{}", order.order_id))
}

#[task]
pub async fn transform(record: i64) -> Result<i64, std::convert::Infallible> {
    Ok(record * 2)
}

#[task]
pub async fn loadProfile(user: String) -> Result<String, std::convert::Infallible> {
    Ok(format!("profile of {user}"))
}

#[task]
pub async fn loadOrders(user: String) -> Result<i64, std::convert::Infallible> {
    Ok(user.len() as i64)
}

#[task]
pub async fn reserve(n: i64) -> Result<i64, PaymentError> {
    Ok(n + 1)
}

#[task]
pub async fn pay(n: i64) -> Result<i64, PaymentError> {
    Ok(n * 10)
}

#[task]
pub async fn confirm(n: i64) -> Result<i64, PaymentError> {
    Ok(n - 1)
}

workflow! {
    /// Starts a job and polls it every 30 seconds until it finishes.
    pub async fn job_poller(size: i64) -> Result<i64, Failure> {
        let job = startJob(size).await?;
        loop {
            let status = jobStatus(job.clone()).await?;
            if status.done {
                return Ok(status.result);
            }
            if status.failed {
                return Err(Failure::new("JobFailed", "the job failed"));
            }
            sleep(Duration::from_secs(30)).await;
        }
    }
}

workflow! {
    /// Charges an order, then fulfils it by kind; a declined card ends the order.
    pub async fn order_flow(order: Order) -> Result<String, Failure> {
        match chargeCard(order.clone()).await {
            Ok(_) => {}
            Err(PaymentError::Declined) => return Err(Failure::new("OrderRejected", "card declined")),
            Err(e) => return Err(e),
        }
        match order.kind {
            OrderKind::Digital | OrderKind::Gift => Ok(emailCode(order).await?),
            OrderKind::Physical => Ok(ship(order).await?),
        }
    }
}

workflow! {
    /// Transforms every record, four at a time.
    pub async fn fan_out(records: Vec<i64>) -> Result<Vec<i64>, Failure> {
        let out = map!(records, max_concurrency = 4, |r| async move { Ok(transform(r).await?) })?;
        Ok(out)
    }
}

workflow! {
    /// Loads a user's profile and orders at the same time.
    pub async fn two_branches(user: String) -> Result<String, Failure> {
        let (profile, orders) = try_join!(loadProfile(user.clone()), loadOrders(user.clone()))?;
        Ok(format!("{}: {} orders", profile, orders))
    }
}

workflow! {
    /// Reserves, pays and confirms as one unit, retried as a whole.
    pub async fn retry_block(n: i64) -> Result<i64, Failure> {
        let done = retry!(max_attempts = 2, interval_seconds = 1 => {
            let a = reserve(n).await?;
            let b = pay(a).await?;
            confirm(b).await?
        })?;
        Ok(done)
    }
}

workflow! {
    /// Transforms every record; if any transform fails, falls back to the records as they were.
    pub async fn guarded_fan_out(records: Vec<i64>) -> Result<Vec<i64>, Failure> {
        match map!(records.clone(), max_concurrency = 2, |r| async move { Ok(transform(r).await?) }) {
            Ok(out) => Ok(out),
            Err(PaymentError::Unavailable) => Ok(vec![]),
            Err(_) => Ok(records),
        }
    }
}

workflow! {
    /// Loads both at once; each branch keeps its own `Ok`/`Err`, so one failing does not lose the other.
    pub async fn profile_or_default(user: String) -> Result<String, Failure> {
        let (profile, orders) = join!(loadProfile(user.clone()), loadOrders(user.clone()));
        let p = match profile {
            Ok(p) => p,
            Err(e) => format!("no profile ({})", e.error),
        };
        match orders {
            Ok(n) => Ok(format!("{}: {} orders", p, n)),
            Err(_) => Ok(p),
        }
    }
}
