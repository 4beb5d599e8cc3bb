//! Time for an interpreted run: a virtual clock by default, real time on request.
//!
//! The virtual clock is a small discrete-event simulation. Waits, retry back-offs, timeouts and
//! [`sleep`] calls register a wake-up time; whenever the whole
//! execution is blocked *only* on such timers, the clock jumps to the earliest one. A one-year
//! `Wait` therefore finishes at once, yet every history timestamp shows the time that passed, and
//! concurrent branches still see each other's waits in the right order.
//!
//! A task attempt that awaits something real (a mock doing I/O) holds the clock still: time does
//! not jump past a running task, so a task `TimeoutSeconds` cannot fire spuriously. Only when every
//! running attempt is itself asleep on the virtual clock may time advance. Consequently a task's
//! real run time counts as zero virtual time.
//!
//! Nothing here needs a tokio runtime in virtual mode, so a run can be driven by any executor.
//! Real mode uses `tokio::time` and therefore needs a tokio runtime with the time driver.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Which time a run uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// Simulated time (the default): waits and back-offs take no real time; the clock starts at
    /// the real current time unless [`Interpreter::start_time`](super::Interpreter::start_time)
    /// pins it.
    #[default]
    Virtual,
    /// Wall-clock time: waits really wait (`tokio::time`; needs a tokio runtime with time enabled).
    Real,
}

/// The clock of one execution, shared by all its branches.
#[derive(Clone)]
pub(crate) struct ClockHandle(Arc<Shared>);

struct Shared {
    mode: Clock,
    /// Virtual mode: the start time, and how far the clock has moved from it in nanoseconds
    /// ([`OFFSET_UNKNOWN`] when that does not fit an `i64`: read `Inner::now` then). Every
    /// history event reads the time; a plain atomic load spares each of them a lock.
    start: DateTime<Utc>,
    offset_ns: AtomicI64,
    inner: Mutex<Inner>,
}

/// See [`Shared::offset_ns`].
const OFFSET_UNKNOWN: i64 = i64::MIN;

struct Inner {
    /// Virtual mode: the current time. Real mode: unused.
    now: DateTime<Utc>,
    sleepers: BTreeMap<(DateTime<Utc>, u64), Sleeper>,
    next_id: u64,
    /// Task attempts in flight. A `Vec` rather than a set: it holds at most the run's
    /// concurrency, and keeps its buffer, so starting an attempt allocates nothing.
    attempts: Vec<u64>,
}

struct Sleeper {
    waker: Waker,
    /// The task attempt that registered this timer, when it came from inside a task.
    owner: Option<u64>,
}

thread_local! {
    /// The clock of the run being polled on this thread (for [`sleep`] inside task handlers).
    static CURRENT_CLOCK: RefCell<Option<ClockHandle>> = const { RefCell::new(None) };
    /// The task attempt being polled on this thread.
    static CURRENT_ATTEMPT: RefCell<Option<u64>> = const { RefCell::new(None) };
}

impl ClockHandle {
    pub fn new(mode: Clock, start: DateTime<Utc>) -> Self {
        ClockHandle(Arc::new(Shared {
            mode,
            start,
            offset_ns: AtomicI64::new(0),
            inner: Mutex::new(Inner {
                now: start,
                sleepers: BTreeMap::new(),
                next_id: 0,
                attempts: Vec::new(),
            }),
        }))
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current time of this run.
    pub fn now(&self) -> DateTime<Utc> {
        match self.0.mode {
            Clock::Virtual => match self.0.offset_ns.load(Ordering::Acquire) {
                0 => self.0.start,
                OFFSET_UNKNOWN => self.lock().now,
                ns => self.0.start + chrono::Duration::nanoseconds(ns),
            },
            Clock::Real => Utc::now(),
        }
    }

    /// Sleeps `d` on this clock.
    pub fn sleep(&self, d: Duration) -> Sleep {
        match self.0.mode {
            Clock::Virtual => {
                let delta = chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
                let now = self.now();
                let wake_at = now
                    .checked_add_signed(delta)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC);
                Sleep(SleepInner::Virtual {
                    clock: self.clone(),
                    wake_at,
                    key: None,
                })
            }
            Clock::Real => Sleep(SleepInner::Real(Box::pin(tokio::time::sleep(d)))),
        }
    }

    /// Sleeps until `t` (at once when `t` is past).
    pub fn sleep_until(&self, t: DateTime<Utc>) -> Sleep {
        let now = self.now();
        let d = (t - now).to_std().unwrap_or(Duration::ZERO);
        match self.0.mode {
            Clock::Virtual => Sleep(SleepInner::Virtual {
                clock: self.clone(),
                wake_at: t.max(now),
                key: None,
            }),
            Clock::Real => Sleep(SleepInner::Real(Box::pin(tokio::time::sleep(d)))),
        }
    }

    /// Marks a task attempt as running until the guard is dropped; `fut` is polled with the
    /// attempt as the thread's current one, so its [`sleep`] calls are attributed to it.
    pub fn attempt<F: Future>(&self, fut: F) -> Attempt<F> {
        let mut inner = self.lock();
        let id = inner.next_id;
        inner.next_id += 1;
        inner.attempts.push(id);
        Attempt {
            clock: self.clone(),
            id,
            fut: Box::pin(fut),
        }
    }

    /// Virtual mode: if the run is blocked only on timers, jumps to the earliest one and wakes
    /// it. Returns whether time moved.
    fn try_advance(&self) -> bool {
        if self.0.mode != Clock::Virtual {
            return false;
        }
        let wakers = {
            let mut inner = self.lock();
            let Some((&(first, _), _)) = inner.sleepers.iter().next() else {
                return false;
            };
            // Every running task attempt must itself be asleep on this clock.
            let all_asleep = inner
                .attempts
                .iter()
                .all(|a| inner.sleepers.values().any(|s| s.owner == Some(*a)));
            if !all_asleep {
                return false;
            }
            if first > inner.now {
                inner.now = first;
                let offset = (first - self.0.start)
                    .num_nanoseconds()
                    .unwrap_or(OFFSET_UNKNOWN);
                self.0.offset_ns.store(offset, Ordering::Release);
            }
            let now = inner.now;
            inner
                .sleepers
                .range(..=(now, u64::MAX))
                .map(|(_, s)| s.waker.clone())
                .collect::<Vec<_>>()
        };
        for w in wakers {
            w.wake();
        }
        true
    }

    /// Wraps the whole execution so the virtual clock advances whenever it is idle.
    pub fn drive<F: Future>(&self, fut: F) -> Driven<F> {
        Driven {
            clock: self.clone(),
            fut: Box::pin(fut),
        }
    }
}

/// A timer on a [`ClockHandle`].
pub(crate) struct Sleep(SleepInner);

enum SleepInner {
    Virtual {
        clock: ClockHandle,
        wake_at: DateTime<Utc>,
        key: Option<(DateTime<Utc>, u64)>,
    },
    Real(Pin<Box<tokio::time::Sleep>>),
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &mut self.0 {
            SleepInner::Real(s) => s.as_mut().poll(cx),
            SleepInner::Virtual {
                clock,
                wake_at,
                key,
            } => {
                let mut inner = clock.lock();
                if inner.now >= *wake_at {
                    if let Some(k) = key.take() {
                        inner.sleepers.remove(&k);
                    }
                    return Poll::Ready(());
                }
                match key {
                    Some(k) => {
                        if let Some(s) = inner.sleepers.get_mut(k) {
                            s.waker = cx.waker().clone();
                        }
                    }
                    None => {
                        let id = inner.next_id;
                        inner.next_id += 1;
                        let owner = CURRENT_ATTEMPT.with(|a| *a.borrow());
                        inner.sleepers.insert(
                            (*wake_at, id),
                            Sleeper {
                                waker: cx.waker().clone(),
                                owner,
                            },
                        );
                        *key = Some((*wake_at, id));
                    }
                }
                Poll::Pending
            }
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let SleepInner::Virtual {
            clock,
            key: Some(k),
            ..
        } = &self.0
        {
            clock.lock().sleepers.remove(k);
        }
    }
}

/// A task attempt in flight (see [`ClockHandle::attempt`]).
pub(crate) struct Attempt<F> {
    clock: ClockHandle,
    id: u64,
    fut: Pin<Box<F>>,
}

impl<F: Future> Future for Attempt<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let id = self.id;
        let prev = CURRENT_ATTEMPT.with(|a| a.replace(Some(id)));
        let out = self.fut.as_mut().poll(cx);
        CURRENT_ATTEMPT.with(|a| *a.borrow_mut() = prev);
        out
    }
}

impl<F> Drop for Attempt<F> {
    fn drop(&mut self) {
        let mut inner = self.clock.lock();
        if let Some(i) = inner.attempts.iter().position(|a| *a == self.id) {
            inner.attempts.swap_remove(i);
        }
    }
}

/// The execution future with the virtual clock's idle detection around it.
pub(crate) struct Driven<F> {
    clock: ClockHandle,
    fut: Pin<Box<F>>,
}

/// Records that the execution was woken during a poll, and forwards the wake-up.
struct FlagWaker {
    woken: AtomicBool,
    outer: Waker,
}

impl Wake for FlagWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.outer.wake_by_ref();
    }
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let clock = self.clock.clone();
        let prev = CURRENT_CLOCK.with(|c| c.replace(Some(clock.clone())));
        let out = loop {
            let flag = Arc::new(FlagWaker {
                woken: AtomicBool::new(false),
                outer: cx.waker().clone(),
            });
            let waker = Waker::from(flag.clone());
            let mut inner_cx = Context::from_waker(&waker);
            if let Poll::Ready(v) = self.fut.as_mut().poll(&mut inner_cx) {
                break Poll::Ready(v);
            }
            if flag.woken.load(Ordering::SeqCst) {
                // Something is ready to make progress at the current time; the outer waker was
                // called, so the executor polls again before the clock may move.
                break Poll::Pending;
            }
            if !clock.try_advance() {
                break Poll::Pending;
            }
        };
        CURRENT_CLOCK.with(|c| *c.borrow_mut() = prev);
        out
    }
}

/// The clock of the interpreted run currently being polled on this thread, if any.
pub(crate) fn current() -> Option<ClockHandle> {
    CURRENT_CLOCK.with(|c| c.borrow().clone())
}

/// Sleeps on the clock of the interpreted run that calls it: virtual time inside a virtual-clock
/// run (a mock handler can "take" two hours without delaying the test), real time otherwise
/// (inside a real-clock run, or outside any run; both need a tokio runtime with time enabled).
///
/// Use it in task handlers to simulate slow tasks, e.g. to exercise `TimeoutSeconds`.
pub async fn sleep(d: Duration) {
    match current() {
        Some(clock) => clock.sleep(d).await,
        None => tokio::time::sleep(d).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn start() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_long_virtual_sleep_is_instant() {
        let clock = ClockHandle::new(Clock::Virtual, start());
        let c2 = clock.clone();
        let t0 = std::time::Instant::now();
        block_on(clock.drive(async move { c2.sleep(Duration::from_secs(365 * 86400)).await }));
        assert!(t0.elapsed() < Duration::from_secs(1));
        assert_eq!(clock.now() - start(), chrono::Duration::days(365));
    }

    #[test]
    fn concurrent_sleeps_overlap() {
        let clock = ClockHandle::new(Clock::Virtual, start());
        let (a, b) = (clock.clone(), clock.clone());
        block_on(clock.drive(async move {
            futures::join!(a.sleep(Duration::from_secs(10)), async {
                b.sleep(Duration::from_secs(3)).await;
                b.sleep(Duration::from_secs(3)).await;
            })
        }));
        // Branches run side by side: 10 s in all, not 16.
        assert_eq!(clock.now() - start(), chrono::Duration::seconds(10));
    }

    #[test]
    fn time_holds_while_an_attempt_is_busy() {
        let clock = ClockHandle::new(Clock::Virtual, start());
        let (a, b) = (clock.clone(), clock.clone());
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        let order = Arc::new(Mutex::new(Vec::new()));
        let (o1, o2) = (order.clone(), order.clone());
        block_on(clock.drive(async move {
            futures::join!(
                async move {
                    // A busy "task" awaiting something real (the channel).
                    a.attempt(async move { rx.await.ok() }).await;
                    o1.lock().unwrap().push(("task", a.now()));
                },
                async move {
                    let t = b.now();
                    tx.send(()).ok();
                    b.sleep(Duration::from_secs(60)).await;
                    o2.lock().unwrap().push(("timer", b.now()));
                    assert_eq!(b.now() - t, chrono::Duration::seconds(60));
                }
            )
        }));
        let order = order.lock().unwrap();
        assert_eq!(order[0].0, "task");
        assert_eq!(order[0].1, start());
    }
}
