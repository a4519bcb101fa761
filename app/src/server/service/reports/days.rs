//! A report's figures per Lima day and hour (exports and contacts, alerts by severity),
//! and the monthly report's charts of them.

use crate::i18n::{Locale, td_string};
use crate::server::charts;
use crate::server::repo::reports::ExportFact;
use crate::types::alert::AlertSeverity;
use crate::types::dashboard::{ExportDay, TrendDay};
use crate::types::report::MonthlyReport;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Lima keeps UTC-5 all year.
const LIMA_OFFSET_MS: i64 = -5 * HOUR_MS;

/// The days of `[from, to)` (Lima): exports and contacts, alerts by severity; and alerts by
/// hour of day.
pub fn daily(
    from: i64,
    to: i64,
    exports: &[ExportFact],
    raised: &[(i64, String)],
) -> (Vec<ExportDay>, Vec<TrendDay>, Vec<i64>) {
    let n = usize::try_from((to - from) / DAY_MS).unwrap_or(0);
    let day_of = |t: i64| usize::try_from((t - from).div_euclid(DAY_MS)).ok();
    let mut days: Vec<ExportDay> = (0..n)
        .map(|i| ExportDay {
            day: crate::types::time::format_lima_date(from + i as i64 * DAY_MS),
            exports: 0,
            contacts: 0,
        })
        .collect();
    let mut alert_days: Vec<TrendDay> = days
        .iter()
        .map(|d| TrendDay {
            day: d.day.clone(),
            low: 0,
            medium: 0,
            high: 0,
            critical: 0,
        })
        .collect();
    let mut hours = vec![0_i64; 24];
    for e in exports {
        if let Some(day) = day_of(e.created_at).and_then(|i| days.get_mut(i)) {
            day.exports += 1;
            day.contacts += e.count;
        }
    }
    for (at, severity) in raised {
        let hour = usize::try_from((at + LIMA_OFFSET_MS).rem_euclid(DAY_MS) / HOUR_MS).unwrap_or(0);
        if let Some(h) = hours.get_mut(hour) {
            *h += 1;
        }
        if let Some(day) = day_of(*at).and_then(|i| alert_days.get_mut(i)) {
            match AlertSeverity::from_code(severity) {
                Some(AlertSeverity::Low) => day.low += 1,
                Some(AlertSeverity::Medium) => day.medium += 1,
                Some(AlertSeverity::High) => day.high += 1,
                Some(AlertSeverity::Critical) => day.critical += 1,
                None => {}
            }
        }
    }
    (days, alert_days, hours)
}

/// Draws the report's charts for a reader of `l`.
pub fn draw(mut report: MonthlyReport, l: Locale) -> MonthlyReport {
    report.charts = vec![
        charts::exports_per_day(
            &report.days,
            Some(td_string!(l, reports.exports_chart_title).to_owned()),
            l,
        ),
        charts::alert_trend(
            &report.alert_days,
            Some(td_string!(l, reports.trend_title).to_owned()),
            l,
        ),
        charts::alerts_by_hour(
            &report.alert_hours,
            Some(td_string!(l, reports.hours_title).to_owned()),
            l,
        ),
    ];
    report
}
