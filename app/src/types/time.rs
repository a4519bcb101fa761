//! Showing times the way people at the company read them: in Lima time (UTC-5, no DST).

use chrono::{DateTime, Utc};

const LIMA_OFFSET_MS: i64 = -5 * 3600 * 1000;

/// `2026-11-22 09:05` in America/Lima for a unix-millisecond instant.
pub fn format_lima(ms: i64) -> String {
    // Lima keeps UTC-5 all year: the wall-clock time is the instant shifted by five hours.
    DateTime::<Utc>::from_timestamp_millis(ms.saturating_add(LIMA_OFFSET_MS))
        .map(|t| t.naive_utc().format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// `2026-11-22`: the Lima date of an instant (certificates).
pub fn format_lima_date(ms: i64) -> String {
    format_lima(ms).chars().take(10).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_lima_time() {
        // 2026-11-22 14:05 UTC is 09:05 in Lima.
        assert_eq!(format_lima(1_795_356_300_000), "2026-11-22 09:05");
    }
}
