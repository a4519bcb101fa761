//! The demo history's days, in the company's time (America/Lima: UTC-5 all year).

use chrono::{Datelike, Weekday};

/// How many days of working history the demo has (today included).
pub const DAYS: i64 = 90;
/// The organisation's first day, when everyone took the training: long enough ago that
/// certificates have run six months ("Guardián de Datos").
pub const FOUNDED: i64 = -189;
const DAY_MS: i64 = 86_400_000;
const MINUTE_MS: i64 = 60_000;
/// Lima's offset from UTC; Peru keeps no daylight-saving time.
const LIMA_OFFSET_MS: i64 = -5 * 3_600_000;

/// Days are numbered from today: 0 is today, -1 yesterday, back to `1 - DAYS`.
#[derive(Debug, Clone, Copy)]
pub struct Calendar {
    /// Midnight of today in Lima, as unix ms.
    today: i64,
    end: i64,
}

impl Calendar {
    pub fn ending_at(end: i64) -> Self {
        let local = end + LIMA_OFFSET_MS;
        let today = local - local.rem_euclid(DAY_MS) - LIMA_OFFSET_MS;
        Self { today, end }
    }

    /// The founding day's midnight: where the history's clock starts.
    pub fn start(&self) -> i64 {
        self.at(FOUNDED, 0, 0)
    }

    pub fn end(&self) -> i64 {
        self.end
    }

    /// `hour:minute` Lima time on `day`, as unix ms.
    pub fn at(&self, day: i64, hour: i64, minute: i64) -> i64 {
        self.today + day * DAY_MS + (hour * 60 + minute) * MINUTE_MS
    }

    pub fn weekday(&self, day: i64) -> Weekday {
        chrono::DateTime::from_timestamp_millis(self.at(day, 12, 0) + LIMA_OFFSET_MS)
            .map_or(Weekday::Mon, |d| d.weekday())
    }

    pub fn is_workday(&self, day: i64) -> bool {
        !matches!(self.weekday(day), Weekday::Sat | Weekday::Sun)
    }

    /// The working day nearest to `day` at or before it.
    pub fn workday_at_or_before(&self, day: i64) -> i64 {
        (day - 6..=day)
            .rev()
            .find(|d| self.is_workday(*d))
            .unwrap_or(day)
    }

    /// The first working day after `day`.
    pub fn next_workday(&self, day: i64) -> i64 {
        (day + 1..=day + 7)
            .find(|d| self.is_workday(*d))
            .unwrap_or(day + 1)
    }

    /// The latest working day whose `hour:00` is already past at the end.
    pub fn last_workday_past(&self, hour: i64) -> i64 {
        (-7..=0)
            .rev()
            .find(|d| self.is_workday(*d) && self.at(*d, hour, 0) < self.end)
            .unwrap_or(-7)
    }

    /// The latest Saturday at least two days before today.
    pub fn last_saturday(&self) -> i64 {
        (-8..=-2)
            .rev()
            .find(|d| self.weekday(*d) == Weekday::Sat)
            .unwrap_or(-8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_in_lima() {
        // 2026-12-02 03:00 UTC is still 1 December (a Tuesday) at 22:00 in Lima.
        let end = chrono::DateTime::parse_from_rfc3339("2026-12-02T03:00:00Z")
            .map(|d| d.timestamp_millis())
            .unwrap_or_default();
        let calendar = Calendar::ending_at(end);
        assert_eq!(calendar.weekday(0), Weekday::Tue);
        assert_eq!(calendar.at(0, 22, 0), end);
        assert_eq!(calendar.last_saturday(), -3);
        assert_eq!(calendar.last_workday_past(11), 0);
        assert_eq!(
            calendar.workday_at_or_before(-3),
            -4,
            "Saturday falls back to Friday"
        );
        assert_eq!(
            calendar.next_workday(-4),
            -1,
            "Friday is followed by Monday"
        );
        assert_eq!(calendar.start(), calendar.at(FOUNDED, 0, 0));
    }
}
