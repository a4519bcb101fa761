//! The one source of "now" on the server. Tests move it forward instead of sleeping
//! (session timeouts, rolling quota windows, checkpoint heartbeats).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Wall-clock time in unix milliseconds (UTC), plus an offset that only tests change.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// A clock of its own that reads `ms` now and then runs with real time (the demo's
    /// history is written on one, away from the clock the jobs share).
    pub fn starting_at(ms: i64) -> Self {
        let clock = Self::default();
        clock.offset_ms.store(
            ms - chrono::Utc::now().timestamp_millis(),
            Ordering::Relaxed,
        );
        clock
    }

    /// Moves this clock forward to `ms`; a time already past leaves it where it is.
    pub fn advance_to(&self, ms: i64) {
        let by = ms - self.now_ms();
        if by > 0 {
            self.offset_ms.fetch_add(by, Ordering::Relaxed);
        }
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let clock = Clock::default();
        let other = clock.clone();
        let before = other.now_ms();
        clock.advance(Duration::from_secs(3600));
        assert!(other.now_ms() - before >= 3_600_000);
    }

    #[test]
    fn a_clock_started_in_the_past_only_moves_forward() {
        let start = chrono::Utc::now().timestamp_millis() - 90 * 86_400_000;
        let clock = Clock::starting_at(start);
        assert!((clock.now_ms() - start).abs() < 1_000);
        clock.advance_to(start + 3_600_000);
        assert!(clock.now_ms() >= start + 3_600_000);
        clock.advance_to(start);
        assert!(clock.now_ms() >= start + 3_600_000, "never backwards");
    }
}
