//! The rules: what each one counts in one event's context. Every count is an index seek
//! over the rule's window, up to and including the event itself (so evaluating an event
//! later gives the same answer), and stops at twice the threshold.

use super::super::Finding;
use super::super::rules::{self, Rule};
use super::memo::{Memo, cap};
use crate::error::AppError;
use crate::server::repo::alerts as repo;
use crate::server::repo::audit::AuditRow;
use crate::types::alert::{AlertFacts, AlertKind, AlertSeverity};
use chrono::{Datelike, Timelike};
use sqlx::AnyConnection;

/// Roles whose 30-day total HIGH_EXPORT_JUNIOR watches.
const JUNIOR_ROLES: [&str; 2] = ["intern", "assistant"];
/// The rule's finding about the event's actor, at the rule's severity, with `count`.
fn counted(rule: &Rule, e: &AuditRow, count: i64) -> Finding {
    let facts = AlertFacts {
        count,
        ..AlertFacts::default()
    };
    about_actor(rule, e, rule.severity, facts)
}

/// A finding about the event's actor (or, without one, the name it gave).
fn about_actor(rule: &Rule, e: &AuditRow, severity: AlertSeverity, facts: AlertFacts) -> Finding {
    let subject_key = match (e.actor_id, &e.actor_username) {
        (Some(id), _) => format!("user:{id}"),
        (None, Some(name)) => format!("name:{name}"),
        (None, None) => "unknown".into(),
    };
    Finding {
        kind: rule.kind,
        severity,
        user_id: e.actor_id,
        ip: e.ip.clone(),
        subject_key,
        facts: AlertFacts {
            username: e.actor_username.clone(),
            ip: e.ip.clone(),
            threshold: rule.threshold,
            minutes: rule.window_secs / 60,
            ..facts
        },
        seq: e.seq,
        at: e.created_at,
    }
}

/// The first seq of the rule's window ending at `e`.
async fn window_start(
    conn: &mut AnyConnection,
    rule: &Rule,
    e: &AuditRow,
) -> Result<i64, AppError> {
    Ok(repo::first_seq_since(conn, e.created_at - rule.window_ms())
        .await?
        .min(e.seq))
}

/// BRUTE_FORCE: `threshold` failed sign-ins for one account within the window.
pub(super) async fn brute_force(
    conn: &mut AnyConnection,
    rules: &[Rule],
    e: &AuditRow,
) -> Result<Option<Finding>, AppError> {
    let (Some(rule), Some(name)) = (
        rules::enabled(rules, AlertKind::BruteForce),
        &e.actor_username,
    ) else {
        return Ok(None);
    };
    let from = window_start(conn, rule, e).await?;
    let count =
        repo::count_action_for_username(conn, "sign_in_failed", name, from, e.seq, cap(rule))
            .await?;
    Ok((count >= rule.threshold).then(|| counted(rule, e, count)))
}

/// CREDENTIAL_STUFFING: one address failing against `threshold` distinct accounts within
/// the window. The alert is about the address.
pub(super) async fn credential_stuffing(
    conn: &mut AnyConnection,
    rules: &[Rule],
    e: &AuditRow,
) -> Result<Option<Finding>, AppError> {
    let (Some(rule), Some(ip)) = (rules::enabled(rules, AlertKind::CredentialStuffing), &e.ip)
    else {
        return Ok(None);
    };
    let from = window_start(conn, rule, e).await?;
    let accounts =
        repo::distinct_usernames_from_ip(conn, "sign_in_failed", ip, from, e.seq).await?;
    Ok((accounts >= rule.threshold).then(|| Finding {
        kind: rule.kind,
        severity: rule.severity,
        user_id: None,
        ip: Some(ip.clone()),
        subject_key: format!("ip:{ip}"),
        facts: AlertFacts {
            count: accounts,
            threshold: rule.threshold,
            minutes: rule.window_secs / 60,
            ip: Some(ip.clone()),
            username: None,
        },
        seq: e.seq,
        at: e.created_at,
    }))
}

/// UNUSUAL_LOCATION: a sign-in from an address never seen for this user within the window
/// (90 days), when the user has signed in before in it.
pub(super) async fn unusual_location(
    conn: &mut AnyConnection,
    rules: &[Rule],
    e: &AuditRow,
) -> Result<Option<Finding>, AppError> {
    let (Some(rule), Some(user), Some(ip)) = (
        rules::enabled(rules, AlertKind::UnusualLocation),
        e.actor_id,
        &e.ip,
    ) else {
        return Ok(None);
    };
    let from = window_start(conn, rule, e).await?;
    let before = e.seq - 1;
    let earlier = repo::count_sign_ins(conn, user, None, from, before).await?;
    if earlier < rule.threshold {
        return Ok(None);
    }
    let from_here = repo::count_sign_ins(conn, user, Some(ip), from, before).await?;
    Ok((from_here == 0).then(|| counted(rule, e, earlier)))
}

/// CONCURRENT_SESSION: the user has open sessions from `threshold` or more addresses.
pub(super) async fn concurrent_session(
    conn: &mut AnyConnection,
    rules: &[Rule],
    e: &AuditRow,
) -> Result<Option<Finding>, AppError> {
    let (Some(rule), Some(user)) = (
        rules::enabled(rules, AlertKind::ConcurrentSession),
        e.actor_id,
    ) else {
        return Ok(None);
    };
    let addresses = repo::open_session_ips(conn, user).await?;
    Ok((addresses >= rule.threshold).then(|| counted(rule, e, addresses)))
}

/// How many contacts an `export_allowed` event exported.
pub(super) fn exported_count(e: &AuditRow) -> i64 {
    e.details_json
        .as_deref()
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .and_then(|d| d["count"].as_i64())
        .unwrap_or(0)
}

/// OFF_HOURS_ACCESS: a sign-in or export outside working hours in Lima (before
/// `from_hour`, from `to_hour` on, or on a weekend). An export of more than `threshold`
/// contacts is one level more severe (seed 000).
pub(super) fn off_hours(rules: &[Rule], e: &AuditRow, exported: i64) -> Option<Finding> {
    let rule = rules::enabled(rules, AlertKind::OffHoursAccess)?;
    let at = chrono::DateTime::from_timestamp_millis(e.created_at)?
        .with_timezone(&chrono_tz::America::Lima);
    let (from, to) = (
        rule.params.from_hour.unwrap_or(7),
        rule.params.to_hour.unwrap_or(19),
    );
    let weekend = rule.params.weekends.unwrap_or(true)
        && matches!(at.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
    if !(weekend || at.hour() < from || at.hour() >= to) {
        return None;
    }
    let severity = if exported > rule.threshold {
        rule.severity.max(AlertSeverity::High)
    } else {
        rule.severity
    };
    Some(about_actor(
        rule,
        e,
        severity,
        AlertFacts {
            count: exported,
            ..AlertFacts::default()
        },
    ))
}

/// MASS_EXPORT: `threshold` exports within the window, or one export of more than
/// `single_export` contacts (CRITICAL over `critical_export`).
pub(super) async fn mass_export(
    conn: &mut AnyConnection,
    memo: &Memo,
    rules: &[Rule],
    e: &AuditRow,
) -> Result<Option<Finding>, AppError> {
    let (Some(rule), Some(user)) = (rules::enabled(rules, AlertKind::MassExport), e.actor_id)
    else {
        return Ok(None);
    };
    let size = exported_count(e);
    let exports = match memo.known(rule, e, &["export_allowed"]) {
        Some(count) => count,
        None => {
            repo::count_exports_between(
                conn,
                user,
                e.created_at - rule.window_ms(),
                e.created_at,
                cap(rule),
            )
            .await?
        }
    };
    let single = rule.params.single_export.unwrap_or(1_000);
    let critical = rule.params.critical_export.unwrap_or(5_000);
    if exports < rule.threshold && size <= single {
        return Ok(None);
    }
    let severity = if size > critical {
        AlertSeverity::Critical
    } else {
        rule.severity
    };
    Ok(Some(about_actor(
        rule,
        e,
        severity,
        AlertFacts {
            count: if size > single { size } else { exports },
            ..AlertFacts::default()
        },
    )))
}

/// HIGH_EXPORT_JUNIOR: an intern or assistant past `threshold` contacts within the window
/// (30 days).
pub(super) async fn high_export_junior(
    conn: &mut AnyConnection,
    memo: &mut Memo,
    rules: &[Rule],
    e: &AuditRow,
) -> Result<Option<Finding>, AppError> {
    let (Some(rule), Some(user)) = (
        rules::enabled(rules, AlertKind::HighExportJunior),
        e.actor_id,
    ) else {
        return Ok(None);
    };
    let Some(role) = memo.role(conn, user).await? else {
        return Ok(None);
    };
    if !JUNIOR_ROLES.contains(&role.as_str()) {
        return Ok(None);
    }
    let (_, contacts) =
        repo::exports_between(conn, user, e.created_at - rule.window_ms(), e.created_at).await?;
    Ok((contacts > rule.threshold).then(|| counted(rule, e, contacts)))
}

/// PERMISSION_CHANGE, DENIED_BURST, UNUSUAL_ACTIVITY: `threshold` events (of `actions`, or
/// any) by one actor within the window.
pub(super) async fn by_actor(
    conn: &mut AnyConnection,
    memo: &Memo,
    rules: &[Rule],
    e: &AuditRow,
    kind: AlertKind,
    actions: &[&str],
) -> Result<Option<Finding>, AppError> {
    let (Some(rule), Some(actor)) = (rules::enabled(rules, kind), e.actor_id) else {
        return Ok(None);
    };
    let count = match memo.known(rule, e, actions) {
        Some(count) => count,
        None => {
            let from = window_start(conn, rule, e).await?;
            repo::count_for_actor(conn, actor, actions, from, e.seq, cap(rule)).await?
        }
    };
    Ok((count >= rule.threshold).then(|| counted(rule, e, count)))
}
