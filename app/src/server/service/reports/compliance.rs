//! The compliance report (seed 003) for a range of Lima dates, both included, at most
//! [`MAX_DAYS`] long: every audited operation of the range counted by category, outcome and
//! severity; the alerts of the range by category and where they stand; the log's
//! verifications, checkpoints and tampering signals; and recommendations — seed 003's
//! "success rate under 95 %" and "failed critical operations", plus open alerts and an
//! unverified or damaged log.
//!
//! A long range is read in parts of at most [`PART_DAYS`] days, each one indexed range
//! query on its own connection, so a year of a busy organisation neither holds a
//! connection nor keeps other requests waiting; the page runs it in the background and
//! shows how many parts are done (`runs.rs`).

pub use super::runs::{Runs, start};
use crate::error::AppError;
use crate::i18n::{Locale, td_string};
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::charts;
use crate::server::repo::audit as audit_repo;
use crate::server::repo::reports as repo;
use crate::types::alert::{AlertKind, AlertState};
use crate::types::audit::AuditAction;
use crate::types::compliance::{
    Category, CategoryFigures, ComplianceRecommendation, ComplianceReport, IntegrityFigures,
};
use crate::types::report::AlertTally;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The longest range a report covers.
pub const MAX_DAYS: i64 = 366;
/// How many days one part reads.
pub const PART_DAYS: i64 = 31;
/// Below this share of successful operations (per thousand) a category is flagged.
pub const SUCCESS_BAR_PERMILLE: i64 = 950;

const DAY_MS: i64 = 86_400_000;
const LIMA_OFFSET_MS: i64 = -5 * 3_600_000;

/// The range's bounds (unix ms): `from_day`'s first Lima midnight to the one after `to_day`.
pub fn bounds(from_day: &str, to_day: &str) -> Result<(i64, i64), AppError> {
    let day = |field: &'static str, text: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp_millis() - LIMA_OFFSET_MS)
            .ok_or_else(|| AppError::validation(field, Notice::DateFormat))
    };
    let from = day("from", from_day)?;
    let to = day("to", to_day)? + DAY_MS;
    if to <= from || (to - from) / DAY_MS > MAX_DAYS {
        return Err(AppError::validation(
            "to",
            Notice::ReportRange { max_days: MAX_DAYS },
        ));
    }
    Ok((from, to))
}

/// `[from, to)` cut into parts of at most [`PART_DAYS`] days.
pub fn parts(from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut start = from;
    while start < to {
        let end = (start + PART_DAYS * DAY_MS).min(to);
        out.push((start, end));
        start = end;
    }
    out
}

/// Computes the report, calling `progress(done, total)` after each part.
pub async fn compute(
    state: &AppState,
    from_day: &str,
    to_day: &str,
    mut progress: impl FnMut(u32, u32),
) -> Result<ComplianceReport, AppError> {
    let (from, to) = bounds(from_day, to_day)?;
    let (head_seq, head_hash) = audit_repo::current_head(&mut *state.db.conn().await?).await?;
    let mut figures: HashMap<Category, CategoryFigures> = Category::ALL
        .iter()
        .map(|c| {
            (
                *c,
                CategoryFigures {
                    category: Some(*c),
                    ..CategoryFigures::default()
                },
            )
        })
        .collect();
    let mut integrity = IntegrityFigures::default();
    let parts = parts(from, to);
    let total = u32::try_from(parts.len()).unwrap_or(u32::MAX);
    for (i, (start, end)) in parts.into_iter().enumerate() {
        let rows = repo::operations_between(&mut *state.db.conn().await?, start, end).await?;
        for (action, outcome, severity, n) in rows {
            let Some(action) = AuditAction::from_code(&action) else {
                continue;
            };
            let Some(category) = Category::of_action(action) else {
                continue;
            };
            let f = figures.entry(category).or_default();
            f.operations += n;
            if outcome == "success" {
                f.succeeded += n;
            } else {
                f.failed += n;
                if matches!(severity.as_str(), "high" | "critical") {
                    f.critical_failures += n;
                }
            }
            if action == AuditAction::IntegrityCheck {
                integrity.checks += n;
                if outcome != "success" {
                    integrity.checks_failed += n;
                }
            }
        }
        progress(u32::try_from(i + 1).unwrap_or(u32::MAX), total);
        // Let other requests in between parts.
        tokio::task::yield_now().await;
    }

    let mut conn = state.db.conn().await?;
    let alerts = repo::alerts_by_kind_and_state(&mut conn, from, to).await?;
    let raised = repo::alerts_raised_between(&mut conn, from, to).await?;
    if let Some((at, outcome)) = repo::last_check_before(&mut conn, to).await? {
        integrity.last_check_at = Some(at);
        integrity.last_check_passed = Some(outcome == "success");
    }
    let (checkpoints, signals) = repo::integrity_marks_between(&mut conn, from, to).await?;
    drop(conn);
    integrity.checkpoints = checkpoints;
    integrity.tamper_signals = signals;
    for (kind, alert_state, n) in &alerts {
        let Some(kind) = AlertKind::from_code(kind) else {
            continue;
        };
        let f = figures.entry(Category::of_alert(kind)).or_default();
        f.alerts += n;
        match AlertState::from_code(alert_state) {
            Some(AlertState::Resuelta) => f.alerts_resolved += n,
            Some(AlertState::FalsoPositivo) => f.alerts_false_positive += n,
            _ => f.alerts_open += n,
        }
    }
    let categories: Vec<CategoryFigures> = Category::ALL
        .iter()
        .filter_map(|c| figures.remove(c))
        .collect();
    let mut all = CategoryFigures::default();
    for f in &categories {
        all.operations += f.operations;
        all.succeeded += f.succeeded;
        all.failed += f.failed;
        all.critical_failures += f.critical_failures;
        all.alerts += f.alerts;
        all.alerts_open += f.alerts_open;
        all.alerts_resolved += f.alerts_resolved;
        all.alerts_false_positive += f.alerts_false_positive;
    }
    let recommendations = recommend(&categories, &all, &integrity);
    let (_, alert_days, alert_hours) = super::days::daily(from, to, &[], &raised);
    Ok(ComplianceReport {
        from_day: from_day.trim().to_owned(),
        to_day: to_day.trim().to_owned(),
        from,
        to,
        generated_at: state.clock.now_ms(),
        head_seq,
        head_hash,
        total: all,
        categories,
        integrity,
        alerts: alerts
            .into_iter()
            .map(|(kind, state, count)| AlertTally { kind, state, count })
            .collect(),
        recommendations,
        alert_days,
        alert_hours,
        charts: Vec::new(),
    })
}

/// Draws the report's charts (alerts per day by severity, alerts by Lima hour) for a
/// reader of `l`.
pub fn draw(mut report: ComplianceReport, l: Locale) -> ComplianceReport {
    // Keys of their own: the page shows these beside the monthly report's.
    report.charts = vec![
        charts::rekey(
            charts::alert_trend(
                &report.alert_days,
                Some(td_string!(l, reports.trend_title).to_owned()),
                l,
            ),
            "compliance-trend",
        ),
        charts::rekey(
            charts::alerts_by_hour(
                &report.alert_hours,
                Some(td_string!(l, reports.hours_title).to_owned()),
                l,
            ),
            "compliance-hours",
        ),
    ];
    report
}

fn recommend(
    categories: &[CategoryFigures],
    all: &CategoryFigures,
    integrity: &IntegrityFigures,
) -> Vec<ComplianceRecommendation> {
    let mut out = Vec::new();
    for f in categories {
        if let (Some(category), Some(permille)) = (f.category, f.success_permille())
            && permille < SUCCESS_BAR_PERMILLE
        {
            out.push(ComplianceRecommendation::LowSuccessRate { category, permille });
        }
    }
    if all.critical_failures > 0 {
        out.push(ComplianceRecommendation::CriticalFailures {
            count: all.critical_failures,
        });
    }
    if all.alerts_open > 0 {
        out.push(ComplianceRecommendation::TriageAlerts {
            open: all.alerts_open,
        });
    }
    if integrity.checks == 0 {
        out.push(ComplianceRecommendation::VerifyLog);
    }
    if integrity.checks_failed > 0 || integrity.tamper_signals > 0 {
        out.push(ComplianceRecommendation::InvestigateIntegrity {
            failed: integrity.checks_failed,
            signals: integrity.tamper_signals,
        });
    }
    if out.is_empty() {
        out.push(ComplianceRecommendation::NothingToReview);
    }
    out
}

/// The audit event's target for a compliance report.
pub fn target(report: &ComplianceReport) -> String {
    format!("compliance:{}..{}", report.from_day, report.to_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_whole_lima_days_at_most_a_year_read_in_parts() {
        let (from, to) = bounds("2026-01-01", "2026-12-31").expect("a year");
        assert_eq!(crate::types::time::format_lima(from), "2026-01-01 00:00");
        assert_eq!(crate::types::time::format_lima(to), "2027-01-01 00:00");
        let cut = parts(from, to);
        assert_eq!(cut.len(), 12);
        assert_eq!(cut.first().map(|p| p.0), Some(from));
        assert_eq!(cut.last().map(|p| p.1), Some(to));
        assert!(cut.windows(2).all(|w| w[0].1 == w[1].0));
        assert!(bounds("2026-01-01", "2026-01-01").is_ok(), "one day");
        assert!(bounds("2026-02-01", "2026-01-31").is_err(), "backwards");
        assert!(bounds("2025-01-01", "2026-12-31").is_err(), "too long");
        assert!(bounds("2026-13-01", "2026-12-31").is_err());
    }
}
