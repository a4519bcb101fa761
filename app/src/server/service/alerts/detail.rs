//! One alert as the alert page reads it (`POST /api/alert`): the alert, its history (the
//! audit events about it, and those about its subject's account that name it), the
//! timeline of its triggers and the subject's activity around them, the subject's account
//! and sessions, and who it may be assigned to.

use super::listing;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::alerts as repo;
use crate::server::repo::audit::AuditRow;
use crate::server::repo::{sessions, users};
use crate::server::service::access::user_agent;
use crate::types::alert::{
    AlertDetail, HistoryEntry, OwnerAnswer, SubjectSession, SubjectView, TimelineEvent,
};
use serde_json::Value;
use sqlx::AnyConnection;

/// How much history and surrounding activity the alert page shows.
pub(super) const HISTORY_LIMIT: i64 = 500;
const AROUND: i64 = 200;

/// One alert with its history and timeline (`POST /api/alert`).
pub async fn detail(state: &AppState, id: i64) -> Result<AlertDetail, AppError> {
    let mut conn = state.db.conn().await?;
    let row = repo::alert(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut history: Vec<HistoryEntry> =
        repo::events_about(&mut conn, "alert", &id.to_string(), HISTORY_LIMIT)
            .await?
            .into_iter()
            .map(history_entry)
            .collect();
    // What was done to the subject's account because of this alert (automatic responses,
    // and the administrators' actions from the alert page) names the alert.
    if let Some(user) = row.subject_user_id {
        for e in repo::events_about(&mut conn, "user", &user.to_string(), HISTORY_LIMIT).await? {
            let about_this = e
                .details_json
                .as_deref()
                .and_then(|d| serde_json::from_str::<Value>(d).ok())
                .is_some_and(|d| d["alert_id"].as_i64() == Some(id));
            if about_this {
                history.push(history_entry(e));
            }
        }
        history.sort_by_key(|h| h.seq);
    }
    let subject = match row.subject_user_id {
        Some(user) => subject(state, &mut conn, user).await?,
        None => None,
    };
    let administrators = users::admin_usernames(&mut conn).await?;
    let triggers: Vec<i64> = serde_json::from_str(&row.trigger_seqs).unwrap_or_default();
    let mut events: Vec<TimelineEvent> = repo::events_at(&mut conn, &triggers)
        .await?
        .into_iter()
        .map(|e| timeline(e, true))
        .collect();
    // The subject's own activity around the alert: from a little before its first
    // trigger to its last.
    if let (Some(user), Some(first), Some(last)) =
        (row.subject_user_id, triggers.first(), triggers.last())
    {
        for e in repo::actor_events_between(&mut conn, user, first - AROUND, *last, AROUND).await? {
            if !events.iter().any(|t| t.seq == e.seq) {
                events.push(timeline(e, false));
            }
        }
    }
    events.sort_by_key(|e| e.seq);
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    Ok(AlertDetail {
        closed_at: row.closed_at,
        details: parse(&row.details),
        snapshot: row.snapshot.as_deref().map(parse),
        history,
        events,
        subject,
        administrators,
        alert: listing::item(row).ok_or(AppError::Internal)?,
    })
}

/// The alert's subject as the alert page acts on them: status, suspension, open sessions.
async fn subject(
    state: &AppState,
    conn: &mut AnyConnection,
    user: i64,
) -> Result<Option<SubjectView>, AppError> {
    let Some(account) = users::account_by_id(conn, user).await? else {
        return Ok(None);
    };
    let bad = |e: crate::types::org::UnknownCode| {
        tracing::error!(error = %e, "stored organisation code");
        AppError::Internal
    };
    let idle = i64::try_from(state.sessions.idle_timeout.as_millis()).unwrap_or(i64::MAX);
    let now = state.clock.now_ms();
    let sessions = sessions::open_for_user(conn, user, now - idle)
        .await?
        .into_iter()
        .map(|s| {
            let ua = user_agent::parse(&s.user_agent);
            SubjectSession {
                started_at: s.created_at,
                last_seen_at: s.last_seen_at,
                ip: s.ip,
                browser: ua.browser,
                os: ua.os,
                device: ua.device,
            }
        })
        .collect();
    Ok(Some(SubjectView {
        username: account.username,
        full_name: account.full_name,
        department: account.department.parse().map_err(bad)?,
        role: account.role.parse().map_err(bad)?,
        status: account.status.parse().map_err(bad)?,
        blocked_reason: account.blocked_reason,
        exports_suspended_at: account.exports_suspended_at,
        sessions,
    }))
}

fn timeline(e: AuditRow, trigger: bool) -> TimelineEvent {
    TimelineEvent {
        seq: e.seq,
        at: e.created_at,
        actor: e.actor_username,
        action: e.action,
        outcome: e.outcome,
        ip: e.ip,
        trigger,
    }
}

fn history_entry(e: AuditRow) -> HistoryEntry {
    let parse = |text: Option<&str>| {
        text.and_then(|t| serde_json::from_str::<Value>(t).ok())
            .unwrap_or(Value::Null)
    };
    let (before, after, details) = (
        parse(e.before_json.as_deref()),
        parse(e.after_json.as_deref()),
        parse(e.details_json.as_deref()),
    );
    let field = |v: &Value, key: &str| v[key].as_str().map(str::to_owned);
    HistoryEntry {
        seq: e.seq,
        at: e.created_at,
        who: e.actor_username,
        from: field(&before, "state"),
        to: field(&after, "state"),
        // A comment's or a transition's note; the reason of an action on the account.
        note: field(&details, "note").or_else(|| field(&details, "reason")),
        action_taken: field(&details, "action_taken"),
        assignee: field(&after, "assignee"),
        answer: field(&details, "answer")
            .as_deref()
            .and_then(OwnerAnswer::from_code),
        severity_from: field(&before, "severity"),
        severity_to: field(&after, "severity"),
        action: e.action,
    }
}
