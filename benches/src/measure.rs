//! The timing loop: executions per second of one async closure on the current thread.
//!
//! A warm-up round first (caches, allocator, lazily built state), then several timed rounds; the
//! median round is the figure, min and max show the noise (the machine is shared).

use std::future::Future;
use std::time::{Duration, Instant};

/// How long and how often to measure.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub warm_up: Duration,
    pub round: Duration,
    pub rounds: usize,
    /// `STEPMACRO_BENCH_COUNT`: run exactly this many executions per side instead of timed
    /// rounds (no warm-up). Under `valgrind --tool=callgrind` a fixed count makes instruction
    /// counts repeatable, where wall-clock rounds would run a varying number of executions.
    pub count: Option<u64>,
}

impl Plan {
    /// 0.5 s warm-up, then `STEPMACRO_BENCH_ROUNDS` (default 5) rounds of
    /// `STEPMACRO_BENCH_SECONDS` (default 1.0) each.
    pub fn from_env() -> Plan {
        let seconds = std::env::var("STEPMACRO_BENCH_SECONDS")
            .ok()
            .and_then(|s| s.parse::<f64>().ok());
        let rounds = std::env::var("STEPMACRO_BENCH_ROUNDS")
            .ok()
            .and_then(|s| s.parse::<usize>().ok());
        Plan {
            warm_up: Duration::from_millis(500),
            round: Duration::from_secs_f64(seconds.filter(|s| *s > 0.0).unwrap_or(1.0)),
            rounds: rounds.filter(|r| *r > 0).unwrap_or(5),
            count: std::env::var("STEPMACRO_BENCH_COUNT")
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .filter(|n| *n > 0),
        }
    }
}

/// Executions per second, one entry per timed round.
#[derive(Clone, Debug)]
pub struct Rate {
    pub rounds: Vec<f64>,
}

impl Rate {
    pub fn median(&self) -> f64 {
        let mut v = self.rounds.clone();
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => 0.0,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }

    pub fn min(&self) -> f64 {
        self.rounds.iter().copied().fold(f64::INFINITY, f64::min)
    }

    pub fn max(&self) -> f64 {
        self.rounds.iter().copied().fold(0.0, f64::max)
    }
}

/// Runs `execution` back to back on a current-thread tokio runtime (one core) and counts.
pub fn measure<F, Fut>(plan: &Plan, mut execution: F) -> Rate
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread tokio runtime builds");
    runtime.block_on(async {
        if let Some(count) = plan.count {
            let start = Instant::now();
            for _ in 0..count {
                execution().await;
            }
            return Rate {
                rounds: vec![count as f64 / start.elapsed().as_secs_f64()],
            };
        }
        run_for(plan.warm_up, &mut execution).await;
        let mut rounds = Vec::with_capacity(plan.rounds);
        for _ in 0..plan.rounds {
            let (count, elapsed) = run_for(plan.round, &mut execution).await;
            rounds.push(count as f64 / elapsed.as_secs_f64());
        }
        Rate { rounds }
    })
}

/// Executes until `duration` has passed; the count and the exact time taken.
async fn run_for<F, Fut>(duration: Duration, execution: &mut F) -> (u64, Duration)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let start = Instant::now();
    let mut count = 0u64;
    loop {
        execution().await;
        count += 1;
        let elapsed = start.elapsed();
        if elapsed >= duration {
            return (count, elapsed);
        }
    }
}

/// `1234567.8` → `1,234,568`.
pub fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_min_max() {
        let r = Rate {
            rounds: vec![3.0, 1.0, 2.0, 10.0],
        };
        assert_eq!(r.median(), 2.5);
        assert_eq!(r.min(), 1.0);
        assert_eq!(r.max(), 10.0);
        assert_eq!(
            Rate {
                rounds: vec![5.0, 1.0, 9.0]
            }
            .median(),
            5.0
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0.4), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(1234567.8), "1,234,568");
    }

    #[test]
    fn counts_executions() {
        let plan = Plan {
            warm_up: Duration::ZERO,
            round: Duration::from_millis(20),
            rounds: 2,
            count: None,
        };
        let mut calls = 0u64;
        let rate = measure(&plan, || {
            calls += 1;
            async {}
        });
        assert_eq!(rate.rounds.len(), 2);
        assert!(calls > 2 && rate.median() > 0.0);
    }

    #[test]
    fn a_fixed_count_runs_exactly_that_many() {
        let plan = Plan {
            warm_up: Duration::from_secs(60),
            round: Duration::from_secs(60),
            rounds: 3,
            count: Some(7),
        };
        let mut calls = 0u64;
        let rate = measure(&plan, || {
            calls += 1;
            async {}
        });
        assert_eq!((calls, rate.rounds.len()), (7, 1));
    }
}
