//! Rolling-window quota arithmetic: how much of each window a user has used, whether a
//! request of `count` contacts fits, and when room frees up.
//!
//! Every allowed export stores the user's running total after it (`cumulative`), and the
//! current total lives in `quota_account`. Usage in the window `(now - W, now]` is
//! `total - cumulative of the last export at or before now - W`: index seeks whose cost
//! does not grow with the user's history. An export at exactly `now - W` has left the
//! window; it frees its room at `created_at + W`.

use crate::server::repo::exports::{self, Snapshot};
use crate::server::service::policy::Limits;
use crate::types::{QuotaWindow, WindowQuota};
use sqlx::AnyConnection;

/// How much of one window is used, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowUsage {
    pub window: QuotaWindow,
    pub used: i64,
    /// When the oldest export still counted in the window was made.
    pub oldest_counted_at: Option<i64>,
}

/// The outcome of checking a request against the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// `count` does not fit in `window`.
    OverWindow {
        window: QuotaWindow,
        limit: i64,
        used: i64,
    },
    /// `count` is above the approval threshold.
    OverThreshold {
        threshold: i64,
    },
}

/// Checks every window (day, week, month), then the approval threshold.
pub fn decide(limits: &Limits, usage: &[WindowUsage], count: i64) -> Verdict {
    for u in usage {
        if let Some(limit) = limits.limit(u.window)
            && u.used + count > limit
        {
            return Verdict::OverWindow {
                window: u.window,
                limit,
                used: u.used,
            };
        }
    }
    match limits.approval_threshold {
        Some(threshold) if count > threshold => Verdict::OverThreshold { threshold },
        _ => Verdict::Allowed,
    }
}

/// The self-service view of the windows.
pub fn window_quotas(limits: &Limits, usage: &[WindowUsage]) -> Vec<WindowQuota> {
    usage
        .iter()
        .map(|u| {
            let limit = limits.limit(u.window);
            WindowQuota {
                window: u.window,
                limit,
                used: u.used,
                remaining: limit.map(|l| (l - u.used).max(0)),
                frees_at: u.oldest_counted_at.map(|t| t + u.window.duration_ms()),
            }
        })
        .collect()
}

/// The window starts (day, week, month) at `now`.
pub fn window_starts(now: i64) -> [i64; 3] {
    QuotaWindow::ALL.map(|w| now - w.duration_ms())
}

/// Usage of every window, from a snapshot taken with [`window_starts`].
pub fn usage(snapshot: &Snapshot) -> Vec<WindowUsage> {
    QuotaWindow::ALL
        .iter()
        .enumerate()
        .map(|(i, window)| {
            let used = snapshot.total - snapshot.left[i];
            WindowUsage {
                window: *window,
                used,
                oldest_counted_at: if used > 0 { snapshot.oldest[i] } else { None },
            }
        })
        .collect()
}

/// When `count` more contacts would fit in `window` (if no one exports meanwhile), or
/// `None` if they never can because `count` alone is over the limit.
pub async fn room_at(
    conn: &mut AnyConnection,
    user_id: i64,
    window: QuotaWindow,
    limit: i64,
    total: i64,
    count: i64,
) -> Result<Option<i64>, sqlx::Error> {
    if count > limit {
        return Ok(None);
    }
    // Enough has left once the total that left reaches `total + count - limit`.
    let target = total + count - limit;
    Ok(exports::first_reaching(conn, user_id, target)
        .await?
        .map(|t| t + window.duration_ms()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn executive() -> Limits {
        Limits {
            daily: Some(50),
            weekly: Some(200),
            monthly: Some(500),
            approval_threshold: Some(50),
        }
    }

    fn usage(day: i64, week: i64, month: i64) -> Vec<WindowUsage> {
        [
            (QuotaWindow::Day, day),
            (QuotaWindow::Week, week),
            (QuotaWindow::Month, month),
        ]
        .into_iter()
        .map(|(window, used)| WindowUsage {
            window,
            used,
            oldest_counted_at: None,
        })
        .collect()
    }

    #[test]
    fn a_request_that_exactly_fills_the_window_is_allowed() {
        assert_eq!(
            decide(&executive(), &usage(40, 40, 40), 10),
            Verdict::Allowed
        );
        assert_eq!(
            decide(&executive(), &usage(40, 40, 40), 11),
            Verdict::OverWindow {
                window: QuotaWindow::Day,
                limit: 50,
                used: 40
            }
        );
    }

    #[test]
    fn the_first_window_that_does_not_fit_is_reported() {
        assert_eq!(
            decide(&executive(), &usage(0, 195, 195), 10),
            Verdict::OverWindow {
                window: QuotaWindow::Week,
                limit: 200,
                used: 195
            }
        );
        assert_eq!(
            decide(&executive(), &usage(0, 0, 499), 2),
            Verdict::OverWindow {
                window: QuotaWindow::Month,
                limit: 500,
                used: 499
            }
        );
    }

    #[test]
    fn the_threshold_is_inclusive() {
        let mut limits = executive();
        limits.daily = Some(1000);
        limits.weekly = None;
        limits.monthly = None;
        assert_eq!(decide(&limits, &usage(0, 0, 0), 50), Verdict::Allowed);
        assert_eq!(
            decide(&limits, &usage(0, 0, 0), 51),
            Verdict::OverThreshold { threshold: 50 }
        );
    }

    #[test]
    fn no_limits_means_no_refusal() {
        let admin = Limits {
            approval_threshold: Some(1000),
            ..Limits::default()
        };
        assert_eq!(
            decide(&admin, &usage(1_000_000, 1_000_000, 1_000_000), 1000),
            Verdict::Allowed
        );
    }

    #[test]
    fn remaining_never_goes_negative_and_frees_at_is_one_window_after_the_oldest() {
        let mut u = usage(60, 60, 60);
        u[0].oldest_counted_at = Some(5 * DAY);
        let view = window_quotas(&executive(), &u);
        assert_eq!(view[0].remaining, Some(0));
        assert_eq!(view[0].frees_at, Some(6 * DAY));
        assert_eq!(view[1].remaining, Some(140));
    }
}
