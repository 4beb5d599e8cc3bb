//! The interpreter's random numbers: retry jitter, `States.UUID`, `States.MathRandom`, `$random`,
//! `$uuid`, task tokens. One seedable generator per execution, so a seeded run is repeatable.

use std::sync::atomic::{AtomicU64, Ordering};

/// SplitMix64: tiny, fast, and good enough for jitter and test data (not for cryptography).
/// Chosen over a crate so the sequence for a given seed never changes with a dependency upgrade.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// A generator seeded from the system clock, for runs without an explicit seed.
    pub fn from_entropy() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        // Mix in an address so two runs started in the same nanosecond still differ.
        let local = 0u8;
        Rng::new(nanos ^ ((&local as *const u8 as u64).rotate_left(32)))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform integer in [lo, hi] (inclusive). `lo <= hi` is the caller's duty.
    pub fn range_inclusive(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi as i128 - lo as i128 + 1) as u128;
        let r = (self.next_u64() as u128) % span;
        (lo as i128 + r as i128) as i64
    }

    /// A random (version 4, variant 1) UUID in its hyphenated lowercase form.
    pub fn uuid_v4(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// The generator of one execution, shared by its branches. Its state is one `u64`, so it lives in
/// an atomic: an evaluation takes a copy and puts back the advanced state with plain loads and
/// stores, where a mutex would cost two atomic read-modify-writes per evaluation (and most
/// evaluations draw no random number at all). All branches of an execution are polled by one
/// task, and an evaluation never yields, so no two of them interleave.
///
/// A nested [`RngCell::with`] would draw the same numbers twice (the old mutex deadlocked
/// instead): debug builds check that it never happens.
#[derive(Debug)]
pub struct RngCell {
    state: AtomicU64,
    #[cfg(debug_assertions)]
    busy: std::sync::atomic::AtomicBool,
}

impl RngCell {
    pub fn new(rng: Rng) -> Self {
        RngCell {
            state: AtomicU64::new(rng.state),
            #[cfg(debug_assertions)]
            busy: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Runs `f` with the generator, keeping whatever it drew.
    pub fn with<R>(&self, f: impl FnOnce(&mut Rng) -> R) -> R {
        #[cfg(debug_assertions)]
        assert!(
            !self.busy.swap(true, Ordering::AcqRel),
            "RngCell::with nested in itself: the inner draws would repeat"
        );
        let before = self.state.load(Ordering::Acquire);
        let mut rng = Rng { state: before };
        let out = f(&mut rng);
        if rng.state != before {
            self.state.store(rng.state, Ordering::Release);
        }
        #[cfg(debug_assertions)]
        self.busy.store(false, Ordering::Release);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_is_repeatable() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let mut r = Rng::new(7);
        let b: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert_eq!(a, b);
        assert_ne!(Rng::new(8).next_u64(), a[0]);
    }

    #[test]
    fn floats_and_ranges_stay_in_bounds() {
        let mut r = Rng::new(1);
        for _ in 0..1000 {
            let f = r.next_f64();
            assert!((0.0..1.0).contains(&f));
            let i = r.range_inclusive(-2, 2);
            assert!((-2..=2).contains(&i));
        }
    }

    #[test]
    fn uuid_shape() {
        let u = Rng::new(3).uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
