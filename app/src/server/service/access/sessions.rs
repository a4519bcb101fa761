//! How long sessions live (SPEC "Audit log" and the foundation): idle 30 minutes,
//! absolute 12 hours, enforced on the server on every request and by the minute sweep.

use std::time::Duration;

/// The session timeouts; tests shorten them.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A session unused for this long is over.
    pub idle_timeout: Duration,
    /// No session outlives this, however active.
    pub absolute_timeout: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 3600),
        }
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl SessionPolicy {
    /// Why a session started at `created_at` and last used at `last_seen_at` is over at
    /// `now` (`absolute_timeout` or `idle_timeout`), if it is.
    pub fn timed_out(&self, created_at: i64, last_seen_at: i64, now: i64) -> Option<&'static str> {
        if now - created_at >= ms(self.absolute_timeout) {
            Some("absolute_timeout")
        } else if now - last_seen_at >= ms(self.idle_timeout) {
            Some("idle_timeout")
        } else {
            None
        }
    }

    /// Sessions last used before the first time, or started before the second, are over.
    pub fn cutoffs(&self, now: i64) -> (i64, i64) {
        (
            now.saturating_sub(ms(self.idle_timeout)),
            now.saturating_sub(ms(self.absolute_timeout)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_absolute_limit_wins_over_activity() {
        let p = SessionPolicy::default();
        let hour = 3_600_000;
        assert_eq!(p.timed_out(0, 0, 29 * 60_000), None);
        assert_eq!(p.timed_out(0, 0, 30 * 60_000), Some("idle_timeout"));
        assert_eq!(
            p.timed_out(0, 12 * hour - 1, 12 * hour),
            Some("absolute_timeout")
        );
        assert_eq!(p.cutoffs(12 * hour), (12 * hour - 30 * 60_000, 0));
    }
}
