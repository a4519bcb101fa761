//! The one-time, owner-only download of an export file.

use super::file::Format;
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::exports;
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome};
use serde_json::json;

/// The link of an export's file.
pub fn download_url(export_id: &str) -> String {
    format!("/exports/{export_id}/download")
}

/// A file ready to be sent.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// Hands the caller their export once, within 15 minutes; anyone else gets 404.
pub async fn download(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    export_id: &str,
) -> Result<Download, AppError> {
    let mut tx = state.db.begin_write().await?;
    let now = state.clock.now_ms();
    let export = exports::find_owned(&mut tx, export_id, caller.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if export.downloaded_at.is_some() {
        return Err(AppError::Refused(Notice::LinkUsed));
    }
    if now >= export.expires_at {
        return Err(AppError::Refused(Notice::LinkExpired));
    }
    let content = exports::take_file(&mut tx, export_id, now)
        .await?
        .ok_or(AppError::Refused(Notice::LinkUsed))?;
    let event = NewEvent::new(AuditAction::ExportDownloaded, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("export", export_id)
        .meta(meta)
        .details(json!({ "receipt": export.receipt, "sha256": export.sha256 }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    let format = Format::parse(&export.format).unwrap_or(Format::Csv);
    Ok(Download {
        file_name: format!("centinela-{}.{}", export.receipt, format.code()),
        content_type: format.content_type(),
        sha256: export.sha256,
        content,
    })
}
