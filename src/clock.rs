//! The clock every expiry decision reads, so tests can fix and move time.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Unix seconds as RFC 3339 UTC, e.g. `2026-01-01T00:00:00Z`.
pub fn format_time(unix: i64) -> String {
    let secs = u64::try_from(unix).unwrap_or(0);
    humantime::format_rfc3339_seconds(UNIX_EPOCH + std::time::Duration::from_secs(secs)).to_string()
}

/// A source of the current time in whole Unix seconds.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> i64;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }
}

/// A clock that stands still until told to move.
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn at(now: i64) -> Self {
        Self(AtomicI64::new(now))
    }

    /// Moves the clock forward (or back, with a negative amount).
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Sets the clock.
    pub fn set(&self, now: i64) {
        self.0.store(now, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The clock as shared by the application.
pub type SharedClock = Arc<dyn Clock>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_until_moved() {
        let clock = FixedClock::at(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(60);
        assert_eq!(clock.now(), 1_060);
        clock.set(5);
        assert_eq!(clock.now(), 5);
    }

    #[test]
    fn the_system_clock_is_after_2020() {
        assert!(SystemClock.now() > 1_577_836_800);
    }
}
