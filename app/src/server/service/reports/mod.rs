//! Reports for security administrators. `monthly`: the monthly audit report of seed 000
//! section 3 (its figures and charts); `compliance`: seed 003's compliance report for a
//! range of days; `csv` and `pdf`: both as files; `delivery`: the monthly report mailed to
//! the security administrators on the first day of the next month.

pub mod compliance;
pub mod csv;
pub mod days;
pub mod delivery;
pub mod monthly;
pub mod pdf;
pub mod runs;

use crate::error::AppError;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome};

/// Generating a report is an audit event: who, which report (`target`, e.g.
/// `monthly:2026-11`), in which format, at which log head.
pub async fn record_generated(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    target: &str,
    head: (i64, &str),
    format: &str,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let event = NewEvent::new(AuditAction::ReportGenerated, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("report", target.to_owned())
        .meta(meta)
        .details(serde_json::json!({
            "format": format,
            "head_seq": head.0,
            "head_hash": head.1,
        }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}
