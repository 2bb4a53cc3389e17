//! Flood control: at most `limit` admissions per key in any window of `window`.
//!
//! [`Cooldown`] keeps, per key (a user id), the instants of its last admissions, at most `limit`
//! of them: a key is admitted when it has fewer than `limit` admissions younger than `window`,
//! otherwise it is told how long until the oldest of them leaves the window. Refusals are not
//! counted, so someone who keeps pressing gets through again as soon as their window allows.
//!
//! Plain Rust, no Discord, no runtime: the clock is a parameter ([`Cooldown::admit_at`]), so
//! tests give it instants of their own.
//!
//! Invariants: memory is bounded: at most `limit` instants per key and at most
//! [`Cooldown::MAX_KEYS`] keys. When that many keys are active at once, keys whose window has
//! passed are forgotten first; if every key is still active, a new key is admitted without
//! being remembered (flood control fails open rather than refusing newcomers).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `limit` admissions per key in any window of `window`; `limit == 0` admits everything.
#[derive(Debug)]
pub struct Cooldown {
    limit: usize,
    window: Duration,
    keys: Mutex<HashMap<u64, VecDeque<Instant>>>,
}

impl Cooldown {
    /// The most keys remembered at once.
    pub const MAX_KEYS: usize = 100_000;
    /// The largest `limit` honoured (a larger one is this): it bounds the memory per key.
    pub const MAX_LIMIT: usize = 1_000;

    /// A cooldown that admits each key at most `limit` times (capped at [`Cooldown::MAX_LIMIT`])
    /// in any `window`; a `limit` of 0 or a zero `window` turns it off.
    pub fn new(limit: u32, window: Duration) -> Cooldown {
        Cooldown {
            limit: (limit as usize).min(Self::MAX_LIMIT),
            window,
            keys: Mutex::default(),
        }
    }

    /// A cooldown that admits everything.
    pub fn off() -> Cooldown {
        Cooldown::new(0, Duration::ZERO)
    }

    /// The admissions per window (0: off).
    pub fn limit(&self) -> u32 {
        u32::try_from(self.limit).unwrap_or(u32::MAX)
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Whether it limits anything.
    pub fn is_on(&self) -> bool {
        self.limit > 0 && !self.window.is_zero()
    }

    /// Admits `key` now and counts it, or says how long until it may be admitted.
    pub fn admit(&self, key: u64) -> Result<(), Duration> {
        self.admit_at(key, Instant::now())
    }

    /// [`Cooldown::admit`] at `now`.
    pub fn admit_at(&self, key: u64, now: Instant) -> Result<(), Duration> {
        if !self.is_on() {
            return Ok(());
        }
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let live = |t: &Instant| now.saturating_duration_since(*t) < self.window;
        if !keys.contains_key(&key) && keys.len() >= Self::MAX_KEYS {
            keys.retain(|_, times| times.back().is_some_and(live));
            if keys.len() >= Self::MAX_KEYS {
                return Ok(());
            }
        }
        let times = keys.entry(key).or_default();
        while times.front().is_some_and(|t| !live(t)) {
            times.pop_front();
        }
        if times.len() >= self.limit {
            let oldest = times[0];
            return Err(self
                .window
                .checked_sub(now.saturating_duration_since(oldest))
                .unwrap());
        }
        times.push_back(now);
        Ok(())
    }

    /// How many keys are remembered (for tests of the memory bound).
    pub fn remembered(&self) -> usize {
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}

/// Whole seconds to tell someone to wait: `wait` rounded up, at least 1.
pub fn seconds_left(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn at_most_n_in_any_window_per_key() {
        let c = Cooldown::new(3, secs(10));
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        assert_eq!(c.admit_at(1, at(0)), Ok(()));
        assert_eq!(c.admit_at(1, at(1_000)), Ok(()));
        assert_eq!(c.admit_at(1, at(2_000)), Ok(()));
        // The fourth within 10 s waits until the first leaves the window.
        assert_eq!(c.admit_at(1, at(2_500)), Err(Duration::from_millis(7_500)));
        // Another key is not affected.
        assert_eq!(c.admit_at(2, at(2_500)), Ok(()));
        // Refusals are not counted: at 10 s the first has left the window.
        assert_eq!(c.admit_at(1, at(9_999)), Err(Duration::from_millis(1)));
        assert_eq!(c.admit_at(1, at(10_000)), Ok(()));
        assert_eq!(c.admit_at(1, at(10_500)), Err(Duration::from_millis(500)));
        assert_eq!(c.admit_at(1, at(11_000)), Ok(()));
        assert_eq!(seconds_left(Duration::from_millis(7_500)), 8);
        assert_eq!(seconds_left(Duration::from_millis(1)), 1);
        assert_eq!(seconds_left(secs(3)), 3);
    }

    #[test]
    fn off_admits_everything_and_remembers_nothing() {
        for c in [
            Cooldown::off(),
            Cooldown::new(0, secs(10)),
            Cooldown::new(5, secs(0)),
        ] {
            let now = Instant::now();
            assert!((0..100).all(|_| c.admit_at(1, now).is_ok()));
            assert_eq!(c.remembered(), 0);
        }
    }

    #[test]
    fn memory_is_bounded_and_idle_keys_are_forgotten_first() {
        let c = Cooldown::new(1, secs(10));
        let t0 = Instant::now();
        for key in 0..Cooldown::MAX_KEYS as u64 {
            assert!(c.admit_at(key, t0).is_ok());
        }
        // Every key is active: a newcomer is admitted, not remembered.
        let newcomer = Cooldown::MAX_KEYS as u64;
        assert!(c.admit_at(newcomer, t0).is_ok());
        assert!(c.admit_at(newcomer, t0).is_ok());
        assert_eq!(c.remembered(), Cooldown::MAX_KEYS);
        // Once their windows have passed, the idle keys make room.
        let later = t0 + secs(10);
        assert!(c.admit_at(newcomer, later).is_ok());
        assert_eq!(c.remembered(), 1);
        assert!(c.admit_at(newcomer, later).is_err());
    }
}
