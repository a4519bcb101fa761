//! Alert triage (SPEC "Alert triage"): moving an alert through its states, assigning it
//! and commenting on it. Every change is checked against the alert's version (a stale
//! one is refused with who changed it and when, never overwritten) and is an audit event
//! about the alert in the same transaction — the alert's history is read back from those
//! events, so it is as tamper-evident as the log and there is no way to edit it.

use super::detail::HISTORY_LIMIT;
pub use super::detail::detail;
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::alerts::{self as repo, AlertRow};
use crate::server::service::audit::{self, NewEvent};
use crate::server::service::training::certificates;
use crate::types::alert::{
    ActionTaken, AlertDetail, AlertState, BulkOp, BulkReport, BulkSkip, BulkTarget,
};
use crate::types::audit::{AuditAction, Outcome, Severity};
use serde_json::json;
use sqlx::AnyConnection;

pub use crate::types::triage::MIN_NOTE_CHARS;
/// The longest note or comment.
pub const MAX_NOTE_CHARS: usize = 4000;
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
    // Resolved with "training assigned": the subject's certificate goes, and their limits
    // are halved until they pass the quiz again (SPEC "Training"), in this transaction.
    if to == AlertState::Resuelta
        && action_taken == Some(ActionTaken::TrainingAssigned)
        && let Some(user_id) = alert.subject_user_id
    {
        certificates::assign_training(&mut tx, now, admin, user_id, alert.id).await?;
    }
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
