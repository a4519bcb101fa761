//! The mail outbox as administrators see it: whether mail can go out at all, and what
//! each of the latest messages is about and whether it reached the SMTP server. The SMTP
//! error text stays in the database and the server log.

use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::mail;
use crate::types::alert::{AlertKind, AlertNote, AlertSeverity, Outbox, OutboxItem};

/// How many messages the page lists.
const LISTED: i64 = 50;

pub async fn recent(state: &AppState) -> Result<Outbox, AppError> {
    let rows = mail::recent(&mut *state.db.conn().await?, LISTED).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let note: AlertNote = serde_json::from_str(&row.params).unwrap_or_default();
            OutboxItem {
                id: row.id,
                to_address: row.to_address,
                kind: note.kind.as_deref().and_then(AlertKind::from_code),
                severity: note.severity.as_deref().and_then(AlertSeverity::from_code),
                status: row.status,
                attempts: row.attempts,
                created_at: row.created_at,
                sent_at: row.sent_at,
            }
        })
        .collect();
    Ok(Outbox {
        configured: state.mail.is_some(),
        items,
    })
}
