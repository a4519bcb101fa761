//! "Was this you?": the subject of an alert about their own sign-in or export answers it
//! from "Mi uso". "Yes" joins the alert's history; "No" raises the alert to HIGH and runs
//! the HIGH response (supervisor and security told, exports suspended) in the same
//! transaction. Only the subject may answer, once, while the alert is open; anyone else
//! finds no such alert (404).

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::alerts as repo;
use crate::server::service::alerts::listing;
use crate::server::service::alerts::respond::{self, About, HIGH_RESPONSE};
use crate::server::service::audit::{self, NewEvent};
use crate::types::alert::{
    AlertFacts, AlertItem, AlertKind, AlertSeverity, AlertState, OwnerAnswer,
};
use crate::types::audit::{AuditAction, Outcome, Severity};
use serde_json::json;

/// Records the caller's answer about alert `id` (`POST /api/alert_answer`).
pub async fn answer(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    id: i64,
    answer: &str,
) -> Result<AlertItem, AppError> {
    let answer = OwnerAnswer::from_code(answer.trim()).ok_or_else(|| {
        AppError::invalid(
            "answer",
            Notice::Text {
                code: "unknown_value".into(),
                message: "yes | no".into(),
            },
        )
    })?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let alert = repo::alert(&mut tx, id)
        .await?
        .filter(|a| a.subject_user_id == Some(caller.user_id))
        .ok_or(AppError::NotFound)?;
    let kind = AlertKind::from_code(&alert.kind)
        .filter(|k| k.asks_owner())
        .ok_or(AppError::NotFound)?;
    if alert.owner_answer.is_some() {
        return Err(AppError::Conflict(Notice::AlreadyAnswered));
    }
    if !AlertState::from_code(&alert.state).is_some_and(AlertState::is_open) {
        return Err(AppError::Conflict(Notice::AlertClosed));
    }
    let was = AlertSeverity::from_code(&alert.severity).ok_or(AppError::Internal)?;
    let severity = match answer {
        OwnerAnswer::Yes => was,
        OwnerAnswer::No => was.max(AlertSeverity::High),
    };
    if !repo::answer_alert(
        &mut tx,
        id,
        alert.version,
        answer.code(),
        severity.code(),
        now,
    )
    .await?
    {
        return Err(AppError::Conflict(Notice::AlreadyAnswered));
    }
    let event = NewEvent::new(AuditAction::AlertAnswered, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("alert", id)
        .meta(meta)
        .severity(match answer {
            OwnerAnswer::Yes => Severity::Low,
            OwnerAnswer::No => Severity::High,
        })
        .change(
            json!({ "severity": was.code(), "answer": null }),
            json!({ "severity": severity.code(), "answer": answer.code() }),
        )
        .details(json!({ "kind": kind.code(), "answer": answer.code() }));
    audit::append(&mut tx, now, event).await?;
    if answer == OwnerAnswer::No {
        let facts: AlertFacts = serde_json::from_str(&alert.params).unwrap_or_default();
        let about = About {
            alert_id: id,
            kind,
            severity,
            user_id: Some(caller.user_id),
            facts: &facts,
        };
        respond::perform(&mut tx, now, &HIGH_RESPONSE, &about).await?;
    }
    tx.commit().await?;
    let row = repo::alert(&mut *state.db.conn().await?, id)
        .await?
        .ok_or(AppError::NotFound)?;
    listing::item(row).ok_or(AppError::Internal)
}
