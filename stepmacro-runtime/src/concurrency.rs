//! The native side of a workflow's concurrency and resilience forms.
//!
//! `join!`/`try_join!` are futures' joins (every branch's future polled in the current task, like
//! `Parallel` branches sharing one execution); `map!` runs a closure per item with at most
//! `max_concurrency` in flight and collects in item order, failing with the first error (an inline
//! `Map`); `retry_decision` is Step Functions' retrier choice, shared by task calls and `retry!` blocks.

use std::future::Future;

use futures::{StreamExt, TryStreamExt};

use crate::{Failure, RetryPolicy};

pub use futures::future::{join_all, try_join_all};

/// Runs `f` on every item, at most `max_concurrency` at a time (0 = no limit, as ASL's
/// `MaxConcurrency: 0`), results in item order; the first error (in item order) fails the whole.
pub async fn map_items<I, T, F, Fut>(
    items: I,
    max_concurrency: usize,
    f: F,
) -> Result<Vec<T>, Failure>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let items: Vec<I::Item> = items.into_iter().collect();
    let limit = if max_concurrency == 0 {
        items.len().max(1)
    } else {
        max_concurrency
    };
    futures::stream::iter(items)
        .map(f)
        .buffered(limit)
        .try_collect()
        .await
}

/// After a failure: should it be retried? Picks the first retrier whose errors match (as Step Functions
/// does; later retriers are not consulted) and counts the attempt against it.
pub fn retry_decision(
    policies: &[RetryPolicy],
    attempts: &mut Vec<u32>,
    failure: &Failure,
) -> bool {
    if attempts.len() < policies.len() {
        attempts.resize(policies.len(), 0);
    }
    if failure.is_uncatchable() {
        return false;
    }
    match policies.iter().position(|p| p.matches(&failure.error)) {
        Some(i) if attempts[i] < policies[i].max_attempts => {
            attempts[i] += 1;
            true
        }
        _ => false,
    }
}

/// `join!(a, b, ..)`: runs the branches concurrently; each keeps its `Result` (a `Parallel` whose
/// branches catch their own errors).
#[macro_export]
macro_rules! join {
    ($($branch:expr),+ $(,)?) => { $crate::__private::futures::join!($($branch),+) };
}

/// `try_join!(a, b, ..)`: runs the branches concurrently; the first error fails the whole (a
/// `Parallel`).
#[macro_export]
macro_rules! try_join {
    ($($branch:expr),+ $(,)?) => { $crate::__private::futures::try_join!($($branch),+) };
}

/// `map!(items, max_concurrency = n, |item| async move { .. })`: an inline `Map`, results in item
/// order, the first error failing the whole. Evaluates to `Result<Vec<T>, Failure>`.
#[macro_export]
macro_rules! map {
    ($items:expr, max_concurrency = $n:expr, $f:expr $(,)?) => {
        $crate::__private::map_items($items, $n as usize, $f).await
    };
    ($items:expr, $f:expr $(,)?) => {
        $crate::__private::map_items($items, 0, $f).await
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(errors: Vec<&'static str>, max_attempts: u32) -> RetryPolicy {
        RetryPolicy {
            errors,
            interval_seconds: 1,
            max_attempts,
            backoff_rate: 2.0,
            max_delay_seconds: None,
            jitter_full: false,
        }
    }

    #[test]
    fn first_matching_retrier_decides() {
        let policies = vec![policy(vec!["A"], 1), policy(vec![], 2)];
        let mut attempts = Vec::new();
        let a = Failure::new("A", "");
        let b = Failure::new("B", "");
        assert!(retry_decision(&policies, &mut attempts, &a));
        assert!(
            !retry_decision(&policies, &mut attempts, &a),
            "A's retrier is used up; the catch-all is not consulted"
        );
        assert!(retry_decision(&policies, &mut attempts, &b));
        assert!(retry_decision(&policies, &mut attempts, &b));
        assert!(!retry_decision(&policies, &mut attempts, &b));
        assert!(!retry_decision(
            &policies,
            &mut Vec::new(),
            &Failure::new("States.Runtime", "")
        ));
    }

    #[tokio::test]
    async fn map_keeps_order_and_fails_with_the_first_error() {
        let ok = map_items(
            vec![3, 1, 2],
            2,
            |x| async move { Ok::<_, Failure>(x * 10) },
        )
        .await;
        assert_eq!(ok.unwrap(), vec![30, 10, 20]);
        let err = map_items(vec![1, 2, 3], 0, |x| async move {
            if x >= 2 {
                Err(Failure::new(format!("E{x}"), ""))
            } else {
                Ok(x)
            }
        })
        .await;
        assert_eq!(err.unwrap_err().error, "E2");
    }
}
