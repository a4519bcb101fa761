//! The export decision (SPEC "Export flow"). In two phases:
//!
//! 1. Without any lock: load the policy, check fields, format and justification, resolve
//!    the contacts the caller may see, and build the file and its SHA-256.
//! 2. In one write transaction: lock the caller's quota account, compute every rolling
//!    window, and either debit the quota and store the export, its file and its audit
//!    event, or record a pending request (over a window or the approval threshold).
//!
//! Refusals are audited in a transaction of their own and debit nothing. A failure after
//! the debit rolls everything back: no debit, no record, no audit event.

mod download;
pub mod file;
pub mod grant;
pub mod justification;
mod pending;
mod prepare;
pub mod quota;

pub use download::{Download, download, download_url};
pub use prepare::contacts_digest;

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::batch::Batch;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::group_commit::Job;
use crate::server::repo::exports::{self, ExportRow, Snapshot};
use crate::server::repo::policies;
use crate::server::service::audit::{self, NewEvent};
use crate::server::service::policy::{self, Policy};
use crate::types::approval::ApprovalRoute;
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::{ExportRequest, Selection};
use prepare::{Prepared, all_visible, prepare, selected_ids};
use quota::Verdict;
use serde_json::json;
use sqlx::AnyConnection;
use std::sync::Arc;

/// A download link works this long after the export, and only once.
pub const LINK_TTL_MS: i64 = 15 * 60 * 1000;
/// The most contacts one export may hold.
pub const MAX_CONTACTS: usize = 10_000;
/// Tests arm this to prove that a failure after the debit leaves nothing behind.
pub const FAIL_AFTER_DEBIT: &str = "export.after_debit";

/// What became of a request that was not refused (a refusal is `AppError::Refused`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The file exists; it downloads once, by its owner, until `expires_at`.
    Allowed {
        export_id: String,
        receipt: String,
        sha256: String,
        count: i64,
        expires_at: i64,
    },
    /// Over a window or the approval threshold: recorded as a pending request.
    NeedsApproval {
        request_id: i64,
        reason: Notice,
        /// Who the request waits for (`service::approvals::route`).
        route: ApprovalRoute,
    },
}

/// Decides an export request (see the module docs).
pub async fn request_export(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    request: ExportRequest,
) -> Result<Decision, AppError> {
    let mut conn = state.db.conn().await?;
    // Explicit ids: the policy and the contacts come back together (one round trip).
    let (policy, preloaded) = match &request.selection {
        Selection::Ids(ids) => match selected_ids(ids) {
            Ok(ids) => {
                let (row, found) =
                    policies::policy_and_contacts(&mut conn, caller.user_id, &ids).await?;
                let policy: Policy = row.ok_or(AppError::Unauthorized)?.try_into()?;
                (policy, Some(all_visible(&ids, found)))
            }
            Err(notice) => (
                policy::load(&mut conn, caller.user_id).await?,
                Some(Err(notice)),
            ),
        },
        Selection::Filter(_) => (policy::load(&mut conn, caller.user_id).await?, None),
    };
    let prepared = prepare(state, &mut conn, &policy, &request, preloaded).await?;
    drop(conn);
    match prepared {
        Ok(prepared) => match decide(state, caller, meta, &policy, prepared).await {
            // Revoked between the check above and the locked decision.
            Err(AppError::Refused(notice)) => {
                record_refusal(state, caller, meta, &request, &notice).await?;
                Err(AppError::Refused(notice))
            }
            decided => decided,
        },
        Err(notice) => {
            record_refusal(state, caller, meta, &request, &notice).await?;
            Err(AppError::Refused(notice))
        }
    }
}

/// An export id: a UUIDv7 (the time first, then 74 random bits) in 32 hex digits. Ids
/// that grow with time add to the newest leaf of every index keyed by them (the export,
/// its file, the audit target), instead of dirtying a random page of each per export.
pub(super) fn export_id(now_ms: i64) -> String {
    let ms = u64::try_from(now_ms).unwrap_or(0);
    let at = uuid::Timestamp::from_unix(uuid::NoContext, ms / 1000, (ms % 1000) as u32 * 1_000_000);
    uuid::Uuid::new_v7(at).simple().to_string()
}

/// A receipt people can read aloud: `R-` and ten characters of Crockford base32.
pub(super) fn receipt() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut n = rand::random::<u64>();
    let mut out = String::from("R-");
    for i in 0..10 {
        if i == 5 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[(n % 32) as usize]));
        n /= 32;
    }
    out
}

/// What the decision job needs; shared by every run of the job.
struct Request {
    state: AppState,
    caller: AuthSession,
    meta: RequestMeta,
    policy: Policy,
    prepared: Prepared,
}

/// Phase 2: the atomic decision, as a job that may share its transaction with others.
async fn decide(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    policy: &Policy,
    prepared: Prepared,
) -> Result<Decision, AppError> {
    let request = Arc::new(Request {
        state: state.clone(),
        caller: caller.clone(),
        meta: meta.clone(),
        policy: policy.clone(),
        prepared,
    });
    let job: Job<Decision> = Arc::new(move |conn| {
        let request = request.clone();
        Box::pin(async move { decide_in(conn, &request).await })
    });
    state.writes.run(&state.db, job).await
}

/// Inside the write transaction, the steps of SPEC "Export flow": lock the caller's quota
/// account, compute every rolling window, then either debit and record the export, or
/// record a pending request (over a window or the approval threshold).
async fn decide_in(tx: &mut AnyConnection, r: &Request) -> Result<Decision, AppError> {
    let user_id = r.caller.user_id;
    exports::lock_quota_account(tx, user_id, r.state.clock.now_ms()).await?;
    // Read the time only once the account is ours, so totals grow with time.
    let now = r.state.clock.now_ms();
    // SPEC "Export flow" step 2 starts with the certificate: checked again under the lock.
    let certified = crate::server::repo::training::certified_until(tx, user_id).await?;
    if certified.is_none_or(|until| until <= now) {
        return Err(AppError::Refused(Notice::NotCertified));
    }
    let snapshot = exports::snapshot(tx, user_id, quota::window_starts(now), true).await?;
    let count = r.prepared.count();
    let usage = quota::usage(&snapshot);
    let reason = match quota::decide(&r.policy.limits, &usage, count) {
        // Within every limit, unless the department asks a second approval for this many.
        Verdict::Allowed => match r.policy.second_approval {
            Some(rule) if count > rule.above => Notice::SecondApprovalRequired {
                above: rule.above,
                role: rule.role,
            },
            _ => return debit_and_record(tx, r, now, snapshot).await,
        },
        Verdict::OverWindow {
            window,
            limit,
            used,
        } => Notice::QuotaExceeded {
            window,
            used,
            limit,
            remaining: (limit - used).max(0),
            count,
            room_at: quota::room_at(tx, user_id, window, limit, snapshot.total, count).await?,
        },
        Verdict::OverThreshold { threshold } => Notice::ApprovalThreshold { threshold },
    };
    pending::record(tx, r, now, reason).await
}

/// Allowed: the export, its file, the debit and the audit event, in one round trip.
async fn debit_and_record(
    tx: &mut AnyConnection,
    r: &Request,
    now: i64,
    snapshot: Snapshot,
) -> Result<Decision, AppError> {
    let (caller, p) = (&r.caller, &r.prepared);
    let count = p.count();
    let export_id = export_id(now);
    let row = ExportRow {
        id: export_id.clone(),
        receipt: receipt(),
        user_id: caller.user_id,
        request_id: None,
        count,
        cumulative: snapshot.total + count,
        fields: p.fields_json(),
        format: p.format.code().to_owned(),
        justification: p.justification.clone(),
        campaign: p.campaign.clone(),
        contacts_digest: p.digest.clone(),
        sha256: p.sha256.clone(),
        size_bytes: i64::try_from(p.file.len()).unwrap_or(i64::MAX),
        ip: Some(r.meta.ip.clone()),
        user_agent: Some(r.meta.user_agent.clone()),
        session_id: r.meta.session_id.clone(),
        expires_at: now + LINK_TTL_MS,
        downloaded_at: None,
        created_at: now,
    };
    let event = NewEvent::new(AuditAction::ExportAllowed, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("export", &export_id)
        .meta(&r.meta)
        .details(json!({
            "receipt": row.receipt,
            "count": count,
            "fields": p.fields.iter().map(|f| f.code()).collect::<Vec<_>>(),
            "format": row.format,
            "sha256": row.sha256,
            "contacts_digest": row.contacts_digest,
            "justification": row.justification,
            "campaign": row.campaign,
        }));
    let audit_row = audit::row_after(snapshot.head_seq, snapshot.head_hash, now, event);
    let mut writes = Batch::default();
    writes
        .push(exports::insert_export_statement(&row))
        .push(exports::insert_file_statement(
            &export_id,
            p.file.clone(),
            now,
        ))
        .push(exports::set_quota_total_statement(
            caller.user_id,
            snapshot.total + count,
            now,
        ));
    audit::push_row(&mut writes, &audit_row);
    writes.run(tx).await.map_err(audit::chain_error)?;
    r.state.failpoints.check(FAIL_AFTER_DEBIT)?;
    Ok(Decision::Allowed {
        export_id,
        receipt: row.receipt,
        sha256: row.sha256,
        count,
        expires_at: row.expires_at,
    })
}

/// Records a refusal (and what was asked) in the audit log.
async fn record_refusal(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    request: &ExportRequest,
    refusal: &Notice,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let asked: Vec<String> = request
        .fields
        .iter()
        .take(40)
        .map(|f| f.chars().filter(|c| !c.is_control()).take(40).collect())
        .collect();
    let event = NewEvent::new(AuditAction::ExportRefused, Outcome::Denied)
        .actor(Some(caller.user_id), &caller.username)
        .meta(meta)
        .severity(match refusal {
            Notice::FieldNotAllowed { .. } | Notice::ContactNotVisible => Severity::Medium,
            _ => Severity::Low,
        })
        .details(json!({ "code": refusal.code(), "fields": asked, "format": request.format }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_ids_are_unique_and_grow_with_time() {
        let now = 1_763_800_000_000;
        let (a, b, later) = (export_id(now), export_id(now), export_id(now + 1));
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        // The first twelve digits are the time in milliseconds.
        assert_eq!(&a[..12], &format!("{now:012x}"));
        assert!(later > a && later > b);
    }

    #[test]
    fn receipts_are_readable_aloud() {
        let r = receipt();
        assert_eq!(r.len(), 13);
        assert!(r.starts_with("R-") && r.as_bytes()[7] == b'-');
        assert!(!r.contains(['I', 'L', 'O', 'U']));
    }
}
