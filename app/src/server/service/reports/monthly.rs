//! The monthly audit report (seed 000 section 3) for a Lima calendar month: exports per
//! user (count, contacts, average, largest) with department and role; anomalies — a junior
//! (intern or assistant) over 500 contacts in the month, a single export over 1,000, more
//! than 10 exports by one person in one day, exports outside working hours (before 07:00,
//! from 19:00, weekends; Lima); every Contabilidad export; the month's export requests by
//! outcome; its alerts by kind and state; and recommendations derived from those figures.
//! The audit log's head at computation time ties the report to the log.

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::audit as audit_repo;
use crate::server::repo::reports::{self as repo, ExportFact};
use crate::types::field::parse_field_list;
use crate::types::report::{
    AlertTally, Anomaly, AnomalyKind, ApprovalTally, ExportLine, MonthlyReport, Recommendation,
    UserExports,
};
use chrono::{Datelike, NaiveDate};

pub use super::days::draw;
use std::collections::BTreeMap;

/// Juniors over this many contacts in a month are flagged.
pub const JUNIOR_MONTH_CONTACTS: i64 = 500;
/// A single export over this many contacts is flagged.
pub const MASSIVE_EXPORT: i64 = 1_000;
/// More than this many exports by one person in one day are flagged.
pub const BUSY_DAY_EXPORTS: i64 = 10;
/// Working hours in Lima: from 07:00 to 19:00, Monday to Friday.
pub const WORK_STARTS: i64 = 7;
pub const WORK_ENDS: i64 = 19;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Lima keeps UTC-5 all year.
const LIMA_OFFSET_MS: i64 = -5 * HOUR_MS;

/// The bounds of `month` (`YYYY-MM`): its first midnight in Lima and the next month's.
pub fn bounds(month: &str) -> Result<(i64, i64), AppError> {
    let bad = || AppError::validation("month", Notice::DateFormat);
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d")
        .map_err(|_| bad())?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(bad)?;
    let midnight = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis() - LIMA_OFFSET_MS)
            .ok_or_else(bad)
    };
    Ok((midnight(first)?, midnight(next)?))
}

/// The Lima date of `t`, and whether it falls outside working hours.
fn lima_day_and_after_hours(t: i64) -> (String, bool) {
    let local = t + LIMA_OFFSET_MS;
    let hour = local.rem_euclid(DAY_MS) / HOUR_MS;
    // 1970-01-01 was a Thursday: day 0 is Thursday, so day % 7 == 2 is Saturday, 3 Sunday.
    let weekday = local.div_euclid(DAY_MS).rem_euclid(7);
    let weekend = matches!(weekday, 2 | 3);
    (
        crate::types::time::format_lima_date(t),
        weekend || !(WORK_STARTS..WORK_ENDS).contains(&hour),
    )
}

fn is_junior(role: &str) -> bool {
    matches!(role, "intern" | "assistant")
}

/// The figures of `month`.
pub async fn compute(state: &AppState, month: &str) -> Result<MonthlyReport, AppError> {
    let (from, to) = bounds(month)?;
    let mut conn = state.db.conn().await?;
    let (head_seq, head_hash) = audit_repo::current_head(&mut conn).await?;
    let exports = repo::exports_between(&mut conn, from, to).await?;
    let requests = repo::requests_by_status(&mut conn, from, to).await?;
    let alerts = repo::alerts_by_kind_and_state(&mut conn, from, to).await?;
    let raised = repo::alerts_raised_between(&mut conn, from, to).await?;
    drop(conn);
    let (days, alert_days, alert_hours) = super::days::daily(from, to, &exports, &raised);

    let users = per_user(&exports);
    let anomalies = anomalies(&exports, &users);
    let accounting: Vec<ExportLine> = exports
        .iter()
        .filter(|e| e.department == "contabilidad")
        .map(|e| ExportLine {
            receipt: e.receipt.clone(),
            username: e.username.clone(),
            at: e.created_at,
            count: e.count,
            fields: parse_field_list(&e.fields).unwrap_or_default(),
            request_id: e.request_id,
        })
        .collect();
    let mut approvals = ApprovalTally::default();
    for (status, n) in requests {
        match status.as_str() {
            "pending" => approvals.pending += n,
            "approved" => approvals.approved += n,
            "rejected" => approvals.rejected += n,
            "expired" => approvals.expired += n,
            _ => approvals.cancelled += n,
        }
    }
    let alerts: Vec<AlertTally> = alerts
        .into_iter()
        .map(|(kind, state, count)| AlertTally { kind, state, count })
        .collect();
    let recommendations = recommend(&anomalies, &accounting, &approvals, &alerts);
    Ok(MonthlyReport {
        month: month.trim().to_owned(),
        from,
        to,
        generated_at: state.clock.now_ms(),
        head_seq,
        head_hash,
        users,
        anomalies,
        accounting,
        approvals,
        alerts,
        recommendations,
        days,
        alert_days,
        alert_hours,
        charts: Vec::new(),
    })
}

/// Records that `report` was generated, in `format`.
pub async fn record_generated(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    report: &MonthlyReport,
    format: &str,
) -> Result<(), AppError> {
    super::record_generated(
        state,
        admin,
        meta,
        &format!("monthly:{}", report.month),
        (report.head_seq, &report.head_hash),
        format,
    )
    .await
}

fn per_user(exports: &[ExportFact]) -> Vec<UserExports> {
    let mut by_user: BTreeMap<&str, UserExports> = BTreeMap::new();
    for e in exports {
        let line = by_user.entry(&e.username).or_insert_with(|| UserExports {
            username: e.username.clone(),
            full_name: e.full_name.clone(),
            department: e.department.clone(),
            role: e.role.clone(),
            exports: 0,
            contacts: 0,
            average: 0,
            largest: 0,
        });
        line.exports += 1;
        line.contacts += e.count;
        line.largest = line.largest.max(e.count);
    }
    let mut users: Vec<UserExports> = by_user
        .into_values()
        .map(|mut u| {
            u.average = u.contacts / u.exports.max(1);
            u
        })
        .collect();
    users.sort_by(|a, b| {
        b.contacts
            .cmp(&a.contacts)
            .then(a.username.cmp(&b.username))
    });
    users
}

fn anomalies(exports: &[ExportFact], users: &[UserExports]) -> Vec<Anomaly> {
    let mut found = Vec::new();
    for u in users {
        if is_junior(&u.role) && u.contacts > JUNIOR_MONTH_CONTACTS {
            found.push(Anomaly {
                kind: AnomalyKind::HighExportJunior,
                username: u.username.clone(),
                day: String::new(),
                value: u.contacts,
                receipt: None,
            });
        }
    }
    let mut per_day: BTreeMap<(String, String), i64> = BTreeMap::new();
    for e in exports {
        let (day, after_hours) = lima_day_and_after_hours(e.created_at);
        if e.count > MASSIVE_EXPORT {
            found.push(Anomaly {
                kind: AnomalyKind::MassiveSingleExport,
                username: e.username.clone(),
                day: day.clone(),
                value: e.count,
                receipt: Some(e.receipt.clone()),
            });
        }
        if after_hours {
            found.push(Anomaly {
                kind: AnomalyKind::AfterHours,
                username: e.username.clone(),
                day: day.clone(),
                value: e.count,
                receipt: Some(e.receipt.clone()),
            });
        }
        *per_day.entry((e.username.clone(), day)).or_default() += 1;
    }
    for ((username, day), n) in per_day {
        if n > BUSY_DAY_EXPORTS {
            found.push(Anomaly {
                kind: AnomalyKind::BusyDay,
                username,
                day,
                value: n,
                receipt: None,
            });
        }
    }
    found
}

fn recommend(
    anomalies: &[Anomaly],
    accounting: &[ExportLine],
    approvals: &ApprovalTally,
    alerts: &[AlertTally],
) -> Vec<Recommendation> {
    let count = |kind: AnomalyKind| {
        i64::try_from(anomalies.iter().filter(|a| a.kind == kind).count()).unwrap_or(i64::MAX)
    };
    let mut out = Vec::new();
    let juniors: Vec<String> = anomalies
        .iter()
        .filter(|a| a.kind == AnomalyKind::HighExportJunior)
        .map(|a| a.username.clone())
        .collect();
    if !juniors.is_empty() {
        out.push(Recommendation::ReviewJuniors { users: juniors });
    }
    for (kind, make) in [
        (
            AnomalyKind::MassiveSingleExport,
            (|count| Recommendation::ReviewMassiveExports { count }) as fn(i64) -> Recommendation,
        ),
        (AnomalyKind::BusyDay, |count| {
            Recommendation::ReviewBusyDays { count }
        }),
        (AnomalyKind::AfterHours, |count| {
            Recommendation::ReviewAfterHours { count }
        }),
    ] {
        let n = count(kind);
        if n > 0 {
            out.push(make(n));
        }
    }
    if !accounting.is_empty() {
        out.push(Recommendation::ReviewAccounting {
            count: i64::try_from(accounting.len()).unwrap_or(i64::MAX),
        });
    }
    if approvals.rejected > approvals.approved {
        out.push(Recommendation::ReviewRejections {
            rejected: approvals.rejected,
            approved: approvals.approved,
        });
    }
    let open: i64 = alerts
        .iter()
        .filter(|a| matches!(a.state.as_str(), "NUEVA" | "EN_REVISION"))
        .map(|a| a.count)
        .sum();
    if open > 0 {
        out.push(Recommendation::TriageAlerts { open });
    }
    if out.is_empty() {
        out.push(Recommendation::NothingToReview);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_from_lima_midnight_to_the_next_month() {
        let (from, to) = bounds("2026-11").expect("month");
        // 2026-11-01 00:00 in Lima is 05:00 UTC.
        assert_eq!(crate::types::time::format_lima(from), "2026-11-01 00:00");
        assert_eq!(crate::types::time::format_lima(to), "2026-12-01 00:00");
        let (_, next_year) = bounds("2026-12").expect("december");
        assert_eq!(
            crate::types::time::format_lima(next_year),
            "2027-01-01 00:00"
        );
        assert!(bounds("2026-13").is_err() && bounds("noviembre").is_err());
    }

    #[test]
    fn working_hours_are_seven_to_nineteen_on_weekdays_in_lima() {
        let (from, _) = bounds("2026-11").expect("month");
        // 2026-11-02 is a Monday.
        let monday = from + DAY_MS;
        assert!(lima_day_and_after_hours(monday + 7 * HOUR_MS - 1).1);
        assert!(!lima_day_and_after_hours(monday + 7 * HOUR_MS).1);
        assert!(!lima_day_and_after_hours(monday + 19 * HOUR_MS - 1).1);
        assert!(lima_day_and_after_hours(monday + 19 * HOUR_MS).1);
        // Saturday 2026-11-07 at noon.
        assert!(lima_day_and_after_hours(monday + 5 * DAY_MS + 12 * HOUR_MS).1);
        assert_eq!(lima_day_and_after_hours(monday).0, "2026-11-02");
    }
}
