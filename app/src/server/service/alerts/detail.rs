//! One alert as the alert page reads it (`POST /api/alert`): the alert, its history (the
//! audit events about it, and those about its subject's account that name it), the
//! timeline of its triggers and the subject's activity around them, the subject's account
//! and sessions, and who it may be assigned to.

use super::listing;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::alerts as repo;
use crate::server::repo::audit::AuditRow;
use crate::server::repo::users;
use crate::types::alert::{AlertDetail, HistoryEntry, OwnerAnswer, TimelineEvent};
use serde_json::Value;

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
        Some(user) => {
            crate::server::service::access::accounts::view(state, &mut conn, user).await?
        }
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
