//! Alert triage (SPEC "Alert triage"): moving an alert through its states, assigning it
//! and commenting on it. Every change is checked against the alert's version (a stale
//! one is refused with who changed it and when, never overwritten) and is an audit event
//! about the alert in the same transaction — the alert's history is read back from those
//! events, so it is as tamper-evident as the log and there is no way to edit it.

use super::listing;
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::alerts::{self as repo, AlertRow};
use crate::server::repo::audit::AuditRow;
use crate::server::repo::{sessions, users};
use crate::server::service::access::user_agent;
use crate::server::service::audit::{self, NewEvent};
use crate::types::alert::{
    ActionTaken, AlertDetail, AlertState, BulkOp, BulkReport, BulkSkip, BulkTarget, HistoryEntry,
    OwnerAnswer, SubjectSession, SubjectView, TimelineEvent,
};
use crate::types::audit::{AuditAction, Outcome, Severity};
use serde_json::{Value, json};
use sqlx::AnyConnection;

pub use crate::types::triage::MIN_NOTE_CHARS;
/// The longest note or comment.
pub const MAX_NOTE_CHARS: usize = 4000;
/// How much history and surrounding activity the alert page shows.
const HISTORY_LIMIT: i64 = 500;
const AROUND: i64 = 200;
/// The most alerts one bulk action takes (a page of the list).
pub const MAX_BULK: usize = 200;

/// What an administrator asks of one alert.
#[derive(Debug, Clone)]
pub struct Transition {
    pub id: i64,
    pub to: String,
    pub note: Option<String>,
    pub action_taken: Option<String>,
    pub version: i64,
}

fn text(note: Option<&str>) -> Result<Option<String>, AppError> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    match note {
        Some(n) if n.chars().count() > MAX_NOTE_CHARS => Err(AppError::invalid(
            "note",
            Notice::TooLong {
                max: MAX_NOTE_CHARS,
            },
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

fn required_note(note: Option<String>) -> Result<String, AppError> {
    note.filter(|n| n.chars().count() >= MIN_NOTE_CHARS)
        .ok_or_else(|| {
            AppError::invalid(
                "note",
                Notice::NoteRequired {
                    min: MIN_NOTE_CHARS,
                },
            )
        })
}

/// The alert as this transaction sees it, or 404 (the write that follows checks its version).
async fn current(tx: &mut AnyConnection, id: i64) -> Result<AlertRow, AppError> {
    repo::alert(tx, id).await?.ok_or(AppError::NotFound)
}

/// 409 naming who changed the alert last, and when.
async fn stale(tx: &mut AnyConnection, id: i64) -> AppError {
    let last = repo::events_about(tx, "alert", &id.to_string(), HISTORY_LIMIT)
        .await
        .ok()
        .and_then(|events| events.into_iter().last());
    AppError::Conflict(Notice::AlertChanged {
        by: last
            .as_ref()
            .and_then(|e| e.actor_username.clone())
            .unwrap_or_else(|| "centinela".into()),
        at: last.map_or(0, |e| e.created_at),
    })
}

/// Moves one alert (`POST /api/alert_transition`).
pub async fn transition(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    t: Transition,
) -> Result<AlertDetail, AppError> {
    let checked = Checked::of(&t)?;
    move_one(state, admin, meta, t.id, t.version, &checked).await?;
    detail(state, t.id).await
}

/// A transition's input, checked once (a bulk action checks it once for all its alerts).
struct Checked {
    to: AlertState,
    note: Option<String>,
    action_taken: Option<ActionTaken>,
}

impl Checked {
    fn of(t: &Transition) -> Result<Self, AppError> {
        let to = AlertState::from_code(t.to.trim()).ok_or_else(|| {
            AppError::invalid(
                "to",
                Notice::Text {
                    code: "unknown_value".into(),
                    message: "NUEVA | EN_REVISION | RESUELTA | FALSO_POSITIVO".into(),
                },
            )
        })?;
        let note = text(t.note.as_deref())?;
        let action_taken =
            match t
                .action_taken
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                None => None,
                Some(code) => Some(ActionTaken::from_code(code).ok_or_else(|| {
                    AppError::invalid("action_taken", Notice::ActionTakenRequired)
                })?),
            };
        // Closing always needs a note and an action; checked before any alert is read, so a
        // bulk close with a short note changes nothing.
        if !to.is_open() {
            required_note(note.clone())?;
            if action_taken.is_none() {
                return Err(AppError::invalid(
                    "action_taken",
                    Notice::ActionTakenRequired,
                ));
            }
        }
        Ok(Self {
            to,
            note,
            action_taken,
        })
    }
}

/// Moves one alert at `version`, in its own transaction.
async fn move_one(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    id: i64,
    version: i64,
    checked: &Checked,
) -> Result<(), AppError> {
    let (to, note, action_taken) = (checked.to, checked.note.clone(), checked.action_taken);
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let alert = current(&mut tx, id).await?;
    let from = AlertState::from_code(&alert.state).ok_or(AppError::Internal)?;
    if alert.version != version {
        return Err(stale(&mut tx, id).await);
    }
    if !from.may_move_to(to) {
        return Err(AppError::Conflict(Notice::TransitionNotAllowed {
            from: from.code().into(),
            to: to.code().into(),
        }));
    }
    let closing = !to.is_open();
    let reopening = !from.is_open() && to.is_open();
    let note = if closing || reopening {
        Some(required_note(note)?)
    } else {
        note
    };
    if closing && action_taken.is_none() {
        return Err(AppError::invalid(
            "action_taken",
            Notice::ActionTakenRequired,
        ));
    }
    if reopening
        && let Some(other) =
            repo::other_open(&mut tx, alert.id, &alert.kind, &alert.subject_key).await?
    {
        return Err(AppError::Conflict(Notice::AnotherOpenAlert { id: other }));
    }
    let closed_at = closing.then_some(now);
    if !repo::move_alert(&mut tx, alert.id, version, to.code(), closed_at).await? {
        return Err(stale(&mut tx, id).await);
    }
    let event = NewEvent::new(AuditAction::AlertStateChanged, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("alert", alert.id)
        .meta(meta)
        .severity(Severity::Medium)
        .change(
            json!({ "state": from.code() }),
            json!({ "state": to.code() }),
        )
        .details(json!({
            "kind": alert.kind,
            "note": note,
            "action_taken": action_taken.map(ActionTaken::code),
        }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}

/// A bulk action (`POST /api/alert_bulk`): each selected alert is changed at the version
/// the administrator saw, in its own transaction; one that changed since, or that the
/// state machine does not allow, is skipped and reported, and the others still apply.
pub async fn bulk(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    op: &str,
    targets: &[BulkTarget],
    note: Option<String>,
    action_taken: Option<String>,
) -> Result<BulkReport, AppError> {
    let op = BulkOp::from_code(op.trim()).ok_or_else(|| {
        AppError::invalid(
            "op",
            Notice::Text {
                code: "unknown_value".into(),
                message: "assign_me | review | resolve | false_positive".into(),
            },
        )
    })?;
    if targets.is_empty() || targets.len() > MAX_BULK {
        return Err(AppError::invalid(
            "items",
            Notice::OutOfRange {
                min: 1,
                max: MAX_BULK as i64,
            },
        ));
    }
    let checked = match op.target() {
        Some(to) => Some(Checked::of(&Transition {
            id: 0,
            to: to.code().into(),
            note,
            action_taken,
            version: 0,
        })?),
        None => None,
    };
    let mut report = BulkReport::default();
    for target in targets {
        let done = match &checked {
            Some(checked) => move_one(state, admin, meta, target.id, target.version, checked).await,
            None => assign_one(state, admin, meta, target.id, None, target.version).await,
        };
        match done {
            Ok(()) => report.applied.push(target.id),
            Err(AppError::Conflict(notice) | AppError::Invalid { notice, .. }) => {
                report.skipped.push(BulkSkip {
                    id: target.id,
                    notice,
                })
            }
            Err(AppError::NotFound) => report.skipped.push(BulkSkip {
                id: target.id,
                notice: Notice::Text {
                    code: "not_found".into(),
                    message: format!("#{}", target.id),
                },
            }),
            Err(other) => return Err(other),
        }
    }
    Ok(report)
}

/// Assigns one alert to an active security administrator (`None`: the caller).
pub async fn assign(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    id: i64,
    assignee: Option<&str>,
    version: i64,
) -> Result<AlertDetail, AppError> {
    assign_one(state, admin, meta, id, assignee, version).await?;
    detail(state, id).await
}

async fn assign_one(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    id: i64,
    assignee: Option<&str>,
    version: i64,
) -> Result<(), AppError> {
    let assignee = assignee
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| admin.username.clone());
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let alert = current(&mut tx, id).await?;
    let Some(assignee_id) = repo::active_admin_id(&mut tx, &assignee).await? else {
        return Err(AppError::invalid(
            "assignee",
            Notice::NotAnAdministrator { username: assignee },
        ));
    };
    if alert.version != version || !repo::assign_alert(&mut tx, id, version, assignee_id).await? {
        return Err(stale(&mut tx, id).await);
    }
    let event = NewEvent::new(AuditAction::AlertAssigned, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("alert", id)
        .meta(meta)
        .change(
            json!({ "assignee": alert.assignee }),
            json!({ "assignee": assignee }),
        )
        .details(json!({ "kind": alert.kind }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a comment to one alert, at any time and in any state.
pub async fn comment(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    id: i64,
    note: &str,
) -> Result<AlertDetail, AppError> {
    let note = text(Some(note))?
        .ok_or_else(|| AppError::invalid("note", Notice::NoteRequired { min: 1 }))?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let alert = current(&mut tx, id).await?;
    repo::count_comment(&mut tx, id).await?;
    let event = NewEvent::new(AuditAction::AlertCommented, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("alert", id)
        .meta(meta)
        .details(json!({ "kind": alert.kind, "note": note }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    detail(state, id).await
}

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
