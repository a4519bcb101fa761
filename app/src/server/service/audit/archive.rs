//! Retention: events older than N days move into a compressed segment file, together with
//! a signed checkpoint of the segment's last event, and leave the database. The segment
//! keeps the chain verifiable: verification reads the segments, then the database.

use super::checkpoint::{self, Reason};
use super::files::write_segment;
use super::{self as audit, NewEvent};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::audit::{self as repo, ArchiveRow};
use crate::types::audit::{AuditAction, Outcome};
use serde_json::json;
use std::path::Path;

const DAY_MS: i64 = 86_400_000;

/// Archives events older than `days` into `dir`; returns the new segment, if any.
pub async fn archive_older_than(
    state: &AppState,
    days: i64,
    dir: &Path,
) -> Result<Option<ArchiveRow>, AppError> {
    let now = state.clock.now_ms();
    let mut conn = state.db.conn().await?;
    let Some(last) = repo::last_seq_before(&mut conn, now - days * DAY_MS).await? else {
        return Ok(None);
    };
    let (Some(first), _, _) = repo::span(&mut conn).await? else {
        return Ok(None);
    };
    let rows = repo::range(&mut conn, first, last).await?;
    drop(conn);
    let Some(last_row) = rows.last() else {
        return Ok(None);
    };
    let checkpoint = checkpoint::write_at(state, last, &last_row.hash, Reason::Archive).await?;
    std::fs::create_dir_all(dir).map_err(|e| {
        tracing::error!(error = %e, "creating the archive folder");
        AppError::Internal
    })?;
    let file_name = format!("segment-{first:012}-{last:012}.jsonl.gz");
    let sha256 = write_segment(
        &dir.join(&file_name),
        &state.signer.public_key_hex(),
        now,
        &checkpoint,
        &rows,
    )?;
    let record = ArchiveRow {
        file_name,
        first_seq: first,
        last_seq: last,
        last_hash: last_row.hash.clone(),
        sha256,
        event_count: i64::try_from(rows.len()).unwrap_or(i64::MAX),
        created_at: now,
    };
    let mut tx = state.db.begin_write().await?;
    repo::insert_archive(&mut tx, &record).await?;
    repo::delete_through(&mut tx, last).await?;
    let event = NewEvent::new(AuditAction::AuditArchived, Outcome::Success)
        .actor(None, "system")
        .target("audit_archive", &record.file_name)
        .details(json!({
            "first_seq": first,
            "last_seq": last,
            "events": record.event_count,
            "sha256": record.sha256,
            "older_than_days": days,
        }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(Some(record))
}
