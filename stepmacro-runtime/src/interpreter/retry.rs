//! `Retry`: which retrier handles an error and how long to wait before the next attempt.
//!
//! The first retrier whose `ErrorEquals` matches decides (later ones are not consulted). Its
//! n-th retry waits `IntervalSeconds × BackoffRate^(n−1)`, capped at `MaxDelaySeconds`, then,
//! with `"JitterStrategy": "FULL"`, a uniformly random time in `[0, that delay]`. Counters are
//! per retrier and live for one visit of the state.

use std::time::Duration;

use crate::asl::{JitterStrategy, Retrier};

use super::error::{StateError, any_matches};
use super::rng::Rng;

/// A compiled retrier.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    pub error_equals: Vec<String>,
    pub interval_seconds: f64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    pub jitter_full: bool,
}

impl RetryPolicy {
    pub fn compile(r: &Retrier) -> Result<RetryPolicy, String> {
        if r.error_equals.is_empty() {
            return Err("ErrorEquals must not be empty".to_owned());
        }
        let interval = r.interval_seconds();
        if interval < 0 {
            return Err(format!(
                "IntervalSeconds must be positive, found {interval}"
            ));
        }
        let max_attempts = r.max_attempts();
        if max_attempts < 0 {
            return Err(format!(
                "MaxAttempts must not be negative, found {max_attempts}"
            ));
        }
        let backoff = r.backoff_rate();
        if backoff < 1.0 || !backoff.is_finite() {
            return Err(format!("BackoffRate must be at least 1.0, found {backoff}"));
        }
        if let Some(m) = r.max_delay_seconds
            && !(1..=31_622_400).contains(&m)
        {
            return Err(format!(
                "MaxDelaySeconds must be between 1 and 31622400, found {m}"
            ));
        }
        Ok(RetryPolicy {
            error_equals: r.error_equals.clone(),
            interval_seconds: interval as f64,
            max_attempts: max_attempts.min(u32::MAX as i64) as u32,
            backoff_rate: backoff,
            max_delay_seconds: r.max_delay_seconds.map(|m| m as f64),
            jitter_full: r.jitter_strategy() == JitterStrategy::Full,
        })
    }

    /// The delay before retry number `n` (1-based), before jitter.
    pub fn base_delay(&self, n: u32) -> f64 {
        let d = self.interval_seconds
            * self
                .backoff_rate
                .powi(n.saturating_sub(1).min(i32::MAX as u32) as i32);
        match self.max_delay_seconds {
            Some(m) => d.min(m),
            None => d,
        }
    }

    /// The delay before retry number `n` (1-based), jitter applied.
    pub fn delay(&self, n: u32, rng: &mut Rng) -> Duration {
        let mut d = self.base_delay(n);
        if self.jitter_full {
            d *= rng.next_f64();
        }
        // Millisecond resolution, as the history shows.
        Duration::from_millis((d * 1000.0).round().clamp(0.0, u64::MAX as f64) as u64)
    }
}

/// Retry bookkeeping for one visit of a state.
#[derive(Debug, Default)]
pub struct RetryCounters {
    counts: Vec<u32>,
    /// Retries so far in this visit (`$$.State.RetryCount`).
    pub total: u32,
}

impl RetryCounters {
    pub fn new(n: usize) -> Self {
        RetryCounters {
            counts: vec![0; n],
            total: 0,
        }
    }

    /// Should `err` be retried? If so, counts the retry and returns the wait.
    pub fn next(
        &mut self,
        retriers: &[RetryPolicy],
        err: &StateError,
        rng: &mut Rng,
    ) -> Option<Duration> {
        if err.is_terminal() {
            return None;
        }
        let i = retriers
            .iter()
            .position(|r| any_matches(&r.error_equals, &err.error))?;
        if self.counts[i] >= retriers[i].max_attempts {
            return None;
        }
        self.counts[i] += 1;
        self.total += 1;
        Some(retriers[i].delay(self.counts[i], rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(json: &str) -> RetryPolicy {
        RetryPolicy::compile(&serde_json::from_str(json).unwrap()).unwrap()
    }

    #[test]
    fn backoff_and_cap() {
        let p = policy(
            r#"{"ErrorEquals": ["X"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxDelaySeconds": 5}"#,
        );
        let mut rng = Rng::new(0);
        let waits: Vec<Duration> = (1..=3).map(|n| p.delay(n, &mut rng)).collect();
        assert_eq!(
            waits,
            [
                Duration::from_secs(2),
                Duration::from_secs(5),
                Duration::from_secs(5)
            ]
        );
        let d = policy(r#"{"ErrorEquals": ["X"]}"#);
        assert_eq!(
            (1..=4).map(|n| d.base_delay(n)).collect::<Vec<_>>(),
            [1.0, 2.0, 4.0, 8.0]
        );
    }

    #[test]
    fn full_jitter_is_bounded_and_seeded() {
        let p =
            policy(r#"{"ErrorEquals": ["X"], "IntervalSeconds": 10, "JitterStrategy": "FULL"}"#);
        let a: Vec<Duration> = {
            let mut rng = Rng::new(42);
            (1..=5).map(|n| p.delay(n, &mut rng)).collect()
        };
        let b: Vec<Duration> = {
            let mut rng = Rng::new(42);
            (1..=5).map(|n| p.delay(n, &mut rng)).collect()
        };
        assert_eq!(a, b);
        for (n, d) in a.iter().enumerate() {
            assert!(d.as_secs_f64() <= p.base_delay(n as u32 + 1));
        }
        assert!(
            a.iter()
                .zip(1..)
                .any(|(d, n)| d.as_secs_f64() < p.base_delay(n))
        );
    }

    #[test]
    fn first_matching_retrier_decides() {
        let rs = vec![
            policy(r#"{"ErrorEquals": ["A"], "MaxAttempts": 1}"#),
            policy(r#"{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}"#),
        ];
        let mut c = RetryCounters::new(2);
        let mut rng = Rng::new(0);
        let a = StateError::new("A", "");
        assert!(c.next(&rs, &a, &mut rng).is_some());
        // The A retrier is exhausted; States.ALL is not consulted for A.
        assert!(c.next(&rs, &a, &mut rng).is_none());
        assert!(c.next(&rs, &StateError::new("B", ""), &mut rng).is_some());
        assert!(c.next(&rs, &StateError::runtime("x"), &mut rng).is_none());
        assert_eq!(c.total, 2);
        assert!(
            RetryPolicy::compile(
                &serde_json::from_str(r#"{"ErrorEquals": ["X"], "BackoffRate": 0.5}"#).unwrap()
            )
            .is_err()
        );
    }
}
